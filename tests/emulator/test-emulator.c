/* test-emulator.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "emulator-fixture.h"
#include "emulator-inprocess.h"
#include "jg-core.h"
#include "jg-emulator.h"

/* jobgraph-emulator with raw HTTP: each test runs its own emulator in
 * process, on 127.0.0.1 port 0, in a thread with its own main context (the
 * GNOME Calendar tests/gcal-simple-server.c pattern), with a temporary data
 * directory; the test speaks to it with a synchronous SoupSession.
 */

#define TOKEN "static-token-7a1f"

#define TASK_BODY(in, out) "<taskBody><inputAsset>" in "</inputAsset><outputAsset>" out "</outputAsset></taskBody>"

static Emulator *
emulator_new (const EmulatorSetup *setup)
{
  Emulator *e = emulator_try_new (setup, NULL);

  g_assert_no_error (e->error);

  return e;
}

/* The usual one: fast, with a token from the ACS endpoint. */
static Emulator *
emulator_new_default (void)
{
  EmulatorSetup setup = { 0 };
  Emulator     *e = emulator_new (&setup);

  e->http.token = http_fetch_token (&e->http, KEY);

  return e;
}

static char *
make_data_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("jobgraph-emulator-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
seed_assets (const char *data_dir,
             ...)
{
  g_autofree char *assets = g_build_filename (data_dir, "assets", NULL);
  va_list          args;

  va_start (args, data_dir);
  for (const char *name = va_arg (args, const char *); name != NULL; name = va_arg (args, const char *))
    write_file (assets, name, va_arg (args, gsize));
  va_end (args);
}

/* A Job create body with one input asset, verbose (`__metadata` links) or
 * light (`@odata.bind`); @tasks is the JSON array of Tasks.
 */
static char *
job_body (Emulator   *e,
          const char *name,
          const char *asset_id,
          gboolean    light,
          const char *tasks)
{
  g_autofree char *escaped = escape_id (asset_id);

  if (light)
    return g_strdup_printf ("{\"Name\":\"%s\",\"InputMediaAssets@odata.bind\":[\"%sAssets('%s')\"],\"Tasks\":%s}",
                            name, e->http.base, escaped, tasks);

  return g_strdup_printf ("{\"Name\":\"%s\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":"
                          "\"https://media.windows.net/api/Assets('%s')\"}}],\"Tasks\":%s}",
                          name, escaped, tasks);
}

static char *
task_json (const char *configuration,
           const char *task_body)
{
  return g_strdup_printf ("{\"Configuration\":\"%s\",\"MediaProcessorId\":\"" MES_ID "\",\"TaskBody\":\"%s\"}",
                          configuration, task_body);
}

/* Creates a job and returns its id. */
static char *
create_job (Emulator   *e,
            const char *name,
            const char *asset_id,
            const char *tasks)
{
  g_autofree char *body = job_body (e, name, asset_id, FALSE, tasks);
  g_autoptr(Reply) reply = api (&e->http, "POST", "Jobs", body, REQUEST_VERBOSE);

  g_assert_no_error (reply->error);
  if (reply->status != 201)
    g_error ("POST Jobs: %u %s", reply->status, reply->body);

  return g_strdup (json_object_get_string_member (reply_entity (reply), "Id"));
}

static char *
create_simple_job (Emulator   *e,
                   const char *name,
                   const char *asset_id)
{
  g_autofree char *task = task_json ("Adaptive Streaming", TASK_BODY ("JobInputAsset(0)", "JobOutputAsset(0)"));
  g_autofree char *tasks = g_strdup_printf ("[%s]", task);

  return create_job (e, name, asset_id, tasks);
}

static guint
count_entities (Emulator   *e,
                const char *path)
{
  g_autoptr(Reply) reply = api (&e->http, "GET", path, NULL, 0);

  g_assert_cmpuint (reply->status, ==, 200);

  return json_array_get_length (reply_collection (reply));
}

/* Tokens */

static void
test_token_acs (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autofree char *uri = g_strconcat (e->http.root, "v2/OAuth2-13", NULL);
  g_autoptr(Reply) good = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autoptr(Reply) no_scope = NULL;
  JsonObject *object;

  good = http_send (&e->http, "POST", uri, "application/x-www-form-urlencoded",
                    "grant_type=client_credentials&client_id=local&client_secret=" KEY
                    "&scope=urn%3aWindowsAzureMediaServices",
                    REQUEST_NO_TOKEN, NULL);
  g_assert_cmpuint (good->status, ==, 200);
  object = json_node_get_object (good->json);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==,
                   "http://schemas.xmlsoap.org/ws/2009/11/swt-token-profile-1.0");
  g_assert_cmpstr (json_object_get_string_member (object, "scope"), ==, "urn:WindowsAzureMediaServices");
  /* expires_in is a string in ACS answers. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "expires_in")), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (object, "expires_in"), ==, "21600");
  g_assert_nonnull (strstr (soup_message_headers_get_one (good->headers, "Content-Type"), "application/json"));

  bad = http_send (&e->http, "POST", uri, "application/x-www-form-urlencoded",
                   "grant_type=client_credentials&client_id=local&client_secret=wrong"
                   "&scope=urn%3aWindowsAzureMediaServices",
                   REQUEST_NO_TOKEN, NULL);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (bad->json), "error"), ==, "invalid_client");
  g_assert_null (strstr (bad->body, KEY));

  no_scope = http_send (&e->http, "POST", uri, "application/x-www-form-urlencoded",
                        "grant_type=client_credentials&client_id=local&client_secret=" KEY,
                        REQUEST_NO_TOKEN, NULL);
  g_assert_cmpuint (no_scope->status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (no_scope->json), "error"), ==, "invalid_scope");
}

static void
test_token_aad (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autofree char *uri = g_strconcat (e->http.root, "contoso.onmicrosoft.com/oauth2/token", NULL);
  g_autoptr(Reply) good = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autoptr(Reply) resource = NULL;
  g_autoptr(Reply) jobs = NULL;
  JsonObject *object;

  good = http_send (&e->http, "POST", uri, "application/x-www-form-urlencoded",
                    "grant_type=client_credentials&client_id=local&client_secret=" KEY
                    "&resource=https%3A%2F%2Frest.media.azure.net",
                    REQUEST_NO_TOKEN, NULL);
  g_assert_cmpuint (good->status, ==, 200);
  object = json_node_get_object (good->json);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 3599);

  /* The AAD token works on the API like an ACS one. */
  g_free (e->http.token);
  e->http.token = g_strdup (json_object_get_string_member (object, "access_token"));
  jobs = api (&e->http, "GET", "Jobs", NULL, 0);
  g_assert_cmpuint (jobs->status, ==, 200);

  bad = http_send (&e->http, "POST", uri, "application/x-www-form-urlencoded",
                   "grant_type=client_credentials&client_id=local&client_secret=nope"
                   "&resource=https%3A%2F%2Frest.media.azure.net",
                   REQUEST_NO_TOKEN, NULL);
  g_assert_cmpuint (bad->status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (bad->json), "error"), ==, "invalid_client");

  resource = http_send (&e->http, "POST", uri, "application/x-www-form-urlencoded",
                        "grant_type=client_credentials&client_id=local&client_secret=" KEY
                        "&resource=https%3A%2F%2Felsewhere.example",
                        REQUEST_NO_TOKEN, NULL);
  g_assert_cmpuint (resource->status, ==, 400);
}

