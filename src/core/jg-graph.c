/* jg-graph.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-graph"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-diagnostic.h"
#include "jg-edit-private.h"
#include "jg-graph-private.h"
#include "jg-util-private.h"
#include "jg-validate.h"

/* The job: its inputs, its tasks (whose ports hold the edges), and the
 * diagnostics of its last validation. Structure changes go through
 * jg_graph_apply() (jg-edit.c) so that every change is undoable, emits
 * ::changed once, and is validated at once when auto-validate is on.
 */

struct _JgGraph
{
  GObject     parent_instance;

  char       *name;
  char       *api_version;
  int         priority;
  double      view_x;
  double      view_y;
  double      zoom;

  GListStore *inputs;
  GListStore *tasks;
  GListStore *diagnostics;
  guint       n_errors;
  guint       n_warnings;
  char      **account_processors;

  JgAnalysis  analysis;
  guint       analysis_valid : 1;
  guint       auto_validate : 1;
};

enum
{
  PROP_0,
  PROP_NAME,
  PROP_PRIORITY,
  PROP_API_VERSION,
  PROP_N_ERRORS,
  PROP_N_WARNINGS,
  PROP_AUTO_VALIDATE,
  N_PROPS
};

enum
{
  CHANGED,
  PORTS_CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgGraph, jg_graph, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void
analysis_clear (JgAnalysis *analysis)
{
  g_clear_pointer (&analysis->order, g_ptr_array_unref);
  g_clear_pointer (&analysis->inputs, g_ptr_array_unref);
  g_clear_pointer (&analysis->outputs, g_ptr_array_unref);
  analysis->n_sorted = 0;
}

static void
invalidate_analysis (JgGraph *self)
{
  self->analysis_valid = FALSE;
}

static inline JgTask *
task_at (JgGraph *self,
         guint    position)
{
  /* Borrowed: the store keeps its reference. */
  JgTask *task = g_list_model_get_item (G_LIST_MODEL (self->tasks), position);
  g_object_unref (task);
  return task;
}

static inline JgJobInput *
input_at (JgGraph *self,
          guint    position)
{
  JgJobInput *input = g_list_model_get_item (G_LIST_MODEL (self->inputs), position);
  g_object_unref (input);
  return input;
}

static void
reset_asset_scratch (GArray *ports)
{
  for (guint i = 0; i < ports->len; i++)
    {
      const JgPortRef *ref = &g_array_index (ports, JgPortRef, i);

      if (ref->kind == JG_REF_OUTPUT_ASSET)
        {
          JgOutputAsset *asset = JG_OUTPUT_ASSET (ref->object);

          asset->index = -1;
          asset->n_writers = 0;
          asset->first_writer = NULL;
          if (asset->more_writers != NULL)
            g_ptr_array_set_size (asset->more_writers, 0);
        }
    }
}

static void
add_writer (JgOutputAsset *asset,
            JgTask        *task)
{
  if (asset->n_writers++ == 0)
    {
      asset->first_writer = task;
      return;
    }

  if (asset->more_writers == NULL)
    asset->more_writers = g_ptr_array_new ();
  g_ptr_array_add (asset->more_writers, task);
}

static inline JgTask *
nth_writer (JgOutputAsset *asset,
            guint          n)
{
  return n == 0 ? asset->first_writer : g_ptr_array_index (asset->more_writers, n - 1);
}

/* A binary min-heap of task positions: Kahn's algorithm always takes the
 * ready task that comes first in the list, so a list that is already in
 * run order comes out unchanged, and export → import → export is stable.
 */
typedef struct
{
  int  *items;
  guint len;
} MinHeap;

static void
heap_push (MinHeap *heap,
           int      value)
{
  guint i = heap->len++;

  heap->items[i] = value;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (heap->items[parent] <= heap->items[i])
        break;

      heap->items[i] = heap->items[parent];
      heap->items[parent] = value;
      i = parent;
    }
}

