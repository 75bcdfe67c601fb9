/* emulator-fixture.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib/gstdio.h>

#include "emulator-fixture.h"

void
reply_free (Reply *reply)
{
  if (reply == NULL)
    return;

  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply->reason);
  g_free (reply->body);
  g_free (reply);
}

/**
 * http_send:
 * @path: a path below the account base, or an absolute URI
 * @first_header: (nullable): extra request headers, name then value,
 *   %NULL-terminated
 *
 * Sends one request with redirects not followed. Transport failures end
 * up in @error of the reply (status 0).
 */
Reply *
http_send (Http       *http,
           const char *method,
           const char *path,
           const char *content_type,
           const char *body,
           int         flags,
           const char *first_header,
           ...)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char    *uri = NULL;
  SoupMessageHeaders *headers;
  Reply              *reply = g_new0 (Reply, 1);
  va_list             args;

  uri = g_str_has_prefix (path, "http") ? g_strdup (path) : g_strconcat (http->base, path, NULL);
  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (flags & REQUEST_NEW_CONNECTION)
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);

  headers = soup_message_get_request_headers (msg);
  if (!(flags & REQUEST_NO_TOKEN) && http->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", http->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (!(flags & REQUEST_NO_VERSION))
    soup_message_headers_replace (headers, "x-ms-version", "2.19");
  soup_message_headers_replace (headers, "DataServiceVersion", "3.0");
  soup_message_headers_replace (headers, "MaxDataServiceVersion", "3.0");
  soup_message_headers_replace (headers, "Accept",
                                (flags & REQUEST_VERBOSE) ? "application/json;odata=verbose" : "application/json");

  va_start (args, first_header);
  for (const char *name = first_header; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      soup_message_headers_replace (headers, name, value);
    }
  va_end (args);

  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request_body);
    }

  bytes = soup_session_send_and_read (http->session, msg, NULL, &reply->error);
  if (bytes == NULL)
    return reply;

  reply->status = soup_message_get_status (msg);
  reply->reason = g_strdup (soup_message_get_reason_phrase (msg));
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  reply->length = g_bytes_get_size (bytes);

  if (reply->length > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, reply->body, reply->length, NULL))
        reply->json = json_node_ref (json_parser_get_root (parser));
    }

  return reply;
}

/**
 * api:
 *
 * A request below the account base with a JSON body: verbose when
 * %REQUEST_VERBOSE is in @flags (Accept and Content-Type alike).
 */
Reply *
api (Http       *http,
     const char *method,
     const char *path,
     const char *body,
     int         flags)
{
  return http_send (http, method, path,
                    (flags & REQUEST_VERBOSE) ? "application/json;odata=verbose" : "application/json",
                    body, flags, NULL);
}

/**
 * http_fetch_token:
 *
 * Returns: (transfer full): an ACS token for the account "local"
 */
char *
http_fetch_token (Http       *http,
                  const char *key)
{
  g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *form = g_strdup_printf ("grant_type=client_credentials&client_id=local&client_secret=%s"
                                           "&scope=urn%%3aWindowsAzureMediaServices",
                                           escaped);
  g_autofree char *uri = g_strconcat (http->root, "v2/OAuth2-13", NULL);
  g_autoptr(Reply) reply = http_send (http, "POST", uri, "application/x-www-form-urlencoded", form,
                                       REQUEST_NO_TOKEN | REQUEST_NO_VERSION, NULL);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (reply->json);

  return g_strdup (json_object_get_string_member (json_node_get_object (reply->json), "access_token"));
}

void
http_clear (Http *http)
{
  g_clear_object (&http->session);
  g_clear_pointer (&http->root, g_free);
  g_clear_pointer (&http->base, g_free);
  g_clear_pointer (&http->token, g_free);
}

/* The entity of a single-entity response, verbose or light. */
JsonObject *
reply_entity (Reply *reply)
{
  JsonObject *object;

  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));

  object = json_node_get_object (reply->json);
  if (json_object_has_member (object, "d"))
    return json_object_get_object_member (object, "d");

  return object;
}

