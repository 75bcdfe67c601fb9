/* test-protocol.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "jg-client.h"
#include "jg-client-private.h"

#include "log-capture.h"

/* The client's HTTP behaviour against a scripted loopback SoupServer that
 * runs in its own thread and main context (the GNOME Calendar
 * tests/gcal-simple-server.c pattern): the shapes a real service sends and
 * the emulator does not (XML and light error bodies, redirect loops,
 * Location-less redirects), exact header checks, and timing-independent
 * token refresh. Everything the emulator can do is tested against the
 * emulator in test-client.c.
 */

#define JOB_ID "nb:jid:UUID:7dc2642f-0000-4000-8000-000000000001"

typedef struct
{
  char *method;
  char *path;
  char *query;
  char *authorization;
  char *request_id;
  char *version;
  char *data_service_version;
  char *max_data_service_version;
  char *accept;
  char *content_type;
  char *body;
} Request;

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *root;

  GMutex        lock;
  GCond         cond;
  gboolean      ready;

  /* Script, set before requests are made; read by the server thread. */
  int           busy;          /* API requests to answer with 503 */
  int           unauthorized;  /* requests with the first token to answer with 401 */
  gboolean      reject_tokens; /* answer every API request with 401 */
  int           server_errors; /* API requests to answer with 500 */
  const char   *expires_in;    /* as a JSON string, or NULL for a number */
  gint64        expires_in_number;
  gboolean      redirect; /* /api/ answers 301 to /accounts/acme/api/ */
  gboolean      redirect_relative;
  guint         n_jobs; /* for paging */

  /* A job store with dropped connections, for duplicate avoidance. */
  gboolean      store_jobs;
  guint         drop_after;  /* every Nth POST: create, then drop the connection */
  guint         drop_before; /* every Nth POST: drop without creating */
  guint         fail_after;  /* every Nth POST: create, then answer 500 */
  guint         n_posts;
  int           drop_reads;      /* GETs to drop without answering */
  guint         drop_every_read; /* and every Nth GET */
  guint         n_reads;
  GPtrArray    *jobs; /* JsonObject, the created jobs */

  /* Clients of the test, finalized after the server stopped: libsoup
   * 3.2 servers leak a connection that the client closes first (fixed
   * upstream in 3.3 by commit d20c6601).
   */
  GPtrArray    *clients;

  /* Record, under the lock. */
  GPtrArray    *requests;
  guint         n_tokens;
} Fake;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->authorization);
  g_free (request->request_id);
  g_free (request->version);
  g_free (request->data_service_version);
  g_free (request->max_data_service_version);
  g_free (request->accept);
  g_free (request->content_type);
  g_free (request->body);
  g_free (request);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *message)
{
  g_autofree char *body = g_strdup_printf ("{\"error\":{\"code\":\"\",\"message\":{\"lang\":\"en-US\",\"value\":\"%s\"}}}",
                                           message);

  respond (msg, status, "application/json", body);
}

static void
serve_jobs_page (Fake              *fake,
                 SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *skip_text = query ? g_hash_table_lookup (query, "$skip") : NULL;
  const char *top_text = query ? g_hash_table_lookup (query, "$top") : NULL;
  guint       skip = skip_text ? (guint)g_ascii_strtoull (skip_text, NULL, 10) : 0;
  guint       top = top_text ? (guint)g_ascii_strtoull (top_text, NULL, 10) : 1000;
  g_autoptr(GString) body = g_string_new ("{\"d\":{\"results\":[");

  /* Like the service: never more than 1,000, and no next link. */
  top = MIN (top, 1000);

  for (guint i = skip; i < fake->n_jobs && i < skip + top; i++)
    g_string_append_printf (body, "%s{\"Id\":\"nb:jid:UUID:%08u\",\"Name\":\"job %u\",\"State\":3}",
                            i > skip ? "," : "", i, i);

  g_string_append (body, "]}}");
  respond (msg, 200, "application/json", body->str);
}

/* The store: a created job is the posted body plus an Id and Created. */
static JsonObject *
store_job (Fake       *fake,
           const char *body)
{
  g_autoptr(JsonNode) root = jg_json_parse (body, -1, NULL);
  JsonObject      *job;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  g_assert_nonnull (root);
  job = json_object_ref (json_node_get_object (root));
  id = g_strdup_printf ("nb:jid:UUID:00000000-0000-4000-8000-%012u", fake->jobs->len + 1);
  json_object_set_string_member (job, "Id", id);
  json_object_set_string_member (job, "Created", created);
  json_object_set_int_member (job, "State", 0);
  g_ptr_array_add (fake->jobs, job);

  return job;
}

static char *
dup_entity_json (JsonObject *object)
{
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(JsonNode) wrapper = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) d = json_object_new ();
  GList *members = json_object_get_members (object);

  /* The job itself, without its deep-inserted navigation properties. */
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (g_str_equal (l->data, "Tasks") || g_str_equal (l->data, "InputMediaAssets"))
        continue;
      json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (object, l->data)));
    }
  g_list_free (members);

  json_object_set_object_member (d, "d", g_steal_pointer (&copy));
  json_node_set_object (wrapper, d);

  return json_to_string (wrapper, FALSE);
}

static JsonObject *
find_stored_job (Fake       *fake,
                 const char *id)
{
  for (guint i = 0; i < fake->jobs->len; i++)
    {
      JsonObject *job = g_ptr_array_index (fake->jobs, i);

      if (g_str_equal (json_object_get_string_member (job, "Id"), id))
        return job;
    }

  return NULL;
}

/* Handles the store's requests; returns FALSE for anything else. Called
 * with the lock held; releases it.
 */
