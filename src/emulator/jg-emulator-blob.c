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
 * Large files come in blocks, as Azure takes them:
 *
 *   PUT …/<name>?<SAS>&comp=block&blockid=<base64>   the block → 201
 *   PUT …/<name>?<SAS>&comp=blocklist                 <BlockList> → 201
 *
 * A block is staged in `.blocks/<SHA-256 of the name>/<hex of its id>`
 * in the asset's folder; the block list concatenates the listed blocks in
 * a worker thread, renames the result over the blob and drops the staging
 * folder (uncommitted blocks not listed go with it).
 *
 * Bodies never sit whole in memory: an upload is written chunk by chunk to
 * `<name>.part-<random>` from an early handler and renamed when the body
 * is complete (a dropped connection removes it); a download appends one
 * chunk of the file each time libsoup has written the last one. Each
 * upload has its own temporary file, so two uploads of one name at once
 * do not mix: the last one to complete wins.
 */

#define SAS_VERSION   "2012-02-12"
#define BLOB_CHUNK    (64 * 1024)
#define UPLOAD_KEY    "jg-emulator-blob-upload"
#define MAX_NAME_SIZE 255

#define STAGING_DIR     ".blocks"
#define ID_LENGTH_LINK  "id-length"
#define MAX_BLOCK_ID    64
#define MAX_BLOCK_SIZE  (G_GINT64_CONSTANT (100) * 1024 * 1024)
#define MAX_BLOCKS      50000
#define MAX_BLOCK_LIST  (16 * 1024 * 1024)
#define COPY_CHUNK      (1024 * 1024)
#define STALE_STAGING_S (24 * 60 * 60)

typedef enum
{
  UPLOAD_BLOB,
  UPLOAD_BLOCK,
  UPLOAD_BLOCK_LIST,
} UploadKind;

typedef struct
{
  guint status;
  char *code;
  char *message;
} BlobError;

typedef struct
{
  JgEmulator *self;     /* borrowed: uploads end before the emulator */
  UploadKind  kind;
  char       *asset_id; /* canonical */
  char       *name;
  char       *part_path;
  char       *final_path;  /* the blob, or the staged block */
  char       *staging_dir; /* (nullable): the blob's blocks */
  GByteArray *list;        /* (nullable): the body of a block list */
  int         fd;
  gint64      written;
  gboolean    done;
  gboolean    finished; /* the message is gone */
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
  g_free (upload->staging_dir);
  g_clear_pointer (&upload->list, g_byte_array_unref);
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

/* Creates a temporary file of its own next to @final_path: two uploads of
 * one name at once each write their own, and the last rename wins.
 */
static int
open_part (const char *final_path,
           char      **part_path)
{
  for (int attempt = 0; attempt < 8; attempt++)
    {
      g_autofree char *path = g_strdup_printf ("%s.part-%08x%08x", final_path, g_random_int (), g_random_int ());
      int              fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd >= 0 || errno != EEXIST)
        {
          *part_path = g_steal_pointer (&path);
          return fd;
        }
    }

  *part_path = g_strdup (final_path);
  errno = EEXIST;

  return -1;
}

/* Removes @path and what is below it, without following links. */
static void
remove_tree (const char *path)
{
  GStatBuf info;

  if (g_lstat (path, &info) != 0)
    return;

  if (S_ISDIR (info.st_mode))
    {
      g_autoptr(GDir) handle = g_dir_open (path, 0, NULL);
      const char *name;

      while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }

      if (g_rmdir (path) != 0)
        g_debug ("Cannot remove %s: %s", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0)
    g_debug ("Cannot remove %s: %s", path, g_strerror (errno));
}

/* `<asset dir>/.blocks/<SHA-256 of the name>`: names may be long, and
 * the hash keeps the staging folder of every name the same size.
 */
static char *
dup_staging_dir (const char *asset_dir,
                 const char *name)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);

  return g_build_filename (asset_dir, STAGING_DIR, hash, NULL);
}

/* A block id is base64 of 1 to 64 bytes; returns the bytes in hex, the
 * name of the block's file.
 */
