/* test-run-dialog.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Run dialog and the asset picker with real widgets against a real
 * jobgraph-emulator: one job run to Finished, one job per asset, $batch,
 * a graph with an error, 503s from a faulty service, cancel mid-way, and
 * the picker with more than 1,000 assets. With JOBGRAPH_SCREENSHOT_DIR set,
 * the tests also save PNGs of what they show (light and dark).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "jg-asset-picker.h"
#include "jg-run-dialog.h"
#include "ui-test-service.h"
#include "ui-test-util.h"

/* Helpers */

static JgGraph *
load_example (void)
{
  const char      *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  g_autofree char *path = g_build_filename (srcdir != NULL ? srcdir : "..", "examples", "chained-encode.jobgraph",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  JgGraph *graph = jg_document_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);

  return graph;
}

/* Puts @n small files named @prefix-NNNN.mp4 in @dir, which the emulator
 * seeds as assets when it starts.
 */
static void
put_asset_files (const char *dir,
                 const char *prefix,
                 guint       n)
{
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%04u.mp4", prefix, i + 1);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, "not really media", -1, &error);
      g_assert_no_error (error);
    }
}

static void
put_local_assets (UiTestService *service,
                  const char    *prefix,
                  guint          n)
{
  g_autofree char *dir = ui_test_service_dup_assets_dir (service);

  put_asset_files (dir, prefix, n);
}

