/* test-canvas.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "jg-core.h"
#include "jg-graph-canvas-private.h"
#include "jg-node.h"
#include "jg-port.h"
#include "jg-selection.h"

/* The canvas on examples/chained-encode.jobgraph (one job input, "Encode
 * MP4 set 720p" writing JobOutputAsset(0), read by "Smooth Streaming 720p"
 * writing JobOutputAsset(1)), in a GtkScrolledWindow in a real window.
 * Gestures are driven through the functions the gesture callbacks call.
 */
typedef struct
{
  GtkWidget     *window;
  JgGraphCanvas *canvas;
  JgGraph       *graph;
  JgHistory     *history;
  JgSelection   *selection;
  JgJobInput    *input;
  JgTask        *encode;
  JgTask        *smooth;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  for (guint i = 0; i < n; i++)
    {
      gint64 until = g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND;

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
    }
  iterate ();
}

static JgGraph *
load_example (void)
{
  const char      *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  g_autofree char *path = g_build_filename (srcdir ? srcdir : ".", "examples", "chained-encode.jobgraph", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  JgGraph *graph;

  graph = jg_document_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (graph);

  return graph;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  GtkWidget *scroller;

  f->graph = load_example ();
  f->history = jg_history_new (f->graph);
  f->selection = jg_selection_new ();
  f->input = jg_graph_get_input (f->graph, 0);
  f->encode = jg_graph_get_task (f->graph, 0);
  f->smooth = jg_graph_get_task (f->graph, 1);

  f->canvas = JG_GRAPH_CANVAS (jg_graph_canvas_new ());
  jg_graph_canvas_set_selection (f->canvas, f->selection);
  jg_graph_canvas_set_history (f->canvas, f->history);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (f->canvas));

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 700);
  gtk_window_set_child (GTK_WINDOW (f->window), scroller);
  gtk_window_present (GTK_WINDOW (f->window));

  while (!gtk_widget_get_mapped (GTK_WIDGET (f->canvas)) || gtk_widget_get_width (GTK_WIDGET (f->canvas)) == 0)
    g_main_context_iteration (NULL, TRUE);
  wait_frames (f->window, 2);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();
  g_clear_object (&f->selection);
  g_clear_object (&f->history);
  g_clear_object (&f->graph);
}

static GtkWidget *
node_of (Fixture *f,
         gpointer item)
{
  GtkWidget *node = jg_graph_canvas_get_node_widget (f->canvas, item);

  g_assert_nonnull (node);
  return node;
}

/* The widget-space centre of a node's header. */
static void
header_point (Fixture *f,
              gpointer item,
              double  *x,
              double  *y)
{
  double nx, ny;

  jg_node_item_get_position (item, &nx, &ny);
  _jg_graph_canvas_canvas_to_widget (f->canvas, nx + 60, ny + 20, x, y);
}

static void
drag (Fixture        *f,
      double          x0,
      double          y0,
      double          x1,
      double          y1,
      GdkModifierType state)
{
  _jg_graph_canvas_drag_begin (f->canvas, x0, y0, state);
  _jg_graph_canvas_drag_update (f->canvas, (x1 - x0) / 2, (y1 - y0) / 2);
  _jg_graph_canvas_drag_update (f->canvas, x1 - x0, y1 - y0);
  _jg_graph_canvas_drag_end (f->canvas, x1 - x0, y1 - y0);
}

