/* jg-local-service.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-local-service"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "jg-client-enums.h"
#include "jg-local-service.h"

/* The "Local service" account (issue 5): the app runs the bundled
 * jobgraph-emulator as a child process and talks to it like to any Media
 * Services account.
 *
 * The child is started with `--port 0 --data-dir DIR`; it prints exactly
 * one line on stdout when it is ready, `listening on http://127.0.0.1:PORT/`,
 * which gives the root URI. Its stderr goes to DIR/local-service.log (it
 * never prints the key or tokens), and the last lines of that log and of
 * stdout go into the error message when it does not start or stops.
 *
 * The account key is made at random for each start and passed in the
 * environment (JOBGRAPH_EMULATOR_KEY), not on the command line: other local
 * users can reach 127.0.0.1 but cannot read our environment, so they cannot
 * use the service, and the well-known default key is never accepted.
 *
 * The child never outlives the app: on Linux it asks the kernel for a
 * SIGTERM when its parent dies (PR_SET_PDEATHSIG), and dispose stops it.
 * The kernel ties that signal to the *thread* that forked, so start the
 * service from the main thread, which lives as long as the app.
 */

#define LOG_NAME       "local-service.log"
#define KILL_TIMEOUT_S 3
#define N_TAIL_LINES   5
#define MAX_LINE_CHARS 300

struct _JgLocalService
{
  GObject             parent_instance;

  char               *emulator_path;
  GFile              *data_dir;
  guint               start_timeout;

  JgLocalServiceState state;
  char               *uri;
  char               *key;
  char               *error_message;
  char               *log_path;

  /* The running child. A child given up on (start time-out) is dropped
   * from here at once; its own wait keeps it alive until it is reaped.
   */
  GSubprocess        *subprocess;
  GDataInputStream   *stdout_stream;
  GQueue              stdout_tail;

  /* Cancelled in dispose only, so that callbacks after dispose never touch
   * the object: they all check for G_IO_ERROR_CANCELLED first.
   */
  GCancellable       *cancellable;

  GPtrArray          *start_tasks;
  GPtrArray          *stop_tasks;
  gboolean            stopping;
  guint               start_timeout_id;
  guint               kill_timeout_id;
};

enum
{
  PROP_0,
  PROP_EMULATOR_PATH,
  PROP_DATA_DIR,
  PROP_START_TIMEOUT,
  PROP_STATE,
  PROP_URI,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

enum
{
  EXITED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgLocalService, jg_local_service, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void        spawn_child (JgLocalService *self);

/* Helpers */

/* g_set_str() is GLib 2.76. */
static gboolean
replace_str (char      **str_pointer,
             const char *new_str)
{
  char *copy;

  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

static char *
find_emulator (void)
{
  const char      *env = g_getenv ("JOBGRAPH_EMULATOR");
  g_autofree char *exe = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  /* Next to the running program (an installed app, a Flatpak), or where
   * the build tree puts it when the program is src/app/jobgraph or a test.
   */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      const char      *relative[] = { "jobgraph-emulator", "../emulator/jobgraph-emulator" };

      for (gsize i = 0; i < G_N_ELEMENTS (relative); i++)
        {
          g_autofree char *candidate = g_build_filename (dir, relative[i], NULL);

          if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR) && g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
            return g_canonicalize_filename (candidate, NULL);
        }
    }

  return g_find_program_in_path ("jobgraph-emulator");
}

static char *
make_key (void)
{
  guint8   bytes[16];
  GString *key = g_string_sized_new (2 * sizeof bytes);

  if (getentropy (bytes, sizeof bytes) != 0)
    {
      for (gsize i = 0; i < sizeof bytes; i++)
        bytes[i] = (guint8)g_random_int ();
    }

  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (key, "%02x", bytes[i]);

  return g_string_free (key, FALSE);
}

#ifdef __linux__
/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void
child_setup (gpointer user_data)
{
  pid_t parent = (pid_t)GPOINTER_TO_INT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGTERM);

