/* jg-edge-painter.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-edge-painter"

#include "config.h"

#include <math.h>

#include "jg-edge-painter.h"

/* How many straight segments approximate a curve for hit-testing: enough
 * for a 6 px tolerance on the longest wires a job has.
 */
#define FLATTEN_SEGMENTS 16

/**
 * jg_bezier_init:
 * @scale: the zoom, so that the tangents keep their shape at any zoom
 *
 * Builds the wire from an output anchor (@x1, @y1) to an input anchor
 * (@x2, @y2). Both tangents are horizontal; a wire that runs backwards gets
 * longer handles so that it loops around instead of folding on itself.
 */
void
jg_bezier_init (JgBezier *self,
                double    x1,
                double    y1,
                double    x2,
                double    y2,
                double    scale)
{
  double dx = x2 - x1;
  double handle = MAX (fabs (dx) / 2.0, 40.0 * scale);

  if (dx < 0)
    handle = MAX (handle, MIN (fabs (y2 - y1) / 2.0, 120.0 * scale) + 40.0 * scale);

  graphene_point_init (&self->p[0], x1, y1);
  graphene_point_init (&self->p[1], x1 + handle, y1);
  graphene_point_init (&self->p[2], x2 - handle, y2);
  graphene_point_init (&self->p[3], x2, y2);
}

void
jg_bezier_get_point (const JgBezier   *self,
                     double            t,
                     graphene_point_t *point)
{
  double u = 1.0 - t;
  double a = u * u * u;
  double b = 3 * u * u * t;
  double c = 3 * u * t * t;
  double d = t * t * t;

  point->x = a * self->p[0].x + b * self->p[1].x + c * self->p[2].x + d * self->p[3].x;
  point->y = a * self->p[0].y + b * self->p[1].y + c * self->p[2].y + d * self->p[3].y;
}

/* The control polygon's box holds the curve (convex hull property), which
 * is tight enough for wires with horizontal tangents.
 */
void
jg_bezier_get_bounds (const JgBezier  *self,
                      double           padding,
                      graphene_rect_t *bounds)
{
  double x0 = self->p[0].x, x1 = self->p[0].x;
  double y0 = self->p[0].y, y1 = self->p[0].y;

  for (guint i = 1; i < 4; i++)
    {
      x0 = MIN (x0, self->p[i].x);
      x1 = MAX (x1, self->p[i].x);
      y0 = MIN (y0, self->p[i].y);
      y1 = MAX (y1, self->p[i].y);
    }

  graphene_rect_init (bounds, x0 - padding, y0 - padding, x1 - x0 + 2 * padding, y1 - y0 + 2 * padding);
}

static double
segment_distance (const graphene_point_t *a,
                  const graphene_point_t *b,
                  double                  x,
                  double                  y)
{
  double dx = b->x - a->x;
  double dy = b->y - a->y;
  double len2 = dx * dx + dy * dy;
  double t = 0;

  if (len2 > 0)
    t = CLAMP (((x - a->x) * dx + (y - a->y) * dy) / len2, 0.0, 1.0);

  return hypot (a->x + t * dx - x, a->y + t * dy - y);
}

/**
 * jg_bezier_distance_to:
 *
 * Returns: the distance from (@x, @y) to the curve, flattened to
 *   %FLATTEN_SEGMENTS segments.
 */
double
jg_bezier_distance_to (const JgBezier *self,
                       double          x,
                       double          y)
{
  graphene_point_t prev = self->p[0];
  double           best = G_MAXDOUBLE;

  for (guint i = 1; i <= FLATTEN_SEGMENTS; i++)
    {
      graphene_point_t next;

      jg_bezier_get_point (self, (double)i / FLATTEN_SEGMENTS, &next);
      best = MIN (best, segment_distance (&prev, &next, x, y));
      prev = next;
    }

  return best;
}

/**
 * jg_edge_painter_append:
 *
 * Strokes @curve (in the snapshot's coordinates) into one cairo node whose
 * bounds are the curve's own box, never the viewport: a cairo node
 * rasterises its whole bounds (node-editor.md §5.2).
 */
void
jg_edge_painter_append (GtkSnapshot    *snapshot,
                        const JgBezier *curve,
                        const GdkRGBA  *color,
                        double          line_width,
                        gboolean        dashed)
{
  graphene_rect_t bounds;
  cairo_t        *cr;

  jg_bezier_get_bounds (curve, line_width + 1, &bounds);
  /* Cairo nodes cover whole pixels; round outwards so nothing is clipped. */
  graphene_rect_init (&bounds,
                      floor (bounds.origin.x), floor (bounds.origin.y),
                      ceil (bounds.size.width) + 1, ceil (bounds.size.height) + 1);

  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_move_to (cr, curve->p[0].x, curve->p[0].y);
  cairo_curve_to (cr,
                  curve->p[1].x, curve->p[1].y,
                  curve->p[2].x, curve->p[2].y,
                  curve->p[3].x, curve->p[3].y);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (dashed)
    {
      double dashes[] = { 3 * line_width, 2 * line_width };

      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
    }
  gdk_cairo_set_source_rgba (cr, color);
  cairo_stroke (cr);
  cairo_destroy (cr);
}
