/* test-problems.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the Problems list in a real window: one row per diagnostic of the
 * graph, the "No Problems" page for a valid graph, live updates after an
 * undoable edit, and row activation.
 */

#include "config.h"

#include <adwaita.h>

#include "ui-test-util.h"

#include "jg-core.h"
#include "jg-problems-list.h"

#define MES     "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"
#define PRESET  "Adaptive Streaming"
#define TIMEOUT 60

typedef struct
{
  GtkWindow      *window;
  JgProblemsList *list;
  GtkListView    *list_view;
  GtkStack       *stack;
  JgGraph        *graph;
  JgHistory      *history;

  JgDiagnostic   *activated;
  guint           n_activated;
} Fixture;

/* Mapped severity icons under @widget with the style class @severity. */
static guint
count_icons (GtkWidget  *widget,
             const char *severity)
{
  guint n = 0;

  if (GTK_IS_IMAGE (widget) && gtk_widget_get_mapped (widget) && gtk_widget_has_css_class (widget, severity))
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += count_icons (child, severity);

  return n;
}

static JgTask *
add_task (JgGraph    *graph,
          const char *name,
          const char *configuration,
          GObject    *source,
          GObject    *output)
{
  g_autoptr(JgTask) task = jg_task_new (name, MES, configuration);

  jg_graph_append_task (graph, task);
  jg_graph_add_task_port (graph, task, FALSE,
                          JG_IS_JOB_INPUT (source) ? JG_REF_JOB_INPUT : JG_REF_OUTPUT_ASSET,
                          source, NULL);
  jg_graph_add_task_port (graph, task, TRUE, JG_REF_OUTPUT_ASSET, output, NULL);

  return task;
}

/* A valid job: one input encoded by one task. */
static JgGraph *
new_valid_graph (void)
{
  JgGraph *graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new ("Mezzanine");
  g_autoptr(JgOutputAsset) output = jg_output_asset_new ();

  jg_graph_set_name (graph, "Valid");
  jg_graph_append_input (graph, input);
  add_task (graph, "Encode", PRESET, G_OBJECT (input), G_OBJECT (output));
  jg_graph_validate (graph);

  return graph;
}

/* Two tasks reading each other's output (an error) and a third without a
 * preset (a warning).
 */
static JgGraph *
new_broken_graph (void)
{
  JgGraph *graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new ("Mezzanine");
  g_autoptr(JgOutputAsset) a_out = jg_output_asset_new ();
  g_autoptr(JgOutputAsset) b_out = jg_output_asset_new ();
  g_autoptr(JgOutputAsset) c_out = jg_output_asset_new ();
  JgTask *a;

  jg_graph_set_name (graph, "Broken");
  jg_graph_append_input (graph, input);
  a = add_task (graph, "Encode", PRESET, G_OBJECT (input), G_OBJECT (a_out));
  add_task (graph, "Package", PRESET, G_OBJECT (a_out), G_OBJECT (b_out));
  jg_graph_add_task_port (graph, a, FALSE, JG_REF_OUTPUT_ASSET, b_out, NULL);
  add_task (graph, "Thumbs", NULL, G_OBJECT (a_out), G_OBJECT (c_out));
  jg_graph_validate (graph);

  return graph;
}

static void
diagnostic_activated_cb (JgProblemsList *list,
                         JgDiagnostic   *diagnostic,
                         Fixture        *fixture)
{
  fixture->n_activated++;
  g_set_object (&fixture->activated, diagnostic);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  JgGraph *(*new_graph) (void) = data;

  fixture->graph = new_graph ();
  fixture->history = jg_history_new (fixture->graph);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 640, 360);
  fixture->list = JG_PROBLEMS_LIST (jg_problems_list_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->list));
  jg_problems_list_set_graph (fixture->list, fixture->graph);
  g_signal_connect (fixture->list, "diagnostic-activated", G_CALLBACK (diagnostic_activated_cb), fixture);

  fixture->list_view = GTK_LIST_VIEW (ui_test_find_descendant (GTK_WIDGET (fixture->list), GTK_TYPE_LIST_VIEW));
  fixture->stack = GTK_STACK (ui_test_find_descendant (GTK_WIDGET (fixture->list), GTK_TYPE_STACK));
  g_assert_nonnull (fixture->list_view);
  g_assert_nonnull (fixture->stack);

  gtk_window_present (fixture->window);
  ui_test_wait_mapped (GTK_WIDGET (fixture->list), TIMEOUT);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->activated);
  g_clear_object (&fixture->history);
  g_assert_finalize_object (fixture->graph);
}

