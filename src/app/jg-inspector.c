/* jg-inspector.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-inspector"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "jg-inspector.h"

typedef enum
{
  PAGE_JOB,
  PAGE_TASK,
  PAGE_OUTPUT,
  PAGE_INPUT,
} Page;

typedef enum
{
  FIELD_ENTRY,
  FIELD_SPIN,
  FIELD_SWITCH,
  FIELD_CHOICE,
} FieldKind;

/* One property of one object, edited by one row. A field belongs to its row
 * (object data), so signal handlers can never outlive it; the inspector only
 * keeps borrowed pointers to the fields of the page it shows.
 */
typedef struct
{
  JgInspector   *self;
  FieldKind      kind;
  GtkWidget     *row;
  GtkWidget     *control;   /* the spin button or switch, else the row */
  GtkWidget     *style_row; /* the row styled by a diagnostic */
  GtkWidget     *diag_row;
  GtkWidget     *diag_icon;
  GtkWidget     *diag_label;

  GObject       *object; /* owned; what the row edits now */
  const char    *property;
  const char    *edit_label; /* untranslated (N_) */
  const char    *diag_field; /* JgDiagnostic field shown here, or NULL */
  gboolean       shows_diagnostics;
  gboolean       null_if_empty;
  gboolean       dirty; /* the user typed since the last commit */

  /* FIELD_CHOICE: the value of each item, as text; items past n_fixed show
   * a value the list does not know (an imported processor id).
   */
  GtkStringList *labels;
  GPtrArray     *keys;
  guint          n_fixed;
  gboolean       int_keys;
} Field;

struct _JgInspector
{
  GtkWidget              parent_instance;

  JgHistory             *history;
  JgGraph               *graph;
  JgSelection           *selection;

  Page                   page;
  GObject               *object;       /* owned: the task, asset or input shown */
  GPtrArray             *fields;       /* borrowed Field *: the shown page's fields */
  GPtrArray             *dynamic_rows; /* borrowed rows added for inputs or outputs */
  GPtrArray             *dynamic_objects;
  GPtrArray             *problem_rows; /* borrowed rows of problems_group */
  guint                  updating;
  gboolean               in_refresh;
  gboolean               refresh_again;
  const JgProcessorInfo *preset_info;
  gboolean               preset_list_built;

  /* The custom preset editor, while open. */
  GtkWidget             *editor;
  GtkSourceBuffer       *editor_buffer;
  GtkWidget             *editor_status;
  GtkWidget             *editor_icon;
  GtkWidget             *editor_apply;
  JgTask                *editor_task;

  /* Template widgets */
  GtkWidget             *scroller;
  GtkWidget             *heading;
  GtkWidget             *subheading;
  GtkWidget             *problems_group;
  GtkWidget             *stack;
  GtkWidget             *job_name_row;
  GtkWidget             *job_priority_row;
  GtkWidget             *job_priority_spin;
  GtkWidget             *job_version_row;
  GtkWidget             *job_inputs_group;
  GtkWidget             *task_name_row;
  GtkWidget             *task_processor_row;
  GtkWidget             *task_priority_row;
  GtkWidget             *task_priority_spin;
  GtkWidget             *task_preset_row;
  GtkWidget             *task_preset_button;
  GtkWidget             *task_preset_popover;
  GtkWidget             *task_preset_list;
  GtkWidget             *task_custom_row;
  GtkWidget             *task_protect_row;
  GtkWidget             *task_protect_switch;
  GtkWidget             *task_outputs_group;
  GtkWidget             *output_group;
  GtkWidget             *output_name_row;
  GtkWidget             *output_creation_row;
  GtkWidget             *output_format_row;
  GtkWidget             *output_storage_row;
  GtkWidget             *input_group;
  GtkWidget             *input_label_row;
  GtkWidget             *input_asset_row;

  /* Fields of the template rows (owned by their rows) */
  Field                 *job_name;
  Field                 *job_priority;
  Field                 *job_version;
  Field                 *task_name;
  Field                 *task_processor;
  Field                 *task_priority;
  Field                 *task_preset;
  Field                 *task_protect;
  Field                 *output_name;
  Field                 *output_creation;
  Field                 *output_format;
  Field                 *output_storage;
  Field                 *input_label;
  Field                 *input_asset;
};

G_DEFINE_FINAL_TYPE (JgInspector, jg_inspector, GTK_TYPE_WIDGET)

static const char *const api_versions[] = {
  "2.11",
  "2.12",
  "2.13",
  "2.14",
  "2.15",
  "2.16",
  "2.17",
  "2.18",
  "2.19",
};

static void refresh (JgInspector *self);

/* Helpers */

static void
field_free (gpointer data)
{
  Field *field = data;

  g_clear_object (&field->object);
  g_clear_pointer (&field->keys, g_ptr_array_unref);
  g_clear_object (&field->labels);
  g_free (field);
}

static Field *
field_new (JgInspector *self,
           FieldKind    kind,
           GtkWidget   *row,
           GtkWidget   *control,
           const char  *property,
           const char  *edit_label)
{
  Field *field = g_new0 (Field, 1);

  field->self = self;
  field->kind = kind;
  field->row = row;
  field->control = control != NULL ? control : row;
  field->style_row = row;
  field->property = property;
  field->edit_label = edit_label;
  g_object_set_data_full (G_OBJECT (row), "jg-inspector-field", field, field_free);

  return field;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;

  return TRUE;
}

/* A Configuration holding a whole preset document rather than a preset
 * name: the one-line entry cannot show it, the editor can.
 */
static gboolean
is_document (const char *text)
{
  if (text == NULL)
    return FALSE;

  while (g_ascii_isspace (*text))
    text++;

  return *text == '<' || *text == '{' || *text == '[' || strchr (text, '\n') != NULL;
}

static const char *
language_for (const char *text)
{
  if (text == NULL)
    return NULL;

  while (g_ascii_isspace (*text))
    text++;

  if (*text == '<')
    return "xml";
  if (*text == '{' || *text == '[')
    return "json";

  return NULL;
}

static void
field_get_value (Field  *field,
                 GValue *value)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (field->object), field->property);

  g_value_init (value, pspec->value_type);
  g_object_get_property (field->object, field->property, value);
}

static char *
field_dup_string (Field *field)
{
  g_auto(GValue) value = G_VALUE_INIT;

  field_get_value (field, &value);
  if (G_VALUE_HOLDS_STRING (&value))
    return g_value_dup_string (&value);

  return g_strdup_printf ("%d", g_value_get_int (&value));
}

static int
field_get_int (Field *field)
{
  g_auto(GValue) value = G_VALUE_INIT;

  field_get_value (field, &value);

  return g_value_get_int (&value);
}

/* Applies @value as one undoable step, unless it is what the object
 * already holds.
 */
