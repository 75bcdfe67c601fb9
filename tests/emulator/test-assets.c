/* test-assets.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "emulator-fixture.h"
#include "emulator-inprocess.h"
#include "jg-emulator.h"
#include "jg-emulator-files.h"

/* Asset files on jobgraph-emulator (issue 6, assets-protocol.md) with raw
 * HTTP: access policies, SAS locators, the blob endpoint and Files. Each
 * test runs its own emulator in process, in a thread with its own main
 * context, like test-emulator.c.
 */

#define BATCH_BOUNDARY     "batch_5d1e7c3a-6f0b-4c55-9a2e-0c9b8f3e1d24"
#define CHANGESET_BOUNDARY "changeset_8a4f2b61-3c7d-4e09-b1a5-7d2e6c9f0b38"

#define PERMISSION_READ  1
#define PERMISSION_WRITE 2

/* Asset tests run with two workers, and a token from the ACS endpoint. */
static Emulator *
emulator_new (const EmulatorSetup *setup)
{
  EmulatorSetup with_workers = setup ? *setup : (EmulatorSetup){ 0 };
  Emulator     *e;

  with_workers.workers = 2;
  e = emulator_try_new (&with_workers, NULL);
  g_assert_no_error (e->error);
  e->http.token = http_fetch_token (&e->http, KEY);

  return e;
}

/* Helpers */

static GBytes *
make_data (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8)((i * 2654435761u) >> 13);

  return g_bytes_new_take (data, size);
}

static char *
post_id (Emulator   *e,
         const char *set,
         const char *body,
         int         flags)
{
  g_autoptr(Reply) reply = api (&e->http, "POST", set, body, flags);

  g_assert_no_error (reply->error);
  if (reply->status != 201)
    g_error ("POST %s: %u %s", set, reply->status, reply->body);

  return g_strdup (json_object_get_string_member (reply_entity (reply), "Id"));
}

static char *
create_asset (Emulator   *e,
              const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"Name\":\"%s\"}", name);

  return post_id (e, "Assets", body, 0);
}

static char *
create_policy (Emulator *e,
               int       permissions,
               double    minutes)
{
  g_autofree char *body = g_strdup_printf ("{\"Name\":\"Policy\",\"DurationInMinutes\":\"%g\",\"Permissions\":%d}",
                                           minutes, permissions);

  return post_id (e, "AccessPolicies", body, REQUEST_VERBOSE);
}

typedef struct
{
  char *id;
  char *base_uri;
  char *component;
} Locator;

static void
locator_free (Locator *locator)
{
  g_free (locator->id);
  g_free (locator->base_uri);
  g_free (locator->component);
  g_free (locator);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Locator, locator_free)

static Locator *
create_locator_at (Emulator   *e,
                   const char *asset_id,
                   const char *policy_id,
                   const char *start_time)
{
  g_autofree char *start = start_time ? g_strdup_printf (",\"StartTime\":\"%s\"", start_time) : g_strdup ("");
  g_autofree char *body = g_strdup_printf ("{\"AccessPolicyId\":\"%s\",\"AssetId\":\"%s\",\"Type\":1%s}",
                                           policy_id, asset_id, start);
  g_autoptr(Reply) reply = api (&e->http, "POST", "Locators", body, REQUEST_VERBOSE);
  g_autofree char *path = NULL;
  JsonObject      *entity;
  Locator         *locator;

  g_assert_no_error (reply->error);
  if (reply->status != 201)
    g_error ("POST Locators: %u %s", reply->status, reply->body);

  entity = reply_entity (reply);
  locator = g_new0 (Locator, 1);
  locator->id = g_strdup (json_object_get_string_member (entity, "Id"));
  locator->base_uri = g_strdup (json_object_get_string_member (entity, "BaseUri"));
  locator->component = g_strdup (json_object_get_string_member (entity, "ContentAccessComponent"));

  path = g_strconcat (locator->base_uri, locator->component, NULL);
  g_assert_cmpstr (json_object_get_string_member (entity, "Path"), ==, path);
  g_assert_cmpint (json_object_get_int_member (entity, "Type"), ==, 1);
  g_assert_true (g_str_has_prefix (locator->base_uri, e->http.root));
  g_assert_nonnull (strstr (locator->base_uri, "/blob/asset-"));
  g_assert_true (g_str_has_prefix (locator->component, "?sv=2012-02-12&sr=c&si="));

  return locator;
}

static Locator *
create_locator (Emulator   *e,
                const char *asset_id,
                int         permissions)
{
  g_autofree char *policy_id = create_policy (e, permissions, 60);

  return create_locator_at (e, asset_id, policy_id, NULL);
}

static char *
blob_uri (Locator    *locator,
          const char *escaped_name)
{
  return g_strdup_printf ("%s/%s%s", locator->base_uri, escaped_name, locator->component);
}

/* A blob request: no bearer token, the SAS is in the URI. */
static Reply *
blob_send (Emulator   *e,
           const char *method,
           const char *uri,
           GBytes     *body,
           gboolean    with_type)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;
  Reply              *reply = g_new0 (Reply, 1);

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "x-ms-version", "2012-02-12");
  if (with_type)
    soup_message_headers_replace (headers, "x-ms-blob-type", "BlockBlob");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);

  bytes = soup_session_send_and_read (e->http.session, msg, NULL, &reply->error);
  if (bytes == NULL)
    return reply;

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->length = g_bytes_get_size (bytes);
  reply->body = g_malloc (reply->length + 1);
  if (reply->length > 0)
    memcpy (reply->body, g_bytes_get_data (bytes, NULL), reply->length);
  reply->body[reply->length] = '\0';

  return reply;
}

static void
assert_blob_error (Reply      *reply,
                   guint       status,
                   const char *code)
{
  g_autofree char *element = g_strdup_printf ("<Code>%s</Code>", code);

  g_assert_no_error (reply->error);
  if (reply->status != status)
    g_error ("Expected %u %s, got %u %s", status, code, reply->status, reply->body);
  g_assert_nonnull (strstr (soup_message_headers_get_content_type (reply->headers, NULL), "xml"));
  g_assert_true (g_str_has_prefix (reply->body, "<?xml"));
  g_assert_nonnull (strstr (reply->body, element));
}

