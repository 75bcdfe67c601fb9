/* jg-layout.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

/* Node geometry the layout assumes (the canvas draws nodes this size). */
#define JG_LAYOUT_NODE_WIDTH    240.0
#define JG_LAYOUT_COLUMN_GAP    120.0
#define JG_LAYOUT_ROW_GAP       48.0
#define JG_LAYOUT_MARGIN        40.0
#define JG_LAYOUT_HEADER_HEIGHT 72.0
#define JG_LAYOUT_PORT_HEIGHT   28.0

double  jg_layout_get_task_height (JgTask  *task);
void    jg_layout_graph           (JgGraph *graph);
JgEdit *jg_layout_build_edit      (JgGraph *graph);

G_END_DECLS
