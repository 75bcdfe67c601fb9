/* jg-json.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib's parser is recursive: nesting is bounded before it runs, so
 * that hostile input cannot exhaust the stack.
 */
#define JG_JSON_MAX_DEPTH      128
#define JG_JSON_MAX_INPUT_SIZE (16 * 1024 * 1024)

JsonNode *jg_json_parse              (const char   *data,
                                      gssize        length,
                                      GError      **error);
char     *jg_json_to_string          (JsonNode     *node,
                                      gboolean      pretty);
const char *jg_json_object_get_string (JsonObject  *object,
                                       const char  *member);
gboolean  jg_json_object_get_int     (JsonObject   *object,
                                      const char   *member,
                                      gint64       *value);
gboolean  jg_json_read_string        (JsonObject   *object,
                                      const char   *member,
                                      const char   *path,
                                      const char  **value,
                                      GError      **error);

G_END_DECLS
