/* jg-graph-canvas.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-graph-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "jg-edge-painter.h"
#include "jg-graph-canvas-private.h"
#include "jg-node.h"
#include "jg-port.h"
#include "jg-task-palette.h"

#define GRID_STEP     16.0
#define LOD_ZOOM      0.5
#define SNAP_DISTANCE 12.0 /* px on screen: a wire snaps to a port this close */
#define EDGE_HIT      7.0  /* px on screen: a click this close selects a wire */
#define AUTOPAN_EDGE  32.0 /* px from the border where auto-pan starts */
#define AUTOPAN_SPEED 12.0 /* px per frame at the border */
#define PASTE_OFFSET  32.0
#define ZOOM_STEP     1.2

typedef enum
{
  DRAG_NONE,
  DRAG_MOVE,
  DRAG_WIRE,
  DRAG_RUBBER,
  DRAG_PAN,
} DragMode;

typedef enum
{
  HIT_NONE,
  HIT_NODE,
  HIT_PORT,
  HIT_EDGE,
} HitKind;

typedef struct
{
  HitKind  kind;
  GObject *item;   /* node item (JgTask / JgJobInput) */
  gboolean output; /* HIT_PORT */
  guint    index;  /* HIT_PORT: port index; HIT_EDGE: index into edges */
} Hit;

/* One wire: the reader's input port and where its source is drawn from. */
typedef struct
{
  JgTask  *reader; /* borrowed */
  guint    input;
  GObject *source_node; /* JgJobInput or the writing JgTask, borrowed */
  guint    source_port;
  char    *label;
  int      severity; /* -1 for none, else JgSeverity */
} Edge;

/* Where a wire being drawn comes from: a node's output port. The asset is
 * NULL when the port writes nothing yet; connecting creates it.
 */
typedef struct
{
  GObject *node;
  guint    port;
} WireEnd;

struct _JgGraphCanvas
{
  GtkWidget       parent_instance;

  /* Owned references */
  JgHistory      *history;
  JgGraph        *graph;
  JgSelection    *selection;
  GtkAdjustment  *hadjustment;
  GtkAdjustment  *vadjustment;
  GHashTable     *nodes;        /* GObject item → JgNode (a child) */
  GHashTable     *writers;      /* JgOutputAsset → JgTask, first writer */
  GHashTable     *writer_ports; /* JgOutputAsset → output index + 1 */
  GArray         *edges;        /* Edge */
  GCancellable   *cancellable;

  /* Children */
  GtkWidget      *reason_label;
  GtkWidget      *palette;
  GtkWidget      *context_menu;
  Hit             context_hit; /* what the context menu was opened on */
  guint           drop_wire_source;
  GtkWidget      *connect_popover;

  gulong          graph_changed_id;
  gulong          selection_changed_id;
  guint           sync_tick_id;
  guint           autopan_tick_id;

  double          zoom;
  double          pointer_x;
  double          pointer_y;
  double          pinch_start_zoom;
  double          pan_start_x;
  double          pan_start_y;
  double          paste_shift;

  /* Work to do once there is an allocation. */
  double          pending_center_x;
  double          pending_center_y;

  /* The drag in progress */
  DragMode        mode;
  GdkModifierType drag_state;
  double          start_x; /* widget space */
  double          start_y;
  double          start_cx; /* canvas space */
  double          start_cy;
  double          last_x;
  double          last_y;
  GPtrArray      *moving;        /* items */
  GArray         *moving_origin; /* graphene_point_t */
  double          move_dx;       /* canvas space */
  double          move_dy;
  gboolean        drag_moved;
  WireEnd         wire_from;   /* source side, or .node == NULL */
  JgTask         *wire_reader; /* reverse wire: from a free input */
  guint           wire_reader_index;
  JgTask         *detach_reader; /* re-dragging an input's wire */
  int             detach_index;
  double          wire_x; /* canvas space free end */
  double          wire_y;
  Hit             target;
  gboolean        target_valid;
  char           *reason;
  GPtrArray      *highlighted; /* JgPort / JgNode with a drag class */
  graphene_rect_t rubber;
  GPtrArray      *rubber_initial;

  /* A click on an already selected node selects it alone on release. */
  GObject        *press_item;

  /* A wire dropped in empty space waits for the palette's choice. */
  WireEnd         pending_from;
  JgTask         *pending_reader;
  guint           pending_reader_index;
  JgTask         *pending_detach_reader;
  int             pending_detach_index;
  double          pending_x;
  double          pending_y;

  /* Keyboard connect mode */
  GObject        *connect_item;
  gboolean        connect_output;
  guint           connect_index;

  guint           hscroll_policy : 1;
  guint           vscroll_policy : 1;
  guint           snap_to_grid : 1;
  guint           sync_pending : 1;
  guint           space_down : 1;
  guint           in_allocate : 1;
  guint           has_pending_center : 1;
  guint           pending_fit : 1;
  guint           pending_fit_selection : 1;
  guint           has_pointer : 1;
  guint           has_wire : 1;
};

enum
{
  PROP_0,
  PROP_HISTORY,
  PROP_SELECTION,
  PROP_ZOOM,
  PROP_SNAP_TO_GRID,
  N_PROPS,

  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum
{
  VIEWPORT_CHANGED,
  NODE_ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE_WITH_CODE (JgGraphCanvas, jg_graph_canvas, GTK_TYPE_WIDGET, G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void        queue_sync (JgGraphCanvas *self);
static void        update_drag (JgGraphCanvas *self);
static void        set_zoom_at (JgGraphCanvas *self,
                                double         zoom,
                                double         anchor_x,
                                double         anchor_y);

/* Helpers: coordinates */

static double
scroll_x (JgGraphCanvas *self)
{
  return gtk_adjustment_get_value (self->hadjustment);
}

static double
scroll_y (JgGraphCanvas *self)
{
  return gtk_adjustment_get_value (self->vadjustment);
}

static void
to_widget (JgGraphCanvas *self,
           double         cx,
           double         cy,
           double        *wx,
           double        *wy)
{
  *wx = cx * self->zoom - scroll_x (self);
  *wy = cy * self->zoom - scroll_y (self);
}

static void
to_canvas (JgGraphCanvas *self,
           double         wx,
           double         wy,
           double        *cx,
           double        *cy)
{
  *cx = (wx + scroll_x (self)) / self->zoom;
  *cy = (wy + scroll_y (self)) / self->zoom;
}

static double
snap (JgGraphCanvas *self,
      double         value)
{
  return self->snap_to_grid ? round (value / GRID_STEP) * GRID_STEP : value;
}

static int
find_moving (JgGraphCanvas *self,
             GObject       *item)
{
  if (self->moving == NULL)
    return -1;

  for (guint i = 0; i < self->moving->len; i++)
    if (g_ptr_array_index (self->moving, i) == item)
      return i;

  return -1;
}

/* Where @item is drawn: its model position, or where the drag in progress
 * has it.
 */
static void
item_position (JgGraphCanvas *self,
               GObject       *item,
               double        *x,
               double        *y)
{
  int i = find_moving (self, item);

  if (i >= 0)
    {
      const graphene_point_t *origin = &g_array_index (self->moving_origin, graphene_point_t, i);

      *x = snap (self, origin->x + self->move_dx);
      *y = snap (self, origin->y + self->move_dy);
      return;
    }

  jg_node_item_get_position (item, x, y);
}

static void
item_rect (JgGraphCanvas   *self,
           GObject         *item,
           graphene_rect_t *rect)
{
  double x, y;

  item_position (self, item, &x, &y);
  graphene_rect_init (rect, x, y, JG_LAYOUT_NODE_WIDTH, jg_node_item_get_height (item));
}

/* The anchor of a port, in canvas space. */
static void
port_point (JgGraphCanvas *self,
            GObject       *item,
            gboolean       output,
            guint          index,
            double        *x,
            double        *y)
{
  double nx, ny, ax, ay;

  item_position (self, item, &nx, &ny);
  jg_node_item_get_port_anchor (item, output, index, &ax, &ay);
  *x = nx + ax;
  *y = ny + ay;
}

static void
get_bounds (JgGraphCanvas   *self,
            gboolean         selection_only,
            graphene_rect_t *bounds)
{
  GHashTableIter iter;
  gpointer       item;
  gboolean       first = TRUE;

  graphene_rect_init (bounds, 0, 0, 0, 0);

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      graphene_rect_t rect;

      if (selection_only && (self->selection == NULL || !jg_selection_contains (self->selection, item)))
        continue;

      item_rect (self, item, &rect);
      if (first)
        *bounds = rect;
      else
        graphene_rect_union (bounds, &rect, bounds);
      first = FALSE;
    }
}

/* Helpers: colours. Everything drawn takes its colour from the style: the
 * canvas's CSS gives each role a `color` under a class (style.css).
 */
static void
lookup_color (JgGraphCanvas *self,
              const char    *css_class,
              GdkRGBA       *rgba)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_save (context);
  gtk_style_context_add_class (context, css_class);
  gtk_style_context_get_color (context, rgba);
  gtk_style_context_restore (context);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Helpers: model */

static GObject *
wire_end_source (JgGraphCanvas *self,
                 const WireEnd *end)
{
  GObject *object = NULL;

  if (JG_IS_JOB_INPUT (end->node))
    return end->node;

  if (jg_task_get_output (JG_TASK (end->node), end->port, &object, NULL) == JG_REF_OUTPUT_ASSET)
    return object;

  return NULL;
}

static gboolean
wire_end_for_source (JgGraphCanvas *self,
                     GObject       *source,
                     WireEnd       *end)
{
  gpointer port;

  if (JG_IS_JOB_INPUT (source))
    {
      end->node = source;
      end->port = 0;
      return TRUE;
    }

  end->node = g_hash_table_lookup (self->writers, source);
  port = g_hash_table_lookup (self->writer_ports, source);
  end->port = GPOINTER_TO_UINT (port) - 1;
  return end->node != NULL;
}

/* Whether @task reads, directly or through other tasks, what @upstream
 * writes.
 */
static gboolean
task_depends_on (JgGraphCanvas *self,
                 JgTask        *task,
                 JgTask        *upstream,
                 GHashTable    *seen)
{
  if (!g_hash_table_add (seen, task))
    return FALSE;

  for (guint i = 0; i < jg_task_get_n_inputs (task); i++)
    {
      GObject *object = NULL;
      JgTask  *writer;

      if (jg_task_get_input (task, i, &object, NULL) != JG_REF_OUTPUT_ASSET)
        continue;

      writer = g_hash_table_lookup (self->writers, object);
      if (writer == NULL)
        continue;
      if (writer == upstream || task_depends_on (self, writer, upstream, seen))
        return TRUE;
    }

  return FALSE;
}

/* jg_graph_check_connection() for a wire whose source may not exist yet
 * (an output port that writes no asset; connecting creates one).
 */
static gboolean
check_wire (JgGraphCanvas *self,
            const WireEnd *from,
            JgTask        *reader,
            int            index,
            char         **reason)
{
  GObject *source = wire_end_source (self, from);
  JgTask  *writer;
  g_autoptr(GHashTable) seen = NULL;

  if (source != NULL)
    return jg_graph_check_connection (self->graph, source, reader, index, reason);

  writer = JG_TASK (from->node);
  if (reason != NULL)
    *reason = NULL;

  if (index >= 0 && (guint)index < jg_task_get_n_inputs (reader) && jg_task_get_input (reader, index, NULL, NULL) != JG_REF_NONE)
    {
      if (reason != NULL)
        *reason = g_strdup (_("This input already has a source; drag its wire to move it"));
      return FALSE;
    }

  if (writer == reader)
    {
      if (reason != NULL)
        *reason = g_strdup (_("A task cannot read an asset it writes"));
      return FALSE;
    }

  seen = g_hash_table_new (NULL, NULL);
  if (task_depends_on (self, writer, reader, seen))
    {
      if (reason != NULL)
        *reason = g_strdup (_("This wire would make a cycle: the asset is written downstream of this task"));
      return FALSE;
    }

  return TRUE;
}

static void
apply (JgGraphCanvas *self,
       JgEdit        *edit)
{
  g_autoptr(GError) error = NULL;

  if (edit == NULL || jg_edit_is_empty (edit))
    return;

  if (!jg_history_apply (self->history, edit, &error))
    g_warning ("Could not apply “%s”: %s", jg_edit_get_label (edit), error->message);
}

/* Adds to @group the edits that wire @from into @reader's input @index (or
 * a new input port for -1), creating the output asset if needed.
 */
static void
add_connect_edits (JgGraphCanvas *self,
                   JgEdit        *group,
                   const WireEnd *from,
                   JgTask        *reader,
                   int            index)
{
  GObject  *source = wire_end_source (self, from);
  JgRefKind kind;
  g_autoptr(JgOutputAsset) created = NULL;

  if (source == NULL)
    {
      created = jg_output_asset_new ();
      source = G_OBJECT (created);
      jg_edit_group_add (group, jg_edit_new_set_port (JG_TASK (from->node), TRUE, from->port,
                                                      JG_REF_OUTPUT_ASSET, created, NULL));
    }

  kind = JG_IS_JOB_INPUT (source) ? JG_REF_JOB_INPUT : JG_REF_OUTPUT_ASSET;

  if (index >= 0 && (guint)index < jg_task_get_n_inputs (reader))
    jg_edit_group_add (group, jg_edit_new_set_port (reader, FALSE, index, kind, source, NULL));
  else
    jg_edit_group_add (group, jg_edit_new_insert_port (reader, FALSE, -1, kind, source, NULL));
}

static void
add_detach_edit (JgEdit *group,
                 JgTask *reader,
                 guint   index)
{
  jg_edit_group_add (group, jg_edit_new_set_port (reader, FALSE, index, JG_REF_NONE, NULL, NULL));
}

static GPtrArray *
dup_selected_nodes (JgGraphCanvas *self)
{
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray *nodes = g_ptr_array_new ();

  if (self->selection == NULL || self->graph == NULL)
    return nodes;

  items = jg_selection_dup_items (self->selection);
  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);

      if ((JG_IS_TASK (item) && jg_graph_find_task (self->graph, item) >= 0) || (JG_IS_JOB_INPUT (item) && jg_graph_find_input (self->graph, item) >= 0))
        g_ptr_array_add (nodes, item);
    }