static void
field_apply (Field        *field,
             const GValue *value)
{
  JgInspector *self = field->self;
  g_autoptr(JgEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) current = G_VALUE_INIT;
  GParamSpec *pspec;

  if (self->history == NULL || field->object == NULL || self->updating > 0)
    return;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (field->object), field->property);
  field_get_value (field, &current);
  if (g_param_values_cmp (pspec, &current, value) == 0)
    return;

  edit = jg_edit_new_set_value (field->object, field->property, value);
  jg_edit_set_label (edit, _(field->edit_label));

  if (!jg_history_apply (self->history, edit, &error))
    {
      /* A property edit only fails on a programming error; keep the
       * user's text and say so.
       */
      g_critical ("Could not set %s: %s", field->property, error->message);
      refresh (self);
    }
}

static void
field_apply_string (Field      *field,
                    const char *text)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  field_apply (field, &value);
}

static void
field_apply_int (Field *field,
                 int    number)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, number);
  field_apply (field, &value);
}

static void
field_commit (Field *field)
{
  const char *text;

  if (field->kind != FIELD_ENTRY || !field->dirty)
    return;

  /* Cleared first: applying re-enters refresh(), which must now show
   * the model's value again.
   */
  field->dirty = FALSE;
  text = gtk_editable_get_text (GTK_EDITABLE (field->row));

  if (field->null_if_empty && text[0] == '\0')
    field_apply_string (field, NULL);
  else
    field_apply_string (field, text);
}

static void
commit_dirty_fields (JgInspector *self)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_copy (self->fields, NULL, NULL);

  for (guint i = 0; i < fields->len; i++)
    field_commit (g_ptr_array_index (fields, i));
}

static void
field_set_object (Field   *field,
                  gpointer object)
{
  if (field->object != object)
    {
      field->dirty = FALSE;
      g_set_object (&field->object, object);
    }
}

/* FIELD_CHOICE: selects the item for @key, adding an item after the fixed
 * ones for a value the list does not know.
 */
static void
field_choice_select (Field      *field,
                     const char *key,
                     const char *unknown_label)
{
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < field->n_fixed; i++)
    if (g_strcmp0 (g_ptr_array_index (field->keys, i), key) == 0)
      position = i;

  if (position == GTK_INVALID_LIST_POSITION && key != NULL)
    {
      const char *additions[] = { unknown_label, NULL };
      guint       n_extra = field->keys->len - field->n_fixed;

      if (n_extra == 0 || g_strcmp0 (g_ptr_array_index (field->keys, field->n_fixed), key) != 0)
        {
          gtk_string_list_splice (field->labels, field->n_fixed, n_extra, additions);
          g_ptr_array_set_size (field->keys, field->n_fixed);
          g_ptr_array_add (field->keys, g_strdup (key));
        }
      position = field->n_fixed;
    }
  else if (field->keys->len > field->n_fixed)
    {
      gtk_string_list_splice (field->labels, field->n_fixed, field->keys->len - field->n_fixed, NULL);
      g_ptr_array_set_size (field->keys, field->n_fixed);
    }

  if (adw_combo_row_get_selected (ADW_COMBO_ROW (field->row)) != position)
    adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), position);
}

static void
field_choice_add (Field      *field,
                  const char *key,
                  const char *label)
{
  gtk_string_list_append (field->labels, label);
  g_ptr_array_add (field->keys, g_strdup (key));
  field->n_fixed++;
}

static void
field_make_choice (Field   *field,
                   gboolean int_keys)
{
  field->labels = gtk_string_list_new (NULL);
  field->keys = g_ptr_array_new_with_free_func (g_free);
  field->int_keys = int_keys;
  adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (field->labels));
}

/* Shows the object's current value, unless the user is typing in it. */
static void
field_update (Field *field)
{
  g_autofree char *text = NULL;
  g_autofree char *unknown = NULL;

  if (field->object == NULL)
    return;

  switch (field->kind)
    {
    case FIELD_ENTRY:
      if (field->dirty)
        return;
      text = field_dup_string (field);
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (field->row)), text ? text : "") != 0)
        gtk_editable_set_text (GTK_EDITABLE (field->row), text ? text : "");
      break;

    case FIELD_SPIN:
      if (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->control)) != field_get_int (field))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->control), field_get_int (field));
      break;

    case FIELD_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (field->control), (field_get_int (field) & 1) != 0);
      break;

    case FIELD_CHOICE:
      text = field_dup_string (field);
      if (field->int_keys)
        unknown = g_strdup_printf (_("Other (%s)"), text);
      else
        unknown = g_strdup_printf (_("Unknown (%s)"), text ? text : "");
      field_choice_select (field, text, unknown);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Diagnostics */

static GtkWidget *
diagnostic_row_new (GtkWidget **icon,
                    GtkWidget **label)
{
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 9);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "jg-inspector-diagnostic");
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  *icon = gtk_image_new ();
  gtk_widget_set_valign (*icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), *icon);

  *label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (*label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (*label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (*label), 0);
  gtk_label_set_selectable (GTK_LABEL (*label), TRUE);
  gtk_widget_set_hexpand (*label, TRUE);
  gtk_box_append (GTK_BOX (box), *label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  return row;
}

static void
show_severity (GtkWidget *icon,
               GtkWidget *row,
               JgSeverity severity)
{
  gboolean error = severity == JG_SEVERITY_ERROR;

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, error ? _("Error") : _("Warning"), -1);
  gtk_widget_remove_css_class (row, error ? "warning" : "error");
  gtk_widget_add_css_class (row, error ? "error" : "warning");
}

/* Gives @field a row for its diagnostic, right under @after in the same
 * list. AdwPreferencesGroup 1.2 can only append, so template rows get theirs
 * inserted into the group's list box directly.
 */
static void
field_add_diagnostic_row (Field     *field,
                          GtkWidget *after)
{
  GtkWidget *list = gtk_widget_get_parent (after);

  g_assert (GTK_IS_LIST_BOX (list));

  field->shows_diagnostics = TRUE;
  field->diag_row = diagnostic_row_new (&field->diag_icon, &field->diag_label);
  gtk_widget_set_visible (field->diag_row, FALSE);
  gtk_list_box_insert (GTK_LIST_BOX (list), field->diag_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (after)) + 1);
}

static void
field_show_diagnostic (Field        *field,
                       JgDiagnostic *diagnostic)
{
  if (!field->shows_diagnostics)
    return;

  if (diagnostic == NULL)
    {
      gtk_widget_set_visible (field->diag_row, FALSE);
      gtk_widget_remove_css_class (field->style_row, "error");
      gtk_widget_remove_css_class (field->style_row, "warning");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field->style_row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field->style_row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  gtk_label_set_text (GTK_LABEL (field->diag_label), jg_diagnostic_get_message (diagnostic));
  show_severity (field->diag_icon, field->diag_row, jg_diagnostic_get_severity (diagnostic));
  show_severity (field->diag_icon, field->style_row, jg_diagnostic_get_severity (diagnostic));
  gtk_widget_set_visible (field->diag_row, TRUE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field->style_row),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->style_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, jg_diagnostic_get_message (diagnostic),
                                  -1);
}

/* The object a diagnostic is about, as the inspector's fields see it. */
static gpointer
diagnostic_object (JgInspector  *self,
                   JgDiagnostic *diagnostic)
{
  if (jg_diagnostic_get_subject (diagnostic) != NULL)
    return jg_diagnostic_get_subject (diagnostic);
  if (jg_diagnostic_get_task (diagnostic) != NULL)
    return jg_diagnostic_get_task (diagnostic);

  return self->graph;
}