static char *
dup_block_hex (const char *block_id,
               BlobError  *error)
{
  g_autofree char   *id = g_strdup (block_id);
  g_autofree guchar *bytes = NULL;
  g_autofree char   *again = NULL;
  GString           *hex;
  gsize              length = strlen (id);
  gsize              size;

  /* A '+' the client did not escape arrives as a space. */
  g_strdelimit (id, " ", '+');

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '+' && id[i] != '/' && !(id[i] == '=' && i + 2 >= length))
      length = 0;

  if (length == 0 || length % 4 != 0)
    goto invalid;

  bytes = g_base64_decode (id, &size);
  again = size > 0 ? g_base64_encode (bytes, size) : NULL;
  if (size == 0 || size > MAX_BLOCK_ID || g_strcmp0 (again, id) != 0)
    goto invalid;

  hex = g_string_sized_new (size * 2);
  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);

  return g_string_free (hex, FALSE);

invalid:
  blob_error_set (error, 400, "InvalidQueryParameterValue",
                  "The block id must be base64 of 1 to %d bytes, URL-encoded.", MAX_BLOCK_ID);

  return NULL;
}

/* Azure takes the blocks of one blob only if their ids have one length.
 * The first block records its length as the target of a symbolic link:
 * symlink() creates it atomically or fails, so two first blocks of
 * different lengths cannot both win.
 */
static gboolean
check_block_id_length (const char *staging_dir,
                       gsize       hex_length,
                       BlobError  *error)
{
  g_autofree char *link = g_build_filename (staging_dir, ID_LENGTH_LINK, NULL);
  g_autofree char *target = g_strdup_printf ("%" G_GSIZE_FORMAT, hex_length / 2);
  char             existing[32];
  ssize_t          n;

  if (symlink (target, link) == 0)
    return TRUE;

  if (errno == EEXIST)
    {
      n = readlink (link, existing, sizeof existing - 1);
      if (n > 0)
        {
          existing[n] = '\0';
          if (g_str_equal (existing, target))
            return TRUE;

          blob_error_set (error, 400, "InvalidBlobOrBlock",
                          "The specified blob or block content is invalid: the block ids of a blob must all "
                          "have one length (%s bytes here, this one has %s).",
                          existing, target);
          return FALSE;
        }
    }

  /* The staging folder went away: open_block() tries again. */
  if (errno == ENOENT)
    return FALSE;

  blob_error_set (error, 500, "InternalError", "Cannot stage blocks in %s: %s", staging_dir, g_strerror (errno));

  return FALSE;
}

/* Creates the temporary file of a block in its blob's staging folder. A
 * commit of another blob may remove `.blocks` the moment it is empty,
 * between our mkdir and open: then it is made again.
 */
static gboolean
open_block (Upload     *upload,
            const char *hex)
{
  int saved_errno = 0;

  upload->final_path = g_build_filename (upload->staging_dir, hex, NULL);

  for (int attempt = 0; attempt < 3; attempt++)
    {
      if (g_mkdir_with_parents (upload->staging_dir, 0700) != 0)
        {
          saved_errno = errno;
          if (saved_errno == ENOENT)
            continue;
          break;
        }

      if (!check_block_id_length (upload->staging_dir, strlen (hex), &upload->error))
        {
          saved_errno = errno;
          if (upload->error.status != 0)
            return FALSE;
          continue;
        }

      upload->fd = open_part (upload->final_path, &upload->part_path);
      if (upload->fd >= 0)
        return TRUE;

      saved_errno = errno;
      g_clear_pointer (&upload->part_path, g_free);
      if (saved_errno != ENOENT)
        break;
    }

  blob_error_set (&upload->error, 500, "InternalError", "Cannot stage a block in %s: %s", upload->staging_dir,
                  g_strerror (saved_errno));

  return FALSE;
}

