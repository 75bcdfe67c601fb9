/* test-minimap.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the minimap beside a real canvas in a window: where it draws the
 * graph, that a click or a drag moves the canvas there, that it redraws
 * when the graph changes, and what assistive technologies are told.
 *
 * With JG_MINIMAP_TEST_SHOW=seconds in the environment the first test keeps
 * its window open that long (for screenshots).
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>

#include "jg-core.h"
#include "jg-graph-canvas.h"
#include "jg-minimap-private.h"

#define TIMEOUT 5

typedef struct
{
  GtkWindow     *window;
  JgGraphCanvas *canvas;
  JgMinimap     *minimap;
  JgHistory     *history;
  JgGraph       *graph;
} Fixture;

typedef gboolean (*Condition) (Fixture *fixture);

static gboolean
wait_for (Fixture  *fixture,
          Condition condition)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  while (!condition (fixture))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }

  return TRUE;
}

static gboolean
is_drawn (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->minimap)) &&
         _jg_minimap_get_n_draws (fixture->minimap) > 0;
}

/* Whether the canvas is the real one, which scrolls and reports it. */
static gboolean
canvas_scrolls (void)
{
  return g_signal_lookup ("viewport-changed", JG_TYPE_GRAPH_CANVAS) != 0;
}

static JgGraph *
load_example (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "examples", "chained-encode.jobgraph", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize    length;
  JgGraph *graph;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_no_error (error);
  graph = jg_document_parse (data, length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jg_graph_get_n_tasks (graph), >, 1);

  return graph;
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *minimap;

  fixture->graph = load_example ();
  fixture->history = jg_history_new (fixture->graph);

  fixture->canvas = JG_GRAPH_CANVAS (g_object_ref_sink (jg_graph_canvas_new ()));
  jg_graph_canvas_set_history (fixture->canvas, fixture->history);
  gtk_widget_set_hexpand (GTK_WIDGET (fixture->canvas), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->canvas), TRUE);

  /* Placed as the window places it: in a corner over the canvas. */
  minimap = jg_minimap_new (fixture->canvas);
  fixture->minimap = JG_MINIMAP (g_object_ref (minimap));
  gtk_widget_set_halign (minimap, GTK_ALIGN_END);
  gtk_widget_set_valign (minimap, GTK_ALIGN_END);
  gtk_widget_set_margin_end (minimap, 18);
  gtk_widget_set_margin_bottom (minimap, 18);

  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (fixture->canvas));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), minimap);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 600);
  gtk_window_set_child (fixture->window, overlay);
  gtk_window_present (fixture->window);

  g_assert_true (wait_for (fixture, is_drawn));
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->minimap);
  g_assert_finalize_object (fixture->canvas);
  g_assert_finalize_object (fixture->history);
  g_assert_finalize_object (fixture->graph);
}

static void
get_graph_corners (JgGraph *graph,
                   double  *x0,
                   double  *y0,
                   double  *x1,
                   double  *y1)
{
  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;

  for (guint i = 0; i < jg_graph_get_n_tasks (graph); i++)
    {
      JgTask *task = jg_graph_get_task (graph, i);

      *x0 = MIN (*x0, jg_task_get_x (task));
      *y0 = MIN (*y0, jg_task_get_y (task));
      *x1 = MAX (*x1, jg_task_get_x (task) + JG_LAYOUT_NODE_WIDTH);
      *y1 = MAX (*y1, jg_task_get_y (task) + jg_layout_get_task_height (task));
    }

  for (guint i = 0; i < jg_graph_get_n_inputs (graph); i++)
    {
      JgJobInput *input = jg_graph_get_input (graph, i);

      *x0 = MIN (*x0, jg_job_input_get_x (input));
      *y0 = MIN (*y0, jg_job_input_get_y (input));
      *x1 = MAX (*x1, jg_job_input_get_x (input) + JG_LAYOUT_NODE_WIDTH);
      *y1 = MAX (*y1, jg_job_input_get_y (input) + JG_LAYOUT_HEADER_HEIGHT);
    }
}

