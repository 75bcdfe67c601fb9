/* jg-types.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _JgCatalog     JgCatalog;
typedef struct _JgDiagnostic  JgDiagnostic;
typedef struct _JgEdit        JgEdit;
typedef struct _JgGraph       JgGraph;
typedef struct _JgHistory     JgHistory;
typedef struct _JgJobInput    JgJobInput;
typedef struct _JgOutputAsset JgOutputAsset;
typedef struct _JgTask        JgTask;

/**
 * JgSeverity:
 * @JG_SEVERITY_WARNING: the service accepts the job, but something is
 *   probably not what the producer meant.
 * @JG_SEVERITY_ERROR: the service refuses the job.
 */
typedef enum
{
  JG_SEVERITY_WARNING,
  JG_SEVERITY_ERROR,
} JgSeverity;

/**
 * JgRefKind:
 * @JG_REF_NONE: the port is not connected.
 * @JG_REF_JOB_INPUT: the port reads a job input (`JobInputAsset(n)`).
 * @JG_REF_OUTPUT_ASSET: the port reads or writes a job output
 *   (`JobOutputAsset(n)`).
 * @JG_REF_TEXT: an imported reference that names nothing in the graph
 *   (out of range, unknown, or not a reference at all); the original text
 *   is kept so that validation can say exactly what was wrong.
 *
 * What a task's port points at.
 */
typedef enum
{
  JG_REF_NONE,
  JG_REF_JOB_INPUT,
  JG_REF_OUTPUT_ASSET,
  JG_REF_TEXT,
} JgRefKind;

/**
 * JgPortDirection:
 * @JG_PORT_DIRECTION_NONE: not about a port
 * @JG_PORT_DIRECTION_INPUT: an `<inputAsset>` of a task
 * @JG_PORT_DIRECTION_OUTPUT: an `<outputAsset>` of a task
 */
typedef enum
{
  JG_PORT_DIRECTION_NONE,
  JG_PORT_DIRECTION_INPUT,
  JG_PORT_DIRECTION_OUTPUT,
} JgPortDirection;

/* Limits the service enforces (ams-rest-v2.md §5.1). */
#define JG_MAX_TASKS_PER_JOB        30
#define JG_MAX_ASSETS_PER_TASK      50
#define JG_MAX_ASSETS_PER_JOB       100
#define JG_MAX_CONFIGURATION_LENGTH 100000
#define JG_MAX_NAME_LENGTH          4000
#define JG_WARN_JOB_NAME_LENGTH     256
#define JG_MAX_ASSET_NAME_LENGTH    512

#define JG_DEFAULT_API_VERSION "2.19"

G_END_DECLS