static gboolean
serve_store (Fake              *fake,
             SoupServerMessage *msg,
             const char        *method,
             const char        *entity,
             GHashTable        *query,
             const char        *body)
{
  if (g_str_equal (entity, "Jobs") && g_str_equal (method, "POST"))
    {
      guint            n = ++fake->n_posts;
      JsonObject      *job;
      g_autofree char *json = NULL;

      if (fake->drop_before > 0 && n % fake->drop_before == 0)
        {
          GIOStream *stream;

          g_mutex_unlock (&fake->lock);
          stream = soup_server_message_steal_connection (msg);
          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
          return TRUE;
        }

      job = store_job (fake, body);
      json = dup_entity_json (job);

      if (fake->drop_after > 0 && n % fake->drop_after == 0)
        {
          GIOStream *stream;

          g_mutex_unlock (&fake->lock);
          stream = soup_server_message_steal_connection (msg);
          g_io_stream_close (stream, NULL, NULL);
          g_object_unref (stream);
          return TRUE;
        }

      if (fake->fail_after > 0 && n % fake->fail_after == 0)
        {
          g_mutex_unlock (&fake->lock);
          respond_error (msg, 500, "Something went wrong after the job was saved.");
          return TRUE;
        }

      g_mutex_unlock (&fake->lock);
      respond (msg, 201, "application/json", json);
      return TRUE;
    }

  if (g_str_equal (entity, "Jobs") && g_str_equal (method, "GET"))
    {
      const char *filter = query ? g_hash_table_lookup (query, "$filter") : NULL;
      g_autoptr(GString) out = g_string_new ("{\"d\":{\"results\":[");
      g_autofree char *name = NULL;
      guint            n = 0;

      /* Only `Name eq '…'` is understood. */
      if (filter != NULL && g_str_has_prefix (filter, "Name eq '") && g_str_has_suffix (filter, "'"))
        {
          g_autofree char *quoted = g_strndup (filter + strlen ("Name eq '"), strlen (filter) - strlen ("Name eq '") - 1);
          g_auto(GStrv) parts = g_strsplit (quoted, "''", -1);

          name = g_strjoinv ("'", parts);
        }

      for (guint i = 0; i < fake->jobs->len; i++)
        {
          JsonObject      *job = g_ptr_array_index (fake->jobs, i);
          g_autofree char *json = NULL;

          if (name != NULL && g_strcmp0 (json_object_get_string_member (job, "Name"), name) != 0)
            continue;

          json = dup_entity_json (job);
          /* Strip the {"d": …} of the single entity. */
          g_string_append_printf (out, "%s%.*s", n++ > 0 ? "," : "", (int)strlen (json) - 6, json + 5);
        }

      g_string_append (out, "]}}");
      g_mutex_unlock (&fake->lock);
      respond (msg, 200, "application/json", out->str);
      return TRUE;
    }

  if (g_str_has_prefix (entity, "Jobs('") && g_str_has_suffix (entity, "')/Tasks"))
    {
      g_autofree char *id = g_strndup (entity + 6, strlen (entity) - 6 - strlen ("')/Tasks"));
      g_autofree char *unescaped = g_uri_unescape_string (id, NULL);
      JsonObject      *job = find_stored_job (fake, unescaped);
      g_autoptr(GString) out = g_string_new ("{\"d\":{\"results\":[");
      JsonArray *tasks;

      g_assert_nonnull (job);
      tasks = json_object_get_array_member (job, "Tasks");
      for (guint i = 0; i < json_array_get_length (tasks); i++)
        {
          g_autoptr(JsonNode) node = json_node_copy (json_array_get_element (tasks, i));
          g_autofree char *task_id = g_strdup_printf ("nb:tid:UUID:%u", i);
          g_autofree char *json = NULL;

          json_object_set_string_member (json_node_get_object (node), "Id", task_id);
          json = json_to_string (node, FALSE);
          g_string_append_printf (out, "%s%s", i > 0 ? "," : "", json);
        }

      g_string_append (out, "]}}");
      g_mutex_unlock (&fake->lock);
      respond (msg, 200, "application/json", out->str);
      return TRUE;
    }

  if (g_str_has_prefix (entity, "Jobs('") && g_str_has_suffix (entity, "')/InputMediaAssets"))
    {
      g_autofree char *id = g_strndup (entity + 6, strlen (entity) - 6 - strlen ("')/InputMediaAssets"));
      g_autofree char *unescaped = g_uri_unescape_string (id, NULL);
      JsonObject      *job = find_stored_job (fake, unescaped);
      g_autoptr(GString) out = g_string_new ("{\"d\":{\"results\":[");
      JsonArray *inputs;

      g_assert_nonnull (job);
      inputs = json_object_get_array_member (job, "InputMediaAssets");
      for (guint i = 0; i < json_array_get_length (inputs); i++)
        {
          JsonObject      *link = json_object_get_object_member (json_array_get_object_element (inputs, i), "__metadata");
          g_autofree char *asset_id = jg_rest_dup_asset_id_from_uri (json_object_get_string_member (link, "uri"));

          g_string_append_printf (out, "%s{\"Id\":\"%s\"}", i > 0 ? "," : "", asset_id);
        }

      g_string_append (out, "]}}");
      g_mutex_unlock (&fake->lock);
      respond (msg, 200, "application/json", out->str);
      return TRUE;
    }

  g_mutex_unlock (&fake->lock);
  return FALSE;
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fake               *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody    *request_body = soup_server_message_get_request_body (msg);
  const char         *method = soup_server_message_get_method (msg);
  Request            *request = g_new0 (Request, 1);
  const char         *entity;
  gboolean            first_token;

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (msg)));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->request_id = g_strdup (soup_message_headers_get_one (headers, "x-ms-client-request-id"));
  request->version = g_strdup (soup_message_headers_get_one (headers, "x-ms-version"));
  request->data_service_version = g_strdup (soup_message_headers_get_one (headers, "DataServiceVersion"));
  request->max_data_service_version = g_strdup (soup_message_headers_get_one (headers, "MaxDataServiceVersion"));
  request->accept = g_strdup (soup_message_headers_get_one (headers, "Accept"));
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->body = g_strndup (request_body->data, request_body->length);

  g_mutex_lock (&fake->lock);
  g_ptr_array_add (fake->requests, request);

  if (g_str_equal (path, "/v2/OAuth2-13") || g_str_has_suffix (path, "/oauth2/token"))
    {
      g_autofree char *body = NULL;

      fake->n_tokens++;
      if (fake->expires_in != NULL)
        body = g_strdup_printf ("{\"token_type\":\"http://schemas.xmlsoap.org/ws/2009/11/swt-token-profile-1.0\","
                                "\"access_token\":\"tok-%u\",\"expires_in\":\"%s\",\"scope\":\"urn:WindowsAzureMediaServices\"}",
                                fake->n_tokens, fake->expires_in);
      else
        body = g_strdup_printf ("{\"token_type\":\"Bearer\",\"access_token\":\"tok-%u\",\"expires_in\":%" G_GINT64_FORMAT "}",
                                fake->n_tokens, fake->expires_in_number);
      g_mutex_unlock (&fake->lock);

      respond (msg, 200, "application/json", body);
      return;
    }

  if (g_str_has_prefix (path, "/loop/api/"))
    {
      g_mutex_unlock (&fake->lock);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", "/loop/api/");
      respond (msg, 301, "text/html", "<html>Object moved</html>");
      return;
    }

  if (g_str_has_prefix (path, "/nowhere/api/"))
    {
      g_mutex_unlock (&fake->lock);
      respond (msg, 301, "text/html", "<html>Object moved</html>");
      return;
    }

  if (g_str_has_prefix (path, "/api/") && fake->redirect)
    {
      g_autofree char *location = NULL;

      g_mutex_unlock (&fake->lock);
      location = fake->redirect_relative ? g_strdup ("/accounts/acme/api/")
                                         : g_strconcat (fake->root, "accounts/acme/api/", NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
      respond (msg, 301, "text/html", "<html>Object moved</html>");
      return;
    }

  if (g_str_has_prefix (path, "/api/"))
    entity = path + strlen ("/api/");
  else if (g_str_has_prefix (path, "/accounts/acme/api/"))
    entity = path + strlen ("/accounts/acme/api/");
  else
    {
      g_mutex_unlock (&fake->lock);
      respond (msg, 404, "text/plain", "no such path");
      return;
    }

  first_token = g_strcmp0 (request->authorization, "Bearer tok-1") == 0;

  if ((fake->unauthorized > 0 && first_token) || fake->reject_tokens)
    {
      if (fake->unauthorized > 0)
        fake->unauthorized--;
      g_mutex_unlock (&fake->lock);
      respond_error (msg, 401, "The access token has expired.");
      return;
    }

  if (fake->busy > 0)
    {
      fake->busy--;
      g_mutex_unlock (&fake->lock);
      respond_error (msg, 503, "Server is busy. More than 10 requests per second can be throttled.");
      return;
    }

  if (fake->server_errors > 0)
    {
      fake->server_errors--;
      g_mutex_unlock (&fake->lock);
      respond_error (msg, 500, "Quota information is temporarily unavailable.");
      return;
    }

  if (g_str_equal (method, "GET") && g_str_has_prefix (entity, "Jobs('nb"))
    fake->n_reads++;

  if (g_str_equal (method, "GET") &&
      (fake->drop_reads > 0 ||
       (fake->drop_every_read > 0 && g_str_has_prefix (entity, "Jobs('nb") && fake->n_reads % fake->drop_every_read == 0)))
    {
      GIOStream *stream;

      if (fake->drop_reads > 0)
        fake->drop_reads--;
      g_mutex_unlock (&fake->lock);
      stream = soup_server_message_steal_connection (msg);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return;
    }

  if (fake->store_jobs)
    {
      if (serve_store (fake, msg, method, entity, query, request->body))
        return;
    }
  else
    {
      g_mutex_unlock (&fake->lock);
    }

  if (g_str_equal (entity, "Jobs('error-verbose')"))
    respond_error (msg, 404, "Resource Asset not found");
  else if (g_str_equal (entity, "Jobs('error-light')"))
    respond (msg, 400, "application/json",
             "{\"odata.error\":{\"code\":\"invalid-property\",\"message\":{\"lang\":\"en-US\",\"value\":\"Property 'Nmae' is not defined.\"}}}");
  else if (g_str_equal (entity, "Jobs('error-xml')"))
    respond (msg, 409, "application/xml",
             "<?xml version=\"1.0\" encoding=\"utf-8\"?><error xmlns=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">"
             "<code>Conflict</code><message xml:lang=\"en-US\">An AssetFile with that name already exists.</message></error>");
  else if (g_str_equal (entity, "Jobs('error-empty')"))
    respond (msg, 403, NULL, NULL);
  else if (g_str_equal (entity, "Jobs") && g_str_equal (method, "GET"))
    serve_jobs_page (fake, msg, query);
  else if (g_str_equal (entity, "Jobs") && g_str_equal (method, "POST"))
    respond (msg, 201, "application/json",
             "{\"d\":{\"Id\":\"" JOB_ID "\",\"Name\":\"posted\",\"State\":0,\"Created\":\"2026-01-01T00:00:00\"}}");
  else if (g_str_has_prefix (entity, "Jobs('"))
    respond (msg, 200, "application/json",
             "{\"d\":{\"Id\":\"" JOB_ID "\",\"Name\":\"j\",\"State\":2,\"Created\":\"2015-02-11T01:46:08.897\"}}");
  else
    respond_error (msg, 404, "No such entity set");
}

