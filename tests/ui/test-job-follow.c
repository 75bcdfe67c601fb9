/* test-job-follow.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A submitted job followed on the graph, against a real jobgraph-emulator:
 * each task's state and progress on its node, the job bar's summary, a
 * failing task's ErrorDetails explained on its node, cancelling from the
 * bar, a job opened from the service as a graph, and the service dying
 * mid-run.
 */

#include "config.h"

#include <signal.h>

#include <adwaita.h>

#include "jg-node.h"
#include "jg-window-private.h"
#include "jg-window.h"
#include "ui-test-service.h"
#include "ui-test-util.h"

static GtkApplication *app;

/* Tasks of the emulator take about a second: poll often enough to see
 * each state.
 */
static void
poll_often (JgWindow *window)
{
  jg_job_monitor_set_intervals (jg_job_bar_get_monitor (jg_window_get_job_bar (window)), 100, 200);
}

/* JOBGRAPH_TEST_SHOTS=DIR saves what the screen shows at key moments, for
 * a person to look at.
 */
static void
screenshot (const char *name)
{
  const char      *dir = g_getenv ("JOBGRAPH_TEST_SHOTS");
  g_autofree char *command = NULL;

  if (dir == NULL)
    return;

  ui_test_settle ();
  command = g_strdup_printf ("import -window root %s/%s.png", dir, name);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

static gboolean
has_file (gpointer data)
{
  return jg_window_get_file (data) != NULL;
}

static JgWindow *
open_example (void)
{
  const char      *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  g_autofree char *path = g_build_filename (srcdir != NULL ? srcdir : "..", "examples", "chained-encode.jobgraph",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  JgWindow *window = jg_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_mapped (GTK_WIDGET (window), 10);
  ui_test_settle ();
  jg_window_open_file (window, file);
  ui_test_wait_until (has_file, window, 10, "the example to load");

  return window;
}

/* Applies @edit (taking it) as one undoable step. */
static gboolean
apply (JgHistory *history,
       JgEdit    *edit)
{
  g_autoptr(JgEdit) owned = edit;

  return jg_history_apply (history, owned, NULL);
}

static JgGraph *
window_graph (JgWindow *window)
{
  return jg_history_get_graph (jg_window_get_history (window));
}

static char *
create_asset (JgClient   *client,
              const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRemoteAsset) asset = NULL;

  jg_client_create_asset_async (client, name, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the asset");
  asset = jg_client_create_asset_finish (client, result, &error);
  g_assert_no_error (error);

  return g_strdup (asset->id);
}

static JgRemoteJob *
submit (JgClient *client,
        JgGraph  *graph,
        const char *asset_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *inputs[] = { asset_id, NULL };
  JgRemoteJob *job;

  jg_client_create_job_from_graph_async (client, graph, inputs, JG_CREATE_NONE, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the job to be created");
  job = jg_client_create_job_from_graph_finish (client, result, &error);
  g_assert_no_error (error);

  return job;
}

typedef struct
{
  JgWindow *window;
  int       state;
} NodeStates;

/* Every task node of the window shows @state. */
static gboolean
all_nodes_in_state (gpointer data)
{
  NodeStates    *expected = data;
  JgGraph       *graph = window_graph (expected->window);
  JgGraphCanvas *canvas = jg_window_get_canvas (expected->window);

  for (guint i = 0; i < jg_graph_get_n_tasks (graph); i++)
    {
      GtkWidget *node = jg_graph_canvas_get_node_widget (canvas, G_OBJECT (jg_graph_get_task (graph, i)));

      if (node == NULL || jg_node_get_run_state (JG_NODE (node)) != expected->state)
        return FALSE;
    }

  return TRUE;
}

static gboolean
any_node_in_state (gpointer data)
{
  NodeStates    *expected = data;
  JgGraph       *graph = window_graph (expected->window);
  JgGraphCanvas *canvas = jg_window_get_canvas (expected->window);

  for (guint i = 0; i < jg_graph_get_n_tasks (graph); i++)
    {
      GtkWidget *node = jg_graph_canvas_get_node_widget (canvas, G_OBJECT (jg_graph_get_task (graph, i)));

      if (node != NULL && jg_node_get_run_state (JG_NODE (node)) == expected->state)
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  JgWindow   *window;
  const char *text;
} BarText;

static gboolean
bar_says (gpointer data)
{
  BarText *expected = data;

  return strstr (jg_job_bar_get_status_text (jg_window_get_job_bar (expected->window)), expected->text) != NULL;
}

/* The accessible description of @node, which carries the run state. */
static char *
dup_node_tooltip_texts (GtkWidget *widget)
{
  GString *texts = g_string_new (NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *below = dup_node_tooltip_texts (child);
      const char      *tooltip = gtk_widget_get_tooltip_text (child);

      if (tooltip != NULL)
        g_string_append_printf (texts, "%s\n", tooltip);
      g_string_append (texts, below);
    }

  return g_string_free (texts, FALSE);
}

static void
test_follow_to_finished (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *asset_id = create_asset (client, "sample.mp4");
  JgWindow        *window = open_example ();
  g_autoptr(JgRemoteJob) job = submit (client, window_graph (window), asset_id);
  NodeStates       finished = { window, JG_JOB_STATE_FINISHED };
  NodeStates       processing = { window, JG_JOB_STATE_PROCESSING };
  BarText          done = { window, "Finished · 2 of 2 tasks finished" };

  jg_window_follow_job (window, client, job->id, job->name);
  poll_often (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (jg_window_get_job_bar (window))));

  /* The chained encode runs its tasks one after the other: the first is
   * seen processing before both end.
   */
  ui_test_wait_until (any_node_in_state, &processing, 30, "a task to be processing");
  screenshot ("job-processing");
  ui_test_wait_until (all_nodes_in_state, &finished, 60, "every task to finish");
  ui_test_wait_until (bar_says, &done, 30, "the bar to say the job finished");
  screenshot ("job-finished");

  /* Following a job is not an edit. */
  g_assert_false (jg_history_get_modified (jg_window_get_history (window)));

  /* Dismissing takes the states off the nodes. */
  jg_job_bar_clear (jg_window_get_job_bar (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (jg_window_get_job_bar (window))));
  {
    NodeStates none = { window, -1 };

    g_assert_true (all_nodes_in_state (&none));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_failed_task_explained (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *asset_id = create_asset (client, "sample.mp4");
  JgWindow        *window = open_example ();
  JgGraph         *graph = window_graph (window);
  JgTask          *first = jg_graph_get_task (graph, 0);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autofree char *texts = NULL;
  GtkWidget       *node;
  NodeStates       failed = { window, JG_JOB_STATE_ERROR };
  BarText          bar = { window, "Failed" };

  /* A preset the service does not know passes validation as a warning and
   * fails when the task runs.
   */
  g_assert_true (apply (jg_window_get_history (window),
                        jg_edit_new_set (first, "configuration", "H264 Imaginary Preset", NULL)));
  g_assert_cmpuint (jg_graph_get_n_errors (graph), ==, 0);

  job = submit (client, graph, asset_id);
  jg_window_follow_job (window, client, job->id, job->name);

  ui_test_wait_until (any_node_in_state, &failed, 60, "the task to fail");
  ui_test_wait_until (bar_says, &bar, 30, "the bar to say the job failed");
  screenshot ("job-failed");

  node = jg_graph_canvas_get_node_widget (jg_window_get_canvas (window), G_OBJECT (first));
  g_assert_true (gtk_widget_has_css_class (node, "run-error"));
  g_assert_true (gtk_widget_has_css_class (node, "error"));
  texts = dup_node_tooltip_texts (node);
  g_assert_nonnull (strstr (texts, "ErrorParsingConfiguration"));
  g_assert_nonnull (strstr (texts, "the preset name is unknown"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The button of the job bar labelled @label (mnemonic included). */
static GtkWidget *
find_bar_button (JgJobBar   *bar,
                 const char *label)
{
  GtkWidget *stack[32];
  guint      n = 0;

  stack[n++] = GTK_WIDGET (bar);
  while (n > 0)
    {
      GtkWidget *widget = stack[--n];

      if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
        return widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child && n < G_N_ELEMENTS (stack);
           child = gtk_widget_get_next_sibling (child))
        stack[n++] = child;
    }

  return NULL;
}

static gboolean
is_insensitive (gpointer data)
{
  return !gtk_widget_is_sensitive (data);
}

static void
test_cancel_from_bar (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *asset_id = create_asset (client, "sample.mp4");
  JgWindow        *window = open_example ();
  g_autoptr(JgRemoteJob) job = submit (client, window_graph (window), asset_id);
  JgJobBar        *bar;
  GtkWidget       *cancel;
  BarText          canceled = { window, "Canceled" };
  NodeStates       processing = { window, JG_JOB_STATE_PROCESSING };

  jg_window_follow_job (window, client, job->id, job->name);
  poll_often (window);
  bar = jg_window_get_job_bar (window);
  cancel = find_bar_button (bar, "_Cancel Job");
  g_assert_nonnull (cancel);
  ui_test_wait_until (any_node_in_state, &processing, 30, "a task to be processing");

  g_assert_true (gtk_widget_is_sensitive (cancel));
  /* A keyboard activation clicks a moment later. */
  gtk_widget_activate (cancel);
  ui_test_wait_until (is_insensitive, cancel, 10, "Cancel Job to be insensitive while canceling");
  ui_test_wait_until (bar_says, &canceled, 30, "the bar to say the job was canceled");
  g_assert_false (gtk_widget_get_visible (cancel));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_has_tasks (gpointer data)
{
  return jg_graph_get_n_tasks (window_graph (data)) == 2;
}

static void
test_show_job_from_service (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *asset_id = create_asset (client, "sample.mp4");
  JgWindow        *source = open_example ();
  g_autoptr(JgRemoteJob) job = submit (client, window_graph (source), asset_id);
  JgWindow        *window = jg_window_new (app);
  NodeStates       finished = { window, JG_JOB_STATE_FINISHED };

  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_mapped (GTK_WIDGET (window), 10);
  ui_test_settle ();
  jg_window_show_job (window, client, job->id);
  ui_test_wait_until (window_has_tasks, window, 30, "the job's graph");

  g_assert_cmpstr (jg_window_get_title_text (window), ==, job->name);
  g_assert_cmpstr (jg_job_input_get_asset_id (jg_graph_get_input (window_graph (window), 0)), ==, asset_id);
  g_assert_cmpuint (jg_graph_get_n_errors (window_graph (window)), ==, 0);
  ui_test_wait_until (all_nodes_in_state, &finished, 60, "every task to finish");

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (source));
}

static void
test_service_dies_mid_run (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *asset_id = create_asset (client, "sample.mp4");
  JgWindow        *window = open_example ();
  JgHistory       *history = jg_window_get_history (window);
  g_autoptr(JgRemoteJob) job = submit (client, window_graph (window), asset_id);
  NodeStates       processing = { window, JG_JOB_STATE_PROCESSING };
  BarText          lost = { window, "cannot reach the service" };
  guint            n_tasks;

  jg_window_follow_job (window, client, job->id, job->name);
  poll_often (window);
  ui_test_wait_until (any_node_in_state, &processing, 30, "a task to be processing");

  g_assert_cmpint (kill (jg_local_service_get_pid (service->local_service), SIGKILL), ==, 0);
  ui_test_wait_until (bar_says, &lost, 30, "the bar to say the service is gone");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (jg_window_get_job_bar (window)), "error"));
  screenshot ("job-service-lost");

  /* The window goes on working, and the graph is as it was. */
  n_tasks = jg_graph_get_n_tasks (window_graph (window));
  g_assert_cmpuint (n_tasks, ==, 2);
  g_assert_true (apply (history, jg_graph_build_remove_task (window_graph (window), jg_graph_get_task (window_graph (window), 1))));
  g_assert_cmpuint (jg_graph_get_n_tasks (window_graph (window)), ==, 1);
  g_assert_true (jg_history_undo (history, NULL));
  g_assert_cmpuint (jg_graph_get_n_tasks (window_graph (window)), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
run_tests (GApplication *application,
           int          *status)
{
  g_application_hold (application);
  *status = g_test_run ();
  g_application_release (application);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("jg-test-job-follow-XXXXXX", NULL);
  int status = 1;

  ui_test_set_home (home);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }

  adw_init ();

  g_test_add_func ("/jobgraph/ui/job-follow/finished", test_follow_to_finished);
  g_test_add_func ("/jobgraph/ui/job-follow/failed-task", test_failed_task_explained);
  g_test_add_func ("/jobgraph/ui/job-follow/cancel", test_cancel_from_bar);
  g_test_add_func ("/jobgraph/ui/job-follow/show-job", test_show_job_from_service);
  g_test_add_func ("/jobgraph/ui/job-follow/service-dies", test_service_dies_mid_run);

  /* Windows need a registered application for their actions and accels. */
  app = GTK_APPLICATION (adw_application_new ("io.github.jobgraph.Jobgraph.TestJobFollow",
                                              G_APPLICATION_NON_UNIQUE));
  /* The app's style sheet, as the real app loads it. */
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/jobgraph/Jobgraph");
  g_signal_connect (app, "activate", G_CALLBACK (run_tests), &status);
  g_application_run (G_APPLICATION (app), 0, NULL);
  g_object_unref (app);
  ui_test_service_remove_tree (home);

  return status;
}