static void
test_auth (void)
{
  EmulatorSetup setup = { .static_token = TOKEN };
  g_autoptr(Emulator) e = emulator_new (&setup);
  g_autofree char *tampered = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) bad = NULL;
  g_autoptr(Reply) forged = NULL;
  g_autoptr(Reply) fixed = NULL;
  g_autoptr(Reply) good = NULL;

  missing = api (&e->http, "GET", "Jobs", NULL, REQUEST_NO_TOKEN);
  g_assert_cmpuint (missing->status, ==, 401);
  g_assert_nonnull (strstr (reply_error (missing), "bearer token"));
  g_assert_nonnull (json_object_get_member (json_node_get_object (missing->json), "odata.error"));

  e->http.token = g_strdup ("not-a-token");
  bad = api (&e->http, "GET", "Jobs", NULL, REQUEST_VERBOSE);
  g_assert_cmpuint (bad->status, ==, 401);
  g_assert_nonnull (json_object_get_member (json_node_get_object (bad->json), "error"));
  g_assert_cmpstr (reply_error (bad), ==, "The access token is invalid.");

  /* A real token with one character of its signature changed. */
  g_free (e->http.token);
  e->http.token = http_fetch_token (&e->http, KEY);
  tampered = g_strdup (e->http.token);
  tampered[strlen (tampered) - 2] = tampered[strlen (tampered) - 2] == 'A' ? 'B' : 'A';
  good = api (&e->http, "GET", "Jobs", NULL, 0);
  g_assert_cmpuint (good->status, ==, 200);
  g_free (e->http.token);
  e->http.token = g_steal_pointer (&tampered);
  forged = api (&e->http, "GET", "Jobs", NULL, 0);
  g_assert_cmpuint (forged->status, ==, 401);

  g_free (e->http.token);
  e->http.token = g_strdup (TOKEN);
  fixed = api (&e->http, "GET", "Jobs", NULL, 0);
  g_assert_cmpuint (fixed->status, ==, 200);
}

/* The first-contact 301 */

static void
test_redirect (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  const char *prefixes[] = { "api/", "API/", "api/Jobs", "API/Assets('nb%3Acid%3AUUID%3Ax')" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *uri = g_strconcat (e->http.root, prefixes[i], NULL);
      g_autoptr(Reply) get = http_send (&e->http, "GET", uri, NULL, NULL, 0, NULL);
      g_autoptr(Reply) post = http_send (&e->http, "POST", uri, "application/json", "{}", 0, NULL);
      g_autoptr(Reply) anonymous = http_send (&e->http, "GET", uri, NULL, NULL, REQUEST_NO_TOKEN, NULL);

      g_assert_cmpuint (get->status, ==, 301);
      g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Location"), ==, e->http.base);
      g_assert_nonnull (strstr (get->body, "Object moved"));
      g_assert_nonnull (soup_message_headers_get_one (get->headers, "request-id"));

      g_assert_cmpuint (post->status, ==, 301);
      g_assert_cmpstr (soup_message_headers_get_one (post->headers, "Location"), ==, e->http.base);

      g_assert_cmpuint (anonymous->status, ==, 401);
    }
}

/* Headers */

static gboolean
is_guid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

static void
test_headers (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) no_version = NULL;
  g_autoptr(Reply) bad_version = NULL;
  g_autoptr(Reply) query_version = NULL;
  g_autoptr(Reply) echoed = NULL;
  g_autoptr(Reply) generated = NULL;
  const char *request_id;

  no_version = api (&e->http, "GET", "Jobs", NULL, REQUEST_NO_VERSION);
  g_assert_cmpuint (no_version->status, ==, 400);
  g_assert_nonnull (strstr (reply_error (no_version), "x-ms-version"));

  bad_version = http_send (&e->http, "GET", "Jobs", NULL, NULL, REQUEST_NO_VERSION, "x-ms-version", "3.0", NULL);
  g_assert_cmpuint (bad_version->status, ==, 400);
  g_assert_nonnull (strstr (reply_error (bad_version), "3.0"));

  query_version = api (&e->http, "GET", "Jobs?api-version=2.11", NULL, REQUEST_NO_VERSION);
  g_assert_cmpuint (query_version->status, ==, 200);

  echoed = http_send (&e->http, "GET", "Jobs", NULL, NULL, 0,
                      "x-ms-client-request-id", "39f96c93-0000-4000-8000-000000000001", NULL);
  g_assert_cmpuint (echoed->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (echoed->headers, "x-ms-client-request-id"), ==,
                   "39f96c93-0000-4000-8000-000000000001");
  request_id = soup_message_headers_get_one (echoed->headers, "request-id");
  g_assert_true (is_guid (request_id));
  g_assert_cmpstr (soup_message_headers_get_one (echoed->headers, "x-ms-request-id"), ==, request_id);
  g_assert_cmpstr (soup_message_headers_get_one (echoed->headers, "DataServiceVersion"), ==, "3.0;");
  g_assert_cmpstr (soup_message_headers_get_one (echoed->headers, "Cache-Control"), ==, "no-cache");
  g_assert_cmpstr (soup_message_headers_get_one (echoed->headers, "Content-Type"), ==,
                   "application/json;odata=minimalmetadata;streaming=true;charset=utf-8");

  /* Errors carry them too, and an id is made up when none is sent. */
  g_assert_true (is_guid (soup_message_headers_get_one (no_version->headers, "x-ms-client-request-id")));
  g_assert_true (is_guid (soup_message_headers_get_one (no_version->headers, "x-ms-request-id")));

  generated = api (&e->http, "GET", "Jobs", NULL, REQUEST_VERBOSE);
  g_assert_cmpstr (soup_message_headers_get_one (generated->headers, "Content-Type"), ==,
                   "application/json;odata=verbose;charset=utf-8");
  g_assert_true (is_guid (soup_message_headers_get_one (generated->headers, "x-ms-client-request-id")));
  g_assert_cmpstr (soup_message_headers_get_one (generated->headers, "x-ms-client-request-id"), !=,
                   soup_message_headers_get_one (generated->headers, "x-ms-request-id"));
}

/* MediaProcessors */

static void
test_processors (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) light = api (&e->http, "GET", "MediaProcessors", NULL, 0);
  g_autoptr(Reply) verbose = api (&e->http, "GET", "MediaProcessors()", NULL, REQUEST_VERBOSE);
  g_autoptr(Reply) filtered = api (&e->http, "GET",
                                    "MediaProcessors()?$filter=Name%20eq%20'Windows%20Azure%20Media%20Encoder'"
                                    "&$orderby=Version%20desc",
                                    NULL, 0);
  g_autoptr(Reply) one = api (&e->http, "GET", "MediaProcessors('nb%3Ampid%3AUUID%3Aff4df607-d419-42f0-bc17-a481b1331e56')",
                               NULL, 0);
  guint       n_processors;
  JsonArray  *array;
  JsonObject *mes = NULL;

  jg_catalog_get_processors (&n_processors);

  g_assert_cmpuint (light->status, ==, 200);
  array = reply_collection (light);
  g_assert_cmpuint (json_array_get_length (array), ==, n_processors);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "Id"), MES_ID))
        mes = object;
    }
  g_assert_nonnull (mes);
  g_assert_cmpstr (json_object_get_string_member (mes, "Name"), ==, "Media Encoder Standard");
  g_assert_cmpstr (json_object_get_string_member (mes, "Vendor"), ==, "Microsoft");
  g_assert_cmpstr (json_object_get_string_member (mes, "Version"), ==, "1.1");
  g_assert_cmpstr (json_object_get_string_member (mes, "Sku"), ==, "");

  g_assert_cmpuint (verbose->status, ==, 200);
  array = reply_collection (verbose);
  g_assert_cmpuint (json_array_get_length (array), ==, n_processors);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (array, 0),
                                                                                 "__metadata"),
                                                  "type"),
                   ==, "Microsoft.Cloud.Media.Vod.Rest.Data.Models.MediaProcessor");

  g_assert_cmpuint (filtered->status, ==, 200);
  array = reply_collection (filtered);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "Version"), ==, "3.7");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 2), "Version"), ==, "2.1");

  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_entity (one), "Id"), ==, MES_ID);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (reply_entity (one), "odata.metadata"),
                                   "$metadata#MediaProcessors/@Element"));
}

/* Assets */

static void
test_assets_seed (void)
{
  g_autofree char *data_dir = make_data_dir ();
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  EmulatorSetup    setup = { .data_dir = data_dir, .static_token = TOKEN };

  seed_assets (data_dir, "mezzanine.mp4", (gsize)4096, "trailer.mov", (gsize)10, ".hidden", (gsize)1, NULL);

  {
    g_autoptr(Emulator) e = emulator_new (&setup);

    e->http.token = g_strdup (TOKEN);
    g_assert_cmpuint (count_entities (e, "Assets"), ==, 2);
    first_id = find_asset_id (&e->http, "mezzanine.mp4");
    g_assert_true (jg_is_entity_id (first_id, "cid"));
    g_free (find_asset_id (&e->http, "trailer.mov"));
  }

  /* Seeded once: the same id after a restart, and a new file is added. */
  seed_assets (data_dir, "extra.mkv", (gsize)1, NULL);
  {
    g_autoptr(Emulator) e = emulator_new (&setup);

    e->http.token = g_strdup (TOKEN);
    g_assert_cmpuint (count_entities (e, "Assets"), ==, 3);
    second_id = find_asset_id (&e->http, "mezzanine.mp4");
    g_assert_cmpstr (first_id, ==, second_id);
  }

  remove_tree (data_dir);
}

