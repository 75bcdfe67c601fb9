/* jg-jobs-view.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-jobs-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "jg-jobs-view.h"
#include "jg-output-files-dialog.h"
#include "jg-service-window-private.h"

/* The list is a GtkListBox of AdwActionRows rather than a GtkListView: a
 * page holds at most 50 jobs, and rows that stay the same widgets across
 * refreshes keep their focus and the popovers the user has open while the
 * jobs on screen are polled.
 *
 * Polling: one list request for the page, then one tasks request for each
 * job on screen that is not final (its progress is the mean of its tasks'
 * progress). The next poll comes POLL_MIN_MS after a change and backs off
 * by half as much again each time nothing changed, up to POLL_MAX_MS. It
 * stops when no job on screen can change any more and while the view is
 * not mapped (another page, a hidden window).
 */

#define POLL_MIN_MS 2000
#define POLL_MAX_MS 15000

struct _JgJobsView
{
  GtkWidget        parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  GtkSearchEntry  *search_entry;
  GtkDropDown     *state_dropdown;
  GtkStack        *stack;
  AdwStatusPage   *empty_page;
  AdwStatusPage   *error_page;
  GtkListBox      *list_box;
  GtkWidget       *paging_bar;
  GtkLabel        *range_label;

  /* Owned references */
  JgClient        *client;
  GFile           *local_data_dir; /* when the client is the Local service's */
  /* Cancelled when the client changes and in dispose */
  GCancellable    *cancellable;
  /* The page request in flight and its tasks requests */
  GCancellable    *refresh_cancellable;
  /* The toast that says the last refresh failed, while it shows */
  AdwToast        *refresh_toast;

  /* job id → JobRow of the rows on screen; the rows own them */
  GHashTable      *rows;

  guint            page;
  gboolean         has_next;
  gboolean         loaded;

  guint            poll_id;
  guint            poll_interval;
  guint            n_pending;
  gboolean         changed;
};

/* What a row shows; owned by its row (object data). */
typedef struct
{
  JgRemoteJob *job;
  /* 0–1, or < 0 while the tasks have not been listed */
  double       progress;

  /* Children of the row, which owns them */
  GtkWidget   *row;
  GtkWidget   *state_label;
  /* Bar and percentage, or the percentage alone in a narrow window */
  GtkWidget   *progress_squeezer;
  GtkWidget   *progress_bar;
  GtkWidget   *progress_label;
  GtkWidget   *compact_label;
  /* A stack of the Cancel button and nothing, so that the columns of
   * final and running jobs line up
   */
  GtkWidget   *cancel_slot;
  GtkWidget   *cancel_button;
  GtkWidget   *menu_button;
} JobRow;

/* An operation: holds the view (and the job) until it ends. */
typedef struct
{
  JgJobsView   *self;
  JgRemoteJob  *job;
  /* For the requests of a refresh: the refresh's cancellable, to tell an
   * answer to a refresh since replaced
   */
  GCancellable *refresh;
  GPtrArray   *tasks;
  GPtrArray   *input_ids;
  GError      *error;
  guint        n_pending;
} JobOp;