static void
test_nodes (Fixture      *f,
            gconstpointer data)
{
  GtkWidget *encode = node_of (f, f->encode);
  GtkWidget *input = node_of (f, f->input);
  GtkWidget *port;

  g_assert_true (JG_IS_NODE (node_of (f, f->smooth)));
  g_assert_true (gtk_widget_get_parent (encode) == GTK_WIDGET (f->canvas));
  g_assert_cmpuint (_jg_graph_canvas_get_n_edges (f->canvas), ==, 2);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (encode), GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (encode), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Encode MP4 set 720p");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (encode), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Task Encode MP4 set 720p, Windows Azure Media Encoder, 1 input, 1 output");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (input), GTK_ACCESSIBLE_PROPERTY_LABEL, "Mezzanine");

  port = jg_node_get_port (JG_NODE (encode), FALSE, 0);
  g_assert_true (JG_IS_PORT (port));
  g_assert_true (gtk_widget_get_focusable (port));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (port), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (port), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Input 1 of Encode MP4 set 720p, reads JobInputAsset(0)");
  port = jg_node_get_port (JG_NODE (node_of (f, f->smooth)), TRUE, 0);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (port), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Output 1 of Smooth Streaming 720p, writes JobOutputAsset(1)");

  /* Nodes are the size auto-layout assumes, scaled by the zoom. */
  g_assert_cmpint (gtk_widget_get_width (encode), ==, (int)JG_LAYOUT_NODE_WIDTH);
  g_assert_cmpint (gtk_widget_get_height (encode), ==, (int)jg_layout_get_task_height (f->encode));
}

static void
test_sync (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(JgTask) task = jg_task_new ("Thumbnails", "nb:mpid:UUID:1b1da727-93ae-4e46-a8a1-268828765609", NULL);
  g_autoptr(JgEdit) edit = jg_edit_new_insert_task (task, -1);
  g_autoptr(JgEdit) rename = jg_edit_new_set (f->encode, "name", "Encode 1080p", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_history_apply (f->history, edit, &error));
  g_assert_no_error (error);
  wait_frames (f->window, 2);
  g_assert_true (JG_IS_NODE (node_of (f, task)));

  g_assert_true (jg_history_apply (f->history, rename, &error));
  wait_frames (f->window, 2);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (node_of (f, f->encode)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Encode 1080p");

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_true (jg_history_undo (f->history, &error));
  wait_frames (f->window, 2);
  g_assert_null (jg_graph_canvas_get_node_widget (f->canvas, G_OBJECT (task)));
}

static void
test_select (Fixture      *f,
             gconstpointer data)
{
  double x, y;

  header_point (f, f->encode, &x, &y);
  _jg_graph_canvas_press (f->canvas, x, y, 0, 1);
  _jg_graph_canvas_release (f->canvas);
  g_assert_true (jg_selection_contains (f->selection, f->encode));
  g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 1);
  g_assert_true (jg_node_get_selected (JG_NODE (node_of (f, f->encode))));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (node_of (f, f->encode)), GTK_ACCESSIBLE_STATE_SELECTED, TRUE);

  header_point (f, f->smooth, &x, &y);
  _jg_graph_canvas_press (f->canvas, x, y, GDK_SHIFT_MASK, 1);
  g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 2);

  /* Shift-click again toggles it off. */
  _jg_graph_canvas_press (f->canvas, x, y, GDK_SHIFT_MASK, 1);
  g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 1);
  g_assert_false (jg_node_get_selected (JG_NODE (node_of (f, f->smooth))));

  /* Empty canvas clears. */
  _jg_graph_canvas_canvas_to_widget (f->canvas, 300, 400, &x, &y);
  _jg_graph_canvas_press (f->canvas, x, y, 0, 1);
  g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 0);
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (node_of (f, f->encode)), GTK_ACCESSIBLE_STATE_SELECTED, FALSE);

  /* Rubber band around both tasks. */
  {
    double x0, y0, x1, y1;

    _jg_graph_canvas_canvas_to_widget (f->canvas, 380, 20, &x0, &y0);
    _jg_graph_canvas_canvas_to_widget (f->canvas, 1100, 300, &x1, &y1);
    drag (f, x0, y0, x1, y1, 0);
    g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 2);
    g_assert_true (jg_selection_contains (f->selection, f->encode));
    g_assert_true (jg_selection_contains (f->selection, f->smooth));
    g_assert_false (jg_selection_contains (f->selection, f->input));
  }

  jg_graph_canvas_select_all (f->canvas);
  g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 3);
}

