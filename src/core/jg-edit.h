/* jg-edit.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_TYPE_EDIT (jg_edit_get_type ())

GType       jg_edit_get_type             (void) G_GNUC_CONST;
JgEdit     *jg_edit_ref                  (JgEdit       *edit);
void        jg_edit_unref                (JgEdit       *edit);
const char *jg_edit_get_label            (JgEdit       *edit);
void        jg_edit_set_label            (JgEdit       *edit,
                                          const char   *label);
gboolean    jg_edit_is_empty             (JgEdit       *edit);

JgEdit     *jg_edit_new_set              (gpointer      object,
                                          const char   *first_property,
                                          ...) G_GNUC_NULL_TERMINATED;
JgEdit     *jg_edit_new_set_value        (gpointer      object,
                                          const char   *property,
                                          const GValue *value);
JgEdit     *jg_edit_new_insert_task      (JgTask       *task,
                                          int           position);
JgEdit     *jg_edit_new_remove_task      (guint         position);
JgEdit     *jg_edit_new_insert_input     (JgJobInput   *input,
                                          int           position);
JgEdit     *jg_edit_new_remove_input     (guint         position);
JgEdit     *jg_edit_new_insert_port      (JgTask       *task,
                                          gboolean      output,
                                          int           index,
                                          JgRefKind     kind,
                                          gpointer      object,
                                          const char   *text);
JgEdit     *jg_edit_new_remove_port      (JgTask       *task,
                                          gboolean      output,
                                          guint         index);
JgEdit     *jg_edit_new_set_port         (JgTask       *task,
                                          gboolean      output,
                                          guint         index,
                                          JgRefKind     kind,
                                          gpointer      object,
                                          const char   *text);
JgEdit     *jg_edit_new_group            (const char   *label);
void        jg_edit_group_add            (JgEdit       *group,
                                          JgEdit       *edit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgEdit, jg_edit_unref)

G_END_DECLS
