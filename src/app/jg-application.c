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
#include "jg-window.h"

struct _JgApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (JgApplication, jg_application, ADW_TYPE_APPLICATION)

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

static void
jg_application_activate (GApplication *application)
{
  JgApplication *self = JG_APPLICATION (application);
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (jg_window_new (GTK_APPLICATION (self)));
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
            window = jg_window_new (GTK_APPLICATION (self));
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
    { "win.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (jg_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}

static void
jg_application_class_init (JgApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = jg_application_activate;
  app_class->open = jg_application_open;
  app_class->startup = jg_application_startup;
}

static void
jg_application_init (JgApplication *self)
{
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
