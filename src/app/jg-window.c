/* jg-window.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "jg-account-store.h"
#include "jg-application.h"
#include "jg-code-view.h"
#include "jg-graph-canvas.h"
#include "jg-graph-image.h"
#include "jg-inspector.h"
#include "jg-job-bar.h"
#include "jg-minimap.h"
#include "jg-node.h"
#include "jg-problems-list.h"
#include "jg-run-dialog.h"
#include "jg-selection.h"
#include "jg-window.h"
#include "jg-window-private.h"

/* One window edits one graph. It owns the graph's JgHistory and the shared
 * JgSelection and hands both to the canvas, the inspector, the problems list
 * and the code view; they talk to each other only through those two
 * objects, so the window's own work is files, actions and the header bar.
 *
 * Unsaved work is written to the user's state directory a few seconds after
 * each edit (one file per window) and removed when the window closes
 * cleanly; the next start offers to recover what a crash left behind.
 */

#define AUTOSAVE_DELAY_SECONDS 3
#define MAX_RECENT_FILES       8

struct _JgWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwWindowTitle      *window_title;
  GtkWidget           *undo_button;
  GtkWidget           *redo_button;
  GtkWidget           *status_button;
  GtkImage            *status_icon;
  GtkLabel            *status_label;
  GtkButton           *zoom_button;
  GtkToggleButton     *inspector_button;
  GtkWidget           *run_button;
  JgJobBar            *job_bar;
  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  GtkButton           *banner_button;
  AdwToastOverlay     *toast_overlay;
  GtkPaned            *side_paned;
  GtkPaned            *bottom_paned;
  GtkWidget           *bottom_panel;
  GtkStack            *bottom_stack;
  JgGraphCanvas       *canvas;
  GtkWidget           *empty_hint;
  GtkRevealer         *minimap_revealer;
  JgProblemsList      *problems_list;
  JgCodeView          *code_view;
  GtkWidget           *inspector_scroller;
  JgInspector         *inspector;
  GMenu               *recent_section;

  JgHistory           *history;
  JgSelection         *selection;
  GFile               *file;
  char                *imported_name;
  GCancellable        *cancellable;

  GFile               *autosave_file;
  guint                autosave_source;

  /* NULL when the schema is not installed (running from the build tree). */
  GSettings           *settings;

  /* The Run dialog open on the graph, if any (a weak pointer) */
  GtkWidget           *run_dialog;

  /* The MediaProcessors of the default account, once listed */
  char               **account_processors;

  /* What the banner button does: recover autosaves, or nothing. */
  GPtrArray           *recoverable;

  guint                loading : 1;
  guint                close_confirmed : 1;
};

G_DEFINE_FINAL_TYPE (JgWindow, jg_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SNAP_TO_GRID,
  PROP_SHOW_MINIMAP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void        update_title (JgWindow *self);
static void        show_bottom_page (JgWindow   *self,
                                     const char *name);
static void        on_job_finished (JgWindow  *self,
                                    JgJobState state);
static void        run_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter);
static void        save_template_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter);
static void        save_to_file (JgWindow *self,
                                 GFile    *file,
                                 gboolean  close_after);

/* Autosave */

static GFile *
autosave_dir (void)
{
  return g_file_new_build_filename (g_get_user_state_dir (), "jobgraph", "autosave", NULL);
}

static void
remove_autosave (JgWindow *self)
{
  g_clear_handle_id (&self->autosave_source, g_source_remove);

  if (self->autosave_file != NULL)
    g_file_delete (self->autosave_file, NULL, NULL);
}

static void
origin_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Without it a recovered graph just starts unsaved, as a new one does. */
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_debug ("Could not record where the autosaved graph came from: %s", error->message);
}

/* The autosave is the .jobgraph document plus, as its "origin", where the
 * user's own file is, so a recovered graph can be saved back there.
 */