static void
put_blob (Emulator   *e,
          Locator    *locator,
          const char *name,
          GBytes     *data)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *uri = blob_uri (locator, escaped);
  g_autoptr(Reply) reply = blob_send (e, "PUT", uri, data, TRUE);

  g_assert_no_error (reply->error);
  if (reply->status != 201)
    g_error ("PUT %s: %u %s", uri, reply->status, reply->body);
  g_assert_nonnull (soup_message_headers_get_one (reply->headers, "ETag"));
  g_assert_nonnull (soup_message_headers_get_one (reply->headers, "x-ms-request-id"));
}

static Reply *
post_file (Emulator   *e,
           const char *asset_id,
           const char *name,
           gboolean    primary)
{
  g_autofree char *body = g_strdup_printf ("{\"IsEncrypted\":\"false\",\"IsPrimary\":\"%s\",\"MimeType\":\"video/mp4\","
                                           "\"Name\":\"%s\",\"ParentAssetId\":\"%s\"}",
                                           primary ? "true" : "false", name, asset_id);

  return api (&e->http, "POST", "Files", body, REQUEST_VERBOSE);
}

static void
delete_ok (Emulator   *e,
           const char *set,
           const char *id)
{
  g_autofree char *escaped = escape_id (id);
  g_autofree char *path = g_strdup_printf ("%s('%s')", set, escaped);
  g_autoptr(Reply) reply = api (&e->http, "DELETE", path, NULL, 0);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 204);
}

static char *
asset_dir (Emulator   *e,
           const char *asset_id)
{
  return jg_emulator_files_dup_asset_dir (e->data_dir, asset_id);
}

static guint
count (Emulator   *e,
       const char *path)
{
  g_autoptr(Reply) reply = api (&e->http, "GET", path, NULL, 0);

  g_assert_cmpuint (reply->status, ==, 200);

  return json_array_get_length (reply_collection (reply));
}

/* Tests */

static void
test_upload_flow (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(GBytes) data = make_data (300 * 1024 + 7);
  g_autofree char *asset_id = create_asset (e, "clip");
  g_autofree char *escaped = escape_id (asset_id);
  g_autofree char *write_policy = create_policy (e, PERMISSION_WRITE, 440);
  g_autoptr(Locator) writer = create_locator_at (e, asset_id, write_policy, NULL);
  g_autoptr(Locator) reader = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) listed = NULL;
  g_autoptr(Reply) light = NULL;
  g_autoptr(Reply) forbidden = NULL;
  g_autoptr(Reply) got = NULL;
  g_autoptr(Reply) service = NULL;
  g_autoptr(Reply) policy = NULL;
  g_autofree char *file_id = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size = NULL;
  JsonObject      *file;

  /* The policy as the spec writes it: DurationInMinutes as a string. */
  path = g_strdup_printf ("AccessPolicies('%s')", write_policy);
  policy = api (&e->http, "GET", path, NULL, REQUEST_VERBOSE);
  g_assert_cmpuint (policy->status, ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (reply_entity (policy), "DurationInMinutes"), ==, 440);
  g_assert_cmpint (json_object_get_int_member (reply_entity (policy), "Permissions"), ==, PERMISSION_WRITE);
  g_clear_pointer (&path, g_free);

  put_blob (e, writer, "clip.mp4", data);

  created = post_file (e, asset_id, "clip.mp4", TRUE);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_nonnull (soup_message_headers_get_one (created->headers, "Location"));
  file = reply_entity (created);
  file_id = g_strdup (json_object_get_string_member (file, "Id"));
  g_assert_true (g_str_has_prefix (file_id, "nb:cid:UUID:"));
  size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (data));
  /* Edm.Int64 is a string in verbose JSON. */
  g_assert_cmpstr (json_object_get_string_member (file, "ContentFileSize"), ==, size);
  g_assert_cmpstr (json_object_get_string_member (file, "Name"), ==, "clip.mp4");
  g_assert_cmpstr (json_object_get_string_member (file, "ParentAssetId"), ==, asset_id);
  g_assert_cmpstr (json_object_get_string_member (file, "MimeType"), ==, "video/mp4");
  g_assert_true (json_object_get_boolean_member (file, "IsPrimary"));
  g_assert_false (json_object_get_boolean_member (file, "IsEncrypted"));
  g_assert_true (json_object_get_null_member (file, "EncryptionScheme"));

  path = g_strdup_printf ("Assets('%s')/Files", escaped);
  listed = api (&e->http, "GET", path, NULL, 0);
  g_assert_cmpuint (listed->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (reply_collection (listed)), ==, 1);
  g_clear_pointer (&path, g_free);

  path = g_strdup_printf ("Files('%s')", file_id);
  light = api (&e->http, "GET", path, NULL, 0);
  g_assert_cmpuint (light->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply_entity (light), "ContentFileSize"), ==, g_bytes_get_size (data));
  g_clear_pointer (&path, g_free);

  path = g_strdup_printf ("Assets('%s')/Locators", escaped);
  g_assert_cmpuint (count (e, path), ==, 1);

  /* A write SAS does not read. */
  uri = blob_uri (writer, "clip.mp4");
  forbidden = blob_send (e, "GET", uri, NULL, FALSE);
  assert_blob_error (forbidden, 403, "AuthorizationPermissionMismatch");
  g_clear_pointer (&uri, g_free);

  delete_ok (e, "Locators", writer->id);
  delete_ok (e, "AccessPolicies", write_policy);
  g_assert_cmpuint (count (e, path), ==, 0);

  /* Download: the same bytes. */
  reader = create_locator (e, asset_id, PERMISSION_READ);
  uri = blob_uri (reader, "clip.mp4");
  got = blob_send (e, "GET", uri, NULL, FALSE);
  g_assert_no_error (got->error);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (got->headers, NULL), ==, "video/mp4");
  g_assert_cmpmem (got->body, got->length, g_bytes_get_data (data, NULL), g_bytes_get_size (data));

  service = api (&e->http, "GET", "", NULL, REQUEST_VERBOSE);
  g_assert_nonnull (strstr (service->body, "\"Files\""));
  g_assert_nonnull (strstr (service->body, "\"Locators\""));
  g_assert_nonnull (strstr (service->body, "\"AccessPolicies\""));
}

