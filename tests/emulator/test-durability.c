/* test-durability.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "emulator-fixture.h"

/* The real jobgraph-emulator binary, killed with SIGKILL in the middle of
 * a job and started again on the same data directory: every job is still
 * there with the same ids, the tasks that were running run again from the
 * start (and say so in HistoricalEvents), and all of them finish. Then
 * SIGTERM stops it cleanly.
 */

/* Starts the binary at @speed (simulated processing: the test is about
 * the state, not the media).
 */
static void
process_start (EmulatorProcess *p,
               const char      *data_dir,
               const char      *speed)
{
  const char *args[] = { "--speed", speed, "--workers", "2", "--simulate", NULL };

  emulator_process_start (p, NULL, EMULATOR_PATH, data_dir, args);
}

static char *
create_chained_job (Http       *http,
                    const char *name,
                    const char *asset_id)
{
  g_autofree char *escaped = escape_id (asset_id);
  g_autofree char *body = g_strdup_printf ("{\"Name\":\"%s\",\"InputMediaAssets\":[{\"__metadata\":{\"uri\":"
                                           "\"%sAssets('%s')\"}}],\"Tasks\":["
                                           "{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES_ID "\","
                                           "\"TaskBody\":\"<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
                                           "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>\"},"
                                           "{\"Configuration\":\"Adaptive Streaming\",\"MediaProcessorId\":\"" MES_ID "\","
                                           "\"TaskBody\":\"<taskBody><inputAsset>JobOutputAsset(0)</inputAsset>"
                                           "<outputAsset>JobOutputAsset(1)</outputAsset></taskBody>\"}]}",
                                           name, http->base, escaped);
  g_autoptr(Reply) reply = api (http, "POST", "Jobs", body, REQUEST_VERBOSE);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 201);

  return g_strdup (json_object_get_string_member (reply_entity (reply), "Id"));
}

/* Ids of the tasks that are Processing with some progress. */
static GPtrArray *
wait_for_progress (Http *http)
{
  gint64 deadline = g_get_monotonic_time () + TEST_TIMEOUT_US;

  for (;;)
    {
      g_autoptr(Reply) reply = api (http, "GET", "Tasks?$filter=State%20eq%202%20and%20Progress%20gt%200", NULL, 0);
      JsonArray *tasks;

      g_assert_cmpuint (reply->status, ==, 200);
      tasks = reply_collection (reply);
      if (json_array_get_length (tasks) > 0)
        {
          GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

          for (guint i = 0; i < json_array_get_length (tasks); i++)
            g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (tasks, i), "Id")));

          return ids;
        }

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
}

static void
test_kill_and_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_dir_make_tmp ("jobgraph-durability-XXXXXX", &error);
  g_autofree char *assets = NULL;
  g_autofree char *asset_id = NULL;
  g_autoptr(GPtrArray) job_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) running = NULL;
  EmulatorProcess first = { 0 };
  EmulatorProcess second = { 0 };

  g_assert_no_error (error);
  assets = g_build_filename (data_dir, "assets", NULL);
  write_file (assets, "mezzanine.mp4", 4096);

  /* Slow enough that a task is caught half-way: 2 s per task. */
  process_start (&first, data_dir, "0.5");
  asset_id = find_asset_id (&first.http, "mezzanine.mp4");

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("durable-%u", i);

      g_ptr_array_add (job_ids, create_chained_job (&first.http, name, asset_id));
    }

  running = wait_for_progress (&first.http);

  g_subprocess_force_exit (first.process);
  g_subprocess_wait (first.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (first.process));
  g_assert_cmpint (g_subprocess_get_term_sig (first.process), ==, SIGKILL);
  emulator_process_clear (&first);

  /* Fast now: 50 ms per task. */
  process_start (&second, data_dir, "20");

  {
    g_autoptr(Reply) jobs = api (&second.http, "GET", "Jobs?$orderby=Name", NULL, 0);
    JsonArray *array = reply_collection (jobs);

    g_assert_cmpuint (json_array_get_length (array), ==, 3);
    for (guint i = 0; i < 3; i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, i), "Id"), ==,
                       g_ptr_array_index (job_ids, i));
  }

  /* The seeded asset kept its id. */
  {
    g_autofree char *again = find_asset_id (&second.http, "mezzanine.mp4");

    g_assert_cmpstr (again, ==, asset_id);
  }

  for (guint i = 0; i < job_ids->len; i++)
    g_assert_cmpint (wait_for_job_final (&second.http, g_ptr_array_index (job_ids, i)), ==, 3);

  for (guint i = 0; i < running->len; i++)
    {
      g_autofree char *escaped = escape_id (g_ptr_array_index (running, i));
      g_autofree char *path = g_strdup_printf ("Tasks('%s')", escaped);
      g_autoptr(Reply) task = api (&second.http, "GET", path, NULL, 0);
      JsonObject *object = reply_entity (task);
      JsonArray  *events = json_object_get_array_member (object, "HistoricalEvents");

      g_assert_cmpint (json_object_get_int_member (object, "State"), ==, 3);
      g_assert_cmpfloat (json_object_get_double_member (object, "Progress"), ==, 100.0);
      g_assert_cmpuint (json_array_get_length (events), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "Code"), ==,
                       "TaskRestarted");
    }

  /* No output asset was made twice: the input and two outputs per job. */
  {
    g_autoptr(Reply) all = api (&second.http, "GET", "Assets", NULL, 0);
    g_autoptr(Reply) tasks = api (&second.http, "GET", "Tasks?$filter=State%20eq%203", NULL, 0);

    g_assert_cmpuint (json_array_get_length (reply_collection (all)), ==, 1 + 3 * 2);
    g_assert_cmpuint (json_array_get_length (reply_collection (tasks)), ==, 3 * 2);
  }

  /* SIGTERM stops it cleanly. */
  g_subprocess_send_signal (second.process, SIGTERM);
  g_subprocess_wait (second.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (second.process));
  g_assert_cmpint (g_subprocess_get_exit_status (second.process), ==, 0);
  emulator_process_clear (&second);

  remove_tree (data_dir);
}

static void
test_bad_arguments (void)
{
  const char *argvs[][4] = {
    { "--faults", "bogus@1", NULL },
    { "--speed", "0", NULL },
    { "--workers", "0", NULL },
    { "extra", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (argvs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autofree char *data_dir = g_dir_make_tmp ("jobgraph-durability-XXXXXX", &error);

      g_assert_no_error (error);
      g_ptr_array_add (args, (char *)EMULATOR_PATH);
      g_ptr_array_add (args, (char *)"--data-dir");
      g_ptr_array_add (args, data_dir);
      for (guint a = 0; argvs[i][a] != NULL; a++)
        g_ptr_array_add (args, (char *)argvs[i][a]);
      g_ptr_array_add (args, NULL);

      process = g_subprocess_newv ((const char *const *)args->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate (process, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);

      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
      g_assert_cmpuint (g_bytes_get_size (out), ==, 0);

      remove_tree (data_dir);
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

  g_test_add_func ("/jobgraph/emulator/durability/kill-and-restart", test_kill_and_restart);
  g_test_add_func ("/jobgraph/emulator/durability/bad-arguments", test_bad_arguments);

  return g_test_run ();
}
