/* jg-emulator-blob.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-blob"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "jg-emulator-files.h"
#include "jg-emulator-private.h"
#include "jg-emulator-token.h"

/* The blob side of the upload/download protocol (issue 6,
 * assets-protocol.md): what Azure blob storage does for a Media Services
 * account, on the emulator's own port and outside /api/.
 *
 *   PUT  <root>blob/asset-<guid>/<name>?<SAS>   x-ms-blob-type: BlockBlob → 201
 *   GET  <root>blob/asset-<guid>/<name>?<SAS>   → 200, the bytes
 *   HEAD <root>blob/asset-<guid>/<name>?<SAS>   → 200, no body
 *   GET  <root>blob/asset-<guid>?restype=container&comp=list&<SAS>
 *                                                → 200, EnumerationResults
 *
 * The SAS of a locator is the only credential: `sv`, `sr=c`, `si` (the
 * locator's GUID), `sp` (r, w, d, l), `se` (its expiry) and `sig`, an
 * HMAC-SHA256 with the account key of the string
 *
 *   sp \n st \n se \n /<account>/asset-<guid> \n si \n sv
 *
 * (Azure's 2012-02-12 service SAS, st always empty). The locator must
 * still exist: deleting it revokes the SAS.
 *
 * Bodies never sit whole in memory: an upload is written chunk by chunk to
 * `<name>.part` from an early handler and renamed when the body is
 * complete (a dropped connection removes it); a download appends one
 * chunk of the file each time libsoup has written the last one.
 */

#define SAS_VERSION   "2012-02-12"
#define BLOB_CHUNK    (64 * 1024)
#define UPLOAD_KEY    "jg-emulator-blob-upload"
#define MAX_NAME_SIZE 255

typedef struct
{
  guint status;
  char *code;
  char *message;
} BlobError;

typedef struct
{
  JgEmulator *self;     /* borrowed: uploads end before the emulator */
  char       *asset_id; /* canonical */
  char       *name;
  char       *part_path;
  char       *final_path;
  int         fd;
  gint64      written;
  gboolean    done;
  BlobError   error;
} Upload;

typedef struct
{
  int    fd;
  gint64 remaining;
} Download;

static void
blob_error_clear (BlobError *error)
{
  g_clear_pointer (&error->code, g_free);
  g_clear_pointer (&error->message, g_free);
  error->status = 0;
}

G_GNUC_PRINTF (4, 5)
static void
blob_error_set (BlobError  *error,
                guint       status,
                const char *code,
                const char *format,
                ...)
{
  va_list args;

  if (error->status != 0)
    return;

  error->status = status;
  error->code = g_strdup (code);
  va_start (args, format);
  error->message = g_strdup_vprintf (format, args);
  va_end (args);
}

/* Stops writing and removes the .part, unless the upload was renamed. */
static void
upload_abandon (Upload *upload)
{
  if (upload->fd >= 0)
    {
      close (upload->fd);
      upload->fd = -1;
    }

  if (!upload->done && upload->part_path != NULL)
    g_unlink (upload->part_path);
}

static void
upload_free (Upload *upload)
{
  upload_abandon (upload);
  blob_error_clear (&upload->error);
  g_free (upload->asset_id);
  g_free (upload->name);
  g_free (upload->part_path);
  g_free (upload->final_path);
  g_free (upload);
}

/* SAS */

/**
 * _jg_emulator_sas_dup_permissions:
 * @permissions: AccessPolicy permissions (Read 1, Write 2, Delete 4, List 8)
 *
 * Returns: (transfer full): `sp`, e.g. `rw`
 */
char *
_jg_emulator_sas_dup_permissions (int permissions)
{
  GString *sp = g_string_new (NULL);

  if (permissions & 1)
    g_string_append_c (sp, 'r');
  if (permissions & 2)
    g_string_append_c (sp, 'w');
  if (permissions & 4)
    g_string_append_c (sp, 'd');
  if (permissions & 8)
    g_string_append_c (sp, 'l');

  return g_string_free (sp, FALSE);
}

