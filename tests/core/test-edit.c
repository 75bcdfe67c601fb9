/* test-edit.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "jg-core.h"

/* Every kind of edit applies, undoes and redoes to the same graph; the
 * history tracks the saved state; a failing group leaves nothing behind.
 */

#define MES "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

static JgGraph *
new_chain (void)
{
  JgGraph *graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new ("In");
  g_autoptr(JgTask) a = jg_task_new ("A", MES, "Adaptive Streaming");
  g_autoptr(JgTask) b = jg_task_new ("B", MES, "Adaptive Streaming");
  g_autoptr(JgOutputAsset) a_out = jg_output_asset_new ();
  g_autoptr(JgOutputAsset) b_out = jg_output_asset_new ();

  jg_graph_append_input (graph, input);
  jg_graph_append_task (graph, a);
  jg_graph_append_task (graph, b);
  jg_graph_add_task_port (graph, a, FALSE, JG_REF_JOB_INPUT, input, NULL);
  jg_graph_add_task_port (graph, a, TRUE, JG_REF_OUTPUT_ASSET, a_out, NULL);
  jg_graph_add_task_port (graph, b, FALSE, JG_REF_OUTPUT_ASSET, a_out, NULL);
  jg_graph_add_task_port (graph, b, TRUE, JG_REF_OUTPUT_ASSET, b_out, NULL);
  jg_graph_validate (graph);

  return graph;
}

/* The whole graph as text: equal snapshots mean equal graphs. */
static char *
snapshot (JgGraph *graph)
{
  g_autoptr(GBytes) bytes = jg_export_graph (graph, JG_EXPORT_DOCUMENT, NULL, NULL);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
check_undo_redo (JgGraph *graph,
                 JgEdit  *edit)
{
  g_autoptr(JgHistory) history = jg_history_new (graph);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (graph);
  g_autofree char *after = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;

  g_assert_true (jg_history_apply (history, edit, &error));
  g_assert_no_error (error);
  after = snapshot (graph);
  g_assert_cmpstr (before, !=, after);
  g_assert_true (jg_history_can_undo (history));
  g_assert_true (jg_history_get_modified (history));

  g_assert_true (jg_history_undo (history, &error));
  undone = snapshot (graph);
  g_assert_cmpstr (before, ==, undone);
  g_assert_false (jg_history_get_modified (history));
  g_assert_true (jg_history_can_redo (history));

  g_assert_true (jg_history_redo (history, &error));
  redone = snapshot (graph);
  g_assert_cmpstr (after, ==, redone);
}

static void
test_set_property (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  JgTask *task = jg_graph_get_task (graph, 0);
  g_autoptr(JgEdit) edit = jg_edit_new_set (task, "name", "Encode", "configuration", "H264 Multiple Bitrate 720p", NULL);

  check_undo_redo (graph, edit);
  g_assert_cmpstr (jg_task_get_name (task), ==, "Encode");
}

static void
test_move (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgEdit) edit = jg_edit_new_group ("Move");

  jg_edit_group_add (edit, jg_edit_new_set (jg_graph_get_task (graph, 0), "x", 10.0, "y", 20.0, NULL));
  jg_edit_group_add (edit, jg_edit_new_set (jg_graph_get_input (graph, 0), "x", -5.0, NULL));
  check_undo_redo (graph, edit);
  g_assert_cmpfloat (jg_task_get_y (jg_graph_get_task (graph, 0)), ==, 20.0);
}

static void
test_insert_remove_task (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgTask) task = jg_task_new ("C", MES, "Adaptive Streaming");
  g_autoptr(JgEdit) insert = jg_edit_new_insert_task (task, 1);
  g_autoptr(JgEdit) remove = NULL;

  check_undo_redo (graph, insert);
  g_assert_true (jg_graph_get_task (graph, 1) == task);

  remove = jg_graph_build_remove_task (graph, jg_graph_get_task (graph, 0));
  check_undo_redo (graph, remove);
  /* "B" read A's output: its wire was detached in the same step. */
  g_assert_cmpint (jg_task_get_input (jg_graph_get_task (graph, 1), 0, NULL, NULL), ==, JG_REF_NONE);
}

static void
test_insert_remove_input (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgJobInput) input = jg_job_input_new ("Logo");
  g_autoptr(JgEdit) insert = jg_edit_new_insert_input (input, -1);
  g_autoptr(JgEdit) remove = NULL;

  check_undo_redo (graph, insert);
  g_assert_cmpuint (jg_graph_get_n_inputs (graph), ==, 2);

  remove = jg_graph_build_remove_input (graph, jg_graph_get_input (graph, 0));
  check_undo_redo (graph, remove);
  g_assert_cmpint (jg_task_get_input (jg_graph_get_task (graph, 0), 0, NULL, NULL), ==, JG_REF_NONE);
}

static void
test_ports (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  JgTask *b = jg_graph_get_task (graph, 1);
  g_autoptr(JgOutputAsset) extra = jg_output_asset_new ();
  g_autoptr(JgEdit) add_output = jg_edit_new_insert_port (b, TRUE, -1, JG_REF_OUTPUT_ASSET, extra, NULL);
  g_autoptr(JgEdit) add_input = jg_edit_new_insert_port (b, FALSE, 0, JG_REF_JOB_INPUT, jg_graph_get_input (graph, 0), NULL);
  g_autoptr(JgEdit) reconnect = NULL;
  g_autoptr(JgEdit) remove = NULL;

  check_undo_redo (graph, add_output);
  g_assert_cmpuint (jg_task_get_n_outputs (b), ==, 2);

  check_undo_redo (graph, add_input);
  g_assert_cmpuint (jg_task_get_n_inputs (b), ==, 2);

  reconnect = jg_edit_new_set_port (b, FALSE, 1, JG_REF_NONE, NULL, NULL);
  check_undo_redo (graph, reconnect);

  remove = jg_edit_new_remove_port (b, FALSE, 0);
  check_undo_redo (graph, remove);
  g_assert_cmpuint (jg_task_get_n_inputs (b), ==, 1);
}