static gpointer
server_thread (gpointer data)
{
  Fake *fake = data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (fake->context);

  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, handle_cb, fake, NULL);

  /* Listen on a socket of our own: libsoup 3.2 leaks the address it looks
   * up in soup_server_listen_local() and soup_server_get_uris().
   */
  {
    g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;

    g_assert_no_error (error);
    g_socket_bind (socket, address, TRUE, &error);
    g_assert_no_error (error);
    g_socket_listen (socket, &error);
    g_assert_no_error (error);
    soup_server_listen_socket (fake->server, socket, 0, &error);
    g_assert_no_error (error);

    bound = g_socket_get_local_address (socket, &error);
    g_assert_no_error (error);

    g_mutex_lock (&fake->lock);
    fake->root = g_strdup_printf ("http://127.0.0.1:%u/",
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    fake->ready = TRUE;
    g_cond_signal (&fake->cond);
    g_mutex_unlock (&fake->lock);
  }

  g_main_loop_run (fake->loop);

  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);

  /* Let the server's connections finish closing. */
  while (g_main_context_iteration (fake->context, FALSE))
    ;

  g_main_context_pop_thread_default (fake->context);

  return NULL;
}

static Fake *
fake_new (void)
{
  Fake *fake = g_new0 (Fake, 1);

  g_mutex_init (&fake->lock);
  g_cond_init (&fake->cond);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  fake->requests = g_ptr_array_new_with_free_func (request_free);
  fake->clients = g_ptr_array_new ();
  fake->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  fake->expires_in = "21600";

  fake->thread = g_thread_new ("fake-service", server_thread, fake);

  g_mutex_lock (&fake->lock);
  while (!fake->ready)
    g_cond_wait (&fake->cond, &fake->lock);
  g_mutex_unlock (&fake->lock);

  return fake;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fake_free (Fake *fake)
{
  g_main_context_invoke (fake->context, quit_cb, fake->loop);
  g_thread_join (fake->thread);

  for (guint i = 0; i < fake->clients->len; i++)
    g_assert_finalize_object (g_ptr_array_index (fake->clients, i));
  g_ptr_array_unref (fake->clients);

  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_ptr_array_unref (fake->requests);
  g_ptr_array_unref (fake->jobs);
  g_free (fake->root);
  g_mutex_clear (&fake->lock);
  g_cond_clear (&fake->cond);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

/* Copies of the requests made so far whose path starts with @prefix. */
static GPtrArray *
fake_dup_requests (Fake       *fake,
                   const char *prefix)
{
  GPtrArray *out = g_ptr_array_new ();

  g_mutex_lock (&fake->lock);
  for (guint i = 0; i < fake->requests->len; i++)
    {
      Request *request = g_ptr_array_index (fake->requests, i);

      if (prefix == NULL || g_str_has_prefix (request->path, prefix))
        g_ptr_array_add (out, request);
    }
  g_mutex_unlock (&fake->lock);

  return out;
}

static guint
fake_get_n_tokens (Fake *fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->n_tokens;
  g_mutex_unlock (&fake->lock);

  return n;
}

static JgClient *
new_client (Fake       *fake,
            const char *path,
            JgAuthKind  kind)
{
  g_autofree char *endpoint = g_strconcat (fake->root, path, NULL);
  g_autofree char *token_uri = NULL;
  g_autoptr(JgAccount) account = jg_account_new (kind, endpoint);
  JgClient *client;

  token_uri = g_strconcat (fake->root, kind == JG_AUTH_KIND_AAD ? "contoso.onmicrosoft.com/oauth2/token" : "v2/OAuth2-13", NULL);
  jg_account_set_token_uri (account, token_uri);
  jg_account_set_client_id (account, "acme");
  jg_account_set_secret (account, kind == JG_AUTH_KIND_BEARER ? "tok-1" : "k3y/with+special=chars");

  client = jg_client_new (account);
  jg_client_set_retry_policy (client, 4, 1, 4);
  g_ptr_array_add (fake->clients, g_object_ref (client));

  return client;
}

/* Async plumbing */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static JgRemoteJob *
get_job (JgClient   *client,
         const char *id,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_get_job_async (client, id, NULL, store_result_cb, &result);
  return jg_client_get_job_finish (client, wait_for (&result), error);
}

/* Tests */

static void
test_headers_and_retries (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) api = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  Request *token;

  fake->busy = 2;
  fake->server_errors = 1;

  job = get_job (client, JOB_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->id, ==, JOB_ID);
  g_assert_cmpint (job->state, ==, JG_JOB_STATE_PROCESSING);

  /* Two 503s and a 500 (a read may be repeated), then the answer: four
   * requests of one logical operation, with one request id.
   */
  api = fake_dup_requests (fake, "/api/");
  g_assert_cmpuint (api->len, ==, 4);
  for (guint i = 0; i < api->len; i++)
    {
      Request *request = g_ptr_array_index (api, i);

      g_assert_cmpstr (request->method, ==, "GET");
      g_assert_cmpstr (request->path, ==, "/api/Jobs('nb:jid:UUID:7dc2642f-0000-4000-8000-000000000001')");
      g_assert_cmpstr (request->authorization, ==, "Bearer tok-1");
      g_assert_cmpstr (request->version, ==, "2.19");
      g_assert_cmpstr (request->data_service_version, ==, "3.0");
      g_assert_cmpstr (request->max_data_service_version, ==, "3.0");
      g_assert_cmpstr (request->accept, ==, "application/json;odata=verbose");
      g_assert_true (g_uuid_string_is_valid (request->request_id));
      g_assert_cmpstr (request->request_id, ==, ((Request *)g_ptr_array_index (api, 0))->request_id);
    }

  /* The ACS form, with the key URL-encoded. */
  tokens = fake_dup_requests (fake, "/v2/");
  g_assert_cmpuint (tokens->len, ==, 1);
  token = g_ptr_array_index (tokens, 0);
  g_assert_cmpstr (token->method, ==, "POST");
  g_assert_cmpstr (token->content_type, ==, "application/x-www-form-urlencoded");
  g_assert_null (token->authorization);
  g_assert_cmpstr (token->body, ==, "grant_type=client_credentials&client_id=acme&"
                                    "client_secret=k3y%2Fwith%2Bspecial%3Dchars&scope=urn%3AWindowsAzureMediaServices");

  /* A second operation has its own request id and reuses the token. */
  g_clear_pointer (&job, jg_remote_job_unref);
  job = get_job (client, JOB_ID, &error);
  g_assert_no_error (error);
  g_clear_pointer (&api, g_ptr_array_unref);
  api = fake_dup_requests (fake, "/api/");
  g_assert_cmpuint (api->len, ==, 5);
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 4))->request_id, !=,
                   ((Request *)g_ptr_array_index (api, 0))->request_id);
  g_assert_cmpuint (fake_get_n_tokens (fake), ==, 1);
}

