/* test-window.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window with real widgets: opening files (documents, REST
 * bodies, broken files), saving, the header bar's title and validation
 * status, unsaved-changes on close, autosave and crash recovery, and the
 * image export.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "jg-graph-image.h"
#include "jg-window-private.h"
#include "jg-window.h"

#include "ui-test-util.h"

static GtkApplication *app;

static char *
example_path (void)
{
  const char *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");

  return g_build_filename (srcdir != NULL ? srcdir : "..", "examples", "chained-encode.jobgraph", NULL);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef gboolean (*Predicate) (gpointer data);

/* Runs the main loop until @predicate holds, failing after @seconds. */
static void
wait_until (Predicate predicate,
            gpointer  data,
            double    seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)(seconds * G_USEC_PER_SEC);

  while (!predicate (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Applies @edit (taking it) as one undoable step. */
static gboolean
apply (JgHistory *history,
       JgEdit    *edit)
{
  g_autoptr(JgEdit) owned = edit;

  return jg_history_apply (history, owned, NULL);
}

static JgWindow *
new_window (void)
{
  JgWindow *window = jg_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  iterate ();

  return window;
}

static gboolean
title_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (jg_window_get_title_text (JG_WINDOW (args[0])), args[1]) == 0;
}

static void
wait_for_title (JgWindow   *window,
                const char *title)
{
  gpointer args[] = { window, (gpointer)title };

  wait_until (title_is, args, 10);
}

static gboolean
banner_shown (gpointer data)
{
  return jg_window_get_banner_text (data) != NULL;
}

static void
destroy_window (JgWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

static void
test_new_window (void)
{
  JgWindow *window = new_window ();
  JgGraph  *graph = jg_history_get_graph (jg_window_get_history (window));

  g_assert_cmpstr (jg_window_get_title_text (window), ==, "Untitled Job");
  g_assert_true (jg_window_is_empty (window));
  g_assert_null (jg_window_get_file (window));
  /* A new graph starts with one job input to wire from. */
  g_assert_cmpuint (jg_graph_get_n_inputs (graph), ==, 1);
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 0);
  /* No task is a warning, not an error: nothing reads the input. */
  g_assert_cmpstr (jg_window_get_status_text (window), !=, NULL);

  destroy_window (window);
}

static void
test_open_document (void)
{
  g_autofree char *path = example_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  JgWindow *window = new_window ();
  JgGraph  *graph;

  jg_window_open_file (window, file);
  wait_for_title (window, "chained-encode.jobgraph");

  graph = jg_history_get_graph (jg_window_get_history (window));
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 2);
  g_assert_true (g_file_equal (jg_window_get_file (window), file));
  g_assert_false (jg_window_is_empty (window));
  /* The example uses the retired encoder twice: two warnings, no error. */
  g_assert_cmpstr (jg_window_get_status_text (window), ==, "2 warnings");
  g_assert_null (jg_window_get_banner_text (window));

  destroy_window (window);
}

