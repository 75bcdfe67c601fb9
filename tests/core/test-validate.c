/* test-validate.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "jg-core.h"

/* One case per rule code of DESIGN.md that fires it, and a near miss that
 * does not. The last test checks that every code was seen.
 */

#define MES        "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"
#define AME        "nb:mpid:UUID:2e7aa8f3-4961-4e0c-b4db-0e0439e524f5"
#define DECRYPT    "nb:mpid:UUID:aec03716-7c5e-4f68-b592-f4850eba9f10"
#define UNKNOWN    "nb:mpid:UUID:01234567-89ab-cdef-0123-456789abcdef"
#define MES_PRESET "Adaptive Streaming"

/* Applies @edit (consumed) and drops the inverse. */
static void
apply_edit (JgGraph *graph,
            JgEdit  *edit)
{
  JgEdit *inverse = jg_graph_apply (graph, edit, NULL);

  g_assert_nonnull (inverse);
  jg_edit_unref (inverse);
  jg_edit_unref (edit);
}

static GHashTable *fired_codes;

static GPtrArray *
validate_with (JgGraph    *graph,
               const char *api_version)
{
  JgValidateOptions options = { api_version, jg_graph_get_account_processors (graph), 0 };
  GPtrArray        *diagnostics = jg_validate_graph (graph, &options);

  for (guint i = 0; i < diagnostics->len; i++)
    g_hash_table_add (fired_codes, (char *)jg_diagnostic_get_code (g_ptr_array_index (diagnostics, i)));

  return diagnostics;
}

static GPtrArray *
validate (JgGraph *graph)
{
  return validate_with (graph, NULL);
}

static JgDiagnostic *
find (GPtrArray  *diagnostics,
      const char *code)
{
  for (guint i = 0; i < diagnostics->len; i++)
    if (g_str_equal (jg_diagnostic_get_code (g_ptr_array_index (diagnostics, i)), code))
      return g_ptr_array_index (diagnostics, i);

  return NULL;
}

static guint
count (GPtrArray  *diagnostics,
       const char *code)
{
  guint n = 0;

  for (guint i = 0; i < diagnostics->len; i++)
    if (g_str_equal (jg_diagnostic_get_code (g_ptr_array_index (diagnostics, i)), code))
      n++;

  return n;
}

#define assert_fires(diags, code, severity)                                  \
  G_STMT_START                                                               \
  {                                                                          \
    JgDiagnostic *_d = find (diags, code);                                   \
    if (_d == NULL)                                                          \
      g_error ("expected %s, got %u other diagnostics", code, (diags)->len); \
    g_assert_cmpint (jg_diagnostic_get_severity (_d), ==, severity);         \
  }                                                                          \
  G_STMT_END

#define assert_not_fired(diags, code) g_assert_null (find (diags, code))

static void
assert_clean (GPtrArray *diagnostics)
{
  for (guint i = 0; i < diagnostics->len; i++)
    g_printerr ("unexpected: %s: %s\n",
                jg_diagnostic_get_code (g_ptr_array_index (diagnostics, i)),
                jg_diagnostic_get_message (g_ptr_array_index (diagnostics, i)));
  g_assert_cmpuint (diagnostics->len, ==, 0);
}

static JgTask *
add_task (JgGraph    *graph,
          const char *name,
          GObject    *source)
{
  g_autoptr(JgTask) task = jg_task_new (name, MES, MES_PRESET);
  g_autoptr(JgOutputAsset) output = jg_output_asset_new ();

  jg_graph_append_task (graph, task);
  if (source != NULL)
    jg_graph_add_task_port (graph, task, FALSE,
                            JG_IS_JOB_INPUT (source) ? JG_REF_JOB_INPUT : JG_REF_OUTPUT_ASSET,
                            source, NULL);
  jg_graph_add_task_port (graph, task, TRUE, JG_REF_OUTPUT_ASSET, output, NULL);

  return task;
}

static GObject *
output_of (JgTask *task,
           guint   index)
{
  GObject *object;

  jg_task_get_output (task, index, &object, NULL);

  return object;
}

