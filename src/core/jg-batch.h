/* jg-batch.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * JgBatchPart:
 * @method: (nullable): request method (`POST`), %NULL in a response
 * @uri: (nullable): request URI as written (`https://…/api/$1/Tasks`)
 * @status: response status code (201), 0 in a request
 * @reason: (nullable): response reason phrase (`Created`)
 * @headers: (element-type utf8): the inner HTTP headers in order, as
 *   alternating name and value strings, with the names' casing as written;
 *   look them up with jg_batch_part_get_header() (case-insensitive)
 * @body: the inner body, without the trailing CRLF that precedes the boundary
 * @changeset: 1-based index of the changeset the part belongs to, 0 for a
 *   part outside any changeset
 * @line: line of the part's request or status line in the whole body
 *
 * One `application/http` part of an OData `$batch` request or response
 * (ams-rest-v2.md §8).
 */
typedef struct
{
  char       *method;
  char       *uri;
  int         status;
  char       *reason;
  GPtrArray  *headers;
  GBytes     *body;
  int         changeset;
  int         line;
} JgBatchPart;

JgBatchPart *jg_batch_part_new            (void);
void         jg_batch_part_free           (JgBatchPart  *part);
const char  *jg_batch_part_get_header     (JgBatchPart  *part,
                                           const char   *name);
void         jg_batch_part_set_header     (JgBatchPart  *part,
                                           const char   *name,
                                           const char   *value);

char        *jg_batch_dup_boundary        (const char   *content_type);
GPtrArray   *jg_batch_parse               (const char   *content_type,
                                           const char   *data,
                                           gsize         length,
                                           GError      **error);
char        *jg_batch_write               (GPtrArray    *parts,
                                           const char   *batch_boundary,
                                           const char   *changeset_boundary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgBatchPart, jg_batch_part_free)

G_END_DECLS
