/* test-asset-files.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asset files in the app, against the Local service (a real
 * jobgraph-emulator subprocess): "Add Asset…" in the asset picker, driven
 * through jg_asset_picker_upload_file() (what the file chooser's answer
 * calls), with its progress, Cancel and an inline error; and the Output
 * Files dialog of a job, its file list, its folder and a download. With
 * JOBGRAPH_SCREENSHOT_DIR set, the states are saved as PNGs.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "jg-asset-picker.h"
#include "jg-jobs-view.h"
#include "jg-output-files-dialog.h"
#include "ui-test-service.h"
#include "ui-test-util.h"

static void
maybe_screenshot (GtkWidget  *widget,
                  const char *name)
{
  const char      *dir = g_getenv ("JOBGRAPH_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int              width, height;

  if (dir == NULL)
    return;

  /* Past the stacks' crossfades. */
  for (gint64 end = g_get_monotonic_time () + 400 * G_TIME_SPAN_MILLISECOND; g_get_monotonic_time () < end;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      /* A widget that is busy relayouting (a running progress bar) draws
       * nothing into a paintable: take the screen instead.
       */
      g_autofree char *screen = g_build_filename (dir, name, NULL);
      g_autofree char *command = g_strdup_printf ("import -window root %s", screen);

      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

static GFile *
make_file (const char *dir,
           const char *name,
           gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char)(i * 13 + i / 509);

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gpointer
wait_result (GAsyncResult **result,
             const char    *what)
{
  ui_test_wait_until (ui_test_has_result, result, 60, what);
  return *result;
}

static GPtrArray *
list_assets (JgClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *assets;

  jg_client_list_assets_async (client, NULL, NULL, ui_test_store_result, &result);
  assets = jg_client_list_assets_finish (client, wait_result (&result, "the assets"), &error);
  g_assert_no_error (error);

  return assets;
}

/* The picker */

static gboolean
picker_loaded (gpointer data)
{
  return !jg_asset_picker_get_loading (data);
}

static gboolean
picker_idle (gpointer data)
{
  return !jg_asset_picker_get_uploading (data);
}

static gboolean
upload_started (gpointer data)
{
  GtkProgressBar *bar = GTK_PROGRESS_BAR (ui_test_find_descendant (data, GTK_TYPE_PROGRESS_BAR));

  return gtk_progress_bar_get_fraction (bar) > 0.0;
}

typedef struct
{
  JgClient *client;
  guint     n_assets;
  gint64    checked_at;
} AssetCount;

/* Asks the service at most every 200 ms: back-to-back listings keep a
 * default-priority source ready all the time, and the transfer's
 * low-priority I/O (below redraws) would never get its turn.
 */
static gboolean
asset_count_is (gpointer data)
{
  AssetCount *count = data;
  g_autoptr(GPtrArray) assets = NULL;
  gint64 now = g_get_monotonic_time ();

  if (now - count->checked_at < 200 * G_TIME_SPAN_MILLISECOND)
    return FALSE;
  count->checked_at = now;

  assets = list_assets (count->client);

  return assets->len == count->n_assets;
}

static void
test_add_asset (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *work = g_build_filename (service->tmp_dir, "work", NULL);
  g_autoptr(GFile) clip = NULL;
  g_autoptr(GFile) big = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(GPtrArray) selected = NULL;
  g_autofree char *error_text = NULL;
  AssetCount       count = { client, 1, 0 };
  GtkWidget       *window = gtk_window_new ();
  GtkWidget       *picker = jg_asset_picker_new (FALSE);
  GtkWidget       *add;

  g_assert_cmpint (g_mkdir_with_parents (work, 0700), ==, 0);
  clip = make_file (work, "new clip.mp4", 2 * 1024 * 1024);

  gtk_window_set_default_size (GTK_WINDOW (window), 480, 500);
  gtk_window_set_child (GTK_WINDOW (window), picker);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_mapped (picker, 10);
  jg_asset_picker_set_client (JG_ASSET_PICKER (picker), client);
  ui_test_wait_until (picker_loaded, picker, 30, "the assets");
  ui_test_settle ();

  /* "No Assets" points at the button, which is there. */
  add = find_button (picker, "_Add Asset…");
  g_assert_nonnull (add);
  g_assert_true (gtk_widget_get_mapped (add));
  g_assert_true (gtk_widget_get_sensitive (add));
  maybe_screenshot (window, "asset-picker-empty-add.png");

  /* The upload: progress in the picker, the button off meanwhile. */
  jg_asset_picker_upload_file (JG_ASSET_PICKER (picker), clip);
  g_assert_true (jg_asset_picker_get_uploading (JG_ASSET_PICKER (picker)));
  g_assert_false (gtk_widget_get_sensitive (add));
  ui_test_settle ();
  g_assert_nonnull (ui_test_find_label (picker, "Uploading “new clip.mp4”"));
  ui_test_wait_until (picker_idle, picker, 60, "the upload");

  /* The new asset is listed and chosen. */
  g_assert_cmpuint (jg_asset_picker_get_n_assets (JG_ASSET_PICKER (picker)), ==, 1);
  g_assert_cmpuint (jg_asset_picker_get_n_selected (JG_ASSET_PICKER (picker)), ==, 1);
  selected = jg_asset_picker_dup_selected (JG_ASSET_PICKER (picker));
  g_assert_cmpstr (((JgRemoteAsset *)g_ptr_array_index (selected, 0))->name, ==, "new clip.mp4");
  g_assert_true (gtk_widget_get_sensitive (add));
  ui_test_settle ();
  maybe_screenshot (window, "asset-picker-added.png");

  /* A failure is said in the picker. */
  missing = g_file_new_build_filename (work, "gone.mp4", NULL);
  jg_asset_picker_upload_file (JG_ASSET_PICKER (picker), missing);
  ui_test_wait_until (picker_idle, picker, 30, "the failed upload");
  error_text = jg_asset_picker_dup_upload_error (JG_ASSET_PICKER (picker));
  g_assert_nonnull (error_text);
  g_assert_true (g_str_has_prefix (error_text, "Could not add the asset: "));
  g_assert_nonnull (strstr (error_text, "gone.mp4"));
  ui_test_settle ();
  maybe_screenshot (window, "asset-picker-upload-error.png");

  /* Cancel in the middle: the picker is back at once, and the service
   * keeps no half-made asset.
   */
  big = make_file (work, "big.mp4", 64 * 1024 * 1024);
  jg_asset_picker_upload_file (JG_ASSET_PICKER (picker), big);
  g_assert_null (jg_asset_picker_dup_upload_error (JG_ASSET_PICKER (picker)));
  ui_test_wait_until (upload_started, picker, 30, "the upload to start");
  if (g_getenv ("JOBGRAPH_SCREENSHOT_UPLOADING") != NULL)
    maybe_screenshot (window, "asset-picker-uploading.png");
  g_signal_emit_by_name (find_button (picker, "_Cancel"), "clicked");
  g_assert_false (jg_asset_picker_get_uploading (JG_ASSET_PICKER (picker)));
  g_assert_null (jg_asset_picker_dup_upload_error (JG_ASSET_PICKER (picker)));
  g_assert_cmpuint (jg_asset_picker_get_n_assets (JG_ASSET_PICKER (picker)), ==, 1);
  ui_test_wait_until (asset_count_is, &count, 30, "the canceled asset to go");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle ();
}

/* The Output Files dialog */

static gboolean
dialog_loaded (gpointer data)
{
  return !jg_output_files_dialog_get_loading (data);
}

static gboolean
dialog_idle (gpointer data)
{
  return !jg_output_files_dialog_get_downloading (data);
}

static JgGraph *
load_example (void)
{
  const char       *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  g_autofree char  *path = g_build_filename (srcdir != NULL ? srcdir : "..", "examples", "chained-encode.jobgraph",
                                             NULL);
  g_autoptr(GFile)  file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  JgGraph          *graph = jg_document_load (file, NULL, NULL, NULL, &error);

  g_assert_no_error (error);

  return graph;
}

static void
test_output_files (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *work = g_build_filename (service->tmp_dir, "work", NULL);
  g_autofree char *out = g_build_filename (work, "downloaded", NULL);
  g_autoptr(GFile) input = NULL;
  g_autoptr(GFile) one = NULL;
  g_autoptr(GFile) two = NULL;
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRemoteAsset) input_asset = NULL;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *size_text = NULL;
  JgRemoteAsset   *output;
  GtkWidget       *dialog;

  g_assert_cmpint (g_mkdir_with_parents (work, 0700), ==, 0);
  input = make_file (work, "input.mp4", 4096);
  one = make_file (work, "rendition-720p.mp4", 1500 * 1000);
  two = make_file (work, "manifest.ism", 700);

  /* A job whose first output asset gets two files, as an encode would
   * leave them.
   */
  {
    g_autoptr(GAsyncResult) result = NULL;

    jg_client_upload_asset_async (client, input, NULL, NULL, NULL, NULL, NULL, ui_test_store_result, &result);
    input_asset = jg_client_upload_asset_finish (client, wait_result (&result, "the input"), &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    const char *ids[] = { input_asset->id, NULL };

    jg_graph_set_name (graph, "Encode for the web");
    jg_client_create_job_from_graph_async (client, graph, ids, JG_CREATE_NONE, NULL, ui_test_store_result, &result);
    job = jg_client_create_job_from_graph_finish (client, wait_result (&result, "a job"), &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    jg_client_list_job_output_assets_async (client, job->id, NULL, ui_test_store_result, &result);
    outputs = jg_client_list_job_output_assets_finish (client, wait_result (&result, "the outputs"), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (outputs->len, >=, 1);
  }
  output = g_ptr_array_index (outputs, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(JgRemoteFile) file = NULL;

      jg_client_upload_file_async (client, output->id, i == 0 ? one : two, NULL, NULL, NULL, NULL,
                                   ui_test_store_result, &result);
      file = jg_client_upload_file_finish (client, wait_result (&result, "an output file"), &error);
      g_assert_no_error (error);
    }

  dialog = jg_output_files_dialog_new (NULL, client, job->id, "Encode for the web",
                                       jg_local_service_get_data_dir (service->local_service));
  gtk_window_present (GTK_WINDOW (dialog));
  ui_test_wait_mapped (dialog, 10);
  ui_test_wait_until (dialog_loaded, dialog, 30, "the output files");
  ui_test_settle ();

  /* Each file with its size and type. */
  g_assert_cmpuint (jg_output_files_dialog_get_n_assets (JG_OUTPUT_FILES_DIALOG (dialog)), ==, outputs->len);
  g_assert_cmpuint (jg_output_files_dialog_get_n_files (JG_OUTPUT_FILES_DIALOG (dialog)), ==, 2);
  g_assert_nonnull (ui_test_find_label (dialog, "rendition-720p.mp4"));
  g_assert_nonnull (ui_test_find_label (dialog, "manifest.ism"));
  size_text = g_format_size (1500 * 1000);
  g_assert_nonnull (ui_test_find_label_prefix (dialog, size_text));
  g_assert_nonnull (find_button (dialog, "_Open Folder"));
  g_assert_nonnull (find_button (dialog, "_Download…"));
  maybe_screenshot (dialog, "output-files.png");

  /* The Local service's folder of the asset holds the bytes. */
  folder = jg_output_files_dialog_dup_folder (JG_OUTPUT_FILES_DIALOG (dialog), output->id);
  g_assert_nonnull (folder);
  {
    g_autofree char *path = g_file_get_path (folder);
    g_autofree char *blob = g_build_filename (path, "rendition-720p.mp4", NULL);
    g_autofree char *lower = g_ascii_strdown (strrchr (output->id, ':') + 1, -1);

    g_assert_true (g_str_has_suffix (path, lower));
    g_assert_true (g_file_test (blob, G_FILE_TEST_IS_REGULAR));
  }

  /* Download…, as after the folder chooser. */
  {
    g_autoptr(GFile) dir = g_file_new_for_path (out);
    g_autofree char *got = NULL;
    g_autofree char *want = NULL;
    g_autofree char *got_path = g_build_filename (out, "rendition-720p.mp4", NULL);
    gsize got_size, want_size;

    jg_output_files_dialog_download (JG_OUTPUT_FILES_DIALOG (dialog), output->id, dir);
    g_assert_true (jg_output_files_dialog_get_downloading (JG_OUTPUT_FILES_DIALOG (dialog)));
    g_assert_nonnull (ui_test_find_descendant (dialog, GTK_TYPE_PROGRESS_BAR));
    ui_test_wait_until (dialog_idle, dialog, 60, "the download");
    g_file_load_contents (one, NULL, &want, &want_size, NULL, &error);
    g_assert_no_error (error);
    g_file_get_contents (got_path, &got, &got_size, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (got, got_size, want, want_size);
    ui_test_settle ();
    g_assert_nonnull (ui_test_find_label (dialog, "Downloaded 2 files"));
    maybe_screenshot (dialog, "output-files-downloaded.png");
  }

  gtk_window_close (GTK_WINDOW (dialog));
  ui_test_settle ();
}

static void
test_output_files_other_account (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  GtkWidget *dialog;

  /* No data folder: no "Open Folder"; an unknown job is an error page. */
  dialog = jg_output_files_dialog_new (NULL, client, "nb:jid:UUID:00000000-0000-0000-0000-000000000000", NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  ui_test_wait_until (dialog_loaded, dialog, 30, "the error");
  ui_test_settle ();
  g_assert_null (jg_output_files_dialog_dup_folder (JG_OUTPUT_FILES_DIALOG (dialog), "nb:cid:UUID:1"));
  g_assert_nonnull (ui_test_find_label (dialog, "Could Not Load the Files"));
  maybe_screenshot (dialog, "output-files-error.png");

  gtk_window_close (GTK_WINDOW (dialog));
  ui_test_settle ();
}

static JgOutputFilesDialog *
find_output_files_dialog (void)
{
  return ui_test_find_toplevel (JG_TYPE_OUTPUT_FILES_DIALOG);
}

typedef struct
{
  GtkWidget  *view;
  const char *job_id;
} MenuWait;

/* "Output Files…" of the job's row: the action its menu item runs, once
 * the row is listed.
 */
static gboolean
activate_output_files (gpointer data)
{
  MenuWait *wait = data;
  g_autoptr(GVariant) job_id = NULL;

  if (find_output_files_dialog () != NULL)
    return TRUE;

  /* Sunk: an action that is not there yet does not take the value. */
  job_id = g_variant_ref_sink (g_variant_new_string (wait->job_id));
  gtk_widget_activate_action_variant (wait->view, "jobs.output-files", job_id);

  return find_output_files_dialog () != NULL;
}

static void
test_jobs_view_menu (void)
{
  g_autoptr(UiTestService) service = ui_test_service_new ();
  g_autoptr(JgClient) client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_autofree char *work = g_build_filename (service->tmp_dir, "work", NULL);
  g_autoptr(GFile) input = NULL;
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRemoteAsset) input_asset = NULL;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget           *window = gtk_window_new ();
  GtkWidget           *view = jg_jobs_view_new ();
  JgOutputFilesDialog *dialog;
  MenuWait             menu_wait = { NULL, NULL };

  g_assert_cmpint (g_mkdir_with_parents (work, 0700), ==, 0);
  input = make_file (work, "input.mp4", 4096);
  {
    g_autoptr(GAsyncResult) result = NULL;

    jg_client_upload_asset_async (client, input, NULL, NULL, NULL, NULL, NULL, ui_test_store_result, &result);
    input_asset = jg_client_upload_asset_finish (client, wait_result (&result, "the input"), &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;
    const char *ids[] = { input_asset->id, NULL };

    jg_graph_set_name (graph, "Menu job");
    jg_client_create_job_from_graph_async (client, graph, ids, JG_CREATE_NONE, NULL, ui_test_store_result, &result);
    job = jg_client_create_job_from_graph_finish (client, wait_result (&result, "a job"), &error);
    g_assert_no_error (error);
  }

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 500);
  gtk_window_set_child (GTK_WINDOW (window), view);
  jg_jobs_view_set_local_data_dir (JG_JOBS_VIEW (view), jg_local_service_get_data_dir (service->local_service));
  jg_jobs_view_set_client (JG_JOBS_VIEW (view), client);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_mapped (view, 10);

  g_assert_true (GTK_IS_WIDGET (view));
  menu_wait.view = view;
  menu_wait.job_id = job->id;
  ui_test_wait_until (activate_output_files, &menu_wait, 30, "the Output Files dialog");
  dialog = find_output_files_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Output Files of “Menu job”");
  ui_test_wait_until (dialog_loaded, dialog, 30, "the output files");
  ui_test_settle ();
  /* The Local service's data folder came through: Open Folder is there. */
  g_assert_nonnull (find_button (GTK_WIDGET (dialog), "_Open Folder"));

  gtk_window_close (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("jg-test-asset-files-XXXXXX", NULL);

  ui_test_set_home (home);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }

  adw_init ();
  if (g_strcmp0 (g_getenv ("JOBGRAPH_TEST_DARK"), "1") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  g_test_add_func ("/jobgraph/ui/asset-picker/add-asset", test_add_asset);
  g_test_add_func ("/jobgraph/ui/output-files/list-and-download", test_output_files);
  g_test_add_func ("/jobgraph/ui/output-files/error", test_output_files_other_account);
  g_test_add_func ("/jobgraph/ui/output-files/jobs-view", test_jobs_view_menu);

  return g_test_run ();
}
