/* jg-run-dialog.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-run-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "jg-asset-picker.h"
#include "jg-run-dialog.h"

/* How many job creations are in flight at once: enough to hide the round
 * trips, few enough not to trip a service's request throttling.
 */
#define MAX_IN_FLIGHT 4

typedef enum
{
  JOB_PENDING,
  JOB_SUBMITTING,
  JOB_SUBMITTED,
  JOB_FAILED,
  JOB_NOT_SENT,
} JobState;

typedef struct
{
  JgRunDialog  *self;     /* unowned: the dialog lives while its jobs do */
  guint         index;
  char         *name;
  char        **input_ids;
  JobState      state;
  AdwActionRow *row;
  GtkWidget    *spinner;
  GtkWidget    *icon;
} RunJob;

struct _JgRunDialog
{
  AdwWindow         parent_instance;

  /* Template children */
  AdwWindowTitle   *window_title;
  GtkButton        *cancel_button;
  GtkButton        *run_button;
  GtkButton        *close_button;
  GtkStack         *pages;
  AdwComboRow      *account_row;
  GtkSpinner       *connect_spinner;
  AdwPreferencesGroup *inputs_group;
  AdwActionRow     *per_asset_row;
  GtkSwitch        *per_asset_switch;
  AdwActionRow     *assets_row;
  AdwEntryRow      *pattern_row;
  AdwActionRow     *priority_row;
  GtkSpinButton    *priority_spin;
  AdwActionRow     *batch_row;
  GtkSwitch        *batch_switch;
  GtkWidget        *plan_bar;
  GtkLabel         *plan_label;
  GtkLabel         *names_label;
  GtkWidget        *reason_box;
  GtkImage         *reason_icon;
  GtkLabel         *reason_label;
  GtkLabel         *progress_title;
  GtkProgressBar   *progress_bar;
  GtkLabel         *progress_note;
  GtkListBox       *job_list;

  /* Owned references */
  JgAccountStore   *store;
  JgRunPlan        *plan;
  JgClient         *client;
  GCancellable     *connect_cancellable;
  GCancellable     *submit_cancellable;
  char             *connect_error;
  GPtrArray        *input_rows;    /* AdwActionRow, one per JobInputAsset(n) */
  GPtrArray        *jobs;          /* RunJob */

  guint             next_job;
  guint             n_running;
  guint             n_submitted;
  guint             n_failed;
  guint             n_not_sent;
  gboolean          submitting;
  gboolean          cancelled;
  gboolean          batch_used;
};

enum
{
  JOB_SUBMITTED_SIGNAL,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgRunDialog, jg_run_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void update (JgRunDialog *self);
static void pump (JgRunDialog *self);

static void
run_job_free (gpointer data)
{
  RunJob *job = data;

  g_free (job->name);
  g_strfreev (job->input_ids);
  g_free (job);
}

static char *
account_title_cb (JgAccount *account)
{
  return account != NULL ? jg_account_dup_title (account) : NULL;
}

static char *
dup_selected_account_name (JgRunDialog *self)
{
  g_autoptr(JgAccount) account = NULL;
  guint position = adw_combo_row_get_selected (self->account_row);

  if (position == GTK_INVALID_LIST_POSITION)
    return NULL;

  account = g_list_model_get_item (G_LIST_MODEL (self->store), position);

  return account != NULL ? g_strdup (jg_account_get_name (account)) : NULL;
}

static gboolean
is_template (JgRunDialog *self)
{
  return jg_run_plan_get_template (self->plan) != NULL;
}

/* Lists assets by name for a row subtitle: “a.mp4”, “b.mp4” and 3 more. */
static char *
describe_assets (GPtrArray *assets)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint              shown = MIN (assets->len, 3);

  if (assets->len == 0)
    return g_strdup (_("None chosen"));

  for (guint i = 0; i < shown; i++)
    {
      JgRemoteAsset *asset = g_ptr_array_index (assets, i);

      if (i > 0)
        g_string_append (text, _(", "));
      g_string_append_printf (text, _("“%s”"), asset->name != NULL ? asset->name : asset->id);
    }

