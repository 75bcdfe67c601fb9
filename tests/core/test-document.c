/* test-document.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "jg-core.h"

/* The .jobgraph format round-trips the whole model and its layout,
 * refuses newer versions clearly, and saves atomically.
 */

#define MES "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

static JgGraph *
new_rich_graph (void)
{
  JgGraph *graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new ("Mezzanine “main”");
  g_autoptr(JgJobInput) spare = jg_job_input_new (NULL);
  g_autoptr(JgTask) a = jg_task_new ("Encode & package", MES, "Adaptive Streaming");
  g_autoptr(JgTask) b = jg_task_new (NULL, MES, "<Preset/>");
  g_autoptr(JgOutputAsset) shared = jg_output_asset_new ();
  g_autoptr(JgOutputAsset) other = jg_output_asset_new ();

  jg_graph_set_name (graph, "Rich");
  jg_graph_set_priority (graph, 7);
  jg_graph_set_api_version (graph, "2.12");
  jg_graph_set_viewport (graph, 12.5, -3, 1.5);
  jg_job_input_set_asset_id (input, "nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c");
  jg_job_input_set_position (input, 1, 2);
  jg_output_asset_set_asset_name (shared, "Out <1>");
  jg_output_asset_set_creation_options (shared, 0);
  jg_output_asset_set_format_option (shared, 1);
  jg_output_asset_set_storage_account_name (other, "store");
  jg_task_set_options (a, 1);
  jg_task_set_priority (a, -2);
  jg_task_set_position (a, 300.25, 40);

  jg_graph_append_input (graph, input);
  jg_graph_append_input (graph, spare);
  jg_graph_append_task (graph, a);
  jg_graph_append_task (graph, b);
  jg_graph_add_task_port (graph, a, FALSE, JG_REF_JOB_INPUT, input, NULL);
  jg_graph_add_task_port (graph, a, FALSE, JG_REF_NONE, NULL, NULL);
  jg_graph_add_task_port (graph, a, TRUE, JG_REF_OUTPUT_ASSET, shared, NULL);
  jg_graph_add_task_port (graph, b, FALSE, JG_REF_OUTPUT_ASSET, shared, NULL);
  jg_graph_add_task_port (graph, b, FALSE, JG_REF_TEXT, NULL, "JobInputAsset(9)");
  jg_graph_add_task_port (graph, b, TRUE, JG_REF_OUTPUT_ASSET, other, NULL);
  jg_graph_add_task_port (graph, b, TRUE, JG_REF_OUTPUT_ASSET, shared, NULL);

  return graph;
}

