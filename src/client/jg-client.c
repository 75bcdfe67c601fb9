/* jg-client.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "jg-client.h"
#include "jg-client-enums.h"
#include "jg-client-private.h"
#include "jg-xml.h"

/* The REST client for the Media Services v2 API (ams-rest-v2.md).
 *
 * Every operation is one "logical operation" with one
 * `x-ms-client-request-id`, made of one or more Calls. A Call is one
 * HTTP exchange as the service sees it, and it owns everything that makes
 * a single request reliable:
 *
 *  - the bearer token, fetched on first use, shared by concurrent callers
 *    (one token request in flight at a time) and refreshed before expiry;
 *    a 401 drops the token it was sent with and re-sends once;
 *  - the first-contact 301: redirects are never followed by libsoup; the
 *    client re-bases itself on the `…/api/` prefix of `Location`, keeps it
 *    for every later call, and re-sends the same method and body;
 *  - retries with exponential back-off and jitter: 408, 429 and 503 for
 *    every request (the service did not process it), and 500, 502, 504 and
 *    connection failures for reads, which are safe to repeat;
 *  - paging past the 1,000-entity cap with `$skip`/`$top`;
 *  - OData error bodies turned into #JG_CLIENT_ERROR with the HTTP status.
 *
 * A create (POST) whose outcome is unknown — the connection dropped after
 * the request was sent, a 500/502/504, or a success the client could not
 * read — is not repeated by the Call: it ends in
 * %JG_CLIENT_ERROR_UNKNOWN_OUTCOME, and the create operation finds out
 * whether the entity exists before it sends again. See "Creating jobs
 * without duplicates" below for how.
 */

#define DEFAULT_MAX_RETRIES   4
#define DEFAULT_BASE_DELAY_MS 100
#define DEFAULT_MAX_DELAY_MS  1600
#define DEFAULT_TIMEOUT_S     60
#define MAX_CONNECTIONS       16
#define MAX_REDIRECTS         3
#define MIN_REFRESH_MARGIN_S  60
#define DEFAULT_TOKEN_LIFE_S  3600
/* The largest single Put Blob that blob storage takes with x-ms-version
 * 2012-02-12; larger files go up in blocks (Put Block, Put Block List).
 */
#define DEFAULT_SINGLE_PUT_MAX ((goffset)64 * 1024 * 1024)
#define DEFAULT_BLOCK_SIZE     (4 * 1024 * 1024)

/* Server clocks and ours differ, and `Date` has a resolution of one
 * second: a job whose `Created` is this much earlier than the first send
 * of a create can still be the one it made.
 */
#define CLOCK_MARGIN_US (5 * G_USEC_PER_SEC)

#define ACCEPT_JSON  "application/json;odata=verbose"
#define CONTENT_JSON "application/json;odata=verbose"
#define CONTENT_FORM "application/x-www-form-urlencoded"
#define ACS_SCOPE    "urn:WindowsAzureMediaServices"

typedef struct _CreateGate CreateGate;

struct _JgClient
{
  GObject      parent_instance;

  JgAccount   *account;
  SoupSession *session;

  /* The API base every relative path is resolved against; re-based after
   * a redirect and kept for the life of the client.
   */
  char        *base_uri;

  /* The bearer token. Never logged, never in an error message. */
  char        *token;
  gint64       token_refresh_at; /* monotonic µs */
  guint        token_serial;
  gboolean     fetching_token;
  GQueue       token_waiters; /* TokenWaiter */
  guint        n_token_fetches;

  guint        max_retries;
  guint        base_delay_ms;
  guint        max_delay_ms;

  /* Duplicate avoidance for job creation. */
  GHashTable  *claimed_jobs;    /* id → id */
  GHashTable  *gates;           /* job name → CreateGate */
  gint64       clock_offset_us; /* server − local */

  gboolean     log_http;
  gboolean     corrupt_sas; /* tests: send a wrong SAS signature */

  /* Uploads larger than this go in blocks of block_size (tests make both
   * small).
   */
  goffset      single_put_max;
  gsize        block_size;
};

enum
{
  PROP_0,
  PROP_ACCOUNT,
  PROP_BASE_URI,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgClient, jg_client, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Calls */

typedef enum
{
  CALL_READ,  /* GET, DELETE, CancelJob: safe to repeat */
  CALL_WRITE, /* POST create: never repeated blindly */
  CALL_TOKEN, /* POST to the token endpoint: safe to repeat */
} CallKind;

typedef enum
{
  RESULT_NONE,
  RESULT_ENTITY,
  RESULT_LIST,
  RESULT_CUSTOM,
} ResultKind;

typedef struct _Call Call;

typedef gpointer (*EntityParseFunc) (JsonObject *object,
                                     GError    **error);
typedef gpointer (*CustomParseFunc) (Call    *call,
                                     GBytes  *body,
                                     GError **error);
typedef GBytes *(*BodyFunc) (Call       *call,
                             const char *base_uri);

struct _Call
{
  JgClient       *client;
  CallKind        kind;
  ResultKind      result_kind;
  char           *method;
  char           *path;  /* relative to the base, or absolute for CALL_TOKEN */
  GPtrArray      *query; /* "name=escaped value" */
  GBytes         *body;
  BodyFunc        body_func; /* builds the body for the current base */
  gpointer        body_data;
  char           *content_type;
  const char     *accept;
  char           *request_id;

  EntityParseFunc parse_entity;
  GDestroyNotify  entity_free;
  CustomParseFunc parse_custom;
  gpointer        custom_data;

  /* Paging (RESULT_LIST) */
  guint           skip;
  guint           top; /* 0: everything */
  guint           page_top;
  GPtrArray      *items;

  gpointer        result;
  GDestroyNotify  result_free;

  /* State */
  guint           retries;
  guint           redirects;
  gboolean        refreshed_token;
  guint           stale_tokens;
  gboolean        ambiguous; /* an earlier attempt may have been carried out */
  gboolean        body_written;
  gboolean        not_found_ok_if_ambiguous;
  guint           token_serial;
  char           *token;
  SoupMessage    *msg;
  char           *uri;
  gint64          attempt_start;
  GSource        *delay_source;
  GSource        *cancel_source;
  guint           status;
};

static void call_start (GTask *task);

/* Tokens */

typedef struct
{
  JgClient *client;
  GTask    *task;
  GSource  *cancel_source;
} TokenWaiter;

typedef struct
{
  char  *access_token;
  gint64 expires_in;
  guint  serial;
} TokenGrant;

static void ensure_token_async (JgClient           *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);

static void
wipe_free (gpointer data)
{
  char *str = data;

  if (str == NULL)
    return;

  explicit_bzero (str, strlen (str));
  g_free (str);
}

static void
token_grant_free (gpointer data)
{
  TokenGrant *grant = data;

  wipe_free (grant->access_token);
  g_free (grant);
}

static void
call_free (gpointer data)
{
  Call *call = data;

  g_assert (call->delay_source == NULL);
  g_assert (call->cancel_source == NULL);

  g_clear_object (&call->client);
  g_free (call->method);
  g_free (call->path);
  g_clear_pointer (&call->query, g_ptr_array_unref);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call->content_type);
  g_free (call->request_id);
  g_clear_pointer (&call->items, g_ptr_array_unref);
  if (call->result != NULL && call->result_free != NULL)
    call->result_free (call->result);
  wipe_free (call->token);
  g_clear_object (&call->msg);
  g_free (call->uri);
  g_free (call);
}

static Call *
call_new (JgClient   *client,
          CallKind    kind,
          const char *method,
          const char *path)
{
  Call *call = g_new0 (Call, 1);

  call->client = g_object_ref (client);
  call->kind = kind;
  call->method = g_strdup (method);
  call->path = g_strdup (path);
  call->query = g_ptr_array_new_with_free_func (g_free);
  call->accept = ACCEPT_JSON;
  call->result_kind = RESULT_NONE;

  return call;
}

static void
call_add_query (Call       *call,
                const char *name,
                const char *value)
{
  g_autofree char *escaped = jg_odata_escape_query_value (value);

  g_ptr_array_add (call->query, g_strdup_printf ("%s=%s", name, escaped));
}

static void
call_add_list_options (Call                *call,
                       const JgListOptions *options)
{
  if (options == NULL)
    return;

  if (options->filter != NULL && options->filter[0] != '\0')
    call_add_query (call, "$filter", options->filter);
  if (options->orderby != NULL && options->orderby[0] != '\0')
    call_add_query (call, "$orderby", options->orderby);

  call->skip = options->skip;
  call->top = options->top;
}

static void
call_set_list (Call           *call,
               EntityParseFunc parse,
               GDestroyNotify  free_func)
{
  call->result_kind = RESULT_LIST;
  call->parse_entity = parse;
  call->entity_free = free_func;
  call->items = g_ptr_array_new_with_free_func (free_func);
}

static void
call_set_entity (Call           *call,
                 EntityParseFunc parse,
                 GDestroyNotify  free_func)
{
  call->result_kind = RESULT_ENTITY;
  call->parse_entity = parse;
  call->entity_free = free_func;
}

static void
call_set_json_body (Call     *call,
                    JsonNode *node)
{
  g_autofree char *text = jg_json_to_string (node, FALSE);
  gsize            len = strlen (text);

  g_clear_pointer (&call->body, g_bytes_unref);
  call->body = g_bytes_new_take (g_steal_pointer (&text), len);
  g_free (call->content_type);
  call->content_type = g_strdup (CONTENT_JSON);
}

/* Runs @call as (part of) the logical operation @request_id. The task's
 * source tag is @source_tag, so that a public _finish() can check it.
 */
static void
call_run (Call               *call,
          const char         *request_id,
          gpointer            source_tag,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (call->client, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, call_free);

  call->request_id = request_id ? g_strdup (request_id) : g_uuid_string_random ();

  call_start (task);
}

static gboolean
call_finish (GAsyncResult *result,
             GError      **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
call_steal_result (GAsyncResult *result)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  return g_steal_pointer (&call->result);
}

static Call *
call_from_result (GAsyncResult *result)
{
  return g_task_get_task_data (G_TASK (result));
}

/* Checks that a public _finish() got a result of the matching _async(). */
static gboolean
result_is_valid (JgClient     *self,
                 GAsyncResult *result,
                 gpointer      source_tag)
{
  return g_task_is_valid (result, self) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

/* Transport checks */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize            len;

  if (host == NULL || host[0] == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  len = strlen (host);
  if (len > strlen (".localhost") &&
      g_ascii_strcasecmp (host + len - strlen (".localhost"), ".localhost") == 0)
    return TRUE;

  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  /* Drop an IPv6 zone (`fe80::1%eth0`). */
  if (strchr (bare, '%') != NULL)
    *strchr (bare, '%') = '\0';

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* A bearer token or a key may go over https, or over plain http to this
 * machine only (the emulator).
 */
static gboolean
check_transport (GUri    *uri,
                 GError **error)
{
  const char *scheme = g_uri_get_scheme (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri)))
    return TRUE;

  g_set_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INSECURE,
               _("Refusing to send credentials to %s over unencrypted %s; use an https:// address"),
                  g_uri_get_host (uri) ? g_uri_get_host (uri) : "?", scheme);
  return FALSE;
}

/* Logging */

static void
log_request (Call        *call,
             SoupMessage *msg)
{
  SoupMessageHeadersIter iter;
  const char            *name;
  const char            *value;
  GString               *str;

  if (!call->client->log_http)
    return;

  str = g_string_new (NULL);
  g_autofree char *shown_uri = _jg_client_redact_uri (call->uri);

  g_string_append_printf (str, "> %s %s (request %s, attempt %u)",
                          call->method, shown_uri, call->request_id, call->retries + 1);

  soup_message_headers_iter_init (&iter, soup_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *shown = _jg_client_redact_header (name, value);

      g_string_append_printf (str, "\n  %s: %s", name, shown);
    }

  if (call->body != NULL && g_strcmp0 (call->content_type, CONTENT_FORM) == 0)
    {
      gsize            size;
      const char      *data = g_bytes_get_data (call->body, &size);
      g_autofree char *form = g_strndup (data, size);
      g_autofree char *shown = _jg_client_redact_form (form);

      explicit_bzero (form, size);
      g_string_append_printf (str, "\n  body: %s", shown);
    }
  else if (call->body != NULL)
    {
      g_string_append_printf (str, "\n  body: %" G_GSIZE_FORMAT " bytes of %s",
                              g_bytes_get_size (call->body), call->content_type);
    }

  g_message ("%s", str->str);
  g_string_free (str, TRUE);
}

static void
log_response (Call         *call,
              SoupMessage  *msg,
              const GError *error)
{
  double ms = (g_get_monotonic_time () - call->attempt_start) / 1000.0;

  if (!call->client->log_http)
    return;

  if (error != NULL)
    {
      g_message ("< %s %s failed after %.1f ms (request %s): %s",
                 call->method, call->uri, ms, call->request_id, error->message);
      return;
    }

  {
    SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
    const char         *location = soup_message_headers_get_one (headers, "Location");
    const char         *server_id = soup_message_headers_get_one (headers, "x-ms-request-id");

    g_message ("< %u %s %s %s (%.1f ms, request %s%s%s%s%s)",
               soup_message_get_status (msg),
               soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "",
               call->method, call->uri, ms, call->request_id,
               server_id ? ", service request " : "", server_id ? server_id : "",
               location ? ", Location: " : "", location ? location : "");
  }
}

/* Errors */

static void
set_http_error (Call    *call,
                guint    status,
                GBytes  *body,
                GError **error)
{
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  const char      *data = NULL;
  gsize            size = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &size);

  if (!jg_odata_parse_error (data, size, &code, &message) || message == NULL || message[0] == '\0')
    {
      const char *phrase = soup_status_get_phrase (status);

      g_clear_pointer (&message, g_free);
      if (phrase != NULL)
        message = g_strdup_printf (_("The service answered “%u %s”"), status, phrase);
      else
        message = g_strdup_printf (_("The service answered with HTTP status %u"), status);
    }

  jg_client_error_set_http (error, status, code, call->request_id, message);
}

static void
set_unknown_outcome (Call       *call,
                     const char *reason,
                     GError    **error)
{
  g_autofree char *message = g_strdup_printf (_("The service may or may not have carried out the request: %s"),
                                                 reason);

  jg_client_error_set_http (error, call->status, NULL, call->request_id, message);
  if (error != NULL && *error != NULL)
    (*error)->code = JG_CLIENT_ERROR_UNKNOWN_OUTCOME;
}

/* Retries */

static gboolean
is_retryable_transport_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  /* A certificate problem will not go away by asking again. */
  if (error->domain == G_TLS_ERROR)
    return FALSE;

  return TRUE;
}

static guint
backoff_delay_ms (JgClient *self,
                  guint     retry)
{
  guint64 delay = self->base_delay_ms;

  for (guint i = 0; i < retry && delay < self->max_delay_ms; i++)
    delay *= 2;

  delay = MIN (delay, self->max_delay_ms);

  /* "Equal jitter": half fixed, half random, so that clients that failed
   * together do not retry together.
   */
  if (delay < 2)
    return (guint)delay;

  return (guint)(delay / 2 + g_random_int_range (0, (gint32)(delay / 2) + 1));
}

static void
call_clear_sources (Call *call)
{
  if (call->delay_source != NULL)
    {
      g_source_destroy (call->delay_source);
      g_clear_pointer (&call->delay_source, g_source_unref);
    }

  if (call->cancel_source != NULL)
    {
      g_source_destroy (call->cancel_source);
      g_clear_pointer (&call->cancel_source, g_source_unref);
    }
}

static gboolean
call_delay_cb (gpointer user_data)
{
  g_autoptr(GTask) task = g_object_ref (G_TASK (user_data));
  Call *call = g_task_get_task_data (task);

  call_clear_sources (call);
  call_start (task);

  return G_SOURCE_REMOVE;
}

static gboolean
call_delay_cancelled_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (G_TASK (user_data));
  Call *call = g_task_get_task_data (task);

  call_clear_sources (call);
  g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

static void
call_retry_later (GTask *task)
{
  Call         *call = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint         delay = backoff_delay_ms (call->client, call->retries);

  call->retries++;

  call->delay_source = g_timeout_source_new (delay);
  g_source_set_name (call->delay_source, "[jg-client] retry");
  g_source_set_callback (call->delay_source, call_delay_cb, g_object_ref (task), g_object_unref);
  g_source_attach (call->delay_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      call->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (call->cancel_source, G_SOURCE_FUNC (call_delay_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (call->cancel_source, g_task_get_context (task));
    }
}

static gboolean
can_retry (Call *call)
{
  return call->retries < call->client->max_retries;
}

/* Redirects */

static char *
dup_api_base_from_location (GUri       *location,
                            const char *request_path)
{
  const char      *path = g_uri_get_path (location);
  g_autofree char *lower = g_ascii_strdown (path, -1);
  const char      *api = strstr (lower, "/api/");
  g_autofree char *base_path = NULL;
  g_autoptr(GUri) base = NULL;

  if (api != NULL)
    {
      base_path = g_strndup (path, api - lower + strlen ("/api/"));
    }
  else if (g_str_has_suffix (lower, "/api"))
    {
      base_path = g_strconcat (path, "/", NULL);
    }
  else if (request_path != NULL && request_path[0] != '\0' && g_str_has_suffix (path, request_path))
    {
      base_path = g_strndup (path, strlen (path) - strlen (request_path));
      if (!g_str_has_suffix (base_path, "/"))
        {
          char *tmp = base_path;

          base_path = g_strconcat (tmp, "/", NULL);
          g_free (tmp);
        }
    }
  else
    {
      const char *slash = strrchr (path, '/');

      base_path = slash ? g_strndup (path, slash - path + 1) : g_strdup ("/");
    }

  base = g_uri_build (G_URI_FLAGS_ENCODED,
                      g_uri_get_scheme (location),
                      NULL,
                      g_uri_get_host (location),
                      g_uri_get_port (location),
                      base_path,
                      NULL,
                      NULL);

  return g_uri_to_string (base);
}

static void
client_set_base_uri (JgClient   *self,
                     const char *base_uri)
{
  if (g_strcmp0 (self->base_uri, base_uri) == 0)
    return;

  g_free (self->base_uri);
  self->base_uri = g_strdup (base_uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URI]);
}

static gboolean
call_follow_redirect (GTask   *task,
                      GError **error)
{
  Call               *call = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  const char         *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) request_uri = NULL;
  g_autoptr(GUri) target = NULL;
  g_autofree char *base = NULL;
  const char      *scheme;

  if (++call->redirects > MAX_REDIRECTS)
    {
      g_set_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_REDIRECT_LOOP,
                   _("The service redirected the request more than %d times"), MAX_REDIRECTS);
      return FALSE;
    }

  if (location == NULL || location[0] == '\0')
    {
      g_set_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_REDIRECT_LOOP,
                   _("The service redirected the request without saying where to"));
      return FALSE;
    }

  request_uri = g_uri_parse (call->uri, G_URI_FLAGS_ENCODED, NULL);
  target = request_uri ? g_uri_parse_relative (request_uri, location, G_URI_FLAGS_ENCODED, NULL) : NULL;
  scheme = target ? g_uri_get_scheme (target) : NULL;

  if (target == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      g_set_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_REDIRECT_LOOP,
                   _("The service redirected the request to an address that is not usable: %s"), location);
      return FALSE;
    }

  base = dup_api_base_from_location (target, call->path);
  client_set_base_uri (call->client, base);

  return TRUE;
}

