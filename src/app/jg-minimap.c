/* jg-minimap.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-minimap"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "jg-minimap-private.h"
#include "jg-node.h"

/* The minimap draws the graph from the model, not from the canvas's node
 * widgets: it stays cheap at any size of graph and is right even for nodes
 * the canvas has not realized. The canvas's visible area is a child widget
 * placed over the drawing, so its look (accent border, tint) comes from
 * style.css like everything else and follows dark mode and high contrast.
 *
 * Widget space = (canvas space) * scale + offset, fitted so that the graph
 * and the visible area both show. While the user drags, the mapping is
 * frozen: the visible area moving must not move the map under the pointer.
 */

#define MINIMAP_WIDTH  200
#define MINIMAP_HEIGHT 140
#define NODE_ALPHA     0.35
#define EDGE_ALPHA     0.5

struct _JgMinimap
{
  GtkWidget      parent_instance;

  /* Owned references */
  JgGraphCanvas *canvas;
  JgGraph       *graph;
  GtkWidget     *frame;

  gulong         viewport_handler;
  gulong         history_handler;
  gulong         changed_handler;

  double         scale;
  double         offset_x;
  double         offset_y;
  gboolean       has_mapping;
  gboolean       dragging;
  double         drag_x;
  double         drag_y;

  guint          n_draws;
};

enum
{
  PROP_0,
  PROP_CANVAS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgMinimap, jg_minimap, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static GObject *
get_node (JgGraph *graph,
          guint    i)
{
  guint n_inputs = jg_graph_get_n_inputs (graph);

  if (i < n_inputs)
    return G_OBJECT (jg_graph_get_input (graph, i));

  return G_OBJECT (jg_graph_get_task (graph, i - n_inputs));
}

static guint
get_n_nodes (JgGraph *graph)
{
  return jg_graph_get_n_inputs (graph) + jg_graph_get_n_tasks (graph);
}

static void
get_node_rect (GObject         *node,
               graphene_rect_t *rect)
{
  double x, y;

  jg_node_item_get_position (node, &x, &y);
  graphene_rect_init (rect, x, y, JG_LAYOUT_NODE_WIDTH, jg_node_item_get_height (node));
}

/* The union of every node's box; %FALSE for an empty graph. */
static gboolean
get_graph_bounds (JgMinimap       *self,
                  graphene_rect_t *bounds)
{
  guint n_nodes;

  if (self->graph == NULL || (n_nodes = get_n_nodes (self->graph)) == 0)
    return FALSE;

  get_node_rect (get_node (self->graph, 0), bounds);
  for (guint i = 1; i < n_nodes; i++)
    {
      graphene_rect_t rect;

      get_node_rect (get_node (self->graph, i), &rect);
      graphene_rect_union (bounds, &rect, bounds);
    }

  return TRUE;
}

static gboolean
get_visible_area (JgMinimap       *self,
                  graphene_rect_t *area)
{
  if (self->canvas == NULL)
    return FALSE;

  jg_graph_canvas_get_visible_area (self->canvas, area);

  return area->size.width > 0 && area->size.height > 0;
}

static void
update_mapping (JgMinimap *self)
{
  graphene_rect_t area, visible;
  gboolean        has_area;
  int             width = gtk_widget_get_width (GTK_WIDGET (self));
  int             height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->dragging)
    return;

  has_area = get_graph_bounds (self, &area);
  if (get_visible_area (self, &visible))
    {
      if (has_area)
        graphene_rect_union (&area, &visible, &area);
      else
        area = visible;
      has_area = TRUE;
    }

  self->has_mapping = has_area && width > 0 && height > 0;
  if (!self->has_mapping)
    return;

  /* A lone node is wider than tall; never divide by a zero extent. */
  area.size.width = MAX (area.size.width, 1);
  area.size.height = MAX (area.size.height, 1);

  self->scale = MIN (width / area.size.width, height / area.size.height);
  self->offset_x = (width - area.size.width * self->scale) / 2 - area.origin.x * self->scale;
  self->offset_y = (height - area.size.height * self->scale) / 2 - area.origin.y * self->scale;
}

