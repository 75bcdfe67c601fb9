/* jg-cli-online.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jobgraph-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "jg-cli-private.h"
#include "jg-cli-secret.h"
#include "jg-client.h"
#include "jg-keyring.h"
#include "jg-emulator.h"

/* The online commands. Each one parses its options, connects a JgClient
 * and then drives the asynchronous client from a GMainLoop: wait_for()
 * runs the loop until the one pending operation completes, which keeps the
 * commands readable as straight-line code. `submit --per-input` is the
 * exception: it keeps up to MAX_IN_FLIGHT requests pending at once on the
 * client's keep-alive session.
 *
 * Exit statuses: 0 success, 1 the service refused the request or a job did
 * not finish, 2 bad usage or the service could not be reached.
 */

#define MAX_IN_FLIGHT    8
#define POLL_INTERVAL_MS 250

typedef struct
{
  const JgCliCommand *command;
  JgClient           *client;
  GMainLoop          *loop;
  GAsyncResult       *result;
} JgCliSession;

/* Connection options, shared by every online command. */
static char     *opt_endpoint;
static char     *opt_token;
static char     *opt_account;
static char     *opt_api_version;
static gboolean  opt_json;

static const GOptionEntry connection_entries[] = {
  { "endpoint", 0, 0, G_OPTION_ARG_STRING, &opt_endpoint,
    N_("The service’s API base URL (default: $JOBGRAPH_ENDPOINT)"), N_("URL") },
  { "token", 0, 0, G_OPTION_ARG_STRING, &opt_token,
    N_("A fixed bearer token for --endpoint (default: $JOBGRAPH_TOKEN)"), N_("TOKEN") },
  { "account", 0, 0, G_OPTION_ARG_STRING, &opt_account,
    N_("Use the account NAME of $XDG_CONFIG_HOME/jobgraph/accounts.ini"), N_("NAME") },
  { "api-version", 0, 0, G_OPTION_ARG_STRING, &opt_api_version,
    N_("Send this x-ms-version (default: 2.19)"), N_("VERSION") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    N_("Print one JSON document on standard output"), NULL },
  { NULL }
};

static const char *connection_help =
  N_("Connection: --endpoint URL --token TOKEN, or --account NAME with the\n"
     "account in $XDG_CONFIG_HOME/jobgraph/accounts.ini (a group per account\n"
     "with the keys endpoint, api-version, auth = acs|aad|bearer, token-url,\n"
     "client-id and resource; never a secret) and its secret in the environment\n"
     "variable JOBGRAPH_SECRET_<NAME> (upper case, other characters as _) or\n"
     "JOBGRAPH_SECRET, or else in the keyring (see “jobgraph-cli accounts”).\n"
     "Without either option, $JOBGRAPH_ENDPOINT and $JOBGRAPH_TOKEN are used.\n"
     "\n"
     "Exit status: 0 success, 1 the service refused the request or a job did\n"
     "not finish, 2 bad usage or the service could not be reached.");

/* Helpers */

static void
clear_connection_options (void)
{
  g_clear_pointer (&opt_endpoint, g_free);
  g_clear_pointer (&opt_token, g_free);
  g_clear_pointer (&opt_account, g_free);
  g_clear_pointer (&opt_api_version, g_free);
  opt_json = FALSE;
}

static void
session_clear (JgCliSession *session)
{
  g_clear_object (&session->client);
  g_clear_pointer (&session->loop, g_main_loop_unref);
  g_clear_object (&session->result);
  clear_connection_options ();
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JgCliSession, session_clear)

static GOptionContext *
new_online_context (const JgCliCommand *command,
                    const GOptionEntry *entries,
                    const char         *description)
{
  g_autofree char *full = g_strdup_printf ("%s\n\n%s", description, _(connection_help));
  GOptionContext *context = _jg_cli_new_command_context (command, entries, full);

  g_option_context_add_main_entries (context, connection_entries, GETTEXT_PACKAGE);

  return context;
}

/* Whether @error means the request never got an answer from the service
 * (or could not be sent at all), as opposed to the service refusing it.
 */
static gboolean
is_unreachable (const GError *error)
{
  if (error->domain != JG_CLIENT_ERROR)
    return TRUE;

  return error->code == JG_CLIENT_ERROR_INSECURE ||
         error->code == JG_CLIENT_ERROR_REDIRECT_LOOP ||
         error->code == JG_CLIENT_ERROR_INVALID_ARGUMENT;
}

/* `jobgraph-cli COMMAND: what: the service's message`; returns the exit
 * status for @error.
 */
static int
report_error (const JgCliSession *session,
              const char         *what,
              const GError       *error)
{
  fprintf (stderr, "%s %s: %s: %s\n", PROGRAM_NAME, session->command->name, what, error->message);

  return is_unreachable (error) ? JG_CLI_EXIT_USAGE : JG_CLI_EXIT_INVALID;
}

static void
ready_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  JgCliSession *session = user_data;

  g_assert (session->result == NULL);

  session->result = g_object_ref (result);
  g_main_loop_quit (session->loop);
}

/* Runs the main loop until the pending operation started with ready_cb
 * completes. Returns: (transfer full): its result.
 */
static GAsyncResult *
wait_for (JgCliSession *session)
{
  while (session->result == NULL)
    g_main_loop_run (session->loop);

  return g_steal_pointer (&session->result);
}

static gboolean
wake_cb (gpointer user_data)
{
  JgCliSession *session = user_data;

  g_main_loop_quit (session->loop);

  return G_SOURCE_REMOVE;
}

/* Lets the main loop run for @ms milliseconds between two polls. */
static void
pause_loop (JgCliSession *session,
            guint         ms)
{
  g_timeout_add (ms, wake_cb, session);
  g_main_loop_run (session->loop);
}

static char *
dup_secret_variable (const char *account)
{
  GString *name = g_string_new ("JOBGRAPH_SECRET_");

  for (const char *p = account; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) ? g_ascii_toupper (*p) : '_');

  return g_string_free (name, FALSE);
}

static gboolean
parse_auth_kind (const char *text,
                 JgAuthKind *kind)
{
  if (text == NULL || g_ascii_strcasecmp (text, "acs") == 0)
    *kind = JG_AUTH_KIND_ACS;
  else if (g_ascii_strcasecmp (text, "aad") == 0)
    *kind = JG_AUTH_KIND_AAD;
  else if (g_ascii_strcasecmp (text, "bearer") == 0)
    *kind = JG_AUTH_KIND_BEARER;
  else
    return FALSE;

  return TRUE;
}

/* Reads accounts.ini and checks the group of account @name: it exists,
 * holds no secret and names a known auth. Returns: (transfer full): the
 * file, or %NULL with *status set.
 */
