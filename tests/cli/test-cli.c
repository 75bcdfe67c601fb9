/* test-cli.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* These tests run the real jobgraph-cli and check what a user sees: the
 * exit status, standard output and standard error.
 */

#define ASSET_ID   "nb:cid:UUID:910ffdc1-2e25-4b17-8a42-61ffd4b8914c"
#define ASSET_ID_2 "nb:cid:UUID:2a22445d-1500-80c6-4b34-f1e5190d33c6"
#define ASSET_URI  "https://media.windows.net/api/Assets('nb%3Acid%3AUUID%3A910ffdc1-2e25-4b17-8a42-61ffd4b8914c')"
#define MES_ID     "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

/* A job that breaks no rule and earns no warning. */
#define CLEAN_JOB                                                                    \
  "{\"Name\": \"Clean\",\n"                                                          \
  " \"InputMediaAssets\": [{\"__metadata\": {\"uri\": \"" ASSET_URI "\"}}],\n"       \
  " \"Tasks\": [{\"Name\": \"Encode\", \"Configuration\": \"Adaptive Streaming\",\n" \
  "   \"MediaProcessorId\": \"" MES_ID "\",\n"                                       \
  "   \"TaskBody\": \"<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"           \
  "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}\n"

/* A job whose only task reads JobInputAsset(5) of a one-input job. */
#define OUT_OF_RANGE_JOB                                                             \
  "{\"Name\": \"Broken\",\n"                                                         \
  " \"InputMediaAssets\": [{\"__metadata\": {\"uri\": \"" ASSET_URI "\"}}],\n"       \
  " \"Tasks\": [{\"Name\": \"Encode\", \"Configuration\": \"Adaptive Streaming\",\n" \
  "   \"MediaProcessorId\": \"" MES_ID "\",\n"                                       \
  "   \"TaskBody\": \"<taskBody><inputAsset>JobInputAsset(5)</inputAsset>"           \
  "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}\n"

/* A job with no tasks: a diagnostic about the whole job, with no location. */
#define NO_TASKS_JOB                                                           \
  "{\"Name\": \"Empty\",\n"                                                    \
  " \"InputMediaAssets\": [{\"__metadata\": {\"uri\": \"" ASSET_URI "\"}}],\n" \
  " \"Tasks\": []}\n"

/* Two tasks writing JobOutputAsset(0): an error before x-ms-version 2.13,
 * a warning from 2.13.
 */