static gboolean
autosave_cb (gpointer user_data)
{
  JgWindow *self = user_data;
  g_autoptr(GFile) dir = autosave_dir ();
  g_autoptr(GError) error = NULL;

  self->autosave_source = 0;

  if (!jg_history_get_modified (self->history))
    {
      remove_autosave (self);
      return G_SOURCE_REMOVE;
    }

  if (!g_file_make_directory_with_parents (dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_warning ("Cannot create %s: %s", g_file_peek_path (dir), error->message);
      return G_SOURCE_REMOVE;
    }

  if (self->autosave_file == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("%s.jobgraph", uuid);

      self->autosave_file = g_file_get_child (dir, name);
    }

  /* Small graphs serialise in microseconds; the write itself is async and
   * deliberately not cancelled with the window: a close that races the
   * write must not leave a truncated autosave behind.
   */
  jg_document_save_async (jg_history_get_graph (self->history), self->autosave_file, NULL, NULL, NULL);

  if (self->file != NULL)
    {
      char *uri = g_file_get_uri (self->file);
      g_autoptr(GBytes) bytes = g_bytes_new_take (uri, strlen (uri));
      g_autofree char *origin_path = g_strconcat (g_file_peek_path (self->autosave_file), ".origin", NULL);
      g_autoptr(GFile) origin = g_file_new_for_path (origin_path);

      g_file_replace_contents_bytes_async (origin, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                           origin_written_cb, NULL);
    }

  return G_SOURCE_REMOVE;
}

static void
schedule_autosave (JgWindow *self)
{
  guint delay = AUTOSAVE_DELAY_SECONDS;

  if (self->settings != NULL)
    delay = g_settings_get_uint (self->settings, "autosave-interval");

  if (self->autosave_source == 0)
    self->autosave_source = g_timeout_add_seconds (delay, autosave_cb, self);
}

static void
forget_autosave (JgWindow *self)
{
  remove_autosave (self);

  if (self->autosave_file != NULL)
    {
      g_autofree char *origin_path = g_strconcat (g_file_peek_path (self->autosave_file), ".origin", NULL);

      g_unlink (origin_path);
      g_clear_object (&self->autosave_file);
    }
}

/* Banner and toasts */

static void
show_banner (JgWindow   *self,
             const char *message,
             const char *button_label)
{
  gtk_label_set_text (self->banner_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), button_label != NULL);
  if (button_label != NULL)
    gtk_button_set_label (self->banner_button, button_label);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
hide_banner (JgWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
show_toast (JgWindow   *self,
            const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* Graph state in the header bar */

static void
update_undo_redo (JgWindow *self)
{
  const char      *undo_label = jg_history_get_undo_label (self->history);
  const char      *redo_label = jg_history_get_redo_label (self->history);
  g_autofree char *undo_tip = NULL;
  g_autofree char *redo_tip = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", jg_history_can_undo (self->history));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", jg_history_can_redo (self->history));

  /* Translators: %s is what the step did, e.g. "Move Tasks" */
  undo_tip = undo_label != NULL ? g_strdup_printf (_("Undo %s"), undo_label) : g_strdup (_("Undo"));
  redo_tip = redo_label != NULL ? g_strdup_printf (_("Redo %s"), redo_label) : g_strdup (_("Redo"));
  gtk_widget_set_tooltip_text (self->undo_button, undo_tip);
  gtk_widget_set_tooltip_text (self->redo_button, redo_tip);
}

static void
update_status (JgWindow *self)
{
  JgGraph         *graph = jg_history_get_graph (self->history);
  guint            n_errors = jg_graph_get_n_errors (graph);
  guint            n_warnings = jg_graph_get_n_warnings (graph);
  g_autofree char *text = NULL;
  const char      *icon;
  const char      *style;

  if (n_errors > 0 && n_warnings > 0)
    {
      g_autofree char *errors = g_strdup_printf (ngettext ("%u error", "%u errors", n_errors), n_errors);
      g_autofree char *warnings = g_strdup_printf (ngettext ("%u warning", "%u warnings", n_warnings), n_warnings);

      /* Translators: "2 errors, 1 warning" */
      text = g_strdup_printf (_("%s, %s"), errors, warnings);
    }
  else if (n_errors > 0)
    text = g_strdup_printf (ngettext ("%u error", "%u errors", n_errors), n_errors);
  else if (n_warnings > 0)
    text = g_strdup_printf (ngettext ("%u warning", "%u warnings", n_warnings), n_warnings);
  else
    text = g_strdup (_("Valid"));

  icon = n_errors > 0 ? "dialog-error-symbolic" : n_warnings > 0 ? "dialog-warning-symbolic"
                                                                 : "emblem-ok-symbolic";
  style = n_errors > 0 ? "error" : n_warnings > 0 ? "warning"
                                                  : "success";

  gtk_label_set_text (self->status_label, text);
  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_widget_remove_css_class (self->status_button, "error");
  gtk_widget_remove_css_class (self->status_button, "warning");
  gtk_widget_remove_css_class (self->status_button, "success");
  gtk_widget_add_css_class (self->status_button, style);
  gtk_widget_set_tooltip_text (self->status_button,
                               n_errors + n_warnings > 0 ? _("Show Problems (Shift+Ctrl+M)")
                                                         : _("The service would accept this job"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
}

static void
update_empty_hint (JgWindow *self)
{
  JgGraph *graph = jg_history_get_graph (self->history);

  gtk_widget_set_visible (self->empty_hint, jg_graph_get_n_tasks (graph) == 0);
}

/* The minimap is an overview for a roomy canvas; on a short or narrow one
 * (a tall bottom panel, a small window) it would cover the graph instead.
 */
static void
update_minimap_room (JgWindow *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (self->canvas));

  gtk_widget_set_visible (GTK_WIDGET (self->minimap_revealer), width >= 560 && height >= 480);
}

static void
update_zoom_label (JgWindow *self)
{
  g_autofree char *label = g_strdup_printf ("%.0f%%", jg_graph_canvas_get_zoom (self->canvas) * 100.0);

  gtk_button_set_label (self->zoom_button, label);
}

static char *
dup_display_name (JgWindow *self)
{
  if (self->file != NULL)
    {
      g_autofree char *basename = g_file_get_basename (self->file);

      return g_filename_display_name (basename);
    }

  if (self->imported_name != NULL)
    return g_strdup (self->imported_name);

  return g_strdup (_("Untitled Job"));
}

static void
update_title (JgWindow *self)
{
  g_autofree char *name = dup_display_name (self);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean         modified = jg_history_get_modified (self->history);

  title = modified ? g_strdup_printf ("• %s", name) : g_strdup (name);

  if (self->file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (self->file);
      g_autofree char *path = parent != NULL ? g_file_get_path (parent) : NULL;
      const char      *home = g_get_home_dir ();

      if (path != NULL && g_str_has_prefix (path, home))
        subtitle = g_strconcat ("~", path + strlen (home), NULL);
      else
        subtitle = g_steal_pointer (&path);
    }
  else if (self->imported_name != NULL)
    subtitle = g_strdup (_("Imported — not saved yet"));
  else
    subtitle = g_strdup (_("Draft"));

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle != NULL ? subtitle : "");
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
on_graph_changed (JgWindow *self)
{
  jg_selection_forget_missing (self->selection, jg_history_get_graph (self->history));
  update_undo_redo (self);
  update_status (self);
  update_empty_hint (self);
  update_title (self);

  if (!self->loading && jg_history_get_modified (self->history))
    schedule_autosave (self);
}

/* The graph says "changed" before the history has recorded the step, so
 * the modified state is only final here.
 */
static void
on_history_notify (JgWindow *self)
{
  update_undo_redo (self);
  update_title (self);

  if (!self->loading && jg_history_get_modified (self->history))
    schedule_autosave (self);
}

/* Swaps in a new graph: the one place the widgets learn about a document. */
static void
set_graph (JgWindow *self,
           JgGraph  *graph)
{
  g_autoptr(JgHistory) history = jg_history_new (graph);

  if (self->history != NULL)
    {
      g_signal_handlers_disconnect_by_data (jg_history_get_graph (self->history), self);
      g_signal_handlers_disconnect_by_data (self->history, self);
    }

  g_set_object (&self->history, history);
  jg_selection_clear (self->selection);

  /* A Run dialog or a followed job is about the graph being replaced. */
  if (self->run_dialog != NULL)
    gtk_window_close (GTK_WINDOW (self->run_dialog));
  jg_job_bar_clear (self->job_bar);

  g_signal_connect_object (graph, "changed", G_CALLBACK (on_graph_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (graph, "notify::n-errors", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (graph, "notify::n-warnings", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (history, "notify", G_CALLBACK (on_history_notify), self, G_CONNECT_SWAPPED);

  jg_graph_canvas_set_history (self->canvas, history);
  jg_inspector_set_history (self->inspector, history);
  jg_code_view_set_history (self->code_view, history);
  jg_problems_list_set_graph (self->problems_list, graph);

  jg_graph_set_account_processors (graph, (const char *const *)self->account_processors);
  jg_graph_validate (graph);
  update_undo_redo (self);
  update_status (self);
  update_empty_hint (self);
  update_title (self);
}

static JgGraph *
new_untitled_graph (void)
{
  g_autoptr(JgGraph) graph = jg_graph_new ();
  g_autoptr(JgJobInput) input = jg_job_input_new (_("Source"));

  jg_graph_set_name (graph, _("Untitled Job"));
  jg_job_input_set_position (input, JG_LAYOUT_MARGIN, JG_LAYOUT_MARGIN);
  jg_graph_append_input (graph, input);

  return g_steal_pointer (&graph);
}

/* Recent files */

static int
compare_recent_newest_first (gconstpointer a,
                             gconstpointer b)
{
  GDateTime *ta = gtk_recent_info_get_modified ((GtkRecentInfo *)a);
  GDateTime *tb = gtk_recent_info_get_modified ((GtkRecentInfo *)b);

  return g_date_time_compare (tb, ta);
}

static void
refresh_recent_menu (JgWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  guint  n = 0;

  g_menu_remove_all (self->recent_section);

  items = g_list_sort (items, compare_recent_newest_first);
  for (GList *l = items; l != NULL && n < MAX_RECENT_FILES; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      const char    *uri = gtk_recent_info_get_uri (info);
      g_autoptr(GMenuItem) item = NULL;

      if (!g_str_has_suffix (uri, ".jobgraph") || !gtk_recent_info_exists (info))
        continue;

      item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s", uri);
      g_menu_append_item (self->recent_section, item);
      n++;
    }

  g_list_free_full (items, (GDestroyNotify)gtk_recent_info_unref);
}

static void
remember_recent (JgWindow *self,
                 GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

/* Opening */

typedef struct
{
  JgWindow *self;
  GFile    *file;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_free (data);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadData *data = user_data;
  JgWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autofree char *basename = g_file_get_basename (data->file);
  g_autofree char *display = g_filename_display_name (basename);
  JgFormat         format = JG_FORMAT_UNKNOWN;

  graph = jg_document_load_finish (result, &format, &diagnostics, &error);

  if (graph == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: "Could not open FILE: reason" */
          g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), display, error->message);

          show_banner (self, message, NULL);
        }

      load_data_free (data);
      return;
    }

  hide_banner (self);
  forget_autosave (self);
  g_clear_pointer (&self->imported_name, g_free);
  g_clear_object (&self->file);

  if (format == JG_FORMAT_DOCUMENT)
    {
      self->file = g_object_ref (data->file);
      remember_recent (self, data->file);
    }
  else
    {
      g_autofree char *stem = g_strdup (display);
      char            *dot = strrchr (stem, '.');
      guint            n_notes = diagnostics != NULL ? diagnostics->len : 0;
      g_autofree char *message = NULL;

      if (dot != NULL && dot != stem)
        *dot = '\0';
      self->imported_name = g_strdup_printf ("%s.jobgraph", stem);

      jg_layout_graph (graph);

      /* Translators: "Imported Job body from FILE" */
      message = n_notes == 0 ? g_strdup_printf (_("Imported %s from “%s”"), jg_format_get_name (format), display)
                             : g_strdup_printf (ngettext ("Imported %s from “%s” with %u note; see Problems",
                                                          "Imported %s from “%s” with %u notes; see Problems",
                                                          n_notes),
                                                jg_format_get_name (format), display, n_notes);
      show_toast (self, message);
    }

  self->loading = TRUE;
  set_graph (self, graph);
  self->loading = FALSE;

  jg_graph_canvas_zoom_to_fit (self->canvas, FALSE);
  refresh_recent_menu (self);

  load_data_free (data);
}

void
jg_window_open_file (JgWindow *self,
                     GFile    *file)
{
  LoadData *data;

  g_return_if_fail (JG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);

  jg_document_load_async (file, self->cancellable, load_cb, data);
}

/* The first file goes into this window when it is untouched, every other
 * into a window of its own.
 */
static void
open_files (JgWindow   *self,
            GListModel *files)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  guint           n = g_list_model_get_n_items (files);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);
      JgWindow *target = self;

      if (!jg_window_is_empty (self) || i > 0)
        {
          target = jg_window_new (app);
          gtk_window_present (GTK_WINDOW (target));
        }

      jg_window_open_file (target, file);
    }
}

static void
add_file_filters (GtkFileChooser *chooser,
                  gboolean        for_open)
{
  g_autoptr(GtkFileFilter) graphs = gtk_file_filter_new ();

  gtk_file_filter_set_name (graphs, _("Jobgraph Files"));
  gtk_file_filter_add_pattern (graphs, "*.jobgraph");
  gtk_file_chooser_add_filter (chooser, graphs);

  if (for_open)
    {
      g_autoptr(GtkFileFilter) bodies = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (bodies, _("REST Bodies and Task Bodies"));
      gtk_file_filter_add_pattern (bodies, "*.json");
      gtk_file_filter_add_pattern (bodies, "*.xml");
      gtk_file_filter_add_pattern (bodies, "*.txt");
      gtk_file_filter_add_pattern (bodies, "*.http");
      gtk_file_chooser_add_filter (chooser, bodies);

      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (chooser, all);
    }
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  JgWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      open_files (self, files);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgWindow             *self = JG_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Graph"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                            _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  add_file_filters (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  JgWindow *self = JG_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  g_list_store_append (files, file);
  open_files (self, G_LIST_MODEL (files));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         JgWindow      *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);

  for (GSList *l = list; l != NULL; l = l->next)
    g_list_store_append (files, l->data);

  if (g_list_model_get_n_items (G_LIST_MODEL (files)) == 0)
    return FALSE;

  open_files (self, G_LIST_MODEL (files));
  return TRUE;
}

/* Saving */

typedef struct
{
  JgWindow *self;
  GFile    *file;
  gboolean  close_after;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_free (data);
}

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SaveData *data = user_data;
  JgWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!jg_document_save_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *name = g_file_get_parse_name (data->file);
          g_autofree char *message = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);

          show_banner (self, message, NULL);
        }

      save_data_free (data);
      return;
    }

  g_set_object (&self->file, data->file);
  g_clear_pointer (&self->imported_name, g_free);
  jg_history_set_unmodified (self->history);
  forget_autosave (self);
  remember_recent (self, data->file);
  refresh_recent_menu (self);
  update_title (self);

  if (data->close_after)
    {
      self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }

  save_data_free (data);
}