/* A valid chain of @n tasks reading one input. */
static JgGraph *
new_chain (guint n)
{
  JgGraph *graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new ("Mezzanine");
  GObject *source = G_OBJECT (input);

  jg_graph_set_name (graph, "Chain");
  jg_graph_append_input (graph, input);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Step %u", i);
      JgTask          *task = add_task (graph, name, source);

      source = output_of (task, 0);
    }

  return graph;
}

static GPtrArray *
import_validate (const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JgGraph) graph = NULL;
  GPtrArray *all;
  JgFormat   format;

  graph = jg_import_data (body, strlen (body), &format, found, &error);
  g_assert_no_error (error);
  all = jg_import_validate (graph, format, found, NULL);

  for (guint i = 0; i < all->len; i++)
    g_hash_table_add (fired_codes, (char *)jg_diagnostic_get_code (g_ptr_array_index (all, i)));

  return all;
}

static void
test_clean_chain (void)
{
  g_autoptr(JgGraph) graph = new_chain (3);
  g_autoptr(GPtrArray) diags = validate (graph);

  assert_clean (diags);
}

static void
test_no_tasks (void)
{
  g_autoptr(JgGraph) graph = new_chain (0);
  g_autoptr(JgGraph) near = new_chain (1);
  g_autoptr(GPtrArray) diags = validate (graph);
  g_autoptr(GPtrArray) near_diags = validate (near);

  assert_fires (diags, "no-tasks", JG_SEVERITY_ERROR);
  assert_not_fired (near_diags, "no-tasks");
}

static void
test_too_many_tasks (void)
{
  g_autoptr(JgGraph) graph = new_chain (31);
  g_autoptr(JgGraph) near = new_chain (30);
  g_autoptr(GPtrArray) diags = validate (graph);
  g_autoptr(GPtrArray) near_diags = validate (near);

  assert_fires (diags, "too-many-tasks", JG_SEVERITY_ERROR);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (find (diags, "too-many-tasks")), "31"));
  assert_clean (near_diags);
}

static void
test_cycle (void)
{
  g_autoptr(JgGraph) graph = new_chain (0);
  g_autoptr(JgOutputAsset) a_out = jg_output_asset_new ();
  g_autoptr(JgOutputAsset) b_out = jg_output_asset_new ();
  g_autoptr(JgOutputAsset) c_out = jg_output_asset_new ();
  g_autoptr(JgTask) a = jg_task_new ("Encode", MES, MES_PRESET);
  g_autoptr(JgTask) b = jg_task_new ("Package", MES, MES_PRESET);
  g_autoptr(JgTask) c = jg_task_new ("Thumbs", MES, MES_PRESET);
  g_autoptr(GPtrArray) diags = NULL;
  g_autoptr(GPtrArray) near_diags = NULL;
  g_autoptr(JgGraph) near = new_chain (5);
  JgDiagnostic *d;
  const char   *message;

  jg_graph_append_task (graph, a);
  jg_graph_append_task (graph, b);
  jg_graph_append_task (graph, c);
  jg_graph_add_task_port (graph, a, FALSE, JG_REF_JOB_INPUT, jg_graph_get_input (graph, 0), NULL);
  jg_graph_add_task_port (graph, a, FALSE, JG_REF_OUTPUT_ASSET, b_out, NULL);
  jg_graph_add_task_port (graph, a, TRUE, JG_REF_OUTPUT_ASSET, a_out, NULL);
  jg_graph_add_task_port (graph, b, FALSE, JG_REF_OUTPUT_ASSET, a_out, NULL);
  jg_graph_add_task_port (graph, b, TRUE, JG_REF_OUTPUT_ASSET, b_out, NULL);
  /* c is downstream of the cycle but not in it */
  jg_graph_add_task_port (graph, c, FALSE, JG_REF_OUTPUT_ASSET, b_out, NULL);
  jg_graph_add_task_port (graph, c, TRUE, JG_REF_OUTPUT_ASSET, c_out, NULL);

  diags = validate (graph);
  g_assert_cmpuint (count (diags, "cycle"), ==, 1);
  d = find (diags, "cycle");
  message = jg_diagnostic_get_message (d);
  g_assert_nonnull (strstr (message, "“Encode”"));
  g_assert_nonnull (strstr (message, "“Package”"));
  g_assert_null (strstr (message, "Thumbs"));
  g_assert_cmpint (jg_diagnostic_get_severity (d), ==, JG_SEVERITY_ERROR);
  g_assert_true (jg_graph_would_create_cycle (near, jg_graph_get_task (near, 4), JG_OUTPUT_ASSET (output_of (jg_graph_get_task (near, 4), 0))));
  g_assert_true (jg_graph_would_create_cycle (near, jg_graph_get_task (near, 0), JG_OUTPUT_ASSET (output_of (jg_graph_get_task (near, 3), 0))));
  g_assert_false (jg_graph_would_create_cycle (near, jg_graph_get_task (near, 3), JG_OUTPUT_ASSET (output_of (jg_graph_get_task (near, 0), 0))));

  near_diags = validate (near);
  assert_not_fired (near_diags, "cycle");
}