static void
test_give_up (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) api = NULL;
  g_autoptr(GError) error = NULL;

  fake->busy = 100;
  jg_client_set_retry_policy (client, 3, 1, 2);

  job = get_job (client, JOB_ID, &error);
  g_assert_null (job);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_BUSY);
  g_assert_cmpuint (jg_client_error_get_status (error), ==, 503);
  g_assert_cmpstr (error->message, ==, "Server is busy. More than 10 requests per second can be throttled.");

  api = fake_dup_requests (fake, "/api/");
  g_assert_cmpuint (api->len, ==, 4);
}

static void
test_error_bodies (void)
{
  static const struct
  {
    const char *id;
    int         code;
    guint       status;
    const char *service_code;
    const char *message;
  } cases[] = {
    { "error-verbose", JG_CLIENT_ERROR_NOT_FOUND, 404, NULL, "Resource Asset not found" },
    { "error-light", JG_CLIENT_ERROR_BAD_REQUEST, 400, "invalid-property", "Property 'Nmae' is not defined." },
    { "error-xml", JG_CLIENT_ERROR_CONFLICT, 409, "Conflict", "An AssetFile with that name already exists." },
    { "error-empty", JG_CLIENT_ERROR_FORBIDDEN, 403, NULL, "The service answered “403 Forbidden”" },
  };
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_BEARER);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgRemoteJob) job = get_job (client, cases[i].id, &error);
      g_autoptr(GPtrArray) requests = fake_dup_requests (fake, "/api/");

      g_assert_null (job);
      g_assert_error (error, JG_CLIENT_ERROR, cases[i].code);
      g_assert_cmpuint (jg_client_error_get_status (error), ==, cases[i].status);
      g_assert_cmpstr (jg_client_error_get_service_code (error), ==, cases[i].service_code);
      g_assert_cmpstr (error->message, ==, cases[i].message);

      /* Not retried, and the error names the operation's request id. */
      g_assert_cmpuint (requests->len, ==, i + 1);
      g_assert_cmpstr (jg_client_error_get_request_id (error), ==,
                       ((Request *)g_ptr_array_index (requests, i))->request_id);
    }

  /* A fixed bearer token: no token request at all. */
  g_assert_cmpuint (fake_get_n_tokens (fake), ==, 0);
}

