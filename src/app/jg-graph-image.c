/* jg-graph-image.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-graph-image"

#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "jg-graph-image.h"

#define MARGIN      24.0
#define CORNER      8.0
#define PORT_RADIUS 5.0
#define MAX_PIXELS  (16384.0 * 16384.0)

typedef struct
{
  GdkRGBA fg;
  GdkRGBA bg;
  GdkRGBA card;
  GdkRGBA accent;
  GdkRGBA border;
  GdkRGBA error;
} Colors;

/* GTK 4.8 has no gtk_widget_get_color(); the style context is the way to
 * reach the theme's named colours on the floor version.
 */
static void
lookup_colors (GtkWidget *widget,
               Colors    *colors)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, &colors->fg);
  if (!gtk_style_context_lookup_color (context, "window_bg_color", &colors->bg))
    colors->bg = (GdkRGBA){ 1 - colors->fg.red, 1 - colors->fg.green, 1 - colors->fg.blue, 1 };
  if (!gtk_style_context_lookup_color (context, "card_bg_color", &colors->card))
    colors->card = colors->bg;
  if (!gtk_style_context_lookup_color (context, "accent_color", &colors->accent))
    colors->accent = colors->fg;
  if (!gtk_style_context_lookup_color (context, "error_color", &colors->error))
    colors->error = colors->fg;
  colors->border = colors->fg;
  colors->border.alpha = 0.25;

  /* card_bg_color is translucent in libadwaita; flatten it on the window
   * background so the image looks the same on any viewer's backdrop.
   */
  colors->card.red = colors->card.red * colors->card.alpha + colors->bg.red * (1 - colors->card.alpha);
  colors->card.green = colors->card.green * colors->card.alpha + colors->bg.green * (1 - colors->card.alpha);
  colors->card.blue = colors->card.blue * colors->card.alpha + colors->bg.blue * (1 - colors->card.alpha);
  colors->card.alpha = 1;
}

static void
node_size (GObject *node,
           double  *width,
           double  *height)
{
  *width = JG_LAYOUT_NODE_WIDTH;
  *height = JG_IS_TASK (node) ? jg_layout_get_task_height (JG_TASK (node)) : JG_LAYOUT_HEADER_HEIGHT;
}

static void
node_position (GObject *node,
               double  *x,
               double  *y)
{
  if (JG_IS_TASK (node))
    {
      *x = jg_task_get_x (JG_TASK (node));
      *y = jg_task_get_y (JG_TASK (node));
    }
  else
    {
      *x = jg_job_input_get_x (JG_JOB_INPUT (node));
      *y = jg_job_input_get_y (JG_JOB_INPUT (node));
    }
}

static void
graph_bounds (JgGraph         *graph,
              graphene_rect_t *bounds)
{
  gboolean first = TRUE;
  guint    n_inputs = jg_graph_get_n_inputs (graph);
  guint    n_tasks = jg_graph_get_n_tasks (graph);

  graphene_rect_init (bounds, 0, 0, JG_LAYOUT_NODE_WIDTH, JG_LAYOUT_HEADER_HEIGHT);

  for (guint i = 0; i < n_inputs + n_tasks; i++)
    {
      GObject        *node = i < n_inputs ? G_OBJECT (jg_graph_get_input (graph, i))
                                          : G_OBJECT (jg_graph_get_task (graph, i - n_inputs));
      graphene_rect_t r;
      double          x, y, w, h;

      node_position (node, &x, &y);
      node_size (node, &w, &h);
      graphene_rect_init (&r, x, y, w, h);

      if (first)
        *bounds = r;
      else
        graphene_rect_union (bounds, &r, bounds);
      first = FALSE;
    }
}

/* Where a wire leaves a source: a job input's single port, or the output
 * port of the task writing the asset.
 */