static void
save_to_file (JgWindow *self,
              GFile    *file,
              gboolean  close_after)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  data->close_after = close_after;

  /* The save is atomic (temporary file + rename) in the core. */
  jg_document_save_async (jg_history_get_graph (self->history), file, self->cancellable, save_cb, data);
}

typedef struct
{
  JgWindow *self;
  gboolean  close_after;
} SaveAsData;

static void
save_as_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     SaveAsData      *data)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      save_to_file (data->self, file, data->close_after);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (data->self);
  g_free (data);
}

static void
save_as (JgWindow *self,
         gboolean  close_after)
{
  GtkFileChooserNative *chooser;
  SaveAsData           *data = g_new0 (SaveAsData, 1);
  g_autofree char      *name = dup_display_name (self);

  data->self = g_object_ref (self);
  data->close_after = close_after;

  chooser = gtk_file_chooser_native_new (_("Save Graph"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                            _("_Save"), _("_Cancel"));
  add_file_filters (GTK_FILE_CHOOSER (chooser), FALSE);

  if (self->file != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), self->file, NULL);
  else
    {
      g_autofree char *suggested = g_str_has_suffix (name, ".jobgraph") ? g_strdup (name)
                                                                        : g_strdup_printf ("%s.jobgraph", name);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (save_as_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save (JgWindow *self,
      gboolean  close_after)
{
  if (self->file != NULL)
    save_to_file (self, self->file, close_after);
  else
    save_as (self, close_after);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (JG_WINDOW (widget), FALSE);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  save_as (JG_WINDOW (widget), FALSE);
}

/* Export */

typedef struct
{
  JgWindow *self;
  char     *kind;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->self);
  g_free (data->kind);
  g_free (data);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(JgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (G_FILE (source));

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not export to “%s”: %s"), name, error->message);

      show_banner (self, message, NULL);
      return;
    }

  {
    g_autofree char *message = g_strdup_printf (_("Exported to “%s”"), name);

    show_toast (self, message);
  }
}

static GBytes *
export_bytes (JgWindow    *self,
              JgExportKind kind,
              GError     **error)
{
  JgGraph *graph = jg_history_get_graph (self->history);
  g_auto(GStrv) input_ids = jg_code_view_dup_input_asset_ids (graph);
  JgExportOptions options = { 0 };

  options.input_asset_ids = (const char *const *)input_ids;

  return jg_export_graph (graph, kind, &options, error);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    ExportData      *data)
{
  JgWindow *self = data->self;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (g_str_equal (data->kind, "png") || g_str_equal (data->kind, "svg"))
        {
          bytes = jg_graph_image_render (jg_history_get_graph (self->history),
                                         g_str_equal (data->kind, "svg") ? JG_GRAPH_IMAGE_SVG : JG_GRAPH_IMAGE_PNG,
                                         2.0, GTK_WIDGET (self), &error);
          if (bytes == NULL)
            show_banner (self, error->message, NULL);
          else
            g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                                 self->cancellable, export_written_cb, g_object_ref (self));
        }
      else
        {
          JgExportKind kind = JG_EXPORT_JOB;

          jg_export_kind_from_string (data->kind, &kind);
          bytes = export_bytes (self, kind, &error);

          if (bytes == NULL)
            {
              g_autofree char *message = g_strdup_printf (_("Could not export: %s"), error->message);

              show_banner (self, message, NULL);
            }
          else
            g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                                 self->cancellable, export_written_cb, g_object_ref (self));
        }
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  export_data_free (data);
}