static GKeyFile *
open_account (const JgCliCommand *command,
              const char         *name,
              char              **path,
              JgAuthKind         *kind,
              int                *status)
{
  static const char * const secret_keys[] = { "secret", "key", "token", "password", "client-secret" };
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;

  *path = g_build_filename (g_get_user_config_dir (), "jobgraph", "accounts.ini", NULL);

  if (!g_key_file_load_from_file (key_file, *path, G_KEY_FILE_NONE, &error))
    {
      *status = _jg_cli_usage_error (command, _("Could not read the accounts file %s: %s"), *path, error->message);
      return NULL;
    }

  if (!g_key_file_has_group (key_file, name))
    {
      *status = _jg_cli_usage_error (command, _("No account “%s” in %s"), name, *path);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (secret_keys); i++)
    if (g_key_file_has_key (key_file, name, secret_keys[i], NULL))
      {
        *status = _jg_cli_usage_error (command,
                                       _("%s: account “%s” has a “%s” key; secrets do not belong in this file, "
                                         "put it in the environment or the keyring instead"),
                                       *path, name, secret_keys[i]);
        return NULL;
      }

  auth = g_key_file_get_string (key_file, name, "auth", NULL);
  if (!parse_auth_kind (auth, kind))
    {
      *status = _jg_cli_usage_error (command, _("%s: account “%s”: unknown auth “%s”; use acs, aad or bearer"),
                                     *path, name, auth);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

/* The secret of account @name: from its environment variable, then
 * JOBGRAPH_SECRET, then the keyring. Returns: (transfer full): the
 * secret, to free with jg_keyring_free_secret(), or %NULL with *status set.
 */
static char *
dup_account_secret (const JgCliCommand *command,
                    const char         *name,
                    JgAuthKind          kind,
                    int                *status)
{
  g_autofree char *variable = dup_secret_variable (name);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *value;
  char *secret;

  value = g_getenv (variable);
  if (value == NULL || value[0] == '\0')
    value = g_getenv ("JOBGRAPH_SECRET");
  if (value != NULL && value[0] != '\0')
    return g_strdup (value);

  secret = jg_keyring_lookup_sync (name, jg_keyring_kind_for_auth (kind), &error);
  if (secret != NULL)
    return secret;

#ifdef HAVE_LIBSECRET
  message = g_strdup_printf (_("No secret for account “%s”: set %s or JOBGRAPH_SECRET, or store it in the keyring "
                               "(%s accounts store %s, or secret-tool store --label=%s account %s kind %s)"),
                             name, variable, PROGRAM_NAME, name, name, name, jg_keyring_kind_for_auth (kind));
  /* Say why the keyring did not help, e.g. no D-Bus session bus. */
  if (error != NULL)
    *status = _jg_cli_usage_error (command, _("%s; the keyring could not be searched: %s"), message, error->message);
  else
    *status = _jg_cli_usage_error (command, "%s", message);
#else
  *status = _jg_cli_usage_error (command, _("No secret for account “%s”: set %s or JOBGRAPH_SECRET"), name, variable);
#endif

  return NULL;
}

/* Reads the account @name of accounts.ini; the secret comes from the
 * environment or the keyring, so that the file can be shared and backed
 * up.
 */
static JgAccount *
load_account (const JgCliCommand *command,
              const char         *name,
              int                *status)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(JgAccount) account = NULL;
  g_autofree char *path = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *api_version = NULL;
  g_autofree char *token_url = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *resource = NULL;
  char *secret;
  JgAuthKind kind;

  key_file = open_account (command, name, &path, &kind, status);
  if (key_file == NULL)
    return NULL;

  endpoint = g_key_file_get_string (key_file, name, "endpoint", NULL);
  if (endpoint == NULL)
    {
      *status = _jg_cli_usage_error (command, _("%s: account “%s” has no endpoint"), path, name);
      return NULL;
    }

  secret = dup_account_secret (command, name, kind, status);
  if (secret == NULL)
    return NULL;

  api_version = g_key_file_get_string (key_file, name, "api-version", NULL);
  token_url = g_key_file_get_string (key_file, name, "token-url", NULL);
  client_id = g_key_file_get_string (key_file, name, "client-id", NULL);
  resource = g_key_file_get_string (key_file, name, "resource", NULL);

  account = jg_account_new (kind, endpoint);
  if (api_version != NULL)
    jg_account_set_api_version (account, api_version);
  if (token_url != NULL)
    jg_account_set_token_uri (account, token_url);
  /* The ACS client id is the account name. */
  jg_account_set_client_id (account, client_id != NULL ? client_id : name);
  if (resource != NULL)
    jg_account_set_resource (account, resource);
  jg_account_set_secret (account, secret);
  jg_keyring_free_secret (secret);

  return g_steal_pointer (&account);
}

/* Parses the command's options and connects; returns FALSE with *status
 * set on failure.
 */
static gboolean
session_start (JgCliSession       *session,
               const JgCliCommand *command,
               int                *status)
{
  g_autoptr(JgAccount) account = NULL;

  session->command = command;

  if (opt_api_version != NULL && !_jg_cli_is_api_version (opt_api_version))
    {
      *status = _jg_cli_usage_error (command, _("“%s” is not an x-ms-version such as 2.19"), opt_api_version);
      return FALSE;
    }

  if (opt_account != NULL)
    {
      if (opt_endpoint != NULL || opt_token != NULL)
        {
          *status = _jg_cli_usage_error (command, _("Use either --account or --endpoint/--token, not both"));
          return FALSE;
        }

      account = load_account (command, opt_account, status);
      if (account == NULL)
        return FALSE;
    }
  else
    {
      const char *endpoint = opt_endpoint != NULL ? opt_endpoint : g_getenv ("JOBGRAPH_ENDPOINT");
      const char *token = opt_token != NULL ? opt_token : g_getenv ("JOBGRAPH_TOKEN");

      if (endpoint == NULL || endpoint[0] == '\0')
        {
          *status = _jg_cli_usage_error (command, _("no account: use --endpoint/--token or --account"));
          return FALSE;
        }

      if (!g_uri_is_valid (endpoint, G_URI_FLAGS_NONE, NULL))
        {
          *status = _jg_cli_usage_error (command, _("“%s” is not an absolute URL"), endpoint);
          return FALSE;
        }

      if (token == NULL || token[0] == '\0')
        {
          *status = _jg_cli_usage_error (command, _("No token for %s: use --token or $JOBGRAPH_TOKEN"), endpoint);
          return FALSE;
        }

      account = jg_account_new (JG_AUTH_KIND_BEARER, endpoint);
      jg_account_set_secret (account, token);
    }

  if (opt_api_version != NULL)
    jg_account_set_api_version (account, opt_api_version);

  session->client = jg_client_new (account);
  session->loop = g_main_loop_new (NULL, FALSE);

  return TRUE;
}

/* Output */

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = jg_json_to_string (root, TRUE);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_date (JsonBuilder *builder,
          const char  *name,
          GDateTime   *value)
{
  g_autofree char *text = value != NULL ? g_date_time_format_iso8601 (value) : NULL;

  add_string (builder, name, text);
}

static const char *
job_state_to_string (int state)
{
  static const char * const names[] = {
    "Queued", "Scheduled", "Processing", "Finished", "Error", "Canceled", "Canceling",
  };

  if (state >= 0 && state < (int)G_N_ELEMENTS (names))
    return names[state];

  return "Unknown";
}

static gboolean
job_state_from_string (const char *text,
                       int        *state)
{
  for (int i = JG_JOB_STATE_QUEUED; i <= JG_JOB_STATE_CANCELING; i++)
    if (g_ascii_strcasecmp (text, job_state_to_string (i)) == 0)
      {
        *state = i;
        return TRUE;
      }

  return FALSE;
}

/* Leaves the object open so that callers can add members ("tasks"). */
static void
add_job (JsonBuilder *builder,
         JgRemoteJob *job)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", job->id);
  add_string (builder, "name", job->name);
  add_string (builder, "state", job_state_to_string (job->state));
  json_builder_set_member_name (builder, "priority");
  json_builder_add_int_value (builder, job->priority);
  add_date (builder, "created", job->created);
  add_date (builder, "start_time", job->start_time);
  add_date (builder, "end_time", job->end_time);
  add_string (builder, "template_id", job->template_id);
}