static int
heap_pop (MinHeap *heap)
{
  int   top = heap->items[0];
  int   last = heap->items[--heap->len];
  guint i = 0;

  if (heap->len == 0)
    return top;

  heap->items[0] = last;
  for (;;)
    {
      guint l = 2 * i + 1;
      guint r = l + 1;
      guint smallest = i;

      if (l < heap->len && heap->items[l] < heap->items[smallest])
        smallest = l;
      if (r < heap->len && heap->items[r] < heap->items[smallest])
        smallest = r;
      if (smallest == i)
        break;

      heap->items[i] = heap->items[smallest];
      heap->items[smallest] = last;
      i = smallest;
    }

  return top;
}

static void
number_output (JgAnalysis    *analysis,
               JgOutputAsset *asset)
{
  if (asset->index >= 0)
    return;

  asset->index = analysis->outputs->len;
  g_ptr_array_add (analysis->outputs, asset);
}

const JgAnalysis *
_jg_graph_analyze (JgGraph *self)
{
  JgAnalysis         *analysis = &self->analysis;
  guint               n_tasks = g_list_model_get_n_items (G_LIST_MODEL (self->tasks));
  guint               n_inputs = g_list_model_get_n_items (G_LIST_MODEL (self->inputs));
  g_autofree JgTask **tasks = NULL;
  g_autofree guint   *succ_start = NULL;
  g_autofree int     *succ = NULL;
  g_autofree int     *heap_items = NULL;
  MinHeap             heap;
  guint               n_edges = 0;

  g_assert (JG_IS_GRAPH (self));

  if (self->analysis_valid)
    return analysis;

  analysis_clear (analysis);
  analysis->order = g_ptr_array_sized_new (n_tasks);
  analysis->inputs = g_ptr_array_sized_new (n_inputs);
  analysis->outputs = g_ptr_array_new ();

  tasks = g_new (JgTask *, n_tasks + 1);

  /* Reset every scratch field the analysis relies on. */
  for (guint i = 0; i < n_inputs; i++)
    {
      JgJobInput *input = input_at (self, i);

      input->index = -1;
      input->n_readers = 0;
    }

  for (guint i = 0; i < n_tasks; i++)
    {
      JgTask *task = tasks[i] = task_at (self, i);

      task->position = i;
      task->topo_index = -1;
      task->in_degree = 0;
      reset_asset_scratch (task->inputs);
      reset_asset_scratch (task->outputs);
    }

  /* Who writes what. */
  for (guint i = 0; i < n_tasks; i++)
    {
      GArray *outputs = tasks[i]->outputs;

      for (guint p = 0; p < outputs->len; p++)
        {
          const JgPortRef *ref = &g_array_index (outputs, JgPortRef, p);

          if (ref->kind == JG_REF_OUTPUT_ASSET)
            add_writer (JG_OUTPUT_ASSET (ref->object), tasks[i]);
        }
    }

  /* Dependency edges writer → reader, stored as a compressed adjacency
   * list indexed by the writer's position.
   */
  succ_start = g_new0 (guint, n_tasks + 1);
  for (guint i = 0; i < n_tasks; i++)
    {
      GArray *inputs = tasks[i]->inputs;

      for (guint p = 0; p < inputs->len; p++)
        {
          const JgPortRef *ref = &g_array_index (inputs, JgPortRef, p);

          if (ref->kind == JG_REF_JOB_INPUT)
            JG_JOB_INPUT (ref->object)->n_readers++;
          else if (ref->kind == JG_REF_OUTPUT_ASSET)
            {
              JgOutputAsset *asset = JG_OUTPUT_ASSET (ref->object);

              for (guint w = 0; w < asset->n_writers; w++)
                {
                  JgTask *writer = nth_writer (asset, w);

                  succ_start[writer->position]++;
                  tasks[i]->in_degree++;
                  n_edges++;
                }
            }
        }
    }

  /* Prefix sums, then fill (succ_start[w] ends up as the start of w's list). */
  for (guint i = 0, sum = 0; i <= n_tasks; i++)
    {
      guint count = i < n_tasks ? succ_start[i] : 0;

      succ_start[i] = sum + count;
      sum += count;
    }

  succ = g_new (int, n_edges + 1);
  for (guint i = n_tasks; i-- > 0;)
    {
      GArray *inputs = tasks[i]->inputs;

      for (guint p = inputs->len; p-- > 0;)
        {
          const JgPortRef *ref = &g_array_index (inputs, JgPortRef, p);

          if (ref->kind != JG_REF_OUTPUT_ASSET)
            continue;

          for (guint w = 0; w < JG_OUTPUT_ASSET (ref->object)->n_writers; w++)
            {
              JgTask *writer = nth_writer (JG_OUTPUT_ASSET (ref->object), w);

              succ[--succ_start[writer->position]] = i;
            }
        }
    }

  /* Kahn's algorithm, smallest list position first. */
  heap_items = g_new (int, n_tasks + 1);
  heap.items = heap_items;
  heap.len = 0;

  for (guint i = 0; i < n_tasks; i++)
    if (tasks[i]->in_degree == 0)
      heap_push (&heap, i);

  while (heap.len > 0)
    {
      int     i = heap_pop (&heap);
      JgTask *task = tasks[i];

      task->topo_index = analysis->order->len;
      g_ptr_array_add (analysis->order, task);

      for (guint e = succ_start[i]; e < succ_start[i + 1]; e++)
        {
          JgTask *reader = tasks[succ[e]];

          if (--reader->in_degree == 0)
            heap_push (&heap, succ[e]);
        }
    }

  analysis->n_sorted = analysis->order->len;

  for (guint i = 0; i < n_tasks; i++)
    if (tasks[i]->topo_index < 0)
      g_ptr_array_add (analysis->order, tasks[i]);

  /* Numbering, in order of first appearance in run order (the SDK's
   * scheme): inputs as they are read, outputs as they are written.
   */
  for (guint t = 0; t < analysis->order->len; t++)
    {
      JgTask *task = g_ptr_array_index (analysis->order, t);

      for (guint p = 0; p < task->inputs->len; p++)
        {
          const JgPortRef *ref = &g_array_index (task->inputs, JgPortRef, p);

          if (ref->kind == JG_REF_JOB_INPUT && JG_JOB_INPUT (ref->object)->index < 0)
            {
              JG_JOB_INPUT (ref->object)->index = analysis->inputs->len;
              g_ptr_array_add (analysis->inputs, ref->object);
            }
        }

      for (guint p = 0; p < task->outputs->len; p++)
        {
          const JgPortRef *ref = &g_array_index (task->outputs, JgPortRef, p);

          if (ref->kind == JG_REF_OUTPUT_ASSET)
            number_output (analysis, JG_OUTPUT_ASSET (ref->object));
        }
    }

  /* Inputs that nothing reads still belong to the job. */
  for (guint i = 0; i < n_inputs; i++)
    {
      JgJobInput *input = input_at (self, i);

      if (input->index < 0)
        {
          input->index = analysis->inputs->len;
          g_ptr_array_add (analysis->inputs, input);
        }
    }

  /* Assets that are read but written by no task get numbers last, so that
   * messages can still name them.
   */
  for (guint t = 0; t < n_tasks; t++)
    {
      GArray *inputs = tasks[t]->inputs;

      for (guint p = 0; p < inputs->len; p++)
        {
          const JgPortRef *ref = &g_array_index (inputs, JgPortRef, p);

          if (ref->kind == JG_REF_OUTPUT_ASSET)
            number_output (analysis, JG_OUTPUT_ASSET (ref->object));
        }
    }

  self->analysis_valid = TRUE;

  return analysis;
}

