/* bench-core.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "jg-core.h"
#include "jg-graph-private.h"

/* Core benchmarks: full validation, export (Job, JobTemplate, .jobgraph)
 * and import (Job, JobTemplate, .jobgraph) of synthetic graphs, from the
 * 30-task chain the service allows up to 10,000 tasks the editor may hold
 * while a user builds something invalid. The figures are printed, never
 * checked: timing depends on the machine.
 */

#define MES_PROCESSOR_ID "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"
#define MES_PRESET       "Adaptive Streaming"
#define ASSET_ID_FORMAT  "nb:cid:UUID:00000000-0000-0000-0000-%012u"

/* Job inputs of the large synthetic graphs. */
#define N_SYNTHETIC_INPUTS 4

typedef struct
{
  const char *label;
  guint       n_tasks;
  guint       repetitions;
  JgGraph *(*build) (guint n_tasks);
} GraphCase;

/* The state one measured operation works on. */
typedef struct
{
  JgGraph *graph;
  GBytes  *input;   /* what an import reads */
  gsize    n_bytes; /* what the operation reads or writes, for MB/s */
} Work;

typedef void (*WorkFunc) (Work *work);

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);

  return (gint64)ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted @samples. */
static gint64
percentile (const gint64 *samples,
            guint         n,
            double        p)
{
  guint rank = (guint)(p / 100.0 * n + 0.999999);

  rank = CLAMP (rank, 1, n);

  return samples[rank - 1];
}

static JgTask *
append_task (JgGraph *graph,
             guint    i)
{
  g_autofree char *name = g_strdup_printf ("Task %u", i);
  g_autoptr(JgTask) task = jg_task_new (name, MES_PROCESSOR_ID, MES_PRESET);

  jg_task_set_position (task, 400.0 + 360.0 * (i % 100), 40.0 + 160.0 * (i / 100));
  jg_graph_append_task (graph, task);

  /* The graph holds the reference now. */
  return task;
}

static JgJobInput *
append_input (JgGraph *graph,
              guint    i)
{
  g_autofree char *label = g_strdup_printf ("Input %u", i);
  g_autofree char *asset_id = g_strdup_printf (ASSET_ID_FORMAT, i);
  g_autoptr(JgJobInput) input = jg_job_input_new (label);

  jg_job_input_set_asset_id (input, asset_id);
  jg_job_input_set_position (input, 40.0, 40.0 + 120.0 * i);
  jg_graph_append_input (graph, input);

  return input;
}

static JgOutputAsset *
add_output (JgGraph *graph,
            JgTask  *task,
            guint    i)
{
  g_autofree char *asset_name = g_strdup_printf ("Output %u", i);
  g_autoptr(JgOutputAsset) asset = jg_output_asset_new ();

  jg_output_asset_set_asset_name (asset, asset_name);
  jg_graph_add_task_port (graph, task, TRUE, JG_REF_OUTPUT_ASSET, asset, NULL);

  return asset;
}

/* The seed-like chain: one job input; task 0 reads it, task i reads what
 * task i - 1 wrote; every task writes one output.
 */
static JgGraph *
build_chain (guint n_tasks)
{
  JgGraph       *graph = jg_graph_new ();
  JgOutputAsset *previous = NULL;
  JgJobInput    *input;

  jg_graph_set_auto_validate (graph, FALSE);
  jg_graph_set_name (graph, "Benchmark chain");
  input = append_input (graph, 0);

  for (guint i = 0; i < n_tasks; i++)
    {
      JgTask *task = append_task (graph, i);

      if (previous == NULL)
        jg_graph_add_task_port (graph, task, FALSE, JG_REF_JOB_INPUT, input, NULL);
      else
        jg_graph_add_task_port (graph, task, FALSE, JG_REF_OUTPUT_ASSET, previous, NULL);

      previous = add_output (graph, task, i);
    }

  return graph;
}

/* Chains with fan-out, beyond the service's 30-task limit: task i reads
 * what task (i - 1) / 2 wrote, so every task feeds two others; the first
 * tasks also read one of a few job inputs each.
 */
