/* jg-code-view.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-code-view"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "jg-code-view.h"

/* Unbound job inputs are written with these ids so that a Job body can be
 * shown (and re-imported) before the producer has picked the assets. The
 * nil-UUID prefix is what Apply recognises to leave the input unbound.
 */
#define PLACEHOLDER_PREFIX "nb:cid:UUID:00000000-0000-0000-0000-"

typedef enum
{
  MESSAGE_NONE,
  MESSAGE_EXPORT_ERROR,
  MESSAGE_PARSE_ERROR,
  MESSAGE_STALE,
} MessageKind;

struct _JgCodeView
{
  GtkWidget        parent_instance;

  /* Owned references */
  JgHistory       *history;
  JgGraph         *graph;
  JgSelection     *selection;

  gulong           graph_changed_id;
  gulong           selection_changed_id;
  gulong           dark_changed_id;
  guint            update_id;

  JgCodeViewKind   kind;
  MessageKind      message;

  /* The view was hidden when the graph changed: update on map. */
  guint            dirty : 1;
  /* The buffer is being filled by us, not typed into. */
  guint            loading : 1;
  /* The user changed the text since it was last generated. */
  guint            edited : 1;
  /* Our own Apply is changing the graph. */
  guint            applying : 1;
  /* The kind buttons are being synced to the property. */
  guint            syncing : 1;

  /* Template children */
  GtkToggleButton *job_button;
  GtkToggleButton *template_button;
  GtkToggleButton *task_button;
  GtkWidget       *revert_button;
  GtkWidget       *apply_button;
  GtkRevealer     *message_revealer;
  GtkWidget       *message_box;
  GtkImage        *message_icon;
  GtkLabel        *message_label;
  GtkWidget       *message_button;
  GtkStack        *stack;
  GtkSourceView   *source_view;
  GtkTextTag      *error_tag;
};

enum
{
  PROP_0,
  PROP_HISTORY,
  PROP_SELECTION,
  PROP_KIND,
  PROP_EDITED,
  N_PROPS
};

G_DEFINE_ENUM_TYPE (JgCodeViewKind, jg_code_view_kind, G_DEFINE_ENUM_VALUE (JG_CODE_VIEW_JOB, "job"), G_DEFINE_ENUM_VALUE (JG_CODE_VIEW_TEMPLATE, "template"), G_DEFINE_ENUM_VALUE (JG_CODE_VIEW_TASK_BODY, "task-body"))

G_DEFINE_FINAL_TYPE (JgCodeView, jg_code_view, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void        update_text (JgCodeView *self);

static GtkTextBuffer *
get_buffer (JgCodeView *self)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
}

static char *
dup_buffer_text (JgCodeView *self)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_placeholder_id (const char *asset_id)
{
  return asset_id != NULL && g_str_has_prefix (asset_id, PLACEHOLDER_PREFIX);
}

/**
 * jg_code_view_dup_input_asset_ids:
 *
 * The asset id of each JobInputAsset(n), in that numbering, or for an input
 * bound to no asset a placeholder id that re-imports as unbound. The code
 * view and the window's Export use the same ids.
 *
 * Returns: (transfer full): a %NULL-terminated array
 */
GStrv
jg_code_view_dup_input_asset_ids (JgGraph *graph)
{
  g_autoptr(GPtrArray) inputs = jg_graph_dup_numbered_inputs (graph);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < inputs->len; i++)
    {
      const char *id = jg_job_input_get_asset_id (g_ptr_array_index (inputs, i));

      if (id != NULL && id[0] != '\0')
        g_strv_builder_add (builder, id);
      else
        {
          g_autofree char *placeholder = g_strdup_printf (PLACEHOLDER_PREFIX "%012x", i);

          g_strv_builder_add (builder, placeholder);
        }
    }

  return g_strv_builder_end (builder);
}