static void
move_canvas_to (JgMinimap *self,
                double     x,
                double     y)
{
  double canvas_x, canvas_y;

  if (self->canvas != NULL && _jg_minimap_point_to_canvas (self, x, y, &canvas_x, &canvas_y))
    jg_graph_canvas_center_on (self->canvas, canvas_x, canvas_y);
}

static void
draw_graph (JgMinimap *self,
            cairo_t   *cr,
            GdkRGBA   *color)
{
  g_autoptr(GHashTable) writers = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) indexes = g_hash_table_new (NULL, NULL);
  guint n_inputs = jg_graph_get_n_inputs (self->graph);
  guint n_tasks = jg_graph_get_n_tasks (self->graph);
  guint n_nodes = n_inputs + n_tasks;

  cairo_translate (cr, self->offset_x, self->offset_y);
  cairo_scale (cr, self->scale, self->scale);

  for (guint i = 0; i < n_nodes; i++)
    {
      graphene_rect_t rect;

      get_node_rect (get_node (self->graph, i), &rect);
      cairo_rectangle (cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height);
    }
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * NODE_ALPHA);
  cairo_fill (cr);

  /* The first writer of each asset is where its wires start. */
  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask *task = jg_graph_get_task (self->graph, t);

      for (guint p = 0; p < jg_task_get_n_outputs (task); p++)
        {
          GObject *asset = NULL;

          if (jg_task_get_output (task, p, &asset, NULL) == JG_REF_OUTPUT_ASSET &&
              !g_hash_table_contains (writers, asset))
            {
              g_hash_table_insert (writers, asset, task);
              g_hash_table_insert (indexes, asset, GUINT_TO_POINTER (p));
            }
        }
    }

  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask *task = jg_graph_get_task (self->graph, t);
      double  task_x = jg_task_get_x (task);
      double  task_y = jg_task_get_y (task);

      for (guint p = 0; p < jg_task_get_n_inputs (task); p++)
        {
          GObject  *source = NULL;
          JgRefKind kind = jg_task_get_input (task, p, &source, NULL);
          GObject  *writer = source;
          guint     index = 0;
          double    x0, y0, x1, y1, node_x, node_y;

          if (kind == JG_REF_OUTPUT_ASSET)
            {
              writer = g_hash_table_lookup (writers, source);
              index = GPOINTER_TO_UINT (g_hash_table_lookup (indexes, source));
            }
          else if (kind != JG_REF_JOB_INPUT)
            continue;

          if (writer == NULL)
            continue;

          jg_node_item_get_position (writer, &node_x, &node_y);
          jg_node_item_get_port_anchor (writer, TRUE, index, &x0, &y0);
          jg_node_item_get_port_anchor (G_OBJECT (task), FALSE, p, &x1, &y1);
          cairo_move_to (cr, node_x + x0, node_y + y0);
          cairo_line_to (cr, task_x + x1, task_y + y1);
        }
    }

  /* Hairlines whatever the scale. */
  cairo_identity_matrix (cr);
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * EDGE_ALPHA);
  cairo_stroke (cr);
}

static void
get_foreground (JgMinimap *self,
                GdkRGBA   *color)
{
#if GTK_CHECK_VERSION(4, 10, 0)
  gtk_widget_get_color (GTK_WIDGET (self), color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), color);
#endif
}