/* Sending */

static char *
call_dup_uri (Call *call)
{
  GString *str;
  gboolean first = TRUE;

  if (call->kind == CALL_TOKEN)
    return g_strdup (call->path);

  str = g_string_new (call->client->base_uri);
  g_string_append (str, call->path);

  for (guint i = 0; i < call->query->len; i++)
    {
      g_string_append_c (str, first ? '?' : '&');
      g_string_append (str, g_ptr_array_index (call->query, i));
      first = FALSE;
    }

  if (call->result_kind == RESULT_LIST)
    {
      guint remaining = call->top > 0 ? call->top - call->items->len : G_MAXUINT;
      guint skip = call->skip + call->items->len;

      call->page_top = MIN (remaining, JG_ODATA_PAGE_SIZE);

      if (skip > 0)
        {
          g_string_append_printf (str, "%c$skip=%u", first ? '?' : '&', skip);
          first = FALSE;
        }

      g_string_append_printf (str, "%c$top=%u", first ? '?' : '&', call->page_top);
    }

  return g_string_free (str, FALSE);
}

static void
wrote_body_cb (SoupMessage *msg,
               Call        *call)
{
  call->body_written = TRUE;
}

static void
update_clock_offset (JgClient           *self,
                     SoupMessageHeaders *headers)
{
  const char *date = soup_message_headers_get_one (headers, "Date");
  g_autoptr(GDateTime) parsed = NULL;

  if (date == NULL)
    return;

  parsed = soup_date_time_new_from_http_string (date);
  if (parsed == NULL)
    return;

  self->clock_offset_us = g_date_time_to_unix (parsed) * G_USEC_PER_SEC - g_get_real_time ();
}

static gboolean parse_success (GTask   *task,
                               GBytes  *body,
                               GError **error);

static void     call_sent_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
call_send (GTask *task)
{
  Call     *call = g_task_get_task_data (task);
  JgClient *self = call->client;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (call->kind != CALL_TOKEN && self->base_uri == NULL)
    {
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                               _("The account's endpoint “%s” is not an http or https address"),
                                  jg_account_get_endpoint (self->account) ? jg_account_get_endpoint (self->account) : "");
      return;
    }

  g_free (call->uri);
  call->uri = call_dup_uri (call);

  uri = g_uri_parse (call->uri, G_URI_FLAGS_ENCODED, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a valid address: %s"), call->uri, error->message);
      return;
    }

  if (!check_transport (uri, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (call->body_func != NULL)
    {
      g_clear_pointer (&call->body, g_bytes_unref);
      call->body = call->body_func (call, self->base_uri);
    }

  msg = soup_message_new_from_uri (call->method, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  /* libsoup 3.2 re-sends a GET or DELETE by itself when a reused keep-alive
   * connection turns out to be closed, and when several requests are in
   * flight that restart can crash it (a NULL message I/O in
   * run_until_read_done(); tests/client/test-protocol.c
   * /dropped-reads reproduces it). Reads therefore always get a connection
   * of their own — they are never restarted by libsoup, and this client
   * retries them itself — while creates, which libsoup never restarts,
   * keep using the keep-alive pool.
   */
  if (g_str_equal (call->method, "GET") || g_str_equal (call->method, "DELETE"))
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
  headers = soup_message_get_request_headers (msg);

  if (call->kind == CALL_TOKEN)
    {
      soup_message_headers_replace (headers, "Accept", "application/json");
    }
  else
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", call->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      explicit_bzero (authorization, strlen (authorization));

      soup_message_headers_replace (headers, "x-ms-version", jg_account_get_api_version (self->account));
      soup_message_headers_replace (headers, "DataServiceVersion", "3.0");
      soup_message_headers_replace (headers, "MaxDataServiceVersion", "3.0");
      soup_message_headers_replace (headers, "Accept", call->accept);
      soup_message_headers_replace (headers, "x-ms-client-request-id", call->request_id);
    }

  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (msg, call->content_type, call->body);

  call->body_written = FALSE;
  g_signal_connect (msg, "wrote-body", G_CALLBACK (wrote_body_cb), call);

  g_set_object (&call->msg, msg);
  call->attempt_start = g_get_monotonic_time ();
  call->status = 0;

  log_request (call, msg);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task),
                                    call_sent_cb, g_object_ref (task));
}

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void
call_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call     *call = g_task_get_task_data (task);
  JgClient *self = call->client;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_signal_handlers_disconnect_by_func (call->msg, wrote_body_cb, call);

  if (body == NULL)
    {
      log_response (call, call->msg, error);

      if (!is_retryable_transport_error (error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      if (call->kind == CALL_WRITE && call->body_written)
        {
          GError *unknown = NULL;

          set_unknown_outcome (call, error->message, &unknown);
          g_task_return_error (task, unknown);
          return;
        }

      if (call->body_written)
        call->ambiguous = TRUE;

      if (can_retry (call))
        {
          call_retry_later (task);
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (call->msg);
  call->status = status;
  log_response (call, call->msg, NULL);
  update_clock_offset (self, soup_message_get_response_headers (call->msg));

  if (call->kind != CALL_TOKEN && is_redirect (status))
    {
      if (!call_follow_redirect (task, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      call_start (task);
      return;
    }

  if (status == 401 && call->kind != CALL_TOKEN &&
      jg_account_get_auth_kind (self->account) != JG_AUTH_KIND_BEARER &&
      call->stale_tokens < MAX_REDIRECTS &&
      self->token != NULL && self->token_serial != call->token_serial)
    {
      /* Sent with a token that another operation has replaced meanwhile:
       * try the current one, without spending this operation's refresh.
       */
      call->stale_tokens++;
      call_start (task);
      return;
    }

  if (status == 401 && call->kind != CALL_TOKEN &&
      jg_account_get_auth_kind (self->account) != JG_AUTH_KIND_BEARER &&
      !call->refreshed_token)
    {
      /* The token expired early, or was revoked: drop it (unless a newer
       * one came meanwhile) and send once more with a fresh one. The
       * service did not carry out the request.
       */
      if (self->token_serial == call->token_serial)
        g_clear_pointer (&self->token, wipe_free);

      call->refreshed_token = TRUE;
      call_start (task);
      return;
    }

  if (status == 408 || status == 429 || status == 503)
    {
      /* The service did not process the request: safe for any method. */
      if (can_retry (call))
        {
          call_retry_later (task);
          return;
        }

      set_http_error (call, status, body, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (status == 500 || status == 502 || status == 504)
    {
      if (call->kind == CALL_WRITE)
        {
          g_autoptr(GError) service_error = NULL;

          set_http_error (call, status, body, &service_error);
          set_unknown_outcome (call, service_error->message, &error);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      call->ambiguous = TRUE;

      if (can_retry (call))
        {
          call_retry_later (task);
          return;
        }

      set_http_error (call, status, body, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (status == 404 && call->ambiguous && call->not_found_ok_if_ambiguous)
    {
      /* An earlier attempt of this DELETE was carried out, but its answer
       * was lost.
       */
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (status >= 400)
    {
      set_http_error (call, status, body, &error);

      if (call->kind == CALL_TOKEN && (status == 400 || status == 401))
        error->code = JG_CLIENT_ERROR_UNAUTHORIZED;

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (status < 200 || status >= 300)
    {
      set_http_error (call, status, body, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!parse_success (task, body, &error))
    {
      if (error->domain == JG_CLIENT_ERROR)
        {
          /* A definite answer from the service, such as a failed $batch part. */
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      if (call->kind == CALL_WRITE)
        {
          GError *unknown = NULL;

          set_unknown_outcome (call, error->message, &unknown);
          g_task_return_error (task, unknown);
          return;
        }

      /* A garbled answer to a read is worth another try. */
      if (can_retry (call))
        {
          call_retry_later (task);
          return;
        }

      {
        g_autofree char *message = g_strdup_printf (_("The service's answer could not be read: %s"),
                                                       error->message);

        g_clear_error (&error);
        jg_client_error_set_http (&error, status, NULL, call->request_id, message);
        error->code = JG_CLIENT_ERROR_INVALID_RESPONSE;
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    }

  /* parse_success() either finished the task or asked for the next page. */
}

static gboolean
parse_success (GTask   *task,
               GBytes  *body,
               GError **error)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize       size;

  switch (call->result_kind)
    {
    case RESULT_NONE:
      g_task_return_boolean (task, TRUE);
      return TRUE;

    case RESULT_CUSTOM:
      {
        gpointer result = call->parse_custom (call, body, error);

        if (result == NULL)
          return FALSE;

        call->result = result;
        g_task_return_boolean (task, TRUE);
        return TRUE;
      }

    case RESULT_ENTITY:
    case RESULT_LIST:
    default:
      break;
    }

  data = g_bytes_get_data (body, &size);
  root = jg_json_parse (data, size, error);
  if (root == NULL)
    return FALSE;

  if (call->result_kind == RESULT_ENTITY)
    {
      JsonObject *object = jg_odata_get_entity (root, error);
      gpointer    entity;

      if (object == NULL)
        return FALSE;

      entity = call->parse_entity (object, error);
      if (entity == NULL)
        return FALSE;

      call->result = entity;
      call->result_free = call->entity_free;
      g_task_return_boolean (task, TRUE);
      return TRUE;
    }
  else
    {
      JsonArray *array = jg_odata_get_results (root, error);
      g_autoptr(GPtrArray) page = NULL;
      guint n;

      if (array == NULL)
        return FALSE;

      n = json_array_get_length (array);
      page = g_ptr_array_new_with_free_func (call->entity_free);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          gpointer  entity;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              g_set_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("Entity %u of the answer is not an object"), i);
              return FALSE;
            }

          entity = call->parse_entity (json_node_get_object (element), error);
          if (entity == NULL)
            return FALSE;

          g_ptr_array_add (page, entity);
        }

      g_ptr_array_extend_and_steal (call->items, g_steal_pointer (&page));

      /* The service silently stops at 1,000 entities and sends no next
       * link: a full page means there may be more.
       */
      if (n > 0 && n >= call->page_top &&
          (call->top == 0 || call->items->len < call->top))
        {
          call->retries = 0;
          call->redirects = 0;
          call_start (task);
          return TRUE;
        }

      call->result = g_steal_pointer (&call->items);
      call->result_free = (GDestroyNotify)g_ptr_array_unref;
      g_task_return_boolean (task, TRUE);
      return TRUE;
    }
}

static void
call_got_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  TokenGrant *grant;

  grant = g_task_propagate_pointer (G_TASK (result), &error);
  if (grant == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  wipe_free (call->token);
  call->token = g_steal_pointer (&grant->access_token);
  call->token_serial = grant->serial;
  token_grant_free (grant);

  call_send (task);
}

static void
call_start (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (call->kind == CALL_TOKEN)
    {
      call_send (task);
      return;
    }

  ensure_token_async (call->client, g_task_get_cancellable (task), call_got_token_cb, g_object_ref (task));
}

/* Tokens
 *
 * One token request at a time: callers that need a token while one is
 * being fetched wait for it. The waiters are GTasks whose result is a
 * TokenGrant with the token and its serial number, which tells a 401
 * whether the token it was sent with is still current.
 */

static gpointer
parse_token (Call    *call,
             GBytes  *body,
             GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *access_token;
  TokenGrant *grant;
  gint64      expires_in = -1;
  gsize       size;
  const char *data = g_bytes_get_data (body, &size);

  root = jg_json_parse (data, size, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("The token service's answer is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  access_token = jg_json_object_get_string (object, "access_token");
  if (access_token == NULL || access_token[0] == '\0')
    {
      g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("The token service's answer has no access_token"));
      return NULL;
    }

  /* ACS writes expires_in as a string ("21600"), Azure AD as a number or a
   * string; jg_json_object_get_int() reads both.
   */
  if (!jg_json_object_get_int (object, "expires_in", &expires_in))
    {
      gint64 expires_on;

      if (jg_json_object_get_int (object, "expires_on", &expires_on))
        expires_in = expires_on - g_get_real_time () / G_USEC_PER_SEC;
      else
        expires_in = DEFAULT_TOKEN_LIFE_S;
    }

  grant = g_new0 (TokenGrant, 1);
  grant->access_token = g_strdup (access_token);
  grant->expires_in = expires_in;

  return grant;
}

static void
token_waiter_free (TokenWaiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_source_unref (waiter->cancel_source);
    }

  g_object_unref (waiter->task);
  g_free (waiter);
}

static gboolean
token_waiter_cancelled_cb (GCancellable *cancellable,
                           gpointer      user_data)
{
  TokenWaiter *waiter = user_data;
  JgClient    *self = waiter->client;
  g_autoptr(GTask) task = g_object_ref (waiter->task);

  g_queue_remove (&self->token_waiters, waiter);
  token_waiter_free (waiter);
  g_task_return_error_if_cancelled (task);

  return G_SOURCE_REMOVE;
}

static gint64
refresh_margin_s (gint64 lifetime)
{
  /* Refresh when less than a tenth of the token's life, or less than a
   * minute, is left — but never earlier than half-way, so that
   * short-lived tokens are still used for a while.
   */
  gint64 margin = MAX (lifetime / 10, MIN_REFRESH_MARGIN_S);

  return MIN (margin, lifetime / 2);
}

static void
token_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(JgClient) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GQueue) waiters = NULL;
  TokenGrant *grant = NULL;

  self->fetching_token = FALSE;

  if (call_finish (result, &error))
    grant = call_steal_result (result);

  if (grant != NULL)
    {
      gint64 life = MAX (grant->expires_in, 0);

      g_clear_pointer (&self->token, wipe_free);
      self->token = g_steal_pointer (&grant->access_token);
      self->token_serial++;
      self->token_refresh_at = g_get_monotonic_time () + (life - refresh_margin_s (life)) * G_USEC_PER_SEC;
      token_grant_free (grant);
    }
  else if (error->domain == JG_CLIENT_ERROR)
    {
      g_autofree char *host = NULL;
      g_autoptr(GUri) uri = g_uri_parse (jg_account_get_token_uri (self->account), G_URI_FLAGS_NONE, NULL);
      char *message;

      host = g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : jg_account_get_token_uri (self->account));
      message = g_strdup_printf (_("Could not sign in at %s: %s"), host, error->message);
      g_free (error->message);
      error->message = message;
    }

  /* Hand the result to everyone who waited; a waiter's callback may ask
   * for a token again, so take the queue first.
   */
  waiters = g_queue_copy (&self->token_waiters);
  g_queue_clear (&self->token_waiters);

  while (!g_queue_is_empty (waiters))
    {
      TokenWaiter *waiter = g_queue_pop_head (waiters);
      g_autoptr(GTask) task = g_object_ref (waiter->task);

      token_waiter_free (waiter);

      if (self->token != NULL)
        {
          TokenGrant *copy = g_new0 (TokenGrant, 1);

          copy->access_token = g_strdup (self->token);
          copy->serial = self->token_serial;
          g_task_return_pointer (task, copy, token_grant_free);
        }
      else
        {
          g_task_return_error (task, g_error_copy (error));
        }
    }
}

static GBytes *
new_secret_bytes (char *text)
{
  return g_bytes_new_with_free_func (text, strlen (text), wipe_free, text);
}

static void
start_token_fetch (JgClient *self)
{
  JgAccount  *account = self->account;
  JgAuthKind  kind = jg_account_get_auth_kind (account);
  const char *token_uri = jg_account_get_token_uri (account);
  char       *form;
  Call       *call;

  self->fetching_token = TRUE;
  self->n_token_fetches++;

  if (kind == JG_AUTH_KIND_AAD)
    form = soup_form_encode ("grant_type", "client_credentials",
                             "client_id", jg_account_get_client_id (account),
                             "client_secret", jg_account_get_secret (account),
                             "resource", jg_account_get_resource (account),
                             NULL);
  else
    form = soup_form_encode ("grant_type", "client_credentials",
                             "client_id", jg_account_get_client_id (account),
                             "client_secret", jg_account_get_secret (account),
                             "scope", ACS_SCOPE,
                             NULL);

  call = call_new (self, CALL_TOKEN, "POST", token_uri);
  call->body = new_secret_bytes (form);
  call->content_type = g_strdup (CONTENT_FORM);
  call->result_kind = RESULT_CUSTOM;
  call->parse_custom = parse_token;
  call->result_free = token_grant_free;

  /* Not cancellable: other callers may be waiting for the same token. */
  call_run (call, NULL, start_token_fetch, NULL, token_fetched_cb, g_object_ref (self));
}

static void
ensure_token_async (JgClient           *self,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  JgAccount   *account = self->account;
  TokenWaiter *waiter;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ensure_token_async);

  if (jg_account_get_auth_kind (account) == JG_AUTH_KIND_BEARER)
    {
      TokenGrant *grant;

      if (!jg_account_has_secret (account))
        {
          g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNAUTHORIZED,
                                   _("The account has no bearer token"));
          return;
        }

      grant = g_new0 (TokenGrant, 1);
      grant->access_token = g_strdup (jg_account_get_secret (account));
      g_task_return_pointer (task, grant, token_grant_free);
      return;
    }

  if (self->token != NULL && g_get_monotonic_time () < self->token_refresh_at)
    {
      TokenGrant *grant = g_new0 (TokenGrant, 1);

      grant->access_token = g_strdup (self->token);
      grant->serial = self->token_serial;
      g_task_return_pointer (task, grant, token_grant_free);
      return;
    }

  if (!self->fetching_token)
    {
      const char *token_uri = jg_account_get_token_uri (account);
      g_autoptr(GUri) uri = NULL;

      if (token_uri == NULL || (uri = g_uri_parse (token_uri, G_URI_FLAGS_ENCODED, NULL)) == NULL)
        {
          g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                                   _("The account has no valid token endpoint"));
          return;
        }

      if (jg_account_get_client_id (account) == NULL || !jg_account_has_secret (account))
        {
          g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNAUTHORIZED,
                                   jg_account_get_auth_kind (account) == JG_AUTH_KIND_ACS
                                   ? _("The account has no account name or key")
                                   : _("The account has no client id or client secret"));
          return;
        }
    }

  waiter = g_new0 (TokenWaiter, 1);
  waiter->client = self;
  waiter->task = g_steal_pointer (&task);

  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (token_waiter_cancelled_cb), waiter, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }

  g_queue_push_tail (&self->token_waiters, waiter);

  if (!self->fetching_token)
    start_token_fetch (self);
}

/* Object */

static void
jg_client_dispose (GObject *object)
{
  JgClient *self = (JgClient *)object;

  /* Every operation holds a reference to the client, so nothing waits for
   * a token when the last reference goes.
   */
  g_assert (g_queue_is_empty (&self->token_waiters));

  g_clear_object (&self->session);

  G_OBJECT_CLASS (jg_client_parent_class)->dispose (object);
}

static void
jg_client_finalize (GObject *object)
{
  JgClient *self = (JgClient *)object;

  g_clear_object (&self->account);
  g_free (self->base_uri);
  g_clear_pointer (&self->token, wipe_free);
  g_clear_pointer (&self->claimed_jobs, g_hash_table_unref);
  g_clear_pointer (&self->gates, g_hash_table_unref);

  G_OBJECT_CLASS (jg_client_parent_class)->finalize (object);
}

static void
jg_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  JgClient *self = JG_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  JgClient *self = JG_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_client_constructed (GObject *object)
{
  JgClient *self = (JgClient *)object;

  G_OBJECT_CLASS (jg_client_parent_class)->constructed (object);

  g_assert (JG_IS_ACCOUNT (self->account));

  self->base_uri = jg_account_dup_api_base (self->account);
}

static void
jg_client_class_init (JgClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = jg_client_constructed;
  object_class->dispose = jg_client_dispose;
  object_class->finalize = jg_client_finalize;
  object_class->get_property = jg_client_get_property;
  object_class->set_property = jg_client_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         JG_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * JgClient:base-uri:
   *
   * The API base requests go to: the account's endpoint until the service
   * redirects the client to the account's own base.
   */
  properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_client_init (JgClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Jobgraph/%s ", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("max-conns", MAX_CONNECTIONS,
                                                 "max-conns-per-host", MAX_CONNECTIONS,
                                                 "timeout", DEFAULT_TIMEOUT_S,
                                                 "user-agent", user_agent,
                                                 NULL);
  self->max_retries = DEFAULT_MAX_RETRIES;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
  self->single_put_max = DEFAULT_SINGLE_PUT_MAX;
  self->block_size = DEFAULT_BLOCK_SIZE;
  self->claimed_jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->gates = g_hash_table_new (g_str_hash, g_str_equal);
  self->log_http = _jg_client_debug_http ();
  g_queue_init (&self->token_waiters);
}

/* Private API for tests */

void
_jg_client_set_log_http (JgClient *self,
                         gboolean  log_http)
{
  g_return_if_fail (JG_IS_CLIENT (self));

  self->log_http = !!log_http;
}

/* Makes blob requests carry a wrong `sig`, as a tampered or stale SAS
 * would.
 */
void
_jg_client_set_corrupt_sas (JgClient *self,
                            gboolean  corrupt)
{
  g_return_if_fail (JG_IS_CLIENT (self));

  self->corrupt_sas = !!corrupt;
}

/* Files larger than @single_put_max go up in blocks of @block_size; 0
 * for the defaults (64 MiB, 4 MiB).
 */
void
_jg_client_set_block_upload (JgClient *self,
                             goffset   single_put_max,
                             gsize     block_size)
{
  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (single_put_max >= 0);

  self->single_put_max = single_put_max > 0 ? single_put_max : DEFAULT_SINGLE_PUT_MAX;
  self->block_size = block_size > 0 ? block_size : DEFAULT_BLOCK_SIZE;
}

const char *
_jg_client_peek_token (JgClient *self)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);

  return self->token;
}

guint
_jg_client_get_n_token_fetches (JgClient *self)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), 0);

  return self->n_token_fetches;
}

