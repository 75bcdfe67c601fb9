/* ui-test-util.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers for the UI tests: finding what a user sees in a widget tree
 * and waiting for the main loop to show it.
 */

#pragma once

#include <glib/gstdio.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Points the XDG user directories at folders under @home, so that a test
 * sees none of the user's state, settings or data.
 */
static inline void
ui_test_set_home (const char *home)
{
  for (guint i = 0; i < 4; i++)
    {
      static const char *vars[] = { "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };
      g_autofree char   *dir = g_build_filename (home, vars[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (vars[i], dir, TRUE);
    }
}

/* The first widget under @widget (or @widget itself) of @type. */
static inline GtkWidget *
ui_test_find_descendant (GtkWidget *widget,
                         GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The mapped label under @widget that shows exactly @text, if any. */
static inline GtkWidget *
ui_test_find_label (GtkWidget  *widget,
                    const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_label (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The mapped label under @widget whose text starts with @prefix. */
static inline GtkLabel *
ui_test_find_label_prefix (GtkWidget  *widget,
                           const char *prefix)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = ui_test_find_label_prefix (child, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The first toplevel window of @type, if any. */
static inline gpointer
ui_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel;
    }

  return NULL;
}

/* Runs the main loop a little, so that lists lay out and map their rows. */
static inline void
ui_test_settle (void)
{
  for (guint i = 0; i < 30; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Runs the main loop until @widget is mapped, failing after @seconds. */
static inline void
ui_test_wait_mapped (GtkWidget *widget,
                     guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s to be mapped", G_OBJECT_TYPE_NAME (widget));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  ui_test_settle ();
}

G_END_DECLS
