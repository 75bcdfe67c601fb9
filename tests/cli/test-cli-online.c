/* test-cli-online.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-online"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* The online commands of the real jobgraph-cli against the real
 * jobgraph-emulator, each in its own process, as a user would run them.
 * One emulator (fast: --speed 1000) serves every test; the cancel test
 * starts a slow one of its own so that its job is still running when it
 * is canceled.
 */

#define TOKEN "test-token"

#define MES_ID    "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"
#define ASSET_URI "https://media.windows.net/api/Assets('nb%3Acid%3AUUID%3A910ffdc1-2e25-4b17-8a42-61ffd4b8914c')"

/* A job whose only task reads JobInputAsset(5) of a one-input job. */
#define OUT_OF_RANGE_JOB                                                             \
  "{\"Name\": \"Broken\",\n"                                                         \
  " \"InputMediaAssets\": [{\"__metadata\": {\"uri\": \"" ASSET_URI "\"}}],\n"       \
  " \"Tasks\": [{\"Name\": \"Encode\", \"Configuration\": \"Adaptive Streaming\",\n" \
  "   \"MediaProcessorId\": \"" MES_ID "\",\n"                                       \
  "   \"TaskBody\": \"<taskBody><inputAsset>JobInputAsset(5)</inputAsset>"           \
  "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"}]}\n"

typedef struct
{
  GSubprocess *process;
  char        *data_dir;
  char        *endpoint;
  char        *root;
} Emulator;

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static Emulator *emulator;
static char     *system_data_dirs;
static char     *asset_a;
static char     *asset_b;

static void
cli_result_free (CliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

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

  return g_test_build_filename (G_TEST_DIST, "..", "data", "seed", name, NULL);
}

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    {
      g_autofree char *child_path = g_file_get_path (child);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child_path);
      else
        g_remove (child_path);
    }

  g_rmdir (path);
}

/* A failed assertion aborts the test without a teardown: the emulator
 * must not outlive it (it would hold the test's pipes open).
 */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts jobgraph-emulator on port 0 with a couple of small assets and
 * waits for its "listening on" line.
 */
static Emulator *
emulator_start (const char *speed)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *assets = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  Emulator *self = g_new0 (Emulator, 1);

  self->data_dir = g_dir_make_tmp ("jobgraph-cli-online-XXXXXX", &error);
  g_assert_no_error (error);

  assets = g_build_filename (self->data_dir, "assets", NULL);
  g_assert_cmpint (g_mkdir (assets, 0700), ==, 0);
  path = g_build_filename (assets, "a.mp4", NULL);
  write_file (path, "not really a movie");
  g_free (path);
  path = g_build_filename (assets, "b.mp4", NULL);
  write_file (path, "not really a movie either");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error,
                                               EMULATOR_PATH, "--port", "0",
                                               "--data-dir", self->data_dir,
                                               "--token", TOKEN, "--speed", speed, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));

  self->root = g_strdup (line + strlen ("listening on "));
  self->endpoint = g_strconcat (self->root, "api/", NULL);

  return self;
}

static void
emulator_stop (Emulator *self)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (self->process);

  remove_tree (self->data_dir);
  g_free (self->data_dir);
  g_free (self->endpoint);
  g_free (self->root);
  g_free (self);
}

/* Runs jobgraph-cli with @argv (NULL-terminated), in an environment with
 * no connection variables except those of @env (NAME=VALUE pairs).
 */
static CliResult *
run_cli_env (const char * const *env,
             const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CliResult *result = g_new0 (CliResult, 1);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "JOBGRAPH_ENDPOINT");
  g_subprocess_launcher_unsetenv (launcher, "JOBGRAPH_TOKEN");
  g_subprocess_launcher_unsetenv (launcher, "JOBGRAPH_SECRET");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  /* No session bus, so that no test finds (or unlocks) a secret of the
   * developer's keyring; test-cli-keyring.sh tests the keyring.
   */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  /* G_TEST_OPTION_ISOLATE_DIRS hides the system's data dirs, and with them
   * the GSettings schemas that GIO's proxy resolver needs.
   */
  if (system_data_dirs != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "XDG_DATA_DIRS");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  g_ptr_array_add (args, (char *)get_cli_path ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (char *)argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)args->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);

  if (!g_subprocess_get_if_exited (process))
    g_error ("jobgraph-cli %s was killed by signal %d; stderr: %s",
             argv[0], g_subprocess_get_term_sig (process), result->err);
  result->status = g_subprocess_get_exit_status (process);

  g_test_message ("jobgraph-cli %s → %d\nstdout: %s\nstderr: %s",
                  argv[0], result->status, result->out, result->err);

  return result;
}