static void
test_cycle_self (void)
{
  g_autoptr(JgGraph) graph = new_chain (1);
  JgTask *task = jg_graph_get_task (graph, 0);
  g_autoptr(GPtrArray) diags = NULL;

  jg_graph_add_task_port (graph, task, FALSE, JG_REF_OUTPUT_ASSET, output_of (task, 0), NULL);
  diags = validate (graph);
  assert_fires (diags, "cycle", JG_SEVERITY_ERROR);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (find (diags, "cycle")), "itself"));
}

static void
test_task_without_ports (void)
{
  g_autoptr(JgGraph) graph = new_chain (1);
  g_autoptr(JgTask) lonely = jg_task_new ("Lonely", MES, MES_PRESET);
  g_autoptr(GPtrArray) diags = NULL;
  g_autoptr(GPtrArray) near_diags = NULL;
  g_autoptr(JgGraph) near = new_chain (2);
  JgDiagnostic *d;

  jg_graph_append_task (graph, lonely);
  diags = validate (graph);
  assert_fires (diags, "task-without-input", JG_SEVERITY_ERROR);
  assert_fires (diags, "task-without-output", JG_SEVERITY_ERROR);
  d = find (diags, "task-without-input");
  g_assert_true (jg_diagnostic_get_task (d) == lonely);
  g_assert_cmpstr (jg_diagnostic_get_task_name (d), ==, "Lonely");
  g_assert_cmpint (jg_diagnostic_get_task_index (d), ==, 1);

  near_diags = validate (near);
  assert_not_fired (near_diags, "task-without-input");
  assert_not_fired (near_diags, "task-without-output");
}

static void
test_output_written_twice (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  JgTask  *second = jg_graph_get_task (graph, 1);
  GObject *shared = output_of (jg_graph_get_task (graph, 0), 0);
  g_autoptr(GPtrArray) old_api = NULL;
  g_autoptr(GPtrArray) new_api = NULL;
  g_autoptr(JgGraph) near = new_chain (2);
  g_autoptr(GPtrArray) near_diags = validate_with (near, "2.11");

  /* The second task also writes the first task's output... to a separate
   * port, reading the input instead so that no cycle forms.
   */
  jg_graph_add_task_port (graph, second, TRUE, JG_REF_OUTPUT_ASSET, shared, NULL);

  old_api = validate_with (graph, "2.12");
  new_api = validate_with (graph, "2.13");
  assert_fires (old_api, "output-written-twice", JG_SEVERITY_ERROR);
  assert_fires (new_api, "output-written-twice", JG_SEVERITY_WARNING);
  g_assert_cmpint (jg_diagnostic_get_output_index (find (new_api, "output-written-twice")), ==, 0);

  assert_not_fired (near_diags, "output-written-twice");
}

static void
test_unknown_output (void)
{
  g_autoptr(GPtrArray) diags = import_validate (
    "{\"Name\":\"J\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"https://x/api/Assets('nb%3Acid%3AUUID%3A1')\"}}],"
    "\"Tasks\":[{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\","
    "\"TaskBody\":\"<taskBody><inputAsset>JobOutputAsset(4)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}");
  g_autoptr(GPtrArray) near = import_validate (
    "{\"Name\":\"J\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"https://x/api/Assets('nb%3Acid%3AUUID%3A1')\"}}],"
    "\"Tasks\":[{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\","
    "\"TaskBody\":\"<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"},"
    "{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\","
    "\"TaskBody\":\"<taskBody><inputAsset>JobOutputAsset(0)</inputAsset><outputAsset>JobOutputAsset(1)</outputAsset></taskBody>\"}]}");
  JgDiagnostic *d;

  assert_fires (diags, "unknown-output", JG_SEVERITY_ERROR);
  d = find (diags, "unknown-output");
  g_assert_cmpint (jg_diagnostic_get_output_index (d), ==, 4);
  g_assert_cmpint (jg_diagnostic_get_port (d, NULL), ==, JG_PORT_DIRECTION_INPUT);
  assert_clean (near);
}

