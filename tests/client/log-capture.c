/* log-capture.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "log-capture.h"

GMutex     log_lock;
GPtrArray *log_lines;

GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  gboolean captured = FALSE;

  g_mutex_lock (&log_lock);
  if (log_lines != NULL)
    {
      const char *domain = "";
      const char *message = "";

      for (gsize i = 0; i < n_fields; i++)
        {
          if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
            domain = fields[i].value;
          else if (g_str_equal (fields[i].key, "MESSAGE"))
            message = fields[i].value;
        }

      g_ptr_array_add (log_lines, g_strdup_printf ("%s: %s", domain, message));
      captured = TRUE;
    }
  g_mutex_unlock (&log_lock);

  if (captured && level > G_LOG_LEVEL_WARNING)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (level, fields, n_fields, user_data);
}

void
capture_start (void)
{
  g_mutex_lock (&log_lock);
  g_assert_null (log_lines);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&log_lock);
}

GPtrArray *
capture_stop (void)
{
  GPtrArray *lines;

  g_mutex_lock (&log_lock);
  lines = g_steal_pointer (&log_lines);
  g_mutex_unlock (&log_lock);

  return lines;
}
