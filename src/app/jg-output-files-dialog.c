/* jg-output-files-dialog.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-output-files-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "jg-output-files-dialog.h"

struct _JgOutputFilesDialog
{
  AdwWindow        parent_instance;

  /* Widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  GtkBox          *groups_box;
  GtkWidget       *transfer_bar;
  GtkLabel        *transfer_label;
  GtkProgressBar  *transfer_progress;

  /* Owned references */
  JgClient        *client;
  char            *job_id;
  GFile           *local_data_dir;
  GCancellable    *cancellable;          /* loading; cancelled in dispose */
  GCancellable    *download_cancellable; /* the running download */
  GPtrArray       *assets;               /* JgRemoteAsset */
  GPtrArray       *files;                /* GPtrArray of JgRemoteFile, per asset */
  GPtrArray       *download_buttons;

  guint            n_pending;
  gboolean         loading;
  gboolean         downloading;
  GError          *error;
};

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_DOWNLOADING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgOutputFilesDialog, jg_output_files_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

/* A load in flight keeps this alive, not the dialog: closing the dialog
 * cancels it.
 */
typedef struct
{
  JgOutputFilesDialog *self;
  guint                index;
} LoadOp;

static void
set_loading (JgOutputFilesDialog *self,
             gboolean             loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_downloading (JgOutputFilesDialog *self,
                 gboolean             downloading)
{
  if (self->downloading == downloading)
    return;

  self->downloading = downloading;
  gtk_widget_set_visible (self->transfer_bar, downloading);
  for (guint i = 0; i < self->download_buttons->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->download_buttons, i), !downloading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOADING]);
}

static void
show_toast (JgOutputFilesDialog *self,
            const char          *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static JgRemoteAsset *
lookup_asset (JgOutputFilesDialog *self,
              const char          *asset_id)
{
  for (guint i = 0; i < self->assets->len; i++)
    {
      JgRemoteAsset *asset = g_ptr_array_index (self->assets, i);

      if (g_strcmp0 (asset->id, asset_id) == 0)
        return asset;
    }

  return NULL;
}

static char *
dup_file_details (JgRemoteFile *file)
{
  g_autofree char *size = file->size >= 0 ? g_format_size (file->size) : g_strdup (_("Unknown size"));
  g_autofree char *description = NULL;

  if (file->mime_type == NULL || file->mime_type[0] == '\0')
    return g_steal_pointer (&size);

  {
    g_autofree char *content_type = g_content_type_from_mime_type (file->mime_type);

    /* "unknown" says less than "application/octet-stream". */
    if (content_type != NULL && !g_content_type_is_unknown (content_type))
      description = g_content_type_get_description (content_type);
  }

  /* Translators: a file's size and type, "12.3 MB · MPEG-4 video" */
  return g_strdup_printf (_("%s · %s"), size, description ? description : file->mime_type);
}

/* Open Folder */

#if !GTK_CHECK_VERSION(4, 10, 0)
static void
folder_launched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(JgOutputFilesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the folder: %s"), error->message);

      show_toast (self, message);
    }
}
#else
static void
folder_launched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(JgOutputFilesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the folder: %s"), error->message);

      show_toast (self, message);
    }
}
#endif

static void
open_folder_clicked_cb (GtkButton           *button,
                        JgOutputFilesDialog *self)
{
  const char *asset_id = g_object_get_data (G_OBJECT (button), "asset-id");
  g_autoptr(GFile) folder = jg_output_files_dialog_dup_folder (self, asset_id);

  if (folder == NULL)
    return;

#if GTK_CHECK_VERSION(4, 10, 0)
  {
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (folder);

    gtk_file_launcher_launch (launcher, GTK_WINDOW (self), self->cancellable, folder_launched_cb, g_object_ref (self));
  }
#else
  {
    g_autofree char *uri = g_file_get_uri (folder);
    g_autoptr(GAppLaunchContext) context =
      G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));

    g_app_info_launch_default_for_uri_async (uri, context, self->cancellable, folder_launched_cb, g_object_ref (self));
  }
#endif
}

/* Download… */