static void
ask_export_file (JgWindow   *self,
                 const char *kind,
                 const char *title,
                 const char *extension)
{
  GtkFileChooserNative *chooser;
  ExportData           *data = g_new0 (ExportData, 1);
  g_autofree char      *name = dup_display_name (self);
  g_autofree char      *suggested = NULL;
  char                 *dot;

  data->self = g_object_ref (self);
  data->kind = g_strdup (kind);

  dot = strrchr (name, '.');
  if (dot != NULL && dot != name)
    *dot = '\0';
  suggested = g_strdup_printf ("%s-%s.%s", name, kind, extension);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  JgWindow    *self = JG_WINDOW (widget);
  const char  *kind = g_variant_get_string (parameter, NULL);
  JgExportKind export_kind;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) check = NULL;

  if (!jg_export_kind_from_string (kind, &export_kind))
    return;

  /* Say what stops the export before asking where to put it. */
  check = export_bytes (self, export_kind, &error);
  if (check == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot export this graph: %s"), error->message);

      show_banner (self, message, NULL);
      return;
    }

  if (export_kind == JG_EXPORT_BATCH)
    ask_export_file (self, kind, _("Export $batch Body"), "http");
  else if (export_kind == JG_EXPORT_TEMPLATE)
    ask_export_file (self, kind, _("Export JobTemplate Body"), "json");
  else
    ask_export_file (self, kind, _("Export Job Body"), "json");
}

static void
export_image_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  JgWindow   *self = JG_WINDOW (widget);
  const char *kind = g_variant_get_string (parameter, NULL);

  if (g_str_equal (kind, "svg"))
    ask_export_file (self, "svg", _("Export SVG Image"), "svg");
  else
    ask_export_file (self, "png", _("Export PNG Image"), "png");
}

/* Editing */

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgWindow *self = JG_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!jg_history_undo (self->history, &error) && error != NULL)
    show_toast (self, error->message);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgWindow *self = JG_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!jg_history_redo (self->history, &error) && error != NULL)
    show_toast (self, error->message);
}

static void
add_task_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  jg_graph_canvas_show_palette (JG_WINDOW (widget)->canvas);
}

static void
add_input_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  jg_graph_canvas_add_input (JG_WINDOW (widget)->canvas);
}

static void
tidy_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  jg_graph_canvas_tidy_up (JG_WINDOW (widget)->canvas);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgWindow *self = JG_WINDOW (widget);

  if (g_str_equal (action_name, "win.zoom-in"))
    jg_graph_canvas_zoom_in (self->canvas);
  else if (g_str_equal (action_name, "win.zoom-out"))
    jg_graph_canvas_zoom_out (self->canvas);
  else if (g_str_equal (action_name, "win.zoom-reset"))
    jg_graph_canvas_set_zoom (self->canvas, 1.0);
  else
    jg_graph_canvas_zoom_to_fit (self->canvas, FALSE);
}

static void
show_bottom_page (JgWindow   *self,
                  const char *page)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->bottom_paned));

  gtk_widget_set_visible (self->bottom_panel, TRUE);
  gtk_stack_set_visible_child_name (self->bottom_stack, page);

  /* A REST body needs room to be read: give the panel at least 45 % of
   * the height when it is asked for, without ever shrinking it.
   */
  if (g_str_equal (page, "code") && height > 0 && gtk_paned_get_position (self->bottom_paned) > height * 0.55)
    gtk_paned_set_position (self->bottom_paned, (int)(height * 0.55));
}

static void
show_problems_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  JgWindow *self = JG_WINDOW (widget);

  show_bottom_page (self, "problems");
  gtk_widget_grab_focus (GTK_WIDGET (self->problems_list));
}

static void
show_code_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_bottom_page (JG_WINDOW (widget), "code");
}

static void
set_inspector_visible (JgWindow *self,
                       gboolean  visible)
{
  gtk_widget_set_visible (self->inspector_scroller, visible);
  gtk_toggle_button_set_active (self->inspector_button, visible);
}

static void
toggle_inspector_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  JgWindow *self = JG_WINDOW (widget);

  set_inspector_visible (self, !gtk_widget_get_visible (self->inspector_scroller));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Wiring the panes together */

static void
on_node_activated (JgWindow      *self,
                   GObject       *item,
                   JgGraphCanvas *canvas)
{
  set_inspector_visible (self, TRUE);
  jg_inspector_focus_first (self->inspector);
}

static void
on_diagnostic_activated (JgWindow       *self,
                         JgDiagnostic   *diagnostic,
                         JgProblemsList *list)
{
  GObject *subject = jg_diagnostic_get_subject (diagnostic);
  JgTask  *task = jg_diagnostic_get_task (diagnostic);

  if (task != NULL)
    {
      jg_selection_select (self->selection, task, FALSE);
      jg_graph_canvas_reveal (self->canvas, G_OBJECT (task));
    }
  else if (JG_IS_JOB_INPUT (subject))
    {
      jg_selection_select (self->selection, subject, FALSE);
      jg_graph_canvas_reveal (self->canvas, subject);
    }
  else if (JG_IS_OUTPUT_ASSET (subject))
    jg_selection_select_output (self->selection, JG_OUTPUT_ASSET (subject));
  else
    jg_selection_clear (self->selection);

  set_inspector_visible (self, TRUE);
}

/* Closing */

static void
close_when_idle (gpointer data)
{
  g_autoptr(GtkWindow) window = data;

  gtk_window_close (window);
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   JgWindow         *self)
{
  if (g_str_equal (response, "save"))
    save (self, TRUE);
  else if (g_str_equal (response, "discard"))
    {
      /* Not from inside the dialog's own response: the dialog is transient
       * for this window and still tearing down.
       */
      self->close_confirmed = TRUE;
      g_idle_add_once (close_when_idle, g_object_ref (self));
    }
}

