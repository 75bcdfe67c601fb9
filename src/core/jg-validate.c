/* jg-validate.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-validate"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "jg-catalog.h"
#include "jg-diagnostic.h"
#include "jg-format-error.h"
#include "jg-graph-private.h"
#include "jg-json.h"
#include "jg-validate.h"
#include "jg-xml.h"

/* The rule engine of DESIGN.md: one pass over the analysed graph. It serves
 * the editor on every edit, the CLI, and the local service, so it must stay
 * cheap: no hash tables, no allocation per port beyond the diagnostics it
 * reports.
 */

typedef struct
{
  JgGraph                 *graph;
  const JgValidateOptions *options;
  const JgAnalysis        *analysis;
  GPtrArray               *diagnostics;
  int                     *order_index; /* task position → index in run order */
  gboolean template;

  /* Tasks of a job mostly share one processor: remember the last lookup. */
  const char            *last_processor_id;
  const JgProcessorInfo *last_info;
  gboolean               last_id_valid;
} Validation;

static JgDiagnostic *
report (Validation *v,
        JgSeverity  severity,
        const char *code,
        JgTask     *task,
        const char *format,
        ...) G_GNUC_PRINTF (5, 6);

static JgDiagnostic *
report (Validation *v,
        JgSeverity  severity,
        const char *code,
        JgTask     *task,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  JgDiagnostic    *diagnostic;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  diagnostic = jg_diagnostic_new (severity, code, message);
  if (task != NULL)
    jg_diagnostic_set_task (diagnostic, task, v->order_index[task->position], task->name);

  g_ptr_array_add (v->diagnostics, diagnostic);

  return diagnostic;
}

/* How a task is named at the start of a sentence: "Task “Encode”", or its
 * place in `Tasks` when it has no name.
 */
static char *
describe_task_full (Validation *v,
                    JgTask     *task,
                    gboolean    sentence_start)
{
  if (task->name != NULL && task->name[0] != '\0')
    return sentence_start ? g_strdup_printf (_("Task “%s”"), task->name)
                          : g_strdup_printf (_("task “%s”"), task->name);

  return g_strdup_printf ("Tasks[%d]", v->order_index[task->position]);
}

#define describe_task(v, task)     describe_task_full (v, task, TRUE)
#define describe_task_mid(v, task) describe_task_full (v, task, FALSE)

/* The sentence-start name of @task, made only when a message needs it:
 * validation runs on every edit, and most tasks have nothing to report.
 */
static const char *
task_label (Validation *v,
            JgTask     *task,
            char      **storage)
{
  if (*storage == NULL)
    *storage = describe_task (v, task);

  return *storage;
}

/**
 * jg_parse_asset_reference:
 * @is_output: (out): %TRUE for `JobOutputAsset(n)`
 * @index: (out): n
 *
 * Accepts exactly `JobInputAsset(n)` or `JobOutputAsset(n)`, n a decimal
 * number without sign or leading zeros (the SDK's anchored pattern).
 *
 * Returns: %TRUE when @text is a reference
 */
gboolean
jg_parse_asset_reference (const char *text,
                          gboolean   *is_output,
                          guint      *index)
{
  const char *p;
  guint64     value = 0;

  if (text == NULL)
    return FALSE;

  if (g_str_has_prefix (text, "JobInputAsset("))
    {
      *is_output = FALSE;
      p = text + strlen ("JobInputAsset(");
    }
  else if (g_str_has_prefix (text, "JobOutputAsset("))
    {
      *is_output = TRUE;
      p = text + strlen ("JobOutputAsset(");
    }
  else
    return FALSE;

  if (!g_ascii_isdigit (*p) || (p[0] == '0' && g_ascii_isdigit (p[1])))
    return FALSE;

  for (; g_ascii_isdigit (*p); p++)
    {
      value = value * 10 + (*p - '0');
      if (value > G_MAXINT)
        return FALSE;
    }

  if (p[0] != ')' || p[1] != '\0')
    return FALSE;

  *index = (guint)value;

  return TRUE;
}

