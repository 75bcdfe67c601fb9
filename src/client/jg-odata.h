/* jg-odata.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The service returns at most this many entities per query (ams-rest-v2.md §9). */
#define JG_ODATA_PAGE_SIZE 1000

GDateTime  *jg_odata_parse_date            (const char   *text);
JsonObject *jg_odata_get_entity            (JsonNode     *root,
                                            GError      **error);
JsonArray  *jg_odata_get_results           (JsonNode     *root,
                                            GError      **error);
gboolean    jg_odata_parse_error           (const char   *data,
                                            gsize         length,
                                            char        **code,
                                            char        **message);
char       *jg_odata_quote                 (const char   *value);
char       *jg_odata_dup_filter_eq         (const char   *property,
                                            const char   *value);
char       *jg_odata_dup_key_path          (const char   *entity_set,
                                            const char   *id);
char       *jg_odata_escape_query_value    (const char   *value);
char       *jg_odata_dup_id_from_location  (const char   *location);
gboolean    jg_odata_get_number            (JsonObject   *object,
                                            const char   *member,
                                            double       *value);
int         jg_odata_compare_versions      (const char   *a,
                                            const char   *b);

/* Lenient member readers for the entity parsers. */
char       *jg_odata_dup_string            (JsonObject   *object,
                                            const char   *member);
int         jg_odata_get_int               (JsonObject   *object,
                                            const char   *member,
                                            int           default_value);
GDateTime  *jg_odata_dup_date              (JsonObject   *object,
                                            const char   *member);
char       *jg_odata_dup_id                (JsonObject   *object,
                                            const char   *what,
                                            GError      **error);

G_END_DECLS
