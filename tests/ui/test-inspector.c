/* test-inspector.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "jg-inspector.h"

typedef struct
{
  JgGraph       *graph;
  JgHistory     *history;
  JgSelection   *selection;
  JgJobInput    *input;
  JgTask        *encode;
  JgTask        *thumbs;
  JgOutputAsset *encoded;
  JgOutputAsset *pictures;
  GtkWidget     *window;
  GtkWidget     *other;
  JgInspector   *inspector;
} Fixture;

static void
wait_idle (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
has_title (GtkWidget  *widget,
           const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
  if (ADW_IS_PREFERENCES_GROUP (widget))
    return g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), title) == 0;
  if (GTK_IS_LABEL (widget))
    return strstr (gtk_label_get_text (GTK_LABEL (widget)), title) != NULL;
  if (GTK_IS_BUTTON (widget))
    return gtk_widget_has_css_class (widget, title);

  return FALSE;
}

/* The first shown widget of @type under @root, with @title (a row's or a
 * group's title, part of a label's text, or a button's style class): what
 * a user can see, not hidden pages.
 */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child) || !gtk_widget_get_child_visible (child))
        continue;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (title == NULL || has_title (child, title)))
        return child;

      found = find_widget (child, type, title);
      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  GtkWidget *row = find_widget (GTK_WIDGET (fixture->inspector), ADW_TYPE_PREFERENCES_ROW, title);

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_mapped (row));

  return row;
}

static const char *
shown_page (Fixture *fixture)
{
  GtkWidget *stack = find_widget (GTK_WIDGET (fixture->inspector), GTK_TYPE_STACK, NULL);

  g_assert_nonnull (stack);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

/* Types into an entry row and presses Enter, as a user would. */
static void
type_and_activate (GtkWidget  *row,
                   const char *text)
{
  GtkWidget *inner = find_widget (row, GTK_TYPE_TEXT, NULL);

  g_assert_nonnull (inner);
  gtk_widget_grab_focus (inner);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  /* Enter: GtkText binds it to ::activate. */
  g_signal_emit_by_name (inner, "activate");
  wait_idle ();
}

static GtkWidget *
diagnostic_label_under (GtkWidget *row)
{
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  /* The diagnostic row follows its field. */
  if (next == NULL || !gtk_widget_has_css_class (next, "jg-inspector-diagnostic") || !gtk_widget_get_visible (next))
    return NULL;

  return find_widget (next, GTK_TYPE_LABEL, NULL);
}

/* GTK 4 has no way to synthesize a key press; emit it on the row's key
 * controllers as GTK would.
 */
static void
press_key (GtkWidget *row,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }

  g_assert_true (handled);
  wait_idle ();
}

static void
apply (Fixture *fixture,
       JgEdit  *edit)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_history_apply (fixture->history, edit, &error));
  g_assert_no_error (error);
  jg_edit_unref (edit);
  wait_idle ();
}

static void
undo (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (jg_history_undo (fixture->history, &error));
  g_assert_no_error (error);
  wait_idle ();
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  const char *mes = jg_catalog_lookup_by_name ("Media Encoder Standard")->id;
  GtkWidget  *box;

  fixture->graph = jg_graph_new ();
  jg_graph_set_name (fixture->graph, "Job1");

  fixture->input = jg_job_input_new ("Mezzanine");
  jg_graph_append_input (fixture->graph, fixture->input);

  fixture->encoded = jg_output_asset_new ();
  jg_output_asset_set_asset_name (fixture->encoded, "Encoded");
  fixture->pictures = jg_output_asset_new ();

  fixture->encode = jg_task_new ("Encode", mes, "H264 Single Bitrate 720p");
  jg_graph_append_task (fixture->graph, fixture->encode);
  jg_graph_add_task_port (fixture->graph, fixture->encode, FALSE, JG_REF_JOB_INPUT, fixture->input, NULL);
  jg_graph_add_task_port (fixture->graph, fixture->encode, TRUE, JG_REF_OUTPUT_ASSET, fixture->encoded, NULL);

  fixture->thumbs = jg_task_new ("Thumbnails", mes, "H264 Single Bitrate 720p");
  jg_graph_append_task (fixture->graph, fixture->thumbs);
  jg_graph_add_task_port (fixture->graph, fixture->thumbs, FALSE, JG_REF_OUTPUT_ASSET, fixture->encoded, NULL);
  jg_graph_add_task_port (fixture->graph, fixture->thumbs, TRUE, JG_REF_OUTPUT_ASSET, fixture->pictures, NULL);
  jg_graph_validate (fixture->graph);

  fixture->history = jg_history_new (fixture->graph);
  fixture->selection = jg_selection_new ();

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 900);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  fixture->other = gtk_button_new_with_label ("Elsewhere");
  gtk_box_append (GTK_BOX (box), fixture->other);
  fixture->inspector = JG_INSPECTOR (jg_inspector_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->inspector), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->inspector));
  gtk_window_set_child (GTK_WINDOW (fixture->window), box);

  jg_inspector_set_history (fixture->inspector, fixture->history);
  jg_inspector_set_selection (fixture->inspector, fixture->selection);

  gtk_window_present (GTK_WINDOW (fixture->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->inspector)))
    g_main_context_iteration (NULL, TRUE);
  wait_idle ();
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  wait_idle ();

  g_clear_object (&fixture->selection);
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->input);
  g_clear_object (&fixture->encode);
  g_clear_object (&fixture->thumbs);
  g_clear_object (&fixture->encoded);
  g_clear_object (&fixture->pictures);
  g_assert_finalize_object (fixture->graph);
}