/* Public API */

/**
 * jg_client_new:
 * @account: where and how to connect
 *
 * A client runs on the thread-default main context of the thread that
 * creates it; use it from that thread only.
 *
 * Returns: (transfer full): a new client
 */
JgClient *
jg_client_new (JgAccount *account)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (account), NULL);

  return g_object_new (JG_TYPE_CLIENT, "account", account, NULL);
}

/**
 * jg_client_get_account:
 *
 * Returns: (transfer none): the account
 */
JgAccount *
jg_client_get_account (JgClient *self)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);

  return self->account;
}

/**
 * jg_client_get_base_uri:
 *
 * Returns: (nullable): the API base the client sends requests to, after
 *   any redirect; %NULL when the account's endpoint is not usable
 */
const char *
jg_client_get_base_uri (JgClient *self)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);

  return self->base_uri;
}

/**
 * jg_client_set_retry_policy:
 * @max_retries: how many times a failed request is retried (4 by default)
 * @base_delay_ms: the first back-off delay (100 ms by default)
 * @max_delay_ms: the longest back-off delay (1,600 ms by default)
 *
 * Sets how the client retries throttled and failed requests. Delays double
 * on each retry, with jitter.
 */
void
jg_client_set_retry_policy (JgClient *self,
                            guint     max_retries,
                            guint     base_delay_ms,
                            guint     max_delay_ms)
{
  g_return_if_fail (JG_IS_CLIENT (self));

  self->max_retries = max_retries;
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (base_delay_ms, max_delay_ms);
}

/**
 * jg_client_set_timeout:
 * @seconds: the I/O time-out, 0 for none
 *
 * A request that gets no answer for this long fails (and is retried like
 * a dropped connection).
 */
void
jg_client_set_timeout (JgClient *self,
                       guint     seconds)
{
  g_return_if_fail (JG_IS_CLIENT (self));

  soup_session_set_timeout (self->session, seconds);
}

/* Simple operations */

static void
run_list (JgClient            *self,
          const char          *path,
          const JgListOptions *options,
          EntityParseFunc      parse,
          GDestroyNotify       free_func,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  Call *call = call_new (self, CALL_READ, "GET", path);

  call_set_list (call, parse, free_func);
  call_add_list_options (call, options);
  call_run (call, NULL, source_tag, cancellable, callback, user_data);
}

static void
run_get (JgClient           *self,
         const char         *path,
         EntityParseFunc     parse,
         GDestroyNotify      free_func,
         gpointer            source_tag,
         GCancellable       *cancellable,
         GAsyncReadyCallback callback,
         gpointer            user_data)
{
  Call *call = call_new (self, CALL_READ, "GET", path);

  call_set_entity (call, parse, free_func);
  call_run (call, NULL, source_tag, cancellable, callback, user_data);
}

static void
run_delete (JgClient           *self,
            const char         *path,
            gpointer            source_tag,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  Call *call = call_new (self, CALL_READ, "DELETE", path);

  call->not_found_ok_if_ambiguous = TRUE;
  call_run (call, NULL, source_tag, cancellable, callback, user_data);
}

static gpointer
finish_pointer (GAsyncResult *result,
                GError      **error)
{
  if (!call_finish (result, error))
    return NULL;

  return call_steal_result (result);
}

/**
 * jg_client_list_processors_async:
 *
 * Lists the account's media processors; when several versions of a
 * processor exist, only the highest `Version` of each `Name` is kept.
 */
void
jg_client_list_processors_async (JgClient           *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_list (self, "MediaProcessors", NULL,
            (EntityParseFunc)jg_remote_processor_new_from_json,
            (GDestroyNotify)jg_remote_processor_unref,
            jg_client_list_processors_async, cancellable, callback, user_data);
}

/**
 * jg_client_list_processors_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteProcessor): the
 *   processors, in the service's order
 */
GPtrArray *
jg_client_list_processors_finish (JgClient     *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) best = NULL;
  GPtrArray *latest;

  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_processors_async), NULL);

  all = finish_pointer (result, error);
  if (all == NULL)
    return NULL;

  /* Name → the processor with the highest Version. */
  best = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < all->len; i++)
    {
      JgRemoteProcessor *processor = g_ptr_array_index (all, i);
      const char        *name = processor->name ? processor->name : processor->id;
      JgRemoteProcessor *current = g_hash_table_lookup (best, name);

      if (current == NULL || jg_odata_compare_versions (processor->version, current->version) > 0)
        g_hash_table_insert (best, (gpointer)name, processor);
    }

  latest = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_processor_unref);
  for (guint i = 0; i < all->len; i++)
    {
      JgRemoteProcessor *processor = g_ptr_array_index (all, i);
      const char        *name = processor->name ? processor->name : processor->id;

      if (g_hash_table_lookup (best, name) == processor)
        g_ptr_array_add (latest, jg_remote_processor_ref (processor));
    }

  return latest;
}

/**
 * jg_client_list_assets_async:
 * @name: (nullable): list only the assets with this exact `Name`
 *
 * Lists assets, all of them (paging past the service's 1,000-entity cap).
 */
void
jg_client_list_assets_async (JgClient           *self,
                             const char         *name,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autofree char *filter = NULL;
  JgListOptions    options = { 0 };

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (name != NULL)
    filter = jg_odata_dup_filter_eq ("Name", name);
  options.filter = filter;

  run_list (self, "Assets", &options,
            (EntityParseFunc)jg_remote_asset_new_from_json,
            (GDestroyNotify)jg_remote_asset_unref,
            jg_client_list_assets_async, cancellable, callback, user_data);
}

/**
 * jg_client_list_assets_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteAsset): the assets
 */
GPtrArray *
jg_client_list_assets_finish (JgClient     *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_assets_async), NULL);

  return finish_pointer (result, error);
}

void
jg_client_get_asset_async (JgClient           *self,
                           const char         *asset_id,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (asset_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = jg_odata_dup_key_path ("Assets", asset_id);
  run_get (self, path,
           (EntityParseFunc)jg_remote_asset_new_from_json,
           (GDestroyNotify)jg_remote_asset_unref,
           jg_client_get_asset_async, cancellable, callback, user_data);
}

/**
 * jg_client_get_asset_finish:
 *
 * Returns: (transfer full): the asset
 */
JgRemoteAsset *
jg_client_get_asset_finish (JgClient     *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_get_asset_async), NULL);

  return finish_pointer (result, error);
}

/**
 * jg_client_create_asset_async:
 * @name: the asset's `Name`
 *
 * Creates an empty asset. Unlike jobs, a create whose answer was lost is
 * not looked up: the operation fails with
 * %JG_CLIENT_ERROR_UNKNOWN_OUTCOME and the caller decides.
 */
void
jg_client_create_asset_async (JgClient           *self,
                              const char         *name,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  Call *call;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  call = call_new (self, CALL_WRITE, "POST", "Assets");
  call_set_json_body (call, node);
  call_set_entity (call, (EntityParseFunc)jg_remote_asset_new_from_json, (GDestroyNotify)jg_remote_asset_unref);
  call_run (call, NULL, jg_client_create_asset_async, cancellable, callback, user_data);
}

/**
 * jg_client_create_asset_finish:
 *
 * Returns: (transfer full): the new asset
 */
JgRemoteAsset *
jg_client_create_asset_finish (JgClient     *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_create_asset_async), NULL);

  return finish_pointer (result, error);
}

void
jg_client_delete_asset_async (JgClient           *self,
                              const char         *asset_id,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (asset_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = jg_odata_dup_key_path ("Assets", asset_id);
  run_delete (self, path, jg_client_delete_asset_async, cancellable, callback, user_data);
}

gboolean
jg_client_delete_asset_finish (JgClient     *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_delete_asset_async), FALSE);

  return call_finish (result, error);
}

void
jg_client_get_job_async (JgClient           *self,
                         const char         *job_id,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = jg_odata_dup_key_path ("Jobs", job_id);
  run_get (self, path,
           (EntityParseFunc)jg_remote_job_new_from_json,
           (GDestroyNotify)jg_remote_job_unref,
           jg_client_get_job_async, cancellable, callback, user_data);
}

/**
 * jg_client_get_job_finish:
 *
 * Returns: (transfer full): the job
 */
JgRemoteJob *
jg_client_get_job_finish (JgClient     *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_get_job_async), NULL);

  return finish_pointer (result, error);
}

/**
 * jg_client_list_jobs_async:
 * @options: (nullable): filter, order and range
 */
void
jg_client_list_jobs_async (JgClient            *self,
                           const JgListOptions *options,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_list (self, "Jobs", options,
            (EntityParseFunc)jg_remote_job_new_from_json,
            (GDestroyNotify)jg_remote_job_unref,
            jg_client_list_jobs_async, cancellable, callback, user_data);
}

/**
 * jg_client_list_jobs_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteJob): the jobs
 */
GPtrArray *
jg_client_list_jobs_finish (JgClient     *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_jobs_async), NULL);

  return finish_pointer (result, error);
}

static char *
dup_job_nav_path (const char *job_id,
                  const char *navigation)
{
  g_autofree char *key = jg_odata_dup_key_path ("Jobs", job_id);

  return g_strdup_printf ("%s/%s", key, navigation);
}

/**
 * jg_client_list_job_tasks_async:
 *
 * Lists a job's tasks with their State, Progress and ErrorDetails.
 */
void
jg_client_list_job_tasks_async (JgClient           *self,
                                const char         *job_id,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = dup_job_nav_path (job_id, "Tasks");
  run_list (self, path, NULL,
            (EntityParseFunc)jg_remote_task_new_from_json,
            (GDestroyNotify)jg_remote_task_unref,
            jg_client_list_job_tasks_async, cancellable, callback, user_data);
}

/**
 * jg_client_list_job_tasks_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteTask): the tasks
 */
GPtrArray *
jg_client_list_job_tasks_finish (JgClient     *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_job_tasks_async), NULL);

  return finish_pointer (result, error);
}

void
jg_client_list_job_output_assets_async (JgClient           *self,
                                        const char         *job_id,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = dup_job_nav_path (job_id, "OutputMediaAssets");
  run_list (self, path, NULL,
            (EntityParseFunc)jg_remote_asset_new_from_json,
            (GDestroyNotify)jg_remote_asset_unref,
            jg_client_list_job_output_assets_async, cancellable, callback, user_data);
}

/**
 * jg_client_list_job_output_assets_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteAsset): the assets
 *   the job writes
 */
GPtrArray *
jg_client_list_job_output_assets_finish (JgClient     *self,
                                         GAsyncResult *result,
                                         GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_job_output_assets_async), NULL);

  return finish_pointer (result, error);
}

void
jg_client_list_job_input_assets_async (JgClient           *self,
                                       const char         *job_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = dup_job_nav_path (job_id, "InputMediaAssets");
  run_list (self, path, NULL,
            (EntityParseFunc)jg_remote_asset_new_from_json,
            (GDestroyNotify)jg_remote_asset_unref,
            jg_client_list_job_input_assets_async, cancellable, callback, user_data);
}

/**
 * jg_client_list_job_input_assets_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteAsset): the job's
 *   input assets, `JobInputAsset(0)` first
 */
GPtrArray *
jg_client_list_job_input_assets_finish (JgClient     *self,
                                        GAsyncResult *result,
                                        GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_job_input_assets_async), NULL);

  return finish_pointer (result, error);
}

/* Cancel: `GET CancelJob?jobid='<URL-encoded id>'` → 204. When an attempt
 * whose answer was lost had already done it, the retry gets a 400 (the job
 * is Canceling or Canceled by then): the job's state says which it is.
 */

static void
cancel_job_checked_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JgRemoteJob) job = NULL;
  GError *cancel_error = g_task_get_task_data (task);

  job = finish_pointer (result, NULL);
  if (job != NULL && (job->state == JG_JOB_STATE_CANCELING || job->state == JG_JOB_STATE_CANCELED))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_error_copy (cancel_error));
}

static void
cancel_job_sent_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Call       *call = call_from_result (result);
  const char *job_id;

  if (call_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!call->ambiguous || !g_error_matches (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_BAD_REQUEST))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job_id = g_object_get_data (G_OBJECT (task), "job-id");
  g_task_set_task_data (task, g_steal_pointer (&error), (GDestroyNotify)g_error_free);

  {
    g_autofree char *path = jg_odata_dup_key_path ("Jobs", job_id);
    Call            *check = call_new (JG_CLIENT (g_task_get_source_object (task)), CALL_READ, "GET", path);

    call_set_entity (check, (EntityParseFunc)jg_remote_job_new_from_json, (GDestroyNotify)jg_remote_job_unref);
    call_run (check, call->request_id, cancel_job_sent_cb,
              g_task_get_cancellable (task), cancel_job_checked_cb, g_object_ref (task));
  }
}

/**
 * jg_client_cancel_job_async:
 *
 * Asks the service to cancel a job; it goes to Canceling, then Canceled.
 * Canceling a job that already ended fails with
 * %JG_CLIENT_ERROR_BAD_REQUEST.
 */
void
jg_client_cancel_job_async (JgClient           *self,
                            const char         *job_id,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *inner = NULL;
  g_autofree char *escaped = NULL;
  Call            *call;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_client_cancel_job_async);
  g_object_set_data_full (G_OBJECT (task), "job-id", g_strdup (job_id), g_free);

  /* The id is quoted as an OData literal, then URL-encoded whole. */
  quoted = jg_odata_quote (job_id);
  inner = g_strndup (quoted + 1, strlen (quoted) - 2);
  escaped = g_uri_escape_string (inner, NULL, FALSE);

  call = call_new (self, CALL_READ, "GET", "CancelJob");
  g_ptr_array_add (call->query, g_strdup_printf ("jobid='%s'", escaped));
  call_run (call, NULL, jg_client_cancel_job_async, cancellable, cancel_job_sent_cb, g_steal_pointer (&task));
}

gboolean
jg_client_cancel_job_finish (JgClient     *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_cancel_job_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
jg_client_delete_job_async (JgClient           *self,
                            const char         *job_id,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = jg_odata_dup_key_path ("Jobs", job_id);
  run_delete (self, path, jg_client_delete_job_async, cancellable, callback, user_data);
}

gboolean
jg_client_delete_job_finish (JgClient     *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_delete_job_async), FALSE);

  return call_finish (result, error);
}

/* Creating jobs without duplicates
 *
 * POST /Jobs is not idempotent, and the service has no idempotency key:
 * the `x-ms-client-request-id` is echoed, not stored, and no property of a
 * Job can be queried for it. When the answer to a create is lost — the
 * connection dropped after the request went out, a 500/502/504, or a
 * success the client cannot read — sending it again may create a second
 * job. So the client finds out first, from what it can query: jobs by
 * `Name`, with their `Created` time, Tasks and input assets.
 *
 *  1. Every create has a name. When the caller gave none, the client names
 *     the job `jobgraph-<request id>`, which makes it unique. (The default
 *     output asset names then carry that name instead of the job id.)
 *  2. The client remembers every job id it has handed to a caller or
 *     adopted ("claimed"): those belong to other operations.
 *  3. Operations are grouped in gates by what a lookup compares (name,
 *     Priority, TemplateId, inputs, tasks: see 4.). A create whose outcome
 *     is unknown waits in its gate; while one waits, new creates of the
 *     same gate are held back, and when no create of that gate is on the
 *     wire any more (every other one has either succeeded and claimed its
 *     job, failed definitely, or is unknown too), the client lists
 *     `Jobs?$filter=Name eq '<name>'` and keeps the jobs that nobody
 *     claimed, created no earlier than the first send of the waiting
 *     operations (on the service's clock, estimated from `Date`), minus
 *     a margin. Creates that differ in any compared property can never
 *     be taken for each other, so they do not wait for each other.
 *  4. A candidate matches an operation when Priority, TemplateId, the
 *     input assets (in order) and the Tasks (processor, configuration and
 *     name, as a multiset) are those the operation sent. Each waiting
 *     operation adopts one matching unclaimed candidate; the others send
 *     again.
 *
 * Because every operation of that gate whose outcome is known has claimed
 * its job before the lookup, the unclaimed matching jobs are exactly the
 * ones the waiting operations created. Two waiting operations with equal
 * bodies may adopt each other's jobs, but such jobs are indistinguishable,
 * so each caller still gets one job and the service holds exactly one per
 * call. What this cannot tell apart is an identical job with the same name
 * submitted at the same moment by another program (or another JgClient);
 * that one may be adopted instead of sending again, which under-creates
 * rather than duplicates.
 */