  if (assets->len > shown)
    {
      guint more = assets->len - shown;

      /* Translators: after a list of asset names: "“a”, “b”, “c” and 4 more" */
      g_string_append_printf (text, ngettext (" and %u more", " and %u more", more), more);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_plan_preview (JgRunDialog *self)
{
  g_autofree char *summary = jg_run_plan_dup_summary (self->plan);
  g_autofree char *reason = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  guint            n_jobs = jg_run_plan_get_n_jobs (self->plan);
  guint            shown = MIN (n_jobs, 3);
  gboolean         can_run;

  gtk_label_set_label (self->plan_label, summary);

  for (guint i = 0; i < shown; i++)
    {
      g_autofree char *name = jg_run_plan_dup_job_name (self->plan, i);

      if (i > 0)
        g_string_append (names, _(", "));
      g_string_append_printf (names, _("“%s”"), name);
    }
  if (n_jobs > shown)
    g_string_append_printf (names, ngettext (" and %u more", " and %u more", n_jobs - shown), n_jobs - shown);

  if (n_jobs > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("Job name: %s", "Job names: %s", n_jobs), names->str);

      gtk_label_set_label (self->names_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->names_label), n_jobs > 0);

  can_run = jg_run_plan_can_run (self->plan, &reason);

  /* The plan's reason first (it is the user's to fix), then the account. */
  if (can_run && self->client == NULL)
    reason = g_strdup (self->connect_error != NULL ? self->connect_error : _("Connecting to the account…"));

  gtk_widget_set_visible (self->reason_box, reason != NULL);
  if (reason != NULL)
    {
      gboolean error = jg_run_plan_get_n_errors (self->plan) > 0 || self->connect_error != NULL;

      gtk_label_set_label (self->reason_label, reason);
      gtk_image_set_from_icon_name (self->reason_icon, error ? "dialog-error-symbolic" : "dialog-information-symbolic");
      if (error)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->reason_icon), "error");
          gtk_widget_add_css_class (GTK_WIDGET (self->reason_label), "error");
        }
      else
        {
          gtk_widget_remove_css_class (GTK_WIDGET (self->reason_icon), "error");
          gtk_widget_remove_css_class (GTK_WIDGET (self->reason_label), "error");
        }
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button), reason);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button), NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), reason == NULL && !self->submitting);
}

static void
update (JgRunDialog *self)
{
  gboolean per_asset = jg_run_plan_get_per_asset (self->plan);

  for (guint i = 0; i < self->input_rows->len; i++)
    {
      AdwActionRow  *row = g_ptr_array_index (self->input_rows, i);
      JgRemoteAsset *asset = jg_run_plan_get_input (self->plan, i);

      gtk_widget_set_visible (GTK_WIDGET (row), !per_asset);
      if (asset != NULL)
        adw_action_row_set_subtitle (row, asset->name != NULL ? asset->name : asset->id);
      else
        adw_action_row_set_subtitle (row, _("No asset chosen"));
      gtk_widget_set_sensitive (GTK_WIDGET (row), self->client != NULL);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->per_asset_row), jg_run_plan_can_run_per_asset (self->plan));
  gtk_widget_set_visible (GTK_WIDGET (self->assets_row), per_asset);
  gtk_widget_set_sensitive (GTK_WIDGET (self->assets_row), self->client != NULL);
  if (per_asset)
    {
      g_autofree char *text = describe_assets (jg_run_plan_get_assets (self->plan));

      adw_action_row_set_subtitle (self->assets_row, text);
    }

  /* Batch only means something for a graph sent as a job body. */
  gtk_widget_set_visible (GTK_WIDGET (self->batch_row), !is_template (self));

  update_plan_preview (self);
}

static void
plan_changed_cb (JgRunDialog *self)
{
  update (self);
}

/* Asset binding */

typedef struct
{
  JgRunDialog *self;
  guint        index;
} Prefill;