static void
queue_update (JgMinimap *self)
{
  /* The mapping and the frame's place are worked out in size_allocate. */
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
graph_changed_cb (JgGraph   *graph,
                  JgMinimap *self)
{
  queue_update (self);
}

static void
viewport_changed_cb (JgGraphCanvas *canvas,
                     JgMinimap     *self)
{
  queue_update (self);
}

static void
set_graph (JgMinimap *self,
           JgGraph   *graph)
{
  if (self->graph == graph)
    return;

  if (self->graph != NULL)
    g_clear_signal_handler (&self->changed_handler, self->graph);
  g_set_object (&self->graph, graph);
  if (self->graph != NULL)
    self->changed_handler = g_signal_connect (self->graph, "changed",
                                              G_CALLBACK (graph_changed_cb), self);

  queue_update (self);
}

static void
canvas_history_cb (JgGraphCanvas *canvas,
                   GParamSpec    *pspec,
                   JgMinimap     *self)
{
  JgHistory *history = jg_graph_canvas_get_history (canvas);

  set_graph (self, history != NULL ? jg_history_get_graph (history) : NULL);
}

static void
set_canvas (JgMinimap     *self,
            JgGraphCanvas *canvas)
{
  g_assert (self->canvas == NULL);

  if (canvas == NULL)
    return;

  self->canvas = g_object_ref (canvas);
  self->history_handler = g_signal_connect (canvas, "notify::history",
                                            G_CALLBACK (canvas_history_cb), self);

  /* The canvas grew ::viewport-changed after this widget was written; a
   * canvas without it only leaves the visible area stale.
   */
  if (g_signal_lookup ("viewport-changed", G_OBJECT_TYPE (canvas)) != 0)
    self->viewport_handler = g_signal_connect (canvas, "viewport-changed",
                                               G_CALLBACK (viewport_changed_cb), self);

  canvas_history_cb (canvas, NULL, self);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               JgMinimap      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  _jg_minimap_press (self, x, y);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                JgMinimap      *self)
{
  _jg_minimap_drag_update (self, offset_x, offset_y);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             JgMinimap      *self)
{
  _jg_minimap_release (self);
}

static void
jg_minimap_measure (GtkWidget     *widget,
                    GtkOrientation orientation,
                    int            for_size,
                    int           *minimum,
                    int           *natural,
                    int           *minimum_baseline,
                    int           *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? MINIMAP_WIDTH : MINIMAP_HEIGHT;
}

static void
jg_minimap_size_allocate (GtkWidget *widget,
                          int        width,
                          int        height,
                          int        baseline)
{
  JgMinimap      *self = JG_MINIMAP (widget);
  graphene_rect_t visible;
  double          x0, y0, x1, y1;
  int             min_width, min_height;

  update_mapping (self);

  if (!self->has_mapping || !get_visible_area (self, &visible))
    {
      gtk_widget_set_child_visible (self->frame, FALSE);
      return;
    }

  _jg_minimap_canvas_to_point (self, visible.origin.x, visible.origin.y, &x0, &y0);
  _jg_minimap_canvas_to_point (self, visible.origin.x + visible.size.width,
                               visible.origin.y + visible.size.height, &x1, &y1);

  gtk_widget_measure (self->frame, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (self->frame, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  gtk_widget_set_child_visible (self->frame, TRUE);
  gtk_widget_size_allocate (self->frame,
                            &(GtkAllocation){
                              .x = round (x0),
                              .y = round (y0),
                              .width = MAX (min_width, round (x1) - round (x0)),
                              .height = MAX (min_height, round (y1) - round (y0)),
                            },
                            -1);
}

static void
jg_minimap_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  JgMinimap *self = JG_MINIMAP (widget);
  int        width = gtk_widget_get_width (widget);
  int        height = gtk_widget_get_height (widget);
  GdkRGBA    color;
  cairo_t   *cr;

  self->n_draws++;

  if (self->has_mapping && self->graph != NULL && get_n_nodes (self->graph) > 0)
    {
      get_foreground (self, &color);
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      draw_graph (self, cr, &color);
      cairo_destroy (cr);
    }

  gtk_widget_snapshot_child (widget, self->frame, snapshot);
}

static void
jg_minimap_dispose (GObject *object)
{
  JgMinimap *self = JG_MINIMAP (object);

  set_graph (self, NULL);
  if (self->canvas != NULL)
    {
      g_clear_signal_handler (&self->history_handler, self->canvas);
      g_clear_signal_handler (&self->viewport_handler, self->canvas);
      g_clear_object (&self->canvas);
    }
  g_clear_pointer (&self->frame, gtk_widget_unparent);

  G_OBJECT_CLASS (jg_minimap_parent_class)->dispose (object);
}

static void
jg_minimap_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JgMinimap *self = JG_MINIMAP (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      g_value_set_object (value, self->canvas);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_minimap_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JgMinimap *self = JG_MINIMAP (object);

  switch (prop_id)
    {
    case PROP_CANVAS:
      set_canvas (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_minimap_class_init (JgMinimapClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_minimap_dispose;
  object_class->get_property = jg_minimap_get_property;
  object_class->set_property = jg_minimap_set_property;

  widget_class->measure = jg_minimap_measure;
  widget_class->size_allocate = jg_minimap_size_allocate;
  widget_class->snapshot = jg_minimap_snapshot;

  properties[PROP_CANVAS] =
    g_param_spec_object ("canvas", NULL, NULL,
                         JG_TYPE_GRAPH_CANVAS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "minimap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
jg_minimap_init (JgMinimap *self)
{
  GtkGesture *drag;

  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), FALSE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "pointer");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("Click or drag to move the view"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Minimap"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("An overview of the whole job and the part of it in view"), -1);

  self->frame = g_object_new (GTK_TYPE_BOX,
                              "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                              "can-target", FALSE,
                              "css-classes", (const char *[]){ "visible-area", NULL },
                              NULL);
  gtk_widget_set_parent (self->frame, GTK_WIDGET (self));
  gtk_widget_set_child_visible (self->frame, FALSE);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

/**
 * jg_minimap_new:
 * @canvas: (nullable): the canvas to follow and move
 *
 * Returns: (transfer floating): a minimap of @canvas's graph
 */
GtkWidget *
jg_minimap_new (JgGraphCanvas *canvas)
{
  g_return_val_if_fail (canvas == NULL || JG_IS_GRAPH_CANVAS (canvas), NULL);

  return g_object_new (JG_TYPE_MINIMAP, "canvas", canvas, NULL);
}

gboolean
_jg_minimap_point_to_canvas (JgMinimap *self,
                             double     x,
                             double     y,
                             double    *canvas_x,
                             double    *canvas_y)
{
  g_return_val_if_fail (JG_IS_MINIMAP (self), FALSE);

  if (!self->has_mapping)
    return FALSE;

  *canvas_x = (x - self->offset_x) / self->scale;
  *canvas_y = (y - self->offset_y) / self->scale;

  return TRUE;
}

gboolean
_jg_minimap_canvas_to_point (JgMinimap *self,
                             double     canvas_x,
                             double     canvas_y,
                             double    *x,
                             double    *y)
{
  g_return_val_if_fail (JG_IS_MINIMAP (self), FALSE);

  if (!self->has_mapping)
    return FALSE;

  *x = canvas_x * self->scale + self->offset_x;
  *y = canvas_y * self->scale + self->offset_y;

  return TRUE;
}

void
_jg_minimap_press (JgMinimap *self,
                   double     x,
                   double     y)
{
  g_return_if_fail (JG_IS_MINIMAP (self));

  update_mapping (self);
  self->dragging = TRUE;
  self->drag_x = x;
  self->drag_y = y;
  move_canvas_to (self, x, y);
}

void
_jg_minimap_drag_update (JgMinimap *self,
                         double     offset_x,
                         double     offset_y)
{
  g_return_if_fail (JG_IS_MINIMAP (self));

  if (self->dragging)
    move_canvas_to (self, self->drag_x + offset_x, self->drag_y + offset_y);
}

void
_jg_minimap_release (JgMinimap *self)
{
  g_return_if_fail (JG_IS_MINIMAP (self));

  self->dragging = FALSE;
  queue_update (self);
}

guint
_jg_minimap_get_n_draws (JgMinimap *self)
{
  g_return_val_if_fail (JG_IS_MINIMAP (self), 0);

  return self->n_draws;
}

GtkWidget *
_jg_minimap_get_viewport_frame (JgMinimap *self)
{
  g_return_val_if_fail (JG_IS_MINIMAP (self), NULL);

  return self->frame;
}
