/* jg-cli-secret.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *jg_cli_read_secret   (const char  *prompt);

G_END_DECLS