static gboolean
find_source_point (JgGraph *graph,
                   GObject *source,
                   double  *x,
                   double  *y)
{
  if (JG_IS_JOB_INPUT (source))
    {
      node_position (source, x, y);
      *x += JG_LAYOUT_NODE_WIDTH;
      *y += JG_LAYOUT_HEADER_HEIGHT / 2;
      return TRUE;
    }

  for (guint t = 0; t < jg_graph_get_n_tasks (graph); t++)
    {
      JgTask *task = jg_graph_get_task (graph, t);

      for (guint p = 0; p < jg_task_get_n_outputs (task); p++)
        {
          GObject *object = NULL;

          if (jg_task_get_output (task, p, &object, NULL) == JG_REF_OUTPUT_ASSET && object == source)
            {
              *x = jg_task_get_x (task) + JG_LAYOUT_NODE_WIDTH;
              *y = jg_task_get_y (task) + JG_LAYOUT_HEADER_HEIGHT + (p + 0.5) * JG_LAYOUT_PORT_HEIGHT;
              return TRUE;
            }
        }
    }

  return FALSE;
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
draw_text (cairo_t       *cr,
           PangoLayout   *layout,
           const char    *text,
           double         x,
           double         y,
           double         width,
           const GdkRGBA *color,
           gboolean       bold,
           double         alpha)
{
  PangoFontDescription *font = pango_font_description_from_string (bold ? "Sans Bold 10" : "Sans 9");
  GdkRGBA               c = *color;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  c.alpha *= alpha;
  set_color (cr, &c);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - CORNER, y + CORNER, CORNER, -G_PI / 2, 0);
  cairo_arc (cr, x + w - CORNER, y + h - CORNER, CORNER, 0, G_PI / 2);
  cairo_arc (cr, x + CORNER, y + h - CORNER, CORNER, G_PI / 2, G_PI);
  cairo_arc (cr, x + CORNER, y + CORNER, CORNER, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_node_frame (cairo_t      *cr,
                 const Colors *colors,
                 double        x,
                 double        y,
                 double        w,
                 double        h,
                 gboolean      has_error)
{
  rounded_rect (cr, x, y, w, h);
  set_color (cr, &colors->card);
  cairo_fill_preserve (cr);
  set_color (cr, has_error ? &colors->error : &colors->border);
  cairo_set_line_width (cr, has_error ? 2 : 1);
  cairo_stroke (cr);
}

static void
draw_port (cairo_t       *cr,
           const GdkRGBA *color,
           double         x,
           double         y)
{
  cairo_arc (cr, x, y, PORT_RADIUS, 0, 2 * G_PI);
  set_color (cr, color);
  cairo_fill (cr);
}

static gboolean
task_has_error (JgGraph *graph,
                JgTask  *task)
{
  GListModel *diagnostics = jg_graph_get_diagnostics (graph);
  guint       n = g_list_model_get_n_items (diagnostics);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JgDiagnostic) diagnostic = g_list_model_get_item (diagnostics, i);

      if (jg_diagnostic_get_task (diagnostic) == task &&
          jg_diagnostic_get_severity (diagnostic) == JG_SEVERITY_ERROR)
        return TRUE;
    }

  return FALSE;
}