static void
jg_graph_dispose (GObject *object)
{
  JgGraph *self = (JgGraph *)object;

  analysis_clear (&self->analysis);

  if (self->tasks != NULL)
    g_list_store_remove_all (self->tasks);
  if (self->inputs != NULL)
    g_list_store_remove_all (self->inputs);
  if (self->diagnostics != NULL)
    g_list_store_remove_all (self->diagnostics);

  G_OBJECT_CLASS (jg_graph_parent_class)->dispose (object);
}

static void
jg_graph_finalize (GObject *object)
{
  JgGraph *self = (JgGraph *)object;

  g_clear_object (&self->tasks);
  g_clear_object (&self->inputs);
  g_clear_object (&self->diagnostics);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->api_version, g_free);
  g_clear_pointer (&self->account_processors, g_strfreev);

  G_OBJECT_CLASS (jg_graph_parent_class)->finalize (object);
}

static void
jg_graph_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  JgGraph *self = JG_GRAPH (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;

    case PROP_API_VERSION:
      g_value_set_string (value, self->api_version);
      break;

    case PROP_N_ERRORS:
      g_value_set_uint (value, self->n_errors);
      break;

    case PROP_N_WARNINGS:
      g_value_set_uint (value, self->n_warnings);
      break;

    case PROP_AUTO_VALIDATE:
      g_value_set_boolean (value, self->auto_validate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_graph_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  JgGraph *self = JG_GRAPH (object);

  switch (prop_id)
    {
    case PROP_NAME:
      jg_graph_set_name (self, g_value_get_string (value));
      break;

    case PROP_PRIORITY:
      jg_graph_set_priority (self, g_value_get_int (value));
      break;

    case PROP_API_VERSION:
      jg_graph_set_api_version (self, g_value_get_string (value));
      break;

    case PROP_AUTO_VALIDATE:
      jg_graph_set_auto_validate (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_graph_class_init (JgGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_graph_dispose;
  object_class->finalize = jg_graph_finalize;
  object_class->get_property = jg_graph_get_property;
  object_class->set_property = jg_graph_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL,
                      G_MININT, G_MAXINT, 0,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_API_VERSION] =
    g_param_spec_string ("api-version", NULL, NULL,
                         JG_DEFAULT_API_VERSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_ERRORS] =
    g_param_spec_uint ("n-errors", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_WARNINGS] =
    g_param_spec_uint ("n-warnings", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTO_VALIDATE] =
    g_param_spec_boolean ("auto-validate", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgGraph::changed:
   *
   * Emitted once after each applied edit (and after jg_graph_validate()),
   * when the graph and its diagnostics are consistent again.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * JgGraph::ports-changed:
   * @task: the task whose ports were added, removed or reconnected
   */
  signals[PORTS_CHANGED] =
    g_signal_new ("ports-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JG_TYPE_TASK);
}

static void
jg_graph_init (JgGraph *self)
{
  self->api_version = g_strdup (JG_DEFAULT_API_VERSION);
  self->zoom = 1.0;
  self->auto_validate = TRUE;
  self->inputs = g_list_store_new (JG_TYPE_JOB_INPUT);
  self->tasks = g_list_store_new (JG_TYPE_TASK);
  self->diagnostics = g_list_store_new (JG_TYPE_DIAGNOSTIC);
}

JgGraph *
jg_graph_new (void)
{
  return g_object_new (JG_TYPE_GRAPH, NULL);
}

const char *
jg_graph_get_name (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return self->name;
}

void
jg_graph_set_name (JgGraph    *self,
                   const char *name)
{
  g_return_if_fail (JG_IS_GRAPH (self));

  if (_jg_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

int
jg_graph_get_priority (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), 0);

  return self->priority;
}

void
jg_graph_set_priority (JgGraph *self,
                       int      priority)
{
  g_return_if_fail (JG_IS_GRAPH (self));

  if (self->priority != priority)
    {
      self->priority = priority;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
    }
}

/**
 * jg_graph_get_api_version:
 *
 * Returns: the `x-ms-version` the job is meant for; it decides, for
 *   instance, whether a shared output is an error or a warning.
 */
const char *
jg_graph_get_api_version (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return self->api_version;
}

void
jg_graph_set_api_version (JgGraph    *self,
                          const char *api_version)
{
  g_return_if_fail (JG_IS_GRAPH (self));

  if (api_version == NULL || api_version[0] == '\0')
    api_version = JG_DEFAULT_API_VERSION;

  if (_jg_set_str (&self->api_version, api_version))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_VERSION]);
}

void
jg_graph_get_viewport (JgGraph *self,
                       double  *x,
                       double  *y,
                       double  *zoom)
{
  g_return_if_fail (JG_IS_GRAPH (self));

  if (x)
    *x = self->view_x;
  if (y)
    *y = self->view_y;
  if (zoom)
    *zoom = self->zoom;
}

void
jg_graph_set_viewport (JgGraph *self,
                       double   x,
                       double   y,
                       double   zoom)
{
  g_return_if_fail (JG_IS_GRAPH (self));

  self->view_x = x;
  self->view_y = y;
  self->zoom = zoom > 0 ? zoom : 1.0;
}

/**
 * jg_graph_get_inputs:
 *
 * Returns: (transfer none): a #GListModel of #JgJobInput, in the order the
 *   producer arranged them.
 */
GListModel *
jg_graph_get_inputs (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return G_LIST_MODEL (self->inputs);
}

guint
jg_graph_get_n_inputs (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->inputs));
}

/**
 * jg_graph_get_input:
 *
 * Returns: (transfer none): the input at @position
 */
JgJobInput *
jg_graph_get_input (JgGraph *self,
                    guint    position)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);
  g_return_val_if_fail (position < jg_graph_get_n_inputs (self), NULL);

  return input_at (self, position);
}

