/* jg-emulator.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator"

#include "config.h"

#include <errno.h>
#include <math.h>

#include <glib/gstdio.h>

#include "jg-emulator.h"
#include "jg-emulator-faults.h"
#include "jg-emulator-private.h"
#include "jg-emulator-token.h"

/* jobgraph-emulator: a local Media Services v2 endpoint (ams-rest-v2.md)
 * on 127.0.0.1. The URL layout:
 *
 *   POST /v2/OAuth2-13                  ACS token (form: grant_type,
 *                                       client_id=<account>, client_secret=<key>,
 *                                       scope=urn:WindowsAzureMediaServices)
 *   POST /<tenant>/oauth2/token         Azure AD token (resource=https://rest.media.azure.net)
 *   *    /api/…  (also /API/…)          the global endpoint: 301 to the account base
 *   *    /accounts/<account>/api/…      the account base: the entity sets (jg-emulator-api.c)
 *   PUT GET /blob/asset-<guid>/<name>   asset files, with a locator's SAS (jg-emulator-blob.c)
 *
 * Every request to the API needs `Authorization: Bearer <token>` (401
 * otherwise); the account base also needs `x-ms-version: 2.x` (400). The
 * answers carry `request-id`/`x-ms-request-id`, the echoed (or a new)
 * `x-ms-client-request-id`, `DataServiceVersion` and `Cache-Control:
 * no-cache`.
 *
 * Everything runs on the thread-default main context of the thread that
 * called jg_emulator_new(), so a test can run an emulator in a thread of
 * its own (like GNOME Calendar's tests/gcal-simple-server.c).
 */

#define ACS_TOKEN_TYPE "http://schemas.xmlsoap.org/ws/2009/11/swt-token-profile-1.0"
#define ACS_SCOPE      "urn:WindowsAzureMediaServices"
#define ACS_LIFETIME_S 21600
#define AAD_RESOURCE   "https://rest.media.azure.net"
#define AAD_LIFETIME_S 3599
#define BUSY_MESSAGE   "Server is busy. More than 100 requests per second can be throttled."

typedef enum
{
  ROUTE_NONE,
  ROUTE_ACS,
  ROUTE_AAD,
  ROUTE_GLOBAL,
  ROUTE_ACCOUNT,
} Route;

typedef struct
{
  JgEmulator        *self; /* borrowed: pendings die before the emulator */
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  Route              route;
  JgFaultKind        fault;
  GSource           *timer;
  gulong             finished_id;
  gboolean           gone;
} Pending;

struct _JgEmulator
{
  GObject              parent_instance;

  char                *data_dir;
  char                *account;
  char                *key;
  char                *static_token;
  guint                workers;
  double               speed;
  gboolean             simulate;

  GMainContext        *context;
  JgEmulatorFaults    *faults;
  JgEmulatorStore     *store;
  JgEmulatorScheduler *scheduler;
  GBytes              *secret;

  SoupServer          *server;
  guint                port;
  char                *root_uri;
  char                *base_uri;
  GPtrArray           *pending; /* Pending */
};

G_DEFINE_FINAL_TYPE (JgEmulator, jg_emulator, G_TYPE_OBJECT)

static void process (Pending *pending);

JgEmulatorStore *
_jg_emulator_get_store (JgEmulator *self)
{
  return self->store;
}

JgEmulatorScheduler *
_jg_emulator_get_scheduler (JgEmulator *self)
{
  return self->scheduler;
}

const char *
_jg_emulator_get_account (JgEmulator *self)
{
  return self->account;
}

const char *
_jg_emulator_get_data_dir (JgEmulator *self)
{
  return self->data_dir;
}

gboolean
_jg_emulator_is_simulating (JgEmulator *self)
{
  return self->simulate;
}

const char *
_jg_emulator_get_key (JgEmulator *self)
{
  return self->key;
}

static void
pending_free (Pending *pending)
{
  if (pending->timer != NULL)
    {
      g_source_destroy (pending->timer);
      g_source_unref (pending->timer);
    }
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->query, g_hash_table_unref);
  g_free (pending->path);
  g_free (pending);
}

/* Helpers */

