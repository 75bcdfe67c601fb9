/* jg-export.h
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
 * JgExportKind:
 * @JG_EXPORT_JOB: a Job create body (verbose JSON)
 * @JG_EXPORT_TEMPLATE: a JobTemplate create body
 * @JG_EXPORT_BATCH: an OData `$batch` request body creating the job
 * @JG_EXPORT_TASK_BODY: one task's TaskBody XML
 * @JG_EXPORT_DOCUMENT: a `.jobgraph` document
 */
typedef enum
{
  JG_EXPORT_JOB,
  JG_EXPORT_TEMPLATE,
  JG_EXPORT_BATCH,
  JG_EXPORT_TASK_BODY,
  JG_EXPORT_DOCUMENT,
} JgExportKind;

/**
 * JgExportOptions:
 * @base_uri: (nullable): the API base for URIs; %NULL for
 *   `https://media.windows.net/api/`
 * @input_asset_ids: (nullable) (array zero-terminated=1): asset ids to bind
 *   `JobInputAsset(0)`, `(1)`… to, instead of the ids stored in the graph
 * @light: write `InputMediaAssets@odata.bind` (JSON light) in a Job body
 * @task_index: which task, in run order, for %JG_EXPORT_TASK_BODY
 * @batch_boundary: (nullable): fixed multipart boundary (tests)
 * @changeset_boundary: (nullable): fixed changeset boundary (tests)
 */
typedef struct
{
  const char         *base_uri;
  const char * const *input_asset_ids;
  gboolean            light;
  guint               task_index;
  const char         *batch_boundary;
  const char         *changeset_boundary;
} JgExportOptions;

gboolean  jg_export_kind_from_string (const char             *name,
                                      JgExportKind           *kind);
GBytes   *jg_export_graph            (JgGraph                *graph,
                                      JgExportKind            kind,
                                      const JgExportOptions  *options,
                                      GError                **error);

G_END_DECLS