/* Runs jobgraph-cli against the shared emulator: @... are the arguments,
 * NULL-terminated; --endpoint and --token are appended.
 */
G_GNUC_NULL_TERMINATED
static CliResult *
run_online (const char *first,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *)arg);
  va_end (ap);

  g_ptr_array_add (args, (char *)"--endpoint");
  g_ptr_array_add (args, emulator->endpoint);
  g_ptr_array_add (args, (char *)"--token");
  g_ptr_array_add (args, (char *)TOKEN);
  g_ptr_array_add (args, NULL);

  return run_cli_env (NULL, (const char * const *)args->pdata);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

/* The jobs of `submit --json`. */
static JsonArray *
get_submitted_jobs (JsonNode *root)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_get_array_member (json_node_get_object (root), "jobs");
}

static guint
count_jobs (void)
{
  g_autoptr(CliResult) result = run_online ("jobs", "list", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (result->status, ==, 0);
  root = parse_json (result->out);

  return json_array_get_length (json_node_get_array (root));
}

/* Tests */

static void
test_processors (void)
{
  g_autoptr(CliResult) result = run_online ("processors", "list", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;
  gboolean found = FALSE;
  JsonArray *array;

  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->err, ==, "");

  root = parse_json (result->out);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *processor = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (processor, "name"), "Media Encoder Standard") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (processor, "id"), ==, MES_ID);
          found = TRUE;
        }
    }
  g_assert_true (found);

  {
    g_autoptr(CliResult) text = run_online ("processors", "list", NULL);

    g_assert_cmpint (text->status, ==, 0);
    g_assert_nonnull (strstr (text->out, MES_ID "\t"));
  }
}

/* Finds the ids of the seeded assets a.mp4 and b.mp4 with `assets list`. */
static void
ensure_assets (void)
{
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (asset_a != NULL && asset_b != NULL)
    return;

  result = run_online ("assets", "list", "--json", NULL);
  g_assert_cmpint (result->status, ==, 0);
  root = parse_json (result->out);
  array = json_node_get_array (root);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *asset = json_array_get_object_element (array, i);
      const char *name = json_object_get_string_member (asset, "name");

      if (g_strcmp0 (name, "a.mp4") == 0)
        {
          g_free (asset_a);
          asset_a = g_strdup (json_object_get_string_member (asset, "id"));
        }
      else if (g_strcmp0 (name, "b.mp4") == 0)
        {
          g_free (asset_b);
          asset_b = g_strdup (json_object_get_string_member (asset, "id"));
        }
    }

  g_assert_nonnull (asset_a);
  g_assert_nonnull (asset_b);
}

static void
test_assets (void)
{
  g_autoptr(CliResult) named = NULL;

  ensure_assets ();
  g_assert_true (g_str_has_prefix (asset_a, "nb:cid:UUID:"));

  named = run_online ("assets", "list", "--name", "b.mp4", NULL);
  g_assert_cmpint (named->status, ==, 0);
  g_assert_true (g_str_has_prefix (named->out, asset_b));
  g_assert_null (strstr (named->out, asset_a));
}

