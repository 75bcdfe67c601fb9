/* jg-diagnostic.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_TYPE_DIAGNOSTIC (jg_diagnostic_get_type ())

G_DECLARE_FINAL_TYPE (JgDiagnostic, jg_diagnostic, JG, DIAGNOSTIC, GObject)

JgDiagnostic    *jg_diagnostic_new              (JgSeverity       severity,
                                                 const char      *code,
                                                 const char      *message);
JgSeverity       jg_diagnostic_get_severity     (JgDiagnostic    *self);
const char      *jg_diagnostic_get_code         (JgDiagnostic    *self);
const char      *jg_diagnostic_get_message      (JgDiagnostic    *self);

JgTask          *jg_diagnostic_get_task         (JgDiagnostic    *self);
int              jg_diagnostic_get_task_index   (JgDiagnostic    *self);
const char      *jg_diagnostic_get_task_name    (JgDiagnostic    *self);
void             jg_diagnostic_set_task         (JgDiagnostic    *self,
                                                 JgTask          *task,
                                                 int              task_index,
                                                 const char      *task_name);
JgPortDirection  jg_diagnostic_get_port         (JgDiagnostic    *self,
                                                 int             *index);
void             jg_diagnostic_set_port         (JgDiagnostic    *self,
                                                 JgPortDirection  direction,
                                                 int              index);
int              jg_diagnostic_get_input_index  (JgDiagnostic    *self);
void             jg_diagnostic_set_input_index  (JgDiagnostic    *self,
                                                 int              index);
int              jg_diagnostic_get_output_index (JgDiagnostic    *self);
void             jg_diagnostic_set_output_index (JgDiagnostic    *self,
                                                 int              index);
GObject         *jg_diagnostic_get_subject      (JgDiagnostic    *self);
void             jg_diagnostic_set_subject      (JgDiagnostic    *self,
                                                 GObject         *subject);
const char      *jg_diagnostic_get_field        (JgDiagnostic    *self);
void             jg_diagnostic_set_field        (JgDiagnostic    *self,
                                                 const char      *field);
gboolean         jg_diagnostic_get_position     (JgDiagnostic    *self,
                                                 int             *line,
                                                 int             *column);
void             jg_diagnostic_set_position     (JgDiagnostic    *self,
                                                 int              line,
                                                 int              column);
char            *jg_diagnostic_format_location  (JgDiagnostic    *self);
void             jg_diagnostic_add_json         (JgDiagnostic    *self,
                                                 JsonBuilder     *builder);
const char      *jg_severity_to_string          (JgSeverity       severity);

G_END_DECLS