  return nodes;
}

static JgEdit *
build_move_edit (GPtrArray *items,
                 GArray    *positions)
{
  JgEdit *group = jg_edit_new_group (_("Move"));

  for (guint i = 0; i < items->len; i++)
    {
      GObject                *item = g_ptr_array_index (items, i);
      const graphene_point_t *p = &g_array_index (positions, graphene_point_t, i);
      double                  x, y;

      jg_node_item_get_position (item, &x, &y);
      if (fabs (x - p->x) < 0.01 && fabs (y - p->y) < 0.01)
        continue;

      jg_edit_group_add (group, jg_edit_new_set (item, "x", (double)p->x, "y", (double)p->y, NULL));
    }

  return group;
}

static int
compare_positions_desc (gconstpointer a,
                        gconstpointer b)
{
  int pa = GPOINTER_TO_INT (*(gpointer *)a);
  int pb = GPOINTER_TO_INT (*(gpointer *)b);

  return pb - pa;
}

/* Deleting several nodes is one step: first detach every wire that reads
 * a deleted node from a node that stays, then remove tasks and inputs from
 * the highest position down, so that each position is still right when its
 * edit runs.
 */
static JgEdit *
build_delete_edit (JgGraphCanvas *self,
                   GPtrArray     *items,
                   const char    *label)
{
  g_autoptr(GHashTable) doomed = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) sources = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) task_positions = g_array_new (FALSE, FALSE, sizeof (gpointer));
  g_autoptr(GArray) input_positions = g_array_new (FALSE, FALSE, sizeof (gpointer));
  JgEdit *group = jg_edit_new_group (label);
  guint   n_tasks = jg_graph_get_n_tasks (self->graph);

  for (guint i = 0; i < items->len; i++)
    g_hash_table_add (doomed, g_ptr_array_index (items, i));

  /* What the deleted nodes provide: their job inputs, and the assets only
   * they write.
   */
  for (guint i = 0; i < items->len; i++)
    {
      GObject *item = g_ptr_array_index (items, i);

      if (JG_IS_JOB_INPUT (item))
        {
          int position = jg_graph_find_input (self->graph, JG_JOB_INPUT (item));

          g_hash_table_add (sources, item);
          g_array_append_val (input_positions, *(gpointer[]){ GINT_TO_POINTER (position) });
          continue;
        }

      g_array_append_val (task_positions,
                          *(gpointer[]){ GINT_TO_POINTER (jg_graph_find_task (self->graph, JG_TASK (item))) });

      for (guint p = 0; p < jg_task_get_n_outputs (JG_TASK (item)); p++)
        {
          GObject *asset = NULL;
          gboolean kept_writer = FALSE;

          if (jg_task_get_output (JG_TASK (item), p, &asset, NULL) != JG_REF_OUTPUT_ASSET)
            continue;

          for (guint t = 0; t < n_tasks && !kept_writer; t++)
            {
              JgTask *other = jg_graph_get_task (self->graph, t);

              if (g_hash_table_contains (doomed, other))
                continue;
              for (guint q = 0; q < jg_task_get_n_outputs (other); q++)
                {
                  GObject *written = NULL;

                  jg_task_get_output (other, q, &written, NULL);
                  if (written == asset)
                    kept_writer = TRUE;
                }
            }

          if (!kept_writer)
            g_hash_table_add (sources, asset);
        }
    }

  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask *task = jg_graph_get_task (self->graph, t);

      if (g_hash_table_contains (doomed, task))
        continue;

      for (guint p = 0; p < jg_task_get_n_inputs (task); p++)
        {
          GObject *object = NULL;

          jg_task_get_input (task, p, &object, NULL);
          if (object != NULL && g_hash_table_contains (sources, object))
            add_detach_edit (group, task, p);
        }
    }

  g_array_sort (task_positions, compare_positions_desc);
  for (guint i = 0; i < task_positions->len; i++)
    jg_edit_group_add (group, jg_edit_new_remove_task (GPOINTER_TO_INT (g_array_index (task_positions, gpointer, i))));

  g_array_sort (input_positions, compare_positions_desc);
  for (guint i = 0; i < input_positions->len; i++)
    jg_edit_group_add (group,
                       jg_edit_new_remove_input (GPOINTER_TO_INT (g_array_index (input_positions, gpointer, i))));

  return group;
}

/* Helpers: hit-testing */

static GtkWidget *
node_for (JgGraphCanvas *self,
          gpointer       item)
{
  return g_hash_table_lookup (self->nodes, item);
}

static gboolean
node_is_visible (JgGraphCanvas *self,
                 GObject       *item,
                 double         margin)
{
  graphene_rect_t rect, view;
  double          x, y;

  item_rect (self, item, &rect);
  to_widget (self, rect.origin.x, rect.origin.y, &x, &y);
  graphene_rect_init (&rect, x - margin, y - margin,
                      rect.size.width * self->zoom + 2 * margin, rect.size.height * self->zoom + 2 * margin);
  graphene_rect_init (&view, 0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                      gtk_widget_get_height (GTK_WIDGET (self)));

  return graphene_rect_intersection (&rect, &view, NULL);
}

/* The port whose anchor is nearest to (@wx, @wy) within @radius screen
 * pixels; @output selects which side.
 */
static gboolean
find_port_near (JgGraphCanvas *self,
                double         wx,
                double         wy,
                gboolean       output,
                double         radius,
                Hit           *hit)
{
  GHashTableIter iter;
  gpointer       item;
  double         best = radius;
  gboolean       found = FALSE;

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      guint n = jg_node_item_get_n_ports (item, output);

      if (!node_is_visible (self, item, radius))
        continue;

      for (guint i = 0; i < n; i++)
        {
          double cx, cy, x, y, d;

          port_point (self, item, output, i, &cx, &cy);
          to_widget (self, cx, cy, &x, &y);
          d = hypot (x - wx, y - wy);
          if (d <= best)
            {
              best = d;
              hit->kind = HIT_PORT;
              hit->item = item;
              hit->output = output;
              hit->index = i;
              found = TRUE;
            }
        }
    }

  return found;
}

static void
edge_curve (JgGraphCanvas *self,
            const Edge    *edge,
            JgBezier      *curve)
{
  double x1, y1, x2, y2;

  port_point (self, edge->source_node, TRUE, edge->source_port, &x1, &y1);
  port_point (self, G_OBJECT (edge->reader), FALSE, edge->input, &x2, &y2);
  to_widget (self, x1, y1, &x1, &y1);
  to_widget (self, x2, y2, &x2, &y2);
  jg_bezier_init (curve, x1, y1, x2, y2, self->zoom);
}

static void
hit_test (JgGraphCanvas *self,
          double         x,
          double         y,
          Hit           *hit)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  double     best = EDGE_HIT;

  memset (hit, 0, sizeof *hit);

  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      if (JG_IS_PORT (w))
        {
          hit->kind = HIT_PORT;
          hit->item = jg_node_get_item (JG_NODE (gtk_widget_get_parent (w)));
          hit->output = jg_port_get_output (JG_PORT (w));
          hit->index = jg_port_get_index (JG_PORT (w));
          return;
        }
      if (JG_IS_NODE (w))
        {
          hit->kind = HIT_NODE;
          hit->item = jg_node_get_item (JG_NODE (w));
          break;
        }
    }

  /* Handles stick out of the node: half of each is outside its widget. */
  if (find_port_near (self, x, y, TRUE, 8, hit) || find_port_near (self, x, y, FALSE, 8, hit))
    return;

  if (hit->kind == HIT_NODE)
    return;

  for (guint i = 0; i < self->edges->len; i++)
    {
      JgBezier        curve;
      graphene_rect_t bounds;
      double          d;

      edge_curve (self, &g_array_index (self->edges, Edge, i), &curve);
      jg_bezier_get_bounds (&curve, EDGE_HIT, &bounds);
      if (!graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y)))
        continue;

      d = jg_bezier_distance_to (&curve, x, y);
      if (d <= best)
        {
          best = d;
          hit->kind = HIT_EDGE;
          hit->index = i;
        }
    }
}

/* Helpers: viewport */

static void
emit_viewport_changed (JgGraphCanvas *self)
{
  graphene_rect_t area;

  if (self->graph != NULL)
    {
      jg_graph_canvas_get_visible_area (self, &area);
      jg_graph_set_viewport (self->graph, area.origin.x, area.origin.y, self->zoom);
    }

  g_signal_emit (self, signals[VIEWPORT_CHANGED], 0);
}

/* The scroll range is the graph's box plus most of a viewport on each side
 * (node-editor.md §8.1), widened to hold the current view so that moving a
 * node never makes the view jump.
 */
static void
configure_adjustment (GtkAdjustment *adjustment,
                      double         value,
                      double         start,
                      double         end,
                      double         page)
{
  double margin = page * 0.75;
  double lower = MIN (start - margin, value);
  double upper = MAX (end + margin, value + page);

  gtk_adjustment_configure (adjustment, value, lower, upper, page * 0.1, page * 0.9, page);
}

static void
configure_adjustments (JgGraphCanvas *self,
                       double         hvalue,
                       double         vvalue)
{
  graphene_rect_t bounds;
  int             width = gtk_widget_get_width (GTK_WIDGET (self));
  int             height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean        was = self->in_allocate;

  get_bounds (self, FALSE, &bounds);

  self->in_allocate = TRUE;
  configure_adjustment (self->hadjustment, hvalue, bounds.origin.x * self->zoom,
                        (bounds.origin.x + bounds.size.width) * self->zoom, width);
  configure_adjustment (self->vadjustment, vvalue, bounds.origin.y * self->zoom,
                        (bounds.origin.y + bounds.size.height) * self->zoom, height);
  self->in_allocate = was;
}

static void
scroll_by (JgGraphCanvas *self,
           double         dx,
           double         dy)
{
  configure_adjustments (self, scroll_x (self) + dx, scroll_y (self) + dy);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  emit_viewport_changed (self);
}