static void
test_unknown_output_after_removal (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autoptr(GPtrArray) diags = NULL;

  /* Removing only the writer leaves its reader dangling. */
  apply_edit (graph, jg_edit_new_remove_task (0));
  diags = validate (graph);
  assert_fires (diags, "unknown-output", JG_SEVERITY_ERROR);
}

static void
test_input_out_of_range (void)
{
  g_autoptr(GPtrArray) diags = import_validate (
    "{\"Name\":\"J\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"https://x/api/Assets('nb%3Acid%3AUUID%3A1')\"}}],"
    "\"Tasks\":[{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\","
    "\"TaskBody\":\"<taskBody><inputAsset>JobInputAsset(0)</inputAsset><inputAsset>JobInputAsset(1)</inputAsset>"
    "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}");
  JgDiagnostic *d;

  assert_fires (diags, "input-out-of-range", JG_SEVERITY_ERROR);
  d = find (diags, "input-out-of-range");
  g_assert_cmpint (jg_diagnostic_get_input_index (d), ==, 1);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (d), "only 1 input"));
  g_assert_cmpuint (count (diags, "input-out-of-range"), ==, 1);
}

static void
test_bad_asset_reference (void)
{
  g_autoptr(GPtrArray) diags = import_validate (
    "{\"Name\":\"J\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"https://x/api/Assets('nb%3Acid%3AUUID%3A1')\"}}],"
    "\"Tasks\":[{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\","
    "\"TaskBody\":\"<taskBody><inputAsset>JobInputAsset(0)</inputAsset><inputAsset>JobInputAsset(00)</inputAsset>"
    "<outputAsset>JobInputAsset(0)</outputAsset><outputAsset>Output</outputAsset></taskBody>\"}]}");
  g_autoptr(JgGraph) graph = new_chain (1);
  g_autoptr(GPtrArray) unconnected = NULL;
  JgTask *task = jg_graph_get_task (graph, 0);

  g_assert_cmpuint (count (diags, "bad-asset-reference"), ==, 3);

  jg_graph_add_task_port (graph, task, FALSE, JG_REF_NONE, NULL, NULL);
  unconnected = validate (graph);
  assert_fires (unconnected, "bad-asset-reference", JG_SEVERITY_ERROR);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (find (unconnected, "bad-asset-reference")), "not connected"));
}

static void
test_malformed_task_body (void)
{
  g_autoptr(GPtrArray) diags = import_validate (
    "{\"Name\":\"J\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"https://x/api/Assets('nb%3Acid%3AUUID%3A1')\"}}],"
    "\"Tasks\":[{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\","
    "\"TaskBody\":\"<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</taskBody>\"}]}");
  g_autoptr(GPtrArray) doctype = import_validate (
    "{\"Name\":\"J\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":\"https://x/api/Assets('nb%3Acid%3AUUID%3A1')\"}}],"
    "\"Tasks\":[{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\","
    "\"TaskBody\":\"<!DOCTYPE taskBody [<!ENTITY x 'JobInputAsset(0)'>]><taskBody><inputAsset>&x;</inputAsset>"
    "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}");
  JgDiagnostic *d;
  int           line, column;

  assert_fires (diags, "malformed-task-body", JG_SEVERITY_ERROR);
  d = find (diags, "malformed-task-body");
  g_assert_cmpint (jg_diagnostic_get_task_index (d), ==, 0);
  g_assert_cmpstr (jg_diagnostic_get_field (d), ==, "TaskBody");
  g_assert_true (jg_diagnostic_get_position (d, &line, &column));
  g_assert_cmpint (line, ==, 1);
  g_assert_cmpint (column, >, 1);
  /* Reported once, not again as a task without ports. */
  assert_not_fired (diags, "task-without-input");
  assert_not_fired (diags, "task-without-output");

  assert_fires (doctype, "malformed-task-body", JG_SEVERITY_ERROR);
}

