/* jg-application.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-application"

#include "config.h"

#include <glib/gi18n.h>

#include "jg-application.h"
#include "jg-preferences-window.h"
#include "jg-run-dialog.h"
#include "jg-service-window.h"
#include "jg-window.h"

struct _JgApplication
{
  AdwApplication  parent_instance;

  JgAccountStore *account_store;
};

G_DEFINE_FINAL_TYPE (JgApplication, jg_application, ADW_TYPE_APPLICATION)

/* The settings of the app, or NULL when its schema is not installed (a
 * test build run from the tree without GSETTINGS_SCHEMA_DIR).
 */
static GSettings *
dup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static JgWindow *
find_window_for_file (JgApplication *self,
                      GFile         *file)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      GFile *shown;

      if (!JG_IS_WINDOW (l->data))
        continue;

      shown = jg_window_get_file (l->data);
      if (shown != NULL && g_file_equal (shown, file))
        return l->data;
    }

  return NULL;
}

/* An untouched window (no file, no edits) is reused for the first file
 * opened, as GNOME Text Editor does, so `jobgraph FILE` shows one window.
 */
static JgWindow *
find_empty_window (JgApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (JG_IS_WINDOW (l->data) && jg_window_is_empty (l->data))
      return l->data;

  return NULL;
}

/* JOBGRAPH_PROFILE_STARTUP=1 prints the wall-clock time of the first frame
 * and the peak RSS so far to stderr (tests/bench/bench-startup.sh reads
 * them); =quit also quits right after that frame.
 */
static void
on_first_frame (GdkFrameClock *clock,
                GtkWindow     *window)
{
  g_autofree char *status = NULL;
  const char      *peak;

  /* Opened on a file: the first frame that shows it counts, so that the
   * time and memory include loading and drawing the graph.
   */
  if (g_object_get_data (G_OBJECT (window), "jg-profile-wait-for-file") != NULL &&
      jg_window_get_file (JG_WINDOW (window)) == NULL)
    return;

  g_signal_handlers_disconnect_by_func (clock, on_first_frame, window);

  peak = NULL;
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    peak = strstr (status, "VmHWM:");

  g_printerr ("jobgraph: first frame at %" G_GINT64_FORMAT " us (realtime); peak RSS %ld kB\n", g_get_real_time (),
              peak != NULL ? strtol (peak + strlen ("VmHWM:"), NULL, 10) : -1L);

  if (g_strcmp0 (g_getenv ("JOBGRAPH_PROFILE_STARTUP"), "quit") == 0)
    g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
on_window_realized (GtkWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_first_frame), window);
}

static void
profile_startup (GtkWindow *window)
{
  static gboolean done;

  if (done || g_getenv ("JOBGRAPH_PROFILE_STARTUP") == NULL)
    return;

  done = TRUE;
  g_signal_connect (window, "realize", G_CALLBACK (on_window_realized), NULL);
}

static void
jg_application_activate (GApplication *application)
{
  JgApplication *self = JG_APPLICATION (application);
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (jg_window_new (GTK_APPLICATION (self)));
      profile_startup (window);
      jg_window_offer_recovery (JG_WINDOW (window));
    }

  gtk_window_present (window);
}

static void
jg_application_open (GApplication *application,
                     GFile       **files,
                     int           n_files,
                     const char   *hint)
{
  JgApplication *self = JG_APPLICATION (application);

  for (int i = 0; i < n_files; i++)
    {
      JgWindow *window = find_window_for_file (self, files[i]);

      if (window == NULL)
        {
          window = find_empty_window (self);
          if (window == NULL)
            {
              window = jg_window_new (GTK_APPLICATION (self));
              g_object_set_data (G_OBJECT (window), "jg-profile-wait-for-file", GINT_TO_POINTER (1));
              profile_startup (GTK_WINDOW (window));
            }
          jg_window_open_file (window, files[i]);
        }

      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  JgApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (jg_window_new (GTK_APPLICATION (self))));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  JgApplication *self = user_data;
  GList         *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Each window asks about its own unsaved changes as it closes. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);

  g_list_free (windows);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  JgApplication *self = user_data;
  GtkWindow     *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (jg_preferences_window_new (parent, self->account_store));
}

/* A window for a graph from the service: the active one when it is
 * untouched, else a new one.
 */
