/* test-transfer.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "jg-client.h"
#include "jg-client-private.h"
#include "jg-emulator.h"

#include "client-fixture.h"

/* Asset uploads and downloads (assets-protocol.md, "Client flow") against
 * a real jobgraph-emulator in process, as in test-client.c: a generated
 * file goes up, its File is listed and it comes back byte for byte; a
 * cancelled upload leaves no asset, Locator or AccessPolicy; a wrong SAS
 * signature is a clear error that never shows the signature.
 */

/* Counts the entities of @entity_set with a plain request, as another
 * program would see them.
 */
static guint
count_entities (Emulator   *e,
                const char *entity_set)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("%saccounts/local/api/%s", e->root, entity_set);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", TOKEN);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  JsonArray *results;
  const char *data;
  gsize size;

  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json;odata=verbose");
  soup_message_headers_replace (headers, "x-ms-version", "2.19");
  soup_message_headers_replace (headers, "DataServiceVersion", "3.0");
  soup_message_headers_replace (headers, "MaxDataServiceVersion", "3.0");

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  data = g_bytes_get_data (body, &size);
  root = jg_json_parse (data, size, &error);
  g_assert_no_error (error);
  results = jg_odata_get_results (root, &error);
  g_assert_no_error (error);

  return json_array_get_length (results);
}

/* Regular files under @dir, recursively. */
static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  if (handle == NULL)
    return 0;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_files (path);
      else
        n++;
    }

  return n;
}

