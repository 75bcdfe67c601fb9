/* test-seed.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "jg-core.h"

/* The original document's four request bodies (tests/data/seed/): each is
 * imported, validates without errors, and re-exports to a body that says
 * the same thing; export → import → export is then byte-stable.
 */

static char *
read_seed (const char *name,
           gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "seed", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, length, &error);
  g_assert_no_error (error);

  return data;
}

static JgGraph *
import_seed (const char *name,
             JgFormat    expected_format,
             GPtrArray **diagnostics_out)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  JgGraph         *graph;
  JgFormat         format;
  gsize            length;

  data = read_seed (name, &length);
  graph = jg_import_data (data, length, &format, found, &error);
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, expected_format);

  *diagnostics_out = jg_import_validate (graph, format, found, NULL);

  return graph;
}

static void
assert_only_deprecation_warnings (GPtrArray *diagnostics,
                                  guint      expected)
{
  for (guint i = 0; i < diagnostics->len; i++)
    {
      JgDiagnostic *d = g_ptr_array_index (diagnostics, i);

      g_assert_cmpint (jg_diagnostic_get_severity (d), ==, JG_SEVERITY_WARNING);
      g_assert_cmpstr (jg_diagnostic_get_code (d), ==, "deprecated-processor");
    }

  g_assert_cmpuint (diagnostics->len, ==, expected);
}

static char *
export_string (JgGraph     *graph,
               JgExportKind kind)
{
  JgExportOptions options = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  options.batch_boundary = "batch_fixed";
  options.changeset_boundary = "changeset_fixed";
  bytes = jg_export_graph (graph, kind, &options, &error);
  g_assert_no_error (error);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* export → import → export gives the same bytes. */
static void
assert_stable (JgGraph     *graph,
               JgExportKind kind)
{
  g_autofree char *first = export_string (graph, kind);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) again = jg_import_data (first, strlen (first), NULL, NULL, &error);
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  second = export_string (again, kind);
  g_assert_cmpstr (first, ==, second);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **keep)
{
  g_autoptr(GError) error = NULL;

  *keep = jg_json_parse (text, -1, &error);
  g_assert_no_error (error);

  return json_node_get_object (*keep);
}

/* Compares two TaskBody strings by what they say, not how. */
static void
assert_same_task_body (const char *a,
                       const char *b)
{
  g_autoptr(JgTaskBody) body_a = jg_task_body_parse (a, -1, NULL);
  g_autoptr(JgTaskBody) body_b = jg_task_body_parse (b, -1, NULL);
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  g_assert_nonnull (body_a);
  g_assert_nonnull (body_b);
  text_a = jg_task_body_to_string (body_a);
  text_b = jg_task_body_to_string (body_b);
  g_assert_cmpstr (text_a, ==, text_b);
}

/* The exported Job body says what the seed's body says. */
static void
assert_same_job (const char *seed_name,
                 const char *exported)
{
  g_autofree char *seed = read_seed (seed_name, NULL);
  g_autoptr(JsonNode) seed_root = NULL;
  g_autoptr(JsonNode) export_root = NULL;
  JsonObject *a = parse_object (seed, &seed_root);
  JsonObject *b = parse_object (exported, &export_root);
  JsonArray  *tasks_a = json_object_get_array_member (a, "Tasks");
  JsonArray  *tasks_b = json_object_get_array_member (b, "Tasks");
  JsonArray  *inputs_a = json_object_get_array_member (a, "InputMediaAssets");
  JsonArray  *inputs_b = json_object_get_array_member (b, "InputMediaAssets");

  g_assert_cmpstr (json_object_get_string_member (a, "Name"), ==, json_object_get_string_member (b, "Name"));
  g_assert_cmpuint (json_array_get_length (inputs_a), ==, json_array_get_length (inputs_b));
  for (guint i = 0; i < json_array_get_length (inputs_a); i++)
    {
      const char      *uri_a = json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (inputs_a, i), "__metadata"), "uri");
      const char      *uri_b = json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (inputs_b, i), "__metadata"), "uri");
      g_autofree char *id_a = jg_rest_dup_asset_id_from_uri (uri_a);
      g_autofree char *id_b = jg_rest_dup_asset_id_from_uri (uri_b);

      g_assert_cmpstr (id_a, ==, id_b);
    }

  g_assert_cmpuint (json_array_get_length (tasks_a), ==, json_array_get_length (tasks_b));
  for (guint i = 0; i < json_array_get_length (tasks_a); i++)
    {
      JsonObject *ta = json_array_get_object_element (tasks_a, i);
      JsonObject *tb = json_array_get_object_element (tasks_b, i);

      g_assert_cmpstr (json_object_get_string_member (ta, "Configuration"), ==, json_object_get_string_member (tb, "Configuration"));
      g_assert_cmpstr (json_object_get_string_member (ta, "MediaProcessorId"), ==, json_object_get_string_member (tb, "MediaProcessorId"));
      assert_same_task_body (json_object_get_string_member (ta, "TaskBody"), json_object_get_string_member (tb, "TaskBody"));
    }
}