static gboolean
is_valid_account (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > 64)
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
is_verbose (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Accept");

  return accept != NULL && strstr (accept, "odata=verbose") != NULL;
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
send_response (SoupServerMessage  *msg,
               JgEmulatorResponse *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, response->status, response->reason);

  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (response->headers, i),
                                  g_ptr_array_index (response->headers, i + 1));

  if (response->body != NULL)
    {
      gsize       length;
      const char *data = g_bytes_get_data (response->body, &length);

      soup_server_message_set_response (msg, response->content_type, SOUP_MEMORY_COPY, data, length);
    }
}

static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *message)
{
  JgEmulatorResponse response;

  _jg_emulator_response_init (&response);
  _jg_emulator_response_set_error (&response, is_verbose (msg), status, message);
  send_response (msg, &response);
  _jg_emulator_response_clear (&response);
}

static void
send_json_text (SoupServerMessage *msg,
                guint              status,
                JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = jg_json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* The OAuth error bodies of ACS and Azure AD. */
static void
send_oauth_error (SoupServerMessage *msg,
                  guint              status,
                  const char        *code,
                  const char        *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_string (builder, "error", code);
  add_string (builder, "error_description", description);
  json_builder_end_object (builder);

  send_json_text (msg, status, builder);
}

static void
add_api_headers (SoupServerMessage *msg,
                 Route              route)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char    *request_id = g_uuid_string_random ();
  g_autofree char    *generated = NULL;
  const char         *client_request_id;

  soup_message_headers_replace (response, "x-ms-request-id", request_id);

  if (route == ROUTE_ACS || route == ROUTE_AAD)
    {
      soup_message_headers_replace (response, "Cache-Control", "no-store");
      soup_message_headers_replace (response, "Pragma", "no-cache");
      return;
    }

  /* Echo the caller's id, or make one up (ams-rest-v2.md §2.4, open
   * question 14): responses always carry one.
   */
  client_request_id = soup_message_headers_get_one (request, "x-ms-client-request-id");
  if (client_request_id == NULL)
    client_request_id = soup_message_headers_get_one (request, "client-request-id");
  if (client_request_id == NULL || strlen (client_request_id) > 2096)
    client_request_id = generated = g_uuid_string_random ();

  soup_message_headers_replace (response, "request-id", request_id);
  soup_message_headers_replace (response, "x-ms-client-request-id", client_request_id);
  soup_message_headers_replace (response, "DataServiceVersion", "3.0;");
  soup_message_headers_replace (response, "Cache-Control", "no-cache");
  soup_message_headers_replace (response, "X-Content-Type-Options", "nosniff");
}

static Route
classify (const char *path,
          char      **rest)
{
  g_auto(GStrv) segments = NULL;
  guint n;

  *rest = NULL;

  if (g_ascii_strcasecmp (path, "/v2/OAuth2-13") == 0)
    return ROUTE_ACS;

  segments = g_strsplit (path[0] == '/' ? path + 1 : path, "/", -1);
  n = g_strv_length (segments);

  if (n == 3 && segments[0][0] != '\0' && g_ascii_strcasecmp (segments[1], "oauth2") == 0 &&
      g_ascii_strcasecmp (segments[2], "token") == 0)
    return ROUTE_AAD;

  if (n >= 1 && g_ascii_strcasecmp (segments[0], "api") == 0)
    return ROUTE_GLOBAL;

  if (n >= 3 && g_str_equal (segments[0], "accounts") && g_ascii_strcasecmp (segments[2], "api") == 0)
    {
      const char *after = path + 1 + strlen ("accounts/") + strlen (segments[1]) + strlen ("/api");

      /* <rest> is "<account>\n<path below the base>" */
      *rest = g_strdup_printf ("%s\n%s", segments[1], *after == '/' ? after + 1 : after);
      return ROUTE_ACCOUNT;
    }

  return ROUTE_NONE;
}

/* Token endpoints */

static GHashTable *
read_form (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return soup_form_decode (text);
}

static gboolean
check_credentials (JgEmulator *self,
                   GHashTable *form)
{
  const char *client_id = g_hash_table_lookup (form, "client_id");
  const char *secret = g_hash_table_lookup (form, "client_secret");

  /* Both compared, whatever the first says. */
  return (jg_emulator_secure_equal (client_id, self->account) &
          jg_emulator_secure_equal (secret, self->key)) != 0;
}