static GFile *
make_file (const char *dir,
           const char *name,
           gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8)g_rand_int (rand);

  g_file_set_contents (path, (const char *)data, size, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

typedef struct
{
  goffset       last_done;
  goffset       total;
  guint         calls;
  GCancellable *cancel_at_first;
} Progress;

static void
progress_cb (goffset  done,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpint (done, >=, progress->last_done);
  g_assert_cmpint (done, <=, total);
  progress->last_done = done;
  progress->total = total;
  progress->calls++;

  if (progress->cancel_at_first != NULL && done > 0)
    g_cancellable_cancel (progress->cancel_at_first);
}

static JgRemoteAsset *
upload (JgClient     *client,
        GFile        *file,
        const char   *name,
        Progress     *progress,
        GCancellable *cancellable,
        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_upload_asset_async (client, file, name, progress ? progress_cb : NULL, progress, NULL,
                                cancellable, store_result_cb, &result);
  return jg_client_upload_asset_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_files (JgClient   *client,
            const char *asset_id,
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_asset_files_async (client, asset_id, NULL, store_result_cb, &result);
  return jg_client_list_asset_files_finish (client, wait_for (&result), error);
}

static GPtrArray *
download (JgClient   *client,
          const char *asset_id,
          GFile      *dir,
          Progress   *progress,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_download_asset_async (client, asset_id, dir, progress ? progress_cb : NULL, progress, NULL,
                                  NULL, store_result_cb, &result);
  return jg_client_download_asset_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_assets (JgClient   *client,
             const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *assets;

  jg_client_list_assets_async (client, name, NULL, store_result_cb, &result);
  assets = jg_client_list_assets_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);

  return assets;
}

/* Tests */

static void
test_roundtrip (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (work, "out", NULL);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) file = NULL;
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;
  gsize sent_size, received_size;
  Progress up = { 0 };
  Progress down = { 0 };
  JgRemoteFile *remote;

  /* Several megabytes: libsoup sends and reads it in many chunks. */
  file = make_file (work, "clip one.mp4", 5 * 1024 * 1024 + 7);

  asset = upload (client, file, NULL, &up, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (asset);
  g_assert_true (g_str_has_prefix (asset->id, "nb:cid:UUID:"));
  g_assert_cmpstr (asset->name, ==, "clip one.mp4");
  g_assert_cmpint (up.total, ==, 5 * 1024 * 1024 + 7);
  g_assert_cmpint (up.last_done, ==, up.total);
  g_assert_cmpuint (up.calls, >, 2);

  /* Nothing of the SAS is left behind. */
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);

  files = list_files (client, asset->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  remote = g_ptr_array_index (files, 0);
  g_assert_cmpstr (remote->name, ==, "clip one.mp4");
  g_assert_cmpint (remote->size, ==, 5 * 1024 * 1024 + 7);
  g_assert_cmpstr (remote->mime_type, ==, "video/mp4");
  g_assert_true (remote->is_primary);
  g_assert_cmpstr (remote->parent_asset_id, ==, asset->id);

  /* The folder is made; the file comes back byte for byte. */
  written = download (client, asset->id, out, &down, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 1);
  g_assert_cmpint (down.last_done, ==, down.total);
  g_assert_cmpint (down.total, ==, 5 * 1024 * 1024 + 7);

  g_file_load_contents (file, NULL, &sent, &sent_size, NULL, &error);
  g_assert_no_error (error);
  g_file_load_contents (g_ptr_array_index (written, 0), NULL, &received, &received_size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (sent, sent_size, received, received_size);

  /* No .part is left, and nothing else either. */
  g_assert_cmpuint (count_files (out_path), ==, 1);
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);

  /* A second download replaces the file. */
  g_clear_pointer (&written, g_ptr_array_unref);
  written = download (client, asset->id, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (out_path), ==, 1);

  {
    g_autoptr(GFile) work_dir = g_file_new_for_path (work);

    remove_tree (work_dir);
  }
}

static void
test_named_and_empty (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autoptr(GFile) file = make_file (work, "empty.bin", 0);
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);

  asset = upload (client, file, "My Asset", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (asset->name, ==, "My Asset");

  files = list_files (client, asset->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (((JgRemoteFile *)g_ptr_array_index (files, 0))->name, ==, "empty.bin");
  g_assert_cmpint (((JgRemoteFile *)g_ptr_array_index (files, 0))->size, ==, 0);

  remove_tree (work_dir);
}

static void
test_add_files (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) one = make_file (work, "one.mp4", 1000);
  g_autoptr(GFile) two = make_file (work, "two.vtt", 10);
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  jg_client_create_asset_async (client, "outputs", NULL, store_result_cb, &created);
  asset = jg_client_create_asset_finish (client, wait_for (&created), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(JgRemoteFile) file = NULL;

      jg_client_upload_file_async (client, asset->id, i == 0 ? one : two, NULL, NULL, NULL, NULL,
                                   store_result_cb, &result);
      file = jg_client_upload_file_finish (client, wait_for (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (file->name, ==, i == 0 ? "one.mp4" : "two.vtt");
      g_assert_cmpstr (file->parent_asset_id, ==, asset->id);
      g_assert_false (file->is_primary);
    }

  files = list_files (client, asset->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);

  remove_tree (work_dir);
}

static void
test_cancel_upload (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) file = make_file (work, "big.mp4", 48 * 1024 * 1024);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blobs = g_build_filename (e->data_dir, "blobs", NULL);
  Progress progress = { .cancel_at_first = cancellable };

  asset = upload (client, file, NULL, &progress, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (asset);
  g_assert_cmpint (progress.last_done, <, progress.total);

  /* No half-made asset, no Locator, no AccessPolicy, no bytes. */
  assets = list_assets (client, "big.mp4");
  g_assert_cmpuint (assets->len, ==, 0);
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);
  g_assert_cmpuint (count_files (blobs), ==, 0);

  remove_tree (work_dir);
}

/* Blob requests of @kind (`comp=block&`, `comp=blocklist`) in the
 * captured log.
 */
static guint
count_logged (const char *kind)
{
  guint n = 0;

  g_mutex_lock (&log_lock);
  for (guint i = 0; i < log_lines->len; i++)
    {
      const char *line = g_ptr_array_index (log_lines, i);

      if (strstr (line, "> PUT ") != NULL && strstr (line, kind) != NULL)
        n++;
    }
  g_mutex_unlock (&log_lock);

  return n;
}

static void
test_blocks (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (work, "out", NULL);
  g_autofree char *blobs = g_build_filename (e->data_dir, "blobs", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) small = NULL;
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(JgRemoteFile) added = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;
  gsize            sent_size, received_size;
  const gsize      size = 3 * 512 * 1024 + 1000; /* six blocks and a bit */
  Progress         up = { 0 };

  /* Above 512 KiB, blocks of 256 KiB: seven of them. */
  _jg_client_set_block_upload (client, 512 * 1024, 256 * 1024);
  file = make_file (work, "clip.mp4", size);
  small = make_file (work, "small.vtt", 512 * 1024);

  _jg_client_set_log_http (client, TRUE);
  g_mutex_lock (&log_lock);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&log_lock);

  asset = upload (client, file, NULL, &up, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (asset);
  g_assert_cmpint (up.total, ==, size);
  g_assert_cmpint (up.last_done, ==, up.total);
  g_assert_cmpuint (up.calls, >=, 7);
  g_assert_cmpuint (count_logged ("comp=block&blockid="), ==, 7);
  g_assert_cmpuint (count_logged ("comp=blocklist"), ==, 1);

  /* At the threshold: one Put Blob. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    jg_client_upload_file_async (client, asset->id, small, NULL, NULL, NULL, NULL, store_result_cb, &result);
    added = jg_client_upload_file_finish (client, wait_for (&result), &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (count_logged ("comp=block&blockid="), ==, 7);
  g_assert_cmpuint (count_logged ("comp=blocklist"), ==, 1);

  g_mutex_lock (&log_lock);
  g_clear_pointer (&log_lines, g_ptr_array_unref);
  g_mutex_unlock (&log_lock);
  _jg_client_set_log_http (client, FALSE);

  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);
  /* The two blobs, no staged block left. */
  g_assert_cmpuint (count_files (blobs), ==, 2);

  files = list_files (client, asset->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);

  written = download (client, asset->id, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 2);

  for (guint i = 0; i < written->len; i++)
    {
      GFile           *got = g_ptr_array_index (written, i);
      g_autofree char *name = g_file_get_basename (got);
      GFile           *source = g_str_equal (name, "clip.mp4") ? file : small;

      g_file_load_contents (source, NULL, &sent, &sent_size, NULL, &error);
      g_assert_no_error (error);
      g_file_load_contents (got, NULL, &received, &received_size, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (sent, sent_size, received, received_size);
      g_clear_pointer (&sent, g_free);
      g_clear_pointer (&received, g_free);
    }

  remove_tree (work_dir);
}

static void
test_cancel_blocks (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) file = make_file (work, "big.mp4", 8 * 1024 * 1024);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blobs = g_build_filename (e->data_dir, "blobs", NULL);
  Progress         progress = { .cancel_at_first = cancellable };

  _jg_client_set_block_upload (client, 512 * 1024, 256 * 1024);

  /* Cancelled while the first blocks are on their way. */
  asset = upload (client, file, NULL, &progress, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (asset);
  g_assert_cmpint (progress.last_done, <, progress.total);

  /* No half-made asset, no Locator, no AccessPolicy, no staged block. */
  assets = list_assets (client, "big.mp4");
  g_assert_cmpuint (assets->len, ==, 0);
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);
  g_assert_cmpuint (count_files (blobs), ==, 0);

  remove_tree (work_dir);
}

/* A proxy in front of the emulator that answers 503 ServerBusy to some
 * Put Block requests instead of passing them on (the emulator injects no
 * faults into blob requests). The emulator's root in bodies and
 * `Location` becomes the proxy's, so that Locators point at the proxy.
 */
typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GCond         cond;
  char         *root;
  char         *target; /* the emulator's root */
  SoupSession  *session;

  guint         busy_every; /* the 1st, (1 + busy_every)th… Put Block is refused */
  guint         n_blocks;   /* Put Block requests seen */
  guint         n_busy;     /* of them refused */
} Proxy;

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Proxy           *proxy = user_data;
  GUri            *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) request_bytes = soup_message_body_flatten (request_body);
  g_autofree char *target = NULL;
  g_autoptr(SoupMessage) forward = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeadersIter iter;
  const char            *content_type;
  const char            *name, *value;
  const char            *raw_query = g_uri_get_query (uri);

  if (raw_query != NULL && strstr (raw_query, "comp=block&") != NULL)
    {
      gboolean busy;

      g_mutex_lock (&proxy->lock);
      busy = proxy->n_blocks % proxy->busy_every == 0;
      proxy->n_blocks++;
      if (busy)
        proxy->n_busy++;
      g_mutex_unlock (&proxy->lock);

      if (busy)
        {
          static const char error_body[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code>"
                                           "<Message>The server is busy.</Message></Error>";

          soup_server_message_set_status (msg, 503, NULL);
          soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, error_body,
                                            strlen (error_body));
          return;
        }
    }

  target = g_strconcat (proxy->target, g_uri_get_path (uri) + 1, raw_query ? "?" : "", raw_query, NULL);
  forward = soup_message_new (soup_server_message_get_method (msg), target);
  soup_message_add_flags (forward, SOUP_MESSAGE_NO_REDIRECT);

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Host") != 0 && g_ascii_strcasecmp (name, "Content-Length") != 0 &&
          g_ascii_strcasecmp (name, "Connection") != 0)
        soup_message_headers_append (soup_message_get_request_headers (forward), name, value);
    }
  if (g_bytes_get_size (request_bytes) > 0)
    soup_message_set_request_body_from_bytes (
      forward, soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL),
      request_bytes);

  body = soup_session_send_and_read (proxy->session, forward, NULL, &error);
  g_assert_no_error (error);

  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (forward));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *shown = replace_all (value, proxy->target, proxy->root);

      if (g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 &&
          g_ascii_strcasecmp (name, "Connection") != 0)
        soup_message_headers_append (soup_server_message_get_response_headers (msg), name, shown);
    }

  soup_server_message_set_status (msg, soup_message_get_status (forward), NULL);

  /* Blobs pass as they are; JSON names the emulator's root. */
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (forward), NULL);
  if (content_type != NULL && strstr (content_type, "json") != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      char            *rewritten = replace_all (text, proxy->target, proxy->root);

      soup_message_body_append_take (soup_server_message_get_response_body (msg), (guchar *)rewritten,
                                     strlen (rewritten));
    }
  else if (g_bytes_get_size (body) > 0)
    {
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
    }
}

