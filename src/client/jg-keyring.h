/* jg-keyring.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-account.h"

G_BEGIN_DECLS

/* The keyring schema of account secrets, shared by the app and the CLI. */
#define JG_KEYRING_SCHEMA_NAME "io.github.jobgraph.Jobgraph.Account"

const char *jg_keyring_kind_for_auth  (JgAuthKind            auth_kind);
gboolean    jg_keyring_is_available   (void);
char       *jg_keyring_lookup_sync    (const char           *account,
                                       const char           *kind,
                                       GError              **error);
gboolean    jg_keyring_store_sync     (const char           *account,
                                       const char           *kind,
                                       const char           *secret,
                                       GError              **error);
void        jg_keyring_lookup_async   (const char           *account,
                                       const char           *kind,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char       *jg_keyring_lookup_finish  (GAsyncResult         *result,
                                       GError              **error);
void        jg_keyring_store_async    (const char           *account,
                                       const char           *kind,
                                       const char           *secret,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean    jg_keyring_store_finish   (GAsyncResult         *result,
                                       GError              **error);
void        jg_keyring_clear_async    (const char           *account,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean    jg_keyring_clear_finish   (GAsyncResult         *result,
                                       GError              **error);
void        jg_keyring_free_secret    (char                 *secret);

G_END_DECLS