/* The selected task's position in run order, or -1. */
static int
find_task_index (JgCodeView *self,
                 JgGraph    *graph)
{
  g_autoptr(GPtrArray) order = NULL;
  gpointer primary;
  JgTask  *reader = NULL;
  guint    index;

  if (self->selection == NULL)
    return -1;

  primary = jg_selection_get_primary (self->selection);
  if (!JG_IS_TASK (primary))
    {
      /* An edge shows the task that reads it. */
      if (!jg_selection_get_edge (self->selection, &reader, NULL))
        return -1;
      primary = reader;
    }

  order = jg_graph_dup_run_order (graph);
  if (!g_ptr_array_find (order, primary, &index))
    return -1;

  return index;
}

static GBytes *
export_body (JgCodeView    *self,
             JgGraph       *graph,
             JgCodeViewKind kind,
             int            task_index,
             GError       **error)
{
  JgExportOptions options = { 0 };
  g_auto(GStrv) ids = NULL;

  switch (kind)
    {
    case JG_CODE_VIEW_JOB:
      ids = jg_code_view_dup_input_asset_ids (graph);
      options.input_asset_ids = (const char *const *)ids;
      return jg_export_graph (graph, JG_EXPORT_JOB, &options, error);

    case JG_CODE_VIEW_TEMPLATE:
      return jg_export_graph (graph, JG_EXPORT_TEMPLATE, &options, error);

    case JG_CODE_VIEW_TASK_BODY:
      options.task_index = MAX (task_index, 0);
      return jg_export_graph (graph, JG_EXPORT_TASK_BODY, &options, error);

    default:
      g_return_val_if_reached (NULL);
    }
}

static void
set_message (JgCodeView *self,
             MessageKind kind,
             const char *text)
{
  gboolean is_error = kind == MESSAGE_EXPORT_ERROR || kind == MESSAGE_PARSE_ERROR;

  self->message = kind;

  if (kind != MESSAGE_NONE)
    gtk_label_set_text (self->message_label, text);

  gtk_image_set_from_icon_name (self->message_icon,
                                is_error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  gtk_widget_set_visible (self->message_button, kind == MESSAGE_STALE);

  if (is_error)
    {
      gtk_widget_add_css_class (self->message_box, "error");
      gtk_widget_remove_css_class (self->message_box, "warning");
    }
  else
    {
      gtk_widget_add_css_class (self->message_box, "warning");
      gtk_widget_remove_css_class (self->message_box, "error");
    }

  gtk_revealer_set_reveal_child (self->message_revealer, kind != MESSAGE_NONE);
}

static void
clear_error_mark (JgCodeView *self)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->error_tag, &start, &end);
}

static void
update_actions (JgCodeView *self)
{
  gboolean showing_code = g_str_equal (gtk_stack_get_visible_child_name (self->stack), "code");
  gboolean editable = self->kind != JG_CODE_VIEW_TASK_BODY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "code-view.copy", showing_code);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "code-view.copy-curl", showing_code && editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "code-view.apply", self->edited);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "code-view.revert",
                                 self->edited || self->message == MESSAGE_EXPORT_ERROR);

  gtk_widget_set_visible (self->apply_button, self->edited);
  gtk_widget_set_visible (self->revert_button, self->edited);
}

static void
set_edited (JgCodeView *self,
            gboolean    edited)
{
  edited = !!edited;

  if (self->edited == edited)
    return;

  self->edited = edited;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITED]);
}

static void
update_language (JgCodeView *self)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  const char               *id = self->kind == JG_CODE_VIEW_TASK_BODY ? "xml" : "json";
  gboolean                  editable = self->kind != JG_CODE_VIEW_TASK_BODY;

  gtk_source_buffer_set_language (GTK_SOURCE_BUFFER (get_buffer (self)),
                                  gtk_source_language_manager_get_language (manager, id));

  /* Applying a lone TaskBody would have to rewrite the task's ports in
   * place; the inspector and the Job body already do that, so this view
   * only shows it.
   */
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->source_view), editable);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_view),
                               editable ? NULL
                                        : _("The TaskBody is read-only here: edit the Job body, "
                                            "or the task in the inspector"));
}