static void
test_missing_media_processor (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autoptr(GPtrArray) diags = NULL;

  jg_task_set_processor_id (jg_graph_get_task (graph, 0), NULL);
  jg_task_set_processor_id (jg_graph_get_task (graph, 1), "Media Encoder Standard");
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "missing-media-processor"), ==, 2);
  g_assert_cmpstr (jg_diagnostic_get_field (find (diags, "missing-media-processor")), ==, "MediaProcessorId");
}

static void
test_invalid_configuration (void)
{
  g_autoptr(JgGraph) graph = new_chain (3);
  g_autoptr(GPtrArray) diags = NULL;
  JgDiagnostic *d;
  int           line, column;

  jg_task_set_configuration (jg_graph_get_task (graph, 0), "<Preset>\n  <Encoding></Preset>");
  jg_task_set_configuration (jg_graph_get_task (graph, 1), "{\"Version\": 1.0,, }");
  /* near misses: valid documents */
  jg_task_set_configuration (jg_graph_get_task (graph, 2), "  {\"Version\": 1.0, \"Codecs\": []}");
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "invalid-configuration"), ==, 2);
  d = find (diags, "invalid-configuration");
  g_assert_true (jg_diagnostic_get_position (d, &line, &column));
  g_assert_cmpint (line, ==, 2);
  assert_not_fired (diags, "unknown-preset");
}

static void
test_configuration_too_long (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autofree char *too_long = g_strnfill (JG_MAX_CONFIGURATION_LENGTH + 1, 'x');
  g_autofree char *longest = g_strnfill (JG_MAX_CONFIGURATION_LENGTH, 'x');
  g_autoptr(GPtrArray) diags = NULL;

  too_long[0] = '<';
  jg_task_set_configuration (jg_graph_get_task (graph, 0), too_long);
  jg_task_set_configuration (jg_graph_get_task (graph, 1), longest);
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "configuration-too-long"), ==, 1);
  g_assert_true (jg_diagnostic_get_task (find (diags, "configuration-too-long")) == jg_graph_get_task (graph, 0));
  /* too long is not also reported as unparseable */
  assert_not_fired (diags, "invalid-configuration");
}

static void
add_ports (JgGraph *graph,
           JgTask  *task,
           guint    n_outputs)
{
  for (guint i = 0; i < n_outputs; i++)
    {
      g_autoptr(JgOutputAsset) asset = jg_output_asset_new ();

      jg_graph_add_task_port (graph, task, TRUE, JG_REF_OUTPUT_ASSET, asset, NULL);
    }
}

static void
test_too_many_task_assets (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autoptr(GPtrArray) diags = NULL;

  /* 1 input + 1 output + 49 = 51 and 1 + 1 + 48 = 50 */
  add_ports (graph, jg_graph_get_task (graph, 0), 49);
  add_ports (graph, jg_graph_get_task (graph, 1), 48);
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "too-many-task-assets"), ==, 1);
  g_assert_true (jg_diagnostic_get_task (find (diags, "too-many-task-assets")) == jg_graph_get_task (graph, 0));
}

static void
test_too_many_job_assets (void)
{
  g_autoptr(JgGraph) graph = new_chain (3);
  g_autoptr(JgGraph) near = new_chain (3);
  g_autoptr(GPtrArray) diags = NULL;
  g_autoptr(GPtrArray) near_diags = NULL;

  /* 1 input + 3 outputs + 45 + 45 + 7 = 101, and one fewer */
  add_ports (graph, jg_graph_get_task (graph, 0), 45);
  add_ports (graph, jg_graph_get_task (graph, 1), 45);
  add_ports (graph, jg_graph_get_task (graph, 2), 7);
  add_ports (near, jg_graph_get_task (near, 0), 45);
  add_ports (near, jg_graph_get_task (near, 1), 45);
  add_ports (near, jg_graph_get_task (near, 2), 6);
  diags = validate (graph);
  near_diags = validate (near);
  assert_fires (diags, "too-many-job-assets", JG_SEVERITY_ERROR);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (find (diags, "too-many-job-assets")), "101"));
  assert_not_fired (near_diags, "too-many-job-assets");
}