static void
center_now (JgGraphCanvas *self,
            double         cx,
            double         cy)
{
  configure_adjustments (self,
                         cx * self->zoom - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                         cy * self->zoom - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  emit_viewport_changed (self);
}

static void
set_zoom_at (JgGraphCanvas *self,
             double         zoom,
             double         anchor_x,
             double         anchor_y)
{
  double cx, cy;

  zoom = CLAMP (zoom, JG_GRAPH_CANVAS_MIN_ZOOM, JG_GRAPH_CANVAS_MAX_ZOOM);
  if (fabs (zoom - self->zoom) < 1e-6)
    return;

  to_canvas (self, anchor_x, anchor_y, &cx, &cy);
  self->zoom = zoom;
  configure_adjustments (self, cx * zoom - anchor_x, cy * zoom - anchor_y);

  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  emit_viewport_changed (self);
}

static void
fit_now (JgGraphCanvas *self,
         gboolean       selection_only)
{
  graphene_rect_t bounds;
  int             width = gtk_widget_get_width (GTK_WIDGET (self));
  int             height = gtk_widget_get_height (GTK_WIDGET (self));
  double          zoom;

  get_bounds (self, selection_only, &bounds);
  if (bounds.size.width <= 0 && selection_only)
    get_bounds (self, FALSE, &bounds);
  if (bounds.size.width <= 0)
    return;

  zoom = MIN ((width - 2 * JG_LAYOUT_MARGIN) / bounds.size.width,
              (height - 2 * JG_LAYOUT_MARGIN) / bounds.size.height);
  zoom = CLAMP (zoom, JG_GRAPH_CANVAS_MIN_ZOOM, 1.0);

  if (fabs (zoom - self->zoom) > 1e-6)
    {
      self->zoom = zoom;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  center_now (self, bounds.origin.x + bounds.size.width / 2, bounds.origin.y + bounds.size.height / 2);
}

/* Helpers: drag feedback */

static void
clear_highlights (JgGraphCanvas *self)
{
  for (guint i = 0; i < self->highlighted->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->highlighted, i);

      gtk_widget_remove_css_class (widget, "wire-target");
      gtk_widget_remove_css_class (widget, "wire-hover");
      gtk_widget_remove_css_class (widget, "wire-refused");
    }
  g_ptr_array_set_size (self->highlighted, 0);
}

static void
highlight (JgGraphCanvas *self,
           GtkWidget     *widget,
           const char    *css_class)
{
  if (widget == NULL)
    return;

  gtk_widget_add_css_class (widget, css_class);
  g_ptr_array_add (self->highlighted, g_object_ref (widget));
}

static GtkWidget *
port_widget (JgGraphCanvas *self,
             GObject       *item,
             gboolean       output,
             guint          index)
{
  GtkWidget *node = node_for (self, item);

  return node ? jg_node_get_port (JG_NODE (node), output, index) : NULL;
}

/* Marks every port the wire being drawn may end on. */
static void
highlight_targets (JgGraphCanvas *self)
{
  GHashTableIter iter;
  gpointer       item;

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    {
      if (self->wire_from.node != NULL)
        {
          if (!JG_IS_TASK (item))
            continue;

          for (guint i = 0; i < jg_task_get_n_inputs (item); i++)
            if (check_wire (self, &self->wire_from, item, i, NULL))
              highlight (self, port_widget (self, item, FALSE, i), "wire-target");
        }
      else
        {
          guint n = jg_node_item_get_n_ports (item, TRUE);

          for (guint i = 0; i < n; i++)
            {
              WireEnd from = { item, i };

              if (check_wire (self, &from, self->wire_reader, self->wire_reader_index, NULL))
                highlight (self, port_widget (self, item, TRUE, i), "wire-target");
            }
        }
    }
}

static void
set_reason (JgGraphCanvas *self,
            char          *reason)
{
  g_free (self->reason);
  self->reason = reason;

  gtk_label_set_text (GTK_LABEL (self->reason_label), reason ? reason : "");
  gtk_widget_set_visible (self->reason_label, reason != NULL);
  if (reason != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->reason_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, reason,
                                    -1);
}

/* The task whose box holds widget point (@x, @y), from the model. */
static GObject *
task_at (JgGraphCanvas *self,
         double         x,
         double         y)
{
  GObject *found = NULL;
  double   cx, cy;

  to_canvas (self, x, y, &cx, &cy);

  for (guint i = 0; self->graph != NULL && i < jg_graph_get_n_tasks (self->graph); i++)
    {
      GObject        *task = G_OBJECT (jg_graph_get_task (self->graph, i));
      graphene_rect_t rect;

      item_rect (self, task, &rect);
      if (graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (cx, cy)))
        found = task;
    }

  return found;
}

/* Finds what the free end of a wire is over, and whether it may go there. */
static void
update_wire_target (JgGraphCanvas *self,
                    double         x,
                    double         y)
{
  char    *reason = NULL;
  Hit      hit = { 0 };
  gboolean found;

  /* Drop the hover classes, keep the target marks. */
  for (guint i = 0; i < self->highlighted->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->highlighted, i);

      gtk_widget_remove_css_class (widget, "wire-hover");
      gtk_widget_remove_css_class (widget, "wire-refused");
    }

  memset (&self->target, 0, sizeof self->target);
  self->target_valid = FALSE;

  if (self->wire_from.node != NULL)
    {
      found = find_port_near (self, x, y, FALSE, SNAP_DISTANCE, &hit);
      if (!found)
        {
          GObject *task = task_at (self, x, y);

          if (task != NULL)
            {
              hit.kind = HIT_NODE;
              hit.item = task;
              found = TRUE;
            }
        }

      if (found)
        {
          int index = hit.kind == HIT_PORT ? (int)hit.index : -1;

          /* A re-dragged wire may go back where it was. */
          if (self->detach_reader == JG_TASK (hit.item) && index == self->detach_index)
            self->target_valid = TRUE;
          else
            self->target_valid = check_wire (self, &self->wire_from, JG_TASK (hit.item), index, &reason);
        }
    }
  else
    {
      found = find_port_near (self, x, y, TRUE, SNAP_DISTANCE, &hit);
      if (found)
        {
          WireEnd from = { hit.item, hit.index };

          self->target_valid = check_wire (self, &from, self->wire_reader, self->wire_reader_index, &reason);
        }
    }

  if (found)
    {
      GtkWidget *widget = hit.kind == HIT_PORT ? port_widget (self, hit.item, hit.output, hit.index)
                                               : node_for (self, hit.item);

      self->target = hit;
      highlight (self, widget, self->target_valid ? "wire-hover" : "wire-refused");

      if (hit.kind == HIT_PORT)
        {
          double cx, cy;

          port_point (self, hit.item, hit.output, hit.index, &cx, &cy);
          self->wire_x = cx;
          self->wire_y = cy;
        }
    }

  set_reason (self, self->target_valid ? (g_free (reason), NULL) : reason);
}

/* Helpers: sync with the model */

static void
edge_clear (gpointer data)
{
  Edge *edge = data;

  g_free (edge->label);
}

static void
update_selection_states (JgGraphCanvas *self)
{
  GHashTableIter iter;
  gpointer       item, node;

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, &node))
    jg_node_set_selected (node, self->selection != NULL && jg_selection_contains (self->selection, item));

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ensure_node (JgGraphCanvas *self,
             GObject       *item,
             GHashTable    *seen)
{
  GtkWidget *node = node_for (self, item);

  if (node == NULL)
    {
      node = jg_node_new (item);
      gtk_widget_insert_before (node, GTK_WIDGET (self), self->reason_label);
      g_hash_table_insert (self->nodes, item, node);
    }

  g_hash_table_add (seen, item);
}

static char *
source_label (GObject *source)
{
  const char *name = NULL;

  if (JG_IS_JOB_INPUT (source))
    name = jg_job_input_get_label (JG_JOB_INPUT (source));
  else if (JG_IS_OUTPUT_ASSET (source))
    name = jg_output_asset_get_asset_name (JG_OUTPUT_ASSET (source));

  if (name != NULL && *name != '\0')
    return g_strdup (name);

  return jg_node_describe_source (source);
}

static void
sync_now (JgGraphCanvas *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) problems = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
  GHashTableIter iter;
  gpointer       item, node;
  GListModel    *diagnostics;
  guint          n_tasks = 0, n_inputs = 0;

  self->sync_pending = FALSE;
  g_array_set_size (self->edges, 0);
  g_hash_table_remove_all (self->writers);
  g_hash_table_remove_all (self->writer_ports);

  if (self->graph != NULL)
    {
      /* The `JobInputAsset(n)` and `JobOutputAsset(n)` numbers the nodes
       * show come from the graph's analysis; make sure it is current.
       */
      g_ptr_array_unref (jg_graph_dup_run_order (self->graph));

      n_inputs = jg_graph_get_n_inputs (self->graph);
      n_tasks = jg_graph_get_n_tasks (self->graph);

      for (guint i = 0; i < n_inputs; i++)
        ensure_node (self, G_OBJECT (jg_graph_get_input (self->graph, i)), seen);
      for (guint i = 0; i < n_tasks; i++)
        ensure_node (self, G_OBJECT (jg_graph_get_task (self->graph, i)), seen);
    }

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, &node))
    if (!g_hash_table_contains (seen, item))
      {
        if (self->moving != NULL && find_moving (self, item) >= 0)
          self->mode = DRAG_NONE;
        gtk_widget_unparent (node);
        g_hash_table_iter_remove (&iter);
      }

  if (self->graph == NULL)
    goto out;

  /* Diagnostics, by the node they are about. */
  diagnostics = jg_graph_get_diagnostics (self->graph);
  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(JgDiagnostic) diagnostic = g_list_model_get_item (diagnostics, i);
      GObject   *about = G_OBJECT (jg_diagnostic_get_task (diagnostic));
      GPtrArray *list;

      if (about == NULL && JG_IS_JOB_INPUT (jg_diagnostic_get_subject (diagnostic)))
        about = jg_diagnostic_get_subject (diagnostic);
      if (about == NULL)
        continue;

      list = g_hash_table_lookup (problems, about);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (problems, about, list);
        }
      g_ptr_array_add (list, g_object_ref (diagnostic));
    }

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, &node))
    jg_node_sync (node, g_hash_table_lookup (problems, item));

  /* Who writes what, then the wires. */
  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask *task = jg_graph_get_task (self->graph, t);

      for (guint p = 0; p < jg_task_get_n_outputs (task); p++)
        {
          GObject *asset = NULL;

          if (jg_task_get_output (task, p, &asset, NULL) == JG_REF_OUTPUT_ASSET && !g_hash_table_contains (self->writers, asset))
            {
              g_hash_table_insert (self->writers, asset, task);
              g_hash_table_insert (self->writer_ports, asset, GUINT_TO_POINTER (p + 1));
            }
        }
    }

  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask    *task = jg_graph_get_task (self->graph, t);
      GPtrArray *list = g_hash_table_lookup (problems, task);

      for (guint p = 0; p < jg_task_get_n_inputs (task); p++)
        {
          GObject *source = NULL;
          WireEnd  from;
          Edge     edge = { task, p, NULL, 0, NULL, -1 };

          jg_task_get_input (task, p, &source, NULL);
          if (source == NULL || !wire_end_for_source (self, source, &from))
            continue;

          edge.source_node = from.node;
          edge.source_port = from.port;
          edge.label = source_label (source);

          for (guint d = 0; list != NULL && d < list->len; d++)
            {
              JgDiagnostic *diagnostic = g_ptr_array_index (list, d);
              int           index = -1;

              if (jg_diagnostic_get_port (diagnostic, &index) == JG_PORT_DIRECTION_INPUT && index == (int)p)
                edge.severity = MAX (edge.severity, (int)jg_diagnostic_get_severity (diagnostic));
            }

          g_array_append_val (self->edges, edge);
        }
    }

out:
  if (self->selection != NULL && self->graph != NULL)
    jg_selection_forget_missing (self->selection, self->graph);
  update_selection_states (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static gboolean
sync_tick_cb (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);

  self->sync_tick_id = 0;
  if (self->sync_pending)
    sync_now (self);

  return G_SOURCE_REMOVE;
}

/* The graph changes once per edit; redrawing is batched to once a frame
 * (node-editor.md §8.4).
 */
static void
queue_sync (JgGraphCanvas *self)
{
  self->sync_pending = TRUE;

  if (self->sync_tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->sync_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), sync_tick_cb, NULL, NULL);
}

static void
ensure_synced (JgGraphCanvas *self)
{
  if (self->sync_pending)
    sync_now (self);
}

/* Selection */

static void
select_item (JgGraphCanvas  *self,
             GObject        *item,
             GdkModifierType state)
{
  if (self->selection == NULL)
    return;

  if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))
    jg_selection_toggle (self->selection, item);
  else if (!jg_selection_contains (self->selection, item))
    jg_selection_select (self->selection, item, FALSE);
}

/* Palette */

static void
clear_pending_wire (JgGraphCanvas *self)
{
  memset (&self->pending_from, 0, sizeof self->pending_from);
  self->pending_reader = NULL;
  self->pending_detach_reader = NULL;
  self->pending_detach_index = -1;
  self->has_wire = FALSE;
}

static void
popup_palette_at (JgGraphCanvas *self,
                  double         x,
                  double         y)
{
  GdkRectangle rect = { (int)x, (int)y, 1, 1 };

  to_canvas (self, x, y, &self->pending_x, &self->pending_y);
  jg_task_palette_reset (JG_TASK_PALETTE (self->palette));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->palette), &rect);
  gtk_popover_popup (GTK_POPOVER (self->palette));
}

static gboolean
drop_unused_wire_cb (gpointer user_data)
{
  JgGraphCanvas *self = user_data;

  self->drop_wire_source = 0;
  clear_pending_wire (self);

  return G_SOURCE_REMOVE;
}

static void
palette_closed_cb (JgGraphCanvas *self)
{
  /* The palette closes first and then emits ::task-chosen, so the wire
   * waiting for the new task is only dropped once that had its chance: a
   * palette closed without a choice drops it.
   */
  if (self->drop_wire_source == 0)
    self->drop_wire_source = g_idle_add (drop_unused_wire_cb, self);
}

static void
palette_task_chosen_cb (JgGraphCanvas *self,
                        const char    *processor_id,
                        const char    *preset)
{
  _jg_graph_canvas_add_task_at (self, processor_id, preset);
}

/* Context menu */