#define WRITTEN_TWICE_JOB                                                       \
  "{\"Name\": \"Twice\",\n"                                                     \
  " \"InputMediaAssets\": [{\"__metadata\": {\"uri\": \"" ASSET_URI "\"}}],\n"  \
  " \"Tasks\": [{\"Name\": \"A\", \"Configuration\": \"Adaptive Streaming\",\n" \
  "   \"MediaProcessorId\": \"" MES_ID "\",\n"                                  \
  "   \"TaskBody\": \"<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"      \
  "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"},\n"               \
  "  {\"Name\": \"B\", \"Configuration\": \"Adaptive Streaming\",\n"            \
  "   \"MediaProcessorId\": \"" MES_ID "\",\n"                                  \
  "   \"TaskBody\": \"<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"      \
  "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}\n"

/* A job whose TaskBody is not well-formed XML. */
#define MALFORMED_BODY_JOB                                                           \
  "{\"Name\": \"Broken body\",\n"                                                    \
  " \"InputMediaAssets\": [{\"__metadata\": {\"uri\": \"" ASSET_URI "\"}}],\n"       \
  " \"Tasks\": [{\"Name\": \"Encode\", \"Configuration\": \"Adaptive Streaming\",\n" \
  "   \"MediaProcessorId\": \"" MES_ID "\",\n"                                       \
  "   \"TaskBody\": \"<taskBody><inputAsset>JobInputAsset(0)</inputAsset>\"}]}\n"

/* Not JSON: the error is at line 3. */
#define BAD_JSON            \
  "{\n"                     \
  "  \"Name\": \"x\",\n"    \
  "  \"Tasks\": [ oops ]\n" \
  "}\n"

/* A lone TaskBody reading two job inputs bound to nothing. */
#define TWO_INPUT_TASK_BODY                             \
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"        \
  "<taskBody><inputAsset>JobInputAsset(0)</inputAsset>" \
  "<inputAsset>JobInputAsset(1)</inputAsset>"           \
  "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\n"

typedef struct
{
  char *tmpdir;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  gsize out_len;
  char *err;
} CliResult;

static void
cli_result_free (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("jobgraph-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->tmpdir, 0, NULL);
  const char *name;

  /* Only what the tests wrote: plain files, no subdirectories. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }

  g_assert_cmpint (g_rmdir (fixture->tmpdir), ==, 0);
  g_free (fixture->tmpdir);
}

static const char *
get_cli_path (void)
{
  const char *path = g_getenv ("JOBGRAPH_CLI");

  return path != NULL && path[0] != '\0' ? path : JOBGRAPH_CLI_PATH;
}

static char *
dup_seed_path (const char *name)
{
  const char *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "tests", "data", "seed", name, NULL);

  return g_test_build_filename (G_TEST_DIST, "data", "seed", name, NULL);
}

static char *
dup_seed_contents (const char *name)
{
  g_autofree char *path = dup_seed_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

/* Writes @name in the fixture's directory, where the CLI runs. */
static void
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
read_file (Fixture    *fixture,
           const char *name,
           gsize      *length)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static gboolean
file_exists (Fixture    *fixture,
             const char *name)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Runs jobgraph-cli with @args in @cwd (or the current directory), feeding
 * it @input (or nothing) on standard input.
 */
static CliResult *
run_cli_argv (const char        *cwd,
              const char        *input,
              const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;
  CliResult  *result;
  gsize       size;
  const char *data;

  g_ptr_array_add (argv, (char *)get_cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Untranslated messages, whatever the machine's language. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &error);
  g_assert_no_error (error);

  stdin_bytes = g_bytes_new (input ? input : "", input ? strlen (input) : 0);
  g_subprocess_communicate (process, stdin_bytes, NULL, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);

  result = g_new0 (CliResult, 1);

  data = g_bytes_get_data (stdout_bytes, &size);
  result->out = g_strndup (data ? data : "", size);
  result->out_len = size;
  data = g_bytes_get_data (stderr_bytes, &size);
  result->err = g_strndup (data ? data : "", size);

  /* A crash is never an acceptable answer to bad input. */
  if (!g_subprocess_get_if_exited (process))
    g_error ("jobgraph-cli was killed by signal %d; stderr:\n%s",
             g_subprocess_get_term_sig (process), result->err);

  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", result->status, result->out, result->err);

  return result;
}

static CliResult *
run_cli_va (const char *cwd,
            const char *input,
            va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;

  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *)arg);
  g_ptr_array_add (argv, NULL);

  return run_cli_argv (cwd, input, (const char *const *)argv->pdata);
}

G_GNUC_NULL_TERMINATED
static CliResult *
run_cli (Fixture *fixture,
         ...)
{
  CliResult *result;
  va_list    args;

  va_start (args, fixture);
  result = run_cli_va (fixture ? fixture->tmpdir : NULL, NULL, args);
  va_end (args);

  return result;
}

G_GNUC_NULL_TERMINATED
static CliResult *
run_cli_with_input (Fixture    *fixture,
                    const char *input,
                    ...)
{
  CliResult *result;
  va_list    args;

  va_start (args, input);
  result = run_cli_va (fixture->tmpdir, input, args);
  va_end (args);

  return result;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));

  return json_node_copy (json_parser_get_root (parser));
}

/* Splits standard output into its lines, without the last newline. */
static GStrv
split_lines (const char *text)
{
  g_autofree char *copy = g_strdup (text);

  g_assert_true (copy[0] == '\0' || g_str_has_suffix (copy, "\n"));
  if (copy[0] != '\0')
    copy[strlen (copy) - 1] = '\0';
  else
    return g_new0 (char *, 1);

  return g_strsplit (copy, "\n", -1);
}

static void
assert_usage_error (CliResult  *result,
                    const char *mentions)
{
  g_assert_cmpint (result->status, ==, 2);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "--help"));
  if (mentions != NULL)
    g_assert_nonnull (strstr (result->err, mentions));
}

/* Help and usage */