static void
test_redirect (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(JgRestJob) rest = jg_rest_job_new (JG_REST_JOB);
  JgRestTask *task = jg_rest_task_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) global = NULL;
  g_autoptr(GPtrArray) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_base = g_strconcat (fake->root, "accounts/acme/api/", NULL);
  Request         *first;
  Request         *second;

  fake->redirect = TRUE;

  /* A POST: the 301 must not turn it into a GET, nor lose its body. */
  rest->name = g_strdup ("redirected");
  g_ptr_array_add (rest->input_asset_ids, g_strdup ("nb:cid:UUID:00000000-0000-4000-8000-000000000001"));
  task->processor_id = g_strdup ("nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56");
  task->configuration = g_strdup ("Adaptive Streaming");
  task->task_body = g_strdup ("<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>");
  g_ptr_array_add (rest->tasks, task);

  jg_client_create_job_async (client, rest, JG_CREATE_NONE, NULL, store_result_cb, &result);
  job = jg_client_create_job_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->id, ==, JOB_ID);
  g_assert_cmpstr (jg_client_get_base_uri (client), ==, expected_base);

  global = fake_dup_requests (fake, "/api/");
  account = fake_dup_requests (fake, "/accounts/acme/api/");
  g_assert_cmpuint (global->len, ==, 1);
  g_assert_cmpuint (account->len, ==, 1);
  first = g_ptr_array_index (global, 0);
  second = g_ptr_array_index (account, 0);
  g_assert_cmpstr (first->path, ==, "/api/Jobs");
  g_assert_cmpstr (second->method, ==, "POST");
  g_assert_cmpstr (second->path, ==, "/accounts/acme/api/Jobs");
  g_assert_cmpstr (second->request_id, ==, first->request_id);
  g_assert_cmpstr (second->content_type, ==, "application/json;odata=verbose");
  /* The asset links follow the new base. */
  g_assert_nonnull (strstr (second->body, "accounts/acme/api/Assets('nb%3Acid%3AUUID%3A00000000-0000-4000-8000-000000000001')"));
  g_assert_nonnull (strstr (second->body, "\"Name\":\"redirected\""));

  /* The new base is remembered: no more redirects. */
  g_clear_pointer (&job, jg_remote_job_unref);
  job = get_job (client, JOB_ID, &error);
  g_assert_no_error (error);
  g_clear_pointer (&global, g_ptr_array_unref);
  global = fake_dup_requests (fake, "/api/");
  g_assert_cmpuint (global->len, ==, 1);
}

static void
test_redirect_relative (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api", JG_AUTH_KIND_ACS);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_base = g_strconcat (fake->root, "accounts/acme/api/", NULL);

  fake->redirect = TRUE;
  fake->redirect_relative = TRUE;

  job = get_job (client, JOB_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jg_client_get_base_uri (client), ==, expected_base);
}

