/* jg-format-error.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JG_FORMAT_ERROR (jg_format_error_quark ())

/**
 * JgFormatError:
 * @JG_FORMAT_ERROR_PARSE: the bytes are not well-formed XML/JSON/multipart.
 * @JG_FORMAT_ERROR_INVALID: well-formed, but not the expected shape.
 * @JG_FORMAT_ERROR_UNKNOWN_KIND: the content is none of the formats Jobgraph reads.
 * @JG_FORMAT_ERROR_NEWER_VERSION: a `.jobgraph` written by a newer Jobgraph.
 * @JG_FORMAT_ERROR_UNBOUND_INPUT: a job input has no asset id to export.
 * @JG_FORMAT_ERROR_TOO_LARGE: input over the size or depth limits.
 * @JG_FORMAT_ERROR_FORBIDDEN: a DTD, entity declaration or other construct
 *   refused for safety.
 */
typedef enum
{
  JG_FORMAT_ERROR_PARSE,
  JG_FORMAT_ERROR_INVALID,
  JG_FORMAT_ERROR_UNKNOWN_KIND,
  JG_FORMAT_ERROR_NEWER_VERSION,
  JG_FORMAT_ERROR_UNBOUND_INPUT,
  JG_FORMAT_ERROR_TOO_LARGE,
  JG_FORMAT_ERROR_FORBIDDEN,
} JgFormatError;

GQuark   jg_format_error_quark      (void);
void     jg_format_error_set        (GError     **error,
                                     JgFormatError code,
                                     int          line,
                                     int          column,
                                     const char  *format,
                                     ...) G_GNUC_PRINTF (5, 6);
gboolean jg_format_error_get_position (const GError *error,
                                       int          *line,
                                       int          *column);
void     jg_format_error_set_position (GError *error,
                                       int     line,
                                       int     column);
char    *jg_format_error_describe   (const GError *error,
                                     const char   *filename);

G_END_DECLS