static void
test_job_page (Fixture      *fixture,
               gconstpointer data)
{
  GtkWidget *row;
  g_autoptr(GPtrArray) both = g_ptr_array_new ();

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (fixture->inspector), GTK_ACCESSIBLE_ROLE_GROUP);

  g_assert_cmpstr (shown_page (fixture), ==, "job");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Name"))), ==, "Job1");
  row = find_row (fixture, "JobInputAsset(0)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Mezzanine");

  /* Several nodes: the job again. */
  g_ptr_array_add (both, fixture->encode);
  g_ptr_array_add (both, fixture->thumbs);
  jg_selection_set_items (fixture->selection, both);
  wait_idle ();
  g_assert_cmpstr (shown_page (fixture), ==, "job");

  /* Rename the job and an input from the job page. */
  type_and_activate (find_row (fixture, "Name"), "Nightly");
  g_assert_cmpstr (jg_graph_get_name (fixture->graph), ==, "Nightly");
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Rename Job");

  type_and_activate (find_row (fixture, "JobInputAsset(0)"), "Camera A");
  g_assert_cmpstr (jg_job_input_get_label (fixture->input), ==, "Camera A");
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Rename Job Input");

  /* The API version dropdown. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (fixture, "API Version")), 0);
  wait_idle ();
  g_assert_cmpstr (jg_graph_get_api_version (fixture->graph), ==, "2.11");
  undo (fixture);
  g_assert_cmpstr (jg_graph_get_api_version (fixture->graph), ==, "2.19");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_row (fixture, "API Version"))), ==, 8);
}

static void
test_task_rename_undo (Fixture      *fixture,
                       gconstpointer data)
{
  GtkWidget *row;

  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();

  g_assert_cmpstr (shown_page (fixture), ==, "task");
  row = find_row (fixture, "Name");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Encode");

  type_and_activate (row, "Encode 720p");
  g_assert_cmpstr (jg_task_get_name (fixture->encode), ==, "Encode 720p");
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Rename Task");

  undo (fixture);
  g_assert_cmpstr (jg_task_get_name (fixture->encode), ==, "Encode");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Encode");
  g_assert_false (jg_history_can_undo (fixture->history));
}

static void
test_task_rename_one_step (Fixture      *fixture,
                           gconstpointer data)
{
  GtkWidget *row;
  GtkWidget *inner;

  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();
  row = find_row (fixture, "Name");
  inner = find_widget (row, GTK_TYPE_TEXT, NULL);
  gtk_widget_grab_focus (inner);

  /* Keystrokes change nothing until the field loses focus. */
  gtk_editable_set_text (GTK_EDITABLE (row), "E");
  gtk_editable_set_text (GTK_EDITABLE (row), "En");
  gtk_editable_set_text (GTK_EDITABLE (row), "Enc");
  wait_idle ();
  g_assert_cmpstr (jg_task_get_name (fixture->encode), ==, "Encode");
  g_assert_false (jg_history_can_undo (fixture->history));

  gtk_widget_grab_focus (fixture->other);
  wait_idle ();
  g_assert_cmpstr (jg_task_get_name (fixture->encode), ==, "Enc");

  undo (fixture);
  g_assert_cmpstr (jg_task_get_name (fixture->encode), ==, "Encode");
  g_assert_false (jg_history_can_undo (fixture->history));

  /* Switching to another node commits what was typed to the first one. */
  gtk_widget_grab_focus (inner);
  gtk_editable_set_text (GTK_EDITABLE (row), "Encode MP4");
  jg_selection_select (fixture->selection, fixture->thumbs, FALSE);
  wait_idle ();
  g_assert_cmpstr (jg_task_get_name (fixture->encode), ==, "Encode MP4");
  g_assert_cmpstr (jg_task_get_name (fixture->thumbs), ==, "Thumbnails");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Name"))), ==, "Thumbnails");
}