static void
maybe_screenshot (GtkWidget  *widget,
                  const char *name)
{
  const char      *dir = g_getenv ("JOBGRAPH_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int              width, height;

  if (dir == NULL)
    return;

  /* Past the stacks' crossfades. */
  for (gint64 end = g_get_monotonic_time () + 400 * G_TIME_SPAN_MILLISECOND; g_get_monotonic_time () < end;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* The button labelled @label (mnemonic included) under @widget. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Clicks @button as the pointer would: it must be shown and sensitive.
 * (gtk_widget_activate() delays ::clicked for its pressed look.)
 */
static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  ui_test_settle ();
}

typedef struct
{
  GPtrArray *ids;
  GPtrArray *names;
  JgClient  *client;
} Submitted;

static void
job_submitted_cb (JgRunDialog *dialog,
                  JgClient    *client,
                  const char  *job_id,
                  const char  *job_name,
                  Submitted   *submitted)
{
  g_assert_true (JG_IS_CLIENT (client));
  g_assert_true (g_str_has_prefix (job_id, "nb:jid:"));
  g_ptr_array_add (submitted->ids, g_strdup (job_id));
  g_ptr_array_add (submitted->names, g_strdup (job_name));
  submitted->client = client;
}

static void
submitted_clear (Submitted *submitted)
{
  g_ptr_array_unref (submitted->ids);
  g_ptr_array_unref (submitted->names);
}

static Submitted
submitted_init (void)
{
  Submitted submitted = {
    g_ptr_array_new_with_free_func (g_free),
    g_ptr_array_new_with_free_func (g_free),
    NULL,
  };

  return submitted;
}

static gboolean
dialog_connected (gpointer data)
{
  return jg_run_dialog_get_client (data) != NULL;
}

static JgRunDialog *
open_dialog (UiTestService *service,
             JgGraph       *graph)
{
  JgRunDialog *dialog = jg_run_dialog_new (NULL, service->store, graph);

  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_test_wait_mapped (GTK_WIDGET (dialog), 10);
  ui_test_wait_until (dialog_connected, dialog, 60, "the dialog's client");
  ui_test_settle ();

  return dialog;
}

static void
close_dialog (JgRunDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  ui_test_settle ();
  g_object_unref (dialog);
}

static GtkWindow *
find_picker_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_object_get_data (G_OBJECT (window), "picker") != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
has_picker_window (gpointer data)
{
  return find_picker_window () != NULL;
}

static gboolean
picker_loaded (gpointer data)
{
  JgAssetPicker *picker = data;

  return !jg_asset_picker_get_loading (picker) && jg_asset_picker_get_n_assets (picker) > 0;
}

/* Clicks @button (a "Choose…" button), selects the assets whose names
 * contain @search (all of them, or the first in single mode) and presses
 * Select, as a user would.
 */
static void
choose_assets (GtkWidget  *button,
               const char *search,
               guint       expected)
{
  GtkWindow     *window;
  JgAssetPicker *picker;

  click (button);
  ui_test_wait_until (has_picker_window, NULL, 5, "the asset picker");
  window = find_picker_window ();
  picker = g_object_get_data (G_OBJECT (window), "picker");
  ui_test_wait_mapped (GTK_WIDGET (picker), 5);
  ui_test_wait_until (picker_loaded, picker, 30, "the assets");

  jg_asset_picker_set_search (picker, search);
  ui_test_settle ();
  if (jg_asset_picker_get_multiple (picker))
    click (find_button (GTK_WIDGET (picker), "Select _All"));
  else
    {
      g_autoptr(GtkSelectionModel) model = NULL;

      g_object_get (ui_test_find_descendant (GTK_WIDGET (picker), GTK_TYPE_LIST_VIEW), "model", &model, NULL);
      gtk_selection_model_select_item (model, 0, TRUE);
    }
  g_assert_cmpuint (jg_asset_picker_get_n_selected (picker), ==, expected);
  maybe_screenshot (GTK_WIDGET (window), "asset-picker.png");

  click (gtk_window_get_default_widget (window));
  g_assert_null (find_picker_window ());
}

static GtkWidget *
run_button (JgRunDialog *dialog)
{
  return find_button (GTK_WIDGET (dialog), "_Run");
}

static gboolean
submission_done (gpointer data)
{
  return find_button (GTK_WIDGET (data), "C_lose") != NULL;
}

static GPtrArray *
list_jobs (JgClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JgListOptions options = { 0 };
  GPtrArray *jobs;

  jg_client_list_jobs_async (client, &options, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the jobs");
  jobs = jg_client_list_jobs_finish (client, result, &error);
  g_assert_no_error (error);

  return jobs;
}

typedef struct
{
  JgClient   *client;
  const char *job_id;
  JgJobState  state;
  gboolean    asking;
} JobPoll;

static void
job_got_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  JobPoll *poll = user_data;
  g_autoptr(JgRemoteJob) job = jg_client_get_job_finish (JG_CLIENT (object), result, NULL);

  if (job != NULL)
    poll->state = job->state;
  poll->asking = FALSE;
}

static gboolean
job_is_final (gpointer data)
{
  JobPoll *poll = data;

  if (jg_job_state_is_final (poll->state))
    return TRUE;

  if (!poll->asking)
    {
      poll->asking = TRUE;
      jg_client_get_job_async (poll->client, poll->job_id, NULL, job_got_cb, poll);
    }

  return FALSE;
}

/* Tests */

static void
test_one_job (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgGraph) graph = load_example ();
  Submitted        submitted = submitted_init ();
  JgRunDialog     *dialog;
  GtkWidget       *choose;
  JobPoll          poll = { 0 };

  put_local_assets (service, "sample", 1);
  dialog = open_dialog (service, graph);
  g_signal_connect (dialog, "job-submitted", G_CALLBACK (job_submitted_cb), &submitted);

  /* Nothing bound: Run is off and the dialog says which input. */
  g_assert_false (gtk_widget_get_sensitive (run_button (dialog)));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "Choose an asset for JobInputAsset(0) “Mezzanine”."));
  maybe_screenshot (GTK_WIDGET (dialog), "run-dialog-unbound.png");

  choose = find_button (GTK_WIDGET (dialog), "C_hoose…");
  g_assert_nonnull (choose);
  choose_assets (choose, "sample", 1);

  g_assert_true (gtk_widget_get_sensitive (run_button (dialog)));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "sample-0001.mp4"));
  g_assert_nonnull (ui_test_find_label_prefix (GTK_WIDGET (dialog), "1 job × 2 tasks, output named “NewTestJob Smooth 720p”"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "Job name: “NewTestJob – sample-0001.mp4”"));
  maybe_screenshot (GTK_WIDGET (dialog), "run-dialog-setup.png");

  click (run_button (dialog));
  ui_test_wait_until (submission_done, dialog, 60, "the submission");
  g_assert_cmpuint (submitted.ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (submitted.names, 0), ==, "NewTestJob – sample-0001.mp4");
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "1 of 1 job submitted"));
  {
    g_autofree char *detail = g_strdup_printf ("Submitted as %s", (char *)g_ptr_array_index (submitted.ids, 0));

    g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), detail));
  }
  maybe_screenshot (GTK_WIDGET (dialog), "run-dialog-progress.png");

  poll.client = submitted.client;
  poll.job_id = g_ptr_array_index (submitted.ids, 0);
  poll.state = JG_JOB_STATE_QUEUED;
  ui_test_wait_until (job_is_final, &poll, 90, "the job to finish");
  while (poll.asking)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (poll.state, ==, JG_JOB_STATE_FINISHED);

  close_dialog (dialog);
  submitted_clear (&submitted);
}

