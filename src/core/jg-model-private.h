/* jg-model-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-job-input.h"
#include "jg-output-asset.h"
#include "jg-task.h"

G_BEGIN_DECLS

/* The model classes share their instance structs with the graph analysis
 * (jg-graph.c, jg-validate.c, jg-rest.c): validation runs on every edit and
 * must touch no hash table on its hot path, so the analysis keeps its
 * scratch numbers inside the objects themselves.
 */

typedef struct
{
  JgRefKind  kind;
  GObject   *object; /* JgJobInput or JgOutputAsset, owned */
  char      *text;   /* JG_REF_TEXT only */
} JgPortRef;

struct _JgJobInput
{
  GObject parent_instance;

  char   *label;
  char   *asset_id;
  double  x;
  double  y;

  /* Analysis scratch */
  int     index;
  guint   n_readers;
};

struct _JgOutputAsset
{
  GObject    parent_instance;

  char      *asset_name;
  char      *storage_account_name;
  int        creation_options;
  int        format_option;

  /* Analysis scratch */
  int        index;
  guint      n_writers;
  JgTask    *first_writer;  /* borrowed */
  GPtrArray *more_writers;  /* (element-type JgTask) borrowed; rare */
};

struct _JgTask
{
  GObject  parent_instance;

  char    *name;
  char    *processor_id;
  char    *configuration;
  int      options;
  int      priority;
  double   x;
  double   y;

  GArray  *inputs;  /* JgPortRef */
  GArray  *outputs; /* JgPortRef */

  /* Analysis scratch */
  int      position;   /* index in the graph's task list */
  int      topo_index; /* position in topological order, -1 in a cycle */
  guint    in_degree;
};

void  _jg_port_ref_clear     (JgPortRef       *ref);
void  _jg_port_ref_copy      (JgPortRef       *dest,
                              const JgPortRef *src);
void  _jg_task_insert_port   (JgTask          *task,
                              gboolean         output,
                              guint            index,
                              const JgPortRef *ref);
void  _jg_task_remove_port   (JgTask          *task,
                              gboolean         output,
                              guint            index,
                              JgPortRef       *removed);
void  _jg_task_set_port      (JgTask          *task,
                              gboolean         output,
                              guint            index,
                              const JgPortRef *ref,
                              JgPortRef       *previous);

G_END_DECLS