static Field *
find_field_for (JgInspector  *self,
                JgDiagnostic *diagnostic)
{
  gpointer object = diagnostic_object (self, diagnostic);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->shows_diagnostics && (gpointer)field->object == object && g_strcmp0 (field->diag_field, jg_diagnostic_get_field (diagnostic)) == 0)
        return field;
    }

  return NULL;
}

static gboolean
diagnostic_is_shown_here (JgInspector  *self,
                          JgDiagnostic *diagnostic)
{
  GObject *subject = jg_diagnostic_get_subject (diagnostic);
  JgTask  *task = jg_diagnostic_get_task (diagnostic);

  switch (self->page)
    {
    case PAGE_JOB:
      return task == NULL && (subject == NULL || JG_IS_JOB_INPUT (subject));

    case PAGE_TASK:
      return (gpointer)task == (gpointer)self->object || (subject != NULL && g_ptr_array_find (self->dynamic_objects, subject, NULL));

    case PAGE_OUTPUT:
    case PAGE_INPUT:
      return subject == self->object;

    default:
      g_assert_not_reached ();
    }
}

static void
clear_problem_rows (JgInspector *self)
{
  for (guint i = 0; i < self->problem_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->problems_group),
                                  g_ptr_array_index (self->problem_rows, i));
  g_ptr_array_set_size (self->problem_rows, 0);
}

static void
update_diagnostics (JgInspector *self)
{
  GListModel *diagnostics = jg_graph_get_diagnostics (self->graph);
  g_autoptr(GHashTable) shown = g_hash_table_new (NULL, NULL);
  guint n = g_list_model_get_n_items (diagnostics);

  clear_problem_rows (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JgDiagnostic) diagnostic = g_list_model_get_item (diagnostics, i);
      Field *field;

      if (!diagnostic_is_shown_here (self, diagnostic))
        continue;

      field = find_field_for (self, diagnostic);
      if (field != NULL && !g_hash_table_contains (shown, field))
        {
          g_hash_table_add (shown, field);
          field_show_diagnostic (field, diagnostic);
        }
      else
        {
          GtkWidget *icon, *label;
          GtkWidget *row = diagnostic_row_new (&icon, &label);

          gtk_label_set_text (GTK_LABEL (label), jg_diagnostic_get_message (diagnostic));
          show_severity (icon, row, jg_diagnostic_get_severity (diagnostic));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->problems_group), row);
          g_ptr_array_add (self->problem_rows, row);
        }
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (!g_hash_table_contains (shown, field))
        field_show_diagnostic (field, NULL);
    }

  gtk_widget_set_visible (self->problems_group, self->problem_rows->len > 0);
}

/* Dynamic rows: the job's inputs, the task's outputs */

static void
clear_dynamic_rows (JgInspector *self)
{
  for (guint i = 0; i < self->dynamic_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->dynamic_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      g_ptr_array_remove (self->fields, g_object_get_data (G_OBJECT (row), "jg-inspector-field"));
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }

  g_ptr_array_set_size (self->dynamic_rows, 0);
  g_ptr_array_set_size (self->dynamic_objects, 0);
}

static gboolean
same_objects (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (g_ptr_array_index (a, i) != g_ptr_array_index (b, i))
      return FALSE;

  return TRUE;
}

static void connect_entry_field (Field *field);

static void
go_to_object_cb (GtkButton *button,
                 gpointer   object)
{
  JgInspector *self = JG_INSPECTOR (gtk_widget_get_ancestor (GTK_WIDGET (button), JG_TYPE_INSPECTOR));

  if (self->selection == NULL)
    return;

  if (JG_IS_OUTPUT_ASSET (object))
    jg_selection_select_output (self->selection, object);
  else
    jg_selection_select (self->selection, object, FALSE);
}

static void
add_dynamic_row (JgInspector *self,
                 GtkWidget   *group,
                 GObject     *object,
                 const char  *property,
                 const char  *edit_label,
                 const char  *diag_field,
                 const char  *go_tooltip)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *go = gtk_button_new_from_icon_name ("go-next-symbolic");
  Field     *field = field_new (self, FIELD_ENTRY, row, NULL, property, edit_label);

  field->diag_field = diag_field;
  field->null_if_empty = JG_IS_OUTPUT_ASSET (object);
  field_set_object (field, object);
  connect_entry_field (field);

  gtk_widget_set_valign (go, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (go, "flat");
  gtk_widget_set_tooltip_text (go, go_tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (go), GTK_ACCESSIBLE_PROPERTY_LABEL, go_tooltip, -1);
  g_signal_connect (go, "clicked", G_CALLBACK (go_to_object_cb), object);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), go);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  field_add_diagnostic_row (field, row);

  g_ptr_array_add (self->dynamic_rows, row);
  g_ptr_array_add (self->dynamic_rows, field->diag_row);
  g_ptr_array_add (self->dynamic_objects, g_object_ref (object));
  g_ptr_array_add (self->fields, field);
}

static void
sync_dynamic_rows (JgInspector *self,
                   GtkWidget   *group,
                   GPtrArray   *objects)
{
  gtk_widget_set_visible (group, objects->len > 0);

  if (same_objects (objects, self->dynamic_objects))
    return;

  commit_dirty_fields (self);
  clear_dynamic_rows (self);

  for (guint i = 0; i < objects->len; i++)
    {
      GObject *object = g_ptr_array_index (objects, i);

      if (JG_IS_JOB_INPUT (object))
        add_dynamic_row (self, group, object, "label", N_("Rename Job Input"), NULL, _("Show Job Input"));
      else
        add_dynamic_row (self, group, object, "asset-name", N_("Rename Output Asset"), "assetName", _("Show Output Asset"));
    }
}

static void
update_dynamic_rows (JgInspector *self)
{
  for (guint i = 0; i < self->dynamic_rows->len; i++)
    {
      GtkWidget       *row = g_ptr_array_index (self->dynamic_rows, i);
      Field           *field = g_object_get_data (G_OBJECT (row), "jg-inspector-field");
      g_autofree char *title = NULL;

      if (field == NULL)
        continue;

      if (JG_IS_JOB_INPUT (field->object))
        title = g_strdup_printf ("JobInputAsset(%d)", jg_job_input_get_index (JG_JOB_INPUT (field->object)));
      else
        title = g_strdup_printf ("JobOutputAsset(%d)", jg_output_asset_get_index (JG_OUTPUT_ASSET (field->object)));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      field_update (field);
    }
}

/* Pages */

static void
set_heading (JgInspector *self,
             const char  *heading,
             const char  *fallback,
             const char  *subheading)
{
  gtk_label_set_text (GTK_LABEL (self->heading), !is_blank (heading) ? heading : fallback);
  gtk_label_set_text (GTK_LABEL (self->subheading), subheading);
  gtk_widget_set_visible (self->subheading, subheading != NULL && subheading[0] != '\0');
}

