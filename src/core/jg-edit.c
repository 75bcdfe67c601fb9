/* jg-edit.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-edit"

#include "config.h"

#include <gio/gio.h>
#include <gobject/gvaluecollector.h>

#include "jg-edit-private.h"
#include "jg-graph-private.h"

/* An edit is one change to a graph. Applying it returns its inverse, so an
 * undo stack is just a stack of inverses (jg-history.c), and a redo is the
 * inverse of the inverse. Every change the editor makes — a drag, a nudge,
 * a property, a wire — is one of the few primitives below or a group of
 * them.
 */

typedef enum
{
  EDIT_SET_PROPERTY,
  EDIT_INSERT_TASK,
  EDIT_REMOVE_TASK,
  EDIT_INSERT_INPUT,
  EDIT_REMOVE_INPUT,
  EDIT_INSERT_PORT,
  EDIT_REMOVE_PORT,
  EDIT_SET_PORT,
  EDIT_GROUP,
} EditKind;

struct _JgEdit
{
  gatomicrefcount ref_count;
  EditKind        kind;
  char           *label;

  GObject        *object;   /* target of SET_PROPERTY, task of *_TASK and *_PORT, input of INSERT_INPUT */
  const char     *property; /* interned */
  GValue          value;
  int             position;
  gboolean        output;
  JgPortRef       ref;
  GPtrArray      *children;
};

G_DEFINE_BOXED_TYPE (JgEdit, jg_edit, jg_edit_ref, jg_edit_unref)

static JgEdit *
edit_new (EditKind kind)
{
  JgEdit *edit = g_new0 (JgEdit, 1);

  g_atomic_ref_count_init (&edit->ref_count);
  edit->kind = kind;

  return edit;
}

JgEdit *
jg_edit_ref (JgEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);

  g_atomic_ref_count_inc (&edit->ref_count);

  return edit;
}

void
jg_edit_unref (JgEdit *edit)
{
  g_return_if_fail (edit != NULL);

  if (!g_atomic_ref_count_dec (&edit->ref_count))
    return;

  g_clear_object (&edit->object);
  if (G_IS_VALUE (&edit->value))
    g_value_unset (&edit->value);
  _jg_port_ref_clear (&edit->ref);
  g_clear_pointer (&edit->children, g_ptr_array_unref);
  g_free (edit->label);
  g_free (edit);
}

/**
 * jg_edit_get_label:
 *
 * Returns: (nullable): what the edit does, for "Undo Move" menu items.
 */
const char *
jg_edit_get_label (JgEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);

  return edit->label;
}

void
jg_edit_set_label (JgEdit     *edit,
                   const char *label)
{
  g_return_if_fail (edit != NULL);

  g_free (edit->label);
  edit->label = g_strdup (label);
}

/**
 * jg_edit_is_empty:
 *
 * Returns: %TRUE for a group with nothing in it.
 */
gboolean
jg_edit_is_empty (JgEdit *edit)
{
  g_return_val_if_fail (edit != NULL, TRUE);

  if (edit->kind != EDIT_GROUP)
    return FALSE;

  for (guint i = 0; i < edit->children->len; i++)
    if (!jg_edit_is_empty (g_ptr_array_index (edit->children, i)))
      return FALSE;

  return TRUE;
}

/**
 * jg_edit_new_set_value:
 * @object: a #JgGraph, #JgTask, #JgJobInput or #JgOutputAsset
 *
 * Returns: (transfer full): an edit that sets one property.
 */
JgEdit *
jg_edit_new_set_value (gpointer      object,
                       const char   *property,
                       const GValue *value)
{
  JgEdit *edit;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);
  g_return_val_if_fail (property != NULL, NULL);
  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  edit = edit_new (EDIT_SET_PROPERTY);
  edit->object = g_object_ref (object);
  edit->property = g_intern_string (property);
  g_value_init (&edit->value, G_VALUE_TYPE (value));
  g_value_copy (value, &edit->value);

  return edit;
}

/**
 * jg_edit_new_set:
 * @object: the object whose properties change
 * @first_property: a property name, followed by its value, then more
 *   name/value pairs, ending with %NULL
 *
 * Returns: (transfer full): an edit setting every listed property (a group
 *   when there are several).
 */
