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

#include <gtk/gtk.h>

G_BEGIN_DECLS

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
