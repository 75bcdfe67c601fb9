/* test-fragment.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "jg-core.h"

/* Copy and paste: copies are new objects wired to each other as the
 * originals were, wires to nodes left behind are dropped, and the paste is
 * one undo step.
 */

#define MES "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

typedef struct
{
  JgGraph       *graph;
  JgJobInput    *input;
  JgTask        *a;
  JgTask        *b;
  JgOutputAsset *a_out;
  JgOutputAsset *b_out;
} Chain;

/* In → A → a_out → B → b_out */
static void
chain_init (Chain *chain)
{
  chain->graph = jg_graph_new ();
  chain->input = jg_job_input_new ("In");
  chain->a = jg_task_new ("A", MES, "Adaptive Streaming");
  chain->b = jg_task_new ("B", MES, "H264 Single Bitrate 720p");
  chain->a_out = jg_output_asset_new ();
  chain->b_out = jg_output_asset_new ();

  jg_job_input_set_position (chain->input, 10, 20);
  jg_task_set_position (chain->a, 300, 20);
  jg_task_set_position (chain->b, 600, 40);
  jg_task_set_priority (chain->b, 3);
  jg_task_set_options (chain->b, 1);
  jg_output_asset_set_asset_name (chain->b_out, "Final");
  jg_output_asset_set_creation_options (chain->b_out, 1);

  jg_graph_append_input (chain->graph, chain->input);
  jg_graph_append_task (chain->graph, chain->a);
  jg_graph_append_task (chain->graph, chain->b);
  jg_graph_add_task_port (chain->graph, chain->a, FALSE, JG_REF_JOB_INPUT, chain->input, NULL);
  jg_graph_add_task_port (chain->graph, chain->a, TRUE, JG_REF_OUTPUT_ASSET, chain->a_out, NULL);
  jg_graph_add_task_port (chain->graph, chain->b, FALSE, JG_REF_OUTPUT_ASSET, chain->a_out, NULL);
  jg_graph_add_task_port (chain->graph, chain->b, TRUE, JG_REF_OUTPUT_ASSET, chain->b_out, NULL);
  jg_graph_validate (chain->graph);
}

static void
chain_clear (Chain *chain)
{
  g_clear_object (&chain->input);
  g_clear_object (&chain->a);
  g_clear_object (&chain->b);
  g_clear_object (&chain->a_out);
  g_clear_object (&chain->b_out);
  g_assert_finalize_object (chain->graph);
}

static GBytes *
copy_items (JgGraph *graph,
            gpointer first,
            ...)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GBytes *bytes;
  va_list args;

  va_start (args, first);
  for (gpointer item = first; item != NULL; item = va_arg (args, gpointer))
    g_ptr_array_add (items, item);
  va_end (args);

  bytes = jg_fragment_copy (graph, items, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  return bytes;
}

static JgEdit *
build_paste (JgGraph   *graph,
             GBytes    *bytes,
             double     dx,
             double     dy,
             GPtrArray *pasted)
{
  g_autoptr(GError) error = NULL;
  JgEdit *edit = jg_fragment_build_paste (graph, bytes, dx, dy, pasted, &error);

  g_assert_no_error (error);
  g_assert_nonnull (edit);
  g_assert_cmpstr (jg_edit_get_label (edit), ==, "Paste");

  return edit;
}