static void
update_job_page (JgInspector *self)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  guint            n_items = self->selection ? jg_selection_get_n_items (self->selection) : 0;
  guint            n_tasks = jg_graph_get_n_tasks (self->graph);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < jg_graph_get_n_inputs (self->graph); i++)
    g_ptr_array_add (inputs, jg_graph_get_input (self->graph, i));

  if (n_items > 1)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Job · %u item selected",
                                            "Job · %u items selected", n_items),
                               n_items);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Job · %u task", "Job · %u tasks", n_tasks),
                               n_tasks);

  set_heading (self, jg_graph_get_name (self->graph), _("Untitled Job"), summary);
  sync_dynamic_rows (self, self->job_inputs_group, inputs);
  update_dynamic_rows (self);

  field_update (self->job_name);
  field_update (self->job_priority);
  field_update (self->job_version);
}

static gboolean
preset_filter_func (GtkListBoxRow *row,
                    gpointer       user_data)
{
  JgInspector     *self = user_data;
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (self->task_preset_row));
  const char      *preset = g_object_get_data (G_OBJECT (row), "jg-preset");
  g_autofree char *folded_text = NULL;
  g_autofree char *folded_preset = NULL;

  /* An exact preset, or nothing typed yet: offer every preset. */
  if (is_blank (text) || self->preset_info == NULL || jg_catalog_has_preset (self->preset_info, text))
    return TRUE;

  folded_text = g_utf8_casefold (text, -1);
  folded_preset = g_utf8_casefold (preset, -1);

  return strstr (folded_preset, g_strstrip (folded_text)) != NULL;
}

static void
build_preset_list (JgInspector           *self,
                   const JgProcessorInfo *info)
{
  GtkWidget *child;

  if (self->preset_list_built && self->preset_info == info)
    return;

  self->preset_info = info;
  self->preset_list_built = TRUE;

  while ((child = gtk_widget_get_first_child (self->task_preset_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->task_preset_list), child);

  for (guint i = 0; info != NULL && info->presets != NULL && info->presets[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (info->presets[i]);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_widget_set_tooltip_text (row, info->presets[i]);
      g_object_set_data (G_OBJECT (row), "jg-preset", (gpointer)info->presets[i]);
      gtk_list_box_append (GTK_LIST_BOX (self->task_preset_list), row);
    }

  gtk_widget_set_visible (self->task_preset_button, info != NULL && info->presets != NULL);
}

static char *
describe_configuration (const char *configuration)
{
  const char *language = language_for (configuration);
  int         n_lines = 1;

  if (!is_document (configuration))
    return g_strdup (_("Write an XML or JSON preset"));

  for (const char *p = configuration; *p; p++)
    if (*p == '\n')
      n_lines++;

  if (g_strcmp0 (language, "xml") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "XML preset, %d line", "XML preset, %d lines", n_lines),
                            n_lines);
  if (g_strcmp0 (language, "json") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "JSON preset, %d line", "JSON preset, %d lines", n_lines),
                            n_lines);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Text, %d line", "Text, %d lines", n_lines), n_lines);
}

static void
update_task_page (JgInspector *self)
{
  JgTask                *task = JG_TASK (self->object);
  const char            *configuration = jg_task_get_configuration (task);
  const JgProcessorInfo *info = jg_catalog_lookup (jg_task_get_processor_id (task));
  g_autoptr(GPtrArray) outputs = g_ptr_array_new ();
  g_autofree char *description = NULL;
  gboolean         document = is_document (configuration);

  for (guint i = 0; i < jg_task_get_n_outputs (task); i++)
    {
      GObject *object = NULL;

      if (jg_task_get_output (task, i, &object, NULL) == JG_REF_OUTPUT_ASSET && !g_ptr_array_find (outputs, object, NULL))
        g_ptr_array_add (outputs, object);
    }

  set_heading (self, jg_task_get_name (task), _("Unnamed Task"), info != NULL ? info->name : jg_task_get_processor_id (task));

  sync_dynamic_rows (self, self->task_outputs_group, outputs);
  update_dynamic_rows (self);
  build_preset_list (self, info);

  field_update (self->task_name);
  field_update (self->task_processor);
  field_update (self->task_priority);
  field_update (self->task_protect);

  /* A whole preset document lives in the editor, not in a one-line entry;
   * its problems then mark the editor's row.
   */
  gtk_widget_set_visible (self->task_preset_row, !document);
  if (self->task_preset->style_row != (document ? self->task_custom_row : self->task_preset_row))
    {
      GtkWidget *anchor = document ? self->task_custom_row : self->task_preset_row;
      GtkWidget *list = gtk_widget_get_parent (anchor);
      GtkWidget *diag_row = self->task_preset->diag_row;

      field_show_diagnostic (self->task_preset, NULL);
      self->task_preset->style_row = anchor;

      /* Keep the diagnostic right under the row that shows the value. */
      g_object_ref (diag_row);
      gtk_list_box_remove (GTK_LIST_BOX (list), diag_row);
      gtk_list_box_insert (GTK_LIST_BOX (list), diag_row, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (anchor)) + 1);
      g_object_unref (diag_row);
    }
  if (!document)
    field_update (self->task_preset);
  else
    self->task_preset->dirty = FALSE;

  description = describe_configuration (configuration);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->task_custom_row), description);
}

static JgTask *
find_writer (JgInspector   *self,
             JgOutputAsset *asset)
{
  for (guint i = 0; i < jg_graph_get_n_tasks (self->graph); i++)
    {
      JgTask *task = jg_graph_get_task (self->graph, i);

      for (guint p = 0; p < jg_task_get_n_outputs (task); p++)
        {
          GObject *object = NULL;

          if (jg_task_get_output (task, p, &object, NULL) == JG_REF_OUTPUT_ASSET && object == (GObject *)asset)
            return task;
        }
    }

  return NULL;
}

static void
update_output_page (JgInspector *self)
{
  JgOutputAsset   *asset = JG_OUTPUT_ASSET (self->object);
  JgTask          *writer = find_writer (self, asset);
  g_autofree char *reference = g_strdup_printf ("JobOutputAsset(%d)", jg_output_asset_get_index (asset));
  g_autofree char *subheading = NULL;

  if (writer != NULL)
    /* Translators: "JobOutputAsset(1), written by Encode 720p" */
    subheading = g_strdup_printf (_("%s, written by %s"), reference,
                                     !is_blank (jg_task_get_name (writer)) ? jg_task_get_name (writer)
                                                                           : _("Unnamed Task"));
  else
    subheading = g_strdup (reference);

  set_heading (self, jg_output_asset_get_asset_name (asset), reference, subheading);
  field_update (self->output_name);
  field_update (self->output_creation);
  field_update (self->output_format);
  field_update (self->output_storage);
}

static void
update_input_page (JgInspector *self)
{
  JgJobInput      *input = JG_JOB_INPUT (self->object);
  g_autofree char *reference = g_strdup_printf ("JobInputAsset(%d)", jg_job_input_get_index (input));

  set_heading (self, jg_job_input_get_label (input), reference, reference);
  field_update (self->input_label);
  field_update (self->input_asset);
}

static gboolean
graph_has_output (JgGraph       *graph,
                  JgOutputAsset *asset)
{
  g_autoptr(GPtrArray) assets = jg_graph_dup_output_assets (graph);

  return g_ptr_array_find (assets, asset, NULL);
}