JgEdit *
jg_edit_new_set (gpointer    object,
                 const char *first_property,
                 ...)
{
  g_autoptr(JgEdit) group = NULL;
  const char *name;
  va_list     args;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);
  g_return_val_if_fail (first_property != NULL, NULL);

  group = jg_edit_new_group (NULL);

  va_start (args, first_property);
  for (name = first_property; name != NULL; name = va_arg (args, const char *))
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *error = NULL;

      if (pspec == NULL)
        {
          g_critical ("%s has no property named “%s”", G_OBJECT_TYPE_NAME (object), name);
          break;
        }

      G_VALUE_COLLECT_INIT (&value, pspec->value_type, args, 0, &error);
      if (error != NULL)
        {
          g_critical ("%s", error);
          break;
        }

      jg_edit_group_add (group, jg_edit_new_set_value (object, name, &value));
    }
  va_end (args);

  if (group->children->len == 1)
    return jg_edit_ref (g_ptr_array_index (group->children, 0));

  return g_steal_pointer (&group);
}

/**
 * jg_edit_new_insert_task:
 * @position: where in the task list, or -1 to append
 *
 * Returns: (transfer full): an edit adding @task to the graph.
 */
JgEdit *
jg_edit_new_insert_task (JgTask *task,
                         int     position)
{
  JgEdit *edit;

  g_return_val_if_fail (JG_IS_TASK (task), NULL);

  edit = edit_new (EDIT_INSERT_TASK);
  edit->object = g_object_ref (G_OBJECT (task));
  edit->position = position;

  return edit;
}

/**
 * jg_edit_new_remove_task:
 *
 * Removes only the task: wires that read its outputs stay and become
 * `unknown-output` problems. The editor uses jg_graph_build_remove_task(),
 * which detaches them as part of the same step.
 *
 * Returns: (transfer full): an edit removing the task at @position.
 */
JgEdit *
jg_edit_new_remove_task (guint position)
{
  JgEdit *edit = edit_new (EDIT_REMOVE_TASK);

  edit->position = position;

  return edit;
}

/**
 * jg_edit_new_insert_input:
 * @position: where in the input list, or -1 to append
 *
 * Returns: (transfer full): an edit adding a job input.
 */
JgEdit *
jg_edit_new_insert_input (JgJobInput *input,
                          int         position)
{
  JgEdit *edit;

  g_return_val_if_fail (JG_IS_JOB_INPUT (input), NULL);

  edit = edit_new (EDIT_INSERT_INPUT);
  edit->object = g_object_ref (G_OBJECT (input));
  edit->position = position;

  return edit;
}

/**
 * jg_edit_new_remove_input:
 *
 * Returns: (transfer full): an edit removing the job input at @position.
 */
JgEdit *
jg_edit_new_remove_input (guint position)
{
  JgEdit *edit = edit_new (EDIT_REMOVE_INPUT);

  edit->position = position;

  return edit;
}

static JgEdit *
port_edit_new (EditKind    kind,
               JgTask     *task,
               gboolean    output,
               int         index,
               JgRefKind   ref_kind,
               gpointer    object,
               const char *text)
{
  JgEdit *edit = edit_new (kind);

  edit->object = g_object_ref (G_OBJECT (task));
  edit->output = !!output;
  edit->position = index;
  edit->ref.kind = ref_kind;
  if (ref_kind == JG_REF_JOB_INPUT || ref_kind == JG_REF_OUTPUT_ASSET)
    edit->ref.object = g_object_ref (object);
  if (ref_kind == JG_REF_TEXT)
    edit->ref.text = g_strdup (text);

  return edit;
}

static gboolean
ref_args_valid (gboolean  output,
                JgRefKind kind,
                gpointer  object)
{
  switch (kind)
    {
    case JG_REF_NONE:
    case JG_REF_TEXT:
      return TRUE;

    case JG_REF_JOB_INPUT:
      return !output && JG_IS_JOB_INPUT (object);

    case JG_REF_OUTPUT_ASSET:
      return JG_IS_OUTPUT_ASSET (object);

    default:
      return FALSE;
    }
}

/**
 * jg_edit_new_insert_port:
 * @output: %TRUE for an output port, %FALSE for an input port
 * @index: where among the task's ports, or -1 to append
 * @kind: what the port refers to
 * @object: (nullable): the #JgJobInput or #JgOutputAsset
 * @text: (nullable): the reference text for %JG_REF_TEXT
 *
 * Returns: (transfer full): an edit adding a port to @task.
 */
JgEdit *
jg_edit_new_insert_port (JgTask     *task,
                         gboolean    output,
                         int         index,
                         JgRefKind   kind,
                         gpointer    object,
                         const char *text)
{
  g_return_val_if_fail (JG_IS_TASK (task), NULL);
  g_return_val_if_fail (ref_args_valid (output, kind, object), NULL);

  return port_edit_new (EDIT_INSERT_PORT, task, output, index, kind, object, text);
}