static void
handle_token (JgEmulator        *self,
              SoupServerMessage *msg,
              Route              route)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  const char      *grant_type;
  gint64           now = g_get_real_time () / G_USEC_PER_SEC;

  if (!g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      send_oauth_error (msg, 405, "invalid_request", "Token requests must be POST.");
      return;
    }

  form = read_form (msg);
  grant_type = g_hash_table_lookup (form, "grant_type");

  if (grant_type == NULL || g_hash_table_lookup (form, "client_id") == NULL ||
      g_hash_table_lookup (form, "client_secret") == NULL)
    {
      send_oauth_error (msg, 400, "invalid_request",
                        route == ROUTE_ACS
                          ? "ACS50001: The request is missing grant_type, client_id or client_secret."
                          : "AADSTS900144: The request body must contain the parameters grant_type, client_id and client_secret.");
      return;
    }

  if (!g_str_equal (grant_type, "client_credentials"))
    {
      send_oauth_error (msg, 400, "unsupported_grant_type",
                        route == ROUTE_ACS
                          ? "ACS70003: jobgraph-emulator supports only grant_type=client_credentials."
                          : "AADSTS70003: jobgraph-emulator supports only grant_type=client_credentials.");
      return;
    }

  if (route == ROUTE_ACS)
    {
      const char *scope = g_hash_table_lookup (form, "scope");

      if (g_strcmp0 (scope, ACS_SCOPE) != 0)
        {
          send_oauth_error (msg, 400, "invalid_scope",
                            "ACS60016: The scope must be urn:WindowsAzureMediaServices.");
          return;
        }

      if (!check_credentials (self, form))
        {
          send_oauth_error (msg, 400, "invalid_client", "ACS50012: Authentication failed.");
          return;
        }

      token = jg_emulator_token_issue (self->secret, self->account, now + ACS_LIFETIME_S);

      builder = json_builder_new_immutable ();
      json_builder_begin_object (builder);
      add_string (builder, "token_type", ACS_TOKEN_TYPE);
      add_string (builder, "access_token", token);
      /* A string, as ACS wrote it (ams-rest-v2.md §1.1). */
      add_string (builder, "expires_in", G_STRINGIFY (ACS_LIFETIME_S));
      add_string (builder, "scope", ACS_SCOPE);
      json_builder_end_object (builder);
    }
  else
    {
      const char      *resource = g_hash_table_lookup (form, "resource");
      g_autofree char *expires_on = g_strdup_printf ("%" G_GINT64_FORMAT, now + AAD_LIFETIME_S);
      g_autofree char *not_before = g_strdup_printf ("%" G_GINT64_FORMAT, now);

      if (resource == NULL ||
          (!g_str_equal (resource, AAD_RESOURCE) && !g_str_equal (resource, AAD_RESOURCE "/")))
        {
          send_oauth_error (msg, 400, "invalid_resource",
                            "AADSTS500011: The resource must be " AAD_RESOURCE ".");
          return;
        }

      if (!check_credentials (self, form))
        {
          send_oauth_error (msg, 401, "invalid_client",
                            "AADSTS7000215: Invalid client secret is provided.");
          return;
        }

      token = jg_emulator_token_issue (self->secret, self->account, now + AAD_LIFETIME_S);

      builder = json_builder_new_immutable ();
      json_builder_begin_object (builder);
      add_string (builder, "token_type", "Bearer");
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, AAD_LIFETIME_S);
      json_builder_set_member_name (builder, "ext_expires_in");
      json_builder_add_int_value (builder, AAD_LIFETIME_S);
      add_string (builder, "expires_on", expires_on);
      add_string (builder, "not_before", not_before);
      add_string (builder, "resource", AAD_RESOURCE);
      add_string (builder, "access_token", token);
      json_builder_end_object (builder);
    }

  send_json_text (msg, 200, builder);
}

/* The API */

