/* jg-minimap-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-minimap.h"

G_BEGIN_DECLS

/* For tests: the mapping between the minimap's widget space and canvas
 * space, the functions its drag gesture calls (widget coordinates), and a
 * count of the frames it has drawn.
 */

gboolean   _jg_minimap_point_to_canvas (JgMinimap *self,
                                        double     x,
                                        double     y,
                                        double    *canvas_x,
                                        double    *canvas_y);
gboolean   _jg_minimap_canvas_to_point (JgMinimap *self,
                                        double     canvas_x,
                                        double     canvas_y,
                                        double    *x,
                                        double    *y);
void       _jg_minimap_press (JgMinimap *self,
                              double     x,
                              double     y);
void       _jg_minimap_drag_update (JgMinimap *self,
                                    double     offset_x,
                                    double     offset_y);
void       _jg_minimap_release (JgMinimap *self);
guint      _jg_minimap_get_n_draws (JgMinimap *self);
GtkWidget *_jg_minimap_get_viewport_frame (JgMinimap *self);

G_END_DECLS
