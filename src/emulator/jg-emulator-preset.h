/* jg-emulator-preset.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-emulator-encoder.h"

G_BEGIN_DECLS

typedef struct _JgEncodePlan JgEncodePlan;

/* clang-format off */
JgEncodePlan *jg_encode_plan_new        (const char           *processor_id,
                                         const char           *configuration,
                                         GError              **error);
void          jg_encode_plan_free       (JgEncodePlan         *plan);
char         *jg_encode_plan_describe   (JgEncodePlan         *plan);
void          jg_encode_plan_run_async  (JgEncodePlan         *plan,
                                         const char * const   *input_paths,
                                         const char           *output_dir,
                                         JgEncodeProgressFunc  progress,
                                         gpointer              progress_data,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GPtrArray    *jg_encode_plan_run_finish (GAsyncResult         *result,
                                         GError              **error);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgEncodePlan, jg_encode_plan_free)

G_END_DECLS