/* What the selection asks the inspector to show. */
static Page
resolve_target (JgInspector *self,
                GObject    **object)
{
  JgOutputAsset *asset;
  JgTask        *reader = NULL;
  guint          index = 0;

  *object = NULL;

  if (self->graph == NULL || self->selection == NULL)
    return PAGE_JOB;

  asset = jg_selection_get_output (self->selection);
  if (asset != NULL && graph_has_output (self->graph, asset))
    {
      *object = G_OBJECT (asset);
      return PAGE_OUTPUT;
    }

  if (jg_selection_get_edge (self->selection, &reader, &index) && jg_graph_find_task (self->graph, reader) >= 0 && index < jg_task_get_n_inputs (reader))
    {
      GObject  *source = NULL;
      JgRefKind kind = jg_task_get_input (reader, index, &source, NULL);

      /* An edge carries an asset: show that asset. */
      if (kind == JG_REF_OUTPUT_ASSET)
        {
          *object = source;
          return PAGE_OUTPUT;
        }
      if (kind == JG_REF_JOB_INPUT)
        {
          *object = source;
          return PAGE_INPUT;
        }

      *object = G_OBJECT (reader);
      return PAGE_TASK;
    }

  if (jg_selection_get_n_items (self->selection) == 1)
    {
      gpointer primary = jg_selection_get_primary (self->selection);

      if (JG_IS_TASK (primary) && jg_graph_find_task (self->graph, primary) >= 0)
        {
          *object = primary;
          return PAGE_TASK;
        }
      if (JG_IS_JOB_INPUT (primary) && jg_graph_find_input (self->graph, primary) >= 0)
        {
          *object = primary;
          return PAGE_INPUT;
        }
    }

  return PAGE_JOB;
}

static void
set_page_fields (JgInspector *self,
                 Page         page)
{
  static const char *const names[] = { "job", "task", "output", "input" };
  Field                   *page_fields[4][5] = {
                      { self->job_name, self->job_priority, self->job_version },
                      { self->task_name, self->task_processor, self->task_priority, self->task_preset, self->task_protect },
                      { self->output_name, self->output_creation, self->output_format, self->output_storage },
                      { self->input_label, self->input_asset },
  };

  clear_dynamic_rows (self);
  g_ptr_array_set_size (self->fields, 0);

  for (guint i = 0; i < G_N_ELEMENTS (page_fields[page]) && page_fields[page][i] != NULL; i++)
    {
      Field *field = page_fields[page][i];

      field_set_object (field, page == PAGE_JOB ? G_OBJECT (self->graph) : self->object);
      g_ptr_array_add (self->fields, field);
    }

  self->page = page;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), names[page]);
}

static void
refresh (JgInspector *self)
{
  if (self->in_refresh)
    {
      self->refresh_again = TRUE;
      return;
    }

  self->in_refresh = TRUE;

  do
    {
      g_autoptr(GObject) object = NULL;
      GObject *target = NULL;
      Page     page;

      self->refresh_again = FALSE;
      page = resolve_target (self, &target);

      if (page != self->page || target != self->object || (self->fields->len == 0 && self->graph != NULL))
        {
          /* Edits typed for the previous object still go to it. */
          commit_dirty_fields (self);
          if (self->refresh_again)
            continue;

          object = g_steal_pointer (&self->object);
          self->object = target != NULL ? g_object_ref (target) : NULL;
          set_page_fields (self, page);
        }

      if (self->graph == NULL)
        break;

      self->updating++;
      switch (self->page)
        {
        case PAGE_JOB:
          update_job_page (self);
          break;
        case PAGE_TASK:
          update_task_page (self);
          break;
        case PAGE_OUTPUT:
          update_output_page (self);
          break;
        case PAGE_INPUT:
          update_input_page (self);
          break;
        default:
          g_assert_not_reached ();
        }
      update_diagnostics (self);
      self->updating--;
    }
  while (self->refresh_again);

  self->in_refresh = FALSE;
}

/* The custom preset editor */

static void editor_check (JgInspector *self);

static void
update_editor_scheme (JgInspector *self)
{
  AdwStyleManager      *manager = adw_style_manager_get_default ();
  GtkSourceStyleScheme *scheme;

  scheme = gtk_source_style_scheme_manager_get_scheme (gtk_source_style_scheme_manager_get_default (),
                                                       adw_style_manager_get_dark (manager) ? "Adwaita-dark"
                                                                                            : "Adwaita");
  gtk_source_buffer_set_style_scheme (self->editor_buffer, scheme);
}

static void
style_manager_dark_cb (AdwStyleManager *manager,
                       GParamSpec      *pspec,
                       JgInspector     *self)
{
  if (self->editor_buffer != NULL)
    update_editor_scheme (self);
}

static char *
dup_editor_text (JgInspector *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->editor_buffer), &start, &end);

  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (self->editor_buffer), &start, &end, FALSE);
}

/* The first Configuration diagnostic the graph would report for the task
 * with @configuration: the same rules, run on a one-task scratch graph.
 */
static JgDiagnostic *
check_configuration (JgTask     *task,
                     const char *configuration)
{
  g_autoptr(JgGraph) scratch = jg_graph_new ();
  g_autoptr(JgTask) copy = jg_task_new (jg_task_get_name (task), jg_task_get_processor_id (task), configuration);
  g_autoptr(GPtrArray) diagnostics = NULL;

  jg_graph_append_task (scratch, copy);
  diagnostics = jg_validate_graph (scratch, NULL);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      JgDiagnostic *diagnostic = g_ptr_array_index (diagnostics, i);

      if (g_strcmp0 (jg_diagnostic_get_field (diagnostic), "Configuration") == 0)
        return g_object_ref (diagnostic);
    }

  return NULL;
}

static void
editor_check (JgInspector *self)
{
  GtkTextBuffer   *buffer = GTK_TEXT_BUFFER (self->editor_buffer);
  g_autofree char *text = dup_editor_text (self);
  g_autoptr(JgDiagnostic) diagnostic = NULL;
  const char        *language_id = language_for (text);
  GtkSourceLanguage *language = NULL;
  GtkTextIter        start, end;
  int                line, column;

  if (language_id != NULL)
    language = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (), language_id);
  if (gtk_source_buffer_get_language (self->editor_buffer) != language)
    gtk_source_buffer_set_language (self->editor_buffer, language);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, "jg-error", &start, &end);

  gtk_widget_remove_css_class (self->editor_status, "error");
  gtk_widget_remove_css_class (self->editor_status, "warning");

  diagnostic = check_configuration (self->editor_task, text);
  if (diagnostic == NULL)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->editor_icon), "emblem-ok-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("No problems"), -1);
      if (g_strcmp0 (language_id, "xml") == 0)
        gtk_label_set_text (GTK_LABEL (self->editor_status), _("Well-formed XML preset."));
      else if (g_strcmp0 (language_id, "json") == 0)
        gtk_label_set_text (GTK_LABEL (self->editor_status), _("Well-formed JSON preset."));
      else
        gtk_label_set_text (GTK_LABEL (self->editor_status), _("No problems."));
      return;
    }

  show_severity (self->editor_icon, self->editor_status, jg_diagnostic_get_severity (diagnostic));

  if (jg_diagnostic_get_position (diagnostic, &line, &column) && line > 0)
    {
      g_autofree char *message = NULL;

      /* Translators: a position in the preset, then what is wrong there. */
      message = g_strdup_printf (_("Line %d, column %d: %s"), line, column, jg_diagnostic_get_message (diagnostic));
      gtk_label_set_text (GTK_LABEL (self->editor_status), message);

      if (gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1))
        {
          end = start;
          if (!gtk_text_iter_ends_line (&end))
            gtk_text_iter_forward_to_line_end (&end);
          gtk_text_buffer_apply_tag_by_name (buffer, "jg-error", &start, &end);
        }
    }
  else
    gtk_label_set_text (GTK_LABEL (self->editor_status), jg_diagnostic_get_message (diagnostic));
}