  /* The parent may have died before prctl(): then nobody would tell us. */
  if (getppid () != parent)
    _exit (1);
}
#endif

static void
set_state (JgLocalService     *self,
           JgLocalServiceState state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_uri (JgLocalService *self,
         const char     *uri)
{
  if (replace_str (&self->uri, uri))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URI]);
}

static void
set_error_message (JgLocalService *self,
                   const char     *message)
{
  if (replace_str (&self->error_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
push_tail_line (GQueue     *tail,
                const char *line)
{
  if (*line == '\0')
    return;

  if (g_utf8_strlen (line, -1) > MAX_LINE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, MAX_LINE_CHARS);

      g_queue_push_tail (tail, g_strconcat (cut, "…", NULL));
    }
  else
    g_queue_push_tail (tail, g_strdup (line));

  while (g_queue_get_length (tail) > N_TAIL_LINES)
    g_free (g_queue_pop_head (tail));
}

/* The last lines the child printed: stdout, then the end of its log. */
static char *
dup_output_tail (JgLocalService *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GQueue log_tail = G_QUEUE_INIT;
  FILE  *log;

  for (GList *l = self->stdout_tail.head; l != NULL; l = l->next)
    g_string_append_printf (text, "\n%s", (const char *)l->data);

  log = self->log_path != NULL ? g_fopen (self->log_path, "rbe") : NULL;
  if (log != NULL)
    {
      char   buffer[4096];
      size_t n;
      g_auto(GStrv) lines = NULL;
      g_autofree char *valid = NULL;

      /* Only the end of a log that may have grown for days. */
      if (fseek (log, -(long)(sizeof buffer - 1), SEEK_END) != 0)
        rewind (log);
      n = fread (buffer, 1, sizeof buffer - 1, log);
      buffer[n] = '\0';
      fclose (log);

      valid = g_utf8_make_valid (buffer, -1);
      lines = g_strsplit (valid, "\n", -1);
      for (gsize i = 0; lines[i] != NULL; i++)
        push_tail_line (&log_tail, g_strstrip (lines[i]));

      for (GList *l = log_tail.head; l != NULL; l = l->next)
        g_string_append_printf (text, "\n%s", (const char *)l->data);
      g_queue_clear_full (&log_tail, g_free);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Why the child ended, as the end of a sentence. */
static char *
dup_exit_reason (GSubprocess *subprocess)
{
  if (g_subprocess_get_if_signaled (subprocess))
    {
      int sig = g_subprocess_get_term_sig (subprocess);

      /* Translators: the first %d is a signal number, %s its description,
       * for instance "it was killed by signal 9 (Killed)"
       */
      return g_strdup_printf (_("it was killed by signal %d (%s)"), sig, g_strsignal (sig));
    }

  /* Translators: %d is the exit status of the local service's program */
  return g_strdup_printf (_("it exited with status %d"), g_subprocess_get_exit_status (subprocess));
}

static void
complete_tasks (GPtrArray    *tasks,
                const GError *error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_copy (tasks, NULL, NULL);

  /* Callbacks may queue new tasks: complete a copy. */
  g_ptr_array_set_free_func (pending, g_object_unref);
  g_ptr_array_set_size (tasks, 0);

  for (guint i = 0; i < pending->len; i++)
    {
      GTask *task = g_ptr_array_index (pending, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Start failure: @reason completes "The local service did not start: …". */
static void
fail_start (JgLocalService *self,
            int             code,
            const char     *reason)
{
  g_autofree char *tail = dup_output_tail (self);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  /* Translators: %s says why, for instance "it exited with status 2" */
  message = g_strdup_printf (_("The local service did not start: %s"), reason);
  if (*tail != '\0')
    {
      g_autofree char *with_tail = g_strconcat (message, tail, NULL);

      replace_str (&message, with_tail);
    }

  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  g_clear_pointer (&self->key, g_free);
  set_uri (self, NULL);
  set_error_message (self, message);
  set_state (self, JG_LOCAL_SERVICE_STATE_FAILED);

  error = g_error_new_literal (G_IO_ERROR, code, message);
  complete_tasks (self->start_tasks, error);
}

static void
cancel_start_tasks (JgLocalService *self)
{
  g_autoptr(GError) error = NULL;

  if (self->start_tasks->len == 0)
    return;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The local service was stopped before it was ready"));
  complete_tasks (self->start_tasks, error);
}

/* The child is gone: forget it, and say the service stopped. */
static void
finish_stop (JgLocalService *self)
{
  g_clear_object (&self->subprocess);
  g_clear_object (&self->stdout_stream);
  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);
  g_clear_pointer (&self->key, g_free);
  self->stopping = FALSE;

  set_uri (self, NULL);
  set_error_message (self, NULL);
  set_state (self, JG_LOCAL_SERVICE_STATE_STOPPED);
  complete_tasks (self->stop_tasks, NULL);

  /* A start that came while it was stopping. */
  if (self->start_tasks->len > 0)
    spawn_child (self);
}

static void read_next_line (JgLocalService *self);

/* Callbacks */

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GDataInputStream *stream = G_DATA_INPUT_STREAM (object);
  JgLocalService   *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *line = NULL;

  raw = g_data_input_stream_read_line_finish (stream, result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = JG_LOCAL_SERVICE (user_data);
  if (stream != self->stdout_stream)
    return;

  /* End of stdout: the child is exiting; child_exited_cb says why. */
  if (raw == NULL)
    return;

  line = g_utf8_make_valid (raw, -1);
  g_strchomp (line);

  if (self->state == JG_LOCAL_SERVICE_STATE_STARTING && !self->stopping && g_str_has_prefix (line, "listening on http://"))
    {
      g_clear_handle_id (&self->start_timeout_id, g_source_remove);
      g_object_freeze_notify (G_OBJECT (self));
      set_uri (self, line + strlen ("listening on "));
      set_state (self, JG_LOCAL_SERVICE_STATE_RUNNING);
      g_object_thaw_notify (G_OBJECT (self));
      g_debug ("The local service listens on %s", self->uri);
      complete_tasks (self->start_tasks, NULL);
    }
  else
    push_tail_line (&self->stdout_tail, line);

  read_next_line (self);
}

static void
child_exited_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GSubprocess    *subprocess = G_SUBPROCESS (object);
  JgLocalService *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (!g_subprocess_wait_finish (subprocess, result, &error))
    return; /* Cancelled: the service was disposed. */

  self = JG_LOCAL_SERVICE (user_data);
  if (subprocess != self->subprocess)
    return; /* A child given up on, or stopped synchronously. */

  if (self->stopping)
    {
      finish_stop (self);
      return;
    }

  reason = dup_exit_reason (subprocess);
  g_debug ("The local service ended: %s", reason);

  if (self->state == JG_LOCAL_SERVICE_STATE_STARTING)
    {
      g_clear_object (&self->stdout_stream);
      g_clear_object (&self->subprocess);
      fail_start (self, G_IO_ERROR_FAILED, reason);
    }
  else
    {
      g_autofree char *tail = dup_output_tail (self);
      g_autofree char *message = NULL;
      int              status = g_subprocess_get_status (subprocess);

      /* Translators: %s says why, for instance "it was killed by signal 9
       * (Killed)"
       */
      message = g_strdup_printf (_("The local service stopped: %s"), reason);
      if (*tail != '\0')
        {
          g_autofree char *with_tail = g_strconcat (message, tail, NULL);

          replace_str (&message, with_tail);
        }

      g_clear_object (&self->stdout_stream);
      g_clear_object (&self->subprocess);
      g_clear_pointer (&self->key, g_free);
      set_uri (self, NULL);
      set_error_message (self, message);
      set_state (self, JG_LOCAL_SERVICE_STATE_FAILED);
      g_signal_emit (self, signals[EXITED], 0, status);
    }
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  JgLocalService  *self = JG_LOCAL_SERVICE (user_data);
  g_autofree char *reason = NULL;
  g_autoptr(GSubprocess) subprocess = g_steal_pointer (&self->subprocess);

  self->start_timeout_id = 0;

  /* It is stuck: no need to ask politely. Its wait reaps it. */
  g_subprocess_force_exit (subprocess);
  g_clear_object (&self->stdout_stream);

  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "it did not say where it listens within %u second",
                                         "it did not say where it listens within %u seconds",
                                         self->start_timeout),
                            self->start_timeout);
  fail_start (self, G_IO_ERROR_TIMED_OUT, reason);

  return G_SOURCE_REMOVE;
}

static gboolean
kill_timeout_cb (gpointer user_data)
{
  JgLocalService *self = JG_LOCAL_SERVICE (user_data);

  self->kill_timeout_id = 0;

  g_debug ("The local service ignored SIGTERM for %d s: killing it", KILL_TIMEOUT_S);
  if (self->subprocess != NULL)
    g_subprocess_force_exit (self->subprocess);

  return G_SOURCE_REMOVE;
}

static void
read_next_line (JgLocalService *self)
{
  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT,
                                       self->cancellable, read_line_cb, self);
}

static void
spawn_child (JgLocalService *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *reason = NULL;
  GInputStream    *pipe;
  int              log_fd;

  g_assert (self->subprocess == NULL);

  g_queue_clear_full (&self->stdout_tail, g_free);
  g_clear_pointer (&self->log_path, g_free);
  set_error_message (self, NULL);
  set_state (self, JG_LOCAL_SERVICE_STATE_STARTING);

  if (self->emulator_path == NULL)
    {
      fail_start (self, G_IO_ERROR_NOT_FOUND,
                  _("jobgraph-emulator was not found next to the application or in the PATH"));
      return;
    }

  if (!g_file_test (self->emulator_path, G_FILE_TEST_IS_REGULAR) || !g_file_test (self->emulator_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      /* Translators: %s is the path of the program */
      reason = g_strdup_printf (_("“%s” does not exist or is not a program"), self->emulator_path);
      fail_start (self, G_IO_ERROR_NOT_FOUND, reason);
      return;
    }

  dir = g_file_get_path (self->data_dir);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      /* Translators: the first %s is a folder, the second why it failed */
      reason = g_strdup_printf (_("cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      fail_start (self, g_io_error_from_errno (saved_errno), reason);
      return;
    }

  self->log_path = g_build_filename (dir, LOG_NAME, NULL);
  log_fd = g_open (self->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | (log_fd < 0 ? G_SUBPROCESS_FLAGS_STDERR_SILENCE : 0));
  if (log_fd >= 0)
    g_subprocess_launcher_take_stderr_fd (launcher, log_fd);

  self->key = make_key ();
  g_subprocess_launcher_setenv (launcher, "JOBGRAPH_EMULATOR_KEY", self->key, TRUE);
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GINT_TO_POINTER (getpid ()), NULL);
#endif

  self->subprocess = g_subprocess_launcher_spawn (launcher, &error,
                                                  self->emulator_path,
                                                  "--port", "0",
                                                  "--data-dir", dir,
                                                  NULL);
  if (self->subprocess == NULL)
    {
      /* Translators: the first %s is the path of the program, the second
       * why it could not be run
       */
      reason = g_strdup_printf (_("cannot run “%s”: %s"), self->emulator_path, error->message);
      fail_start (self, G_IO_ERROR_FAILED, reason);
      return;
    }

  g_debug ("Started %s (pid %s), data in %s", self->emulator_path,
           g_subprocess_get_identifier (self->subprocess), dir);

  pipe = g_subprocess_get_stdout_pipe (self->subprocess);
  self->stdout_stream = g_data_input_stream_new (pipe);
  g_data_input_stream_set_newline_type (self->stdout_stream, G_DATA_STREAM_NEWLINE_TYPE_LF);
  read_next_line (self);

  g_subprocess_wait_async (self->subprocess, self->cancellable, child_exited_cb, self);

  self->start_timeout_id = g_timeout_add (self->start_timeout * 1000, start_timeout_cb, self);
}

/* The synchronous stop: SIGTERM, up to KILL_TIMEOUT_S for the emulator to
 * save its state, then SIGKILL. GSubprocess reaps the child in the GLib
 * worker thread, so polling its identifier needs no main loop.
 */
static void
stop_child_sync (JgLocalService *self)
{
  g_autoptr(GSubprocess) subprocess = g_steal_pointer (&self->subprocess);
  gint64 deadline;

  if (subprocess == NULL)
    return;

  g_subprocess_send_signal (subprocess, SIGTERM);

  deadline = g_get_monotonic_time () + KILL_TIMEOUT_S * G_USEC_PER_SEC;
  while (g_subprocess_get_identifier (subprocess) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (5000);

  if (g_subprocess_get_identifier (subprocess) != NULL)
    g_subprocess_force_exit (subprocess);

  g_subprocess_wait (subprocess, NULL, NULL);
}

/* GObject */

static void
jg_local_service_constructed (GObject *object)
{
  JgLocalService *self = JG_LOCAL_SERVICE (object);

  G_OBJECT_CLASS (jg_local_service_parent_class)->constructed (object);

  if (self->emulator_path == NULL)
    self->emulator_path = find_emulator ();

  if (self->data_dir == NULL)
    self->data_dir = g_file_new_build_filename (g_get_user_data_dir (), "jobgraph", "local-service", NULL);
}

static void
jg_local_service_dispose (GObject *object)
{
  JgLocalService *self = JG_LOCAL_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  g_clear_handle_id (&self->kill_timeout_id, g_source_remove);

  stop_child_sync (self);
  g_clear_object (&self->stdout_stream);

  G_OBJECT_CLASS (jg_local_service_parent_class)->dispose (object);
}

static void
jg_local_service_finalize (GObject *object)
{
  JgLocalService *self = JG_LOCAL_SERVICE (object);

  /* Tasks hold a reference: none can be pending here. */
  g_assert (self->start_tasks->len == 0);
  g_assert (self->stop_tasks->len == 0);

  g_clear_pointer (&self->start_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->stop_tasks, g_ptr_array_unref);
  g_queue_clear_full (&self->stdout_tail, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->data_dir);
  g_clear_pointer (&self->emulator_path, g_free);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->log_path, g_free);

  G_OBJECT_CLASS (jg_local_service_parent_class)->finalize (object);
}

static void
jg_local_service_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JgLocalService *self = JG_LOCAL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_EMULATOR_PATH:
      g_value_set_string (value, self->emulator_path);
      break;

    case PROP_DATA_DIR:
      g_value_set_object (value, self->data_dir);
      break;

    case PROP_START_TIMEOUT:
      g_value_set_uint (value, self->start_timeout);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_URI:
      g_value_set_string (value, jg_local_service_get_uri (self));
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_local_service_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JgLocalService *self = JG_LOCAL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_EMULATOR_PATH:
      self->emulator_path = g_value_dup_string (value);
      break;

    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_object (value);
      break;

    case PROP_START_TIMEOUT:
      jg_local_service_set_start_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_local_service_class_init (JgLocalServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = jg_local_service_constructed;
  object_class->dispose = jg_local_service_dispose;
  object_class->finalize = jg_local_service_finalize;
  object_class->get_property = jg_local_service_get_property;
  object_class->set_property = jg_local_service_set_property;

  /**
   * JgLocalService:emulator-path:
   *
   * The `jobgraph-emulator` program; %NULL when none was given and none
   * was found.
   */
  properties[PROP_EMULATOR_PATH] =
    g_param_spec_string ("emulator-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * JgLocalService:data-dir:
   *
   * Where the service keeps its database, its assets/ folder and its log.
   */
  properties[PROP_DATA_DIR] =
    g_param_spec_object ("data-dir", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * JgLocalService:start-timeout:
   *
   * How many seconds a start waits for the service to say where it listens.
   */
  properties[PROP_START_TIMEOUT] =
    g_param_spec_uint ("start-timeout", NULL, NULL, 1, G_MAXUINT / 1000,
                       JG_LOCAL_SERVICE_DEFAULT_START_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgLocalService:state:
   *
   * Whether the child process runs.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, JG_TYPE_LOCAL_SERVICE_STATE,
                       JG_LOCAL_SERVICE_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgLocalService:uri:
   *
   * The service's root, `http://127.0.0.1:PORT/`, while it runs.
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgLocalService:error-message:
   *
   * Why the service did not start or stopped, with the last lines it
   * printed; %NULL unless #JgLocalService:state is failed.
   */
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgLocalService::exited:
   * @self: the service
   * @status: the wait status of the child (see g_subprocess_get_status())
   *
   * The running service ended on its own: it crashed or was killed. The
   * state is failed, and jg_local_service_get_error_message() says why.
   * Not emitted for a stop, nor for a start that fails (the start's
   * result reports that).
   */
  signals[EXITED] =
    g_signal_new ("exited",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
jg_local_service_init (JgLocalService *self)
{
  self->start_timeout = JG_LOCAL_SERVICE_DEFAULT_START_TIMEOUT;
  self->cancellable = g_cancellable_new ();
  self->start_tasks = g_ptr_array_new ();
  self->stop_tasks = g_ptr_array_new ();
  g_queue_init (&self->stdout_tail);
}

/* Public API */

/**
 * jg_local_service_new:
 * @emulator_path: (nullable): the `jobgraph-emulator` program, or %NULL
 *   for `$JOBGRAPH_EMULATOR`, else the one next to the running program
 *   (or in the build tree), else the one in the `PATH`
 * @data_dir: (nullable): where the service keeps its state, or %NULL for
 *   `$XDG_DATA_HOME/jobgraph/local-service`
 *
 * A local service, stopped. Nothing runs until
 * jg_local_service_start_async().
 *
 * Returns: (transfer full): the service
 */
JgLocalService *
jg_local_service_new (const char *emulator_path,
                      GFile      *data_dir)
{
  g_return_val_if_fail (data_dir == NULL || G_IS_FILE (data_dir), NULL);

  return g_object_new (JG_TYPE_LOCAL_SERVICE,
                       "emulator-path", emulator_path,
                       "data-dir", data_dir,
                       NULL);
}

const char *
jg_local_service_get_emulator_path (JgLocalService *self)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), NULL);

  return self->emulator_path;
}

/**
 * jg_local_service_get_data_dir:
 *
 * Returns: (transfer none): the folder of the service's state
 */
GFile *
jg_local_service_get_data_dir (JgLocalService *self)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), NULL);

  return self->data_dir;
}

guint
jg_local_service_get_start_timeout (JgLocalService *self)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), 0);

  return self->start_timeout;
}