static void
upload_got_chunk_cb (SoupServerMessage *msg,
                     GBytes            *chunk,
                     gpointer           user_data)
{
  Upload     *upload = user_data;
  const char *data;
  gsize       length;
  gsize       done = 0;

  data = g_bytes_get_data (chunk, &length);

  if (upload->list != NULL)
    {
      if (upload->list->len + length > MAX_BLOCK_LIST)
        {
          blob_error_set (&upload->error, 413, "RequestBodyTooLarge",
                          "The block list is larger than %d bytes.", MAX_BLOCK_LIST);
          g_clear_pointer (&upload->list, g_byte_array_unref);
          return;
        }

      g_byte_array_append (upload->list, (const guint8 *)data, length);
      return;
    }

  if (upload->fd < 0)
    return;

  if (upload->kind == UPLOAD_BLOCK && upload->written + (gint64)length > MAX_BLOCK_SIZE)
    {
      blob_error_set (&upload->error, 413, "RequestBodyTooLarge",
                      "The request body is too large: a block is at most %" G_GINT64_FORMAT " bytes.",
                      MAX_BLOCK_SIZE);
      upload_abandon (upload);
      return;
    }

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
  upload->finished = TRUE;
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
  const char      *comp;

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

  comp = query ? g_hash_table_lookup (query, "comp") : NULL;
  if (g_strcmp0 (comp, "block") == 0)
    upload->kind = UPLOAD_BLOCK;
  else if (g_strcmp0 (comp, "blocklist") == 0)
    upload->kind = UPLOAD_BLOCK_LIST;
  else if (comp != NULL)
    {
      blob_error_set (&upload->error, 400, "UnsupportedQueryParameter",
                      "jobgraph-emulator takes a blob in one PUT or in blocks; comp=%s is not supported.", comp);
      return;
    }

  upload->asset_id = check_sas (self, query, blob.guid, 'w', &upload->error);
  if (upload->asset_id == NULL)
    return;

  /* Put Block and Put Block List need no blob type; Put Blob does. */
  blob_type = soup_message_headers_get_one (headers, "x-ms-blob-type");
  if (upload->kind == UPLOAD_BLOB && blob_type == NULL)
    {
      blob_error_set (&upload->error, 400, "MissingRequiredHeader",
                      "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type.");
      return;
    }

  if (upload->kind == UPLOAD_BLOB && !g_str_equal (blob_type, "BlockBlob"))
    {
      blob_error_set (&upload->error, 400, "InvalidHeaderValue",
                      "The value for x-ms-blob-type is not supported here; use BlockBlob.");
      return;
    }

  dir = jg_emulator_files_dup_asset_dir (_jg_emulator_get_data_dir (self), upload->asset_id);
  upload->name = g_strdup (blob.name);
  upload->staging_dir = dup_staging_dir (dir, blob.name);

  if (upload->kind == UPLOAD_BLOCK_LIST)
    {
      /* A list of ids, not blob data: small enough to keep. */
      upload->final_path = g_build_filename (dir, blob.name, NULL);
      upload->list = g_byte_array_new ();
      g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), upload);
      g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), upload);
      return;
    }

  if (upload->kind == UPLOAD_BLOCK)
    {
      const char      *block_id = g_hash_table_lookup (query, "blockid");
      goffset          length = soup_message_headers_get_content_length (headers);
      g_autofree char *hex = NULL;

      if (block_id == NULL)
        {
          blob_error_set (&upload->error, 400, "MissingRequiredQueryParameter",
                          "A query parameter that's mandatory for this request is not specified: blockid.");
          return;
        }

      hex = dup_block_hex (block_id, &upload->error);
      if (hex == NULL)
        return;

      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH && length > MAX_BLOCK_SIZE)
        {
          blob_error_set (&upload->error, 413, "RequestBodyTooLarge",
                          "The request body is too large: a block is at most %" G_GINT64_FORMAT " bytes.",
                          MAX_BLOCK_SIZE);
          return;
        }

      if (!open_block (upload, hex))
        return;
    }
  else
    {
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          blob_error_set (&upload->error, 500, "InternalError", "Cannot create %s: %s", dir,
                          g_strerror (saved_errno));
          return;
        }

      upload->final_path = g_build_filename (dir, blob.name, NULL);
      upload->fd = open_part (upload->final_path, &upload->part_path);
      if (upload->fd < 0)
        {
          int saved_errno = errno;

          blob_error_set (&upload->error, 500, "InternalError", "Cannot create %s: %s", upload->part_path,
                          g_strerror (saved_errno));
          g_clear_pointer (&upload->part_path, g_free);
          return;
        }
    }

  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk_cb), upload);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb), upload);
}

/* Block lists */

typedef struct
{
  GPtrArray *entries; /* "L…", "U…" or "C…": Latest, Uncommitted or Committed, then the id in hex */
  GString   *text;    /* (nullable): inside an id element */
  char       kind;
  int        depth;
  gsize      hex_length;
  BlobError *error;
} ListParser;