static void
assert_inside_widget (Fixture *fixture,
                      double   canvas_x,
                      double   canvas_y)
{
  int    width = gtk_widget_get_width (GTK_WIDGET (fixture->minimap));
  int    height = gtk_widget_get_height (GTK_WIDGET (fixture->minimap));
  double x, y, back_x, back_y;

  g_assert_true (_jg_minimap_canvas_to_point (fixture->minimap, canvas_x, canvas_y, &x, &y));
  g_assert_cmpfloat (x, >=, -0.001);
  g_assert_cmpfloat (y, >=, -0.001);
  g_assert_cmpfloat (x, <=, width + 0.001);
  g_assert_cmpfloat (y, <=, height + 0.001);

  g_assert_true (_jg_minimap_point_to_canvas (fixture->minimap, x, y, &back_x, &back_y));
  g_assert_cmpfloat_with_epsilon (back_x, canvas_x, 1e-6);
  g_assert_cmpfloat_with_epsilon (back_y, canvas_y, 1e-6);
}

static void
get_visible_center (Fixture *fixture,
                    double  *x,
                    double  *y)
{
  graphene_rect_t area;

  jg_graph_canvas_get_visible_area (fixture->canvas, &area);
  *x = area.origin.x + area.size.width / 2;
  *y = area.origin.y + area.size.height / 2;
}

/* The whole graph fits inside the minimap, at its natural ~200×140 size,
 * and fills it along one axis.
 */
static void
test_mapping (Fixture      *fixture,
              gconstpointer data)
{
  const char *show = g_getenv ("JG_MINIMAP_TEST_SHOW");
  int         width = gtk_widget_get_width (GTK_WIDGET (fixture->minimap));
  int         height = gtk_widget_get_height (GTK_WIDGET (fixture->minimap));
  double      x0, y0, x1, y1, wx0, wy0, wx1, wy1;

  g_assert_cmpint (width, >=, 150);
  g_assert_cmpint (width, <=, 260);
  g_assert_cmpint (height, >=, 100);
  g_assert_cmpint (height, <=, 200);

  get_graph_corners (fixture->graph, &x0, &y0, &x1, &y1);
  assert_inside_widget (fixture, x0, y0);
  assert_inside_widget (fixture, x1, y1);
  assert_inside_widget (fixture, x0, y1);
  assert_inside_widget (fixture, x1, y0);

  /* Without a visible area to include, the graph touches two sides. */
  _jg_minimap_canvas_to_point (fixture->minimap, x0, y0, &wx0, &wy0);
  _jg_minimap_canvas_to_point (fixture->minimap, x1, y1, &wx1, &wy1);
  if (!canvas_scrolls ())
    g_assert_true (fabs ((wx1 - wx0) - width) < 0.5 || fabs ((wy1 - wy0) - height) < 0.5);

  /* Aspect ratio kept. */
  g_assert_cmpfloat_with_epsilon ((wx1 - wx0) / (x1 - x0), (wy1 - wy0) / (y1 - y0), 1e-9);

  if (show != NULL)
    {
      gint64 end = g_get_monotonic_time () + g_ascii_strtoll (show, NULL, 10) * G_USEC_PER_SEC;

      while (g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, FALSE);
    }
}