static void
test_select_edge (Fixture      *f,
                  gconstpointer data)
{
  double  x1, y1, x2, y2;
  JgTask *reader = NULL;
  guint   index = 99;
  g_autoptr(GError) error = NULL;

  /* The wire from the input to Encode is straight: its middle is on it. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->input), TRUE, 0, &x1, &y1);
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->encode), FALSE, 0, &x2, &y2);
  _jg_graph_canvas_press (f->canvas, (x1 + x2) / 2, (y1 + y2) / 2, 0, 1);

  g_assert_true (jg_selection_get_edge (f->selection, &reader, &index));
  g_assert_true (reader == f->encode);
  g_assert_cmpuint (index, ==, 0);

  /* Its input was the task's last: the port goes with the wire. */
  jg_graph_canvas_delete_selection (f->canvas);
  g_assert_cmpuint (jg_task_get_n_inputs (f->encode), ==, 0);
  g_assert_cmpuint (_jg_graph_canvas_get_n_edges (f->canvas), ==, 1);

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpint (jg_task_get_input (f->encode, 0, NULL, NULL), ==, JG_REF_JOB_INPUT);
  g_assert_cmpuint (_jg_graph_canvas_get_n_edges (f->canvas), ==, 2);
}

static void
test_move (Fixture      *f,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  double x, y;

  jg_graph_canvas_select_all (f->canvas);
  jg_selection_unselect (f->selection, f->input);

  header_point (f, f->encode, &x, &y);
  drag (f, x, y, x + 101, y + 47, 0);

  /* Both selected tasks moved, each snapped to the 16 px grid, as one
   * step: 400 + 101 → 496, 40 + 47 → 80, 760 + 101 → 864.
   */
  g_assert_cmpfloat (jg_task_get_x (f->encode), ==, 496);
  g_assert_cmpfloat (jg_task_get_y (f->encode), ==, 80);
  g_assert_cmpfloat (jg_task_get_x (f->smooth), ==, 864);
  g_assert_cmpfloat (jg_job_input_get_x (f->input), ==, 40);

  wait_frames (f->window, 2);
  {
    graphene_rect_t bounds;
    double          wx, wy;

    g_assert_true (gtk_widget_compute_bounds (node_of (f, f->encode), GTK_WIDGET (f->canvas), &bounds));
    _jg_graph_canvas_canvas_to_widget (f->canvas, 496, 80, &wx, &wy);
    g_assert_cmpfloat_with_epsilon (bounds.origin.x, wx, 0.5);
    g_assert_cmpfloat_with_epsilon (bounds.origin.y, wy, 0.5);
  }

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (jg_task_get_x (f->encode), ==, 400);
  g_assert_cmpfloat (jg_task_get_x (f->smooth), ==, 760);
  g_assert_false (jg_history_can_undo (f->history));
}

