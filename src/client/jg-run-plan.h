/* jg-run-plan.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-core.h"
#include "jg-remote-asset.h"
#include "jg-remote-template.h"

G_BEGIN_DECLS

/* The name pattern the Run dialog starts with. */
#define JG_RUN_PLAN_DEFAULT_PATTERN "{graph} – {asset}"

#define JG_TYPE_RUN_PLAN (jg_run_plan_get_type ())

G_DECLARE_FINAL_TYPE (JgRunPlan, jg_run_plan, JG, RUN_PLAN, GObject)

JgRunPlan        *jg_run_plan_new                (JgGraph           *graph);
JgRunPlan        *jg_run_plan_new_for_template   (JgRemoteTemplate  *template_);
JgGraph          *jg_run_plan_get_graph          (JgRunPlan         *self);
JgRemoteTemplate *jg_run_plan_get_template       (JgRunPlan         *self);
const char       *jg_run_plan_get_title          (JgRunPlan         *self);

const char       *jg_run_plan_get_name_pattern   (JgRunPlan         *self);
void              jg_run_plan_set_name_pattern   (JgRunPlan         *self,
                                                  const char        *pattern);
int               jg_run_plan_get_priority       (JgRunPlan         *self);
void              jg_run_plan_set_priority       (JgRunPlan         *self,
                                                  int                priority);
void              jg_run_plan_set_date           (JgRunPlan         *self,
                                                  GDateTime         *date);

guint             jg_run_plan_get_n_inputs       (JgRunPlan         *self);
char             *jg_run_plan_dup_input_title    (JgRunPlan         *self,
                                                  guint              index);
JgRemoteAsset    *jg_run_plan_get_input          (JgRunPlan         *self,
                                                  guint              index);
void              jg_run_plan_set_input          (JgRunPlan         *self,
                                                  guint              index,
                                                  JgRemoteAsset     *asset);
gboolean          jg_run_plan_can_run_per_asset  (JgRunPlan         *self);
gboolean          jg_run_plan_get_per_asset      (JgRunPlan         *self);
void              jg_run_plan_set_per_asset      (JgRunPlan         *self,
                                                  gboolean           per_asset);
GPtrArray        *jg_run_plan_get_assets         (JgRunPlan         *self);
void              jg_run_plan_set_assets         (JgRunPlan         *self,
                                                  GPtrArray         *assets);

guint             jg_run_plan_get_n_jobs         (JgRunPlan         *self);
guint             jg_run_plan_get_n_tasks        (JgRunPlan         *self);
char             *jg_run_plan_dup_job_name       (JgRunPlan         *self,
                                                  guint              job);
char            **jg_run_plan_dup_job_input_ids  (JgRunPlan         *self,
                                                  guint              job);
JgGraph          *jg_run_plan_dup_job_graph      (JgRunPlan         *self,
                                                  guint              job,
                                                  GError           **error);
GPtrArray        *jg_run_plan_dup_output_names   (JgRunPlan         *self);
GListModel       *jg_run_plan_get_diagnostics    (JgRunPlan         *self);
guint             jg_run_plan_get_n_errors       (JgRunPlan         *self);
guint             jg_run_plan_get_n_warnings     (JgRunPlan         *self);
gboolean          jg_run_plan_can_run            (JgRunPlan         *self,
                                                  char             **reason);
char             *jg_run_plan_dup_summary        (JgRunPlan         *self);

G_END_DECLS