/**
 * jg_local_service_set_start_timeout:
 * @seconds: at least 1
 *
 * How long the next start waits for the service to say where it listens.
 */
void
jg_local_service_set_start_timeout (JgLocalService *self,
                                    guint           seconds)
{
  g_return_if_fail (JG_IS_LOCAL_SERVICE (self));
  g_return_if_fail (seconds > 0);

  if (self->start_timeout == seconds)
    return;

  self->start_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_TIMEOUT]);
}

JgLocalServiceState
jg_local_service_get_state (JgLocalService *self)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), JG_LOCAL_SERVICE_STATE_STOPPED);

  return self->state;
}

/**
 * jg_local_service_get_uri:
 *
 * Returns: (nullable): the root URI, `http://127.0.0.1:PORT/`, while the
 *   service runs; otherwise %NULL
 */
const char *
jg_local_service_get_uri (JgLocalService *self)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), NULL);

  return self->state == JG_LOCAL_SERVICE_STATE_RUNNING ? self->uri : NULL;
}

/**
 * jg_local_service_get_error_message:
 *
 * Returns: (nullable): why the service did not start or stopped on its
 *   own, with the last lines it printed; %NULL unless the state is failed
 */
const char *
jg_local_service_get_error_message (JgLocalService *self)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), NULL);

  return self->error_message;
}