static void
show_context_menu (JgGraphCanvas *self,
                   double         x,
                   double         y)
{
  GdkRectangle rect = { (int)x, (int)y, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

/**
 * _jg_graph_canvas_context_menu_at:
 * @x: (in widget coordinates)
 *
 * What a secondary click does: the node or port menu over a node, the task
 * palette over empty canvas.
 */
void
_jg_graph_canvas_context_menu_at (JgGraphCanvas *self,
                                  double         x,
                                  double         y)
{
  Hit hit;

  ensure_synced (self);
  hit_test (self, x, y, &hit);
  if (hit.kind == HIT_NODE || hit.kind == HIT_PORT)
    {
      select_item (self, hit.item, 0);
      self->context_hit = hit;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.add-output", JG_IS_TASK (hit.item));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.remove-port",
                                     hit.kind == HIT_PORT && JG_IS_TASK (hit.item));
      show_context_menu (self, x, y);
    }
  else
    popup_palette_at (self, x, y);
}

/* Keyboard connect mode */

typedef struct
{
  GObject *item;
  gboolean output;
  int      index;
} ConnectChoice;

static void
connect_row_activated_cb (JgGraphCanvas *self,
                          GtkListBoxRow *row)
{
  ConnectChoice *choice = g_object_get_data (G_OBJECT (row), "jg-connect-choice");
  g_autoptr(JgEdit) group = jg_edit_new_group (_("Connect"));

  if (choice == NULL || self->connect_item == NULL)
    return;

  if (self->connect_output)
    {
      WireEnd from = { self->connect_item, self->connect_index };

      add_connect_edits (self, group, &from, JG_TASK (choice->item), choice->index);
    }
  else
    {
      WireEnd from = { choice->item, choice->index };

      add_connect_edits (self, group, &from, JG_TASK (self->connect_item), self->connect_index);
    }

  gtk_popover_popdown (GTK_POPOVER (self->connect_popover));
  apply (self, group);
}

static const char *
item_name (GObject *item)
{
  const char *name = JG_IS_TASK (item) ? jg_task_get_name (JG_TASK (item))
                                       : jg_job_input_get_label (JG_JOB_INPUT (item));

  return name && *name ? name : _("Untitled");
}

static void
add_connect_row (GtkListBox *list,
                 GObject    *item,
                 gboolean    output,
                 int         index,
                 const char *text)
{
  GtkWidget     *label = gtk_label_new (text);
  GtkWidget     *row = gtk_list_box_row_new ();
  ConnectChoice *choice = g_new0 (ConnectChoice, 1);

  choice->item = item;
  choice->output = output;
  choice->index = index;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "jg-connect-choice", choice, g_free);
  gtk_list_box_append (list, row);
}

static void
show_connect_popover (JgGraphCanvas *self,
                      GObject       *item,
                      gboolean       output,
                      guint          index)
{
  GtkWidget   *list = gtk_list_box_new ();
  GtkWidget   *scroller;
  gpointer     other;
  double       cx, cy, x, y;
  GdkRectangle rect;
  guint        n_rows = 0;

  self->connect_item = item;
  self->connect_output = output;
  self->connect_index = index;

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_BROWSE);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), TRUE);
  g_signal_connect_object (list, "row-activated", G_CALLBACK (connect_row_activated_cb), self,
                           G_CONNECT_SWAPPED);

  for (guint t = 0; self->graph != NULL && t < jg_graph_get_n_tasks (self->graph) + jg_graph_get_n_inputs (self->graph); t++)
    {
      other = t < jg_graph_get_n_inputs (self->graph)
                ? G_OBJECT (jg_graph_get_input (self->graph, t))
                : G_OBJECT (jg_graph_get_task (self->graph, t - jg_graph_get_n_inputs (self->graph)));

      if (output)
        {
          WireEnd from = { item, index };

          if (!JG_IS_TASK (other))
            continue;

          for (guint i = 0; i < jg_task_get_n_inputs (JG_TASK (other)); i++)
            {
              GObject *current = NULL;

              /* An input that already reads this source is not a choice. */
              jg_task_get_input (JG_TASK (other), i, &current, NULL);
              if (current != NULL && current == wire_end_source (self, &from))
                continue;
              if (!check_wire (self, &from, JG_TASK (other), i, NULL))
                continue;

              {
                g_autofree char *text = g_strdup_printf (_("Input %u of %s"), i + 1, item_name (other));

                add_connect_row (GTK_LIST_BOX (list), other, FALSE, i, text);
                n_rows++;
              }
            }
          if (check_wire (self, &from, JG_TASK (other), -1, NULL))
            {
              g_autofree char *text = g_strdup_printf (_("New input of %s"), item_name (other));

              add_connect_row (GTK_LIST_BOX (list), other, FALSE, -1, text);
              n_rows++;
            }
        }
      else
        {
          guint n = jg_node_item_get_n_ports (other, TRUE);

          for (guint i = 0; i < n; i++)
            {
              WireEnd from = { other, i };

              if (check_wire (self, &from, JG_TASK (item), index, NULL))
                {
                  g_autofree char *text = NULL;

                  if (JG_IS_JOB_INPUT (other))
                    text = g_strdup_printf (_("Job input %s"), item_name (other));
                  else
                    text = g_strdup_printf (_("Output %u of %s"), i + 1, item_name (other));
                  add_connect_row (GTK_LIST_BOX (list), other, TRUE, i, text);
                  n_rows++;
                }
            }
        }
    }

  if (n_rows == 0)
    {
      GtkWidget *label = gtk_label_new (_("Nothing can be connected here"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), label);
    }

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_popover_set_child (GTK_POPOVER (self->connect_popover), scroller);

  port_point (self, item, output, index, &cx, &cy);
  to_widget (self, cx, cy, &x, &y);
  rect = (GdkRectangle){ (int)x - 4, (int)y - 4, 8, 8 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->connect_popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->connect_popover));

  if (n_rows > 0)
    gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)));
}

/* Auto-pan */

static gboolean
autopan_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *frame_clock,
                 gpointer       user_data)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);
  int            width = gtk_widget_get_width (widget);
  int            height = gtk_widget_get_height (widget);
  double         dx = 0, dy = 0;

  if (self->mode != DRAG_MOVE && self->mode != DRAG_WIRE && self->mode != DRAG_RUBBER)
    {
      self->autopan_tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (self->last_x < AUTOPAN_EDGE)
    dx = -AUTOPAN_SPEED * (1 - MAX (self->last_x, 0) / AUTOPAN_EDGE);
  else if (self->last_x > width - AUTOPAN_EDGE)
    dx = AUTOPAN_SPEED * (1 - MAX (width - self->last_x, 0) / AUTOPAN_EDGE);
  if (self->last_y < AUTOPAN_EDGE)
    dy = -AUTOPAN_SPEED * (1 - MAX (self->last_y, 0) / AUTOPAN_EDGE);
  else if (self->last_y > height - AUTOPAN_EDGE)
    dy = AUTOPAN_SPEED * (1 - MAX (height - self->last_y, 0) / AUTOPAN_EDGE);

  if (dx != 0 || dy != 0)
    {
      scroll_by (self, dx, dy);
      update_drag (self);
    }

  return G_SOURCE_CONTINUE;
}

/* Gestures */

static void
update_drag (JgGraphCanvas *self)
{
  double x = self->last_x;
  double y = self->last_y;
  double cx, cy;

  to_canvas (self, x, y, &cx, &cy);

  switch (self->mode)
    {
    case DRAG_MOVE:
      self->move_dx = cx - self->start_cx;
      self->move_dy = cy - self->start_cy;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      break;

    case DRAG_WIRE:
      self->wire_x = cx;
      self->wire_y = cy;
      update_wire_target (self, x, y);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      break;

    case DRAG_RUBBER:
      {
        g_autoptr(GPtrArray) items = g_ptr_array_new ();
        GHashTableIter iter;
        gpointer       item;

        graphene_rect_init (&self->rubber, MIN (cx, self->start_cx), MIN (cy, self->start_cy),
                            fabs (cx - self->start_cx), fabs (cy - self->start_cy));

        if (self->rubber_initial != NULL)
          for (guint i = 0; i < self->rubber_initial->len; i++)
            g_ptr_array_add (items, g_ptr_array_index (self->rubber_initial, i));

        g_hash_table_iter_init (&iter, self->nodes);
        while (g_hash_table_iter_next (&iter, &item, NULL))
          {
            graphene_rect_t rect;

            item_rect (self, item, &rect);
            if (graphene_rect_intersection (&rect, &self->rubber, NULL) && !g_ptr_array_find (items, item, NULL))
              g_ptr_array_add (items, item);
          }

        if (self->selection != NULL)
          jg_selection_set_items (self->selection, items);
        gtk_widget_queue_draw (GTK_WIDGET (self));
      }
      break;

    case DRAG_PAN:
    case DRAG_NONE:
    default:
      break;
    }
}

void
_jg_graph_canvas_drag_begin (JgGraphCanvas  *self,
                             double          x,
                             double          y,
                             GdkModifierType state)
{
  Hit hit;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  ensure_synced (self);

  self->mode = DRAG_NONE;
  self->drag_state = state;
  self->start_x = self->last_x = x;
  self->start_y = self->last_y = y;
  self->drag_moved = FALSE;
  to_canvas (self, x, y, &self->start_cx, &self->start_cy);

  if (self->graph == NULL)
    return;

  if (self->space_down)
    {
      self->mode = DRAG_PAN;
      self->pan_start_x = scroll_x (self);
      self->pan_start_y = scroll_y (self);
      return;
    }

  hit_test (self, x, y, &hit);

  if (hit.kind == HIT_PORT)
    {
      memset (&self->wire_from, 0, sizeof self->wire_from);
      self->wire_reader = NULL;
      self->detach_reader = NULL;
      self->detach_index = -1;

      if (hit.output)
        {
          self->wire_from.node = hit.item;
          self->wire_from.port = hit.index;
        }
      else
        {
          GObject *source = NULL;

          jg_task_get_input (JG_TASK (hit.item), hit.index, &source, NULL);
          if (source != NULL && wire_end_for_source (self, source, &self->wire_from))
            {
              self->detach_reader = JG_TASK (hit.item);
              self->detach_index = hit.index;
            }
          else
            {
              memset (&self->wire_from, 0, sizeof self->wire_from);
              self->wire_reader = JG_TASK (hit.item);
              self->wire_reader_index = hit.index;
            }
        }

      self->mode = DRAG_WIRE;
      self->wire_x = self->start_cx;
      self->wire_y = self->start_cy;
      highlight_targets (self);
    }
  else if (hit.kind == HIT_NODE)
    {
      g_autoptr(GPtrArray) items = NULL;

      if (self->selection != NULL && !jg_selection_contains (self->selection, hit.item))
        select_item (self, hit.item, state);

      items = dup_selected_nodes (self);
      if (!g_ptr_array_find (items, hit.item, NULL))
        g_ptr_array_add (items, hit.item);

      g_clear_pointer (&self->moving, g_ptr_array_unref);
      g_array_set_size (self->moving_origin, 0);
      self->moving = g_ptr_array_ref (items);
      for (guint i = 0; i < items->len; i++)
        {
          graphene_point_t p;
          double           px, py;

          jg_node_item_get_position (g_ptr_array_index (items, i), &px, &py);
          graphene_point_init (&p, px, py);
          g_array_append_val (self->moving_origin, p);
        }
      self->move_dx = self->move_dy = 0;
      self->mode = DRAG_MOVE;
    }
  else
    {
      g_clear_pointer (&self->rubber_initial, g_ptr_array_unref);
      if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))
        self->rubber_initial = dup_selected_nodes (self);
      graphene_rect_init (&self->rubber, self->start_cx, self->start_cy, 0, 0);
      self->mode = hit.kind == HIT_EDGE ? DRAG_NONE : DRAG_RUBBER;
    }

  if (self->mode != DRAG_NONE && self->mode != DRAG_PAN && self->autopan_tick_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->autopan_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), autopan_tick_cb, NULL, NULL);
}

void
_jg_graph_canvas_drag_update (JgGraphCanvas *self,
                              double         offset_x,
                              double         offset_y)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->mode == DRAG_NONE)
    return;

  if (hypot (offset_x, offset_y) > 2)
    self->drag_moved = TRUE;

  if (self->mode == DRAG_PAN)
    {
      configure_adjustments (self, self->pan_start_x - offset_x, self->pan_start_y - offset_y);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      emit_viewport_changed (self);
      return;
    }

  self->last_x = self->start_x + offset_x;
  self->last_y = self->start_y + offset_y;
  update_drag (self);
}

static void
finish_wire (JgGraphCanvas *self)
{
  g_autoptr(JgEdit) group = jg_edit_new_group (_("Connect"));

  if (self->target.kind != HIT_NONE)
    {
      if (!self->target_valid)
        return;

      if (self->wire_from.node != NULL)
        {
          int index = self->target.kind == HIT_PORT ? (int)self->target.index : -1;

          if (self->detach_reader == JG_TASK (self->target.item) && index == self->detach_index)
            return;

          if (self->detach_reader != NULL)
            {
              jg_edit_set_label (group, _("Move Wire"));
              add_detach_edit (group, self->detach_reader, self->detach_index);
            }
          add_connect_edits (self, group, &self->wire_from, JG_TASK (self->target.item), index);
        }
      else
        {
          WireEnd from = { self->target.item, self->target.index };

          add_connect_edits (self, group, &from, self->wire_reader, self->wire_reader_index);
        }

      apply (self, group);
      return;
    }

  /* Dropped in empty space. */
  if (self->detach_reader != NULL)
    {
      jg_edit_set_label (group, _("Disconnect"));
      add_detach_edit (group, self->detach_reader, self->detach_index);
      apply (self, group);
    }
  else if (self->wire_from.node != NULL)
    {
      self->pending_from = self->wire_from;
      self->has_wire = TRUE;
      popup_palette_at (self, self->last_x, self->last_y);
    }
}

