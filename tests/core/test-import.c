/* test-import.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "jg-core.h"

/* Format detection, the REST JSON variants, and clear errors for bodies
 * that cannot make a graph.
 */

#define MES       "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"
#define TASK_BODY "<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>"

static JgGraph *
import (const char *body,
        JgFormat    expected,
        GError    **error)
{
  JgFormat format = JG_FORMAT_UNKNOWN;
  JgGraph *graph = jg_import_data (body, strlen (body), &format, NULL, error);

  g_assert_cmpint (format, ==, expected);

  return graph;
}

static void
test_detect (void)
{
  g_assert_cmpint (jg_format_detect ("\xEF\xBB\xBF  {\"format\":\"jobgraph\"}", 26), ==, JG_FORMAT_DOCUMENT);
  g_assert_cmpint (jg_format_detect ("{\"Name\":\"x\"}", 12), ==, JG_FORMAT_JOB);
  g_assert_cmpint (jg_format_detect ("{\"TaskTemplates\":[]}", 20), ==, JG_FORMAT_TEMPLATE);
  /* Found by fuzz-json: string values never decide the format. */
  g_assert_cmpint (jg_format_detect ("{\"Name\":\"format\",\"Tasks\":[{\"Name\":\"jobgraph\"}]}", 47), ==, JG_FORMAT_JOB);
  g_assert_cmpint (jg_format_detect ("{\"Name\":\"TaskTemplates\"}", 24), ==, JG_FORMAT_JOB);
  g_assert_cmpint (jg_format_detect ("\r\n--batch_1\r\n", 13), ==, JG_FORMAT_BATCH);
  g_assert_cmpint (jg_format_detect ("<?xml version=\"1.0\"?><!-- c --><jobTemplate/>", 46), ==, JG_FORMAT_TEMPLATE_BODY);
  g_assert_cmpint (jg_format_detect ("<taskBody/>", 11), ==, JG_FORMAT_TASK_BODY);
  g_assert_cmpint (jg_format_detect ("hello", 5), ==, JG_FORMAT_UNKNOWN);
  g_assert_cmpint (jg_format_detect ("", 0), ==, JG_FORMAT_UNKNOWN);
}

static void
test_light_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = import (
    "{\"Name\":\"L\",\"Priority\":3,\"InputMediaAssets@odata.bind\":[\"https://e/api/Assets('nb%3Acid%3AUUID%3A2a22445d-1500-80c6-4b34-f1e5190d33c6')\"],"
    "\"Tasks\":[{\"Name\":\"T\",\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\",\"Priority\":\"5\",\"TaskBody\":\"" TASK_BODY "\"}]}",
    JG_FORMAT_JOB, &error);

  g_assert_no_error (error);
  g_assert_cmpint (jg_graph_get_priority (graph), ==, 3);
  g_assert_cmpint (jg_task_get_priority (jg_graph_get_task (graph, 0)), ==, 5);
  g_assert_cmpstr (jg_job_input_get_asset_id (jg_graph_get_input (graph, 0)), ==,
                   "nb:cid:UUID:2a22445d-1500-80c6-4b34-f1e5190d33c6");
}

static void
test_verbose_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = import (
    "{\"d\":{\"Name\":\"R\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"nb:cid:UUID:1\"}}],"
    "\"Tasks\":[{\"Configuration\":\"\",\"MediaProcessorId\":\"" MES "\",\"TaskBody\":\"" TASK_BODY "\"}]}}",
    JG_FORMAT_JOB, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (jg_graph_get_name (graph), ==, "R");
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 1);
}

