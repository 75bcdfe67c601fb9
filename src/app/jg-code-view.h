/* jg-code-view.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-core.h"
#include "jg-selection.h"

G_BEGIN_DECLS

/* The code view: the exact REST body of the graph (Job body, JobTemplate
 * body, or the selected task's TaskBody) in a GtkSourceView, updated live.
 * Copy and "Copy as curl" put it on the clipboard. The text is editable:
 * Apply re-imports it into the graph as one undoable step (keeping the
 * layout of unchanged tasks); a parse error is shown inline with its line
 * and column and leaves the graph untouched.
 */

typedef enum
{
  JG_CODE_VIEW_JOB,
  JG_CODE_VIEW_TEMPLATE,
  JG_CODE_VIEW_TASK_BODY,
} JgCodeViewKind;

#define JG_TYPE_CODE_VIEW_KIND (jg_code_view_kind_get_type ())
#define JG_TYPE_CODE_VIEW      (jg_code_view_get_type ())

GType jg_code_view_kind_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (JgCodeView, jg_code_view, JG, CODE_VIEW, GtkWidget)

GtkWidget      *jg_code_view_new           (void);
void            jg_code_view_set_history   (JgCodeView     *self,
                                            JgHistory      *history);
void            jg_code_view_set_selection (JgCodeView     *self,
                                            JgSelection    *selection);
JgCodeViewKind  jg_code_view_get_kind      (JgCodeView     *self);
void            jg_code_view_set_kind      (JgCodeView     *self,
                                            JgCodeViewKind  kind);
char           *jg_code_view_dup_text      (JgCodeView     *self);
GStrv           jg_code_view_dup_input_asset_ids (JgGraph  *graph);
gboolean        jg_code_view_get_edited    (JgCodeView     *self);
gboolean        jg_code_view_apply         (JgCodeView     *self,
                                            GError        **error);
void            jg_code_view_revert        (JgCodeView     *self);
char           *jg_code_view_dup_curl      (JgCodeView     *self);

G_END_DECLS