static void
list_start_element_cb (GMarkupParseContext *context,
                       const char          *element_name,
                       const char         **attribute_names,
                       const char         **attribute_values,
                       gpointer             user_data,
                       GError             **error)
{
  ListParser *parser = user_data;

  parser->depth++;
  if (parser->depth == 1 && g_str_equal (element_name, "BlockList"))
    return;

  if (parser->depth == 2 && g_str_equal (element_name, "Latest"))
    parser->kind = 'L';
  else if (parser->depth == 2 && g_str_equal (element_name, "Uncommitted"))
    parser->kind = 'U';
  else if (parser->depth == 2 && g_str_equal (element_name, "Committed"))
    parser->kind = 'C';
  else
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                   "<%s> is not expected here: the body is <BlockList> with <Latest>, <Uncommitted> or "
                   "<Committed> block ids.",
                   element_name);
      return;
    }

  parser->text = g_string_new (NULL);
}

static void
list_text_cb (GMarkupParseContext *context,
              const char          *text,
              gsize                text_len,
              gpointer             user_data,
              GError             **error)
{
  ListParser *parser = user_data;

  if (parser->text != NULL)
    g_string_append_len (parser->text, text, text_len);
}

static void
list_end_element_cb (GMarkupParseContext *context,
                     const char          *element_name,
                     gpointer             user_data,
                     GError             **error)
{
  ListParser      *parser = user_data;
  g_autofree char *hex = NULL;

  parser->depth--;
  if (parser->text == NULL)
    return;

  g_strstrip (parser->text->str);
  hex = dup_block_hex (parser->text->str, parser->error);
  g_string_free (g_steal_pointer (&parser->text), TRUE);
  if (hex == NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "invalid block id");
      return;
    }

  if (parser->hex_length != 0 && strlen (hex) != parser->hex_length)
    {
      blob_error_set (parser->error, 400, "InvalidBlobOrBlock",
                      "The specified blob or block content is invalid: the block ids of a blob must all have "
                      "one length.");
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "block id length");
      return;
    }
  parser->hex_length = strlen (hex);

  if (parser->entries->len >= MAX_BLOCKS)
    {
      blob_error_set (parser->error, 400, "BlockListTooLong",
                      "The block list may not contain more than %d blocks.", MAX_BLOCKS);
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too many blocks");
      return;
    }

  g_ptr_array_add (parser->entries, g_strdup_printf ("%c%s", parser->kind, hex));
}