struct _CreateGate
{
  JgClient  *client;
  char      *key; /* the fingerprint of its creates */
  char      *name;
  guint      n_ops;     /* attached operations and holds */
  guint      in_flight; /* POSTs whose outcome is not known yet */
  GPtrArray *pending;   /* GTask: outcome unknown, to be verified */
  GQueue     waiting;   /* GTask: held back while a verification is due */
  gboolean   verifying;
};

typedef struct
{
  JgRestJob  *job;
  gboolean    batch;
  char       *request_id;
  gint64      first_send; /* real time of the first POST, µs */
  guint       attempts;
  CreateGate *gate;
  GSource    *cancel_source; /* while held back */
  GError     *unknown_error;
} CreateJob;

typedef struct
{
  JgRemoteJob *job;
  char        *job_id;
} CreateResult;

typedef struct
{
  JgRemoteJob *job;
  GPtrArray   *tasks;
  GPtrArray   *inputs;
  gboolean     claimed;
} Candidate;

typedef struct
{
  CreateGate *gate;
  GPtrArray  *ops;        /* GTask */
  GPtrArray  *candidates; /* Candidate */
  guint       index;
  char       *request_id;
  gint64      window_start;
} Verify;

static void create_job_post (GTask *task);
static void gate_update (CreateGate *gate);

static void
create_result_free (gpointer data)
{
  CreateResult *result = data;

  g_clear_pointer (&result->job, jg_remote_job_unref);
  g_free (result->job_id);
  g_free (result);
}

static void
create_job_free (gpointer data)
{
  CreateJob *op = data;

  g_assert (op->gate == NULL);
  g_assert (op->cancel_source == NULL);

  jg_rest_job_free (op->job);
  g_free (op->request_id);
  g_clear_error (&op->unknown_error);
  g_free (op);
}

static void
candidate_free (gpointer data)
{
  Candidate *candidate = data;

  jg_remote_job_unref (candidate->job);
  g_clear_pointer (&candidate->tasks, g_ptr_array_unref);
  g_clear_pointer (&candidate->inputs, g_ptr_array_unref);
  g_free (candidate);
}

static JgRestJob *
copy_rest_job (JgRestJob *job)
{
  JgRestJob *copy = jg_rest_job_new (job->kind);

  copy->name = g_strdup (job->name);
  copy->priority = job->priority;
  copy->template_id = g_strdup (job->template_id);
  copy->job_template_body = g_strdup (job->job_template_body);
  copy->n_template_inputs = job->n_template_inputs;

  for (guint i = 0; i < job->input_asset_ids->len; i++)
    g_ptr_array_add (copy->input_asset_ids, g_strdup (g_ptr_array_index (job->input_asset_ids, i)));

  for (guint i = 0; i < job->tasks->len; i++)
    {
      JgRestTask *task = g_ptr_array_index (job->tasks, i);
      JgRestTask *task_copy = jg_rest_task_new ();

      task_copy->id = g_strdup (task->id);
      task_copy->name = g_strdup (task->name);
      task_copy->processor_id = g_strdup (task->processor_id);
      task_copy->configuration = g_strdup (task->configuration);
      task_copy->description = g_strdup (task->description);
      task_copy->options = task->options;
      task_copy->priority = task->priority;
      task_copy->task_body = g_strdup (task->task_body);
      task_copy->n_inputs = task->n_inputs;
      task_copy->n_outputs = task->n_outputs;
      g_ptr_array_add (copy->tasks, task_copy);
    }

  return copy;
}

static void
claim_job (JgClient   *self,
           const char *job_id)
{
  g_hash_table_add (self->claimed_jobs, g_strdup (job_id));
}

static gboolean
is_claimed (JgClient   *self,
            const char *job_id)
{
  return g_hash_table_contains (self->claimed_jobs, job_id);
}

/* Gates */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **)a, *(const char **)b);
}

/* What a lookup compares (see candidate_matches()), hashed: two creates
 * with different fingerprints can never be mistaken for each other, so
 * they need not wait for each other either. It must not be stricter than
 * candidate_matches(): task names, which a create may leave out, stay out.
 */
static char *
dup_fingerprint (JgRestJob *job)
{
  g_autoptr(GString) str = g_string_new (NULL);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *template_id = g_ascii_strdown (job->template_id ? job->template_id : "", -1);

  g_string_append_printf (str, "%s\x1f%d\x1f%s", job->name, job->priority, template_id);

  for (guint i = 0; i < job->input_asset_ids->len; i++)
    {
      g_autofree char *id = g_ascii_strdown (g_ptr_array_index (job->input_asset_ids, i), -1);

      g_string_append_printf (str, "\x1f%s", id);
    }

  /* Tasks are compared as a multiset. */
  for (guint i = 0; i < job->tasks->len; i++)
    {
      JgRestTask      *task = g_ptr_array_index (job->tasks, i);
      g_autofree char *processor = g_ascii_strdown (task->processor_id ? task->processor_id : "", -1);

      /* Not the task's name: a task without one matches any name. */
      g_ptr_array_add (tasks, g_strdup_printf ("%s\x1e%s", processor,
                                               task->configuration ? task->configuration : ""));
    }
  g_ptr_array_sort (tasks, compare_strings);

  for (guint i = 0; i < tasks->len; i++)
    g_string_append_printf (str, "\x1f%s", (char *)g_ptr_array_index (tasks, i));

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, str->str, str->len);
}

static CreateGate *
gate_attach (JgClient  *self,
             JgRestJob *job)
{
  g_autofree char *key = dup_fingerprint (job);
  CreateGate      *gate = g_hash_table_lookup (self->gates, key);

  if (gate == NULL)
    {
      gate = g_new0 (CreateGate, 1);
      gate->client = self;
      gate->key = g_steal_pointer (&key);
      gate->name = g_strdup (job->name);
      gate->pending = g_ptr_array_new_with_free_func (g_object_unref);
      g_queue_init (&gate->waiting);
      g_hash_table_insert (self->gates, gate->key, gate);
    }

  gate->n_ops++;

  return gate;
}

static void
gate_free (CreateGate *gate)
{
  g_assert (gate->n_ops == 0);
  g_assert (gate->in_flight == 0);
  g_assert (gate->pending->len == 0);
  g_assert (g_queue_is_empty (&gate->waiting));

  g_ptr_array_unref (gate->pending);
  g_free (gate->key);
  g_free (gate->name);
  g_free (gate);
}

/* Returns the result of a create, then detaches it from its gate. */
static void
create_job_complete (GTask       *task,
                     JgRemoteJob *job,
                     GError      *error)
{
  CreateJob  *op = g_task_get_task_data (task);
  CreateGate *gate = op->gate;

  if (job != NULL)
    g_task_return_pointer (task, job, (GDestroyNotify)jg_remote_job_unref);
  else
    g_task_return_error (task, error);

  op->gate = NULL;
  gate->n_ops--;
  gate_update (gate);
}

static gboolean
create_job_held_cancelled_cb (GCancellable *cancellable,
                              gpointer      user_data)
{
  GTask      *task = user_data;
  CreateJob  *op = g_task_get_task_data (task);
  CreateGate *gate = op->gate;
  GError     *error = NULL;

  g_queue_remove (&gate->waiting, task);
  g_clear_pointer (&op->cancel_source, g_source_unref);

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  create_job_complete (task, NULL, error);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* Sends the create now, or holds it back while a create of the same name
 * waits for its outcome to be found out.
 */
static void
create_job_try (GTask *task)
{
  CreateJob    *op = g_task_get_task_data (task);
  CreateGate   *gate = op->gate;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (!gate->verifying && gate->pending->len == 0)
    {
      create_job_post (task);
      return;
    }

  g_queue_push_tail (&gate->waiting, g_object_ref (task));

  if (cancellable != NULL)
    {
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (create_job_held_cancelled_cb), task, NULL);
      g_source_attach (op->cancel_source, g_task_get_context (task));
    }
}

static void verify_start (CreateGate *gate);

static void
gate_update (CreateGate *gate)
{
  JgClient *self = gate->client;

  if (gate->verifying)
    return;

  if (gate->pending->len > 0)
    {
      if (gate->in_flight == 0)
        verify_start (gate);
      return;
    }

  while (!g_queue_is_empty (&gate->waiting))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&gate->waiting);
      CreateJob *op = g_task_get_task_data (task);

      if (op->cancel_source != NULL)
        {
          g_source_destroy (op->cancel_source);
          g_clear_pointer (&op->cancel_source, g_source_unref);
        }

      create_job_post (task);
    }

  if (gate->n_ops == 0 && gate->in_flight == 0)
    {
      g_hash_table_remove (self->gates, gate->key);
      gate_free (gate);
    }
}

/* Request bodies, built for the base the request goes to. */

static GBytes *
job_body_func (Call       *call,
               const char *base_uri)
{
  CreateJob *op = call->body_data;
  g_autoptr(JsonNode) node = jg_rest_job_to_json (op->job, base_uri, FALSE, TRUE);
  g_autofree char *text = jg_json_to_string (node, FALSE);
  gsize            len = strlen (text);

  return g_bytes_new_take (g_steal_pointer (&text), len);
}

static JgBatchPart *
new_batch_part (const char *uri,
                int         content_id,
                const char *content_type,
                JsonNode   *body)
{
  JgBatchPart     *part = jg_batch_part_new ();
  g_autofree char *id = g_strdup_printf ("%d", content_id);
  g_autofree char *text = jg_json_to_string (body, FALSE);
  gsize            len = strlen (text);

  part->method = g_strdup ("POST");
  part->uri = g_strdup (uri);
  part->changeset = 1;
  jg_batch_part_set_header (part, "Content-ID", id);
  jg_batch_part_set_header (part, "Content-Type", content_type);
  jg_batch_part_set_header (part, "Accept", ACCEPT_JSON);
  jg_batch_part_set_header (part, "DataServiceVersion", "3.0");
  jg_batch_part_set_header (part, "MaxDataServiceVersion", "3.0");
  g_bytes_unref (part->body);
  part->body = g_bytes_new_take (g_steal_pointer (&text), len);

  return part;
}

/* The job as JSON light with @odata.bind links, then one part per task
 * addressed as `$1/Tasks`, all in one changeset — the same shape as
 * jg_export_graph (JG_EXPORT_BATCH) and the service's documentation.
 */
static GBytes *
batch_body_func (Call       *call,
                 const char *base_uri)
{
  CreateJob *op = call->body_data;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_batch_part_free);
  g_autofree char *jobs_uri = g_strconcat (base_uri, "Jobs", NULL);
  g_autofree char *tasks_uri = g_strconcat (base_uri, "$1/Tasks", NULL);
  g_autoptr(JsonNode) job_node = jg_rest_job_to_json (op->job, base_uri, TRUE, FALSE);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *batch = g_strconcat ("batch_", uuid, NULL);
  g_autofree char *changeset = g_strconcat ("changeset_", uuid, NULL);
  char            *text;

  g_ptr_array_add (parts, new_batch_part (jobs_uri, 1, "application/json", job_node));

  for (guint i = 0; i < op->job->tasks->len; i++)
    {
      g_autoptr(JsonNode) task_node = jg_rest_task_to_json (g_ptr_array_index (op->job->tasks, i), JG_REST_JOB);

      g_ptr_array_add (parts, new_batch_part (tasks_uri, i + 2, CONTENT_JSON, task_node));
    }

  text = jg_batch_write (parts, batch, changeset);

  g_free (call->content_type);
  call->content_type = g_strconcat ("multipart/mixed; boundary=", batch, NULL);

  return g_bytes_new_take (text, strlen (text));
}

/* Answers */

static JgRemoteJob *
parse_job_body (const char *data,
                gsize       size,
                GError    **error)
{
  g_autoptr(JsonNode) root = jg_json_parse (data, size, error);
  JsonObject *object;

  if (root == NULL)
    return NULL;

  object = jg_odata_get_entity (root, error);
  if (object == NULL)
    return NULL;

  return jg_remote_job_new_from_json (object, error);
}

static gpointer
parse_created_job (Call    *call,
                   GBytes  *body,
                   GError **error)
{
  g_autoptr(GError) local_error = NULL;
  CreateResult *result;
  JgRemoteJob  *job;
  const char   *location;
  gsize         size;
  const char   *data = g_bytes_get_data (body, &size);

  job = parse_job_body (data, size, &local_error);
  if (job != NULL)
    {
      result = g_new0 (CreateResult, 1);
      result->job = job;
      return result;
    }

  /* The body is unreadable, but `Location` may still name the job. */
  location = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "Location");
  if (location != NULL && strstr (location, "Jobs(") != NULL)
    {
      g_autofree char *id = jg_odata_dup_id_from_location (location);

      if (id != NULL && id[0] != '\0')
        {
          result = g_new0 (CreateResult, 1);
          result->job_id = g_steal_pointer (&id);
          return result;
        }
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gboolean
is_transient_status (int status)
{
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static gpointer
parse_batch_response (Call    *call,
                      GBytes  *body,
                      GError **error)
{
  const char *content_type;
  g_autoptr(GPtrArray) parts = NULL;
  JgBatchPart  *job_part = NULL;
  gsize         size;
  const char   *data = g_bytes_get_data (body, &size);
  CreateResult *result;

  content_type = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "Content-Type");
  if (content_type == NULL)
    {
      g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("The $batch answer has no Content-Type"));
      return NULL;
    }

  parts = jg_batch_parse (content_type, data, size, error);
  if (parts == NULL)
    return NULL;

  /* Any failed part fails the whole call, with that part's message. A
   * changeset is atomic, so a throttled or failed one created nothing that
   * a lookup would not find.
   */
  for (guint i = 0; i < parts->len; i++)
    {
      JgBatchPart *part = g_ptr_array_index (parts, i);

      if (part->status >= 400)
        {
          if (is_transient_status (part->status))
            {
              g_set_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("A $batch part failed with HTTP status %d"), part->status);
              return NULL;
            }

          set_http_error (call, part->status, part->body, error);
          return NULL;
        }

      if (job_part == NULL && g_strcmp0 (jg_batch_part_get_header (part, "Content-ID"), "1") == 0)
        job_part = part;
    }

  if (job_part == NULL && parts->len > 0)
    job_part = g_ptr_array_index (parts, 0);

  if (job_part == NULL || job_part->status < 200 || job_part->status >= 300)
    {
      g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("The $batch answer has no part for the job"));
      return NULL;
    }

  result = g_new0 (CreateResult, 1);

  if (job_part->body != NULL)
    {
      gsize       body_size;
      const char *body_data = g_bytes_get_data (job_part->body, &body_size);

      result->job = parse_job_body (body_data, body_size, NULL);
    }

  if (result->job == NULL)
    result->job_id = jg_odata_dup_id_from_location (jg_batch_part_get_header (job_part, "Location"));

  if (result->job == NULL && result->job_id == NULL)
    {
      create_result_free (result);
      g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("The $batch answer does not say which job was created"));
      return NULL;
    }

  return result;
}

/* Posting */

static void create_job_posted_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
create_job_post (GTask *task)
{
  CreateJob *op = g_task_get_task_data (task);
  JgClient  *self = g_task_get_source_object (task);
  Call      *call;

  op->attempts++;
  if (op->first_send == 0)
    op->first_send = g_get_real_time ();
  op->gate->in_flight++;

  call = call_new (self, CALL_WRITE, "POST", op->batch ? "$batch" : "Jobs");
  call->body_data = op;
  call->result_kind = RESULT_CUSTOM;
  call->result_free = create_result_free;

  if (op->batch)
    {
      call->body_func = batch_body_func;
      call->accept = "multipart/mixed";
      call->parse_custom = parse_batch_response;
    }
  else
    {
      call->body_func = job_body_func;
      call->content_type = g_strdup (CONTENT_JSON);
      call->parse_custom = parse_created_job;
    }

  call_run (call, op->request_id, create_job_post,
            g_task_get_cancellable (task), create_job_posted_cb, g_object_ref (task));
}

static void
create_job_fetched_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError      *error = NULL;
  JgRemoteJob *job;

  job = finish_pointer (result, &error);
  create_job_complete (task, job, error);
}

static void
create_job_posted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateJob    *op = g_task_get_task_data (task);
  JgClient     *self = g_task_get_source_object (task);
  GError       *error = NULL;
  CreateResult *created;

  op->gate->in_flight--;

  created = finish_pointer (result, &error);
  if (created != NULL)
    {
      if (created->job != NULL)
        {
          claim_job (self, created->job->id);
          create_job_complete (task, g_steal_pointer (&created->job), NULL);
        }
      else
        {
          /* Claim the id now, so that no lookup adopts it meanwhile. */
          g_autofree char *path = jg_odata_dup_key_path ("Jobs", created->job_id);
          Call            *call = call_new (self, CALL_READ, "GET", path);

          claim_job (self, created->job_id);
          call_set_entity (call, (EntityParseFunc)jg_remote_job_new_from_json, (GDestroyNotify)jg_remote_job_unref);
          call_run (call, op->request_id, create_job_post,
                    g_task_get_cancellable (task), create_job_fetched_cb, g_object_ref (task));
          gate_update (op->gate);
        }

      create_result_free (created);
      return;
    }

  if (!g_error_matches (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNKNOWN_OUTCOME))
    {
      create_job_complete (task, NULL, error);
      return;
    }

  g_clear_error (&op->unknown_error);
  op->unknown_error = error;

  g_ptr_array_add (op->gate->pending, g_object_ref (task));
  gate_update (op->gate);
}

/* Verification */

static gint64
date_time_to_usec (GDateTime *date_time)
{
  return g_date_time_to_unix (date_time) * G_USEC_PER_SEC + g_date_time_get_microsecond (date_time);
}

static void
verify_free (Verify *verify)
{
  g_ptr_array_unref (verify->ops);
  g_clear_pointer (&verify->candidates, g_ptr_array_unref);
  g_free (verify->request_id);
  g_free (verify);
}

static gboolean
same_id (const char *a,
         const char *b)
{
  if (a != NULL && a[0] == '\0')
    a = NULL;
  if (b != NULL && b[0] == '\0')
    b = NULL;

  if (a == NULL || b == NULL)
    return a == b;

  return g_ascii_strcasecmp (a, b) == 0;
}

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a ? a : "", b ? b : "") == 0;
}

static gboolean
inputs_match (JgRestJob *job,
              GPtrArray *inputs)
{
  if (inputs == NULL || inputs->len != job->input_asset_ids->len)
    return FALSE;

  for (guint i = 0; i < inputs->len; i++)
    {
      JgRemoteAsset *asset = g_ptr_array_index (inputs, i);

      if (!same_id (asset->id, g_ptr_array_index (job->input_asset_ids, i)))
        return FALSE;
    }

  return TRUE;
}

