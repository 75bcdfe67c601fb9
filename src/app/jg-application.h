/* jg-application.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jg-account-store.h"

G_BEGIN_DECLS

#define JG_TYPE_APPLICATION (jg_application_get_type ())

G_DECLARE_FINAL_TYPE (JgApplication, jg_application, JG, APPLICATION, AdwApplication)

JgApplication  *jg_application_new               (void);
JgAccountStore *jg_application_get_account_store (JgApplication *self);

G_END_DECLS