/* Returns the entries of a Put Block List body, in order. */
static GPtrArray *
parse_block_list (const GByteArray *body,
                  BlobError        *error)
{
  static const GMarkupParser callbacks = {
    list_start_element_cb,
    list_end_element_cb,
    list_text_cb,
    NULL,
    NULL,
  };
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  GMarkupParseContext *context;
  ListParser           parser = { entries, NULL, 0, 0, 0, error };
  gboolean             ok;

  context = g_markup_parse_context_new (&callbacks, G_MARKUP_PREFIX_ERROR_POSITION, &parser, NULL);
  ok = g_markup_parse_context_parse (context, (const char *)body->data, body->len, &local_error) &&
       g_markup_parse_context_end_parse (context, &local_error);
  g_markup_parse_context_free (context);
  if (parser.text != NULL)
    g_string_free (parser.text, TRUE);

  if (!ok)
    {
      blob_error_set (error, 400, "InvalidXmlDocument", "XML specified is not syntactically valid: %s",
                      local_error->message);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static void sweep_dir (const char *dir,
                       gint64      before,
                       gboolean    in_staging);

typedef struct
{
  char      *staging_dir;
  char      *final_path;
  GPtrArray *entries;
  gint64     written;
  BlobError  error;
} Commit;

static void
commit_free (Commit *commit)
{
  g_free (commit->staging_dir);
  g_free (commit->final_path);
  g_clear_pointer (&commit->entries, g_ptr_array_unref);
  blob_error_clear (&commit->error);
  g_free (commit);
}

/* Removes a blob's staging folder, and `.blocks` once it is empty. */
static void
remove_staging (const char *staging_dir)
{
  g_autofree char *parent = g_path_get_dirname (staging_dir);

  remove_tree (staging_dir);
  g_rmdir (parent);
}

static gboolean
copy_block (int         out,
            const char *path,
            char       *buffer,
            gint64     *written,
            BlobError  *error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      blob_error_set (error, 400, "InvalidBlockList",
                      "The specified block list is invalid: a listed block was not uploaded.");
      return FALSE;
    }

  for (;;)
    {
      ssize_t n = read (fd, buffer, COPY_CHUNK);
      ssize_t done = 0;

      if (n < 0 && errno == EINTR)
        continue;

      if (n <= 0)
        {
          int saved_errno = errno;

          close (fd);
          if (n == 0)
            return TRUE;

          blob_error_set (error, 500, "InternalError", "Cannot read %s: %s", path, g_strerror (saved_errno));
          return FALSE;
        }

      while (done < n)
        {
          ssize_t m = write (out, buffer + done, n - done);

          if (m < 0 && errno == EINTR)
            continue;

          if (m < 0)
            {
              int saved_errno = errno;

              close (fd);
              blob_error_set (error, saved_errno == ENOSPC ? 507 : 500, "InternalError", "Cannot write a blob: %s",
                              g_strerror (saved_errno));
              return FALSE;
            }

          done += m;
        }

      *written += n;
    }
}

/* In a worker thread: concatenates the listed blocks, chunk by chunk. */
static void
commit_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Commit          *commit = task_data;
  g_autofree char *part_path = NULL;
  g_autofree char *buffer = NULL;
  int              out;

  out = open_part (commit->final_path, &part_path);
  if (out < 0)
    {
      blob_error_set (&commit->error, 500, "InternalError", "Cannot create %s: %s", part_path, g_strerror (errno));
      g_task_return_boolean (task, TRUE);
      return;
    }

  buffer = g_malloc (COPY_CHUNK);
  for (guint i = 0; i < commit->entries->len; i++)
    {
      const char      *entry = g_ptr_array_index (commit->entries, i);
      g_autofree char *block = g_build_filename (commit->staging_dir, entry + 1, NULL);

      /* The emulator keeps no committed blocks: a committed blob is one
       * file, so only uncommitted blocks can be listed.
       */
      if (entry[0] == 'C')
        {
          blob_error_set (&commit->error, 400, "InvalidBlockList",
                          "The specified block list is invalid: jobgraph-emulator keeps no committed blocks; "
                          "upload the block again and list it as <Latest>.");
          break;
        }

      if (!copy_block (out, block, buffer, &commit->written, &commit->error))
        break;
    }

  if (close (out) != 0)
    blob_error_set (&commit->error, 500, "InternalError", "Cannot write %s: %s", part_path, g_strerror (errno));

  if (commit->error.status == 0 && g_rename (part_path, commit->final_path) != 0)
    blob_error_set (&commit->error, 500, "InternalError", "Cannot rename %s: %s", part_path, g_strerror (errno));

  if (commit->error.status != 0)
    g_unlink (part_path);
  else
    remove_staging (commit->staging_dir);

  /* A cheap time to drop what uploads of this asset left a day ago. */
  {
    g_autofree char *asset_dir = g_path_get_dirname (commit->final_path);

    sweep_dir (asset_dir, g_get_real_time () / G_USEC_PER_SEC - STALE_STAGING_S, FALSE);
  }

  g_task_return_boolean (task, TRUE);
}

static void
discard_blocks_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  remove_staging (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
send_created (SoupServerMessage *msg,
              const char        *path)
{
  GStatBuf info;

  add_blob_headers (msg);
  set_validators (msg, path != NULL && g_stat (path, &info) == 0 ? (gint64)info.st_mtime * G_USEC_PER_SEC
                                                                 : g_get_real_time ());
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "x-ms-request-server-encrypted",
                                "false");
  soup_server_message_set_status (msg, 201, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

static gboolean update_file_size (JgEmulator *self,
                                  Upload     *upload,
                                  GError    **error);

static void
commit_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  g_autoptr(GError) error = NULL;
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_KEY);
  Commit *commit = g_task_get_task_data (G_TASK (result));

  if (commit->error.status != 0)
    {
      if (!upload->finished)
        send_blob_error (msg, &commit->error);
    }
  else
    {
      upload->written = commit->written;

      /* A server that shut down meanwhile has closed its store too. */
      if (!update_file_size (upload->self, upload, &error))
        {
          if (upload->finished)
            g_debug ("Cannot update the File of %s: %s", upload->final_path, error->message);
          else
            g_warning ("Cannot update the File of %s: %s", upload->final_path, error->message);
        }

      g_debug ("Committed %u blocks, %" G_GINT64_FORMAT " bytes, in %s", commit->entries->len, commit->written,
               upload->final_path);

      if (!upload->finished)
        send_created (msg, upload->final_path);
    }

  if (!upload->finished)
    soup_server_message_unpause (msg);
}