/* Runs one job per asset on the @n assets named @prefix-*, with @batch;
 * returns the dialog, done.
 */
static JgRunDialog *
run_per_asset (UiTestService *service,
               JgGraph       *graph,
               guint          account,
               const char    *prefix,
               guint          n,
               gboolean       batch,
               Submitted     *submitted)
{
  JgRunDialog *dialog = open_dialog (service, graph);
  GtkSwitch   *per_asset;
  g_autofree char *plan = NULL;

  g_signal_connect (dialog, "job-submitted", G_CALLBACK (job_submitted_cb), submitted);

  if (account != 0)
    {
      AdwComboRow *row = ADW_COMBO_ROW (ui_test_find_descendant (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW));

      adw_combo_row_set_selected (row, account);
      ui_test_wait_until (dialog_connected, dialog, 30, "the other account");
    }

  /* The first switch is "One job per asset", the second "$batch". */
  per_asset = GTK_SWITCH (ui_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SWITCH));
  gtk_switch_set_active (per_asset, TRUE);
  ui_test_settle ();
  if (batch)
    {
      GtkWidget *batch_row = GTK_WIDGET (ui_test_find_label_prefix (GTK_WIDGET (dialog), "Submit as"));
      GtkWidget *row = gtk_widget_get_ancestor (batch_row, ADW_TYPE_ACTION_ROW);

      gtk_switch_set_active (GTK_SWITCH (ui_test_find_descendant (row, GTK_TYPE_SWITCH)), TRUE);
    }

  choose_assets (find_button (GTK_WIDGET (dialog), "C_hoose…"), prefix, n);
  plan = g_strdup_printf ("%u jobs × 2 tasks", n);
  g_assert_nonnull (ui_test_find_label_prefix (GTK_WIDGET (dialog), plan));
  g_assert_true (gtk_widget_get_sensitive (run_button (dialog)));

  click (run_button (dialog));
  ui_test_wait_until (submission_done, dialog, 120, "the submission");

  return dialog;
}

static void
test_per_asset (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(GPtrArray) jobs = NULL;
  Submitted        submitted = submitted_init ();
  JgRunDialog     *dialog;

  put_local_assets (service, "clip", 3);
  put_local_assets (service, "other", 2);
  dialog = run_per_asset (service, graph, 0, "clip", 3, FALSE, &submitted);

  g_assert_cmpuint (submitted.ids->len, ==, 3);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "3 of 3 jobs submitted"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "All 3 jobs were submitted"));
  maybe_screenshot (GTK_WIDGET (dialog), "run-dialog-per-asset.png");

  jobs = list_jobs (submitted.client);
  g_assert_cmpuint (jobs->len, ==, 3);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("NewTestJob – clip-%04u.mp4", i);
      gboolean         found = FALSE;

      for (guint j = 0; j < jobs->len; j++)
        found |= g_strcmp0 (((JgRemoteJob *)g_ptr_array_index (jobs, j))->name, name) == 0;
      g_assert_true (found);
    }

  close_dialog (dialog);
  submitted_clear (&submitted);
}