/* Checks the bearer token; on failure answers 401 and returns FALSE. */
static gboolean
authorize (JgEmulator        *self,
           SoupServerMessage *msg,
           JgFaultKind        fault)
{
  SoupMessageHeaders   *headers = soup_server_message_get_request_headers (msg);
  const char           *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char      *account = NULL;
  g_autofree char      *token = NULL;
  JgEmulatorTokenStatus status = JG_EMULATOR_TOKEN_INVALID;
  const char           *message = NULL;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", strlen ("Bearer ")) != 0)
    message = "The request has no bearer token; send Authorization: Bearer <access token>.";
  else
    {
      token = g_strstrip (g_strdup (authorization + strlen ("Bearer ")));

      if (self->static_token != NULL && jg_emulator_secure_equal (token, self->static_token))
        {
          status = JG_EMULATOR_TOKEN_VALID;
          account = g_strdup (self->account);
        }
      else
        status = jg_emulator_token_verify (self->secret, token, g_get_real_time () / G_USEC_PER_SEC, &account);

      if (status == JG_EMULATOR_TOKEN_VALID && fault == JG_FAULT_EXPIRE_TOKEN)
        status = JG_EMULATOR_TOKEN_EXPIRED;

      if (status == JG_EMULATOR_TOKEN_INVALID)
        message = "The access token is invalid.";
      else if (status == JG_EMULATOR_TOKEN_EXPIRED)
        message = "The access token has expired.";
      else if (g_strcmp0 (account, self->account) != 0)
        message = "The access token is not valid for this account.";
    }

  if (message == NULL)
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                status == JG_EMULATOR_TOKEN_EXPIRED
                                  ? "Bearer error=\"invalid_token\", error_description=\"The access token has expired\""
                                  : "Bearer");
  send_error (msg, 401, message);

  return FALSE;
}

static void
handle_global (JgEmulator        *self,
               SoupServerMessage *msg,
               JgFaultKind        fault)
{
  g_autofree char *body = NULL;

  if (!authorize (self, msg, fault))
    return;

  /* The first-contact redirect (ams-rest-v2.md §1.1): the account base,
   * whatever was asked; clients re-base and re-send.
   */
  body = g_strdup_printf ("<html><head><title>Object moved</title></head><body>\r\n"
                          "<h2>Object moved to <a href=\"%s\">here</a>.</h2>\r\n"
                          "</body></html>\r\n",
                          self->base_uri);

  soup_server_message_set_status (msg, 301, "Moved Permanently");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", self->base_uri);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
handle_account (JgEmulator        *self,
                SoupServerMessage *msg,
                const char        *rest,
                GHashTable        *query,
                JgFaultKind        fault)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char         *newline = strchr (rest, '\n');
  g_autofree char    *account = g_strndup (rest, newline - rest);
  g_autofree char    *path = NULL;
  g_autoptr(GBytes) body = NULL;
  const char        *version;
  const char        *method;
  const char        *override;
  JgEmulatorRequest  request = { 0 };
  JgEmulatorResponse response;

  if (g_ascii_strcasecmp (account, self->account) != 0)
    {
      g_autofree char *message = g_strdup_printf ("The account %s does not exist here; this emulator serves %s.",
                                                  account, self->account);

      send_error (msg, 404, message);
      return;
    }

  if (!authorize (self, msg, fault))
    return;

  version = soup_message_headers_get_one (headers, "x-ms-version");
  if (version == NULL && query != NULL)
    version = g_hash_table_lookup (query, "api-version");

  if (version == NULL)
    {
      send_error (msg, 400, "The x-ms-version header is required; send x-ms-version: 2.19 (any version from 2.0 to 2.19).");
      return;
    }

  if (!_jg_emulator_parse_api_version (version))
    {
      g_autofree char *message = g_strdup_printf ("Unsupported x-ms-version '%s'; jobgraph-emulator supports 2.0 to 2.19.",
                                                  version);

      send_error (msg, 400, message);
      return;
    }

  path = g_uri_unescape_string (newline + 1, "/");
  if (path == NULL)
    {
      send_error (msg, 400, "Bad Request - the URL has an escaped '/' or an invalid escape.");
      return;
    }

  method = soup_server_message_get_method (msg);
  override = soup_message_headers_get_one (headers, "X-HTTP-Method");
  if (override != NULL && g_str_equal (method, "POST"))
    method = override;

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  request.method = method;
  request.path = path;
  request.query = query;
  request.headers = headers;
  request.body = body;
  request.api_version = version;
  request.verbose = is_verbose (msg);
  request.base_uri = self->base_uri;

  _jg_emulator_response_init (&response);
  _jg_emulator_api_handle (self, &request, &response);

  if (g_str_equal (path, "$batch") && response.status == 202)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "DataServiceVersion", "1.0;");

  send_response (msg, &response);
  _jg_emulator_response_clear (&response);
}