static void
test_name_too_long (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autoptr(JgGraph) warn = new_chain (1);
  g_autoptr(JgGraph) near = new_chain (1);
  g_autofree char *name_4001 = g_strnfill (4001, 'n');
  g_autofree char *name_300 = g_strnfill (300, 'n');
  g_autofree char *name_256 = g_strnfill (256, 'n');
  g_autofree char *asset_513 = g_strnfill (513, 'a');
  g_autofree char *asset_512 = g_strnfill (512, 'a');
  g_autoptr(GPtrArray) diags = NULL;
  g_autoptr(GPtrArray) warn_diags = NULL;
  g_autoptr(GPtrArray) near_diags = NULL;

  jg_graph_set_name (graph, name_4001);
  jg_task_set_name (jg_graph_get_task (graph, 0), name_4001);
  jg_output_asset_set_asset_name (JG_OUTPUT_ASSET (output_of (jg_graph_get_task (graph, 1), 0)), asset_513);
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "name-too-long"), ==, 3);
  for (guint i = 0; i < diags->len; i++)
    if (g_str_equal (jg_diagnostic_get_code (g_ptr_array_index (diags, i)), "name-too-long"))
      g_assert_cmpint (jg_diagnostic_get_severity (g_ptr_array_index (diags, i)), ==, JG_SEVERITY_ERROR);

  jg_graph_set_name (warn, name_300);
  warn_diags = validate (warn);
  assert_fires (warn_diags, "name-too-long", JG_SEVERITY_WARNING);

  jg_graph_set_name (near, name_256);
  jg_output_asset_set_asset_name (JG_OUTPUT_ASSET (output_of (jg_graph_get_task (near, 0), 0)), asset_512);
  near_diags = validate (near);
  assert_clean (near_diags);
}

static void
test_no_job_inputs (void)
{
  g_autoptr(JgGraph) graph = jg_graph_new ();
  g_autoptr(JgTask) task = jg_task_new ("T", MES, MES_PRESET);
  g_autoptr(JgOutputAsset) output = jg_output_asset_new ();
  g_autoptr(GPtrArray) diags = NULL;

  jg_graph_append_task (graph, task);
  jg_graph_add_task_port (graph, task, FALSE, JG_REF_TEXT, NULL, "JobInputAsset(0)");
  jg_graph_add_task_port (graph, task, TRUE, JG_REF_OUTPUT_ASSET, output, NULL);
  diags = validate (graph);
  assert_fires (diags, "no-job-inputs", JG_SEVERITY_ERROR);
  assert_fires (diags, "input-out-of-range", JG_SEVERITY_ERROR);
}

#define TEMPLATE_BODY(ids, tasks) \
  "{\"Name\":\"T\",\"JobTemplateBody\":\"<jobTemplate>" ids "</jobTemplate>\",\"TaskTemplates\":[" tasks "]}"
#define TT_BODY(id) \
  "<taskBody taskTemplateId=\\\"" id "\\\"><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>"
#define TT(id, n_in, n_out)                                                                       \
  "{\"Id\":\"" id "\",\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES "\"," \
  "\"NumberofInputAssets\":" #n_in ",\"NumberofOutputAssets\":" #n_out "}"
#define ID1 "nb:ttid:UUID:071370A3-E63E-4E81-A099-AD66BCAC3789"
#define ID2 "nb:ttid:UUID:171370a3-e63e-4e81-a099-ad66bcac3789"

