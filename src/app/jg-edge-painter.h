/* jg-edge-painter.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Geometry, hit-testing and drawing of the canvas's wires: cubic Béziers
 * with horizontal tangents at both ends (node-editor.md §8.2). Plain
 * functions, no class: the canvas owns the edges.
 */

typedef struct
{
  graphene_point_t p[4];
} JgBezier;

void   jg_bezier_init         (JgBezier         *self,
                               double            x1,
                               double            y1,
                               double            x2,
                               double            y2,
                               double            scale);
void   jg_bezier_get_point    (const JgBezier   *self,
                               double            t,
                               graphene_point_t *point);
void   jg_bezier_get_bounds   (const JgBezier   *self,
                               double            padding,
                               graphene_rect_t  *bounds);
double jg_bezier_distance_to  (const JgBezier   *self,
                               double            x,
                               double            y);
void   jg_edge_painter_append (GtkSnapshot      *snapshot,
                               const JgBezier   *curve,
                               const GdkRGBA    *color,
                               double            line_width,
                               gboolean          dashed);

G_END_DECLS