enum
{
  OPEN_JOB,
  OPEN_GRAPH,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgJobsView, jg_jobs_view, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

/* The state dropdown's entries, "All" first; the titles are also the
 * states' names in the rows. Canceled includes jobs still canceling.
 */
static const struct
{
  const char *title;
  const char *filter;
} state_filters[] = {
  { N_("All"), NULL },
  { N_("Queued"), "State eq 0" },
  { N_("Scheduled"), "State eq 1" },
  { N_("Processing"), "State eq 2" },
  { N_("Finished"), "State eq 3" },
  { N_("Error"), "State eq 4" },
  { N_("Canceled"), "(State eq 5 or State eq 6)" },
};

static void start_refresh (JgJobsView *self,
                           gboolean    reset_poll);

/* Helpers */

static const char *
state_title (JgJobState state)
{
  if (state == JG_JOB_STATE_CANCELING)
    return _("Canceling");

  if (state >= JG_JOB_STATE_QUEUED && state <= JG_JOB_STATE_CANCELED)
    return _(state_filters[state + 1].title);

  return _("Unknown");
}

static const char *
state_style (JgJobState state)
{
  switch (state)
    {
    case JG_JOB_STATE_PROCESSING:
      return "accent";
    case JG_JOB_STATE_FINISHED:
      return "success";
    case JG_JOB_STATE_ERROR:
      return "error";
    case JG_JOB_STATE_CANCELED:
    case JG_JOB_STATE_CANCELING:
      return "warning";
    case JG_JOB_STATE_QUEUED:
    case JG_JOB_STATE_SCHEDULED:
    default:
      return NULL;
    }
}

static char *
dup_job_title (JgRemoteJob *job)
{
  if (job->name == NULL || job->name[0] == '\0')
    return g_strdup (_("Untitled Job"));

  return g_strdup (job->name);
}

static void
show_toast (JgJobsView *self,
            const char *message)
{
  _jg_service_show_toast (self->toast_overlay, message);
}

static JobOp *
job_op_new (JgJobsView  *self,
            JgRemoteJob *job)
{
  JobOp *op = g_new0 (JobOp, 1);

  op->self = g_object_ref (self);
  op->job = job != NULL ? jg_remote_job_ref (job) : NULL;

  return op;
}

static JobOp *
refresh_op_new (JgJobsView  *self,
                JgRemoteJob *job)
{
  JobOp *op = job_op_new (self, job);

  op->refresh = g_object_ref (self->refresh_cancellable);

  return op;
}

static gboolean
job_op_is_stale (JobOp *op)
{
  return op->refresh != op->self->refresh_cancellable;
}

static void
job_op_free (JobOp *op)
{
  g_clear_pointer (&op->tasks, g_ptr_array_unref);
  g_clear_pointer (&op->input_ids, g_ptr_array_unref);
  g_clear_error (&op->error);
  g_clear_object (&op->refresh);
  g_clear_pointer (&op->job, jg_remote_job_unref);
  g_object_unref (op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobOp, job_op_free)

static void
job_row_free (gpointer data)
{
  JobRow *job_row = data;

  g_clear_pointer (&job_row->job, jg_remote_job_unref);
  g_free (job_row);
}

static JobRow *
lookup_row (JgJobsView *self,
            GVariant   *parameter)
{
  return g_hash_table_lookup (self->rows, g_variant_get_string (parameter, NULL));
}

/* The row that has the keyboard focus, or holds it. */
static JobRow *
get_focus_row (JgJobsView *self)
{
  GtkRoot   *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->list_box))
    return NULL;

  return g_object_get_data (G_OBJECT (row), "jg-job-row");
}

static GMenuModel *
build_row_menu (JgRemoteJob *job)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) open_section = g_menu_new ();
  g_autoptr(GMenu) change_section = g_menu_new ();
  struct
  {
    GMenu      *section;
    const char *label;
    const char *action;
    gboolean    shown;
  } items[] = {
    { open_section, _("_Open"), "jobs.open", TRUE },
    { open_section, _("Open as _New Graph"), "jobs.open-graph", TRUE },
    { open_section, _("Output _Files…"), "jobs.output-files", TRUE },
    { change_section, _("_Cancel Job"), "jobs.cancel", !jg_job_state_is_final (job->state) },
    { change_section, _("_Delete Job…"), "jobs.delete", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (!items[i].shown)
        continue;

      item = g_menu_item_new (items[i].label, NULL);
      g_menu_item_set_action_and_target_value (item, items[i].action, g_variant_new_string (job->id));
      g_menu_append_item (items[i].section, item);
    }

  g_menu_append_section (menu, NULL, G_MENU_MODEL (open_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (change_section));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
job_row_show_progress (JobRow *job_row)
{
  JgJobState       state = job_row->job->state;
  double           fraction = job_row->progress;
  g_autofree char *percent = NULL;
  g_autofree char *description = NULL;

  /* A final job's tasks are not listed: a finished job is complete, a
   * failed or canceled one says so in its state alone.
   */
  if (state == JG_JOB_STATE_FINISHED)
    fraction = 1.0;

  gtk_widget_set_visible (job_row->progress_squeezer,
                          !jg_job_state_is_final (state) || state == JG_JOB_STATE_FINISHED);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (job_row->progress_bar), MAX (fraction, 0.0));

  if (fraction >= 0)
    {
      /* Translators: a job's progress; %d is a number from 0 to 100 */
      percent = g_strdup_printf (_("%d %%"), (int)(fraction * 100 + 0.5));
      /* Translators: how a job's row is described to screen readers, e.g. “Processing, 40 %” */
      description = g_strdup_printf (_("%s, %s"), state_title (state), percent);
    }

  gtk_label_set_label (GTK_LABEL (job_row->progress_label), percent != NULL ? percent : "");
  gtk_label_set_label (GTK_LABEL (job_row->compact_label), percent != NULL ? percent : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (job_row->row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : state_title (state),
                                  -1);
}

/* Shows @job in its row. Returns: whether anything the user sees changed. */
static gboolean
job_row_set_job (JobRow      *job_row,
                 JgRemoteJob *job)
{
  JgRemoteJob     *old = job_row->job;
  gboolean         state_changed = old == NULL || old->state != job->state;
  gboolean         changed = state_changed || g_strcmp0 (old->name, job->name) != 0;
  g_autofree char *title = dup_job_title (job);
  g_autofree char *created = _jg_service_format_date (job->created);
  const char      *style;

  job_row->job = jg_remote_job_ref (job);
  g_clear_pointer (&old, jg_remote_job_unref);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (job_row->row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (job_row->row), created != NULL ? created : "");

  if (state_changed)
    {
      g_autoptr(GMenuModel) menu = build_row_menu (job);

      gtk_label_set_label (GTK_LABEL (job_row->state_label), state_title (job->state));
      for (JgJobState state = JG_JOB_STATE_QUEUED; state <= JG_JOB_STATE_CANCELING; state++)
        if (state_style (state) != NULL)
          gtk_widget_remove_css_class (job_row->state_label, state_style (state));
      style = state_style (job->state);
      if (style != NULL)
        gtk_widget_add_css_class (job_row->state_label, style);

      gtk_stack_set_visible_child_name (GTK_STACK (job_row->cancel_slot),
                                        jg_job_state_is_final (job->state) ? "none" : "cancel");
      gtk_widget_set_sensitive (job_row->cancel_button, job->state != JG_JOB_STATE_CANCELING);
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (job_row->menu_button), menu);
    }

  job_row_show_progress (job_row);

  return changed;
}

static gboolean
job_row_set_progress (JobRow *job_row,
                      double  progress)
{
  /* Whole percents: a change the user cannot see is no reason to poll
   * sooner.
   */
  if (job_row->progress >= 0 && (int)(job_row->progress * 100 + 0.5) == (int)(progress * 100 + 0.5))
    return FALSE;

  job_row->progress = progress;
  job_row_show_progress (job_row);

  return TRUE;
}

static GtkWidget *
new_icon_button (const char *icon_name,
                 const char *tooltip,
                 const char *action_name,
                 const char *job_id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (job_id));

  return button;
}