static void
test_open_broken_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jg-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.jobgraph", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  JgWindow   *window = new_window ();
  JgGraph    *before = jg_history_get_graph (jg_window_get_history (window));
  const char *banner;

  g_assert_true (g_file_set_contents (path, "{\n  \"jobgraph\": 1,\n  \"tasks\": [ oops ]\n}\n", -1, NULL));

  jg_window_open_file (window, file);
  wait_until (banner_shown, window, 10);

  banner = jg_window_get_banner_text (window);
  g_assert_nonnull (strstr (banner, "broken.jobgraph"));
  /* Where: the line of the bad token. */
  g_assert_nonnull (strstr (banner, "3"));
  /* Nothing half-loaded: the window still shows its own graph. */
  g_assert_true (jg_history_get_graph (jg_window_get_history (window)) == before);
  g_assert_cmpstr (jg_window_get_title_text (window), ==, "Untitled Job");
  g_assert_true (jg_window_is_empty (window));

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_import_rest_body (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jg-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "job.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  JgWindow   *window = new_window ();
  JgGraph    *graph;
  const char *body =
    "{\"Name\":\"Imported Job\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":"
    "\"https://media.windows.net/api/Assets('nb%3Acid%3AUUID%3A11111111-2222-3333-4444-555555555555')\"}}],"
    "\"Tasks\":[{\"Name\":\"Encode\",\"Configuration\":\"H264 Single Bitrate 720p\","
    "\"MediaProcessorId\":\"nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56\","
    "\"TaskBody\":\"<?xml version=\\\"1.0\\\" encoding=\\\"utf-8\\\"?><taskBody>"
    "<inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}";

  g_assert_true (g_file_set_contents (path, body, -1, NULL));

  jg_window_open_file (window, file);
  wait_for_title (window, "job.jobgraph");

  graph = jg_history_get_graph (jg_window_get_history (window));
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 1);
  g_assert_cmpstr (jg_task_get_name (jg_graph_get_task (graph, 0)), ==, "Encode");
  /* An imported body is not the document: Save must ask where. */
  g_assert_null (jg_window_get_file (window));
  g_assert_cmpstr (jg_window_get_status_text (window), ==, "Valid");

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_edit_and_save (void)
{
  g_autofree char *example = example_path ();
  g_autofree char *dir = g_dir_make_tmp ("jg-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "copy.jobgraph", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) example_file = g_file_new_for_path (example);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JgGraph) reloaded = NULL;
  JgWindow  *window = new_window ();
  JgHistory *history;
  JgGraph   *graph;
  gsize      length;

  jg_window_open_file (window, example_file);
  wait_for_title (window, "chained-encode.jobgraph");

  history = jg_window_get_history (window);
  graph = jg_history_get_graph (history);
  g_assert_true (apply (history, jg_edit_new_set (graph, "name", "Renamed Job", NULL)));

  /* The title marks unsaved changes; undo is offered. */
  g_assert_cmpstr (jg_window_get_title_text (window), ==, "• chained-encode.jobgraph");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (window)));

  jg_window_save_to (window, file);
  wait_for_title (window, "copy.jobgraph");
  g_assert_true (g_file_equal (jg_window_get_file (window), file));
  g_assert_false (jg_history_get_modified (history));

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  reloaded = jg_document_parse (contents, length, NULL);
  g_assert_nonnull (reloaded);
  g_assert_cmpstr (jg_graph_get_name (reloaded), ==, "Renamed Job");
  g_assert_cmpuint (jg_graph_get_n_tasks (reloaded), ==, 2);

  /* Undo back past the save: modified again. */
  g_assert_true (jg_history_undo (history, NULL));
  g_assert_cmpstr (jg_window_get_title_text (window), ==, "• copy.jobgraph");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
status_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (jg_window_get_status_text (JG_WINDOW (args[0])), args[1]) == 0;
}

static void
test_live_status (void)
{
  JgWindow  *window = new_window ();
  JgHistory *history = jg_window_get_history (window);
  JgGraph   *graph = jg_history_get_graph (history);
  g_autoptr(JgTask) task = jg_task_new ("Encode", "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56",
                                         "H264 Single Bitrate 720p");
  g_autoptr(JgOutputAsset) asset = jg_output_asset_new ();
  gpointer args[] = { window, NULL };
  JgEdit  *group = jg_edit_new_group ("Add Task");

  jg_edit_group_add (group, jg_edit_new_insert_task (task, -1));
  jg_edit_group_add (group, jg_edit_new_insert_port (task, FALSE, 0, JG_REF_JOB_INPUT,
                                                     jg_graph_get_input (graph, 0), NULL));
  jg_edit_group_add (group, jg_edit_new_insert_port (task, TRUE, 0, JG_REF_OUTPUT_ASSET, asset, NULL));
  g_assert_true (apply (history, group));
  args[1] = (gpointer) "Valid";
  wait_until (status_is, args, 5);

  /* A task without a media processor is an error the header bar counts at once. */
  g_assert_true (apply (history, jg_edit_new_set (task, "processor-id", "", NULL)));
  args[1] = (gpointer) "1 error";
  wait_until (status_is, args, 5);

  g_assert_true (jg_history_undo (history, NULL));
  args[1] = (gpointer) "Valid";
  wait_until (status_is, args, 5);

  destroy_window (window);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return ui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
on_destroyed (gpointer data,
              GObject *where_the_object_was)
{
  *(gboolean *)data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *)data;
}

