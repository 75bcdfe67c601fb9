/* jg-account-dialog.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jg-account-store.h"

G_BEGIN_DECLS

/* A modal window that adds an account to a JgAccountStore or edits one:
 * name (only when adding: the keyring item is found by it), kind,
 * endpoint, API version, sign-in fields and the secret, "Test Connection",
 * and Save, which stores the secret in the keyring (or, when the keyring
 * cannot be reached and the user agrees, for this session only).
 *
 * Properties: "store" (JgAccountStore) and "account" (JgAccount, nullable:
 * %NULL to add), both construct-only.
 */

#define JG_TYPE_ACCOUNT_DIALOG (jg_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (JgAccountDialog, jg_account_dialog, JG, ACCOUNT_DIALOG, AdwWindow)

GtkWindow *jg_account_dialog_new (GtkWindow      *parent,
                                  JgAccountStore *store,
                                  JgAccount      *account);

G_END_DECLS