/**
 * jg_api_version_compare:
 *
 * Returns: <0, 0 or >0 as @version (`2.13`; %NULL means the default) is
 *   below, equal to, or above @major.@minor
 */
int
jg_api_version_compare (const char *version,
                        int         major,
                        int         minor)
{
  long  v_major, v_minor = 0;
  char *end;

  if (version == NULL)
    version = JG_DEFAULT_API_VERSION;

  v_major = strtol (version, &end, 10);
  if (*end == '.')
    v_minor = strtol (end + 1, &end, 10);

  if (v_major != major)
    return v_major < major ? -1 : 1;
  if (v_minor != minor)
    return v_minor < minor ? -1 : 1;

  return 0;
}

/**
 * jg_is_entity_id:
 * @type: the id type, e.g. `mpid`, `cid`, `ttid`
 *
 * Returns: %TRUE when @id is `nb:<type>:UUID:<guid>` (GUID in any case)
 */
gboolean
jg_is_entity_id (const char *id,
                 const char *type)
{
  g_autofree char *prefix = NULL;
  g_autofree char *lower = NULL;

  if (id == NULL)
    return FALSE;

  prefix = g_strdup_printf ("nb:%s:UUID:", type);
  if (!g_str_has_prefix (id, prefix))
    return FALSE;

  lower = g_ascii_strdown (id + strlen (prefix), -1);

  return g_uuid_string_is_valid (lower);
}

static gboolean
is_blank (const char *str)
{
  if (str == NULL)
    return TRUE;

  for (; *str; str++)
    if (!g_ascii_isspace (*str))
      return FALSE;

  return TRUE;
}

static void
check_job (Validation *v)
{
  guint       n_tasks = v->analysis->order->len;
  guint       n_inputs = jg_graph_get_n_inputs (v->graph);
  const char *name = jg_graph_get_name (v->graph);
  guint       n_assets;

  if (n_tasks == 0)
    report (v, JG_SEVERITY_ERROR, "no-tasks", NULL, "%s",
            v->template ? _("The template has no tasks. Add at least one task.")
                        : _("The job has no tasks. Add at least one task."));

  if (n_tasks > JG_MAX_TASKS_PER_JOB)
    report (v, JG_SEVERITY_ERROR, "too-many-tasks", NULL,
            _("There are %u tasks; the service runs at most %d tasks in one job. "
              "Split the work into several jobs."),
               n_tasks, JG_MAX_TASKS_PER_JOB);

  if (n_inputs == 0)
    report (v, JG_SEVERITY_ERROR, "no-job-inputs", NULL, "%s",
            v->template ? _("The template has no input. Add a job input (JobInputAsset(0)) for the tasks to read.")
                        : _("The job has no input asset. Add a job input (JobInputAsset(0)) for the tasks to read."));

  n_assets = n_inputs + v->analysis->outputs->len;
  if (n_assets > JG_MAX_ASSETS_PER_JOB)
    report (v, JG_SEVERITY_ERROR, "too-many-job-assets", NULL,
            _("The job uses %u assets (%u inputs and %u outputs); the service allows at most %d in one job."),
               n_assets, n_inputs, v->analysis->outputs->len, JG_MAX_ASSETS_PER_JOB);

  if (name != NULL)
    {
      glong         length = g_utf8_strlen (name, -1);
      JgDiagnostic *d = NULL;

      if (length > JG_MAX_NAME_LENGTH)
        d = report (v, JG_SEVERITY_ERROR, "name-too-long", NULL,
                    _("The job name is %ld characters long; the service allows at most %d."),
                       length, JG_MAX_NAME_LENGTH);
      else if (length > JG_WARN_JOB_NAME_LENGTH)
        d = report (v, JG_SEVERITY_WARNING, "name-too-long", NULL,
                    _("The job name is %ld characters long; later versions of the service allow only %d."),
                       length, JG_WARN_JOB_NAME_LENGTH);

      if (d != NULL)
        jg_diagnostic_set_field (d, "Name");
    }

  for (guint i = 0; i < v->analysis->inputs->len; i++)
    {
      JgJobInput   *input = g_ptr_array_index (v->analysis->inputs, i);
      JgDiagnostic *d;

      if (input->n_readers > 0)
        continue;

      if (input->label != NULL && input->label[0] != '\0')
        d = report (v, JG_SEVERITY_WARNING, "unused-input", NULL,
                    _("Job input JobInputAsset(%d) “%s” is not read by any task."),
                       input->index, input->label);
      else
        d = report (v, JG_SEVERITY_WARNING, "unused-input", NULL,
                    _("Job input JobInputAsset(%d) is not read by any task."),
                       input->index);

      jg_diagnostic_set_input_index (d, input->index);
      jg_diagnostic_set_subject (d, G_OBJECT (input));
    }
}

