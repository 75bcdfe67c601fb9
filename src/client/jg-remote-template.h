/* jg-remote-template.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_TYPE_REMOTE_TASK_TEMPLATE (jg_remote_task_template_get_type ())
#define JG_TYPE_REMOTE_TEMPLATE      (jg_remote_template_get_type ())

/**
 * JgRemoteTaskTemplate:
 * @id: `nb:ttid:UUID:…` (chosen by the client that made the template)
 * @name: (nullable): `Name`
 * @description: (nullable): `Description`
 * @processor_id: (nullable): `MediaProcessorId`
 * @configuration: (nullable): `Configuration`
 * @options: `Options`
 * @n_inputs: `NumberofInputAssets`
 * @n_outputs: `NumberofOutputAssets`
 *
 * A TaskTemplate (ams-rest-v2.md §3.4). Reference counted; read-only.
 */
typedef struct
{
  char *id;
  char *name;
  char *description;
  char *processor_id;
  char *configuration;
  int   options;
  int   n_inputs;
  int   n_outputs;
} JgRemoteTaskTemplate;

/**
 * JgRemoteTemplate:
 * @id: `nb:jtid:UUID:…`
 * @name: (nullable): `Name`
 * @job_template_body: (nullable): `JobTemplateBody` XML
 * @n_inputs: `NumberofInputAssets`
 * @template_type: `TemplateType` (0 SystemLevel, 1 AccountLevel)
 * @created: (nullable): `Created`, UTC
 * @last_modified: (nullable): `LastModified`, UTC
 * @task_templates: (element-type JgRemoteTaskTemplate): the template's
 *   TaskTemplates in `JobTemplateBody` order, never %NULL
 *
 * A JobTemplate with its TaskTemplates (ams-rest-v2.md §3.3).
 * Reference counted; read-only once returned by the client.
 */
typedef struct
{
  char       *id;
  char       *name;
  char       *job_template_body;
  int         n_inputs;
  int         template_type;
  GDateTime  *created;
  GDateTime  *last_modified;
  GPtrArray  *task_templates;
} JgRemoteTemplate;

GType                 jg_remote_task_template_get_type      (void) G_GNUC_CONST;
JgRemoteTaskTemplate *jg_remote_task_template_new_from_json (JsonObject            *object,
                                                             GError               **error);
JgRemoteTaskTemplate *jg_remote_task_template_ref           (JgRemoteTaskTemplate  *task_template);
void                  jg_remote_task_template_unref         (JgRemoteTaskTemplate  *task_template);

GType                 jg_remote_template_get_type           (void) G_GNUC_CONST;
JgRemoteTemplate     *jg_remote_template_new_from_json      (JsonObject            *object,
                                                             GError               **error);
JgRemoteTemplate     *jg_remote_template_ref                (JgRemoteTemplate      *template_);
void                  jg_remote_template_unref              (JgRemoteTemplate      *template_);
gboolean              jg_remote_template_references         (JgRemoteTemplate      *template_,
                                                             const char            *task_template_id);
void                  jg_remote_template_take_task_templates (JgRemoteTemplate     *template_,
                                                              GPtrArray            *task_templates);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRemoteTaskTemplate, jg_remote_task_template_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRemoteTemplate, jg_remote_template_unref)

G_END_DECLS