static void
test_connect_refused (Fixture      *f,
                      gconstpointer data)
{
  double x0, y0, x1, y1;

  /* Smooth's output into Encode's body would make a cycle. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->smooth), TRUE, 0, &x0, &y0);
  header_point (f, f->encode, &x1, &y1);

  _jg_graph_canvas_drag_begin (f->canvas, x0, y0, 0);
  _jg_graph_canvas_drag_update (f->canvas, x1 - x0, y1 - y0);
  g_assert_nonnull (_jg_graph_canvas_get_drag_reason (f->canvas));
  g_assert_nonnull (strstr (_jg_graph_canvas_get_drag_reason (f->canvas), "cycle"));
  g_assert_true (gtk_widget_has_css_class (node_of (f, f->encode), "wire-refused"));
  _jg_graph_canvas_drag_end (f->canvas, x1 - x0, y1 - y0);

  g_assert_null (_jg_graph_canvas_get_drag_reason (f->canvas));
  g_assert_false (gtk_widget_has_css_class (node_of (f, f->encode), "wire-refused"));
  g_assert_cmpuint (jg_task_get_n_inputs (f->encode), ==, 1);
  g_assert_false (jg_history_can_undo (f->history));

  /* The job input onto Smooth's occupied input: refused with the reason. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->input), TRUE, 0, &x0, &y0);
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->smooth), FALSE, 0, &x1, &y1);
  _jg_graph_canvas_drag_begin (f->canvas, x0, y0, 0);
  _jg_graph_canvas_drag_update (f->canvas, x1 - x0 + 5, y1 - y0 - 4);
  g_assert_nonnull (strstr (_jg_graph_canvas_get_drag_reason (f->canvas), "already has a source"));
  _jg_graph_canvas_drag_end (f->canvas, x1 - x0 + 5, y1 - y0 - 4);
  g_assert_false (jg_history_can_undo (f->history));
}

static void
test_connect (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(JgTask) task = jg_task_new ("Thumbnails", "nb:mpid:UUID:1b1da727-93ae-4e46-a8a1-268828765609", NULL);
  g_autoptr(JgEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *port;
  GObject   *source = NULL;
  double     x0, y0, x1, y1;

  jg_task_set_position (task, 760, 400);
  edit = jg_edit_new_insert_task (task, -1);
  g_assert_true (jg_history_apply (f->history, edit, &error));
  jg_history_clear (f->history);
  _jg_graph_canvas_sync_now (f->canvas);

  /* Encode's output onto the new task's body appends a connected input. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->encode), TRUE, 0, &x0, &y0);
  header_point (f, task, &x1, &y1);
  _jg_graph_canvas_drag_begin (f->canvas, x0, y0, 0);
  _jg_graph_canvas_drag_update (f->canvas, x1 - x0, y1 - y0);
  g_assert_null (_jg_graph_canvas_get_drag_reason (f->canvas));
  g_assert_true (gtk_widget_has_css_class (node_of (f, task), "wire-hover"));
  _jg_graph_canvas_drag_end (f->canvas, x1 - x0, y1 - y0);

  g_assert_cmpuint (jg_task_get_n_inputs (task), ==, 1);
  g_assert_cmpint (jg_task_get_input (task, 0, &source, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_true (source == (GObject *)jg_graph_get_task (f->graph, 1) || JG_IS_OUTPUT_ASSET (source));
  g_assert_cmpuint (_jg_graph_canvas_get_n_edges (f->canvas), ==, 3);

  port = jg_node_get_port (JG_NODE (node_of (f, task)), FALSE, 0);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (port), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Input 1 of Thumbnails, reads JobOutputAsset(0)");

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpuint (jg_task_get_n_inputs (task), ==, 0);
  g_assert_cmpuint (_jg_graph_canvas_get_n_edges (f->canvas), ==, 2);
  g_assert_false (jg_history_can_undo (f->history));
}

static void
test_rewire (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GObject *source = NULL;
  double   x0, y0, x1, y1;

  /* Drag Smooth's input wire away and drop it on empty canvas: detached. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->smooth), FALSE, 0, &x0, &y0);
  _jg_graph_canvas_canvas_to_widget (f->canvas, 600, 500, &x1, &y1);
  drag (f, x0, y0, x1, y1, 0);
  g_assert_cmpint (jg_task_get_input (f->smooth, 0, NULL, NULL), ==, JG_REF_NONE);

  g_assert_true (jg_history_undo (f->history, &error));

  /* Dropped back on its own port, the wire stays and nothing is done. */
  drag (f, x0, y0, x0 + 3, y0 + 2, 0);
  g_assert_cmpint (jg_task_get_input (f->smooth, 0, &source, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_false (jg_history_can_undo (f->history));
  g_assert_true (jg_history_can_redo (f->history));

  /* Encode cannot read the asset it writes: moving the wire there is
   * refused and changes nothing.
   */
  header_point (f, f->encode, &x1, &y1);
  drag (f, x0, y0, x1, y1, 0);
  g_assert_cmpint (jg_task_get_input (f->smooth, 0, NULL, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_cmpuint (jg_task_get_n_inputs (f->encode), ==, 1);
  g_assert_false (jg_history_can_undo (f->history));

  /* The job input's wire moved from Encode to Smooth's body: one step. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->encode), FALSE, 0, &x0, &y0);
  header_point (f, f->smooth, &x1, &y1);
  drag (f, x0, y0, x1, y1, 0);
  g_assert_cmpint (jg_task_get_input (f->encode, 0, NULL, NULL), ==, JG_REF_NONE);
  g_assert_cmpuint (jg_task_get_n_inputs (f->smooth), ==, 2);
  g_assert_cmpint (jg_task_get_input (f->smooth, 1, NULL, NULL), ==, JG_REF_JOB_INPUT);
  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpint (jg_task_get_input (f->encode, 0, NULL, NULL), ==, JG_REF_JOB_INPUT);
  g_assert_cmpuint (jg_task_get_n_inputs (f->smooth), ==, 1);
}

static void
test_delete (Fixture      *f,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  jg_selection_select (f->selection, f->encode, FALSE);
  gtk_widget_grab_focus (node_of (f, f->encode));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.delete", NULL));

  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, 1);
  /* The wire that read Encode's output is detached in the same step. */
  g_assert_cmpint (jg_task_get_input (f->smooth, 0, NULL, NULL), ==, JG_REF_NONE);
  g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 0);
  wait_frames (f->window, 2);
  g_assert_null (jg_graph_canvas_get_node_widget (f->canvas, G_OBJECT (f->encode)));

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, 2);
  g_assert_cmpint (jg_task_get_input (f->smooth, 0, NULL, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_false (jg_history_can_undo (f->history));

  /* Several nodes at once, still one step. */
  jg_graph_canvas_select_all (f->canvas);
  jg_graph_canvas_delete_selection (f->canvas);
  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, 0);
  g_assert_cmpuint (jg_graph_get_n_inputs (f->graph), ==, 0);
  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, 2);
  g_assert_cmpuint (jg_graph_get_n_inputs (f->graph), ==, 1);
  g_assert_false (jg_history_can_undo (f->history));
}

/* The context menu on a port: add an output to a task, remove a port. */
static void
test_ports (Fixture      *f,
            gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  double x, y;

  /* Encode writes one output, which Smooth reads. */
  g_assert_cmpuint (jg_task_get_n_outputs (f->encode), ==, 1);

  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->encode), TRUE, 0, &x, &y);
  _jg_graph_canvas_context_menu_at (f->canvas, x, y);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.add-output", NULL));
  g_assert_cmpuint (jg_task_get_n_outputs (f->encode), ==, 2);
  g_assert_cmpint (jg_task_get_output (f->encode, 1, NULL, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_cmpstr (jg_history_get_undo_label (f->history), ==, "Add Output");
  wait_frames (f->window, 2);
  g_assert_cmpuint (jg_node_get_n_ports (JG_NODE (node_of (f, f->encode)), TRUE), ==, 2);

  /* Removing the first output also disconnects its reader, in one step. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->encode), TRUE, 0, &x, &y);
  _jg_graph_canvas_context_menu_at (f->canvas, x, y);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.remove-port", NULL));
  g_assert_cmpuint (jg_task_get_n_outputs (f->encode), ==, 1);
  g_assert_cmpint (jg_task_get_input (f->smooth, 0, NULL, NULL), ==, JG_REF_NONE);

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpuint (jg_task_get_n_outputs (f->encode), ==, 2);
  g_assert_cmpint (jg_task_get_input (f->smooth, 0, NULL, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpuint (jg_task_get_n_outputs (f->encode), ==, 1);
  g_assert_false (jg_history_can_undo (f->history));
  g_assert_no_error (error);

  /* On a job input there are no task ports to add or remove. */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->input), TRUE, 0, &x, &y);
  _jg_graph_canvas_context_menu_at (f->canvas, x, y);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.remove-port", NULL);
  g_assert_cmpuint (jg_graph_get_n_inputs (f->graph), ==, 1);
  g_assert_false (jg_history_can_undo (f->history));
}

