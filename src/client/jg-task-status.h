/* jg-task-status.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "jg-remote-task.h"

G_BEGIN_DECLS

#define JG_TYPE_TASK_STATUS (jg_task_status_get_type ())

G_DECLARE_FINAL_TYPE (JgTaskStatus, jg_task_status, JG, TASK_STATUS, GObject)

const char   *jg_task_status_get_id            (JgTaskStatus *self);
const char   *jg_task_status_get_name          (JgTaskStatus *self);
guint         jg_task_status_get_index         (JgTaskStatus *self);
int           jg_task_status_get_state         (JgTaskStatus *self);
double        jg_task_status_get_progress      (JgTaskStatus *self);
GPtrArray    *jg_task_status_get_error_details (JgTaskStatus *self);
JgRemoteTask *jg_task_status_get_remote_task   (JgTaskStatus *self);

G_END_DECLS