void
_jg_graph_canvas_drag_end (JgGraphCanvas *self,
                           double         offset_x,
                           double         offset_y)
{
  DragMode mode;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->mode != DRAG_PAN && self->mode != DRAG_NONE)
    _jg_graph_canvas_drag_update (self, offset_x, offset_y);

  mode = self->mode;
  self->mode = DRAG_NONE;

  switch (mode)
    {
    case DRAG_MOVE:
      {
        g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
        g_autoptr(GPtrArray) items = g_steal_pointer (&self->moving);
        g_autoptr(JgEdit) edit = NULL;

        for (guint i = 0; i < items->len; i++)
          {
            const graphene_point_t *origin = &g_array_index (self->moving_origin, graphene_point_t, i);
            graphene_point_t        p;

            graphene_point_init (&p, snap (self, origin->x + self->move_dx), snap (self, origin->y + self->move_dy));
            g_array_append_val (positions, p);
          }

        if (self->drag_moved)
          {
            edit = build_move_edit (items, positions);
            apply (self, edit);
          }
        gtk_widget_queue_allocate (GTK_WIDGET (self));
      }
      break;

    case DRAG_WIRE:
      clear_highlights (self);
      set_reason (self, NULL);
      if (self->drag_moved)
        finish_wire (self);
      memset (&self->target, 0, sizeof self->target);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case DRAG_RUBBER:
      g_clear_pointer (&self->rubber_initial, g_ptr_array_unref);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case DRAG_PAN:
    case DRAG_NONE:
    default:
      break;
    }
}

const char *
_jg_graph_canvas_get_drag_reason (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), NULL);

  return self->reason;
}

void
_jg_graph_canvas_press (JgGraphCanvas  *self,
                        double          x,
                        double          y,
                        GdkModifierType state,
                        int             n_press)
{
  Hit hit;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  ensure_synced (self);
  self->press_item = NULL;

  if (self->graph == NULL)
    return;

  hit_test (self, x, y, &hit);

  if (n_press == 2)
    {
      if (hit.kind == HIT_NODE)
        g_signal_emit (self, signals[NODE_ACTIVATED], 0, hit.item);
      else if (hit.kind == HIT_NONE)
        popup_palette_at (self, x, y);
      return;
    }

  switch (hit.kind)
    {
    case HIT_NODE:
    case HIT_PORT:
      if (self->selection != NULL && jg_selection_contains (self->selection, hit.item) && !(state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)))
        self->press_item = hit.item;
      else
        select_item (self, hit.item, state);
      if (hit.kind == HIT_NODE)
        gtk_widget_grab_focus (node_for (self, hit.item));
      break;

    case HIT_EDGE:
      {
        const Edge *edge = &g_array_index (self->edges, Edge, hit.index);

        if (self->selection != NULL)
          jg_selection_select_edge (self->selection, edge->reader, edge->input);
        gtk_widget_grab_focus (GTK_WIDGET (self));
      }
      break;

    case HIT_NONE:
    default:
      if (self->selection != NULL && !(state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)))
        jg_selection_clear (self->selection);
      gtk_widget_grab_focus (GTK_WIDGET (self));
      break;
    }
}

void
_jg_graph_canvas_release (JgGraphCanvas *self)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->press_item != NULL && !self->drag_moved && self->selection != NULL)
    jg_selection_select (self->selection, self->press_item, FALSE);
  self->press_item = NULL;
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  JgGraphCanvas   *self)
{
  guint           button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  self->drag_moved = FALSE;

  if (button == GDK_BUTTON_SECONDARY)
    {
      _jg_graph_canvas_context_menu_at (self, x, y);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  if (button == GDK_BUTTON_PRIMARY)
    _jg_graph_canvas_press (self, x, y, state, n_press);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   JgGraphCanvas   *self)
{
  _jg_graph_canvas_release (self);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               JgGraphCanvas  *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));

  _jg_graph_canvas_drag_begin (self, x, y, state);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                JgGraphCanvas  *self)
{
  if (self->mode != DRAG_NONE)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  _jg_graph_canvas_drag_update (self, offset_x, offset_y);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             JgGraphCanvas  *self)
{
  _jg_graph_canvas_drag_end (self, offset_x, offset_y);
}

static void
pan_begin_cb (GtkGestureDrag *gesture,
              double          x,
              double          y,
              JgGraphCanvas  *self)
{
  self->pan_start_x = scroll_x (self);
  self->pan_start_y = scroll_y (self);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
pan_update_cb (GtkGestureDrag *gesture,
               double          offset_x,
               double          offset_y,
               JgGraphCanvas  *self)
{
  configure_adjustments (self, self->pan_start_x - offset_x, self->pan_start_y - offset_y);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  emit_viewport_changed (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           JgGraphCanvas            *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gboolean        wheel = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL;
  double          x = self->has_pointer ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double          y = self->has_pointer ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  if (state & GDK_CONTROL_MASK)
    {
      /* A wheel detent is 10 %; touchpad deltas are pixels. */
      set_zoom_at (self, self->zoom * exp (-dy * (wheel ? 0.1 : 0.01)), x, y);
      return TRUE;
    }

  if (wheel)
    {
      if ((state & GDK_SHIFT_MASK) && dx == 0)
        {
          dx = dy;
          dy = 0;
        }
      dx *= 48;
      dy *= 48;
    }

  scroll_by (self, dx, dy);
  if (self->mode != DRAG_NONE && self->mode != DRAG_PAN)
    update_drag (self);

  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               JgGraphCanvas    *self)
{
  self->pinch_start_zoom = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       JgGraphCanvas  *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  set_zoom_at (self, self->pinch_start_zoom * scale, x, y);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           JgGraphCanvas            *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->has_pointer = TRUE;
}

static void
leave_cb (GtkEventControllerMotion *controller,
          JgGraphCanvas            *self)
{
  self->has_pointer = FALSE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                JgGraphCanvas         *self)
{
  if (keyval == GDK_KEY_space)
    self->space_down = TRUE;
  return GDK_EVENT_PROPAGATE;
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 JgGraphCanvas         *self)
{
  if (keyval == GDK_KEY_space)
    self->space_down = FALSE;
}

/* Signal handlers for the model */

static void
graph_changed_cb (JgGraphCanvas *self)
{
  queue_sync (self);
}

static void
selection_changed_cb (JgGraphCanvas *self)
{
  update_selection_states (self);
}

static void
adjustment_value_changed_cb (JgGraphCanvas *self)
{
  if (self->in_allocate)
    return;

  gtk_widget_queue_allocate (GTK_WIDGET (self));
  emit_viewport_changed (self);
}

/* Actions */

static GObject *
focused_item (JgGraphCanvas *self,
              GtkWidget    **port)
{
  GtkRoot   *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (port != NULL)
    *port = NULL;

  for (GtkWidget *w = focus; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      if (JG_IS_PORT (w) && port != NULL)
        *port = w;
      if (JG_IS_NODE (w))
        return jg_node_get_item (JG_NODE (w));
    }

  return NULL;
}

static void
move_focus_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  _jg_graph_canvas_move_focus (JG_GRAPH_CANVAS (widget), dx, dy);
}

static void
nudge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  _jg_graph_canvas_nudge (JG_GRAPH_CANVAS (widget), dx, dy);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);
  GtkWidget     *port = NULL;
  GObject       *item = focused_item (self, &port);

  if (port != NULL)
    show_connect_popover (self, item, jg_port_get_output (JG_PORT (port)), jg_port_get_index (JG_PORT (port)));
  else if (item != NULL)
    {
      if (self->selection != NULL)
        jg_selection_select (self->selection, item, FALSE);
      g_signal_emit (self, signals[NODE_ACTIVATED], 0, item);
    }
}

/* Context menu: a task's ports */

static void
add_output_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);
  g_autoptr(JgOutputAsset) asset = NULL;
  g_autoptr(JgEdit) edit = NULL;
  JgTask *task;

  if (self->history == NULL || !JG_IS_TASK (self->context_hit.item))
    return;

  task = JG_TASK (self->context_hit.item);
  asset = jg_output_asset_new ();
  edit = jg_edit_new_insert_port (task, TRUE, jg_task_get_n_outputs (task), JG_REF_OUTPUT_ASSET, asset, NULL);
  jg_edit_set_label (edit, _("Add Output"));
  apply (self, edit);
}

/* Removing an output port also disconnects the tasks that read its asset,
 * in the same step, so no wire is left pointing at nothing.
 */
static void
remove_port_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);
  g_autoptr(JgEdit) group = NULL;
  GObject *asset = NULL;
  JgTask  *task;
  guint    index = self->context_hit.index;

  if (self->history == NULL || self->context_hit.kind != HIT_PORT || !JG_IS_TASK (self->context_hit.item))
    return;

  task = JG_TASK (self->context_hit.item);
  group = jg_edit_new_group (_("Remove Port"));

  if (self->context_hit.output && index < jg_task_get_n_outputs (task))
    {
      if (jg_task_get_output (task, index, &asset, NULL) == JG_REF_OUTPUT_ASSET)
        for (guint t = 0; t < jg_graph_get_n_tasks (self->graph); t++)
          {
            JgTask *reader = jg_graph_get_task (self->graph, t);

            for (guint p = 0; p < jg_task_get_n_inputs (reader); p++)
              {
                GObject *source = NULL;

                if (jg_task_get_input (reader, p, &source, NULL) == JG_REF_OUTPUT_ASSET && source == asset)
                  jg_edit_group_add (group, jg_edit_new_set_port (reader, FALSE, p, JG_REF_NONE, NULL, NULL));
              }
          }
      jg_edit_group_add (group, jg_edit_new_remove_port (task, TRUE, index));
    }
  else if (!self->context_hit.output && index < jg_task_get_n_inputs (task))
    jg_edit_group_add (group, jg_edit_new_remove_port (task, FALSE, index));

  apply (self, group);
}

static void
simple_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);

  if (g_str_equal (action_name, "canvas.delete"))
    jg_graph_canvas_delete_selection (self);
  else if (g_str_equal (action_name, "canvas.select-all"))
    jg_graph_canvas_select_all (self);
  else if (g_str_equal (action_name, "canvas.copy"))
    jg_graph_canvas_copy (self);
  else if (g_str_equal (action_name, "canvas.cut"))
    jg_graph_canvas_cut (self);
  else if (g_str_equal (action_name, "canvas.paste"))
    jg_graph_canvas_paste (self);
  else if (g_str_equal (action_name, "canvas.duplicate"))
    jg_graph_canvas_duplicate (self);
  else if (g_str_equal (action_name, "canvas.show-palette"))
    jg_graph_canvas_show_palette (self);
  else if (g_str_equal (action_name, "canvas.zoom-to-fit"))
    jg_graph_canvas_zoom_to_fit (self, FALSE);
  else if (g_str_equal (action_name, "canvas.tidy-up"))
    jg_graph_canvas_tidy_up (self);
  else if (g_str_equal (action_name, "canvas.cancel"))
    {
      if (self->mode == DRAG_WIRE)
        {
          self->mode = DRAG_NONE;
          clear_highlights (self);
          set_reason (self, NULL);
          gtk_widget_queue_draw (widget);
        }
      else if (self->selection != NULL)
        jg_selection_clear (self->selection);
    }
}

/* GtkWidget */

static void
jg_graph_canvas_measure (GtkWidget     *widget,
                         GtkOrientation orientation,
                         int            for_size,
                         int           *minimum,
                         int           *natural,
                         int           *minimum_baseline,
                         int           *natural_baseline)
{
  *minimum = 0;
  *natural = 400;
}

static void
jg_graph_canvas_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);
  GHashTableIter iter;
  gpointer       item, node;

  self->in_allocate = TRUE;
  if (self->pending_fit)
    {
      self->pending_fit = FALSE;
      fit_now (self, self->pending_fit_selection);
    }
  else if (self->has_pending_center)
    center_now (self, self->pending_center_x, self->pending_center_y);
  else
    configure_adjustments (self, scroll_x (self), scroll_y (self));
  self->has_pending_center = FALSE;
  self->in_allocate = FALSE;

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, &node))
    {
      GskTransform *transform;
      double        x, y, wx, wy;

      item_position (self, item, &x, &y);
      to_widget (self, x, y, &wx, &wy);
      transform = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (wx, wy));
      transform = gsk_transform_scale (transform, self->zoom, self->zoom);
      gtk_widget_allocate (node, JG_LAYOUT_NODE_WIDTH, jg_node_item_get_height (item), -1, transform);
    }

  if (gtk_widget_get_visible (self->reason_label))
    {
      int w, h;

      gtk_widget_measure (self->reason_label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      w = MIN (w, MAX (width - 16, 1));
      gtk_widget_measure (self->reason_label, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      gtk_widget_allocate (self->reason_label, w, h, -1,
                           gsk_transform_translate (NULL,
                                                    &GRAPHENE_POINT_INIT (CLAMP (self->last_x + 16, 0, MAX (width - w, 0)),
                                                                          CLAMP (self->last_y + 20, 0, MAX (height - h, 0)))));
    }

  gtk_popover_present (GTK_POPOVER (self->palette));
  gtk_popover_present (GTK_POPOVER (self->context_menu));
  gtk_popover_present (GTK_POPOVER (self->connect_popover));
}

/* Level of detail: boxes in the node colours, selected and faulty nodes
 * outlined, for zoom levels where a node is a few dozen pixels wide.
 */
static void
snapshot_node_boxes (JgGraphCanvas *self,
                     GtkSnapshot   *snapshot)
{
  GdkRGBA        fill, outline, selected, error_color, warning_color;
  GHashTableIter iter;
  gpointer       item, node;

  lookup_color (self, "lod-node", &fill);
  lookup_color (self, "lod-node-outline", &outline);
  lookup_color (self, "edge-selected", &selected);
  lookup_color (self, "edge-error", &error_color);
  lookup_color (self, "edge-warning", &warning_color);

  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, &item, &node))
    {
      graphene_rect_t rect;
      const GdkRGBA  *border = &outline;
      double          x0, y0, x1, y1;

      if (!node_is_visible (self, item, 16))
        continue;

      item_rect (self, item, &rect);
      to_widget (self, rect.origin.x, rect.origin.y, &x0, &y0);
      to_widget (self, rect.origin.x + rect.size.width, rect.origin.y + rect.size.height, &x1, &y1);

      if (gtk_widget_has_css_class (node, "error"))
        border = &error_color;
      else if (gtk_widget_has_css_class (node, "warning"))
        border = &warning_color;
      if (jg_node_get_selected (JG_NODE (node)))
        border = &selected;

      /* Whole pixels keep the cairo renderer on its fast paths. */
      graphene_rect_init (&rect, round (x0), round (y0), MAX (2, round (x1 - x0)), MAX (2, round (y1 - y0)));
      gtk_snapshot_append_color (snapshot, border, &rect);
      graphene_rect_inset (&rect, 1, 1);
      gtk_snapshot_append_color (snapshot, &fill, &rect);
    }
}

