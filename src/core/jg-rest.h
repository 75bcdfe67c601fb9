/* jg-rest.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_DEFAULT_BASE_URI "https://media.windows.net/api/"

/**
 * JgRestKind:
 * @JG_REST_JOB: a Job create body
 * @JG_REST_TEMPLATE: a JobTemplate create body
 */
typedef enum
{
  JG_REST_JOB,
  JG_REST_TEMPLATE,
} JgRestKind;

/**
 * JgRestTask:
 * @id: (nullable): TaskTemplate `Id` (templates)
 * @name: (nullable): `Name`
 * @processor_id: (nullable): `MediaProcessorId`
 * @configuration: (nullable): `Configuration`
 * @description: (nullable): TaskTemplate `Description`
 * @options: `Options`
 * @priority: `Priority` (tasks)
 * @task_body: (nullable): `TaskBody` XML (Job tasks)
 * @n_inputs: TaskTemplate `NumberofInputAssets`, or -1 when absent
 * @n_outputs: TaskTemplate `NumberofOutputAssets`, or -1 when absent
 *
 * A Task or TaskTemplate as it stands in a REST body.
 */
typedef struct
{
  char *id;
  char *name;
  char *processor_id;
  char *configuration;
  char *description;
  int   options;
  int   priority;
  char *task_body;
  int   n_inputs;
  int   n_outputs;
} JgRestTask;

/**
 * JgRestJob:
 * @kind: a job or a template
 * @name: (nullable): `Name`
 * @priority: `Priority` (jobs)
 * @input_asset_ids: (element-type utf8): the `InputMediaAssets` ids in
 *   order; "" for an input bound to nothing
 * @template_id: (nullable): `TemplateId` of a job created from a template
 * @job_template_body: (nullable): `JobTemplateBody` XML (templates)
 * @n_template_inputs: the template's `NumberofInputAssets`, or -1
 * @tasks: (element-type JgRestTask): `Tasks` or `TaskTemplates`
 *
 * The plain form of a Job or JobTemplate create body: the JSON and
 * `$batch` codecs read and write this, and the graph builder and exporter
 * translate it to and from a #JgGraph.
 */
typedef struct
{
  JgRestKind  kind;
  char       *name;
  int         priority;
  GPtrArray  *input_asset_ids;
  char       *template_id;
  char       *job_template_body;
  int         n_template_inputs;
  GPtrArray  *tasks;
} JgRestJob;

JgRestTask *jg_rest_task_new              (void);
void        jg_rest_task_free             (JgRestTask   *task);
JgRestJob  *jg_rest_job_new               (JgRestKind    kind);
void        jg_rest_job_free              (JgRestJob    *job);

JgRestJob  *jg_rest_job_from_json         (JsonNode     *root,
                                           GError      **error);
JgRestTask *jg_rest_task_from_json        (JsonNode     *node,
                                           JgRestKind    kind,
                                           const char   *path,
                                           GError      **error);
JsonNode   *jg_rest_job_to_json           (JgRestJob    *job,
                                           const char   *base_uri,
                                           gboolean      light,
                                           gboolean      with_tasks);
JsonNode   *jg_rest_task_to_json          (JgRestTask   *task,
                                           JgRestKind    kind);
char       *jg_rest_dup_asset_uri         (const char   *base_uri,
                                           const char   *asset_id);
char       *jg_rest_dup_asset_id_from_uri (const char   *uri);

JgGraph    *jg_rest_job_to_graph          (JgRestJob    *job,
                                           GPtrArray    *diagnostics,
                                           GError      **error);
JgRestJob  *jg_rest_job_from_graph        (JgGraph      *graph,
                                           JgRestKind    kind,
                                           GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRestTask, jg_rest_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRestJob, jg_rest_job_free)

G_END_DECLS