static void
add_task (JsonBuilder  *builder,
          JgRemoteTask *task)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", task->id);
  add_string (builder, "name", task->name);
  add_string (builder, "state", job_state_to_string (task->state));
  json_builder_set_member_name (builder, "progress");
  json_builder_add_double_value (builder, task->progress);
  add_string (builder, "processor_id", task->processor_id);
  add_string (builder, "configuration", task->configuration);
  json_builder_set_member_name (builder, "error_details");
  json_builder_begin_array (builder);
  for (guint i = 0; i < task->error_details->len; i++)
    {
      JgRemoteErrorDetail *detail = g_ptr_array_index (task->error_details, i);

      json_builder_begin_object (builder);
      add_string (builder, "code", detail->code);
      add_string (builder, "message", detail->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_job_line (JgRemoteJob *job)
{
  printf ("%s\t%s\t%s\n", job->id, job_state_to_string (job->state), job->name ? job->name : "");
}

static void
print_task_details (JgRemoteTask *task)
{
  printf ("  %s\t%s\t%3.0f%%\t%s\n",
          task->id, job_state_to_string (task->state), task->progress, task->name ? task->name : "");

  for (guint i = 0; i < task->error_details->len; i++)
    {
      JgRemoteErrorDetail *detail = g_ptr_array_index (task->error_details, i);

      printf ("    %s: %s\n", detail->code ? detail->code : "Error", detail->message ? detail->message : "");
    }
}

/* Takes the one remaining argument that names an entity. */
static const char *
get_single_argument (const JgCliCommand *command,
                     char              **args,
                     const char         *what,
                     int                *status)
{
  if (args == NULL || args[0] == NULL)
    {
      *status = _jg_cli_usage_error (command, _("No %s given"), what);
      return NULL;
    }

  if (args[1] != NULL)
    {
      *status = _jg_cli_usage_error (command, _("Unexpected argument “%s”"), args[1]);
      return NULL;
    }

  return args[0];
}

/* Graphs */

/* Imports and validates @path like `export` does, printing problems on
 * standard error; %NULL (with *status) when it must not be sent.
 */
static JgGraph *
load_valid_graph (const JgCliCommand *command,
                  const char         *path,
                  gboolean            as_template,
                  int                *status)
{
  g_autoptr(GPtrArray) import_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  const char *display_name = _jg_cli_get_display_name (path);
  JgFormat format;
  JgFormat rules;
  guint n_errors;

  graph = _jg_cli_load_graph (path, &format, import_diagnostics, &error);
  if (graph == NULL)
    {
      _jg_cli_print_error (display_name, error);
      *status = JG_CLI_EXIT_USAGE;
      return NULL;
    }

  rules = format;
  if (as_template)
    rules = JG_FORMAT_TEMPLATE;
  else if (format == JG_FORMAT_TASK_BODY || format == JG_FORMAT_TEMPLATE_BODY || format == JG_FORMAT_TEMPLATE)
    rules = JG_FORMAT_JOB;

  diagnostics = jg_import_validate (graph, rules, import_diagnostics, opt_api_version);
  _jg_cli_print_diagnostics (stderr, display_name, diagnostics);

  n_errors = _jg_cli_count_errors (diagnostics);
  if (n_errors > 0)
    {
      fprintf (stderr,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s %s: %s: Not sent: the graph has %u error\n",
                            "%s %s: %s: Not sent: the graph has %u errors\n",
                            n_errors),
               PROGRAM_NAME, command->name, display_name, n_errors);
      *status = JG_CLI_EXIT_INVALID;
      return NULL;
    }

  return g_steal_pointer (&graph);
}

/* submit */

typedef struct
{
  JgCliSession  *session;
  JgGraph       *graph;
  GStrv          input_ids;
  JgCreateFlags  flags;
  gboolean       per_input;
  guint          next;
  guint          n_total;
  guint          in_flight;
  GPtrArray     *jobs;
  int            status;
} Submission;

static void submission_next (Submission *submission);

static void
submission_created_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Submission *submission = user_data;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;

  submission->in_flight--;

  job = jg_client_create_job_from_graph_finish (JG_CLIENT (object), result, &error);
  if (job == NULL)
    submission->status = MAX (submission->status, report_error (submission->session, _("Could not create the job"), error));
  else
    g_ptr_array_add (submission->jobs, g_steal_pointer (&job));

  submission_next (submission);
}

/* Keeps up to MAX_IN_FLIGHT creations pending; quits the loop when all
 * are done.
 */
static void
submission_next (Submission *submission)
{
  while (submission->next < submission->n_total && submission->in_flight < MAX_IN_FLIGHT)
    {
      const char *one[2] = { NULL, NULL };
      const char * const *ids = (const char * const *)submission->input_ids;

      if (submission->per_input)
        {
          one[0] = submission->input_ids[submission->next];
          ids = one;
        }

      submission->next++;
      submission->in_flight++;
      jg_client_create_job_from_graph_async (submission->session->client, submission->graph, ids,
                                             submission->flags, NULL, submission_created_cb, submission);
    }

  if (submission->in_flight == 0 && submission->next >= submission->n_total)
    g_main_loop_quit (submission->session->loop);
}

