/* jg-graph-canvas-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-graph-canvas.h"

G_BEGIN_DECLS

/* The functions the canvas's gestures call, for tests to drive the same
 * code paths as a pointer would. Coordinates are in widget space.
 */

void        _jg_graph_canvas_sync_now            (JgGraphCanvas   *self);
void        _jg_graph_canvas_press               (JgGraphCanvas   *self,
                                                  double           x,
                                                  double           y,
                                                  GdkModifierType  state,
                                                  int              n_press);
void        _jg_graph_canvas_release             (JgGraphCanvas   *self);
void        _jg_graph_canvas_drag_begin          (JgGraphCanvas   *self,
                                                  double           x,
                                                  double           y,
                                                  GdkModifierType  state);
void        _jg_graph_canvas_drag_update         (JgGraphCanvas   *self,
                                                  double           offset_x,
                                                  double           offset_y);
void        _jg_graph_canvas_drag_end            (JgGraphCanvas   *self,
                                                  double           offset_x,
                                                  double           offset_y);
const char *_jg_graph_canvas_get_drag_reason     (JgGraphCanvas   *self);
void        _jg_graph_canvas_canvas_to_widget    (JgGraphCanvas   *self,
                                                  double           cx,
                                                  double           cy,
                                                  double          *wx,
                                                  double          *wy);
void        _jg_graph_canvas_get_port_point      (JgGraphCanvas   *self,
                                                  GObject         *item,
                                                  gboolean         output,
                                                  guint            index,
                                                  double          *wx,
                                                  double          *wy);
void        _jg_graph_canvas_context_menu_at     (JgGraphCanvas   *self,
                                                  double           x,
                                                  double           y);
void        _jg_graph_canvas_nudge               (JgGraphCanvas   *self,
                                                  double           dx,
                                                  double           dy);
void        _jg_graph_canvas_move_focus          (JgGraphCanvas   *self,
                                                  int              dx,
                                                  int              dy);
GtkWidget  *_jg_graph_canvas_get_palette         (JgGraphCanvas   *self);
GtkWidget  *_jg_graph_canvas_get_connect_popover (JgGraphCanvas   *self);
void        _jg_graph_canvas_add_task_at         (JgGraphCanvas   *self,
                                                  const char      *processor_id,
                                                  const char      *preset);
guint       _jg_graph_canvas_get_n_edges         (JgGraphCanvas   *self);

G_END_DECLS