/**
 * jg_edit_new_remove_port:
 *
 * Returns: (transfer full): an edit removing a port of @task.
 */
JgEdit *
jg_edit_new_remove_port (JgTask  *task,
                         gboolean output,
                         guint    index)
{
  g_return_val_if_fail (JG_IS_TASK (task), NULL);

  return port_edit_new (EDIT_REMOVE_PORT, task, output, index, JG_REF_NONE, NULL, NULL);
}

/**
 * jg_edit_new_set_port:
 *
 * Connects (or with %JG_REF_NONE, detaches) an existing port.
 *
 * Returns: (transfer full): the edit
 */
JgEdit *
jg_edit_new_set_port (JgTask     *task,
                      gboolean    output,
                      guint       index,
                      JgRefKind   kind,
                      gpointer    object,
                      const char *text)
{
  g_return_val_if_fail (JG_IS_TASK (task), NULL);
  g_return_val_if_fail (ref_args_valid (output, kind, object), NULL);

  return port_edit_new (EDIT_SET_PORT, task, output, index, kind, object, text);
}

/**
 * jg_edit_new_group:
 * @label: (nullable): what the whole step does
 *
 * Returns: (transfer full): an empty group; add edits with
 *   jg_edit_group_add(). A group applies as one step, all or nothing.
 */
JgEdit *
jg_edit_new_group (const char *label)
{
  JgEdit *edit = edit_new (EDIT_GROUP);

  edit->label = g_strdup (label);
  edit->children = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_edit_unref);

  return edit;
}

/**
 * jg_edit_group_add:
 * @edit: (transfer full): the edit to append
 */
void
jg_edit_group_add (JgEdit *group,
                   JgEdit *edit)
{
  g_return_if_fail (group != NULL && group->kind == EDIT_GROUP);
  g_return_if_fail (edit != NULL);

  g_ptr_array_add (group->children, edit);
}

static void
reverse_edits (GPtrArray *edits)
{
  for (guint i = 0, j = edits->len; i + 1 < j; i++, j--)
    {
      gpointer tmp = edits->pdata[i];

      edits->pdata[i] = edits->pdata[j - 1];
      edits->pdata[j - 1] = tmp;
    }
}

static gboolean
check_task_in_graph (JgGraph *graph,
                     JgTask  *task,
                     GError **error)
{
  if (jg_graph_find_task (graph, task) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Task “%s” is not part of this job",
                   task->name ? task->name : "");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_ref_in_graph (JgGraph         *graph,
                    const JgPortRef *ref,
                    GError         **error)
{
  if (ref->kind == JG_REF_JOB_INPUT &&
      jg_graph_find_input (graph, JG_JOB_INPUT (ref->object)) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "The job input is not part of this job");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_position (guint    position,
                guint    limit,
                GError **error)
{
  if (position > limit)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Position %u is out of range (0–%u)", position, limit);
      return FALSE;
    }

  return TRUE;
}

static JgEdit *
apply_set_property (JgEdit  *edit,
                    GError **error)
{
  GParamSpec *pspec;
  g_auto(GValue) old_value = G_VALUE_INIT;
  JgEdit *inverse;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (edit->object), edit->property);
  if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE) || (pspec->flags & G_PARAM_CONSTRUCT_ONLY))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s has no writable property “%s”",
                   G_OBJECT_TYPE_NAME (edit->object), edit->property);
      return NULL;
    }

  g_value_init (&old_value, pspec->value_type);
  g_object_get_property (edit->object, edit->property, &old_value);
  inverse = jg_edit_new_set_value (edit->object, edit->property, &old_value);
  g_object_set_property (edit->object, edit->property, &edit->value);

  return inverse;
}