static void
test_single_task (void)
{
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = import_seed ("single-task-job.json", JG_FORMAT_JOB, &diagnostics);
  g_autofree char *exported = NULL;

  assert_only_deprecation_warnings (diagnostics, 1);
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 1);
  g_assert_cmpstr (jg_job_input_get_asset_id (jg_graph_get_input (graph, 0)), ==,
                   "nb:cid:UUID:aab7f15b-3136-4ddf-9962-e9ecb28fb9d2");

  exported = export_string (graph, JG_EXPORT_JOB);
  assert_same_job ("single-task-job.json", exported);
  assert_stable (graph, JG_EXPORT_JOB);
}

static void
test_chained (void)
{
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = import_seed ("chained-job.json", JG_FORMAT_JOB, &diagnostics);
  g_autofree char *exported = NULL;
  GObject         *source;

  assert_only_deprecation_warnings (diagnostics, 2);
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 2);

  /* The second task reads the first one's output: an edge. */
  g_assert_cmpint (jg_task_get_input (jg_graph_get_task (graph, 1), 0, &source, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_true (jg_output_asset_get_index (JG_OUTPUT_ASSET (source)) == 0);

  exported = export_string (graph, JG_EXPORT_JOB);
  assert_same_job ("chained-job.json", exported);
  /* The utf-16 declaration is not carried over. */
  g_assert_null (strstr (exported, "utf-16"));
  assert_stable (graph, JG_EXPORT_JOB);
  assert_stable (graph, JG_EXPORT_BATCH);
  assert_stable (graph, JG_EXPORT_DOCUMENT);
}

static void
test_batch (void)
{
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = import_seed ("batch-job.batch", JG_FORMAT_BATCH, &diagnostics);
  g_autofree char *exported = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  JgTask  *task;
  GObject *output;

  assert_only_deprecation_warnings (diagnostics, 1);
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 1);
  task = jg_graph_get_task (graph, 0);
  g_assert_cmpstr (jg_task_get_configuration (task), ==, "H264 Adaptive Bitrate MP4 Set 720p");
  jg_task_get_output (task, 0, &output, NULL);
  g_assert_cmpstr (jg_output_asset_get_asset_name (JG_OUTPUT_ASSET (output)), ==, "Custom output name");
  g_assert_cmpstr (jg_job_input_get_asset_id (jg_graph_get_input (graph, 0)), ==,
                   "nb:cid:UUID:2a22445d-1500-80c6-4b34-f1e5190d33c6");

  exported = export_string (graph, JG_EXPORT_BATCH);
  parts = jg_batch_parse (NULL, exported, strlen (exported), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 2);
  g_assert_true (g_str_has_suffix (((JgBatchPart *)g_ptr_array_index (parts, 0))->uri, "/Jobs"));
  g_assert_true (g_str_has_suffix (((JgBatchPart *)g_ptr_array_index (parts, 1))->uri, "/$1/Tasks"));
  g_assert_nonnull (strstr (exported, "assetName=\\\"Custom output name\\\""));
  assert_stable (graph, JG_EXPORT_BATCH);
}

static void
test_job_template (void)
{
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = import_seed ("job-template.json", JG_FORMAT_TEMPLATE, &diagnostics);
  g_autofree char *exported = NULL;
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JgGraph) reimported = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) revalidated = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  JsonObject *object;
  JsonObject *task_template;
  JgTaskBody *body;

  assert_only_deprecation_warnings (diagnostics, 1);
  g_assert_cmpstr (jg_task_get_name (jg_graph_get_task (graph, 0)), ==, "SampleTaskTemplate2");

  exported = export_string (graph, JG_EXPORT_TEMPLATE);
  object = parse_object (exported, &root);
  g_assert_cmpstr (json_object_get_string_member (object, "Name"), ==, "NewJobTemplate25");
  g_assert_cmpint (json_object_get_int_member (object, "TemplateType"), ==, 1);
  task_template = json_array_get_object_element (json_object_get_array_member (object, "TaskTemplates"), 0);
  g_assert_cmpstr (json_object_get_string_member (task_template, "Configuration"), ==, "H264 Smooth Streaming 720p");
  g_assert_cmpint (json_object_get_int_member (task_template, "NumberofInputAssets"), ==, 1);

  /* A fresh TaskTemplate id, the same in the body and in TaskTemplates. */
  g_assert_true (jg_is_entity_id (json_object_get_string_member (task_template, "Id"), "ttid"));
  g_assert_cmpstr (json_object_get_string_member (task_template, "Id"), !=, "nb:ttid:UUID:071370A3-E63E-4E81-A099-AD66BCAC3789");
  bodies = jg_job_template_body_parse (json_object_get_string_member (object, "JobTemplateBody"), -1, &error);
  g_assert_no_error (error);
  body = g_ptr_array_index (bodies, 0);
  g_assert_cmpstr (body->task_template_id, ==, json_object_get_string_member (task_template, "Id"));

  reimported = jg_import_data (exported, strlen (exported), NULL, found, &error);
  g_assert_no_error (error);
  revalidated = jg_import_validate (reimported, JG_FORMAT_TEMPLATE, found, NULL);
  assert_only_deprecation_warnings (revalidated, 1);

  /* Stable apart from the fresh ids. */
  again = export_string (reimported, JG_EXPORT_TEMPLATE);
  g_assert_cmpuint (strlen (again), ==, strlen (exported));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/seed/single-task", test_single_task);
  g_test_add_func ("/jobgraph/core/seed/chained", test_chained);
  g_test_add_func ("/jobgraph/core/seed/batch", test_batch);
  g_test_add_func ("/jobgraph/core/seed/job-template", test_job_template);

  return g_test_run ();
}