static void
row_context_cb (GtkGesture *gesture,
                int         n_press,
                double      x,
                double      y,
                GtkWidget  *menu_button)
{
  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
}

static void
row_long_press_cb (GtkGesture *gesture,
                   double      x,
                   double      y,
                   GtkWidget  *menu_button)
{
  row_context_cb (gesture, 1, x, y, menu_button);
}

static GtkWidget *
new_percent_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_width_chars (GTK_LABEL (label), 5);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");

  return label;
}

static JobRow *
job_row_new (JgRemoteJob *job)
{
  JobRow     *job_row = g_new0 (JobRow, 1);
  GtkWidget  *box;
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  job_row->progress = -1;
  job_row->row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (job_row->row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (job_row->row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (job_row->row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (job_row->row), TRUE);
  g_object_set_data_full (G_OBJECT (job_row->row), "jg-job-row", job_row, job_row_free);

  job_row->progress_bar = gtk_progress_bar_new ();
  gtk_widget_set_valign (job_row->progress_bar, GTK_ALIGN_CENTER);
  job_row->progress_label = new_percent_label ();
  job_row->compact_label = new_percent_label ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), job_row->progress_bar);
  gtk_box_append (GTK_BOX (box), job_row->progress_label);

  /* A narrow window keeps room for the job's name: the bar goes first. */
  job_row->progress_squeezer = adw_squeezer_new ();
  adw_squeezer_set_homogeneous (ADW_SQUEEZER (job_row->progress_squeezer), FALSE);
  adw_squeezer_set_transition_type (ADW_SQUEEZER (job_row->progress_squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_set_switch_threshold_policy (ADW_SQUEEZER (job_row->progress_squeezer), ADW_FOLD_THRESHOLD_POLICY_NATURAL);
  adw_squeezer_set_xalign (ADW_SQUEEZER (job_row->progress_squeezer), 1.0);
  gtk_widget_set_valign (job_row->progress_squeezer, GTK_ALIGN_CENTER);
  adw_squeezer_add (ADW_SQUEEZER (job_row->progress_squeezer), box);
  adw_squeezer_add (ADW_SQUEEZER (job_row->progress_squeezer), job_row->compact_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (job_row->row), job_row->progress_squeezer);

  job_row->state_label = gtk_label_new (NULL);
  gtk_label_set_width_chars (GTK_LABEL (job_row->state_label), 10);
  gtk_widget_set_valign (job_row->state_label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (job_row->state_label, "state-pill");
  adw_action_row_add_suffix (ADW_ACTION_ROW (job_row->row), job_row->state_label);

  job_row->cancel_button = new_icon_button ("process-stop-symbolic", _("Cancel Job"), "jobs.cancel", job->id);
  job_row->cancel_slot = gtk_stack_new ();
  gtk_widget_set_valign (job_row->cancel_slot, GTK_ALIGN_CENTER);
  gtk_stack_add_named (GTK_STACK (job_row->cancel_slot), job_row->cancel_button, "cancel");
  gtk_stack_add_named (GTK_STACK (job_row->cancel_slot), gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0), "none");
  adw_action_row_add_suffix (ADW_ACTION_ROW (job_row->row), job_row->cancel_slot);
  adw_action_row_add_suffix (ADW_ACTION_ROW (job_row->row),
                             new_icon_button ("user-trash-symbolic", _("Delete Job…"), "jobs.delete", job->id));

  job_row->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (job_row->menu_button), "view-more-symbolic");
  gtk_widget_set_tooltip_text (job_row->menu_button, _("More Actions"));
  gtk_widget_set_valign (job_row->menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (job_row->menu_button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (job_row->row), job_row->menu_button);

  /* The context menu is the "More Actions" menu. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (row_context_cb), job_row->menu_button, 0);
  gtk_widget_add_controller (job_row->row, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_object (long_press, "pressed", G_CALLBACK (row_long_press_cb), job_row->menu_button, 0);
  gtk_widget_add_controller (job_row->row, GTK_EVENT_CONTROLLER (long_press));

  job_row_set_job (job_row, job);

  return job_row;
}

static void
remove_row (JgJobsView *self,
            JobRow     *job_row)
{
  GtkWidget *row = job_row->row;

  /* The row owns job_row and its id: out of the table first. */
  g_hash_table_remove (self->rows, job_row->job->id);
  gtk_list_box_remove (self->list_box, row);
}

/* Makes the rows show @jobs, in order, reusing the rows of jobs already
 * shown. Returns: whether anything changed.
 */
static gboolean
update_rows (JgJobsView *self,
             GPtrArray  *jobs)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  gboolean       changed = FALSE;
  GHashTableIter iter;
  JobRow        *job_row;

  for (guint i = 0; i < jobs->len; i++)
    g_hash_table_add (wanted, ((JgRemoteJob *)g_ptr_array_index (jobs, i))->id);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&job_row))
    if (!g_hash_table_contains (wanted, job_row->job->id))
      g_ptr_array_add (gone, job_row);

  for (guint i = 0; i < gone->len; i++)
    remove_row (self, g_ptr_array_index (gone, i));
  changed = gone->len > 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      JgRemoteJob   *job = g_ptr_array_index (jobs, i);
      GtkListBoxRow *at = gtk_list_box_get_row_at_index (self->list_box, i);

      job_row = g_hash_table_lookup (self->rows, job->id);

      if (job_row != NULL && GTK_WIDGET (at) == job_row->row)
        {
          changed |= job_row_set_job (job_row, job);
          continue;
        }

      /* Newest first: new jobs come in at the top and the others keep
       * their order, so moving a row is rare (a job renamed under a sort
       * by name would be one).
       */
      if (job_row != NULL)
        {
          g_object_ref (job_row->row);
          gtk_list_box_remove (self->list_box, job_row->row);
          gtk_list_box_insert (self->list_box, job_row->row, i);
          g_object_unref (job_row->row);
          job_row_set_job (job_row, job);
        }
      else
        {
          job_row = job_row_new (job);
          g_hash_table_insert (self->rows, g_strdup (job->id), job_row);
          gtk_list_box_insert (self->list_box, job_row->row, i);
        }

      changed = TRUE;
    }

  return changed;
}