static char *
serialize (JgGraph *graph)
{
  g_autoptr(GBytes) bytes = jg_document_serialize (graph);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_round_trip (void)
{
  g_autoptr(JgGraph) graph = new_rich_graph ();
  g_autofree char *first = serialize (graph);
  g_autofree char *second = NULL;
  g_autoptr(JgGraph) copy = NULL;
  g_autoptr(GError) error = NULL;
  GObject *a_out, *b_shared, *b_in;
  double   x, y, zoom;

  copy = jg_document_parse (first, strlen (first), &error);
  g_assert_no_error (error);

  second = serialize (copy);
  g_assert_cmpstr (first, ==, second);

  /* Identity survives: the shared output is one object again. */
  jg_task_get_output (jg_graph_get_task (copy, 0), 0, &a_out, NULL);
  jg_task_get_output (jg_graph_get_task (copy, 1), 1, &b_shared, NULL);
  jg_task_get_input (jg_graph_get_task (copy, 1), 0, &b_in, NULL);
  g_assert_true (a_out == b_shared);
  g_assert_true (a_out == b_in);
  g_assert_cmpstr (jg_output_asset_get_asset_name (JG_OUTPUT_ASSET (a_out)), ==, "Out <1>");
  g_assert_cmpint (jg_task_get_input (jg_graph_get_task (copy, 0), 1, NULL, NULL), ==, JG_REF_NONE);
  g_assert_cmpstr (jg_graph_get_api_version (copy), ==, "2.12");
  jg_graph_get_viewport (copy, &x, &y, &zoom);
  g_assert_cmpfloat (zoom, ==, 1.5);
  g_assert_cmpfloat (jg_task_get_x (jg_graph_get_task (copy, 0)), ==, 300.25);
}

static void
test_newer_version_refused (void)
{
  const char *doc = "{\"format\": \"jobgraph\", \"version\": 2, \"tasks\": []}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = jg_document_parse (doc, strlen (doc), &error);

  g_assert_null (graph);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version of Jobgraph"));
}

static void
test_bad_documents (void)
{
  const char *cases[] = {
    "{\"format\": \"jobgraph\", \"version\": 1, \"tasks\": [{\"inputs\": [{\"input\": 3}]}]}",
    "{\"format\": \"jobgraph\", \"version\": 1, \"tasks\": [{\"outputs\": [{\"input\": 0}]}], \"inputs\": [{}]}",
    "{\"format\": \"jobgraph\", \"version\": 1, \"tasks\": {}}",
    "{\"format\": \"jobgraph\", \"version\": 1, \"job\": {\"name\": 5}}",
    "{\"format\": \"jobgraph\", \"tasks\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgGraph) graph = jg_document_parse (cases[i], strlen (cases[i]), &error);

      g_assert_null (graph);
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
    }
}

static void
test_parse_error_position (void)
{
  const char *doc = "{\n  \"format\": \"jobgraph\",\n  \"version\": 1,,\n}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = jg_import_data (doc, strlen (doc), NULL, NULL, &error);
  g_autofree char *described = NULL;
  int              line, column;

  g_assert_null (graph);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_true (jg_format_error_get_position (error, &line, &column));
  g_assert_cmpint (line, ==, 3);
  described = jg_format_error_describe (error, "job.jobgraph");
  g_assert_true (g_str_has_prefix (described, "job.jobgraph:3:"));
}

static void
test_save_and_load (void)
{
  g_autoptr(JgGraph) graph = new_rich_graph ();
  g_autofree char *dir = g_dir_make_tmp ("jobgraph-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "job.jobgraph", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) loaded = NULL;
  g_autofree char *expected = serialize (graph);
  g_autofree char *actual = NULL;
  g_autofree char *on_disk = NULL;
  JgFormat         format;

  g_assert_true (jg_document_save (graph, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &on_disk, NULL, NULL));
  g_assert_cmpstr (on_disk, ==, expected);

  /* Overwrite: still one complete file, no temporary left beside it. */
  jg_graph_set_name (graph, "Renamed");
  g_assert_true (jg_document_save (graph, file, NULL, &error));
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (listing))
      n++;
    g_assert_cmpuint (n, ==, 1);
  }

  loaded = jg_document_load (file, &format, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, JG_FORMAT_DOCUMENT);
  g_assert_cmpstr (jg_graph_get_name (loaded), ==, "Renamed");
  actual = serialize (loaded);
  g_assert_nonnull (strstr (actual, "\"Renamed\""));

  g_unlink (path);
  g_rmdir (dir);
}

typedef struct
{
  GMainLoop *loop;
  JgGraph   *graph;
  GError    *error;
  gboolean   saved;
} AsyncState;

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncState *state = user_data;

  state->saved = jg_document_save_finish (result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncState *state = user_data;

  state->graph = jg_document_load_finish (result, NULL, NULL, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (void)
{
  g_autoptr(JgGraph) graph = new_rich_graph ();
  g_autofree char *dir = g_dir_make_tmp ("jobgraph-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "async.jobgraph", NULL);
  g_autofree char *missing_path = g_build_filename (dir, "missing.jobgraph", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  AsyncState state = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE };

  jg_document_save_async (graph, file, NULL, save_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_true (state.saved);

  jg_document_load_async (file, NULL, load_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_cmpstr (jg_graph_get_name (state.graph), ==, "Rich");
  g_clear_object (&state.graph);

  jg_document_load_async (missing, NULL, load_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&state.error);

  g_main_loop_unref (state.loop);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/document/round-trip", test_round_trip);
  g_test_add_func ("/jobgraph/core/document/newer-version", test_newer_version_refused);
  g_test_add_func ("/jobgraph/core/document/bad-documents", test_bad_documents);
  g_test_add_func ("/jobgraph/core/document/parse-error-position", test_parse_error_position);
  g_test_add_func ("/jobgraph/core/document/save-and-load", test_save_and_load);
  g_test_add_func ("/jobgraph/core/document/async", test_async);

  return g_test_run ();
}