static void
prefill_asset_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree Prefill *prefill = user_data;
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GError) error = NULL;

  asset = jg_client_get_asset_finish (JG_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The graph's id is often a placeholder from another account: not
   * finding it is normal, and the row simply stays unbound.
   */
  if (asset != NULL && jg_run_plan_get_input (prefill->self->plan, prefill->index) == NULL)
    jg_run_plan_set_input (prefill->self->plan, prefill->index, asset);
}

/* Binds each input whose asset id in the graph exists in this account. */
static void
prefill_inputs (JgRunDialog *self)
{
  JgGraph *graph = jg_run_plan_get_graph (self->plan);
  g_autoptr(GPtrArray) inputs = NULL;

  if (graph == NULL)
    return;

  inputs = jg_graph_dup_numbered_inputs (graph);
  for (guint i = 0; i < inputs->len; i++)
    {
      const char *asset_id = jg_job_input_get_asset_id (g_ptr_array_index (inputs, i));
      Prefill    *prefill;

      if (asset_id == NULL || !g_str_has_prefix (asset_id, "nb:cid:"))
        continue;

      prefill = g_new0 (Prefill, 1);
      prefill->self = self;
      prefill->index = i;
      jg_client_get_asset_async (self->client, asset_id, self->connect_cancellable, prefill_asset_cb, prefill);
    }
}

static void
client_ready_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgClient) client = NULL;
  JgRunDialog *self;

  client = jg_account_store_dup_client_finish (JG_ACCOUNT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = JG_RUN_DIALOG (user_data);
  gtk_spinner_set_spinning (self->connect_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_spinner), FALSE);

  if (client == NULL)
    {
      self->connect_error = g_strdup_printf (_("Could not connect: %s"), error->message);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), self->connect_error);
      gtk_widget_add_css_class (GTK_WIDGET (self->account_row), "error");
      update (self);
      return;
    }

  self->client = g_steal_pointer (&client);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), jg_client_get_base_uri (self->client));
  prefill_inputs (self);
  update (self);
}

static void
connect_account (JgRunDialog *self)
{
  g_autofree char *name = dup_selected_account_name (self);

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->connect_error, g_free);
  gtk_widget_remove_css_class (GTK_WIDGET (self->account_row), "error");

  /* Asset ids belong to one account: what was chosen in another is gone. */
  for (guint i = 0; i < jg_run_plan_get_n_inputs (self->plan); i++)
    jg_run_plan_set_input (self->plan, i, NULL);
  jg_run_plan_set_assets (self->plan, NULL);

  if (name == NULL)
    {
      update (self);
      return;
    }

  /* The Local service may have to start first: say so, it takes a moment. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->account_row), _("Connecting…"));
  gtk_widget_set_visible (GTK_WIDGET (self->connect_spinner), TRUE);
  gtk_spinner_set_spinning (self->connect_spinner, TRUE);

  self->connect_cancellable = g_cancellable_new ();
  jg_account_store_dup_client_async (self->store, name, self->connect_cancellable, client_ready_cb, self);
  update (self);
}

static void
account_changed_cb (JgRunDialog *self)
{
  if (self->plan != NULL)
    connect_account (self);
}

/* The picker window */

static void
picker_choose (GtkWindow *window)
{
  JgRunDialog   *self = JG_RUN_DIALOG (gtk_window_get_transient_for (window));
  JgAssetPicker *picker = g_object_get_data (G_OBJECT (window), "picker");
  int            index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "input-index"));
  g_autoptr(GPtrArray) selected = jg_asset_picker_dup_selected (picker);

  if (selected->len == 0)
    return;

  if (index < 0)
    jg_run_plan_set_assets (self->plan, selected);
  else
    jg_run_plan_set_input (self->plan, index, g_ptr_array_index (selected, 0));

  gtk_window_destroy (window);
}

static void
picker_select_clicked_cb (GtkButton *button,
                          GtkWindow *window)
{
  picker_choose (window);
}