/**
 * jg_graph_get_tasks:
 *
 * Returns: (transfer none): a #GListModel of #JgTask
 */
GListModel *
jg_graph_get_tasks (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return G_LIST_MODEL (self->tasks);
}

guint
jg_graph_get_n_tasks (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->tasks));
}

/**
 * jg_graph_get_task:
 *
 * Returns: (transfer none): the task at @position
 */
JgTask *
jg_graph_get_task (JgGraph *self,
                   guint    position)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);
  g_return_val_if_fail (position < jg_graph_get_n_tasks (self), NULL);

  return task_at (self, position);
}

int
jg_graph_find_task (JgGraph *self,
                    JgTask  *task)
{
  guint position;

  g_return_val_if_fail (JG_IS_GRAPH (self), -1);

  if (task != NULL && g_list_store_find (self->tasks, task, &position))
    return position;

  return -1;
}

int
jg_graph_find_input (JgGraph    *self,
                     JgJobInput *input)
{
  guint position;

  g_return_val_if_fail (JG_IS_GRAPH (self), -1);

  if (input != NULL && g_list_store_find (self->inputs, input, &position))
    return position;

  return -1;
}

static GPtrArray *
dup_objects (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new_full (array->len, g_object_unref);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (array, i)));

  return copy;
}

/**
 * jg_graph_dup_run_order:
 *
 * Returns: (transfer full) (element-type JgTask): the tasks in the order the
 *   service runs them (tasks in a cycle last, in list order).
 */