static gpointer
proxy_thread (gpointer data)
{
  Proxy *proxy = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (proxy->context);

  proxy->session = soup_session_new ();
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, proxy_handler, proxy, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_mutex_lock (&proxy->lock);
  proxy->root = g_uri_to_string (uris->data);
  g_cond_signal (&proxy->cond);
  g_mutex_unlock (&proxy->lock);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  g_main_loop_run (proxy->loop);

  soup_server_disconnect (server);
  g_clear_object (&proxy->session);
  while (g_main_context_iteration (proxy->context, FALSE))
    ;
  g_main_context_pop_thread_default (proxy->context);

  return NULL;
}

static Proxy *
proxy_new (const char *target,
           guint       busy_every)
{
  Proxy *proxy = g_new0 (Proxy, 1);

  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->cond);
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  proxy->target = g_strdup (target);
  proxy->busy_every = busy_every;
  proxy->thread = g_thread_new ("proxy", proxy_thread, proxy);

  g_mutex_lock (&proxy->lock);
  while (proxy->root == NULL)
    g_cond_wait (&proxy->cond, &proxy->lock);
  g_mutex_unlock (&proxy->lock);

  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  g_main_context_invoke (proxy->context, quit_cb, proxy->loop);
  g_thread_join (proxy->thread);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  g_free (proxy->root);
  g_free (proxy->target);
  g_mutex_clear (&proxy->lock);
  g_cond_clear (&proxy->cond);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