static void
test_task_processor (Fixture      *fixture,
                     gconstpointer data)
{
  const JgProcessorInfo *processors;
  const JgProcessorInfo *premium = jg_catalog_lookup_by_name ("Media Encoder Premium Workflow");
  guint                  n_processors;
  guint                  position = 0;
  GtkWidget             *row;

  processors = jg_catalog_get_processors (&n_processors);
  g_assert_nonnull (premium);
  position = premium - processors;

  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();
  row = find_row (fixture, "Media Processor");
  g_assert_cmpstr (processors[adw_combo_row_get_selected (ADW_COMBO_ROW (row))].name, ==, "Media Encoder Standard");

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
  wait_idle ();
  g_assert_cmpstr (jg_task_get_processor_id (fixture->encode), ==, premium->id);
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Change Media Processor");

  /* An id the catalog does not know gets its own item. */
  apply (fixture, jg_edit_new_set (fixture->encode, "processor-id",
                                   "nb:mpid:UUID:00000000-0000-0000-0000-000000000001", NULL));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, n_processors);
  g_assert_cmpstr (jg_task_get_processor_id (fixture->encode), ==, "nb:mpid:UUID:00000000-0000-0000-0000-000000000001");

  undo (fixture);
  undo (fixture);
  g_assert_cmpstr (processors[adw_combo_row_get_selected (ADW_COMBO_ROW (row))].name, ==, "Media Encoder Standard");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))), ==, n_processors);
}

static void
test_task_options_priority (Fixture      *fixture,
                            gconstpointer data)
{
  GtkWidget *toggle;
  GtkWidget *spin;

  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();

  toggle = find_widget (find_row (fixture, "Protect Configuration"), GTK_TYPE_SWITCH, NULL);
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  wait_idle ();
  g_assert_cmpint (jg_task_get_options (fixture->encode), ==, 1);
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Change Task Options");

  spin = find_widget (find_row (fixture, "Priority"), GTK_TYPE_SPIN_BUTTON, NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 3);
  wait_idle ();
  g_assert_cmpint (jg_task_get_priority (fixture->encode), ==, 3);

  undo (fixture);
  undo (fixture);
  g_assert_cmpint (jg_task_get_priority (fixture->encode), ==, 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 0);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_assert_false (jg_history_can_undo (fixture->history));
}

static void
test_preset_list (Fixture      *fixture,
                  gconstpointer data)
{
  GtkWidget *row;
  GtkWidget *button;
  GtkWidget *list;
  GtkWidget *chosen = NULL;
  guint      n_shown = 0;

  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();

  row = find_row (fixture, "Preset");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "H264 Single Bitrate 720p");

  /* Typing narrows the list to matching presets. */
  gtk_editable_set_text (GTK_EDITABLE (row), "multiple bitrate 1080");
  button = find_widget (row, GTK_TYPE_MENU_BUTTON, NULL);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  wait_idle ();
  list = find_widget (button, GTK_TYPE_LIST_BOX, NULL);
  g_assert_nonnull (list);

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_child_visible (child))
      {
        const char *text = gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (child))));

        g_assert_nonnull (strstr (text, "Multiple Bitrate 1080p"));
        if (g_str_equal (text, "H264 Multiple Bitrate 1080p"))
          chosen = child;
        n_shown++;
      }
  g_assert_cmpuint (n_shown, ==, 2);
  g_assert_nonnull (chosen);

  g_signal_emit_by_name (list, "row-activated", chosen);
  wait_idle ();
  g_assert_cmpstr (jg_task_get_configuration (fixture->encode), ==, "H264 Multiple Bitrate 1080p");
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Change Preset");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)))));

  undo (fixture);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "H264 Single Bitrate 720p");
}

