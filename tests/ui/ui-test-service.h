/* ui-test-service.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The service side of the UI tests: an account store whose Local service is
 * a real jobgraph-emulator subprocess with its data in a temporary folder,
 * settings in memory, and, for tests that need faults or a second account,
 * another emulator subprocess started here. $JOBGRAPH_EMULATOR (set by
 * tests/ui/meson.build) names the program.
 */

#pragma once

#include <gio/gio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "jg-account-store.h"

G_BEGIN_DECLS

#define UI_TEST_EMULATOR_KEY "ui-test-key"

typedef struct
{
  char           *tmp_dir;
  GSettings      *settings;
  JgLocalService *local_service;
  JgAccountStore *store;
  GPtrArray      *emulators; /* GSubprocess */
} UiTestService;

static inline gboolean
ui_test_service_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ui_test_service_remove_tree (child);
      else
        g_unlink (child);
    }

  return g_rmdir (path) == 0;
}

/* A store with memory-backed settings and a Local service of its own. The
 * service starts when a client for it is first asked for.
 */
static inline UiTestService *
ui_test_service_new (void)
{
  UiTestService   *service = g_new0 (UiTestService, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GFile) data_dir = NULL;

  service->tmp_dir = g_dir_make_tmp ("jobgraph-ui-XXXXXX", &error);
  g_assert_no_error (error);

  data_dir = g_file_new_build_filename (service->tmp_dir, "local-service", NULL);
  service->settings = g_settings_new_with_backend ("io.github.jobgraph.Jobgraph", backend);
  service->local_service = jg_local_service_new (NULL, data_dir);
  service->store = jg_account_store_new (service->settings, service->local_service);
  service->emulators = g_ptr_array_new_with_free_func (g_object_unref);

  return service;
}

/* The folder whose files the Local service serves as assets; files put
 * there before the service starts become assets.
 */
static inline char *
ui_test_service_dup_assets_dir (UiTestService *service)
{
  return g_build_filename (service->tmp_dir, "local-service", "assets", NULL);
}

#ifdef __linux__
static inline void
ui_test_service_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}
#endif

/* Puts a sparse file of @bytes named @name among the assets the Local
 * service seeds when it starts (call before it starts). The emulator's
 * tasks take as long as the input's size says (50 MB/s): a few GB make a
 * job that is still running however slowly a test goes.
 */
static inline void
ui_test_service_add_sized_asset (UiTestService *service,
                                 const char    *name,
                                 gint64         bytes)
{
  g_autofree char *assets = ui_test_service_dup_assets_dir (service);
  g_autofree char *path = g_build_filename (assets, name, NULL);
  int              fd;

  g_assert_cmpint (jg_local_service_get_state (service->local_service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_cmpint (g_mkdir_with_parents (assets, 0700), ==, 0);
  fd = g_open (path, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t)bytes), ==, 0);
  close (fd);
}

/* Starts another jobgraph-emulator (e.g. with --faults) and adds it to the
 * store as account @name, its key kept for the session. @extra_args are
 * appended to the command line. Returns: (transfer none) the process.
 */
static inline GSubprocess *
ui_test_service_add_emulator (UiTestService      *service,
                              const char         *name,
                              const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgAccount) account = NULL;
  g_autofree char *data_dir = g_build_filename (service->tmp_dir, name, NULL);
  g_autofree char *line = NULL;
  const char      *program = g_getenv ("JOBGRAPH_EMULATOR");
  GSubprocess     *process;
  const char      *uri;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup ("--port=0"));
  g_ptr_array_add (argv, g_strconcat ("--data-dir=", data_dir, NULL));
  g_ptr_array_add (argv, g_strdup ("--key=" UI_TEST_EMULATOR_KEY));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

#ifdef __linux__
  /* A test that aborts must not leave its emulators behind (meson would
   * wait for them until its timeout).
   */
  g_subprocess_launcher_set_child_setup (launcher, ui_test_service_die_with_parent, NULL, NULL);
#endif
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_ptr_array_add (service->emulators, process);

  /* Blocking is fine in a test: the emulator prints its line at once. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  uri = strstr (line, "http://");
  g_assert_nonnull (uri);

  account = jg_account_new_for_emulator (uri, NULL, NULL);
  jg_account_set_name (account, name);
  jg_account_store_save (service->store, NULL, account, &error);
  g_assert_no_error (error);
  jg_account_store_keep_secret_for_session (service->store, name, UI_TEST_EMULATOR_KEY);

  return process;
}

static inline void
ui_test_service_free (UiTestService *service)
{
  for (guint i = 0; i < service->emulators->len; i++)
    {
      GSubprocess *process = g_ptr_array_index (service->emulators, i);

      g_subprocess_send_signal (process, SIGTERM);
      g_subprocess_wait (process, NULL, NULL);
    }

  jg_account_store_shutdown (service->store);
  g_clear_object (&service->store);
  g_clear_object (&service->local_service);
  g_clear_object (&service->settings);
  g_ptr_array_unref (service->emulators);
  ui_test_service_remove_tree (service->tmp_dir);
  g_free (service->tmp_dir);
  g_free (service);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UiTestService, ui_test_service_free)

/* Runs the main loop until @condition holds, failing after @seconds. */
static inline void
ui_test_wait_until (gboolean  (*condition) (gpointer),
                    gpointer    data,
                    guint       seconds,
                    const char *what)
{
  gint64 deadline;

  /* Everything, the emulator too, runs a few times slower under ASan. */
#if defined(__SANITIZE_ADDRESS__)
  seconds *= 4;
#endif
  deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static inline void
ui_test_store_result (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static inline gboolean
ui_test_has_result (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

/* A client for account @name (JG_ACCOUNT_STORE_LOCAL for the Local
 * service), waiting for the service to start.
 */
static inline JgClient *
ui_test_service_dup_client (UiTestService *service,
                            const char    *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JgClient *client;

  jg_account_store_dup_client_async (service->store, name, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "a client");
  client = jg_account_store_dup_client_finish (service->store, result, &error);
  g_assert_no_error (error);

  return client;
}

G_END_DECLS
