/* jg-cli-secret.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The keyring schema of account secrets, shared with the application. */
#define JG_SECRET_SCHEMA_NAME "io.github.jobgraph.Jobgraph.Account"

char     *jg_cli_lookup_secret (const char  *account,
                                const char  *kind,
                                GError     **error);
gboolean  jg_cli_store_secret  (const char  *account,
                                const char  *kind,
                                const char  *secret,
                                GError     **error);
void      jg_cli_free_secret   (char        *secret);
char     *jg_cli_read_secret   (const char  *prompt);

G_END_DECLS