/* PUT …?comp=blocklist: the copy runs in a thread, the message waits. */
static void
commit_block_list (SoupServerMessage *msg,
                   Upload            *upload)
{
  g_autoptr(GTask) task = NULL;
  Commit *commit;

  commit = g_new0 (Commit, 1);
  commit->entries = parse_block_list (upload->list, &upload->error);
  if (commit->entries == NULL)
    {
      commit_free (commit);
      send_blob_error (msg, &upload->error);
      return;
    }

  commit->staging_dir = g_strdup (upload->staging_dir);
  commit->final_path = g_strdup (upload->final_path);

  /* The task keeps the emulator, whose store the File's size goes to. */
  task = g_task_new (upload->self, NULL, commit_done_cb, g_object_ref (msg));
  g_task_set_source_tag (task, commit_block_list);
  g_task_set_task_data (task, commit, (GDestroyNotify)commit_free);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, commit_thread);
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

  if (upload->kind == UPLOAD_BLOCK_LIST)
    {
      commit_block_list (msg, upload);
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

  if (upload->kind == UPLOAD_BLOCK)
    {
      g_debug ("Staged a block of %" G_GINT64_FORMAT " bytes in %s", upload->written, upload->final_path);
      send_created (msg, NULL);
      return;
    }

  if (!update_file_size (self, upload, &error))
    g_warning ("Cannot update the File of %s: %s", upload->final_path, error->message);

  g_debug ("Stored %" G_GINT64_FORMAT " bytes in %s", upload->written, upload->final_path);

  /* As on Azure, a whole blob discards the blocks staged for its name. */
  if (g_file_test (upload->staging_dir, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_source_tag (task, finish_upload);
      g_task_set_task_data (task, g_strdup (upload->staging_dir), g_free);
      g_task_run_in_thread (task, discard_blocks_thread);
    }

  send_created (msg, upload->final_path);
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

  /* Blob folders hold files, and the staging folder of blocks. */
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      remove_tree (child);
    }

  if (g_rmdir (dir) != 0)
    g_debug ("Cannot remove %s: %s", dir, g_strerror (errno));
}

/* Removes the temporary files and staged blocks below @dir (a blob's
 * folder, or a staging folder) older than @before (seconds since the
 * epoch), or all of them if @before is 0.
 */
static void
sweep_dir (const char *dir,
           gint64      before,
           gboolean    in_staging)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      GStatBuf         info;

      if (g_lstat (child, &info) != 0)
        continue;

      if (S_ISDIR (info.st_mode) && (in_staging || g_str_equal (name, STAGING_DIR)))
        {
          sweep_dir (child, before, TRUE);
          /* Once empty; a folder an upload has just made stays. */
          if (before == 0 || info.st_mtime < before)
            g_rmdir (child);
        }
      else if ((in_staging || jg_emulator_files_is_temporary_name (name)) && (before == 0 || info.st_mtime < before))
        {
          g_debug ("Removing the leftover %s", child);
          g_unlink (child);
        }
    }
}

/**
 * _jg_emulator_blob_sweep:
 * @max_age_s: how old a leftover may be, or 0 to remove all of them
 *
 * Removes what dropped or unfinished uploads left: temporary files, and
 * blocks that were never committed. At start no upload is in progress,
 * so all of them go.
 */
void
_jg_emulator_blob_sweep (JgEmulator *self,
                         gint64      max_age_s)
{
  g_autofree char *blobs = g_build_filename (_jg_emulator_get_data_dir (self), "blobs", NULL);
  g_autoptr(GDir) handle = g_dir_open (blobs, 0, NULL);
  gint64      before = max_age_s > 0 ? g_get_real_time () / G_USEC_PER_SEC - max_age_s : 0;
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *dir = g_build_filename (blobs, name, NULL);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        sweep_dir (dir, before, FALSE);
    }
}
