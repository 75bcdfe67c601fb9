/* jg-cli.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jobgraph-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "jg-cli-private.h"

/* jobgraph-cli: the command line face of the core. Every command has its
 * own GOptionContext (and so its own --help); main() only picks the
 * command from the table below.
 *
 * Exit statuses are the same for every command (DESIGN.md): 0 when all is
 * well (warnings allowed), 1 when a graph has errors, 2 for bad usage or an
 * input that cannot be read or parsed. An export whose job inputs are bound
 * to no asset is bad usage (the user must give --inputs), so it exits 2.
 */

#define STDIN_NAME   "<stdin>"

static int run_validate (const JgCliCommand *command,
                         int                 argc,
                         char              **argv);
static int run_export   (const JgCliCommand *command,
                         int                 argc,
                         char              **argv);
static int run_import   (const JgCliCommand *command,
                         int                 argc,
                         char              **argv);

/* One line per command. */
static const JgCliCommand commands[] = {
  { "validate", N_("Check files against the rules of the media service"), run_validate },
  { "export", N_("Write a graph as a Job, JobTemplate, $batch, TaskBody or .jobgraph"), run_export },
  { "import", N_("Convert any format Jobgraph reads into a .jobgraph document"), run_import },
  { "submit", N_("Submit a graph as one or more jobs"), _jg_cli_run_submit },
  { "template", N_("Save, list, show or remove JobTemplates"), _jg_cli_run_template },
  { "jobs", N_("List, show, watch or cancel jobs"), _jg_cli_run_jobs },
  { "assets", N_("List, upload or download assets and their files"), _jg_cli_run_assets },
  { "processors", N_("List the media processors of the account"), _jg_cli_run_processors },
  { "accounts", N_("Store the secret of an account in the keyring"), _jg_cli_run_accounts },
  { "emulator", N_("Run the local media service in the foreground"), _jg_cli_run_emulator },
};

static const JgCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];

  return NULL;
}

/* Messages */

/* Prints `jobgraph-cli COMMAND: message` and a hint, and returns the usage
 * exit status.
 */
int
_jg_cli_usage_error (const JgCliCommand *command,
             const char         *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    {
      fprintf (stderr, "%s %s: %s\n", PROGRAM_NAME, command->name, message);
      fprintf (stderr, _("Try “%s %s --help” for more information.\n"), PROGRAM_NAME, command->name);
    }
  else
    {
      fprintf (stderr, "%s: %s\n", PROGRAM_NAME, message);
      fprintf (stderr, _("Try “%s --help” for the list of commands.\n"), PROGRAM_NAME);
    }

  return JG_CLI_EXIT_USAGE;
}

/* `jobgraph-cli: FILE:LINE:COLUMN: message`, leaving out what is unknown. */
void
_jg_cli_print_error (const char   *display_name,
             const GError *error)
{
  g_autofree char *description = jg_format_error_describe (error, display_name);

  fprintf (stderr, "%s: %s\n", PROGRAM_NAME, description);
}

/* `FILE: severity: code: message (location)` */
static void
print_diagnostic (FILE         *stream,
                  const char   *display_name,
                  JgDiagnostic *diagnostic)
{
  g_autofree char *location = jg_diagnostic_format_location (diagnostic);

  fprintf (stream, "%s: %s: %s: %s",
           display_name,
           jg_severity_to_string (jg_diagnostic_get_severity (diagnostic)),
           jg_diagnostic_get_code (diagnostic),
           jg_diagnostic_get_message (diagnostic));

  if (location != NULL)
    fprintf (stream, " (%s)", location);

  fputc ('\n', stream);
}

void
_jg_cli_print_diagnostics (FILE       *stream,
                   const char *display_name,
                   GPtrArray  *diagnostics)
{
  for (guint i = 0; i < diagnostics->len; i++)
    print_diagnostic (stream, display_name, g_ptr_array_index (diagnostics, i));
}

guint
_jg_cli_count_errors (GPtrArray *diagnostics)
{
  guint n_errors = 0;

  for (guint i = 0; i < diagnostics->len; i++)
    if (jg_diagnostic_get_severity (g_ptr_array_index (diagnostics, i)) == JG_SEVERITY_ERROR)
      n_errors++;

  return n_errors;
}