static char *
dup_signature (JgEmulator *self,
               const char *guid,
               const char *sp,
               const char *se,
               const char *si,
               const char *sv)
{
  const char      *key = _jg_emulator_get_key (self);
  g_autofree char *text = g_strdup_printf ("%s\n\n%s\n/%s/asset-%s\n%s\n%s",
                                           sp, se, _jg_emulator_get_account (self), guid, si, sv);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)key, strlen (key));
  guint8 digest[32];
  gsize  length = sizeof digest;

  g_hmac_update (hmac, (const guchar *)text, -1);
  g_hmac_get_digest (hmac, digest, &length);

  return g_base64_encode (digest, length);
}

static char *
format_expiry (gint64 ms)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (ms / 1000);

  return date ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("1970-01-01T00:00:00Z");
}

static void
append_parameter (GString    *query,
                  const char *name,
                  const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (query, "%c%s=%s", query->len == 0 ? '?' : '&', name, escaped);
}

/**
 * _jg_emulator_sas_dup_query:
 * @asset_id: the asset
 * @locator_id: the locator
 * @permissions: the access policy's permissions
 * @expiration_ms: when the locator expires
 *
 * Returns: (transfer full): the locator's ContentAccessComponent,
 *   `?sv=…&sr=c&si=…&sp=…&se=…&sig=…`
 */
char *
_jg_emulator_sas_dup_query (JgEmulator *self,
                            const char *asset_id,
                            const char *locator_id,
                            int         permissions,
                            gint64      expiration_ms)
{
  g_autofree char *guid = jg_emulator_files_dup_guid (asset_id);
  g_autofree char *si = jg_emulator_files_dup_guid (locator_id);
  g_autofree char *sp = _jg_emulator_sas_dup_permissions (permissions);
  g_autofree char *se = format_expiry (expiration_ms);
  g_autofree char *sig = dup_signature (self, guid, sp, se, si, SAS_VERSION);
  GString         *query = g_string_new (NULL);

  append_parameter (query, "sv", SAS_VERSION);
  append_parameter (query, "sr", "c");
  append_parameter (query, "si", si);
  append_parameter (query, "sp", sp);
  append_parameter (query, "se", se);
  append_parameter (query, "sig", sig);

  return g_string_free (query, FALSE);
}

/* Requests */

typedef struct
{
  char *guid; /* of the container, lower case */
  char *name; /* (nullable): of the blob, unescaped */
} BlobPath;

static void
blob_path_clear (BlobPath *path)
{
  g_free (path->guid);
  g_free (path->name);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BlobPath, blob_path_clear)

/* <path> is `/blob/asset-<guid>[/<name>]`, still escaped. */
static gboolean
parse_blob_path (const char *path,
                 BlobPath   *out,
                 BlobError  *error)
{
  const char      *container = path + strlen ("/blob/");
  const char      *slash = strchr (container, '/');
  g_autofree char *name = NULL;
  g_autofree char *guid = NULL;

  guid = slash ? g_strndup (container, slash - container) : g_strdup (container);
  if (!g_str_has_prefix (guid, "asset-") || !g_uuid_string_is_valid (guid + strlen ("asset-")))
    {
      blob_error_set (error, 400, "InvalidUri",
                      "The container must be asset-<the asset id's GUID>, as in the locator's BaseUri.");
      return FALSE;
    }

  if (slash != NULL && slash[1] != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      /* An escaped "/" (or NUL) is no file name here. */
      name = g_uri_unescape_string (slash + 1, "/");
      if (name == NULL || !jg_emulator_files_check_name (name, &local_error))
        {
          blob_error_set (error, 400, "InvalidResourceName", "The blob name is not valid: %s",
                          local_error ? local_error->message : "it has an escaped '/' or an invalid escape.");
          return FALSE;
        }
    }

  out->guid = g_ascii_strdown (guid + strlen ("asset-"), -1);
  out->name = g_steal_pointer (&name);

  return TRUE;
}

