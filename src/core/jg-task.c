/* jg-task.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-task"

#include "config.h"

#include "jg-model-private.h"
#include "jg-util-private.h"

/* A task: a media processor run with a Configuration, reading its input
 * ports and writing its output ports. Ports are changed only through the
 * graph (jg-edit.c), which keeps the edges consistent and undoable.
 */

enum
{
  PROP_0,
  PROP_NAME,
  PROP_PROCESSOR_ID,
  PROP_CONFIGURATION,
  PROP_OPTIONS,
  PROP_PRIORITY,
  PROP_X,
  PROP_Y,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgTask, jg_task, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

void
_jg_port_ref_clear (JgPortRef *ref)
{
  ref->kind = JG_REF_NONE;
  g_clear_object (&ref->object);
  g_clear_pointer (&ref->text, g_free);
}

void
_jg_port_ref_copy (JgPortRef       *dest,
                   const JgPortRef *src)
{
  dest->kind = src->kind;
  dest->object = src->object ? g_object_ref (src->object) : NULL;
  dest->text = g_strdup (src->text);
}

static void
jg_task_finalize (GObject *object)
{
  JgTask *self = (JgTask *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->processor_id, g_free);
  g_clear_pointer (&self->configuration, g_free);
  g_clear_pointer (&self->inputs, g_array_unref);
  g_clear_pointer (&self->outputs, g_array_unref);

  G_OBJECT_CLASS (jg_task_parent_class)->finalize (object);
}

static void
jg_task_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  JgTask *self = JG_TASK (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PROCESSOR_ID:
      g_value_set_string (value, self->processor_id);
      break;

    case PROP_CONFIGURATION:
      g_value_set_string (value, self->configuration);
      break;

    case PROP_OPTIONS:
      g_value_set_int (value, self->options);
      break;

    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;

    case PROP_X:
      g_value_set_double (value, self->x);
      break;

    case PROP_Y:
      g_value_set_double (value, self->y);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_task_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  JgTask *self = JG_TASK (object);

  switch (prop_id)
    {
    case PROP_NAME:
      jg_task_set_name (self, g_value_get_string (value));
      break;

    case PROP_PROCESSOR_ID:
      jg_task_set_processor_id (self, g_value_get_string (value));
      break;

    case PROP_CONFIGURATION:
      jg_task_set_configuration (self, g_value_get_string (value));
      break;

    case PROP_OPTIONS:
      jg_task_set_options (self, g_value_get_int (value));
      break;

    case PROP_PRIORITY:
      jg_task_set_priority (self, g_value_get_int (value));
      break;

    case PROP_X:
      jg_task_set_position (self, g_value_get_double (value), self->y);
      break;

    case PROP_Y:
      jg_task_set_position (self, self->x, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_task_class_init (JgTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_task_finalize;
  object_class->get_property = jg_task_get_property;
  object_class->set_property = jg_task_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PROCESSOR_ID] =
    g_param_spec_string ("processor-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONFIGURATION] =
    g_param_spec_string ("configuration", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_OPTIONS] =
    g_param_spec_int ("options", NULL, NULL,
                      0, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_X] =
    g_param_spec_double ("x", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_Y] =
    g_param_spec_double ("y", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_task_init (JgTask *self)
{
  self->inputs = g_array_new (FALSE, TRUE, sizeof (JgPortRef));
  g_array_set_clear_func (self->inputs, (GDestroyNotify)_jg_port_ref_clear);
  self->outputs = g_array_new (FALSE, TRUE, sizeof (JgPortRef));
  g_array_set_clear_func (self->outputs, (GDestroyNotify)_jg_port_ref_clear);
  self->position = -1;
  self->topo_index = -1;
}

/**
 * jg_task_new:
 * @name: (nullable): the task name
 * @processor_id: (nullable): `nb:mpid:UUID:…`
 * @configuration: (nullable): a preset name, or an XML/JSON preset
 *
 * Returns: (transfer full): a task without ports.
 */
JgTask *
jg_task_new (const char *name,
             const char *processor_id,
             const char *configuration)
{
  return g_object_new (JG_TYPE_TASK,
                       "name", name,
                       "processor-id", processor_id,
                       "configuration", configuration,
                       NULL);
}

const char *
jg_task_get_name (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), NULL);

  return self->name;
}

void
jg_task_set_name (JgTask     *self,
                  const char *name)
{
  g_return_if_fail (JG_IS_TASK (self));

  if (_jg_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
jg_task_get_processor_id (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), NULL);

  return self->processor_id;
}

void
jg_task_set_processor_id (JgTask     *self,
                          const char *processor_id)
{
  g_return_if_fail (JG_IS_TASK (self));

  if (_jg_set_str (&self->processor_id, processor_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROCESSOR_ID]);
}

const char *
jg_task_get_configuration (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), NULL);

  return self->configuration;
}

void
jg_task_set_configuration (JgTask     *self,
                           const char *configuration)
{
  g_return_if_fail (JG_IS_TASK (self));

  if (_jg_set_str (&self->configuration, configuration))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIGURATION]);
}

