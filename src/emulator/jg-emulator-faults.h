/* jg-emulator-faults.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * JgFaultKind:
 * @JG_FAULT_NONE: answer normally
 * @JG_FAULT_BUSY: `busy` — 503 "Server is busy. More than 100 requests per
 *   second can be throttled.", the request is not performed
 * @JG_FAULT_RESET_BEFORE: `reset-before` — close the connection without
 *   performing the request or answering
 * @JG_FAULT_RESET_AFTER: `reset-after` — perform the request, then close
 *   the connection instead of answering
 * @JG_FAULT_SLOW: `slow:MS` — answer after a delay of MS milliseconds
 *   (default 2000)
 * @JG_FAULT_EXPIRE_TOKEN: `expire-token` — refuse a valid bearer token with
 *   401, as if it had expired
 * @JG_FAULT_MALFORMED: `malformed` — perform the request, then send only
 *   the first half of the response body (status and headers unchanged)
 *
 * What can go wrong with a request (`--faults`).
 */
typedef enum
{
  JG_FAULT_NONE,
  JG_FAULT_BUSY,
  JG_FAULT_RESET_BEFORE,
  JG_FAULT_RESET_AFTER,
  JG_FAULT_SLOW,
  JG_FAULT_EXPIRE_TOKEN,
  JG_FAULT_MALFORMED,
} JgFaultKind;

/**
 * JgFaultScope:
 * @JG_FAULT_SCOPE_API: a request to the API (`/api/`, the account base)
 * @JG_FAULT_SCOPE_API_WITH_TOKEN: the same, carrying a bearer token
 * @JG_FAULT_SCOPE_TOKEN_ENDPOINT: a token request (only `busy` applies)
 */
typedef enum
{
  JG_FAULT_SCOPE_API,
  JG_FAULT_SCOPE_API_WITH_TOKEN,
  JG_FAULT_SCOPE_TOKEN_ENDPOINT,
} JgFaultScope;

typedef struct _JgEmulatorFaults JgEmulatorFaults;

JgEmulatorFaults *jg_emulator_faults_new       (const char        *spec,
                                                guint32            seed,
                                                GError           **error);
void              jg_emulator_faults_free      (JgEmulatorFaults  *self);
JgFaultKind       jg_emulator_faults_roll      (JgEmulatorFaults  *self,
                                                JgFaultScope       scope,
                                                guint             *param);
const char       *jg_fault_kind_to_string      (JgFaultKind        kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgEmulatorFaults, jg_emulator_faults_free)

G_END_DECLS
