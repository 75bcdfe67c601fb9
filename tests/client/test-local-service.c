/* test-local-service.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "jg-client.h"
#include "jg-local-service.h"

/* JgLocalService runs the real jobgraph-emulator (EMULATOR_PATH) as a
 * child process: start, a client against it, stop, a crash, programs that
 * are missing or never get ready, dispose, and a parent that dies with
 * SIGKILL (the --local-service-child mode of this binary).
 *
 * Nothing sleeps for a fixed time: every wait polls against a deadline.
 */

#define DEADLINE_S 30

/* Helpers */

static void
run_until (gboolean   *done,
           guint       seconds,
           const char *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!*done)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);

      g_main_context_iteration (NULL, FALSE);
      if (!*done)
        g_usleep (1000);
    }
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = jg_local_service_start_finish (JG_LOCAL_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->ok = jg_local_service_stop_finish (JG_LOCAL_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
start_sync (JgLocalService *service,
            GError        **error)
{
  Result r = { 0 };

  jg_local_service_start_async (service, NULL, start_cb, &r);
  run_until (&r.done, DEADLINE_S, "the start");
  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.ok;
}

static void
stop_sync (JgLocalService *service)
{
  Result r = { 0 };

  jg_local_service_stop_async (service, NULL, stop_cb, &r);
  run_until (&r.done, DEADLINE_S, "the stop");
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
}

/* Gone, or a zombie nobody reaps (a container's init may not). */
static gboolean
process_gone (GPid pid)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  const char      *end;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return TRUE;

  path = g_strdup_printf ("/proc/%d/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return TRUE;

  end = strrchr (stat, ')');

  return end != NULL && end[1] == ' ' && end[2] == 'Z';
}

static void
wait_process_gone (GPid  pid,
                   guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!process_gone (pid))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Process %d still runs after %u s", pid, seconds);

      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

static GFile *
data_dir_new (const char *name)
{
  return g_file_new_build_filename (g_get_user_data_dir (), name, NULL);
}

static int
uri_port (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (parsed);

  return g_uri_get_port (parsed);
}

static void
processors_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Result *r = user_data;
  g_autoptr(GPtrArray) processors = NULL;

  processors = jg_client_list_processors_finish (JG_CLIENT (object), result, &r->error);
  r->ok = processors != NULL && processors->len > 0;
  r->done = TRUE;
}

/* Lists the media processors with @account: TRUE, or the error. */
static gboolean
list_processors (JgAccount *account,
                 GError   **error)
{
  g_autoptr(JgClient) client = jg_client_new (account);
  Result r = { 0 };

  jg_client_set_retry_policy (client, 0, 10, 10);
  jg_client_list_processors_async (client, NULL, processors_cb, &r);
  run_until (&r.done, DEADLINE_S, "the media processors");
  if (r.error != NULL)
    g_propagate_error (error, r.error);

  return r.ok;
}

static void
state_notify_cb (JgLocalService *service,
                 GParamSpec     *pspec,
                 GArray         *states)
{
  JgLocalServiceState state = jg_local_service_get_state (service);

  g_array_append_val (states, state);
}

static char *
write_script (const char *name,
              const char *body)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autofree char *text = g_strconcat ("#!/bin/sh\n", body, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (g_get_user_data_dir (), 0700));
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_chmod (path, 0700));

  return g_steal_pointer (&path);
}

/* Tests */

