/* jg-job-bar.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-client.h"
#include "jg-job-monitor.h"
#include "jg-graph-canvas.h"

G_BEGIN_DECLS

#define JG_TYPE_JOB_BAR (jg_job_bar_get_type ())

G_DECLARE_FINAL_TYPE (JgJobBar, jg_job_bar, JG, JOB_BAR, GtkWidget)

GtkWidget    *jg_job_bar_new             (void);
void          jg_job_bar_track           (JgJobBar      *self,
                                          JgGraphCanvas *canvas,
                                          JgClient      *client,
                                          const char    *job_id,
                                          const char    *job_name,
                                          GPtrArray     *tasks);
void          jg_job_bar_clear           (JgJobBar      *self);
JgJobMonitor *jg_job_bar_get_monitor     (JgJobBar      *self);
const char   *jg_job_bar_get_status_text (JgJobBar      *self);

G_END_DECLS