static void
download_progress_cb (goffset  done,
                      goffset  total,
                      gpointer user_data)
{
  JgOutputFilesDialog *self = user_data;
  g_autofree char     *done_text = g_format_size (done);
  g_autofree char     *total_text = g_format_size (total);
  g_autofree char     *text = NULL;

  /* Translators: "12.3 MB of 40.0 MB" */
  text = g_strdup_printf (_("%s of %s"), done_text, total_text);
  gtk_progress_bar_set_text (self->transfer_progress, text);
  gtk_progress_bar_set_fraction (self->transfer_progress, total > 0 ? (double)done / total : 0.0);
}

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  JgOutputFilesDialog *self = user_data;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  written = jg_client_download_asset_finish (JG_CLIENT (object), result, &error);
  g_clear_object (&self->download_cancellable);
  set_downloading (self, FALSE);

  if (written == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("Download canceled"));
      else
        message = g_strdup_printf (_("Could not download the files: %s"), error->message);
    }
  else
    {
      message = g_strdup_printf (ngettext ("Downloaded %u file", "Downloaded %u files", written->len), written->len);
    }

  show_toast (self, message);
  g_object_unref (self);
}

#if GTK_CHECK_VERSION(4, 10, 0)
static void
folder_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(JgOutputFilesDialog) self = user_data;
  g_autofree char *asset_id = g_object_steal_data (G_OBJECT (object), "asset-id");
  g_autoptr(GFile) dir = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (dir != NULL && asset_id != NULL)
    jg_output_files_dialog_download (self, asset_id, dir);
}
#else
static void
folder_chooser_response_cb (GtkNativeDialog     *chooser,
                            int                  response,
                            JgOutputFilesDialog *self)
{
  const char *asset_id = g_object_get_data (G_OBJECT (chooser), "asset-id");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) dir = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (dir != NULL)
        jg_output_files_dialog_download (self, asset_id, dir);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}
#endif

static void
download_clicked_cb (GtkButton           *button,
                     JgOutputFilesDialog *self)
{
  const char *asset_id = g_object_get_data (G_OBJECT (button), "asset-id");

#if GTK_CHECK_VERSION(4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, _("Download To"));
    gtk_file_dialog_set_accept_label (dialog, _("_Download"));
    g_object_set_data_full (G_OBJECT (dialog), "asset-id", g_strdup (asset_id), g_free);
    gtk_file_dialog_select_folder (dialog, GTK_WINDOW (self), self->cancellable, folder_chosen_cb,
                                   g_object_ref (self));
  }
#else
  {
    GtkFileChooserNative *chooser;

    chooser = gtk_file_chooser_native_new (_("Download To"), GTK_WINDOW (self),
                                           GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Download"), _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    g_object_set_data_full (G_OBJECT (chooser), "asset-id", g_strdup (asset_id), g_free);
    g_signal_connect_object (chooser, "response", G_CALLBACK (folder_chooser_response_cb), self, 0);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

static void
cancel_download_clicked_cb (JgOutputFilesDialog *self)
{
  jg_output_files_dialog_cancel_download (self);
}

/* Building the list */

static GtkWidget *
new_asset_group (JgOutputFilesDialog *self,
                 JgRemoteAsset       *asset,
                 GPtrArray           *files)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *download = gtk_button_new_with_mnemonic (_("_Download…"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), asset->name ? asset->name : asset->id);
  {
    /* The whole name, which the title may cut, and the id. */
    g_autofree char *tooltip = g_strdup_printf ("%s\n%s", asset->name ? asset->name : "", asset->id);

    gtk_widget_set_tooltip_text (group, tooltip);
  }

  if (files->len > 0)
    {
      g_autofree char *size = NULL;
      g_autofree char *summary = NULL;
      goffset          total = 0;

      for (guint i = 0; i < files->len; i++)
        total += MAX (((JgRemoteFile *)g_ptr_array_index (files, i))->size, 0);
      size = g_format_size (total);
      /* Translators: "2 files, 1.5 MB" */
      summary = g_strdup_printf (ngettext ("%u file, %s", "%u files, %s", files->len), files->len, size);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), summary);
    }

  if (self->local_data_dir != NULL)
    {
      GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open Folder"));

      gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
      /* The service makes the folder with the first file. */
      gtk_widget_set_sensitive (open, files->len > 0);
      g_object_set_data_full (G_OBJECT (open), "asset-id", g_strdup (asset->id), g_free);
      g_signal_connect_object (open, "clicked", G_CALLBACK (open_folder_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (buttons), open);
    }

  gtk_widget_set_valign (download, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (download, files->len > 0 && !self->downloading);
  g_object_set_data_full (G_OBJECT (download), "asset-id", g_strdup (asset->id), g_free);
  g_signal_connect_object (download, "clicked", G_CALLBACK (download_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (buttons), download);
  if (files->len > 0)
    g_ptr_array_add (self->download_buttons, download);

  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), buttons);

  if (files->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("This asset has no files"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  for (guint i = 0; i < files->len; i++)
    {
      JgRemoteFile    *file = g_ptr_array_index (files, i);
      GtkWidget       *row = adw_action_row_new ();
      g_autofree char *details = dup_file_details (file);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), file->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), details);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("text-x-generic-symbolic"));

      if (file->is_primary)
        {
          GtkWidget *label = gtk_label_new (_("Primary"));

          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_add_css_class (label, "caption");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  return group;
}