static void
test_keyboard (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  /* Arrows move the focus spatially; the selection follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.move-focus", "(ii)", 1, 0));
  root = gtk_widget_get_root (GTK_WIDGET (f->canvas));
  g_assert_true (gtk_root_get_focus (root) == node_of (f, f->input));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.move-focus", "(ii)", 1, 0));
  g_assert_true (gtk_root_get_focus (root) == node_of (f, f->encode));
  g_assert_true (jg_selection_contains (f->selection, f->encode));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.nudge", "(ii)", 16, 0));
  g_assert_cmpfloat (jg_task_get_x (f->encode), ==, 416);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.nudge", "(ii)", 0, 64));
  g_assert_cmpfloat (jg_task_get_y (f->encode), ==, 104);

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpfloat (jg_task_get_y (f->encode), ==, 40);
  g_assert_cmpfloat (jg_task_get_x (f->encode), ==, 416);
  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpfloat (jg_task_get_x (f->encode), ==, 400);
}

static void
activated_cb (JgGraphCanvas *canvas,
              GObject       *item,
              GObject      **out)
{
  *out = item;
}

static void
test_activate (Fixture      *f,
               gconstpointer data)
{
  GObject   *activated = NULL;
  GtkWidget *popover;
  GtkWidget *port;

  g_signal_connect (f->canvas, "node-activated", G_CALLBACK (activated_cb), &activated);

  gtk_widget_grab_focus (node_of (f, f->smooth));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.activate", NULL));
  g_assert_true (activated == G_OBJECT (f->smooth));

  /* Enter on a port lists what it can connect to. */
  port = jg_node_get_port (JG_NODE (node_of (f, f->input)), TRUE, 0);
  gtk_widget_grab_focus (port);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.activate", NULL));
  popover = _jg_graph_canvas_get_connect_popover (f->canvas);
  wait_frames (f->window, 2);
  g_assert_true (gtk_widget_get_visible (popover));

  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (gtk_widget_get_root (popover)));
    GtkWidget *row;

    /* The occupied inputs are not offered; "New input of …" rows are. */
    g_assert_true (GTK_IS_LIST_BOX_ROW (focus));
    row = focus;
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)))), ==,
                     "New input of Encode MP4 set 720p");
    g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  }

  g_assert_cmpuint (jg_task_get_n_inputs (f->encode), ==, 2);
  g_assert_cmpint (jg_task_get_input (f->encode, 1, NULL, NULL), ==, JG_REF_JOB_INPUT);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_zoom (Fixture      *f,
           gconstpointer data)
{
  guint           notified = 0;
  double          zoom = jg_graph_canvas_get_zoom (f->canvas);
  graphene_rect_t area, bounds;

  g_signal_connect (f->canvas, "notify::zoom", G_CALLBACK (notify_cb), &notified);

  jg_graph_canvas_zoom_in (f->canvas);
  g_assert_cmpfloat (jg_graph_canvas_get_zoom (f->canvas), >, zoom);
  jg_graph_canvas_zoom_out (f->canvas);
  jg_graph_canvas_zoom_out (f->canvas);
  g_assert_cmpfloat (jg_graph_canvas_get_zoom (f->canvas), <, zoom);
  g_assert_cmpuint (notified, ==, 3);

  for (guint i = 0; i < 20; i++)
    jg_graph_canvas_zoom_out (f->canvas);
  g_assert_cmpfloat (jg_graph_canvas_get_zoom (f->canvas), ==, JG_GRAPH_CANVAS_MIN_ZOOM);

  jg_graph_canvas_zoom_to_fit (f->canvas, FALSE);
  g_assert_cmpfloat (jg_graph_canvas_get_zoom (f->canvas), ==, 1.0);
  wait_frames (f->window, 2);
  jg_graph_canvas_get_visible_area (f->canvas, &area);
  jg_graph_canvas_get_graph_bounds (f->canvas, &bounds);
  g_assert_true (graphene_rect_contains_rect (&area, &bounds));

  /* A small window: fitting zooms out. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 500, 300);
  wait_frames (f->window, 4);
  jg_graph_canvas_zoom_to_fit (f->canvas, FALSE);
  g_assert_cmpfloat (jg_graph_canvas_get_zoom (f->canvas), <, 0.6);
  wait_frames (f->window, 2);
  jg_graph_canvas_get_visible_area (f->canvas, &area);
  g_assert_true (graphene_rect_contains_rect (&area, &bounds));

  jg_graph_canvas_center_on (f->canvas, 1000, 1000);
  jg_graph_canvas_get_visible_area (f->canvas, &area);
  g_assert_cmpfloat_with_epsilon (area.origin.x + area.size.width / 2, 1000, 1);
}

static void
test_problems (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(JgEdit) edit = jg_edit_new_set (f->smooth, "processor-id", "", NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *node = node_of (f, f->smooth);

  g_assert_false (gtk_widget_has_css_class (node, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (node), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_FALSE);

  g_assert_true (jg_history_apply (f->history, edit, &error));
  wait_frames (f->window, 2);
  g_assert_true (gtk_widget_has_css_class (node, "error"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (node), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (node), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Task Smooth Streaming 720p, No media processor, 1 input, 1 output, 1 error");

  g_assert_true (jg_history_undo (f->history, &error));
  wait_frames (f->window, 2);
  g_assert_false (gtk_widget_has_css_class (node, "error"));
}

static void
test_palette (Fixture      *f,
              gconstpointer data)
{
  guint    n_tasks = jg_graph_get_n_tasks (f->graph);
  double   x0, y0, x1, y1;
  JgTask  *task;
  GObject *source = NULL;
  g_autoptr(GError) error = NULL;

  /* A wire from Smooth's output dropped on empty canvas opens the palette;
   * choosing a task adds it, wired, as one step.
   */
  _jg_graph_canvas_get_port_point (f->canvas, G_OBJECT (f->smooth), TRUE, 0, &x0, &y0);
  _jg_graph_canvas_canvas_to_widget (f->canvas, 1100, 300, &x1, &y1);
  drag (f, x0, y0, x1, y1, 0);
  wait_frames (f->window, 2);
  g_assert_true (gtk_widget_get_visible (_jg_graph_canvas_get_palette (f->canvas)));

  /* As the palette does: close, then emit the choice. */
  gtk_popover_popdown (GTK_POPOVER (_jg_graph_canvas_get_palette (f->canvas)));
  g_signal_emit_by_name (_jg_graph_canvas_get_palette (f->canvas), "task-chosen",
                         "nb:mpid:UUID:1b1da727-93ae-4e46-a8a1-268828765609", "H264 Single Bitrate 720p");

  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, n_tasks + 1);
  task = jg_graph_get_task (f->graph, n_tasks);
  g_assert_cmpstr (jg_task_get_configuration (task), ==, "H264 Single Bitrate 720p");
  g_assert_cmpint (jg_task_get_input (task, 0, &source, NULL), ==, JG_REF_OUTPUT_ASSET);
  g_assert_cmpfloat_with_epsilon (jg_task_get_x (task), 1104, 0.1);
  g_assert_true (jg_selection_contains (f->selection, task));

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, n_tasks);
  g_assert_false (jg_history_can_undo (f->history));
}