static char *
make_temp_file (const char *dir,
                const char *name,
                gsize       size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (char)(i * 7 + i / 251);

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *data_a = NULL;
  g_autofree char *data_b = NULL;
  gsize size_a, size_b;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (a, &data_a, &size_a, &error);
  g_assert_no_error (error);
  g_file_get_contents (b, &data_b, &size_b, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (data_a, size_a, data_b, size_b);
}

static void
test_assets_transfer (void)
{
  g_autofree char *work = g_dir_make_tmp ("jobgraph-cli-assets-XXXXXX", NULL);
  g_autofree char *clip = make_temp_file (work, "clip one.mp4", 300 * 1024 + 3);
  g_autofree char *notes = make_temp_file (work, "notes.txt", 10);
  g_autofree char *out = g_build_filename (work, "out", NULL);
  g_autofree char *out_clip = g_build_filename (out, "clip one.mp4", NULL);
  g_autoptr(CliResult) upload = NULL;
  g_autoptr(CliResult) named = NULL;
  g_autoptr(CliResult) files = NULL;
  g_autoptr(CliResult) files_json = NULL;
  g_autoptr(CliResult) download = NULL;
  g_autoptr(CliResult) listed = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *expected = NULL;
  JsonObject *file;

  /* One id per line, in the order of the files. */
  upload = run_online ("assets", "upload", clip, notes, NULL);
  g_assert_cmpint (upload->status, ==, 0);
  g_assert_cmpstr (upload->err, ==, "");
  ids = g_strsplit (upload->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  g_assert_true (g_str_has_prefix (ids[0], "nb:cid:UUID:"));
  g_assert_true (g_str_has_prefix (ids[1], "nb:cid:UUID:"));
  g_assert_cmpstr (ids[2], ==, "");

  listed = run_online ("assets", "list", "--name", "clip one.mp4", NULL);
  g_assert_cmpint (listed->status, ==, 0);
  g_assert_true (g_str_has_prefix (listed->out, ids[0]));

  named = run_online ("assets", "upload", notes, "--name", "Release Notes", "--json", NULL);
  g_assert_cmpint (named->status, ==, 0);
  root = parse_json (named->out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (root), 0),
                                                  "name"), ==, "Release Notes");
  g_clear_pointer (&root, json_node_unref);

  /* files: NAME SIZE TYPE PRIMARY, tab-separated. */
  files = run_online ("assets", "files", ids[0], NULL);
  g_assert_cmpint (files->status, ==, 0);
  expected = g_strdup_printf ("clip one.mp4\t%u\tvideo/mp4\tprimary\n", 300 * 1024 + 3);
  g_assert_cmpstr (files->out, ==, expected);

  files_json = run_online ("assets", "files", ids[1], "--json", NULL);
  g_assert_cmpint (files_json->status, ==, 0);
  root = parse_json (files_json->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  file = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (file, "name"), ==, "notes.txt");
  g_assert_cmpint (json_object_get_int_member (file, "size"), ==, 10);
  g_assert_true (json_object_get_boolean_member (file, "is_primary"));

  /* download makes the folder and prints each file written. */
  download = run_online ("assets", "download", ids[0], out, NULL);
  g_assert_cmpint (download->status, ==, 0);
  g_assert_nonnull (strstr (download->out, "clip one.mp4"));
  assert_same_file (clip, out_clip);
  {
    g_autofree char *part = g_strconcat (out_clip, ".part", NULL);

    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }

  remove_tree (work);
}

static void
test_assets_errors (void)
{
  g_autoptr(CliResult) no_file = run_online ("assets", "upload", NULL);
  g_autoptr(CliResult) two_names = run_online ("assets", "upload", "a", "b", "--name", "x", NULL);
  g_autoptr(CliResult) no_id = run_online ("assets", "files", NULL);
  g_autoptr(CliResult) no_dir = run_online ("assets", "download", "nb:cid:UUID:1", NULL);
  g_autoptr(CliResult) unknown = run_online ("assets", "frobnicate", NULL);
  g_autoptr(CliResult) missing = run_online ("assets", "upload", "/nonexistent/clip.mp4", NULL);
  g_autoptr(CliResult) no_asset = run_online ("assets", "files", "nb:cid:UUID:00000000-0000-0000-0000-000000000000",
                                              NULL);

  g_assert_cmpint (no_file->status, ==, 2);
  g_assert_nonnull (strstr (no_file->err, "needs at least one FILE"));
  g_assert_cmpint (two_names->status, ==, 2);
  g_assert_cmpint (no_id->status, ==, 2);
  g_assert_cmpint (no_dir->status, ==, 2);
  g_assert_cmpint (unknown->status, ==, 2);
  g_assert_nonnull (strstr (unknown->err, "frobnicate"));

  /* A file that is not there: nothing is uploaded, the message names it. */
  g_assert_cmpint (missing->status, ==, 2);
  g_assert_nonnull (strstr (missing->err, "/nonexistent/clip.mp4"));
  g_assert_cmpstr (missing->out, ==, "");

  /* The service's 404. */
  g_assert_cmpint (no_asset->status, ==, 1);
  g_assert_nonnull (strstr (no_asset->err, "Could not list the files of the asset"));
}