static gboolean
has_active_rows (JgJobsView *self)
{
  GHashTableIter iter;
  JobRow        *job_row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&job_row))
    if (!jg_job_state_is_final (job_row->job->state))
      return TRUE;

  return FALSE;
}

static gboolean
is_filtered (JgJobsView *self)
{
  return gtk_drop_down_get_selected (self->state_dropdown) != 0 ||
         gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0';
}

static void
update_state (JgJobsView *self)
{
  guint n_rows = g_hash_table_size (self->rows);

  if (n_rows > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (self->loaded)
    {
      if (is_filtered (self))
        {
          adw_status_page_set_title (self->empty_page, _("No Matching Jobs"));
          adw_status_page_set_description (self->empty_page, _("Try another state or name"));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Jobs"));
          adw_status_page_set_description (self->empty_page,
                                           _("Jobs run on this account from a graph or a template appear here"));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  if (n_rows > 0)
    {
      guint            first = self->page * JG_JOBS_VIEW_PAGE_SIZE + 1;
      /* Translators: the jobs shown on this page, e.g. “51–100” */
      g_autofree char *range = g_strdup_printf (_("%u–%u"), first, first + n_rows - 1);

      gtk_label_set_label (self->range_label, range);
    }

  gtk_widget_set_visible (self->paging_bar, self->page > 0 || self->has_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.previous-page", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.next-page", self->has_next);
}

static void
schedule_poll (JgJobsView *self,
               gboolean    changed);

static gboolean
poll_cb (gpointer user_data)
{
  JgJobsView *self = user_data;

  self->poll_id = 0;
  start_refresh (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (JgJobsView *self,
               gboolean    changed)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);

  if (changed)
    self->poll_interval = POLL_MIN_MS;
  else
    self->poll_interval = MIN (self->poll_interval * 3 / 2, POLL_MAX_MS);

  if (!has_active_rows (self) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  self->poll_id = g_timeout_add (self->poll_interval, poll_cb, self);
}

static void
refresh_toast_dismissed_cb (JgJobsView *self,
                            AdwToast   *toast)
{
  if (self->refresh_toast == toast)
    g_clear_object (&self->refresh_toast);
}

static void
show_refresh_error (JgJobsView   *self,
                    const GError *error)
{
  g_autofree char *message = NULL;

  if (!self->loaded)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  /* The rows stay as they were. A poll that keeps failing updates one
   * toast rather than stacking new ones.
   */
  message = g_strdup_printf (_("Could not refresh the jobs: %s"), error->message);
  if (self->refresh_toast != NULL)
    {
      adw_toast_set_title (self->refresh_toast, message);
      return;
    }

  self->refresh_toast = adw_toast_new (message);
  adw_toast_set_priority (self->refresh_toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (self->refresh_toast, 0);
  adw_toast_set_button_label (self->refresh_toast, _("_Retry"));
  adw_toast_set_action_name (self->refresh_toast, "jobs.refresh");
  g_signal_connect_object (self->refresh_toast, "dismissed", G_CALLBACK (refresh_toast_dismissed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->refresh_toast));
}

static void
clear_refresh_error (JgJobsView *self)
{
  if (self->refresh_toast != NULL)
    {
      g_autoptr(AdwToast) toast = g_steal_pointer (&self->refresh_toast);

      adw_toast_dismiss (toast);
    }
}

static void
finish_pending (JgJobsView *self)
{
  g_assert (self->n_pending > 0);

  if (--self->n_pending == 0)
    schedule_poll (self, self->changed);
}

/* Callbacks */

static void
list_tasks_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JobOp) op = user_data;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  JgJobsView *self = op->self;
  JobRow     *job_row;
  double      sum = 0;

  tasks = jg_client_list_job_tasks_finish (JG_CLIENT (object), result, &error);
  if (job_op_is_stale (op))
    return;

  /* A job deleted since, or a failed request, keeps the progress shown;
   * the page request says what went wrong if the service did.
   */
  job_row = g_hash_table_lookup (self->rows, op->job->id);
  if (tasks != NULL && job_row != NULL)
    {
      for (guint i = 0; i < tasks->len; i++)
        sum += ((JgRemoteTask *)g_ptr_array_index (tasks, i))->progress;

      self->changed |= job_row_set_progress (job_row, tasks->len > 0 ? sum / tasks->len / 100.0 : 0.0);
    }

  finish_pending (self);
}

static void
list_jobs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JobOp) op = user_data;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  JgJobsView *self = op->self;

  jobs = jg_client_list_jobs_finish (JG_CLIENT (object), result, &error);
  if (job_op_is_stale (op))
    return;

  if (jobs == NULL)
    {
      show_refresh_error (self, error);
      schedule_poll (self, FALSE);
      return;
    }

  clear_refresh_error (self);

  /* A page emptied by deletions elsewhere: show the one before. */
  if (jobs->len == 0 && self->page > 0)
    {
      self->page--;
      start_refresh (self, TRUE);
      return;
    }

  /* One job more than a page was asked for, to know if a next page exists. */
  self->has_next = jobs->len > JG_JOBS_VIEW_PAGE_SIZE;
  if (self->has_next)
    g_ptr_array_set_size (jobs, JG_JOBS_VIEW_PAGE_SIZE);

  self->changed = update_rows (self, jobs) || !self->loaded;
  self->loaded = TRUE;
  update_state (self);

  /* The pending count holds one for this callback, so that the poll is
   * scheduled once, after the last tasks request.
   */
  self->n_pending = 1;
  for (guint i = 0; i < jobs->len; i++)
    {
      JgRemoteJob *job = g_ptr_array_index (jobs, i);

      if (jg_job_state_is_final (job->state))
        continue;

      self->n_pending++;
      jg_client_list_job_tasks_async (self->client, job->id, self->refresh_cancellable, list_tasks_cb,
                                      refresh_op_new (self, job));
    }

  finish_pending (self);
}

static void
start_refresh (JgJobsView *self,
               gboolean    reset_poll)
{
  g_autofree char *filter = NULL;
  JgListOptions    options = { 0 };
  GString         *text = g_string_new (NULL);
  guint            state = gtk_drop_down_get_selected (self->state_dropdown);
  g_autofree char *search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  self->n_pending = 0;

  if (reset_poll)
    self->poll_interval = POLL_MIN_MS;

  if (self->client == NULL)
    {
      g_string_free (text, TRUE);
      return;
    }

  if (state < G_N_ELEMENTS (state_filters) && state_filters[state].filter != NULL)
    g_string_append (text, state_filters[state].filter);

  if (search[0] != '\0')
    {
      /* substringof() compares case-sensitively; lowering both sides
       * finds “Encode” when the user types “encode”. jg_odata_quote()
       * doubles the quotes in what the user typed.
       */
      g_autofree char *lower = g_utf8_strdown (search, -1);
      g_autofree char *quoted = jg_odata_quote (lower);

      if (text->len > 0)
        g_string_append (text, " and ");
      g_string_append_printf (text, "substringof(%s, tolower(Name))", quoted);
    }

  filter = g_string_free (text, text->len == 0);
  options.filter = filter;
  options.orderby = "Created desc";
  options.skip = self->page * JG_JOBS_VIEW_PAGE_SIZE;
  options.top = JG_JOBS_VIEW_PAGE_SIZE + 1;

  self->refresh_cancellable = g_cancellable_new ();
  jg_client_list_jobs_async (self->client, &options, self->refresh_cancellable, list_jobs_cb,
                             refresh_op_new (self, NULL));
}

/* A change of the state or the search starts again at the first page. */
static void
query_changed_cb (JgJobsView *self)
{
  self->page = 0;
  start_refresh (self, TRUE);
}

static void
stop_search_cb (JgJobsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
row_activated_cb (JgJobsView    *self,
                  GtkListBoxRow *row)
{
  JobRow *job_row = g_object_get_data (G_OBJECT (row), "jg-job-row");

  if (job_row != NULL)
    g_signal_emit (self, signals[OPEN_JOB], 0, job_row->job->id);
}

static void
cancel_job_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JobOp) op = user_data;
  g_autoptr(GError) error = NULL;

  if (!jg_client_cancel_job_finish (JG_CLIENT (object), result, &error))
    {
      g_autofree char *title = NULL;
      g_autofree char *message = NULL;
      JobRow          *job_row;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      job_row = g_hash_table_lookup (op->self->rows, op->job->id);
      if (job_row != NULL)
        gtk_widget_set_sensitive (job_row->cancel_button, TRUE);

      title = dup_job_title (op->job);
      message = g_strdup_printf (_("Could not cancel “%s”: %s"), title, error->message);
      show_toast (op->self, message);
      return;
    }

  start_refresh (op->self, TRUE);
}

