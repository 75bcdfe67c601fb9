/* jg-graph-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-graph.h"
#include "jg-model-private.h"

G_BEGIN_DECLS

/**
 * JgAnalysis:
 * @order: (element-type JgTask): every task, in run order: the first
 *   @n_sorted form a topological order; the rest are in or behind a cycle,
 *   in list order
 * @n_sorted: how many tasks could be ordered
 * @inputs: (element-type JgJobInput): job inputs by `JobInputAsset(n)` index
 * @outputs: (element-type JgOutputAsset): every output asset a port refers
 *   to, by `JobOutputAsset(n)` index (written ones first)
 *
 * The structure derived from the graph: run order and the contiguous
 * numbering the service sees (DESIGN.md "Indices are derived, not stored").
 * All pointers are borrowed from the graph. After the analysis the objects'
 * scratch fields (index, n_writers, n_readers, topo_index…) are valid.
 */
typedef struct
{
  GPtrArray *order;
  guint      n_sorted;
  GPtrArray *inputs;
  GPtrArray *outputs;
} JgAnalysis;

const JgAnalysis *_jg_graph_analyze            (JgGraph   *self);
void              _jg_graph_insert_task        (JgGraph   *self,
                                                JgTask    *task,
                                                guint      position);
JgTask           *_jg_graph_remove_task        (JgGraph   *self,
                                                guint      position);
void              _jg_graph_insert_input       (JgGraph   *self,
                                                JgJobInput *input,
                                                guint      position);
JgJobInput       *_jg_graph_remove_input       (JgGraph   *self,
                                                guint      position);
void              _jg_graph_structure_changed  (JgGraph   *self,
                                                JgTask    *task);
void              _jg_graph_edit_done          (JgGraph   *self);

G_END_DECLS
