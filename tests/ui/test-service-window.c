/* test-service-window.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Jobs and Templates window against a real jobgraph-emulator: jobs
 * listed with their state and progress until they finish, filtered by
 * state, searched by name, paged; cancel, delete, Open as New Graph and
 * open from the list; templates listed, opened as an equal graph, run and
 * deleted; another account chosen; a failed refresh keeps the list.
 */

#include "config.h"

#include <adwaita.h>

#include "jg-jobs-view.h"
#include "jg-service-window.h"
#include "jg-templates-view.h"
#include "ui-test-service.h"
#include "ui-test-util.h"

static GtkApplication *app;

typedef struct
{
  UiTestService   *service;
  JgClient        *client;
  JgServiceWindow *window;
  JgGraph         *graph;
  char            *asset_id;

  /* What the window's signals carried */
  JgClient        *signal_client;
  char            *opened_job;
  JgGraph         *opened_graph;
  char            *opened_title;
  JgRemoteTemplate *run_template;
} Fixture;

/* Helpers */

static gpointer
wait_result (GAsyncResult **result,
             const char    *what)
{
  ui_test_wait_until (ui_test_has_result, result, 30, what);
  return *result;
}

static JgGraph *
load_example (void)
{
  const char       *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  g_autofree char  *path = g_build_filename (srcdir != NULL ? srcdir : "..", "examples", "chained-encode.jobgraph",
                                             NULL);
  g_autoptr(GFile)  file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  JgGraph          *graph = jg_document_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);

  return graph;
}

static JgRemoteJob *
submit_job (Fixture    *fixture,
            JgClient   *client,
            const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char  *ids[] = { fixture->asset_id, NULL };
  JgRemoteJob *job;

  jg_graph_set_name (fixture->graph, name);
  jg_client_create_job_from_graph_async (client, fixture->graph, ids, JG_CREATE_NONE, NULL,
                                         ui_test_store_result, &result);
  job = jg_client_create_job_from_graph_finish (client, wait_result (&result, "a job"), &error);
  g_assert_no_error (error);

  return job;
}

/* The id of the seeded asset named @name. */
static char *
find_asset (JgClient   *client,
            const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assets = NULL;

  jg_client_list_assets_async (client, name, NULL, ui_test_store_result, &result);
  assets = jg_client_list_assets_finish (client, wait_result (&result, "the assets"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assets->len, ==, 1);

  return g_strdup (((JgRemoteAsset *)g_ptr_array_index (assets, 0))->id);
}

static char *
create_asset (JgClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRemoteAsset) asset = NULL;

  jg_client_create_asset_async (client, "Mezzanine.mp4", NULL, ui_test_store_result, &result);
  asset = jg_client_create_asset_finish (client, wait_result (&result, "an asset"), &error);
  g_assert_no_error (error);

  return g_strdup (asset->id);
}

static void
open_job_cb (JgServiceWindow *window,
             JgClient        *client,
             const char      *job_id,
             Fixture         *fixture)
{
  g_set_object (&fixture->signal_client, client);
  g_free (fixture->opened_job);
  fixture->opened_job = g_strdup (job_id);
}

static void
open_graph_cb (JgServiceWindow *window,
               JgGraph         *graph,
               const char      *title,
               Fixture         *fixture)
{
  g_set_object (&fixture->opened_graph, graph);
  g_free (fixture->opened_title);
  fixture->opened_title = g_strdup (title);
}

static void
run_template_cb (JgServiceWindow  *window,
                 JgClient         *client,
                 JgRemoteTemplate *template_,
                 Fixture          *fixture)
{
  g_set_object (&fixture->signal_client, client);
  g_clear_pointer (&fixture->run_template, jg_remote_template_unref);
  fixture->run_template = jg_remote_template_ref (template_);
}

static GtkWidget *
get_jobs_view (Fixture *fixture)
{
  return ui_test_find_descendant (GTK_WIDGET (fixture->window), JG_TYPE_JOBS_VIEW);
}