static void
test_help_top (void)
{
  g_autoptr(CliResult) help = run_cli (NULL, "--help", NULL);
  g_autoptr(CliResult) help_command = run_cli (NULL, "help", NULL);
  g_autoptr(CliResult) version = run_cli (NULL, "--version", NULL);
  const char *names[] = { "validate", "export", "import", "--version" };

  g_assert_cmpint (help->status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (strstr (help->out, names[i]));

  g_assert_cmpint (help_command->status, ==, 0);
  g_assert_cmpstr (help_command->out, ==, help->out);

  g_assert_cmpint (version->status, ==, 0);
  g_assert_true (g_str_has_prefix (version->out, "jobgraph-cli " PACKAGE_VERSION "\n"));
}

static void
test_help_commands (void)
{
  static const struct
  {
    const char *command;
    const char *options[9];
  } commands[] = {
    { "validate", { "--json", "--api-version", "FILE", NULL } },
    { "export", { "--as", "--output", "--inputs", "--base-uri", "--light", "--task", "--force", "--api-version", NULL } },
    { "import", { "--output", "FILE", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = g_strdup_printf ("jobgraph-cli %s", commands[i].command);
      g_autoptr(CliResult) help = run_cli (NULL, commands[i].command, "--help", NULL);
      g_autoptr(CliResult) help_command = run_cli (NULL, "help", commands[i].command, NULL);

      g_assert_cmpint (help->status, ==, 0);
      g_assert_cmpstr (help->err, ==, "");
      g_assert_nonnull (strstr (help->out, usage));
      g_assert_nonnull (strstr (help->out, "Examples:"));
      g_assert_nonnull (strstr (help->out, "Exit status"));
      for (guint j = 0; commands[i].options[j] != NULL; j++)
        g_assert_nonnull (strstr (help->out, commands[i].options[j]));

      g_assert_cmpint (help_command->status, ==, 0);
      g_assert_cmpstr (help_command->out, ==, help->out);
    }
}

static void
test_usage_errors (Fixture      *fixture,
                   gconstpointer data)
{
  write_file (fixture, "job.json", CLEAN_JOB);

  {
    g_autoptr(CliResult) result = run_cli (fixture, NULL);
    assert_usage_error (result, NULL);
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "frobnicate", "job.json", NULL);
    assert_usage_error (result, "frobnicate");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "--frobnicate", NULL);
    assert_usage_error (result, "--frobnicate");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "validate", NULL);
    assert_usage_error (result, "jobgraph-cli validate --help");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "validate", "--frobnicate", "job.json", NULL);
    assert_usage_error (result, "--frobnicate");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "validate", "--api-version", "latest", "job.json", NULL);
    assert_usage_error (result, "latest");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "job.json", NULL);
    assert_usage_error (result, "--as");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "job.json", "--as", "movie", NULL);
    assert_usage_error (result, "movie");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "job.json", "job.json", "--as", "job", NULL);
    assert_usage_error (result, NULL);
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "job.json", "--as", "job", "--inputs", "asset-1", NULL);
    assert_usage_error (result, "asset-1");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "job.json", "--as", "template", "--inputs", ASSET_ID, NULL);
    assert_usage_error (result, "--inputs");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "job.json", "--as", "job", "--task", "1", NULL);
    assert_usage_error (result, "--task");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "job.json", "--as", "taskbody", "--task", "one", NULL);
    assert_usage_error (result, "one");
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "import", NULL);
    assert_usage_error (result, "jobgraph-cli import --help");
  }
}

/* validate */

static void
test_validate_clean (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr(CliResult) result = NULL;

  write_file (fixture, "clean.json", CLEAN_JOB);
  result = run_cli (fixture, "validate", "clean.json", NULL);

  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->out, ==, "");
}

static void
test_validate_warnings (Fixture      *fixture,
                        gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = run_cli (fixture, "validate", seed, NULL);
  g_auto(GStrv) lines = split_lines (result->out);
  g_autofree char *prefix = g_strdup_printf ("%s: warning: ", seed);

  /* The seed uses a retired processor: warnings, and still exit 0. */
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpuint (g_strv_length (lines), >, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], prefix));
}

static void
test_validate_line_format (Fixture      *fixture,
                           gconstpointer data)
{
  g_autoptr(CliResult) human = NULL;
  g_autoptr(CliResult) json = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *diagnostic;

  write_file (fixture, "broken.json", OUT_OF_RANGE_JOB);
  human = run_cli (fixture, "validate", "broken.json", NULL);
  json = run_cli (fixture, "validate", "--json", "broken.json", NULL);

  g_assert_cmpint (human->status, ==, 1);
  g_assert_cmpint (json->status, ==, 1);

  /* The message is the core's sentence; the rest of the line is ours. */
  root = parse_json (json->out);
  diagnostic = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "diagnostics"), 0);
  g_assert_cmpstr (json_object_get_string_member (diagnostic, "code"), ==, "input-out-of-range");

  expected = g_strdup_printf ("broken.json: error: input-out-of-range: %s (Tasks[0] “Encode”, inputAsset[0], JobInputAsset(5))",
                              json_object_get_string_member (diagnostic, "message"));
  lines = split_lines (human->out);
  g_assert_cmpstr (lines[0], ==, expected);
}