static void
snapshot_grid (JgGraphCanvas *self,
               GtkSnapshot   *snapshot,
               int            width,
               int            height)
{
  GdkRGBA         color;
  double          step = GRID_STEP * self->zoom;
  double          ox, oy, dot;
  graphene_rect_t tile;

  /* Keep the dots apart when zoomed out: every 4th, every 16th… */
  while (step < 12)
    step *= 4;

  /* Whole pixels only: a fractional tile or offset sends the cairo renderer
   * down pixman's filtered slow path, ~50 ms for a 1600×1000 view instead
   * of well under one (tests/bench/bench-canvas).
   */
  step = round (step);
  lookup_color (self, "grid", &color);
  dot = self->zoom >= 1.0 ? 2.0 : 1.0;
  ox = -round (fmod (scroll_x (self), step));
  oy = -round (fmod (scroll_y (self), step));
  if (ox > 0)
    ox -= step;
  if (oy > 0)
    oy -= step;

  /* One repeat node: the renderer tiles a tiny texture, whatever the size. */
  graphene_rect_init (&tile, ox, oy, step, step);
  gtk_snapshot_push_repeat (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height), &tile);
  gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (ox, oy, dot, dot));
  gtk_snapshot_pop (snapshot);
}

static void
snapshot_edge_label (JgGraphCanvas  *self,
                     GtkSnapshot    *snapshot,
                     const JgBezier *curve,
                     const char     *text,
                     const GdkRGBA  *fg,
                     const GdkRGBA  *bg)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList   *attrs = pango_attr_list_new ();
  graphene_point_t mid;
  PangoRectangle   ink, logical;
  GskRoundedRect   pill;
  double           w, h;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_width (layout, 180 * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_extents (layout, &ink, &logical);

  w = logical.width + 12;
  h = logical.height + 4;

  /* A label on a short wire would cover the handles it joins. */
  if (hypot (curve->p[3].x - curve->p[0].x, curve->p[3].y - curve->p[0].y) < (w + 32) * self->zoom)
    return;

  jg_bezier_get_point (curve, 0.5, &mid);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (mid.x, mid.y));
  gtk_snapshot_scale (snapshot, self->zoom, self->zoom);
  gsk_rounded_rect_init_from_rect (&pill, &GRAPHENE_RECT_INIT (-w / 2, -h / 2, w, h), h / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &pill);
  gtk_snapshot_append_color (snapshot, bg, &pill.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-logical.width / 2.0, -logical.height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, fg);
  gtk_snapshot_restore (snapshot);
}

static void
jg_graph_canvas_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  JgGraphCanvas  *self = JG_GRAPH_CANVAS (widget);
  int             width = gtk_widget_get_width (widget);
  int             height = gtk_widget_get_height (widget);
  graphene_rect_t view = GRAPHENE_RECT_INIT (0, 0, width, height);
  GdkRGBA         edge_color, selected_color, error_color, warning_color, label_color, label_bg;
  JgTask         *selected_reader = NULL;
  guint           selected_input = 0;
  double          line_width = CLAMP (2.0 * self->zoom, 1.0, 4.0);
  GHashTableIter  iter;
  gpointer        item, node;

  snapshot_grid (self, snapshot, width, height);

  lookup_color (self, "edge", &edge_color);
  lookup_color (self, "edge-selected", &selected_color);
  lookup_color (self, "edge-error", &error_color);
  lookup_color (self, "edge-warning", &warning_color);
  lookup_color (self, "edge-label", &label_color);
  lookup_color (self, "edge-label-background", &label_bg);

  if (self->selection != NULL && !jg_selection_get_edge (self->selection, &selected_reader, &selected_input))
    selected_reader = NULL;

  for (guint i = 0; i < self->edges->len; i++)
    {
      const Edge     *edge = &g_array_index (self->edges, Edge, i);
      gboolean        selected = edge->reader == selected_reader && edge->input == selected_input;
      const GdkRGBA  *color = &edge_color;
      JgBezier        curve;
      graphene_rect_t bounds;

      /* The wire being re-dragged is drawn as the preview instead. */
      if (self->mode == DRAG_WIRE && edge->reader == self->detach_reader && (int)edge->input == self->detach_index)
        continue;

      edge_curve (self, edge, &curve);
      jg_bezier_get_bounds (&curve, 40, &bounds);
      if (!graphene_rect_intersection (&bounds, &view, NULL))
        continue;

      if (edge->severity == JG_SEVERITY_ERROR)
        color = &error_color;
      else if (edge->severity == JG_SEVERITY_WARNING)
        color = &warning_color;
      if (selected)
        color = &selected_color;

      jg_edge_painter_append (snapshot, &curve, color, selected ? line_width * 1.5 : line_width,
                              edge->severity >= 0);
      if (self->zoom >= 0.5 && edge->label != NULL && *edge->label != '\0')
        snapshot_edge_label (self, snapshot, &curve, edge->label, selected ? &selected_color : &label_color,
                             &label_bg);
    }

  /* Node widgets, culled to the view. Zoomed far out their text is
   * unreadable and costs most of the raster time (node-editor.md §5.2), so
   * below LOD_ZOOM they become plain boxes drawn from the model.
   */
  if (self->zoom < LOD_ZOOM)
    snapshot_node_boxes (self, snapshot);
  else
    {
      g_hash_table_iter_init (&iter, self->nodes);
      while (g_hash_table_iter_next (&iter, &item, &node))
        if (node_is_visible (self, item, 16))
          gtk_widget_snapshot_child (widget, node, snapshot);
    }

  if (self->mode == DRAG_WIRE)
    {
      JgBezier       curve;
      double         ax, ay, bx, by;
      const GdkRGBA *color = &selected_color;

      if (self->wire_from.node != NULL)
        {
          port_point (self, self->wire_from.node, TRUE, self->wire_from.port, &ax, &ay);
          to_widget (self, ax, ay, &ax, &ay);
          to_widget (self, self->wire_x, self->wire_y, &bx, &by);
        }
      else
        {
          port_point (self, G_OBJECT (self->wire_reader), FALSE, self->wire_reader_index, &bx, &by);
          to_widget (self, bx, by, &bx, &by);
          to_widget (self, self->wire_x, self->wire_y, &ax, &ay);
        }
      if (self->target.kind != HIT_NONE && !self->target_valid)
        color = &error_color;

      jg_bezier_init (&curve, ax, ay, bx, by, self->zoom);
      jg_edge_painter_append (snapshot, &curve, color, line_width, self->target.kind != HIT_NONE && !self->target_valid);
    }

  if (self->mode == DRAG_RUBBER)
    {
      double          x, y;
      graphene_rect_t rect;
      GskRoundedRect  outline;
      GdkRGBA         fill = selected_color;
      float           widths[4] = { 1, 1, 1, 1 };
      GdkRGBA         colors[4] = { selected_color, selected_color, selected_color, selected_color };

      to_widget (self, self->rubber.origin.x, self->rubber.origin.y, &x, &y);
      graphene_rect_init (&rect, x, y, self->rubber.size.width * self->zoom, self->rubber.size.height * self->zoom);
      fill.alpha *= 0.15;
      gtk_snapshot_append_color (snapshot, &fill, &rect);
      gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }

  if (gtk_widget_get_visible (self->reason_label))
    gtk_widget_snapshot_child (widget, self->reason_label, snapshot);
}

static void
jg_graph_canvas_map (GtkWidget *widget)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);

  GTK_WIDGET_CLASS (jg_graph_canvas_parent_class)->map (widget);

  if (self->sync_pending)
    queue_sync (self);
}

static void
jg_graph_canvas_unmap (GtkWidget *widget)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (widget);

  if (self->sync_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->sync_tick_id);
      self->sync_tick_id = 0;
    }
  if (self->autopan_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->autopan_tick_id);
      self->autopan_tick_id = 0;
    }

  GTK_WIDGET_CLASS (jg_graph_canvas_parent_class)->unmap (widget);
}

static void
jg_graph_canvas_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (jg_graph_canvas_parent_class)->css_changed (widget, change);

  /* Wire colours come from the style, looked up while drawing. */
  gtk_widget_queue_draw (widget);
}

/* GtkScrollable */

static void
set_adjustment (JgGraphCanvas  *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);

  if (*slot == adjustment)
    return;

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);

  g_set_object (slot, g_object_ref_sink (adjustment));
  g_object_unref (adjustment);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* GObject */

static void
jg_graph_canvas_dispose (GObject *object)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->drop_wire_source, g_source_remove);
  jg_graph_canvas_set_history (self, NULL);
  jg_graph_canvas_set_selection (self, NULL);

  if (self->highlighted != NULL)
    clear_highlights (self);
  g_clear_pointer (&self->moving, g_ptr_array_unref);
  g_clear_pointer (&self->rubber_initial, g_ptr_array_unref);

  if (self->nodes != NULL)
    {
      GHashTableIter iter;
      gpointer       node;

      g_hash_table_iter_init (&iter, self->nodes);
      while (g_hash_table_iter_next (&iter, NULL, &node))
        gtk_widget_unparent (node);
      g_hash_table_remove_all (self->nodes);
    }

  g_clear_pointer (&self->reason_label, gtk_widget_unparent);
  g_clear_pointer (&self->palette, gtk_widget_unparent);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  g_clear_pointer (&self->connect_popover, gtk_widget_unparent);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);

  G_OBJECT_CLASS (jg_graph_canvas_parent_class)->dispose (object);
}

static void
jg_graph_canvas_finalize (GObject *object)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (object);

  g_hash_table_unref (self->nodes);
  g_hash_table_unref (self->writers);
  g_hash_table_unref (self->writer_ports);
  g_array_unref (self->edges);
  g_array_unref (self->moving_origin);
  g_ptr_array_unref (self->highlighted);
  g_clear_object (&self->cancellable);
  g_free (self->reason);

  G_OBJECT_CLASS (jg_graph_canvas_parent_class)->finalize (object);
}

static void
jg_graph_canvas_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_SELECTION:
      g_value_set_object (value, self->selection);
      break;

    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;

    case PROP_SNAP_TO_GRID:
      g_value_set_boolean (value, self->snap_to_grid);
      break;

    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;

    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;

    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;

    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_graph_canvas_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  JgGraphCanvas *self = JG_GRAPH_CANVAS (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      jg_graph_canvas_set_history (self, g_value_get_object (value));
      break;

    case PROP_SELECTION:
      jg_graph_canvas_set_selection (self, g_value_get_object (value));
      break;

    case PROP_ZOOM:
      jg_graph_canvas_set_zoom (self, g_value_get_double (value));
      break;

    case PROP_SNAP_TO_GRID:
      jg_graph_canvas_set_snap_to_grid (self, g_value_get_boolean (value));
      break;

    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;

    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;

    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      break;

    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_arrow_bindings (GtkWidgetClass *widget_class,
                    const char     *action,
                    GdkModifierType mods,
                    int             step)
{
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, mods, action, "(ii)", -step, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, mods, action, "(ii)", step, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, mods, action, "(ii)", 0, -step);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, mods, action, "(ii)", 0, step);
}