static void
delete_job_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JobOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = dup_job_title (op->job);
  g_autofree char *message = NULL;
  JobRow          *job_row;

  if (!jg_client_delete_job_finish (JG_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not delete “%s”: %s"), title, error->message);
      show_toast (op->self, message);
      return;
    }

  job_row = g_hash_table_lookup (op->self->rows, op->job->id);
  if (job_row != NULL)
    remove_row (op->self, job_row);

  message = g_strdup_printf (_("Deleted “%s”"), title);
  show_toast (op->self, message);
  update_state (op->self);

  /* The next job moves up into the page. */
  start_refresh (op->self, TRUE);
}

static void
confirm_delete_cb (gpointer data)
{
  JobOp *op = data;

  if (op->self->client == NULL)
    return;

  jg_client_delete_job_async (op->self->client, op->job->id, op->self->cancellable, delete_job_cb,
                              job_op_new (op->self, op->job));
}

static void
open_graph_done (JobOp *op)
{
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = dup_job_title (op->job);

  if (--op->n_pending > 0)
    return;

  if (g_error_matches (op->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      job_op_free (op);
      return;
    }

  if (op->error == NULL)
    graph = jg_remote_job_build_graph (op->job, op->tasks, op->input_ids, &error);

  if (graph == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open “%s” as a graph: %s"), title,
                                                  (op->error != NULL ? op->error : error)->message);

      show_toast (op->self, message);
    }
  else
    g_signal_emit (op->self, signals[OPEN_GRAPH], 0, graph, title);

  job_op_free (op);
}