static void
editor_buffer_changed_cb (GtkTextBuffer *buffer,
                          JgInspector   *self)
{
  editor_check (self);
}

static void
editor_apply_cb (GtkButton   *button,
                 JgInspector *self)
{
  g_autofree char *text = dup_editor_text (self);
  g_autoptr(JgEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  if (self->history != NULL && g_strcmp0 (text, jg_task_get_configuration (self->editor_task)) != 0)
    {
      edit = jg_edit_new_set (self->editor_task, "configuration", text, NULL);
      jg_edit_set_label (edit, _("Edit Custom Preset"));
      if (!jg_history_apply (self->history, edit, &error))
        g_critical ("Could not set the configuration: %s", error->message);
    }

  gtk_window_destroy (GTK_WINDOW (self->editor));
}

static void
editor_cancel_cb (GtkButton   *button,
                  JgInspector *self)
{
  gtk_window_destroy (GTK_WINDOW (self->editor));
}

static void
editor_destroy_cb (GtkWidget   *editor,
                   JgInspector *self)
{
  self->editor = NULL;
  self->editor_status = NULL;
  self->editor_icon = NULL;
  self->editor_apply = NULL;
  g_clear_object (&self->editor_buffer);
  g_clear_object (&self->editor_task);
}

static void
open_editor (JgInspector *self,
             JgTask      *task)
{
  GtkWidget  *header, *title, *cancel, *box, *scroller, *view, *status;
  GtkRoot    *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *configuration = jg_task_get_configuration (task);

  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return;
    }

  gtk_source_init ();

  self->editor_task = g_object_ref (task);
  self->editor = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (self->editor), _("Custom Preset"));
  gtk_window_set_default_size (GTK_WINDOW (self->editor), 680, 520);
  gtk_window_set_modal (GTK_WINDOW (self->editor), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self->editor), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self->editor), GTK_WINDOW (root));
  g_signal_connect (self->editor, "destroy", G_CALLBACK (editor_destroy_cb), self);

  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  title = adw_window_title_new (_("Custom Preset"), !is_blank (jg_task_get_name (task)) ? jg_task_get_name (task)
                                                                                         : _("Unnamed Task"));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect (cancel, "clicked", G_CALLBACK (editor_cancel_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->editor_apply = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_widget_add_css_class (self->editor_apply, "suggested-action");
  g_signal_connect (self->editor_apply, "clicked", G_CALLBACK (editor_apply_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->editor_apply);
  gtk_window_set_titlebar (GTK_WINDOW (self->editor), header);
  gtk_window_set_default_widget (GTK_WINDOW (self->editor), self->editor_apply);

  self->editor_buffer = gtk_source_buffer_new (NULL);
  gtk_text_buffer_create_tag (GTK_TEXT_BUFFER (self->editor_buffer), "jg-error",
                              "underline", PANGO_UNDERLINE_ERROR,
                              NULL);
  update_editor_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_manager_dark_cb), self, 0);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->editor_buffer),
                            is_document (configuration) ? configuration : "", -1);
  g_signal_connect (self->editor_buffer, "changed", G_CALLBACK (editor_buffer_changed_cb), self);

  view = gtk_source_view_new_with_buffer (self->editor_buffer);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_source_view_set_show_line_numbers (GTK_SOURCE_VIEW (view), TRUE);
  gtk_source_view_set_highlight_current_line (GTK_SOURCE_VIEW (view), TRUE);
  gtk_source_view_set_auto_indent (GTK_SOURCE_VIEW (view), TRUE);
  gtk_source_view_set_insert_spaces_instead_of_tabs (GTK_SOURCE_VIEW (view), TRUE);
  gtk_source_view_set_tab_width (GTK_SOURCE_VIEW (view), 2);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Configuration"), -1);

  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);

  status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 9);
  gtk_widget_add_css_class (status, "jg-inspector-editor-status");
  self->editor_icon = gtk_image_new ();
  gtk_widget_set_valign (self->editor_icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (status), self->editor_icon);
  self->editor_status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->editor_status), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->editor_status), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->editor_status), 0);
  gtk_label_set_selectable (GTK_LABEL (self->editor_status), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (self->editor_status), 30);
  gtk_widget_set_hexpand (self->editor_status, TRUE);
  gtk_box_append (GTK_BOX (status), self->editor_status);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), status);
  gtk_window_set_child (GTK_WINDOW (self->editor), box);

  editor_check (self);
  gtk_window_present (GTK_WINDOW (self->editor));
  gtk_widget_grab_focus (view);
}

/* Callbacks */

static void
graph_changed_cb (JgGraph     *graph,
                  JgInspector *self)
{
  refresh (self);
}

static void
selection_changed_cb (JgSelection *selection,
                      JgInspector *self)
{
  refresh (self);
}

static void
entry_changed_cb (GtkEditable *editable,
                  Field       *field)
{
  if (field->self->updating == 0)
    field->dirty = TRUE;
}

static void
entry_activated_cb (AdwEntryRow *row,
                    Field       *field)
{
  field_commit (field);
}

static void
entry_focus_leave_cb (GtkEventControllerFocus *controller,
                      Field                   *field)
{
  field_commit (field);
}

static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      Field                 *field)
{
  if (keyval != GDK_KEY_Escape || !field->dirty)
    return FALSE;

  /* Escape abandons what was typed. */
  field->dirty = FALSE;
  field->self->updating++;
  field_update (field);
  field->self->updating--;

  return TRUE;
}

static void
connect_entry_field (Field *field)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *key = gtk_event_controller_key_new ();

  g_signal_connect (field->row, "changed", G_CALLBACK (entry_changed_cb), field);
  g_signal_connect (field->row, "entry-activated", G_CALLBACK (entry_activated_cb), field);
  g_signal_connect (focus, "leave", G_CALLBACK (entry_focus_leave_cb), field);
  gtk_widget_add_controller (field->row, focus);
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (entry_key_pressed_cb), field);
  gtk_widget_add_controller (field->row, key);
}

static void
spin_value_changed_cb (GtkSpinButton *spin,
                       Field         *field)
{
  field_apply_int (field, gtk_spin_button_get_value_as_int (spin));
}