static void
test_start (void)
{
  g_autoptr(JgLocalService) service = jg_local_service_new (EMULATOR_PATH, NULL);
  g_autoptr(JgAccount) account = NULL;
  g_autoptr(JgAccount) default_key = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (JgLocalServiceState));
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *log = NULL;
  Result           first = { 0 }, second = { 0 };
  GPid             pid;

  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_null (jg_local_service_get_uri (service));
  g_assert_null (jg_local_service_dup_account (service));
  g_signal_connect (service, "notify::state", G_CALLBACK (state_notify_cb), states);

  /* Two callers while it starts: one child, one result. */
  jg_local_service_start_async (service, NULL, start_cb, &first);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_STARTING);
  pid = jg_local_service_get_pid (service);
  g_assert_cmpint (pid, >, 0);
  jg_local_service_start_async (service, NULL, start_cb, &second);
  run_until (&first.done, DEADLINE_S, "the first start");
  run_until (&second.done, DEADLINE_S, "the second start");
  g_assert_no_error (first.error);
  g_assert_no_error (second.error);
  g_assert_true (first.ok && second.ok);
  g_assert_cmpint (jg_local_service_get_pid (service), ==, pid);

  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_RUNNING);
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, JgLocalServiceState, 0), ==, JG_LOCAL_SERVICE_STATE_STARTING);
  g_assert_cmpint (g_array_index (states, JgLocalServiceState, 1), ==, JG_LOCAL_SERVICE_STATE_RUNNING);
  g_assert_null (jg_local_service_get_error_message (service));

  uri = g_strdup (jg_local_service_get_uri (service));
  g_assert_true (g_str_has_prefix (uri, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (uri, "/"));
  g_assert_cmpint (uri_port (uri), >, 0);

  /* The default data dir, with the log of the child's stderr. */
  log = g_build_filename (g_get_user_data_dir (), "jobgraph", "local-service", "local-service.log", NULL);
  g_assert_true (g_file_test (log, G_FILE_TEST_IS_REGULAR));

  /* Its account works; the well-known key does not. */
  account = jg_local_service_dup_account (service);
  g_assert_nonnull (account);
  g_assert_true (list_processors (account, &error));
  g_assert_no_error (error);

  default_key = jg_account_new_for_emulator (uri, NULL, NULL);
  g_assert_false (list_processors (default_key, &error));
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* A start while it runs: the same service. */
  g_assert_true (start_sync (service, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (jg_local_service_get_uri (service), ==, uri);
  g_assert_cmpint (jg_local_service_get_pid (service), ==, pid);
  g_assert_cmpuint (states->len, ==, 2);

  stop_sync (service);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_null (jg_local_service_get_uri (service));
  g_assert_null (jg_local_service_dup_account (service));
  g_assert_true (process_gone (pid));
}

static void
test_stop (void)
{
  g_autoptr(GFile) data_dir = data_dir_new ("stop");
  JgLocalService *service = jg_local_service_new (EMULATOR_PATH, data_dir);
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  GPid             pid;
  int              port;

  g_assert_true (start_sync (service, &error));
  g_assert_no_error (error);
  pid = jg_local_service_get_pid (service);
  port = uri_port (jg_local_service_get_uri (service));

  /* It listens, and keeps its state in the data dir. */
  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&connection);
  db = g_build_filename (g_file_peek_path (data_dir), "emulator.db", NULL);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));

  /* Reaped when the stop completes, and the port is closed. */
  stop_sync (service);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_cmpint (jg_local_service_get_pid (service), ==, 0);
  g_assert_true (kill (pid, 0) != 0 && errno == ESRCH);
  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);

  /* A stop when stopped completes at once. */
  stop_sync (service);

  /* It starts again; disposing it stops the child before unref returns. */
  g_assert_true (start_sync (service, &error));
  g_assert_no_error (error);
  pid = jg_local_service_get_pid (service);
  g_assert_cmpint (pid, >, 0);
  g_assert_finalize_object (service);
  g_assert_true (kill (pid, 0) != 0 && errno == ESRCH);
}

typedef struct
{
  gboolean done;
  int      status;
} Exited;

static void
exited_cb (JgLocalService *service,
           int             status,
           Exited         *exited)
{
  exited->status = status;
  exited->done = TRUE;
}

static void
test_killed (void)
{
  g_autoptr(GFile) data_dir = data_dir_new ("killed");
  g_autoptr(JgLocalService) service = jg_local_service_new (EMULATOR_PATH, data_dir);
  g_autoptr(JgAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  Exited      exited = { 0 };
  const char *message;
  int         status;
  GPid        pid;

  g_assert_true (start_sync (service, &error));
  g_assert_no_error (error);
  g_signal_connect (service, "exited", G_CALLBACK (exited_cb), &exited);

  pid = jg_local_service_get_pid (service);
  g_assert_no_errno (kill (pid, SIGKILL));
  run_until (&exited.done, DEADLINE_S, "::exited");
  status = exited.status;

  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_FAILED);
  g_assert_null (jg_local_service_get_uri (service));
  g_assert_null (jg_local_service_dup_account (service));
  g_assert_cmpint (jg_local_service_get_pid (service), ==, 0);
  message = jg_local_service_get_error_message (service);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "The local service stopped: "));
  g_assert_nonnull (strstr (message, "signal 9"));

  /* The app offers a restart. */
  g_assert_true (start_sync (service, &error));
  g_assert_no_error (error);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_RUNNING);
  g_assert_null (jg_local_service_get_error_message (service));
  g_assert_cmpint (jg_local_service_get_pid (service), !=, pid);
  account = jg_local_service_dup_account (service);
  g_assert_true (list_processors (account, &error));
  g_assert_no_error (error);

  stop_sync (service);
}

