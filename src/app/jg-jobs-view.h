/* jg-jobs-view.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-client.h"

G_BEGIN_DECLS

/* The Jobs view: an account's jobs, newest first, filtered by state and
 * searched by name on the service, 50 a page, each row with its state and
 * progress, kept up to date while a job on screen is not final.
 *
 * Signals: ::open-job (const char *job_id) when the user opens a job,
 * ::open-graph (JgGraph *graph, const char *title) for "Open as New Graph".
 */

#define JG_TYPE_JOBS_VIEW (jg_jobs_view_get_type ())

G_DECLARE_FINAL_TYPE (JgJobsView, jg_jobs_view, JG, JOBS_VIEW, GtkWidget)

#define JG_JOBS_VIEW_PAGE_SIZE 50

GtkWidget *jg_jobs_view_new        (void);
JgClient  *jg_jobs_view_get_client (JgJobsView *self);
void       jg_jobs_view_set_client (JgJobsView *self,
                                    JgClient   *client);
void       jg_jobs_view_refresh    (JgJobsView *self);
void       jg_jobs_view_set_local_data_dir (JgJobsView *self,
                                            GFile      *dir);

G_END_DECLS