static void
test_bad_bodies (void)
{
  const struct
  {
    const char *body;
    const char *message_part;
  } cases[] = {
    { "{\"Name\":\"x\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"https://e/api/Files('x')\"}}]}", "InputMediaAssets[0]" },
    { "{\"Name\":\"x\",\"Tasks\":[{\"MediaProcessorId\":\"" MES "\"}]}", "Tasks[0].TaskBody" },
    { "{\"Name\":\"x\",\"Tasks\":{}}", "Tasks must be an array" },
    { "{\"Name\":5}", "Name must be a string" },
    /* Found by fuzz-json: text that decodes to bytes that are not UTF-8. */
    { "{\"Name\":\"x\",\"InputMediaAssets@odata.bind\":[\"https://e/api/Assets('nb%3Acid%3A%D3')\"]}", "InputMediaAssets@odata.bind[0]" },
    { "{\"Name\":\"x\",\"TemplateId\":\"nb:jtid:UUID:15e6e5e6-ac85-084e-9dc2-db3645fbf0aa\"}", "template" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgGraph) graph = jg_import_data (cases[i].body, strlen (cases[i].body), NULL, NULL, &error);

      g_assert_null (graph);
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
      if (strstr (error->message, cases[i].message_part) == NULL)
        g_error ("case %u: “%s” does not mention “%s”", i, error->message, cases[i].message_part);
    }
}

static void
test_unknown_and_broken (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GError) deep_error = NULL;
  g_autoptr(JgGraph) graph = import ("plain text", JG_FORMAT_UNKNOWN, &error);
  g_autoptr(JgGraph) broken = import ("{\n\"Name\": \"x\",\n  \"Tasks\": [\n}", JG_FORMAT_JOB, &json_error);
  g_autofree char *deep = NULL;
  g_autoptr(JgGraph) deep_graph = NULL;
  int line, column;

  g_assert_null (graph);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_UNKNOWN_KIND);

  g_assert_null (broken);
  g_assert_error (json_error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_true (jg_format_error_get_position (json_error, &line, &column));
  g_assert_cmpint (line, ==, 4);

  /* Found by fuzzing: json-glib leaks on these, so they never reach it. */
  {
    const char *refused[] = { "{\"Name\":\"x\"}{}", "{\"Name\":\"\\ud80e\\ud800\"}", "{\"Name\":\"\\udc00\"}", "{\"Name\":\"Enco\\ud800de\"}" };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(GError) refused_error = NULL;
        g_autoptr(JgGraph) refused_graph = jg_import_data (refused[i], strlen (refused[i]), NULL, NULL, &refused_error);

        g_assert_null (refused_graph);
        g_assert_error (refused_error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
      }
  }

  /* Nesting that would exhaust json-glib's recursion is refused first. */
  deep = g_strnfill (200000, '[');
  deep[0] = '{';
  deep_graph = jg_import_data (deep, strlen (deep), NULL, NULL, &deep_error);
  g_assert_null (deep_graph);
  g_assert_error (deep_error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_TOO_LARGE);
}

static void
test_lone_task_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = import (
    "<?xml version=\"1.0\" encoding=\"utf-16\"?><taskBody><inputAsset>JobInputAsset(1)</inputAsset>"
    "<outputAsset assetName=\"Thumbs\">JobOutputAsset(0)</outputAsset></taskBody>",
    JG_FORMAT_TASK_BODY, &error);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(GBytes) body = NULL;
  JgExportOptions options = { 0 };

  g_assert_no_error (error);
  /* A lone TaskBody implies the inputs it names. */
  g_assert_cmpuint (jg_graph_get_n_inputs (graph), ==, 2);
  diagnostics = jg_import_validate (graph, JG_FORMAT_TASK_BODY, NULL, NULL);
  g_assert_cmpuint (diagnostics->len, ==, 0);

  body = jg_export_graph (graph, JG_EXPORT_TASK_BODY, &options, &error);
  g_assert_no_error (error);
  /* Renumbered contiguously: the first input read is JobInputAsset(0). */
  g_assert_cmpstr (g_bytes_get_data (body, NULL), ==,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?><taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
                   "<outputAsset assetName=\"Thumbs\">JobOutputAsset(0)</outputAsset></taskBody>\n");
}

static void
test_unbound_input_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = import (TASK_BODY, JG_FORMAT_TASK_BODY, &error);
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(GBytes) bound = NULL;
  const char     *ids[] = { "nb:cid:UUID:aab7f15b-3136-4ddf-9962-e9ecb28fb9d2", NULL };
  JgExportOptions options = { 0 };

  g_assert_no_error (error);
  refused = jg_export_graph (graph, JG_EXPORT_JOB, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_UNBOUND_INPUT);
  g_assert_nonnull (strstr (error->message, "JobInputAsset(0)"));
  g_clear_error (&error);

  options.input_asset_ids = ids;
  bound = jg_export_graph (graph, JG_EXPORT_BATCH, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bound, NULL), g_bytes_get_size (bound),
                                  "Assets('nb%3Acid%3AUUID%3Aaab7f15b-3136-4ddf-9962-e9ecb28fb9d2')"));
}

