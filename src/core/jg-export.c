/* jg-export.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jg-batch.h"
#include "jg-document.h"
#include "jg-export.h"
#include "jg-format-error.h"
#include "jg-graph.h"
#include "jg-job-input.h"
#include "jg-json.h"
#include "jg-rest.h"
#include "jg-task-body.h"

/* Writes a graph as the exact REST bodies (or as a `.jobgraph`). */

gboolean
jg_export_kind_from_string (const char   *name,
                            JgExportKind *kind)
{
  static const struct
  {
    const char  *name;
    JgExportKind kind;
  } names[] = {
    { "job", JG_EXPORT_JOB },
    { "template", JG_EXPORT_TEMPLATE },
    { "batch", JG_EXPORT_BATCH },
    { "taskbody", JG_EXPORT_TASK_BODY },
    { "jobgraph", JG_EXPORT_DOCUMENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i].name) == 0)
      {
        *kind = names[i].kind;
        return TRUE;
      }

  return FALSE;
}

/* Binds the job's inputs to asset ids; every input needs one. */
static gboolean
bind_inputs (JgGraph           *graph,
             JgRestJob         *job,
             const char *const *override,
             GError           **error)
{
  g_autoptr(GPtrArray) inputs = jg_graph_dup_numbered_inputs (graph);

  if (override != NULL)
    {
      guint n = g_strv_length ((char **) override);

      if (n != job->input_asset_ids->len)
        {
          jg_format_error_set (error, JG_FORMAT_ERROR_UNBOUND_INPUT, 0, 0,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The job has %u input, but %u asset ids were given",
                                            "The job has %u inputs, but %u asset ids were given",
                                            job->input_asset_ids->len),
                               job->input_asset_ids->len, n);
          return FALSE;
        }

      for (guint i = 0; i < n; i++)
        {
          g_free (job->input_asset_ids->pdata[i]);
          job->input_asset_ids->pdata[i] = g_strdup (override[i]);
        }
    }

  for (guint i = 0; i < job->input_asset_ids->len; i++)
    {
      const char *id = g_ptr_array_index (job->input_asset_ids, i);
      const char *label;

      if (id[0] != '\0')
        continue;

      label = jg_job_input_get_label (g_ptr_array_index (inputs, i));
      if (label != NULL && label[0] != '\0')
        jg_format_error_set (error, JG_FORMAT_ERROR_UNBOUND_INPUT, 0, 0,
                             _("Job input JobInputAsset(%u) “%s” is not bound to an asset; "
                               "bind it to an asset id, or give the ids with --inputs"),
                                i, label);
      else
        jg_format_error_set (error, JG_FORMAT_ERROR_UNBOUND_INPUT, 0, 0,
                             _("Job input JobInputAsset(%u) is not bound to an asset; "
                               "bind it to an asset id, or give the ids with --inputs"),
                                i);
      return FALSE;
    }

  return TRUE;
}

static GBytes *
json_bytes (JsonNode *node)
{
  g_autofree char *text = jg_json_to_string (node, TRUE);
  g_autoptr(GString) str = g_string_new (text);

  g_string_append_c (str, '\n');

  return g_string_free_to_bytes (g_steal_pointer (&str));
}

static JgBatchPart *
new_post_part (const char *uri,
               int         content_id,
               const char *content_type,
               JsonNode   *body)
{
  JgBatchPart     *part = jg_batch_part_new ();
  g_autofree char *id = g_strdup_printf ("%d", content_id);
  g_autofree char *text = jg_json_to_string (body, FALSE);
  gsize            length = strlen (text);

  part->method = g_strdup ("POST");
  part->uri = g_strdup (uri);
  part->changeset = 1;
  jg_batch_part_set_header (part, "Content-ID", id);
  jg_batch_part_set_header (part, "Content-Type", content_type);
  jg_batch_part_set_header (part, "Accept", content_type);
  jg_batch_part_set_header (part, "DataServiceVersion", "3.0");
  jg_batch_part_set_header (part, "MaxDataServiceVersion", "3.0");
  g_bytes_unref (part->body);
  part->body = g_bytes_new_take (g_steal_pointer (&text), length);

  return part;
}

static GBytes *
export_batch (JgRestJob             *job,
              const JgExportOptions *options)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_batch_part_free);
  const char      *base = options->base_uri ? options->base_uri : JG_DEFAULT_BASE_URI;
  const char      *slash = g_str_has_suffix (base, "/") ? "" : "/";
  g_autofree char *jobs_uri = g_strdup_printf ("%s%sJobs", base, slash);
  g_autofree char *tasks_uri = g_strdup_printf ("%s%s$1/Tasks", base, slash);
  g_autoptr(JsonNode) job_node = jg_rest_job_to_json (job, options->base_uri, TRUE, FALSE);
  char *text;

  /* As in the service's documentation: the job as JSON light with
   * @odata.bind links, then one part per task addressed as $1/Tasks.
   */
  g_ptr_array_add (parts, new_post_part (jobs_uri, 1, "application/json", job_node));

  for (guint i = 0; i < job->tasks->len; i++)
    {
      g_autoptr(JsonNode) task_node = jg_rest_task_to_json (g_ptr_array_index (job->tasks, i), JG_REST_JOB);

      g_ptr_array_add (parts, new_post_part (tasks_uri, i + 2, "application/json;odata=verbose", task_node));
    }

  text = jg_batch_write (parts, options->batch_boundary, options->changeset_boundary);

  return g_bytes_new_take (text, strlen (text));
}

/**
 * jg_export_graph:
 * @options: (nullable): how to export
 *
 * Returns: (transfer full): the body, or %NULL with @error set (for
 *   instance an input bound to no asset in a Job body)
 */
GBytes *
jg_export_graph (JgGraph               *graph,
                 JgExportKind           kind,
                 const JgExportOptions *options,
                 GError               **error)
{
  static const JgExportOptions defaults = { 0 };
  g_autoptr(JgRestJob) job = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  if (options == NULL)
    options = &defaults;

  switch (kind)
    {
    case JG_EXPORT_DOCUMENT:
      return jg_document_serialize (graph);

    case JG_EXPORT_TEMPLATE:
      job = jg_rest_job_from_graph (graph, JG_REST_TEMPLATE, error);
      if (job == NULL)
        return NULL;
      node = jg_rest_job_to_json (job, options->base_uri, FALSE, TRUE);
      return json_bytes (node);

    case JG_EXPORT_JOB:
    case JG_EXPORT_BATCH:
      job = jg_rest_job_from_graph (graph, JG_REST_JOB, error);
      if (job == NULL || !bind_inputs (graph, job, options->input_asset_ids, error))
        return NULL;

      if (kind == JG_EXPORT_BATCH)
        return export_batch (job, options);

      node = jg_rest_job_to_json (job, options->base_uri, options->light, TRUE);
      return json_bytes (node);

    case JG_EXPORT_TASK_BODY:
      job = jg_rest_job_from_graph (graph, JG_REST_JOB, error);
      if (job == NULL)
        return NULL;

      if (options->task_index >= job->tasks->len)
        {
          jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "There is no task %u; the job has %u task",
                                            "There is no task %u; the job has %u tasks",
                                            job->tasks->len),
                               options->task_index, job->tasks->len);
          return NULL;
        }

      {
        JgRestTask      *task = g_ptr_array_index (job->tasks, options->task_index);
        g_autofree char *text = g_strconcat (task->task_body, "\n", NULL);
        gsize            len = strlen (text);

        return g_bytes_new_take (g_steal_pointer (&text), len);
      }

    default:
      g_return_val_if_reached (NULL);
    }
}