static void
test_assets_crud (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) created = api (&e->http, "POST", "Assets", "{\"Name\":\"Uploaded\",\"Options\":0}", 0);
  g_autoptr(Reply) fetched = NULL;
  g_autoptr(Reply) merged = NULL;
  g_autoptr(Reply) renamed = NULL;
  g_autoptr(Reply) deleted = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) bad = NULL;
  const char *location;

  g_assert_cmpuint (created->status, ==, 201);
  location = soup_message_headers_get_one (created->headers, "Location");
  g_assert_true (g_str_has_prefix (location, e->http.base));
  g_assert_nonnull (strstr (location, "Assets('nb%3Acid%3AUUID%3A"));
  g_assert_cmpstr (json_object_get_string_member (reply_entity (created), "Name"), ==, "Uploaded");

  fetched = api (&e->http, "GET", location, NULL, REQUEST_VERBOSE);
  g_assert_cmpuint (fetched->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (reply_entity (fetched), "Id"), ==,
                   json_object_get_string_member (reply_entity (created), "Id"));
  /* Verbose dates are \/Date(ms)\/. */
  g_assert_nonnull (strstr (fetched->body, "\"Created\":\"\\/Date("));

  merged = http_send (&e->http, "MERGE", location, "application/json", "{\"Name\":\"Renamed\"}", 0, NULL);
  g_assert_cmpuint (merged->status, ==, 204);
  renamed = api (&e->http, "GET", location, NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (reply_entity (renamed), "Name"), ==, "Renamed");

  deleted = api (&e->http, "DELETE", location, NULL, 0);
  g_assert_cmpuint (deleted->status, ==, 204);
  again = api (&e->http, "DELETE", location, NULL, 0);
  g_assert_cmpuint (again->status, ==, 404);
  g_assert_cmpstr (reply_error (again), ==, "Resource Asset not found");

  bad = api (&e->http, "POST", "Assets", "{\"Name\":\"x\",\"Bogus\":1}", 0);
  g_assert_cmpuint (bad->status, ==, 400);
}

/* Jobs */

static void
check_created_job (Emulator *e,
                   Reply    *reply,
                   gboolean  verbose)
{
  JsonObject      *job;
  const char      *location;
  const char      *id;
  g_autofree char *escaped = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 201);
  job = reply_entity (reply);
  id = json_object_get_string_member (job, "Id");
  g_assert_true (g_str_has_prefix (id, "nb:jid:UUID:"));
  g_assert_true (jg_is_entity_id (id, "jid"));
  g_assert_cmpint (json_object_get_int_member (job, "State"), >=, 0);
  g_assert_cmpstr (json_object_get_string_member (job, "Name"), ==, "NewTestJob");

  escaped = escape_id (id);
  location = soup_message_headers_get_one (reply->headers, "Location");
  expected = g_strdup_printf ("%sJobs('%s')", e->http.base, escaped);
  g_assert_cmpstr (location, ==, expected);

  if (verbose)
    {
      JsonObject *metadata = json_object_get_object_member (job, "__metadata");

      g_assert_cmpstr (json_object_get_string_member (metadata, "type"), ==,
                       "Microsoft.Cloud.Media.Vod.Rest.Data.Models.Job");
      g_assert_cmpstr (json_object_get_string_member (metadata, "uri"), ==, location);
      g_assert_true (json_object_has_member (json_object_get_object_member (job, "Tasks"), "__deferred"));
      g_assert_true (json_object_has_member (json_object_get_object_member (job, "JobNotificationSubscriptions"),
                                             "results"));
    }
  else
    {
      g_assert_true (g_str_has_suffix (json_object_get_string_member (job, "odata.metadata"),
                                       "$metadata#Jobs/@Element"));
      /* ISO 8601 with milliseconds and Z. */
      g_assert_true (g_str_has_suffix (json_object_get_string_member (job, "Created"), "Z"));
      g_assert_cmpint (strlen (json_object_get_string_member (job, "Created")), ==, strlen ("2026-11-28T12:00:00.000Z"));
    }
}

static void
test_jobs_create (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autofree char *asset_id = NULL;
  g_autofree char *task = task_json ("Adaptive Streaming", TASK_BODY ("JobInputAsset(0)", "JobOutputAsset(0)"));
  g_autofree char *tasks = g_strdup_printf ("[%s]", task);
  g_autofree char *verbose_body = NULL;
  g_autofree char *light_body = NULL;
  g_autoptr(Reply) verbose = NULL;
  g_autoptr(Reply) light = NULL;
  g_autoptr(Reply) list = NULL;

  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);
  asset_id = g_strdup (json_object_get_string_member (reply_entity (asset), "Id"));

  verbose_body = job_body (e, "NewTestJob", asset_id, FALSE, tasks);
  verbose = api (&e->http, "POST", "Jobs", verbose_body, REQUEST_VERBOSE);
  check_created_job (e, verbose, TRUE);

  light_body = job_body (e, "NewTestJob", asset_id, TRUE, tasks);
  light = api (&e->http, "POST", "Jobs", light_body, 0);
  check_created_job (e, light, FALSE);

  list = api (&e->http, "GET", "Jobs", NULL, 0);
  g_assert_cmpuint (json_array_get_length (reply_collection (list)), ==, 2);
}

/* The message the core's rule engine gives for @body. */
static char *
dup_first_error (const char *body)
{
  g_autoptr(JsonNode) root = jg_json_parse (body, -1, NULL);
  g_autoptr(JgRestJob) rest = jg_rest_job_from_json (root, NULL);
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JgGraph) graph = jg_rest_job_to_graph (rest, diagnostics, NULL);
  g_autoptr(GPtrArray) all = jg_import_validate (graph, JG_FORMAT_JOB, diagnostics, "2.19");

  for (guint i = 0; i < all->len; i++)
    if (jg_diagnostic_get_severity (g_ptr_array_index (all, i)) == JG_SEVERITY_ERROR)
      return g_strdup (jg_diagnostic_get_message (g_ptr_array_index (all, i)));

  return NULL;
}

static void
test_jobs_invalid (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);
  const char      *asset_id = json_object_get_string_member (reply_entity (asset), "Id");
  g_autofree char *a = task_json ("Adaptive Streaming", "<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
                                                        "<inputAsset>JobOutputAsset(1)</inputAsset>"
                                                        "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>");
  g_autofree char *b = task_json ("Adaptive Streaming", TASK_BODY ("JobOutputAsset(0)", "JobOutputAsset(1)"));
  g_autofree char *tasks = g_strdup_printf ("[%s,%s]", a, b);
  g_autofree char *body = job_body (e, "Cycle", asset_id, FALSE, tasks);
  g_autofree char *expected = dup_first_error (body);
  g_autofree char *good_task = task_json ("Adaptive Streaming", TASK_BODY ("JobInputAsset(0)", "JobOutputAsset(0)"));
  g_autofree char *good_tasks = g_strdup_printf ("[%s]", good_task);
  g_autofree char *unknown = job_body (e, "Unknown", "nb:cid:UUID:00000000-0000-0000-0000-000000000000", FALSE, good_tasks);
  g_autofree char *processor = g_strdup_printf ("[{\"Configuration\":\"x\",\"MediaProcessorId\":"
                                                "\"nb:mpid:UUID:12345678-1234-1234-1234-123456789abc\","
                                                "\"TaskBody\":\"%s\"}]",
                                                TASK_BODY ("JobInputAsset(0)", "JobOutputAsset(0)"));
  g_autofree char *processor_body = job_body (e, "Processor", asset_id, FALSE, processor);
  g_autoptr(Reply) cycle = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) not_json = NULL;
  g_autoptr(Reply) unavailable = NULL;

  g_assert_nonnull (expected);
  g_assert_nonnull (strstr (expected, "cycle"));

  cycle = api (&e->http, "POST", "Jobs", body, REQUEST_VERBOSE);
  g_assert_cmpuint (cycle->status, ==, 400);
  g_assert_cmpstr (reply_error (cycle), ==, expected);

  missing = api (&e->http, "POST", "Jobs", unknown, REQUEST_VERBOSE);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_nonnull (strstr (reply_error (missing), "Resource Asset not found"));
  g_assert_nonnull (strstr (reply_error (missing), "nb:cid:UUID:00000000-0000-0000-0000-000000000000"));

  not_json = api (&e->http, "POST", "Jobs", "{\"Name\":", 0);
  g_assert_cmpuint (not_json->status, ==, 400);

  unavailable = api (&e->http, "POST", "Jobs", processor_body, 0);
  g_assert_cmpuint (unavailable->status, ==, 403);

  g_assert_cmpuint (count_entities (e, "Jobs"), ==, 0);
  g_assert_cmpuint (count_entities (e, "Tasks"), ==, 0);
}

