/* jg-import.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-types.h"

G_BEGIN_DECLS

/**
 * JgFormat:
 * @JG_FORMAT_UNKNOWN: none of the below
 * @JG_FORMAT_DOCUMENT: a `.jobgraph` document
 * @JG_FORMAT_JOB: a Job create body (JSON)
 * @JG_FORMAT_TEMPLATE: a JobTemplate create body (JSON)
 * @JG_FORMAT_BATCH: an OData `$batch` request body
 * @JG_FORMAT_TASK_BODY: a TaskBody (XML)
 * @JG_FORMAT_TEMPLATE_BODY: a JobTemplateBody (XML)
 */
typedef enum
{
  JG_FORMAT_UNKNOWN,
  JG_FORMAT_DOCUMENT,
  JG_FORMAT_JOB,
  JG_FORMAT_TEMPLATE,
  JG_FORMAT_BATCH,
  JG_FORMAT_TASK_BODY,
  JG_FORMAT_TEMPLATE_BODY,
} JgFormat;

const char *jg_format_get_name        (JgFormat     format);
JgFormat    jg_format_detect          (const char  *data,
                                       gsize        length);
JgGraph    *jg_import_data            (const char  *data,
                                       gsize        length,
                                       JgFormat    *format,
                                       GPtrArray   *diagnostics,
                                       GError     **error);
GPtrArray  *jg_import_validate        (JgGraph     *graph,
                                       JgFormat     format,
                                       GPtrArray   *import_diagnostics,
                                       const char  *api_version);

G_END_DECLS
