/* jg-task.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_TYPE_TASK (jg_task_get_type ())

G_DECLARE_FINAL_TYPE (JgTask, jg_task, JG, TASK, GObject)

JgTask      *jg_task_new                  (const char  *name,
                                           const char  *processor_id,
                                           const char  *configuration);
const char  *jg_task_get_name             (JgTask      *self);
void         jg_task_set_name             (JgTask      *self,
                                           const char  *name);
const char  *jg_task_get_processor_id     (JgTask      *self);
void         jg_task_set_processor_id     (JgTask      *self,
                                           const char  *processor_id);
const char  *jg_task_get_configuration    (JgTask      *self);
void         jg_task_set_configuration    (JgTask      *self,
                                           const char  *configuration);
int          jg_task_get_options          (JgTask      *self);
void         jg_task_set_options          (JgTask      *self,
                                           int          options);
int          jg_task_get_priority         (JgTask      *self);
void         jg_task_set_priority         (JgTask      *self,
                                           int          priority);
double       jg_task_get_x                (JgTask      *self);
double       jg_task_get_y                (JgTask      *self);
void         jg_task_set_position         (JgTask      *self,
                                           double       x,
                                           double       y);
guint        jg_task_get_n_inputs         (JgTask      *self);
guint        jg_task_get_n_outputs        (JgTask      *self);
JgRefKind    jg_task_get_input            (JgTask      *self,
                                           guint        index,
                                           GObject    **object,
                                           const char **text);
JgRefKind    jg_task_get_output           (JgTask      *self,
                                           guint        index,
                                           GObject    **object,
                                           const char **text);
int          jg_task_get_topo_index       (JgTask      *self);

G_END_DECLS
