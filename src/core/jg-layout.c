/* jg-layout.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-layout"

#include "config.h"

#include <stdlib.h>

#include "jg-edit.h"
#include "jg-graph-private.h"
#include "jg-layout.h"

/* A layered layout, left to right: job inputs in column 0, each task one
 * column right of the furthest task it reads from. Within a column, nodes
 * are ordered by the mean row of what they read (the barycentre
 * heuristic), which untangles chains and fan-outs well at the sizes a job
 * has (≤ 30 tasks).
 */

typedef struct
{
  GObject *node; /* JgJobInput or JgTask */
  int      layer;
  double   key; /* barycentre, then the row's centre */
  double   height;
  double   x;
  double   y;
  guint    order; /* tie-break: original order */
} Placement;

double
jg_layout_get_task_height (JgTask *task)
{
  guint ports = MAX (task->inputs->len, task->outputs->len);

  return JG_LAYOUT_HEADER_HEIGHT + MAX (ports, 1) * JG_LAYOUT_PORT_HEIGHT;
}

static int
compare_placements (gconstpointer a,
                    gconstpointer b)
{
  const Placement *pa = a;
  const Placement *pb = b;

  if (pa->layer != pb->layer)
    return pa->layer < pb->layer ? -1 : 1;
  if (pa->key != pb->key)
    return pa->key < pb->key ? -1 : 1;
  return pa->order < pb->order ? -1 : pa->order > pb->order;
}

static GArray *
compute (JgGraph *graph)
{
  const JgAnalysis  *analysis = _jg_graph_analyze (graph);
  guint              n_inputs = jg_graph_get_n_inputs (graph);
  guint              n_tasks = analysis->order->len;
  GArray            *placements = g_array_sized_new (FALSE, TRUE, sizeof (Placement), n_inputs + n_tasks);
  g_autofree int    *task_layer = g_new0 (int, n_tasks + 1);
  g_autofree double *task_row = g_new0 (double, n_tasks + 1);
  g_autofree double *input_row = g_new0 (double, n_inputs + 1);
  double             column_y;
  int                current_layer;

  /* Layers, in run order so that every writer is placed before its
   * readers (tasks in a cycle simply go one column right of what is known).
   */
  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask *task = g_ptr_array_index (analysis->order, t);
      int     layer = 1;

      for (guint p = 0; p < task->inputs->len; p++)
        {
          const JgPortRef *ref = &g_array_index (task->inputs, JgPortRef, p);
          JgOutputAsset   *asset;

          if (ref->kind != JG_REF_OUTPUT_ASSET)
            continue;

          asset = JG_OUTPUT_ASSET (ref->object);
          for (guint w = 0; w < asset->n_writers; w++)
            {
              JgTask *writer = w == 0 ? asset->first_writer : g_ptr_array_index (asset->more_writers, w - 1);

              if (writer != task && writer->topo_index >= 0 && writer->topo_index < (int)t)
                layer = MAX (layer, task_layer[writer->topo_index] + 1);
            }
        }

      task_layer[t] = layer;
    }

  for (guint i = 0; i < n_inputs; i++)
    {
      JgJobInput *input = jg_graph_get_input (graph, i);
      Placement   p = { G_OBJECT (input), 0, input->index, JG_LAYOUT_HEADER_HEIGHT, 0, 0, i };

      input_row[i] = input->index;
      g_array_append_val (placements, p);
    }

  /* Barycentres, layer by layer (run order visits writers first). */
  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask   *task = g_ptr_array_index (analysis->order, t);
      double    sum = 0;
      guint     count = 0;
      Placement p = { G_OBJECT (task), task_layer[t], 0, jg_layout_get_task_height (task), 0, 0, n_inputs + t };

      for (guint q = 0; q < task->inputs->len; q++)
        {
          const JgPortRef *ref = &g_array_index (task->inputs, JgPortRef, q);

          if (ref->kind == JG_REF_JOB_INPUT && JG_JOB_INPUT (ref->object)->index >= 0)
            {
              sum += JG_JOB_INPUT (ref->object)->index;
              count++;
            }
          else if (ref->kind == JG_REF_OUTPUT_ASSET && JG_OUTPUT_ASSET (ref->object)->n_writers > 0)
            {
              JgTask *writer = JG_OUTPUT_ASSET (ref->object)->first_writer;

              if (writer->topo_index >= 0 && writer->topo_index < (int)t)
                {
                  sum += task_row[writer->topo_index];
                  count++;
                }
            }
        }

      p.key = count > 0 ? sum / count : t;
      task_row[t] = p.key;
      g_array_append_val (placements, p);
    }

  g_array_sort (placements, compare_placements);

  /* Stack each column top to bottom. */
  current_layer = -1;
  column_y = JG_LAYOUT_MARGIN;
  for (guint i = 0; i < placements->len; i++)
    {
      Placement *p = &g_array_index (placements, Placement, i);

      if (p->layer != current_layer)
        {
          current_layer = p->layer;
          column_y = JG_LAYOUT_MARGIN;
        }

      p->x = JG_LAYOUT_MARGIN + p->layer * (JG_LAYOUT_NODE_WIDTH + JG_LAYOUT_COLUMN_GAP);
      p->y = column_y;
      column_y += p->height + JG_LAYOUT_ROW_GAP;
    }

  return placements;
}

/**
 * jg_layout_graph:
 *
 * Places every job input and task (no undo step: for freshly imported
 * graphs).
 */
void
jg_layout_graph (JgGraph *graph)
{
  g_autoptr(GArray) placements = NULL;

  g_return_if_fail (JG_IS_GRAPH (graph));

  placements = compute (graph);

  for (guint i = 0; i < placements->len; i++)
    {
      Placement *p = &g_array_index (placements, Placement, i);

      if (JG_IS_TASK (p->node))
        jg_task_set_position (JG_TASK (p->node), p->x, p->y);
      else
        jg_job_input_set_position (JG_JOB_INPUT (p->node), p->x, p->y);
    }
}

/**
 * jg_layout_build_edit:
 *
 * Returns: (transfer full): one undoable step that moves every node to its
 *   laid-out place (the editor's "Tidy Up")
 */
JgEdit *
jg_layout_build_edit (JgGraph *graph)
{
  g_autoptr(GArray) placements = NULL;
  JgEdit *group;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  placements = compute (graph);
  group = jg_edit_new_group ("Tidy Up");

  for (guint i = 0; i < placements->len; i++)
    {
      Placement *p = &g_array_index (placements, Placement, i);

      jg_edit_group_add (group, jg_edit_new_set (p->node, "x", p->x, "y", p->y, NULL));
    }

  return group;
}