static gboolean
shows_placeholder (Fixture *fixture)
{
  return ui_test_find_label (GTK_WIDGET (fixture->list), "No Problems") != NULL;
}

static void
assert_rows_match_diagnostics (Fixture *fixture)
{
  GListModel *diagnostics = jg_graph_get_diagnostics (fixture->graph);
  guint       n_errors = 0;
  guint       n_items = g_list_model_get_n_items (diagnostics);

  g_assert_cmpuint (n_items, >, 0);
  g_assert_cmpuint (jg_problems_list_get_n_items (fixture->list), ==, n_items);
  g_assert_false (shows_placeholder (fixture));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->list_view)));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(JgDiagnostic) diagnostic = g_list_model_get_item (diagnostics, i);
      g_autofree char *location = jg_diagnostic_format_location (diagnostic);

      g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), jg_diagnostic_get_message (diagnostic)));
      g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), jg_diagnostic_get_code (diagnostic)));
      if (location != NULL)
        g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), location));
      n_errors += jg_diagnostic_get_severity (diagnostic) == JG_SEVERITY_ERROR;
    }

  g_assert_cmpuint (count_icons (GTK_WIDGET (fixture->list_view), "error"), ==, n_errors);
  g_assert_cmpuint (count_icons (GTK_WIDGET (fixture->list_view), "warning"), ==, n_items - n_errors);
}

static void
test_broken (Fixture      *fixture,
             gconstpointer data)
{
  GListModel *diagnostics = jg_graph_get_diagnostics (fixture->graph);
  g_autoptr(JgDiagnostic) first = g_list_model_get_item (diagnostics, 0);
  GtkWidget *cycle_code;
  GtkWidget *warning_code;

  assert_rows_match_diagnostics (fixture);
  g_assert_cmpuint (jg_graph_get_n_errors (fixture->graph), >=, 1);
  g_assert_cmpuint (jg_graph_get_n_warnings (fixture->graph), >=, 1);

  /* The cycle and the missing preset are both listed, errors first. */
  g_assert_cmpstr (jg_diagnostic_get_code (first), ==, "cycle");
  cycle_code = ui_test_find_label (GTK_WIDGET (fixture->list_view), "cycle");
  warning_code = ui_test_find_label (GTK_WIDGET (fixture->list_view), "empty-configuration");
  g_assert_nonnull (cycle_code);
  g_assert_nonnull (warning_code);
  g_assert_true (gtk_widget_has_css_class (cycle_code, "dim-label"));

  /* The warning says where, as the REST body spells it. */
  {
    g_autoptr(JgDiagnostic) last = g_list_model_get_item (diagnostics, g_list_model_get_n_items (diagnostics) - 1);
    g_autofree char *location = jg_diagnostic_format_location (last);

    g_assert_cmpstr (jg_diagnostic_get_code (last), ==, "empty-configuration");
    g_assert_nonnull (strstr (location, "“Thumbs”"));
    g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), location));
  }

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fixture->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Problems");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (fixture->list_view), GTK_ACCESSIBLE_ROLE_LIST);
}

static void
test_valid (Fixture      *fixture,
            gconstpointer data)
{
  GtkWidget *status;

  g_assert_cmpuint (g_list_model_get_n_items (jg_graph_get_diagnostics (fixture->graph)), ==, 0);
  g_assert_cmpuint (jg_problems_list_get_n_items (fixture->list), ==, 0);
  g_assert_true (shows_placeholder (fixture));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fixture->list_view)));

  status = ui_test_find_descendant (GTK_WIDGET (fixture->list), ADW_TYPE_STATUS_PAGE);
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_get_mapped (status));
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (status)), ==, "emblem-ok-symbolic");
}