static void
test_validate_line_without_location (Fixture      *fixture,
                                     gconstpointer data)
{
  g_autoptr(CliResult) human = NULL;
  g_autoptr(CliResult) json = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *diagnostic;

  write_file (fixture, "empty.json", NO_TASKS_JOB);
  human = run_cli (fixture, "validate", "empty.json", NULL);
  json = run_cli (fixture, "validate", "--json", "empty.json", NULL);

  g_assert_cmpint (human->status, ==, 1);

  root = parse_json (json->out);
  diagnostic = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "diagnostics"), 0);
  g_assert_cmpstr (json_object_get_string_member (diagnostic, "code"), ==, "no-tasks");

  /* A problem of the whole job has no location, and no parentheses. */
  expected = g_strdup_printf ("empty.json: error: no-tasks: %s", json_object_get_string_member (diagnostic, "message"));
  lines = split_lines (human->out);
  g_assert_cmpstr (lines[0], ==, expected);
}

static void
test_validate_json (Fixture      *fixture,
                    gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = NULL;
  g_auto(GStrv) lines = NULL;

  write_file (fixture, "broken.json", OUT_OF_RANGE_JOB);
  result = run_cli (fixture, "validate", "--json", seed, "broken.json", NULL);

  g_assert_cmpint (result->status, ==, 1);

  /* JSON Lines: one object per file, one per line. */
  lines = split_lines (result->out);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) root = parse_json (lines[i]);
      JsonObject *object;
      JsonArray  *diagnostics;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
      object = json_node_get_object (root);

      g_assert_cmpstr (json_object_get_string_member (object, "file"), ==, i == 0 ? seed : "broken.json");
      g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "job");
      g_assert_true (json_object_get_boolean_member (object, "valid") == (i == 0));
      g_assert_false (json_object_has_member (object, "error"));

      diagnostics = json_object_get_array_member (object, "diagnostics");
      g_assert_nonnull (diagnostics);

      for (guint j = 0; j < json_array_get_length (diagnostics); j++)
        {
          JsonObject *diagnostic = json_array_get_object_element (diagnostics, j);
          const char *severity = json_object_get_string_member (diagnostic, "severity");

          g_assert_true (g_strcmp0 (severity, "error") == 0 || g_strcmp0 (severity, "warning") == 0);
          g_assert_nonnull (json_object_get_string_member (diagnostic, "code"));
          g_assert_nonnull (json_object_get_string_member (diagnostic, "message"));
          g_assert_nonnull (json_object_get_object_member (diagnostic, "location"));
        }

      if (i == 1)
        {
          JsonObject *diagnostic = json_array_get_object_element (diagnostics, 0);
          JsonObject *location = json_object_get_object_member (diagnostic, "location");

          g_assert_cmpstr (json_object_get_string_member (diagnostic, "severity"), ==, "error");
          g_assert_cmpstr (json_object_get_string_member (diagnostic, "code"), ==, "input-out-of-range");
          g_assert_cmpint (json_object_get_int_member (location, "task"), ==, 0);
          g_assert_cmpint (json_object_get_int_member (location, "inputAsset"), ==, 5);
        }
    }
}

static void
test_validate_malformed_json (Fixture      *fixture,
                              gconstpointer data)
{
  g_autoptr(CliResult) human = NULL;
  g_autoptr(CliResult) json = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *error;

  write_file (fixture, "bad.json", BAD_JSON);
  human = run_cli (fixture, "validate", "bad.json", NULL);
  json = run_cli (fixture, "validate", "--json", "bad.json", NULL);

  /* Unparseable: exit 2, nothing on stdout, FILE:LINE:COLUMN on stderr. */
  g_assert_cmpint (human->status, ==, 2);
  g_assert_cmpstr (human->out, ==, "");
  regex = g_regex_new ("^jobgraph-cli: bad\\.json:3:[1-9][0-9]*: .+\n$", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, human->err, 0, NULL));

  g_assert_cmpint (json->status, ==, 2);
  g_assert_cmpstr (json->err, ==, human->err);
  root = parse_json (json->out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "file"), ==, "bad.json");
  g_assert_false (json_object_get_boolean_member (object, "valid"));
  error = json_object_get_object_member (object, "error");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (human->err, json_object_get_string_member (error, "message")));
  g_assert_cmpint (json_object_get_int_member (error, "line"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (error, "column"), >, 0);
}

