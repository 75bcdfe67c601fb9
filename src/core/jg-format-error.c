/* jg-format-error.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-format-error"

#include "config.h"

#include "jg-format-error.h"

/* Parse errors carry their line and column as extended GError data, so
 * that the CLI can print `FILE:LINE:COLUMN:` and the app can place a
 * marker, without parsing the message text.
 */
typedef struct
{
  int line;
  int column;
} JgFormatErrorPrivate;

static void
jg_format_error_private_init (JgFormatErrorPrivate *priv)
{
  priv->line = 0;
  priv->column = 0;
}

static void
jg_format_error_private_copy (const JgFormatErrorPrivate *src,
                              JgFormatErrorPrivate       *dest)
{
  *dest = *src;
}

static void
jg_format_error_private_clear (JgFormatErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (JgFormatError, jg_format_error)

/**
 * jg_format_error_set:
 * @line: 1-based line, or 0 when unknown
 * @column: 1-based column, or 0 when unknown
 *
 * Sets @error to a #JG_FORMAT_ERROR that remembers where in the input the
 * problem is.
 */
void
jg_format_error_set (GError      **error,
                     JgFormatError code,
                     int           line,
                     int           column,
                     const char   *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, JG_FORMAT_ERROR, code, message);
  jg_format_error_set_position (*error, line, column);
}

void
jg_format_error_set_position (GError *error,
                              int     line,
                              int     column)
{
  JgFormatErrorPrivate *priv;

  g_return_if_fail (error != NULL);

  priv = jg_format_error_get_private (error);
  if (priv == NULL)
    return;

  priv->line = MAX (line, 0);
  priv->column = MAX (column, 0);
}

/**
 * jg_format_error_get_position:
 *
 * Returns: %TRUE when @error is a format error that knows its line.
 */
gboolean
jg_format_error_get_position (const GError *error,
                              int          *line,
                              int          *column)
{
  JgFormatErrorPrivate *priv;

  if (line)
    *line = 0;
  if (column)
    *column = 0;

  if (error == NULL || error->domain != JG_FORMAT_ERROR)
    return FALSE;

  priv = jg_format_error_get_private (error);
  if (priv == NULL || priv->line <= 0)
    return FALSE;

  if (line)
    *line = priv->line;
  if (column)
    *column = priv->column;

  return TRUE;
}

/**
 * jg_format_error_describe:
 * @filename: (nullable): the file the input came from
 *
 * Returns: (transfer full): `FILE:LINE:COLUMN: message`, leaving out what
 *   is not known.
 */
char *
jg_format_error_describe (const GError *error,
                          const char   *filename)
{
  GString *str = g_string_new (NULL);
  int      line, column;

  g_return_val_if_fail (error != NULL, NULL);

  if (filename != NULL)
    g_string_append_printf (str, "%s:", filename);

  if (jg_format_error_get_position (error, &line, &column))
    {
      g_string_append_printf (str, "%d:", line);
      if (column > 0)
        g_string_append_printf (str, "%d:", column);
    }

  if (str->len > 0)
    g_string_append_c (str, ' ');

  g_string_append (str, error->message);

  return g_string_free (str, FALSE);
}