static void
test_sas (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(GBytes) data = make_data (1000);
  g_autofree char *asset_id = create_asset (e, "sas");
  g_autofree char *other_id = create_asset (e, "other");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autoptr(Locator) other = create_locator (e, other_id, PERMISSION_WRITE);
  g_autoptr(Locator) expired = NULL;
  g_autoptr(Reply) bad_sig = NULL;
  g_autoptr(Reply) no_sas = NULL;
  g_autoptr(Reply) wrong_container = NULL;
  g_autoptr(Reply) no_type = NULL;
  g_autoptr(Reply) late = NULL;
  g_autoptr(Reply) deleted = NULL;
  g_autoptr(Reply) on_demand = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -2);
  g_autofree char *past_text = g_date_time_format_iso8601 (past);
  g_autofree char *policy_id = create_policy (e, PERMISSION_WRITE, 1);
  g_autofree char *uri = blob_uri (writer, "a.bin");
  g_autofree char *tampered = g_strdup (uri);
  g_autofree char *bare = g_strdup_printf ("%s/a.bin", writer->base_uri);
  g_autofree char *swapped = g_strdup_printf ("%s/a.bin%s", writer->base_uri, other->component);
  g_autofree char *dir = asset_dir (e, asset_id);
  g_autofree char *file = g_build_filename (dir, "a.bin", NULL);
  g_autofree char *on_demand_body = NULL;
  char            *sig;

  /* One character of the signature changed. */
  sig = strstr (tampered, "&sig=") + strlen ("&sig=");
  *sig = *sig == 'A' ? 'B' : 'A';
  bad_sig = blob_send (e, "PUT", tampered, data, TRUE);
  assert_blob_error (bad_sig, 403, "AuthenticationFailed");

  no_sas = blob_send (e, "PUT", bare, data, TRUE);
  assert_blob_error (no_sas, 403, "AuthenticationFailed");

  wrong_container = blob_send (e, "PUT", swapped, data, TRUE);
  assert_blob_error (wrong_container, 403, "AuthenticationFailed");

  no_type = blob_send (e, "PUT", uri, data, FALSE);
  assert_blob_error (no_type, 400, "MissingRequiredHeader");
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));

  /* A 1-minute policy that started two hours ago. */
  expired = create_locator_at (e, asset_id, policy_id, past_text);
  g_clear_pointer (&uri, g_free);
  uri = blob_uri (expired, "a.bin");
  late = blob_send (e, "PUT", uri, data, TRUE);
  assert_blob_error (late, 403, "AuthenticationFailed");

  /* Deleting the locator revokes its SAS. */
  g_clear_pointer (&uri, g_free);
  uri = blob_uri (writer, "a.bin");
  put_blob (e, writer, "a.bin", data);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  delete_ok (e, "Locators", writer->id);
  deleted = blob_send (e, "PUT", uri, data, TRUE);
  assert_blob_error (deleted, 403, "AuthenticationFailed");

  on_demand_body = g_strdup_printf ("{\"AccessPolicyId\":\"%s\",\"AssetId\":\"%s\",\"Type\":2}", policy_id, asset_id);
  on_demand = api (&e->http, "POST", "Locators", on_demand_body, 0);
  g_assert_cmpuint (on_demand->status, ==, 400);
  g_assert_nonnull (strstr (reply_error (on_demand), "Local service"));
}

static void
test_locator_limit (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autofree char *asset_id = create_asset (e, "many");
  g_autofree char *policy_id = create_policy (e, PERMISSION_READ, 30);
  g_autofree char *body = g_strdup_printf ("{\"AccessPolicyId\":\"%s\",\"AssetId\":\"%s\",\"Type\":1}",
                                           policy_id, asset_id);
  g_autoptr(Reply) sixth = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Locator) locator = create_locator_at (e, asset_id, policy_id, NULL);
    }

  sixth = api (&e->http, "POST", "Locators", body, 0);
  g_assert_cmpuint (sixth->status, ==, 409);
}

static void
test_hostile_names (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(GBytes) data = make_data (100);
  g_autofree char *asset_id = create_asset (e, "hostile");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autofree char         *blobs = g_build_filename (e->data_dir, "blobs", NULL);
  g_autofree char         *outside = g_build_filename (e->data_dir, "blobs", "x", NULL);
  g_autofree char         *outside2 = g_build_filename (e->data_dir, "x", NULL);
  g_autofree char         *dir = asset_dir (e, asset_id);
  static const char *const names[] = { "..%2Fx", "a%2Fb", "%2E%2E", "..", "x.part", "a%00b", "%2Fx" };
  g_autoptr(Reply) file = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *uri = blob_uri (writer, names[i]);
      g_autoptr(Reply) reply = blob_send (e, "PUT", uri, data, TRUE);

      g_test_message ("PUT %s → %u", names[i], reply->status);
      g_assert_no_error (reply->error);
      g_assert_cmpuint (reply->status, >=, 400);
      g_assert_cmpuint (reply->status, <, 500);
    }

  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (outside2, G_FILE_TEST_EXISTS));
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);

      g_assert_null (g_dir_read_name (handle));
    }

  /* A File cannot name one either. */
  file = post_file (e, asset_id, "../x", FALSE);
  g_assert_cmpuint (file->status, ==, 400);
}

