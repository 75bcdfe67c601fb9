/* jg-emulator-token.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * JgEmulatorTokenStatus:
 * @JG_EMULATOR_TOKEN_VALID: signed by us and not expired
 * @JG_EMULATOR_TOKEN_INVALID: not a token of ours, or tampered with
 * @JG_EMULATOR_TOKEN_EXPIRED: ours, but past its expiry
 */
typedef enum
{
  JG_EMULATOR_TOKEN_VALID,
  JG_EMULATOR_TOKEN_INVALID,
  JG_EMULATOR_TOKEN_EXPIRED,
} JgEmulatorTokenStatus;

char                  *jg_emulator_token_issue  (GBytes      *secret,
                                                 const char  *account,
                                                 gint64       expires_unix);
JgEmulatorTokenStatus  jg_emulator_token_verify (GBytes      *secret,
                                                 const char  *token,
                                                 gint64       now_unix,
                                                 char       **account);
gboolean               jg_emulator_secure_equal (const char  *a,
                                                 const char  *b);

G_END_DECLS
