/* jg-task-status-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-task-status.h"

G_BEGIN_DECLS

JgTaskStatus *_jg_task_status_new    (JgRemoteTask *task,
                                      guint         index);
gboolean      _jg_task_status_update (JgTaskStatus *self,
                                      JgRemoteTask *task,
                                      guint         index);

G_END_DECLS
