/* jg-preferences-window.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jg-account-store.h"

G_BEGIN_DECLS

/* Preferences → Accounts: the accounts of a JgAccountStore, live (the
 * Local service with its state, then the user's accounts), which one is the
 * default, and Add / Edit / Remove through JgAccountDialog.
 *
 * Property: "store" (JgAccountStore, construct-only).
 */

#define JG_TYPE_PREFERENCES_WINDOW (jg_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (JgPreferencesWindow, jg_preferences_window, JG, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWindow      *jg_preferences_window_new       (GtkWindow           *parent,
                                                 JgAccountStore      *store);
JgAccountStore *jg_preferences_window_get_store (JgPreferencesWindow *self);

G_END_DECLS