static void
test_retry_blocks (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(Proxy) proxy = proxy_new (e->root, 3);
  g_autoptr(JgAccount) account = NULL;
  g_autoptr(JgClient) client = NULL;
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autofree char *out_path = g_build_filename (work, "out", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GFile) file = make_file (work, "clip.mp4", 3 * 512 * 1024 + 1000);
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *received = NULL;
  gsize            sent_size, received_size;
  Progress         up = { 0 };

  account = jg_account_new_for_emulator (proxy->root, NULL, KEY);
  client = emulator_add_client (e, account);
  _jg_client_set_block_upload (client, 512 * 1024, 256 * 1024);

  /* Every third Put Block is refused once: seven blocks, three refusals,
   * each sent again.
   */
  asset = upload (client, file, NULL, &up, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (up.last_done, ==, up.total);
  g_mutex_lock (&proxy->lock);
  g_assert_cmpuint (proxy->n_busy, >=, 3);
  g_assert_cmpuint (proxy->n_blocks, ==, 7 + proxy->n_busy);
  g_mutex_unlock (&proxy->lock);
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);

  written = download (client, asset->id, out, NULL, &error);
  g_assert_no_error (error);
  g_file_load_contents (file, NULL, &sent, &sent_size, NULL, &error);
  g_assert_no_error (error);
  g_file_load_contents (g_ptr_array_index (written, 0), NULL, &received, &received_size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (sent, sent_size, received, received_size);

  remove_tree (work_dir);
}

static void
test_bad_sas (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) file = make_file (work, "clip.mp4", 64 * 1024);
  g_autoptr(GFile) out = g_file_get_child (work_dir, "out");
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(JgRemoteAsset) good = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;

  _jg_client_set_corrupt_sas (client, TRUE);
  asset = upload (client, file, NULL, NULL, NULL, &error);
  g_assert_null (asset);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_FORBIDDEN);
  g_test_message ("%s", error->message);
  /* What failed, where, and the storage's reason, but not the SAS. */
  g_assert_nonnull (strstr (error->message, "clip.mp4"));
  g_assert_nonnull (strstr (error->message, "/blob/asset-"));
  g_assert_nonnull (strstr (error->message, "AuthenticationFailed"));
  g_assert_null (strstr (error->message, "sig="));
  g_assert_cmpstr (jg_client_error_get_service_code (error), ==, "AuthenticationFailed");
  g_clear_error (&error);

  assets = list_assets (client, NULL);
  g_assert_cmpuint (assets->len, ==, 0);
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);

  /* In blocks: the first refused block stops the upload, not retried. */
  {
    g_autoptr(GFile) big = make_file (work, "big.mp4", 1024 * 1024);
    g_autoptr(JgRemoteAsset) none = NULL;
    g_autoptr(GPtrArray) left = NULL;

    _jg_client_set_block_upload (client, 256 * 1024, 128 * 1024);
    none = upload (client, big, NULL, NULL, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_FORBIDDEN);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "block"));
    g_assert_nonnull (strstr (error->message, "big.mp4"));
    g_assert_nonnull (strstr (error->message, "AuthenticationFailed"));
    g_assert_null (strstr (error->message, "sig="));
    g_clear_error (&error);
    _jg_client_set_block_upload (client, 0, 0);

    left = list_assets (client, NULL);
    g_assert_cmpuint (left->len, ==, 0);
    g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
    g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);
  }

  /* A download with a wrong SAS fails the same way and leaves no .part. */
  _jg_client_set_corrupt_sas (client, FALSE);
  good = upload (client, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  _jg_client_set_corrupt_sas (client, TRUE);
  written = download (client, good->id, out, NULL, &error);
  g_assert_null (written);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "AuthenticationFailed"));
  g_assert_null (strstr (error->message, "sig="));
  {
    g_autofree char *out_path = g_file_get_path (out);

    g_assert_cmpuint (count_files (out_path), ==, 0);
  }
  g_assert_cmpuint (count_entities (e, "Locators"), ==, 0);
  g_assert_cmpuint (count_entities (e, "AccessPolicies"), ==, 0);

  remove_tree (work_dir);
}

