/* jg-history.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_TYPE_HISTORY (jg_history_get_type ())

G_DECLARE_FINAL_TYPE (JgHistory, jg_history, JG, HISTORY, GObject)

JgHistory  *jg_history_new            (JgGraph    *graph);
JgGraph    *jg_history_get_graph      (JgHistory  *self);
gboolean    jg_history_apply          (JgHistory  *self,
                                       JgEdit     *edit,
                                       GError    **error);
gboolean    jg_history_can_undo       (JgHistory  *self);
gboolean    jg_history_can_redo       (JgHistory  *self);
const char *jg_history_get_undo_label (JgHistory  *self);
const char *jg_history_get_redo_label (JgHistory  *self);
gboolean    jg_history_undo           (JgHistory  *self,
                                       GError    **error);
gboolean    jg_history_redo           (JgHistory  *self,
                                       GError    **error);
void        jg_history_clear          (JgHistory  *self);
gboolean    jg_history_get_modified   (JgHistory  *self);
void        jg_history_set_unmodified (JgHistory  *self);
void        jg_history_set_modified   (JgHistory  *self);

G_END_DECLS