static gboolean
tasks_match (JgRestJob *job,
             GPtrArray *tasks)
{
  g_autofree gboolean *used = NULL;

  if (tasks == NULL || tasks->len != job->tasks->len)
    return FALSE;

  used = g_new0 (gboolean, tasks->len + 1);

  for (guint i = 0; i < job->tasks->len; i++)
    {
      JgRestTask *mine = g_ptr_array_index (job->tasks, i);
      gboolean    found = FALSE;

      for (guint j = 0; j < tasks->len && !found; j++)
        {
          JgRemoteTask *theirs = g_ptr_array_index (tasks, j);

          if (used[j] ||
              !same_id (mine->processor_id, theirs->processor_id) ||
              !same_text (mine->configuration, theirs->configuration) ||
              (mine->name != NULL && !same_text (mine->name, theirs->name)))
            continue;

          used[j] = TRUE;
          found = TRUE;
        }

      if (!found)
        return FALSE;
    }

  return TRUE;
}

static gboolean
job_header_matches (JgRestJob   *job,
                    JgRemoteJob *remote)
{
  return same_text (job->name, remote->name) &&
         job->priority == remote->priority &&
         same_id (job->template_id, remote->template_id);
}

static gboolean
candidate_matches (CreateJob *op,
                   Candidate *candidate)
{
  if (!job_header_matches (op->job, candidate->job) ||
      !inputs_match (op->job, candidate->inputs))
    return FALSE;

  return op->job->template_id != NULL || tasks_match (op->job, candidate->tasks);
}

static void
verify_finish (Verify *verify)
{
  CreateGate *gate = verify->gate;
  JgClient   *self = gate->client;
  g_autoptr(GPtrArray) adopted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  g_autoptr(GPtrArray) resend = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cancelled = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) given_up = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < verify->ops->len; i++)
    {
      GTask     *task = g_ptr_array_index (verify->ops, i);
      CreateJob *op = g_task_get_task_data (task);
      Candidate *match = NULL;

      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_ptr_array_add (cancelled, g_object_ref (task));
          continue;
        }

      for (guint j = 0; j < verify->candidates->len && match == NULL; j++)
        {
          Candidate *candidate = g_ptr_array_index (verify->candidates, j);

          if (!candidate->claimed && !is_claimed (self, candidate->job->id) && candidate_matches (op, candidate))
            match = candidate;
        }

      if (match != NULL)
        {
          match->claimed = TRUE;
          claim_job (self, match->job->id);
          g_ptr_array_add (adopted, g_object_ref (task));
          g_ptr_array_add (jobs, jg_remote_job_ref (match->job));

          if (self->log_http)
            g_message ("Job “%s” (request %s) was created although its answer was lost: %s",
                       gate->name, op->request_id, match->job->id);
        }
      else if (op->attempts > self->max_retries)
        {
          g_ptr_array_add (given_up, g_object_ref (task));
        }
      else
        {
          g_ptr_array_add (resend, g_object_ref (task));
        }
    }

  gate->verifying = FALSE;

  /* Send again first: those creates are older than any held back. */
  for (guint i = 0; i < resend->len; i++)
    create_job_post (g_ptr_array_index (resend, i));

  for (guint i = 0; i < given_up->len; i++)
    {
      GTask     *task = g_ptr_array_index (given_up, i);
      CreateJob *op = g_task_get_task_data (task);
      GError    *error = NULL;

      g_set_error (&error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_FAILED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Job “%s” was not created after %u attempt; the last one failed: %s",
                                "Job “%s” was not created after %u attempts; the last one failed: %s",
                                op->attempts),
                   gate->name, op->attempts, op->unknown_error ? op->unknown_error->message : "?");
      create_job_complete (task, NULL, error);
    }

  for (guint i = 0; i < adopted->len; i++)
    create_job_complete (g_ptr_array_index (adopted, i), g_ptr_array_index (jobs, i), NULL);

  for (guint i = 0; i < cancelled->len; i++)
    {
      GTask  *task = g_ptr_array_index (cancelled, i);
      GError *error = NULL;

      g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error);
      create_job_complete (task, NULL, error);
    }

  gate->n_ops--;
  verify_free (verify);
  gate_update (gate);
}

static void
verify_fail (Verify *verify,
             GError *error)
{
  CreateGate *gate = verify->gate;
  g_autoptr(GPtrArray) ops = g_ptr_array_ref (verify->ops);

  gate->verifying = FALSE;

  for (guint i = 0; i < ops->len; i++)
    {
      GTask     *task = g_ptr_array_index (ops, i);
      CreateJob *op = g_task_get_task_data (task);
      GError    *op_error = NULL;

      g_set_error (&op_error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNKNOWN_OUTCOME,
                   _("Could not find out whether job “%s” was created (%s), nor list the jobs to check: %s"),
                      gate->name,
                      op->unknown_error ? op->unknown_error->message : "?",
                      error->message);
      create_job_complete (task, NULL, op_error);
    }

  gate->n_ops--;
  verify_free (verify);
  gate_update (gate);
}

static void verify_next (Verify *verify);

static void
verify_inputs_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Verify    *verify = user_data;
  Candidate *candidate = g_ptr_array_index (verify->candidates, verify->index);
  g_autoptr(GError) error = NULL;

  candidate->inputs = finish_pointer (result, &error);
  if (candidate->inputs == NULL)
    {
      verify_fail (verify, error);
      return;
    }

  verify->index++;
  verify_next (verify);
}

static void
verify_tasks_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Verify    *verify = user_data;
  Candidate *candidate = g_ptr_array_index (verify->candidates, verify->index);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Call            *call;

  candidate->tasks = finish_pointer (result, &error);
  if (candidate->tasks == NULL)
    {
      verify_fail (verify, error);
      return;
    }

  path = dup_job_nav_path (candidate->job->id, "InputMediaAssets");
  call = call_new (verify->gate->client, CALL_READ, "GET", path);
  call_set_list (call, (EntityParseFunc)jg_remote_asset_new_from_json, (GDestroyNotify)jg_remote_asset_unref);
  call_run (call, verify->request_id, verify_start, NULL, verify_inputs_cb, verify);
}

/* Fetches the Tasks and input assets of each candidate in turn. */
static void
verify_next (Verify *verify)
{
  Candidate       *candidate;
  g_autofree char *path = NULL;
  Call            *call;

  if (verify->index >= verify->candidates->len)
    {
      verify_finish (verify);
      return;
    }

  candidate = g_ptr_array_index (verify->candidates, verify->index);
  path = dup_job_nav_path (candidate->job->id, "Tasks");
  call = call_new (verify->gate->client, CALL_READ, "GET", path);
  call_set_list (call, (EntityParseFunc)jg_remote_task_new_from_json, (GDestroyNotify)jg_remote_task_unref);
  call_run (call, verify->request_id, verify_start, NULL, verify_tasks_cb, verify);
}

static void
verify_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Verify   *verify = user_data;
  JgClient *self = verify->gate->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  jobs = finish_pointer (result, &error);
  if (jobs == NULL)
    {
      verify_fail (verify, error);
      return;
    }

  verify->candidates = g_ptr_array_new_with_free_func (candidate_free);

  for (guint i = 0; i < jobs->len; i++)
    {
      JgRemoteJob *job = g_ptr_array_index (jobs, i);
      gboolean     wanted = FALSE;
      Candidate   *candidate;

      if (is_claimed (self, job->id))
        continue;

      if (job->created != NULL && date_time_to_usec (job->created) < verify->window_start)
        continue;

      for (guint j = 0; j < verify->ops->len && !wanted; j++)
        {
          CreateJob *op = g_task_get_task_data (g_ptr_array_index (verify->ops, j));

          wanted = job_header_matches (op->job, job);
        }

      if (!wanted)
        continue;

      candidate = g_new0 (Candidate, 1);
      candidate->job = jg_remote_job_ref (job);
      g_ptr_array_add (verify->candidates, candidate);
    }

  verify_next (verify);
}

static void
verify_start (CreateGate *gate)
{
  JgClient        *self = gate->client;
  Verify          *verify;
  gint64           first_send = G_MAXINT64;
  g_autofree char *filter = NULL;
  JgListOptions    options = { 0 };
  Call            *call;

  verify = g_new0 (Verify, 1);
  verify->gate = gate;
  verify->ops = g_steal_pointer (&gate->pending);
  gate->pending = g_ptr_array_new_with_free_func (g_object_unref);
  gate->verifying = TRUE;
  gate->n_ops++;

  for (guint i = 0; i < verify->ops->len; i++)
    {
      CreateJob *op = g_task_get_task_data (g_ptr_array_index (verify->ops, i));

      first_send = MIN (first_send, op->first_send);
      if (verify->request_id == NULL)
        verify->request_id = g_strdup (op->request_id);
    }

  verify->window_start = first_send + self->clock_offset_us - CLOCK_MARGIN_US;

  filter = jg_odata_dup_filter_eq ("Name", gate->name);
  options.filter = filter;

  call = call_new (self, CALL_READ, "GET", "Jobs");
  call_set_list (call, (EntityParseFunc)jg_remote_job_new_from_json, (GDestroyNotify)jg_remote_job_unref);
  call_add_list_options (call, &options);
  call_run (call, verify->request_id, verify_start, NULL, verify_listed_cb, verify);
}

/* Entry points */

static void
create_job_begin (JgClient           *self,
                  JgRestJob          *job,
                  JgCreateFlags       flags,
                  gpointer            source_tag,
                  GCancellable       *cancellable,
                  GAsyncReadyCallback callback,
                  gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  CreateJob *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (job->kind != JG_REST_JOB)
    {
      jg_rest_job_free (job);
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                               _("A JobTemplate body cannot be submitted as a job"));
      return;
    }

  if (job->template_id == NULL && job->tasks->len == 0)
    {
      jg_rest_job_free (job);
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                               _("The job has no tasks"));
      return;
    }

  if ((flags & JG_CREATE_BATCH) && job->template_id != NULL)
    {
      jg_rest_job_free (job);
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                               _("A job from a template cannot be sent as a $batch"));
      return;
    }

  op = g_new0 (CreateJob, 1);
  op->job = job;
  op->batch = (flags & JG_CREATE_BATCH) != 0;
  op->request_id = g_uuid_string_random ();

  if (op->job->name == NULL || op->job->name[0] == '\0')
    {
      g_free (op->job->name);
      op->job->name = g_strconcat ("jobgraph-", op->request_id, NULL);
    }

  g_task_set_task_data (task, op, create_job_free);
  op->gate = gate_attach (self, op->job);

  create_job_try (task);
}

/**
 * jg_client_create_job_async:
 * @job: the Job create body (copied)
 * @flags: inline Tasks or `$batch`
 *
 * Submits a job. If the answer is lost on the way, the client finds out
 * whether the job was created before it sends again, so that a flaky
 * network never creates two jobs for one call. A job without a name is
 * named `jobgraph-<request id>`.
 */
void
jg_client_create_job_async (JgClient           *self,
                            JgRestJob          *job,
                            JgCreateFlags       flags,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (job != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  create_job_begin (self, copy_rest_job (job), flags, jg_client_create_job_async,
                    cancellable, callback, user_data);
}

/**
 * jg_client_create_job_finish:
 *
 * Returns: (transfer full): the created job
 */
JgRemoteJob *
jg_client_create_job_finish (JgClient     *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_create_job_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * jg_client_create_job_from_graph_async:
 * @graph: the job to submit
 * @input_asset_ids: (nullable) (array zero-terminated=1): asset ids for
 *   `JobInputAsset(0)`, `(1)`…, instead of those bound in @graph
 *
 * Submits @graph as exported by the core (jg_export_graph()).
 */
void
jg_client_create_job_from_graph_async (JgClient           *self,
                                       JgGraph            *graph,
                                       const char *const  *input_asset_ids,
                                       JgCreateFlags       flags,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  JgExportOptions options = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JgRestJob *job = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (JG_IS_GRAPH (graph));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  options.base_uri = self->base_uri;
  options.input_asset_ids = input_asset_ids;

  bytes = jg_export_graph (graph, JG_EXPORT_JOB, &options, &error);
  if (bytes != NULL)
    {
      gsize       size;
      const char *data = g_bytes_get_data (bytes, &size);

      root = jg_json_parse (data, size, &error);
      if (root != NULL)
        job = jg_rest_job_from_json (root, &error);
    }

  if (job == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, jg_client_create_job_from_graph_async);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  create_job_begin (self, job, flags, jg_client_create_job_from_graph_async,
                    cancellable, callback, user_data);
}

/**
 * jg_client_create_job_from_graph_finish:
 *
 * Returns: (transfer full): the created job
 */
JgRemoteJob *
jg_client_create_job_from_graph_finish (JgClient     *self,
                                        GAsyncResult *result,
                                        GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_create_job_from_graph_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * jg_client_create_job_from_template_async:
 * @name: (nullable): the job's name
 * @template_id: the JobTemplate, `nb:jtid:UUID:…`
 * @input_asset_ids: (array zero-terminated=1): the input assets, as many as
 *   the template's `NumberofInputAssets`
 *
 * Submits a job whose tasks come from a JobTemplate.
 */
void
jg_client_create_job_from_template_async (JgClient           *self,
                                          const char         *name,
                                          const char         *template_id,
                                          const char *const  *input_asset_ids,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data)
{
  JgRestJob *job;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (template_id != NULL);
  g_return_if_fail (input_asset_ids != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = jg_rest_job_new (JG_REST_JOB);
  job->name = g_strdup (name);
  job->template_id = g_strdup (template_id);
  for (guint i = 0; input_asset_ids[i] != NULL; i++)
    g_ptr_array_add (job->input_asset_ids, g_strdup (input_asset_ids[i]));

  create_job_begin (self, job, JG_CREATE_NONE, jg_client_create_job_from_template_async,
                    cancellable, callback, user_data);
}

/**
 * jg_client_create_job_from_template_finish:
 *
 * Returns: (transfer full): the created job
 */
JgRemoteJob *
jg_client_create_job_from_template_finish (JgClient     *self,
                                           GAsyncResult *result,
                                           GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_create_job_from_template_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* JobTemplates
 *
 * TaskTemplate ids are chosen by the client (`nb:ttid:UUID:<new GUID>`)
 * and appear in the JobTemplateBody, so a template create whose answer was
 * lost is recognized exactly: the template whose body names the first
 * TaskTemplate id is the one this operation created.
 */

typedef struct
{
  GTask            *task;
  JgRemoteTemplate *template_;
} FetchTaskTemplates;

static void
task_templates_fetched_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  FetchTaskTemplates *fetch = user_data;
  g_autoptr(GTask) task = fetch->task;
  g_autoptr(JgRemoteTemplate) template_ = fetch->template_;
  g_autoptr(GError) error = NULL;
  GPtrArray *task_templates;

  g_free (fetch);

  task_templates = finish_pointer (result, &error);
  if (task_templates == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  jg_remote_template_take_task_templates (template_, task_templates);
  g_task_return_pointer (task, g_steal_pointer (&template_), (GDestroyNotify)jg_remote_template_unref);
}

static char *
dup_template_nav_path (const char *template_id)
{
  g_autofree char *key = jg_odata_dup_key_path ("JobTemplates", template_id);

  return g_strconcat (key, "/TaskTemplates", NULL);
}

/* Completes @task with @template_ once its TaskTemplates are read. */
static void
fetch_task_templates (GTask            *task,
                      JgRemoteTemplate *template_,
                      const char       *request_id)
{
  FetchTaskTemplates *fetch = g_new0 (FetchTaskTemplates, 1);
  g_autofree char    *path = dup_template_nav_path (template_->id);
  Call               *call;

  fetch->task = g_object_ref (task);
  fetch->template_ = template_;

  call = call_new (g_task_get_source_object (task), CALL_READ, "GET", path);
  call_set_list (call, (EntityParseFunc)jg_remote_task_template_new_from_json,
                 (GDestroyNotify)jg_remote_task_template_unref);
  call_run (call, request_id, fetch_task_templates,
            g_task_get_cancellable (task), task_templates_fetched_cb, fetch);
}

static void
get_template_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JgRemoteTemplate *template_;

  template_ = finish_pointer (result, &error);
  if (template_ == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fetch_task_templates (task, template_, call_from_result (result)->request_id);
}

static void
get_template (GTask      *task,
              const char *template_id,
              const char *request_id)
{
  g_autofree char *path = jg_odata_dup_key_path ("JobTemplates", template_id);
  Call            *call = call_new (g_task_get_source_object (task), CALL_READ, "GET", path);

  call_set_entity (call, (EntityParseFunc)jg_remote_template_new_from_json,
                   (GDestroyNotify)jg_remote_template_unref);
  call_run (call, request_id, get_template,
            g_task_get_cancellable (task), get_template_cb, g_object_ref (task));
}

void
jg_client_get_template_async (JgClient           *self,
                              const char         *template_id,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *request_id = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (template_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_client_get_template_async);

  request_id = g_uuid_string_random ();
  get_template (task, template_id, request_id);
}

/**
 * jg_client_get_template_finish:
 *
 * Returns: (transfer full): the template with its TaskTemplates
 */
JgRemoteTemplate *
jg_client_get_template_finish (JgClient     *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_get_template_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Listing: all JobTemplates, then all TaskTemplates, matched by the ids
 * in each JobTemplateBody. Should the service not list TaskTemplates on
 * their own, each template's are read in turn.
 */

typedef struct
{
  GPtrArray *templates;
  guint      index;
  char      *request_id;
} ListTemplates;

static void
list_templates_free (gpointer data)
{
  ListTemplates *list = data;

  g_clear_pointer (&list->templates, g_ptr_array_unref);
  g_free (list->request_id);
  g_free (list);
}

static void list_templates_next (GTask *task);

static void
list_templates_one_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListTemplates *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *task_templates;

  task_templates = finish_pointer (result, &error);
  if (task_templates == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  jg_remote_template_take_task_templates (g_ptr_array_index (list->templates, list->index), task_templates);
  list->index++;
  list_templates_next (task);
}

static void
list_templates_next (GTask *task)
{
  ListTemplates    *list = g_task_get_task_data (task);
  JgRemoteTemplate *template_;
  g_autofree char  *path = NULL;
  Call             *call;

  if (list->index >= list->templates->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&list->templates), (GDestroyNotify)g_ptr_array_unref);
      return;
    }

  template_ = g_ptr_array_index (list->templates, list->index);
  path = dup_template_nav_path (template_->id);
  call = call_new (g_task_get_source_object (task), CALL_READ, "GET", path);
  call_set_list (call, (EntityParseFunc)jg_remote_task_template_new_from_json,
                 (GDestroyNotify)jg_remote_task_template_unref);
  call_run (call, list->request_id, list_templates_next,
            g_task_get_cancellable (task), list_templates_one_cb, g_object_ref (task));
}

static void
list_task_templates_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListTemplates *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) task_templates = NULL;

  task_templates = finish_pointer (result, &error);
  if (task_templates == NULL)
    {
      if (g_error_matches (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND) ||
          g_error_matches (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_BAD_REQUEST))
        {
          list->index = 0;
          list_templates_next (task);
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < list->templates->len; i++)
    {
      JgRemoteTemplate *template_ = g_ptr_array_index (list->templates, i);
      GPtrArray        *mine = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_task_template_unref);

      for (guint j = 0; j < task_templates->len; j++)
        {
          JgRemoteTaskTemplate *task_template = g_ptr_array_index (task_templates, j);

          if (jg_remote_template_references (template_, task_template->id))
            g_ptr_array_add (mine, jg_remote_task_template_ref (task_template));
        }

      jg_remote_template_take_task_templates (template_, mine);
    }

  g_task_return_pointer (task, g_steal_pointer (&list->templates), (GDestroyNotify)g_ptr_array_unref);
}

static void
list_templates_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListTemplates *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Call *call;

  list->templates = finish_pointer (result, &error);
  if (list->templates == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (list->templates->len == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&list->templates), (GDestroyNotify)g_ptr_array_unref);
      return;
    }

  call = call_new (g_task_get_source_object (task), CALL_READ, "GET", "TaskTemplates");
  call_set_list (call, (EntityParseFunc)jg_remote_task_template_new_from_json,
                 (GDestroyNotify)jg_remote_task_template_unref);
  call_run (call, list->request_id, list_templates_cb,
            g_task_get_cancellable (task), list_task_templates_cb, g_object_ref (task));
}