static void
test_missing_asset (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) missing = g_file_get_child (work_dir, "no-such-file.mp4");
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  /* A file that is not there: nothing is created on the service. */
  asset = upload (client, missing, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assets = list_assets (client, NULL);
  g_assert_cmpuint (assets->len, ==, 0);

  files = list_files (client, "nb:cid:UUID:00000000-0000-0000-0000-000000000000", &error);
  g_assert_null (files);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);

  remove_tree (work_dir);
}

static void
test_redacted_log (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *work = g_dir_make_tmp ("jobgraph-transfer-XXXXXX", NULL);
  g_autoptr(GFile) work_dir = g_file_new_for_path (work);
  g_autoptr(GFile) file = make_file (work, "clip.mp4", 1024);
  g_autoptr(GFile) out = g_file_get_child (work_dir, "out");
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;
  guint blob_lines = 0;

  _jg_client_set_log_http (client, TRUE);
  g_mutex_lock (&log_lock);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&log_lock);

  asset = upload (client, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  written = download (client, asset->id, out, NULL, &error);
  g_assert_no_error (error);

  g_mutex_lock (&log_lock);
  for (guint i = 0; i < log_lines->len; i++)
    {
      const char *line = g_ptr_array_index (log_lines, i);
      const char *sig = strstr (line, "sig=");

      if (strstr (line, "/blob/") != NULL)
        blob_lines++;
      if (sig != NULL)
        g_assert_true (g_str_has_prefix (sig, "sig=[REDACTED]"));
    }
  g_clear_pointer (&log_lines, g_ptr_array_unref);
  g_mutex_unlock (&log_lock);

  /* The PUT and the GET were logged, without their signature. */
  g_assert_cmpuint (blob_lines, >=, 2);

  remove_tree (work_dir);
}

