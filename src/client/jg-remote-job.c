/* jg-remote-job.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include "jg-client-enums.h"
#include "jg-odata.h"
#include "jg-remote-job.h"

G_DEFINE_BOXED_TYPE (JgRemoteJob, jg_remote_job, jg_remote_job_ref, jg_remote_job_unref)

static void
jg_remote_job_clear (gpointer data)
{
  JgRemoteJob *job = data;

  g_free (job->id);
  g_free (job->name);
  g_clear_pointer (&job->created, g_date_time_unref);
  g_clear_pointer (&job->last_modified, g_date_time_unref);
  g_clear_pointer (&job->start_time, g_date_time_unref);
  g_clear_pointer (&job->end_time, g_date_time_unref);
  g_free (job->template_id);
}

/**
 * jg_job_state_is_final:
 *
 * Returns: %TRUE for Finished, Error and Canceled
 */
gboolean
jg_job_state_is_final (JgJobState state)
{
  return state == JG_JOB_STATE_FINISHED ||
         state == JG_JOB_STATE_ERROR ||
         state == JG_JOB_STATE_CANCELED;
}

/**
 * jg_job_state_from_json:
 *
 * Reads a state written as its wire integer or, as notification messages
 * do, as its name (`"Processing"`).
 *
 * Returns: the state; Queued when it is missing or unknown
 */
JgJobState
jg_job_state_from_json (JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  int       value;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (JG_TYPE_JOB_STATE);
      g_autofree char *nick = g_ascii_strdown (json_node_get_string (node), -1);
      GEnumValue      *enum_value = g_enum_get_value_by_nick (klass, nick);

      if (enum_value != NULL)
        return enum_value->value;
    }

  value = jg_odata_get_int (object, member, JG_JOB_STATE_QUEUED);
  if (value < JG_JOB_STATE_QUEUED || value > JG_JOB_STATE_CANCELING)
    return JG_JOB_STATE_QUEUED;

  return value;
}

/**
 * jg_remote_job_new_from_json:
 * @object: a Job entity (verbose or light, already unwrapped)
 *
 * Returns: (transfer full): the job, or %NULL with @error set when it has
 *   no `Id`
 */
JgRemoteJob *
jg_remote_job_new_from_json (JsonObject *object,
                             GError    **error)
{
  g_autofree char *id = NULL;
  JgRemoteJob     *job;
  double           duration = 0;

  g_return_val_if_fail (object != NULL, NULL);

  id = jg_odata_dup_id (object, "Job", error);
  if (id == NULL)
    return NULL;

  job = g_atomic_rc_box_new0 (JgRemoteJob);
  job->id = g_steal_pointer (&id);
  job->name = jg_odata_dup_string (object, "Name");
  job->state = jg_job_state_from_json (object, "State");
  job->priority = jg_odata_get_int (object, "Priority", 0);
  job->created = jg_odata_dup_date (object, "Created");
  job->last_modified = jg_odata_dup_date (object, "LastModified");
  job->start_time = jg_odata_dup_date (object, "StartTime");
  job->end_time = jg_odata_dup_date (object, "EndTime");
  if (jg_odata_get_number (object, "RunningDuration", &duration))
    job->running_duration = duration;
  job->template_id = jg_odata_dup_string (object, "TemplateId");

  return job;
}

/**
 * jg_remote_job_ref:
 *
 * Returns: (transfer full): @job
 */
JgRemoteJob *
jg_remote_job_ref (JgRemoteJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  return g_atomic_rc_box_acquire (job);
}

void
jg_remote_job_unref (JgRemoteJob *job)
{
  g_return_if_fail (job != NULL);

  g_atomic_rc_box_release_full (job, jg_remote_job_clear);
}