static void
n_items_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   guint      *n_notifies)
{
  (*n_notifies)++;
}

static void
test_live (Fixture      *fixture,
           gconstpointer data)
{
  JgTask *task = jg_graph_get_task (fixture->graph, 0);
  g_autoptr(JgEdit) clear_preset = NULL;
  g_autoptr(GError) error = NULL;
  guint n_notifies = 0;

  g_signal_connect (fixture->list, "notify::n-items", G_CALLBACK (n_items_notify_cb), &n_notifies);
  g_assert_true (shows_placeholder (fixture));

  /* Clearing the preset is one undoable edit; the warning shows up. */
  clear_preset = jg_edit_new_set (task, "configuration", "", NULL);
  g_assert_true (jg_history_apply (fixture->history, clear_preset, &error));
  g_assert_no_error (error);
  ui_test_settle ();
  g_assert_cmpuint (jg_problems_list_get_n_items (fixture->list), ==, 1);
  g_assert_cmpuint (n_notifies, ==, 1);
  assert_rows_match_diagnostics (fixture);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), "empty-configuration"));

  /* Undo brings the placeholder back. */
  g_assert_true (jg_history_undo (fixture->history, &error));
  g_assert_no_error (error);
  ui_test_settle ();
  g_assert_cmpuint (jg_problems_list_get_n_items (fixture->list), ==, 0);
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_true (shows_placeholder (fixture));

  /* Another graph replaces the rows; none replaces them with nothing. */
  {
    g_autoptr(JgGraph) broken = new_broken_graph ();

    jg_problems_list_set_graph (fixture->list, broken);
    ui_test_settle ();
    g_assert_true (jg_problems_list_get_graph (fixture->list) == broken);
    g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), "cycle"));

    jg_problems_list_set_graph (fixture->list, NULL);
    ui_test_settle ();
    g_assert_true (shows_placeholder (fixture));
    g_assert_cmpuint (jg_problems_list_get_n_items (fixture->list), ==, 0);
  }
}

static void
test_activate (Fixture      *fixture,
               gconstpointer data)
{
  GListModel *diagnostics = jg_graph_get_diagnostics (fixture->graph);
  guint       n_items = g_list_model_get_n_items (diagnostics);
  g_autoptr(JgDiagnostic) last = g_list_model_get_item (diagnostics, n_items - 1);

  /* A click (the list activates on a single click) or Enter on a row. */
  g_assert_true (gtk_list_view_get_single_click_activate (fixture->list_view));
  g_signal_emit_by_name (fixture->list_view, "activate", n_items - 1);
  g_assert_cmpuint (fixture->n_activated, ==, 1);
  g_assert_true (fixture->activated == last);
  g_assert_cmpstr (jg_diagnostic_get_code (fixture->activated), ==, "empty-configuration");
}

static void
test_finalize (void)
{
  g_autoptr(JgGraph) graph = new_broken_graph ();
  GtkWidget *list = jg_problems_list_new ();

  g_object_ref_sink (list);
  jg_problems_list_set_graph (JG_PROBLEMS_LIST (list), graph);
  g_assert_finalize_object (list);
}

int
main (int   argc,
      char *argv[])
{
  /* Isolating the directories hides the system's GSettings schemas, which
   * libadwaita reads at start-up: load them first (settings still go to
   * the memory backend).
   */
  g_settings_schema_source_get_default ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

#define ADD(path, graph, func) \
  g_test_add ("/jobgraph/ui/problems/" path, Fixture, graph, fixture_set_up, func, fixture_tear_down)
  ADD ("broken", new_broken_graph, test_broken);
  ADD ("valid", new_valid_graph, test_valid);
  ADD ("live", new_valid_graph, test_live);
  ADD ("activate", new_broken_graph, test_activate);
#undef ADD
  g_test_add_func ("/jobgraph/ui/problems/finalize", test_finalize);

  return g_test_run ();
}