/**
 * jg_local_service_get_pid:
 *
 * Returns: the process id of the child, or 0 when none runs
 */
GPid
jg_local_service_get_pid (JgLocalService *self)
{
  const char *identifier;

  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), 0);

  if (self->subprocess == NULL)
    return 0;

  identifier = g_subprocess_get_identifier (self->subprocess);

  return identifier != NULL ? (GPid)g_ascii_strtoll (identifier, NULL, 10) : 0;
}

/**
 * jg_local_service_dup_account:
 *
 * An ACS account with the key of this run of the service. It is only
 * good until the service stops: the next start makes a new key.
 *
 * Returns: (transfer full) (nullable): the account, or %NULL unless the
 *   service runs
 */
JgAccount *
jg_local_service_dup_account (JgLocalService *self)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), NULL);

  if (self->state != JG_LOCAL_SERVICE_STATE_RUNNING || self->uri == NULL)
    return NULL;

  return jg_account_new_for_emulator (self->uri, JG_ACCOUNT_EMULATOR_NAME, self->key);
}

/**
 * jg_local_service_start_async:
 * @cancellable: (nullable): a #GCancellable; cancelling it does not stop
 *   the service, only this caller's interest in the result
 *
 * Starts the service unless it runs or is starting: every caller gets the
 * result of the same start, and there is never a second child. A start
 * while a stop is in progress starts it again once the child is gone.
 */