static void
test_missing_binary (void)
{
  const char *path = "/nonexistent/jobgraph/jobgraph-emulator";
  g_autoptr(JgLocalService) service = jg_local_service_new (path, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (jg_local_service_get_emulator_path (service), ==, path);
  g_assert_false (start_sync (service, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "The local service did not start: "));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_FAILED);
  g_assert_cmpstr (jg_local_service_get_error_message (service), ==, error->message);
  g_assert_null (jg_local_service_get_uri (service));

  /* A stop clears the failure. */
  stop_sync (service);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_null (jg_local_service_get_error_message (service));
}

static void
never_exited_cb (JgLocalService *service,
                 int             status,
                 gpointer        user_data)
{
  g_assert_not_reached ();
}

static void
test_never_ready (void)
{
  g_autofree char *script = write_script ("never-ready",
                                          "echo 'warming up'\n"
                                          "echo 'cannot open the database' >&2\n"
                                          "exec sleep 600\n");
  g_autoptr(JgLocalService) service = jg_local_service_new (script, NULL);
  Result r = { 0 };
  GPid   pid;
  gint64 started;

  g_signal_connect (service, "exited", G_CALLBACK (never_exited_cb), NULL);
  jg_local_service_set_start_timeout (service, 1);

  started = g_get_monotonic_time ();
  jg_local_service_start_async (service, NULL, start_cb, &r);
  pid = jg_local_service_get_pid (service);
  g_assert_cmpint (pid, >, 0);
  run_until (&r.done, DEADLINE_S, "the start time-out");
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);

  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_true (g_str_has_prefix (r.error->message, "The local service did not start: "));
  g_assert_nonnull (strstr (r.error->message, "warming up"));
  g_assert_nonnull (strstr (r.error->message, "cannot open the database"));
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_FAILED);
  g_clear_error (&r.error);

  /* The stuck child is killed. */
  wait_process_gone (pid, 5);
}

static void
test_early_exit (void)
{
  g_autofree char *script = write_script ("early-exit",
                                          "echo \"unknown option $1\" >&2\n"
                                          "exit 2\n");
  g_autoptr(JgLocalService) service = jg_local_service_new (script, NULL);
  g_autoptr(GError) error = NULL;

  g_signal_connect (service, "exited", G_CALLBACK (never_exited_cb), NULL);

  g_assert_false (start_sync (service, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "The local service did not start: "));
  g_assert_nonnull (strstr (error->message, "status 2"));
  g_assert_nonnull (strstr (error->message, "unknown option --port"));
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_FAILED);
  g_assert_cmpint (jg_local_service_get_pid (service), ==, 0);
}

/* A child that ignores SIGTERM is killed after 3 s, by the async stop
 * and by the sync one; a start during a stop starts it again after.
 */