/* Checks the SAS for @permission ('r', 'w'…); returns the asset id. */
static char *
check_sas (JgEmulator *self,
           GHashTable *query,
           const char *guid,
           char        permission,
           BlobError  *error)
{
  JgEmulatorStore *store = _jg_emulator_get_store (self);
  g_autofree char *expected = NULL;
  g_autofree char *locator_id = NULL;
  g_autofree char *asset_id = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char   *sv, *sr, *si, *sp, *se, *sig;
  sqlite3_stmt *stmt;
  gint64        now = _jg_emulator_now_ms ();
  gint64        start = -1, expiration = 0;
  int           rc;

  sv = query ? g_hash_table_lookup (query, "sv") : NULL;
  sr = query ? g_hash_table_lookup (query, "sr") : NULL;
  si = query ? g_hash_table_lookup (query, "si") : NULL;
  sp = query ? g_hash_table_lookup (query, "sp") : NULL;
  se = query ? g_hash_table_lookup (query, "se") : NULL;
  sig = query ? g_hash_table_lookup (query, "sig") : NULL;

  if (sv == NULL || sr == NULL || si == NULL || sp == NULL || se == NULL || sig == NULL)
    {
      blob_error_set (error, 403, "AuthenticationFailed",
                      "Server failed to authenticate the request: the URL needs the locator's SAS "
                      "(sv, sr, si, sp, se and sig).");
      return NULL;
    }

  expected = dup_signature (self, guid, sp, se, si, sv);
  if (!g_str_equal (sr, "c") || !jg_emulator_secure_equal (sig, expected))
    {
      blob_error_set (error, 403, "AuthenticationFailed",
                      "Server failed to authenticate the request. Make sure the value of the signature "
                      "is formed correctly.");
      return NULL;
    }

  expiry = g_date_time_new_from_iso8601 (se, utc);
  if (expiry == NULL || g_date_time_to_unix (expiry) * 1000 <= now)
    {
      blob_error_set (error, 403, "AuthenticationFailed",
                      "Server failed to authenticate the request: the signed expiry time (se) has passed.");
      return NULL;
    }

  if (strchr (sp, permission) == NULL)
    {
      blob_error_set (error, 403, "AuthorizationPermissionMismatch",
                      "This request is not authorized to perform this operation using this permission "
                      "(the SAS has sp=%s, this needs %c).",
                      sp, permission);
      return NULL;
    }

  locator_id = g_strconcat ("nb:lid:UUID:", si, NULL);
  stmt = jg_emulator_store_prepare (store,
                                    "SELECT l.asset_id, l.start_time, l.expiration FROM locators AS l "
                                    "WHERE l.id = ? AND l.type = 1",
                                    NULL);
  if (stmt == NULL)
    {
      blob_error_set (error, 500, "InternalError", "The database cannot be read.");
      return NULL;
    }

  jg_emulator_bind_text (stmt, 1, locator_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      asset_id = g_strdup (jg_emulator_column_text (stmt, 0));
      start = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 1);
      expiration = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);

  if (asset_id == NULL)
    {
      blob_error_set (error, 403, "AuthenticationFailed",
                      "Server failed to authenticate the request: the locator of this SAS was deleted.");
      return NULL;
    }

  if (expiration <= now || (start >= 0 && start > now))
    {
      blob_error_set (error, 403, "AuthenticationFailed",
                      "Server failed to authenticate the request: the locator is not valid at this time.");
      return NULL;
    }

  {
    g_autofree char *asset_guid = jg_emulator_files_dup_guid (asset_id);

    if (!g_str_equal (asset_guid, guid))
      {
        blob_error_set (error, 403, "AuthenticationFailed",
                        "Server failed to authenticate the request: the SAS is for another container.");
        return NULL;
      }
  }

  return g_steal_pointer (&asset_id);
}

static void
add_blob_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char    *request_id = g_uuid_string_random ();
  const char         *version = soup_message_headers_get_one (request, "x-ms-version");
  const char         *client_request_id = soup_message_headers_get_one (request, "x-ms-client-request-id");

  soup_message_headers_replace (response, "x-ms-request-id", request_id);
  soup_message_headers_replace (response, "x-ms-version", version ? version : SAS_VERSION);
  if (client_request_id != NULL && strlen (client_request_id) <= 1024)
    soup_message_headers_replace (response, "x-ms-client-request-id", client_request_id);
}

