/* jg-task-status.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-task-status"

#include "config.h"

#include "jg-task-status-private.h"

/**
 * JgTaskStatus:
 *
 * What a #JgJobMonitor last saw of one task of the job: its name, position,
 * state, progress and ErrorDetails. The monitor keeps one object per task
 * for as long as the task exists and updates it in place, so a node can
 * bind to it once; a property is notified only when its value changed.
 */
struct _JgTaskStatus
{
  GObject       parent_instance;

  JgRemoteTask *task;
  guint         index;
};

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_INDEX,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_REMOTE_TASK,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgTaskStatus, jg_task_status, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static gboolean
error_details_equal (GPtrArray *a,
                     GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const JgRemoteErrorDetail *da = g_ptr_array_index (a, i);
      const JgRemoteErrorDetail *db = g_ptr_array_index (b, i);

      if (g_strcmp0 (da->code, db->code) != 0 || g_strcmp0 (da->message, db->message) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
jg_task_status_finalize (GObject *object)
{
  JgTaskStatus *self = (JgTaskStatus *)object;

  g_clear_pointer (&self->task, jg_remote_task_unref);

  G_OBJECT_CLASS (jg_task_status_parent_class)->finalize (object);
}

static void
jg_task_status_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgTaskStatus *self = JG_TASK_STATUS (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, jg_task_status_get_id (self));
      break;

    case PROP_NAME:
      g_value_set_string (value, jg_task_status_get_name (self));
      break;

    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;

    case PROP_STATE:
      g_value_set_int (value, jg_task_status_get_state (self));
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, jg_task_status_get_progress (self));
      break;

    case PROP_REMOTE_TASK:
      g_value_set_boxed (value, self->task);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_task_status_class_init (JgTaskStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_task_status_finalize;
  object_class->get_property = jg_task_status_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgTaskStatus:index:
   *
   * The task's position in the job, as the service lists the job's Tasks
   * (the order they were submitted in).
   */
  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgTaskStatus:state:
   *
   * The task's `State`, with #JgJobState numbers (see #JgRemoteTask:state
   * for why it is an int).
   */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, G_MININT, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 100.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgTaskStatus:remote-task:
   *
   * The task as last received, with every field the service sent
   * (ErrorDetails, times, PerfMessage…). Notified whenever the status
   * changed.
   */
  properties[PROP_REMOTE_TASK] =
    g_param_spec_boxed ("remote-task", NULL, NULL, JG_TYPE_REMOTE_TASK,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_task_status_init (JgTaskStatus *self)
{
}

JgTaskStatus *
_jg_task_status_new (JgRemoteTask *task,
                     guint         index)
{
  JgTaskStatus *self;

  g_return_val_if_fail (task != NULL, NULL);

  self = g_object_new (JG_TYPE_TASK_STATUS, NULL);
  self->task = jg_remote_task_ref (task);
  self->index = index;

  return self;
}

/* Takes the newly polled @task; returns whether anything a user would see
 * changed (name, position, state, progress, ErrorDetails). Times and the
 * running duration move on every poll and do not count.
 */
gboolean
_jg_task_status_update (JgTaskStatus *self,
                        JgRemoteTask *task,
                        guint         index)
{
  g_autoptr(JgRemoteTask) old = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (JG_IS_TASK_STATUS (self), FALSE);
  g_return_val_if_fail (task != NULL, FALSE);

  if (task == self->task)
    return FALSE;

  old = g_steal_pointer (&self->task);
  self->task = jg_remote_task_ref (task);

  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (old->id, task->id) != 0)
    {
      changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
    }

  if (g_strcmp0 (old->name, task->name) != 0)
    {
      changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }

  if (index != self->index)
    {
      changed = TRUE;
      self->index = index;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEX]);
    }

  if (old->state != task->state)
    {
      changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (old->progress != task->progress)
    {
      changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }

  if (!error_details_equal (old->error_details, task->error_details))
    changed = TRUE;

  /* The remote task is a new one on every poll, but a binding only needs
   * to hear about it when something it shows changed.
   */
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_TASK]);

  g_object_thaw_notify (G_OBJECT (self));

  return changed;
}

const char *
jg_task_status_get_id (JgTaskStatus *self)
{
  g_return_val_if_fail (JG_IS_TASK_STATUS (self), NULL);

  return self->task->id;
}

const char *
jg_task_status_get_name (JgTaskStatus *self)
{
  g_return_val_if_fail (JG_IS_TASK_STATUS (self), NULL);

  return self->task->name;
}

guint
jg_task_status_get_index (JgTaskStatus *self)
{
  g_return_val_if_fail (JG_IS_TASK_STATUS (self), 0);

  return self->index;
}

/**
 * jg_task_status_get_state:
 *
 * Returns: the task's state, a #JgJobState number
 */
int
jg_task_status_get_state (JgTaskStatus *self)
{
  g_return_val_if_fail (JG_IS_TASK_STATUS (self), 0);

  return self->task->state;
}

/**
 * jg_task_status_get_progress:
 *
 * Returns: the task's progress, 0–100
 */
double
jg_task_status_get_progress (JgTaskStatus *self)
{
  g_return_val_if_fail (JG_IS_TASK_STATUS (self), 0.0);

  return CLAMP (self->task->progress, 0.0, 100.0);
}

/**
 * jg_task_status_get_error_details:
 *
 * Returns: (transfer none) (element-type JgRemoteErrorDetail): the task's
 *   ErrorDetails, never %NULL; jg_task_error_explain() turns a code into
 *   a sentence
 */
GPtrArray *
jg_task_status_get_error_details (JgTaskStatus *self)
{
  g_return_val_if_fail (JG_IS_TASK_STATUS (self), NULL);

  return self->task->error_details;
}

/**
 * jg_task_status_get_remote_task:
 *
 * Returns: (transfer none): the task as last received
 */
JgRemoteTask *
jg_task_status_get_remote_task (JgTaskStatus *self)
{
  g_return_val_if_fail (JG_IS_TASK_STATUS (self), NULL);

  return self->task;
}