static void
jg_graph_canvas_class_init (JgGraphCanvasClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char     *simple[] = {
        "canvas.delete",
        "canvas.select-all",
        "canvas.copy",
        "canvas.cut",
        "canvas.paste",
        "canvas.duplicate",
        "canvas.show-palette",
        "canvas.zoom-to-fit",
        "canvas.tidy-up",
        "canvas.cancel",
  };

  object_class->dispose = jg_graph_canvas_dispose;
  object_class->finalize = jg_graph_canvas_finalize;
  object_class->get_property = jg_graph_canvas_get_property;
  object_class->set_property = jg_graph_canvas_set_property;

  widget_class->measure = jg_graph_canvas_measure;
  widget_class->size_allocate = jg_graph_canvas_size_allocate;
  widget_class->snapshot = jg_graph_canvas_snapshot;
  widget_class->map = jg_graph_canvas_map;
  widget_class->unmap = jg_graph_canvas_unmap;
  widget_class->css_changed = jg_graph_canvas_css_changed;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         JG_TYPE_HISTORY,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SELECTION] =
    g_param_spec_object ("selection", NULL, NULL,
                         JG_TYPE_SELECTION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         JG_GRAPH_CANVAS_MIN_ZOOM, JG_GRAPH_CANVAS_MAX_ZOOM, 1.0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SNAP_TO_GRID] =
    g_param_spec_boolean ("snap-to-grid", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * JgGraphCanvas::viewport-changed:
   *
   * The zoom, the scroll position or the size changed.
   */
  signals[VIEWPORT_CHANGED] =
    g_signal_new ("viewport-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * JgGraphCanvas::node-activated:
   * @item: the #JgTask or #JgJobInput
   *
   * Enter or a double-click on a node.
   */
  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);

  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    gtk_widget_class_install_action (widget_class, simple[i], NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "canvas.add-output", NULL, add_output_action);
  gtk_widget_class_install_action (widget_class, "canvas.remove-port", NULL, remove_port_action);
  gtk_widget_class_install_action (widget_class, "canvas.move-focus", "(ii)", move_focus_action);
  gtk_widget_class_install_action (widget_class, "canvas.nudge", "(ii)", nudge_action);
  gtk_widget_class_install_action (widget_class, "canvas.activate", NULL, activate_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "canvas.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "canvas.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "canvas.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_x, GDK_CONTROL_MASK, "canvas.cut", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "canvas.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "canvas.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "canvas.show-palette", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "canvas.zoom-to-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "canvas.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "canvas.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "canvas.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "canvas.activate", NULL);

  add_arrow_bindings (widget_class, "canvas.move-focus", 0, 1);
  add_arrow_bindings (widget_class, "canvas.nudge", GDK_ALT_MASK, (int)GRID_STEP);
  add_arrow_bindings (widget_class, "canvas.nudge", GDK_SHIFT_MASK, 4 * (int)GRID_STEP);

  gtk_widget_class_set_css_name (widget_class, "graphcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GMenuModel *
build_context_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) ports = g_menu_new ();
  g_autoptr(GMenu) nodes = g_menu_new ();

  g_menu_append (ports, _("Add _Output"), "canvas.add-output");
  g_menu_append (ports, _("_Remove Port"), "canvas.remove-port");
  g_menu_append (nodes, _("_Duplicate"), "canvas.duplicate");
  g_menu_append (nodes, _("_Copy"), "canvas.copy");
  g_menu_append (nodes, _("_Delete"), "canvas.delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (ports));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (nodes));

  return G_MENU_MODEL (menu);
}

static void
jg_graph_canvas_init (JgGraphCanvas *self)
{
  GtkWidget          *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture         *gesture;
  g_autoptr(GMenuModel) menu = NULL;

  self->zoom = 1.0;
  self->snap_to_grid = TRUE;
  self->detach_index = -1;
  self->nodes = g_hash_table_new (NULL, NULL);
  self->writers = g_hash_table_new (NULL, NULL);
  self->writer_ports = g_hash_table_new (NULL, NULL);
  self->edges = g_array_new (FALSE, TRUE, sizeof (Edge));
  g_array_set_clear_func (self->edges, edge_clear);
  self->moving_origin = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  self->highlighted = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();

  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Job graph"), -1);

  self->reason_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->reason_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->reason_label), 40);
  gtk_widget_add_css_class (self->reason_label, "wire-reason");
  gtk_widget_set_can_target (self->reason_label, FALSE);
  gtk_widget_set_visible (self->reason_label, FALSE);
  gtk_widget_set_parent (self->reason_label, widget);

  self->palette = jg_task_palette_new ();
  gtk_widget_set_parent (self->palette, widget);
  g_signal_connect_object (self->palette, "task-chosen", G_CALLBACK (palette_task_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->palette, "closed", G_CALLBACK (palette_closed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  menu = build_context_menu ();
  self->context_menu = gtk_popover_menu_new_from_model (menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, widget);

  self->connect_popover = gtk_popover_new ();
  gtk_widget_add_css_class (self->connect_popover, "menu");
  gtk_widget_set_parent (self->connect_popover, widget);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  g_signal_connect (gesture, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (pan_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (pan_update_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect (controller, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (widget, controller);
}

/* Private API, for tests */

void
_jg_graph_canvas_sync_now (JgGraphCanvas *self)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  sync_now (self);
}

void
_jg_graph_canvas_canvas_to_widget (JgGraphCanvas *self,
                                   double         cx,
                                   double         cy,
                                   double        *wx,
                                   double        *wy)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  to_widget (self, cx, cy, wx, wy);
}

void
_jg_graph_canvas_get_port_point (JgGraphCanvas *self,
                                 GObject       *item,
                                 gboolean       output,
                                 guint          index,
                                 double        *wx,
                                 double        *wy)
{
  double cx, cy;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  port_point (self, item, output, index, &cx, &cy);
  to_widget (self, cx, cy, wx, wy);
}

/**
 * _jg_graph_canvas_nudge:
 *
 * Moves the selected nodes by (@dx, @dy) canvas units, as one undo step.
 */
void
_jg_graph_canvas_nudge (JgGraphCanvas *self,
                        double         dx,
                        double         dy)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) positions = NULL;
  g_autoptr(JgEdit) edit = NULL;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->history == NULL)
    return;

  items = dup_selected_nodes (self);
  positions = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  for (guint i = 0; i < items->len; i++)
    {
      graphene_point_t p;
      double           x, y;

      jg_node_item_get_position (g_ptr_array_index (items, i), &x, &y);
      graphene_point_init (&p, x + dx, y + dy);
      g_array_append_val (positions, p);
    }

  edit = build_move_edit (items, positions);
  apply (self, edit);
}

/* Focus moves to the nearest node in the arrow's direction, preferring
 * nodes in line with the current one; the selection follows.
 */
void
_jg_graph_canvas_move_focus (JgGraphCanvas *self,
                             int            dx,
                             int            dy)
{
  GObject        *current;
  GObject        *best = NULL;
  double          best_score = G_MAXDOUBLE;
  graphene_rect_t rect;
  double          x0, y0;
  GHashTableIter  iter;
  gpointer        item;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  ensure_synced (self);
  current = focused_item (self, NULL);

  if (current == NULL)
    {
      /* Start at the top-left node. */
      g_hash_table_iter_init (&iter, self->nodes);
      while (g_hash_table_iter_next (&iter, &item, NULL))
        {
          double score;

          item_rect (self, item, &rect);
          score = rect.origin.x + 2 * rect.origin.y;
          if (score < best_score)
            {
              best_score = score;
              best = item;
            }
        }
    }
  else
    {
      item_rect (self, current, &rect);
      x0 = rect.origin.x + rect.size.width / 2;
      y0 = rect.origin.y + rect.size.height / 2;

      g_hash_table_iter_init (&iter, self->nodes);
      while (g_hash_table_iter_next (&iter, &item, NULL))
        {
          double along, across, score;

          if (item == current)
            continue;

          item_rect (self, item, &rect);
          along = (rect.origin.x + rect.size.width / 2 - x0) * dx + (rect.origin.y + rect.size.height / 2 - y0) * dy;
          across = fabs ((rect.origin.x + rect.size.width / 2 - x0) * dy) + fabs ((rect.origin.y + rect.size.height / 2 - y0) * dx);
          if (along <= 0)
            continue;

          score = along + 2 * across;
          if (score < best_score)
            {
              best_score = score;
              best = item;
            }
        }
    }

  if (best == NULL)
    return;

  if (self->selection != NULL)
    jg_selection_select (self->selection, best, FALSE);
  jg_graph_canvas_reveal (self, best);
}

GtkWidget *
_jg_graph_canvas_get_palette (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), NULL);

  return self->palette;
}

GtkWidget *
_jg_graph_canvas_get_connect_popover (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), NULL);

  return self->connect_popover;
}

guint
_jg_graph_canvas_get_n_edges (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), 0);

  ensure_synced (self);
  return self->edges->len;
}

/**
 * _jg_graph_canvas_add_task_at:
 *
 * What choosing a task in the palette does: adds the task where the
 * palette was opened, with one output writing a new asset and one input —
 * wired to the dropped wire if there is one. One undo step.
 */
void
_jg_graph_canvas_add_task_at (JgGraphCanvas *self,
                              const char    *processor_id,
                              const char    *preset)
{
  const JgProcessorInfo *info;
  g_autoptr(JgTask) task = NULL;
  g_autoptr(JgOutputAsset) asset = NULL;
  g_autoptr(JgEdit) group = NULL;
  const char *name;
  double      x, y;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));
  g_return_if_fail (processor_id != NULL);

  if (self->history == NULL)
    return;

  info = jg_catalog_lookup (processor_id);
  name = preset != NULL ? preset : info != NULL ? info->name
                                                : _("New task");

  /* The new node's first input sits where the wire was dropped. */
  x = snap (self, self->pending_x);
  y = snap (self, self->pending_y - JG_LAYOUT_HEADER_HEIGHT - JG_LAYOUT_PORT_HEIGHT / 2);

  task = jg_task_new (name, processor_id, preset);
  jg_task_set_position (task, x, y);
  asset = jg_output_asset_new ();

  group = jg_edit_new_group (_("Add Task"));
  jg_edit_group_add (group, jg_edit_new_insert_task (task, -1));
  if (self->has_wire && self->pending_from.node != NULL)
    add_connect_edits (self, group, &self->pending_from, task, -1);
  else
    jg_edit_group_add (group, jg_edit_new_insert_port (task, FALSE, -1, JG_REF_NONE, NULL, NULL));
  jg_edit_group_add (group, jg_edit_new_insert_port (task, TRUE, -1, JG_REF_OUTPUT_ASSET, asset, NULL));

  clear_pending_wire (self);
  apply (self, group);

  if (self->selection != NULL)
    jg_selection_select (self->selection, task, FALSE);

  /* Keyboard focus follows the new task (Enter then edits it, Ctrl+K
   * chains after it), and the view scrolls only if it would be cut off.
   */
  ensure_synced (self);
  if (node_for (self, task) != NULL)
    {
      graphene_rect_t rect, view;
      double          wx, wy;

      item_rect (self, G_OBJECT (task), &rect);
      to_widget (self, rect.origin.x, rect.origin.y, &wx, &wy);
      graphene_rect_init (&rect, wx, wy, rect.size.width * self->zoom, rect.size.height * self->zoom);
      graphene_rect_init (&view, 0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                          gtk_widget_get_height (GTK_WIDGET (self)));

      if (graphene_rect_contains_rect (&view, &rect))
        gtk_widget_grab_focus (node_for (self, task));
      else
        jg_graph_canvas_reveal (self, G_OBJECT (task));
    }
}

/* Public API */

/**
 * jg_graph_canvas_new:
 *
 * Returns: (transfer floating): a new canvas; give it a history and a
 *   selection.
 */
GtkWidget *
jg_graph_canvas_new (void)
{
  return g_object_new (JG_TYPE_GRAPH_CANVAS, NULL);
}

JgHistory *
jg_graph_canvas_get_history (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), NULL);

  return self->history;
}

/**
 * jg_graph_canvas_set_history:
 * @history: (nullable): the history whose graph to show and edit
 *
 * Shows the graph at the viewport saved in it.
 */
void
jg_graph_canvas_set_history (JgGraphCanvas *self,
                             JgHistory     *history)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));
  g_return_if_fail (history == NULL || JG_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->graph != NULL)
    g_clear_signal_handler (&self->graph_changed_id, self->graph);
  g_clear_object (&self->graph);
  g_set_object (&self->history, history);
  self->mode = DRAG_NONE;
  g_clear_pointer (&self->moving, g_ptr_array_unref);

  if (history != NULL)
    {
      double x, y, zoom;

      self->graph = g_object_ref (jg_history_get_graph (history));
      self->graph_changed_id = g_signal_connect_object (self->graph, "changed", G_CALLBACK (graph_changed_cb),
                                                        self, G_CONNECT_SWAPPED);

      jg_graph_get_viewport (self->graph, &x, &y, &zoom);
      self->zoom = CLAMP (zoom, JG_GRAPH_CANVAS_MIN_ZOOM, JG_GRAPH_CANVAS_MAX_ZOOM);
      self->in_allocate = TRUE;
      gtk_adjustment_set_value (self->hadjustment, x * self->zoom);
      gtk_adjustment_set_value (self->vadjustment, y * self->zoom);
      self->in_allocate = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }

  /* Nodes of the previous graph go now; the new ones come with the sync. */
  sync_now (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

JgSelection *
jg_graph_canvas_get_selection (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), NULL);

  return self->selection;
}

void
jg_graph_canvas_set_selection (JgGraphCanvas *self,
                               JgSelection   *selection)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));
  g_return_if_fail (selection == NULL || JG_IS_SELECTION (selection));

  if (self->selection == selection)
    return;

  if (self->selection != NULL)
    g_clear_signal_handler (&self->selection_changed_id, self->selection);
  g_set_object (&self->selection, selection);
  if (selection != NULL)
    self->selection_changed_id = g_signal_connect_object (selection, "changed",
                                                          G_CALLBACK (selection_changed_cb), self,
                                                          G_CONNECT_SWAPPED);

  if (self->nodes != NULL)
    update_selection_states (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

double
jg_graph_canvas_get_zoom (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), 1.0);

  return self->zoom;
}