static GtkWidget *
get_templates_view (Fixture *fixture)
{
  return ui_test_find_descendant (GTK_WIDGET (fixture->window), JG_TYPE_TEMPLATES_VIEW);
}

static GtkListBox *
get_list (GtkWidget *view)
{
  return GTK_LIST_BOX (ui_test_find_descendant (view, GTK_TYPE_LIST_BOX));
}

static guint
count_rows (GtkWidget *view)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (get_list (view), n) != NULL)
    n++;

  return n;
}

static const char *
row_title (GtkListBoxRow *row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static GtkListBoxRow *
find_row (GtkWidget  *view,
          const char *title)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (get_list (view), i)) != NULL; i++)
    if (g_strcmp0 (row_title (row), title) == 0)
      return row;

  return NULL;
}

/* The first descendant of @widget with CSS class @name. */
static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *name)
{
  if (gtk_widget_has_css_class (widget, name))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
row_state (GtkListBoxRow *row)
{
  return gtk_label_get_label (GTK_LABEL (find_with_class (GTK_WIDGET (row), "state-pill")));
}

/* The row's button for @action_name, as a user would click it. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
click (GtkWidget  *widget,
       const char *action_name)
{
  GtkWidget *button = find_action_button (widget, action_name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* ::clicked as a click gives it; gtk_widget_activate() would delay it
   * by the 250 ms of a key press.
   */
  g_signal_emit_by_name (button, "clicked");
}

/* The view's own stack (list, empty, error…), not a dropdown's. */
static GtkStack *
find_pages (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "list") != NULL)
    return GTK_STACK (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_pages (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
view_shows (GtkWidget  *view,
            const char *page)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (find_pages (view)), page) == 0;
}

/* A mapped label under @widget whose text starts with @prefix. */
static GtkWidget *
find_label_prefix (GtkWidget  *widget,
                   const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_prefix (child, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Answers the confirmation dialog that is open. */
static void
respond_to_dialog (const char *response)
{
  GListModel       *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        dialog = ADW_MESSAGE_DIALOG (window);
    }

  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Conditions for ui_test_wait_until() */

typedef struct
{
  GtkWidget  *view;
  const char *title;
  const char *state;
  guint       n;
  gboolean    saw_active;
} Wanted;

static gboolean
view_is_content (gpointer data)
{
  Fixture *fixture = data;

  return jg_service_window_get_client (fixture->window) != NULL;
}

static gboolean
view_has_n_rows (gpointer data)
{
  Wanted *wanted = data;

  return count_rows (wanted->view) == wanted->n && view_shows (wanted->view, wanted->n > 0 ? "list" : "empty");
}

static gboolean
row_has_state (gpointer data)
{
  Wanted        *wanted = data;
  GtkListBoxRow *row = find_row (wanted->view, wanted->title);

  return row != NULL && g_strcmp0 (row_state (row), wanted->state) == 0;
}

static gboolean
row_is_gone (gpointer data)
{
  Wanted *wanted = data;

  return find_row (wanted->view, wanted->title) == NULL;
}

/* All rows Finished with full bars; notes whether a job was seen before. */
static gboolean
all_finished (gpointer data)
{
  Wanted        *wanted = data;
  GtkListBoxRow *row;
  gboolean       done = count_rows (wanted->view) == wanted->n;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (get_list (wanted->view), i)) != NULL; i++)
    {
      GtkProgressBar *bar = GTK_PROGRESS_BAR (ui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_PROGRESS_BAR));

      if (g_strcmp0 (row_state (row), "Finished") != 0)
        {
          g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
          g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), <, 1.0);
          wanted->saw_active = TRUE;
          done = FALSE;
        }
      else
        g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 1.0);
    }

  return done;
}