static void
test_output_asset (Fixture      *fixture,
                   gconstpointer data)
{
  GtkWidget *row;

  /* From the task page: its outputs, by name. */
  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();
  row = find_row (fixture, "JobOutputAsset(0)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Encoded");
  type_and_activate (row, "Encoded MP4");
  g_assert_cmpstr (jg_output_asset_get_asset_name (fixture->encoded), ==, "Encoded MP4");
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Rename Output Asset");

  jg_selection_select_output (fixture->selection, fixture->encoded);
  wait_idle ();
  g_assert_cmpstr (shown_page (fixture), ==, "output");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Asset Name"))), ==, "Encoded MP4");

  type_and_activate (find_row (fixture, "Asset Name"), "Final");
  g_assert_cmpstr (jg_output_asset_get_asset_name (fixture->encoded), ==, "Final");

  /* Service Default, None, Storage Encrypted, Common…, Envelope… */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (fixture, "Creation Options")), 2);
  wait_idle ();
  g_assert_cmpint (jg_output_asset_get_creation_options (fixture->encoded), ==, 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (fixture, "Creation Options")), 4);
  wait_idle ();
  g_assert_cmpint (jg_output_asset_get_creation_options (fixture->encoded), ==, 4);
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Change Asset Creation Options");

  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (fixture, "Format")), 2);
  wait_idle ();
  g_assert_cmpint (jg_output_asset_get_format_option (fixture->encoded), ==, 1);

  type_and_activate (find_row (fixture, "Storage Account"), "archive");
  g_assert_cmpstr (jg_output_asset_get_storage_account_name (fixture->encoded), ==, "archive");
  type_and_activate (find_row (fixture, "Storage Account"), "");
  g_assert_null (jg_output_asset_get_storage_account_name (fixture->encoded));

  undo (fixture);
  undo (fixture);
  undo (fixture);
  g_assert_cmpint (jg_output_asset_get_format_option (fixture->encoded), ==, -1);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_row (fixture, "Format"))), ==, 0);

  /* A selected edge shows the asset it carries. */
  jg_selection_select_edge (fixture->selection, fixture->thumbs, 0);
  wait_idle ();
  g_assert_cmpstr (shown_page (fixture), ==, "output");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Asset Name"))), ==, "Final");
}

static void
test_input_page (Fixture      *fixture,
                 gconstpointer data)
{
  jg_selection_select (fixture->selection, fixture->input, FALSE);
  wait_idle ();
  g_assert_cmpstr (shown_page (fixture), ==, "input");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (fixture, "Label"))), ==, "Mezzanine");

  type_and_activate (find_row (fixture, "Asset Id"), "nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c");
  g_assert_cmpstr (jg_job_input_get_asset_id (fixture->input), ==, "nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c");
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Change Input Asset");
}

static void
test_diagnostics (Fixture      *fixture,
                  gconstpointer data)
{
  GtkWidget *preset;
  GtkWidget *processor;
  GtkWidget *label;
  GtkWidget *problems;

  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();
  preset = find_row (fixture, "Preset");
  processor = find_row (fixture, "Media Processor");
  g_assert_false (gtk_widget_has_css_class (preset, "warning"));
  g_assert_null (diagnostic_label_under (preset));
  g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (preset), GTK_ACCESSIBLE_STATE_INVALID));

  /* A preset the processor does not know: a warning beside the field. */
  type_and_activate (preset, "H264 Single Bitrate 720P");
  g_assert_cmpstr (shown_page (fixture), ==, "task");
  g_assert_true (gtk_widget_has_css_class (preset, "warning"));
  label = diagnostic_label_under (preset);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_next_sibling (gtk_widget_get_ancestor (label, ADW_TYPE_PREFERENCES_ROW)) == find_row (fixture, "Custom Preset"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "H264 Single Bitrate 720p"));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (preset), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);

  /* No processor: an error beside the processor row. */
  apply (fixture, jg_edit_new_set (fixture->encode, "processor-id", "", NULL));
  g_assert_true (gtk_widget_has_css_class (processor, "error"));
  label = diagnostic_label_under (processor);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "no media processor"));

  undo (fixture);
  undo (fixture);
  g_assert_false (gtk_widget_has_css_class (preset, "warning"));
  g_assert_false (gtk_widget_has_css_class (processor, "error"));
  g_assert_null (diagnostic_label_under (processor));
  g_assert_false (gtk_test_accessible_has_state (GTK_ACCESSIBLE (preset), GTK_ACCESSIBLE_STATE_INVALID));

  /* A problem of the task that no field holds goes to the Problems list. */
  g_assert_null (find_widget (GTK_WIDGET (fixture->inspector), ADW_TYPE_PREFERENCES_GROUP, "Problems"));
  apply (fixture, jg_edit_new_remove_port (fixture->encode, FALSE, 0));
  problems = find_widget (GTK_WIDGET (fixture->inspector), ADW_TYPE_PREFERENCES_GROUP, "Problems");
  g_assert_nonnull (problems);
  label = find_widget (problems, GTK_TYPE_LABEL, "reads no asset");
  g_assert_nonnull (label);

  /* The job page shows job problems: an input nobody reads. */
  jg_selection_clear (fixture->selection);
  wait_idle ();
  label = diagnostic_label_under (find_row (fixture, "JobInputAsset(0)"));
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "not read by any task"));
}

