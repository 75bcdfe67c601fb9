/* test-palette.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the "add a task" palette popped up in a real window: the rows it
 * lists, filtering as the user types, keyboard moves, Enter, a click,
 * Escape, and what ::task-chosen reports.
 */

#include "config.h"

#include <adwaita.h>

#include "ui-test-util.h"

#include "jg-core.h"
#include "jg-task-palette.h"

#define MES_ID  "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"
#define AME_ID  "nb:mpid:UUID:2e7aa8f3-4961-4e0c-b4db-0e0439e524f5"
#define PRESET  "H264 Multiple Bitrate 720p"
#define TIMEOUT 60

typedef struct
{
  GtkWindow      *window;
  JgTaskPalette  *palette;
  GtkSearchEntry *entry;
  GtkListView    *list_view;

  guint           n_chosen;
  char           *processor_id;
  char           *preset;
} Fixture;

typedef gboolean (*Condition) (Fixture *fixture);

static void
wait_for (Fixture  *fixture,
          Condition condition)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  while (!condition (fixture))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for the palette");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  /* Let the list lay out and map its rows. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
palette_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->palette));
}

static gboolean
window_mapped (Fixture *fixture)
{
  return gtk_widget_get_mapped (GTK_WIDGET (fixture->window));
}

static GListModel *
rows (Fixture *fixture)
{
  return jg_task_palette_get_model (fixture->palette);
}

static char *
dup_row_string (Fixture    *fixture,
                guint       position,
                const char *property)
{
  g_autoptr(GObject) item = g_list_model_get_item (rows (fixture), position);
  char *value = NULL;

  g_assert_nonnull (item);
  g_object_get (item, property, &value, NULL);

  return value;
}

static int
find_row (Fixture    *fixture,
          const char *processor_id,
          const char *preset)
{
  guint n_items = g_list_model_get_n_items (rows (fixture));

  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *id = dup_row_string (fixture, i, "processor-id");
      g_autofree char *row_preset = dup_row_string (fixture, i, "preset");

      if (g_str_equal (id, processor_id) && g_strcmp0 (row_preset, preset) == 0)
        return (int)i;
    }

  return -1;
}

static void
task_chosen_cb (JgTaskPalette *palette,
                const char    *processor_id,
                const char    *preset,
                Fixture       *fixture)
{
  /* The palette is already closed when the window hears of the choice. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (palette)));

  fixture->n_chosen++;
  g_free (fixture->processor_id);
  g_free (fixture->preset);
  fixture->processor_id = g_strdup (processor_id);
  fixture->preset = g_strdup (preset);
}

static void
drain (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
popup (Fixture *fixture)
{
  jg_task_palette_reset (fixture->palette);
  gtk_popover_popup (GTK_POPOVER (fixture->palette));
  wait_for (fixture, palette_mapped);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  GtkWidget *anchor = gtk_button_new_with_label ("Add Task");

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 700);
  gtk_window_set_child (fixture->window, anchor);

  fixture->palette = JG_TASK_PALETTE (jg_task_palette_new ());
  gtk_widget_set_parent (GTK_WIDGET (fixture->palette), anchor);
  g_signal_connect (fixture->palette, "task-chosen", G_CALLBACK (task_chosen_cb), fixture);

  fixture->entry = GTK_SEARCH_ENTRY (ui_test_find_descendant (GTK_WIDGET (fixture->palette), GTK_TYPE_SEARCH_ENTRY));
  fixture->list_view = GTK_LIST_VIEW (ui_test_find_descendant (GTK_WIDGET (fixture->palette), GTK_TYPE_LIST_VIEW));
  g_assert_nonnull (fixture->entry);
  g_assert_nonnull (fixture->list_view);

  gtk_window_present (fixture->window);
  wait_for (fixture, window_mapped);
  popup (fixture);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  GtkWidget *anchor = gtk_window_get_child (fixture->window);

  /* Close and drain before destroying: GTK 4.8 still delivers queued events
   * to a popover's surface for a moment after it is gone, and the next
   * test's window would receive them (a critical in gdk_surface_*).
   */
  gtk_popover_popdown (GTK_POPOVER (fixture->palette));
  drain (100);
  gtk_widget_unparent (GTK_WIDGET (fixture->palette));
  g_assert_nonnull (anchor);
  gtk_window_destroy (fixture->window);
  drain (100);
  g_free (fixture->processor_id);
  g_free (fixture->preset);
}