static void
check_outputs (Validation *v)
{
  gboolean strict = jg_api_version_compare (v->options->api_version, 2, 13) < 0;

  for (guint i = 0; i < v->analysis->outputs->len; i++)
    {
      JgOutputAsset *asset = g_ptr_array_index (v->analysis->outputs, i);

      if (asset->asset_name != NULL)
        {
          glong length = g_utf8_strlen (asset->asset_name, -1);

          if (length > JG_MAX_ASSET_NAME_LENGTH)
            {
              JgDiagnostic *d = report (v, JG_SEVERITY_ERROR, "name-too-long", asset->first_writer,
                                        _("The name of output JobOutputAsset(%d) is %ld characters long; "
                                          "asset names may have at most %d."),
                                           asset->index, length, JG_MAX_ASSET_NAME_LENGTH);

              jg_diagnostic_set_output_index (d, asset->index);
              jg_diagnostic_set_subject (d, G_OBJECT (asset));
              jg_diagnostic_set_field (d, "assetName");
            }
        }

      if (asset->n_writers > 1)
        {
          JgTask          *second = g_ptr_array_index (asset->more_writers, 0);
          g_autofree char *first_name = describe_task (v, asset->first_writer);
          g_autofree char *first_name_mid = describe_task_mid (v, asset->first_writer);
          g_autofree char *second_name = describe_task_mid (v, second);
          JgDiagnostic    *d;

          if (second == asset->first_writer)
            d = report (v, strict ? JG_SEVERITY_ERROR : JG_SEVERITY_WARNING,
                        "output-written-twice", second,
                        strict ? _("%s writes JobOutputAsset(%d) more than once; before x-ms-version 2.13 "
                                   "an output asset may be written only once.")
                               : _("%s writes JobOutputAsset(%d) more than once."),
                                    first_name, asset->index);
          else
            d = report (v, strict ? JG_SEVERITY_ERROR : JG_SEVERITY_WARNING,
                        "output-written-twice", second,
                        strict ? _("JobOutputAsset(%d) is written by %u tasks (%s and %s); before x-ms-version "
                                   "2.13 an output asset may be written by one task only.")
                               : _("JobOutputAsset(%d) is written by %u tasks (%s and %s): they share one output "
                                   "asset."),
                                    asset->index, asset->n_writers, first_name_mid, second_name);

          jg_diagnostic_set_output_index (d, asset->index);
          jg_diagnostic_set_subject (d, G_OBJECT (asset));
        }
    }
}

