/* jg-task-body.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * JgTaskBodyOutput:
 * @reference: the element text, e.g. `JobOutputAsset(0)` (trimmed)
 * @asset_name: (nullable): `assetName` attribute
 * @storage_account_name: (nullable): `storageAccountName` attribute
 * @creation_options: `assetCreationOptions`, or -1 when absent
 * @format_option: `assetFormatOption`, or -1 when absent
 *
 * One `<outputAsset>` of a TaskBody.
 */
typedef struct
{
  char *reference;
  char *asset_name;
  char *storage_account_name;
  int   creation_options;
  int   format_option;
} JgTaskBodyOutput;

/**
 * JgTaskBody:
 * @task_template_id: (nullable): the `taskTemplateId` attribute (JobTemplateBody only)
 * @inputs: (element-type utf8): `<inputAsset>` texts, trimmed, in order
 * @outputs: (element-type JgTaskBodyOutput): `<outputAsset>`s, in order
 * @line: line of the `<taskBody>` element in its document (1-based)
 *
 * The parsed form of a TaskBody (ams-rest-v2.md §4.1). References are kept as
 * text: resolving them is the graph builder's job, so that validation can
 * report a bad reference instead of the parser refusing the whole body.
 */
typedef struct
{
  char      *task_template_id;
  GPtrArray *inputs;
  GPtrArray *outputs;
  int        line;
} JgTaskBody;

JgTaskBodyOutput *jg_task_body_output_new        (const char         *reference);
void              jg_task_body_output_free       (JgTaskBodyOutput   *output);

JgTaskBody       *jg_task_body_new               (void);
void              jg_task_body_free              (JgTaskBody         *body);
JgTaskBody       *jg_task_body_parse             (const char         *xml,
                                                  gssize              length,
                                                  GError            **error);
char             *jg_task_body_to_string         (const JgTaskBody   *body);

GPtrArray        *jg_job_template_body_parse     (const char         *xml,
                                                  gssize              length,
                                                  GError            **error);
char             *jg_job_template_body_to_string (GPtrArray          *bodies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgTaskBody, jg_task_body_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgTaskBodyOutput, jg_task_body_output_free)

G_END_DECLS