static void
type_text (Fixture    *fixture,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (fixture->entry), text);
}

static guint expected_n_rows;

static gboolean
filter_applied (Fixture *fixture)
{
  return g_list_model_get_n_items (rows (fixture)) == expected_n_rows;
}

/* Types @text and waits for the search delay to apply it. */
static void
search (Fixture    *fixture,
        const char *text,
        guint       n_rows)
{
  type_text (fixture, text);
  expected_n_rows = n_rows;
  wait_for (fixture, filter_applied);
}

static guint
count_catalog_rows (const char *const *words)
{
  const JgProcessorInfo *processors;
  guint                  n_processors;
  guint                  n = 0;

  processors = jg_catalog_get_processors (&n_processors);
  for (guint i = 0; i < n_processors; i++)
    {
      for (guint j = 0; processors[i].presets && processors[i].presets[j]; j++)
        {
          g_autofree char *folded = g_utf8_casefold (processors[i].presets[j], -1);
          gboolean         all = TRUE;

          for (guint w = 0; words && words[w]; w++)
            all = all && strstr (folded, words[w]) != NULL;
          n += all;
        }

      n += words == NULL;
    }

  return n;
}

static void
test_rows (Fixture      *fixture,
           gconstpointer data)
{
  const JgProcessorInfo *processors;
  guint                  n_processors;
  int                    position;
  int                    ame;
  g_autofree char       *title = NULL;
  g_autofree char       *subtitle = NULL;
  g_autofree char       *ame_subtitle = NULL;
  g_autofree char       *ame_tag = NULL;
  g_autofree char       *mes_title = NULL;
  g_autofree char       *mes_tag = NULL;
  GtkWidget             *focus;

  processors = jg_catalog_get_processors (&n_processors);

  /* Every preset of every processor, plus one row per processor. */
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, count_catalog_rows (NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), >, 150);
  for (guint i = 0; i < n_processors; i++)
    g_assert_cmpint (find_row (fixture, processors[i].id, NULL), >=, 0);

  position = find_row (fixture, MES_ID, PRESET);
  g_assert_cmpint (position, >=, 0);
  title = dup_row_string (fixture, position, "title");
  subtitle = dup_row_string (fixture, position, "subtitle");
  g_assert_cmpstr (title, ==, PRESET);
  g_assert_cmpstr (subtitle, ==, "Media Encoder Standard · Microsoft");

  /* The processor's own row leads its group and says it takes no preset. */
  g_assert_cmpint (find_row (fixture, MES_ID, NULL), ==, 0);
  mes_title = dup_row_string (fixture, 0, "title");
  mes_tag = dup_row_string (fixture, 0, "tag");
  g_assert_cmpstr (mes_title, ==, "Media Encoder Standard");
  g_assert_cmpstr (mes_tag, ==, "No preset");

  /* A retired processor is marked and names its replacement. */
  ame = find_row (fixture, AME_ID, NULL);
  g_assert_cmpint (ame, >, position);
  ame_subtitle = dup_row_string (fixture, ame, "subtitle");
  ame_tag = dup_row_string (fixture, ame, "tag");
  g_assert_cmpstr (ame_tag, ==, "Deprecated");
  g_assert_nonnull (strstr (ame_subtitle, "Deprecated: use Media Encoder Standard"));

  /* The first row is highlighted and shown. */
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, 0);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), "Media Encoder Standard"));

  /* Typing goes to the search entry right away. */
  focus = gtk_window_get_focus (fixture->window);
  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (fixture->entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (fixture->entry)));

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fixture->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Search processors and presets");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (fixture->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Processors and presets");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (fixture->list_view), GTK_ACCESSIBLE_ROLE_LIST);
}

