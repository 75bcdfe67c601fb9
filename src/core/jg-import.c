/* jg-import.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jg-batch.h"
#include "jg-diagnostic.h"
#include "jg-document.h"
#include "jg-format-error.h"
#include "jg-graph.h"
#include "jg-import.h"
#include "jg-json.h"
#include "jg-layout.h"
#include "jg-rest.h"
#include "jg-task-body.h"
#include "jg-validate.h"

/* Reads any of the formats Jobgraph understands, told apart by content,
 * into a laid-out graph plus the problems of the body itself.
 */

const char *
jg_format_get_name (JgFormat format)
{
  switch (format)
    {
    case JG_FORMAT_DOCUMENT:
      return "jobgraph";
    case JG_FORMAT_JOB:
      return "job";
    case JG_FORMAT_TEMPLATE:
      return "template";
    case JG_FORMAT_BATCH:
      return "batch";
    case JG_FORMAT_TASK_BODY:
      return "taskbody";
    case JG_FORMAT_TEMPLATE_BODY:
      return "templatebody";
    case JG_FORMAT_UNKNOWN:
    default:
      return "unknown";
    }
}

/* A UTF-8 byte order mark, which some editors write and json-glib refuses. */
static gboolean
has_bom (const char *data,
         gsize       length)
{
  return length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0;
}

static const char *
skip_space (const char *p,
            const char *end)
{
  if (has_bom (p, end - p))
    p += 3;

  while (p < end && g_ascii_isspace (*p))
    p++;

  return p;
}

/* The name of the first element of an XML text, past the declaration,
 * comments and any DOCTYPE (which the parser will refuse with a clear
 * message).
 */
static gboolean
xml_root_is (const char *p,
             const char *end,
             const char *name)
{
  gsize len = strlen (name);

  while (p < end)
    {
      p = memchr (p, '<', end - p);
      if (p == NULL || p + 1 >= end)
        return FALSE;

      if (p[1] != '?' && p[1] != '!')
        return (gsize)(end - p - 1) > len && memcmp (p + 1, name, len) == 0 &&
               !g_ascii_isalnum (p[1 + len]);

      p++;
    }

  return FALSE;
}

/* Told apart by top-level members only, never by string values. */
static JgFormat
classify_json (JsonNode *root)
{
  JsonObject *object;
  JsonNode   *wrapped;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return JG_FORMAT_JOB;

  object = json_node_get_object (root);
  if (g_strcmp0 (jg_json_object_get_string (object, "format"), "jobgraph") == 0)
    return JG_FORMAT_DOCUMENT;

  wrapped = json_object_get_member (object, "d");
  if (wrapped != NULL && JSON_NODE_HOLDS_OBJECT (wrapped))
    object = json_node_get_object (wrapped);

  if (json_object_has_member (object, "JobTemplateBody") || json_object_has_member (object, "TaskTemplates"))
    return JG_FORMAT_TEMPLATE;

  return JG_FORMAT_JOB;
}

/**
 * jg_format_detect:
 *
 * Returns: what @data holds, judged by its first bytes (and, for JSON, its
 *   members)
 */
JgFormat
jg_format_detect (const char *data,
                  gsize       length)
{
  const char *end = data + length;
  const char *p = skip_space (data, end);

  if (p >= end)
    return JG_FORMAT_UNKNOWN;

  if (*p == '<')
    return xml_root_is (p, end, "jobTemplate") ? JG_FORMAT_TEMPLATE_BODY : JG_FORMAT_TASK_BODY;

  if (end - p >= 2 && p[0] == '-' && p[1] == '-')
    return JG_FORMAT_BATCH;

  if (*p == '{')
    {
      gsize bom = has_bom (data, length) ? 3 : 0;
      g_autoptr(JsonNode) root = jg_json_parse (data + bom, length - bom, NULL);

      /* Unparseable JSON is most likely a broken Job body: reading it as
       * one reports the syntax error where it is.
       */
      return root ? classify_json (root) : JG_FORMAT_JOB;
    }

  return JG_FORMAT_UNKNOWN;
}

static gboolean
uri_ends_with (const char *uri,
               const char *suffix)
{
  g_autofree char *path = NULL;
  const char      *query;

  if (uri == NULL)
    return FALSE;

  query = strchr (uri, '?');
  path = query ? g_strndup (uri, query - uri) : g_strdup (uri);

  return g_str_has_suffix (path, suffix);
}