/* Ctrl+K with one node selected: the new task follows it, wired. */
static void
test_palette_follows_selection (Fixture      *f,
                                gconstpointer data)
{
  guint    n_tasks = jg_graph_get_n_tasks (f->graph);
  GObject *source = NULL;
  JgTask  *task;
  g_autoptr(GError) error = NULL;

  jg_selection_select (f->selection, f->input, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.show-palette", NULL));
  wait_frames (f->window, 2);
  g_assert_true (gtk_widget_get_visible (_jg_graph_canvas_get_palette (f->canvas)));

  gtk_popover_popdown (GTK_POPOVER (_jg_graph_canvas_get_palette (f->canvas)));
  g_signal_emit_by_name (_jg_graph_canvas_get_palette (f->canvas), "task-chosen",
                         "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56", "H264 Single Bitrate 720p");

  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, n_tasks + 1);
  task = jg_graph_get_task (f->graph, n_tasks);
  g_assert_cmpint (jg_task_get_input (task, 0, &source, NULL), ==, JG_REF_JOB_INPUT);
  g_assert_true (source == G_OBJECT (f->input));
  /* One column to the right of the input. */
  g_assert_cmpfloat (jg_task_get_x (task), >, jg_job_input_get_x (f->input) + JG_LAYOUT_NODE_WIDTH);
  g_assert_true (jg_selection_contains (f->selection, task));

  /* Nothing selected: a free task, unwired, in the middle of the view. */
  g_assert_true (jg_history_undo (f->history, &error));
  jg_selection_clear (f->selection);
  jg_graph_canvas_show_palette (f->canvas);
  gtk_popover_popdown (GTK_POPOVER (_jg_graph_canvas_get_palette (f->canvas)));
  g_signal_emit_by_name (_jg_graph_canvas_get_palette (f->canvas), "task-chosen",
                         "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56", NULL);
  task = jg_graph_get_task (f->graph, n_tasks);
  g_assert_cmpint (jg_task_get_input (task, 0, NULL, NULL), ==, JG_REF_NONE);
  g_assert_no_error (error);
}