static void
show_result (JgOutputFilesDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);
  g_ptr_array_set_size (self->download_buttons, 0);

  if (self->error != NULL)
    {
      adw_status_page_set_description (self->error_page, self->error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  if (self->assets->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  for (guint i = 0; i < self->assets->len; i++)
    gtk_box_append (self->groups_box,
                    new_asset_group (self, g_ptr_array_index (self->assets, i), g_ptr_array_index (self->files, i)));

  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
load_done (JgOutputFilesDialog *self)
{
  if (self->n_pending > 0)
    return;

  show_result (self);
  set_loading (self, FALSE);
}

static void
files_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree LoadOp *op = user_data;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  JgOutputFilesDialog *self;

  files = jg_client_list_asset_files_finish (JG_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = op->self;
  self->n_pending--;

  if (files != NULL)
    g_ptr_array_index (self->files, op->index) = g_steal_pointer (&files);
  else if (self->error == NULL)
    self->error = g_steal_pointer (&error);

  load_done (self);
}

static int
compare_assets (gconstpointer a,
                gconstpointer b)
{
  JgRemoteAsset *asset_a = *(JgRemoteAsset **)a;
  JgRemoteAsset *asset_b = *(JgRemoteAsset **)b;

  return g_strcmp0 (asset_a->name, asset_b->name);
}

static void
assets_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  JgOutputFilesDialog *self;

  assets = jg_client_list_job_output_assets_finish (JG_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = JG_OUTPUT_FILES_DIALOG (user_data);

  if (assets == NULL)
    {
      self->error = g_steal_pointer (&error);
      load_done (self);
      return;
    }

  g_ptr_array_sort (assets, compare_assets);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  self->assets = g_steal_pointer (&assets);
  g_ptr_array_set_size (self->files, self->assets->len);

  for (guint i = 0; i < self->assets->len; i++)
    {
      JgRemoteAsset *asset = g_ptr_array_index (self->assets, i);
      LoadOp        *op = g_new0 (LoadOp, 1);

      op->self = self;
      op->index = i;
      self->n_pending++;
      jg_client_list_asset_files_async (self->client, asset->id, self->cancellable, files_listed_cb, op);
    }

  load_done (self);
}

static void
start_loading (JgOutputFilesDialog *self)
{
  set_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  jg_client_list_job_output_assets_async (self->client, self->job_id, self->cancellable, assets_listed_cb, self);
}

/* Building the window */

static GtkWidget *
new_status_page (const char *icon_name,
                 const char *title)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  gtk_widget_add_css_class (page, "compact");

  return page;
}

static void
build_ui (JgOutputFilesDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *loading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *cancel;
  GtkWidget *bar;

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));
  adw_toast_overlay_set_child (self->toast_overlay, content);
  gtk_box_append (GTK_BOX (content), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->stack));

  gtk_widget_set_valign (loading, GTK_ALIGN_CENTER);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_box_append (GTK_BOX (loading), spinner);
  gtk_stack_add_named (self->stack, loading, "loading");

  self->groups_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 24));
  gtk_widget_set_margin_top (GTK_WIDGET (self->groups_box), 24);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->groups_box), 24);
  gtk_widget_set_margin_start (GTK_WIDGET (self->groups_box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->groups_box), 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->groups_box));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_stack_add_named (self->stack, scrolled, "list");

  gtk_stack_add_named (self->stack, new_status_page ("folder-videos-symbolic", _("No Output Assets")), "empty");
  adw_status_page_set_description (
    ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->stack, "empty")),
    _("The job has no output assets yet"));

  self->error_page = ADW_STATUS_PAGE (new_status_page ("network-error-symbolic", _("Could Not Load the Files")));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_page), "error");

  /* The download's progress, under the list. */
  self->transfer_bar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_visible (self->transfer_bar, FALSE);
  gtk_box_append (GTK_BOX (self->transfer_bar), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (bar, "toolbar");
  gtk_box_append (GTK_BOX (self->transfer_bar), bar);
  self->transfer_label = GTK_LABEL (gtk_label_new (_("Downloading…")));
  gtk_label_set_ellipsize (self->transfer_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (self->transfer_label, 30);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->transfer_label));
  self->transfer_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->transfer_progress, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->transfer_progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->transfer_progress), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->transfer_progress));
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (cancel_download_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (bar), cancel);
  gtk_box_append (GTK_BOX (content), self->transfer_bar);
}