static void
save_window_state (JgWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
jg_window_close_request (GtkWindow *window)
{
  JgWindow        *self = JG_WINDOW (window);
  g_autofree char *name = NULL;
  GtkWidget       *dialog;

  if (self->close_confirmed || self->history == NULL || !jg_history_get_modified (self->history))
    {
      save_window_state (self);
      forget_autosave (self);
      return GTK_WINDOW_CLASS (jg_window_parent_class)->close_request (window);
    }

  name = dup_display_name (self);
  dialog = adw_message_dialog_new (window, _("Save Changes?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will be permanently lost."),
                                     name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "discard", _("_Discard"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (close_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

/* Recovery */

static void
recover_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgGraph) graph = NULL;
  GFile           *autosave = G_FILE (source);
  g_autofree char *origin_path = g_strconcat (g_file_peek_path (autosave), ".origin", NULL);
  g_autofree char *origin_uri = NULL;

  graph = jg_document_load_finish (result, NULL, NULL, &error);
  if (graph == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not recover unsaved work: %s"), error->message);

      show_banner (self, message, NULL);
      return;
    }

  g_file_get_contents (origin_path, &origin_uri, NULL, NULL);
  g_clear_object (&self->file);
  if (origin_uri != NULL)
    self->file = g_file_new_for_uri (g_strstrip (origin_uri));

  self->loading = TRUE;
  set_graph (self, graph);
  self->loading = FALSE;

  /* The recovered graph is unsaved work, and this window owns its autosave
   * file from now on.
   */
  g_set_object (&self->autosave_file, autosave);
  jg_history_set_modified (self->history);
  update_title (self);
  jg_graph_canvas_zoom_to_fit (self->canvas, FALSE);
  show_toast (self, _("Recovered unsaved work"));
}

static void
recover_all (JgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GPtrArray) files = g_steal_pointer (&self->recoverable);

  hide_banner (self);

  if (files == NULL)
    return;

  for (guint i = 0; i < files->len; i++)
    {
      JgWindow *target = self;
      GFile    *file = g_ptr_array_index (files, i);

      if (i > 0 || !jg_window_is_empty (self))
        {
          target = jg_window_new (app);
          gtk_window_present (GTK_WINDOW (target));
        }

      jg_document_load_async (file, target->cancellable, recover_cb, g_object_ref (target));
    }
}

static void
on_banner_button_clicked (JgWindow *self)
{
  recover_all (self);
}

/**
 * jg_window_offer_recovery:
 *
 * Looks for graphs autosaved by a previous run that did not close cleanly
 * and, if there are any, offers to recover them in a banner.
 */
void
jg_window_offer_recovery (JgWindow *self)
{
  g_autoptr(GFile) dir = autosave_dir ();
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *message = NULL;
  GFileInfo       *info;

  g_return_if_fail (JG_IS_WINDOW (self));

  enumerator = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (enumerator == NULL)
    return;

  while ((info = g_file_enumerator_next_file (enumerator, NULL, NULL)) != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (g_str_has_suffix (name, ".jobgraph"))
        g_ptr_array_add (files, g_file_get_child (dir, name));

      g_object_unref (info);
    }

  if (files->len == 0)
    return;

  self->recoverable = g_steal_pointer (&files);
  message = g_strdup_printf (ngettext ("Jobgraph did not close cleanly last time: %u graph has unsaved work.",
                                       "Jobgraph did not close cleanly last time: %u graphs have unsaved work.",
                                       self->recoverable->len),
                             self->recoverable->len);
  show_banner (self, message, _("_Recover"));
  gtk_button_set_use_underline (self->banner_button, TRUE);
}

/* End-to-end tests drive the real pointer with xdotool; with
 * JOBGRAPH_DEBUG_GEOMETRY=FILE the window writes, after every frame, where
 * each node and port is in surface coordinates (tests/ui/test-e2e.sh), and
 * the state of each task in the job followed ("task 0 state 3").
 */
static void
append_widget_centre (GString    *out,
                      JgWindow   *self,
                      GtkWidget  *widget,
                      const char *what)
{
  graphene_point_t centre;
  double           sx, sy;

  if (widget == NULL ||
      !gtk_widget_compute_point (widget, GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.f,
                                                       gtk_widget_get_height (widget) / 2.f),
                                 &centre))
    return;

  gtk_native_get_surface_transform (GTK_NATIVE (self), &sx, &sy);
  g_string_append_printf (out, "%s %.0f %.0f\n", what, centre.x + sx, centre.y + sy);
}

static void
dump_geometry (GdkFrameClock *clock,
               JgWindow      *self)
{
  JgGraph *graph = jg_history_get_graph (self->history);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < jg_graph_get_n_inputs (graph); i++)
    {
      GtkWidget       *node = jg_graph_canvas_get_node_widget (self->canvas, G_OBJECT (jg_graph_get_input (graph, i)));
      g_autofree char *name = g_strdup_printf ("input %u out 0", i);

      if (node != NULL && jg_node_get_n_ports (JG_NODE (node), TRUE) > 0)
        append_widget_centre (out, self, jg_node_get_port (JG_NODE (node), TRUE, 0), name);
    }

  for (guint t = 0; t < jg_graph_get_n_tasks (graph); t++)
    {
      GtkWidget       *node = jg_graph_canvas_get_node_widget (self->canvas, G_OBJECT (jg_graph_get_task (graph, t)));
      g_autofree char *body = g_strdup_printf ("task %u body", t);

      if (node == NULL)
        continue;

      append_widget_centre (out, self, node, body);
      if (jg_node_get_run_state (JG_NODE (node)) >= 0)
        g_string_append_printf (out, "task %u state %d\n", t, jg_node_get_run_state (JG_NODE (node)));
      for (guint output = 0; output < 2; output++)
        for (guint p = 0; p < jg_node_get_n_ports (JG_NODE (node), output); p++)
          {
            g_autofree char *name = g_strdup_printf ("task %u %s %u", t, output ? "out" : "in", p);

            append_widget_centre (out, self, jg_node_get_port (JG_NODE (node), output, p), name);
          }
    }

  g_file_set_contents (g_getenv ("JOBGRAPH_DEBUG_GEOMETRY"), out->str, out->len, NULL);
}

static void
on_realize_for_geometry (JgWindow *self)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (dump_geometry), self, G_CONNECT_AFTER);
}

/* GObject */

/* The service: running the graph, following a job, templates */

static JgAccountStore *
get_account_store (JgWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return JG_IS_APPLICATION (app) ? jg_application_get_account_store (JG_APPLICATION (app)) : NULL;
}

typedef struct
{
  GApplication  *app;
  char          *id;
  GNotification *notification;
} NotifyData;

static void
notify_data_free (NotifyData *data)
{
  g_object_unref (data->app);
  g_free (data->id);
  g_object_unref (data->notification);
  g_free (data);
}

static void
names_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NotifyData *data = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;
  gboolean    shown = FALSE;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply != NULL)
    {
      g_variant_get (reply, "(^a&s)", &names);
      shown = g_strv_contains (names, "org.gtk.Notifications") ||
              g_strv_contains (names, "org.freedesktop.Notifications");
    }

  if (shown)
    g_application_send_notification (data->app, data->id, data->notification);
  else
    g_debug ("No notification service on the session bus: not sending “%s”", data->id);

  notify_data_free (data);
}

/* GLib warns when no notification service answers (a bare X session, a
 * test display): ask the bus first. In a sandbox the portal shows them.
 */