static void
switch_active_cb (GtkSwitch  *toggle,
                  GParamSpec *pspec,
                  Field      *field)
{
  int options;

  if (field->object == NULL || field->self->updating > 0)
    return;

  options = field_get_int (field);
  options = gtk_switch_get_active (toggle) ? (options | 1) : (options & ~1);
  field_apply_int (field, options);
}

static void
choice_selected_cb (AdwComboRow *row,
                    GParamSpec  *pspec,
                    Field       *field)
{
  guint       position = adw_combo_row_get_selected (row);
  const char *key;

  if (field->self->updating > 0 || position >= field->keys->len)
    return;

  key = g_ptr_array_index (field->keys, position);
  if (field->int_keys)
    field_apply_int (field, atoi (key));
  else
    field_apply_string (field, key);
}

static void
preset_changed_cb (GtkEditable *editable,
                   JgInspector *self)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->task_preset_list));
}

static void
preset_row_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         JgInspector   *self)
{
  const char *preset = g_object_get_data (G_OBJECT (row), "jg-preset");

  gtk_popover_popdown (GTK_POPOVER (self->task_preset_popover));
  gtk_editable_set_text (GTK_EDITABLE (self->task_preset_row), preset);
  field_commit (self->task_preset);
}

static void
preset_popover_show_cb (GtkPopover  *popover,
                        JgInspector *self)
{
  GtkListBoxRow *row = NULL;

  /* Start on the current preset, or the first match. */
  for (GtkWidget *child = gtk_widget_get_first_child (self->task_preset_list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *preset = g_object_get_data (G_OBJECT (child), "jg-preset");

      if (!gtk_widget_get_child_visible (child))
        continue;
      if (row == NULL || g_strcmp0 (preset, gtk_editable_get_text (GTK_EDITABLE (self->task_preset_row))) == 0)
        row = GTK_LIST_BOX_ROW (child);
    }

  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static gboolean
preset_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       JgInspector           *self)
{
  /* Down opens the list of matching presets, as in a combo box. */
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) && gtk_widget_get_visible (self->task_preset_button))
    {
      gtk_menu_button_popup (GTK_MENU_BUTTON (self->task_preset_button));
      return TRUE;
    }

  return FALSE;
}

static void
edit_configuration_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  JgInspector *self = JG_INSPECTOR (widget);

  if (self->page == PAGE_TASK && self->object != NULL)
    open_editor (self, JG_TASK (self->object));
}

/* Setup */

static void
setup_fields (JgInspector *self)
{
  static const struct
  {
    const char *label;
    int         value;
  } creation_options[] = {
    { N_("Service Default"), -1 },
      { N_("None"), 0 },
        { N_("Storage Encrypted"), 1 },
          { N_("Common Encryption Protected"), 2 },
            { N_("Envelope Encryption Protected"), 4 },
          },
          format_options[] = {
            { N_("Service Default"), -1 },
              { N_("None"), 0 },
                { N_("Adaptive Streaming"), 1 },
              };
  const JgProcessorInfo *processors;
  guint                  n_processors = 0;
  GtkEventController    *keys;

#define ENTRY_FIELD(field, row, property, label, diag)                             \
  G_STMT_START                                                                     \
  {                                                                                \
    self->field = field_new (self, FIELD_ENTRY, self->row, NULL, property, label); \
    self->field->diag_field = diag;                                                \
    connect_entry_field (self->field);                                             \
  }                                                                                \
  G_STMT_END

  ENTRY_FIELD (job_name, job_name_row, "name", N_("Rename Job"), "Name");
  ENTRY_FIELD (task_name, task_name_row, "name", N_("Rename Task"), "Name");
  ENTRY_FIELD (task_preset, task_preset_row, "configuration", N_("Change Preset"), "Configuration");
  ENTRY_FIELD (output_name, output_name_row, "asset-name", N_("Rename Output Asset"), "assetName");
  ENTRY_FIELD (output_storage, output_storage_row, "storage-account-name", N_("Change Storage Account"), NULL);
  ENTRY_FIELD (input_label, input_label_row, "label", N_("Rename Job Input"), NULL);
  ENTRY_FIELD (input_asset, input_asset_row, "asset-id", N_("Change Input Asset"), NULL);
#undef ENTRY_FIELD

  self->output_name->null_if_empty = TRUE;
  self->output_storage->null_if_empty = TRUE;
  self->input_asset->null_if_empty = TRUE;

  self->job_priority = field_new (self, FIELD_SPIN, self->job_priority_row, self->job_priority_spin,
                                  "priority", N_("Change Job Priority"));
  self->task_priority = field_new (self, FIELD_SPIN, self->task_priority_row, self->task_priority_spin,
                                   "priority", N_("Change Task Priority"));
  g_signal_connect (self->job_priority_spin, "value-changed", G_CALLBACK (spin_value_changed_cb), self->job_priority);
  g_signal_connect (self->task_priority_spin, "value-changed", G_CALLBACK (spin_value_changed_cb),
                    self->task_priority);

  self->task_protect = field_new (self, FIELD_SWITCH, self->task_protect_row, self->task_protect_switch,
                                  "options", N_("Change Task Options"));
  g_signal_connect (self->task_protect_switch, "notify::active", G_CALLBACK (switch_active_cb), self->task_protect);

  self->job_version = field_new (self, FIELD_CHOICE, self->job_version_row, NULL, "api-version",
                                 N_("Change API Version"));
  field_make_choice (self->job_version, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (api_versions); i++)
    field_choice_add (self->job_version, api_versions[i], api_versions[i]);

  self->task_processor = field_new (self, FIELD_CHOICE, self->task_processor_row, NULL, "processor-id",
                                    N_("Change Media Processor"));
  self->task_processor->diag_field = "MediaProcessorId";
  field_make_choice (self->task_processor, FALSE);
  processors = jg_catalog_get_processors (&n_processors);
  for (guint i = 0; i < n_processors; i++)
    {
      g_autofree char *label = NULL;

      if (processors[i].deprecated)
        /* Translators: a media processor the service no longer offers */
        label = g_strdup_printf (_("%s (retired)"), processors[i].name);
      else
        label = g_strdup (processors[i].name);

      field_choice_add (self->task_processor, processors[i].id, label);
    }

  self->output_creation = field_new (self, FIELD_CHOICE, self->output_creation_row, NULL, "creation-options",
                                     N_("Change Asset Creation Options"));
  field_make_choice (self->output_creation, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (creation_options); i++)
    {
      g_autofree char *key = g_strdup_printf ("%d", creation_options[i].value);
      field_choice_add (self->output_creation, key, _(creation_options[i].label));
    }

  self->output_format = field_new (self, FIELD_CHOICE, self->output_format_row, NULL, "format-option",
                                   N_("Change Asset Format"));
  field_make_choice (self->output_format, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (format_options); i++)
    {
      g_autofree char *key = g_strdup_printf ("%d", format_options[i].value);
      field_choice_add (self->output_format, key, _(format_options[i].label));
    }

  {
    Field *choices[] = { self->job_version, self->task_processor, self->output_creation, self->output_format };

    for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
      g_signal_connect (choices[i]->row, "notify::selected", G_CALLBACK (choice_selected_cb), choices[i]);
  }

  /* Diagnostic rows, under the rows whose values rules check. */
  field_add_diagnostic_row (self->job_name, self->job_name_row);
  field_add_diagnostic_row (self->task_name, self->task_name_row);
  field_add_diagnostic_row (self->task_processor, self->task_processor_row);
  field_add_diagnostic_row (self->task_preset, self->task_preset_row);
  field_add_diagnostic_row (self->output_name, self->output_name_row);
  field_add_diagnostic_row (self->input_label, self->input_label_row);

  gtk_list_box_set_filter_func (GTK_LIST_BOX (self->task_preset_list), preset_filter_func, self, NULL);
  g_signal_connect (self->task_preset_list, "row-activated", G_CALLBACK (preset_row_activated_cb), self);
  g_signal_connect (self->task_preset_row, "changed", G_CALLBACK (preset_changed_cb), self);
  g_signal_connect (self->task_preset_popover, "show", G_CALLBACK (preset_popover_show_cb), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (preset_key_pressed_cb), self);
  gtk_widget_add_controller (self->task_preset_row, keys);
}