static void
test_jobs_finish (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);
  const char      *asset_id = json_object_get_string_member (reply_entity (asset), "Id");
  g_autofree char *a = task_json ("Adaptive Streaming",
                                  "<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
                                  "<outputAsset assetName='Encoded'>JobOutputAsset(0)</outputAsset></taskBody>");
  g_autofree char *b = task_json ("H264 Single Bitrate 720p", TASK_BODY ("JobOutputAsset(0)", "JobOutputAsset(1)"));
  g_autofree char *tasks = g_strdup_printf ("[%s,%s]", a, b);
  g_autofree char *job_id = create_job (e, "Chained", asset_id, tasks);
  g_autofree char *escaped = escape_id (job_id);
  g_autofree char *tasks_path = g_strdup_printf ("Jobs('%s')/Tasks", escaped);
  g_autofree char *outputs_path = g_strdup_printf ("Jobs('%s')/OutputMediaAssets", escaped);
  g_autofree char *inputs_path = g_strdup_printf ("Jobs('%s')/InputMediaAssets", escaped);
  g_autofree char *job_path = g_strdup_printf ("Jobs('%s')", escaped);
  g_autofree char *light_state_path = g_strdup_printf ("Jobs('%s')/State", escaped);
  g_autoptr(Reply) task_list = NULL;
  g_autoptr(Reply) outputs = NULL;
  g_autoptr(Reply) inputs = NULL;
  g_autoptr(Reply) job = NULL;
  g_autoptr(Reply) light_state = NULL;
  g_autoptr(Reply) task_outputs = NULL;
  JsonArray  *array;
  JsonObject *object;

  g_assert_cmpint (wait_for_job_final (&e->http, job_id), ==, 3);

  /* Written Tasks() too. */
  {
    g_autofree char *with_parens = g_strconcat (tasks_path, "()", NULL);

    task_list = api (&e->http, "GET", with_parens, NULL, 0);
  }
  array = reply_collection (task_list);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      object = json_array_get_object_element (array, i);
      g_assert_cmpint (json_object_get_int_member (object, "State"), ==, 3);
      g_assert_cmpfloat (json_object_get_double_member (object, "Progress"), ==, 100.0);
      g_assert_false (json_object_get_null_member (object, "StartTime"));
      g_assert_false (json_object_get_null_member (object, "EndTime"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "ErrorDetails")), ==, 0);
    }

  /* The second task ran after the first: it reads its output. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "EndTime"), <=,
                   json_object_get_string_member (json_array_get_object_element (array, 1), "StartTime"));

  outputs = api (&e->http, "GET", outputs_path, NULL, 0);
  array = reply_collection (outputs);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "Name"), ==, "Encoded");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "Name"), ==,
                   "JobOutputAsset(1)_Chained");

  inputs = api (&e->http, "GET", inputs_path, NULL, REQUEST_VERBOSE);
  array = reply_collection (inputs);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "Id"), ==, asset_id);

  job = api (&e->http, "GET", job_path, NULL, 0);
  object = reply_entity (job);
  g_assert_cmpint (json_object_get_int_member (object, "State"), ==, 3);
  g_assert_false (json_object_get_null_member (object, "StartTime"));
  g_assert_false (json_object_get_null_member (object, "EndTime"));
  g_assert_cmpfloat (json_object_get_double_member (object, "RunningDuration"), >=, 0.0);

  light_state = api (&e->http, "GET", light_state_path, NULL, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (light_state->json), "value"), ==, 3);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (json_node_get_object (light_state->json),
                                                                  "odata.metadata"),
                                   "$metadata#Edm.Int32"));

  /* Tasks('id')/OutputMediaAssets */
  {
    g_autoptr(Reply) first = api (&e->http, "GET", tasks_path, NULL, 0);
    const char      *task_id = json_object_get_string_member (json_array_get_object_element (reply_collection (first), 0), "Id");
    g_autofree char *task_escaped = escape_id (task_id);
    g_autofree char *path = g_strdup_printf ("Tasks('%s')/OutputMediaAssets", task_escaped);

    task_outputs = api (&e->http, "GET", path, NULL, 0);
    g_assert_cmpuint (json_array_get_length (reply_collection (task_outputs)), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reply_collection (task_outputs), 0),
                                                    "Name"),
                     ==, "Encoded");
  }
}

static void
test_jobs_bad_preset (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);
  const char      *asset_id = json_object_get_string_member (reply_entity (asset), "Id");
  g_autofree char *a = task_json ("Some wrong Preset", TASK_BODY ("JobInputAsset(0)", "JobOutputAsset(0)"));
  g_autofree char *b = task_json ("Adaptive Streaming", TASK_BODY ("JobOutputAsset(0)", "JobOutputAsset(1)"));
  g_autofree char *tasks = g_strdup_printf ("[%s,%s]", a, b);
  g_autofree char *job_id = create_job (e, "BadPreset", asset_id, tasks);
  g_autofree char *escaped = escape_id (job_id);
  g_autofree char *path = g_strdup_printf ("Jobs('%s')/Tasks", escaped);
  g_autoptr(Reply) task_list = NULL;
  JsonArray  *array;
  JsonArray  *details;
  JsonObject *failed;

  /* Accepted at POST: presets are checked when the task runs. */
  g_assert_cmpint (wait_for_job_final (&e->http, job_id), ==, 4);

  task_list = api (&e->http, "GET", path, NULL, REQUEST_VERBOSE);
  array = reply_collection (task_list);
  failed = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (failed, "State"), ==, 4);
  details = json_object_get_array_member (json_object_get_object_member (failed, "ErrorDetails"), "results");
  g_assert_cmpuint (json_array_get_length (details), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (details, 0), "Code"), ==,
                   "ErrorParsingConfiguration");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (details, 0), "Message"),
                            "Some wrong Preset"));

  /* The task downstream never ran. */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 1), "State"), ==, 5);
}

static void
test_jobs_cancel (void)
{
  /* Slow: a task would take 100 s. */
  EmulatorSetup setup = { .speed = 0.01, .static_token = TOKEN };
  g_autoptr(Emulator) e = emulator_new (&setup);
  g_autofree char *asset_id = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *cancel = NULL;
  g_autofree char *delete_path = NULL;
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) unknown = NULL;
  g_autoptr(Reply) deleted = NULL;
  g_autoptr(Reply) gone = NULL;
  gint64 deadline;
  int    state;

  e->http.token = g_strdup (TOKEN);
  {
    g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);

    asset_id = g_strdup (json_object_get_string_member (reply_entity (asset), "Id"));
  }
  job_id = create_simple_job (e, "ToCancel", asset_id);
  other_id = create_simple_job (e, "ToDelete", asset_id);

  /* Wait until it runs. */
  deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;
  while ((state = get_job_state (&e->http, job_id)) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5000);
    }
  g_assert_cmpint (state, >=, 1);
  g_assert_cmpint (state, <=, 2);

  escaped = escape_id (job_id);
  cancel = g_strdup_printf ("CancelJob?jobid='%s'", escaped);
  first = api (&e->http, "GET", cancel, NULL, 0);
  g_assert_cmpuint (first->status, ==, 204);

  state = get_job_state (&e->http, job_id);
  g_assert_true (state == 6 || state == 5);
  g_assert_cmpint (wait_for_job_final (&e->http, job_id), ==, 5);

  second = api (&e->http, "GET", cancel, NULL, 0);
  g_assert_cmpuint (second->status, ==, 400);
  g_assert_nonnull (strstr (reply_error (second), "Canceled"));

  unknown = api (&e->http, "GET", "CancelJob?jobid='nb%3Ajid%3AUUID%3A00000000-0000-0000-0000-000000000000'", NULL, 0);
  g_assert_cmpuint (unknown->status, ==, 404);

  /* Deleting a job that runs or waits cancels it. */
  {
    g_autofree char *other_escaped = escape_id (other_id);

    delete_path = g_strdup_printf ("Jobs('%s')", other_escaped);
  }
  deleted = api (&e->http, "DELETE", delete_path, NULL, 0);
  g_assert_cmpuint (deleted->status, ==, 204);
  gone = api (&e->http, "GET", delete_path, NULL, 0);
  g_assert_cmpuint (gone->status, ==, 404);
  g_assert_cmpstr (reply_error (gone), ==, "Resource Job not found");
  g_assert_cmpuint (count_entities (e, "Jobs"), ==, 1);
}