static void
test_failed_group_rolls_back (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgHistory) history = jg_history_new (graph);
  g_autoptr(JgEdit) group = jg_edit_new_group ("Broken");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (graph);
  g_autofree char *after = NULL;

  jg_edit_group_add (group, jg_edit_new_set (jg_graph_get_task (graph, 0), "name", "Changed", NULL));
  jg_edit_group_add (group, jg_edit_new_remove_task (7));

  g_assert_false (jg_history_apply (history, group, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  after = snapshot (graph);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (jg_history_can_undo (history));
}

static void
test_foreign_input_refused (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgJobInput) stranger = jg_job_input_new ("Elsewhere");
  g_autoptr(JgEdit) edit = jg_edit_new_set_port (jg_graph_get_task (graph, 0), FALSE, 0,
                                                  JG_REF_JOB_INPUT, stranger, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgEdit) inverse = jg_graph_apply (graph, edit, &error);

  g_assert_null (inverse);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_history_labels_and_saved_state (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgHistory) history = jg_history_new (graph);
  g_autoptr(JgEdit) rename = jg_edit_new_set (jg_graph_get_task (graph, 0), "name", "X", NULL);
  g_autoptr(JgEdit) rename2 = jg_edit_new_set (jg_graph_get_task (graph, 0), "name", "Y", NULL);
  g_autoptr(JgEdit) rename3 = jg_edit_new_set (jg_graph_get_task (graph, 0), "name", "Z", NULL);

  jg_edit_set_label (rename, "Rename Task");
  g_assert_true (jg_history_apply (history, rename, NULL));
  g_assert_cmpstr (jg_history_get_undo_label (history), ==, "Rename Task");

  jg_history_set_unmodified (history);
  g_assert_false (jg_history_get_modified (history));

  g_assert_true (jg_history_apply (history, rename2, NULL));
  g_assert_true (jg_history_get_modified (history));
  g_assert_true (jg_history_undo (history, NULL));
  g_assert_false (jg_history_get_modified (history));
  g_assert_cmpstr (jg_history_get_redo_label (history), ==, NULL);

  /* Undo past the save, then a new edit: the saved state is gone for good. */
  g_assert_true (jg_history_undo (history, NULL));
  g_assert_true (jg_history_apply (history, rename3, NULL));
  g_assert_true (jg_history_get_modified (history));
  g_assert_true (jg_history_undo (history, NULL));
  g_assert_true (jg_history_get_modified (history));
  g_assert_true (jg_history_can_redo (history));
}

static void
count_changed_cb (JgGraph *graph,
                  guint   *count)
{
  (*count)++;
}

static void
test_changed_once_per_edit (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgEdit) group = jg_edit_new_group (NULL);
  g_autoptr(JgEdit) inverse = NULL;
  guint count = 0;

  for (guint i = 0; i < 10; i++)
    jg_edit_group_add (group, jg_edit_new_set (jg_graph_get_task (graph, 0), "priority", (int)i, NULL));

  g_signal_connect (graph, "changed", G_CALLBACK (count_changed_cb), &count);
  inverse = jg_graph_apply (graph, group, NULL);
  g_assert_nonnull (inverse);
  g_assert_cmpuint (count, ==, 1);
}

static void
test_tidy_up_is_undoable (void)
{
  g_autoptr(JgGraph) graph = new_chain ();
  g_autoptr(JgEdit) edit = NULL;

  jg_task_set_position (jg_graph_get_task (graph, 0), 900, 900);
  edit = jg_layout_build_edit (graph);
  check_undo_redo (graph, edit);
  /* Left to right: the input, then A, then B. */
  g_assert_cmpfloat (jg_job_input_get_x (jg_graph_get_input (graph, 0)), <, jg_task_get_x (jg_graph_get_task (graph, 0)));
  g_assert_cmpfloat (jg_task_get_x (jg_graph_get_task (graph, 0)), <, jg_task_get_x (jg_graph_get_task (graph, 1)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/edit/set-property", test_set_property);
  g_test_add_func ("/jobgraph/core/edit/move", test_move);
  g_test_add_func ("/jobgraph/core/edit/insert-remove-task", test_insert_remove_task);
  g_test_add_func ("/jobgraph/core/edit/insert-remove-input", test_insert_remove_input);
  g_test_add_func ("/jobgraph/core/edit/ports", test_ports);
  g_test_add_func ("/jobgraph/core/edit/failed-group-rolls-back", test_failed_group_rolls_back);
  g_test_add_func ("/jobgraph/core/edit/foreign-input-refused", test_foreign_input_refused);
  g_test_add_func ("/jobgraph/core/edit/history-saved-state", test_history_labels_and_saved_state);
  g_test_add_func ("/jobgraph/core/edit/changed-once", test_changed_once_per_edit);
  g_test_add_func ("/jobgraph/core/edit/tidy-up", test_tidy_up_is_undoable);

  return g_test_run ();
}