static void
paint_graph (cairo_t      *cr,
             JgGraph      *graph,
             const Colors *colors)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  guint        n_inputs = jg_graph_get_n_inputs (graph);
  guint        n_tasks = jg_graph_get_n_tasks (graph);

  /* Edges under the nodes. */
  cairo_set_line_width (cr, 2);
  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask *task = jg_graph_get_task (graph, t);

      for (guint p = 0; p < jg_task_get_n_inputs (task); p++)
        {
          GObject *source = NULL;
          double   x0, y0, x1, y1, dx;

          if (jg_task_get_input (task, p, &source, NULL) == JG_REF_NONE || source == NULL ||
              !find_source_point (graph, source, &x0, &y0))
            continue;

          x1 = jg_task_get_x (task);
          y1 = jg_task_get_y (task) + JG_LAYOUT_HEADER_HEIGHT + (p + 0.5) * JG_LAYOUT_PORT_HEIGHT;
          dx = MAX (40, ABS (x1 - x0) / 2);

          cairo_move_to (cr, x0, y0);
          cairo_curve_to (cr, x0 + dx, y0, x1 - dx, y1, x1, y1);
          set_color (cr, &colors->fg);
          cairo_stroke (cr);
        }
    }

  for (guint i = 0; i < n_inputs; i++)
    {
      JgJobInput      *input = jg_graph_get_input (graph, i);
      g_autofree char *title = g_strdup_printf ("JobInputAsset(%d)", jg_job_input_get_index (input));
      double           x = jg_job_input_get_x (input), y = jg_job_input_get_y (input);

      draw_node_frame (cr, colors, x, y, JG_LAYOUT_NODE_WIDTH, JG_LAYOUT_HEADER_HEIGHT, FALSE);
      draw_text (cr, layout, title, x + 12, y + 12, JG_LAYOUT_NODE_WIDTH - 24, &colors->fg, TRUE, 1);
      draw_text (cr, layout, jg_job_input_get_label (input), x + 12, y + 34, JG_LAYOUT_NODE_WIDTH - 24,
                 &colors->fg, FALSE, 0.7);
      draw_port (cr, &colors->accent, x + JG_LAYOUT_NODE_WIDTH, y + JG_LAYOUT_HEADER_HEIGHT / 2);
    }

  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask                *task = jg_graph_get_task (graph, t);
      const JgProcessorInfo *info = jg_catalog_lookup (jg_task_get_processor_id (task));
      const char            *configuration = jg_task_get_configuration (task);
      double                 x = jg_task_get_x (task), y = jg_task_get_y (task);
      double                 h = jg_layout_get_task_height (task);
      g_autofree char       *subtitle = NULL;

      subtitle = g_strdup_printf ("%s · %s", info != NULL ? info->name : jg_task_get_processor_id (task),
                                  configuration != NULL && strlen (configuration) < 80 ? configuration : _("Custom"));

      draw_node_frame (cr, colors, x, y, JG_LAYOUT_NODE_WIDTH, h, task_has_error (graph, task));
      draw_text (cr, layout, jg_task_get_name (task), x + 12, y + 12, JG_LAYOUT_NODE_WIDTH - 24, &colors->fg, TRUE, 1);
      draw_text (cr, layout, subtitle, x + 12, y + 34, JG_LAYOUT_NODE_WIDTH - 24, &colors->fg, FALSE, 0.7);

      for (guint p = 0; p < jg_task_get_n_inputs (task); p++)
        {
          double py = y + JG_LAYOUT_HEADER_HEIGHT + (p + 0.5) * JG_LAYOUT_PORT_HEIGHT;

          draw_port (cr, &colors->accent, x, py);
        }

      for (guint p = 0; p < jg_task_get_n_outputs (task); p++)
        {
          GObject         *asset = NULL;
          double           py = y + JG_LAYOUT_HEADER_HEIGHT + (p + 0.5) * JG_LAYOUT_PORT_HEIGHT;
          g_autofree char *label = NULL;

          if (jg_task_get_output (task, p, &asset, NULL) == JG_REF_OUTPUT_ASSET)
            label = g_strdup_printf ("JobOutputAsset(%d)", jg_output_asset_get_index (JG_OUTPUT_ASSET (asset)));
          else
            label = g_strdup (_("Unconnected output"));

          draw_port (cr, &colors->accent, x + JG_LAYOUT_NODE_WIDTH, py);
          pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
          draw_text (cr, layout, label, x + 12, py - 8, JG_LAYOUT_NODE_WIDTH - 28, &colors->fg, FALSE, 0.8);
          pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
        }
    }

  g_object_unref (layout);
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * jg_graph_image_render:
 * @scale: device pixels per graph unit for PNG (ignored for SVG)
 * @style_source: a widget whose style gives the colours
 *
 * Returns: (transfer full) (nullable): the encoded image, or %NULL with
 *   @error set.
 */
GBytes *
jg_graph_image_render (JgGraph           *graph,
                       JgGraphImageFormat format,
                       double             scale,
                       GtkWidget         *style_source,
                       GError           **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  graphene_rect_t  bounds;
  cairo_surface_t *surface;
  cairo_status_t   status;
  cairo_t         *cr;
  Colors           colors;
  double           width, height;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (style_source), NULL);

  lookup_colors (style_source, &colors);
  graph_bounds (graph, &bounds);
  width = bounds.size.width + 2 * MARGIN;
  height = bounds.size.height + 2 * MARGIN;

  if (format == JG_GRAPH_IMAGE_SVG)
    surface = cairo_svg_surface_create_for_stream (append_to_byte_array, bytes, width, height);
  else
    {
      scale = CLAMP (scale, 0.1, 8.0);
      if (width * height * scale * scale > MAX_PIXELS)
        scale = sqrt (MAX_PIXELS / (width * height));
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int)ceil (width * scale), (int)ceil (height * scale));
    }

  cr = cairo_create (surface);
  if (format == JG_GRAPH_IMAGE_PNG)
    cairo_scale (cr, scale, scale);

  set_color (cr, &colors.bg);
  cairo_paint (cr);
  cairo_translate (cr, MARGIN - bounds.origin.x, MARGIN - bounds.origin.y);
  paint_graph (cr, graph, &colors);
  cairo_destroy (cr);

  if (format == JG_GRAPH_IMAGE_PNG)
    status = cairo_surface_write_to_png_stream (surface, append_to_byte_array, bytes);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }

  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw the image: %s"), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