static JgWindow *
dup_window_for_graph (JgApplication *self)
{
  JgWindow *window = find_empty_window (self);

  if (window == NULL)
    window = jg_window_new (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
on_open_job (JgApplication *self,
             JgClient      *client,
             const char    *job_id)
{
  jg_window_show_job (dup_window_for_graph (self), client, job_id);
}

static void
on_open_graph (JgApplication *self,
               JgGraph       *graph,
               const char    *title)
{
  jg_window_show_graph (dup_window_for_graph (self), graph, title);
}

/* A job run from a template has no graph here: show the first one the
 * dialog submits as the service has it.
 */
static void
on_template_job_submitted (JgApplication *self,
                           JgClient      *client,
                           const char    *job_id,
                           const char    *job_name,
                           JgRunDialog   *dialog)
{
  if (g_object_get_data (G_OBJECT (dialog), "jg-shown") != NULL)
    return;

  g_object_set_data (G_OBJECT (dialog), "jg-shown", GINT_TO_POINTER (TRUE));
  on_open_job (self, client, job_id);
}

static void
on_run_template (JgApplication    *self,
                 JgClient         *client,
                 JgRemoteTemplate *template_,
                 JgServiceWindow  *service_window)
{
  JgRunDialog *dialog;
  const char  *account = jg_account_get_name (jg_client_get_account (client));

  dialog = jg_run_dialog_new_for_template (GTK_WINDOW (service_window), self->account_store,
                                           account != NULL ? account : JG_ACCOUNT_STORE_LOCAL, template_);
  g_signal_connect_object (dialog, "job-submitted", G_CALLBACK (on_template_job_submitted), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_jobs_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  JgApplication   *self = user_data;
  JgServiceWindow *window = NULL;

  /* One Jobs and Templates window for the app. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (JG_IS_SERVICE_WINDOW (l->data))
      window = l->data;

  if (window == NULL)
    {
      window = jg_service_window_new (GTK_APPLICATION (self), self->account_store);
      g_signal_connect_object (window, "open-job", G_CALLBACK (on_open_job), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (window, "open-graph", G_CALLBACK (on_open_graph), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (window, "run-template", G_CALLBACK (on_run_template), self, G_CONNECT_SWAPPED);
    }

  if (parameter != NULL)
    jg_service_window_show_page (window, g_variant_get_string (parameter, NULL));

  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  JgApplication     *self = user_data;
  static const char *developers[] = { "The Jobgraph authors", NULL };
  GtkWindow         *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget         *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Jobgraph"), "developer-name", _("The Jobgraph authors"), "version", PACKAGE_VERSION, "website", "https://github.com/jobgraph/jobgraph", "issue-url", "https://github.com/jobgraph/jobgraph/issues", "copyright", "© 2026 The Jobgraph authors", "license-type", GTK_LICENSE_GPL_3_0, "developers", developers, "comments", _("Design media encoding jobs visually"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "new-window", new_window_action },
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "show-jobs", show_jobs_action },
};

static void
jg_application_startup (GApplication *application)
{
  JgApplication *self = JG_APPLICATION (application);
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.new-window", { "<Control>n", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.add-task", { "<Control>k", NULL } },
    { "win.add-input", { "<Control><Shift>i", NULL } },
    { "win.tidy-up", { "<Control><Shift>l", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal", NULL } },
    { "win.zoom-out", { "<Control>minus", NULL } },
    { "win.zoom-reset", { "<Control>1", NULL } },
    { "win.zoom-fit", { "<Control>0", NULL } },
    { "win.show-problems", { "<Control><Shift>m", NULL } },
    { "win.show-code", { "<Control><Shift>c", NULL } },
    { "win.toggle-inspector", { "F9", NULL } },
    { "win.run", { "<Control>r", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.show-jobs", { "<Control>j", NULL } },
    { "win.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (jg_application_parent_class)->startup (application);

  {
    g_autoptr(GSettings) settings = dup_settings ();

    self->account_store = jg_account_store_new (settings, NULL);
  }

  /* The Local service is what every user has on day one: start it now,
   * in the background, so that Run finds it ready.
   * JOBGRAPH_LOCAL_SERVICE=manual leaves it until something needs it.
   */
  if (g_strcmp0 (g_getenv ("JOBGRAPH_LOCAL_SERVICE"), "manual") != 0 &&
      g_strcmp0 (jg_account_store_get_default_name (self->account_store), JG_ACCOUNT_STORE_LOCAL) == 0)
    jg_account_store_start_local_service_async (self->account_store, NULL, NULL, NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}

static void
jg_application_shutdown (GApplication *application)
{
  JgApplication *self = JG_APPLICATION (application);

  /* The Local service saves its state on SIGTERM; waiting for it here is
   * fine, the windows are gone.
   */
  if (self->account_store != NULL)
    jg_account_store_shutdown (self->account_store);

  G_APPLICATION_CLASS (jg_application_parent_class)->shutdown (application);
}

static void
jg_application_dispose (GObject *object)
{
  JgApplication *self = JG_APPLICATION (object);

  g_clear_object (&self->account_store);

  G_OBJECT_CLASS (jg_application_parent_class)->dispose (object);
}

static int
jg_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("jobgraph %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
jg_application_class_init (JgApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = jg_application_dispose;

  app_class->handle_local_options = jg_application_handle_local_options;
  app_class->activate = jg_application_activate;
  app_class->open = jg_application_open;
  app_class->startup = jg_application_startup;
  app_class->shutdown = jg_application_shutdown;
}

static void
jg_application_init (JgApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Print the version and exit"), NULL);
}

JgApplication *
jg_application_new (void)
{
  return g_object_new (JG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/jobgraph/Jobgraph",
                       NULL);
}

/**
 * jg_application_get_account_store:
 *
 * Returns: (transfer none): the accounts of the app, the Local service
 *   first; %NULL before startup
 */
JgAccountStore *
jg_application_get_account_store (JgApplication *self)
{
  g_return_val_if_fail (JG_IS_APPLICATION (self), NULL);

  return self->account_store;
}