static JgGraph *
build_fan_out (guint n_tasks)
{
  JgGraph *graph = jg_graph_new ();
  g_autoptr(GPtrArray) outputs = g_ptr_array_sized_new (n_tasks);
  JgJobInput *inputs[N_SYNTHETIC_INPUTS];

  jg_graph_set_auto_validate (graph, FALSE);
  jg_graph_set_name (graph, "Benchmark fan-out");

  for (guint i = 0; i < N_SYNTHETIC_INPUTS; i++)
    inputs[i] = append_input (graph, i);

  for (guint i = 0; i < n_tasks; i++)
    {
      JgTask *task = append_task (graph, i);

      if (i > 0)
        jg_graph_add_task_port (graph, task, FALSE, JG_REF_OUTPUT_ASSET,
                                g_ptr_array_index (outputs, (i - 1) / 2), NULL);
      if (i < N_SYNTHETIC_INPUTS)
        jg_graph_add_task_port (graph, task, FALSE, JG_REF_JOB_INPUT, inputs[i], NULL);

      g_ptr_array_add (outputs, add_output (graph, task, i));
    }

  return graph;
}

static void
die (const char *what,
     GError     *error)
{
  fprintf (stderr, "bench-core: %s failed: %s\n", what,
           error != NULL ? error->message : "no error set");
  exit (EXIT_FAILURE);
}

/* The measured operations. Each one that reads the graph's analysis first
 * drops the cached one, as any edit would, so that the figures include
 * the analysis (run order and numbering) every real call pays after a
 * change.
 */

static void
run_validate (Work *work)
{
  g_autoptr(GPtrArray) diagnostics = NULL;

  _jg_graph_structure_changed (work->graph, NULL);
  diagnostics = jg_validate_graph (work->graph, NULL);
  if (diagnostics == NULL)
    die ("jg_validate_graph()", NULL);
}

static void
run_export (Work        *work,
            JgExportKind kind,
            const char  *what)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  _jg_graph_structure_changed (work->graph, NULL);
  bytes = jg_export_graph (work->graph, kind, NULL, &error);
  if (bytes == NULL)
    die (what, error);

  work->n_bytes = g_bytes_get_size (bytes);
}

static void
run_export_job (Work *work)
{
  run_export (work, JG_EXPORT_JOB, "jg_export_graph() as a Job");
}

static void
run_export_template (Work *work)
{
  run_export (work, JG_EXPORT_TEMPLATE, "jg_export_graph() as a JobTemplate");
}

static void
run_export_document (Work *work)
{
  run_export (work, JG_EXPORT_DOCUMENT, "jg_export_graph() as a .jobgraph");
}

static void
run_import (Work *work)
{
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  gsize       size;
  const char *data = g_bytes_get_data (work->input, &size);

  graph = jg_import_data (data, size, NULL, NULL, &error);
  if (graph == NULL)
    die ("jg_import_data()", error);

  work->n_bytes = size;
}

static void
print_duration (gint64 ns,
                double scale)
{
  printf (" %9.1f", ns / scale);
}

static void
print_header (void)
{
  printf ("%-22s %6s %5s %4s %9s %9s %9s %9s %9s %10s %8s %11s\n",
          "operation", "tasks", "reps", "unit", "median", "min", "p10", "p90",
          "max", "bytes", "MB/s", "tasks/s");
  printf ("%-22s %6s %5s %4s %9s %9s %9s %9s %9s %10s %8s %11s\n",
          "----------------------", "------", "-----", "----", "---------",
          "---------", "---------", "---------", "---------", "----------",
          "--------", "-----------");
}

/* Runs @func once to warm up, then @repetitions times, and prints a row. */
static void
measure (const char *operation,
         guint       n_tasks,
         guint       repetitions,
         WorkFunc    func,
         Work       *work,
         gboolean    throughput)
{
  g_autofree gint64 *samples = g_new (gint64, repetitions);
  gint64             median;
  double             scale;
  const char        *unit;

  func (work);

  for (guint i = 0; i < repetitions; i++)
    {
      gint64 start = now_ns ();

      func (work);
      samples[i] = now_ns () - start;
    }

  qsort (samples, repetitions, sizeof (gint64), compare_int64);
  median = percentile (samples, repetitions, 50);

  if (median < 1000000)
    {
      unit = "µs";
      scale = 1e3;
    }
  else
    {
      unit = "ms";
      scale = 1e6;
    }

  /* "µs" is two bytes wide in UTF-8 and one column on screen. */
  printf ("%-22s %6u %5u %*s", operation, n_tasks, repetitions,
          (int)(4 + strlen (unit) - g_utf8_strlen (unit, -1)), unit);
  print_duration (median, scale);
  print_duration (samples[0], scale);
  print_duration (percentile (samples, repetitions, 10), scale);
  print_duration (percentile (samples, repetitions, 90), scale);
  print_duration (samples[repetitions - 1], scale);

  if (throughput)
    printf (" %10" G_GSIZE_FORMAT " %8.1f %11.0f\n",
            work->n_bytes,
            work->n_bytes / (median / 1e9) / 1e6,
            n_tasks / (median / 1e9));
  else
    printf (" %10s %8s %11.0f\n", "-", "-", n_tasks / (median / 1e9));

  fflush (stdout);
}