static void
test_filter (Fixture      *fixture,
             gconstpointer data)
{
  const char *const words[] = { "720p", "mult", NULL };
  guint             n_matches = count_catalog_rows (words);
  guint             n_items;
  GtkWidget        *empty;

  g_assert_cmpuint (n_matches, >=, 2);

  /* Case and word order do not matter. */
  search (fixture, "720P  Mult", n_matches);
  n_items = g_list_model_get_n_items (rows (fixture));
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *title = dup_row_string (fixture, i, "title");

      g_assert_nonnull (strstr (title, "720p"));
      g_assert_nonnull (strstr (title, "Multiple"));
    }
  /* The closest title comes first. */
  g_assert_cmpint (find_row (fixture, MES_ID, PRESET), ==, 0);
  g_assert_cmpint (find_row (fixture, MES_ID, "H264 Multiple Bitrate 720p Audio 5.1"), >, 0);
  g_assert_cmpint (find_row (fixture, MES_ID, "H264 Single Bitrate 720p"), ==, -1);
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, 0);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), PRESET));
  g_assert_null (ui_test_find_label (GTK_WIDGET (fixture->list_view), "H264 Single Bitrate 720p"));

  /* The description is searched on the processor's own row. */
  search (fixture, "speech", 2);
  g_assert_cmpint (find_row (fixture, "nb:mpid:UUID:233e57fc-36bb-4f6f-8f18-3b662747a9f8", NULL), >=, 0);

  /* Nothing matches: the palette says so. */
  search (fixture, "720p zzz", 0);
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, GTK_INVALID_LIST_POSITION);
  empty = GTK_WIDGET (gtk_widget_get_ancestor (GTK_WIDGET (fixture->list_view), GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (empty)), ==, "empty");
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->palette), "No processor or preset matches"));

  /* Enter with nothing to choose does nothing. */
  g_signal_emit_by_name (fixture->entry, "activate");
  g_assert_cmpuint (fixture->n_chosen, ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->palette)));

  search (fixture, "", count_catalog_rows (NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (empty)), ==, "list");
}

static void
test_keyboard (Fixture      *fixture,
               gconstpointer data)
{
  GListModel *shortcuts = gtk_widget_observe_controllers (GTK_WIDGET (fixture->entry));
  gboolean    bound_down = FALSE;
  gboolean    bound_up = FALSE;
  int         target;

  /* Up and Down are caught before the entry's text sees them. */
  for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (shortcuts, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          gboolean ours;

          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          ours = g_str_equal (action, "action(palette.move)");
          if (ours)
            g_assert_cmpint (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)), ==,
                             GTK_PHASE_CAPTURE);
          if (ours)
            {
              bound_down |= g_str_equal (trigger, "Down") && g_variant_get_int32 (gtk_shortcut_get_arguments (shortcut)) == 1;
              bound_up |= g_str_equal (trigger, "Up") && g_variant_get_int32 (gtk_shortcut_get_arguments (shortcut)) == -1;
            }
        }
    }
  g_object_unref (shortcuts);
  g_assert_true (bound_down);
  g_assert_true (bound_up);

  search (fixture, "720p mult", count_catalog_rows ((const char *const[]){ "720p", "mult", NULL }));
  target = find_row (fixture, MES_ID, PRESET " Audio 5.1");
  g_assert_cmpint (target, >, 0);

  /* Up at the top stays there; Down walks to the row. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->palette), "palette.move", "i", -1);
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, 0);
  for (int i = 0; i < target; i++)
    gtk_widget_activate_action (GTK_WIDGET (fixture->palette), "palette.move", "i", 1);
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, target);

  /* Page Down stops at the last row. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->palette), "palette.move", "i", 100);
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, g_list_model_get_n_items (rows (fixture)) - 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->palette), "palette.move", "i", -100);
  for (int i = 0; i < target; i++)
    gtk_widget_activate_action (GTK_WIDGET (fixture->palette), "palette.move", "i", 1);

  /* Enter chooses it and closes the palette. */
  g_signal_emit_by_name (fixture->entry, "activate");
  g_assert_cmpuint (fixture->n_chosen, ==, 1);
  g_assert_cmpstr (fixture->processor_id, ==, MES_ID);
  g_assert_cmpstr (fixture->preset, ==, PRESET " Audio 5.1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->palette)));
}

