/* jg-run-dialog.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jg-account-store.h"
#include "jg-client.h"
#include "jg-run-plan.h"

G_BEGIN_DECLS

/* The Run dialog: pick the account, bind each JobInputAsset(n) to an asset
 * (or run one job per asset), name the jobs from a pattern, set the
 * priority and inline or $batch submission, and see the plan
 * (JgRunPlan) before anything is sent. A graph with validation errors
 * cannot run: the Run button stays off and the dialog says which error,
 * where. Submitting turns the dialog into a progress page, one row per job;
 * jobs go out four at a time, a failed job does not stop the others, and
 * Cancel stops what has not been accepted yet.
 *
 * Signal: ::job-submitted (JgRunDialog *, JgClient *client,
 * const char *job_id, const char *job_name), once for each job the service
 * accepted.
 */

#define JG_TYPE_RUN_DIALOG (jg_run_dialog_get_type ())

G_DECLARE_FINAL_TYPE (JgRunDialog, jg_run_dialog, JG, RUN_DIALOG, AdwWindow)

JgRunDialog *jg_run_dialog_new              (GtkWindow         *parent,
                                             JgAccountStore    *store,
                                             JgGraph           *graph);
JgRunDialog *jg_run_dialog_new_for_template (GtkWindow         *parent,
                                             JgAccountStore    *store,
                                             const char        *account_name,
                                             JgRemoteTemplate  *template_);
JgRunPlan   *jg_run_dialog_get_plan         (JgRunDialog       *self);
JgClient    *jg_run_dialog_get_client       (JgRunDialog       *self);

G_END_DECLS