static void
test_ignores_sigterm (void)
{
  g_autofree char *script = write_script ("ignores-sigterm",
                                          "trap '' TERM\n"
                                          "echo 'listening on http://127.0.0.1:9/'\n"
                                          "exec sleep 600\n");
  g_autoptr(JgLocalService) service = jg_local_service_new (script, NULL);
  g_autoptr(GError) error = NULL;
  Result stopped = { 0 }, started = { 0 };
  GPid   pid;
  gint64 begin;

  g_signal_connect (service, "exited", G_CALLBACK (never_exited_cb), NULL);
  g_assert_true (start_sync (service, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (jg_local_service_get_uri (service), ==, "http://127.0.0.1:9/");
  pid = jg_local_service_get_pid (service);

  begin = g_get_monotonic_time ();
  jg_local_service_stop_async (service, NULL, stop_cb, &stopped);
  jg_local_service_start_async (service, NULL, start_cb, &started);
  run_until (&stopped.done, DEADLINE_S, "the stop");
  g_assert_no_error (stopped.error);
  g_assert_true (stopped.ok);
  g_assert_cmpint (g_get_monotonic_time () - begin, >=, 3 * G_USEC_PER_SEC);
  g_assert_true (kill (pid, 0) != 0 && errno == ESRCH);

  run_until (&started.done, DEADLINE_S, "the start after the stop");
  g_assert_no_error (started.error);
  g_assert_true (started.ok);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_RUNNING);
  g_assert_cmpint (jg_local_service_get_pid (service), !=, pid);
  pid = jg_local_service_get_pid (service);

  begin = g_get_monotonic_time ();
  jg_local_service_stop (service);
  g_assert_cmpint (g_get_monotonic_time () - begin, >=, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_true (kill (pid, 0) != 0 && errno == ESRCH);
}

/* A stop while it starts: the start fails as cancelled, nothing runs. */
static void
test_stop_while_starting (void)
{
  g_autofree char *script = write_script ("slow-start", "exec sleep 600\n");
  g_autoptr(JgLocalService) service = jg_local_service_new (script, NULL);
  Result stopped = { 0 }, started = { 0 };
  GPid   pid;

  jg_local_service_start_async (service, NULL, start_cb, &started);
  pid = jg_local_service_get_pid (service);
  g_assert_cmpint (pid, >, 0);
  jg_local_service_stop_async (service, NULL, stop_cb, &stopped);

  run_until (&started.done, DEADLINE_S, "the cancelled start");
  g_assert_error (started.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&started.error);
  run_until (&stopped.done, DEADLINE_S, "the stop");
  g_assert_no_error (stopped.error);
  g_assert_cmpint (jg_local_service_get_state (service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_true (kill (pid, 0) != 0 && errno == ESRCH);
}

static void
test_defaults (void)
{
  g_autoptr(JgLocalService) service = NULL;
  g_autoptr(GFile) expected_dir = NULL;

  g_setenv ("JOBGRAPH_EMULATOR", EMULATOR_PATH, TRUE);
  service = jg_local_service_new (NULL, NULL);
  g_unsetenv ("JOBGRAPH_EMULATOR");

  g_assert_cmpstr (jg_local_service_get_emulator_path (service), ==, EMULATOR_PATH);
  expected_dir = g_file_new_build_filename (g_get_user_data_dir (), "jobgraph", "local-service", NULL);
  g_assert_true (g_file_equal (jg_local_service_get_data_dir (service), expected_dir));
  g_assert_cmpuint (jg_local_service_get_start_timeout (service), ==, JG_LOCAL_SERVICE_DEFAULT_START_TIMEOUT);
}

/* The parent dies with SIGKILL: no dispose, no stop. The kernel's
 * PR_SET_PDEATHSIG still stops the emulator.
 */
static void
test_parent_death (void)
{
  g_autoptr(GFile) data_dir = data_dir_new ("parent-death");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GPid             emulator_pid;

  g_assert_nonnull (exe);
  helper = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             exe, "--local-service-child", g_file_peek_path (data_dir), NULL);
  g_assert_no_error (error);

  /* Blocks at most the helper's start time-out, then it prints an error. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "pid "));
  emulator_pid = (GPid)g_ascii_strtoll (line + 4, NULL, 10);
  g_assert_cmpint (emulator_pid, >, 0);
  g_assert_false (process_gone (emulator_pid));

  g_subprocess_force_exit (helper);
  g_assert_true (g_subprocess_wait (helper, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (helper));

  wait_process_gone (emulator_pid, 5);
}

static void
child_started_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  JgLocalService *service = JG_LOCAL_SERVICE (object);
  g_autoptr(GError) error = NULL;

  if (!jg_local_service_start_finish (service, result, &error))
    {
      g_print ("error %s\n", error->message);
      exit (1);
    }

  g_print ("pid %d\n", jg_local_service_get_pid (service));
  fflush (stdout);
}

/* --local-service-child DATA_DIR: start a service, print its pid, and run
 * until killed.
 */
static int
run_child (const char *data_dir_path)
{
  g_autoptr(GFile) data_dir = g_file_new_for_path (data_dir_path);
  g_autoptr(JgLocalService) service = jg_local_service_new (EMULATOR_PATH, data_dir);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  /* stdout is for the pid line only, even with G_MESSAGES_DEBUG. */
  g_log_writer_default_set_use_stderr (TRUE);

  jg_local_service_start_async (service, NULL, child_started_cb, NULL);
  g_main_loop_run (loop);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--local-service-child"))
    return run_child (argv[2]);

  /* The isolated XDG dirs hide the GSettings schemas of the proxy
   * settings; a loopback service needs no proxy.
   */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/client/local-service/start", test_start);
  g_test_add_func ("/jobgraph/client/local-service/stop", test_stop);
  g_test_add_func ("/jobgraph/client/local-service/killed", test_killed);
  g_test_add_func ("/jobgraph/client/local-service/missing-binary", test_missing_binary);
  g_test_add_func ("/jobgraph/client/local-service/never-ready", test_never_ready);
  g_test_add_func ("/jobgraph/client/local-service/early-exit", test_early_exit);
  g_test_add_func ("/jobgraph/client/local-service/ignores-sigterm", test_ignores_sigterm);
  g_test_add_func ("/jobgraph/client/local-service/stop-while-starting", test_stop_while_starting);
  g_test_add_func ("/jobgraph/client/local-service/defaults", test_defaults);
  g_test_add_func ("/jobgraph/client/local-service/parent-death", test_parent_death);

  return g_test_run ();
}