/**
 * jg_client_list_templates_async:
 *
 * Lists the account's JobTemplates, each with its TaskTemplates.
 */
void
jg_client_list_templates_async (JgClient           *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ListTemplates *list;
  Call          *call;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_client_list_templates_async);

  list = g_new0 (ListTemplates, 1);
  list->request_id = g_uuid_string_random ();
  g_task_set_task_data (task, list, list_templates_free);

  call = call_new (self, CALL_READ, "GET", "JobTemplates");
  call_set_list (call, (EntityParseFunc)jg_remote_template_new_from_json,
                 (GDestroyNotify)jg_remote_template_unref);
  call_run (call, list->request_id, jg_client_list_templates_async,
            cancellable, list_templates_cb, g_steal_pointer (&task));
}

/**
 * jg_client_list_templates_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteTemplate): the
 *   templates
 */
GPtrArray *
jg_client_list_templates_finish (JgClient     *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_templates_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
jg_client_delete_template_async (JgClient           *self,
                                 const char         *template_id,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (template_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = jg_odata_dup_key_path ("JobTemplates", template_id);
  run_delete (self, path, jg_client_delete_template_async, cancellable, callback, user_data);
}

gboolean
jg_client_delete_template_finish (JgClient     *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_delete_template_async), FALSE);

  return call_finish (result, error);
}

/* Creating templates */

typedef struct
{
  JgRestJob *template_;
  char      *request_id;
  char      *marker;
  guint      attempts;
  GError    *unknown_error;
} CreateTemplate;

typedef struct
{
  JgRemoteTemplate *template_;
  char             *template_id;
} CreatedTemplate;

static void
create_template_free (gpointer data)
{
  CreateTemplate *op = data;

  jg_rest_job_free (op->template_);
  g_free (op->request_id);
  g_free (op->marker);
  g_clear_error (&op->unknown_error);
  g_free (op);
}

static void
created_template_free (gpointer data)
{
  CreatedTemplate *created = data;

  g_clear_pointer (&created->template_, jg_remote_template_unref);
  g_free (created->template_id);
  g_free (created);
}

static gpointer
parse_created_template (Call    *call,
                        GBytes  *body,
                        GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  CreatedTemplate *created = g_new0 (CreatedTemplate, 1);
  gsize            size;
  const char      *data = g_bytes_get_data (body, &size);

  root = jg_json_parse (data, size, &local_error);
  if (root != NULL)
    {
      JsonObject *object = jg_odata_get_entity (root, &local_error);

      if (object != NULL)
        created->template_ = jg_remote_template_new_from_json (object, &local_error);
    }

  if (created->template_ == NULL)
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (call->msg), "Location");

      if (location != NULL && strstr (location, "JobTemplates(") != NULL)
        created->template_id = jg_odata_dup_id_from_location (location);
    }

  if (created->template_ == NULL && created->template_id == NULL)
    {
      created_template_free (created);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return created;
}

static void create_template_post (GTask *task);

static void
create_template_looked_up_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateTemplate *op = g_task_get_task_data (task);
  JgClient       *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;

  templates = finish_pointer (result, &error);
  if (templates == NULL)
    {
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNKNOWN_OUTCOME,
                               _("Could not find out whether JobTemplate “%s” was created (%s), nor list the templates to check: %s"),
                                  op->template_->name ? op->template_->name : "",
                                  op->unknown_error->message, error->message);
      return;
    }

  for (guint i = 0; i < templates->len; i++)
    {
      JgRemoteTemplate *template_ = g_ptr_array_index (templates, i);

      if (jg_remote_template_references (template_, op->marker))
        {
          fetch_task_templates (task, jg_remote_template_ref (template_), op->request_id);
          return;
        }
    }

  if (op->attempts > self->max_retries)
    {
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_FAILED,
                               _("JobTemplate “%s” was not created after %u attempts; the last one failed: %s"),
                                  op->template_->name ? op->template_->name : "",
                                  op->attempts, op->unknown_error->message);
      return;
    }

  create_template_post (task);
}

static void
create_template_posted_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CreateTemplate  *op = g_task_get_task_data (task);
  JgClient        *self = g_task_get_source_object (task);
  GError          *error = NULL;
  CreatedTemplate *created;

  created = finish_pointer (result, &error);
  if (created != NULL)
    {
      if (created->template_ != NULL)
        fetch_task_templates (task, g_steal_pointer (&created->template_), op->request_id);
      else
        get_template (task, created->template_id, op->request_id);

      created_template_free (created);
      return;
    }

  if (!g_error_matches (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNKNOWN_OUTCOME))
    {
      g_task_return_error (task, error);
      return;
    }

  g_clear_error (&op->unknown_error);
  op->unknown_error = error;

  {
    g_autofree char *filter = NULL;
    JgListOptions    options = { 0 };
    Call            *call;

    if (op->template_->name != NULL && op->template_->name[0] != '\0')
      filter = jg_odata_dup_filter_eq ("Name", op->template_->name);
    options.filter = filter;

    call = call_new (self, CALL_READ, "GET", "JobTemplates");
    call_set_list (call, (EntityParseFunc)jg_remote_template_new_from_json,
                   (GDestroyNotify)jg_remote_template_unref);
    call_add_list_options (call, &options);
    call_run (call, op->request_id, create_template_post,
              g_task_get_cancellable (task), create_template_looked_up_cb, g_object_ref (task));
  }
}

static void
create_template_post (GTask *task)
{
  CreateTemplate *op = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = jg_rest_job_to_json (op->template_, NULL, FALSE, TRUE);
  Call *call;

  op->attempts++;

  call = call_new (g_task_get_source_object (task), CALL_WRITE, "POST", "JobTemplates");
  call_set_json_body (call, node);
  call->result_kind = RESULT_CUSTOM;
  call->parse_custom = parse_created_template;
  call->result_free = created_template_free;
  call_run (call, op->request_id, create_template_post,
            g_task_get_cancellable (task), create_template_posted_cb, g_object_ref (task));
}

static void
create_template_begin (JgClient           *self,
                       JgRestJob          *template_,
                       gpointer            source_tag,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  CreateTemplate *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (template_->kind != JG_REST_TEMPLATE || template_->tasks->len == 0)
    {
      jg_rest_job_free (template_);
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                               _("A JobTemplate needs a JobTemplateBody and at least one TaskTemplate"));
      return;
    }

  for (guint i = 0; i < template_->tasks->len; i++)
    {
      JgRestTask *task_template = g_ptr_array_index (template_->tasks, i);

      if (task_template->id == NULL || !g_str_has_prefix (task_template->id, "nb:ttid:UUID:"))
        {
          jg_rest_job_free (template_);
          g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                                   _("TaskTemplate %u has no nb:ttid:UUID: id"), i);
          return;
        }
    }

  op = g_new0 (CreateTemplate, 1);
  op->template_ = template_;
  op->request_id = g_uuid_string_random ();
  op->marker = g_strdup (((JgRestTask *)g_ptr_array_index (template_->tasks, 0))->id);
  g_task_set_task_data (task, op, create_template_free);

  create_template_post (task);
}

/**
 * jg_client_create_template_async:
 * @template_: the JobTemplate create body, with TaskTemplate ids
 *   (copied)
 *
 * Saves a JobTemplate with its TaskTemplates in the account.
 */
void
jg_client_create_template_async (JgClient           *self,
                                 JgRestJob          *template_,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (template_ != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  create_template_begin (self, copy_rest_job (template_), jg_client_create_template_async,
                         cancellable, callback, user_data);
}

/**
 * jg_client_create_template_finish:
 *
 * Returns: (transfer full): the saved template with its TaskTemplates
 */
JgRemoteTemplate *
jg_client_create_template_finish (JgClient     *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_create_template_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * jg_client_create_template_from_graph_async:
 * @graph: the graph to save as a template (named after the graph)
 *
 * Saves @graph as a JobTemplate, with fresh TaskTemplate ids.
 */
void
jg_client_create_template_from_graph_async (JgClient           *self,
                                            JgGraph            *graph,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data)
{
  g_autoptr(GError) error = NULL;
  JgRestJob *template_;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (JG_IS_GRAPH (graph));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  template_ = jg_rest_job_from_graph (graph, JG_REST_TEMPLATE, &error);
  if (template_ == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, jg_client_create_template_from_graph_async);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  create_template_begin (self, template_, jg_client_create_template_from_graph_async,
                         cancellable, callback, user_data);
}

/**
 * jg_client_create_template_from_graph_finish:
 *
 * Returns: (transfer full): the saved template with its TaskTemplates
 */
JgRemoteTemplate *
jg_client_create_template_from_graph_finish (JgClient     *self,
                                             GAsyncResult *result,
                                             GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_create_template_from_graph_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Asset files and transfers (assets-protocol.md, "Client flow")
 *
 * An upload or a download is one logical operation (one request id) made
 * of REST Calls — the asset, an AccessPolicy, a SAS Locator, the File —
 * around blob requests that go to the Locator's URL. Those carry no
 * bearer token: the SAS in the query string is their only credential, so
 * they are never logged with it (_jg_client_redact_uri()) and error
 * messages name the blob without the query.
 *
 * Whatever happens, the Locator and the AccessPolicy are deleted before
 * the operation completes, and a failed or cancelled upload deletes the
 * asset it created, so that no half-made asset is left behind. That
 * clean-up runs without the caller's cancellable: cancelling is what
 * starts it.
 */

#define BLOB_VERSION        "2012-02-12"
/* Below redraws and input: a file streamed at full speed keeps its I/O
 * ready all the time, and at the default priority a window would not
 * repaint (or show the progress) until the transfer is over.
 */
#define BLOB_IO_PRIORITY    G_PRIORITY_LOW
#define BLOB_CHUNK_SIZE     (64 * 1024)
#define BLOB_ERROR_MAX_SIZE (64 * 1024)
/* A blob has at most 50,000 blocks of at most 100 MiB: the block size
 * grows for files that would need more. Each block is read into memory
 * (it is re-sent as is on a retry), and a few are sent at once.
 */
#define BLOB_MAX_BLOCKS     50000
#define BLOB_MAX_BLOCK_SIZE ((gsize)100 * 1024 * 1024)
#define BLOB_BLOCKS_AT_ONCE 4
#define PERMISSION_READ     1
#define PERMISSION_WRITE    2

typedef struct
{
  char *id;
  char *base_uri;
  char *sas; /* ContentAccessComponent: secret */
} SasLocator;

typedef struct
{
  char                  *request_id;

  /* Upload */
  GFile                 *file;
  char                  *asset_name;
  char                  *blob_name;
  char                  *content_type;
  JgRemoteAsset         *asset;    /* created by this upload */
  char                  *asset_id; /* the asset to upload to or download from */

  /* Download */
  GFile                 *dir;
  GPtrArray             *files;   /* JgRemoteFile */
  GPtrArray             *written; /* GFile */
  guint                  index;
  GFile                 *part;
  GFile                 *target;
  GInputStream          *in;
  GOutputStream         *out;

  /* Upload in blocks */
  gsize                  block_size;
  guint                  n_blocks;   /* 0: one Put Blob */
  guint                  next_block; /* the next one to read */
  guint                  n_put;      /* blocks (then the list) put */
  gboolean               reading;
  GPtrArray             *blocks;        /* Block: read or sent now */
  GCancellable          *blocks_cancel; /* stops them all */
  gulong                 cancel_id;
  GError                *block_error;  /* the first, once they stopped */
  guint8                *block_buffer; /* being read */

  SoupMessage           *msg;
  goffset                size; /* of everything to transfer */
  goffset                done; /* bytes transferred so far */
  char                  *policy_id;
  SasLocator            *locator;
  GAsyncReadyCallback    locator_made; /* the next step, once the Locator is made */
  GError                *error; /* the first failure, returned after clean-up */
  gpointer               result;
  GDestroyNotify         result_free;

  JgTransferProgressFunc progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
} Transfer;

static void
sas_locator_free (gpointer data)
{
  SasLocator *locator = data;

  g_free (locator->id);
  g_free (locator->base_uri);
  wipe_free (locator->sas);
  g_free (locator);
}

static void
transfer_free (gpointer data)
{
  Transfer *t = data;

  g_free (t->request_id);
  g_clear_object (&t->file);
  g_free (t->asset_name);
  g_free (t->blob_name);
  g_free (t->content_type);
  g_clear_pointer (&t->asset, jg_remote_asset_unref);
  g_free (t->asset_id);
  g_clear_object (&t->dir);
  g_clear_pointer (&t->files, g_ptr_array_unref);
  g_clear_pointer (&t->written, g_ptr_array_unref);
  g_clear_object (&t->part);
  g_clear_object (&t->target);
  g_clear_object (&t->in);
  g_clear_object (&t->out);
  g_clear_pointer (&t->blocks, g_ptr_array_unref);
  g_clear_object (&t->blocks_cancel);
  g_clear_error (&t->block_error);
  g_free (t->block_buffer);
  g_clear_object (&t->msg);
  g_free (t->policy_id);
  g_clear_pointer (&t->locator, sas_locator_free);
  g_clear_error (&t->error);
  if (t->result != NULL)
    t->result_free (t->result);
  if (t->progress_destroy != NULL)
    t->progress_destroy (t->progress_data);
  g_free (t);
}

static Transfer *
transfer_new (JgTransferProgressFunc progress,
              gpointer               progress_data,
              GDestroyNotify         progress_destroy)
{
  Transfer *t = g_new0 (Transfer, 1);

  t->request_id = g_uuid_string_random ();
  t->progress = progress;
  t->progress_data = progress_data;
  t->progress_destroy = progress_destroy;

  return t;
}

static void
transfer_report_progress (Transfer *t)
{
  if (t->progress != NULL)
    t->progress (t->done, t->size, t->progress_data);
}

static void transfer_cleanup (GTask *task);

/* Remembers the first failure and starts the clean-up. */
static void
transfer_fail (GTask  *task,
               GError *error)
{
  Transfer *t = g_task_get_task_data (task);

  if (t->error == NULL)
    t->error = error;
  else
    g_error_free (error);

  transfer_cleanup (task);
}

static gboolean
transfer_failed_if_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;

  transfer_fail (task, error);
  return TRUE;
}

/* Runs @call as part of the transfer; the clean-up calls are not
 * cancellable.
 */
static void
transfer_run_call (GTask              *task,
                   Call               *call,
                   gboolean            cleanup,
                   GAsyncReadyCallback callback)
{
  Transfer *t = g_task_get_task_data (task);

  call_run (call, t->request_id, transfer_run_call,
            cleanup ? NULL : g_task_get_cancellable (task),
            callback, g_object_ref (task));
}

static gpointer
dup_entity_id (JsonObject *object,
               GError    **error)
{
  return jg_odata_dup_id (object, "AccessPolicy", error);
}

static gpointer
parse_sas_locator (JsonObject *object,
                   GError    **error)
{
  g_autofree char *id = jg_odata_dup_id (object, "Locator", error);
  g_autofree char *base_uri = NULL;
  g_autofree char *sas = NULL;
  SasLocator      *locator;

  if (id == NULL)
    return NULL;

  base_uri = jg_odata_dup_string (object, "BaseUri");
  sas = jg_odata_dup_string (object, "ContentAccessComponent");
  if (base_uri == NULL || base_uri[0] == '\0' || sas == NULL || sas[0] != '?')
    {
      wipe_free (g_steal_pointer (&sas));
      g_set_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                   _("The service sent Locator “%s” without a BaseUri and a shared access signature"), id);
      return NULL;
    }

  /* A trailing slash would make the blob URL `…//name`. */
  while (g_str_has_suffix (base_uri, "/"))
    base_uri[strlen (base_uri) - 1] = '\0';

  locator = g_new0 (SasLocator, 1);
  locator->id = g_steal_pointer (&id);
  locator->base_uri = g_steal_pointer (&base_uri);
  locator->sas = g_steal_pointer (&sas);

  return locator;
}

/* Cleaning up */

static void transfer_cleanup_done_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data);

static void
transfer_cleanup (GTask *task)
{
  Transfer        *t = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  Call            *call;

  if (t->locator != NULL)
    {
      path = jg_odata_dup_key_path ("Locators", t->locator->id);
      g_clear_pointer (&t->locator, sas_locator_free);
    }
  else if (t->policy_id != NULL)
    {
      path = jg_odata_dup_key_path ("AccessPolicies", t->policy_id);
      g_clear_pointer (&t->policy_id, g_free);
    }
  else if (t->error != NULL && t->asset != NULL)
    {
      /* A failed upload leaves no half-made asset. */
      path = jg_odata_dup_key_path ("Assets", t->asset->id);
      g_clear_pointer (&t->asset, jg_remote_asset_unref);
    }

  if (path != NULL)
    {
      call = call_new (g_task_get_source_object (task), CALL_READ, "DELETE", path);
      call->not_found_ok_if_ambiguous = TRUE;
      transfer_run_call (task, call, TRUE, transfer_cleanup_done_cb);
      return;
    }

  if (t->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&t->error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&t->result), t->result_free);
}

static void
transfer_cleanup_done_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Nothing more can be done about a failed clean-up than to say so: the
   * Locator expires by itself, and the operation's own outcome matters
   * more.
   */
  if (!call_finish (result, &error))
    g_debug ("Clean-up after transfer %s failed: %s",
             ((Transfer *)g_task_get_task_data (task))->request_id, error->message);

  transfer_cleanup (task);
}

/* Policies and locators */

static void
transfer_create_policy (GTask              *task,
                        int                 permissions,
                        GAsyncReadyCallback callback)
{
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *minutes = NULL;
  Call            *call;

  /* An hour, and more for big transfers: a poor link may not manage more
   * than 512 KiB/s, and the SAS must outlive the transfer.
   */
  minutes = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)(60 + t->size / (512 * 1024 * 60)));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Name");
  json_builder_add_string_value (builder, permissions & PERMISSION_WRITE ? "UploadPolicy" : "DownloadPolicy");
  json_builder_set_member_name (builder, "DurationInMinutes");
  json_builder_add_string_value (builder, minutes);
  json_builder_set_member_name (builder, "Permissions");
  json_builder_add_int_value (builder, permissions);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  call = call_new (g_task_get_source_object (task), CALL_WRITE, "POST", "AccessPolicies");
  call_set_json_body (call, node);
  call_set_entity (call, dup_entity_id, g_free);
  transfer_run_call (task, call, FALSE, callback);
}