void
jg_local_service_start_async (JgLocalService     *self,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (JG_IS_LOCAL_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_local_service_start_async);

  if (!self->stopping && self->state == JG_LOCAL_SERVICE_STATE_RUNNING)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->start_tasks, g_steal_pointer (&task));

  if (self->stopping || self->state == JG_LOCAL_SERVICE_STATE_STARTING)
    return;

  spawn_child (self);
}

/**
 * jg_local_service_start_finish:
 *
 * Returns: %TRUE if the service runs; then jg_local_service_get_uri() and
 *   jg_local_service_dup_account() give its address and credentials
 */
gboolean
jg_local_service_start_finish (JgLocalService *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == jg_local_service_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * jg_local_service_stop_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks the service to stop (SIGTERM: it saves its state) and kills it if
 * it is still there after 3 seconds. Completes when the child is gone.
 * A pending start fails with %G_IO_ERROR_CANCELLED.
 */
void
jg_local_service_stop_async (JgLocalService     *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (JG_IS_LOCAL_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_local_service_stop_async);

  if (self->subprocess == NULL)
    {
      cancel_start_tasks (self);
      finish_stop (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_ptr_array_add (self->stop_tasks, g_steal_pointer (&task));

  if (self->stopping)
    return;

  self->stopping = TRUE;
  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  cancel_start_tasks (self);

  g_subprocess_send_signal (self->subprocess, SIGTERM);
  self->kill_timeout_id = g_timeout_add (KILL_TIMEOUT_S * 1000, kill_timeout_cb, self);
}

gboolean
jg_local_service_stop_finish (JgLocalService *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (JG_IS_LOCAL_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == jg_local_service_stop_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * jg_local_service_stop:
 *
 * Stops the service now, for when there is no main loop left to wait in
 * (quitting; dispose calls it): SIGTERM, at most 3 seconds of waiting,
 * then SIGKILL. Prefer jg_local_service_stop_async().
 */
void
jg_local_service_stop (JgLocalService *self)
{
  g_return_if_fail (JG_IS_LOCAL_SERVICE (self));

  cancel_start_tasks (self);
  stop_child_sync (self);
  finish_stop (self);
}