static void
test_submit_wait (void)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) show = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) job_root = NULL;
  JsonArray *jobs;
  JsonObject *job;
  JsonArray *tasks;
  const char *id;

  ensure_assets ();

  result = run_online ("submit", seed, "--inputs", asset_a, "--wait", "--json", NULL);
  g_assert_cmpint (result->status, ==, 0);

  root = parse_json (result->out);
  jobs = get_submitted_jobs (root);
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  job = json_array_get_object_element (jobs, 0);
  g_assert_cmpstr (json_object_get_string_member (job, "state"), ==, "Finished");
  id = json_object_get_string_member (job, "id");
  g_assert_true (g_str_has_prefix (id, "nb:jid:UUID:"));

  /* jobs show: both tasks of the chain, finished. */
  show = run_online ("jobs", "show", id, "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  job_root = parse_json (show->out);
  job = json_node_get_object (job_root);
  g_assert_cmpstr (json_object_get_string_member (job, "id"), ==, id);
  tasks = json_object_get_array_member (job, "tasks");
  g_assert_cmpuint (json_array_get_length (tasks), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);

      g_assert_cmpstr (json_object_get_string_member (task, "state"), ==, "Finished");
      g_assert_cmpfloat (json_object_get_double_member (task, "progress"), ==, 100.0);
    }

  /* jobs watch of a final job, piped: one line per task and the job. */
  {
    g_autoptr(CliResult) watch = run_online ("jobs", "watch", id, NULL);
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (watch->status, ==, 0);
    lines = g_strsplit (watch->out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_nonnull (strstr (lines[0], "Finished 100%"));
    g_assert_true (g_str_has_prefix (lines[2], id));
    g_assert_null (strstr (watch->out, "\033["));
  }
}

static void
test_submit_batch (void)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *jobs;
  guint before = count_jobs ();

  ensure_assets ();
  result = run_online ("submit", seed, "--inputs", asset_b, "--batch", "--wait", "--json", NULL);
  g_assert_cmpint (result->status, ==, 0);

  root = parse_json (result->out);
  jobs = get_submitted_jobs (root);
  g_assert_cmpuint (json_array_get_length (jobs), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (jobs, 0), "state"), ==, "Finished");
  g_assert_cmpuint (count_jobs (), ==, before + 1);
}

static void
test_submit_per_input (void)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  g_autofree char *ids = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *jobs;
  guint before = count_jobs ();

  ensure_assets ();
  ids = g_strjoin (",", asset_a, asset_b, asset_a, NULL);
  result = run_online ("submit", seed, "--inputs", ids, "--per-input", "--wait", "--json", NULL);
  g_assert_cmpint (result->status, ==, 0);

  root = parse_json (result->out);
  jobs = get_submitted_jobs (root);
  g_assert_cmpuint (json_array_get_length (jobs), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *job = json_array_get_object_element (jobs, i);

      g_assert_cmpstr (json_object_get_string_member (job, "state"), ==, "Finished");
      g_assert_true (g_hash_table_add (seen, (char *)json_object_get_string_member (job, "id")));
    }

  /* Exactly three more jobs: no duplicates. */
  g_assert_cmpuint (count_jobs (), ==, before + 3);

  /* Text output: a line per job. */
  {
    g_autoptr(CliResult) text = run_online ("submit", seed, "--inputs", ids, "--per-input", NULL);
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (text->status, ==, 0);
    lines = g_strsplit (text->out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);
    g_assert_true (g_str_has_prefix (lines[0], "nb:jid:UUID:"));
  }
}