static void
test_template_mismatch (void)
{
  g_autoptr(GPtrArray) good = import_validate (TEMPLATE_BODY (TT_BODY (ID1), TT (ID1, 1, 1)));
  g_autoptr(GPtrArray) missing = import_validate (TEMPLATE_BODY (TT_BODY (ID1), TT (ID2, 1, 1)));
  g_autoptr(GPtrArray) malformed = import_validate (TEMPLATE_BODY (TT_BODY ("nb:ttid:UUID:nope"), TT ("nb:ttid:UUID:nope", 1, 1)));
  g_autoptr(GPtrArray) duplicate = import_validate (TEMPLATE_BODY (TT_BODY (ID1) TT_BODY (ID1), TT (ID1, 1, 1)));
  g_autoptr(GPtrArray) counts = import_validate (TEMPLATE_BODY (TT_BODY (ID1), TT (ID1, 2, 1)));

  assert_clean (good);
  g_assert_cmpuint (count (missing, "template-mismatch"), ==, 2);
  g_assert_cmpuint (count (malformed, "template-mismatch"), ==, 2);
  assert_fires (duplicate, "template-mismatch", JG_SEVERITY_ERROR);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (find (duplicate, "template-mismatch")), "repeats"));
  g_assert_cmpuint (count (counts, "template-mismatch"), ==, 1);
  g_assert_cmpstr (jg_diagnostic_get_field (find (counts, "template-mismatch")), ==, "NumberofInputAssets");
}

static void
test_unused_input (void)
{
  g_autoptr(JgGraph) graph = new_chain (1);
  g_autoptr(JgJobInput) spare = jg_job_input_new ("Spare");
  g_autoptr(GPtrArray) diags = NULL;
  JgDiagnostic *d;

  jg_graph_append_input (graph, spare);
  diags = validate (graph);
  assert_fires (diags, "unused-input", JG_SEVERITY_WARNING);
  d = find (diags, "unused-input");
  g_assert_true (jg_diagnostic_get_subject (d) == G_OBJECT (spare));
  g_assert_cmpint (jg_diagnostic_get_input_index (d), ==, 1);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (d), "“Spare”"));
}

static void
test_empty_configuration (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autoptr(GPtrArray) diags = NULL;

  jg_task_set_configuration (jg_graph_get_task (graph, 0), "  ");
  jg_task_set_processor_id (jg_graph_get_task (graph, 1), DECRYPT);
  jg_task_set_configuration (jg_graph_get_task (graph, 1), "");
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "empty-configuration"), ==, 1);
  g_assert_cmpint (jg_diagnostic_get_severity (find (diags, "empty-configuration")), ==, JG_SEVERITY_WARNING);
}

static void
test_unknown_media_processor (void)
{
  g_autoptr(JgGraph) graph = new_chain (1);
  const char *account[] = { UNKNOWN, NULL };
  g_autoptr(GPtrArray) diags = NULL;
  g_autoptr(GPtrArray) known = NULL;

  jg_task_set_processor_id (jg_graph_get_task (graph, 0), UNKNOWN);
  diags = validate (graph);
  assert_fires (diags, "unknown-media-processor", JG_SEVERITY_WARNING);

  jg_graph_set_account_processors (graph, account);
  known = validate (graph);
  assert_not_fired (known, "unknown-media-processor");
}

static void
test_unknown_preset (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autoptr(GPtrArray) diags = NULL;

  jg_task_set_configuration (jg_graph_get_task (graph, 0), "h264 single bitrate 720P");
  jg_task_set_configuration (jg_graph_get_task (graph, 1), "H264 Single Bitrate 720p");
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "unknown-preset"), ==, 1);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (find (diags, "unknown-preset")),
                            "Did you mean “H264 Single Bitrate 720p”"));
}

static void
test_deprecated_processor (void)
{
  g_autoptr(JgGraph) graph = new_chain (2);
  g_autoptr(GPtrArray) diags = NULL;

  jg_task_set_processor_id (jg_graph_get_task (graph, 0), AME);
  jg_task_set_configuration (jg_graph_get_task (graph, 0), "H264 Smooth Streaming 720p");
  diags = validate (graph);
  g_assert_cmpuint (count (diags, "deprecated-processor"), ==, 1);
  g_assert_nonnull (strstr (jg_diagnostic_get_message (find (diags, "deprecated-processor")), "Media Encoder Standard"));
  assert_not_fired (diags, "unknown-preset");
}

static void
test_errors_first (void)
{
  g_autoptr(JgGraph) graph = new_chain (1);
  g_autoptr(JgJobInput) spare = jg_job_input_new ("Spare");
  g_autoptr(JgTask) lonely = jg_task_new ("Lonely", MES, MES_PRESET);
  g_autoptr(GPtrArray) diags = NULL;
  gboolean seen_warning = FALSE;

  jg_graph_append_input (graph, spare);
  jg_graph_append_task (graph, lonely);
  diags = validate (graph);
  g_assert_cmpuint (diags->len, >=, 3);
  for (guint i = 0; i < diags->len; i++)
    {
      JgSeverity severity = jg_diagnostic_get_severity (g_ptr_array_index (diags, i));

      if (severity == JG_SEVERITY_WARNING)
        seen_warning = TRUE;
      else
        g_assert_false (seen_warning);
    }
}