static void
test_batch (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(GPtrArray) jobs = NULL;
  Submitted        submitted = submitted_init ();
  JgRunDialog     *dialog;

  put_local_assets (service, "clip", 2);
  dialog = run_per_asset (service, graph, 0, "clip", 2, TRUE, &submitted);

  g_assert_cmpuint (submitted.ids->len, ==, 2);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "Each job was sent as its own $batch request."));
  jobs = list_jobs (submitted.client);
  g_assert_cmpuint (jobs->len, ==, 2);

  close_dialog (dialog);
  submitted_clear (&submitted);
}

static void
test_validation_error (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgGraph) graph = load_example ();
  JgRunDialog     *dialog;
  GtkLabel        *reason;

  put_local_assets (service, "sample", 1);
  jg_task_set_configuration (jg_graph_get_task (graph, 1), "<Preset><Broken");
  dialog = open_dialog (service, graph);
  choose_assets (find_button (GTK_WIDGET (dialog), "C_hoose…"), "sample", 1);

  /* Bound, connected, and still refused: the graph is wrong, and where. */
  g_assert_false (gtk_widget_get_sensitive (run_button (dialog)));
  reason = ui_test_find_label_prefix (GTK_WIDGET (dialog), "The graph has 1 error.");
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (gtk_label_get_label (reason), "Tasks[1] “Smooth Streaming 720p”"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (reason), "error"));
  g_assert_nonnull (ui_test_find_label_prefix (GTK_WIDGET (dialog), "1 job × 2 tasks"));
  maybe_screenshot (GTK_WIDGET (dialog), "run-dialog-error.png");

  close_dialog (dialog);
}

static void
test_faults (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *dir = g_build_filename (service->tmp_dir, "faulty", "assets", NULL);
  const char      *args[] = { "--faults=busy@0.3", NULL };
  Submitted        submitted = submitted_init ();
  JgRunDialog     *dialog;

  put_asset_files (dir, "clip", 6);
  g_setenv ("JOBGRAPH_FAULT_SEED", "5", TRUE);
  ui_test_service_add_emulator (service, "faulty", args);
  g_unsetenv ("JOBGRAPH_FAULT_SEED");

  dialog = run_per_asset (service, graph, 1, "clip", 6, FALSE, &submitted);
  g_assert_cmpuint (submitted.ids->len, ==, 6);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "6 of 6 jobs submitted"));

  /* 503s were retried, never one job twice. */
  jobs = list_jobs (submitted.client);
  g_assert_cmpuint (jobs->len, ==, 6);
  for (guint i = 0; i < jobs->len; i++)
    {
      JgRemoteJob *job = g_ptr_array_index (jobs, i);

      g_assert_false (g_hash_table_contains (names, job->name));
      g_hash_table_add (names, job->name);
    }

  close_dialog (dialog);
  submitted_clear (&submitted);
}

static gboolean
has_submitted_one (gpointer data)
{
  return ((Submitted *)data)->ids->len > 0;
}

static void
test_cancel (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(GPtrArray) jobs = NULL;
  Submitted        submitted = submitted_init ();
  JgRunDialog     *dialog;
  GtkSwitch       *per_asset;

  put_local_assets (service, "clip", 40);
  dialog = open_dialog (service, graph);
  g_signal_connect (dialog, "job-submitted", G_CALLBACK (job_submitted_cb), &submitted);
  per_asset = GTK_SWITCH (ui_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_SWITCH));
  gtk_switch_set_active (per_asset, TRUE);
  choose_assets (find_button (GTK_WIDGET (dialog), "C_hoose…"), "clip", 40);

  click (run_button (dialog));
  ui_test_wait_until (has_submitted_one, &submitted, 60, "a first job");
  g_assert_false (submission_done (dialog));

  /* Escape cancels rather than closing while jobs are in flight. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  ui_test_wait_until (submission_done, dialog, 60, "the cancelled submission");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpuint (submitted.ids->len, <, 40);
  g_assert_nonnull (ui_test_find_label_prefix (GTK_WIDGET (dialog), "Submission cancelled. The jobs already submitted stay"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "Not sent"));
  maybe_screenshot (GTK_WIDGET (dialog), "run-dialog-cancelled.png");

  /* What was accepted stays; at most the jobs in flight may have made it
   * without an answer.
   */
  jobs = list_jobs (submitted.client);
  g_assert_cmpuint (jobs->len, >=, submitted.ids->len);
  g_assert_cmpuint (jobs->len, <=, submitted.ids->len + 4);

  close_dialog (dialog);
  submitted_clear (&submitted);
}

