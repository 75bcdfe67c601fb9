/* jg-fragment.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-fragment"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-document-private.h"
#include "jg-edit.h"
#include "jg-format-error.h"
#include "jg-fragment.h"
#include "jg-json.h"

/* A fragment is the node lists of a `.jobgraph` document (see
 * jg-document.c) under its own format name, without the job and viewport:
 *
 * {
 *   "format": "jobgraph-fragment", "version": 1,
 *   "inputs": [ … ], "outputs": [ … ], "tasks": [ … ]
 * }
 *
 * Writing the same JSON as the document keeps one reader and one writer for
 * tasks, and lets a fragment be pasted by another version of the app as
 * long as the document format holds. Task names are kept as they are: the
 * service does not require them to be unique.
 */

#define FRAGMENT_FORMAT  "jobgraph-fragment"
#define FRAGMENT_VERSION 1

static gboolean
contains (GPtrArray *items,
          gpointer   item)
{
  return g_ptr_array_find (items, item, NULL);
}

/**
 * jg_fragment_copy:
 * @items: (element-type GObject): the #JgTask and #JgJobInput objects to
 *   copy, all in @graph
 *
 * Copies @items with their positions and settings, the output assets the
 * tasks write, and the wires between the copied nodes. Wires from nodes
 * outside @items are recorded as unconnected ports.
 *
 * Returns: (transfer full): the fragment, or %NULL with @error set when
 *   @items is empty or holds something that is not a task or input of
 *   @graph
 */
GBytes *
jg_fragment_copy (JgGraph   *graph,
                  GPtrArray *items,
                  GError   **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  g_autoptr(GPtrArray) tasks = g_ptr_array_new ();
  char *text;
  guint n;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (items != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);

      if (!((JG_IS_TASK (item) && jg_graph_find_task (graph, item) >= 0) ||
            (JG_IS_JOB_INPUT (item) && jg_graph_find_input (graph, item) >= 0)))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Only tasks and inputs of this job can be copied"));
          return NULL;
        }
    }

  /* Graph order, not selection order: a paste then keeps the tasks in the
   * order the job runs them when nothing else decides.
   */
  n = jg_graph_get_n_inputs (graph);
  for (guint i = 0; i < n; i++)
    if (contains (items, jg_graph_get_input (graph, i)))
      g_ptr_array_add (inputs, jg_graph_get_input (graph, i));

  n = jg_graph_get_n_tasks (graph);
  for (guint i = 0; i < n; i++)
    if (contains (items, jg_graph_get_task (graph, i)))
      g_ptr_array_add (tasks, jg_graph_get_task (graph, i));

  if (inputs->len == 0 && tasks->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Nothing to copy: select tasks or inputs first"));
      return NULL;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FRAGMENT_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FRAGMENT_VERSION);
  _jg_document_write_nodes (builder, inputs, tasks, TRUE);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = jg_json_to_string (root, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

static JgGraph *
parse_fragment (GBytes  *fragment,
                GError **error)
{
  g_autoptr(JgGraph) scratch = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize       size;
  const char *data = g_bytes_get_data (fragment, &size);
  JsonObject *object;
  gint64      version;

  root = jg_json_parse (data, size, error);
  if (root == NULL)
    {
      g_prefix_error (error, _("The clipboard does not hold Jobgraph tasks: "));
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (jg_json_object_get_string (json_node_get_object (root), "format"), FRAGMENT_FORMAT) != 0)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("The clipboard does not hold Jobgraph tasks (its \"format\" is not \"%s\")"),
                              FRAGMENT_FORMAT);
      return NULL;
    }

  object = json_node_get_object (root);
  if (!jg_json_object_get_int (object, "version", &version) || version < 1)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("The copied tasks have no valid \"version\""));
      return NULL;
    }

  if (version > FRAGMENT_VERSION)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_NEWER_VERSION, 0, 0,
                           _("The tasks were copied from a newer version of Jobgraph; update Jobgraph to paste them"));
      return NULL;
    }

  /* The document reader builds into a graph: a scratch one, never
   * validated, whose objects then move into the target by undoable edits.
   */
  scratch = jg_graph_new ();
  jg_graph_set_auto_validate (scratch, FALSE);
  if (!_jg_document_read_nodes (object, scratch, error))
    {
      g_prefix_error (error, _("The copied tasks are damaged: "));
      return NULL;
    }

  if (jg_graph_get_n_inputs (scratch) == 0 && jg_graph_get_n_tasks (scratch) == 0)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("The clipboard holds no tasks or inputs to paste"));
      return NULL;
    }

  return g_steal_pointer (&scratch);
}

/**
 * jg_fragment_build_paste:
 * @fragment: what jg_fragment_copy() returned
 * @dx: how far right of the copied positions to place the nodes
 * @dy: how far down of the copied positions to place the nodes
 * @pasted: (nullable) (element-type GObject): where to append the new
 *   #JgJobInput and #JgTask objects, each with a new reference (so the
 *   array should free its elements with g_object_unref())
 *
 * The new objects are fresh: pasting twice makes two sets of copies. They
 * are wired to each other as the copied nodes were; nothing in @graph is
 * changed until the edit is applied (with jg_history_apply()).
 *
 * Returns: (transfer full): one undoable step labelled "Paste", or %NULL
 *   with @error saying why @fragment cannot be pasted
 */
JgEdit *
jg_fragment_build_paste (JgGraph   *graph,
                         GBytes    *fragment,
                         double     dx,
                         double     dy,
                         GPtrArray *pasted,
                         GError   **error)
{
  g_autoptr(JgGraph) scratch = NULL;
  g_autoptr(JgEdit) group = NULL;
  guint n_inputs, n_tasks;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (fragment != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scratch = parse_fragment (fragment, error);
  if (scratch == NULL)
    return NULL;

  group = jg_edit_new_group (_("Paste"));
  n_inputs = jg_graph_get_n_inputs (scratch);
  n_tasks = jg_graph_get_n_tasks (scratch);

  /* Inputs first: the tasks' ports already point at them, and the whole
   * group applies before the graph validates.
   */
  for (guint i = 0; i < n_inputs; i++)
    {
      JgJobInput *input = jg_graph_get_input (scratch, i);

      jg_job_input_set_position (input, input->x + dx, input->y + dy);
      jg_edit_group_add (group, jg_edit_new_insert_input (input, -1));
      if (pasted != NULL)
        g_ptr_array_add (pasted, g_object_ref (input));
    }

  for (guint i = 0; i < n_tasks; i++)
    {
      JgTask *task = jg_graph_get_task (scratch, i);

      jg_task_set_position (task, task->x + dx, task->y + dy);
      jg_edit_group_add (group, jg_edit_new_insert_task (task, -1));
      if (pasted != NULL)
        g_ptr_array_add (pasted, g_object_ref (task));
    }

  return g_steal_pointer (&group);
}
