/* jg-edit-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-edit.h"
#include "jg-graph.h"

G_BEGIN_DECLS

JgEdit *_jg_edit_apply (JgEdit   *edit,
                        JgGraph  *graph,
                        GError  **error);

G_END_DECLS