static void
picker_activated_cb (JgAssetPicker *picker,
                     JgRemoteAsset *asset,
                     GtkWindow     *window)
{
  if (!jg_asset_picker_get_multiple (picker))
    picker_choose (window);
}

static void
picker_n_selected_cb (JgAssetPicker *picker,
                      GParamSpec    *pspec,
                      GtkWidget     *button)
{
  gtk_widget_set_sensitive (button, jg_asset_picker_get_n_selected (picker) > 0);
}

/* Once loaded, the picker shows what is already chosen as selected. */
static void
picker_loading_cb (JgAssetPicker *picker,
                   GParamSpec    *pspec,
                   GtkWindow     *window)
{
  JgRunDialog *self = JG_RUN_DIALOG (gtk_window_get_transient_for (window));
  int          index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "input-index"));

  if (jg_asset_picker_get_loading (picker))
    return;

  if (index < 0)
    {
      GPtrArray *assets = jg_run_plan_get_assets (self->plan);

      for (guint i = 0; i < assets->len; i++)
        jg_asset_picker_select (picker, ((JgRemoteAsset *)g_ptr_array_index (assets, i))->id);
    }
  else if (jg_run_plan_get_input (self->plan, index) != NULL)
    jg_asset_picker_select (picker, jg_run_plan_get_input (self->plan, index)->id);
}

/* Opens the asset picker for input @index, or for one job per asset when
 * @index is -1. A plain window rather than a class of its own: it is a
 * header bar around JgAssetPicker.
 */
static void
open_picker (JgRunDialog *self,
             int          index)
{
  gboolean         multiple = index < 0;
  GtkWidget       *window = adw_window_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget       *header = adw_header_bar_new ();
  GtkWidget       *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget       *select = gtk_button_new_with_mnemonic (_("_Select"));
  GtkWidget       *picker = jg_asset_picker_new (multiple);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();
  g_autofree char *subtitle = NULL;
  GtkWidget       *title;

  if (multiple)
    subtitle = g_strdup (_("One job for each selected asset"));
  else
    subtitle = jg_run_plan_dup_input_title (self->plan, index);
  title = adw_window_title_new (multiple ? _("Choose Assets") : _("Choose an Asset"), subtitle);

  gtk_window_set_title (GTK_WINDOW (window), multiple ? _("Choose Assets") : _("Choose an Asset"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 620);
  gtk_window_set_default_widget (GTK_WINDOW (window), select);

  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  gtk_widget_add_css_class (select, "suggested-action");
  gtk_widget_set_sensitive (select, FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), select);

  gtk_widget_set_vexpand (picker, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), picker);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);

  g_object_set_data (G_OBJECT (window), "picker", picker);
  g_object_set_data (G_OBJECT (window), "input-index", GINT_TO_POINTER (index));
  g_signal_connect (select, "clicked", G_CALLBACK (picker_select_clicked_cb), window);
  g_signal_connect (picker, "asset-activated", G_CALLBACK (picker_activated_cb), window);
  g_signal_connect (picker, "notify::n-selected", G_CALLBACK (picker_n_selected_cb), select);
  g_signal_connect (picker, "notify::loading", G_CALLBACK (picker_loading_cb), window);

  jg_asset_picker_set_client (JG_ASSET_PICKER (picker), self->client);
  gtk_window_present (GTK_WINDOW (window));
}

static void
choose_input_cb (GtkButton   *button,
                 JgRunDialog *self)
{
  open_picker (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "input-index")));
}

static void
choose_assets_cb (JgRunDialog *self)
{
  open_picker (self, -1);
}

static void
build_input_rows (JgRunDialog *self)
{
  guint n_inputs = jg_run_plan_get_n_inputs (self->plan);

  for (guint i = 0; i < n_inputs; i++)
    {
      GtkWidget       *row = adw_action_row_new ();
      GtkWidget       *button = gtk_button_new_with_mnemonic (_("C_hoose…"));
      g_autofree char *title = jg_run_plan_dup_input_title (self->plan, i);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (button), "input-index", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (choose_input_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->inputs_group, row);
      g_ptr_array_add (self->input_rows, row);
    }
}