static GBytes *
export_or_die (JgGraph     *graph,
               JgExportKind kind)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = jg_export_graph (graph, kind, NULL, &error);
  if (bytes == NULL)
    die ("jg_export_graph()", error);

  return bytes;
}

static void
check_import (GBytes     *bytes,
              guint       n_tasks,
              const char *what)
{
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  gsize       size;
  const char *data = g_bytes_get_data (bytes, &size);

  graph = jg_import_data (data, size, NULL, NULL, &error);
  if (graph == NULL)
    die (what, error);

  if (jg_graph_get_n_tasks (graph) != n_tasks)
    {
      fprintf (stderr, "bench-core: %s: imported %u tasks, expected %u\n",
               what, jg_graph_get_n_tasks (graph), n_tasks);
      exit (EXIT_FAILURE);
    }
}

static void
run_case (const GraphCase *graph_case)
{
  g_autoptr(JgGraph) graph = graph_case->build (graph_case->n_tasks);
  g_autoptr(GBytes) job = NULL;
  g_autoptr(GBytes) template = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  guint n = graph_case->n_tasks;
  guint reps = graph_case->repetitions;
  Work  work = { graph, NULL, 0 };
  guint n_errors = 0;

  diagnostics = jg_validate_graph (graph, NULL);
  for (guint i = 0; i < diagnostics->len; i++)
    if (jg_diagnostic_get_severity (g_ptr_array_index (diagnostics, i)) == JG_SEVERITY_ERROR)
      n_errors++;

  printf ("\n%s: %u tasks, %u job input%s; %u diagnostics (%u errors)\n",
          graph_case->label, n, jg_graph_get_n_inputs (graph),
          jg_graph_get_n_inputs (graph) == 1 ? "" : "s",
          diagnostics->len, n_errors);
  print_header ();

  measure ("validate", n, reps, run_validate, &work, FALSE);
  measure ("export job", n, reps, run_export_job, &work, TRUE);
  measure ("export template", n, reps, run_export_template, &work, TRUE);
  measure ("export jobgraph", n, reps, run_export_document, &work, TRUE);

  /* The imports read what the exports wrote; each is checked once to
   * give the same number of tasks back before it is timed.
   */
  job = export_or_die (graph, JG_EXPORT_JOB);
  template = export_or_die (graph, JG_EXPORT_TEMPLATE);
  document = export_or_die (graph, JG_EXPORT_DOCUMENT);
  check_import (job, n, "importing the Job export");
  check_import (template, n, "importing the JobTemplate export");
  check_import (document, n, "importing the .jobgraph export");

  work.input = job;
  measure ("import job", n, reps, run_import, &work, TRUE);
  work.input = template;
  measure ("import template", n, reps, run_import, &work, TRUE);
  work.input = document;
  measure ("import jobgraph", n, reps, run_import, &work, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  static const GraphCase cases[] = {
    { "Seed-like chain", 30, 200, build_chain },
    { "Synthetic fan-out", 1000, 50, build_fan_out },
    { "Synthetic fan-out", 10000, 10, build_fan_out },
  };
  struct rusage usage;

  printf ("Jobgraph core benchmark (monotonic clock; the import and export "
          "figures include re-analysing the graph, and imports include "
          "the layout)\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_case (&cases[i]);

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    printf ("\nPeak RSS: %.1f MiB\n", usage.ru_maxrss / 1024.0);

  return EXIT_SUCCESS;
}