static void
send_notification_if_shown (GApplication  *app,
                            const char    *id,
                            GNotification *notification)
{
  GDBusConnection *bus = g_application_get_dbus_connection (app);
  NotifyData      *data;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      g_application_send_notification (app, id, notification);
      return;
    }

  if (bus == NULL)
    return;

  data = g_new0 (NotifyData, 1);
  data->app = g_object_ref (app);
  data->id = g_strdup (id);
  data->notification = g_object_ref (notification);
  g_dbus_connection_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "ListNames", NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          names_listed_cb, data);
}

static void
on_job_finished (JgWindow  *self,
                 JgJobState state)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  JgJobMonitor *monitor = jg_job_bar_get_monitor (self->job_bar);
  JgRemoteJob  *job = monitor != NULL ? jg_job_monitor_get_job (monitor) : NULL;
  const char   *name = job != NULL && job->name != NULL ? job->name : jg_job_monitor_get_job_id (monitor);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  /* The window shows the end itself; a notification is for a user who
   * is looking elsewhere.
   */
  if (app == NULL || monitor == NULL || gtk_window_is_active (GTK_WINDOW (self)))
    return;

  switch (state)
    {
    case JG_JOB_STATE_FINISHED:
      title = g_strdup (_("Job Finished"));
      break;
    case JG_JOB_STATE_ERROR:
      title = g_strdup (_("Job Failed"));
      break;
    default:
      title = g_strdup (_("Job Canceled"));
      break;
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, name);
  g_notification_set_priority (notification, state == JG_JOB_STATE_ERROR ? G_NOTIFICATION_PRIORITY_HIGH
                                                                         : G_NOTIFICATION_PRIORITY_NORMAL);
  id = g_strdup_printf ("job-%s", jg_job_monitor_get_job_id (monitor));
  send_notification_if_shown (app, id, notification);
}

static void
processors_listed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(JgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) name_list = NULL;
  JgGraph *graph;

  processors = jg_client_list_processors_finish (JG_CLIENT (source), result, &error);
  if (processors == NULL)
    {
      /* The graph is still checked against the built-in catalog. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not list the account's media processors: %s", error->message);
      return;
    }

  for (guint i = 0; i < processors->len; i++)
    {
      JgRemoteProcessor *processor = g_ptr_array_index (processors, i);

      g_strv_builder_add (ids, processor->id);
      g_strv_builder_add (names, processor->name != NULL ? processor->name : processor->id);
    }

  g_strfreev (self->account_processors);
  self->account_processors = g_strv_builder_end (ids);
  name_list = g_strv_builder_end (names);

  jg_inspector_add_processors (self->inspector, (const char *const *)self->account_processors,
                               (const char *const *)name_list);
  graph = jg_history_get_graph (self->history);
  jg_graph_set_account_processors (graph, (const char *const *)self->account_processors);
  jg_graph_validate (graph);
}

static void
processors_client_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(JgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgClient) client = NULL;

  client = jg_account_store_dup_client_finish (JG_ACCOUNT_STORE (source), result, &error);
  if (client == NULL)
    {
      /* Run and the Jobs view say what is wrong with the account. */
      g_debug ("No client for the default account: %s", error->message);
      return;
    }

  jg_client_list_processors_async (client, self->cancellable, processors_listed_cb, g_object_ref (self));
}

/* The processor dropdown and validation also know the default account's
 * processors: an account may have some the built-in catalog does not.
 */
static void
load_account_processors (JgWindow *self)
{
  JgAccountStore *store = get_account_store (self);

  if (store == NULL)
    return;

  jg_account_store_dup_client_async (store, jg_account_store_get_default_name (store), self->cancellable,
                                     processors_client_cb, g_object_ref (self));
}

static void
on_window_mapped_for_account (JgWindow *self)
{
  JgAccountStore *store = get_account_store (self);

  g_signal_handlers_disconnect_by_func (self, on_window_mapped_for_account, NULL);
  if (store == NULL)
    return;

  g_signal_connect_object (store, "notify::default-name", G_CALLBACK (load_account_processors), self,
                           G_CONNECT_SWAPPED);
  load_account_processors (self);
}

/**
 * jg_window_follow_job:
 * @client: the client of the job's account
 * @job_id: a job submitted from this window's graph, as it is now
 * @job_name: (nullable): its name
 *
 * Shows the job's progress on the graph: the tasks of the job are the
 * graph's tasks in run order, the order of the body that was sent.
 */
void
jg_window_follow_job (JgWindow   *self,
                      JgClient   *client,
                      const char *job_id,
                      const char *job_name)
{
  g_autoptr(GPtrArray) tasks = NULL;

  g_return_if_fail (JG_IS_WINDOW (self));
  g_return_if_fail (JG_IS_CLIENT (client));
  g_return_if_fail (job_id != NULL);

  tasks = jg_graph_dup_run_order (jg_history_get_graph (self->history));
  jg_job_bar_track (self->job_bar, self->canvas, client, job_id, job_name, tasks);
}

typedef struct
{
  JgWindow    *self;
  JgClient    *client;
  char        *job_id;
  JgRemoteJob *job;
  GPtrArray   *tasks;
} ShowJobData;

static void
show_job_data_free (ShowJobData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->client);
  g_free (data->job_id);
  g_clear_pointer (&data->job, jg_remote_job_unref);
  g_clear_pointer (&data->tasks, g_ptr_array_unref);
  g_free (data);
}

static void
show_job_failed (ShowJobData  *data,
                 const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: "Could not open job NAME: reason" */
      g_autofree char *message = g_strdup_printf (_("Could not open job “%s”: %s"),
                                                  data->job != NULL && data->job->name != NULL ? data->job->name
                                                                                               : data->job_id,
                                                  error->message);

      show_banner (data->self, message, NULL);
    }

  show_job_data_free (data);
}

static void
show_job_inputs_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ShowJobData *data = user_data;
  JgWindow    *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) asset_ids = g_ptr_array_new ();
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GPtrArray) graph_tasks = g_ptr_array_new ();

  assets = jg_client_list_job_input_assets_finish (JG_CLIENT (source), result, &error);
  if (assets == NULL)
    {
      show_job_failed (data, error);
      return;
    }

  for (guint i = 0; i < assets->len; i++)
    g_ptr_array_add (asset_ids, ((JgRemoteAsset *)g_ptr_array_index (assets, i))->id);

  graph = jg_remote_job_build_graph (data->job, data->tasks, asset_ids, &error);
  if (graph == NULL)
    {
      show_job_failed (data, error);
      return;
    }

  jg_window_show_graph (self, graph, data->job->name != NULL && *data->job->name != '\0' ? data->job->name
                                                                                      : data->job_id);

  /* A graph built from the job lists its tasks in the job's order. */
  for (guint i = 0; i < jg_graph_get_n_tasks (graph); i++)
    g_ptr_array_add (graph_tasks, jg_graph_get_task (graph, i));
  jg_job_bar_track (self->job_bar, self->canvas, data->client, data->job_id, data->job->name, graph_tasks);

  show_job_data_free (data);
}