static void
per_asset_changed_cb (JgRunDialog *self)
{
  jg_run_plan_set_per_asset (self->plan, gtk_switch_get_active (self->per_asset_switch));
}

static void
pattern_changed_cb (JgRunDialog *self)
{
  jg_run_plan_set_name_pattern (self->plan, gtk_editable_get_text (GTK_EDITABLE (self->pattern_row)));
}

static void
priority_changed_cb (JgRunDialog *self)
{
  jg_run_plan_set_priority (self->plan, gtk_spin_button_get_value_as_int (self->priority_spin));
}

/* Submission */

static void
set_job_state (RunJob     *job,
               JobState    state,
               const char *detail)
{
  static const char *icons[] = {
    [JOB_PENDING] = "content-loading-symbolic",
    [JOB_SUBMITTING] = NULL,
    [JOB_SUBMITTED] = "emblem-ok-symbolic",
    [JOB_FAILED] = "dialog-error-symbolic",
    [JOB_NOT_SENT] = "action-unavailable-symbolic",
  };
  GtkWidget *row = GTK_WIDGET (job->row);
  const char *subtitle = detail;

  job->state = state;

  gtk_widget_set_visible (job->spinner, state == JOB_SUBMITTING);
  gtk_spinner_set_spinning (GTK_SPINNER (job->spinner), state == JOB_SUBMITTING);
  gtk_widget_set_visible (job->icon, icons[state] != NULL);
  if (icons[state] != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (job->icon), icons[state]);

  gtk_widget_remove_css_class (job->icon, "success");
  gtk_widget_remove_css_class (job->icon, "error");
  gtk_widget_remove_css_class (row, "error");
  if (state == JOB_SUBMITTED)
    gtk_widget_add_css_class (job->icon, "success");
  else if (state == JOB_FAILED)
    {
      gtk_widget_add_css_class (job->icon, "error");
      gtk_widget_add_css_class (row, "error");
    }

  if (subtitle == NULL)
    {
      switch (state)
        {
        case JOB_PENDING:
          subtitle = _("Waiting");
          break;
        case JOB_SUBMITTING:
          subtitle = _("Submitting…");
          break;
        case JOB_NOT_SENT:
          subtitle = _("Not sent");
          break;
        case JOB_SUBMITTED:
        case JOB_FAILED:
        default:
          break;
        }
    }

  adw_action_row_set_subtitle (job->row, subtitle != NULL ? subtitle : "");
}

static void
update_progress (JgRunDialog *self)
{
  guint            total = self->jobs->len;
  guint            done = self->n_submitted + self->n_failed + self->n_not_sent;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;

  text = g_strdup_printf (ngettext ("%u of %u job submitted", "%u of %u jobs submitted", total),
                          self->n_submitted, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double)done / total : 1.0);

  if (self->submitting)
    title = g_strdup_printf (ngettext ("Submitting %u job…", "Submitting %u jobs…", total), total);
  else if (self->n_failed == 0 && self->n_not_sent == 0)
    title = g_strdup_printf (ngettext ("The job was submitted", "All %u jobs were submitted", total), total);
  else if (self->n_failed > 0)
    title = g_strdup_printf (ngettext ("%u job failed", "%u jobs failed", self->n_failed), self->n_failed);
  else
    title = g_strdup (_("Submission cancelled"));

  gtk_label_set_label (self->progress_title, title);
  adw_window_title_set_subtitle (self->window_title, text);
}