static void
apply_malformed (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize length = g_bytes_get_size (bytes);

  if (length == 0)
    return;

  /* The first half of the real body: truncated JSON, like a connection
   * that gave up half-way, but with a complete HTTP message.
   */
  soup_message_body_truncate (body);
  soup_message_body_append (body, SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL), length / 2);
}

static void
process (Pending *pending)
{
  JgEmulator        *self = pending->self;
  SoupServerMessage *msg = pending->msg;

  switch (pending->route)
    {
    case ROUTE_ACS:
    case ROUTE_AAD:
      handle_token (self, msg, pending->route);
      break;

    case ROUTE_GLOBAL:
      handle_global (self, msg, pending->fault);
      break;

    case ROUTE_ACCOUNT:
      handle_account (self, msg, pending->path, pending->query, pending->fault);
      break;

    case ROUTE_NONE:
    default:
      send_error (msg, 404, "Not found. The Media Services API is at /api/ (and /accounts/<account>/api/).");
      break;
    }

  if (pending->fault == JG_FAULT_MALFORMED)
    apply_malformed (msg);
  else if (pending->fault == JG_FAULT_RESET_AFTER)
    {
      g_debug ("Fault: dropping the connection after %s %s", soup_server_message_get_method (msg),
               g_uri_get_path (soup_server_message_get_uri (msg)));
      drop_connection (msg);
    }
}

static gboolean
slow_done_cb (gpointer data)
{
  Pending    *pending = data;
  JgEmulator *self = pending->self;

  g_clear_pointer (&pending->timer, g_source_unref);

  if (!pending->gone)
    {
      process (pending);
      if (pending->fault != JG_FAULT_RESET_AFTER)
        soup_server_message_unpause (pending->msg);
    }

  g_ptr_array_remove (self->pending, pending);

  return G_SOURCE_REMOVE;
}

static void
pending_finished_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Pending *pending = user_data;

  pending->gone = TRUE;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  JgEmulator      *self = user_data;
  g_autofree char *rest = NULL;
  Pending         *pending;
  Route            route;
  JgFaultScope     scope;
  JgFaultKind      fault;
  guint            param;

  route = classify (path, &rest);

  if (route == ROUTE_NONE)
    {
      send_error (msg, 404, "Not found. The Media Services API is at /api/ (and /accounts/<account>/api/).");
      return;
    }

  add_api_headers (msg, route);

  if (route == ROUTE_ACS || route == ROUTE_AAD)
    scope = JG_FAULT_SCOPE_TOKEN_ENDPOINT;
  else if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization") != NULL)
    scope = JG_FAULT_SCOPE_API_WITH_TOKEN;
  else
    scope = JG_FAULT_SCOPE_API;

  fault = jg_emulator_faults_roll (self->faults, scope, &param);
  if (fault != JG_FAULT_NONE)
    g_debug ("Fault %s on %s %s", jg_fault_kind_to_string (fault), soup_server_message_get_method (msg), path);

  switch (fault)
    {
    case JG_FAULT_BUSY:
      if (scope == JG_FAULT_SCOPE_TOKEN_ENDPOINT)
        send_oauth_error (msg, 503, "temporarily_unavailable", BUSY_MESSAGE);
      else
        send_error (msg, 503, BUSY_MESSAGE);
      soup_server_message_set_status (msg, 503, BUSY_MESSAGE);
      return;

    case JG_FAULT_RESET_BEFORE:
      drop_connection (msg);
      return;

    case JG_FAULT_NONE:
    case JG_FAULT_RESET_AFTER:
    case JG_FAULT_SLOW:
    case JG_FAULT_EXPIRE_TOKEN:
    case JG_FAULT_MALFORMED:
    default:
      break;
    }

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->path = g_steal_pointer (&rest);
  pending->query = query ? g_hash_table_ref (query) : NULL;
  pending->route = route;
  pending->fault = fault;

  if (fault != JG_FAULT_SLOW)
    {
      process (pending);
      pending_free (pending);
      return;
    }

  /* Answer later: the message waits, paused. */
  pending->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (pending_finished_cb), pending);
  soup_server_message_pause (msg);
  pending->timer = g_timeout_source_new (param);
  g_source_set_callback (pending->timer, slow_done_cb, pending, NULL);
  g_source_attach (pending->timer, self->context);
  g_ptr_array_add (self->pending, pending);
}