static void
update_style_scheme (JgCodeView *self)
{
  GtkSourceStyleSchemeManager *manager = gtk_source_style_scheme_manager_get_default ();
  gboolean                     dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleScheme        *scheme;
  GtkSourceStyle              *style = NULL;

  scheme = gtk_source_style_scheme_manager_get_scheme (manager, dark ? "Adwaita-dark" : "Adwaita");
  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (get_buffer (self)), scheme);

  /* The error underline takes the scheme's own error colour. */
  if (scheme != NULL)
    style = gtk_source_style_scheme_get_style (scheme, "def:error");
  if (style != NULL)
    gtk_source_style_apply (style, self->error_tag);
  else
    g_object_set (self->error_tag, "underline", PANGO_UNDERLINE_ERROR, NULL);
}

/* Replaces the text, keeping the cursor and the scroll position, and
 * without leaving an undo step in the text buffer.
 */
static void
load_text (JgCodeView *self,
           const char *text,
           gsize       length)
{
  GtkTextBuffer   *buffer = get_buffer (self);
  g_autofree char *current = dup_buffer_text (self);
  GtkAdjustment   *vadjustment;
  GtkTextIter      iter;
  double           scroll;
  int              offset;

  if (strlen (current) == length && memcmp (current, text, length) == 0)
    {
      gtk_text_buffer_set_modified (buffer, FALSE);
      return;
    }

  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->source_view));
  scroll = gtk_adjustment_get_value (vadjustment);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  offset = gtk_text_iter_get_offset (&iter);

  self->loading = TRUE;
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text, length);
  gtk_text_buffer_end_irreversible_action (buffer);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_buffer_set_modified (buffer, FALSE);
  self->loading = FALSE;

  gtk_adjustment_set_value (vadjustment, scroll);
}

static void
update_text (JgCodeView *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize       length;
  int         task_index = -1;

  g_clear_handle_id (&self->update_id, g_source_remove);
  self->dirty = FALSE;

  if (self->graph == NULL)
    {
      load_text (self, "", 0);
      set_message (self, MESSAGE_NONE, NULL);
      set_edited (self, FALSE);
      update_actions (self);
      return;
    }

  if (self->kind == JG_CODE_VIEW_TASK_BODY)
    {
      task_index = find_task_index (self, self->graph);
      if (task_index < 0)
        {
          gtk_stack_set_visible_child_name (self->stack, "empty");
          set_message (self, MESSAGE_NONE, NULL);
          set_edited (self, FALSE);
          update_actions (self);
          return;
        }
    }

  gtk_stack_set_visible_child_name (self->stack, "code");

  bytes = export_body (self, self->graph, self->kind, task_index, &error);
  if (bytes == NULL)
    {
      /* Keep the last good text; say why there is no newer one. */
      set_message (self, MESSAGE_EXPORT_ERROR, error->message);
      update_actions (self);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  load_text (self, data, length);
  set_message (self, MESSAGE_NONE, NULL);
  set_edited (self, FALSE);
  update_actions (self);
}

static gboolean
update_idle_cb (gpointer user_data)
{
  JgCodeView *self = user_data;

  self->update_id = 0;
  update_text (self);

  return G_SOURCE_REMOVE;
}

/* Regenerates soon, or on map when hidden; many edits cost one export. */
static void
queue_update (JgCodeView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }

  if (self->update_id == 0)
    self->update_id = g_idle_add (update_idle_cb, self);
}

/* Regenerates now if shown (the user asked for it), else on map. */
static void
refresh (JgCodeView *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_text (self);
  else
    self->dirty = TRUE;
}

