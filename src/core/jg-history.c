/* jg-history.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-history"

#include "config.h"

#include <gio/gio.h>

#include "jg-edit.h"
#include "jg-graph.h"
#include "jg-history.h"

/* Undo and redo over jg_graph_apply(): each stack holds inverses. The
 * "modified" state compares the undo depth with the depth at the last save,
 * so undoing back to the saved state makes the document clean again.
 */

struct _JgHistory
{
  GObject    parent_instance;

  JgGraph   *graph;
  GPtrArray *undo_stack;  /* JgEdit: inverses of applied edits */
  GPtrArray *redo_stack;  /* JgEdit: inverses of undone edits */
  int        saved_depth; /* -1 when the saved state is unreachable */
};

enum
{
  PROP_0,
  PROP_GRAPH,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_MODIFIED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgHistory, jg_history, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
notify_state (JgHistory *self,
              gboolean   could_undo,
              gboolean   could_redo,
              gboolean   was_modified)
{
  if (could_undo != jg_history_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != jg_history_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  if (was_modified != jg_history_get_modified (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
jg_history_dispose (GObject *object)
{
  JgHistory *self = (JgHistory *)object;

  g_clear_object (&self->graph);
  g_clear_pointer (&self->undo_stack, g_ptr_array_unref);
  g_clear_pointer (&self->redo_stack, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_history_parent_class)->dispose (object);
}

static void
jg_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JgHistory *self = JG_HISTORY (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;

    case PROP_CAN_UNDO:
      g_value_set_boolean (value, jg_history_can_undo (self));
      break;

    case PROP_CAN_REDO:
      g_value_set_boolean (value, jg_history_can_redo (self));
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, jg_history_get_modified (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JgHistory *self = JG_HISTORY (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      self->graph = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_history_class_init (JgHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_history_dispose;
  object_class->get_property = jg_history_get_property;
  object_class->set_property = jg_history_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL,
                         JG_TYPE_GRAPH,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_history_init (JgHistory *self)
{
  self->undo_stack = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_edit_unref);
  self->redo_stack = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_edit_unref);
}

/**
 * jg_history_new:
 *
 * Returns: (transfer full): an empty history for @graph
 */
JgHistory *
jg_history_new (JgGraph *graph)
{
  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  return g_object_new (JG_TYPE_HISTORY,
                       "graph", graph,
                       NULL);
}

/**
 * jg_history_get_graph:
 *
 * Returns: (transfer none): the graph
 */
JgGraph *
jg_history_get_graph (JgHistory *self)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), NULL);

  return self->graph;
}

/**
 * jg_history_apply:
 *
 * Applies @edit to the graph as one undoable step; clears the redo stack.
 *
 * Returns: %TRUE on success
 */
gboolean
jg_history_apply (JgHistory *self,
                  JgEdit    *edit,
                  GError   **error)
{
  gboolean could_undo, could_redo, was_modified;
  JgEdit  *inverse;

  g_return_val_if_fail (JG_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  if (jg_edit_is_empty (edit))
    return TRUE;

  could_undo = jg_history_can_undo (self);
  could_redo = jg_history_can_redo (self);
  was_modified = jg_history_get_modified (self);

  inverse = jg_graph_apply (self->graph, edit, error);
  if (inverse == NULL)
    return FALSE;

  /* The saved state was in the redo stack: it can never come back. */
  if ((int)self->undo_stack->len < self->saved_depth)
    self->saved_depth = -1;

  g_ptr_array_add (self->undo_stack, inverse);
  g_ptr_array_set_size (self->redo_stack, 0);

  notify_state (self, could_undo, could_redo, was_modified);

  return TRUE;
}

static gboolean
move_step (JgHistory *self,
           GPtrArray *from,
           GPtrArray *to,
           GError   **error)
{
  gboolean could_undo = jg_history_can_undo (self);
  gboolean could_redo = jg_history_can_redo (self);
  gboolean was_modified = jg_history_get_modified (self);
  JgEdit  *inverse;

  if (from->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing to do");
      return FALSE;
    }

  inverse = jg_graph_apply (self->graph, g_ptr_array_index (from, from->len - 1), error);
  if (inverse == NULL)
    return FALSE;

  g_ptr_array_set_size (from, from->len - 1);
  g_ptr_array_add (to, inverse);

  notify_state (self, could_undo, could_redo, was_modified);

  return TRUE;
}

gboolean
jg_history_undo (JgHistory *self,
                 GError   **error)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), FALSE);

  return move_step (self, self->undo_stack, self->redo_stack, error);
}

gboolean
jg_history_redo (JgHistory *self,
                 GError   **error)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), FALSE);

  return move_step (self, self->redo_stack, self->undo_stack, error);
}

gboolean
jg_history_can_undo (JgHistory *self)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), FALSE);

  return self->undo_stack->len > 0;
}

gboolean
jg_history_can_redo (JgHistory *self)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), FALSE);

  return self->redo_stack->len > 0;
}

static const char *
top_label (GPtrArray *stack)
{
  if (stack->len == 0)
    return NULL;

  return jg_edit_get_label (g_ptr_array_index (stack, stack->len - 1));
}

/**
 * jg_history_get_undo_label:
 *
 * Returns: (nullable): the label of the step jg_history_undo() would undo
 */
const char *
jg_history_get_undo_label (JgHistory *self)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), NULL);

  return top_label (self->undo_stack);
}

/**
 * jg_history_get_redo_label:
 *
 * Returns: (nullable): the label of the step jg_history_redo() would redo
 */
const char *
jg_history_get_redo_label (JgHistory *self)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), NULL);

  return top_label (self->redo_stack);
}

void
jg_history_clear (JgHistory *self)
{
  gboolean could_undo, could_redo, was_modified;

  g_return_if_fail (JG_IS_HISTORY (self));

  could_undo = jg_history_can_undo (self);
  could_redo = jg_history_can_redo (self);
  was_modified = jg_history_get_modified (self);

  g_ptr_array_set_size (self->undo_stack, 0);
  g_ptr_array_set_size (self->redo_stack, 0);
  self->saved_depth = 0;

  notify_state (self, could_undo, could_redo, was_modified);
}

/**
 * jg_history_get_modified:
 *
 * Returns: %TRUE when the graph differs from its last saved state
 */
gboolean
jg_history_get_modified (JgHistory *self)
{
  g_return_val_if_fail (JG_IS_HISTORY (self), FALSE);

  return self->saved_depth != (int)self->undo_stack->len;
}

/**
 * jg_history_set_unmodified:
 *
 * Marks the current state as saved.
 */
void
jg_history_set_unmodified (JgHistory *self)
{
  gboolean could_undo, could_redo, was_modified;

  g_return_if_fail (JG_IS_HISTORY (self));

  could_undo = jg_history_can_undo (self);
  could_redo = jg_history_can_redo (self);
  was_modified = jg_history_get_modified (self);

  self->saved_depth = self->undo_stack->len;

  notify_state (self, could_undo, could_redo, was_modified);
}

/**
 * jg_history_set_modified:
 *
 * Marks the graph as differing from any saved state, as for work recovered
 * after a crash: nothing the user can undo to makes it clean again.
 */
void
jg_history_set_modified (JgHistory *self)
{
  gboolean could_undo, could_redo, was_modified;

  g_return_if_fail (JG_IS_HISTORY (self));

  could_undo = jg_history_can_undo (self);
  could_redo = jg_history_can_redo (self);
  was_modified = jg_history_get_modified (self);

  self->saved_depth = -1;

  notify_state (self, could_undo, could_redo, was_modified);
}