static void
transfer_create_locator (GTask              *task,
                         const char         *asset_id,
                         GAsyncReadyCallback callback)
{
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, -5);
  g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  Call            *call;

  /* Five minutes back, so that a service whose clock is behind ours does
   * not see a Locator that is not valid yet.
   */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "AccessPolicyId");
  json_builder_add_string_value (builder, t->policy_id);
  json_builder_set_member_name (builder, "AssetId");
  json_builder_add_string_value (builder, asset_id);
  json_builder_set_member_name (builder, "StartTime");
  json_builder_add_string_value (builder, start_text);
  json_builder_set_member_name (builder, "Type");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  call = call_new (g_task_get_source_object (task), CALL_WRITE, "POST", "Locators");
  call_set_json_body (call, node);
  call_set_entity (call, parse_sas_locator, sas_locator_free);
  transfer_run_call (task, call, FALSE, callback);
}

static void
transfer_policy_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  t->policy_id = finish_pointer (result, &error);
  if (t->policy_id == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  if (transfer_failed_if_cancelled (task))
    return;

  transfer_create_locator (task, t->asset_id, t->locator_made);
}

/* The AccessPolicy with @permissions, then a SAS Locator on the asset with
 * it; @locator_made goes on from there.
 */
static void
transfer_create_access (GTask              *task,
                        int                 permissions,
                        GAsyncReadyCallback locator_made)
{
  Transfer *t = g_task_get_task_data (task);

  t->locator_made = locator_made;
  transfer_create_policy (task, permissions, transfer_policy_cb);
}

/* Blob requests */

/* The blob's address without its query, to say where in an error. */
static char *
dup_blob_location (Transfer   *t,
                   const char *name)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);

  return g_strconcat (t->locator->base_uri, "/", escaped, NULL);
}

/* @query: (nullable): more of the query, after the SAS (`&comp=…`) */
static SoupMessage *
new_blob_message (JgClient   *self,
                  Transfer   *t,
                  const char *method,
                  const char *name,
                  const char *query,
                  GError    **error)
{
  g_autofree char *location = dup_blob_location (t, name);
  g_autofree char *text = g_strconcat (location, t->locator->sas, query, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupMessage        *msg;
  SoupMessageHeaders *headers;

  if (self->corrupt_sas && strstr (text, "sig=") != NULL)
    {
      char *sig = strstr (text, "sig=") + strlen ("sig=");

      /* Same length, other bytes: a signature that does not match. */
      for (; *sig != '\0' && *sig != '&'; sig++)
        *sig = *sig == 'A' ? 'B' : 'A';
    }

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, &local_error);
  explicit_bzero (text, strlen (text));
  if (uri == NULL)
    {
      g_set_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_RESPONSE,
                   _("The service gave an unusable address for “%s”: %s"), location, local_error->message);
      return NULL;
    }

  /* The SAS is a credential too. */
  if (!check_transport (uri, error))
    return NULL;

  msg = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);

  /* No Authorization: the SAS in the query is the credential, and blob
   * storage refuses a request that carries both.
   */
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "x-ms-version", BLOB_VERSION);
  soup_message_headers_replace (headers, "x-ms-client-request-id", t->request_id);

  if (self->log_http)
    {
      g_autofree char *full = g_uri_to_string (uri);
      g_autofree char *shown = _jg_client_redact_uri (full);

      g_message ("> %s %s (request %s)", method, shown, t->request_id);
    }

  return msg;
}

/* Blob storage answers errors with `<Error><Code/><Message/></Error>`. */
static void
set_blob_error (Transfer   *t,
                guint       status,
                GBytes     *body,
                const char *what,
                GError    **error)
{
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  g_autofree char *full = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  const char *data = NULL;
  gsize       size = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &size);

  if (size > 0)
    doc = jg_xml_parse (data, size, NULL);

  if (doc != NULL && xmlDocGetRootElement (doc) != NULL &&
      g_strcmp0 ((const char *)xmlDocGetRootElement (doc)->name, "Error") == 0)
    {
      for (xmlNode *child = xmlDocGetRootElement (doc)->children; child != NULL; child = child->next)
        {
          if (child->type != XML_ELEMENT_NODE)
            continue;
          if (code == NULL && g_strcmp0 ((const char *)child->name, "Code") == 0)
            code = g_strstrip (jg_xml_dup_text (child));
          else if (message == NULL && g_strcmp0 ((const char *)child->name, "Message") == 0)
            message = g_strstrip (jg_xml_dup_text (child));
        }
    }

  /* Azure appends "\nRequestId:…\nTime:…" to the sentence. */
  if (message != NULL && strchr (message, '\n') != NULL)
    *strchr (message, '\n') = '\0';

  if (message == NULL || message[0] == '\0')
    {
      const char *phrase = soup_status_get_phrase (status);

      g_free (message);
      message = phrase ? g_strdup_printf (_("The storage answered “%u %s”"), status, phrase)
                       : g_strdup_printf (_("The storage answered with HTTP status %u"), status);
    }

  if (code != NULL && code[0] != '\0')
    full = g_strdup_printf ("%s: %s (%s)", what, message, code);
  else
    full = g_strdup_printf ("%s: %s", what, message);

  jg_client_error_set_http (error, status, code, t->request_id, full);
}

static void
log_blob_response (JgClient     *self,
                   Transfer     *t,
                   SoupMessage  *msg,
                   const GError *error)
{
  if (!self->log_http)
    return;

  if (error != NULL)
    g_message ("< %s blob failed (request %s): %s", soup_message_get_method (msg), t->request_id, error->message);
  else
    g_message ("< %u %s blob (request %s)", soup_message_get_status (msg), soup_message_get_method (msg), t->request_id);
}

/* Uploading */

static void
upload_wrote_body_data_cb (SoupMessage *msg,
                           guint        chunk_size,
                           GTask       *task)
{
  Transfer *t = g_task_get_task_data (task);

  t->done += chunk_size;
  transfer_report_progress (t);
}

static void
upload_file_created_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  JgRemoteFile *file;

  file = finish_pointer (result, &error);
  if (file == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  if (t->asset != NULL)
    {
      jg_remote_file_unref (file);
      t->result = jg_remote_asset_ref (t->asset);
      t->result_free = (GDestroyNotify)jg_remote_asset_unref;
    }
  else
    {
      t->result = file;
      t->result_free = (GDestroyNotify)jg_remote_file_unref;
    }

  transfer_cleanup (task);
}

static void
upload_create_file (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *size = g_strdup_printf ("%" G_GOFFSET_FORMAT, t->size);
  Call            *call;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "IsEncrypted");
  json_builder_add_string_value (builder, "false");
  /* The one file of a new asset is its primary file; one added to an
   * existing asset is not, as that asset may have one already.
   */
  json_builder_set_member_name (builder, "IsPrimary");
  json_builder_add_string_value (builder, t->asset != NULL ? "true" : "false");
  json_builder_set_member_name (builder, "MimeType");
  json_builder_add_string_value (builder, t->content_type);
  json_builder_set_member_name (builder, "Name");
  json_builder_add_string_value (builder, t->blob_name);
  json_builder_set_member_name (builder, "ParentAssetId");
  json_builder_add_string_value (builder, t->asset_id);
  json_builder_set_member_name (builder, "ContentFileSize");
  json_builder_add_string_value (builder, size);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  call = call_new (g_task_get_source_object (task), CALL_WRITE, "POST", "Files");
  call_set_json_body (call, node);
  call_set_entity (call, (EntityParseFunc)jg_remote_file_new_from_json, (GDestroyNotify)jg_remote_file_unref);
  transfer_run_call (task, call, FALSE, upload_file_created_cb);
}

static void
upload_put_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  JgClient *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_signal_handlers_disconnect_by_func (t->msg, upload_wrote_body_data_cb, task);
  log_blob_response (self, t, t->msg, error);
  g_clear_object (&t->in);

  if (body == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *where = dup_blob_location (t, t->blob_name);
          GError          *wrapped = g_error_new (error->domain, error->code,
                                                  _("Could not upload “%s” to %s: %s"),
                                                     t->blob_name, where, error->message);

          transfer_fail (task, wrapped);
          return;
        }

      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (t->msg);
  if (status != 201 && status != 200)
    {
      g_autofree char *where = dup_blob_location (t, t->blob_name);
      g_autofree char *what = g_strdup_printf (_("Could not upload “%s” to %s"), t->blob_name, where);

      set_blob_error (t, status, body, what, &error);
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  if (transfer_failed_if_cancelled (task))
    return;

  upload_create_file (task);
}

/* Uploading in blocks
 *
 * Put Block for each block of the file, a few at once, then Put Block
 * List. Blocks are read in order, one at a time, each into memory; a block
 * that fails with a 5xx, a 408, a 429 or a dropped connection is sent
 * again after a back-off (a Put Block of the same id replaces the block).
 * The first failure stops the others, and the transfer fails once none is
 * left.
 */

typedef struct
{
  GTask       *task;
  guint        index; /* n_blocks for the block list */
  char        *query; /* `&comp=…` */
  GBytes      *data;
  SoupMessage *msg;
  guint        attempt;
  gsize        sent;    /* by this attempt */
  gsize        counted; /* in Transfer.done */
  GSource     *delay_source;
} Block;

static void blocks_pump (GTask *task);

static gsize
block_length (Transfer *t,
              guint     index)
{
  goffset offset = (goffset)index * (goffset)t->block_size;

  return (gsize)MIN ((goffset)t->block_size, t->size - offset);
}

static void
block_free (gpointer data)
{
  Block *block = data;

  if (block->delay_source != NULL)
    {
      g_source_destroy (block->delay_source);
      g_source_unref (block->delay_source);
    }
  g_clear_object (&block->msg);
  g_clear_pointer (&block->data, g_bytes_unref);
  g_free (block->query);
  g_object_unref (block->task);
  g_free (block);
}

/* A block id is base64 of bytes of one length for all blocks of a blob. */
static char *
dup_block_id (guint index)
{
  g_autofree char *raw = g_strdup_printf ("block-%06u", index);

  return g_base64_encode ((const guchar *)raw, strlen (raw));
}

static Block *
block_new (GTask *task,
           guint  index)
{
  Transfer *t = g_task_get_task_data (task);
  Block    *block = g_new0 (Block, 1);

  block->task = g_object_ref (task);
  block->index = index;

  if (index < t->n_blocks)
    {
      g_autofree char *id = dup_block_id (index);
      g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

      block->query = g_strconcat ("&comp=block&blockid=", escaped, NULL);
    }
  else
    {
      block->query = g_strdup ("&comp=blocklist");
    }

  g_ptr_array_add (t->blocks, block);

  return block;
}

/* Ends a block, with @error (taken) if it failed: the first failure stops
 * the others.
 */
static void
block_done (Block  *block,
            GError *error)
{
  g_autoptr(GTask) task = g_object_ref (block->task);
  Transfer *t = g_task_get_task_data (task);

  if (error != NULL)
    {
      if (t->block_error == NULL)
        t->block_error = error;
      else
        g_error_free (error);

      g_cancellable_cancel (t->blocks_cancel);
    }
  else
    {
      t->n_put++;
    }

  g_ptr_array_remove_fast (t->blocks, block);
  blocks_pump (task);
}

static void
block_wrote_body_data_cb (SoupMessage *msg,
                          guint        chunk_size,
                          Block       *block)
{
  Transfer *t = g_task_get_task_data (block->task);

  /* A retry counts only what its attempts had not sent yet. */
  block->sent += chunk_size;
  if (block->sent > block->counted)
    {
      t->done += block->sent - block->counted;
      block->counted = block->sent;
      transfer_report_progress (t);
    }
}

static void block_send (Block *block);

static gboolean
block_delay_cb (gpointer user_data)
{
  Block    *block = user_data;
  Transfer *t = g_task_get_task_data (block->task);
  GError   *error = NULL;

  g_clear_pointer (&block->delay_source, g_source_unref);

  if (g_cancellable_set_error_if_cancelled (t->blocks_cancel, &error))
    block_done (block, error);
  else
    block_send (block);

  return G_SOURCE_REMOVE;
}

static gboolean
block_retry (Block *block)
{
  JgClient *self = g_task_get_source_object (block->task);
  Transfer *t = g_task_get_task_data (block->task);
  guint     delay;

  if (block->attempt >= self->max_retries || g_cancellable_is_cancelled (t->blocks_cancel))
    return FALSE;

  delay = backoff_delay_ms (self, block->attempt);
  block->attempt++;
  g_debug ("Block %u of transfer %s failed; retry %u in %u ms", block->index, t->request_id, block->attempt, delay);

  block->delay_source = g_timeout_source_new (delay);
  g_source_set_callback (block->delay_source, block_delay_cb, block, NULL);
  g_source_attach (block->delay_source, g_main_context_get_thread_default ());

  return TRUE;
}

static gboolean
is_retryable_blob_status (guint status)
{
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static char *
dup_block_what (Transfer *t,
                Block    *block)
{
  g_autofree char *where = dup_blob_location (t, t->blob_name);

  if (block->index < t->n_blocks)
    return g_strdup_printf (_("Could not upload block %u of %u of “%s” to %s"),
                               block->index + 1, t->n_blocks, t->blob_name, where);

  return g_strdup_printf (_("Could not commit the blocks of “%s” to %s"), t->blob_name, where);
}

static void
block_put_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Block    *block = user_data;
  Transfer *t = g_task_get_task_data (block->task);
  JgClient *self = g_task_get_source_object (block->task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_signal_handlers_disconnect_by_func (block->msg, block_wrote_body_data_cb, block);
  log_blob_response (self, t, block->msg, error);

  if (body == NULL)
    {
      g_autofree char *what = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          block_done (block, g_steal_pointer (&error));
          return;
        }

      if (is_retryable_transport_error (error) && block_retry (block))
        return;

      what = dup_block_what (t, block);
      block_done (block, g_error_new (error->domain, error->code, "%s: %s", what, error->message));
      return;
    }

  status = soup_message_get_status (block->msg);
  if (status != 201 && status != 200)
    {
      g_autofree char *what = NULL;

      if (is_retryable_blob_status (status) && block_retry (block))
        return;

      what = dup_block_what (t, block);
      set_blob_error (t, status, body, what, &error);
      block_done (block, g_steal_pointer (&error));
      return;
    }

  /* All of it arrived, whatever the signals said. */
  if (block->index < t->n_blocks && block->counted < g_bytes_get_size (block->data))
    {
      t->done += g_bytes_get_size (block->data) - block->counted;
      block->counted = g_bytes_get_size (block->data);
      transfer_report_progress (t);
    }

  block_done (block, NULL);
}

static void
block_send (Block *block)
{
  Transfer *t = g_task_get_task_data (block->task);
  JgClient *self = g_task_get_source_object (block->task);
  GError   *error = NULL;

  g_clear_object (&block->msg);
  block->msg = new_blob_message (self, t, "PUT", t->blob_name, block->query, &error);
  if (block->msg == NULL)
    {
      block_done (block, error);
      return;
    }

  if (block->index < t->n_blocks)
    {
      soup_message_set_request_body_from_bytes (block->msg, NULL, block->data);
      block->sent = 0;
      g_signal_connect (block->msg, "wrote-body-data", G_CALLBACK (block_wrote_body_data_cb), block);
    }
  else
    {
      soup_message_set_request_body_from_bytes (block->msg, "application/xml", block->data);
    }

  soup_session_send_and_read_async (self->session, block->msg, BLOB_IO_PRIORITY, t->blocks_cancel,
                                    block_put_cb, block);
}

static void
block_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Block             *block = user_data;
  Transfer          *t = g_task_get_task_data (block->task);
  g_autofree guint8 *buffer = g_steal_pointer (&t->block_buffer);
  GError            *error = NULL;
  gsize              size = 0;
  gsize              expected;

  t->reading = FALSE;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &size, &error))
    {
      block_done (block, error);
      return;
    }

  expected = block_length (t, block->index);
  if (size != expected)
    {
      g_autofree char *shown = g_file_get_parse_name (t->file);

      block_done (block, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                      _("“%s” changed while it was being uploaded"), shown));
      return;
    }

  block->data = g_bytes_new_take (g_steal_pointer (&buffer), size);
  block_send (block);
  blocks_pump (block->task);
}

static void
blocks_commit (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);
  GString  *list = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
  Block    *block;

  for (guint i = 0; i < t->n_blocks; i++)
    {
      g_autofree char *id = dup_block_id (i);

      g_string_append_printf (list, "<Latest>%s</Latest>", id);
    }
  g_string_append (list, "</BlockList>");

  block = block_new (task, t->n_blocks);
  block->data = g_string_free_to_bytes (list);
  block_send (block);
}

static void upload_create_file (GTask *task);
static void blocks_cancelled_cb (GCancellable *cancellable,
                                 Transfer     *t);

static void
blocks_end (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);

  g_cancellable_disconnect (g_task_get_cancellable (task), t->cancel_id);
  t->cancel_id = 0;
  g_signal_handlers_disconnect_by_func (t->blocks_cancel, blocks_cancelled_cb, t);
  g_clear_object (&t->in);

  if (t->block_error != NULL)
    {
      transfer_fail (task, g_steal_pointer (&t->block_error));
      return;
    }

  if (transfer_failed_if_cancelled (task))
    return;

  upload_create_file (task);
}

/* Starts what can start; ends the upload once nothing is left to do. */
static void
blocks_pump (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);

  if (t->block_error != NULL)
    {
      if (t->blocks->len == 0 && !t->reading)
        blocks_end (task);
      return;
    }

  if (t->n_put == t->n_blocks + 1)
    {
      blocks_end (task);
      return;
    }

  if (t->n_put == t->n_blocks)
    {
      if (t->blocks->len == 0)
        blocks_commit (task);
      return;
    }

  if (!t->reading && t->next_block < t->n_blocks && t->blocks->len < BLOB_BLOCKS_AT_ONCE)
    {
      Block *block = block_new (task, t->next_block++);
      gsize  size = block_length (t, block->index);

      t->reading = TRUE;
      t->block_buffer = g_malloc (size);
      g_input_stream_read_all_async (t->in, t->block_buffer, size, BLOB_IO_PRIORITY, t->blocks_cancel,
                                     block_read_cb, block);
    }
}

/* Wakes the blocks that wait for a retry, so that they stop now. */
static void
blocks_cancelled_cb (GCancellable *cancellable,
                     Transfer     *t)
{
  for (guint i = 0; i < t->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (t->blocks, i);

      if (block->delay_source != NULL)
        g_source_set_ready_time (block->delay_source, 0);
    }
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   GCancellable *blocks_cancel)
{
  g_cancellable_cancel (blocks_cancel);
}