static void
test_numbering_is_contiguous (void)
{
  /* Outputs 5 and 9 and input 1 before 0: exported as 0, 1 and 0, 1. */
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = import (
    "{\"Name\":\"N\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"nb:cid:UUID:a\"}},{\"__metadata\":{\"uri\":\"nb:cid:UUID:b\"}}],"
    "\"Tasks\":[{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\",\"TaskBody\":"
    "\"<taskBody><inputAsset>JobInputAsset(1)</inputAsset><outputAsset>JobOutputAsset(5)</outputAsset></taskBody>\"},"
    "{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\",\"TaskBody\":"
    "\"<taskBody><inputAsset>JobOutputAsset(5)</inputAsset><inputAsset>JobInputAsset(0)</inputAsset>"
    "<outputAsset>JobOutputAsset(9)</outputAsset></taskBody>\"}]}",
    JG_FORMAT_JOB, &error);
  g_autoptr(GBytes) body = NULL;
  const char *text;

  g_assert_no_error (error);
  body = jg_export_graph (graph, JG_EXPORT_JOB, NULL, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (body, NULL);
  g_assert_nonnull (strstr (text, "<inputAsset>JobOutputAsset(0)</inputAsset><inputAsset>JobInputAsset(1)</inputAsset>"
                                  "<outputAsset>JobOutputAsset(1)</outputAsset>"));
  /* InputMediaAssets follow the new numbering: b (read first) then a. */
  g_assert_true (strstr (text, "UUID%3Ab") < strstr (text, "UUID%3Aa"));
}

static void
test_batch_crlf_and_errors (void)
{
  const char *crlf =
    "--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n"
    "--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
    "POST https://e/api/Jobs HTTP/1.1\r\nContent-ID: 1\r\nContent-Type: application/json\r\n\r\n"
    "{\"Name\":\"B\",\"InputMediaAssets@odata.bind\":[\"https://e/api/Assets('nb%3Acid%3AUUID%3A1')\"]}\r\n"
    "--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
    "POST https://e/api/$1/Tasks HTTP/1.1\r\nContent-ID: 2\r\nContent-Type: application/json\r\n\r\n"
    "{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\",\"TaskBody\":\"" TASK_BODY "\"}\r\n"
    "--changeset_1--\r\n--batch_1--\r\n";
  const char *no_job =
    "--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n"
    "--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
    "POST https://e/api/Assets HTTP/1.1\r\nContent-ID: 1\r\n\r\n{}\r\n"
    "--changeset_1--\r\n--batch_1--\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = import (crlf, JG_FORMAT_BATCH, &error);
  g_autoptr(JgGraph) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (jg_graph_get_name (graph), ==, "B");
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 1);

  none = import (no_job, JG_FORMAT_BATCH, &error);
  g_assert_null (none);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
}

static void
test_layout_left_to_right (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "seed", "chained-job.json", NULL);
  g_autofree char *data = NULL;
  g_autoptr(JgGraph) graph = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  graph = jg_import_data (data, length, NULL, NULL, NULL);
  g_assert_nonnull (graph);
  g_assert_cmpfloat (jg_job_input_get_x (jg_graph_get_input (graph, 0)), <, jg_task_get_x (jg_graph_get_task (graph, 0)));
  g_assert_cmpfloat (jg_task_get_x (jg_graph_get_task (graph, 0)), <, jg_task_get_x (jg_graph_get_task (graph, 1)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/import/detect", test_detect);
  g_test_add_func ("/jobgraph/core/import/light-json", test_light_json);
  g_test_add_func ("/jobgraph/core/import/verbose-response", test_verbose_response);
  g_test_add_func ("/jobgraph/core/import/bad-bodies", test_bad_bodies);
  g_test_add_func ("/jobgraph/core/import/unknown-and-broken", test_unknown_and_broken);
  g_test_add_func ("/jobgraph/core/import/lone-task-body", test_lone_task_body);
  g_test_add_func ("/jobgraph/core/import/unbound-input", test_unbound_input_refused);
  g_test_add_func ("/jobgraph/core/import/contiguous-numbering", test_numbering_is_contiguous);
  g_test_add_func ("/jobgraph/core/import/batch", test_batch_crlf_and_errors);
  g_test_add_func ("/jobgraph/core/import/layout", test_layout_left_to_right);

  return g_test_run ();
}