static void
test_redirect_loop (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) loop = new_client (fake, "loop/api/", JG_AUTH_KIND_ACS);
  g_autoptr(JgClient) nowhere = new_client (fake, "nowhere/api/", JG_AUTH_KIND_ACS);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;

  job = get_job (loop, JOB_ID, &error);
  g_assert_null (job);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_REDIRECT_LOOP);
  requests = fake_dup_requests (fake, "/loop/");
  g_assert_cmpuint (requests->len, ==, 4);
  g_clear_error (&error);

  job = get_job (nowhere, JOB_ID, &error);
  g_assert_null (job);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_REDIRECT_LOOP);
}

static void
test_insecure (void)
{
  g_autoptr(JgAccount) bearer = jg_account_new (JG_AUTH_KIND_BEARER, "http://media.example.com/api/");
  g_autoptr(JgAccount) acs = jg_account_new (JG_AUTH_KIND_ACS, "https://media.example.com/api/");
  g_autoptr(JgClient) bearer_client = NULL;
  g_autoptr(JgClient) acs_client = NULL;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;

  /* Refused before anything is sent: these hosts do not exist. */
  jg_account_set_secret (bearer, "fixed-token");
  bearer_client = jg_client_new (bearer);
  job = get_job (bearer_client, JOB_ID, &error);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INSECURE);
  g_assert_null (strstr (error->message, "fixed-token"));
  g_clear_error (&error);

  jg_account_set_token_uri (acs, "http://login.example.com/v2/OAuth2-13");
  jg_account_set_client_id (acs, "acme");
  jg_account_set_secret (acs, "key");
  acs_client = jg_client_new (acs);
  job = get_job (acs_client, JOB_ID, &error);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INSECURE);
}

static void
test_token_lifetime (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(GError) error = NULL;

  /* A token that is already due for refresh is used once, then replaced. */
  fake->expires_in = "0";
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JgRemoteJob) job = get_job (client, JOB_ID, &error);

      g_assert_no_error (error);
    }
  g_assert_cmpuint (fake_get_n_tokens (fake), ==, 3);
  g_assert_cmpuint (_jg_client_get_n_token_fetches (client), ==, 3);
}

static void
test_token_aad (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_AAD);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  Request *token;

  fake->expires_in = NULL;
  fake->expires_in_number = 3599;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JgRemoteJob) job = get_job (client, JOB_ID, &error);

      g_assert_no_error (error);
    }

  tokens = fake_dup_requests (fake, "/contoso.onmicrosoft.com/");
  g_assert_cmpuint (tokens->len, ==, 1);
  token = g_ptr_array_index (tokens, 0);
  g_assert_cmpstr (token->path, ==, "/contoso.onmicrosoft.com/oauth2/token");
  g_assert_cmpstr (token->body, ==, "grant_type=client_credentials&client_id=acme&"
                                    "client_secret=k3y%2Fwith%2Bspecial%3Dchars&resource=https%3A%2F%2Frest.media.azure.net");
}

static void
test_unauthorized_refresh (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) api = NULL;
  g_autoptr(GError) error = NULL;

  fake->unauthorized = 1;

  job = get_job (client, JOB_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_get_n_tokens (fake), ==, 2);

  api = fake_dup_requests (fake, "/api/");
  g_assert_cmpuint (api->len, ==, 2);
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 0))->authorization, ==, "Bearer tok-1");
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 1))->authorization, ==, "Bearer tok-2");
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 0))->request_id, ==,
                   ((Request *)g_ptr_array_index (api, 1))->request_id);

  /* Only one refresh per operation: a token refused twice is an error. */
  g_clear_pointer (&job, jg_remote_job_unref);
  g_mutex_lock (&fake->lock);
  fake->reject_tokens = TRUE;
  g_mutex_unlock (&fake->lock);
  job = get_job (client, JOB_ID, &error);
  g_assert_null (job);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "The access token has expired.");
  g_assert_cmpuint (fake_get_n_tokens (fake), ==, 3);
}

static void
test_shared_token (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  GAsyncResult *results[20] = {
    NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    jg_client_get_job_async (client, JOB_ID, NULL, store_result_cb, &results[i]);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgRemoteJob) job = jg_client_get_job_finish (client, wait_for (&results[i]), &error);

      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }

  g_assert_cmpuint (fake_get_n_tokens (fake), ==, 1);
}

static void
test_paging (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  JgListOptions range = { .skip = 100, .top = 1500 };

  fake->n_jobs = 2345;

  jg_client_list_jobs_async (client, NULL, NULL, store_result_cb, &result);
  jobs = jg_client_list_jobs_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 2345);
  g_assert_cmpstr (((JgRemoteJob *)g_ptr_array_index (jobs, 2344))->name, ==, "job 2344");

  requests = fake_dup_requests (fake, "/api/Jobs");
  g_assert_cmpuint (requests->len, ==, 3);
  g_assert_cmpstr (((Request *)g_ptr_array_index (requests, 0))->query, ==, "$top=1000");
  g_assert_cmpstr (((Request *)g_ptr_array_index (requests, 1))->query, ==, "$skip=1000&$top=1000");
  g_assert_cmpstr (((Request *)g_ptr_array_index (requests, 2))->query, ==, "$skip=2000&$top=1000");

  /* A range, with a filter that is escaped once and quoted OData-style. */
  g_clear_object (&result);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  range.filter = "Name eq 'it''s & more'";
  jg_client_list_jobs_async (client, &range, NULL, store_result_cb, &result);
  jobs = jg_client_list_jobs_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1500);
  g_assert_cmpstr (((JgRemoteJob *)g_ptr_array_index (jobs, 0))->name, ==, "job 100");

  g_clear_pointer (&requests, g_ptr_array_unref);
  requests = fake_dup_requests (fake, "/api/Jobs");
  g_assert_cmpuint (requests->len, ==, 5);
  g_assert_cmpstr (((Request *)g_ptr_array_index (requests, 3))->query, ==,
                   "$filter=Name%20eq%20'it''s%20%26%20more'&$skip=100&$top=1000");
  g_assert_cmpstr (((Request *)g_ptr_array_index (requests, 4))->query, ==,
                   "$filter=Name%20eq%20'it''s%20%26%20more'&$skip=1100&$top=500");
}