/* Vfuncs */

/* Closing the dialog stops what it started, whoever still holds it. */
static gboolean
jg_output_files_dialog_close_request (GtkWindow *window)
{
  JgOutputFilesDialog *self = JG_OUTPUT_FILES_DIALOG (window);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->download_cancellable);

  if (GTK_WINDOW_CLASS (jg_output_files_dialog_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (jg_output_files_dialog_parent_class)->close_request (window);

  return FALSE;
}

static void
jg_output_files_dialog_dispose (GObject *object)
{
  JgOutputFilesDialog *self = JG_OUTPUT_FILES_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->download_cancellable);

  G_OBJECT_CLASS (jg_output_files_dialog_parent_class)->dispose (object);
}

static void
jg_output_files_dialog_finalize (GObject *object)
{
  JgOutputFilesDialog *self = JG_OUTPUT_FILES_DIALOG (object);

  g_clear_object (&self->client);
  g_free (self->job_id);
  g_clear_object (&self->local_data_dir);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->download_cancellable);
  g_clear_pointer (&self->assets, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->download_buttons, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (jg_output_files_dialog_parent_class)->finalize (object);
}

static void
jg_output_files_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  JgOutputFilesDialog *self = JG_OUTPUT_FILES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_DOWNLOADING:
      g_value_set_boolean (value, self->downloading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_output_files_dialog_class_init (JgOutputFilesDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_output_files_dialog_dispose;
  object_class->finalize = jg_output_files_dialog_finalize;
  object_class->get_property = jg_output_files_dialog_get_property;

  GTK_WINDOW_CLASS (klass)->close_request = jg_output_files_dialog_close_request;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DOWNLOADING] =
    g_param_spec_boolean ("downloading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_output_files_dialog_init (JgOutputFilesDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->assets = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_asset_unref);
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  self->download_buttons = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Output Files"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 520);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  build_ui (self);
}

/* Public API */

/**
 * jg_output_files_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @client: the account's client
 * @job_id: the job whose output assets are listed
 * @job_title: (nullable): the job's name, for the subtitle
 * @local_data_dir: (nullable): the Local service's data folder when
 *   @client talks to it; enables "Open Folder"
 *
 * Returns: (transfer floating): a dialog that starts loading at once
 */
GtkWidget *
jg_output_files_dialog_new (GtkWindow  *parent,
                            JgClient   *client,
                            const char *job_id,
                            const char *job_title,
                            GFile      *local_data_dir)
{
  JgOutputFilesDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (JG_IS_CLIENT (client), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);
  g_return_val_if_fail (local_data_dir == NULL || G_IS_FILE (local_data_dir), NULL);

  self = g_object_new (JG_TYPE_OUTPUT_FILES_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);
  self->job_id = g_strdup (job_id);
  self->local_data_dir = local_data_dir ? g_object_ref (local_data_dir) : NULL;

  if (job_title != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Output Files of “%s”"), job_title);

      gtk_window_set_title (GTK_WINDOW (self), title);
    }

  start_loading (self);

  return GTK_WIDGET (self);
}

gboolean
jg_output_files_dialog_get_loading (JgOutputFilesDialog *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_FILES_DIALOG (self), FALSE);

  return self->loading;
}