static void
check_configuration (Validation            *v,
                     JgTask                *task,
                     const JgProcessorInfo *info)
{
  const char      *config = task->configuration;
  g_autofree char *task_name = NULL;
  const char      *start;
  JgDiagnostic    *d;
  glong            length;

  if (is_blank (config))
    {
      if (info != NULL && info->needs_preset)
        {
          task_name = describe_task (v, task);
          d = report (v, JG_SEVERITY_WARNING, "empty-configuration", task,
                      _("%s has no Configuration, but %s needs a preset."),
                         task_name, info->name);
          jg_diagnostic_set_field (d, "Configuration");
        }
      return;
    }

  length = g_utf8_strlen (config, -1);
  if (length > JG_MAX_CONFIGURATION_LENGTH)
    {
      task_name = describe_task_mid (v, task);
      d = report (v, JG_SEVERITY_ERROR, "configuration-too-long", task,
                  _("The Configuration of %s is %ld characters long; the service allows at most %d."),
                     task_name, length, JG_MAX_CONFIGURATION_LENGTH);
      jg_diagnostic_set_field (d, "Configuration");
      return;
    }

  for (start = config; g_ascii_isspace (*start); start++)
    ;

  if (*start == '<' || *start == '{' || *start == '[')
    {
      g_autoptr(GError) error = NULL;
      gboolean is_xml = *start == '<';
      int      line, column;

      if (is_xml)
        jg_xml_check (config, -1, &error);
      else
        {
          JsonNode *node = jg_json_parse (config, -1, &error);
          g_clear_pointer (&node, json_node_unref);
        }

      if (error != NULL)
        {
          task_name = describe_task_mid (v, task);
          d = report (v, JG_SEVERITY_ERROR, "invalid-configuration", task,
                      is_xml ? _("The Configuration of %s looks like an XML preset but does not parse: %s")
                             : _("The Configuration of %s looks like a JSON preset but does not parse: %s"),
                                  task_name, error->message);
          jg_diagnostic_set_field (d, "Configuration");
          if (jg_format_error_get_position (error, &line, &column))
            jg_diagnostic_set_position (d, line, column);
        }

      return;
    }

  /* A plain string: a preset name. */
  if (info == NULL || jg_catalog_has_preset (info, config))
    return;

  task_name = describe_task (v, task);

  if (info->config_kind == JG_CONFIG_KIND_NAMED)
    {
      const char *suggestion = jg_catalog_suggest_preset (info, config);

      if (suggestion != NULL)
        d = report (v, JG_SEVERITY_WARNING, "unknown-preset", task,
                    _("%s asks %s for preset “%s”, which it does not know. Did you mean “%s”?"),
                       task_name, info->name, config, suggestion);
      else
        d = report (v, JG_SEVERITY_WARNING, "unknown-preset", task,
                    _("%s asks %s for preset “%s”, which it does not know; the job would end in "
                      "ErrorParsingConfiguration."),
                       task_name, info->name, config);
    }
  else if (info->config_kind == JG_CONFIG_KIND_JSON)
    d = report (v, JG_SEVERITY_WARNING, "unknown-preset", task,
                _("%s gives %s the preset name “%s”, but it takes a JSON configuration, not preset names."),
                   task_name, info->name, config);
  else if (info->config_kind == JG_CONFIG_KIND_XML)
    d = report (v, JG_SEVERITY_WARNING, "unknown-preset", task,
                _("%s gives %s the preset name “%s”, but it takes an XML configuration, not preset names."),
                   task_name, info->name, config);
  else
    d = report (v, JG_SEVERITY_WARNING, "unknown-preset", task,
                _("%s gives %s the preset name “%s”, but it takes no preset names."),
                   task_name, info->name, config);

  jg_diagnostic_set_field (d, "Configuration");
}

static gboolean
is_account_processor (Validation *v,
                      const char *id)
{
  const char *const *ids = v->options->account_processors;

  if (ids == NULL)
    return FALSE;

  for (guint i = 0; ids[i]; i++)
    if (g_ascii_strcasecmp (ids[i], id) == 0)
      return TRUE;

  return FALSE;
}