static void
test_validate_unknown_format (Fixture      *fixture,
                              gconstpointer data)
{
  g_autoptr(CliResult) human = NULL;
  g_autoptr(CliResult) json = NULL;
  g_autoptr(JsonNode) root = NULL;

  write_file (fixture, "notes.txt", "Encode the trailer in 720p.\n");
  human = run_cli (fixture, "validate", "notes.txt", NULL);
  json = run_cli (fixture, "validate", "--json", "notes.txt", NULL);

  g_assert_cmpint (human->status, ==, 2);
  g_assert_cmpstr (human->out, ==, "");
  g_assert_true (g_str_has_prefix (human->err, "jobgraph-cli: notes.txt:"));

  g_assert_cmpint (json->status, ==, 2);
  root = parse_json (json->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==, "unknown");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "valid"));
}

static void
test_validate_unreadable (Fixture      *fixture,
                          gconstpointer data)
{
  g_autoptr(CliResult) result = NULL;
  g_auto(GStrv) lines = NULL;

  write_file (fixture, "broken.json", OUT_OF_RANGE_JOB);
  result = run_cli (fixture, "validate", "missing.json", "broken.json", NULL);

  /* The other files are still checked; the worst status wins. */
  g_assert_cmpint (result->status, ==, 2);
  g_assert_true (g_str_has_prefix (result->err, "jobgraph-cli: missing.json: "));
  lines = split_lines (result->out);
  g_assert_true (g_str_has_prefix (lines[0], "broken.json: error: "));
}

static void
test_validate_exit_status (Fixture      *fixture,
                           gconstpointer data)
{
  write_file (fixture, "clean.json", CLEAN_JOB);
  write_file (fixture, "broken.json", OUT_OF_RANGE_JOB);
  write_file (fixture, "bad.json", BAD_JSON);

  {
    g_autoptr(CliResult) result = run_cli (fixture, "validate", "clean.json", "clean.json", NULL);
    g_assert_cmpint (result->status, ==, 0);
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "validate", "clean.json", "broken.json", NULL);
    g_assert_cmpint (result->status, ==, 1);
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "validate", "bad.json", "broken.json", NULL);
    g_assert_cmpint (result->status, ==, 2);
  }
}

static void
test_validate_stdin (Fixture      *fixture,
                     gconstpointer data)
{
  g_autofree char *seed = dup_seed_contents ("chained-job.json");
  g_autoptr(CliResult) human = run_cli_with_input (fixture, seed, "validate", "-", NULL);
  g_autoptr(CliResult) json = run_cli_with_input (fixture, CLEAN_JOB, "validate", "--json", "-", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = split_lines (human->out);

  g_assert_cmpint (human->status, ==, 0);
  g_assert_cmpuint (g_strv_length (lines), >, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], "<stdin>: warning: "));

  g_assert_cmpint (json->status, ==, 0);
  root = parse_json (json->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "file"), ==, "<stdin>");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "valid"));
}

static void
test_validate_api_version (Fixture      *fixture,
                           gconstpointer data)
{
  g_autoptr(CliResult) current = NULL;
  g_autoptr(CliResult) old = NULL;

  write_file (fixture, "twice.json", WRITTEN_TWICE_JOB);
  current = run_cli (fixture, "validate", "twice.json", NULL);
  old = run_cli (fixture, "validate", "--api-version", "2.11", "twice.json", NULL);

  g_assert_cmpint (current->status, ==, 0);
  g_assert_true (g_str_has_prefix (current->out, "twice.json: warning: output-written-twice: "));
  g_assert_cmpint (old->status, ==, 1);
  g_assert_true (g_str_has_prefix (old->out, "twice.json: error: output-written-twice: "));
}

/* export */

static void
test_export_job (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = run_cli (fixture, "export", seed, "--as", "job", NULL);
  g_autoptr(CliResult) to_file = run_cli (fixture, "export", seed, "--as", "job", "-o", "job.json", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *written = NULL;
  JsonObject      *job;
  JsonArray       *inputs;
  JsonObject      *metadata;

  g_assert_cmpint (result->status, ==, 0);
  g_assert_null (strstr (result->err, ": error: "));

  root = parse_json (result->out);
  job = json_node_get_object (root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (job, "Tasks")), ==, 2);
  inputs = json_object_get_array_member (job, "InputMediaAssets");
  g_assert_cmpuint (json_array_get_length (inputs), ==, 1);
  metadata = json_object_get_object_member (json_array_get_object_element (inputs, 0), "__metadata");
  g_assert_cmpstr (json_object_get_string_member (metadata, "uri"), ==, ASSET_URI);

  /* -o writes the same bytes, and nothing on stdout. */
  g_assert_cmpint (to_file->status, ==, 0);
  g_assert_cmpstr (to_file->out, ==, "");
  written = read_file (fixture, "job.json", NULL);
  g_assert_cmpstr (written, ==, result->out);
}