static JsonNode *
parse_part_json (JgBatchPart *part,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *content_type = jg_batch_part_get_header (part, "Content-Type");
  gsize       size;
  const char *body = g_bytes_get_data (part->body, &size);
  JsonNode   *node;

  if (content_type != NULL && strstr (content_type, "atom+xml") != NULL)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, part->line, 0,
                           _("The part %s %s is Atom XML; Jobgraph reads JSON batch parts"),
                              part->method, part->uri);
      return NULL;
    }

  node = jg_json_parse (body ? body : "", size, &local_error);
  if (node == NULL)
    {
      int line = 0, column = 0;

      /* Point into the whole batch: the part's body starts a few lines after its request line. */
      jg_format_error_get_position (local_error, &line, &column);
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, part->line, 0,
                           _("The body of part %s %s (its line %d, column %d): %s"),
                              part->method, part->uri, line, column, local_error->message);
      return NULL;
    }

  return node;
}

static JgRestJob *
read_batch (const char *data,
            gsize       length,
            GError    **error)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(JgRestJob) job = NULL;
  g_autofree char *content_id_ref = NULL;
  JgRestKind       kind = JG_REST_JOB;
  const char      *sub_set = NULL;

  parts = jg_batch_parse (NULL, data, length, error);
  if (parts == NULL)
    return NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      JgBatchPart *part = g_ptr_array_index (parts, i);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) local_error = NULL;

      if (part->method == NULL || g_ascii_strcasecmp (part->method, "POST") != 0)
        continue;

      if (job == NULL)
        {
          const char *content_id = jg_batch_part_get_header (part, "Content-ID");

          if (uri_ends_with (part->uri, "/Jobs") || uri_ends_with (part->uri, "/Jobs()"))
            kind = JG_REST_JOB;
          else if (uri_ends_with (part->uri, "/JobTemplates") || uri_ends_with (part->uri, "/JobTemplates()"))
            kind = JG_REST_TEMPLATE;
          else
            continue;

          node = parse_part_json (part, error);
          if (node == NULL)
            return NULL;

          job = jg_rest_job_from_json (node, &local_error);
          if (job == NULL)
            {
              g_prefix_error (&local_error, _("The %s part: "), kind == JG_REST_JOB ? "Jobs" : "JobTemplates");
              jg_format_error_set_position (local_error, part->line, 0);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }

          if (job->kind != kind)
            {
              jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, part->line, 0,
                                   _("The part posted to %s does not hold a %s body"),
                                      part->uri, kind == JG_REST_JOB ? "Job" : "JobTemplate");
              return NULL;
            }

          sub_set = kind == JG_REST_JOB ? "/Tasks" : "/TaskTemplates";
          content_id_ref = g_strdup_printf ("$%s%s", content_id ? content_id : "1", sub_set);
          continue;
        }

      if (!uri_ends_with (part->uri, content_id_ref))
        continue;

      node = parse_part_json (part, error);
      if (node == NULL)
        return NULL;

      {
        g_autofree char *path = g_strdup_printf ("%s: ", content_id_ref);
        JgRestTask      *task = jg_rest_task_from_json (node, kind, path, &local_error);

        if (task == NULL)
          {
            jg_format_error_set_position (local_error, part->line, 0);
            g_propagate_error (error, g_steal_pointer (&local_error));
            return NULL;
          }

        g_ptr_array_add (job->tasks, task);
      }
    }

  if (job == NULL)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("The batch has no part that creates a Job or a JobTemplate (POST …/Jobs)"));
      return NULL;
    }

  return g_steal_pointer (&job);
}

static JgGraph *
import_task_body (const char *data,
                  gsize       length,
                  GError    **error)
{
  g_autoptr(JgRestJob) job = jg_rest_job_new (JG_REST_JOB);
  g_autoptr(JgTaskBody) body = NULL;
  JgRestTask *task;
  int         max_input = -1;

  body = jg_task_body_parse (data, length, error);
  if (body == NULL)
    return NULL;

  /* A lone TaskBody reads as many job inputs as it names. */
  for (guint i = 0; i < body->inputs->len; i++)
    {
      gboolean is_output;
      guint    index;

      if (jg_parse_asset_reference (g_ptr_array_index (body->inputs, i), &is_output, &index) &&
          !is_output && index < JG_MAX_ASSETS_PER_JOB)
        max_input = MAX (max_input, (int)index);
    }

  for (int i = 0; i <= max_input; i++)
    g_ptr_array_add (job->input_asset_ids, g_strdup (""));

  task = jg_rest_task_new ();
  task->task_body = g_strndup (data, length);
  g_ptr_array_add (job->tasks, task);

  return jg_rest_job_to_graph (job, NULL, error);
}

/**
 * jg_import_data:
 * @format: (out) (optional): what the data was
 * @diagnostics: (nullable) (element-type JgDiagnostic): receives problems
 *   of the body that the graph cannot show (`malformed-task-body`,
 *   `template-mismatch`)
 *
 * Reads a `.jobgraph`, a Job or JobTemplate body, a `$batch` body, a
 * TaskBody or a JobTemplateBody, and lays the graph out (a `.jobgraph`
 * keeps its own layout).
 *
 * Returns: (transfer full): the graph, or %NULL with a #JG_FORMAT_ERROR
 *   saying what and where
 */
