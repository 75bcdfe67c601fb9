/* jg-document.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "jg-import.h"
#include "jg-types.h"

G_BEGIN_DECLS

/* The `.jobgraph` format version this build writes and the newest it reads. */
#define JG_DOCUMENT_VERSION 1

GBytes   *jg_document_serialize   (JgGraph              *graph);
JgGraph  *jg_document_parse       (const char           *data,
                                   gsize                 length,
                                   GError              **error);
JgGraph  *jg_document_from_json   (JsonNode             *root,
                                   GError              **error);
gboolean  jg_document_save        (JgGraph              *graph,
                                   GFile                *file,
                                   GCancellable         *cancellable,
                                   GError              **error);
void      jg_document_save_async  (JgGraph              *graph,
                                   GFile                *file,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean  jg_document_save_finish (GAsyncResult         *result,
                                   GError              **error);
JgGraph  *jg_document_load        (GFile                *file,
                                   JgFormat             *format,
                                   GPtrArray           **diagnostics,
                                   GCancellable         *cancellable,
                                   GError              **error);
void      jg_document_load_async  (GFile                *file,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
JgGraph  *jg_document_load_finish (GAsyncResult         *result,
                                   JgFormat             *format,
                                   GPtrArray           **diagnostics,
                                   GError              **error);

G_END_DECLS