static void
finish_submission (JgRunDialog *self)
{
  self->submitting = FALSE;
  g_clear_object (&self->submit_cancellable);

  if (self->cancelled)
    {
      gtk_label_set_label (self->progress_note,
                           self->n_submitted > 0
                             ? _("Submission cancelled. The jobs already submitted stay in the account and run; the others were not sent.")
                             : _("Submission cancelled. No job was submitted."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_note), TRUE);
    }
  else if (self->batch_used && self->jobs->len > 1)
    {
      /* JgClient sends one job per $batch changeset; say so rather than
       * let "one $batch request" suggest a single request.
       */
      gtk_label_set_label (self->progress_note, _("Each job was sent as its own $batch request."));
      gtk_widget_set_visible (GTK_WIDGET (self->progress_note), TRUE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->close_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
  update_progress (self);
}

static void
job_created_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunJob           *job = user_data;
  g_autoptr(JgRunDialog) self = job->self;
  g_autoptr(JgRemoteJob) remote = NULL;
  g_autoptr(GError) error = NULL;
  JgClient         *client = JG_CLIENT (object);

  if (is_template (self))
    remote = jg_client_create_job_from_template_finish (client, result, &error);
  else
    remote = jg_client_create_job_from_graph_finish (client, result, &error);

  self->n_running--;

  /* Whoever monitors jobs hears of an accepted one even if the dialog was
   * destroyed meanwhile; the rows, though, are gone then.
   */
  if (remote != NULL)
    g_signal_emit (self, signals[JOB_SUBMITTED_SIGNAL], 0, client, remote->id,
                   remote->name != NULL ? remote->name : job->name);

  if (self->pages == NULL)
    return;

  if (remote != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("Submitted as %s"), remote->id);

      self->n_submitted++;
      set_job_state (job, JOB_SUBMITTED, detail);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Cancelled in flight: the client never repeats a POST blindly,
       * but the first may have arrived.
       */
      self->n_not_sent++;
      set_job_state (job, JOB_NOT_SENT, _("Cancelled; the service may still have accepted it"));
    }
  else
    {
      self->n_failed++;
      set_job_state (job, JOB_FAILED, error->message);
    }

  update_progress (self);
  pump (self);
}

static void
start_job (JgRunDialog *self,
           RunJob      *job)
{
  JgRemoteTemplate *template_ = jg_run_plan_get_template (self->plan);

  set_job_state (job, JOB_SUBMITTING, NULL);
  self->n_running++;
  /* Each job in flight holds the dialog, released in job_created_cb(). */
  g_object_ref (self);

  if (template_ != NULL)
    {
      jg_client_create_job_from_template_async (self->client, job->name, template_->id,
                                                (const char * const *)job->input_ids,
                                                self->submit_cancellable, job_created_cb, job);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgGraph) graph = jg_run_plan_dup_job_graph (self->plan, job->index, &error);

      if (graph == NULL)
        {
          /* Cannot happen with a graph that validated; still, report it. */
          self->n_running--;
          self->n_failed++;
          set_job_state (job, JOB_FAILED, error->message);
          g_object_unref (self);
          return;
        }

      jg_client_create_job_from_graph_async (self->client, graph, (const char * const *)job->input_ids,
                                             self->batch_used ? JG_CREATE_BATCH : JG_CREATE_NONE,
                                             self->submit_cancellable, job_created_cb, job);
    }
}

static void
pump (JgRunDialog *self)
{
  gboolean cancelled = self->submit_cancellable == NULL || g_cancellable_is_cancelled (self->submit_cancellable);

  while (!cancelled && self->n_running < MAX_IN_FLIGHT && self->next_job < self->jobs->len)
    start_job (self, g_ptr_array_index (self->jobs, self->next_job++));

  if (cancelled)
    {
      for (; self->next_job < self->jobs->len; self->next_job++)
        {
          self->n_not_sent++;
          set_job_state (g_ptr_array_index (self->jobs, self->next_job), JOB_NOT_SENT, NULL);
        }
      update_progress (self);
    }

  if (self->submitting && self->n_running == 0 && self->next_job >= self->jobs->len)
    finish_submission (self);
}