static void
check_processor (Validation *v,
                 JgTask     *task)
{
  const JgProcessorInfo *info = NULL;
  g_autofree char       *task_name = NULL;
  JgDiagnostic          *d = NULL;
  gboolean               id_valid = FALSE;

  if (!is_blank (task->processor_id))
    {
      if (v->last_processor_id != NULL && strcmp (v->last_processor_id, task->processor_id) == 0)
        {
          id_valid = v->last_id_valid;
          info = v->last_info;
        }
      else
        {
          id_valid = jg_is_entity_id (task->processor_id, "mpid");
          info = id_valid ? jg_catalog_lookup (task->processor_id) : NULL;
          v->last_processor_id = task->processor_id;
          v->last_id_valid = id_valid;
          v->last_info = info;
        }
    }

  if (is_blank (task->processor_id))
    d = report (v, JG_SEVERITY_ERROR, "missing-media-processor", task,
                _("%s has no media processor. Choose one, such as Media Encoder Standard."),
                   task_label (v, task, &task_name));
  else if (!id_valid)
    d = report (v, JG_SEVERITY_ERROR, "missing-media-processor", task,
                _("%s has the media processor id “%s”, which is not of the form nb:mpid:UUID:<guid>."),
                   task_label (v, task, &task_name), task->processor_id);
  else if (info == NULL)
    {
      if (!is_account_processor (v, task->processor_id))
        d = report (v, JG_SEVERITY_WARNING, "unknown-media-processor", task,
                    _("%s uses media processor %s, which is neither a known processor nor listed by the account."),
                       task_label (v, task, &task_name), task->processor_id);
    }
  else if (info->deprecated)
    {
      if (info->replacement != NULL)
        d = report (v, JG_SEVERITY_WARNING, "deprecated-processor", task,
                    _("%s uses %s, which the service retired; use %s instead."),
                       task_label (v, task, &task_name), info->name, info->replacement);
      else
        d = report (v, JG_SEVERITY_WARNING, "deprecated-processor", task,
                    _("%s uses %s, which the service retired."),
                       task_label (v, task, &task_name), info->name);
    }

  if (d != NULL)
    jg_diagnostic_set_field (d, "MediaProcessorId");

  check_configuration (v, task, info);
}