static void
test_export_job_options (Fixture      *fixture,
                         gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) based = run_cli (fixture, "export", seed, "--as", "job", "--base-uri", "https://media.example.org/api/", NULL);
  g_autoptr(CliResult) light = run_cli (fixture, "export", seed, "--as", "job", "--light", NULL);
  g_autoptr(JsonNode) based_root = NULL;
  g_autoptr(JsonNode) light_root = NULL;
  JsonArray *inputs;
  JsonArray *binds;

  g_assert_cmpint (based->status, ==, 0);
  based_root = parse_json (based->out);
  inputs = json_object_get_array_member (json_node_get_object (based_root), "InputMediaAssets");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (inputs, 0), "__metadata"), "uri"),
                                   "https://media.example.org/api/Assets("));

  g_assert_cmpint (light->status, ==, 0);
  light_root = parse_json (light->out);
  binds = json_object_get_array_member (json_node_get_object (light_root), "InputMediaAssets@odata.bind");
  g_assert_nonnull (binds);
  g_assert_cmpstr (json_array_get_string_element (binds, 0), ==, ASSET_URI);
}

static void
test_export_unbound_inputs (Fixture      *fixture,
                            gconstpointer data)
{
  write_file (fixture, "body.xml", TWO_INPUT_TASK_BODY);

  /* A lone TaskBody names no processor: as a Job body that is an error,
   * so it is not exported without --force.
   */
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "body.xml", "--as", "job", NULL);

    g_assert_cmpint (result->status, ==, 1);
    g_assert_cmpstr (result->out, ==, "");
    g_assert_nonnull (strstr (result->err, "missing-media-processor"));
  }

  /* Job inputs bound to nothing: the user must give --inputs (exit 2). */
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "body.xml", "--as", "job", "--force", "-o", "job.json", NULL);

    g_assert_cmpint (result->status, ==, 2);
    g_assert_cmpstr (result->out, ==, "");
    g_assert_nonnull (strstr (result->err, "jobgraph-cli: body.xml: "));
    g_assert_nonnull (strstr (result->err, "JobInputAsset(0)"));
    g_assert_nonnull (strstr (result->err, "--inputs"));
    g_assert_false (file_exists (fixture, "job.json"));
  }

  /* Too few ids. */
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "body.xml", "--as", "job", "--force", "--inputs", ASSET_ID, NULL);

    g_assert_cmpint (result->status, ==, 2);
    g_assert_cmpstr (result->out, ==, "");
    g_assert_nonnull (strstr (result->err, "jobgraph-cli: body.xml: "));
  }

  /* Repeated, or comma-separated: the same body. */
  {
    g_autoptr(CliResult) repeated = run_cli (fixture, "export", "body.xml", "--as", "job", "--force",
                                              "--inputs", ASSET_ID, "--inputs", ASSET_ID_2, NULL);
    g_autoptr(CliResult) listed = run_cli (fixture, "export", "body.xml", "--as", "job", "--force",
                                            "--inputs", ASSET_ID "," ASSET_ID_2, NULL);
    g_autoptr(JsonNode) root = NULL;
    JsonArray *inputs;

    g_assert_cmpint (repeated->status, ==, 0);
    g_assert_cmpint (listed->status, ==, 0);
    g_assert_cmpstr (listed->out, ==, repeated->out);

    root = parse_json (repeated->out);
    inputs = json_object_get_array_member (json_node_get_object (root), "InputMediaAssets");
    g_assert_cmpuint (json_array_get_length (inputs), ==, 2);
    g_assert_nonnull (strstr (repeated->out, "nb%3Acid%3AUUID%3A910ffdc1-2e25-4b17-8a42-61ffd4b8914c"));
    g_assert_nonnull (strstr (repeated->out, "nb%3Acid%3AUUID%3A2a22445d-1500-80c6-4b34-f1e5190d33c6"));
  }

  /* --inputs also replaces the assets a body names. */
  {
    g_autofree char *seed = dup_seed_path ("chained-job.json");
    g_autoptr(CliResult) result = run_cli (fixture, "export", seed, "--as", "batch", "--inputs", ASSET_ID_2, NULL);

    g_assert_cmpint (result->status, ==, 0);
    g_assert_nonnull (strstr (result->out, "nb%3Acid%3AUUID%3A2a22445d-1500-80c6-4b34-f1e5190d33c6"));
    g_assert_null (strstr (result->out, "910ffdc1"));
  }
}