/* Azure blob errors are XML. */
static void
send_blob_error (SoupServerMessage *msg,
                 const BlobError   *error)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char    *message = g_markup_escape_text (error->message, -1);
  g_autofree char    *code = g_markup_escape_text (error->code, -1);
  g_autofree char    *body = NULL;
  const char         *request_id;

  add_blob_headers (msg);
  request_id = soup_message_headers_get_one (response, "x-ms-request-id");
  body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                          "<Error><Code>%s</Code><Message>%s\nRequestId:%s</Message></Error>",
                          code, message, request_id);

  soup_message_headers_replace (response, "x-ms-error-code", error->code);
  soup_server_message_set_status (msg, error->status, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
set_validators (SoupServerMessage *msg,
                gint64             mtime_us)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (mtime_us / G_USEC_PER_SEC);
  g_autofree char *etag = g_strdup_printf ("\"0x%" G_GINT64_MODIFIER "X\"", mtime_us);
  g_autofree char *last_modified = date ? soup_date_time_to_string (date, SOUP_DATE_HTTP) : NULL;

  soup_message_headers_replace (response, "ETag", etag);
  if (last_modified != NULL)
    soup_message_headers_replace (response, "Last-Modified", last_modified);
}

/* Uploads */

static void
upload_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     gpointer           user_data)
{
  Upload     *upload = user_data;
  const char *data;
  gsize       length;
  gsize       done = 0;

  if (upload->fd < 0)
    return;

  data = g_bytes_get_data (chunk, &length);
  while (done < length)
    {
      ssize_t n = write (upload->fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          blob_error_set (&upload->error, saved_errno == ENOSPC ? 507 : 500, "InternalError",
                          "Cannot write %s: %s", upload->part_path, g_strerror (saved_errno));
          upload_abandon (upload);
          return;
        }

      done += n;
    }

  upload->written += length;
}

static void
upload_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  Upload *upload = user_data;

  /* A dropped connection ends here without the handler: no file. */
  upload_abandon (upload);
}

/**
 * _jg_emulator_blob_early:
 *
 * Runs when the headers of a request below `/blob/` are in, before its
 * body: a valid PUT gets a `.part` file that its chunks go to.
 */
