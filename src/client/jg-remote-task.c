/* jg-remote-task.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include "jg-odata.h"
#include "jg-remote-task.h"

G_DEFINE_BOXED_TYPE (JgRemoteTask, jg_remote_task, jg_remote_task_ref, jg_remote_task_unref)

static void
error_detail_free (gpointer data)
{
  JgRemoteErrorDetail *detail = data;

  g_free (detail->code);
  g_free (detail->message);
  g_free (detail);
}

static void
jg_remote_task_clear (gpointer data)
{
  JgRemoteTask *task = data;

  g_free (task->id);
  g_free (task->name);
  g_free (task->processor_id);
  g_free (task->configuration);
  g_free (task->task_body);
  g_free (task->perf_message);
  g_clear_pointer (&task->start_time, g_date_time_unref);
  g_clear_pointer (&task->end_time, g_date_time_unref);
  g_clear_pointer (&task->error_details, g_ptr_array_unref);
}

/* `ErrorDetails` is an array when light, and `{"__metadata", "results"}`
 * when verbose.
 */
static void
read_error_details (JgRemoteTask *task,
                    JsonObject   *object)
{
  JsonNode  *node = json_object_get_member (object, "ErrorDetails");
  JsonArray *array = NULL;

  if (node == NULL)
    return;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      array = json_node_get_array (node);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *results = json_object_get_member (json_node_get_object (node), "results");

      if (results != NULL && JSON_NODE_HOLDS_ARRAY (results))
        array = json_node_get_array (results);
    }

  if (array == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode            *element = json_array_get_element (array, i);
      JgRemoteErrorDetail *detail;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;

      detail = g_new0 (JgRemoteErrorDetail, 1);
      detail->code = jg_odata_dup_string (json_node_get_object (element), "Code");
      detail->message = jg_odata_dup_string (json_node_get_object (element), "Message");
      g_ptr_array_add (task->error_details, detail);
    }
}

/**
 * jg_remote_task_new_from_json:
 * @object: a Task entity
 *
 * Returns: (transfer full): the task, or %NULL with @error set
 */
JgRemoteTask *
jg_remote_task_new_from_json (JsonObject *object,
                              GError    **error)
{
  g_autofree char *id = NULL;
  JgRemoteTask    *task;
  double           value;

  g_return_val_if_fail (object != NULL, NULL);

  id = jg_odata_dup_id (object, "Task", error);
  if (id == NULL)
    return NULL;

  task = g_atomic_rc_box_new0 (JgRemoteTask);
  task->id = g_steal_pointer (&id);
  task->name = jg_odata_dup_string (object, "Name");
  task->state = jg_odata_get_int (object, "State", 0);
  if (jg_odata_get_number (object, "Progress", &value))
    task->progress = CLAMP (value, 0.0, 100.0);
  task->priority = jg_odata_get_int (object, "Priority", 0);
  task->processor_id = jg_odata_dup_string (object, "MediaProcessorId");
  task->configuration = jg_odata_dup_string (object, "Configuration");
  task->task_body = jg_odata_dup_string (object, "TaskBody");
  task->perf_message = jg_odata_dup_string (object, "PerfMessage");
  task->start_time = jg_odata_dup_date (object, "StartTime");
  task->end_time = jg_odata_dup_date (object, "EndTime");
  if (jg_odata_get_number (object, "RunningDuration", &value))
    task->running_duration = value;
  task->error_details = g_ptr_array_new_with_free_func (error_detail_free);
  read_error_details (task, object);

  return task;
}

/**
 * jg_remote_task_ref:
 *
 * Returns: (transfer full): @task
 */
JgRemoteTask *
jg_remote_task_ref (JgRemoteTask *task)
{
  g_return_val_if_fail (task != NULL, NULL);

  return g_atomic_rc_box_acquire (task);
}

void
jg_remote_task_unref (JgRemoteTask *task)
{
  g_return_if_fail (task != NULL);

  g_atomic_rc_box_release_full (task, jg_remote_task_clear);
}