static void
show_apply_error (JgCodeView   *self,
                  const GError *error)
{
  GtkTextBuffer   *buffer = get_buffer (self);
  g_autofree char *text = NULL;
  GtkTextIter      start, end;
  int              line, column;

  clear_error_mark (self);

  if (!jg_format_error_get_position (error, &line, &column))
    {
      set_message (self, MESSAGE_PARSE_ERROR, error->message);
      return;
    }

  column = MAX (column, 1);
  text = g_strdup_printf (_("Line %d, column %d: %s"), line, column, error->message);
  set_message (self, MESSAGE_PARSE_ERROR, text);

  /* Put the cursor where the problem is, and underline from there to the
   * end of the line (at least one character).
   */
  gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1);
  if (!gtk_text_iter_ends_line (&start))
    {
      end = start;
      gtk_text_iter_forward_to_line_end (&end);
      gtk_text_iter_set_line_offset (&start, MIN (column - 1, gtk_text_iter_get_line_offset (&end)));
    }

  end = start;
  if (gtk_text_iter_ends_line (&end))
    gtk_text_iter_backward_char (&start);
  else
    gtk_text_iter_forward_to_line_end (&end);
  if (gtk_text_iter_equal (&start, &end))
    gtk_text_iter_forward_char (&end);

  gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->source_view),
                                gtk_text_buffer_get_insert (buffer), 0.1, FALSE, 0, 0);
}

/* Keeps what the body does not carry (input labels and positions, the
 * position of every task whose name is unchanged) and lays out the rest to
 * the right of the kept tasks.
 */
static void
carry_over_layout (JgGraph       *old_graph,
                   JgGraph       *new_graph,
                   JgCodeViewKind kind)
{
  g_autoptr(GPtrArray) old_inputs = jg_graph_dup_numbered_inputs (old_graph);
  g_autoptr(GPtrArray) new_inputs = jg_graph_dup_numbered_inputs (new_graph);
  guint                n_old = jg_graph_get_n_tasks (old_graph);
  guint                n_new = jg_graph_get_n_tasks (new_graph);
  g_autofree gboolean *used = g_new0 (gboolean, n_old + 1);
  g_autofree gboolean *kept = g_new0 (gboolean, n_new + 1);
  gboolean             any_kept = FALSE;
  double               kept_right = -G_MAXDOUBLE;
  double               new_left = G_MAXDOUBLE;

  for (guint i = 0; i < new_inputs->len; i++)
    {
      JgJobInput *input = g_ptr_array_index (new_inputs, i);
      JgJobInput *old = i < old_inputs->len ? g_ptr_array_index (old_inputs, i) : NULL;

      if (is_placeholder_id (jg_job_input_get_asset_id (input)))
        jg_job_input_set_asset_id (input, NULL);

      if (old == NULL)
        continue;

      /* A JobTemplate body names no assets: keep the bound ones. */
      if (kind == JG_CODE_VIEW_TEMPLATE && jg_job_input_get_asset_id (input) == NULL)
        jg_job_input_set_asset_id (input, jg_job_input_get_asset_id (old));
      if (jg_job_input_get_label (input) == NULL || jg_job_input_get_label (input)[0] == '\0')
        jg_job_input_set_label (input, jg_job_input_get_label (old));
      jg_job_input_set_position (input, jg_job_input_get_x (old), jg_job_input_get_y (old));
    }

  for (guint t = 0; t < n_new; t++)
    {
      JgTask *task = jg_graph_get_task (new_graph, t);

      for (guint o = 0; o < n_old; o++)
        {
          JgTask *old = jg_graph_get_task (old_graph, o);

          if (used[o] || g_strcmp0 (jg_task_get_name (old), jg_task_get_name (task)) != 0)
            continue;

          used[o] = TRUE;
          kept[t] = TRUE;
          any_kept = TRUE;
          jg_task_set_position (task, jg_task_get_x (old), jg_task_get_y (old));
          kept_right = MAX (kept_right, jg_task_get_x (old));
          break;
        }

      if (!kept[t])
        new_left = MIN (new_left, jg_task_get_x (task));
    }

  /* jg_import_data() laid the new graph out; shift its new tasks, keeping
   * their arrangement, into the column after the kept ones.
   */
  if (any_kept && new_left < G_MAXDOUBLE)
    {
      double shift = kept_right + JG_LAYOUT_NODE_WIDTH + JG_LAYOUT_COLUMN_GAP - new_left;

      for (guint t = 0; t < n_new; t++)
        {
          JgTask *task = jg_graph_get_task (new_graph, t);

          if (!kept[t])
            jg_task_set_position (task, jg_task_get_x (task) + shift, jg_task_get_y (task));
        }
    }
}

