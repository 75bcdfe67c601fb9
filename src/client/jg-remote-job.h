/* jg-remote-job.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * JgJobState:
 * @JG_JOB_STATE_QUEUED: waiting to be scheduled (the initial state)
 * @JG_JOB_STATE_SCHEDULED: scheduled on a processor
 * @JG_JOB_STATE_PROCESSING: running
 * @JG_JOB_STATE_FINISHED: done (final)
 * @JG_JOB_STATE_ERROR: failed (final)
 * @JG_JOB_STATE_CANCELED: canceled (final)
 * @JG_JOB_STATE_CANCELING: being canceled
 *
 * A Job's `State` (ams-rest-v2.md §7); the values are the wire integers.
 */
typedef enum
{
  JG_JOB_STATE_QUEUED = 0,
  JG_JOB_STATE_SCHEDULED = 1,
  JG_JOB_STATE_PROCESSING = 2,
  JG_JOB_STATE_FINISHED = 3,
  JG_JOB_STATE_ERROR = 4,
  JG_JOB_STATE_CANCELED = 5,
  JG_JOB_STATE_CANCELING = 6,
} JgJobState;

#define JG_TYPE_REMOTE_JOB (jg_remote_job_get_type ())

/**
 * JgRemoteJob:
 * @id: `nb:jid:UUID:…`
 * @name: (nullable): `Name`
 * @state: `State`
 * @priority: `Priority`
 * @created: (nullable): `Created`, UTC
 * @last_modified: (nullable): `LastModified`, UTC
 * @start_time: (nullable): `StartTime`, UTC
 * @end_time: (nullable): `EndTime`, UTC
 * @running_duration: `RunningDuration` as the service sends it (its unit
 *   is disputed, ams-rest-v2.md §3.1)
 * @template_id: (nullable): `TemplateId`
 *
 * A Job as the service reports it. Reference counted; read-only.
 */
typedef struct
{
  char       *id;
  char       *name;
  JgJobState  state;
  int         priority;
  GDateTime  *created;
  GDateTime  *last_modified;
  GDateTime  *start_time;
  GDateTime  *end_time;
  double      running_duration;
  char       *template_id;
} JgRemoteJob;

GType        jg_remote_job_get_type      (void) G_GNUC_CONST;
JgRemoteJob *jg_remote_job_new_from_json (JsonObject   *object,
                                          GError      **error);
JgRemoteJob *jg_remote_job_ref           (JgRemoteJob  *job);
void         jg_remote_job_unref         (JgRemoteJob  *job);

gboolean     jg_job_state_is_final       (JgJobState    state);
JgJobState   jg_job_state_from_json      (JsonObject   *object,
                                          const char   *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRemoteJob, jg_remote_job_unref)

G_END_DECLS