static void
test_conflicts (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(GBytes) data = make_data (10);
  g_autofree char *asset_id = create_asset (e, "two");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) case_again = NULL;
  g_autoptr(Reply) second_primary = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) no_blob = NULL;
  g_autoptr(Reply) merge = NULL;
  g_autoptr(Reply) merge_ok = NULL;
  g_autofree char *path = NULL;

  put_blob (e, writer, "a.mp4", data);
  put_blob (e, writer, "b.mp4", data);

  first = post_file (e, asset_id, "a.mp4", TRUE);
  g_assert_cmpuint (first->status, ==, 201);

  again = post_file (e, asset_id, "a.mp4", FALSE);
  g_assert_cmpuint (again->status, ==, 409);
  case_again = post_file (e, asset_id, "A.MP4", FALSE);
  g_assert_cmpuint (case_again->status, ==, 409);

  second_primary = post_file (e, asset_id, "b.mp4", TRUE);
  g_assert_cmpuint (second_primary->status, ==, 409);

  second = post_file (e, asset_id, "b.mp4", FALSE);
  g_assert_cmpuint (second->status, ==, 201);

  no_blob = post_file (e, asset_id, "c.mp4", FALSE);
  g_assert_cmpuint (no_blob->status, ==, 400);
  g_assert_nonnull (strstr (reply_error (no_blob), "upload the blob before creating its File"));

  path = g_strdup_printf ("Files('%s')", json_object_get_string_member (reply_entity (second), "Id"));
  merge = api (&e->http, "MERGE", path, "{\"IsPrimary\":true}", 0);
  g_assert_cmpuint (merge->status, ==, 409);
  merge_ok = api (&e->http, "MERGE", path, "{\"MimeType\":\"video/webm\"}", 0);
  g_assert_cmpuint (merge_ok->status, ==, 204);

  /* The query options work on Files like on the other sets. */
  {
    g_autofree char *escaped = escape_id (asset_id);
    g_autofree char *query = g_strdup_printf ("Assets('%s')/Files?$filter=IsPrimary%%20eq%%20true", escaped);
    g_autoptr(Reply) ordered = api (&e->http, "GET", "Files?$orderby=Name%20desc,IsEncrypted,Options&$top=1", NULL, 0);

    g_assert_cmpuint (count (e, query), ==, 1);
    g_assert_cmpuint (ordered->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reply_collection (ordered), 0), "Name"),
                     ==, "b.mp4");
  }

  /* A List SAS enumerates the container. */
  {
    g_autoptr(Locator) lister = create_locator (e, asset_id, 8);
    g_autofree char *uri = g_strdup_printf ("%s%s&restype=container&comp=list", lister->base_uri, lister->component);
    g_autoptr(Reply) list = blob_send (e, "GET", uri, NULL, FALSE);

    g_assert_cmpuint (list->status, ==, 200);
    g_assert_nonnull (strstr (list->body, "<EnumerationResults>"));
    g_assert_nonnull (strstr (list->body, "<Name>a.mp4</Name>"));
    g_assert_nonnull (strstr (list->body, "<Name>b.mp4</Name>"));
    g_assert_nonnull (strstr (list->body, "<Content-Length>10</Content-Length>"));
  }

  delete_ok (e, "Files", json_object_get_string_member (reply_entity (second), "Id"));
  {
    g_autofree char *dir = asset_dir (e, asset_id);
    g_autofree char *b = g_build_filename (dir, "b.mp4", NULL);

    g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
  }
}

static void
test_create_file_infos (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(GBytes) data = make_data (77);
  g_autofree char *asset_id = create_asset (e, "sdk");
  g_autofree char *escaped = escape_id (asset_id);
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autofree char *path = g_strdup_printf ("CreateFileInfos?assetid='%s'", escaped);
  g_autofree char *files_path = g_strdup_printf ("Assets('%s')/Files", escaped);
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) files = NULL;
  JsonObject *file;

  put_blob (e, writer, "movie.mp4", data);

  first = api (&e->http, "GET", path, NULL, 0);
  g_assert_cmpuint (first->status, ==, 204);
  again = api (&e->http, "GET", path, NULL, 0);
  g_assert_cmpuint (again->status, ==, 204);

  files = api (&e->http, "GET", files_path, NULL, 0);
  g_assert_cmpuint (files->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (reply_collection (files)), ==, 1);
  file = json_array_get_object_element (reply_collection (files), 0);
  g_assert_cmpstr (json_object_get_string_member (file, "Name"), ==, "movie.mp4");
  g_assert_cmpint (json_object_get_int_member (file, "ContentFileSize"), ==, 77);
  g_assert_true (json_object_get_boolean_member (file, "IsPrimary"));
}

static char *
find_part (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (jg_emulator_files_is_temporary_name (name))
      return g_strdup (name);

  return NULL;
}