/* Polls @jobs (replacing its elements) until every one is final. */
static int
wait_until_final (JgCliSession *session,
                  GPtrArray    *jobs)
{
  int status = JG_CLI_EXIT_OK;

  for (guint i = 0; i < jobs->len; i++)
    {
      for (;;)
        {
          g_autoptr(GAsyncResult) result = NULL;
          g_autoptr(GError) error = NULL;
          JgRemoteJob *job = g_ptr_array_index (jobs, i);
          JgRemoteJob *update;

          if (jg_job_state_is_final (job->state))
            break;

          pause_loop (session, POLL_INTERVAL_MS);

          jg_client_get_job_async (session->client, job->id, NULL, ready_cb, session);
          result = wait_for (session);
          update = jg_client_get_job_finish (session->client, result, &error);
          if (update == NULL)
            return report_error (session, _("Could not get the job"), error);

          g_ptr_array_index (jobs, i) = update;
          jg_remote_job_unref (job);
        }

      if (((JgRemoteJob *)g_ptr_array_index (jobs, i))->state != JG_JOB_STATE_FINISHED)
        status = JG_CLI_EXIT_INVALID;
    }

  return status;
}

int
_jg_cli_run_submit (const JgCliCommand *command,
                    int                 argc,
                    char              **argv)
{
  g_auto(JgCliSession) session = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_job_unref);
  g_auto(GStrv) input_values = NULL;
  g_auto(GStrv) input_ids = NULL;
  g_auto(GStrv) files = NULL;
  gboolean per_input = FALSE;
  gboolean batch = FALSE;
  gboolean wait = FALSE;
  Submission submission = { 0 };
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "inputs", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &input_values,
      N_("Bind JobInputAsset(0), (1)… to these asset ids (repeat it or separate ids with commas)"), N_("ID") },
    { "per-input", 0, 0, G_OPTION_ARG_NONE, &per_input,
      N_("Submit one job per asset id given with --inputs, several at a time"), NULL },
    { "batch", 0, 0, G_OPTION_ARG_NONE, &batch,
      N_("Send each job as an OData $batch changeset"), NULL },
    { "wait", 'w', 0, G_OPTION_ARG_NONE, &wait,
      N_("Wait until every job is final"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  context = new_online_context (command, entries,
                                _("Reads FILE (“-” for standard input) in any format Jobgraph knows, checks it\n"
                                  "like “export” does and, when it has no errors, creates it as a job. With\n"
                                  "--per-input, each asset id of --inputs gets a job of its own, with up to\n"
                                  "8 requests in flight at once. Prints one line per job: ID STATE NAME.\n"
                                  "With --wait, exits 1 when a job ends in Error or Canceled.\n"
                                  "\n"
                                  "Example:\n"
                                  "  jobgraph-cli submit encode.jobgraph --per-input \\\n"
                                  "      --inputs nb:cid:UUID:…,nb:cid:UUID:… --wait"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    return _jg_cli_usage_error (command, _("No file given"));
  if (files[1] != NULL)
    return _jg_cli_usage_error (command, _("Only one file can be submitted at a time"));

  if (input_values != NULL)
    {
      input_ids = _jg_cli_split_input_ids (command, input_values, &status);
      if (input_ids == NULL)
        return status;
    }

  if (per_input && (input_ids == NULL || input_ids[0] == NULL))
    return _jg_cli_usage_error (command, _("--per-input needs asset ids with --inputs"));

  if (!session_start (&session, command, &status))
    return status;

  graph = load_valid_graph (command, files[0], FALSE, &status);
  if (graph == NULL)
    return status;

  submission.session = &session;
  submission.graph = graph;
  submission.input_ids = input_ids;
  submission.flags = batch ? JG_CREATE_BATCH : JG_CREATE_NONE;
  submission.per_input = per_input;
  submission.n_total = per_input ? g_strv_length (input_ids) : 1;
  submission.jobs = jobs;

  submission_next (&submission);
  g_main_loop_run (session.loop);
  status = submission.status;

  if (wait)
    status = MAX (status, wait_until_final (&session, jobs));

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "jobs");
      json_builder_begin_array (builder);
      for (guint i = 0; i < jobs->len; i++)
        {
          add_job (builder, g_ptr_array_index (jobs, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    {
      for (guint i = 0; i < jobs->len; i++)
        print_job_line (g_ptr_array_index (jobs, i));
    }

  return status;
}

/* template */

static void
add_template (JsonBuilder      *builder,
              JgRemoteTemplate *template_)
{
  json_builder_begin_object (builder);
  add_string (builder, "id", template_->id);
  add_string (builder, "name", template_->name);
  json_builder_set_member_name (builder, "n_inputs");
  json_builder_add_int_value (builder, template_->n_inputs);
  add_date (builder, "created", template_->created);
  json_builder_set_member_name (builder, "task_templates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < template_->task_templates->len; i++)
    {
      JgRemoteTaskTemplate *task = g_ptr_array_index (template_->task_templates, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", task->id);
      add_string (builder, "name", task->name);
      add_string (builder, "processor_id", task->processor_id);
      add_string (builder, "configuration", task->configuration);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static int
print_template (JgRemoteTemplate *template_,
                gboolean          details)
{
  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_template (builder, template_);
      print_json (builder);
      return JG_CLI_EXIT_OK;
    }

  printf ("%s\t%s\n", template_->id, template_->name ? template_->name : "");
  if (details)
    for (guint i = 0; i < template_->task_templates->len; i++)
      {
        JgRemoteTaskTemplate *task = g_ptr_array_index (template_->task_templates, i);

        printf ("  %s\t%s\t%s\n", task->id, task->processor_id ? task->processor_id : "",
                task->configuration ? task->configuration : "");
      }

  return JG_CLI_EXIT_OK;
}

int
_jg_cli_run_template (const JgCliCommand *command,
                      int                 argc,
                      char              **argv)
{
  g_auto(JgCliSession) session = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  const char *action;
  const char *argument;
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, N_("save FILE | list | show ID | rm ID") },
    { NULL }
  };

  context = new_online_context (command, entries,
                                _("  save FILE   check FILE and save it as a JobTemplate; prints its id\n"
                                  "  list        list the JobTemplates of the account\n"
                                  "  show ID     print a JobTemplate with its TaskTemplates\n"
                                  "  rm ID       delete a JobTemplate"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (args == NULL || args[0] == NULL)
    return _jg_cli_usage_error (command, _("No action given: use save, list, show or rm"));

  action = args[0];

  if (g_str_equal (action, "list"))
    {
      g_autoptr(GPtrArray) templates = NULL;

      if (args[1] != NULL)
        return _jg_cli_usage_error (command, _("Unexpected argument “%s”"), args[1]);
      if (!session_start (&session, command, &status))
        return status;

      jg_client_list_templates_async (session.client, NULL, ready_cb, &session);
      result = wait_for (&session);
      templates = jg_client_list_templates_finish (session.client, result, &error);
      if (templates == NULL)
        return report_error (&session, _("Could not list the templates"), error);

      if (opt_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_array (builder);
          for (guint i = 0; i < templates->len; i++)
            add_template (builder, g_ptr_array_index (templates, i));
          json_builder_end_array (builder);
          print_json (builder);
        }
      else
        {
          for (guint i = 0; i < templates->len; i++)
            {
              JgRemoteTemplate *template_ = g_ptr_array_index (templates, i);

              printf ("%s\t%s\n", template_->id, template_->name ? template_->name : "");
            }
        }

      return JG_CLI_EXIT_OK;
    }

  if (!g_str_equal (action, "save") && !g_str_equal (action, "show") && !g_str_equal (action, "rm"))
    return _jg_cli_usage_error (command, _("Unknown action “%s”: use save, list, show or rm"), action);

  argument = get_single_argument (command, args + 1, g_str_equal (action, "save") ? _("file") : _("template id"),
                                  &status);
  if (argument == NULL)
    return status;

  if (!session_start (&session, command, &status))
    return status;

  if (g_str_equal (action, "save"))
    {
      g_autoptr(JgRemoteTemplate) template_ = NULL;
      g_autoptr(JgGraph) graph = load_valid_graph (command, argument, TRUE, &status);

      if (graph == NULL)
        return status;

      jg_client_create_template_from_graph_async (session.client, graph, NULL, ready_cb, &session);
      result = wait_for (&session);
      template_ = jg_client_create_template_from_graph_finish (session.client, result, &error);
      if (template_ == NULL)
        return report_error (&session, _("Could not save the template"), error);

      return print_template (template_, FALSE);
    }
  else if (g_str_equal (action, "show"))
    {
      g_autoptr(JgRemoteTemplate) template_ = NULL;

      jg_client_get_template_async (session.client, argument, NULL, ready_cb, &session);
      result = wait_for (&session);
      template_ = jg_client_get_template_finish (session.client, result, &error);
      if (template_ == NULL)
        return report_error (&session, _("Could not get the template"), error);

      return print_template (template_, TRUE);
    }
  else
    {
      jg_client_delete_template_async (session.client, argument, NULL, ready_cb, &session);
      result = wait_for (&session);
      if (!jg_client_delete_template_finish (session.client, result, &error))
        return report_error (&session, _("Could not delete the template"), error);

      if (opt_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          add_string (builder, "id", argument);
          json_builder_set_member_name (builder, "deleted");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
          print_json (builder);
        }
      else
        printf (_("Deleted %s\n"), argument);

      return JG_CLI_EXIT_OK;
    }
}

/* jobs */

static gboolean
fetch_job (JgCliSession  *session,
           const char    *job_id,
           JgRemoteJob  **job,
           GPtrArray    **tasks,
           int           *status)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) tasks_result = NULL;
  g_autoptr(GError) error = NULL;

  jg_client_get_job_async (session->client, job_id, NULL, ready_cb, session);
  result = wait_for (session);
  *job = jg_client_get_job_finish (session->client, result, &error);
  if (*job == NULL)
    {
      *status = report_error (session, _("Could not get the job"), error);
      return FALSE;
    }

  jg_client_list_job_tasks_async (session->client, job_id, NULL, ready_cb, session);
  tasks_result = wait_for (session);
  *tasks = jg_client_list_job_tasks_finish (session->client, tasks_result, &error);
  if (*tasks == NULL)
    {
      g_clear_pointer (job, jg_remote_job_unref);
      *status = report_error (session, _("Could not get the tasks of the job"), error);
      return FALSE;
    }

  return TRUE;
}

static void
print_job_details (JgRemoteJob *job,
                   GPtrArray   *tasks)
{
  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_job (builder, job);
      json_builder_set_member_name (builder, "tasks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < tasks->len; i++)
        add_task (builder, g_ptr_array_index (tasks, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return;
    }

  print_job_line (job);
  for (guint i = 0; i < tasks->len; i++)
    print_task_details (g_ptr_array_index (tasks, i));
}

static void
draw_progress_bars (GPtrArray *tasks,
                    gboolean   redraw)
{
  const int width = 30;

  /* Moves the cursor back up over the bars drawn last time. */
  if (redraw && tasks->len > 0)
    printf ("\033[%uA", tasks->len);

  for (guint i = 0; i < tasks->len; i++)
    {
      JgRemoteTask *task = g_ptr_array_index (tasks, i);
      int filled = CLAMP ((int)(task->progress * width / 100.0), 0, width);

      printf ("\r\033[K%-24.24s [", task->name ? task->name : task->id);
      for (int j = 0; j < width; j++)
        fputc (j < filled ? '#' : '-', stdout);
      printf ("] %3.0f%% %s\n", task->progress, job_state_to_string (task->state));
    }

  fflush (stdout);
}

/* Prints a line for each task whose state or progress changed since
 * @previous (a "state progress" string per task id).
 */
static void
print_task_changes (GPtrArray  *tasks,
                    GHashTable *previous)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      JgRemoteTask *task = g_ptr_array_index (tasks, i);
      g_autofree char *now = g_strdup_printf ("%s %.0f%%", job_state_to_string (task->state), task->progress);

      if (g_strcmp0 (g_hash_table_lookup (previous, task->id), now) != 0)
        {
          printf ("%s\t%s\t%s\n", task->id, now, task->name ? task->name : "");
          g_hash_table_replace (previous, g_strdup (task->id), g_steal_pointer (&now));
        }
    }

  fflush (stdout);
}

static int
watch_job (JgCliSession *session,
           const char   *job_id)
{
  g_autoptr(GHashTable) previous = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean terminal = !opt_json && isatty (STDOUT_FILENO);
  gboolean drawn = FALSE;
  int status = JG_CLI_EXIT_OK;

  for (;;)
    {
      g_autoptr(JgRemoteJob) job = NULL;
      g_autoptr(GPtrArray) tasks = NULL;

      if (!fetch_job (session, job_id, &job, &tasks, &status))
        return status;

      if (terminal)
        {
          draw_progress_bars (tasks, drawn);
          drawn = TRUE;
        }
      else if (!opt_json)
        print_task_changes (tasks, previous);

      if (jg_job_state_is_final (job->state))
        {
          if (opt_json)
            print_job_details (job, tasks);
          else
            print_job_line (job);

          return job->state == JG_JOB_STATE_FINISHED ? JG_CLI_EXIT_OK : JG_CLI_EXIT_INVALID;
        }

      pause_loop (session, POLL_INTERVAL_MS);
    }
}

int
_jg_cli_run_jobs (const JgCliCommand *command,
                  int                 argc,
                  char              **argv)
{
  g_auto(JgCliSession) session = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state_name = NULL;
  g_auto(GStrv) args = NULL;
  const char *action;
  const char *job_id;
  int top = 0;
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "top", 'n', 0, G_OPTION_ARG_INT, &top, N_("List at most N jobs (list)"), N_("N") },
    { "state", 's', 0, G_OPTION_ARG_STRING, &state_name,
      N_("List only jobs in STATE: Queued, Scheduled, Processing, Finished, Error, Canceled or Canceling (list)"),
      N_("STATE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, N_("list | show ID | watch ID | cancel ID") },
    { NULL }
  };

  context = new_online_context (command, entries,
                                _("  list        list jobs: ID STATE NAME\n"
                                  "  show ID     print a job and its tasks with state, progress and errors\n"
                                  "  watch ID    follow a job until it is final: a progress bar per task in\n"
                                  "              a terminal, a line per change otherwise; exits 0 when it\n"
                                  "              finished, 1 when it ended in Error or Canceled\n"
                                  "  cancel ID   cancel a job"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (args == NULL || args[0] == NULL)
    return _jg_cli_usage_error (command, _("No action given: use list, show, watch or cancel"));

  action = args[0];

  if (g_str_equal (action, "list"))
    {
      g_autoptr(GPtrArray) jobs = NULL;
      g_autofree char *filter = NULL;
      JgListOptions options = { 0 };
      int state;

      if (args[1] != NULL)
        return _jg_cli_usage_error (command, _("Unexpected argument “%s”"), args[1]);
      if (top < 0)
        return _jg_cli_usage_error (command, _("--top must be 0 or more"));
      if (state_name != NULL)
        {
          if (!job_state_from_string (state_name, &state))
            return _jg_cli_usage_error (command, _("Unknown state “%s”"), state_name);
          filter = g_strdup_printf ("State eq %d", state);
        }

      if (!session_start (&session, command, &status))
        return status;

      options.filter = filter;
      options.top = top;
      jg_client_list_jobs_async (session.client, &options, NULL, ready_cb, &session);
      result = wait_for (&session);
      jobs = jg_client_list_jobs_finish (session.client, result, &error);
      if (jobs == NULL)
        return report_error (&session, _("Could not list the jobs"), error);

      if (opt_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_array (builder);
          for (guint i = 0; i < jobs->len; i++)
            {
              add_job (builder, g_ptr_array_index (jobs, i));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          print_json (builder);
        }
      else
        {
          for (guint i = 0; i < jobs->len; i++)
            print_job_line (g_ptr_array_index (jobs, i));
        }

      return JG_CLI_EXIT_OK;
    }

  if (!g_str_equal (action, "show") && !g_str_equal (action, "watch") && !g_str_equal (action, "cancel"))
    return _jg_cli_usage_error (command, _("Unknown action “%s”: use list, show, watch or cancel"), action);

  if (top != 0 || state_name != NULL)
    return _jg_cli_usage_error (command, _("--top and --state apply only to list"));

  job_id = get_single_argument (command, args + 1, _("job id"), &status);
  if (job_id == NULL)
    return status;

  if (!session_start (&session, command, &status))
    return status;

  if (g_str_equal (action, "show"))
    {
      g_autoptr(JgRemoteJob) job = NULL;
      g_autoptr(GPtrArray) tasks = NULL;

      if (!fetch_job (&session, job_id, &job, &tasks, &status))
        return status;

      print_job_details (job, tasks);
      return JG_CLI_EXIT_OK;
    }
  else if (g_str_equal (action, "watch"))
    {
      return watch_job (&session, job_id);
    }
  else
    {
      jg_client_cancel_job_async (session.client, job_id, NULL, ready_cb, &session);
      result = wait_for (&session);
      if (!jg_client_cancel_job_finish (session.client, result, &error))
        return report_error (&session, _("Could not cancel the job"), error);

      if (opt_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          add_string (builder, "id", job_id);
          json_builder_set_member_name (builder, "canceled");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
          print_json (builder);
        }
      else
        printf (_("Canceling %s\n"), job_id);

      return JG_CLI_EXIT_OK;
    }
}

/* assets, processors */

static gboolean
check_list_action (const JgCliCommand *command,
                   char              **args,
                   int                *status)
{
  if (args == NULL || args[0] == NULL || !g_str_equal (args[0], "list"))
    {
      *status = _jg_cli_usage_error (command, _("Use “%s %s list”"), PROGRAM_NAME, command->name);
      return FALSE;
    }

  if (args[1] != NULL)
    {
      *status = _jg_cli_usage_error (command, _("Unexpected argument “%s”"), args[1]);
      return FALSE;
    }

  return TRUE;
}

static const char *assets_description =
  N_("  list                      list the assets: ID NAME\n"
     "  upload FILE… [--name NAME] upload each FILE as a new asset; prints its ID\n"
     "  files ID                  list the files of asset ID: NAME SIZE TYPE PRIMARY\n"
     "  download ID DIR           save the files of asset ID in DIR\n"
     "\n"
     "Progress goes to standard error when it is a terminal. Ctrl+C stops an\n"
     "upload and removes the half-made asset.");

typedef struct
{
  gboolean    terminal;
  const char *label;
  gint64      last_draw;
} TransferProgress;

static void
transfer_progress_cb (goffset  done,
                      goffset  total,
                      gpointer user_data)
{
  TransferProgress *progress = user_data;
  gint64            now = g_get_monotonic_time ();
  g_autofree char  *done_text = NULL;
  g_autofree char  *total_text = NULL;

  if (!progress->terminal)
    return;

  /* Ten updates a second are plenty, but the last one is always drawn. */
  if (done < total && now - progress->last_draw < G_USEC_PER_SEC / 10)
    return;
  progress->last_draw = now;

  done_text = g_format_size (done);
  total_text = g_format_size (total);
  if (total > 0)
    fprintf (stderr, "\r\033[K%s: %s / %s (%d%%)", progress->label, done_text, total_text,
             (int)(100.0 * done / total));
  else
    fprintf (stderr, "\r\033[K%s: %s", progress->label, done_text);
  fflush (stderr);
}

static void
transfer_progress_end (TransferProgress *progress)
{
  if (progress->terminal && progress->last_draw != 0)
    fprintf (stderr, "\r\033[K");
  progress->last_draw = 0;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_CONTINUE;
}

static int
run_assets_list (JgCliSession *session,
                 const char   *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) assets = NULL;
  g_autoptr(GError) error = NULL;

  jg_client_list_assets_async (session->client, name, NULL, ready_cb, session);
  result = wait_for (session);
  assets = jg_client_list_assets_finish (session->client, result, &error);
  if (assets == NULL)
    return report_error (session, _("Could not list the assets"), error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < assets->len; i++)
        {
          JgRemoteAsset *asset = g_ptr_array_index (assets, i);

          json_builder_begin_object (builder);
          add_string (builder, "id", asset->id);
          add_string (builder, "name", asset->name);
          add_string (builder, "alternate_id", asset->alternate_id);
          add_date (builder, "created", asset->created);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      for (guint i = 0; i < assets->len; i++)
        {
          JgRemoteAsset *asset = g_ptr_array_index (assets, i);

          printf ("%s\t%s\n", asset->id, asset->name ? asset->name : "");
        }
    }

  return JG_CLI_EXIT_OK;
}

static int
run_assets_upload (JgCliSession *session,
                   char        **files,
                   const char   *name)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  TransferProgress progress = { .terminal = isatty (STDERR_FILENO) };
  guint            sigint_id;
  int              status = JG_CLI_EXIT_OK;

  if (files == NULL || files[0] == NULL)
    return _jg_cli_usage_error (session->command, _("“upload” needs at least one FILE"));
  if (name != NULL && files[1] != NULL)
    return _jg_cli_usage_error (session->command, _("--name is for one FILE only"));

  sigint_id = g_unix_signal_add (SIGINT, cancel_cb, cancellable);

  json_builder_begin_array (builder);
  for (guint i = 0; files[i] != NULL && status == JG_CLI_EXIT_OK; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (files[i]);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(JgRemoteAsset) asset = NULL;
      g_autoptr(GError) error = NULL;

      progress.label = files[i];
      jg_client_upload_asset_async (session->client, file, name, transfer_progress_cb, &progress, NULL,
                                    cancellable, ready_cb, session);
      result = wait_for (session);
      asset = jg_client_upload_asset_finish (session->client, result, &error);
      transfer_progress_end (&progress);

      if (asset == NULL)
        {
          g_autofree char *what = g_strdup_printf (_("Could not upload “%s”"), files[i]);

          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              fprintf (stderr, "%s %s: %s\n", PROGRAM_NAME, session->command->name,
                       _("Upload canceled; the new asset was removed"));
              status = JG_CLI_EXIT_INVALID;
            }
          else
            {
              status = report_error (session, what, error);
            }
          break;
        }

      if (opt_json)
        {
          json_builder_begin_object (builder);
          add_string (builder, "file", files[i]);
          add_string (builder, "id", asset->id);
          add_string (builder, "name", asset->name);
          json_builder_end_object (builder);
        }
      else
        {
          printf ("%s\n", asset->id);
          fflush (stdout);
        }
    }
  json_builder_end_array (builder);

  g_source_remove (sigint_id);

  if (opt_json && status == JG_CLI_EXIT_OK)
    print_json (builder);

  return status;
}

static int
run_assets_files (JgCliSession *session,
                  const char   *asset_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  jg_client_list_asset_files_async (session->client, asset_id, NULL, ready_cb, session);
  result = wait_for (session);
  files = jg_client_list_asset_files_finish (session->client, result, &error);
  if (files == NULL)
    return report_error (session, _("Could not list the files of the asset"), error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < files->len; i++)
        {
          JgRemoteFile *file = g_ptr_array_index (files, i);

          json_builder_begin_object (builder);
          add_string (builder, "id", file->id);
          add_string (builder, "name", file->name);
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, file->size);
          add_string (builder, "mime_type", file->mime_type);
          json_builder_set_member_name (builder, "is_primary");
          json_builder_add_boolean_value (builder, file->is_primary);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      for (guint i = 0; i < files->len; i++)
        {
          JgRemoteFile *file = g_ptr_array_index (files, i);

          /* Sizes in bytes: a script may add them up. */
          printf ("%s\t%" G_GINT64_FORMAT "\t%s\t%s\n",
                  file->name, file->size,
                  file->mime_type ? file->mime_type : "",
                  file->is_primary ? "primary" : "");
        }
    }

  return JG_CLI_EXIT_OK;
}

static int
run_assets_download (JgCliSession *session,
                     const char   *asset_id,
                     const char   *dir_arg)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) dir = g_file_new_for_commandline_arg (dir_arg);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;
  TransferProgress progress = { .terminal = isatty (STDERR_FILENO), .label = asset_id };
  guint            sigint_id;

  sigint_id = g_unix_signal_add (SIGINT, cancel_cb, cancellable);
  jg_client_download_asset_async (session->client, asset_id, dir, transfer_progress_cb, &progress, NULL,
                                  cancellable, ready_cb, session);
  result = wait_for (session);
  g_source_remove (sigint_id);
  written = jg_client_download_asset_finish (session->client, result, &error);
  transfer_progress_end (&progress);
  if (written == NULL)
    return report_error (session, _("Could not download the asset"), error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < written->len; i++)
        {
          g_autofree char *path = g_file_get_path (g_ptr_array_index (written, i));

          json_builder_add_string_value (builder, path);
        }
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      for (guint i = 0; i < written->len; i++)
        {
          g_autofree char *path = g_file_get_parse_name (g_ptr_array_index (written, i));

          printf ("%s\n", path);
        }
    }

  return JG_CLI_EXIT_OK;
}

int
_jg_cli_run_assets (const JgCliCommand *command,
                    int                 argc,
                    char              **argv)
{
  g_auto(JgCliSession) session = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) args = NULL;
  const char *action;
  guint n_args;
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("list: only the assets named NAME; upload: the new asset’s name (default: the file’s name)"), N_("NAME") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, N_("list|upload|files|download …") },
    { NULL }
  };

  context = new_online_context (command, entries, _(assets_description));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  action = args ? args[0] : NULL;
  n_args = args ? g_strv_length (args) - 1 : 0;

  if (action == NULL)
    return _jg_cli_usage_error (command, _("Use “%s %s list|upload|files|download”"), PROGRAM_NAME, command->name);

  if (g_str_equal (action, "list"))
    {
      if (!check_list_action (command, args, &status))
        return status;
    }
  else if (g_str_equal (action, "upload"))
    {
      if (n_args == 0)
        return _jg_cli_usage_error (command, _("“upload” needs at least one FILE"));
    }
  else if (g_str_equal (action, "files"))
    {
      if (n_args != 1)
        return _jg_cli_usage_error (command, _("Use “%s %s files ID”"), PROGRAM_NAME, command->name);
    }
  else if (g_str_equal (action, "download"))
    {
      if (n_args != 2)
        return _jg_cli_usage_error (command, _("Use “%s %s download ID DIR”"), PROGRAM_NAME, command->name);
    }
  else
    {
      return _jg_cli_usage_error (command, _("Unknown action “%s”; use list, upload, files or download"), action);
    }

  if (name != NULL && !g_str_equal (action, "list") && !g_str_equal (action, "upload"))
    return _jg_cli_usage_error (command, _("--name is for “list” and “upload” only"));

  if (!session_start (&session, command, &status))
    return status;

  if (g_str_equal (action, "list"))
    return run_assets_list (&session, name);
  if (g_str_equal (action, "upload"))
    return run_assets_upload (&session, args + 1, name);
  if (g_str_equal (action, "files"))
    return run_assets_files (&session, args[1]);

  return run_assets_download (&session, args[1], args[2]);
}