int
jg_task_get_options (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), 0);

  return self->options;
}

void
jg_task_set_options (JgTask *self,
                     int     options)
{
  g_return_if_fail (JG_IS_TASK (self));

  if (self->options != options)
    {
      self->options = options;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPTIONS]);
    }
}

int
jg_task_get_priority (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), 0);

  return self->priority;
}

void
jg_task_set_priority (JgTask *self,
                      int     priority)
{
  g_return_if_fail (JG_IS_TASK (self));

  if (self->priority != priority)
    {
      self->priority = priority;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
    }
}

double
jg_task_get_x (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), 0);

  return self->x;
}

double
jg_task_get_y (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), 0);

  return self->y;
}

void
jg_task_set_position (JgTask *self,
                      double  x,
                      double  y)
{
  g_return_if_fail (JG_IS_TASK (self));

  if (self->x != x)
    {
      self->x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X]);
    }

  if (self->y != y)
    {
      self->y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y]);
    }
}

guint
jg_task_get_n_inputs (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), 0);

  return self->inputs->len;
}

guint
jg_task_get_n_outputs (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), 0);

  return self->outputs->len;
}

static JgRefKind
get_port (GArray      *ports,
          guint        index,
          GObject    **object,
          const char **text)
{
  const JgPortRef *ref;

  if (object)
    *object = NULL;
  if (text)
    *text = NULL;

  g_return_val_if_fail (index < ports->len, JG_REF_NONE);

  ref = &g_array_index (ports, JgPortRef, index);
  if (object)
    *object = ref->object;
  if (text)
    *text = ref->text;

  return ref->kind;
}

/**
 * jg_task_get_input:
 * @object: (out) (optional) (transfer none): the #JgJobInput or
 *   #JgOutputAsset the port reads
 * @text: (out) (optional) (transfer none): the unresolved reference text,
 *   for %JG_REF_TEXT
 *
 * Returns: what input port @index reads.
 */
JgRefKind
jg_task_get_input (JgTask      *self,
                   guint        index,
                   GObject    **object,
                   const char **text)
{
  g_return_val_if_fail (JG_IS_TASK (self), JG_REF_NONE);

  return get_port (self->inputs, index, object, text);
}

/**
 * jg_task_get_output:
 * @object: (out) (optional) (transfer none): the #JgOutputAsset written
 * @text: (out) (optional) (transfer none): the unresolved reference text
 *
 * Returns: what output port @index writes.
 */
JgRefKind
jg_task_get_output (JgTask      *self,
                    guint        index,
                    GObject    **object,
                    const char **text)
{
  g_return_val_if_fail (JG_IS_TASK (self), JG_REF_NONE);

  return get_port (self->outputs, index, object, text);
}

/**
 * jg_task_get_topo_index:
 *
 * Returns: the task's position in the job's run order as of the last
 *   analysis, or -1 when it is part of (or behind) a cycle.
 */
int
jg_task_get_topo_index (JgTask *self)
{
  g_return_val_if_fail (JG_IS_TASK (self), -1);

  return self->topo_index;
}

void
_jg_task_insert_port (JgTask          *task,
                      gboolean         output,
                      guint            index,
                      const JgPortRef *ref)
{
  GArray   *ports = output ? task->outputs : task->inputs;
  JgPortRef copy;

  g_assert (index <= ports->len);

  _jg_port_ref_copy (&copy, ref);
  g_array_insert_val (ports, index, copy);
}

void
_jg_task_remove_port (JgTask    *task,
                      gboolean   output,
                      guint      index,
                      JgPortRef *removed)
{
  GArray    *ports = output ? task->outputs : task->inputs;
  JgPortRef *ref;

  g_assert (index < ports->len);

  /* Steal the removed reference before the array's clear func sees it. */
  ref = &g_array_index (ports, JgPortRef, index);
  *removed = *ref;
  ref->object = NULL;
  ref->text = NULL;
  g_array_remove_index (ports, index);
}

void
_jg_task_set_port (JgTask          *task,
                   gboolean         output,
                   guint            index,
                   const JgPortRef *ref,
                   JgPortRef       *previous)
{
  GArray    *ports = output ? task->outputs : task->inputs;
  JgPortRef *slot;
  JgPortRef  copy;

  g_assert (index < ports->len);

  _jg_port_ref_copy (&copy, ref);
  slot = &g_array_index (ports, JgPortRef, index);
  *previous = *slot;
  *slot = copy;
}