static gboolean
has_pointer (gpointer data)
{
  return *(gpointer *)data != NULL;
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->service = ui_test_service_new ();
  /* Jobs reading it run for minutes: one is there to cancel. */
  ui_test_service_add_sized_asset (fixture->service, "Long.mp4", (gint64)20 * 1000 * 1000 * 1000);
  fixture->client = ui_test_service_dup_client (fixture->service, JG_ACCOUNT_STORE_LOCAL);
  fixture->graph = load_example ();
  fixture->asset_id = create_asset (fixture->client);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = jg_service_window_new (app, fixture->service->store);
  g_signal_connect (fixture->window, "open-job", G_CALLBACK (open_job_cb), fixture);
  g_signal_connect (fixture->window, "open-graph", G_CALLBACK (open_graph_cb), fixture);
  g_signal_connect (fixture->window, "run-template", G_CALLBACK (run_template_cb), fixture);
  gtk_window_present (GTK_WINDOW (fixture->window));
  ui_test_wait_mapped (GTK_WIDGET (fixture->window), 10);
  ui_test_wait_until (view_is_content, fixture, 30, "the window to connect");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  ui_test_settle ();

  g_clear_object (&fixture->signal_client);
  g_clear_pointer (&fixture->opened_job, g_free);
  g_clear_object (&fixture->opened_graph);
  g_clear_pointer (&fixture->opened_title, g_free);
  g_clear_pointer (&fixture->run_template, jg_remote_template_unref);
  g_clear_pointer (&fixture->asset_id, g_free);
  g_clear_object (&fixture->graph);
  g_clear_object (&fixture->client);
  ui_test_service_free (fixture->service);
}

/* Tests */