GPtrArray *
jg_graph_dup_run_order (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return dup_objects (_jg_graph_analyze (self)->order);
}

/**
 * jg_graph_dup_output_assets:
 *
 * Returns: (transfer full) (element-type JgOutputAsset): the distinct output
 *   assets, indexed by their `JobOutputAsset(n)` number.
 */
GPtrArray *
jg_graph_dup_output_assets (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return dup_objects (_jg_graph_analyze (self)->outputs);
}

/**
 * jg_graph_dup_numbered_inputs:
 *
 * Returns: (transfer full) (element-type JgJobInput): the job inputs,
 *   indexed by their `JobInputAsset(n)` number.
 */
GPtrArray *
jg_graph_dup_numbered_inputs (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return dup_objects (_jg_graph_analyze (self)->inputs);
}

void
_jg_graph_insert_task (JgGraph *self,
                       JgTask  *task,
                       guint    position)
{
  g_list_store_insert (self->tasks, position, task);
  invalidate_analysis (self);
}

JgTask *
_jg_graph_remove_task (JgGraph *self,
                       guint    position)
{
  JgTask *task = g_list_model_get_item (G_LIST_MODEL (self->tasks), position);

  g_list_store_remove (self->tasks, position);
  invalidate_analysis (self);

  return task;
}

void
_jg_graph_insert_input (JgGraph    *self,
                        JgJobInput *input,
                        guint       position)
{
  g_list_store_insert (self->inputs, position, input);
  invalidate_analysis (self);
}

JgJobInput *
_jg_graph_remove_input (JgGraph *self,
                        guint    position)
{
  JgJobInput *input = g_list_model_get_item (G_LIST_MODEL (self->inputs), position);

  g_list_store_remove (self->inputs, position);
  invalidate_analysis (self);

  return input;
}

void
_jg_graph_structure_changed (JgGraph *self,
                             JgTask  *task)
{
  invalidate_analysis (self);

  if (task != NULL)
    g_signal_emit (self, signals[PORTS_CHANGED], 0, task);
}

void
_jg_graph_edit_done (JgGraph *self)
{
  if (self->auto_validate)
    jg_graph_validate (self);
  else
    g_signal_emit (self, signals[CHANGED], 0);
}

