/* emulator-fixture.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What the emulator tests share: raw HTTP helpers on a SoupSession, JSON
 * accessors for both OData formats, polling with a deadline, and removing a
 * temporary data directory.
 */

#define MES_ID "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

/* Every wait in the tests polls a condition until this deadline; four
 * times longer under AddressSanitizer, whose emulator (and pipelines)
 * run several times slower.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_TIMEOUT_US (160 * G_USEC_PER_SEC)
#else
#define TEST_TIMEOUT_US (40 * G_USEC_PER_SEC)
#endif

enum
{
  REQUEST_NO_TOKEN       = 1 << 0,
  REQUEST_VERBOSE        = 1 << 1,
  REQUEST_NO_VERSION     = 1 << 2,
  REQUEST_NEW_CONNECTION = 1 << 3,
};

typedef struct
{
  guint               status;
  char               *reason;
  SoupMessageHeaders *headers;
  char               *body;
  gsize               length;
  JsonNode           *json;
  GError             *error;
} Reply;

typedef struct
{
  SoupSession *session;
  char        *root;  /* http://127.0.0.1:PORT/ */
  char        *base;  /* <root>accounts/local/api/ */
  char        *token;
} Http;

/* A jobgraph-emulator binary run as a subprocess. */
typedef struct
{
  GSubprocess *process;
  Http         http;
} EmulatorProcess;

void        emulator_process_start (EmulatorProcess     *p,
                                    GSubprocessLauncher *launcher,
                                    const char          *program,
                                    const char          *data_dir,
                                    const char *const   *extra_args);
void        emulator_process_clear (EmulatorProcess     *p);

void        reply_free         (Reply       *reply);
Reply      *http_send          (Http        *http,
                                const char  *method,
                                const char  *path,
                                const char  *content_type,
                                const char  *body,
                                int          flags,
                                const char  *first_header,
                                ...);
Reply      *api                (Http        *http,
                                const char  *method,
                                const char  *path,
                                const char  *body,
                                int          flags);
char       *http_fetch_token   (Http        *http,
                                const char  *key);
void        http_clear         (Http        *http);

JsonObject *reply_entity       (Reply       *reply);
JsonArray  *reply_collection   (Reply       *reply);
const char *reply_error        (Reply       *reply);
char       *escape_id          (const char  *id);
char       *find_asset_id      (Http        *http,
                                const char  *name);
int         get_job_state      (Http        *http,
                                const char  *job_id);
int         wait_for_job_final (Http        *http,
                                const char  *job_id);
void        write_file         (const char  *dir,
                                const char  *name,
                                gsize        size);
void        remove_tree        (const char  *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

G_END_DECLS