JgGraph *
jg_import_data (const char *data,
                gsize       length,
                JgFormat   *format,
                GPtrArray  *diagnostics,
                GError    **error)
{
  g_autoptr(JgRestJob) job = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JgGraph) graph = NULL;
  JgFormat detected;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  {
    const char *p = skip_space (data, data + length);

    /* JSON is parsed once, here, and told apart by its members. */
    if (p < data + length && *p == '{')
      {
        if (format != NULL)
          *format = JG_FORMAT_JOB;

        gsize bom = has_bom (data, length) ? 3 : 0;

        root = jg_json_parse (data + bom, length - bom, error);
        if (root == NULL)
          return NULL;

        detected = classify_json (root);
      }
    else
      detected = jg_format_detect (data, length);
  }

  if (format != NULL)
    *format = detected;

  switch (detected)
    {
    case JG_FORMAT_DOCUMENT:
      return jg_document_from_json (root, error);

    case JG_FORMAT_JOB:
    case JG_FORMAT_TEMPLATE:
      job = jg_rest_job_from_json (root, error);
      break;

    case JG_FORMAT_BATCH:
      job = read_batch (data, length, error);
      break;

    case JG_FORMAT_TASK_BODY:
      graph = import_task_body (data, length, error);
      break;

    case JG_FORMAT_TEMPLATE_BODY:
      job = jg_rest_job_new (JG_REST_TEMPLATE);
      job->job_template_body = g_strndup (data, length);
      break;

    case JG_FORMAT_UNKNOWN:
    default:
      jg_format_error_set (error, JG_FORMAT_ERROR_UNKNOWN_KIND, 1, 1,
                           _("This is not a Jobgraph document, a Job or JobTemplate body, "
                             "a $batch body, or a TaskBody"));
      return NULL;
    }

  if (job != NULL)
    graph = jg_rest_job_to_graph (job, diagnostics, error);

  if (graph == NULL)
    return NULL;

  jg_layout_graph (graph);

  return g_steal_pointer (&graph);
}

static gboolean
has_malformed_body (GPtrArray *diagnostics,
                    int        task_index)
{
  for (guint i = 0; i < diagnostics->len; i++)
    {
      JgDiagnostic *d = g_ptr_array_index (diagnostics, i);

      if (g_str_equal (jg_diagnostic_get_code (d), "malformed-task-body") &&
          (jg_diagnostic_get_task_index (d) == task_index || jg_diagnostic_get_task_index (d) < 0))
        return TRUE;
    }

  return FALSE;
}

/**
 * jg_import_validate:
 * @import_diagnostics: (nullable) (element-type JgDiagnostic): from
 *   jg_import_data()
 * @api_version: (nullable): the x-ms-version to judge by; %NULL for the
 *   graph's own
 *
 * Validates an imported graph and merges the problems of the body with
 * those of the graph. A task whose TaskBody could not be read is reported
 * once, as `malformed-task-body`, not again as a task without ports.
 *
 * Returns: (transfer full) (element-type JgDiagnostic): errors first
 */
GPtrArray *
jg_import_validate (JgGraph    *graph,
                    JgFormat    format,
                    GPtrArray  *import_diagnostics,
                    const char *api_version)
{
  JgValidateOptions options = { 0 };
  g_autoptr(GPtrArray) found = NULL;
  GPtrArray *all;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  options.api_version = api_version ? api_version : jg_graph_get_api_version (graph);
  options.account_processors = jg_graph_get_account_processors (graph);
  if (format == JG_FORMAT_TEMPLATE || format == JG_FORMAT_TEMPLATE_BODY)
    options.flags |= JG_VALIDATE_TEMPLATE;
  if (format == JG_FORMAT_TASK_BODY)
    options.flags |= JG_VALIDATE_TASK_BODY_ONLY;

  found = jg_validate_graph (graph, &options);
  all = g_ptr_array_new_with_free_func (g_object_unref);

  if (import_diagnostics != NULL)
    for (guint i = 0; i < import_diagnostics->len; i++)
      g_ptr_array_add (all, g_object_ref (g_ptr_array_index (import_diagnostics, i)));

  for (guint i = 0; i < found->len; i++)
    {
      JgDiagnostic *d = g_ptr_array_index (found, i);
      const char   *code = jg_diagnostic_get_code (d);

      if (import_diagnostics != NULL &&
          (g_str_equal (code, "task-without-input") || g_str_equal (code, "task-without-output")) &&
          has_malformed_body (import_diagnostics, jg_diagnostic_get_task_index (d)))
        continue;

      g_ptr_array_add (all, g_object_ref (d));
    }

  jg_validate_sort (all);

  return all;
}