void
_jg_emulator_blob_early (JgEmulator        *self,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto(BlobPath) blob = { 0 };
  g_autofree char *dir = NULL;
  Upload          *upload;
  const char      *blob_type;

  if (!g_str_equal (soup_server_message_get_method (msg), "PUT"))
    return;

  /* Whatever happens, the body is not kept in memory. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  upload = g_new0 (Upload, 1);
  upload->self = self;
  upload->fd = -1;
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_KEY, upload, (GDestroyNotify)upload_free);

  if (!parse_blob_path (path, &blob, &upload->error))
    return;

  if (blob.name == NULL)
    {
      blob_error_set (&upload->error, 400, "InvalidUri", "PUT needs a blob name: <BaseUri>/<file name>?<SAS>.");
      return;
    }

  if (query != NULL && g_hash_table_lookup (query, "comp") != NULL)
    {
      blob_error_set (&upload->error, 400, "UnsupportedQueryParameter",
                      "jobgraph-emulator takes a blob in one PUT; comp=%s is not supported.",
                      (const char *)g_hash_table_lookup (query, "comp"));
      return;
    }

  upload->asset_id = check_sas (self, query, blob.guid, 'w', &upload->error);
  if (upload->asset_id == NULL)
    return;

  blob_type = soup_message_headers_get_one (headers, "x-ms-blob-type");
  if (blob_type == NULL)
    {
      blob_error_set (&upload->error, 400, "MissingRequiredHeader",
                      "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.");
      return;
    }

  if (!g_str_equal (blob_type, "BlockBlob"))
    {
      blob_error_set (&upload->error, 400, "InvalidHeaderValue",
                      "The value for x-ms-blob-type is not supported here; use BlockBlob.");
      return;
    }

  dir = jg_emulator_files_dup_asset_dir (_jg_emulator_get_data_dir (self), upload->asset_id);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      blob_error_set (&upload->error, 500, "InternalError", "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return;
    }

  upload->name = g_strdup (blob.name);
  upload->final_path = g_build_filename (dir, blob.name, NULL);
  upload->part_path = g_strconcat (upload->final_path, ".part", NULL);
  upload->fd = g_open (upload->part_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (upload->fd < 0)
    {
      int saved_errno = errno;

      blob_error_set (&upload->error, 500, "InternalError", "Cannot create %s: %s",
                      upload->part_path, g_strerror (saved_errno));
      return;
    }

  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), upload);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), upload);
}

/* A blob written again updates its File, if it has one. */
static gboolean
update_file_size (JgEmulator *self,
                  Upload     *upload,
                  GError    **error)
{
  JgEmulatorStore *store = _jg_emulator_get_store (self);
  g_autofree char *guid = jg_emulator_files_dup_guid (upload->asset_id);
  g_autofree char *path = g_strconcat ("blobs/", guid, "/", upload->name, NULL);
  gint64           now = _jg_emulator_now_ms ();
  sqlite3_stmt    *stmt;

  if (!jg_emulator_store_begin (store, error))
    return FALSE;

  stmt = jg_emulator_store_prepare (store,
                                    "UPDATE files SET size = ?, last_modified = ? WHERE asset_id = ? AND path = ?",
                                    error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, upload->written);
  sqlite3_bind_int64 (stmt, 2, now);
  jg_emulator_bind_text (stmt, 3, upload->asset_id);
  jg_emulator_bind_text (stmt, 4, path);
  if (!jg_emulator_store_step_done (store, stmt, error))
    goto failed;

  stmt = jg_emulator_store_prepare (store,
                                    "UPDATE assets SET last_modified = ?2, "
                                    "size = (SELECT coalesce (sum (size), 0) FROM files WHERE asset_id = ?1) "
                                    "WHERE id = ?1 AND EXISTS (SELECT 1 FROM files WHERE asset_id = ?1)",
                                    error);
  if (stmt == NULL)
    goto failed;

  jg_emulator_bind_text (stmt, 1, upload->asset_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!jg_emulator_store_step_done (store, stmt, error))
    goto failed;

  return jg_emulator_store_commit (store, error);

failed:
  jg_emulator_store_rollback (store);
  return FALSE;
}

static void
finish_upload (JgEmulator        *self,
               SoupServerMessage *msg)
{
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_KEY);
  g_autoptr(GError) error = NULL;
  GStatBuf info;

  if (upload == NULL)
    {
      BlobError internal = { 500, (char *)"InternalError", (char *)"The upload was not prepared." };

      send_blob_error (msg, &internal);
      return;
    }

  if (upload->error.status != 0)
    {
      send_blob_error (msg, &upload->error);
      return;
    }

  if (close (upload->fd) != 0)
    {
      int saved_errno = errno;

      upload->fd = -1;
      blob_error_set (&upload->error, 500, "InternalError", "Cannot write %s: %s",
                      upload->part_path, g_strerror (saved_errno));
      upload_abandon (upload);
      send_blob_error (msg, &upload->error);
      return;
    }
  upload->fd = -1;

  if (g_rename (upload->part_path, upload->final_path) != 0)
    {
      int saved_errno = errno;

      blob_error_set (&upload->error, 500, "InternalError", "Cannot rename %s: %s",
                      upload->part_path, g_strerror (saved_errno));
      upload_abandon (upload);
      send_blob_error (msg, &upload->error);
      return;
    }
  upload->done = TRUE;

  if (!update_file_size (self, upload, &error))
    g_warning ("Cannot update the File of %s: %s", upload->final_path, error->message);

  g_debug ("Stored %" G_GINT64_FORMAT " bytes in %s", upload->written, upload->final_path);

  add_blob_headers (msg);
  set_validators (msg, g_stat (upload->final_path, &info) == 0 ? (gint64)info.st_mtime * G_USEC_PER_SEC
                                                               : g_get_real_time ());
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "x-ms-request-server-encrypted",
                                "false");
  soup_server_message_set_status (msg, 201, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

/* Downloads */

static void
download_free (Download *download)
{
  if (download->fd >= 0)
    close (download->fd);
  g_free (download);
}

/* Appends the next chunk of the file each time the last one went out,
 * so at most one chunk is in memory and the main loop runs in between.
 */
static void
download_write_next_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  Download        *download = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autofree char *buffer = NULL;
  gssize           n;

  if (download->fd < 0 || download->remaining <= 0)
    {
      soup_message_body_complete (body);
      return;
    }

  buffer = g_malloc (BLOB_CHUNK);
  do
    n = read (download->fd, buffer, MIN (BLOB_CHUNK, download->remaining));
  while (n < 0 && errno == EINTR);

  if (n <= 0)
    {
      /* The file shrank or broke: the client sees a short body. */
      g_warning ("Cannot read a blob: %s", n < 0 ? g_strerror (errno) : "it is shorter than it was");
      close (download->fd);
      download->fd = -1;
      soup_server_message_set_status (msg, 500, NULL);
      soup_message_body_complete (body);
      return;
    }

  download->remaining -= n;
  soup_message_body_append_take (body, (guchar *)g_steal_pointer (&buffer), n);
  if (download->remaining <= 0)
    soup_message_body_complete (body);
}