int
_jg_cli_run_processors (const JgCliCommand *command,
                        int                 argc,
                        char              **argv)
{
  g_auto(JgCliSession) session = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, N_("list") },
    { NULL }
  };

  context = new_online_context (command, entries,
                                _("  list   list the media processors, the highest version of each: ID VERSION NAME"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;
  if (!check_list_action (command, args, &status))
    return status;
  if (!session_start (&session, command, &status))
    return status;

  jg_client_list_processors_async (session.client, NULL, ready_cb, &session);
  result = wait_for (&session);
  processors = jg_client_list_processors_finish (session.client, result, &error);
  if (processors == NULL)
    return report_error (&session, _("Could not list the media processors"), error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < processors->len; i++)
        {
          JgRemoteProcessor *processor = g_ptr_array_index (processors, i);

          json_builder_begin_object (builder);
          add_string (builder, "id", processor->id);
          add_string (builder, "name", processor->name);
          add_string (builder, "version", processor->version);
          add_string (builder, "vendor", processor->vendor);
          add_string (builder, "description", processor->description);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      for (guint i = 0; i < processors->len; i++)
        {
          JgRemoteProcessor *processor = g_ptr_array_index (processors, i);

          printf ("%s\t%s\t%s\n", processor->id, processor->version ? processor->version : "",
                  processor->name ? processor->name : "");
        }
    }

  return JG_CLI_EXIT_OK;
}

/* accounts */

int
_jg_cli_run_accounts (const JgCliCommand *command,
                      int                 argc,
                      char              **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *prompt = NULL;
  g_auto(GStrv) args = NULL;
  const char *name;
  char *secret;
  gboolean stored;
  JgAuthKind kind;
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, N_("store NAME") },
    { NULL }
  };

  context = _jg_cli_new_command_context (command, entries,
                                         _("  store NAME   read the secret of the account NAME of\n"
                                           "               $XDG_CONFIG_HOME/jobgraph/accounts.ini from standard input\n"
                                           "               (without echo on a terminal) and store it in the keyring,\n"
                                           "               where --account NAME finds it\n"
                                           "\n"
                                           "Exit status: 0 success, 2 bad usage or the keyring could not be reached.\n"
                                           "\n"
                                           "Examples:\n"
                                           "  jobgraph-cli accounts store production\n"
                                           "  pass show ams/production | jobgraph-cli accounts store production"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (args == NULL || args[0] == NULL || !g_str_equal (args[0], "store"))
    return _jg_cli_usage_error (command, _("Use “%s %s store NAME”"), PROGRAM_NAME, command->name);

  name = get_single_argument (command, args + 1, _("account name"), &status);
  if (name == NULL)
    return status;

#ifndef HAVE_LIBSECRET
  return _jg_cli_usage_error (command, _("This %s was built without keyring support (libsecret)"), PROGRAM_NAME);
#endif

  key_file = open_account (command, name, &path, &kind, &status);
  if (key_file == NULL)
    return status;

  prompt = g_strdup_printf (_("Secret for account “%s”: "), name);
  secret = jg_cli_read_secret (prompt);
  if (secret == NULL)
    return _jg_cli_usage_error (command, _("No secret on standard input"));

  stored = jg_keyring_store_sync (name, jg_keyring_kind_for_auth (kind), secret, &error);
  jg_keyring_free_secret (secret);
  if (!stored)
    {
      fprintf (stderr, "%s %s: %s: %s\n", PROGRAM_NAME, command->name, _("Could not store the secret"), error->message);
      return JG_CLI_EXIT_USAGE;
    }

  printf (_("Stored the secret of account “%s” in the keyring\n"), name);

  return JG_CLI_EXIT_OK;
}

/* emulator */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_CONTINUE;
}