void
jg_graph_append_input (JgGraph    *self,
                       JgJobInput *input)
{
  g_return_if_fail (JG_IS_GRAPH (self));
  g_return_if_fail (JG_IS_JOB_INPUT (input));

  _jg_graph_insert_input (self, input, jg_graph_get_n_inputs (self));
}

void
jg_graph_append_task (JgGraph *self,
                      JgTask  *task)
{
  g_return_if_fail (JG_IS_GRAPH (self));
  g_return_if_fail (JG_IS_TASK (task));

  _jg_graph_insert_task (self, task, jg_graph_get_n_tasks (self));
}

/**
 * jg_graph_add_task_port:
 * @output: %TRUE for an output port
 * @object: (nullable): the #JgJobInput or #JgOutputAsset for @kind
 * @text: (nullable): the reference text for %JG_REF_TEXT
 *
 * Appends a port to @task without recording an undo step (for importers).
 *
 * Returns: the new port's index
 */
guint
jg_graph_add_task_port (JgGraph    *self,
                        JgTask     *task,
                        gboolean    output,
                        JgRefKind   kind,
                        gpointer    object,
                        const char *text)
{
  JgPortRef ref = { kind, object, (char *)text };
  guint     index;

  g_return_val_if_fail (JG_IS_GRAPH (self), 0);
  g_return_val_if_fail (JG_IS_TASK (task), 0);
  g_return_val_if_fail (kind != JG_REF_JOB_INPUT || JG_IS_JOB_INPUT (object), 0);
  g_return_val_if_fail (kind != JG_REF_OUTPUT_ASSET || JG_IS_OUTPUT_ASSET (object), 0);

  if (kind != JG_REF_JOB_INPUT && kind != JG_REF_OUTPUT_ASSET)
    ref.object = NULL;
  if (kind != JG_REF_TEXT)
    ref.text = NULL;

  index = output ? task->outputs->len : task->inputs->len;
  _jg_task_insert_port (task, output, index, &ref);
  _jg_graph_structure_changed (self, task);

  return index;
}

/**
 * jg_graph_would_create_cycle:
 *
 * Returns: %TRUE when connecting an input port of @reader to @asset would
 *   make tasks form a cycle (for the editor to refuse the wire).
 */
gboolean
jg_graph_would_create_cycle (JgGraph       *self,
                             JgTask        *reader,
                             JgOutputAsset *asset)
{
  g_autoptr(GHashTable) reached = NULL;
  g_autoptr(GPtrArray) stack = NULL;
  const JgAnalysis *analysis;

  g_return_val_if_fail (JG_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (JG_IS_TASK (reader), FALSE);
  g_return_val_if_fail (JG_IS_OUTPUT_ASSET (asset), FALSE);

  analysis = _jg_graph_analyze (self);

  /* A cycle appears exactly when a writer of @asset is @reader itself or
   * depends on it: walk downstream from @reader.
   */
  reached = g_hash_table_new (NULL, NULL);
  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, reader);
  g_hash_table_add (reached, reader);

  while (stack->len > 0)
    {
      JgTask *task = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      for (guint w = 0; w < asset->n_writers; w++)
        if (nth_writer (asset, w) == task)
          return TRUE;

      for (guint p = 0; p < task->outputs->len; p++)
        {
          const JgPortRef *out = &g_array_index (task->outputs, JgPortRef, p);

          if (out->kind != JG_REF_OUTPUT_ASSET)
            continue;

          for (guint t = 0; t < analysis->order->len; t++)
            {
              JgTask *other = g_ptr_array_index (analysis->order, t);

              if (g_hash_table_contains (reached, other))
                continue;

              for (guint q = 0; q < other->inputs->len; q++)
                {
                  const JgPortRef *in = &g_array_index (other->inputs, JgPortRef, q);

                  if (in->kind == JG_REF_OUTPUT_ASSET && in->object == out->object)
                    {
                      g_hash_table_add (reached, other);
                      g_ptr_array_add (stack, other);
                      break;
                    }
                }
            }
        }
    }

  return FALSE;
}