static void
test_export_batch (Fixture      *fixture,
                   gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = run_cli (fixture, "export", seed, "--as", "batch", "-o", "job.batch", NULL);
  g_autoptr(CliResult) check = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->out, ==, "");

  /* The $batch body reads back as a valid job (warnings allowed). */
  check = run_cli (fixture, "validate", "--json", "job.batch", NULL);
  g_assert_cmpint (check->status, ==, 0);
  root = parse_json (check->out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "batch");
  g_assert_true (json_object_get_boolean_member (object, "valid"));
}

static void
test_export_refuses_errors (Fixture      *fixture,
                            gconstpointer data)
{
  g_autoptr(CliResult) refused = NULL;
  g_autoptr(CliResult) forced = NULL;
  g_autoptr(JsonNode) root = NULL;

  write_file (fixture, "broken.json", OUT_OF_RANGE_JOB);
  refused = run_cli (fixture, "export", "broken.json", "--as", "job", "-o", "out.json", NULL);
  forced = run_cli (fixture, "export", "broken.json", "--as", "job", "--force", NULL);

  g_assert_cmpint (refused->status, ==, 1);
  g_assert_cmpstr (refused->out, ==, "");
  g_assert_true (g_str_has_prefix (refused->err, "broken.json: error: input-out-of-range: "));
  g_assert_nonnull (strstr (refused->err, "--force"));
  g_assert_false (file_exists (fixture, "out.json"));

  g_assert_cmpint (forced->status, ==, 0);
  g_assert_true (g_str_has_prefix (forced->err, "broken.json: error: input-out-of-range: "));
  root = parse_json (forced->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
}

static void
test_export_task_body (Fixture      *fixture,
                       gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) second = run_cli (fixture, "export", seed, "--as", "taskbody", "--task", "1", NULL);
  g_autoptr(CliResult) missing = run_cli (fixture, "export", seed, "--as", "taskbody", "--task", "2", NULL);
  g_autoptr(CliResult) check = NULL;

  g_assert_cmpint (second->status, ==, 0);
  g_assert_nonnull (strstr (second->out, "<inputAsset>JobOutputAsset(0)</inputAsset>"));
  g_assert_nonnull (strstr (second->out, "<outputAsset>JobOutputAsset(1)</outputAsset>"));

  /* A task that is not there is a usage error. */
  g_assert_cmpint (missing->status, ==, 2);
  g_assert_cmpstr (missing->out, ==, "");
  g_assert_nonnull (strstr (missing->err, seed));

  /* The first task's body reads back as a TaskBody. */
  {
    g_autoptr(CliResult) first = run_cli (fixture, "export", seed, "--as", "taskbody", "-o", "first.xml", NULL);
    g_autoptr(JsonNode) root = NULL;

    g_assert_cmpint (first->status, ==, 0);
    check = run_cli (fixture, "validate", "--json", "first.xml", NULL);
    g_assert_cmpint (check->status, ==, 0);
    root = parse_json (check->out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==, "taskbody");
  }
}

static void
test_export_template (Fixture      *fixture,
                      gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = run_cli (fixture, "export", seed, "--as", "template", "-o", "template.json", NULL);
  g_autoptr(CliResult) check = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (result->status, ==, 0);

  check = run_cli (fixture, "validate", "--json", "template.json", NULL);
  g_assert_cmpint (check->status, ==, 0);
  root = parse_json (check->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==, "template");
}

/* import */

static void
test_import_document (Fixture      *fixture,
                      gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = run_cli (fixture, "import", seed, "-o", "chained.jobgraph", NULL);
  g_autoptr(CliResult) to_stdout = run_cli (fixture, "import", seed, NULL);
  g_autoptr(CliResult) exported = run_cli (fixture, "export", seed, "--as", "jobgraph", NULL);
  g_autoptr(CliResult) check = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *written = NULL;
  JsonObject      *object;

  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_cmpstr (result->err, ==, "");

  check = run_cli (fixture, "validate", "--json", "chained.jobgraph", NULL);
  g_assert_cmpint (check->status, ==, 0);
  root = parse_json (check->out);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "jobgraph");
  g_assert_true (json_object_get_boolean_member (object, "valid"));

  /* Without -o, and with export --as jobgraph: the same document. */
  written = read_file (fixture, "chained.jobgraph", NULL);
  g_assert_cmpint (to_stdout->status, ==, 0);
  g_assert_cmpstr (to_stdout->out, ==, written);
  g_assert_cmpint (exported->status, ==, 0);
  g_assert_cmpstr (exported->out, ==, written);
}