static void
test_jobs_progress (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *view;
  Wanted     wanted = { 0 };

  open_window (fixture);
  view = get_jobs_view (fixture);
  wanted.view = view;

  /* No jobs yet: the empty state says so. */
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the empty state");
  g_assert_nonnull (ui_test_find_label (view, "No Jobs"));

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Progress %u", i);
      g_autoptr(JgRemoteJob) job = submit_job (fixture, fixture->client, name);
    }

  /* F5 lists them, newest first; polling follows them to Finished. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  wanted.n = 3;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "three jobs");
  g_assert_cmpstr (row_title (gtk_list_box_get_row_at_index (get_list (view), 0)), ==, "Progress 3");
  g_assert_cmpstr (row_title (gtk_list_box_get_row_at_index (get_list (view), 2)), ==, "Progress 1");

  ui_test_wait_until (all_finished, &wanted, 60, "the jobs to finish in the list");
  g_assert_true (wanted.saw_active);
}

static void
test_filter_and_search (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *names[] = { "Alpha one", "alpha two", "Beta", "Quote's job" };
  g_autoptr(JgRemoteJob) canceled = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GtkWidget   *view;
  GtkDropDown *states;
  GtkEditable *search;
  Wanted       wanted = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JgRemoteJob) job = submit_job (fixture, fixture->client, names[i]);
    }
  canceled = submit_job (fixture, fixture->client, "Gamma");
  jg_client_cancel_job_async (fixture->client, canceled->id, NULL, ui_test_store_result, &result);
  g_assert_true (jg_client_cancel_job_finish (fixture->client, wait_result (&result, "cancel"), NULL));

  open_window (fixture);
  view = get_jobs_view (fixture);
  states = GTK_DROP_DOWN (ui_test_find_descendant (view, GTK_TYPE_DROP_DOWN));
  search = GTK_EDITABLE (ui_test_find_descendant (view, GTK_TYPE_SEARCH_ENTRY));
  wanted.view = view;
  wanted.n = 5;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "five jobs");

  /* Canceled */
  gtk_drop_down_set_selected (states, 6);
  wanted.n = 1;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the canceled job");
  g_assert_nonnull (find_row (view, "Gamma"));
  g_assert_cmpstr (row_state (find_row (view, "Gamma")), ==, "Canceled");

  /* Error: none, and the empty state says the filter is why. */
  gtk_drop_down_set_selected (states, 5);
  wanted.n = 0;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "no failed job");
  g_assert_nonnull (ui_test_find_label (view, "No Matching Jobs"));

  /* All states, searched by name in any case. */
  gtk_drop_down_set_selected (states, 0);
  gtk_editable_set_text (search, "ALPHA");
  wanted.n = 2;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the alpha jobs");
  g_assert_nonnull (find_row (view, "Alpha one"));
  g_assert_nonnull (find_row (view, "alpha two"));

  /* A quote in the search is a character, not the end of the string. */
  gtk_editable_set_text (search, "quote's");
  wanted.n = 1;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the job with a quote");
  g_assert_nonnull (find_row (view, "Quote's job"));

  /* State and search together. */
  gtk_editable_set_text (search, "a");
  gtk_drop_down_set_selected (states, 6);
  wanted.title = "Gamma";
  wanted.state = "Canceled";
  ui_test_wait_until (row_has_state, &wanted, 10, "the canceled job named with an a");
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "only the canceled job");
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkLabel      *range;
  GtkWidget     *view;
  GtkListBoxRow *row;
  Wanted         wanted = { 0 };

  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Page job %02u", i);
      g_autoptr(JgRemoteJob) job = submit_job (fixture, fixture->client, name);
    }

  open_window (fixture);
  view = get_jobs_view (fixture);
  wanted.view = view;
  wanted.n = 50;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the first page");
  range = GTK_LABEL (find_with_class (view, "page-range"));
  g_assert_cmpstr (gtk_label_get_label (range), ==, "1–50");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (range)));
  g_assert_cmpstr (row_title (gtk_list_box_get_row_at_index (get_list (view), 0)), ==, "Page job 60");
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (get_list (view), i)) != NULL; i++)
    g_hash_table_add (seen, g_strdup (row_title (row)));

  click (view, "jobs.next-page");
  wanted.n = 10;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the second page");
  g_assert_cmpstr (gtk_label_get_label (range), ==, "51–60");
  g_assert_false (gtk_widget_is_sensitive (find_action_button (view, "jobs.next-page")));
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (get_list (view), i)) != NULL; i++)
    g_hash_table_add (seen, g_strdup (row_title (row)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 60);

  click (view, "jobs.previous-page");
  wanted.n = 50;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the first page again");
  g_assert_cmpstr (gtk_label_get_label (range), ==, "1–50");
  g_assert_false (gtk_widget_is_sensitive (find_action_button (view, "jobs.previous-page")));
}

static void
test_cancel_and_delete (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JgRemoteJob) last = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRemoteJob) gone = NULL;
  GtkWidget *view;
  Wanted     wanted = { 0 };

  g_autofree char *long_id = find_asset (fixture->client, "Long.mp4");
  g_autofree char *short_id = NULL;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Busy %u", i);
      g_autoptr(JgRemoteJob) job = submit_job (fixture, fixture->client, name);
    }
  /* Reading Long.mp4, this job runs for minutes: still there to cancel
   * however slowly the test goes.
   */
  short_id = g_steal_pointer (&fixture->asset_id);
  fixture->asset_id = g_strdup (long_id);
  last = submit_job (fixture, fixture->client, "To cancel");
  g_free (fixture->asset_id);
  fixture->asset_id = g_steal_pointer (&short_id);

  open_window (fixture);
  view = get_jobs_view (fixture);
  wanted.view = view;
  wanted.n = 4;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "four jobs");

  click (GTK_WIDGET (find_row (view, "To cancel")), "jobs.cancel");
  wanted.title = "To cancel";
  wanted.state = "Canceled";
  ui_test_wait_until (row_has_state, &wanted, 30, "the job to show Canceled");
  /* A canceled job cannot be canceled again. */
  ui_test_settle ();
  g_assert_false (gtk_widget_get_mapped (find_action_button (GTK_WIDGET (find_row (view, "To cancel")),
                                                             "jobs.cancel")));

  /* Delete asks first; Cancel in the dialog keeps the job. */
  click (GTK_WIDGET (find_row (view, "To cancel")), "jobs.delete");
  ui_test_settle ();
  respond_to_dialog ("cancel");
  ui_test_settle ();
  g_assert_nonnull (find_row (view, "To cancel"));

  /* The Delete key on the focused row asks too. */
  gtk_widget_grab_focus (GTK_WIDGET (find_row (view, "To cancel")));
  gtk_widget_activate_action (view, "jobs.delete-focused", NULL);
  ui_test_settle ();
  respond_to_dialog ("delete");
  ui_test_wait_until (row_is_gone, &wanted, 10, "the deleted job to go");

  jg_client_get_job_async (fixture->client, last->id, NULL, ui_test_store_result, &result);
  gone = jg_client_get_job_finish (fixture->client, wait_result (&result, "the deleted job"), &error);
  g_assert_null (gone);
  g_assert_nonnull (error);

  wanted.n = 3;
  g_assert_true (view_has_n_rows (&wanted));
}