static void
test_redact_uri (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "http://h/blob/a/x?sv=2012-02-12&sr=c&sig=abc%2Bdef%3D&se=1", "http://h/blob/a/x?sv=2012-02-12&sr=c&sig=[REDACTED]&se=1" },
    { "http://h/blob/a/x?sig=abc", "http://h/blob/a/x?sig=[REDACTED]" },
    { "http://h/api/Assets?$top=5", "http://h/api/Assets?$top=5" },
    { "http://h/api/Assets", "http://h/api/Assets" },
    { "http://h/x?design=1&SIG=zz#frag", "http://h/x?design=1&sig=[REDACTED]#frag" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = _jg_client_redact_uri (cases[i].in);

      g_assert_cmpstr (redacted, ==, cases[i].out);
    }
}

static void
test_parse_file (void)
{
  static const char *verbose =
    "{\"d\":{\"__metadata\":{\"uri\":\"x\",\"type\":\"Microsoft.Cloud.Media.Vod.Rest.Data.Models.AssetFile\"},"
    "\"Id\":\"nb:cid:UUID:1\",\"Name\":\"a.mp4\",\"ContentFileSize\":\"9007199254740993\","
    "\"ParentAssetId\":\"nb:cid:UUID:2\",\"IsPrimary\":true,\"MimeType\":\"video/mp4\"}}";
  static const char *light =
    "{\"Id\":\"nb:cid:UUID:1\",\"Name\":\"b.txt\",\"ContentFileSize\":42,\"IsPrimary\":false,\"MimeType\":null}";
  static const char *nameless = "{\"Id\":\"nb:cid:UUID:1\",\"ContentFileSize\":\"x\"}";
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(JsonNode) root = jg_json_parse (verbose, -1, &error);
    JsonObject *object = jg_odata_get_entity (root, &error);
    g_autoptr(JgRemoteFile) file = jg_remote_file_new_from_json (object, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (file->name, ==, "a.mp4");
    /* Past 2^53: no double on the way. */
    g_assert_cmpint (file->size, ==, G_GINT64_CONSTANT (9007199254740993));
    g_assert_true (file->is_primary);
    g_assert_cmpstr (file->mime_type, ==, "video/mp4");
    g_assert_cmpstr (file->parent_asset_id, ==, "nb:cid:UUID:2");
  }

  {
    g_autoptr(JsonNode) root = jg_json_parse (light, -1, &error);
    JsonObject *object = jg_odata_get_entity (root, &error);
    g_autoptr(JgRemoteFile) file = jg_remote_file_new_from_json (object, &error);

    g_assert_no_error (error);
    g_assert_cmpint (file->size, ==, 42);
    g_assert_false (file->is_primary);
    g_assert_null (file->mime_type);
  }

  {
    g_autoptr(JsonNode) root = jg_json_parse (nameless, -1, &error);
    JsonObject *object = jg_odata_get_entity (root, &error);
    g_autoptr(JgRemoteFile) file = jg_remote_file_new_from_json (object, &error);

    g_assert_null (file);
    g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/jobgraph/client/transfer/parse-file", test_parse_file);
  g_test_add_func ("/jobgraph/client/transfer/redact-uri", test_redact_uri);
  g_test_add_func ("/jobgraph/client/transfer/roundtrip", test_roundtrip);
  g_test_add_func ("/jobgraph/client/transfer/named-and-empty", test_named_and_empty);
  g_test_add_func ("/jobgraph/client/transfer/add-files", test_add_files);
  g_test_add_func ("/jobgraph/client/transfer/cancel-upload", test_cancel_upload);
  g_test_add_func ("/jobgraph/client/transfer/blocks", test_blocks);
  g_test_add_func ("/jobgraph/client/transfer/cancel-blocks", test_cancel_blocks);
  g_test_add_func ("/jobgraph/client/transfer/retry-blocks", test_retry_blocks);
  g_test_add_func ("/jobgraph/client/transfer/bad-sas", test_bad_sas);
  g_test_add_func ("/jobgraph/client/transfer/missing", test_missing_asset);
  g_test_add_func ("/jobgraph/client/transfer/redacted-log", test_redacted_log);

  return g_test_run ();
}
