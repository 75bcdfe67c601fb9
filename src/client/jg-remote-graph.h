/* jg-remote-graph.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-core.h"
#include "jg-remote-job.h"
#include "jg-remote-task.h"
#include "jg-remote-template.h"

G_BEGIN_DECLS

JgGraph *jg_remote_job_build_graph      (JgRemoteJob      *job,
                                         GPtrArray        *tasks,
                                         GPtrArray        *input_asset_ids,
                                         GError          **error);
JgGraph *jg_remote_template_build_graph (JgRemoteTemplate *template_,
                                         GError          **error);

G_END_DECLS
