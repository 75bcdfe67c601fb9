/* jg-job-monitor.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-client.h"
#include "jg-task-status.h"

G_BEGIN_DECLS

#define JG_JOB_MONITOR_DEFAULT_MIN_INTERVAL_MS 1000
#define JG_JOB_MONITOR_DEFAULT_MAX_INTERVAL_MS 10000

#define JG_TYPE_JOB_MONITOR (jg_job_monitor_get_type ())

G_DECLARE_FINAL_TYPE (JgJobMonitor, jg_job_monitor, JG, JOB_MONITOR, GObject)

JgJobMonitor *jg_job_monitor_new            (JgClient     *client,
                                             const char   *job_id);
JgClient     *jg_job_monitor_get_client     (JgJobMonitor *self);
const char   *jg_job_monitor_get_job_id     (JgJobMonitor *self);
void          jg_job_monitor_set_intervals  (JgJobMonitor *self,
                                             guint         min_ms,
                                             guint         max_ms);
void          jg_job_monitor_start          (JgJobMonitor *self);
void          jg_job_monitor_stop           (JgJobMonitor *self);
gboolean      jg_job_monitor_get_running    (JgJobMonitor *self);
gboolean      jg_job_monitor_has_snapshot   (JgJobMonitor *self);
JgRemoteJob  *jg_job_monitor_get_job        (JgJobMonitor *self);
JgJobState    jg_job_monitor_get_state      (JgJobMonitor *self);
double        jg_job_monitor_get_progress   (JgJobMonitor *self);
GListModel   *jg_job_monitor_get_tasks      (JgJobMonitor *self);
const GError *jg_job_monitor_get_last_error (JgJobMonitor *self);
guint         jg_job_monitor_get_interval   (JgJobMonitor *self);
guint         jg_job_monitor_get_n_polls    (JgJobMonitor *self);

char         *jg_task_error_explain         (const char   *code);

G_END_DECLS