static void
test_enter (Fixture      *fixture,
            gconstpointer data)
{
  /* Type, then Enter: the highlighted best match is added. */
  search (fixture, "720p mult", count_catalog_rows ((const char *const[]){ "720p", "mult", NULL }));
  g_signal_emit_by_name (fixture->entry, "activate");
  g_assert_cmpuint (fixture->n_chosen, ==, 1);
  g_assert_cmpstr (fixture->processor_id, ==, MES_ID);
  g_assert_cmpstr (fixture->preset, ==, PRESET);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->palette)));
}

static void
test_no_preset (Fixture      *fixture,
                gconstpointer data)
{
  g_autofree char *tag = NULL;

  search (fixture, "standard no preset", 1);
  tag = dup_row_string (fixture, 0, "tag");
  g_assert_cmpstr (tag, ==, "No preset");
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), "No preset"));

  g_signal_emit_by_name (fixture->entry, "activate");
  g_assert_cmpuint (fixture->n_chosen, ==, 1);
  g_assert_cmpstr (fixture->processor_id, ==, MES_ID);
  g_assert_null (fixture->preset);
}

static void
test_click (Fixture      *fixture,
            gconstpointer data)
{
  int position = find_row (fixture, AME_ID, "H264 Broadband 720p");

  g_assert_cmpint (position, >, 0);

  /* What a click on a row does (the list activates on a single click). */
  g_assert_true (gtk_list_view_get_single_click_activate (fixture->list_view));
  g_signal_emit_by_name (fixture->list_view, "activate", (guint)position);
  g_assert_cmpuint (fixture->n_chosen, ==, 1);
  g_assert_cmpstr (fixture->processor_id, ==, AME_ID);
  g_assert_cmpstr (fixture->preset, ==, "H264 Broadband 720p");
}

static void
test_escape_and_reset (Fixture      *fixture,
                       gconstpointer data)
{
  search (fixture, "indexer", 2);
  gtk_widget_activate_action (GTK_WIDGET (fixture->palette), "palette.move", "i", 1);
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, 1);

  /* Escape in the search entry closes the palette without a choice. */
  g_signal_emit_by_name (fixture->entry, "stop-search");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->palette)));
  g_assert_cmpuint (fixture->n_chosen, ==, 0);

  /* Let the closed popover's surface go before opening it again, as a
   * user's next Ctrl+K would: GTK 4.8 may still have events queued for it.
   */
  drain (200);

  /* The next popup starts afresh. */
  popup (fixture);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fixture->entry)), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (rows (fixture)), ==, count_catalog_rows (NULL));
  g_assert_cmpuint (jg_task_palette_get_selected (fixture->palette), ==, 0);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->list_view), "Media Encoder Standard"));
}

static void
test_finalize (void)
{
  GtkWidget *palette = jg_task_palette_new ();

  g_object_ref_sink (palette);
  g_assert_finalize_object (palette);
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

#define ADD(path, func) g_test_add ("/jobgraph/ui/palette/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("rows", test_rows);
  ADD ("filter", test_filter);
  ADD ("keyboard", test_keyboard);
  ADD ("enter", test_enter);
  ADD ("no-preset", test_no_preset);
  ADD ("click", test_click);
  ADD ("escape-and-reset", test_escape_and_reset);
#undef ADD
  g_test_add_func ("/jobgraph/ui/palette/finalize", test_finalize);

  return g_test_run ();
}