static void
test_dropped_upload (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autofree char *asset_id = create_asset (e, "dropped");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) base = g_uri_parse (writer->base_uri, G_URI_FLAGS_ENCODED, &error);
  g_autoptr(GBytes) data = make_data (200 * 1024);
  g_autofree char *dir = asset_dir (e, asset_id);
  g_autofree char *final = g_build_filename (dir, "big.bin", NULL);
  g_autofree char *head = NULL;
  g_autofree char *part = NULL;
  GOutputStream   *out;
  gint64           deadline;

  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", jg_emulator_get_port (e->emulator), NULL, &error);
  g_assert_no_error (error);

  head = g_strdup_printf ("PUT %s/big.bin%s HTTP/1.1\r\nHost: 127.0.0.1\r\nx-ms-blob-type: BlockBlob\r\n"
                          "x-ms-version: 2012-02-12\r\nContent-Length: 10000000\r\n\r\n",
                          g_uri_get_path (base), writer->component);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, g_bytes_get_data (data, NULL), g_bytes_get_size (data), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (out, NULL, NULL);

  /* The bytes go to a .part while they come. */
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;
  while ((part = find_part (dir)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  while ((part = (g_free (part), find_part (dir))) != NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }

  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
}

/* Blocks */

static char *make_data_dir (void);

static char *
block_id (const char *id)
{
  g_autofree char *base64 = g_base64_encode ((const guchar *)id, strlen (id));

  return g_uri_escape_string (base64, NULL, FALSE);
}

static Reply *
put_block (Emulator   *e,
           Locator    *locator,
           const char *name,
           const char *id,
           GBytes     *data)
{
  g_autofree char *escaped_id = block_id (id);
  g_autofree char *uri = g_strdup_printf ("%s/%s%s&comp=block&blockid=%s", locator->base_uri, name,
                                          locator->component, escaped_id);

  return blob_send (e, "PUT", uri, data, FALSE);
}

static void
put_block_ok (Emulator   *e,
              Locator    *locator,
              const char *name,
              const char *id,
              GBytes     *data)
{
  g_autoptr(Reply) reply = put_block (e, locator, name, id, data);

  g_assert_no_error (reply->error);
  if (reply->status != 201)
    g_error ("Put Block %s: %u %s", id, reply->status, reply->body);
  g_assert_nonnull (soup_message_headers_get_one (reply->headers, "x-ms-request-id"));
}

/* @list: "L:id", "U:id" or "C:id" for Latest, Uncommitted, Committed */
static Reply *
put_block_list (Emulator          *e,
                Locator           *locator,
                const char        *name,
                const char *const *list)
{
  g_autofree char *uri = g_strdup_printf ("%s/%s%s&comp=blocklist", locator->base_uri, name, locator->component);
  GString         *xml = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<BlockList>\n");
  g_autoptr(GBytes) body = NULL;

  for (guint i = 0; list[i] != NULL; i++)
    {
      const char      *element = list[i][0] == 'L' ? "Latest" : list[i][0] == 'U' ? "Uncommitted"
                                                                                  : "Committed";
      g_autofree char *base64 = g_base64_encode ((const guchar *)list[i] + 2, strlen (list[i] + 2));

      g_string_append_printf (xml, "  <%s>%s</%s>\n", element, base64, element);
    }
  g_string_append (xml, "</BlockList>");
  body = g_string_free_to_bytes (xml);

  return blob_send (e, "PUT", uri, body, FALSE);
}

static GBytes *
get_blob (Emulator   *e,
          Locator    *reader,
          const char *name)
{
  g_autofree char *uri = blob_uri (reader, name);
  g_autoptr(Reply) reply = blob_send (e, "GET", uri, NULL, FALSE);

  g_assert_no_error (reply->error);
  if (reply->status != 200)
    g_error ("GET %s: %u %s", uri, reply->status, reply->body);

  return g_bytes_new (reply->body, reply->length);
}

/* Whether the asset's folder holds staged blocks or temporary files. */
static gboolean
has_staging (const char *dir)
{
  g_autofree char *blocks = g_build_filename (dir, ".blocks", NULL);
  g_autofree char *part = find_part (dir);

  return part != NULL || g_file_test (blocks, G_FILE_TEST_EXISTS);
}

/* How many blobs have blocks staged. */
static guint
count_staged (const char *dir)
{
  g_autofree char *blocks = g_build_filename (dir, ".blocks", NULL);
  g_autoptr(GDir) handle = g_dir_open (blocks, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;

  return n;
}

static void
test_blocks (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autofree char *asset_id = create_asset (e, "blocks");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autoptr(Locator) reader = create_locator (e, asset_id, PERMISSION_READ);
  g_autofree char *dir = asset_dir (e, asset_id);
  g_autofree char *blob = g_build_filename (dir, "movie.mp4", NULL);
  g_autoptr(GBytes) first = make_data (300 * 1024 + 1);
  g_autoptr(GBytes) second = make_data (70 * 1024 + 5);
  g_autoptr(GBytes) third = make_data (1024 * 1024 + 3);
  g_autoptr(GBytes) dropped = make_data (10);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(Reply) committed = NULL;
  g_autoptr(Reply) created = NULL;
  const char *list[] = { "L:block-000", "U:block-002", "L:block-001", NULL };

  put_block_ok (e, writer, "movie.mp4", "block-000", first);
  put_block_ok (e, writer, "movie.mp4", "block-001", second);
  put_block_ok (e, writer, "movie.mp4", "block-002", third);
  put_block_ok (e, writer, "movie.mp4", "block-003", dropped);

  /* Blocks are no blob until their list is in. */
  g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
  g_assert_true (has_staging (dir));

  committed = put_block_list (e, writer, "movie.mp4", list);
  g_assert_no_error (committed->error);
  if (committed->status != 201)
    g_error ("Put Block List: %u %s", committed->status, committed->body);
  g_assert_nonnull (soup_message_headers_get_one (committed->headers, "ETag"));

  /* The bytes in list order, not upload order; block-003 is gone. */
  g_byte_array_append (expected, g_bytes_get_data (first, NULL), g_bytes_get_size (first));
  g_byte_array_append (expected, g_bytes_get_data (third, NULL), g_bytes_get_size (third));
  g_byte_array_append (expected, g_bytes_get_data (second, NULL), g_bytes_get_size (second));
  got = get_blob (e, reader, "movie.mp4");
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), expected->data, expected->len);

  g_assert_false (has_staging (dir));

  /* The File takes the committed size. */
  created = post_file (e, asset_id, "movie.mp4", TRUE);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpint (g_ascii_strtoll (json_object_get_string_member (reply_entity (created), "ContentFileSize"), NULL,
                                    10),
                   ==, expected->len);
}