/* Input and output */

const char *
_jg_cli_get_display_name (const char *path)
{
  return g_str_equal (path, "-") ? STDIN_NAME : path;
}

static gboolean
read_stdin (char   **contents,
            gsize   *length,
            GError **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[16384];
  size_t n;

  while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    g_byte_array_append (buffer, chunk, n);

  if (ferror (stdin))
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not read standard input: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  /* NUL-terminated, like g_file_get_contents(). */
  *length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *)"", 1);
  *contents = (char *)g_byte_array_free (g_steal_pointer (&buffer), FALSE);

  return TRUE;
}

/* Reads @path (`-` for standard input) in any format Jobgraph knows.
 * @format is set even on failure when the content was recognised.
 */
JgGraph *
_jg_cli_load_graph (const char *path,
            JgFormat   *format,
            GPtrArray  *import_diagnostics,
            GError    **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  *format = JG_FORMAT_UNKNOWN;

  if (g_str_equal (path, "-"))
    {
      if (!read_stdin (&contents, &length, error))
        return NULL;
    }
  else if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return jg_import_data (contents, length, format, import_diagnostics, error);
}

/* Writes to standard output when @output is %NULL or `-`, otherwise
 * replaces @output atomically.
 */
static gboolean
write_output (const char *output,
              GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);

  if (output == NULL || g_str_equal (output, "-"))
    {
      if ((size > 0 && fwrite (data, 1, size, stdout) != size) || fflush (stdout) != 0)
        {
          int saved_errno = errno;

          fprintf (stderr, _("%s: Could not write to standard output: %s\n"),
                   PROGRAM_NAME, g_strerror (saved_errno));
          return FALSE;
        }

      return TRUE;
    }

  if (!g_file_set_contents_full (output, data ? data : "", size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    {
      _jg_cli_print_error (output, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_jg_cli_is_api_version (const char *text)
{
  const char *p = text;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;

  if (*p++ != '.' || !g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;

  return *p == '\0';
}

/* Parses a command's arguments; on error prints it with a hint. */
gboolean
_jg_cli_parse_arguments (const JgCliCommand *command,
                 GOptionContext     *context,
                 int                *argc,
                 char             ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      _jg_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

GOptionContext *
_jg_cli_new_command_context (const JgCliCommand *command,
                     const GOptionEntry *entries,
                     const char         *description)
{
  g_autofree char *prgname = g_strdup_printf ("%s %s", PROGRAM_NAME, command->name);
  GOptionContext *context;

  /* GOptionContext writes the program name in its "Usage:" line. */
  g_set_prgname (prgname);

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  g_option_context_set_description (context, description);

  return context;
}

/* validate */

static void
add_json_diagnostics (JsonBuilder *builder,
                      GPtrArray   *diagnostics)
{
  json_builder_set_member_name (builder, "diagnostics");
  json_builder_begin_array (builder);
  if (diagnostics != NULL)
    for (guint i = 0; i < diagnostics->len; i++)
      jg_diagnostic_add_json (g_ptr_array_index (diagnostics, i), builder);
  json_builder_end_array (builder);
}

/* One JSON Lines record: {"file", "valid", "format", "diagnostics"}, plus
 * "error" {"message", "line", "column"} when the file could not be read.
 */
static void
print_json_result (const char   *path,
                   JgFormat      format,
                   GPtrArray    *diagnostics,
                   const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  gboolean valid;

  file = g_str_equal (path, "-") ? g_strdup (STDIN_NAME) : g_filename_display_name (path);
  valid = error == NULL && _jg_cli_count_errors (diagnostics) == 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, valid);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, jg_format_get_name (format));
  add_json_diagnostics (builder, diagnostics);

  if (error != NULL)
    {
      int line = 0, column = 0;

      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, error->message);

      json_builder_set_member_name (builder, "line");
      if (jg_format_error_get_position (error, &line, &column))
        json_builder_add_int_value (builder, line);
      else
        json_builder_add_null_value (builder);

      json_builder_set_member_name (builder, "column");
      if (column > 0)
        json_builder_add_int_value (builder, column);
      else
        json_builder_add_null_value (builder);

      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = jg_json_to_string (root, FALSE);
  fputs (text, stdout);
  fputc ('\n', stdout);
}

static int
validate_file (const char *path,
               gboolean    json,
               const char *api_version)
{
  g_autoptr(GPtrArray) import_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  const char *display_name = _jg_cli_get_display_name (path);
  JgFormat format;

  graph = _jg_cli_load_graph (path, &format, import_diagnostics, &error);
  if (graph == NULL)
    {
      _jg_cli_print_error (display_name, error);
      if (json)
        print_json_result (path, format, NULL, error);
      return JG_CLI_EXIT_USAGE;
    }

  diagnostics = jg_import_validate (graph, format, import_diagnostics, api_version);

  if (json)
    print_json_result (path, format, diagnostics, NULL);
  else
    _jg_cli_print_diagnostics (stdout, display_name, diagnostics);

  return _jg_cli_count_errors (diagnostics) > 0 ? JG_CLI_EXIT_INVALID : JG_CLI_EXIT_OK;
}

static int
run_validate (const JgCliCommand *command,
              int                 argc,
              char              **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *api_version = NULL;
  g_auto(GStrv) files = NULL;
  gboolean json = FALSE;
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object per file, one per line (JSON Lines)"), NULL },
    { "api-version", 0, 0, G_OPTION_ARG_STRING, &api_version,
      N_("Judge by this x-ms-version (default: the file’s own, else 2.19)"), N_("VERSION") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL }
  };

  context = _jg_cli_new_command_context (command, entries,
                                 _("Reads each FILE (“-” for standard input) and checks it against the rules\n"
                                   "of the media service. The format is told apart by content: a .jobgraph\n"
                                   "document, a Job or JobTemplate create body (JSON), an OData $batch body,\n"
                                   "a TaskBody or a JobTemplateBody (XML).\n"
                                   "\n"
                                   "Prints one line per problem on standard output:\n"
                                   "  FILE: SEVERITY: CODE: MESSAGE (LOCATION)\n"
                                   "and nothing for a file without problems. With --json, prints one JSON\n"
                                   "object per file, one per line (JSON Lines), with the members \"file\",\n"
                                   "\"valid\", \"format\" and \"diagnostics\", and \"error\" {\"message\", \"line\",\n"
                                   "\"column\"} when the file cannot be read or parsed.\n"
                                   "\n"
                                   "Exit status: 0 when no file has errors (warnings are allowed), 1 when a\n"
                                   "file has errors, 2 on bad usage or when a file cannot be read or parsed.\n"
                                   "\n"
                                   "Examples:\n"
                                   "  jobgraph-cli validate encode.jobgraph\n"
                                   "  jobgraph-cli validate --api-version 2.11 job.json request.batch\n"
                                   "  jobgraph-cli validate --json - < job.json"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    return _jg_cli_usage_error (command, _("No file given"));

  if (api_version != NULL && !_jg_cli_is_api_version (api_version))
    return _jg_cli_usage_error (command, _("“%s” is not an x-ms-version such as 2.19"), api_version);

  for (guint i = 0; files[i] != NULL; i++)
    {
      int file_status = validate_file (files[i], json, api_version);

      /* The worst status wins: 2 over 1 over 0. */
      status = MAX (status, file_status);
    }

  return status;
}

/* export */

/* --inputs may be repeated and each may hold a comma-separated list. */
GStrv
_jg_cli_split_input_ids (const JgCliCommand *command,
                 char              **values,
                 int                *status)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; values[i] != NULL; i++)
    {
      g_auto(GStrv) pieces = g_strsplit (values[i], ",", -1);

      for (guint j = 0; pieces[j] != NULL; j++)
        {
          const char *id = g_strstrip (pieces[j]);

          if (!jg_is_entity_id (id, "cid"))
            {
              *status = _jg_cli_usage_error (command, _("“%s” is not an asset id of the form nb:cid:UUID:<guid>"), id);
              return NULL;
            }

          g_strv_builder_add (builder, id);
        }
    }

  return g_strv_builder_end (builder);
}

static int
run_export (const JgCliCommand *command,
            int                 argc,
            char              **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) import_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *as = NULL;
  g_autofree char *output = NULL;
  g_autofree char *base_uri = NULL;
  g_autofree char *api_version = NULL;
  g_auto(GStrv) input_values = NULL;
  g_auto(GStrv) input_ids = NULL;
  g_auto(GStrv) files = NULL;
  JgExportOptions options = { 0 };
  JgExportKind kind;
  JgFormat format;
  JgFormat rules;
  const char *display_name;
  gboolean light = FALSE;
  gboolean force = FALSE;
  guint n_errors;
  int task = -1;
  int status = JG_CLI_EXIT_OK;
  const GOptionEntry entries[] = {
    { "as", 'a', 0, G_OPTION_ARG_STRING, &as,
      N_("What to write: job, template, batch, taskbody or jobgraph"), N_("KIND") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to OUT, replacing it atomically (default: standard output)"), N_("OUT") },
    { "inputs", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &input_values,
      N_("Bind JobInputAsset(0), (1)… to these asset ids, in order (job and batch; repeat it or separate ids with commas)"), N_("ID") },
    { "base-uri", 0, 0, G_OPTION_ARG_STRING, &base_uri,
      N_("The API base for URIs (default: https://media.windows.net/api/)"), N_("URI") },
    { "light", 0, 0, G_OPTION_ARG_NONE, &light,
      N_("Write InputMediaAssets@odata.bind (JSON light) in a Job body"), NULL },
    { "task", 't', 0, G_OPTION_ARG_INT, &task,
      N_("Which task, counted from 0 in run order, for --as taskbody (default: 0)"), N_("N") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Export even when the graph has errors"), NULL },
    { "api-version", 0, 0, G_OPTION_ARG_STRING, &api_version,
      N_("Validate by this x-ms-version (default: the file’s own, else 2.19)"), N_("VERSION") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  context = _jg_cli_new_command_context (command, entries,
                                 _("Reads FILE (“-” for standard input) in any format Jobgraph knows, checks\n"
                                   "it, and writes it as the REST body named by --as:\n"
                                   "  job        a Job create body (verbose JSON)\n"
                                   "  template   a JobTemplate create body (JSON)\n"
                                   "  batch      an OData $batch request body creating the job\n"
                                   "  taskbody   the TaskBody XML of one task (see --task)\n"
                                   "  jobgraph   a .jobgraph document\n"
                                   "\n"
                                   "A graph with errors is not exported (its problems are printed on\n"
                                   "standard error) unless --force is given. Warnings are printed and do not\n"
                                   "stop the export. A Job or $batch body needs an asset for every job input:\n"
                                   "give them with --inputs when the file does not name them.\n"
                                   "\n"
                                   "Exit status: 0 when the body was written, 1 when the graph has errors,\n"
                                   "2 on bad usage (including job inputs bound to no asset), or when FILE\n"
                                   "cannot be read or parsed, or OUT cannot be written.\n"
                                   "\n"
                                   "Examples:\n"
                                   "  jobgraph-cli export encode.jobgraph --as job -o job.json\n"
                                   "  jobgraph-cli export encode.jobgraph --as batch \\\n"
                                   "      --inputs nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c\n"
                                   "  jobgraph-cli export job.json --as taskbody --task 1"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    return _jg_cli_usage_error (command, _("No file given"));
  if (files[1] != NULL)
    return _jg_cli_usage_error (command, _("Only one file can be exported at a time"));

  if (as == NULL)
    return _jg_cli_usage_error (command, _("Say what to write with --as job, template, batch, taskbody or jobgraph"));
  if (!jg_export_kind_from_string (as, &kind))
    return _jg_cli_usage_error (command, _("Unknown kind “%s”; use job, template, batch, taskbody or jobgraph"), as);

  if (input_values != NULL)
    {
      if (kind != JG_EXPORT_JOB && kind != JG_EXPORT_BATCH)
        return _jg_cli_usage_error (command, _("--inputs applies only to --as job and --as batch"));

      input_ids = _jg_cli_split_input_ids (command, input_values, &status);
      if (input_ids == NULL)
        return status;
    }

  if (light && kind != JG_EXPORT_JOB)
    return _jg_cli_usage_error (command, _("--light applies only to --as job"));

  if (task != -1 && kind != JG_EXPORT_TASK_BODY)
    return _jg_cli_usage_error (command, _("--task applies only to --as taskbody"));
  if (task < -1)
    return _jg_cli_usage_error (command, _("--task must be 0 or more"));

  if (base_uri != NULL && !g_uri_is_valid (base_uri, G_URI_FLAGS_NONE, NULL))
    return _jg_cli_usage_error (command, _("“%s” is not an absolute URI"), base_uri);

  if (api_version != NULL && !_jg_cli_is_api_version (api_version))
    return _jg_cli_usage_error (command, _("“%s” is not an x-ms-version such as 2.19"), api_version);

  display_name = _jg_cli_get_display_name (files[0]);

  graph = _jg_cli_load_graph (files[0], &format, import_diagnostics, &error);
  if (graph == NULL)
    {
      _jg_cli_print_error (display_name, error);
      return JG_CLI_EXIT_USAGE;
    }

  /* Judge the graph by what it is about to become: a lone TaskBody written
   * as a Job body must name a processor like any job.
   */
  rules = format;
  if (kind == JG_EXPORT_TASK_BODY)
    rules = JG_FORMAT_TASK_BODY;
  else if (format == JG_FORMAT_TASK_BODY || format == JG_FORMAT_TEMPLATE_BODY)
    rules = kind == JG_EXPORT_TEMPLATE ? JG_FORMAT_TEMPLATE : JG_FORMAT_JOB;

  diagnostics = jg_import_validate (graph, rules, import_diagnostics, api_version);
  _jg_cli_print_diagnostics (stderr, display_name, diagnostics);

  n_errors = _jg_cli_count_errors (diagnostics);
  if (n_errors > 0 && !force)
    {
      fprintf (stderr,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: %s: Not exported: the graph has %u error; fix it, or export anyway with --force\n",
                            "%s: %s: Not exported: the graph has %u errors; fix them, or export anyway with --force\n",
                            n_errors),
               PROGRAM_NAME, display_name, n_errors);
      return JG_CLI_EXIT_INVALID;
    }

  options.base_uri = base_uri;
  options.input_asset_ids = (const char * const *)input_ids;
  options.light = light;
  options.task_index = MAX (task, 0);

  bytes = jg_export_graph (graph, kind, &options, &error);
  if (bytes == NULL)
    {
      _jg_cli_print_error (display_name, error);

      /* Unbound inputs and a task that is not there are for the user to
       * fix on the command line; anything else is the graph's fault.
       */
      if (g_error_matches (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_UNBOUND_INPUT) ||
          (kind == JG_EXPORT_TASK_BODY && (guint)MAX (task, 0) >= jg_graph_get_n_tasks (graph)))
        return JG_CLI_EXIT_USAGE;

      return JG_CLI_EXIT_INVALID;
    }

  if (!write_output (output, bytes))
    return JG_CLI_EXIT_USAGE;

  return JG_CLI_EXIT_OK;
}

/* import */

static int
run_import (const JgCliCommand *command,
            int                 argc,
            char              **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) import_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) files = NULL;
  const char *display_name;
  JgFormat format;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the .jobgraph to OUT, replacing it atomically (default: standard output)"), N_("OUT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  context = _jg_cli_new_command_context (command, entries,
                                 _("Reads FILE (“-” for standard input) in any format Jobgraph knows: a\n"
                                   ".jobgraph document, a Job or JobTemplate create body (JSON), an OData\n"
                                   "$batch body, a TaskBody or a JobTemplateBody (XML). Lays the graph out\n"
                                   "and writes it as a .jobgraph document that the Jobgraph editor opens.\n"
                                   "\n"
                                   "Problems of the body itself (a TaskBody that cannot be read, TaskTemplates\n"
                                   "that do not match) are printed on standard error, but the document is\n"
                                   "still written so that they can be fixed in the editor. Run “jobgraph-cli\n"
                                   "validate” for the full check.\n"
                                   "\n"
                                   "Exit status: 0 when the document was written, 2 on bad usage or when\n"
                                   "FILE cannot be read or parsed, or OUT cannot be written.\n"
                                   "\n"
                                   "Examples:\n"
                                   "  jobgraph-cli import job.json -o encode.jobgraph\n"
                                   "  jobgraph-cli import request.batch -o encode.jobgraph"));

  if (!_jg_cli_parse_arguments (command, context, &argc, &argv))
    return JG_CLI_EXIT_USAGE;

  if (files == NULL || files[0] == NULL)
    return _jg_cli_usage_error (command, _("No file given"));
  if (files[1] != NULL)
    return _jg_cli_usage_error (command, _("Only one file can be imported at a time"));

  display_name = _jg_cli_get_display_name (files[0]);

  graph = _jg_cli_load_graph (files[0], &format, import_diagnostics, &error);
  if (graph == NULL)
    {
      _jg_cli_print_error (display_name, error);
      return JG_CLI_EXIT_USAGE;
    }

  _jg_cli_print_diagnostics (stderr, display_name, import_diagnostics);

  bytes = jg_export_graph (graph, JG_EXPORT_DOCUMENT, NULL, &error);
  if (bytes == NULL)
    {
      _jg_cli_print_error (display_name, error);
      return JG_CLI_EXIT_INVALID;
    }

  if (!write_output (output, bytes))
    return JG_CLI_EXIT_USAGE;

  return JG_CLI_EXIT_OK;
}

/* The command line */

static char *
dup_commands_description (void)
{
  GString *str = g_string_new (_("Commands:"));
  int width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int)strlen (commands[i].name));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (str, "\n  %-*s  %s", width, commands[i].name, _(commands[i].summary));

  g_string_append (str, "\n\n");
  g_string_append_printf (str, _("Run “%s COMMAND --help” for the options of a command.\n"
                                 "Exit status: 0 success, 1 the graph has errors or the service refused (or a\n"
                                 "job failed), 2 bad usage, unreadable input or an unreachable service."),
                          PROGRAM_NAME);

  return g_string_free (str, FALSE);
}

static int
run_command (const JgCliCommand *command,
             int                 argc,
             char              **argv)
{
  int status = command->run (command, argc, argv);

  if (fflush (stdout) != 0 || ferror (stdout))
    {
      fprintf (stderr, _("%s: Could not write to standard output: %s\n"),
               PROGRAM_NAME, g_strerror (errno));
      status = MAX (status, JG_CLI_EXIT_USAGE);
    }

  return status;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const JgCliCommand *command;
  const char         *localedir;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* JOBGRAPH_LOCALEDIR lets the tests use the catalogs of the build tree. */
  localedir = g_getenv ("JOBGRAPH_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname (PROGRAM_NAME);

  /* Options before the command are the program's; parsing stops at the
   * command, whose own context reads the rest.
   */
  context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Check, export, import and submit encoding job graphs for the media service."));
  description = dup_commands_description ();
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return _jg_cli_usage_error (NULL, "%s", error->message);

  if (version)
    {
      printf ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
      return JG_CLI_EXIT_OK;
    }

  if (argc < 2)
    return _jg_cli_usage_error (NULL, _("No command given"));

  /* `help` and `help COMMAND` */
  if (g_str_equal (argv[1], "help"))
    {
      if (argc < 3)
        {
          g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

          /* Printed as --help prints it. */
          g_print ("%s", help);
          return JG_CLI_EXIT_OK;
        }

      command = find_command (argv[2]);
      if (command == NULL)
        return _jg_cli_usage_error (NULL, _("Unknown command “%s”"), argv[2]);

      {
        char *help_argv[] = { argv[2], (char *)"--help", NULL };

        return run_command (command, 2, help_argv);
      }
    }

  command = find_command (argv[1]);
  if (command == NULL)
    return _jg_cli_usage_error (NULL, _("Unknown command “%s”"), argv[1]);

  return run_command (command, argc - 1, argv + 1);
}