/* A click on a task in the minimap centres the canvas on that task. */
static void
test_click_centers (Fixture      *fixture,
                    gconstpointer data)
{
  JgTask *task = jg_graph_get_task (fixture->graph, jg_graph_get_n_tasks (fixture->graph) - 1);
  double  task_x = jg_task_get_x (task) + JG_LAYOUT_NODE_WIDTH / 2;
  double  task_y = jg_task_get_y (task) + jg_layout_get_task_height (task) / 2;
  double  x, y, target_x, target_y, center_x, center_y;

  g_assert_true (_jg_minimap_canvas_to_point (fixture->minimap, task_x, task_y, &x, &y));
  _jg_minimap_press (fixture->minimap, x, y);
  _jg_minimap_release (fixture->minimap);

  g_assert_true (_jg_minimap_point_to_canvas (fixture->minimap, x, y, &target_x, &target_y));
  g_assert_cmpfloat_with_epsilon (target_x, task_x, 1e-6);
  g_assert_cmpfloat_with_epsilon (target_y, task_y, 1e-6);

  if (!canvas_scrolls ())
    {
      g_test_message ("The canvas is a placeholder: only the mapping is checked");
      return;
    }

  get_visible_center (fixture, &center_x, &center_y);
  g_assert_cmpfloat (fabs (center_x - task_x), <, 2);
  g_assert_cmpfloat (fabs (center_y - task_y), <, 2);
}

static guint draws_before;

static gboolean
redrawn (Fixture *fixture)
{
  return _jg_minimap_get_n_draws (fixture->minimap) > draws_before;
}

/* While dragging the map holds still under the pointer, and the canvas
 * follows it; the minimap redraws as the visible area moves.
 */
