/* main.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "jg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JgApplication) app = NULL;
  const char *localedir;

  /* JOBGRAPH_LOCALEDIR lets the tests use the catalogs of the build tree. */
  localedir = g_getenv ("JOBGRAPH_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = jg_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