static void
blocks_begin (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);

  t->blocks = g_ptr_array_new_with_free_func (block_free);
  t->blocks_cancel = g_cancellable_new ();
  g_signal_connect (t->blocks_cancel, "cancelled", G_CALLBACK (blocks_cancelled_cb), t);
  if (g_task_get_cancellable (task) != NULL)
    t->cancel_id = g_cancellable_connect (g_task_get_cancellable (task), G_CALLBACK (forward_cancel_cb),
                                          g_object_ref (t->blocks_cancel), g_object_unref);

  t->done = 0;
  transfer_report_progress (t);
  blocks_pump (task);
}

static void
upload_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  JgClient *self = g_task_get_source_object (task);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GError) error = NULL;

  in = g_file_read_finish (G_FILE (object), result, &error);
  if (in == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  if (transfer_failed_if_cancelled (task))
    return;

  if (t->n_blocks > 0)
    {
      t->in = G_INPUT_STREAM (g_steal_pointer (&in));
      blocks_begin (task);
      return;
    }

  g_clear_object (&t->msg);
  t->msg = new_blob_message (self, t, "PUT", t->blob_name, NULL, &error);
  if (t->msg == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (t->msg), "x-ms-blob-type", "BlockBlob");

  /* Streamed: libsoup reads the file as it sends, never all of it at once. */
  t->in = G_INPUT_STREAM (g_steal_pointer (&in));
  soup_message_set_request_body (t->msg, t->content_type, t->in, t->size);
  g_signal_connect (t->msg, "wrote-body-data", G_CALLBACK (upload_wrote_body_data_cb), task);

  t->done = 0;
  transfer_report_progress (t);

  soup_session_send_and_read_async (self->session, t->msg, BLOB_IO_PRIORITY,
                                    g_task_get_cancellable (task),
                                    upload_put_cb, g_object_ref (task));
}

static void
upload_locator_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  t->locator = finish_pointer (result, &error);
  if (t->locator == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  if (transfer_failed_if_cancelled (task))
    return;

  g_file_read_async (t->file, BLOB_IO_PRIORITY, g_task_get_cancellable (task),
                     upload_opened_cb, g_object_ref (task));
}

static void
upload_asset_created_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  t->asset = finish_pointer (result, &error);
  if (t->asset == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  t->asset_id = g_strdup (t->asset->id);

  if (transfer_failed_if_cancelled (task))
    return;

  transfer_create_access (task, PERMISSION_WRITE, upload_locator_cb);
}

/* Without a shared-mime-info database (a sandbox, a minimal system) GIO
 * guesses nothing; the media types the service works with are known by
 * their extension.
 */
static const char *
guess_media_type (const char *name)
{
  static const struct
  {
    const char *suffix;
    const char *mime_type;
  } types[] = {
    { ".mp4", "video/mp4" },
    { ".m4v", "video/mp4" },
    { ".m4a", "audio/mp4" },
    { ".mov", "video/quicktime" },
    { ".mkv", "video/x-matroska" },
    { ".webm", "video/webm" },
    { ".wmv", "video/x-ms-wmv" },
    { ".ts", "video/mp2t" },
    { ".mp3", "audio/mpeg" },
    { ".wav", "audio/x-wav" },
    { ".jpg", "image/jpeg" },
    { ".png", "image/png" },
    { ".vtt", "text/vtt" },
    { ".xml", "application/xml" },
    { ".json", "application/json" },
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_str_has_suffix (lower, types[i].suffix))
        return types[i].mime_type;
    }

  return "application/octet-stream";
}

static void
upload_queried_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  JgClient *self = g_task_get_source_object (task);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *content_type;
  Call       *call;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (info == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_autofree char *shown = g_file_get_parse_name (t->file);

      transfer_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                                        _("“%s” is not a regular file"), shown));
      return;
    }

  t->size = g_file_info_get_size (info);

  /* Larger files go up in blocks, bigger ones for a file that would need
   * more than 50,000. (Blob storage at x-ms-version 2012-02-12 takes
   * blocks of 4 MiB at most, so about 195 GiB in all.)
   */
  if (t->size > self->single_put_max)
    {
      gsize block_size = self->block_size;

      while ((t->size + block_size - 1) / block_size > BLOB_MAX_BLOCKS && block_size < BLOB_MAX_BLOCK_SIZE)
        block_size = MIN (block_size * 2, BLOB_MAX_BLOCK_SIZE);

      if ((t->size + block_size - 1) / block_size > BLOB_MAX_BLOCKS)
        {
          g_autofree char *shown = g_file_get_parse_name (t->file);
          g_autofree char *size = g_format_size (t->size);

          transfer_fail (task, g_error_new (JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                                            _("“%s” is %s: a file of the storage has at most 50,000 blocks "
                                              "of 100 MB"),
                                               shown, size));
          return;
        }

      t->block_size = block_size;
      t->n_blocks = (guint)((t->size + block_size - 1) / block_size);
    }

  /* The content type for the blob and the File: from the name first, so
   * that `clip.mp4` is video/mp4 whatever the local file system says.
   */
  content_type = g_file_info_get_content_type (info);
  {
    gboolean         uncertain = FALSE;
    g_autofree char *guessed = g_content_type_guess (t->blob_name, NULL, 0, &uncertain);
    g_autofree char *mime = g_content_type_get_mime_type (!uncertain || content_type == NULL ? guessed : content_type);

    if (mime == NULL || g_str_equal (mime, "application/octet-stream"))
      {
        g_free (mime);
        mime = g_strdup (guess_media_type (t->blob_name));
      }

    t->content_type = g_steal_pointer (&mime);
  }

  if (transfer_failed_if_cancelled (task))
    return;

  /* Into an existing asset: no asset to create. */
  if (t->asset_id != NULL)
    {
      transfer_create_access (task, PERMISSION_WRITE, upload_locator_cb);
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Name");
  json_builder_add_string_value (builder, t->asset_name ? t->asset_name : t->blob_name);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  call = call_new (self, CALL_WRITE, "POST", "Assets");
  call_set_json_body (call, node);
  call_set_entity (call, (EntityParseFunc)jg_remote_asset_new_from_json, (GDestroyNotify)jg_remote_asset_unref);
  transfer_run_call (task, call, FALSE, upload_asset_created_cb);
}

static gboolean
is_valid_blob_name (const char *name)
{
  return name != NULL && name[0] != '\0' && strlen (name) <= 255 &&
         g_utf8_validate (name, -1, NULL) &&
         strchr (name, '/') == NULL && strchr (name, '\\') == NULL &&
         strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

static void
upload_begin (GTask *task,
              GFile *file)
{
  Transfer *t = g_task_get_task_data (task);

  t->file = g_object_ref (file);
  t->blob_name = g_file_get_basename (file);

  if (!is_valid_blob_name (t->blob_name))
    {
      g_task_return_new_error (task, JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_ARGUMENT,
                               _("“%s” cannot be the name of an asset's file"), t->blob_name ? t->blob_name : "");
      return;
    }

  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                           G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                           G_FILE_ATTRIBUTE_STANDARD_CONTENT_TYPE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                           upload_queried_cb, g_object_ref (task));
}

/**
 * jg_client_upload_asset_async:
 * @file: the local file to upload
 * @asset_name: (nullable): the new asset's `Name`; %NULL for the file's
 *   base name
 * @progress: (nullable) (scope notified): called with the bytes sent so far
 *   and the file's size, in the thread-default main context
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the operation
 *   is over
 *
 * Uploads @file as the one (primary) file of a new asset: creates the
 * asset, a write AccessPolicy and a SAS Locator, sends the bytes to the
 * Locator's URL, then creates the asset's File and deletes the Locator and
 * the policy. On failure or cancellation, the new asset is deleted too.
 *
 * The file is streamed, never held in memory as a whole: in one Put Blob
 * up to 64 MiB, above that in blocks of 4 MiB or more (Put Block, four at
 * once, each retried on a server error, then Put Block List), on Azure
 * storage and the Local service alike.
 */
void
jg_client_upload_asset_async (JgClient              *self,
                              GFile                 *file,
                              const char            *asset_name,
                              JgTransferProgressFunc progress,
                              gpointer               progress_data,
                              GDestroyNotify         progress_destroy,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Transfer *t;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  t = transfer_new (progress, progress_data, progress_destroy);
  t->asset_name = g_strdup (asset_name);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_client_upload_asset_async);
  g_task_set_task_data (task, t, transfer_free);

  upload_begin (task, file);
}

/**
 * jg_client_upload_asset_finish:
 *
 * Returns: (transfer full): the new asset
 */
JgRemoteAsset *
jg_client_upload_asset_finish (JgClient     *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_upload_asset_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * jg_client_upload_file_async:
 * @asset_id: an existing asset
 * @file: the local file to add to it
 * @progress: (nullable) (scope notified): as for
 *   jg_client_upload_asset_async()
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data
 *
 * Adds @file to an existing asset (not as its primary file), through a
 * write AccessPolicy and a SAS Locator that are deleted afterwards. A
 * failure leaves the asset as it was.
 */
void
jg_client_upload_file_async (JgClient              *self,
                             const char            *asset_id,
                             GFile                 *file,
                             JgTransferProgressFunc progress,
                             gpointer               progress_data,
                             GDestroyNotify         progress_destroy,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Transfer *t;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (asset_id != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  t = transfer_new (progress, progress_data, progress_destroy);
  t->asset_id = g_strdup (asset_id);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_client_upload_file_async);
  g_task_set_task_data (task, t, transfer_free);

  upload_begin (task, file);
}

/**
 * jg_client_upload_file_finish:
 *
 * Returns: (transfer full): the new File
 */
JgRemoteFile *
jg_client_upload_file_finish (JgClient     *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_upload_file_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Listing files */

/**
 * jg_client_list_asset_files_async:
 * @asset_id: the asset
 *
 * Lists the asset's Files, all of them.
 */
void
jg_client_list_asset_files_async (JgClient           *self,
                                  const char         *asset_id,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (asset_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  key = jg_odata_dup_key_path ("Assets", asset_id);
  path = g_strconcat (key, "/Files", NULL);
  run_list (self, path, NULL,
            (EntityParseFunc)jg_remote_file_new_from_json,
            (GDestroyNotify)jg_remote_file_unref,
            jg_client_list_asset_files_async, cancellable, callback, user_data);
}

/**
 * jg_client_list_asset_files_finish:
 *
 * Returns: (transfer container) (element-type JgRemoteFile): the files
 */
GPtrArray *
jg_client_list_asset_files_finish (JgClient     *self,
                                   GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_list_asset_files_async), NULL);

  return finish_pointer (result, error);
}

/* Downloading */

static void download_next (GTask *task);

static void
download_part_deleted_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_file_delete_finish (G_FILE (object), result, NULL);
  transfer_cleanup (task);
}

/* A failure while a file is being written: the `.part` goes. */
static void
download_fail (GTask  *task,
               GError *error)
{
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GFile) part = g_steal_pointer (&t->part);

  if (t->error == NULL)
    t->error = error;
  else
    g_error_free (error);

  g_clear_object (&t->in);
  if (t->out != NULL)
    {
      /* Closing an output stream that is not in use cannot block for long. */
      g_output_stream_close (t->out, NULL, NULL);
      g_clear_object (&t->out);
    }

  if (part != NULL)
    {
      g_file_delete_async (part, G_PRIORITY_DEFAULT, NULL, download_part_deleted_cb, g_object_ref (task));
      return;
    }

  transfer_cleanup (task);
}

static void
download_moved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_move_finish (G_FILE (object), result, &error))
    {
      download_fail (task, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&t->part);
  g_ptr_array_add (t->written, g_steal_pointer (&t->target));
  t->index++;
  download_next (task);
}

static void
download_closed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      g_clear_object (&t->out);
      download_fail (task, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&t->out);
  g_file_move_async (t->part, t->target, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     g_task_get_cancellable (task), NULL, NULL,
                     download_moved_cb, g_object_ref (task));
}

static void download_read_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
download_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      download_fail (task, g_steal_pointer (&error));
      return;
    }

  t->done += written;
  transfer_report_progress (t);

  g_input_stream_read_bytes_async (t->in, BLOB_CHUNK_SIZE, BLOB_IO_PRIORITY,
                                   g_task_get_cancellable (task), download_read_cb, g_object_ref (task));
}

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize         size;
  gconstpointer data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      download_fail (task, g_steal_pointer (&error));
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_clear_object (&t->in);
      g_output_stream_close_async (t->out, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   download_closed_cb, g_object_ref (task));
      return;
    }

  /* The task data keeps the bytes alive while they are written: the
   * GBytes is attached to the task until the write completes.
   */
  data = g_bytes_get_data (bytes, &size);
  g_object_set_data_full (G_OBJECT (task), "jg-chunk", g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
  g_output_stream_write_all_async (t->out, data, size, BLOB_IO_PRIORITY, g_task_get_cancellable (task),
                                   download_written_cb, g_object_ref (task));
}

static void
download_part_opened_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  out = g_file_replace_finish (G_FILE (object), result, &error);
  if (out == NULL)
    {
      /* The .part was not created; nothing to delete. */
      g_clear_object (&t->part);
      download_fail (task, g_steal_pointer (&error));
      return;
    }

  t->out = G_OUTPUT_STREAM (g_steal_pointer (&out));
  g_input_stream_read_bytes_async (t->in, BLOB_CHUNK_SIZE, BLOB_IO_PRIORITY,
                                   g_task_get_cancellable (task), download_read_cb, g_object_ref (task));
}

static void
download_error_read_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer     *t = g_task_get_task_data (task);
  JgRemoteFile *file = g_ptr_array_index (t->files, t->index);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = dup_blob_location (t, file->name);
  g_autofree char *what = g_strdup_printf (_("Could not download “%s” from %s"), file->name, where);

  body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  set_blob_error (t, soup_message_get_status (t->msg), body, what, &error);
  g_clear_object (&t->part);
  download_fail (task, g_steal_pointer (&error));
}

static void
download_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer     *t = g_task_get_task_data (task);
  JgClient     *self = g_task_get_source_object (task);
  JgRemoteFile *file = g_ptr_array_index (t->files, t->index);
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *part_name = NULL;

  in = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  log_blob_response (self, t, t->msg, error);
  if (in == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *where = dup_blob_location (t, file->name);

          download_fail (task, g_error_new (error->domain, error->code,
                                            _("Could not download “%s” from %s: %s"),
                                               file->name, where, error->message));
          return;
        }

      download_fail (task, g_steal_pointer (&error));
      return;
    }

  t->in = g_steal_pointer (&in);

  if (soup_message_get_status (t->msg) != 200)
    {
      g_input_stream_read_bytes_async (t->in, BLOB_ERROR_MAX_SIZE, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), download_error_read_cb,
                                       g_object_ref (task));
      return;
    }

  part_name = g_strconcat (file->name, ".part", NULL);
  t->target = g_file_get_child (t->dir, file->name);
  t->part = g_file_get_child (t->dir, part_name);
  g_file_replace_async (t->part, NULL, FALSE, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                        g_task_get_cancellable (task), download_part_opened_cb, g_object_ref (task));
}

static void
download_next (GTask *task)
{
  Transfer *t = g_task_get_task_data (task);
  JgClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  JgRemoteFile *file;

  if (t->index >= t->files->len)
    {
      t->result = g_steal_pointer (&t->written);
      t->result_free = (GDestroyNotify)g_ptr_array_unref;
      transfer_cleanup (task);
      return;
    }

  if (transfer_failed_if_cancelled (task))
    return;

  file = g_ptr_array_index (t->files, t->index);

  g_clear_object (&t->msg);
  t->msg = new_blob_message (self, t, "GET", file->name, NULL, &error);
  if (t->msg == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  soup_session_send_async (self->session, t->msg, BLOB_IO_PRIORITY, g_task_get_cancellable (task),
                           download_sent_cb, g_object_ref (task));
}

static void
download_locator_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  t->locator = finish_pointer (result, &error);
  if (t->locator == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  transfer_report_progress (t);
  download_next (task);
}

static void
download_dir_made_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_make_directory_finish (G_FILE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  transfer_create_access (task, PERMISSION_READ, download_locator_cb);
}

static void
download_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *t = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  t->files = finish_pointer (result, &error);
  if (t->files == NULL)
    {
      transfer_fail (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < t->files->len; i++)
    {
      JgRemoteFile *file = g_ptr_array_index (t->files, i);

      /* The name becomes a local path: nothing that leaves @dir. */
      if (!is_valid_blob_name (file->name) || file->name[0] == '.')
        {
          transfer_fail (task, g_error_new (JG_CLIENT_ERROR, JG_CLIENT_ERROR_INVALID_RESPONSE,
                                            _("Asset “%s” has a file named “%s”, which cannot be saved"),
                                               t->asset_id, file->name));
          return;
        }

      if (file->size > 0)
        t->size += file->size;
    }

  if (t->files->len == 0)
    {
      t->result = g_steal_pointer (&t->written);
      t->result_free = (GDestroyNotify)g_ptr_array_unref;
      transfer_cleanup (task);
      return;
    }

  g_file_make_directory_async (t->dir, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                               download_dir_made_cb, g_object_ref (task));
}

/**
 * jg_client_download_asset_async:
 * @asset_id: the asset
 * @dir: the folder to write the asset's files to; created if missing
 *   (its parent must exist)
 * @progress: (nullable) (scope notified): called with the bytes received so
 *   far and the sum of the files' sizes
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data
 *
 * Downloads every File of the asset to `dir/<name>`: a read AccessPolicy
 * and a SAS Locator, then each blob streamed to `<name>.part`, renamed
 * when complete. The Locator and the policy are deleted at the end, and a
 * failed file leaves no `.part` behind. Files with the same names in @dir
 * are replaced.
 */
void
jg_client_download_asset_async (JgClient              *self,
                                const char            *asset_id,
                                GFile                 *dir,
                                JgTransferProgressFunc progress,
                                gpointer               progress_data,
                                GDestroyNotify         progress_destroy,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Transfer *t;

  g_return_if_fail (JG_IS_CLIENT (self));
  g_return_if_fail (asset_id != NULL);
  g_return_if_fail (G_IS_FILE (dir));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  t = transfer_new (progress, progress_data, progress_destroy);
  t->asset_id = g_strdup (asset_id);
  t->dir = g_object_ref (dir);
  t->written = g_ptr_array_new_with_free_func (g_object_unref);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_client_download_asset_async);
  g_task_set_task_data (task, t, transfer_free);

  {
    g_autofree char *key = jg_odata_dup_key_path ("Assets", asset_id);
    g_autofree char *path = g_strconcat (key, "/Files", NULL);
    Call            *call = call_new (self, CALL_READ, "GET", path);

    call_set_list (call, (EntityParseFunc)jg_remote_file_new_from_json, (GDestroyNotify)jg_remote_file_unref);
    transfer_run_call (task, call, FALSE, download_listed_cb);
  }
}

/**
 * jg_client_download_asset_finish:
 *
 * Returns: (transfer container) (element-type GFile): the files written,
 *   in the service's order
 */
GPtrArray *
jg_client_download_asset_finish (JgClient     *self,
                                 GAsyncResult *result,
                                 GError      **error)
{
  g_return_val_if_fail (JG_IS_CLIENT (self), NULL);
  g_return_val_if_fail (result_is_valid (self, result, jg_client_download_asset_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