static void
test_jobs_list (void)
{
  g_autoptr(CliResult) top = run_online ("jobs", "list", "--top", "1", NULL);
  g_autoptr(CliResult) finished = run_online ("jobs", "list", "--state", "Finished", "--json", NULL);
  g_autoptr(CliResult) bad_state = run_online ("jobs", "list", "--state", "Sleeping", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *array;

  g_assert_cmpint (top->status, ==, 0);
  lines = g_strsplit (top->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);

  g_assert_cmpint (finished->status, ==, 0);
  root = parse_json (finished->out);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), >, 0);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, i), "state"), ==,
                     "Finished");

  g_assert_cmpint (bad_state->status, ==, 2);
  g_assert_nonnull (strstr (bad_state->err, "Sleeping"));
}

static void
test_jobs_cancel (void)
{
  g_autofree char *seed = dup_seed_path ("chained-job.json");
  Emulator *slow = emulator_start ("0.001");
  g_autoptr(CliResult) assets = NULL;
  g_autoptr(CliResult) submit = NULL;
  g_autoptr(CliResult) cancel = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) watch = NULL;
  g_autoptr(CliResult) show = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) show_root = NULL;
  g_autofree char *asset = NULL;
  g_autofree char *id = NULL;
  const char *common[] = { "--endpoint", slow->endpoint, "--token", TOKEN };

#define SLOW(...) run_cli_env (NULL, (const char *[]){ __VA_ARGS__, common[0], common[1], common[2], common[3], NULL })

  assets = SLOW ("assets", "list", "--name", "a.mp4");
  g_assert_cmpint (assets->status, ==, 0);
  asset = g_strndup (assets->out, strcspn (assets->out, "\t"));

  submit = SLOW ("submit", seed, "--inputs", asset, "--json");
  g_assert_cmpint (submit->status, ==, 0);
  root = parse_json (submit->out);
  id = g_strdup (json_object_get_string_member (json_array_get_object_element (get_submitted_jobs (root), 0), "id"));

  cancel = SLOW ("jobs", "cancel", id);
  g_assert_cmpint (cancel->status, ==, 0);
  g_assert_nonnull (strstr (cancel->out, id));

  /* watch follows it to Canceled, which is not success. */
  watch = SLOW ("jobs", "watch", id);
  g_assert_cmpint (watch->status, ==, 1);
  g_assert_nonnull (strstr (watch->out, "Canceled"));

  show = SLOW ("jobs", "show", id, "--json");
  g_assert_cmpint (show->status, ==, 0);
  show_root = parse_json (show->out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (show_root), "state"), ==, "Canceled");

  /* A final job cannot be canceled: the service says why. */
  again = SLOW ("jobs", "cancel", id);
  g_assert_cmpint (again->status, ==, 1);
  g_assert_nonnull (strstr (again->err, "Canceled"));

#undef SLOW

  emulator_stop (slow);
}

static void
test_template (void)
{
  g_autofree char *seed = dup_seed_path ("job-template.json");
  g_autoptr(CliResult) save = run_online ("template", "save", seed, "--json", NULL);
  g_autoptr(CliResult) list = NULL;
  g_autoptr(CliResult) show = NULL;
  g_autoptr(CliResult) rm = NULL;
  g_autoptr(CliResult) gone = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) show_root = NULL;
  g_autofree char *id = NULL;
  JsonArray *task_templates;

  g_assert_cmpint (save->status, ==, 0);
  root = parse_json (save->out);
  id = g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
  g_assert_true (g_str_has_prefix (id, "nb:jtid:UUID:"));

  list = run_online ("template", "list", NULL);
  g_assert_cmpint (list->status, ==, 0);
  g_assert_nonnull (strstr (list->out, id));

  show = run_online ("template", "show", id, "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  show_root = parse_json (show->out);
  task_templates = json_object_get_array_member (json_node_get_object (show_root), "task_templates");
  g_assert_cmpuint (json_array_get_length (task_templates), >, 0);

  rm = run_online ("template", "rm", id, NULL);
  g_assert_cmpint (rm->status, ==, 0);

  gone = run_online ("template", "show", id, NULL);
  g_assert_cmpint (gone->status, ==, 1);
  g_assert_nonnull (strstr (gone->err, "jobgraph-cli template: "));
  g_assert_cmpstr (gone->out, ==, "");
}