static void
open_graph_tasks_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  JobOp  *op = user_data;
  GError *error = NULL;

  op->tasks = jg_client_list_job_tasks_finish (JG_CLIENT (object), result, &error);
  if (error != NULL && op->error == NULL)
    op->error = error;
  else
    g_clear_error (&error);

  open_graph_done (op);
}

static void
open_graph_inputs_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  JobOp     *op = user_data;
  GError    *error = NULL;
  GPtrArray *assets = jg_client_list_job_input_assets_finish (JG_CLIENT (object), result, &error);

  if (assets != NULL)
    {
      op->input_ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < assets->len; i++)
        g_ptr_array_add (op->input_ids, g_strdup (((JgRemoteAsset *)g_ptr_array_index (assets, i))->id));
      g_ptr_array_unref (assets);
    }

  if (error != NULL && op->error == NULL)
    op->error = error;
  else
    g_clear_error (&error);

  open_graph_done (op);
}

/* Actions */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgJobsView *self = JG_JOBS_VIEW (widget);
  JobRow     *job_row = lookup_row (self, parameter);

  if (job_row != NULL)
    g_signal_emit (self, signals[OPEN_JOB], 0, job_row->job->id);
}

static void
open_graph_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  JgJobsView *self = JG_JOBS_VIEW (widget);
  JobRow     *job_row = lookup_row (self, parameter);
  JobOp      *op;

  if (job_row == NULL || self->client == NULL)
    return;

  op = job_op_new (self, job_row->job);
  op->n_pending = 2;
  jg_client_list_job_tasks_async (self->client, op->job->id, self->cancellable, open_graph_tasks_cb, op);
  jg_client_list_job_input_assets_async (self->client, op->job->id, self->cancellable, open_graph_inputs_cb, op);
}

