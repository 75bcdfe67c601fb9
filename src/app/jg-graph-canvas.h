/* jg-graph-canvas.h
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

/* The node editor canvas (node-editor.md §8): a GtkScrollable widget whose
 * children are the node widgets (JgNode) and whose snapshot draws the grid,
 * the edges, the wire preview and the rubber band. It renders the graph of
 * its JgHistory and changes it only through jg_history_apply(), so every
 * gesture is one undoable step.
 *
 * Coordinates: canvas space is the graph's space (task x/y); widget space is
 * canvas * zoom - scroll.
 *
 * Signals:
 *   ::viewport-changed (JgGraphCanvas *)  — zoom, scroll or size changed
 *   ::node-activated (JgGraphCanvas *, GObject *item) — Enter or a
 *     double-click on a node (a JgTask or JgJobInput): show the inspector
 * Properties: "history", "selection", "zoom" (notify drives the zoom label),
 * "snap-to-grid".
 */

#define JG_TYPE_GRAPH_CANVAS (jg_graph_canvas_get_type ())

G_DECLARE_FINAL_TYPE (JgGraphCanvas, jg_graph_canvas, JG, GRAPH_CANVAS, GtkWidget)

#define JG_GRAPH_CANVAS_MIN_ZOOM 0.25
#define JG_GRAPH_CANVAS_MAX_ZOOM 4.0

GtkWidget   *jg_graph_canvas_new               (void);
JgHistory   *jg_graph_canvas_get_history       (JgGraphCanvas         *self);
void         jg_graph_canvas_set_history       (JgGraphCanvas         *self,
                                                JgHistory             *history);
JgSelection *jg_graph_canvas_get_selection     (JgGraphCanvas         *self);
void         jg_graph_canvas_set_selection     (JgGraphCanvas         *self,
                                                JgSelection           *selection);
double       jg_graph_canvas_get_zoom          (JgGraphCanvas         *self);
void         jg_graph_canvas_set_zoom          (JgGraphCanvas         *self,
                                                double                 zoom);
void         jg_graph_canvas_zoom_in           (JgGraphCanvas         *self);
void         jg_graph_canvas_zoom_out          (JgGraphCanvas         *self);
void         jg_graph_canvas_zoom_to_fit       (JgGraphCanvas         *self,
                                                gboolean               selection_only);
gboolean     jg_graph_canvas_get_snap_to_grid  (JgGraphCanvas         *self);
void         jg_graph_canvas_set_snap_to_grid  (JgGraphCanvas         *self,
                                                gboolean               snap);
void         jg_graph_canvas_reveal            (JgGraphCanvas         *self,
                                                GObject               *item);
void         jg_graph_canvas_get_visible_area  (JgGraphCanvas         *self,
                                                graphene_rect_t       *area);
void         jg_graph_canvas_get_graph_bounds  (JgGraphCanvas         *self,
                                                graphene_rect_t       *bounds);
void         jg_graph_canvas_center_on         (JgGraphCanvas         *self,
                                                double                 x,
                                                double                 y);
void         jg_graph_canvas_show_palette      (JgGraphCanvas         *self);
void         jg_graph_canvas_add_input         (JgGraphCanvas         *self);
void         jg_graph_canvas_select_all        (JgGraphCanvas         *self);
void         jg_graph_canvas_delete_selection  (JgGraphCanvas         *self);
void         jg_graph_canvas_copy              (JgGraphCanvas         *self);
void         jg_graph_canvas_cut               (JgGraphCanvas         *self);
void         jg_graph_canvas_paste             (JgGraphCanvas         *self);
void         jg_graph_canvas_duplicate         (JgGraphCanvas         *self);
void         jg_graph_canvas_tidy_up           (JgGraphCanvas         *self);
GtkWidget   *jg_graph_canvas_get_node_widget   (JgGraphCanvas         *self,
                                                GObject               *item);

G_END_DECLS