gboolean
jg_output_files_dialog_get_downloading (JgOutputFilesDialog *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_FILES_DIALOG (self), FALSE);

  return self->downloading;
}

guint
jg_output_files_dialog_get_n_assets (JgOutputFilesDialog *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_FILES_DIALOG (self), 0);

  return self->loading ? 0 : self->assets->len;
}

/**
 * jg_output_files_dialog_get_n_files:
 *
 * Returns: how many files the dialog lists, over all output assets
 */
guint
jg_output_files_dialog_get_n_files (JgOutputFilesDialog *self)
{
  guint n = 0;

  g_return_val_if_fail (JG_IS_OUTPUT_FILES_DIALOG (self), 0);

  if (self->loading)
    return 0;

  for (guint i = 0; i < self->files->len; i++)
    {
      GPtrArray *files = g_ptr_array_index (self->files, i);

      n += files ? files->len : 0;
    }

  return n;
}

/**
 * jg_output_files_dialog_dup_folder:
 * @asset_id: an output asset
 *
 * Returns: (transfer full) (nullable): the Local service's folder of the
 *   asset's files, `DATA_DIR/blobs/<asset GUID, lower case>`, or %NULL for
 *   another account
 */
GFile *
jg_output_files_dialog_dup_folder (JgOutputFilesDialog *self,
                                   const char          *asset_id)
{
  g_autoptr(GFile) blobs = NULL;
  g_autofree char *guid = NULL;
  const char      *colon;

  g_return_val_if_fail (JG_IS_OUTPUT_FILES_DIALOG (self), NULL);
  g_return_val_if_fail (asset_id != NULL, NULL);

  if (self->local_data_dir == NULL)
    return NULL;

  colon = strrchr (asset_id, ':');
  guid = g_ascii_strdown (colon ? colon + 1 : asset_id, -1);
  if (guid[0] == '\0' || strchr (guid, '/') != NULL || g_str_equal (guid, "..") || g_str_equal (guid, "."))
    return NULL;

  blobs = g_file_get_child (self->local_data_dir, "blobs");

  return g_file_get_child (blobs, guid);
}

/**
 * jg_output_files_dialog_download:
 * @asset_id: an output asset
 * @dir: the folder to save its files in
 *
 * What "Download…" does once a folder is chosen; for tests too.
 */
void
jg_output_files_dialog_download (JgOutputFilesDialog *self,
                                 const char          *asset_id,
                                 GFile               *dir)
{
  JgRemoteAsset   *asset;
  g_autofree char *label = NULL;

  g_return_if_fail (JG_IS_OUTPUT_FILES_DIALOG (self));
  g_return_if_fail (asset_id != NULL);
  g_return_if_fail (G_IS_FILE (dir));

  if (self->downloading)
    return;

  asset = lookup_asset (self, asset_id);
  /* Translators: %s is an asset name */
  label = g_strdup_printf (_("Downloading “%s”"), asset && asset->name ? asset->name : asset_id);
  gtk_label_set_label (self->transfer_label, label);
  gtk_progress_bar_set_fraction (self->transfer_progress, 0.0);
  gtk_progress_bar_set_text (self->transfer_progress, NULL);

  self->download_cancellable = g_cancellable_new ();
  set_downloading (self, TRUE);
  jg_client_download_asset_async (self->client, asset_id, dir, download_progress_cb, self, NULL,
                                  self->download_cancellable, downloaded_cb, g_object_ref (self));
}

void
jg_output_files_dialog_cancel_download (JgOutputFilesDialog *self)
{
  g_return_if_fail (JG_IS_OUTPUT_FILES_DIALOG (self));

  g_cancellable_cancel (self->download_cancellable);
}