static void
test_template (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JgRemoteTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  Submitted        submitted = submitted_init ();
  JgRunDialog     *dialog;

  put_local_assets (service, "sample", 1);
  client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  jg_client_create_template_from_graph_async (client, graph, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the template");
  template_ = jg_client_create_template_from_graph_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (template_->n_inputs, ==, 1);

  dialog = jg_run_dialog_new_for_template (NULL, service->store, JG_ACCOUNT_STORE_LOCAL, template_);
  g_object_ref_sink (dialog);
  g_signal_connect (dialog, "job-submitted", G_CALLBACK (job_submitted_cb), &submitted);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_test_wait_mapped (GTK_WIDGET (dialog), 10);
  ui_test_wait_until (dialog_connected, dialog, 60, "the dialog's client");

  /* No $batch or priority for a template; its one input to bind. */
  g_assert_null (ui_test_find_label_prefix (GTK_WIDGET (dialog), "Submit as"));
  g_assert_null (ui_test_find_label (GTK_WIDGET (dialog), "_Priority"));
  g_assert_false (gtk_widget_get_sensitive (run_button (dialog)));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (dialog), "Choose an asset for JobInputAsset(0)."));

  choose_assets (find_button (GTK_WIDGET (dialog), "C_hoose…"), "sample", 1);
  g_assert_nonnull (ui_test_find_label_prefix (GTK_WIDGET (dialog), "1 job × 2 tasks"));
  maybe_screenshot (GTK_WIDGET (dialog), "run-dialog-template.png");
  click (run_button (dialog));
  ui_test_wait_until (submission_done, dialog, 60, "the submission");

  g_assert_cmpuint (submitted.ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (submitted.names, 0), ==, "NewTestJob – sample-0001.mp4");
  jobs = list_jobs (client);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpstr (((JgRemoteJob *)g_ptr_array_index (jobs, 0))->template_id, ==, template_->id);

  close_dialog (dialog);
  submitted_clear (&submitted);
}

typedef struct
{
  JgAssetPicker *picker;
  guint          n_progress;
  char          *last_progress;
} PickerWatch;

static void
picker_n_assets_cb (JgAssetPicker *picker,
                    GParamSpec    *pspec,
                    PickerWatch   *watch)
{
  GtkLabel *label;

  if (!jg_asset_picker_get_loading (picker) || jg_asset_picker_get_n_assets (picker) == 0)
    return;

  label = ui_test_find_label_prefix (GTK_WIDGET (picker), "Loaded ");
  if (label != NULL)
    {
      watch->n_progress++;
      g_free (watch->last_progress);
      watch->last_progress = g_strdup (gtk_label_get_label (label));
    }
}

static gboolean
picker_done (gpointer data)
{
  JgAssetPicker *picker = data;

  return !jg_asset_picker_get_loading (picker) && jg_asset_picker_get_n_assets (picker) > 0;
}

