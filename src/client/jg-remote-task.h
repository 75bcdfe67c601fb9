/* jg-remote-task.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_TYPE_REMOTE_TASK (jg_remote_task_get_type ())

/**
 * JgRemoteErrorDetail:
 * @code: (nullable): `Code`, e.g. `ErrorParsingConfiguration`
 * @message: (nullable): `Message`
 *
 * One of a task's `ErrorDetails` (ams-rest-v2.md §3.8).
 */
typedef struct
{
  char *code;
  char *message;
} JgRemoteErrorDetail;

/**
 * JgRemoteTask:
 * @id: `nb:tid:UUID:…`
 * @name: (nullable): `Name`
 * @state: `State` as sent; its enumeration is disputed (ams-rest-v2.md
 *   §3.2): the emulator and the .NET SDK use #JgJobState values
 * @progress: `Progress`, 0–100
 * @priority: `Priority`
 * @processor_id: (nullable): `MediaProcessorId`
 * @configuration: (nullable): `Configuration`
 * @task_body: (nullable): `TaskBody`
 * @perf_message: (nullable): `PerfMessage`
 * @start_time: (nullable): `StartTime`, UTC
 * @end_time: (nullable): `EndTime`, UTC
 * @running_duration: `RunningDuration`
 * @error_details: (element-type JgRemoteErrorDetail): `ErrorDetails`,
 *   never %NULL
 *
 * A Task of a submitted job. Reference counted; read-only.
 */
typedef struct
{
  char       *id;
  char       *name;
  int         state;
  double      progress;
  int         priority;
  char       *processor_id;
  char       *configuration;
  char       *task_body;
  char       *perf_message;
  GDateTime  *start_time;
  GDateTime  *end_time;
  double      running_duration;
  GPtrArray  *error_details;
} JgRemoteTask;

GType         jg_remote_task_get_type      (void) G_GNUC_CONST;
JgRemoteTask *jg_remote_task_new_from_json (JsonObject    *object,
                                            GError       **error);
JgRemoteTask *jg_remote_task_ref           (JgRemoteTask  *task);
void          jg_remote_task_unref         (JgRemoteTask  *task);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRemoteTask, jg_remote_task_unref)

G_END_DECLS