/* The blob endpoint (jg-emulator-blob.c): no bearer token, no faults; the
 * SAS is the credential.
 */
static void
blob_early_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  if (g_str_has_prefix (path, "/blob/"))
    _jg_emulator_blob_early (user_data, msg, path, query);
}

static void
blob_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  if (!g_str_has_prefix (path, "/blob/"))
    {
      server_cb (server, msg, path, query, user_data);
      return;
    }

  _jg_emulator_blob_handle (user_data, msg, path, query);
}

/* GObject */

static void
jg_emulator_dispose (GObject *object)
{
  JgEmulator *self = (JgEmulator *)object;

  jg_emulator_shutdown (self);

  g_clear_object (&self->scheduler);
  g_clear_object (&self->store);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (jg_emulator_parent_class)->dispose (object);
}

static void
jg_emulator_finalize (GObject *object)
{
  JgEmulator *self = (JgEmulator *)object;

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->faults, jg_emulator_faults_free);
  g_clear_pointer (&self->secret, g_bytes_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->data_dir);
  g_free (self->account);
  g_free (self->key);
  g_free (self->static_token);
  g_free (self->root_uri);
  g_free (self->base_uri);

  G_OBJECT_CLASS (jg_emulator_parent_class)->finalize (object);
}

static void
jg_emulator_class_init (JgEmulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_emulator_dispose;
  object_class->finalize = jg_emulator_finalize;
}

static void
jg_emulator_init (JgEmulator *self)
{
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify)pending_free);
}

/* jg_emulator_root (): the root URI in SQL, NULL before listening. */
static void
root_uri_sql_cb (sqlite3_context *context,
                 int              argc,
                 sqlite3_value  **argv)
{
  JgEmulator *self = sqlite3_user_data (context);

  if (self->root_uri != NULL)
    sqlite3_result_text (context, self->root_uri, -1, SQLITE_TRANSIENT);
  else
    sqlite3_result_null (context);
}

static guint32
get_fault_seed (void)
{
  const char *text = g_getenv ("JOBGRAPH_FAULT_SEED");
  guint64     seed;
  char       *end;

  if (text != NULL)
    {
      seed = g_ascii_strtoull (text, &end, 10);
      if (end != text && *end == '\0')
        return (guint32)seed;

      g_warning ("JOBGRAPH_FAULT_SEED=%s is not a number; using a random seed", text);
    }

  return g_random_int ();
}

/**
 * jg_emulator_new:
 * @options: how to run
 *
 * Opens (or creates) the data directory and its database, seeds assets from
 * the files in `assets/`, and resumes the jobs that had not ended. The
 * emulator runs on the thread-default main context of the caller; it does
 * not listen until jg_emulator_listen().
 *
 * Returns: (transfer full) (nullable): the emulator
 */