/* The job body @graph exports with its inputs bound to @asset_id. */
static char *
export_job (JgGraph    *graph,
            const char *name,
            const char *asset_id)
{
  const char       *ids[] = { asset_id, NULL };
  JgExportOptions   options = { .input_asset_ids = ids };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char  *old_name = g_strdup (jg_graph_get_name (graph));

  /* The job's name is the one thing the two may differ in. */
  jg_graph_set_name (graph, name);
  bytes = jg_export_graph (graph, JG_EXPORT_JOB, &options, &error);
  jg_graph_set_name (graph, old_name);
  g_assert_no_error (error);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JgRemoteJob) job = submit_job (fixture, fixture->client, "To open");
  g_autofree char *original = NULL;
  g_autofree char *opened = NULL;
  GtkListBoxRow   *row;
  GtkWidget       *view;
  Wanted           wanted = { 0 };

  original = export_job (fixture->graph, "Same", fixture->asset_id);

  open_window (fixture);
  view = get_jobs_view (fixture);
  wanted.view = view;
  wanted.n = 1;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the job");
  row = find_row (view, "To open");

  /* Enter on the row opens the job. */
  gtk_widget_activate (GTK_WIDGET (row));
  g_assert_cmpstr (fixture->opened_job, ==, job->id);
  g_assert_true (fixture->signal_client == jg_service_window_get_client (fixture->window));

  /* The row menu's Open as New Graph: the job's graph, the same body. */
  gtk_widget_activate_action (GTK_WIDGET (row), "jobs.open-graph", "s", job->id);
  ui_test_wait_until (has_pointer, &fixture->opened_graph, 10, "open-graph");
  g_assert_cmpstr (fixture->opened_title, ==, "To open");
  opened = export_job (fixture->opened_graph, "Same", fixture->asset_id);
  g_assert_cmpstr (opened, ==, original);
}