/**
 * jg_graph_check_connection:
 * @source: the #JgJobInput or #JgOutputAsset the wire would carry
 * @reader: the task whose input port would read it
 * @input_index: the input port, or -1 for a new port
 * @reason: (out) (optional): why the wire is refused, for the editor to show
 *   at the pointer before the user lets go
 *
 * Checks a wire the editor is about to make against the rules it would
 * break on its own: a task reading its own output or making a cycle, a
 * second source into an input that is already wired, and the per-task asset
 * limit. Moving a wire onto the port it already occupies is allowed.
 *
 * Returns: %TRUE when the wire may be made.
 */
gboolean
jg_graph_check_connection (JgGraph  *self,
                           GObject  *source,
                           JgTask   *reader,
                           int       input_index,
                           char    **reason)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), FALSE);
  g_return_val_if_fail (JG_IS_JOB_INPUT (source) || JG_IS_OUTPUT_ASSET (source), FALSE);
  g_return_val_if_fail (JG_IS_TASK (reader), FALSE);

  if (reason != NULL)
    *reason = NULL;

  if (input_index >= 0 && (guint)input_index < reader->inputs->len)
    {
      const JgPortRef *in = &g_array_index (reader->inputs, JgPortRef, input_index);

      if (in->object == (gpointer)source)
        return TRUE;

      if (in->kind != JG_REF_NONE)
        {
          if (reason != NULL)
            *reason = g_strdup (_("This input already has a source; drag its wire to move it"));
          return FALSE;
        }
    }
  else if (reader->inputs->len >= JG_MAX_ASSETS_PER_TASK)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("A task reads at most %d assets"), JG_MAX_ASSETS_PER_TASK);
      return FALSE;
    }

  if (JG_IS_OUTPUT_ASSET (source))
    {
      JgOutputAsset *asset = JG_OUTPUT_ASSET (source);

      for (guint p = 0; p < reader->outputs->len; p++)
        if (g_array_index (reader->outputs, JgPortRef, p).object == (gpointer)asset)
          {
            if (reason != NULL)
              *reason = g_strdup (_("A task cannot read an asset it writes"));
            return FALSE;
          }

      if (jg_graph_would_create_cycle (self, reader, asset))
        {
          if (reason != NULL)
            *reason = g_strdup (_("This wire would make a cycle: the asset is written downstream of this task"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * jg_graph_get_diagnostics:
 *
 * Returns: (transfer none): a #GListModel of #JgDiagnostic from the last
 *   validation, errors first.
 */
GListModel *
jg_graph_get_diagnostics (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return G_LIST_MODEL (self->diagnostics);
}

guint
jg_graph_get_n_errors (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), 0);

  return self->n_errors;
}

guint
jg_graph_get_n_warnings (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), 0);

  return self->n_warnings;
}

/**
 * jg_graph_validate:
 *
 * Runs every rule on the graph now and replaces the diagnostics model's
 * contents, then emits ::changed.
 */
void
jg_graph_validate (JgGraph *self)
{
  g_autoptr(GPtrArray) diagnostics = NULL;
  JgValidateOptions options = { 0 };
  guint             n_errors = 0;
  guint             n_warnings = 0;

  g_return_if_fail (JG_IS_GRAPH (self));

  options.api_version = self->api_version;
  options.account_processors = (const char *const *)self->account_processors;
  diagnostics = jg_validate_graph (self, &options);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      if (jg_diagnostic_get_severity (g_ptr_array_index (diagnostics, i)) == JG_SEVERITY_ERROR)
        n_errors++;
      else
        n_warnings++;
    }

  g_list_store_splice (self->diagnostics,
                       0, g_list_model_get_n_items (G_LIST_MODEL (self->diagnostics)),
                       diagnostics->pdata, diagnostics->len);

  if (self->n_errors != n_errors)
    {
      self->n_errors = n_errors;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ERRORS]);
    }

  if (self->n_warnings != n_warnings)
    {
      self->n_warnings = n_warnings;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WARNINGS]);
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
jg_graph_get_auto_validate (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), FALSE);

  return self->auto_validate;
}

/**
 * jg_graph_set_auto_validate:
 *
 * When on (the default), every applied edit re-runs validation before
 * ::changed is emitted. Large graphs in the editor turn it off and validate
 * a snapshot in a thread instead.
 */