/* Query options and paging */

static void
test_paging (void)
{
  g_autofree char *data_dir = make_data_dir ();
  g_autofree char *assets = g_build_filename (data_dir, "assets", NULL);
  EmulatorSetup    setup = { .data_dir = data_dir, .static_token = TOKEN };
  g_autoptr(Emulator) e = NULL;
  g_autoptr(Reply) all = NULL;
  g_autoptr(Reply) verbose = NULL;
  g_autoptr(Reply) rest = NULL;
  g_autoptr(Reply) window = NULL;
  g_autoptr(Reply) big = NULL;
  g_autoptr(Reply) expand = NULL;
  g_autoptr(Reply) negative = NULL;

  for (guint i = 0; i < 1005; i++)
    {
      g_autofree char *name = g_strdup_printf ("clip-%04u.mp4", i);

      write_file (assets, name, 1);
    }

  e = emulator_new (&setup);
  e->http.token = g_strdup (TOKEN);

  /* The silent cap: 1,000, and no next link. */
  all = api (&e->http, "GET", "Assets", NULL, 0);
  g_assert_cmpuint (json_array_get_length (reply_collection (all)), ==, 1000);
  g_assert_false (json_object_has_member (json_node_get_object (all->json), "odata.nextLink"));
  /* $select keeps the other big answers small (ASan makes every
   * allocation slow).
   */
  verbose = api (&e->http, "GET", "Assets()?$select=Id", NULL, REQUEST_VERBOSE);
  g_assert_cmpuint (json_array_get_length (reply_collection (verbose)), ==, 1000);
  g_assert_false (json_object_has_member (reply_entity (verbose), "__next"));

  rest = api (&e->http, "GET", "Assets?$skip=1000", NULL, 0);
  g_assert_cmpuint (json_array_get_length (reply_collection (rest)), ==, 5);

  window = api (&e->http, "GET", "Assets?$orderby=Name&$skip=10&$top=3", NULL, 0);
  g_assert_cmpuint (json_array_get_length (reply_collection (window)), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reply_collection (window), 0), "Name"),
                   ==, "clip-0010.mp4");

  big = api (&e->http, "GET", "Assets?$top=5000&$select=Id", NULL, 0);
  g_assert_cmpuint (json_array_get_length (reply_collection (big)), ==, 1000);

  expand = api (&e->http, "GET", "Assets?$expand=Files", NULL, 0);
  g_assert_cmpuint (expand->status, ==, 400);
  g_assert_cmpstr (reply_error (expand), ==, "$expand is not supported.");

  negative = api (&e->http, "GET", "Assets?$top=-1", NULL, 0);
  g_assert_cmpuint (negative->status, ==, 400);

  g_clear_pointer (&e, emulator_free);
  remove_tree (data_dir);
}

static void
test_query (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);
  const char      *asset_id = json_object_get_string_member (reply_entity (asset), "Id");
  g_autofree char *alpha = create_simple_job (e, "alpha", asset_id);
  g_autofree char *beta = create_simple_job (e, "beta", asset_id);
  g_autofree char *alpine = create_simple_job (e, "alpine", asset_id);
  g_autofree char *by_id = NULL;
  const struct
  {
    const char *query;
    guint       count;
    const char *first;
  } cases[] = {
    { "Jobs?$filter=Name%20eq%20'beta'", 1, "beta" },
    { "Jobs?$filter=startswith(Name,'al')", 2, "alpha" },
    { "Jobs?$filter=startswith(Name,'al')%20and%20Name%20ne%20'alpha'", 1, "alpine" },
    { "Jobs?$filter=Name%20eq%20'beta'%20or%20endswith(Name,'ine')&$orderby=Name%20desc", 2, "beta" },
    { "Jobs()?$filter=State%20eq%203&$orderby=Name", 3, "alpha" },
    { "Jobs?$filter=not%20substringof('p',Name)", 1, "beta" },
    { "Jobs?$orderby=Created%20desc,Name", 3, NULL },
    { "Jobs?$filter=Created%20gt%20datetime'2001-01-01T00:00:00'", 3, NULL },
    { "Jobs?$filter=TemplateId%20eq%20null", 3, NULL },
    { "Jobs?$filter=Priority%20ge%201", 0, NULL },
  };
  g_autoptr(Reply) select = NULL;
  g_autoptr(Reply) id_reply = NULL;
  JsonObject *object;

  g_assert_cmpint (wait_for_job_final (&e->http, alpha), ==, 3);
  g_assert_cmpint (wait_for_job_final (&e->http, beta), ==, 3);
  g_assert_cmpint (wait_for_job_final (&e->http, alpine), ==, 3);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = api (&e->http, "GET", cases[i].query, NULL, 0);
      JsonArray *array;

      if (reply->status != 200)
        g_error ("%s: %u %s", cases[i].query, reply->status, reply->body);

      array = reply_collection (reply);
      g_assert_cmpuint (json_array_get_length (array), ==, cases[i].count);
      if (cases[i].first != NULL)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "Name"), ==,
                         cases[i].first);
    }

  by_id = g_strdup_printf ("Jobs()?$filter=Id%%20eq%%20'%s'&$top=1", beta);
  id_reply = api (&e->http, "GET", by_id, NULL, 0);
  g_assert_cmpuint (json_array_get_length (reply_collection (id_reply)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (reply_collection (id_reply), 0), "Name"),
                   ==, "beta");

  select = api (&e->http, "GET", "Jobs?$select=Id,%20State&$orderby=Name", NULL, 0);
  object = json_array_get_object_element (reply_collection (select), 0);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_true (json_object_has_member (object, "Id"));
  g_assert_true (json_object_has_member (object, "State"));

  {
    const char *bad[] = {
      "Jobs?$filter=Bogus%20eq%201",
      "Jobs?$filter=Name%20eq",
      "Jobs?$filter=Name%20eq%20'unterminated",
      "Jobs?$orderby=Name%20sideways",
      "Jobs?$select=Nope",
      "Jobs?$frobnicate=1",
      "Jobs?$filter=frob(Name)",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(Reply) reply = api (&e->http, "GET", bad[i], NULL, 0);

        g_assert_cmpuint (reply->status, ==, 400);
        g_assert_nonnull (reply_error (reply));
      }
  }

  /* Hostile nesting is refused, not recursed into. */
  {
    GString *deep = g_string_new ("Jobs?$filter=");
    g_autoptr(Reply) reply = NULL;

    for (guint i = 0; i < 5000; i++)
      g_string_append (deep, "(not%20");
    g_string_append (deep, "Name%20eq%20'x'");
    reply = api (&e->http, "GET", deep->str, NULL, 0);
    g_string_free (deep, TRUE);

    g_assert_cmpuint (reply->status, ==, 400);
    g_assert_nonnull (strstr (reply_error (reply), "nested too deeply"));
  }
}

/* JobTemplates */

#define TEMPLATE_TASK_ID "nb:ttid:UUID:071370A3-E63E-4E81-A099-AD66BCAC3789"

static char *
template_body (const char *task_template_id,
               int         n_inputs)
{
  return g_strdup_printf ("{\"Name\":\"NewJobTemplate25\",\"JobTemplateBody\":\"<?xml version=\\\"1.0\\\" "
                          "encoding=\\\"utf-8\\\"?><jobTemplate><taskBody taskTemplateId=\\\"%s\\\">"
                          "<inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset>"
                          "</taskBody></jobTemplate>\",\"NumberofInputAssets\":%d,\"TemplateType\":1,"
                          "\"TaskTemplates\":[{\"Id\":\"" TEMPLATE_TASK_ID "\",\"Configuration\":\"Adaptive Streaming\","
                          "\"MediaProcessorId\":\"" MES_ID "\",\"Name\":\"SampleTaskTemplate2\","
                          "\"NumberofInputAssets\":1,\"NumberofOutputAssets\":1}]}",
                          task_template_id, n_inputs);
}

