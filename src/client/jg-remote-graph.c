/* jg-remote-graph.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-remote-graph.h"

/* Graphs from what the service holds: a job (its tasks as listed by
 * Jobs('id')/Tasks) or a JobTemplate with its TaskTemplates. Both go
 * through the same JgRestJob → graph path as an imported REST body, so a
 * graph saved as a template and opened back is the graph that was saved,
 * laid out.
 */

static JgGraph *
build_graph (JgRestJob *rest,
             GError   **error)
{
  JgGraph *graph = jg_rest_job_to_graph (rest, NULL, error);

  if (graph == NULL)
    return NULL;

  jg_layout_graph (graph);
  jg_graph_set_auto_validate (graph, TRUE);

  return graph;
}

/**
 * jg_remote_job_build_graph:
 * @tasks: (element-type JgRemoteTask): the job's tasks, in the service's
 *   order (the order of the job's body)
 * @input_asset_ids: (nullable) (element-type utf8): the ids of the job's
 *   input assets, in order
 *
 * Returns: (transfer full): the graph of @job, laid out, or %NULL with
 *   @error set (a job made from a template has no tasks of its own here)
 */
JgGraph *
jg_remote_job_build_graph (JgRemoteJob *job,
                           GPtrArray   *tasks,
                           GPtrArray   *input_asset_ids,
                           GError     **error)
{
  g_autoptr(JgRestJob) rest = jg_rest_job_new (JG_REST_JOB);

  g_return_val_if_fail (job != NULL, NULL);
  g_return_val_if_fail (tasks != NULL, NULL);

  rest->name = g_strdup (job->name);
  rest->priority = job->priority;
  rest->template_id = g_strdup (job->template_id);

  for (guint i = 0; input_asset_ids != NULL && i < input_asset_ids->len; i++)
    g_ptr_array_add (rest->input_asset_ids, g_strdup (g_ptr_array_index (input_asset_ids, i)));

  for (guint i = 0; i < tasks->len; i++)
    {
      JgRemoteTask *remote = g_ptr_array_index (tasks, i);
      JgRestTask   *task = jg_rest_task_new ();

      task->name = g_strdup (remote->name);
      task->processor_id = g_strdup (remote->processor_id);
      task->configuration = g_strdup (remote->configuration);
      task->priority = remote->priority;
      task->task_body = g_strdup (remote->task_body);
      g_ptr_array_add (rest->tasks, task);
    }

  return build_graph (rest, error);
}

/**
 * jg_remote_template_build_graph:
 * @template_: a JobTemplate with its TaskTemplates
 *
 * Returns: (transfer full): the graph of @template_, laid out, its inputs
 *   unbound, or %NULL with @error set
 */
JgGraph *
jg_remote_template_build_graph (JgRemoteTemplate *template_,
                                GError          **error)
{
  g_autoptr(JgRestJob) rest = jg_rest_job_new (JG_REST_TEMPLATE);

  g_return_val_if_fail (template_ != NULL, NULL);

  /* A service may list a template without its body (e.g. with $select). */
  if (template_->job_template_body == NULL || *template_->job_template_body == '\0')
    {
      g_set_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID, _("The JobTemplate “%s” has no JobTemplateBody"),
                   template_->name != NULL ? template_->name : template_->id);
      return NULL;
    }

  rest->name = g_strdup (template_->name);
  rest->job_template_body = g_strdup (template_->job_template_body);
  rest->n_template_inputs = template_->n_inputs;

  for (guint i = 0; template_->task_templates != NULL && i < template_->task_templates->len; i++)
    {
      JgRemoteTaskTemplate *remote = g_ptr_array_index (template_->task_templates, i);
      JgRestTask           *task = jg_rest_task_new ();

      task->id = g_strdup (remote->id);
      task->name = g_strdup (remote->name);
      task->description = g_strdup (remote->description);
      task->processor_id = g_strdup (remote->processor_id);
      task->configuration = g_strdup (remote->configuration);
      task->options = remote->options;
      task->n_inputs = remote->n_inputs;
      task->n_outputs = remote->n_outputs;
      g_ptr_array_add (rest->tasks, task);
    }

  return build_graph (rest, error);
}