/* The entities of a collection response, verbose or light. */
JsonArray *
reply_collection (Reply *reply)
{
  JsonObject *object;

  g_assert_nonnull (reply->json);
  object = json_node_get_object (reply->json);

  if (json_object_has_member (object, "d"))
    return json_object_get_array_member (json_object_get_object_member (object, "d"), "results");

  g_assert_true (json_object_has_member (object, "odata.metadata"));

  return json_object_get_array_member (object, "value");
}

/* The message of an OData error, verbose or light. */
const char *
reply_error (Reply *reply)
{
  JsonObject *object;
  JsonObject *error;

  g_assert_nonnull (reply->json);
  object = json_node_get_object (reply->json);
  error = json_object_has_member (object, "error") ? json_object_get_object_member (object, "error")
                                                   : json_object_get_object_member (object, "odata.error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (error, "message"), "lang"), ==, "en-US");

  return json_object_get_string_member (json_object_get_object_member (error, "message"), "value");
}

char *
escape_id (const char *id)
{
  return g_uri_escape_string (id, NULL, FALSE);
}

char *
find_asset_id (Http       *http,
               const char *name)
{
  g_autofree char *path = g_strdup_printf ("Assets?$filter=Name%%20eq%%20'%s'", name);
  g_autoptr(Reply) reply = api (http, "GET", path, NULL, 0);
  JsonArray *assets;

  g_assert_cmpuint (reply->status, ==, 200);
  assets = reply_collection (reply);
  g_assert_cmpuint (json_array_get_length (assets), ==, 1);

  return g_strdup (json_object_get_string_member (json_array_get_object_element (assets, 0), "Id"));
}

int
get_job_state (Http       *http,
               const char *job_id)
{
  g_autofree char *escaped = escape_id (job_id);
  g_autofree char *path = g_strdup_printf ("Jobs('%s')/State", escaped);
  g_autoptr(Reply) reply = api (http, "GET", path, NULL, REQUEST_VERBOSE);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);

  return json_object_get_int_member (reply_entity (reply), "State");
}

/* Polls until the job is Finished, Error or Canceled. */
int
wait_for_job_final (Http       *http,
                    const char *job_id)
{
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;

  for (;;)
    {
      int state = get_job_state (http, job_id);

      if (state == 3 || state == 4 || state == 5)
        return state;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5000);
    }
}

void
write_file (const char *dir,
            const char *name,
            gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc0 (size + 1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  /* No fsync: the paging test writes a thousand of them. */
  g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }

  g_rmdir (path);
}

#define PROCESS_TOKEN "emulator-process-token-4e1b"

/* A failed assertion must not leave an emulator behind (it would keep the
 * test's output pipes open).
 */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

/**
 * emulator_process_start:
 * @launcher: (nullable): carries the environment the test wants
 * @extra_args: (nullable): more options, e.g. "--speed", "20"
 *
 * Starts @program on port 0 with @data_dir and a fixed token, waits for
 * its "listening on" line and points @p->http at it.
 */
void
emulator_process_start (EmulatorProcess     *p,
                        GSubprocessLauncher *launcher,
                        const char          *program,
                        const char          *data_dir,
                        const char *const   *extra_args)
{
  g_autoptr(GSubprocessLauncher) own_launcher = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  const char      *prefix = "listening on ";

  if (launcher == NULL)
    launcher = own_launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  g_ptr_array_add (args, (char *)program);
  g_ptr_array_add (args, (char *)"--port");
  g_ptr_array_add (args, (char *)"0");
  g_ptr_array_add (args, (char *)"--data-dir");
  g_ptr_array_add (args, (char *)data_dir);
  g_ptr_array_add (args, (char *)"--token");
  g_ptr_array_add (args, (char *)PROCESS_TOKEN);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (args, (char *)extra_args[i]);
  g_ptr_array_add (args, NULL);

  p->process = g_subprocess_launcher_spawnv (launcher, (const char *const *)args->pdata, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  g_assert_true (g_str_has_suffix (line, "/"));

  p->http.session = soup_session_new_with_options ("timeout", 30, NULL);
  p->http.root = g_strdup (line + strlen (prefix));
  p->http.base = g_strconcat (p->http.root, "accounts/local/api/", NULL);
  p->http.token = g_strdup (PROCESS_TOKEN);
}

void
emulator_process_clear (EmulatorProcess *p)
{
  g_clear_object (&p->process);
  http_clear (&p->http);
}