static void
test_templates (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);
  const char      *asset_id = json_object_get_string_member (reply_entity (asset), "Id");
  g_autofree char *asset_escaped = escape_id (asset_id);
  g_autofree char *body = template_body (TEMPLATE_TASK_ID, 1);
  g_autofree char *mismatch_body = template_body ("nb:ttid:UUID:11111111-2222-3333-4444-555555555555", 1);
  g_autofree char *template_id = NULL;
  g_autofree char *template_escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *job_json = NULL;
  g_autofree char *two_inputs = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) duplicate = NULL;
  g_autoptr(Reply) mismatch = NULL;
  g_autoptr(Reply) fetched = NULL;
  g_autoptr(Reply) task_templates = NULL;
  g_autoptr(Reply) all_task_templates = NULL;
  g_autoptr(Reply) merge = NULL;
  g_autoptr(Reply) put = NULL;
  g_autoptr(Reply) job = NULL;
  g_autoptr(Reply) wrong_count = NULL;
  g_autoptr(Reply) deleted = NULL;
  JsonObject *object;
  JsonArray  *array;

  created = api (&e->http, "POST", "JobTemplates", body, REQUEST_VERBOSE);
  g_assert_cmpuint (created->status, ==, 201);
  object = reply_entity (created);
  template_id = g_strdup (json_object_get_string_member (object, "Id"));
  g_assert_true (jg_is_entity_id (template_id, "jtid"));
  template_escaped = escape_id (template_id);
  g_assert_nonnull (strstr (soup_message_headers_get_one (created->headers, "Location"), template_escaped));

  /* TaskTemplate ids are the client's, and unique. */
  duplicate = api (&e->http, "POST", "JobTemplates", body, 0);
  g_assert_cmpuint (duplicate->status, ==, 409);

  mismatch = api (&e->http, "POST", "JobTemplates", mismatch_body, 0);
  g_assert_cmpuint (mismatch->status, ==, 400);
  g_assert_nonnull (strstr (reply_error (mismatch), "TaskTemplate"));

  path = g_strdup_printf ("JobTemplates('%s')", template_escaped);
  fetched = api (&e->http, "GET", path, NULL, 0);
  object = reply_entity (fetched);
  g_assert_cmpint (json_object_get_int_member (object, "NumberofInputAssets"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "TemplateType"), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "JobTemplateBody"), TEMPLATE_TASK_ID));

  {
    g_autofree char *nav = g_strdup_printf ("%s/TaskTemplates", path);

    task_templates = api (&e->http, "GET", nav, NULL, 0);
  }
  array = reply_collection (task_templates);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "Id"), ==, TEMPLATE_TASK_ID);
  g_assert_cmpint (json_object_get_int_member (object, "NumberofOutputAssets"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "MediaProcessorId"), ==, MES_ID);

  all_task_templates = api (&e->http, "GET", "TaskTemplates", NULL, 0);
  g_assert_cmpuint (json_array_get_length (reply_collection (all_task_templates)), ==, 1);

  merge = http_send (&e->http, "MERGE", path, "application/json", "{\"Name\":\"x\"}", 0, NULL);
  g_assert_cmpuint (merge->status, ==, 400);
  g_assert_true (g_str_has_prefix (reply_error (merge), "JobTemplates cannot be updated"));
  put = http_send (&e->http, "POST", path, "application/json", "{\"Name\":\"x\"}", 0, "X-HTTP-Method", "PUT", NULL);
  g_assert_cmpuint (put->status, ==, 400);

  job_json = g_strdup_printf ("{\"Name\":\"FromTemplate\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":"
                              "\"https://media.windows.net/api/Assets('%s')\"}}],\"TemplateId\":\"%s\"}",
                              asset_escaped, template_id);
  job = api (&e->http, "POST", "Jobs", job_json, REQUEST_VERBOSE);
  g_assert_cmpuint (job->status, ==, 201);
  object = reply_entity (job);
  g_assert_cmpstr (json_object_get_string_member (object, "TemplateId"), ==, template_id);
  g_assert_cmpint (wait_for_job_final (&e->http, json_object_get_string_member (object, "Id")), ==, 3);
  {
    g_autofree char *job_escaped = escape_id (json_object_get_string_member (object, "Id"));
    g_autofree char *tasks_path = g_strdup_printf ("Jobs('%s')/Tasks", job_escaped);
    g_autoptr(Reply) tasks = api (&e->http, "GET", tasks_path, NULL, 0);
    JsonObject *task;

    g_assert_cmpuint (json_array_get_length (reply_collection (tasks)), ==, 1);
    task = json_array_get_object_element (reply_collection (tasks), 0);
    g_assert_cmpstr (json_object_get_string_member (task, "Name"), ==, "SampleTaskTemplate2");
    g_assert_cmpstr (json_object_get_string_member (task, "Configuration"), ==, "Adaptive Streaming");
    g_assert_null (strstr (json_object_get_string_member (task, "TaskBody"), "taskTemplateId"));
  }

  two_inputs = g_strdup_printf ("{\"Name\":\"Two\",\"InputMediaAssets@odata.bind\":[\"%sAssets('%s')\",\"%sAssets('%s')\"],"
                                "\"TemplateId\":\"%s\"}",
                                e->http.base, asset_escaped, e->http.base, asset_escaped, template_id);
  wrong_count = api (&e->http, "POST", "Jobs", two_inputs, 0);
  g_assert_cmpuint (wrong_count->status, ==, 400);
  g_assert_true (g_str_has_prefix (reply_error (wrong_count), "Incorrect number of inputs"));

  deleted = api (&e->http, "DELETE", path, NULL, 0);
  g_assert_cmpuint (deleted->status, ==, 204);
  g_assert_cmpuint (count_entities (e, "TaskTemplates"), ==, 0);
}

/* $batch */

#define BATCH_BOUNDARY     "batch_a01a5ec4-ba0f-4536-84b5-66c5a5a6d34e"
#define CHANGESET_BOUNDARY "changeset_122fb0a4-cd80-4958-820f-346309967e4d"

static char *
batch_body (Emulator   *e,
            const char *first_path,
            const char *first_body,
            const char *second_path,
            const char *second_body)
{
  return g_strdup_printf ("--" BATCH_BOUNDARY "\r\n"
                          "Content-Type: multipart/mixed; boundary=" CHANGESET_BOUNDARY "\r\n"
                          "\r\n"
                          "--" CHANGESET_BOUNDARY "\r\n"
                          "Content-Type: application/http\r\n"
                          "Content-Transfer-Encoding: binary\r\n"
                          "\r\n"
                          "POST %s%s HTTP/1.1\r\n"
                          "Content-ID: 1\r\n"
                          "Content-Type: application/json\r\n"
                          "Accept: application/json\r\n"
                          "DataServiceVersion: 3.0\r\n"
                          "MaxDataServiceVersion: 3.0\r\n"
                          "x-ms-version: 2.11\r\n"
                          "\r\n"
                          "%s\r\n"
                          "--" CHANGESET_BOUNDARY "\r\n"
                          "Content-Type: application/http\r\n"
                          "Content-Transfer-Encoding: binary\r\n"
                          "\r\n"
                          "POST https://media.windows.net/api/%s HTTP/1.1\r\n"
                          "Content-ID: 2\r\n"
                          "Content-Type: application/json;odata=verbose\r\n"
                          "Accept: application/json;odata=verbose\r\n"
                          "DataServiceVersion: 3.0\r\n"
                          "MaxDataServiceVersion: 3.0\r\n"
                          "x-ms-version: 2.11\r\n"
                          "\r\n"
                          "%s\r\n"
                          "--" CHANGESET_BOUNDARY "--\r\n"
                          "--" BATCH_BOUNDARY "--\r\n",
                          e->http.base, first_path, first_body, second_path, second_body);
}

static GPtrArray *
parse_batch_reply (Reply *reply)
{
  g_autoptr(GError) error = NULL;
  const char *content_type = soup_message_headers_get_one (reply->headers, "Content-Type");
  GPtrArray  *parts;

  g_assert_cmpuint (reply->status, ==, 202);
  g_assert_true (g_str_has_prefix (content_type, "multipart/mixed; boundary=batchresponse_"));

  parts = jg_batch_parse (content_type, reply->body, reply->length, &error);
  g_assert_no_error (error);

  return parts;
}

