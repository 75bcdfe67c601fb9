/* test-graph.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "jg-core.h"

/* The derived structure: run order and the contiguous numbering. */

#define MES "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

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

static JgTask *
add_task (JgGraph        *graph,
          GObject        *source,
          JgOutputAsset **out)
{
  g_autoptr(JgTask) task = jg_task_new (NULL, MES, "Adaptive Streaming");

  *out = jg_output_asset_new ();
  jg_graph_append_task (graph, task);
  jg_graph_add_task_port (graph, task, FALSE,
                          JG_IS_JOB_INPUT (source) ? JG_REF_JOB_INPUT : JG_REF_OUTPUT_ASSET, source, NULL);
  jg_graph_add_task_port (graph, task, TRUE, JG_REF_OUTPUT_ASSET, *out, NULL);
  g_object_unref (*out);

  return task;
}

static void
test_run_order (void)
{
  g_autoptr(JgGraph) graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new (NULL);
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  JgOutputAsset *out_a, *out_b, *out_c;
  JgTask        *c, *b, *a;

  jg_graph_append_input (graph, input);

  /* Listed reader-first: C reads B reads A. */
  a = jg_task_new ("A", MES, NULL);
  b = jg_task_new ("B", MES, NULL);
  c = add_task (graph, G_OBJECT (input), &out_c);
  jg_task_set_name (c, "C");
  g_object_unref (a);
  g_object_unref (b);
  b = add_task (graph, G_OBJECT (input), &out_b);
  a = add_task (graph, G_OBJECT (input), &out_a);
  apply_edit (graph, jg_edit_new_set_port (c, FALSE, 0, JG_REF_OUTPUT_ASSET, out_b, NULL));
  apply_edit (graph, jg_edit_new_set_port (b, FALSE, 0, JG_REF_OUTPUT_ASSET, out_a, NULL));

  order = jg_graph_dup_run_order (graph);
  g_assert_true (g_ptr_array_index (order, 0) == a);
  g_assert_true (g_ptr_array_index (order, 1) == b);
  g_assert_true (g_ptr_array_index (order, 2) == c);
  g_assert_cmpint (jg_task_get_topo_index (c), ==, 2);

  outputs = jg_graph_dup_output_assets (graph);
  g_assert_cmpuint (outputs->len, ==, 3);
  g_assert_cmpint (jg_output_asset_get_index (out_a), ==, 0);
  g_assert_cmpint (jg_output_asset_get_index (out_b), ==, 1);
  g_assert_cmpint (jg_output_asset_get_index (out_c), ==, 2);
  g_assert_cmpuint (jg_output_asset_get_n_writers (out_a), ==, 1);
}

static void
test_order_kept_when_valid (void)
{
  g_autoptr(JgGraph) graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new (NULL);
  g_autoptr(GPtrArray) order = NULL;
  JgOutputAsset *out;
  JgTask        *tasks[4];

  jg_graph_append_input (graph, input);
  /* Independent tasks stay in list order. */
  for (guint i = 0; i < 4; i++)
    tasks[i] = add_task (graph, G_OBJECT (input), &out);

  order = jg_graph_dup_run_order (graph);
  for (guint i = 0; i < 4; i++)
    g_assert_true (g_ptr_array_index (order, i) == tasks[i]);
}

static void
test_unused_inputs_numbered_last (void)
{
  g_autoptr(JgGraph) graph = jg_graph_new ();
  g_autoptr(JgJobInput) unused = jg_job_input_new ("Unused");
  g_autoptr(JgJobInput) used = jg_job_input_new ("Used");
  g_autoptr(GPtrArray) numbered = NULL;
  JgOutputAsset *out;

  jg_graph_append_input (graph, unused);
  jg_graph_append_input (graph, used);
  add_task (graph, G_OBJECT (used), &out);

  numbered = jg_graph_dup_numbered_inputs (graph);
  g_assert_true (g_ptr_array_index (numbered, 0) == used);
  g_assert_true (g_ptr_array_index (numbered, 1) == unused);
  g_assert_cmpint (jg_job_input_get_index (unused), ==, 1);
}

static void
test_catalog (void)
{
  const JgProcessorInfo *mes = jg_catalog_lookup ("nb:mpid:UUID:FF4DF607-D419-42F0-BC17-A481B1331E56");
  const JgProcessorInfo *ame = jg_catalog_lookup ("nb:mpid:UUID:2e7aa8f3-4961-4e0c-b4db-0e0439e524f5");
  guint                  n;

  g_assert_nonnull (mes);
  g_assert_cmpstr (mes->name, ==, "Media Encoder Standard");
  g_assert_false (mes->deprecated);
  g_assert_true (jg_catalog_has_preset (mes, "Adaptive Streaming"));
  g_assert_false (jg_catalog_has_preset (mes, "adaptive streaming"));
  g_assert_cmpstr (jg_catalog_suggest_preset (mes, "adaptive-streaming"), ==, "Adaptive Streaming");
  g_assert_null (jg_catalog_suggest_preset (mes, "Nothing like it"));
  g_assert_true (ame->deprecated);
  g_assert_null (jg_catalog_lookup ("nb:mpid:UUID:00000000-0000-0000-0000-000000000000"));
  g_assert_true (jg_catalog_lookup_by_name ("Media Encoder Standard") == mes);

  jg_catalog_get_processors (&n);
  g_assert_cmpuint (n, >=, 15);
}

static void
test_entity_ids (void)
{
  g_assert_true (jg_is_entity_id ("nb:ttid:UUID:071370A3-E63E-4E81-A099-AD66BCAC3789", "ttid"));
  g_assert_false (jg_is_entity_id ("nb:ttid:UUID:071370A3-E63E-4E81-A099", "ttid"));
  g_assert_false (jg_is_entity_id ("nb:mpid:UUID:071370A3-E63E-4E81-A099-AD66BCAC3789", "ttid"));
  g_assert_cmpint (jg_api_version_compare ("2.12", 2, 13), <, 0);
  g_assert_cmpint (jg_api_version_compare ("2.13", 2, 13), ==, 0);
  g_assert_cmpint (jg_api_version_compare (NULL, 2, 13), >, 0);
}

static void
test_references (void)
{
  gboolean is_output;
  guint    index;

  g_assert_true (jg_parse_asset_reference ("JobInputAsset(0)", &is_output, &index));
  g_assert_false (is_output);
  g_assert_true (jg_parse_asset_reference ("JobOutputAsset(12)", &is_output, &index));
  g_assert_true (is_output);
  g_assert_cmpuint (index, ==, 12);
  g_assert_false (jg_parse_asset_reference ("JobOutputAsset(012)", &is_output, &index));
  g_assert_false (jg_parse_asset_reference ("JobOutputAsset(1) ", &is_output, &index));
  g_assert_false (jg_parse_asset_reference ("JobOutputAsset(-1)", &is_output, &index));
  g_assert_false (jg_parse_asset_reference ("JobOutputAsset(99999999999)", &is_output, &index));
  g_assert_false (jg_parse_asset_reference ("jobinputasset(0)", &is_output, &index));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/graph/run-order", test_run_order);
  g_test_add_func ("/jobgraph/core/graph/order-kept", test_order_kept_when_valid);
  g_test_add_func ("/jobgraph/core/graph/unused-inputs-last", test_unused_inputs_numbered_last);
  g_test_add_func ("/jobgraph/core/graph/catalog", test_catalog);
  g_test_add_func ("/jobgraph/core/graph/entity-ids", test_entity_ids);
  g_test_add_func ("/jobgraph/core/graph/references", test_references);

  return g_test_run ();
}
