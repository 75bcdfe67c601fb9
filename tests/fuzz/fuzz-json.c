/* fuzz-json.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fuzz-common.h"

/* The importer, on the bytes as they are: jg_import_data() tells the
 * format apart by content (the seeds are Job and JobTemplate bodies, but
 * mutations reach every reader). Whatever imports must validate, and
 * export as a Job, a JobTemplate and a .jobgraph that import again with
 * the same tasks.
 */

/* Any well-formed asset id: the exported Job must never fail to bind. */
#define FAKE_ASSET_ID "nb:cid:UUID:00000000-0000-0000-0000-000000000000"

static const char *
get_kind_name (JgExportKind kind)
{
  switch (kind)
    {
    case JG_EXPORT_JOB:
      return "job";
    case JG_EXPORT_TEMPLATE:
      return "template";
    case JG_EXPORT_DOCUMENT:
      return "jobgraph";
    case JG_EXPORT_BATCH:
    case JG_EXPORT_TASK_BODY:
    default:
      return "other";
    }
}

static void
check_export (JgGraph     *graph,
              JgExportKind kind)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JgGraph) again = NULL;
  JgExportOptions options = { 0 };
  guint           n_inputs = jg_graph_get_n_inputs (graph);
  const char     *data;
  gsize           size;

  /* Override the input ids so that binding never fails: N ids for N
   * inputs.
   */
  for (guint i = 0; i < n_inputs; i++)
    g_ptr_array_add (ids, (gpointer)FAKE_ASSET_ID);
  g_ptr_array_add (ids, NULL);
  options.input_asset_ids = (const char *const *)ids->pdata;

  bytes = jg_export_graph (graph, kind, &options, &error);
  if (bytes == NULL)
    jg_fuzz_fail ("jg_export_graph() as %s failed on an imported graph (%u inputs, %u tasks): %s",
                  get_kind_name (kind), n_inputs, jg_graph_get_n_tasks (graph),
                  error->message);

  data = g_bytes_get_data (bytes, &size);
  again = jg_import_data (data, size, NULL, NULL, &error);
  if (again == NULL)
    {
      jg_fuzz_dump ("exported", data, size);
      jg_fuzz_fail ("the %s export of an imported graph does not import again: %s",
                    get_kind_name (kind), error->message);
    }

  if (jg_graph_get_n_tasks (again) != jg_graph_get_n_tasks (graph))
    {
      jg_fuzz_dump ("exported", data, size);
      jg_fuzz_fail ("the %s export of a graph of %u tasks imports with %u tasks",
                    get_kind_name (kind), jg_graph_get_n_tasks (graph),
                    jg_graph_get_n_tasks (again));
    }

  /* A JobTemplate cannot carry inputs that nothing reads; a Job and a
   * .jobgraph list every input. (The REST reader may cap the inputs of a
   * Job far beyond what the service accepts, so a Job is only held to
   * this within the service's limit.)
   */
  if ((kind == JG_EXPORT_DOCUMENT || (kind == JG_EXPORT_JOB && n_inputs <= JG_MAX_ASSETS_PER_JOB)) && jg_graph_get_n_inputs (again) != n_inputs)
    {
      jg_fuzz_dump ("exported", data, size);
      jg_fuzz_fail ("the %s export of a graph of %u inputs imports with %u inputs",
                    get_kind_name (kind), n_inputs, jg_graph_get_n_inputs (again));
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  jg_fuzz_init ();

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(JgGraph) graph = NULL;
  JgFormat format = JG_FORMAT_UNKNOWN;

  diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  graph = jg_import_data ((const char *)data, size, &format, diagnostics, NULL);
  if (graph == NULL)
    return 0;

  found = jg_import_validate (graph, format, diagnostics, NULL);
  if (found == NULL)
    jg_fuzz_fail ("jg_import_validate() returned NULL");

  check_export (graph, JG_EXPORT_JOB);
  check_export (graph, JG_EXPORT_TEMPLATE);
  check_export (graph, JG_EXPORT_DOCUMENT);

  return 0;
}
