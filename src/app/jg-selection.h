/* jg-selection.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-core.h"

G_BEGIN_DECLS

/* What the user has selected in one window, shared by the canvas, the
 * inspector, the problems list and the code view.
 *
 * Items are graph nodes (JgTask or JgJobInput), kept in selection order;
 * the last one selected is the "primary" item the inspector shows. An edge
 * (a reader task's input port) or an output asset can be selected instead of
 * nodes; selecting one of those clears the node items. Emits ::changed once
 * per change.
 */

#define JG_TYPE_SELECTION (jg_selection_get_type ())

G_DECLARE_FINAL_TYPE (JgSelection, jg_selection, JG, SELECTION, GObject)

JgSelection   *jg_selection_new              (void);
guint          jg_selection_get_n_items      (JgSelection    *self);
GPtrArray     *jg_selection_dup_items        (JgSelection    *self);
gboolean       jg_selection_contains         (JgSelection    *self,
                                              gpointer        item);
gpointer       jg_selection_get_primary      (JgSelection    *self);
void           jg_selection_select           (JgSelection    *self,
                                              gpointer        item,
                                              gboolean        extend);
void           jg_selection_toggle           (JgSelection    *self,
                                              gpointer        item);
void           jg_selection_unselect         (JgSelection    *self,
                                              gpointer        item);
void           jg_selection_set_items        (JgSelection    *self,
                                              GPtrArray      *items);
void           jg_selection_clear            (JgSelection    *self);
void           jg_selection_select_edge      (JgSelection    *self,
                                              JgTask         *reader,
                                              guint           input_index);
gboolean       jg_selection_get_edge         (JgSelection    *self,
                                              JgTask        **reader,
                                              guint          *input_index);
void           jg_selection_select_output    (JgSelection    *self,
                                              JgOutputAsset  *asset);
JgOutputAsset *jg_selection_get_output       (JgSelection    *self);
void           jg_selection_forget_missing   (JgSelection    *self,
                                              JgGraph        *graph);

G_END_DECLS