static void
test_duplicate (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  jg_selection_select (f->selection, f->encode, FALSE);
  jg_selection_select (f->selection, f->smooth, TRUE);
  jg_graph_canvas_duplicate (f->canvas);

  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, 4);
  g_assert_cmpuint (jg_selection_get_n_items (f->selection), ==, 2);
  g_assert_false (jg_selection_contains (f->selection, f->encode));
  /* The internal wire is kept. */
  g_assert_cmpuint (_jg_graph_canvas_get_n_edges (f->canvas), ==, 3);

  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpuint (jg_graph_get_n_tasks (f->graph), ==, 2);
}

static void
test_tidy_up (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(JgEdit) edit = jg_edit_new_set (f->smooth, "x", 0.0, "y", 600.0, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_history_apply (f->history, edit, &error));
  jg_graph_canvas_tidy_up (f->canvas);
  g_assert_cmpfloat (jg_task_get_x (f->smooth), >, jg_task_get_x (f->encode));
  g_assert_true (jg_history_undo (f->history, &error));
  g_assert_cmpfloat (jg_task_get_x (f->smooth), ==, 0);
}

/* JG_CANVAS_SHOW=1 keeps a window open for screenshots. */
static int
show (void)
{
  Fixture f = { 0 };

  if (g_strcmp0 (g_getenv ("JG_CANVAS_DARK"), "1") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  fixture_set_up (&f, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1300, 560);
  jg_selection_select (f.selection, f.smooth, FALSE);
  {
    g_autoptr(JgTask) task = jg_task_new ("Thumbnails", "", NULL);
    g_autoptr(JgEdit) edit = NULL;

    jg_task_set_position (task, 760, 260);
    edit = jg_edit_new_insert_task (task, -1);
    jg_history_apply (f.history, edit, NULL);
    g_clear_pointer (&edit, jg_edit_unref);
    edit = jg_edit_new_insert_port (task, FALSE, -1, JG_REF_NONE, NULL, NULL);
    jg_history_apply (f.history, edit, NULL);
  }
  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("JG_CANVAS_SHOW") != NULL)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_init ();
      adw_init ();
      gtk_css_provider_load_from_resource (provider, "/io/github/jobgraph/Jobgraph/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      return show ();
    }

  /* No adw_init (): libadwaita 1.2 looks up its settings schema, which
   * G_TEST_OPTION_ISOLATE_DIRS hides. The canvas needs only GTK.
   */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();

#define ADD(path, func) \
  g_test_add ("/jobgraph/ui/canvas/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("nodes", test_nodes);
  ADD ("sync", test_sync);
  ADD ("select", test_select);
  ADD ("select-edge", test_select_edge);
  ADD ("move", test_move);
  ADD ("connect-refused", test_connect_refused);
  ADD ("connect", test_connect);
  ADD ("rewire", test_rewire);
  ADD ("delete", test_delete);
  ADD ("ports", test_ports);
  ADD ("keyboard", test_keyboard);
  ADD ("activate", test_activate);
  ADD ("zoom", test_zoom);
  ADD ("problems", test_problems);
  ADD ("palette", test_palette);
  ADD ("palette-follows-selection", test_palette_follows_selection);
  ADD ("duplicate", test_duplicate);
  ADD ("tidy-up", test_tidy_up);

  return g_test_run ();
}