JgEmulator *
jg_emulator_new (const JgEmulatorOptions *options,
                 GError                 **error)
{
  g_autoptr(JgEmulator) self = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *assets_dir = NULL;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options->data_dir == NULL || options->data_dir[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The emulator needs a data directory");
      return NULL;
    }

  self = g_object_new (JG_TYPE_EMULATOR, NULL);
  self->data_dir = g_strdup (options->data_dir);
  self->account = g_strdup (options->account ? options->account : JG_EMULATOR_DEFAULT_ACCOUNT);
  self->key = g_strdup (options->key ? options->key : JG_EMULATOR_DEFAULT_KEY);
  self->static_token = options->static_token && options->static_token[0] ? g_strdup (options->static_token) : NULL;
  self->workers = options->workers > 0 ? options->workers : 2;
  self->speed = options->speed > 0 ? options->speed : 1.0;
  /* Also for emulators that tests and tools run in process: the test
   * environment sets JOBGRAPH_EMULATOR_SIMULATE=1, as for the binary.
   */
  self->simulate = options->simulate || g_strcmp0 (g_getenv ("JOBGRAPH_EMULATOR_SIMULATE"), "1") == 0;
  self->context = g_main_context_ref_thread_default ();

  if (!is_valid_account (self->account))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The account name “%s” is not valid: use 1 to 64 letters, digits, - or _", self->account);
      return NULL;
    }

  if (self->key[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The account key is empty");
      return NULL;
    }

  if (!isfinite (self->speed))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The speed must be a positive number");
      return NULL;
    }

  self->faults = jg_emulator_faults_new (options->faults, get_fault_seed (), error);
  if (self->faults == NULL)
    return NULL;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", self->data_dir, g_strerror (saved_errno));
      return NULL;
    }

  db_path = g_build_filename (self->data_dir, "emulator.db", NULL);
  self->store = jg_emulator_store_new (db_path, error);
  if (self->store == NULL)
    return NULL;

  /* Locators keep their BaseUri below the root: the port may change
   * from one run to the next.
   */
  sqlite3_create_function (jg_emulator_store_get_db (self->store), "jg_emulator_root", 0, SQLITE_UTF8, self,
                           root_uri_sql_cb, NULL, NULL);

  self->secret = jg_emulator_store_dup_secret (self->store);
  if (self->secret == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The database %s has no token secret", db_path);
      return NULL;
    }

  assets_dir = g_build_filename (self->data_dir, "assets", NULL);
  if (!_jg_emulator_seed_assets (self, assets_dir, error))
    return NULL;

  self->scheduler = jg_emulator_scheduler_new (self->store, self->context, self->workers, self->speed);
  if (!jg_emulator_scheduler_resume (self->scheduler, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * jg_emulator_listen:
 * @port: the TCP port, or 0 to pick a free one
 *
 * Listens on 127.0.0.1 only.
 */
gboolean
jg_emulator_listen (JgEmulator *self,
                    guint       port,
                    GError    **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GSList  *listeners;
  gboolean ok;

  g_return_val_if_fail (JG_IS_EMULATOR (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  if (self->store == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The emulator was shut down");
      return FALSE;
    }

  self->server = soup_server_new ("server-header", "jobgraph-emulator/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  soup_server_add_early_handler (self->server, "/blob", blob_early_cb, self, NULL);
  soup_server_add_handler (self->server, "/blob", blob_cb, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);

  g_main_context_push_thread_default (self->context);
  ok = soup_server_listen (self->server, address, 0, error);
  g_main_context_pop_thread_default (self->context);

  if (!ok)
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  listeners = soup_server_get_listeners (self->server);
  if (listeners != NULL)
    local = g_socket_get_local_address (listeners->data, NULL);
  g_slist_free (listeners);

  if (local == NULL || !G_IS_INET_SOCKET_ADDRESS (local))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot find the port the emulator listens on");
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
      return FALSE;
    }

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_free (self->root_uri);
  g_free (self->base_uri);
  self->root_uri = g_strdup_printf ("http://127.0.0.1:%u/", self->port);
  self->base_uri = g_strdup_printf ("%saccounts/%s/api/", self->root_uri, self->account);

  g_debug ("Listening on %s", self->root_uri);

  return TRUE;
}

guint
jg_emulator_get_port (JgEmulator *self)
{
  g_return_val_if_fail (JG_IS_EMULATOR (self), 0);

  return self->port;
}

/**
 * jg_emulator_dup_root_uri:
 *
 * Returns: (transfer full) (nullable): `http://127.0.0.1:PORT/`, or %NULL
 *   before jg_emulator_listen()
 */
char *
jg_emulator_dup_root_uri (JgEmulator *self)
{
  g_return_val_if_fail (JG_IS_EMULATOR (self), NULL);

  return g_strdup (self->root_uri);
}

/**
 * jg_emulator_shutdown:
 *
 * Stops listening, stops the running tasks (their state is in the
 * database; the next start resumes them) and closes the database. Safe to
 * call more than once.
 */
void
jg_emulator_shutdown (JgEmulator *self)
{
  g_return_if_fail (JG_IS_EMULATOR (self));

  if (self->server != NULL)
    soup_server_disconnect (self->server);

  if (self->pending != NULL)
    g_ptr_array_set_size (self->pending, 0);

  if (self->scheduler != NULL)
    jg_emulator_scheduler_stop (self->scheduler);

  if (self->store != NULL)
    jg_emulator_store_close (self->store);
}