static JgEdit *
build_replace_edit (JgGraph *old_graph,
                    JgGraph *new_graph)
{
  g_autoptr(JgEdit) group = jg_edit_new_group (_("Apply Edited Body"));
  guint n;

  /* Everything goes, last first so positions stay valid; the removed
   * tasks keep their wires, so undo puts back exactly the old graph.
   */
  for (n = jg_graph_get_n_tasks (old_graph); n > 0; n--)
    jg_edit_group_add (group, jg_edit_new_remove_task (n - 1));
  for (n = jg_graph_get_n_inputs (old_graph); n > 0; n--)
    jg_edit_group_add (group, jg_edit_new_remove_input (n - 1));

  if (g_strcmp0 (jg_graph_get_name (old_graph), jg_graph_get_name (new_graph)) != 0)
    jg_edit_group_add (group, jg_edit_new_set (old_graph, "name", jg_graph_get_name (new_graph), NULL));
  if (jg_graph_get_priority (old_graph) != jg_graph_get_priority (new_graph))
    jg_edit_group_add (group, jg_edit_new_set (old_graph, "priority", jg_graph_get_priority (new_graph), NULL));

  for (guint i = 0; i < jg_graph_get_n_inputs (new_graph); i++)
    jg_edit_group_add (group, jg_edit_new_insert_input (jg_graph_get_input (new_graph, i), i));
  for (guint i = 0; i < jg_graph_get_n_tasks (new_graph); i++)
    jg_edit_group_add (group, jg_edit_new_insert_task (jg_graph_get_task (new_graph, i), i));

  return g_steal_pointer (&group);
}

/* Compares Job bodies whatever the kind shown: a JobTemplate body gets
 * fresh TaskTemplate ids on every export, so two of them never match.
 */
static gboolean
same_body (JgCodeView *self,
           JgGraph    *a,
           JgGraph    *b)
{
  g_autoptr(GBytes) body_a = export_body (self, a, JG_CODE_VIEW_JOB, 0, NULL);
  g_autoptr(GBytes) body_b = export_body (self, b, JG_CODE_VIEW_JOB, 0, NULL);

  return body_a != NULL && body_b != NULL && g_bytes_equal (body_a, body_b);
}

static gboolean
apply_text (JgCodeView *self,
            GError    **error)
{
  g_autoptr(JgGraph) new_graph = NULL;
  g_autoptr(JgEdit) edit = NULL;
  g_autofree char *text = NULL;
  JgFormat         format = JG_FORMAT_UNKNOWN;
  gboolean         applied;

  if (self->history == NULL || self->kind == JG_CODE_VIEW_TASK_BODY)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only a Job or JobTemplate body can be applied to the graph"));
      return FALSE;
    }

  text = dup_buffer_text (self);
  new_graph = jg_import_data (text, strlen (text), &format, NULL, error);
  if (new_graph == NULL)
    return FALSE;

  if (format == JG_FORMAT_TASK_BODY)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 1, 1,
                           _("This is a lone TaskBody; applying it would replace the whole job "
                             "with one task. Paste it into a Job body instead"));
      return FALSE;
    }

  carry_over_layout (self->graph, new_graph, self->kind);

  /* An edit that changes nothing the body carries (spacing, say) is not
   * worth an undo step.
   */
  if (same_body (self, self->graph, new_graph))
    {
      update_text (self);
      return TRUE;
    }

  edit = build_replace_edit (self->graph, new_graph);
  /* The inserted objects now belong to the edit. */
  g_clear_object (&new_graph);

  self->applying = TRUE;
  applied = jg_history_apply (self->history, edit, error);
  self->applying = FALSE;

  if (!applied)
    return FALSE;

  if (self->selection != NULL)
    jg_selection_forget_missing (self->selection, self->graph);

  update_text (self);

  return TRUE;
}