static void
download_finished_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  Download *download = user_data;

  if (download->fd >= 0)
    {
      close (download->fd);
      download->fd = -1;
    }
}

/* The file of a blob: its File's, else a blob without a File yet. */
static char *
find_blob_file (JgEmulator *self,
                const char *asset_id,
                const char *name,
                char      **mime_type)
{
  JgEmulatorStore *store = _jg_emulator_get_store (self);
  const char      *data_dir = _jg_emulator_get_data_dir (self);
  g_autofree char *relative = NULL;
  g_autofree char *dir = NULL;
  sqlite3_stmt    *stmt;

  *mime_type = NULL;

  stmt = jg_emulator_store_prepare (store,
                                    "SELECT path, mime_type FROM files WHERE asset_id = ? AND name = ? COLLATE NOCASE",
                                    NULL);
  if (stmt != NULL)
    {
      jg_emulator_bind_text (stmt, 1, asset_id);
      jg_emulator_bind_text (stmt, 2, name);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          relative = g_strdup (jg_emulator_column_text (stmt, 0));
          *mime_type = g_strdup (jg_emulator_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
    }

  if (relative != NULL)
    return g_build_filename (data_dir, relative, NULL);

  dir = jg_emulator_files_dup_asset_dir (data_dir, asset_id);

  return g_build_filename (dir, name, NULL);
}

static void
append_listed_blob (GString    *xml,
                    const char *name,
                    gint64      size,
                    const char *mime_type)
{
  g_autofree char *escaped_name = g_markup_escape_text (name, -1);
  g_autofree char *escaped_type = g_markup_escape_text (mime_type ? mime_type : "application/octet-stream", -1);

  g_string_append_printf (xml,
                          "<Blob><Name>%s</Name><Properties><Content-Length>%" G_GINT64_FORMAT "</Content-Length>"
                          "<Content-Type>%s</Content-Type><BlobType>BlockBlob</BlobType></Properties></Blob>",
                          escaped_name, size, escaped_type);
}

/* GET <BaseUri>?restype=container&comp=list: the asset's Files, and the
 * blobs uploaded that have no File yet.
 */
static void
send_blob_list (JgEmulator        *self,
                SoupServerMessage *msg,
                const char        *asset_id)
{
  JgEmulatorStore *store = _jg_emulator_get_store (self);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *dir = jg_emulator_files_dup_asset_dir (_jg_emulator_get_data_dir (self), asset_id);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  GString      *xml = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults><Blobs>");
  sqlite3_stmt *stmt;
  const char   *name;
  gsize         length;
  char         *body;

  stmt = jg_emulator_store_prepare (store, "SELECT name, size, mime_type FROM files WHERE asset_id = ? ORDER BY name", NULL);
  if (stmt != NULL)
    {
      jg_emulator_bind_text (stmt, 1, asset_id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          append_listed_blob (xml, jg_emulator_column_text (stmt, 0), sqlite3_column_int64 (stmt, 1),
                              jg_emulator_column_text (stmt, 2));
          g_hash_table_add (listed, g_ascii_strdown (jg_emulator_column_text (stmt, 0), -1));
        }
      sqlite3_reset (stmt);
    }

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *folded = g_ascii_strdown (name, -1);
      GStatBuf         info;

      if (jg_emulator_files_check_name (name, NULL) && !g_hash_table_contains (listed, folded) &&
          g_stat (path, &info) == 0 && S_ISREG (info.st_mode))
        append_listed_blob (xml, name, info.st_size, NULL);
    }

  g_string_append (xml, "</Blobs><NextMarker /></EnumerationResults>");
  length = xml->len;
  body = g_string_free (xml, FALSE);

  add_blob_headers (msg);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_TAKE, body, length);
}