void
jg_graph_set_auto_validate (JgGraph *self,
                            gboolean auto_validate)
{
  g_return_if_fail (JG_IS_GRAPH (self));

  auto_validate = !!auto_validate;
  if (self->auto_validate != auto_validate)
    {
      self->auto_validate = auto_validate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_VALIDATE]);
    }
}

const char *const *
jg_graph_get_account_processors (JgGraph *self)
{
  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);

  return (const char *const *)self->account_processors;
}

/**
 * jg_graph_set_account_processors:
 * @processor_ids: (nullable) (array zero-terminated=1): the ids the
 *   account lists in `MediaProcessors`
 *
 * Ids listed here are not reported as `unknown-media-processor`.
 */
void
jg_graph_set_account_processors (JgGraph           *self,
                                 const char *const *processor_ids)
{
  g_return_if_fail (JG_IS_GRAPH (self));

  g_strfreev (self->account_processors);
  self->account_processors = g_strdupv ((char **)processor_ids);
}

/**
 * jg_graph_apply:
 * @edit: the change to make
 *
 * Applies @edit as one step: all of it, or (with @error set) none of it.
 * Then validates (when auto-validate is on) and emits ::changed.
 *
 * Returns: (transfer full) (nullable): the edit that undoes @edit
 */
JgEdit *
jg_graph_apply (JgGraph *self,
                JgEdit  *edit,
                GError **error)
{
  JgEdit *inverse;

  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);
  g_return_val_if_fail (edit != NULL, NULL);

  inverse = _jg_edit_apply (edit, self, error);
  if (inverse != NULL)
    _jg_graph_edit_done (self);

  return inverse;
}

static void
add_detach_readers (JgGraph *self,
                    JgEdit  *group,
                    GObject *source)
{
  guint n_tasks = jg_graph_get_n_tasks (self);

  for (guint t = 0; t < n_tasks; t++)
    {
      JgTask *task = task_at (self, t);

      for (guint p = 0; p < task->inputs->len; p++)
        if (g_array_index (task->inputs, JgPortRef, p).object == source)
          jg_edit_group_add (group, jg_edit_new_set_port (task, FALSE, p, JG_REF_NONE, NULL, NULL));
    }
}

/**
 * jg_graph_build_remove_task:
 *
 * Builds the editor's "delete task": the wires reading the task's outputs
 * are detached too, in the same undoable step.
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL if @task is not
 *   in the graph
 */
JgEdit *
jg_graph_build_remove_task (JgGraph *self,
                            JgTask  *task)
{
  g_autoptr(JgEdit) group = NULL;
  int position;

  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);
  g_return_val_if_fail (JG_IS_TASK (task), NULL);

  position = jg_graph_find_task (self, task);
  if (position < 0)
    return NULL;

  group = jg_edit_new_group ("Remove Task");

  for (guint p = 0; p < task->outputs->len; p++)
    {
      const JgPortRef *ref = &g_array_index (task->outputs, JgPortRef, p);
      JgOutputAsset   *asset;

      if (ref->kind != JG_REF_OUTPUT_ASSET)
        continue;

      /* A shared output that another task still writes stays connected. */
      asset = JG_OUTPUT_ASSET (ref->object);
      _jg_graph_analyze (self);
      if (asset->n_writers > 1)
        continue;

      add_detach_readers (self, group, ref->object);
    }

  jg_edit_group_add (group, jg_edit_new_remove_task (position));

  return g_steal_pointer (&group);
}

/**
 * jg_graph_build_remove_input:
 *
 * Builds the editor's "delete input": the wires reading it are detached in
 * the same undoable step.
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL if @input is not
 *   in the graph
 */
JgEdit *
jg_graph_build_remove_input (JgGraph    *self,
                             JgJobInput *input)
{
  g_autoptr(JgEdit) group = NULL;
  int position;

  g_return_val_if_fail (JG_IS_GRAPH (self), NULL);
  g_return_val_if_fail (JG_IS_JOB_INPUT (input), NULL);

  position = jg_graph_find_input (self, input);
  if (position < 0)
    return NULL;

  group = jg_edit_new_group ("Remove Input");
  add_detach_readers (self, group, G_OBJECT (input));
  jg_edit_group_add (group, jg_edit_new_remove_input (position));

  return g_steal_pointer (&group);
}
