/* bench-canvas.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Frame times of the node editor canvas while panning (node-editor.md
 * §5.2): a 1600×1000 window, graphs of 30, 300 and 1,000 chained tasks,
 * the view panned 1 px every frame for 120 frames, at zoom 1 and fitted to
 * the view. A frame is GdkFrameClock ::before-paint to ::after-paint
 * (update, layout and paint). Run with GSK_RENDERER=cairo. Prints figures,
 * never asserts on time; exits 77 (skip) without a display.
 */

#include "config.h"

#include <stdlib.h>

#include <adwaita.h>

#include "jg-core.h"
#include "jg-graph-canvas.h"

#define N_FRAMES 120
#define PER_ROW  25

typedef struct
{
  GtkWidget     *canvas;
  GtkAdjustment *hadjustment;
  GArray        *times; /* double, ms */
  gint64         paint_start;
  guint          frames;
  gboolean       done;
} Run;

static JgGraph *
build_graph (guint n_tasks)
{
  JgGraph *graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new ("Mezzanine");
  JgOutputAsset *previous = NULL;
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_object_unref);

  jg_graph_set_auto_validate (graph, FALSE);
  jg_job_input_set_position (input, 40, 40);
  jg_graph_append_input (graph, input);

  /* Rows of chained tasks; each row starts from the job input. */
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *name = g_strdup_printf ("Task %u", i + 1);
      g_autoptr(JgTask) task = jg_task_new (name, "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56",
                                             "H264 Single Bitrate 720p");
      JgOutputAsset *asset = jg_output_asset_new ();

      jg_task_set_position (task, 400 + (i % PER_ROW) * 360.0, 40 + (i / PER_ROW) * 160.0);
      jg_graph_append_task (graph, task);
      if (i % PER_ROW == 0 || previous == NULL)
        jg_graph_add_task_port (graph, task, FALSE, JG_REF_JOB_INPUT, input, NULL);
      else
        jg_graph_add_task_port (graph, task, FALSE, JG_REF_OUTPUT_ASSET, previous, NULL);
      jg_graph_add_task_port (graph, task, TRUE, JG_REF_OUTPUT_ASSET, asset, NULL);
      g_ptr_array_add (assets, asset);
      previous = asset;
    }

  return graph;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Run           *run)
{
  run->paint_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  double ms;

  if (run->paint_start == 0 || run->done)
    return;

  ms = (g_get_monotonic_time () - run->paint_start) / 1000.0;
  g_array_append_val (run->times, ms);
}

static gboolean
pan_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Run *run = user_data;

  if (++run->frames > N_FRAMES)
    {
      run->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  gtk_adjustment_set_value (run->hadjustment, gtk_adjustment_get_value (run->hadjustment) + 1);
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static void
report (guint       n_tasks,
        const char *view,
        GArray     *times)
{
  double sum = 0;

  if (times->len == 0)
    {
      g_print ("%5u tasks  %-6s  no frames\n", n_tasks, view);
      return;
    }

  g_array_sort (times, compare_doubles);
  for (guint i = 0; i < times->len; i++)
    sum += g_array_index (times, double, i);

  g_print ("%5u tasks  %-6s  frames %3u  mean %6.2f ms  median %6.2f ms  p95 %6.2f ms\n",
           n_tasks, view, times->len, sum / times->len,
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, MIN (times->len - 1, (guint)(times->len * 0.95))));
}

/* The CPU cost of building the canvas's scene for one frame: its snapshot
 * (grid, edges, labels, and the node widgets' cached render nodes), without
 * rasterising. This is the part of a frame the canvas's code decides;
 * rasterising and presenting it is the renderer's and the display's.
 */
static void
measure_scene (GtkWidget  *canvas,
               guint       n_tasks,
               const char *view)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (canvas);
  const guint     rounds = 50;
  gint64          start = g_get_monotonic_time ();

  for (guint i = 0; i < rounds; i++)
    {
      GtkSnapshot   *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;

      klass->snapshot (canvas, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL)
        gsk_render_node_unref (node);
    }

  g_print ("%5u tasks  %-6s  scene build %.3f ms per frame\n", n_tasks, view,
           (g_get_monotonic_time () - start) / 1000.0 / rounds);
}