static void
graph_changed_cb (JgCodeView *self,
                  JgGraph    *graph)
{
  if (self->applying)
    return;

  /* Never overwrite what the user typed; tell them instead. */
  if (self->edited)
    {
      if (self->message != MESSAGE_PARSE_ERROR)
        set_message (self, MESSAGE_STALE, _("The graph changed since you edited this text"));
      return;
    }

  queue_update (self);
}

static void
selection_changed_cb (JgCodeView  *self,
                      JgSelection *selection)
{
  if (self->kind == JG_CODE_VIEW_TASK_BODY)
    queue_update (self);
}

static void
dark_changed_cb (JgCodeView      *self,
                 GParamSpec      *pspec,
                 AdwStyleManager *manager)
{
  update_style_scheme (self);
}

static void
buffer_modified_changed_cb (JgCodeView    *self,
                            GtkTextBuffer *buffer)
{
  if (self->loading)
    return;

  set_edited (self, gtk_text_buffer_get_modified (buffer));
}

static void
buffer_changed_cb (JgCodeView    *self,
                   GtkTextBuffer *buffer)
{
  if (self->loading)
    return;

  /* The marked position no longer means anything once the text moves. */
  if (self->message == MESSAGE_PARSE_ERROR)
    {
      clear_error_mark (self);
      set_message (self, MESSAGE_NONE, NULL);
    }
}

static void
kind_button_toggled_cb (JgCodeView      *self,
                        GtkToggleButton *button)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;

  if (button == self->template_button)
    jg_code_view_set_kind (self, JG_CODE_VIEW_TEMPLATE);
  else if (button == self->task_button)
    jg_code_view_set_kind (self, JG_CODE_VIEW_TASK_BODY);
  else
    jg_code_view_set_kind (self, JG_CODE_VIEW_JOB);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_autofree char *text = jg_code_view_dup_text (JG_CODE_VIEW (widget));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
copy_curl_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_autofree char *text = jg_code_view_dup_curl (JG_CODE_VIEW (widget));

  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  /* The error is shown inline. */
  jg_code_view_apply (JG_CODE_VIEW (widget), NULL);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  jg_code_view_revert (JG_CODE_VIEW (widget));
}

static void
jg_code_view_map (GtkWidget *widget)
{
  JgCodeView *self = JG_CODE_VIEW (widget);

  GTK_WIDGET_CLASS (jg_code_view_parent_class)->map (widget);

  if (self->dirty)
    queue_update (self);
}