static void
test_drag (Fixture      *fixture,
           gconstpointer data)
{
  JgTask *first = jg_graph_get_task (fixture->graph, 0);
  JgTask *last = jg_graph_get_task (fixture->graph, jg_graph_get_n_tasks (fixture->graph) - 1);
  g_autoptr(JgEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  double start_x = jg_task_get_x (first) + 10;
  double start_y = jg_task_get_y (first) + 10;
  double x, y, before_x, before_y, after_x, after_y, center_x, center_y;
  guint  n_draws;

  g_assert_true (_jg_minimap_canvas_to_point (fixture->minimap, start_x, start_y, &x, &y));
  _jg_minimap_press (fixture->minimap, x, y);
  n_draws = _jg_minimap_get_n_draws (fixture->minimap);

  _jg_minimap_drag_update (fixture->minimap, 30, 12);
  _jg_minimap_canvas_to_point (fixture->minimap, start_x, start_y, &before_x, &before_y);

  /* Even a graph that grows under the drag does not move the map. */
  edit = jg_edit_new_set (last, "x", jg_task_get_x (last) + 4000.0, NULL);
  g_assert_true (jg_history_apply (fixture->history, edit, &error));
  draws_before = _jg_minimap_get_n_draws (fixture->minimap);
  g_assert_true (wait_for (fixture, redrawn));
  _jg_minimap_canvas_to_point (fixture->minimap, start_x, start_y, &after_x, &after_y);
  g_assert_cmpfloat (before_x, ==, after_x);
  g_assert_cmpfloat (before_y, ==, after_y);

  if (canvas_scrolls ())
    {
      double want_x, want_y;

      _jg_minimap_point_to_canvas (fixture->minimap, x + 30, y + 12, &want_x, &want_y);
      get_visible_center (fixture, &center_x, &center_y);
      g_assert_cmpfloat (fabs (center_x - want_x), <, 2);
      g_assert_cmpfloat (fabs (center_y - want_y), <, 2);
      g_assert_cmpuint (_jg_minimap_get_n_draws (fixture->minimap), >, n_draws);
    }

  /* Letting go fits the map to the grown graph. */
  draws_before = _jg_minimap_get_n_draws (fixture->minimap);
  _jg_minimap_release (fixture->minimap);
  g_assert_true (wait_for (fixture, redrawn));
  _jg_minimap_canvas_to_point (fixture->minimap, start_x, start_y, &after_x, &after_y);
  g_assert_cmpfloat (before_x, !=, after_x);
}

/* Moving a task far away through the history redraws the minimap, which
 * then fits the new bounds; undo brings the old fit back.
 */
static void
test_redraw_on_change (Fixture      *fixture,
                       gconstpointer data)
{
  JgTask *task = jg_graph_get_task (fixture->graph, 0);
  g_autoptr(JgEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  double x0, y0, x1, y1, before_x, before_y, after_x, after_y;

  get_graph_corners (fixture->graph, &x0, &y0, &x1, &y1);
  _jg_minimap_canvas_to_point (fixture->minimap, x0, y0, &before_x, &before_y);

  draws_before = _jg_minimap_get_n_draws (fixture->minimap);
  edit = jg_edit_new_set (task, "x", x1 + 3000.0, "y", y1 + 2000.0, NULL);
  g_assert_true (jg_history_apply (fixture->history, edit, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (fixture, redrawn));

  /* The map zoomed out: the old corner moved towards the top left. */
  _jg_minimap_canvas_to_point (fixture->minimap, x0, y0, &after_x, &after_y);
  g_assert_true (after_x != before_x || after_y != before_y);
  get_graph_corners (fixture->graph, &x0, &y0, &x1, &y1);
  assert_inside_widget (fixture, x1, y1);

  draws_before = _jg_minimap_get_n_draws (fixture->minimap);
  g_assert_true (jg_history_undo (fixture->history, &error));
  g_assert_true (wait_for (fixture, redrawn));
  get_graph_corners (fixture->graph, &x0, &y0, &x1, &y1);
  _jg_minimap_canvas_to_point (fixture->minimap, x0, y0, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (after_x, before_x, 1e-6);
  g_assert_cmpfloat_with_epsilon (after_y, before_y, 1e-6);
}

/* A new document in the same canvas: the minimap follows the new graph and
 * lets go of the old one.
 */
static void
test_follows_history (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr(JgGraph) graph = jg_graph_new ();
  g_autoptr(JgHistory) history = jg_history_new (graph);
  g_autoptr(JgTask) task = jg_task_new ("Far", NULL, NULL);
  double x, y;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (fixture->canvas), "history") == NULL)
    {
      g_test_skip ("The canvas is a placeholder without a history property");
      return;
    }

  jg_task_set_position (task, -5000, -5000);
  jg_graph_append_task (graph, task);

  draws_before = _jg_minimap_get_n_draws (fixture->minimap);
  jg_graph_canvas_set_history (fixture->canvas, history);
  g_assert_true (wait_for (fixture, redrawn));
  assert_inside_widget (fixture, -5000, -5000);

  /* Changes to the old graph no longer matter; the new one's do. */
  g_assert_true (_jg_minimap_canvas_to_point (fixture->minimap, -5000, -5000, &x, &y));
  jg_graph_canvas_set_history (fixture->canvas, fixture->history);
  g_assert_true (wait_for (fixture, redrawn));
}

static void
test_accessible (Fixture      *fixture,
                 gconstpointer data)
{
  GtkWidget *minimap = GTK_WIDGET (fixture->minimap);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (minimap), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (minimap), GTK_ACCESSIBLE_PROPERTY_LABEL, "Minimap");

  /* It is a pointer shortcut: keyboard focus stays in the canvas. */
  g_assert_false (gtk_widget_get_focusable (minimap));
  g_assert_false (gtk_widget_get_focus_on_click (minimap));
  g_assert_true (gtk_widget_has_css_class (minimap, "card"));
  g_assert_true (gtk_widget_has_css_class (_jg_minimap_get_viewport_frame (fixture->minimap), "visible-area"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) provider = NULL;

  /* G_TEST_OPTION_ISOLATE_DIRS hides the system data directories, where
   * the schemas libadwaita reads and the MIME database that tells an SVG
   * icon from other files live: GIO loads both once, so load them now.
   */
  g_settings_schema_source_get_default ();
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

  /* The app's stylesheet, as AdwApplication loads it. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/jobgraph/Jobgraph/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

#define ADD(path, func) \
  g_test_add ("/jobgraph/ui/minimap/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("mapping", test_mapping);
  ADD ("click-centers", test_click_centers);
  ADD ("drag", test_drag);
  ADD ("redraw-on-change", test_redraw_on_change);
  ADD ("follows-history", test_follows_history);
  ADD ("accessible", test_accessible);

#undef ADD

  return g_test_run ();
}