static void
test_block_errors (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autofree char *asset_id = create_asset (e, "bad-blocks");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autoptr(Locator) reader = create_locator (e, asset_id, PERMISSION_READ);
  g_autofree char *dir = asset_dir (e, asset_id);
  g_autofree char *blob = g_build_filename (dir, "a.bin", NULL);
  g_autoptr(GBytes) data = make_data (1000);
  const char *unknown[] = { "L:id-1", "L:id-9", NULL };
  const char *mixed[] = { "L:id-1", "L:id-10", NULL };
  const char *committed[] = { "C:id-1", NULL };
  const char *good[] = { "L:id-1", NULL };

  put_block_ok (e, writer, "a.bin", "id-1", data);

  /* An id of another length than the blob's first block. */
  {
    g_autoptr(Reply) reply = put_block (e, writer, "a.bin", "id-10", data);

    assert_blob_error (reply, 400, "InvalidBlobOrBlock");
  }

  /* A block list with an id that was never put. */
  {
    g_autoptr(Reply) reply = put_block_list (e, writer, "a.bin", unknown);

    assert_blob_error (reply, 400, "InvalidBlockList");
    g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
  }

  /* A block list whose ids have two lengths. */
  {
    g_autoptr(Reply) reply = put_block_list (e, writer, "a.bin", mixed);

    assert_blob_error (reply, 400, "InvalidBlobOrBlock");
  }

  /* The emulator keeps no committed blocks. */
  {
    g_autoptr(Reply) reply = put_block_list (e, writer, "a.bin", committed);

    assert_blob_error (reply, 400, "InvalidBlockList");
  }

  /* Not base64, and more than 64 bytes. */
  {
    g_autofree char *uri = g_strdup_printf ("%s/a.bin%s&comp=block&blockid=%%21%%21", writer->base_uri,
                                            writer->component);
    g_autoptr(Reply) reply = blob_send (e, "PUT", uri, data, FALSE);

    assert_blob_error (reply, 400, "InvalidQueryParameterValue");
  }
  {
    g_autofree char *long_id = g_strnfill (65, 'x');
    g_autoptr(Reply) reply = put_block (e, writer, "b.bin", long_id, data);

    assert_blob_error (reply, 400, "InvalidQueryParameterValue");
  }

  /* A list that is not XML, or not a BlockList. */
  {
    g_autofree char *uri = g_strdup_printf ("%s/a.bin%s&comp=blocklist", writer->base_uri, writer->component);
    g_autoptr(GBytes) body = g_bytes_new_static ("<BlockList><Latest>", 19);
    g_autoptr(GBytes) other = g_bytes_new_static ("<Blocks><Latest>aWQtMQ==</Latest></Blocks>", 42);
    g_autoptr(Reply) reply = blob_send (e, "PUT", uri, body, FALSE);
    g_autoptr(Reply) reply_other = blob_send (e, "PUT", uri, other, FALSE);

    assert_blob_error (reply, 400, "InvalidXmlDocument");
    assert_blob_error (reply_other, 400, "InvalidXmlDocument");
  }

  /* The SAS needs w, as for a PUT. */
  {
    g_autoptr(Reply) reply = put_block (e, reader, "a.bin", "id-2", data);
    g_autoptr(Reply) list = put_block_list (e, reader, "a.bin", good);

    assert_blob_error (reply, 403, "AuthorizationPermissionMismatch");
    assert_blob_error (list, 403, "AuthorizationPermissionMismatch");
  }

  /* A whole blob discards the blocks staged for its name. */
  {
    g_autoptr(GBytes) whole = make_data (10);
    g_autoptr(GBytes) got = NULL;
    gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;

    put_block_ok (e, writer, "c.bin", "id-1", data);
    put_blob (e, writer, "c.bin", whole);
    got = get_blob (e, reader, "c.bin");
    g_assert_true (g_bytes_equal (got, whole));

    /* In a worker thread; a.bin's block stays. */
    while (count_staged (dir) != 1)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (2000);
      }
  }

  /* The failures left the staged block, which still commits. */
  {
    g_autoptr(Reply) reply = put_block_list (e, writer, "a.bin", good);
    g_autoptr(GBytes) got = NULL;

    g_assert_cmpuint (reply->status, ==, 201);
    got = get_blob (e, reader, "a.bin");
    g_assert_true (g_bytes_equal (got, data));
    g_assert_false (has_staging (dir));
  }
}

typedef struct
{
  char   *uri;
  GBytes *data;
  guint   status;
} ConcurrentPut;

static gpointer
concurrent_put_thread (gpointer user_data)
{
  ConcurrentPut *put = user_data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", put->uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "x-ms-blob-type", "BlockBlob");
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", put->data);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  put->status = soup_message_get_status (msg);

  return NULL;
}

static void
test_concurrent_uploads (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autofree char *asset_id = create_asset (e, "race");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autoptr(Locator) reader = create_locator (e, asset_id, PERMISSION_READ);
  g_autofree char *dir = asset_dir (e, asset_id);
  g_autoptr(GBytes) one = make_data (4 * 1024 * 1024);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GBytes) other = NULL;
  ConcurrentPut puts[2];
  GThread      *threads[2];

  /* Same length, different bytes: neither can pass for a mix. */
  {
    guint8 *bytes = g_memdup2 (g_bytes_get_data (one, NULL), g_bytes_get_size (one));

    for (gsize i = 0; i < g_bytes_get_size (one); i++)
      bytes[i] ^= 0x5a;
    other = g_bytes_new_take (bytes, g_bytes_get_size (one));
  }

  for (guint i = 0; i < G_N_ELEMENTS (puts); i++)
    {
      puts[i].uri = blob_uri (writer, "same.bin");
      puts[i].data = i == 0 ? one : other;
      puts[i].status = 0;
      threads[i] = g_thread_new ("put", concurrent_put_thread, &puts[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (puts); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (puts[i].status, ==, 201);
      g_free (puts[i].uri);
    }

  got = get_blob (e, reader, "same.bin");
  g_assert_true (g_bytes_equal (got, one) || g_bytes_equal (got, other));
  g_assert_false (has_staging (dir));
}

static void
test_sweep (void)
{
  g_autofree char *data_dir = make_data_dir ();
  EmulatorSetup    setup = { .data_dir = data_dir };
  g_autofree char *dir = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *part = NULL;
  g_autofree char *block = NULL;

  {
    g_autoptr(Emulator) e = emulator_new (&setup);
    g_autofree char *asset_id = create_asset (e, "leftovers");
    g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
    g_autoptr(GBytes) data = make_data (100);

    put_blob (e, writer, "kept.bin", data);
    put_block_ok (e, writer, "later.bin", "block-1", data);
    dir = asset_dir (e, asset_id);
  }

  /* What a crash leaves. */
  kept = g_build_filename (dir, "kept.bin", NULL);
  part = g_build_filename (dir, "kept.bin.part-0123456789abcdef", NULL);
  g_assert_true (g_file_set_contents (part, "half", -1, NULL));
  g_assert_true (has_staging (dir));

  {
    g_autoptr(Emulator) e = emulator_new (&setup);

    g_assert_false (has_staging (dir));
    g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  }

  remove_tree (data_dir);
}

static void
test_asset_delete (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(GBytes) data = make_data (4096);
  g_autofree char *asset_id = create_asset (e, "gone");
  g_autoptr(Locator) writer = create_locator (e, asset_id, PERMISSION_WRITE);
  g_autofree char *dir = asset_dir (e, asset_id);
  g_autoptr(Reply) file = NULL;

  put_blob (e, writer, "gone.mp4", data);
  file = post_file (e, asset_id, "gone.mp4", TRUE);
  g_assert_cmpuint (file->status, ==, 201);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  delete_ok (e, "Assets", asset_id);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count (e, "Files"), ==, 0);
  g_assert_cmpuint (count (e, "Locators"), ==, 0);
}

