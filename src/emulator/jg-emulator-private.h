/* jg-emulator-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jg-core.h"
#include "jg-emulator.h"
#include "jg-emulator-scheduler.h"
#include "jg-emulator-store.h"

G_BEGIN_DECLS

/* Errors that become HTTP responses: the code is the HTTP status, the
 * message goes into the OData error body as it is.
 */
#define JG_EMULATOR_ERROR (jg_emulator_error_quark ())

GQuark jg_emulator_error_quark (void);

/* Job and task states (ams-rest-v2.md §3.1, §7). Tasks use the same
 * numbers, as the .NET SDK exposes them (§3.2 CONFLICT).
 */
typedef enum
{
  JG_EMULATOR_STATE_QUEUED     = 0,
  JG_EMULATOR_STATE_SCHEDULED  = 1,
  JG_EMULATOR_STATE_PROCESSING = 2,
  JG_EMULATOR_STATE_FINISHED   = 3,
  JG_EMULATOR_STATE_ERROR      = 4,
  JG_EMULATOR_STATE_CANCELED   = 5,
  JG_EMULATOR_STATE_CANCELING  = 6,
} JgEmulatorState;

#define JG_EMULATOR_STATE_IS_FINAL(s)      \
  ((s) == JG_EMULATOR_STATE_FINISHED ||    \
   (s) == JG_EMULATOR_STATE_ERROR ||       \
   (s) == JG_EMULATOR_STATE_CANCELED)

/* Task Options flags (ams-rest-v2.md §3.2). */
#define JG_EMULATOR_TASK_DO_NOT_CANCEL_ON_JOB_FAILURE 0x4

/* Where output assets are said to live. */
#define JG_EMULATOR_STORAGE_ACCOUNT "jobgraphlocal"

#define JG_EMULATOR_TYPE_PREFIX "Microsoft.Cloud.Media.Vod.Rest.Data.Models."

/* The most entities one response carries (ams-rest-v2.md §9). */
#define JG_EMULATOR_PAGE_CAP 1000

/**
 * JgEmulatorRequest:
 * @method: GET, POST, MERGE, PUT, DELETE (after `X-HTTP-Method`)
 * @path: the path below the account base, unescaped, without the query,
 *   e.g. `Jobs('nb:jid:UUID:…')/Tasks`
 * @query: (nullable): the decoded query parameters
 * @headers: the request headers
 * @body: (nullable): the request body
 * @api_version: the `x-ms-version` (already checked)
 * @verbose: the response is verbose JSON (`Accept: …odata=verbose`)
 * @base_uri: the account base, `http://127.0.0.1:PORT/accounts/NAME/api/`
 *
 * One OData request, from the HTTP server or from a `$batch` part.
 */
typedef struct
{
  const char         *method;
  const char         *path;
  GHashTable         *query;
  SoupMessageHeaders *headers;
  GBytes             *body;
  const char         *api_version;
  gboolean            verbose;
  const char         *base_uri;
} JgEmulatorRequest;

/**
 * JgEmulatorResponse:
 * @status: the HTTP status
 * @reason: (nullable): a reason phrase other than the standard one
 * @headers: (element-type utf8): extra response headers, as alternating
 *   names and values (`Location`…)
 * @content_type: (nullable): the body's type
 * @body: (nullable): the body
 */
typedef struct
{
  guint      status;
  char      *reason;
  GPtrArray *headers;
  char      *content_type;
  GBytes    *body;
} JgEmulatorResponse;

void                _jg_emulator_response_init      (JgEmulatorResponse  *response);
void                _jg_emulator_response_clear     (JgEmulatorResponse  *response);
void                _jg_emulator_response_add_header (JgEmulatorResponse *response,
                                                      const char         *name,
                                                      const char         *value);
void                _jg_emulator_response_set_error (JgEmulatorResponse  *response,
                                                     gboolean             verbose,
                                                     guint                status,
                                                     const char          *message);
void                _jg_emulator_response_set_json  (JgEmulatorResponse  *response,
                                                     gboolean             verbose,
                                                     guint                status,
                                                     JsonNode            *node);

/* jg-emulator.c */
JgEmulatorStore     *_jg_emulator_get_store         (JgEmulator          *self);
JgEmulatorScheduler *_jg_emulator_get_scheduler     (JgEmulator          *self);
const char          *_jg_emulator_get_account       (JgEmulator          *self);
const char          *_jg_emulator_get_data_dir      (JgEmulator          *self);
gboolean             _jg_emulator_is_simulating     (JgEmulator          *self);
const char          *_jg_emulator_get_key (JgEmulator *self);

/* jg-emulator-blob.c: the SAS blob endpoint, <root>blob/asset-<guid>/… */
char                *_jg_emulator_sas_dup_permissions (int permissions);
char                *_jg_emulator_sas_dup_query (JgEmulator *self,
                                                 const char *asset_id,
                                                 const char *locator_id,
                                                 int         permissions,
                                                 gint64      expiration_ms);
void                 _jg_emulator_blob_early (JgEmulator        *self,
                                              SoupServerMessage *msg,
                                              const char        *path,
                                              GHashTable        *query);
void                 _jg_emulator_blob_handle (JgEmulator        *self,
                                               SoupServerMessage *msg,
                                               const char        *path,
                                               GHashTable        *query);
void                 _jg_emulator_blob_delete_asset (JgEmulator *self,
                                                     const char *asset_id);

/* jg-emulator-api.c */
void                _jg_emulator_api_handle         (JgEmulator          *self,
                                                     JgEmulatorRequest   *request,
                                                     JgEmulatorResponse  *response);
gboolean            _jg_emulator_seed_assets        (JgEmulator          *self,
                                                     const char          *assets_dir,
                                                     GError             **error);
gboolean            _jg_emulator_parse_api_version  (const char          *version);

/* Helpers */
gint64              _jg_emulator_now_ms             (void);
char               *_jg_emulator_new_id             (const char          *type);
char               *_jg_emulator_dup_entity_uri     (const char          *base_uri,
                                                     const char          *set,
                                                     const char          *id);
char               *_jg_emulator_format_date        (gint64               ms,
                                                     gboolean             verbose);

G_END_DECLS
