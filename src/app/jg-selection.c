/* jg-selection.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-selection"

#include "config.h"

#include "jg-selection.h"

struct _JgSelection
{
  GObject        parent_instance;

  /* Selected nodes (JgTask / JgJobInput), strong refs, in selection order. */
  GPtrArray     *items;

  /* Or one edge: the reader's input port. */
  JgTask        *edge_reader;
  guint          edge_input;

  /* Or one output asset. */
  JgOutputAsset *output;
};

G_DEFINE_FINAL_TYPE (JgSelection, jg_selection, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
jg_selection_finalize (GObject *object)
{
  JgSelection *self = (JgSelection *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->edge_reader);
  g_clear_object (&self->output);

  G_OBJECT_CLASS (jg_selection_parent_class)->finalize (object);
}

static void
jg_selection_class_init (JgSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_selection_finalize;

  /**
   * JgSelection::changed:
   *
   * Emitted once after any change of the selection.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
jg_selection_init (JgSelection *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

JgSelection *
jg_selection_new (void)
{
  return g_object_new (JG_TYPE_SELECTION, NULL);
}

static gboolean
is_node (gpointer item)
{
  return JG_IS_TASK (item) || JG_IS_JOB_INPUT (item);
}

/* Drops the edge and output selection; returns whether there was one. */
static gboolean
clear_non_nodes (JgSelection *self)
{
  gboolean had = self->edge_reader != NULL || self->output != NULL;

  g_clear_object (&self->edge_reader);
  g_clear_object (&self->output);

  return had;
}

static void
emit_changed (JgSelection *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
jg_selection_get_n_items (JgSelection *self)
{
  g_return_val_if_fail (JG_IS_SELECTION (self), 0);

  return self->items->len;
}

/**
 * jg_selection_dup_items:
 *
 * Returns: (transfer full) (element-type GObject): the selected nodes in
 *   selection order.
 */
GPtrArray *
jg_selection_dup_items (JgSelection *self)
{
  g_return_val_if_fail (JG_IS_SELECTION (self), NULL);

  return g_ptr_array_copy (self->items, (GCopyFunc)(void (*) (void))g_object_ref, NULL);
}

gboolean
jg_selection_contains (JgSelection *self,
                       gpointer     item)
{
  g_return_val_if_fail (JG_IS_SELECTION (self), FALSE);

  return item != NULL && g_ptr_array_find (self->items, item, NULL);
}

/**
 * jg_selection_get_primary:
 *
 * Returns: (transfer none) (nullable): the node selected last.
 */
gpointer
jg_selection_get_primary (JgSelection *self)
{
  g_return_val_if_fail (JG_IS_SELECTION (self), NULL);

  if (self->items->len == 0)
    return NULL;

  return g_ptr_array_index (self->items, self->items->len - 1);
}

/**
 * jg_selection_select:
 * @extend: %TRUE to add @item to the selection, %FALSE to replace it
 */
void
jg_selection_select (JgSelection *self,
                     gpointer     item,
                     gboolean     extend)
{
  guint    index;
  gboolean changed;

  g_return_if_fail (JG_IS_SELECTION (self));
  g_return_if_fail (is_node (item));

  changed = clear_non_nodes (self);

  if (!extend)
    {
      if (self->items->len == 1 && g_ptr_array_index (self->items, 0) == item)
        {
          if (changed)
            emit_changed (self);
          return;
        }

      g_ptr_array_set_size (self->items, 0);
    }
  else if (g_ptr_array_find (self->items, item, &index))
    {
      /* Already selected: make it the primary item. */
      if (index == self->items->len - 1 && !changed)
        return;

      g_ptr_array_add (self->items, g_object_ref (item));
      g_ptr_array_remove_index (self->items, index);
      emit_changed (self);
      return;
    }

  g_ptr_array_add (self->items, g_object_ref (item));
  emit_changed (self);
}

void
jg_selection_toggle (JgSelection *self,
                     gpointer     item)
{
  g_return_if_fail (JG_IS_SELECTION (self));
  g_return_if_fail (is_node (item));

  if (jg_selection_contains (self, item))
    jg_selection_unselect (self, item);
  else
    jg_selection_select (self, item, TRUE);
}

void
jg_selection_unselect (JgSelection *self,
                       gpointer     item)
{
  g_return_if_fail (JG_IS_SELECTION (self));

  if (g_ptr_array_remove (self->items, item))
    emit_changed (self);
}

/**
 * jg_selection_set_items:
 * @items: (element-type GObject): nodes to select, in order
 */
void
jg_selection_set_items (JgSelection *self,
                        GPtrArray   *items)
{
  g_return_if_fail (JG_IS_SELECTION (self));
  g_return_if_fail (items != NULL);

  clear_non_nodes (self);
  g_ptr_array_set_size (self->items, 0);

  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);

      if (is_node (item) && !g_ptr_array_find (self->items, item, NULL))
        g_ptr_array_add (self->items, g_object_ref (item));
    }

  emit_changed (self);
}

void
jg_selection_clear (JgSelection *self)
{
  gboolean changed;

  g_return_if_fail (JG_IS_SELECTION (self));

  changed = clear_non_nodes (self) || self->items->len > 0;
  g_ptr_array_set_size (self->items, 0);

  if (changed)
    emit_changed (self);
}

/**
 * jg_selection_select_edge:
 * @reader: the task reading through the edge
 * @input_index: the input port of @reader the edge ends at
 *
 * Selects one edge instead of any nodes.
 */
void
jg_selection_select_edge (JgSelection *self,
                          JgTask      *reader,
                          guint        input_index)
{
  g_return_if_fail (JG_IS_SELECTION (self));
  g_return_if_fail (JG_IS_TASK (reader));

  if (self->edge_reader == reader && self->edge_input == input_index && self->items->len == 0)
    return;

  g_ptr_array_set_size (self->items, 0);
  g_clear_object (&self->output);
  g_set_object (&self->edge_reader, reader);
  self->edge_input = input_index;
  emit_changed (self);
}

/**
 * jg_selection_get_edge:
 * @reader: (out) (optional) (transfer none)
 * @input_index: (out) (optional)
 *
 * Returns: %TRUE when an edge is selected.
 */
gboolean
jg_selection_get_edge (JgSelection *self,
                       JgTask     **reader,
                       guint       *input_index)
{
  g_return_val_if_fail (JG_IS_SELECTION (self), FALSE);

  if (reader != NULL)
    *reader = self->edge_reader;
  if (input_index != NULL)
    *input_index = self->edge_input;

  return self->edge_reader != NULL;
}

/**
 * jg_selection_select_output:
 *
 * Selects one output asset (for the inspector) instead of any nodes.
 */
void
jg_selection_select_output (JgSelection   *self,
                            JgOutputAsset *asset)
{
  g_return_if_fail (JG_IS_SELECTION (self));
  g_return_if_fail (JG_IS_OUTPUT_ASSET (asset));

  if (self->output == asset && self->items->len == 0)
    return;

  g_ptr_array_set_size (self->items, 0);
  g_clear_object (&self->edge_reader);
  g_set_object (&self->output, asset);
  emit_changed (self);
}

/**
 * jg_selection_get_output:
 *
 * Returns: (transfer none) (nullable): the selected output asset.
 */
JgOutputAsset *
jg_selection_get_output (JgSelection *self)
{
  g_return_val_if_fail (JG_IS_SELECTION (self), NULL);

  return self->output;
}

static gboolean
task_writes (JgTask        *task,
             JgOutputAsset *asset)
{
  for (guint p = 0; p < jg_task_get_n_outputs (task); p++)
    {
      GObject *object = NULL;

      if (jg_task_get_output (task, p, &object, NULL) == JG_REF_OUTPUT_ASSET && object == (GObject *)asset)
        return TRUE;
    }

  return FALSE;
}

/**
 * jg_selection_forget_missing:
 *
 * Drops whatever is no longer part of @graph (after an undo, a delete or a
 * re-import), emitting ::changed once if anything went.
 */
void
jg_selection_forget_missing (JgSelection *self,
                             JgGraph     *graph)
{
  gboolean changed = FALSE;

  g_return_if_fail (JG_IS_SELECTION (self));
  g_return_if_fail (JG_IS_GRAPH (graph));

  for (guint i = self->items->len; i > 0; i--)
    {
      gpointer item = g_ptr_array_index (self->items, i - 1);
      gboolean present = JG_IS_TASK (item) ? jg_graph_find_task (graph, item) >= 0
                                           : jg_graph_find_input (graph, item) >= 0;

      if (!present)
        {
          g_ptr_array_remove_index (self->items, i - 1);
          changed = TRUE;
        }
    }

  if (self->edge_reader != NULL &&
      (jg_graph_find_task (graph, self->edge_reader) < 0 ||
       self->edge_input >= jg_task_get_n_inputs (self->edge_reader)))
    {
      g_clear_object (&self->edge_reader);
      changed = TRUE;
    }

  if (self->output != NULL)
    {
      gboolean written = FALSE;

      for (guint t = 0; t < jg_graph_get_n_tasks (graph) && !written; t++)
        written = task_writes (jg_graph_get_task (graph, t), self->output);

      if (!written)
        {
          g_clear_object (&self->output);
          changed = TRUE;
        }
    }

  if (changed)
    emit_changed (self);
}