static void
start_submission (JgRunDialog *self)
{
  guint n_jobs = jg_run_plan_get_n_jobs (self->plan);

  g_assert (self->client != NULL);
  g_assert (!self->submitting);

  self->submitting = TRUE;
  self->batch_used = !is_template (self) && gtk_switch_get_active (self->batch_switch);
  self->submit_cancellable = g_cancellable_new ();

  for (guint i = 0; i < n_jobs; i++)
    {
      RunJob    *job = g_new0 (RunJob, 1);
      GtkWidget *row = adw_action_row_new ();

      job->self = self;
      job->index = i;
      job->name = jg_run_plan_dup_job_name (self->plan, i);
      job->input_ids = jg_run_plan_dup_job_input_ids (self->plan, i);
      job->row = ADW_ACTION_ROW (row);
      job->spinner = gtk_spinner_new ();
      job->icon = gtk_image_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), job->name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), job->spinner);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), job->icon);
      gtk_list_box_append (self->job_list, row);
      g_ptr_array_add (self->jobs, job);
      set_job_state (job, JOB_PENDING, NULL);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->run_button), FALSE);
  gtk_stack_set_visible_child_name (self->pages, "progress");
  gtk_widget_set_visible (self->plan_bar, FALSE);
  update_progress (self);
  pump (self);
}

static void
cancel_submission (JgRunDialog *self)
{
  if (!self->submitting || self->cancelled)
    return;

  self->cancelled = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  g_cancellable_cancel (self->submit_cancellable);
  pump (self);
}

static void
run_clicked_cb (JgRunDialog *self)
{
  if (self->client == NULL || self->submitting || self->jobs->len > 0 || !jg_run_plan_can_run (self->plan, NULL))
    return;

  start_submission (self);
}

static void
cancel_clicked_cb (JgRunDialog *self)
{
  if (self->submitting)
    cancel_submission (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static gboolean
close_request_cb (JgRunDialog *self)
{
  /* Closing mid-submission would hide which jobs made it: cancel the rest
   * and stay, showing the outcome, until the jobs in flight settle.
   */
  if (self->submitting)
    {
      cancel_submission (self);
      return TRUE;
    }

  return FALSE;
}

static void
jg_run_dialog_dispose (GObject *object)
{
  JgRunDialog *self = JG_RUN_DIALOG (object);

  g_cancellable_cancel (self->connect_cancellable);
  g_cancellable_cancel (self->submit_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_object (&self->submit_cancellable);

  if (self->plan != NULL)
    g_signal_handlers_disconnect_by_func (self->plan, plan_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_RUN_DIALOG);

  g_clear_object (&self->client);
  g_clear_object (&self->plan);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jg_run_dialog_parent_class)->dispose (object);
}

static void
jg_run_dialog_finalize (GObject *object)
{
  JgRunDialog *self = JG_RUN_DIALOG (object);

  g_clear_pointer (&self->connect_error, g_free);
  g_clear_pointer (&self->input_rows, g_ptr_array_unref);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_run_dialog_parent_class)->finalize (object);
}

static void
jg_run_dialog_class_init (JgRunDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_run_dialog_dispose;
  object_class->finalize = jg_run_dialog_finalize;

  /**
   * JgRunDialog::job-submitted:
   * @client: the client of the account the job went to
   * @job_id: the job's `nb:jid:UUID:…`
   * @job_name: the job's name
   *
   * Emitted for each job the service accepted.
   */
  signals[JOB_SUBMITTED_SIGNAL] = g_signal_new ("job-submitted",
                                                G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 3,
                                                JG_TYPE_CLIENT,
                                                G_TYPE_STRING,
                                                G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, pages);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, account_row);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, connect_spinner);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, inputs_group);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, per_asset_row);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, per_asset_switch);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, assets_row);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, priority_row);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, priority_spin);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, batch_row);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, batch_switch);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, plan_bar);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, plan_label);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, names_label);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, reason_box);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, reason_icon);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, progress_title);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, progress_note);
  gtk_widget_class_bind_template_child (widget_class, JgRunDialog, job_list);
  gtk_widget_class_bind_template_callback (widget_class, account_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, per_asset_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_assets_cb);
  gtk_widget_class_bind_template_callback (widget_class, pattern_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, priority_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_request_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_run_dialog_init (JgRunDialog *self)
{
  self->input_rows = g_ptr_array_new ();
  self->jobs = g_ptr_array_new_with_free_func (run_job_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Everything both constructors share, once the plan exists. */
static void
setup (JgRunDialog    *self,
       GtkWindow      *parent,
       JgAccountStore *store,
       const char     *account_name)
{
  g_autofree char *title = g_strdup_printf (is_template (self) ? _("Run Template “%s”") : _("Run “%s”"),
                                            jg_run_plan_get_title (self->plan));
  GtkExpression   *expression;
  guint            n_accounts;
  guint            selected = 0;

  self->store = g_object_ref (store);

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);

  build_input_rows (self);

  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), jg_run_plan_get_name_pattern (self->plan));
  gtk_spin_button_set_value (self->priority_spin, jg_run_plan_get_priority (self->plan));
  /* The template API takes no priority: the service's default applies. */
  gtk_widget_set_visible (GTK_WIDGET (self->priority_row), !is_template (self));

  g_signal_connect_object (self->plan, "changed", G_CALLBACK (plan_changed_cb), self, G_CONNECT_SWAPPED);

  n_accounts = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(JgAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_strcmp0 (jg_account_get_name (account), account_name) == 0)
        selected = i;
    }

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (account_title_cb), NULL, NULL);
  adw_combo_row_set_expression (self->account_row, expression);
  gtk_expression_unref (expression);

  /* Setting the model selects item 0 and notifies; the plan exists, so
   * that connects, and the selection below reconnects if it differs.
   */
  adw_combo_row_set_model (self->account_row, G_LIST_MODEL (store));
  if (adw_combo_row_get_selected (self->account_row) != selected)
    adw_combo_row_set_selected (self->account_row, selected);
  else if (self->client == NULL && self->connect_cancellable == NULL)
    connect_account (self);

  /* A template lives in one account: it runs there. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->account_row), !is_template (self));

  update (self);
}

/**
 * jg_run_dialog_new:
 * @parent: (nullable): the window the dialog is modal for
 * @store: the accounts
 * @graph: the graph to run; the dialog submits copies of it
 *
 * Returns: (transfer none): the dialog, not shown yet; it belongs to GTK
 *   (destroyed when closed)
 */