static void
test_live_diagnostics_model (void)
{
  g_autoptr(JgGraph) graph = new_chain (1);
  GListModel *model = jg_graph_get_diagnostics (graph);
  JgTask     *task = jg_graph_get_task (graph, 0);

  jg_graph_validate (graph);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (jg_graph_get_n_errors (graph), ==, 0);

  apply_edit (graph, jg_edit_new_set (task, "processor-id", "", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpuint (jg_graph_get_n_errors (graph), ==, 1);

  apply_edit (graph, jg_edit_new_set (task, "processor-id", MES, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

static void
test_all_codes_covered (void)
{
  const char *codes[] = { JG_RULE_CODES };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (!g_hash_table_contains (fired_codes, codes[i]))
      g_error ("rule code %s never fired in this suite", codes[i]);

  g_assert_cmpuint (G_N_ELEMENTS (codes), ==, 23);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  fired_codes = g_hash_table_new (g_str_hash, g_str_equal);

  g_test_add_func ("/jobgraph/core/validate/clean-chain", test_clean_chain);
  g_test_add_func ("/jobgraph/core/validate/no-tasks", test_no_tasks);
  g_test_add_func ("/jobgraph/core/validate/too-many-tasks", test_too_many_tasks);
  g_test_add_func ("/jobgraph/core/validate/cycle", test_cycle);
  g_test_add_func ("/jobgraph/core/validate/cycle-self", test_cycle_self);
  g_test_add_func ("/jobgraph/core/validate/task-without-ports", test_task_without_ports);
  g_test_add_func ("/jobgraph/core/validate/output-written-twice", test_output_written_twice);
  g_test_add_func ("/jobgraph/core/validate/unknown-output", test_unknown_output);
  g_test_add_func ("/jobgraph/core/validate/unknown-output-after-removal", test_unknown_output_after_removal);
  g_test_add_func ("/jobgraph/core/validate/input-out-of-range", test_input_out_of_range);
  g_test_add_func ("/jobgraph/core/validate/bad-asset-reference", test_bad_asset_reference);
  g_test_add_func ("/jobgraph/core/validate/malformed-task-body", test_malformed_task_body);
  g_test_add_func ("/jobgraph/core/validate/missing-media-processor", test_missing_media_processor);
  g_test_add_func ("/jobgraph/core/validate/invalid-configuration", test_invalid_configuration);
  g_test_add_func ("/jobgraph/core/validate/configuration-too-long", test_configuration_too_long);
  g_test_add_func ("/jobgraph/core/validate/too-many-task-assets", test_too_many_task_assets);
  g_test_add_func ("/jobgraph/core/validate/too-many-job-assets", test_too_many_job_assets);
  g_test_add_func ("/jobgraph/core/validate/name-too-long", test_name_too_long);
  g_test_add_func ("/jobgraph/core/validate/no-job-inputs", test_no_job_inputs);
  g_test_add_func ("/jobgraph/core/validate/template-mismatch", test_template_mismatch);
  g_test_add_func ("/jobgraph/core/validate/unused-input", test_unused_input);
  g_test_add_func ("/jobgraph/core/validate/empty-configuration", test_empty_configuration);
  g_test_add_func ("/jobgraph/core/validate/unknown-media-processor", test_unknown_media_processor);
  g_test_add_func ("/jobgraph/core/validate/unknown-preset", test_unknown_preset);
  g_test_add_func ("/jobgraph/core/validate/deprecated-processor", test_deprecated_processor);
  g_test_add_func ("/jobgraph/core/validate/errors-first", test_errors_first);
  g_test_add_func ("/jobgraph/core/validate/live-model", test_live_diagnostics_model);
  g_test_add_func ("/jobgraph/core/validate/all-codes-covered", test_all_codes_covered);

  ret = g_test_run ();
  g_hash_table_unref (fired_codes);

  return ret;
}