static void
test_follows_graph (Fixture      *fixture,
                    gconstpointer data)
{
  GtkWidget *name;
  GtkWidget *spin;

  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();
  name = find_row (fixture, "Name");

  apply (fixture, jg_edit_new_set (fixture->encode, "name", "Renamed elsewhere", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Renamed elsewhere");

  /* A change elsewhere leaves the text being typed alone. */
  gtk_widget_grab_focus (find_widget (name, GTK_TYPE_TEXT, NULL));
  gtk_editable_set_text (GTK_EDITABLE (name), "Typing");
  apply (fixture, jg_edit_new_set (fixture->encode, "priority", 5, NULL));
  spin = find_widget (find_row (fixture, "Priority"), GTK_TYPE_SPIN_BUTTON, NULL);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 5);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Typing");
  g_assert_cmpstr (jg_task_get_name (fixture->encode), ==, "Renamed elsewhere");

  /* Escape gives the typed text up. */
  gtk_widget_grab_focus (find_widget (name, GTK_TYPE_TEXT, NULL));
  press_key (name, GDK_KEY_Escape);
  wait_idle ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Renamed elsewhere");

  /* The task leaves the graph: the job page. */
  apply (fixture, jg_graph_build_remove_task (fixture->graph, fixture->encode));
  g_assert_cmpstr (shown_page (fixture), ==, "job");
}

static GtkWidget *
editor_status_label (GtkWidget *editor)
{
  GtkWidget *status = gtk_widget_get_last_child (gtk_window_get_child (GTK_WINDOW (editor)));

  g_assert_true (gtk_widget_has_css_class (status, "jg-inspector-editor-status"));

  return gtk_widget_get_last_child (status);
}

static void
test_custom_preset_editor (Fixture      *fixture,
                           gconstpointer data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget       *editor;
  GtkWidget       *view;
  GtkSourceBuffer *buffer;
  GtkWidget       *status;
  GtkWidget       *apply_button;

  apply (fixture, jg_edit_new_set (fixture->encode, "configuration", "<Preset>\n  <Encoding>\n</Preset>", NULL));
  jg_selection_select (fixture->selection, fixture->encode, FALSE);
  wait_idle ();

  /* A document is not shown in the one-line preset entry. */
  g_assert_null (find_widget (GTK_WIDGET (fixture->inspector), ADW_TYPE_ENTRY_ROW, "Preset"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (fixture, "Custom Preset"))), ==,
                   "XML preset, 3 lines");
  g_assert_true (gtk_widget_has_css_class (find_row (fixture, "Custom Preset"), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (diagnostic_label_under (find_row (fixture, "Custom Preset")))),
                            "does not parse"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inspector), "inspector.edit-configuration", NULL));
  wait_idle ();
  editor = jg_inspector_get_configuration_editor (fixture->inspector);
  g_assert_nonnull (editor);
  view = find_widget (editor, GTK_SOURCE_TYPE_VIEW, NULL);
  g_assert_nonnull (view);
  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));

  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (buffer)), ==, "xml");
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==, "Adwaita");
  status = editor_status_label (editor);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "Line 3"));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  wait_idle ();
  g_assert_cmpstr (gtk_source_style_scheme_get_id (gtk_source_buffer_get_style_scheme (buffer)), ==, "Adwaita-dark");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);

  /* Checked as the user types. */
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), "{ \"Codecs\": [] }", -1);
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (buffer)), ==, "json");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Well-formed JSON preset.");
  g_assert_cmpstr (jg_task_get_configuration (fixture->encode), ==, "<Preset>\n  <Encoding>\n</Preset>");

  apply_button = find_widget (gtk_window_get_titlebar (GTK_WINDOW (editor)), GTK_TYPE_BUTTON, "suggested-action");
  g_assert_nonnull (apply_button);
  g_signal_emit_by_name (apply_button, "clicked");
  wait_idle ();

  g_assert_null (jg_inspector_get_configuration_editor (fixture->inspector));
  g_assert_cmpstr (jg_task_get_configuration (fixture->encode), ==, "{ \"Codecs\": [] }");
  g_assert_cmpstr (jg_history_get_undo_label (fixture->history), ==, "Edit Custom Preset");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (fixture, "Custom Preset"))), ==,
                   "JSON preset, 1 line");
  g_assert_false (gtk_widget_has_css_class (find_row (fixture, "Custom Preset"), "error"));
}