/* GObject */

static void
disconnect_graph (JgInspector *self)
{
  if (self->graph != NULL)
    g_signal_handlers_disconnect_by_func (self->graph, graph_changed_cb, self);
  g_clear_object (&self->graph);
}

static void
jg_inspector_dispose (GObject *object)
{
  JgInspector *self = JG_INSPECTOR (object);

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  disconnect_graph (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->history);
  g_clear_object (&self->object);
  if (self->fields != NULL)
    g_ptr_array_set_size (self->fields, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_INSPECTOR);

  G_OBJECT_CLASS (jg_inspector_parent_class)->dispose (object);
}

static void
jg_inspector_finalize (GObject *object)
{
  JgInspector *self = JG_INSPECTOR (object);

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->dynamic_rows, g_ptr_array_unref);
  g_clear_pointer (&self->dynamic_objects, g_ptr_array_unref);
  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_inspector_parent_class)->finalize (object);
}

static void
jg_inspector_class_init (JgInspectorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_inspector_dispose;
  object_class->finalize = jg_inspector_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-inspector.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inspector");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, JgInspector, scroller);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, heading);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, subheading);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, problems_group);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, job_name_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, job_priority_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, job_priority_spin);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, job_version_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, job_inputs_group);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_name_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_processor_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_priority_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_priority_spin);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_preset_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_preset_button);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_preset_popover);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_preset_list);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_custom_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_protect_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_protect_switch);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, task_outputs_group);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, output_group);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, output_name_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, output_creation_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, output_format_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, output_storage_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, input_group);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, input_label_row);
  gtk_widget_class_bind_template_child (widget_class, JgInspector, input_asset_row);

  gtk_widget_class_install_action (widget_class, "inspector.edit-configuration", NULL, edit_configuration_action);
}

static void
jg_inspector_init (JgInspector *self)
{
  self->fields = g_ptr_array_new ();
  self->dynamic_rows = g_ptr_array_new ();
  self->dynamic_objects = g_ptr_array_new_with_free_func (g_object_unref);
  self->problem_rows = g_ptr_array_new ();
  self->page = PAGE_JOB;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Inspector"), -1);
  setup_fields (self);
  gtk_widget_set_sensitive (self->scroller, FALSE);
}

/* Public API */

GtkWidget *
jg_inspector_new (void)
{
  return g_object_new (JG_TYPE_INSPECTOR, NULL);
}

/**
 * jg_inspector_set_history:
 * @history: (nullable): the history of the graph to edit
 *
 * Edits go through @history; the inspector follows its graph.
 */
void
jg_inspector_set_history (JgInspector *self,
                          JgHistory   *history)
{
  g_return_if_fail (JG_IS_INSPECTOR (self));
  g_return_if_fail (history == NULL || JG_IS_HISTORY (history));

  if (self->history == history)
    return;

  commit_dirty_fields (self);
  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  disconnect_graph (self);
  g_set_object (&self->history, history);

  if (history != NULL)
    {
      self->graph = g_object_ref (jg_history_get_graph (history));
      g_signal_connect (self->graph, "changed", G_CALLBACK (graph_changed_cb), self);
    }

  /* A new graph: rebuild the page even if the selection looks the same. */
  clear_dynamic_rows (self);
  g_ptr_array_set_size (self->fields, 0);
  g_clear_object (&self->object);
  gtk_widget_set_sensitive (self->scroller, self->graph != NULL);
  refresh (self);
}

/**
 * jg_inspector_set_selection:
 * @selection: (nullable): what the user selected
 */
void
jg_inspector_set_selection (JgInspector *self,
                            JgSelection *selection)
{
  g_return_if_fail (JG_IS_INSPECTOR (self));
  g_return_if_fail (selection == NULL || JG_IS_SELECTION (selection));

  if (self->selection == selection)
    return;

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);
  g_set_object (&self->selection, selection);
  if (selection != NULL)
    g_signal_connect (selection, "changed", G_CALLBACK (selection_changed_cb), self);

  refresh (self);
}

/**
 * jg_inspector_focus_first:
 *
 * Moves the keyboard focus to the first field of the shown page (Enter on a
 * canvas node).
 */
void
jg_inspector_focus_first (JgInspector *self)
{
  g_return_if_fail (JG_IS_INSPECTOR (self));

  if (self->fields->len > 0)
    {
      Field *field = g_ptr_array_index (self->fields, 0);
      gtk_widget_grab_focus (field->control);
    }
}

/**
 * jg_inspector_get_configuration_editor:
 *
 * Returns: (nullable) (transfer none): the custom preset editor window while
 *   it is open
 */
GtkWidget *
jg_inspector_get_configuration_editor (JgInspector *self)
{
  g_return_val_if_fail (JG_IS_INSPECTOR (self), NULL);

  return self->editor;
}

/**
 * jg_inspector_add_processors:
 * @ids: (array zero-terminated=1): media processor ids of the account
 * @names: (array zero-terminated=1): their names, in the same order
 *
 * Offers the account's media processors in the processor dropdown too,
 * after the built-in catalog's: an account may have processors the
 * catalog does not know. Ids already offered are skipped.
 */
void
jg_inspector_add_processors (JgInspector       *self,
                             const char *const *ids,
                             const char *const *names)
{
  Field *field;

  g_return_if_fail (JG_IS_INSPECTOR (self));
  g_return_if_fail (ids != NULL && names != NULL);

  field = self->task_processor;

  /* The "Unknown (…)" item comes after the fixed ones: drop it first;
   * field_update() puts it back if the task still needs it.
   */
  if (field->keys->len > field->n_fixed)
    {
      gtk_string_list_splice (field->labels, field->n_fixed, field->keys->len - field->n_fixed, NULL);
      g_ptr_array_set_size (field->keys, field->n_fixed);
    }

  for (guint i = 0; ids[i] != NULL && names[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint k = 0; k < field->n_fixed && !known; k++)
        known = g_strcmp0 (g_ptr_array_index (field->keys, k), ids[i]) == 0;

      if (!known)
        field_choice_add (field, ids[i], names[i]);
    }

  field_update (field);
}