static void
test_batch (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);
  const char      *asset_id = json_object_get_string_member (reply_entity (asset), "Id");
  g_autofree char *asset_escaped = escape_id (asset_id);
  g_autofree char *job = g_strdup_printf ("{\"Name\" : \"NewTestJob\", \"InputMediaAssets@odata.bind\":"
                                          "[\"https://media.windows.net/api/Assets('%s')\"]}",
                                          asset_escaped);
  g_autofree char *task = g_strdup ("{\"Configuration\":\"H264 Adaptive Bitrate MP4 Set 720p\","
                                    "\"MediaProcessorId\":\"nb:mpid:UUID:1b1da727-93ae-4e46-a8a1-268828765609\","
                                    "\"TaskBody\":\"<?xml version=\\\"1.0\\\" encoding=\\\"utf-8\\\"?><taskBody>"
                                    "<inputAsset>JobInputAsset(0)</inputAsset><outputAsset assetName=\\\"Custom output name\\\">"
                                    "JobOutputAsset(0)</outputAsset></taskBody>\"}");
  g_autofree char *bad_task = g_strdup_printf ("{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES_ID "\","
                                               "\"TaskBody\":\"%s\"}",
                                               TASK_BODY ("JobInputAsset(3)", "JobOutputAsset(0)"));
  g_autofree char *body = batch_body (e, "Jobs", job, "$1/Tasks", task);
  g_autofree char *bad_body = batch_body (e, "Jobs", job, "$1/Tasks", bad_task);
  g_autofree char *template_json = NULL;
  g_autofree char *template_batch = NULL;
  g_autofree char *content_type = g_strdup ("multipart/mixed; boundary=" BATCH_BOUNDARY);
  g_autoptr(Reply) ok = NULL;
  g_autoptr(Reply) failed = NULL;
  g_autoptr(Reply) templated = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) bad_parts = NULL;
  g_autoptr(GPtrArray) template_parts = NULL;
  g_autoptr(JsonNode) job_json = NULL;
  JgBatchPart *part;

  ok = http_send (&e->http, "POST", "$batch", content_type, body, 0,
                  "Accept", "multipart/mixed", "DataServiceVersion", "1.0;NetFx", NULL);
  parts = parse_batch_reply (ok);
  g_assert_cmpuint (parts->len, ==, 2);

  part = g_ptr_array_index (parts, 0);
  g_assert_cmpint (part->status, ==, 201);
  g_assert_cmpint (part->changeset, ==, 1);
  g_assert_cmpstr (jg_batch_part_get_header (part, "Content-ID"), ==, "1");
  g_assert_nonnull (strstr (jg_batch_part_get_header (part, "Location"), "Jobs('nb%3Ajid%3AUUID%3A"));
  job_json = jg_json_parse (g_bytes_get_data (part->body, NULL), g_bytes_get_size (part->body), NULL);
  g_assert_nonnull (job_json);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_node_get_object (job_json), "Id"), "nb:jid:UUID:"));

  part = g_ptr_array_index (parts, 1);
  g_assert_cmpint (part->status, ==, 201);
  g_assert_cmpstr (jg_batch_part_get_header (part, "Content-ID"), ==, "2");
  g_assert_nonnull (strstr (jg_batch_part_get_header (part, "Location"), "Tasks('nb%3Atid%3AUUID%3A"));
  g_assert_nonnull (strstr (g_bytes_get_data (part->body, NULL), "\"d\""));

  g_assert_cmpuint (count_entities (e, "Jobs"), ==, 1);
  g_assert_cmpuint (count_entities (e, "Tasks"), ==, 1);
  g_assert_cmpuint (count_entities (e, "Assets?$filter=Name%20eq%20'Custom%20output%20name'"), ==, 1);

  /* A failing changeset: one error part, and nothing created. */
  failed = http_send (&e->http, "POST", "$batch", content_type, bad_body, 0, NULL);
  bad_parts = parse_batch_reply (failed);
  g_assert_cmpuint (bad_parts->len, ==, 1);
  part = g_ptr_array_index (bad_parts, 0);
  g_assert_cmpint (part->status, ==, 400);
  g_assert_nonnull (strstr (g_bytes_get_data (part->body, NULL), "odata.error"));
  g_assert_nonnull (strstr (g_bytes_get_data (part->body, NULL), "JobInputAsset(3)"));
  g_assert_cmpuint (count_entities (e, "Jobs"), ==, 1);
  g_assert_cmpuint (count_entities (e, "Tasks"), ==, 1);

  /* A JobTemplate and its TaskTemplates. */
  template_json = g_strdup ("{\"Name\":\"Batched\",\"JobTemplateBody\":\"<jobTemplate><taskBody taskTemplateId="
                            "\\\"nb:ttid:UUID:9e0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b\\\"><inputAsset>JobInputAsset(0)</inputAsset>"
                            "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody></jobTemplate>\",\"TemplateType\":1}");
  template_batch = batch_body (e, "JobTemplates", template_json, "$1/TaskTemplates",
                               "{\"Id\":\"nb:ttid:UUID:9e0f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b\",\"Configuration\":"
                               "\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES_ID "\",\"Name\":\"Encode\","
                               "\"NumberofInputAssets\":1,\"NumberofOutputAssets\":1}");
  templated = http_send (&e->http, "POST", "$batch", content_type, template_batch, 0, NULL);
  template_parts = parse_batch_reply (templated);
  g_assert_cmpuint (template_parts->len, ==, 2);
  g_assert_cmpint (((JgBatchPart *)g_ptr_array_index (template_parts, 0))->status, ==, 201);
  g_assert_cmpint (((JgBatchPart *)g_ptr_array_index (template_parts, 1))->status, ==, 201);
  g_assert_nonnull (strstr (jg_batch_part_get_header (g_ptr_array_index (template_parts, 1), "Location"),
                            "TaskTemplates('nb%3Attid%3AUUID%3A9e0f1a2b"));
  g_assert_cmpuint (count_entities (e, "JobTemplates"), ==, 1);
}

static void
test_batch_query (void)
{
  g_autoptr(Emulator) e = emulator_new_default ();
  g_autofree char *body = g_strdup_printf ("--b1\r\n"
                                           "Content-Type: application/http\r\n"
                                           "Content-Transfer-Encoding: binary\r\n"
                                           "\r\n"
                                           "GET %sMediaProcessors?$top=1 HTTP/1.1\r\n"
                                           "Accept: application/json\r\n"
                                           "\r\n"
                                           "\r\n"
                                           "--b1--\r\n",
                                           e->http.base);
  g_autoptr(Reply) reply = http_send (&e->http, "POST", "$batch", "multipart/mixed; boundary=b1", body, 0, NULL);
  g_autoptr(GPtrArray) parts = parse_batch_reply (reply);
  JgBatchPart *part;

  g_assert_cmpuint (parts->len, ==, 1);
  part = g_ptr_array_index (parts, 0);
  g_assert_cmpint (part->status, ==, 200);
  g_assert_cmpint (part->changeset, ==, 0);
  g_assert_nonnull (strstr (g_bytes_get_data (part->body, NULL), "\"value\":[{"));
}

/* Faults */

static Emulator *
emulator_with_faults (const char *faults)
{
  EmulatorSetup setup = { .faults = faults, .static_token = TOKEN };
  Emulator     *e = emulator_new (&setup);

  e->http.token = g_strdup (TOKEN);

  return e;
}

static void
test_faults_busy (void)
{
  g_autoptr(Emulator) e = emulator_with_faults ("busy#2");
  g_autofree char *token_uri = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Reply) reply = api (&e->http, "GET", "Jobs", NULL, 0);

      g_assert_cmpuint (reply->status, ==, 503);
      g_assert_cmpstr (reply->reason, ==, "Server is busy. More than 100 requests per second can be throttled.");
      g_assert_cmpstr (reply_error (reply), ==, "Server is busy. More than 100 requests per second can be throttled.");
    }

  {
    g_autoptr(Reply) reply = api (&e->http, "GET", "Jobs", NULL, 0);

    g_assert_cmpuint (reply->status, ==, 200);
  }

  /* The token endpoints see busy too. */
  {
    g_autoptr(Emulator) t = emulator_with_faults ("busy#1");
    g_autoptr(Reply) busy = NULL;
    g_autofree char *token = NULL;

    token_uri = g_strconcat (t->http.root, "v2/OAuth2-13", NULL);
    busy = http_send (&t->http, "POST", token_uri, "application/x-www-form-urlencoded",
                      "grant_type=client_credentials&client_id=local&client_secret=" KEY
                      "&scope=urn%3aWindowsAzureMediaServices",
                      REQUEST_NO_TOKEN, NULL);
    g_assert_cmpuint (busy->status, ==, 503);
    token = http_fetch_token (&t->http, KEY);
    g_assert_nonnull (token);
  }
}