/* Pastes without a history. */
static void
apply_paste (JgGraph   *graph,
             GBytes    *bytes,
             double     dx,
             double     dy,
             GPtrArray *pasted)
{
  g_autoptr(JgEdit) edit = build_paste (graph, bytes, dx, dy, pasted);
  g_autoptr(JgEdit) undo = NULL;
  g_autoptr(GError) error = NULL;

  undo = jg_graph_apply (graph, edit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (undo);
}

/* Copy A and B but not In: B's copy reads A's copy, A's copy reads
 * nothing.
 */
static void
test_paste_same_graph (void)
{
  Chain chain;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JgEdit) edit = NULL;
  g_autoptr(JgHistory) history = NULL;
  g_autoptr(GPtrArray) pasted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  JgTask        *a2, *b2;
  GObject       *object = NULL;
  JgOutputAsset *a2_out, *b2_out;

  chain_init (&chain);
  history = jg_history_new (chain.graph);

  bytes = copy_items (chain.graph, chain.b, chain.a, NULL);
  edit = build_paste (chain.graph, bytes, 40, 30, pasted);

  /* Nothing changes before the edit applies. */
  g_assert_cmpuint (jg_graph_get_n_tasks (chain.graph), ==, 2);
  g_assert_true (jg_history_apply (history, edit, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (jg_graph_get_n_tasks (chain.graph), ==, 4);
  g_assert_cmpuint (jg_graph_get_n_inputs (chain.graph), ==, 1);
  g_assert_cmpuint (pasted->len, ==, 2);

  /* Graph order, whatever the selection order was. */
  a2 = jg_graph_get_task (chain.graph, 2);
  b2 = jg_graph_get_task (chain.graph, 3);
  g_assert_true (g_ptr_array_index (pasted, 0) == (gpointer)a2);
  g_assert_true (g_ptr_array_index (pasted, 1) == (gpointer)b2);
  g_assert_true (a2 != chain.a && b2 != chain.b);
  g_assert_cmpstr (jg_task_get_name (a2), ==, "A");
  g_assert_cmpstr (jg_task_get_name (b2), ==, "B");
  g_assert_cmpstr (jg_task_get_processor_id (b2), ==, MES);
  g_assert_cmpstr (jg_task_get_configuration (b2), ==, "H264 Single Bitrate 720p");
  g_assert_cmpint (jg_task_get_priority (b2), ==, 3);
  g_assert_cmpint (jg_task_get_options (b2), ==, 1);
  g_assert_cmpfloat (jg_task_get_x (a2), ==, 340);
  g_assert_cmpfloat (jg_task_get_y (a2), ==, 50);
  g_assert_cmpfloat (jg_task_get_x (b2), ==, 640);
  g_assert_cmpfloat (jg_task_get_y (b2), ==, 70);

  /* The wire to the uncopied input is dropped. */
  g_assert_cmpuint (jg_task_get_n_inputs (a2), ==, 1);
  g_assert_cmpint (jg_task_get_input (a2, 0, &object, NULL), ==, JG_REF_NONE);

  /* Outputs are new assets with the same settings; the internal wire
   * reads the copy's asset.
   */
  g_assert_cmpint (jg_task_get_output (a2, 0, &object, NULL), ==, JG_REF_OUTPUT_ASSET);
  a2_out = JG_OUTPUT_ASSET (object);
  g_assert_true (a2_out != chain.a_out);
  g_assert_cmpint (jg_task_get_input (b2, 0, &object, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_true (object == (GObject *)a2_out);
  g_assert_cmpint (jg_task_get_output (b2, 0, &object, NULL), ==, JG_REF_OUTPUT_ASSET);
  b2_out = JG_OUTPUT_ASSET (object);
  g_assert_true (b2_out != chain.b_out);
  g_assert_cmpstr (jg_output_asset_get_asset_name (b2_out), ==, "Final");
  g_assert_cmpint (jg_output_asset_get_creation_options (b2_out), ==, 1);

  /* The originals are untouched. */
  g_assert_cmpint (jg_task_get_input (chain.a, 0, &object, NULL), ==, JG_REF_JOB_INPUT);
  g_assert_true (object == (GObject *)chain.input);

  /* The unconnected copy is a problem the editor shows. */
  g_assert_cmpuint (jg_graph_get_n_errors (chain.graph), >, 0);

  /* One undo removes exactly the copies. */
  g_assert_cmpstr (jg_history_get_undo_label (history), ==, "Paste");
  g_assert_true (jg_history_undo (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jg_graph_get_n_tasks (chain.graph), ==, 2);
  g_assert_true (jg_graph_get_task (chain.graph, 0) == chain.a);
  g_assert_true (jg_graph_get_task (chain.graph, 1) == chain.b);
  g_assert_cmpuint (jg_graph_get_n_errors (chain.graph), ==, 0);

  /* Redo brings back the same objects. */
  g_assert_true (jg_history_redo (history, &error));
  g_assert_cmpuint (jg_graph_get_n_tasks (chain.graph), ==, 4);
  g_assert_true (jg_graph_get_task (chain.graph, 3) == b2);

  g_clear_object (&history);
  g_clear_pointer (&pasted, g_ptr_array_unref);
  g_clear_pointer (&edit, jg_edit_unref);
  chain_clear (&chain);
}

/* Copying the input too keeps that wire, to the input's copy. */
static void
test_paste_with_input (void)
{
  Chain chain;
  g_autoptr(GBytes) bytes = NULL;
  JgJobInput *input2;
  JgTask     *a2;
  GObject    *object = NULL;

  chain_init (&chain);

  bytes = copy_items (chain.graph, chain.input, chain.a, NULL);
  apply_paste (chain.graph, bytes, 0, 200, NULL);

  g_assert_cmpuint (jg_graph_get_n_inputs (chain.graph), ==, 2);
  g_assert_cmpuint (jg_graph_get_n_tasks (chain.graph), ==, 3);
  input2 = jg_graph_get_input (chain.graph, 1);
  a2 = jg_graph_get_task (chain.graph, 2);
  g_assert_cmpstr (jg_job_input_get_label (input2), ==, "In");
  g_assert_cmpfloat (jg_job_input_get_y (input2), ==, 220);
  g_assert_cmpint (jg_task_get_input (a2, 0, &object, NULL), ==, JG_REF_JOB_INPUT);
  g_assert_true (object == (GObject *)input2);
  g_assert_cmpuint (jg_graph_get_n_errors (chain.graph), ==, 0);

  chain_clear (&chain);
}

static void
test_paste_empty_graph (void)
{
  Chain chain;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JgGraph) empty = jg_graph_new ();
  g_autoptr(JgHistory) history = jg_history_new (empty);
  g_autoptr(JgEdit) edit = NULL;
  g_autoptr(GPtrArray) pasted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  chain_init (&chain);
  bytes = copy_items (chain.graph, chain.input, chain.a, chain.b, NULL);
  chain_clear (&chain);

  /* The fragment stands alone: the source graph is gone. */
  edit = build_paste (empty, bytes, 0, 0, pasted);
  g_assert_true (jg_history_apply (history, edit, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pasted->len, ==, 3);
  g_assert_true (JG_IS_JOB_INPUT (g_ptr_array_index (pasted, 0)));
  g_assert_cmpuint (jg_graph_get_n_inputs (empty), ==, 1);
  g_assert_cmpuint (jg_graph_get_n_tasks (empty), ==, 2);
  g_assert_cmpuint (jg_graph_get_n_errors (empty), ==, 0);
  g_assert_cmpfloat (jg_task_get_x (jg_graph_get_task (empty, 1)), ==, 600);

  g_assert_true (jg_history_undo (history, &error));
  g_assert_cmpuint (jg_graph_get_n_inputs (empty), ==, 0);
  g_assert_cmpuint (jg_graph_get_n_tasks (empty), ==, 0);
}

/* Copy → paste → copy the paste: positions move by the offset and nothing
 * else changes.
 */
static void
test_round_trip (void)
{
  Chain chain;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(JgGraph) other = jg_graph_new ();
  g_autoptr(GPtrArray) pasted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) shifted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) back = jg_graph_new ();
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) third = NULL;

  chain_init (&chain);
  bytes = copy_items (chain.graph, chain.input, chain.a, chain.b, NULL);
  original = jg_document_serialize (chain.graph);
  chain_clear (&chain);

  apply_paste (other, bytes, 12.5, -7.25, pasted);
  g_assert_cmpfloat (jg_job_input_get_x (g_ptr_array_index (pasted, 0)), ==, 22.5);
  g_assert_cmpfloat (jg_job_input_get_y (g_ptr_array_index (pasted, 0)), ==, 12.75);
  g_assert_cmpfloat (jg_task_get_x (g_ptr_array_index (pasted, 2)), ==, 612.5);
  g_assert_cmpfloat (jg_task_get_y (g_ptr_array_index (pasted, 2)), ==, 32.75);

  /* Copying the pasted nodes back with the opposite offset reproduces the
   * original graph exactly.
   */
  again = jg_fragment_copy (other, pasted, &error);
  g_assert_no_error (error);
  apply_paste (back, again, -12.5, 7.25, shifted);
  third = jg_document_serialize (back);
  g_assert_cmpmem (g_bytes_get_data (original, NULL), g_bytes_get_size (original),
                   g_bytes_get_data (third, NULL), g_bytes_get_size (third));
}

static void
test_copy_errors (void)
{
  Chain chain;
  g_autoptr(JgGraph) other = jg_graph_new ();
  g_autoptr(JgTask) stray = jg_task_new ("Stray", MES, NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  chain_init (&chain);

  bytes = jg_fragment_copy (chain.graph, items, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_ptr_array_add (items, chain.a);
  g_ptr_array_add (items, stray);
  bytes = jg_fragment_copy (chain.graph, items, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  chain_clear (&chain);
}

static void
test_malformed (void)
{
  static const char *const cases[] = {
    "",
    "not json",
    "[1, 2]",
    "{\"format\": \"jobgraph\", \"version\": 1, \"tasks\": []}",
    "{\"format\": \"jobgraph-fragment\"}",
    "{\"format\": \"jobgraph-fragment\", \"version\": 99, \"tasks\": []}",
    "{\"format\": \"jobgraph-fragment\", \"version\": 1}",
    "{\"format\": \"jobgraph-fragment\", \"version\": 1, \"tasks\": 3}",
    "{\"format\": \"jobgraph-fragment\", \"version\": 1, \"tasks\": [{\"x\": \"left\"}]}",
    "{\"format\": \"jobgraph-fragment\", \"version\": 1, \"tasks\": [{\"inputs\": [{\"input\": 0}]}]}",
    "{\"format\": \"jobgraph-fragment\", \"version\": 1, \"tasks\": [{\"outputs\": [{\"output\": 7}]}]}",
  };
  g_autoptr(JgGraph) graph = jg_graph_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i], strlen (cases[i]));
      g_autoptr(GPtrArray) pasted = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      JgEdit *edit;

      edit = jg_fragment_build_paste (graph, bytes, 0, 0, pasted, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (edit);
      g_assert_nonnull (error);
      g_assert_true (error->domain == JG_FORMAT_ERROR);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_cmpuint (pasted->len, ==, 0);
    }

  g_assert_cmpuint (jg_graph_get_n_tasks (graph), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/fragment/paste-same-graph", test_paste_same_graph);
  g_test_add_func ("/jobgraph/core/fragment/paste-with-input", test_paste_with_input);
  g_test_add_func ("/jobgraph/core/fragment/paste-empty-graph", test_paste_empty_graph);
  g_test_add_func ("/jobgraph/core/fragment/round-trip", test_round_trip);
  g_test_add_func ("/jobgraph/core/fragment/copy-errors", test_copy_errors);
  g_test_add_func ("/jobgraph/core/fragment/malformed", test_malformed);

  return g_test_run ();
}
