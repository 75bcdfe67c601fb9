/* jg-emulator-main.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jobgraph-emulator"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "jg-emulator.h"

/* jobgraph-emulator: runs a JgEmulator in the foreground until SIGINT or
 * SIGTERM. It prints exactly one line on stdout when it is ready,
 * `listening on http://127.0.0.1:PORT/`, so that scripts and tests can
 * wait for it; everything else goes to stderr. It never prints the key
 * or tokens.
 */

#define PROGRAM_NAME "jobgraph-emulator"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgEmulator) emulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char   *data_dir = NULL;
  g_autofree char   *account = NULL;
  g_autofree char   *key = NULL;
  g_autofree char   *token = NULL;
  g_autofree char   *faults = NULL;
  g_autofree char   *root = NULL;
  int                port = 0;
  int                workers = 2;
  double             speed = 1.0;
  gboolean           version = FALSE;
  gboolean           simulate = FALSE;
  guint              sigint_id, sigterm_id;
  JgEmulatorOptions  options = { 0 };
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Listen on PORT of 127.0.0.1 (0, the default, picks a free one)"), N_("PORT") },
      { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Keep the database and the assets/ folder in DIR (default: $XDG_DATA_HOME/jobgraph/emulator)"), N_("DIR") },
        { "account", 'a', 0, G_OPTION_ARG_STRING, &account, N_("The account name (default: local)"), N_("NAME") },
          { "key", 'k', 0, G_OPTION_ARG_STRING, &key, N_("The account key (default: $JOBGRAPH_EMULATOR_KEY, or jobgraph-local-key)"), N_("KEY") },
            { "token", 't', 0, G_OPTION_ARG_STRING, &token, N_("Also accept this fixed bearer token"), N_("TOKEN") },
              { "workers", 'w', 0, G_OPTION_ARG_INT, &workers, N_("Run at most N tasks at once (default: 2)"), N_("N") },
                { "speed", 's', 0, G_OPTION_ARG_DOUBLE, &speed, N_("Simulated processing speed factor; higher is faster (default: 1)"), N_("F") },
                { "simulate", 0, 0, G_OPTION_ARG_NONE, &simulate, N_("Simulate processing instead of encoding (default when $JOBGRAPH_EMULATOR_SIMULATE is 1)"), NULL },
                  { "faults", 'f', 0, G_OPTION_ARG_STRING, &faults, N_("Inject faults, e.g. busy@0.2,reset-after#1,slow:2000@0.1"), N_("SPEC") },
                    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
                      { NULL } };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname (PROGRAM_NAME);

  /* stdout carries only the "listening on" line. */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("A local Media Services v2 endpoint (REST, OData v3) for Jobgraph, "
                                  "listening on 127.0.0.1 only."));
  g_option_context_set_description (context,
                                    _("Tasks run for real with GStreamer: encoders read the files of their "
                                      "input assets and write the files of their output assets. With "
                                      "--simulate, processing time is derived from the input size and --speed "
                                      "(max(1 s, input bytes / 50 MB/s) / speed per task) and no media is "
                                      "read or written.\n"
                                      "\n"
                                      "Tokens: POST /v2/OAuth2-13 (ACS) or /TENANT/oauth2/token (Azure AD) "
                                      "with client_id=ACCOUNT and client_secret=KEY. The global endpoint "
                                      "/api/ redirects to the account base /accounts/ACCOUNT/api/.\n"
                                      "\n"
                                      "Files in DIR/assets/ become assets. The state lives in DIR/emulator.db; "
                                      "jobs that were running when the emulator stopped run again from the "
                                      "start of their running tasks.\n"
                                      "\n"
                                      "Faults (--faults): comma-separated KIND[:PARAM]@PROBABILITY or "
                                      "KIND[:PARAM]#COUNT, with KIND one of busy, reset-before, reset-after, "
                                      "slow (PARAM: delay in ms), expire-token, malformed. "
                                      "JOBGRAPH_FAULT_SEED makes the draws reproducible."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
      g_printerr (_("Try “%s --help” for more information.\n"), PROGRAM_NAME);
      return 2;
    }

  if (version)
    {
      g_print ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (argc > 1)
    {
      g_printerr (_("%s: unexpected argument “%s”\n"), PROGRAM_NAME, argv[1]);
      return 2;
    }

  if (port < 0 || port > 65535 || workers < 1 || !(speed > 0))
    {
      g_printerr (_("%s: --port must be 0 to 65535, --workers at least 1 and --speed above 0\n"), PROGRAM_NAME);
      return 2;
    }

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
  options.simulate = simulate || g_strcmp0 (g_getenv ("JOBGRAPH_EMULATOR_SIMULATE"), "1") == 0;

  emulator = jg_emulator_new (&options, &error);
  if (emulator == NULL || !jg_emulator_listen (emulator, port, &error))
    {
      g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  root = jg_emulator_dup_root_uri (emulator);
  g_print ("listening on %s\n", root);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  jg_emulator_shutdown (emulator);

  return 0;
}