static char *
make_data_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("jobgraph-assets-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
test_seeded (void)
{
  g_autofree char *data_dir = make_data_dir ();
  g_autofree char *assets = g_build_filename (data_dir, "assets", NULL);
  g_autofree char *original = g_build_filename (assets, "seed.mp4", NULL);
  g_autofree char *db_path = g_build_filename (data_dir, "emulator.db", NULL);
  EmulatorSetup    setup = { .data_dir = data_dir };
  g_autofree char *asset_id = NULL;
  g_autofree char *locator_id = NULL;
  sqlite3         *db = NULL;

  write_file (assets, "seed.mp4", 1234);

  {
    g_autoptr(Emulator) e = emulator_new (&setup);
    g_autofree char *escaped = NULL;
    g_autofree char *path = NULL;
    g_autoptr(Reply) files = NULL;
    g_autoptr(Locator) reader = NULL;
    g_autoptr(Reply) got = NULL;
    g_autofree char *uri = NULL;
    JsonObject      *file;

    asset_id = find_asset_id (&e->http, "seed.mp4");
    escaped = escape_id (asset_id);
    path = g_strdup_printf ("Assets('%s')/Files", escaped);
    files = api (&e->http, "GET", path, NULL, REQUEST_VERBOSE);
    g_assert_cmpuint (files->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (reply_collection (files)), ==, 1);
    file = json_array_get_object_element (reply_collection (files), 0);
    g_assert_cmpstr (json_object_get_string_member (file, "Name"), ==, "seed.mp4");
    g_assert_cmpstr (json_object_get_string_member (file, "ContentFileSize"), ==, "1234");
    g_assert_true (json_object_get_boolean_member (file, "IsPrimary"));

    reader = create_locator (e, asset_id, PERMISSION_READ);
    locator_id = g_strdup (reader->id);
    uri = blob_uri (reader, "seed.mp4");
    got = blob_send (e, "GET", uri, NULL, FALSE);
    g_assert_cmpuint (got->status, ==, 200);
    g_assert_cmpuint (got->length, ==, 1234);
  }

  /* An asset seeded before Files existed gets its File on the next start. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM files", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr(Emulator) e = emulator_new (&setup);

    g_assert_cmpuint (count (e, "Files"), ==, 1);

    /* A locator's URIs follow the port of this run. */
    {
      g_autofree char *escaped = escape_id (locator_id);
      g_autofree char *path = g_strdup_printf ("Locators('%s')", escaped);
      g_autoptr(Reply) locator = api (&e->http, "GET", path, NULL, 0);

      g_assert_cmpuint (locator->status, ==, 200);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (reply_entity (locator), "BaseUri"), e->http.root));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (reply_entity (locator), "Path"), e->http.root));
    }

    /* Deleting a seeded asset leaves the user's file alone. */
    delete_ok (e, "Assets", asset_id);
    g_assert_true (g_file_test (original, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpuint (count (e, "Files"), ==, 0);
  }

  remove_tree (data_dir);
}

static void
test_job_needs_file (void)
{
  EmulatorSetup setup = { .encode = TRUE };
  g_autoptr(Emulator) e = emulator_new (&setup);
  g_autofree char *asset_id = create_asset (e, "empty input");
  g_autofree char *escaped = escape_id (asset_id);
  g_autofree char *body = NULL;
  g_autofree char *job = NULL;
  g_autofree char *batch = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) batched = NULL;

  body = g_strdup_printf ("{\"Name\":\"job\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":"
                          "\"https://media.windows.net/api/Assets('%s')\"}}],\"Tasks\":[{\"Configuration\":"
                          "\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES_ID "\",\"TaskBody\":"
                          "\"<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)"
                          "</outputAsset></taskBody>\"}]}",
                          escaped);
  reply = api (&e->http, "POST", "Jobs", body, REQUEST_VERBOSE);
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_cmpstr (reply_error (reply), ==,
                   "The input asset “empty input” has no files; upload one before submitting a job.");
  g_assert_cmpuint (count (e, "Jobs"), ==, 0);

  /* The same in a $batch changeset: one error part, no job. */
  job = g_strdup_printf ("{\"Name\":\"batched\",\"InputMediaAssets@odata.bind\":"
                         "[\"https://media.windows.net/api/Assets('%s')\"]}",
                         escaped);
  batch = g_strdup_printf ("--" BATCH_BOUNDARY "\r\n"
                           "Content-Type: multipart/mixed; boundary=" CHANGESET_BOUNDARY "\r\n\r\n"
                           "--" CHANGESET_BOUNDARY "\r\n"
                           "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                           "POST %sJobs HTTP/1.1\r\nContent-ID: 1\r\nContent-Type: application/json\r\n"
                           "Accept: application/json\r\nx-ms-version: 2.11\r\n\r\n%s\r\n"
                           "--" CHANGESET_BOUNDARY "\r\n"
                           "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                           "POST https://media.windows.net/api/$1/Tasks HTTP/1.1\r\nContent-ID: 2\r\n"
                           "Content-Type: application/json\r\nAccept: application/json\r\nx-ms-version: 2.11\r\n\r\n"
                           "{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES_ID "\","
                           "\"TaskBody\":\"<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
                           "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}\r\n"
                           "--" CHANGESET_BOUNDARY "--\r\n"
                           "--" BATCH_BOUNDARY "--\r\n",
                           e->http.base, job);
  batched = http_send (&e->http, "POST", "$batch", "multipart/mixed; boundary=" BATCH_BOUNDARY, batch, 0, NULL);
  g_assert_cmpuint (batched->status, ==, 202);
  g_assert_nonnull (strstr (batched->body, "HTTP/1.1 400"));
  g_assert_nonnull (strstr (batched->body, "has no files; upload one before submitting a job."));
  g_assert_cmpuint (count (e, "Jobs"), ==, 0);
}