static void
output_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  JgJobsView      *self = JG_JOBS_VIEW (widget);
  JobRow          *job_row = lookup_row (self, parameter);
  GtkRoot         *root = gtk_widget_get_root (widget);
  g_autofree char *title = NULL;
  GtkWidget       *dialog;

  if (job_row == NULL || self->client == NULL)
    return;

  title = dup_job_title (job_row->job);
  dialog = jg_output_files_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->client,
                                       job_row->job->id, title, self->local_data_dir);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  JgJobsView *self = JG_JOBS_VIEW (widget);
  JobRow     *job_row = lookup_row (self, parameter);

  if (job_row == NULL || self->client == NULL || jg_job_state_is_final (job_row->job->state))
    return;

  /* Until the service answers: a second click would only fail. */
  gtk_widget_set_sensitive (job_row->cancel_button, FALSE);
  jg_client_cancel_job_async (self->client, job_row->job->id, self->cancellable, cancel_job_cb,
                              job_op_new (self, job_row->job));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  JgJobsView      *self = JG_JOBS_VIEW (widget);
  JobRow          *job_row = lookup_row (self, parameter);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (job_row == NULL || self->client == NULL)
    return;

  title = dup_job_title (job_row->job);
  if (jg_job_state_is_final (job_row->job->state))
    body = g_strdup_printf (_("“%s” will be removed from the account. Its output assets are kept."), title);
  else
    body = g_strdup_printf (_("“%s” has not finished: it will be stopped and removed from the account. "
                              "Its output assets are kept."), title);

  _jg_service_confirm_delete (GTK_WIDGET (self), _("Delete Job?"), body, confirm_delete_cb,
                              job_op_new (self, job_row->job), (GDestroyNotify)job_op_free);
}

/* The keyboard's way to the row actions: Delete and the menu key act on
 * the row with the focus.
 */
static void
delete_focused_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  JobRow *job_row = get_focus_row (JG_JOBS_VIEW (widget));

  if (job_row != NULL)
    gtk_widget_activate_action (widget, "jobs.delete", "s", job_row->job->id);
}

static void
menu_focused_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  JobRow *job_row = get_focus_row (JG_JOBS_VIEW (widget));

  if (job_row != NULL)
    gtk_menu_button_popup (GTK_MENU_BUTTON (job_row->menu_button));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (JG_JOBS_VIEW (widget)->search_entry));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  jg_jobs_view_refresh (JG_JOBS_VIEW (widget));
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgJobsView *self = JG_JOBS_VIEW (widget);

  if (g_str_equal (action_name, "jobs.next-page"))
    {
      if (!self->has_next)
        return;
      self->page++;
    }
  else
    {
      if (self->page == 0)
        return;
      self->page--;
    }

  start_refresh (self, TRUE);
}

/* Vfuncs */

static void
jg_jobs_view_map (GtkWidget *widget)
{
  JgJobsView *self = JG_JOBS_VIEW (widget);

  GTK_WIDGET_CLASS (jg_jobs_view_parent_class)->map (widget);

  /* Back on screen: what changed meanwhile, and polling again. */
  if (self->loaded)
    start_refresh (self, TRUE);
}

static void
jg_jobs_view_unmap (GtkWidget *widget)
{
  JgJobsView *self = JG_JOBS_VIEW (widget);

  g_clear_handle_id (&self->poll_id, g_source_remove);

  GTK_WIDGET_CLASS (jg_jobs_view_parent_class)->unmap (widget);
}