JgRunDialog *
jg_run_dialog_new (GtkWindow      *parent,
                   JgAccountStore *store,
                   JgGraph        *graph)
{
  JgRunDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  self = g_object_new (JG_TYPE_RUN_DIALOG, NULL);
  self->plan = jg_run_plan_new (graph);
  setup (self, parent, store, jg_account_store_get_default_name (store));

  return self;
}

/**
 * jg_run_dialog_new_for_template:
 * @parent: (nullable): the window the dialog is modal for
 * @store: the accounts
 * @account_name: the account the template is in
 * @template_: the template, with its TaskTemplates
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
JgRunDialog *
jg_run_dialog_new_for_template (GtkWindow        *parent,
                                JgAccountStore   *store,
                                const char       *account_name,
                                JgRemoteTemplate *template_)
{
  JgRunDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (account_name != NULL, NULL);
  g_return_val_if_fail (template_ != NULL, NULL);

  self = g_object_new (JG_TYPE_RUN_DIALOG, NULL);
  self->plan = jg_run_plan_new_for_template (template_);
  setup (self, parent, store, account_name);

  return self;
}

/**
 * jg_run_dialog_get_plan:
 *
 * Returns: (transfer none): what the dialog would submit
 */
JgRunPlan *
jg_run_dialog_get_plan (JgRunDialog *self)
{
  g_return_val_if_fail (JG_IS_RUN_DIALOG (self), NULL);

  return self->plan;
}

/**
 * jg_run_dialog_get_client:
 *
 * Returns: (transfer none) (nullable): the chosen account's client, once
 *   connected
 */
JgClient *
jg_run_dialog_get_client (JgRunDialog *self)
{
  g_return_val_if_fail (JG_IS_RUN_DIALOG (self), NULL);

  return self->client;
}