static void
check_input_port (Validation      *v,
                  JgTask          *task,
                  guint            port,
                  const JgPortRef *ref)
{
  g_autofree char *task_name = NULL;
  JgDiagnostic    *d = NULL;
  gboolean         is_output;
  guint            index;

  switch (ref->kind)
    {
    case JG_REF_JOB_INPUT:
      return;

    case JG_REF_OUTPUT_ASSET:
      {
        JgOutputAsset *asset = JG_OUTPUT_ASSET (ref->object);

        if (asset->n_writers > 0)
          return;

        task_name = describe_task (v, task);
        d = report (v, JG_SEVERITY_ERROR, "unknown-output", task,
                    _("%s reads JobOutputAsset(%d), which no task writes."),
                       task_name, asset->index);
        jg_diagnostic_set_output_index (d, asset->index);
        jg_diagnostic_set_subject (d, ref->object);
      }
      break;

    case JG_REF_NONE:
      task_name = describe_task_mid (v, task);
      d = report (v, JG_SEVERITY_ERROR, "bad-asset-reference", task,
                  _("Input %u of %s is not connected to any asset."),
                     port, task_name);
      break;

    case JG_REF_TEXT:
      is_output = FALSE;
      index = 0;
      task_name = jg_parse_asset_reference (ref->text, &is_output, &index)
                    ? describe_task (v, task)
                    : describe_task_mid (v, task);
      if (!jg_parse_asset_reference (ref->text, &is_output, &index))
        d = report (v, JG_SEVERITY_ERROR, "bad-asset-reference", task,
                    _("Input %u of %s is “%s”, which is not an asset reference; "
                      "write JobInputAsset(n) or JobOutputAsset(n)."),
                       port, task_name, ref->text);
      else if (!is_output)
        {
          guint n_inputs = jg_graph_get_n_inputs (v->graph);

          d = report (v, JG_SEVERITY_ERROR, "input-out-of-range", task,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "%s reads JobInputAsset(%u), but the job has only %u input.",
                                   "%s reads JobInputAsset(%u), but the job has only %u inputs.",
                                   n_inputs),
                      task_name, index, n_inputs);
          jg_diagnostic_set_input_index (d, index);
        }
      else
        {
          d = report (v, JG_SEVERITY_ERROR, "unknown-output", task,
                      _("%s reads JobOutputAsset(%u), which no task writes."),
                         task_name, index);
          jg_diagnostic_set_output_index (d, index);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  jg_diagnostic_set_port (d, JG_PORT_DIRECTION_INPUT, port);
}

static void
check_output_port (Validation      *v,
                   JgTask          *task,
                   guint            port,
                   const JgPortRef *ref)
{
  g_autofree char *task_name = NULL;
  JgDiagnostic    *d;
  gboolean         is_output;
  guint            index;

  if (ref->kind == JG_REF_OUTPUT_ASSET)
    return;

  task_name = describe_task_mid (v, task);

  if (ref->kind == JG_REF_NONE)
    d = report (v, JG_SEVERITY_ERROR, "bad-asset-reference", task,
                _("Output %u of %s writes no asset."),
                   port, task_name);
  else if (jg_parse_asset_reference (ref->text, &is_output, &index) && !is_output)
    d = report (v, JG_SEVERITY_ERROR, "bad-asset-reference", task,
                _("Output %u of %s names the job input JobInputAsset(%u); a task can only write "
                  "JobOutputAsset(n)."),
                   port, task_name, index);
  else
    d = report (v, JG_SEVERITY_ERROR, "bad-asset-reference", task,
                _("Output %u of %s is “%s”, which is not an output reference; write JobOutputAsset(n)."),
                   port, task_name, ref->text ? ref->text : "");

  jg_diagnostic_set_port (d, JG_PORT_DIRECTION_OUTPUT, port);
}

static void
check_task (Validation *v,
            JgTask     *task)
{
  gboolean         body_only = (v->options->flags & JG_VALIDATE_TASK_BODY_ONLY) != 0;
  g_autofree char *task_name = NULL;
  guint            n_assets = task->inputs->len + task->outputs->len;

  if (task->inputs->len == 0)
    report (v, JG_SEVERITY_ERROR, "task-without-input", task,
            _("%s reads no asset; every task needs at least one input."),
               task_label (v, task, &task_name));

  if (task->outputs->len == 0)
    report (v, JG_SEVERITY_ERROR, "task-without-output", task,
            _("%s writes no asset; every task needs at least one output."),
               task_label (v, task, &task_name));

  if (n_assets > JG_MAX_ASSETS_PER_TASK)
    report (v, JG_SEVERITY_ERROR, "too-many-task-assets", task,
            _("%s uses %u assets (%u inputs and %u outputs); the service allows at most %d per task."),
               task_label (v, task, &task_name), n_assets, task->inputs->len, task->outputs->len, JG_MAX_ASSETS_PER_TASK);

  if (!body_only && task->name != NULL)
    {
      glong length = g_utf8_strlen (task->name, -1);

      if (length > JG_MAX_NAME_LENGTH)
        {
          JgDiagnostic *d = report (v, JG_SEVERITY_ERROR, "name-too-long", task,
                                    _("The name of Tasks[%d] is %ld characters long; the service allows at most %d."),
                                       v->order_index[task->position], length, JG_MAX_NAME_LENGTH);
          jg_diagnostic_set_field (d, "Name");
        }
    }

  for (guint p = 0; p < task->inputs->len; p++)
    check_input_port (v, task, p, &g_array_index (task->inputs, JgPortRef, p));

  for (guint p = 0; p < task->outputs->len; p++)
    check_output_port (v, task, p, &g_array_index (task->outputs, JgPortRef, p));

  if (!body_only)
    check_processor (v, task);
}

/* Tasks Kahn's algorithm could not order are in a cycle or downstream of
 * one. From each, walk upstream along unordered predecessors (every such
 * task has one) until the walk meets itself: that loop is a cycle. Each
 * cycle is reported once, in the direction data flows.
 */
static void
check_cycles (Validation *v)
{
  const JgAnalysis *a = v->analysis;
  guint             n_tasks = a->order->len;
  g_autofree int   *walk_id = NULL;
  g_autofree int   *walk_step = NULL;
  g_autoptr(GPtrArray) path = NULL;

  if (a->n_sorted == n_tasks)
    return;

  walk_id = g_new0 (int, n_tasks);
  walk_step = g_new0 (int, n_tasks);
  path = g_ptr_array_new ();

  for (guint s = a->n_sorted; s < n_tasks; s++)
    {
      JgTask *task = g_ptr_array_index (a->order, s);
      int     id = s + 1;

      if (walk_id[task->position] != 0)
        continue;

      g_ptr_array_set_size (path, 0);

      while (walk_id[task->position] == 0)
        {
          JgTask *next = NULL;

          walk_id[task->position] = id;
          walk_step[task->position] = path->len;
          g_ptr_array_add (path, task);

          for (guint p = 0; p < task->inputs->len && next == NULL; p++)
            {
              const JgPortRef *ref = &g_array_index (task->inputs, JgPortRef, p);
              JgOutputAsset   *asset;

              if (ref->kind != JG_REF_OUTPUT_ASSET)
                continue;

              asset = JG_OUTPUT_ASSET (ref->object);
              for (guint w = 0; w < asset->n_writers && next == NULL; w++)
                {
                  JgTask *writer = w == 0 ? asset->first_writer : g_ptr_array_index (asset->more_writers, w - 1);

                  if (writer->topo_index < 0)
                    next = writer;
                }
            }

          g_assert (next != NULL);
          task = next;
        }

      /* Met a task of an earlier walk: its cycle is already reported. */
      if (walk_id[task->position] != id)
        continue;

      {
        g_autoptr(GString) names = g_string_new (NULL);
        int from = walk_step[task->position];
        /* The walk went upstream; print it downstream, closing the loop. */
        for (int i = path->len - 1; i >= from; i--)
          {
            g_autofree char *name = describe_task_mid (v, g_ptr_array_index (path, i));

            g_string_append_printf (names, "%s → ", name);
          }
        {
          g_autofree char *name = describe_task_mid (v, g_ptr_array_index (path, path->len - 1));
          g_string_append (names, name);
        }

        if ((int)path->len - from == 1)
          {
            g_autofree char *name = describe_task (v, g_ptr_array_index (path, from));

            report (v, JG_SEVERITY_ERROR, "cycle", g_ptr_array_index (path, from),
                    _("%s reads an asset it writes itself; tasks must not form a cycle."),
                       name);
          }
        else
          report (v, JG_SEVERITY_ERROR, "cycle", g_ptr_array_index (path, path->len - 1),
                  _("Tasks form a cycle: %s. A task cannot read, directly or through other tasks, "
                    "an asset it writes."),
                     names->str);
      }
    }
}

static int
compare_severity (gconstpointer a,
                  gconstpointer b)
{
  JgSeverity sa = jg_diagnostic_get_severity (*(JgDiagnostic **)a);
  JgSeverity sb = jg_diagnostic_get_severity (*(JgDiagnostic **)b);

  /* Errors first; GLib's sort is stable, so rule order is kept within. */
  return (int)sb - (int)sa;
}

/**
 * jg_validate_sort:
 * @diagnostics: (element-type JgDiagnostic)
 *
 * Puts errors before warnings, keeping the order within each.
 */
void
jg_validate_sort (GPtrArray *diagnostics)
{
  g_return_if_fail (diagnostics != NULL);

  g_ptr_array_sort (diagnostics, compare_severity);
}

/**
 * jg_validate_graph:
 * @options: (nullable): how to validate
 *
 * Runs every rule of DESIGN.md on @graph.
 *
 * Returns: (transfer full) (element-type JgDiagnostic): the diagnostics,
 *   errors first
 */
GPtrArray *
jg_validate_graph (JgGraph                 *graph,
                   const JgValidateOptions *options)
{
  static const JgValidateOptions default_options = { 0 };
  g_autofree int                *order_index = NULL;
  Validation                     v = { 0 };

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  if (options == NULL)
    options = &default_options;

  v.graph = graph;
  v.options = options;
  v.analysis = _jg_graph_analyze (graph);
  v.diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  v.template = (options->flags & JG_VALIDATE_TEMPLATE) != 0;

  order_index = g_new (int, v.analysis->order->len + 1);
  for (guint i = 0; i < v.analysis->order->len; i++)
    order_index[JG_TASK (g_ptr_array_index (v.analysis->order, i))->position] = i;
  v.order_index = order_index;

  if (!(options->flags & JG_VALIDATE_TASK_BODY_ONLY))
    check_job (&v);

  check_cycles (&v);

  for (guint i = 0; i < v.analysis->order->len; i++)
    check_task (&v, g_ptr_array_index (v.analysis->order, i));

  check_outputs (&v);

  jg_validate_sort (v.diagnostics);

  return v.diagnostics;
}