static void
test_files_api (void)
{
  g_autofree char *data_dir = make_data_dir ();
  g_autofree char *db_path = g_build_filename (data_dir, "emulator.db", NULL);
  g_autoptr(JgEmulatorStore) store = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_emulator_file_info_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *input = NULL;
  g_autofree char *expected = NULL;
  const char      *asset_id = "nb:cid:UUID:ABCDEF01-2345-4678-89AB-CDEF01234567";
  sqlite3_stmt    *stmt;

  dir = jg_emulator_files_dup_asset_dir (data_dir, asset_id);
  expected = g_build_filename (data_dir, "blobs", "abcdef01-2345-4678-89ab-cdef01234567", NULL);
  g_assert_cmpstr (dir, ==, expected);

  store = jg_emulator_store_new (db_path, &error);
  g_assert_no_error (error);
  g_assert_true (jg_emulator_store_exec (store,
                                         "INSERT INTO assets (id, name, created, last_modified) VALUES "
                                         "('nb:cid:UUID:ABCDEF01-2345-4678-89AB-CDEF01234567', 'in', 0, 0)",
                                         &error));
  g_assert_no_error (error);

  input = jg_emulator_files_dup_input_path (store, data_dir, asset_id, &error);
  g_assert_null (input);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The asset “in” ("
                                       "nb:cid:UUID:ABCDEF01-2345-4678-89AB-CDEF01234567) has no files");
  g_clear_error (&error);

  /* The largest when none is primary. */
  g_ptr_array_add (files, jg_emulator_file_info_new ("small.mp4", 10, "video/mp4", FALSE));
  g_ptr_array_add (files, jg_emulator_file_info_new ("large.mp4", 1000, "video/mp4", FALSE));
  g_assert_true (jg_emulator_files_replace (store, data_dir, asset_id, files, &error));
  g_assert_no_error (error);
  input = jg_emulator_files_dup_input_path (store, data_dir, asset_id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = g_build_filename (dir, "large.mp4", NULL);
  g_assert_cmpstr (input, ==, expected);
  g_clear_pointer (&input, g_free);

  /* The primary one wins; replace replaces, inside a transaction too. */
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, jg_emulator_file_info_new ("thumb.jpg", 5, "image/jpeg", TRUE));
  g_ptr_array_add (files, jg_emulator_file_info_new ("big.mp4", 5000, NULL, FALSE));
  g_assert_true (jg_emulator_store_begin (store, &error));
  g_assert_true (jg_emulator_files_replace (store, data_dir, asset_id, files, &error));
  g_assert_true (jg_emulator_store_commit (store, &error));
  g_assert_no_error (error);
  input = jg_emulator_files_dup_input_path (store, data_dir, asset_id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&expected, g_free);
  expected = g_build_filename (dir, "thumb.jpg", NULL);
  g_assert_cmpstr (input, ==, expected);

  stmt = jg_emulator_store_prepare (store, "SELECT size, (SELECT count(*) FROM files) FROM assets", &error);
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 5005);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 2);
  sqlite3_reset (stmt);

  g_assert_true (jg_emulator_files_check_name ("clip.mp4", NULL));
  g_assert_false (jg_emulator_files_check_name ("../x", NULL));
  g_assert_false (jg_emulator_files_check_name ("a/b", NULL));
  g_assert_false (jg_emulator_files_check_name ("", NULL));

  jg_emulator_store_close (store);
  remove_tree (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* Each test says whether its emulator simulates processing. */
  g_unsetenv ("JOBGRAPH_EMULATOR_SIMULATE");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/emulator/assets/files-api", test_files_api);
  g_test_add_func ("/jobgraph/emulator/assets/upload-flow", test_upload_flow);
  g_test_add_func ("/jobgraph/emulator/assets/sas", test_sas);
  g_test_add_func ("/jobgraph/emulator/assets/locator-limit", test_locator_limit);
  g_test_add_func ("/jobgraph/emulator/assets/hostile-names", test_hostile_names);
  g_test_add_func ("/jobgraph/emulator/assets/conflicts", test_conflicts);
  g_test_add_func ("/jobgraph/emulator/assets/create-file-infos", test_create_file_infos);
  g_test_add_func ("/jobgraph/emulator/assets/dropped-upload", test_dropped_upload);
  g_test_add_func ("/jobgraph/emulator/assets/blocks", test_blocks);
  g_test_add_func ("/jobgraph/emulator/assets/block-errors", test_block_errors);
  g_test_add_func ("/jobgraph/emulator/assets/concurrent-uploads", test_concurrent_uploads);
  g_test_add_func ("/jobgraph/emulator/assets/sweep", test_sweep);
  g_test_add_func ("/jobgraph/emulator/assets/delete", test_asset_delete);
  g_test_add_func ("/jobgraph/emulator/assets/seeded", test_seeded);
  g_test_add_func ("/jobgraph/emulator/assets/job-needs-file", test_job_needs_file);

  return g_test_run ();
}
