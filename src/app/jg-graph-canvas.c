/* jg-graph-canvas.c — placeholder until the real canvas lands. */

#include "config.h"

#include "jg-graph-canvas.h"

struct _JgGraphCanvas
{
  GtkWidget parent_instance;
  JgHistory *history;
  JgSelection *selection;
};

G_DEFINE_FINAL_TYPE (JgGraphCanvas, jg_graph_canvas, GTK_TYPE_WIDGET)

static void jg_graph_canvas_class_init (JgGraphCanvasClass *klass) { }
static void jg_graph_canvas_init (JgGraphCanvas *self) { }
GtkWidget *jg_graph_canvas_new (void) { return g_object_new (JG_TYPE_GRAPH_CANVAS, NULL); }
JgHistory *jg_graph_canvas_get_history (JgGraphCanvas *self) { return self->history; }
void jg_graph_canvas_set_history (JgGraphCanvas *self, JgHistory *history) { self->history = history; }
JgSelection *jg_graph_canvas_get_selection (JgGraphCanvas *self) { return self->selection; }
void jg_graph_canvas_set_selection (JgGraphCanvas *self, JgSelection *selection) { self->selection = selection; }
double jg_graph_canvas_get_zoom (JgGraphCanvas *self) { return 1.0; }
void jg_graph_canvas_set_zoom (JgGraphCanvas *self, double zoom) { }
void jg_graph_canvas_zoom_in (JgGraphCanvas *self) { }
void jg_graph_canvas_zoom_out (JgGraphCanvas *self) { }
void jg_graph_canvas_zoom_to_fit (JgGraphCanvas *self, gboolean selection_only) { }
gboolean jg_graph_canvas_get_snap_to_grid (JgGraphCanvas *self) { return TRUE; }
void jg_graph_canvas_set_snap_to_grid (JgGraphCanvas *self, gboolean snap) { }
void jg_graph_canvas_reveal (JgGraphCanvas *self, GObject *item) { }
void jg_graph_canvas_get_visible_area (JgGraphCanvas *self, graphene_rect_t *area) { graphene_rect_init (area, 0, 0, 0, 0); }
void jg_graph_canvas_get_graph_bounds (JgGraphCanvas *self, graphene_rect_t *bounds) { graphene_rect_init (bounds, 0, 0, 0, 0); }
void jg_graph_canvas_center_on (JgGraphCanvas *self, double x, double y) { }
void jg_graph_canvas_show_palette (JgGraphCanvas *self) { }
void jg_graph_canvas_add_input (JgGraphCanvas *self) { }
void jg_graph_canvas_select_all (JgGraphCanvas *self) { }
void jg_graph_canvas_delete_selection (JgGraphCanvas *self) { }
void jg_graph_canvas_copy (JgGraphCanvas *self) { }
void jg_graph_canvas_cut (JgGraphCanvas *self) { }
void jg_graph_canvas_paste (JgGraphCanvas *self) { }
void jg_graph_canvas_duplicate (JgGraphCanvas *self) { }
void jg_graph_canvas_tidy_up (JgGraphCanvas *self) { }
GtkWidget *jg_graph_canvas_get_node_widget (JgGraphCanvas *self, GObject *item) { return NULL; }