static void
show_job_tasks_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ShowJobData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->tasks = jg_client_list_job_tasks_finish (JG_CLIENT (source), result, &error);
  if (data->tasks == NULL)
    {
      show_job_failed (data, error);
      return;
    }

  jg_client_list_job_input_assets_async (data->client, data->job_id, data->self->cancellable, show_job_inputs_cb,
                                         data);
}

static void
show_job_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ShowJobData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->job = jg_client_get_job_finish (JG_CLIENT (source), result, &error);
  if (data->job == NULL)
    {
      show_job_failed (data, error);
      return;
    }

  jg_client_list_job_tasks_async (data->client, data->job_id, data->self->cancellable, show_job_tasks_cb, data);
}

/**
 * jg_window_show_job:
 * @client: the client of the job's account
 * @job_id: a job of that account
 *
 * Replaces the window's graph with the job's, built from its tasks, and
 * follows the job's progress on it. The graph can be edited and saved
 * like an imported one.
 */
void
jg_window_show_job (JgWindow   *self,
                    JgClient   *client,
                    const char *job_id)
{
  ShowJobData *data;

  g_return_if_fail (JG_IS_WINDOW (self));
  g_return_if_fail (JG_IS_CLIENT (client));
  g_return_if_fail (job_id != NULL);

  data = g_new0 (ShowJobData, 1);
  data->self = g_object_ref (self);
  data->client = g_object_ref (client);
  data->job_id = g_strdup (job_id);

  jg_client_get_job_async (client, job_id, self->cancellable, show_job_cb, data);
}

/**
 * jg_window_show_graph:
 * @graph: a graph that is not any other window's
 * @title: what to call it until it is saved
 *
 * Shows @graph as an unsaved, imported graph: a template or a job opened
 * to edit and submit again.
 */
void
jg_window_show_graph (JgWindow   *self,
                      JgGraph    *graph,
                      const char *title)
{
  g_return_if_fail (JG_IS_WINDOW (self));
  g_return_if_fail (JG_IS_GRAPH (graph));

  hide_banner (self);
  forget_autosave (self);
  g_clear_object (&self->file);
  g_free (self->imported_name);
  self->imported_name = g_strdup (title != NULL ? title : jg_graph_get_name (graph));
  self->loading = TRUE;
  set_graph (self, graph);
  self->loading = FALSE;
  jg_graph_canvas_zoom_to_fit (self->canvas, FALSE);
}

typedef struct
{
  JgWindow *self;
  char     *account_title;
} SaveTemplateData;

static void
save_template_data_free (SaveTemplateData *data)
{
  g_clear_object (&data->self);
  g_free (data->account_title);
  g_free (data);
}

static void
template_created_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SaveTemplateData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRemoteTemplate) template_ = NULL;
  g_autofree char *message = NULL;

  template_ = jg_client_create_template_from_graph_finish (JG_CLIENT (source), result, &error);
  if (template_ == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: the first %s is an account, the second why saving failed */
          message = g_strdup_printf (_("Could not save the JobTemplate in %s: %s"), data->account_title,
                                     error->message);
          show_banner (data->self, message, NULL);
        }
      save_template_data_free (data);
      return;
    }

  /* Templates are immutable on the service: say so, since saving again
   * does not update this one.
   */
  /* Translators: the first %s is a template name, the second an account */
  message = g_strdup_printf (_("Saved JobTemplate “%s” in %s. Templates cannot be changed: saving again makes a new one."),
                             template_->name, data->account_title);
  show_toast (data->self, message);
  save_template_data_free (data);
}

static void
save_template_client_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  SaveTemplateData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgClient) client = NULL;

  client = jg_account_store_dup_client_finish (JG_ACCOUNT_STORE (source), result, &error);
  if (client == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_banner (data->self, error->message, NULL);
      save_template_data_free (data);
      return;
    }

  jg_client_create_template_from_graph_async (client, jg_history_get_graph (data->self->history),
                                              data->self->cancellable, template_created_cb, data);
}

static void
save_template_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  JgWindow         *self = JG_WINDOW (widget);
  JgAccountStore   *store = get_account_store (self);
  JgGraph          *graph = jg_history_get_graph (self->history);
  guint             n_errors = jg_graph_get_n_errors (graph);
  SaveTemplateData *data;
  const char       *name;

  if (store == NULL)
    return;

  if (n_errors > 0)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("Fix the %u error first: the service refuses a template with errors",
                                                            "Fix the %u errors first: the service refuses a template with errors",
                                                            n_errors),
                                                  n_errors);

      show_toast (self, message);
      show_bottom_page (self, "problems");
      return;
    }

  name = jg_account_store_get_default_name (store);
  data = g_new0 (SaveTemplateData, 1);
  data->self = g_object_ref (self);
  data->account_title = jg_account_dup_title (jg_account_store_lookup (store, name));
  jg_account_store_dup_client_async (store, name, self->cancellable, save_template_client_cb, data);
}

/* The first job a Run dialog submits is followed on the graph; the others
 * (one job per asset) are in the dialog's results and the Jobs view.
 */
static void
on_job_submitted (JgWindow    *self,
                  JgClient    *client,
                  const char  *job_id,
                  const char  *job_name,
                  JgRunDialog *dialog)
{
  if (g_object_get_data (G_OBJECT (dialog), "jg-followed") != NULL)
    return;

  g_object_set_data (G_OBJECT (dialog), "jg-followed", GINT_TO_POINTER (TRUE));
  jg_window_follow_job (self, client, job_id, job_name);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  JgWindow       *self = JG_WINDOW (widget);
  JgAccountStore *store = get_account_store (self);

  if (store == NULL)
    return;

  jg_window_open_run_dialog (self, store);
}