/**
 * jg_graph_canvas_set_zoom:
 *
 * Zooms around the centre of the view, clamped to
 * %JG_GRAPH_CANVAS_MIN_ZOOM … %JG_GRAPH_CANVAS_MAX_ZOOM.
 */
void
jg_graph_canvas_set_zoom (JgGraphCanvas *self,
                          double         zoom)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  set_zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
               gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
jg_graph_canvas_zoom_in (JgGraphCanvas *self)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  jg_graph_canvas_set_zoom (self, self->zoom * ZOOM_STEP);
}

void
jg_graph_canvas_zoom_out (JgGraphCanvas *self)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  jg_graph_canvas_set_zoom (self, self->zoom / ZOOM_STEP);
}

/**
 * jg_graph_canvas_zoom_to_fit:
 * @selection_only: fit the selected nodes (all nodes if none is selected)
 *
 * Zooms (never beyond 100 %) and scrolls so the graph fills the view.
 */
void
jg_graph_canvas_zoom_to_fit (JgGraphCanvas *self,
                             gboolean       selection_only)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  ensure_synced (self);

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    {
      self->pending_fit = TRUE;
      self->pending_fit_selection = !!selection_only;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      return;
    }

  fit_now (self, selection_only);
}

gboolean
jg_graph_canvas_get_snap_to_grid (JgGraphCanvas *self)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), FALSE);

  return self->snap_to_grid;
}

void
jg_graph_canvas_set_snap_to_grid (JgGraphCanvas *self,
                                  gboolean       snap_to_grid)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  snap_to_grid = !!snap_to_grid;
  if (self->snap_to_grid == snap_to_grid)
    return;

  self->snap_to_grid = snap_to_grid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAP_TO_GRID]);
}

/**
 * jg_graph_canvas_reveal:
 * @item: a #JgTask or #JgJobInput (for a #JgOutputAsset, its writer)
 *
 * Scrolls @item into the middle of the view if it is not fully visible,
 * and gives its node the keyboard focus.
 */
void
jg_graph_canvas_reveal (JgGraphCanvas *self,
                        GObject       *item)
{
  graphene_rect_t rect, area;
  GtkWidget      *node;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));
  g_return_if_fail (G_IS_OBJECT (item));

  ensure_synced (self);

  if (JG_IS_OUTPUT_ASSET (item))
    item = g_hash_table_lookup (self->writers, item);
  if (item == NULL || (node = node_for (self, item)) == NULL)
    return;

  item_rect (self, item, &rect);
  jg_graph_canvas_get_visible_area (self, &area);
  if (!graphene_rect_contains_rect (&area, &rect))
    jg_graph_canvas_center_on (self, rect.origin.x + rect.size.width / 2, rect.origin.y + rect.size.height / 2);

  gtk_widget_grab_focus (node);
}

/**
 * jg_graph_canvas_get_visible_area:
 * @area: (out): the part of the canvas in view, in canvas units
 */
void
jg_graph_canvas_get_visible_area (JgGraphCanvas   *self,
                                  graphene_rect_t *area)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  graphene_rect_init (area, scroll_x (self) / self->zoom, scroll_y (self) / self->zoom,
                      gtk_widget_get_width (GTK_WIDGET (self)) / self->zoom,
                      gtk_widget_get_height (GTK_WIDGET (self)) / self->zoom);
}

/**
 * jg_graph_canvas_get_graph_bounds:
 * @bounds: (out): the box around every node, in canvas units
 */
void
jg_graph_canvas_get_graph_bounds (JgGraphCanvas   *self,
                                  graphene_rect_t *bounds)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  ensure_synced (self);
  get_bounds (self, FALSE, bounds);
}

/**
 * jg_graph_canvas_center_on:
 *
 * Scrolls so that canvas point (@x, @y) is in the middle of the view.
 */
void
jg_graph_canvas_center_on (JgGraphCanvas *self,
                           double         x,
                           double         y)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    {
      self->has_pending_center = TRUE;
      self->pending_center_x = x;
      self->pending_center_y = y;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      return;
    }

  center_now (self, x, y);
}

/**
 * jg_graph_canvas_show_palette:
 *
 * Opens the task palette in the middle of the view; the chosen task is
 * added there.
 */
void
jg_graph_canvas_show_palette (JgGraphCanvas *self)
{
  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  GObject *selected = NULL;

  clear_pending_wire (self);

  if (self->selection != NULL && jg_selection_get_n_items (self->selection) == 1)
    selected = jg_selection_get_primary (self->selection);
  else if (self->selection == NULL || jg_selection_get_n_items (self->selection) == 0)
    selected = focused_item (self, NULL);

  /* With one node selected (or, with none, focused), the new task follows
   * it: wired to its first output and placed one column to its right, as
   * if a wire had been dragged from there. Keyboard users build a chain
   * with Ctrl+K alone.
   */
  if (selected != NULL && jg_node_item_get_n_ports (selected, TRUE) > 0)
    {
      double x, y, nx, ny;

      jg_node_item_get_position (selected, &nx, &ny);
      jg_node_item_get_port_anchor (selected, TRUE, 0, &x, &y);
      self->pending_from.node = selected;
      self->pending_from.port = 0;
      self->has_wire = TRUE;
      to_widget (self, x, y, &x, &y);
      popup_palette_at (self, x, y);
      self->pending_x = nx + JG_LAYOUT_NODE_WIDTH + JG_LAYOUT_COLUMN_GAP;
      self->pending_y = ny + JG_LAYOUT_HEADER_HEIGHT + JG_LAYOUT_PORT_HEIGHT / 2;
      return;
    }

  popup_palette_at (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                    gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/**
 * jg_graph_canvas_add_input:
 *
 * Adds a job input below the others (one undo step) and selects it.
 */
void
jg_graph_canvas_add_input (JgGraphCanvas *self)
{
  g_autoptr(JgJobInput) input = NULL;
  g_autoptr(JgEdit) edit = NULL;
  g_autofree char *label = NULL;
  double           x = JG_LAYOUT_MARGIN, y = JG_LAYOUT_MARGIN;
  guint            n;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->history == NULL)
    return;

  n = jg_graph_get_n_inputs (self->graph);
  for (guint i = 0; i < n; i++)
    {
      JgJobInput *other = jg_graph_get_input (self->graph, i);

      if (i == 0)
        x = jg_job_input_get_x (other);
      y = MAX (y, jg_job_input_get_y (other) + JG_LAYOUT_HEADER_HEIGHT + JG_LAYOUT_ROW_GAP);
    }

  /* Translators: the default label of a new job input, "Input 2" */
  label = g_strdup_printf (_("Input %u"), n + 1);
  input = jg_job_input_new (label);
  jg_job_input_set_position (input, snap (self, x), snap (self, y));

  edit = jg_edit_new_insert_input (input, -1);
  jg_edit_set_label (edit, _("Add Input"));
  apply (self, edit);

  if (self->selection != NULL)
    jg_selection_select (self->selection, input, FALSE);
  jg_graph_canvas_reveal (self, G_OBJECT (input));
}

void
jg_graph_canvas_select_all (JgGraphCanvas *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->graph == NULL || self->selection == NULL)
    return;

  for (guint i = 0; i < jg_graph_get_n_inputs (self->graph); i++)
    g_ptr_array_add (items, jg_graph_get_input (self->graph, i));
  for (guint i = 0; i < jg_graph_get_n_tasks (self->graph); i++)
    g_ptr_array_add (items, jg_graph_get_task (self->graph, i));

  jg_selection_set_items (self->selection, items);
}

/**
 * jg_graph_canvas_delete_selection:
 *
 * Deletes the selected nodes (detaching the wires that read them) or the
 * selected wire, as one undo step.
 */
void
jg_graph_canvas_delete_selection (JgGraphCanvas *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JgEdit) edit = NULL;
  JgTask *reader;
  guint   input;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->history == NULL || self->selection == NULL)
    return;

  if (jg_selection_get_edge (self->selection, &reader, &input))
    {
      /* The last input goes with its wire; others stay, unconnected, so
       * that the inputs after them keep their numbers.
       */
      if (input + 1 == jg_task_get_n_inputs (reader))
        edit = jg_edit_new_remove_port (reader, FALSE, input);
      else
        edit = jg_edit_new_set_port (reader, FALSE, input, JG_REF_NONE, NULL, NULL);
      jg_edit_set_label (edit, _("Delete Wire"));
      jg_selection_clear (self->selection);
      apply (self, edit);
      return;
    }

  items = dup_selected_nodes (self);
  if (items->len == 0)
    return;

  edit = build_delete_edit (self, items, _("Delete"));
  jg_selection_clear (self->selection);
  apply (self, edit);
}

static GBytes *
copy_selection (JgGraphCanvas *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  if (self->graph == NULL)
    return NULL;

  items = dup_selected_nodes (self);
  if (items->len == 0)
    return NULL;

  bytes = jg_fragment_copy (self->graph, items, &error);
  if (bytes == NULL)
    g_warning ("Could not copy: %s", error->message);

  return bytes;
}

void
jg_graph_canvas_copy (JgGraphCanvas *self)
{
  g_autoptr(GBytes) bytes = NULL;
  GdkContentProvider *providers[2];
  g_autoptr(GdkContentProvider) provider = NULL;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  bytes = copy_selection (self);
  if (bytes == NULL)
    return;

  providers[0] = gdk_content_provider_new_for_bytes (JG_FRAGMENT_MIME_TYPE, bytes);
  providers[1] = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes);
  provider = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
  gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (self)), provider);
  self->paste_shift = 0;
}

void
jg_graph_canvas_cut (JgGraphCanvas *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JgEdit) edit = NULL;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->history == NULL || self->selection == NULL)
    return;

  jg_graph_canvas_copy (self);
  items = dup_selected_nodes (self);
  if (items->len == 0)
    return;

  edit = build_delete_edit (self, items, _("Cut"));
  jg_selection_clear (self->selection);
  apply (self, edit);
}

static void
paste_bytes (JgGraphCanvas *self,
             GBytes        *bytes,
             double         shift,
             const char    *label)
{
  g_autoptr(GPtrArray) pasted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgEdit) edit = NULL;

  if (self->history == NULL)
    return;

  edit = jg_fragment_build_paste (self->graph, bytes, shift, shift, pasted, &error);
  if (edit == NULL)
    {
      g_debug ("Nothing to paste: %s", error ? error->message : "empty");
      return;
    }

  jg_edit_set_label (edit, label);
  apply (self, edit);

  if (self->selection != NULL)
    jg_selection_set_items (self->selection, pasted);
}

static void
paste_splice_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JgGraphCanvas) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error) < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the clipboard: %s", error->message);
      return;
    }

  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (object));
  self->paste_shift += PASTE_OFFSET;
  paste_bytes (self, bytes, self->paste_shift, _("Paste"));
}

static void
paste_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JgGraphCanvas) self = user_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GError) error = NULL;

  stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), result, NULL, &error);
  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Nothing to paste: %s", error->message);
      return;
    }

  memory = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (memory, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, self->cancellable, paste_splice_cb, g_object_ref (self));
}

/**
 * jg_graph_canvas_paste:
 *
 * Pastes a fragment from the clipboard (read asynchronously), shifted from
 * where it was copied, and selects what was pasted. One undo step.
 */
void
jg_graph_canvas_paste (JgGraphCanvas *self)
{
  static const char *mime_types[] = { JG_FRAGMENT_MIME_TYPE, "text/plain;charset=utf-8", NULL };

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->history == NULL)
    return;

  gdk_clipboard_read_async (gtk_widget_get_clipboard (GTK_WIDGET (self)), mime_types, G_PRIORITY_DEFAULT,
                            self->cancellable, paste_read_cb, g_object_ref (self));
}

void
jg_graph_canvas_duplicate (JgGraphCanvas *self)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  bytes = copy_selection (self);
  if (bytes != NULL)
    paste_bytes (self, bytes, PASTE_OFFSET, _("Duplicate"));
}

/**
 * jg_graph_canvas_tidy_up:
 *
 * Lays the graph out left to right (jg_layout_build_edit()), as one undo
 * step.
 */
void
jg_graph_canvas_tidy_up (JgGraphCanvas *self)
{
  g_autoptr(JgEdit) edit = NULL;

  g_return_if_fail (JG_IS_GRAPH_CANVAS (self));

  if (self->history == NULL)
    return;

  edit = jg_layout_build_edit (self->graph);
  if (edit != NULL)
    {
      jg_edit_set_label (edit, _("Tidy Up"));
      apply (self, edit);
    }
}

/**
 * jg_graph_canvas_get_node_widget:
 * @item: a #JgTask or #JgJobInput
 *
 * Returns: (transfer none) (nullable): the #JgNode showing @item
 */
GtkWidget *
jg_graph_canvas_get_node_widget (JgGraphCanvas *self,
                                 GObject       *item)
{
  g_return_val_if_fail (JG_IS_GRAPH_CANVAS (self), NULL);

  ensure_synced (self);
  return node_for (self, item);
}