static void
jg_jobs_view_dispose (GObject *object)
{
  JgJobsView *self = JG_JOBS_VIEW (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->refresh_toast);
  g_hash_table_remove_all (self->rows);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_JOBS_VIEW);
  g_clear_object (&self->client);
  g_clear_object (&self->local_data_dir);

  G_OBJECT_CLASS (jg_jobs_view_parent_class)->dispose (object);
}

static void
jg_jobs_view_finalize (GObject *object)
{
  JgJobsView *self = JG_JOBS_VIEW (object);

  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (jg_jobs_view_parent_class)->finalize (object);
}

static void
jg_jobs_view_class_init (JgJobsViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_jobs_view_dispose;
  object_class->finalize = jg_jobs_view_finalize;
  widget_class->map = jg_jobs_view_map;
  widget_class->unmap = jg_jobs_view_unmap;

  /**
   * JgJobsView::open-job:
   * @job_id: the job the user opened
   */
  signals[OPEN_JOB] = g_signal_new ("open-job",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1,
                                    G_TYPE_STRING);

  /**
   * JgJobsView::open-graph:
   * @graph: a new graph of the job's tasks, laid out
   * @title: the job's name
   */
  signals[OPEN_GRAPH] = g_signal_new ("open-graph",
                                      G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 2,
                                      JG_TYPE_GRAPH,
                                      G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-jobs-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, stack);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, list_box);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, paging_bar);
  gtk_widget_class_bind_template_child (widget_class, JgJobsView, range_label);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "jobs.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "jobs.open-graph", "s", open_graph_action);
  gtk_widget_class_install_action (widget_class, "jobs.output-files", "s", output_files_action);
  gtk_widget_class_install_action (widget_class, "jobs.cancel", "s", cancel_action);
  gtk_widget_class_install_action (widget_class, "jobs.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "jobs.delete-focused", NULL, delete_focused_action);
  gtk_widget_class_install_action (widget_class, "jobs.menu-focused", NULL, menu_focused_action);
  gtk_widget_class_install_action (widget_class, "jobs.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "jobs.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "jobs.previous-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "jobs.next-page", NULL, page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "jobs.delete-focused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "jobs.delete-focused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "jobs.menu-focused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "jobs.menu-focused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "jobs.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_ALT_MASK, "jobs.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK, "jobs.next-page", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "jobsview");
}

static void
jg_jobs_view_init (JgJobsView *self)
{
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);

  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->poll_interval = POLL_MIN_MS;

  gtk_widget_init_template (GTK_WIDGET (self));
  _jg_service_ensure_style (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (state_filters); i++)
    gtk_string_list_append (states, _(state_filters[i].title));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));
  gtk_drop_down_set_selected (self->state_dropdown, 0);

  update_state (self);
}

GtkWidget *
jg_jobs_view_new (void)
{
  return g_object_new (JG_TYPE_JOBS_VIEW, NULL);
}

/**
 * jg_jobs_view_get_client:
 *
 * Returns: (transfer none) (nullable): the client whose jobs are listed
 */
JgClient *
jg_jobs_view_get_client (JgJobsView *self)
{
  g_return_val_if_fail (JG_IS_JOBS_VIEW (self), NULL);

  return self->client;
}

/**
 * jg_jobs_view_set_client:
 * @client: (nullable): the account's client
 *
 * Lists the jobs of @client's account from the first page, with the state
 * and search the user chose. Operations on the previous account's jobs
 * still running are cancelled.
 */
void
jg_jobs_view_set_client (JgJobsView *self,
                         JgClient   *client)
{
  GList *rows;

  g_return_if_fail (JG_IS_JOBS_VIEW (self));
  g_return_if_fail (client == NULL || JG_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->client, client);
  clear_refresh_error (self);

  rows = g_hash_table_get_values (self->rows);
  for (GList *l = rows; l != NULL; l = l->next)
    remove_row (self, l->data);
  g_list_free (rows);

  self->page = 0;
  self->has_next = FALSE;
  self->loaded = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_state (self);

  start_refresh (self, TRUE);
}

/**
 * jg_jobs_view_refresh:
 *
 * Lists the page again now, and polls from the shortest interval.
 */
void
jg_jobs_view_refresh (JgJobsView *self)
{
  g_return_if_fail (JG_IS_JOBS_VIEW (self));

  if (!self->loaded && self->client != NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  start_refresh (self, TRUE);
}

/**
 * jg_jobs_view_set_local_data_dir:
 * @dir: (nullable): the Local service's data folder when the view's client
 *   talks to it, else %NULL
 *
 * Lets "Output Files" open the folder of an asset's files.
 */
void
jg_jobs_view_set_local_data_dir (JgJobsView *self,
                                 GFile      *dir)
{
  g_return_if_fail (JG_IS_JOBS_VIEW (self));
  g_return_if_fail (dir == NULL || G_IS_FILE (dir));

  g_set_object (&self->local_data_dir, dir);
}
