/* jg-document-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-document.h"
#include "jg-graph-private.h"

G_BEGIN_DECLS

/* The node lists of a `.jobgraph` document, shared with the clipboard
 * fragments of jg-fragment.c so that both speak the same JSON.
 */
void     _jg_document_write_nodes (JsonBuilder *builder,
                                   GPtrArray   *inputs,
                                   GPtrArray   *tasks,
                                   gboolean     fragment);
gboolean _jg_document_read_nodes (JsonObject *root,
                                  JgGraph    *graph,
                                  GError    **error);

G_END_DECLS