static void
test_submit_invalid (void)
{
  g_autofree char *dir = g_dir_make_tmp ("jobgraph-cli-online-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(CliResult) result = NULL;
  guint before = count_jobs ();

  write_file (path, OUT_OF_RANGE_JOB);

  result = run_online ("submit", path, NULL);
  g_assert_cmpint (result->status, ==, 1);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "error"));
  g_assert_nonnull (strstr (result->err, "Not sent"));
  g_assert_cmpuint (count_jobs (), ==, before);

  g_remove (path);
  g_rmdir (dir);
}

static void
test_bad_token (void)
{
  const char *argv[] = { "processors", "list", "--endpoint", emulator->endpoint, "--token", "wrong", NULL };
  g_autoptr(CliResult) result = run_cli_env (NULL, argv);

  g_assert_cmpint (result->status, ==, 1);
  g_assert_cmpstr (result->out, ==, "");
  /* The service's own message, after what failed. */
  g_assert_true (g_str_has_prefix (result->err, "jobgraph-cli processors: Could not list the media processors: "));
  g_assert_nonnull (strstr (result->err, "token"));
}

static void
test_connection_errors (void)
{
  const char *none[] = { "assets", "list", NULL };
  const char *unreachable[] = { "assets", "list", "--endpoint", "http://127.0.0.1:1/api/", "--token", "x", NULL };
  const char *insecure[] = { "assets", "list", "--endpoint", "http://example.invalid/api/", "--token", "x", NULL };
  const char *env[] = { "JOBGRAPH_ENDPOINT", emulator->endpoint, "JOBGRAPH_TOKEN", TOKEN, NULL };
  g_autoptr(CliResult) no_account = run_cli_env (NULL, none);
  g_autoptr(CliResult) from_env = run_cli_env (env, none);
  g_autoptr(CliResult) refused = run_cli_env (NULL, unreachable);
  g_autoptr(CliResult) plain = run_cli_env (NULL, insecure);

  g_assert_cmpint (no_account->status, ==, 2);
  g_assert_nonnull (strstr (no_account->err, "no account: use --endpoint/--token or --account"));

  g_assert_cmpint (from_env->status, ==, 0);
  g_assert_nonnull (strstr (from_env->out, "a.mp4"));

  g_assert_cmpint (refused->status, ==, 2);
  g_assert_nonnull (strstr (refused->err, "Could not list the assets"));

  g_assert_cmpint (plain->status, ==, 2);
  g_assert_cmpstr (plain->out, ==, "");
}