static void
jg_code_view_dispose (GObject *object)
{
  JgCodeView *self = (JgCodeView *)object;
  GtkWidget  *child;

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_signal_handler (&self->dark_changed_id, adw_style_manager_get_default ());
  if (self->graph != NULL)
    g_clear_signal_handler (&self->graph_changed_id, self->graph);
  if (self->selection != NULL)
    g_clear_signal_handler (&self->selection_changed_id, self->selection);
  g_clear_object (&self->graph);
  g_clear_object (&self->history);
  g_clear_object (&self->selection);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_CODE_VIEW);

  /* The toolbar is a direct child that no field holds. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (jg_code_view_parent_class)->dispose (object);
}

static void
jg_code_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  JgCodeView *self = JG_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_SELECTION:
      g_value_set_object (value, self->selection);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_EDITED:
      g_value_set_boolean (value, self->edited);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_code_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  JgCodeView *self = JG_CODE_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      jg_code_view_set_history (self, g_value_get_object (value));
      break;

    case PROP_SELECTION:
      jg_code_view_set_selection (self, g_value_get_object (value));
      break;

    case PROP_KIND:
      jg_code_view_set_kind (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_code_view_class_init (JgCodeViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_code_view_dispose;
  object_class->get_property = jg_code_view_get_property;
  object_class->set_property = jg_code_view_set_property;

  widget_class->map = jg_code_view_map;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         JG_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SELECTION] =
    g_param_spec_object ("selection", NULL, NULL,
                         JG_TYPE_SELECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       JG_TYPE_CODE_VIEW_KIND, JG_CODE_VIEW_JOB,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The text differs from the graph's body because the user typed. */
  properties[PROP_EDITED] =
    g_param_spec_boolean ("edited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-code-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, job_button);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, template_button);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, task_button);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, revert_button);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, apply_button);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, message_box);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, message_icon);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, message_label);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, message_button);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, stack);
  gtk_widget_class_bind_template_child (widget_class, JgCodeView, source_view);
  gtk_widget_class_bind_template_callback (widget_class, kind_button_toggled_cb);

  gtk_widget_class_install_action (widget_class, "code-view.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "code-view.copy-curl", NULL, copy_curl_action);
  gtk_widget_class_install_action (widget_class, "code-view.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "code-view.revert", NULL, revert_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "code-view.apply", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "code-view.apply", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "codeview");
}

static void
jg_code_view_init (JgCodeView *self)
{
  GtkLayoutManager *layout;
  GtkTextBuffer    *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);

  buffer = get_buffer (self);
  self->error_tag = gtk_text_buffer_create_tag (buffer, "error", NULL);
  g_signal_connect_object (buffer, "modified-changed", G_CALLBACK (buffer_modified_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);

  self->dark_changed_id = g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                                                    G_CALLBACK (dark_changed_cb), self);
  update_style_scheme (self);
  update_language (self);
  update_actions (self);
}

/**
 * jg_code_view_new:
 *
 * Returns: (transfer full): a new code view; give it a history with
 *   jg_code_view_set_history() and the window's selection with
 *   jg_code_view_set_selection().
 */
GtkWidget *
jg_code_view_new (void)
{
  return g_object_new (JG_TYPE_CODE_VIEW, NULL);
}

/**
 * jg_code_view_set_history:
 * @history: (nullable): the history of the graph to show
 *
 * Shows the body of @history's graph. Apply goes through @history, as
 * one undoable step. Unsaved edits of the text are dropped.
 */
void
jg_code_view_set_history (JgCodeView *self,
                          JgHistory  *history)
{
  g_return_if_fail (JG_IS_CODE_VIEW (self));
  g_return_if_fail (history == NULL || JG_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->graph != NULL)
    g_clear_signal_handler (&self->graph_changed_id, self->graph);
  g_clear_object (&self->graph);
  g_set_object (&self->history, history);

  if (history != NULL)
    {
      self->graph = g_object_ref (jg_history_get_graph (history));
      self->graph_changed_id = g_signal_connect_swapped (self->graph, "changed",
                                                         G_CALLBACK (graph_changed_cb), self);
    }

  clear_error_mark (self);
  set_edited (self, FALSE);
  refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

/**
 * jg_code_view_set_selection:
 * @selection: (nullable): the window's selection
 *
 * The TaskBody kind shows the selection's primary task.
 */
void
jg_code_view_set_selection (JgCodeView  *self,
                            JgSelection *selection)
{
  g_return_if_fail (JG_IS_CODE_VIEW (self));
  g_return_if_fail (selection == NULL || JG_IS_SELECTION (selection));

  if (self->selection == selection)
    return;

  if (self->selection != NULL)
    g_clear_signal_handler (&self->selection_changed_id, self->selection);
  g_set_object (&self->selection, selection);
  if (selection != NULL)
    self->selection_changed_id = g_signal_connect_swapped (selection, "changed",
                                                           G_CALLBACK (selection_changed_cb), self);

  if (self->kind == JG_CODE_VIEW_TASK_BODY)
    refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

JgCodeViewKind
jg_code_view_get_kind (JgCodeView *self)
{
  g_return_val_if_fail (JG_IS_CODE_VIEW (self), JG_CODE_VIEW_JOB);

  return self->kind;
}

/**
 * jg_code_view_set_kind:
 *
 * Switches between the Job body, the JobTemplate body and the selected
 * task's TaskBody. Unsaved edits of the text are dropped.
 */
void
jg_code_view_set_kind (JgCodeView    *self,
                       JgCodeViewKind kind)
{
  GtkToggleButton *button;

  g_return_if_fail (JG_IS_CODE_VIEW (self));
  g_return_if_fail (kind <= JG_CODE_VIEW_TASK_BODY);

  if (self->kind == kind)
    return;

  self->kind = kind;

  button = kind == JG_CODE_VIEW_TEMPLATE    ? self->template_button
           : kind == JG_CODE_VIEW_TASK_BODY ? self->task_button
                                            : self->job_button;
  self->syncing = TRUE;
  gtk_toggle_button_set_active (button, TRUE);
  self->syncing = FALSE;

  clear_error_mark (self);
  update_language (self);
  set_edited (self, FALSE);
  refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/**
 * jg_code_view_dup_text:
 *
 * Returns: (transfer full): the text shown, with the user's edits
 */
char *
jg_code_view_dup_text (JgCodeView *self)
{
  g_return_val_if_fail (JG_IS_CODE_VIEW (self), NULL);

  return dup_buffer_text (self);
}

gboolean
jg_code_view_get_edited (JgCodeView *self)
{
  g_return_val_if_fail (JG_IS_CODE_VIEW (self), FALSE);

  return self->edited;
}

/**
 * jg_code_view_apply:
 *
 * Replaces the graph with the text, as one undoable step; tasks whose
 * name is unchanged keep their position. On a parse error the graph is
 * untouched, and the error is shown with its line and column and marked in
 * the text.
 *
 * Returns: %TRUE if the text was applied (or changed nothing)
 */
gboolean
jg_code_view_apply (JgCodeView *self,
                    GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (JG_IS_CODE_VIEW (self), FALSE);

  clear_error_mark (self);

  if (!apply_text (self, &local_error))
    {
      show_apply_error (self, local_error);
      gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * jg_code_view_revert:
 *
 * Drops the user's edits and shows the graph's body again.
 */
void
jg_code_view_revert (JgCodeView *self)
{
  g_return_if_fail (JG_IS_CODE_VIEW (self));

  clear_error_mark (self);
  set_edited (self, FALSE);
  refresh (self);
}

/**
 * jg_code_view_dup_curl:
 *
 * A shell command that POSTs the shown body to the account. It never holds
 * a credential: the token is read from `$TOKEN` and the API base from
 * `$JOBGRAPH_ENDPOINT` when the command runs.
 *
 * Returns: (transfer full) (nullable): the command, or %NULL for a TaskBody
 *   (the REST API takes none on its own)
 */
char *
jg_code_view_dup_curl (JgCodeView *self)
{
  g_autofree char *body = NULL;
  g_autofree char *version = NULL;
  g_autofree char *quoted_body = NULL;
  g_autofree char *quoted_version = NULL;
  const char      *api_version = NULL;

  g_return_val_if_fail (JG_IS_CODE_VIEW (self), NULL);

  if (self->kind == JG_CODE_VIEW_TASK_BODY)
    return NULL;

  if (self->graph != NULL)
    api_version = jg_graph_get_api_version (self->graph);
  if (api_version == NULL || api_version[0] == '\0')
    api_version = JG_DEFAULT_API_VERSION;

  body = dup_buffer_text (self);
  version = g_strdup_printf ("x-ms-version: %s", api_version);
  quoted_body = g_shell_quote (body);
  quoted_version = g_shell_quote (version);

  return g_strdup_printf ("# %s\n"
                          "curl -X POST \"${JOBGRAPH_ENDPOINT:-https://media.windows.net/api}/%s\" \\\n"
                          "  -H %s \\\n"
                          "  -H 'DataServiceVersion: 3.0' \\\n"
                          "  -H 'MaxDataServiceVersion: 3.0' \\\n"
                          "  -H 'Accept: application/json;odata=verbose' \\\n"
                          "  -H 'Content-Type: application/json;odata=verbose' \\\n"
                          "  -H \"Authorization: Bearer $TOKEN\" \\\n"
                          "  --data-binary %s\n",
                          _("Set TOKEN to an access token, and JOBGRAPH_ENDPOINT to the account’s API base"),
                             self->kind == JG_CODE_VIEW_TEMPLATE ? "JobTemplates" : "Jobs",
                             quoted_version,
                             quoted_body);
}
