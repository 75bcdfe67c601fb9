/* jg-validate.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

/**
 * JgValidateFlags:
 * @JG_VALIDATE_DEFAULT: a job
 * @JG_VALIDATE_TEMPLATE: a JobTemplate (wording only)
 * @JG_VALIDATE_TASK_BODY_ONLY: a lone TaskBody: only the rules about its
 *   assets apply (it has no processor, configuration or job around it)
 */
typedef enum
{
  JG_VALIDATE_DEFAULT        = 0,
  JG_VALIDATE_TEMPLATE       = 1 << 0,
  JG_VALIDATE_TASK_BODY_ONLY = 1 << 1,
} JgValidateFlags;

/**
 * JgValidateOptions:
 * @api_version: (nullable): the `x-ms-version`; %NULL for 2.19
 * @account_processors: (nullable) (array zero-terminated=1): processor ids
 *   the account lists beyond the catalog
 * @flags: what is being validated
 */
typedef struct
{
  const char         *api_version;
  const char * const *account_processors;
  JgValidateFlags     flags;
} JgValidateOptions;

/**
 * JG_RULE_CODES:
 *
 * Every rule code, in DESIGN.md's order.
 */
#define JG_RULE_CODES                                             \
  "no-tasks", "too-many-tasks", "cycle", "task-without-input",    \
  "task-without-output", "output-written-twice", "unknown-output", \
  "input-out-of-range", "bad-asset-reference", "malformed-task-body", \
  "missing-media-processor", "invalid-configuration",             \
  "configuration-too-long", "too-many-task-assets",               \
  "too-many-job-assets", "name-too-long", "no-job-inputs",        \
  "template-mismatch", "unused-input", "empty-configuration",     \
  "unknown-media-processor", "unknown-preset", "deprecated-processor"

GPtrArray *jg_validate_graph             (JgGraph                 *graph,
                                          const JgValidateOptions *options);
void       jg_validate_sort              (GPtrArray               *diagnostics);
gboolean   jg_parse_asset_reference      (const char              *text,
                                          gboolean                *is_output,
                                          guint                   *index);
int        jg_api_version_compare        (const char              *version,
                                          int                      major,
                                          int                      minor);
gboolean   jg_is_entity_id               (const char              *id,
                                          const char              *type);

G_END_DECLS