/* JG_INSPECTOR_SHOW=task keeps a window with the inspector open, for
 * screenshots.
 */
static int
show (const char *what)
{
  Fixture fixture = { 0 };

  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  /* No AdwApplication here to load the app's stylesheet. */
  gtk_css_provider_load_from_resource (css, "/io/github/jobgraph/Jobgraph/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  fixture_set_up (&fixture, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 360, 860);
  if (g_str_equal (what, "task") || g_str_equal (what, "task-problem"))
    jg_selection_select (fixture.selection, fixture.encode, FALSE);
  if (g_str_equal (what, "task-problem"))
    {
      g_autoptr(JgEdit) edit = jg_edit_new_set (fixture.encode, "configuration", "H264 Single Bitrate 720P", NULL);
      jg_history_apply (fixture.history, edit, NULL);
    }
  if (g_str_equal (what, "output"))
    jg_selection_select_output (fixture.selection, fixture.encoded);
  if (g_getenv ("JG_INSPECTOR_DARK") != NULL)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  if (g_str_equal (what, "editor"))
    {
      g_autoptr(JgEdit) edit = jg_edit_new_set (fixture.encode, "configuration",
                                                 "<?xml version=\"1.0\"?>\n<Preset Version=\"1.0\">\n"
                                                 "  <Encoding>\n    <H264Video>\n  </Encoding>\n</Preset>\n",
                                                 NULL);
      jg_history_apply (fixture.history, edit, NULL);
      jg_selection_select (fixture.selection, fixture.encode, FALSE);
      wait_idle ();
      gtk_widget_activate_action (GTK_WIDGET (fixture.inspector), "inspector.edit-configuration", NULL);
    }

  for (;;)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* Isolated XDG dirs hide the installed GSettings schemas libadwaita
   * reads; the default schema source is looked up once, so look it up
   * before isolating (settings still go to the memory backend).
   */
  g_settings_schema_source_get_default ();
  /* Likewise GtkSourceView's language definitions and style schemes. */
  gtk_source_init ();
  g_assert_nonnull (gtk_source_language_manager_get_language_ids (gtk_source_language_manager_get_default ()));
  g_assert_nonnull (gtk_source_style_scheme_manager_get_scheme_ids (gtk_source_style_scheme_manager_get_default ()));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();
  adw_init ();

  if (g_getenv ("JG_INSPECTOR_SHOW") != NULL)
    return show (g_getenv ("JG_INSPECTOR_SHOW"));

#define ADD(path, func) \
  g_test_add ("/jobgraph/ui/inspector/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("job-page", test_job_page);
  ADD ("task-rename-undo", test_task_rename_undo);
  ADD ("task-rename-one-step", test_task_rename_one_step);
  ADD ("task-processor", test_task_processor);
  ADD ("task-options-priority", test_task_options_priority);
  ADD ("preset-list", test_preset_list);
  ADD ("output-asset", test_output_asset);
  ADD ("input-page", test_input_page);
  ADD ("diagnostics", test_diagnostics);
  ADD ("follows-graph", test_follows_graph);
  ADD ("custom-preset-editor", test_custom_preset_editor);
#undef ADD

  return g_test_run ();
}