int
_jg_cli_run_emulator (const JgCliCommand *command,
                      int                 argc,
                      char              **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgEmulator) emulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *account = NULL;
  g_autofree char *key = NULL;
  g_autofree char *token = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *root = NULL;
  g_auto(GStrv) args = NULL;
  JgEmulatorOptions options = { 0 };
  guint sigint_id, sigterm_id;
  int port = 0;
  int workers = 2;
  double speed = 1.0;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Listen on PORT of 127.0.0.1 (0, the default, picks a free one)"), N_("PORT") },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      N_("Keep the database and the assets/ folder in DIR (default: $XDG_DATA_HOME/jobgraph/emulator)"), N_("DIR") },
    { "account", 'a', 0, G_OPTION_ARG_STRING, &account, N_("The account name (default: local)"), N_("NAME") },
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key,
      N_("The account key (default: $JOBGRAPH_EMULATOR_KEY, or jobgraph-local-key)"), N_("KEY") },
    { "token", 't', 0, G_OPTION_ARG_STRING, &token, N_("Also accept this fixed bearer token"), N_("TOKEN") },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &workers, N_("Run at most N tasks at once (default: 2)"), N_("N") },
    { "speed", 's', 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("Simulated processing speed factor; higher is faster (default: 1)"), N_("F") },
    { "faults", 'f', 0, G_OPTION_ARG_STRING, &faults,
      N_("Inject faults, e.g. busy@0.2,reset-after#1,slow:2000@0.1"), N_("SPEC") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &args, NULL, NULL },
    { NULL }
  };

  context = _jg_cli_new_command_context (command, entries,
                                         _("Runs jobgraph-emulator, the local Media Services endpoint, in the\n"
                                           "foreground until interrupted, and prints “listening on URL” when ready.\n"
                                           "Processing time is SIMULATED from the input size and --speed; no media\n"
                                           "is read or written. See “jobgraph-emulator --help”."));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (args != NULL && args[0] != NULL)
    return _jg_cli_usage_error (command, _("Unexpected argument “%s”"), args[0]);

  if (port < 0 || port > 65535 || workers < 1 || !(speed > 0))
    return _jg_cli_usage_error (command, _("--port must be 0 to 65535, --workers at least 1 and --speed above 0"));

  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "jobgraph", "emulator", NULL);

  if (key == NULL && g_getenv ("JOBGRAPH_EMULATOR_KEY") != NULL)
    key = g_strdup (g_getenv ("JOBGRAPH_EMULATOR_KEY"));

  options.data_dir = data_dir;
  options.account = account;
  options.key = key;
  options.static_token = token;
  options.workers = workers;
  options.speed = speed;
  options.faults = faults;

  emulator = jg_emulator_new (&options, &error);
  if (emulator == NULL || !jg_emulator_listen (emulator, port, &error))
    {
      fprintf (stderr, "%s %s: %s\n", PROGRAM_NAME, command->name, error->message);
      return JG_CLI_EXIT_USAGE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  root = jg_emulator_dup_root_uri (emulator);
  printf ("listening on %s\n", root);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  jg_emulator_shutdown (emulator);

  return JG_CLI_EXIT_OK;
}