static gboolean
cancel_when_requested_cb (gpointer data)
{
  Fake *fake = g_object_get_data (data, "fake");
  g_autoptr(GPtrArray) requests = fake_dup_requests (fake, "/api/");

  if (requests->len == 0)
    return G_SOURCE_CONTINUE;

  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_backoff (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* A minute of back-off: only cancellation can end this quickly. */
  fake->busy = 100;
  jg_client_set_retry_policy (client, 10, 60000, 60000);
  g_object_set_data (G_OBJECT (cancellable), "fake", fake);
  g_timeout_add (5, cancel_when_requested_cb, cancellable);

  start = g_get_monotonic_time ();
  jg_client_get_job_async (client, JOB_ID, cancellable, store_result_cb, &result);
  job = jg_client_get_job_finish (client, wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
}

static void
test_create_unknown_outcome (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(JgRestJob) rest = jg_rest_job_new (JG_REST_JOB);
  JgRestTask *task = jg_rest_task_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) api = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  /* A 500 to a POST: the job may exist. The client lists jobs of that
   * name (none here: the fake has none), then sends again.
   */
  fake->server_errors = 1;
  task->processor_id = g_strdup ("nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56");
  task->task_body = g_strdup ("<taskBody/>");
  g_ptr_array_add (rest->tasks, task);

  jg_client_create_job_async (client, rest, JG_CREATE_NONE, NULL, store_result_cb, &result);
  job = jg_client_create_job_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);

  api = fake_dup_requests (fake, "/api/");
  g_assert_cmpuint (api->len, ==, 3);
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 0))->method, ==, "POST");
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 1))->method, ==, "GET");
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 1))->path, ==, "/api/Jobs");
  g_assert_cmpstr (((Request *)g_ptr_array_index (api, 2))->method, ==, "POST");

  /* The unnamed job got a unique name, which the lookup asked for; all
   * three requests are one operation.
   */
  id = ((Request *)g_ptr_array_index (api, 0))->request_id;
  {
    g_autofree char *name = g_strdup_printf ("\"Name\":\"jobgraph-%s\"", id);
    g_autofree char *filter = g_strdup_printf ("$filter=Name%%20eq%%20'jobgraph-%s'&$top=1000", id);

    g_assert_nonnull (strstr (((Request *)g_ptr_array_index (api, 0))->body, name));
    g_assert_cmpstr (((Request *)g_ptr_array_index (api, 1))->query, ==, filter);
  }
  for (guint i = 1; i < api->len; i++)
    g_assert_cmpstr (((Request *)g_ptr_array_index (api, i))->request_id, ==, id);
}

static void
assert_not_logged (GPtrArray  *lines,
                   const char *secret)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >, 3);

  for (guint i = 0; i < lines->len; i++)
    {
      if (strstr (g_ptr_array_index (lines, i), secret) != NULL)
        g_error ("A secret was logged: %s", (char *)g_ptr_array_index (lines, i));
    }
}

static guint
count_logged (GPtrArray  *lines,
              const char *text)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      if (strstr (g_ptr_array_index (lines, i), text) != NULL)
        n++;
    }

  return n;
}

static void
test_redacted_log (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_token = NULL;

  fake->unauthorized = 1;
  fake->busy = 1;
  _jg_client_set_log_http (client, TRUE);

  capture_start ();
  {
    g_autoptr(JgRemoteJob) job = get_job (client, JOB_ID, &error);

    g_assert_no_error (error);
    first_token = g_strdup ("tok-1");
  }
  {
    g_autoptr(JgRemoteJob) job = get_job (client, "error-verbose", &error);

    g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);
  }
  lines = capture_stop ();

  /* Both tokens were used, the second is current. */
  g_assert_cmpstr (_jg_client_peek_token (client), ==, "tok-2");

  g_assert_cmpuint (lines->len, >, 0);
  assert_not_logged (lines, "k3y/with+special=chars");
  assert_not_logged (lines, "k3y%2Fwith%2Bspecial%3Dchars");
  assert_not_logged (lines, "Bearer tok-");
  assert_not_logged (lines, first_token);
  assert_not_logged (lines, _jg_client_peek_token (client));

  g_assert_cmpuint (count_logged (lines, "client_secret=[REDACTED]"), ==, 2);
  g_assert_cmpuint (count_logged (lines, "Authorization: Bearer [REDACTED]"), >=, 4);

  /* Method, URL, status, duration and request id. */
  g_assert_cmpuint (count_logged (lines, "> GET http://127.0.0.1:"), >=, 4);
  g_assert_cmpuint (count_logged (lines, "< 401 Unauthorized GET"), ==, 1);
  g_assert_cmpuint (count_logged (lines, "< 503 Service Unavailable GET"), ==, 1);
  g_assert_cmpuint (count_logged (lines, "< 404 Not Found GET"), ==, 1);
  g_assert_cmpuint (count_logged (lines, " ms, request "), >=, 5);
  g_assert_cmpuint (count_logged (lines, "jg-client: "), >=, 10);
}

static JgRestJob *
new_rest_job (const char *name,
              int         priority,
              const char *configuration)
{
  JgRestJob  *job = jg_rest_job_new (JG_REST_JOB);
  JgRestTask *task = jg_rest_task_new ();

  job->name = g_strdup (name);
  job->priority = priority;
  g_ptr_array_add (job->input_asset_ids, g_strdup ("nb:cid:UUID:00000000-0000-4000-8000-000000000001"));
  task->name = g_strdup ("Encode");
  task->processor_id = g_strdup ("nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56");
  task->configuration = g_strdup (configuration);
  task->task_body = g_strdup ("<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>");
  g_ptr_array_add (job->tasks, task);

  return job;
}