static void
test_picker_paging (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = NULL;
  g_autofree char *count = NULL;
  g_autofree char *footer = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  PickerWatch      watch = { 0 };
  GtkWidget       *window;
  GtkWidget       *picker;

  put_local_assets (service, "file", 1100);
  client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 600);
  picker = jg_asset_picker_new (TRUE);
  watch.picker = JG_ASSET_PICKER (picker);
  gtk_window_set_child (GTK_WINDOW (window), picker);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_mapped (picker, 10);

  g_signal_connect (picker, "notify::n-assets", G_CALLBACK (picker_n_assets_cb), &watch);
  jg_asset_picker_set_client (JG_ASSET_PICKER (picker), client);
  g_assert_true (jg_asset_picker_get_loading (JG_ASSET_PICKER (picker)));
  ui_test_wait_until (picker_done, picker, 60, "1,100 assets");

  /* It filled in slices and said how far it got on the way. */
  g_assert_cmpuint (jg_asset_picker_get_n_assets (JG_ASSET_PICKER (picker)), ==, 1100);
  g_assert_cmpuint (watch.n_progress, >=, 2);
  g_assert_true (g_str_has_suffix (watch.last_progress, "assets…"));
  count = g_strdup_printf ("%'u", 1100);
  footer = g_strdup_printf ("%s assets", count);
  g_assert_nonnull (ui_test_find_label (picker, footer));
  maybe_screenshot (window, "asset-picker-1100.png");

  /* The search filters on the client: file-1050 … file-1059. */
  jg_asset_picker_set_search (JG_ASSET_PICKER (picker), "FILE-105");
  ui_test_settle ();
  jg_asset_picker_select_all (JG_ASSET_PICKER (picker));
  g_assert_cmpuint (jg_asset_picker_get_n_selected (JG_ASSET_PICKER (picker)), ==, 10);
  selected = jg_asset_picker_dup_selected (JG_ASSET_PICKER (picker));
  g_assert_cmpuint (selected->len, ==, 10);
  for (guint i = 0; i < selected->len; i++)
    g_assert_true (g_str_has_prefix (((JgRemoteAsset *)g_ptr_array_index (selected, i))->name, "file-105"));

  jg_asset_picker_set_search (JG_ASSET_PICKER (picker), "no such asset");
  ui_test_settle ();
  g_assert_nonnull (ui_test_find_label (picker, "No Matching Assets"));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle ();
  g_free (watch.last_progress);
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *wait = data;

  return ui_test_find_label (wait->widget, wait->text) != NULL;
}

static void
test_picker_empty_and_error (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = NULL;
  const char  *args[] = { NULL };
  GSubprocess *process;
  GtkWidget   *window = gtk_window_new ();
  GtkWidget   *picker = jg_asset_picker_new (FALSE);
  LabelWait    wait = { picker, "No Assets" };

  process = ui_test_service_add_emulator (service, "empty", args);
  client = ui_test_service_dup_client (service, "empty");
  /* A dead service is an error at once, not after the read retries. */
  jg_client_set_retry_policy (client, 0, 10, 10);

  gtk_window_set_default_size (GTK_WINDOW (window), 480, 500);
  gtk_window_set_child (GTK_WINDOW (window), picker);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_mapped (picker, 10);

  jg_asset_picker_set_client (JG_ASSET_PICKER (picker), client);
  ui_test_wait_until (label_shown, &wait, 30, "No Assets");
  g_assert_false (jg_asset_picker_get_loading (JG_ASSET_PICKER (picker)));
  maybe_screenshot (window, "asset-picker-empty.png");

  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  jg_asset_picker_reload (JG_ASSET_PICKER (picker));
  wait.text = "Could Not Load the Assets";
  ui_test_wait_until (label_shown, &wait, 30, "the error page");
  g_assert_nonnull (find_button (picker, "_Retry"));
  maybe_screenshot (window, "asset-picker-error.png");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("jg-test-run-dialog-XXXXXX", NULL);

  ui_test_set_home (home);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }

  adw_init ();
  if (g_strcmp0 (g_getenv ("JOBGRAPH_TEST_DARK"), "1") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  g_test_add_func ("/jobgraph/ui/run-dialog/one-job", test_one_job);
  g_test_add_func ("/jobgraph/ui/run-dialog/per-asset", test_per_asset);
  g_test_add_func ("/jobgraph/ui/run-dialog/batch", test_batch);
  g_test_add_func ("/jobgraph/ui/run-dialog/validation-error", test_validation_error);
  g_test_add_func ("/jobgraph/ui/run-dialog/faults", test_faults);
  g_test_add_func ("/jobgraph/ui/run-dialog/cancel", test_cancel);
  g_test_add_func ("/jobgraph/ui/run-dialog/template", test_template);
  g_test_add_func ("/jobgraph/ui/asset-picker/paging", test_picker_paging);
  g_test_add_func ("/jobgraph/ui/asset-picker/empty-and-error", test_picker_empty_and_error);

  return g_test_run ();
}