static void
send_blob (JgEmulator        *self,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_auto(BlobPath) blob = { 0 };
  g_autofree char *asset_id = NULL;
  g_autofree char *file = NULL;
  g_autofree char *mime_type = NULL;
  BlobError        error = { 0 };
  Download        *download;
  GStatBuf         info;
  int              fd;

  if (!parse_blob_path (path, &blob, &error))
    goto failed;

  if (blob.name == NULL)
    {
      const char *restype = query ? g_hash_table_lookup (query, "restype") : NULL;
      const char *comp = query ? g_hash_table_lookup (query, "comp") : NULL;

      if (g_strcmp0 (restype, "container") != 0 || g_strcmp0 (comp, "list") != 0)
        {
          blob_error_set (&error, 400, "InvalidUri",
                          "GET needs a blob name (<BaseUri>/<file name>?<SAS>) or ?restype=container&comp=list.");
          goto failed;
        }

      asset_id = check_sas (self, query, blob.guid, 'l', &error);
      if (asset_id == NULL)
        goto failed;

      send_blob_list (self, msg, asset_id);
      return;
    }

  asset_id = check_sas (self, query, blob.guid, 'r', &error);
  if (asset_id == NULL)
    goto failed;

  file = find_blob_file (self, asset_id, blob.name, &mime_type);
  fd = g_open (file, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &info) != 0 || !S_ISREG (info.st_mode))
    {
      if (fd >= 0)
        close (fd);
      blob_error_set (&error, 404, "BlobNotFound", "The specified blob does not exist.");
      goto failed;
    }

  add_blob_headers (msg);
  set_validators (msg, (gint64)info.st_mtime * G_USEC_PER_SEC);
  soup_message_headers_replace (response, "x-ms-blob-type", "BlockBlob");
  soup_message_headers_set_content_type (response, mime_type ? mime_type : "application/octet-stream", NULL);
  soup_message_headers_set_content_length (response, info.st_size);
  soup_server_message_set_status (msg, 200, NULL);

  download = g_new0 (Download, 1);
  download->fd = fd;
  download->remaining = info.st_size;
  g_object_set_data_full (G_OBJECT (msg), "jg-emulator-blob-download", download, (GDestroyNotify)download_free);

  if (g_str_equal (soup_server_message_get_method (msg), "HEAD"))
    return;

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (download_write_next_cb), download);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (download_write_next_cb), download);
  g_signal_connect (msg, "finished", G_CALLBACK (download_finished_cb), download);

  return;

failed:
  send_blob_error (msg, &error);
  blob_error_clear (&error);
}

/**
 * _jg_emulator_blob_handle:
 *
 * Answers a request below `/blob/`, once its body is in.
 */
void
_jg_emulator_blob_handle (JgEmulator        *self,
                          SoupServerMessage *msg,
                          const char        *path,
                          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "PUT"))
    finish_upload (self, msg);
  else if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
    send_blob (self, msg, path, query);
  else
    {
      BlobError error = { 405, (char *)"UnsupportedHttpVerb",
                          (char *)"The resource doesn't support the specified HTTP verb; use PUT, GET or HEAD." };

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "PUT, GET, HEAD");
      send_blob_error (msg, &error);
    }
}

/**
 * _jg_emulator_blob_delete_asset:
 *
 * Removes the bytes of a deleted asset: its folder below `blobs/`. Seeded
 * files in `assets/` are the user's and stay.
 */
void
_jg_emulator_blob_delete_asset (JgEmulator *self,
                                const char *asset_id)
{
  g_autofree char *dir = jg_emulator_files_dup_asset_dir (_jg_emulator_get_data_dir (self), asset_id);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  /* Blob folders hold files only. */
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_unlink (child) != 0)
        g_debug ("Cannot remove %s: %s", child, g_strerror (errno));
    }

  if (g_rmdir (dir) != 0)
    g_debug ("Cannot remove %s: %s", dir, g_strerror (errno));
}