static void
test_no_duplicates (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_job_unref);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GAsyncResult *results[48] = {
    NULL,
  };
  const guint n = G_N_ELEMENTS (results);

  /* Every 3rd POST is carried out but its answer is lost, every 7th is
   * lost before it is carried out, every 5th is carried out and answered
   * with a 500.
   */
  fake->store_jobs = TRUE;
  fake->drop_after = 3;
  fake->drop_before = 7;
  fake->fail_after = 5;
  jg_client_set_retry_policy (client, 10, 1, 4);

  /* Half the jobs share one name and body (the benchmark's case), some of
   * those differ only in Priority or Configuration, and a few have no
   * name at all; all go out at once.
   */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JgRestJob) job = NULL;
      g_autofree char *unique = g_strdup_printf ("job %u", i);

      if (i % 2 == 0)
        job = new_rest_job ("same", i % 8 == 0 ? 5 : 0, i % 6 == 0 ? "H264 Multiple Bitrate 720p" : "Adaptive Streaming");
      else if (i % 5 == 0)
        job = new_rest_job (NULL, 0, "Adaptive Streaming");
      else
        job = new_rest_job (unique, 0, "Adaptive Streaming");

      jg_client_create_job_async (client, job, JG_CREATE_NONE, NULL, store_result_cb, &results[i]);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      JgRemoteJob *job = jg_client_create_job_finish (client, wait_for (&results[i]), &error);

      g_assert_no_error (error);
      g_assert_false (g_hash_table_contains (ids, job->id));
      g_hash_table_add (ids, job->id);
      g_ptr_array_add (jobs, job);
      g_clear_object (&results[i]);
    }

  /* As many jobs in the store as calls, each returned exactly once. */
  g_mutex_lock (&fake->lock);
  g_assert_cmpuint (fake->jobs->len, ==, n);
  g_assert_cmpuint (fake->n_posts, >, n);
  for (guint i = 0; i < fake->jobs->len; i++)
    {
      JsonObject *stored = g_ptr_array_index (fake->jobs, i);

      g_assert_true (g_hash_table_contains (ids, json_object_get_string_member (stored, "Id")));
    }
  g_mutex_unlock (&fake->lock);

  /* The jobs returned for the shared name have the bodies that were sent. */
  for (guint i = 0; i < n; i++)
    {
      JgRemoteJob *job = g_ptr_array_index (jobs, i);

      if (i % 2 == 0)
        {
          g_assert_cmpstr (job->name, ==, "same");
          g_assert_cmpint (job->priority, ==, i % 8 == 0 ? 5 : 0);
        }
      else if (i % 5 == 0)
        g_assert_true (g_str_has_prefix (job->name, "jobgraph-"));
    }
}

/* A keep-alive connection that the service closes on receiving a GET,
 * without answering: the read is sent again and succeeds.
 */
static void
test_dropped_reads (void)
{
  g_autoptr(Fake) fake = fake_new ();
  g_autoptr(JgClient) client = new_client (fake, "api/", JG_AUTH_KIND_ACS);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgRemoteJob) job = NULL;

      g_mutex_lock (&fake->lock);
      fake->drop_reads = i % 3;
      g_mutex_unlock (&fake->lock);

      job = get_job (client, JOB_ID, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (job->id, ==, JOB_ID);
    }

  /* The same with 16 reads at a time. */
  g_mutex_lock (&fake->lock);
  fake->drop_every_read = 3;
  g_mutex_unlock (&fake->lock);
  jg_client_set_retry_policy (client, 20, 1, 2);

  for (guint round = 0; round < 20; round++)
    {
      GAsyncResult *results[16] = {
        NULL,
      };

      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        jg_client_get_job_async (client, JOB_ID, NULL, store_result_cb, &results[i]);

      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JgRemoteJob) job = jg_client_get_job_finish (client, wait_for (&results[i]), &error);

          g_assert_no_error (error);
          g_clear_object (&results[i]);
        }
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
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/jobgraph/client/protocol/headers-and-retries", test_headers_and_retries);
  g_test_add_func ("/jobgraph/client/protocol/give-up", test_give_up);
  g_test_add_func ("/jobgraph/client/protocol/error-bodies", test_error_bodies);
  g_test_add_func ("/jobgraph/client/protocol/redirect", test_redirect);
  g_test_add_func ("/jobgraph/client/protocol/redirect-relative", test_redirect_relative);
  g_test_add_func ("/jobgraph/client/protocol/redirect-loop", test_redirect_loop);
  g_test_add_func ("/jobgraph/client/protocol/insecure", test_insecure);
  g_test_add_func ("/jobgraph/client/protocol/token-lifetime", test_token_lifetime);
  g_test_add_func ("/jobgraph/client/protocol/token-aad", test_token_aad);
  g_test_add_func ("/jobgraph/client/protocol/unauthorized-refresh", test_unauthorized_refresh);
  g_test_add_func ("/jobgraph/client/protocol/shared-token", test_shared_token);
  g_test_add_func ("/jobgraph/client/protocol/paging", test_paging);
  g_test_add_func ("/jobgraph/client/protocol/cancel-backoff", test_cancel_backoff);
  g_test_add_func ("/jobgraph/client/protocol/create-unknown-outcome", test_create_unknown_outcome);
  g_test_add_func ("/jobgraph/client/protocol/redacted-log", test_redacted_log);
  g_test_add_func ("/jobgraph/client/protocol/no-duplicates", test_no_duplicates);
  g_test_add_func ("/jobgraph/client/protocol/dropped-reads", test_dropped_reads);

  return g_test_run ();
}