static void
test_faults_probability (void)
{
  g_autoptr(Emulator) e = NULL;
  guint n_busy = 0;

  g_setenv ("JOBGRAPH_FAULT_SEED", "42", TRUE);
  e = emulator_with_faults ("busy@0.5");
  g_unsetenv ("JOBGRAPH_FAULT_SEED");

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(Reply) reply = api (&e->http, "GET", "MediaProcessors?$top=1", NULL, 0);

      g_assert_true (reply->status == 200 || reply->status == 503);
      n_busy += reply->status == 503;
    }

  g_assert_cmpuint (n_busy, >, 0);
  g_assert_cmpuint (n_busy, <, 40);
}

static char *
post_simple_job_body (Emulator *e)
{
  g_autofree char *asset_id = NULL;
  g_autofree char *task = task_json ("Adaptive Streaming", TASK_BODY ("JobInputAsset(0)", "JobOutputAsset(0)"));
  g_autofree char *tasks = g_strdup_printf ("[%s]", task);
  g_autoptr(Reply) asset = api (&e->http, "POST", "Assets", "{\"Name\":\"input\"}", 0);

  g_assert_cmpuint (asset->status, ==, 201);
  asset_id = g_strdup (json_object_get_string_member (reply_entity (asset), "Id"));

  return job_body (e, "Faulty", asset_id, FALSE, tasks);
}

static void
test_faults_reset (void)
{
  {
    g_autoptr(Emulator) e = emulator_with_faults ("reset-before#1");
    g_autoptr(Reply) first = api (&e->http, "GET", "Jobs", NULL, REQUEST_NEW_CONNECTION);

    g_assert_nonnull (first->error);
    g_assert_cmpuint (first->status, ==, 0);
  }

  /* reset-before: the job is not created. The asset is created first:
   * slow:0#1 takes that request, so the next one gets the reset.
   */
  {
    g_autoptr(Emulator) e = emulator_with_faults ("slow:0#1,reset-before#1");
    g_autofree char *body = post_simple_job_body (e);
    g_autoptr(Reply) reply = api (&e->http, "POST", "Jobs", body, REQUEST_VERBOSE | REQUEST_NEW_CONNECTION);

    g_assert_nonnull (reply->error);
    g_assert_cmpuint (count_entities (e, "Jobs"), ==, 0);
  }

  /* reset-after: the job is created, but the client never hears of it. */
  {
    g_autoptr(Emulator) e = emulator_with_faults ("slow:0#1,reset-after#1");
    g_autofree char *body = post_simple_job_body (e);
    g_autoptr(Reply) reply = api (&e->http, "POST", "Jobs", body, REQUEST_VERBOSE | REQUEST_NEW_CONNECTION);

    g_assert_nonnull (reply->error);
    g_assert_cmpuint (count_entities (e, "Jobs"), ==, 1);
  }
}

static void
test_faults_slow (void)
{
  g_autoptr(Emulator) e = emulator_with_faults ("slow:300#1");
  gint64 start = g_get_monotonic_time ();
  g_autoptr(Reply) slow = api (&e->http, "GET", "Jobs", NULL, 0);
  gint64 elapsed = g_get_monotonic_time () - start;
  g_autoptr(Reply) fast = api (&e->http, "GET", "Jobs", NULL, 0);

  g_assert_cmpuint (slow->status, ==, 200);
  g_assert_cmpint (elapsed, >=, 280 * 1000);
  g_assert_nonnull (reply_collection (slow));
  g_assert_cmpuint (fast->status, ==, 200);
}

static void
test_faults_expire_token (void)
{
  g_autoptr(Emulator) e = emulator_with_faults ("expire-token#1");
  g_autoptr(Reply) anonymous = api (&e->http, "GET", "Jobs", NULL, REQUEST_NO_TOKEN);
  g_autoptr(Reply) expired = api (&e->http, "GET", "Jobs", NULL, 0);
  g_autoptr(Reply) fine = api (&e->http, "GET", "Jobs", NULL, 0);

  /* Requests without a token do not use the fault up. */
  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_cmpstr (reply_error (anonymous), !=, "The access token has expired.");

  g_assert_cmpuint (expired->status, ==, 401);
  g_assert_cmpstr (reply_error (expired), ==, "The access token has expired.");
  g_assert_nonnull (strstr (soup_message_headers_get_one (expired->headers, "WWW-Authenticate"), "invalid_token"));

  g_assert_cmpuint (fine->status, ==, 200);
}

static void
test_faults_malformed (void)
{
  g_autoptr(Emulator) e = emulator_with_faults ("malformed#1");
  g_autoptr(Reply) broken = api (&e->http, "GET", "MediaProcessors", NULL, 0);
  g_autoptr(Reply) fine = api (&e->http, "GET", "MediaProcessors", NULL, 0);

  g_assert_cmpuint (broken->status, ==, 200);
  g_assert_cmpuint (broken->length, >, 0);
  g_assert_null (broken->json);
  g_assert_cmpuint (fine->status, ==, 200);
  g_assert_nonnull (fine->json);
  g_assert_cmpuint (broken->length, ==, fine->length / 2);
  g_assert_true (g_str_has_prefix (fine->body, broken->body));
}

static void
test_faults_spec (void)
{
  const char *bad[] = {
    "busy",
    "bogus@0.1",
    "busy@1.5",
    "busy#x",
    "reset-before:10#1",
    "slow:abc#1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      EmulatorSetup setup = { .faults = bad[i] };
      g_autoptr(GError) error = NULL;
      g_autoptr(Emulator) e = emulator_try_new (&setup, &error);

      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide the GSettings schemas that GIO's GNOME
   * proxy resolver needs; loopback needs no proxy anyway.
   */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/emulator/token/acs", test_token_acs);
  g_test_add_func ("/jobgraph/emulator/token/aad", test_token_aad);
  g_test_add_func ("/jobgraph/emulator/auth", test_auth);
  g_test_add_func ("/jobgraph/emulator/redirect", test_redirect);
  g_test_add_func ("/jobgraph/emulator/headers", test_headers);
  g_test_add_func ("/jobgraph/emulator/processors", test_processors);
  g_test_add_func ("/jobgraph/emulator/assets/seed", test_assets_seed);
  g_test_add_func ("/jobgraph/emulator/assets/crud", test_assets_crud);
  g_test_add_func ("/jobgraph/emulator/jobs/create", test_jobs_create);
  g_test_add_func ("/jobgraph/emulator/jobs/invalid", test_jobs_invalid);
  g_test_add_func ("/jobgraph/emulator/jobs/finish", test_jobs_finish);
  g_test_add_func ("/jobgraph/emulator/jobs/bad-preset", test_jobs_bad_preset);
  g_test_add_func ("/jobgraph/emulator/jobs/cancel", test_jobs_cancel);
  g_test_add_func ("/jobgraph/emulator/query/paging", test_paging);
  g_test_add_func ("/jobgraph/emulator/query/options", test_query);
  g_test_add_func ("/jobgraph/emulator/templates", test_templates);
  g_test_add_func ("/jobgraph/emulator/batch/changeset", test_batch);
  g_test_add_func ("/jobgraph/emulator/batch/query", test_batch_query);
  g_test_add_func ("/jobgraph/emulator/faults/busy", test_faults_busy);
  g_test_add_func ("/jobgraph/emulator/faults/probability", test_faults_probability);
  g_test_add_func ("/jobgraph/emulator/faults/reset", test_faults_reset);
  g_test_add_func ("/jobgraph/emulator/faults/slow", test_faults_slow);
  g_test_add_func ("/jobgraph/emulator/faults/expire-token", test_faults_expire_token);
  g_test_add_func ("/jobgraph/emulator/faults/malformed", test_faults_malformed);
  g_test_add_func ("/jobgraph/emulator/faults/spec", test_faults_spec);

  return g_test_run ();
}