/**
 * jg_window_open_run_dialog:
 * @store: the accounts to run on
 *
 * Opens the Run dialog on the window's graph; the first job it submits is
 * followed on the canvas.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
jg_window_open_run_dialog (JgWindow       *self,
                           JgAccountStore *store)
{
  JgRunDialog *dialog;

  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (store), NULL);

  dialog = jg_run_dialog_new (GTK_WINDOW (self), store, jg_history_get_graph (self->history));
  g_signal_connect_object (dialog, "job-submitted", G_CALLBACK (on_job_submitted), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->run_dialog, GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));

  return GTK_WINDOW (dialog);
}

static void
jg_window_dispose (GObject *object)
{
  JgWindow *self = (JgWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  g_clear_weak_pointer (&self->run_dialog);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_WINDOW);

  G_OBJECT_CLASS (jg_window_parent_class)->dispose (object);
}

static void
jg_window_finalize (GObject *object)
{
  JgWindow *self = (JgWindow *)object;

  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  g_clear_object (&self->selection);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->autosave_file);
  g_clear_pointer (&self->recoverable, g_ptr_array_unref);
  g_clear_pointer (&self->imported_name, g_free);
  g_clear_pointer (&self->account_processors, g_strfreev);

  G_OBJECT_CLASS (jg_window_parent_class)->finalize (object);
}

static void
jg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  JgWindow *self = JG_WINDOW (object);

  switch (prop_id)
    {
    /* The action muxer may ask before the template is built. */
    case PROP_SNAP_TO_GRID:
      g_value_set_boolean (value, self->canvas == NULL || jg_graph_canvas_get_snap_to_grid (self->canvas));
      break;

    case PROP_SHOW_MINIMAP:
      g_value_set_boolean (value, self->minimap_revealer == NULL ||
                                    gtk_revealer_get_reveal_child (self->minimap_revealer));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  JgWindow *self = JG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SNAP_TO_GRID:
      jg_graph_canvas_set_snap_to_grid (self->canvas, g_value_get_boolean (value));
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_SHOW_MINIMAP:
      gtk_revealer_set_reveal_child (self->minimap_revealer, g_value_get_boolean (value));
      g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_window_class_init (JgWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = jg_window_dispose;
  object_class->finalize = jg_window_finalize;
  object_class->get_property = jg_window_get_property;
  object_class->set_property = jg_window_set_property;

  window_class->close_request = jg_window_close_request;

  properties[PROP_SNAP_TO_GRID] =
    g_param_spec_boolean ("snap-to-grid", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_MINIMAP] =
    g_param_spec_boolean ("show-minimap", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JG_TYPE_GRAPH_CANVAS);
  g_type_ensure (JG_TYPE_INSPECTOR);
  g_type_ensure (JG_TYPE_CODE_VIEW);
  g_type_ensure (JG_TYPE_PROBLEMS_LIST);
  g_type_ensure (JG_TYPE_JOB_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JgWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, status_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, inspector_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, job_bar);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, side_paned);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, bottom_paned);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, bottom_panel);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, empty_hint);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, minimap_revealer);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, problems_list);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, code_view);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, inspector_scroller);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, JgWindow, recent_section);
  gtk_widget_class_bind_template_callback (widget_class, hide_banner);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_button_clicked);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.export-image", "s", export_image_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "win.add-task", NULL, add_task_action);
  gtk_widget_class_install_action (widget_class, "win.add-input", NULL, add_input_action);
  gtk_widget_class_install_action (widget_class, "win.tidy-up", NULL, tidy_up_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.show-problems", NULL, show_problems_action);
  gtk_widget_class_install_action (widget_class, "win.show-code", NULL, show_code_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-inspector", NULL, toggle_inspector_action);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.save-template", NULL, save_template_action);
  gtk_widget_class_install_property_action (widget_class, "win.snap-to-grid", "snap-to-grid");
  gtk_widget_class_install_property_action (widget_class, "win.show-minimap", "show-minimap");

  /* Undo and redo are bindings rather than application accelerators so an
   * entry with focus undoes its own typing first.
   */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "win.redo", NULL);
}

/* Window size, panes and canvas preferences persist in GSettings. Run from
 * the build tree without the schema installed, the window simply starts
 * with the defaults.
 */
static void
bind_settings (JgWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Settings schema %s not installed: window state will not persist", APP_ID);
      return;
    }

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "snap-to-grid", self, "snap-to-grid", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-minimap", self, "show-minimap", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "inspector-visible", self->inspector_scroller, "visible", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "inspector-visible", self->inspector_button, "active", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "bottom-panel-page", self->bottom_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
jg_window_init (JgWindow *self)
{
  g_autoptr(JgGraph) graph = new_untitled_graph ();
  GtkDropTarget *drop;
  GtkWidget     *minimap;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->selection = jg_selection_new ();

  jg_graph_canvas_set_selection (self->canvas, self->selection);
  jg_inspector_set_selection (self->inspector, self->selection);
  jg_code_view_set_selection (self->code_view, self->selection);

  minimap = jg_minimap_new (self->canvas);
  gtk_revealer_set_child (self->minimap_revealer, minimap);

  g_signal_connect_object (self->canvas, "notify::zoom", G_CALLBACK (update_zoom_label), self, G_CONNECT_SWAPPED);
  /* The page sizes of the canvas's adjustments follow its allocation. */
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->canvas)), "changed",
                           G_CALLBACK (update_minimap_room), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->canvas)), "changed",
                           G_CALLBACK (update_minimap_room), self, G_CONNECT_SWAPPED);
  if (g_signal_lookup ("node-activated", JG_TYPE_GRAPH_CANVAS) != 0)
    g_signal_connect_object (self->canvas, "node-activated", G_CALLBACK (on_node_activated), self,
                             G_CONNECT_SWAPPED);
  if (g_signal_lookup ("diagnostic-activated", JG_TYPE_PROBLEMS_LIST) != 0)
    g_signal_connect_object (self->problems_list, "diagnostic-activated", G_CALLBACK (on_diagnostic_activated),
                             self, G_CONNECT_SWAPPED);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_widget_set_visible (self->bottom_panel, TRUE);
  gtk_toggle_button_set_active (self->inspector_button, TRUE);
  bind_settings (self);

  set_graph (self, graph);
  update_zoom_label (self);
  refresh_recent_menu (self);

  /* The graph is what the window is for: keys go to the canvas first. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->canvas));

  g_signal_connect_object (self->job_bar, "finished", G_CALLBACK (on_job_finished), self, G_CONNECT_SWAPPED);
  /* The application is only known once the window is shown. */
  g_signal_connect (self, "map", G_CALLBACK (on_window_mapped_for_account), NULL);

  if (g_getenv ("JOBGRAPH_DEBUG_GEOMETRY") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (on_realize_for_geometry), NULL);
}

JgWindow *
jg_window_new (GtkApplication *application)
{
  return g_object_new (JG_TYPE_WINDOW, "application", application, NULL);
}

/**
 * jg_window_get_history:
 *
 * Returns: (transfer none): the undo history, and through it the graph.
 */
JgHistory *
jg_window_get_history (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  return self->history;
}

/**
 * jg_window_get_file:
 *
 * Returns: (transfer none) (nullable): the `.jobgraph` file shown.
 */
GFile *
jg_window_get_file (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), NULL);

  return self->file;
}

/**
 * jg_window_is_empty:
 *
 * Returns: %TRUE for an untouched new window a file may be opened into.
 */
gboolean
jg_window_is_empty (JgWindow *self)
{
  g_return_val_if_fail (JG_IS_WINDOW (self), FALSE);

  return self->file == NULL && self->imported_name == NULL && !jg_history_get_modified (self->history) &&
         !jg_history_can_undo (self->history);
}

/* Test accessors (jg-window-private.h) */

const char *
jg_window_get_title_text (JgWindow *self)
{
  return adw_window_title_get_title (self->window_title);
}

const char *
jg_window_get_status_text (JgWindow *self)
{
  return gtk_label_get_text (self->status_label);
}

/**
 * jg_window_get_banner_text:
 *
 * Returns: (nullable): the banner's message while it is shown.
 */
const char *
jg_window_get_banner_text (JgWindow *self)
{
  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;

  return gtk_label_get_text (self->banner_label);
}

JgGraphCanvas *
jg_window_get_canvas (JgWindow *self)
{
  return self->canvas;
}

JgSelection *
jg_window_get_selection (JgWindow *self)
{
  return self->selection;
}

void
jg_window_save_to (JgWindow *self,
                   GFile    *file)
{
  save_to_file (self, file, FALSE);
}

void
jg_window_recover (JgWindow *self)
{
  recover_all (self);
}

guint
jg_window_get_n_recoverable (JgWindow *self)
{
  return self->recoverable != NULL ? self->recoverable->len : 0;
}

JgJobBar *
jg_window_get_job_bar (JgWindow *self)
{
  return self->job_bar;
}
