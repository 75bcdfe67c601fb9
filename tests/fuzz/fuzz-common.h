/* fuzz-common.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jg-core.h"

G_BEGIN_DECLS

/* The libFuzzer entry points (each target defines them). */
int      LLVMFuzzerInitialize       (int               *argc,
                                     char            ***argv);
int      LLVMFuzzerTestOneInput     (const uint8_t     *data,
                                     size_t             size);

void     jg_fuzz_init               (void);
void     jg_fuzz_fail               (const char        *format,
                                     ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;
void     jg_fuzz_dump               (const char        *label,
                                     const char        *data,
                                     gsize              length);
gboolean jg_fuzz_task_body_equal    (const JgTaskBody  *a,
                                     const JgTaskBody  *b,
                                     gboolean           with_template_id,
                                     char             **why);

G_END_DECLS
