/* jg-job-input.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_TYPE_JOB_INPUT (jg_job_input_get_type ())

G_DECLARE_FINAL_TYPE (JgJobInput, jg_job_input, JG, JOB_INPUT, GObject)

JgJobInput *jg_job_input_new           (const char *label);
const char *jg_job_input_get_label     (JgJobInput *self);
void        jg_job_input_set_label     (JgJobInput *self,
                                        const char *label);
const char *jg_job_input_get_asset_id  (JgJobInput *self);
void        jg_job_input_set_asset_id  (JgJobInput *self,
                                        const char *asset_id);
double      jg_job_input_get_x         (JgJobInput *self);
double      jg_job_input_get_y         (JgJobInput *self);
void        jg_job_input_set_position  (JgJobInput *self,
                                        double      x,
                                        double      y);
int         jg_job_input_get_index     (JgJobInput *self);

G_END_DECLS