static void
test_templates (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JgRemoteTemplate) template_ = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *original = NULL;
  g_autofree char *opened = NULL;
  GtkListBoxRow   *row;
  GtkWidget       *view;
  Wanted           wanted = { 0 };

  open_window (fixture);
  jg_service_window_show_page (fixture->window, "templates");
  view = get_templates_view (fixture);
  wanted.view = view;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "no templates");
  g_assert_nonnull (ui_test_find_label (view, "No Templates"));

  jg_graph_set_name (fixture->graph, "Chained template");
  jg_client_create_template_from_graph_async (fixture->client, fixture->graph, NULL, ui_test_store_result, &result);
  template_ = jg_client_create_template_from_graph_finish (fixture->client, wait_result (&result, "template"),
                                                           &error);
  g_assert_no_error (error);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  wanted.n = 1;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the template");
  row = find_row (view, "Chained template");
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "1 input · 2 tasks · "));

  /* Open: the graph of the template, equal to the one saved. */
  gtk_widget_activate (GTK_WIDGET (row));
  ui_test_wait_until (has_pointer, &fixture->opened_graph, 10, "open-graph");
  g_assert_cmpstr (fixture->opened_title, ==, "Chained template");
  original = export_job (fixture->graph, "Same", fixture->asset_id);
  opened = export_job (fixture->opened_graph, "Same", fixture->asset_id);
  g_assert_cmpstr (opened, ==, original);

  /* Run… hands the whole template over. */
  click (GTK_WIDGET (row), "templates.run");
  g_assert_nonnull (fixture->run_template);
  g_assert_cmpstr (fixture->run_template->id, ==, template_->id);
  g_assert_cmpuint (fixture->run_template->task_templates->len, ==, 2);
  g_assert_true (fixture->signal_client == jg_service_window_get_client (fixture->window));

  click (GTK_WIDGET (row), "templates.delete");
  ui_test_settle ();
  respond_to_dialog ("delete");
  wanted.n = 0;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the template to go");
  g_assert_nonnull (ui_test_find_label (view, "No Templates"));
}

static gboolean
refresh_failed (gpointer data)
{
  return find_label_prefix (data, "Could not refresh the jobs") != NULL;
}

static void
test_accounts (Fixture       *fixture,
               gconstpointer  data)
{
  const char  *args[] = { NULL };
  GSubprocess *second = ui_test_service_add_emulator (fixture->service, "Second", args);
  g_autoptr(JgClient) second_client = ui_test_service_dup_client (fixture->service, "Second");
  g_autoptr(JgRemoteJob) local_job = submit_job (fixture, fixture->client, "Local job");
  g_autoptr(JgRemoteJob) second_job = NULL;
  GtkDropDown *accounts;
  GtkWidget   *view;
  Wanted       wanted = { 0 };

  g_free (fixture->asset_id);
  fixture->asset_id = create_asset (second_client);
  second_job = submit_job (fixture, second_client, "Second job");

  open_window (fixture);
  view = get_jobs_view (fixture);
  wanted.view = view;
  wanted.n = 1;
  ui_test_wait_until (view_has_n_rows, &wanted, 10, "the local job");
  g_assert_nonnull (find_row (view, "Local job"));

  /* The account dropdown lists the Local service first, by its title. */
  accounts = GTK_DROP_DOWN (ui_test_find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (gtk_drop_down_get_selected (accounts), ==, 0);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (accounts), "Local service"));

  gtk_drop_down_set_selected (accounts, 1);
  ui_test_wait_until (view_is_content, fixture, 10, "the second account");
  wanted.title = "Second job";
  wanted.state = "Finished";
  ui_test_wait_until (row_has_state, &wanted, 30, "the second account's job to finish");
  g_assert_null (find_row (view, "Local job"));

  /* The service goes away: a refresh says so and the list stays. */
  g_subprocess_force_exit (second);
  g_subprocess_wait (second, NULL, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  ui_test_wait_until (refresh_failed, view, 60, "the refresh error");
  g_assert_nonnull (find_row (view, "Second job"));
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
  int status = 1;

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }

  adw_init ();

#define ADD(path, func) \
  g_test_add ("/jobgraph/ui/service-window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("jobs-progress", test_jobs_progress);
  ADD ("filter-and-search", test_filter_and_search);
  ADD ("paging", test_paging);
  ADD ("cancel-and-delete", test_cancel_and_delete);
  ADD ("open", test_open);
  ADD ("templates", test_templates);
  ADD ("accounts", test_accounts);

#undef ADD

  app = GTK_APPLICATION (adw_application_new ("io.github.jobgraph.Jobgraph.TestServiceWindow",
                                              G_APPLICATION_NON_UNIQUE));
  g_signal_connect (app, "activate", G_CALLBACK (run_tests), &status);
  g_application_run (G_APPLICATION (app), 0, NULL);
  g_object_unref (app);

  return status;
}