static void
test_close_asks_about_unsaved_changes (void)
{
  JgWindow         *window = new_window ();
  JgHistory        *history = jg_window_get_history (window);
  AdwMessageDialog *dialog;
  gboolean          destroyed = FALSE;

  g_object_weak_ref (G_OBJECT (window), on_destroyed, &destroyed);

  /* Untouched: closing just closes. Edited: it asks. */
  g_assert_true (apply (history, jg_edit_new_set (jg_history_get_graph (history), "name", "Mine", NULL)));
  gtk_window_close (GTK_WINDOW (window));
  wait_until (dialog_shown, NULL, 5);
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Changes?");
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));

  /* Cancel keeps the window and the work. */
  adw_message_dialog_response (dialog, "cancel");
  iterate ();
  g_assert_false (destroyed);
  g_assert_true (jg_history_get_modified (history));

  gtk_window_close (GTK_WINDOW (window));
  wait_until (dialog_shown, NULL, 5);
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "discard");
  wait_until (flag_set, &destroyed, 5);
}

static guint
count_autosaves (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "jobgraph", "autosave", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint       n = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".jobgraph"))
      n++;

  return n;
}

static void
clear_autosaves (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "jobgraph", "autosave", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
}

/* An autosave that parses as a graph named @data. */
static gboolean
has_autosave (gpointer data)
{
  g_autofree char *dir = g_build_filename (g_get_user_state_dir (), "jobgraph", "autosave", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(JgGraph) graph = NULL;
      gsize length;

      if (!g_str_has_suffix (name, ".jobgraph") || !g_file_get_contents (path, &contents, &length, NULL))
        continue;

      graph = jg_document_parse (contents, length, NULL);
      if (graph != NULL && g_strcmp0 (jg_graph_get_name (graph), data) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
graph_named (gpointer data)
{
  gpointer *args = data;
  JgGraph  *graph = jg_history_get_graph (jg_window_get_history (JG_WINDOW (args[0])));

  return g_strcmp0 (jg_graph_get_name (graph), args[1]) == 0;
}

static void
test_autosave_and_recovery (void)
{
  JgWindow  *window = new_window ();
  JgHistory *history = jg_window_get_history (window);
  JgWindow  *next;
  gpointer   args[2];

  clear_autosaves ();
  g_assert_true (apply (history, jg_edit_new_set (jg_history_get_graph (history), "name", "Unsaved Work", NULL)));

  /* A few seconds after the edit the work is on disk... */
  wait_until (has_autosave, (gpointer) "Unsaved Work", 10);

  /* ...and survives a crash: the window goes without a clean close. */
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
  g_assert_cmpuint (count_autosaves (), ==, 1);

  next = new_window ();
  jg_window_offer_recovery (next);
  g_assert_cmpuint (jg_window_get_n_recoverable (next), ==, 1);
  g_assert_nonnull (strstr (jg_window_get_banner_text (next), "unsaved work"));

  jg_window_recover (next);
  args[0] = next;
  args[1] = (gpointer) "Unsaved Work";
  wait_until (graph_named, args, 10);
  g_assert_true (jg_history_get_modified (jg_window_get_history (next)));
  g_assert_null (jg_window_get_banner_text (next));

  /* Discarding the recovered work on close removes the autosave. */
  gtk_window_close (GTK_WINDOW (next));
  wait_until (dialog_shown, NULL, 5);
  adw_message_dialog_response (find_message_dialog (), "discard");
  iterate ();
  g_assert_cmpuint (count_autosaves (), ==, 0);
}

static void
test_image_export (void)
{
  g_autofree char *path = example_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autoptr(GError) error = NULL;
  JgWindow     *window = new_window ();
  JgGraph      *graph;
  const guchar *data;
  gsize         size;

  jg_window_open_file (window, file);
  wait_for_title (window, "chained-encode.jobgraph");
  graph = jg_history_get_graph (jg_window_get_history (window));

  png = jg_graph_image_render (graph, JG_GRAPH_IMAGE_PNG, 1.0, GTK_WIDGET (window), &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (png, &size);
  g_assert_cmpuint (size, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);

  {
    g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (png, &error);

    g_assert_no_error (error);
    /* The whole graph, whatever the view: wider than two columns of nodes. */
    g_assert_cmpint (gdk_texture_get_width (texture), >, 2 * JG_LAYOUT_NODE_WIDTH);
  }

  svg = jg_graph_image_render (graph, JG_GRAPH_IMAGE_SVG, 1.0, GTK_WIDGET (window), &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (svg, &size);
  g_assert_nonnull (g_strstr_len ((const char *)data, size, "<svg"));

  destroy_window (window);
}

/* Canvas and pane preferences outlive the window (GSettings). */
static void
test_settings_persist (void)
{
  JgWindow *window = new_window ();
  gboolean  minimap = TRUE, snap = TRUE;

  g_object_set (window, "show-minimap", FALSE, "snap-to-grid", FALSE, NULL);
  gtk_window_close (GTK_WINDOW (window));
  iterate ();

  window = new_window ();
  g_object_get (window, "show-minimap", &minimap, "snap-to-grid", &snap, NULL);
  g_assert_false (minimap);
  g_assert_false (snap);

  g_object_set (window, "show-minimap", TRUE, "snap-to-grid", TRUE, NULL);
  destroy_window (window);
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
  int              status = 1;

  g_autofree char *home = g_dir_make_tmp ("jg-test-window-XXXXXX", NULL);
  g_autofree char *cmd = NULL;

  /* Private user directories, but not G_TEST_OPTION_ISOLATE_DIRS: that
   * also hides the system data directories, and with them the icon theme
   * and MIME database a whole window needs.
   */
  ui_test_set_home (home);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }

  adw_init ();

  g_test_add_func ("/jobgraph/ui/window/new", test_new_window);
  g_test_add_func ("/jobgraph/ui/window/open-document", test_open_document);
  g_test_add_func ("/jobgraph/ui/window/open-broken-file", test_open_broken_file);
  g_test_add_func ("/jobgraph/ui/window/import-rest-body", test_import_rest_body);
  g_test_add_func ("/jobgraph/ui/window/edit-and-save", test_edit_and_save);
  g_test_add_func ("/jobgraph/ui/window/live-status", test_live_status);
  g_test_add_func ("/jobgraph/ui/window/close-unsaved", test_close_asks_about_unsaved_changes);
  g_test_add_func ("/jobgraph/ui/window/autosave-recovery", test_autosave_and_recovery);
  g_test_add_func ("/jobgraph/ui/window/image-export", test_image_export);
  g_test_add_func ("/jobgraph/ui/window/settings-persist", test_settings_persist);

  /* Windows need a registered application for their actions and accels. */
  app = GTK_APPLICATION (adw_application_new ("io.github.jobgraph.Jobgraph.TestWindow",
                                              G_APPLICATION_NON_UNIQUE));
  g_signal_connect (app, "activate", G_CALLBACK (run_tests), &status);
  g_application_run (G_APPLICATION (app), 0, NULL);
  g_object_unref (app);

  cmd = g_strdup_printf ("rm -rf '%s'", home);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", home);

  return status;
}