static JgEdit *
apply_edit (JgEdit  *edit,
            JgGraph *graph,
            GError **error)
{
  JgEdit *inverse = NULL;

  switch (edit->kind)
    {
    case EDIT_SET_PROPERTY:
      inverse = apply_set_property (edit, error);
      break;

    case EDIT_INSERT_TASK:
      {
        guint n = jg_graph_get_n_tasks (graph);
        guint position = edit->position < 0 ? n : (guint)edit->position;

        if (jg_graph_find_task (graph, JG_TASK (edit->object)) >= 0)
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                                 "The task is already part of this job");
            break;
          }

        if (!check_position (position, n, error))
          break;

        _jg_graph_insert_task (graph, JG_TASK (edit->object), position);
        inverse = jg_edit_new_remove_task (position);
      }
      break;

    case EDIT_REMOVE_TASK:
      {
        g_autoptr(JgTask) task = NULL;

        if (!check_position (edit->position + 1, jg_graph_get_n_tasks (graph), error))
          break;

        task = _jg_graph_remove_task (graph, edit->position);
        inverse = jg_edit_new_insert_task (task, edit->position);
      }
      break;

    case EDIT_INSERT_INPUT:
      {
        guint n = jg_graph_get_n_inputs (graph);
        guint position = edit->position < 0 ? n : (guint)edit->position;

        if (jg_graph_find_input (graph, JG_JOB_INPUT (edit->object)) >= 0)
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                                 "The input is already part of this job");
            break;
          }

        if (!check_position (position, n, error))
          break;

        _jg_graph_insert_input (graph, JG_JOB_INPUT (edit->object), position);
        inverse = jg_edit_new_remove_input (position);
      }
      break;

    case EDIT_REMOVE_INPUT:
      {
        g_autoptr(JgJobInput) input = NULL;

        if (!check_position (edit->position + 1, jg_graph_get_n_inputs (graph), error))
          break;

        input = _jg_graph_remove_input (graph, edit->position);
        inverse = jg_edit_new_insert_input (input, edit->position);
      }
      break;

    case EDIT_INSERT_PORT:
      {
        JgTask *task = JG_TASK (edit->object);
        guint   n = edit->output ? task->outputs->len : task->inputs->len;
        guint   index = edit->position < 0 ? n : (guint)edit->position;

        if (!check_task_in_graph (graph, task, error) ||
            !check_ref_in_graph (graph, &edit->ref, error) ||
            !check_position (index, n, error))
          break;

        _jg_task_insert_port (task, edit->output, index, &edit->ref);
        _jg_graph_structure_changed (graph, task);
        inverse = jg_edit_new_remove_port (task, edit->output, index);
      }
      break;

    case EDIT_REMOVE_PORT:
      {
        JgTask   *task = JG_TASK (edit->object);
        guint     n = edit->output ? task->outputs->len : task->inputs->len;
        JgPortRef removed;

        if (!check_task_in_graph (graph, task, error) ||
            !check_position (edit->position + 1, n, error))
          break;

        _jg_task_remove_port (task, edit->output, edit->position, &removed);
        _jg_graph_structure_changed (graph, task);
        inverse = port_edit_new (EDIT_INSERT_PORT, task, edit->output, edit->position,
                                 removed.kind, removed.object, removed.text);
        _jg_port_ref_clear (&removed);
      }
      break;

    case EDIT_SET_PORT:
      {
        JgTask   *task = JG_TASK (edit->object);
        guint     n = edit->output ? task->outputs->len : task->inputs->len;
        JgPortRef previous;

        if (!check_task_in_graph (graph, task, error) ||
            !check_ref_in_graph (graph, &edit->ref, error) ||
            !check_position (edit->position + 1, n, error))
          break;

        _jg_task_set_port (task, edit->output, edit->position, &edit->ref, &previous);
        _jg_graph_structure_changed (graph, task);
        inverse = port_edit_new (EDIT_SET_PORT, task, edit->output, edit->position,
                                 previous.kind, previous.object, previous.text);
        _jg_port_ref_clear (&previous);
      }
      break;

    case EDIT_GROUP:
      {
        g_autoptr(JgEdit) group = jg_edit_new_group (edit->label);

        for (guint i = 0; i < edit->children->len; i++)
          {
            JgEdit *child_inverse = apply_edit (g_ptr_array_index (edit->children, i), graph, error);

            if (child_inverse == NULL)
              {
                /* All or nothing: roll back what this group already did. */
                reverse_edits (group->children);
                for (guint j = 0; j < group->children->len; j++)
                  {
                    JgEdit *undo = apply_edit (g_ptr_array_index (group->children, j), graph, NULL);
                    g_clear_pointer (&undo, jg_edit_unref);
                  }

                return NULL;
              }

            jg_edit_group_add (group, child_inverse);
          }

        reverse_edits (group->children);
        inverse = g_steal_pointer (&group);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (inverse != NULL && inverse->label == NULL)
    inverse->label = g_strdup (edit->label);

  return inverse;
}

JgEdit *
_jg_edit_apply (JgEdit  *edit,
                JgGraph *graph,
                GError **error)
{
  return apply_edit (edit, graph, error);
}