static void
draw_nothing (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
}

static gboolean
redraw_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Run *run = user_data;

  if (++run->frames > N_FRAMES)
    {
      run->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* The floor: a window of the same size with an empty drawing area redrawn
 * every frame. On a machine without a GPU and with Xvfb this is what any
 * GTK 4.8 app pays for a full-window repaint with the cairo renderer.
 */
static void
measure_floor (void)
{
  GtkWidget     *window = gtk_window_new ();
  GtkWidget     *area = gtk_drawing_area_new ();
  Run            run = { area, NULL, g_array_new (FALSE, FALSE, sizeof (double)), 0, 0, FALSE };
  GdkFrameClock *clock;
  gulong         before, after;

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_nothing, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
  gtk_window_set_child (GTK_WINDOW (window), area);
  gtk_window_present (GTK_WINDOW (window));

  while (!gtk_widget_get_mapped (area) || gtk_widget_get_width (area) == 0)
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (area);
  before = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &run);
  after = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);
  gtk_widget_add_tick_callback (area, redraw_tick_cb, &run, NULL);

  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_signal_handler_disconnect (clock, before);
  g_signal_handler_disconnect (clock, after);
  g_print ("floor: empty window repaint      ");
  report (0, "-", run.times);
  g_array_unref (run.times);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
measure (GtkWidget  *window,
         GtkWidget  *canvas,
         guint       n_tasks,
         const char *view)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (canvas);
  Run            run = { canvas, NULL, g_array_new (FALSE, FALSE, sizeof (double)), 0, 0, FALSE };
  gulong         before, after;
  gint64         warmup = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  /* Let the new layout settle before measuring. */
  while (g_get_monotonic_time () < warmup)
    g_main_context_iteration (NULL, FALSE);

  run.hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (canvas));
  before = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &run);
  after = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);
  gtk_widget_add_tick_callback (canvas, pan_tick_cb, &run, NULL);

  while (!run.done)
    g_main_context_iteration (NULL, TRUE);

  g_signal_handler_disconnect (clock, before);
  g_signal_handler_disconnect (clock, after);
  report (n_tasks, view, run.times);
  g_array_unref (run.times);
  measure_scene (canvas, n_tasks, view);
}

int
main (int   argc,
      char *argv[])
{
  /* 0 tasks: the cost of the window, the grid and the renderer alone. */
  const guint sizes[] = { 0, 30, 300, 1000, 3000 };

  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: skipping the canvas benchmark\n");
      return 77;
    }

  /* Style the canvas as the app does: libadwaita and style.css. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    adw_init ();
    gtk_css_provider_load_from_resource (provider, "/io/github/jobgraph/Jobgraph/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_print ("Canvas pan benchmark, 1600×1000, %d frames, GSK_RENDERER=%s\n", N_FRAMES, g_getenv ("GSK_RENDERER"));

  measure_floor ();

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(JgGraph) graph = build_graph (sizes[s]);
      g_autoptr(JgHistory) history = jg_history_new (graph);
      GtkWidget *window = gtk_window_new ();
      GtkWidget *scroller = gtk_scrolled_window_new ();
      GtkWidget *canvas = jg_graph_canvas_new ();

      jg_graph_canvas_set_history (JG_GRAPH_CANVAS (canvas), history);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), canvas);
      gtk_window_set_default_size (GTK_WINDOW (window), 1600, 1000);
      gtk_window_set_child (GTK_WINDOW (window), scroller);
      gtk_window_present (GTK_WINDOW (window));

      while (!gtk_widget_get_mapped (canvas) || gtk_widget_get_width (canvas) == 0)
        g_main_context_iteration (NULL, TRUE);

      jg_graph_canvas_set_zoom (JG_GRAPH_CANVAS (canvas), 1.0);
      jg_graph_canvas_center_on (JG_GRAPH_CANVAS (canvas), 800, 500);
      measure (window, canvas, sizes[s], "zoom 1");

      jg_graph_canvas_zoom_to_fit (JG_GRAPH_CANVAS (canvas), FALSE);
      measure (window, canvas, sizes[s], "fit");

      gtk_window_destroy (GTK_WINDOW (window));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  return EXIT_SUCCESS;
}