static void
test_import_every_seed (Fixture      *fixture,
                        gconstpointer data)
{
  const char *seeds[] = { "chained-job.json", "single-task-job.json", "batch-job.batch", "job-template.json" };

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autofree char *seed = dup_seed_path (seeds[i]);
      g_autoptr(CliResult) result = run_cli (fixture, "import", seed, "-o", "seed.jobgraph", NULL);
      g_autoptr(CliResult) check = NULL;

      g_assert_cmpint (result->status, ==, 0);
      check = run_cli (fixture, "validate", "seed.jobgraph", NULL);
      g_assert_cmpint (check->status, ==, 0);
    }
}

static void
test_import_broken_body (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) check = NULL;

  write_file (fixture, "broken-body.json", MALFORMED_BODY_JOB);
  result = run_cli (fixture, "import", "broken-body.json", "-o", "broken.jobgraph", NULL);

  /* The problem is shown, and the document is written so it can be fixed. */
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_true (g_str_has_prefix (result->err, "broken-body.json: error: malformed-task-body: "));
  g_assert_true (file_exists (fixture, "broken.jobgraph"));

  /* It reads back: the graph has errors (1), it is not unreadable (2). */
  check = run_cli (fixture, "validate", "broken.jobgraph", NULL);
  g_assert_cmpint (check->status, ==, 1);
}

static void
test_import_unparseable (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr(CliResult) result = NULL;

  write_file (fixture, "bad.json", BAD_JSON);
  result = run_cli (fixture, "import", "bad.json", "-o", "bad.jobgraph", NULL);

  g_assert_cmpint (result->status, ==, 2);
  g_assert_true (g_str_has_prefix (result->err, "jobgraph-cli: bad.json:3:"));
  g_assert_false (file_exists (fixture, "bad.jobgraph"));
}

/* Round trip */

static void
test_round_trip (Fixture      *fixture,
                 gconstpointer data)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize            first_len, second_len;

  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", seed, "--as", "job", "-o", "first.json", NULL);
    g_assert_cmpint (result->status, ==, 0);
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "import", "first.json", "-o", "first.jobgraph", NULL);
    g_assert_cmpint (result->status, ==, 0);
  }
  {
    g_autoptr(CliResult) result = run_cli (fixture, "export", "first.jobgraph", "--as", "job", "-o", "second.json", NULL);
    g_assert_cmpint (result->status, ==, 0);
  }

  first = read_file (fixture, "first.json", &first_len);
  second = read_file (fixture, "second.json", &second_len);
  g_assert_cmpmem (first, first_len, second, second_len);
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/cli/help/top", test_help_top);
  g_test_add_func ("/jobgraph/cli/help/commands", test_help_commands);
  add_test ("/jobgraph/cli/usage-errors", test_usage_errors);

  add_test ("/jobgraph/cli/validate/clean", test_validate_clean);
  add_test ("/jobgraph/cli/validate/warnings", test_validate_warnings);
  add_test ("/jobgraph/cli/validate/line-format", test_validate_line_format);
  add_test ("/jobgraph/cli/validate/line-without-location", test_validate_line_without_location);
  add_test ("/jobgraph/cli/validate/json", test_validate_json);
  add_test ("/jobgraph/cli/validate/malformed-json", test_validate_malformed_json);
  add_test ("/jobgraph/cli/validate/unknown-format", test_validate_unknown_format);
  add_test ("/jobgraph/cli/validate/unreadable", test_validate_unreadable);
  add_test ("/jobgraph/cli/validate/exit-status", test_validate_exit_status);
  add_test ("/jobgraph/cli/validate/stdin", test_validate_stdin);
  add_test ("/jobgraph/cli/validate/api-version", test_validate_api_version);

  add_test ("/jobgraph/cli/export/job", test_export_job);
  add_test ("/jobgraph/cli/export/job-options", test_export_job_options);
  add_test ("/jobgraph/cli/export/unbound-inputs", test_export_unbound_inputs);
  add_test ("/jobgraph/cli/export/batch", test_export_batch);
  add_test ("/jobgraph/cli/export/refuses-errors", test_export_refuses_errors);
  add_test ("/jobgraph/cli/export/task-body", test_export_task_body);
  add_test ("/jobgraph/cli/export/template", test_export_template);

  add_test ("/jobgraph/cli/import/document", test_import_document);
  add_test ("/jobgraph/cli/import/every-seed", test_import_every_seed);
  add_test ("/jobgraph/cli/import/broken-body", test_import_broken_body);
  add_test ("/jobgraph/cli/import/unparseable", test_import_unparseable);

  add_test ("/jobgraph/cli/round-trip", test_round_trip);

  return g_test_run ();
}