static void
test_account (void)
{
  g_autofree char *config = g_dir_make_tmp ("jobgraph-cli-config-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (config, "jobgraph", NULL);
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autofree char *ini = NULL;
  const char *argv[] = { "processors", "list", "--account", "ci-bot", NULL };
  const char *acs_argv[] = { "assets", "list", "--account", "local", NULL };
  const char *leaky_argv[] = { "assets", "list", "--account", "leaky", NULL };
  const char *specific[] = { "XDG_CONFIG_HOME", config, "JOBGRAPH_SECRET_CI_BOT", TOKEN, NULL };
  const char *generic[] = { "XDG_CONFIG_HOME", config, "JOBGRAPH_SECRET", TOKEN, NULL };
  const char *no_secret[] = { "XDG_CONFIG_HOME", config, NULL };
  const char *acs_env[] = { "XDG_CONFIG_HOME", config, "JOBGRAPH_SECRET", "jobgraph-local-key", NULL };
  g_autoptr(CliResult) result = NULL;
  g_autoptr(CliResult) fallback = NULL;
  g_autoptr(CliResult) missing = NULL;
  g_autoptr(CliResult) acs = NULL;
  g_autoptr(CliResult) leaky = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  ini = g_strdup_printf ("[ci-bot]\n"
                         "endpoint=%s\n"
                         "auth=bearer\n"
                         "\n"
                         "[local]\n"
                         "endpoint=%s\n"
                         "auth=acs\n"
                         "token-url=%sv2/OAuth2-13\n"
                         "\n"
                         "[leaky]\n"
                         "endpoint=%s\n"
                         "auth=bearer\n"
                         "secret=oops\n",
                         emulator->endpoint, emulator->endpoint, emulator->root, emulator->endpoint);
  write_file (path, ini);

  result = run_cli_env (specific, argv);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_nonnull (strstr (result->out, MES_ID));

  fallback = run_cli_env (generic, argv);
  g_assert_cmpint (fallback->status, ==, 0);

  missing = run_cli_env (no_secret, argv);
  g_assert_cmpint (missing->status, ==, 2);
  g_assert_nonnull (strstr (missing->err, "JOBGRAPH_SECRET_CI_BOT"));

  /* ACS: the account key is exchanged for a token at the emulator. */
  acs = run_cli_env (acs_env, acs_argv);
  g_assert_cmpint (acs->status, ==, 0);
  g_assert_nonnull (strstr (acs->out, "a.mp4"));

  /* A secret in the file is refused, not used. */
  leaky = run_cli_env (acs_env, leaky_argv);
  g_assert_cmpint (leaky->status, ==, 2);
  g_assert_nonnull (strstr (leaky->err, "secret"));

  g_remove (path);
  g_rmdir (dir);
  g_rmdir (config);
}

static void
test_help (void)
{
  static const char * const commands[] = { "submit", "template", "jobs", "assets", "processors", "emulator" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *argv[] = { commands[i], "--help", NULL };
      g_autoptr(CliResult) result = run_cli_env (NULL, argv);

      g_assert_cmpint (result->status, ==, 0);
      g_assert_nonnull (strstr (result->out, "Usage:"));
      if (!g_str_equal (commands[i], "emulator"))
        g_assert_nonnull (strstr (result->out, "--endpoint"));
    }
}

static void
test_emulator_command (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("jobgraph-cli-emulator-XXXXXX", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *endpoint = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error,
                                         get_cli_path (), "emulator", "--port", "0", "--data-dir", data_dir,
                                         "--token", TOKEN, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));

  endpoint = g_strconcat (line + strlen ("listening on "), "api/", NULL);
  {
    const char *argv[] = { "processors", "list", "--endpoint", endpoint, "--token", TOKEN, NULL };
    g_autoptr(CliResult) result = run_cli_env (NULL, argv);

    g_assert_cmpint (result->status, ==, 0);
    g_assert_nonnull (strstr (result->out, MES_ID));
  }

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  remove_tree (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/cli/online/help", test_help);
  g_test_add_func ("/jobgraph/cli/online/processors", test_processors);
  g_test_add_func ("/jobgraph/cli/online/assets", test_assets);
  g_test_add_func ("/jobgraph/cli/online/assets/transfer", test_assets_transfer);
  g_test_add_func ("/jobgraph/cli/online/assets/errors", test_assets_errors);
  g_test_add_func ("/jobgraph/cli/online/submit/wait", test_submit_wait);
  g_test_add_func ("/jobgraph/cli/online/submit/batch", test_submit_batch);
  g_test_add_func ("/jobgraph/cli/online/submit/per-input", test_submit_per_input);
  g_test_add_func ("/jobgraph/cli/online/submit/invalid", test_submit_invalid);
  g_test_add_func ("/jobgraph/cli/online/jobs/list", test_jobs_list);
  g_test_add_func ("/jobgraph/cli/online/jobs/cancel", test_jobs_cancel);
  g_test_add_func ("/jobgraph/cli/online/template", test_template);
  g_test_add_func ("/jobgraph/cli/online/bad-token", test_bad_token);
  g_test_add_func ("/jobgraph/cli/online/connection-errors", test_connection_errors);
  g_test_add_func ("/jobgraph/cli/online/account", test_account);
  g_test_add_func ("/jobgraph/cli/online/emulator-command", test_emulator_command);

  /* One emulator for the whole run; the tests run in order and the later
   * ones use the asset ids that test_assets() found.
   */
  emulator = emulator_start ("1000");
  status = g_test_run ();
  emulator_stop (emulator);

  g_free (asset_a);
  g_free (asset_b);
  g_free (system_data_dirs);

  return status;
}
