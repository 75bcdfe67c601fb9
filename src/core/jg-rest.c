/* jg-rest.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-rest"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "jg-diagnostic.h"
#include "jg-format-error.h"
#include "jg-graph-private.h"
#include "jg-json.h"
#include "jg-rest.h"
#include "jg-task-body.h"
#include "jg-validate.h"

/* Job and JobTemplate create bodies (ams-rest-v2.md §3, §7): JSON ↔ the
 * plain JgRestJob, and JgRestJob ↔ JgGraph. The graph side resolves
 * `JobInputAsset(n)`/`JobOutputAsset(n)` texts into edges on import and
 * numbers them contiguously again on export.
 */

JgRestTask *
jg_rest_task_new (void)
{
  JgRestTask *task = g_new0 (JgRestTask, 1);

  task->n_inputs = -1;
  task->n_outputs = -1;

  return task;
}

void
jg_rest_task_free (JgRestTask *task)
{
  if (task == NULL)
    return;

  g_free (task->id);
  g_free (task->name);
  g_free (task->processor_id);
  g_free (task->configuration);
  g_free (task->description);
  g_free (task->task_body);
  g_free (task);
}

JgRestJob *
jg_rest_job_new (JgRestKind kind)
{
  JgRestJob *job = g_new0 (JgRestJob, 1);

  job->kind = kind;
  job->n_template_inputs = -1;
  job->input_asset_ids = g_ptr_array_new_with_free_func (g_free);
  job->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_rest_task_free);

  return job;
}

void
jg_rest_job_free (JgRestJob *job)
{
  if (job == NULL)
    return;

  g_free (job->name);
  g_free (job->template_id);
  g_free (job->job_template_body);
  g_ptr_array_unref (job->input_asset_ids);
  g_ptr_array_unref (job->tasks);
  g_free (job);
}

/* Reading */

static gboolean
get_optional_string (JsonObject *object,
                     const char *member,
                     const char *path,
                     char      **out,
                     GError    **error)
{
  const char *value;

  if (!jg_json_read_string (object, member, path, &value, error))
    return FALSE;

  *out = g_strdup (value);

  return TRUE;
}

static gboolean
get_optional_int (JsonObject *object,
                  const char *member,
                  const char *path,
                  int        *out,
                  int         fallback,
                  GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64    value;

  *out = fallback;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!jg_json_object_get_int (object, member, &value) || value < G_MININT || value > G_MAXINT)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s%s must be a whole number"), path, member);
      return FALSE;
    }

  *out = (int)value;

  return TRUE;
}

/**
 * jg_rest_dup_asset_id_from_uri:
 * @uri: `https://…/api/Assets('nb%3Acid%3AUUID%3A…')`, or a bare id
 *
 * Returns: (transfer full) (nullable): the asset id, unescaped, or %NULL
 *   when @uri names no asset
 */
char *
jg_rest_dup_asset_id_from_uri (const char *uri)
{
  const char      *start;
  const char      *end;
  g_autofree char *escaped = NULL;
  char            *id;

  if (uri == NULL || !g_utf8_validate (uri, -1, NULL))
    return NULL;

  if (g_str_has_prefix (uri, "nb:cid:"))
    return g_strdup (uri);

  start = strstr (uri, "Assets('");
  if (start == NULL)
    return NULL;

  start += strlen ("Assets('");
  end = strstr (start, "')");
  if (end == NULL || end == start)
    return NULL;

  escaped = g_strndup (start, end - start);
  id = g_uri_unescape_string (escaped, NULL);

  /* Escapes may spell bytes that are not text (%D3 alone). */
  if (id != NULL && !g_utf8_validate (id, -1, NULL))
    g_clear_pointer (&id, g_free);

  return id;
}

/**
 * jg_rest_dup_asset_uri:
 *
 * Returns: (transfer full): `<base>Assets('<escaped id>')`
 */
char *
jg_rest_dup_asset_uri (const char *base_uri,
                       const char *asset_id)
{
  g_autofree char *escaped = g_uri_escape_string (asset_id, NULL, FALSE);

  if (base_uri == NULL)
    base_uri = JG_DEFAULT_BASE_URI;

  return g_strdup_printf ("%s%sAssets('%s')",
                          base_uri,
                          g_str_has_suffix (base_uri, "/") ? "" : "/",
                          escaped);
}

static gboolean
read_input_assets (JgRestJob  *job,
                   JsonObject *object,
                   GError    **error)
{
  JsonNode  *verbose = json_object_get_member (object, "InputMediaAssets");
  JsonNode  *light = json_object_get_member (object, "InputMediaAssets@odata.bind");
  JsonArray *array;
  gboolean   is_light;

  if (verbose != NULL && light != NULL)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("The body has both InputMediaAssets and InputMediaAssets@odata.bind; use one"));
      return FALSE;
    }

  if (verbose == NULL && light == NULL)
    return TRUE;

  is_light = light != NULL;
  if (!JSON_NODE_HOLDS_ARRAY (is_light ? light : verbose))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s must be an array"),
                              is_light ? "InputMediaAssets@odata.bind" : "InputMediaAssets");
      return FALSE;
    }

  array = json_node_get_array (is_light ? light : verbose);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode   *element = json_array_get_element (array, i);
      const char *uri = NULL;
      char       *id;

      if (is_light)
        {
          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            uri = json_node_get_string (element);
        }
      else if (JSON_NODE_HOLDS_OBJECT (element))
        {
          JsonObject *entry = json_node_get_object (element);
          JsonNode   *metadata = json_object_get_member (entry, "__metadata");

          if (metadata != NULL && JSON_NODE_HOLDS_OBJECT (metadata))
            uri = jg_json_object_get_string (json_node_get_object (metadata), "uri");
          else
            uri = jg_json_object_get_string (entry, "Id");
        }

      id = jg_rest_dup_asset_id_from_uri (uri);
      if (id == NULL)
        {
          jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                               is_light
                               ? _("InputMediaAssets@odata.bind[%u] does not name an asset; expected a URI ending in Assets('nb:cid:UUID:…')")
                               : _("InputMediaAssets[%u] does not name an asset; expected {\"__metadata\": {\"uri\": \"…/Assets('nb:cid:UUID:…')\"}}"),
                                    i);
          return FALSE;
        }

      g_ptr_array_add (job->input_asset_ids, id);
    }

  return TRUE;
}

/**
 * jg_rest_task_from_json:
 * @path: prefix for error messages, e.g. `Tasks[2].`
 *
 * Returns: (transfer full): a Task (or TaskTemplate) read from @node
 */
JgRestTask *
jg_rest_task_from_json (JsonNode   *node,
                        JgRestKind  kind,
                        const char *path,
                        GError    **error)
{
  g_autoptr(JgRestTask) task = jg_rest_task_new ();
  JsonObject *object;

  if (path == NULL)
    path = "";

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s must be an object"), path[0] ? path : "The task");
      return NULL;
    }

  object = json_node_get_object (node);

  /* Verbose responses wrap the entity in {"d": …}. */
  if (json_object_has_member (object, "d") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "d")))
    object = json_object_get_object_member (object, "d");

  if (!get_optional_string (object, "Name", path, &task->name, error) ||
      !get_optional_string (object, "MediaProcessorId", path, &task->processor_id, error) ||
      !get_optional_string (object, "Configuration", path, &task->configuration, error) ||
      !get_optional_int (object, "Options", path, &task->options, 0, error))
    return NULL;

  if (kind == JG_REST_TEMPLATE)
    {
      if (!get_optional_string (object, "Id", path, &task->id, error) ||
          !get_optional_string (object, "Description", path, &task->description, error) ||
          !get_optional_int (object, "NumberofInputAssets", path, &task->n_inputs, -1, error) ||
          !get_optional_int (object, "NumberofOutputAssets", path, &task->n_outputs, -1, error))
        return NULL;
    }
  else
    {
      if (!get_optional_int (object, "Priority", path, &task->priority, 0, error) ||
          !get_optional_string (object, "TaskBody", path, &task->task_body, error))
        return NULL;

      if (task->task_body == NULL)
        {
          jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                               _("%sTaskBody is missing; every task needs one"), path);
          return NULL;
        }
    }

  return g_steal_pointer (&task);
}

/**
 * jg_rest_job_from_json:
 *
 * Reads a Job or JobTemplate create body (verbose or light JSON, or a
 * verbose response wrapped in `{"d": …}`).
 *
 * Returns: (transfer full): the body
 */
JgRestJob *
jg_rest_job_from_json (JsonNode *root,
                       GError  **error)
{
  g_autoptr(JgRestJob) job = NULL;
  JsonObject *object;
  JsonNode   *tasks;
  const char *tasks_member;
  JgRestKind  kind;

  g_return_val_if_fail (root != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 1, 1,
                           _("A Job or JobTemplate body must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  if (json_object_has_member (object, "d") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "d")))
    object = json_object_get_object_member (object, "d");

  kind = (json_object_has_member (object, "JobTemplateBody") ||
          json_object_has_member (object, "TaskTemplates"))
           ? JG_REST_TEMPLATE
           : JG_REST_JOB;

  job = jg_rest_job_new (kind);

  if (!get_optional_string (object, "Name", "", &job->name, error))
    return NULL;

  if (kind == JG_REST_TEMPLATE)
    {
      if (!get_optional_string (object, "JobTemplateBody", "", &job->job_template_body, error) ||
          !get_optional_int (object, "NumberofInputAssets", "", &job->n_template_inputs, -1, error))
        return NULL;

      if (job->job_template_body == NULL)
        {
          jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                               _("The JobTemplate has no JobTemplateBody"));
          return NULL;
        }

      tasks_member = "TaskTemplates";
    }
  else
    {
      if (!get_optional_int (object, "Priority", "", &job->priority, 0, error) ||
          !get_optional_string (object, "TemplateId", "", &job->template_id, error) ||
          !read_input_assets (job, object, error))
        return NULL;

      tasks_member = "Tasks";
    }

  tasks = json_object_get_member (object, tasks_member);
  if (tasks != NULL && !JSON_NODE_HOLDS_NULL (tasks))
    {
      JsonArray *array;

      /* A verbose response defers navigation properties. */
      if (JSON_NODE_HOLDS_OBJECT (tasks) && json_object_has_member (json_node_get_object (tasks), "__deferred"))
        return g_steal_pointer (&job);

      if (!JSON_NODE_HOLDS_ARRAY (tasks))
        {
          jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                               _("%s must be an array"), tasks_member);
          return NULL;
        }

      array = json_node_get_array (tasks);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *path = g_strdup_printf ("%s[%u].", tasks_member, i);
          JgRestTask      *task = jg_rest_task_from_json (json_array_get_element (array, i), kind, path, error);

          if (task == NULL)
            return NULL;

          g_ptr_array_add (job->tasks, task);
        }
    }

  return g_steal_pointer (&job);
}

/* Writing */

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value ? value : "");
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
build_task (JsonBuilder *builder,
            JgRestTask  *task,
            JgRestKind   kind)
{
  json_builder_begin_object (builder);

  if (kind == JG_REST_TEMPLATE)
    add_string (builder, "Id", task->id);

  if (task->name != NULL)
    add_string (builder, "Name", task->name);

  add_string (builder, "Configuration", task->configuration);
  add_string (builder, "MediaProcessorId", task->processor_id);

  if (task->options != 0)
    add_int (builder, "Options", task->options);

  if (kind == JG_REST_TEMPLATE)
    {
      if (task->description != NULL)
        add_string (builder, "Description", task->description);
      add_int (builder, "NumberofInputAssets", MAX (task->n_inputs, 0));
      add_int (builder, "NumberofOutputAssets", MAX (task->n_outputs, 0));
    }
  else
    {
      if (task->priority != 0)
        add_int (builder, "Priority", task->priority);
      add_string (builder, "TaskBody", task->task_body);
    }

  json_builder_end_object (builder);
}

/**
 * jg_rest_task_to_json:
 *
 * Returns: (transfer full): one Task or TaskTemplate object (the body of a
 *   `$1/Tasks` batch part)
 */
JsonNode *
jg_rest_task_to_json (JgRestTask *task,
                      JgRestKind  kind)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (task != NULL, NULL);

  build_task (builder, task, kind);

  return json_builder_get_root (builder);
}

/**
 * jg_rest_job_to_json:
 * @base_uri: (nullable): the account's API base for asset URIs
 * @light: use `InputMediaAssets@odata.bind` instead of `__metadata` links
 * @with_tasks: include `Tasks` / `TaskTemplates` (a `$batch` sends them as
 *   separate parts)
 *
 * Returns: (transfer full): the create body
 */
JsonNode *
jg_rest_job_to_json (JgRestJob  *job,
                     const char *base_uri,
                     gboolean    light,
                     gboolean    with_tasks)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (job != NULL, NULL);

  json_builder_begin_object (builder);

  add_string (builder, "Name", job->name);

  if (job->kind == JG_REST_TEMPLATE)
    {
      add_string (builder, "JobTemplateBody", job->job_template_body);
      add_int (builder, "NumberofInputAssets", MAX (job->n_template_inputs, 0));
      add_int (builder, "TemplateType", 1);
    }
  else
    {
      if (job->priority != 0)
        add_int (builder, "Priority", job->priority);

      json_builder_set_member_name (builder, light ? "InputMediaAssets@odata.bind" : "InputMediaAssets");
      json_builder_begin_array (builder);
      for (guint i = 0; i < job->input_asset_ids->len; i++)
        {
          g_autofree char *uri = jg_rest_dup_asset_uri (base_uri, g_ptr_array_index (job->input_asset_ids, i));

          if (light)
            json_builder_add_string_value (builder, uri);
          else
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "__metadata");
              json_builder_begin_object (builder);
              add_string (builder, "uri", uri);
              json_builder_end_object (builder);
              json_builder_end_object (builder);
            }
        }
      json_builder_end_array (builder);

      if (job->template_id != NULL)
        add_string (builder, "TemplateId", job->template_id);
    }

  if (with_tasks && (job->kind == JG_REST_TEMPLATE || job->template_id == NULL))
    {
      json_builder_set_member_name (builder, job->kind == JG_REST_TEMPLATE ? "TaskTemplates" : "Tasks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < job->tasks->len; i++)
        build_task (builder, g_ptr_array_index (job->tasks, i), job->kind);
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Building a graph */

typedef struct
{
  JgGraph    *graph;
  GPtrArray  *diagnostics;
  GPtrArray  *inputs;  /* JgJobInput by index */
  GHashTable *outputs; /* index → JgOutputAsset */
} Builder;

static JgDiagnostic *
add_diagnostic (Builder    *b,
                const char *code,
                int         task_index,
                const char *task_name,
                const char *message)
{
  JgDiagnostic *d = jg_diagnostic_new (JG_SEVERITY_ERROR, code, message);

  if (task_index >= 0)
    jg_diagnostic_set_task (d, NULL, task_index, task_name);

  if (b->diagnostics != NULL)
    g_ptr_array_add (b->diagnostics, d);
  else
    g_object_unref (d);

  return d;
}

static void
copy_output_attributes (JgOutputAsset          *asset,
                        const JgTaskBodyOutput *output)
{
  if (output->asset_name != NULL && jg_output_asset_get_asset_name (asset) == NULL)
    jg_output_asset_set_asset_name (asset, output->asset_name);
  if (output->storage_account_name != NULL && jg_output_asset_get_storage_account_name (asset) == NULL)
    jg_output_asset_set_storage_account_name (asset, output->storage_account_name);
  if (output->creation_options >= 0 && jg_output_asset_get_creation_options (asset) < 0)
    jg_output_asset_set_creation_options (asset, output->creation_options);
  if (output->format_option >= 0 && jg_output_asset_get_format_option (asset) < 0)
    jg_output_asset_set_format_option (asset, output->format_option);
}

static void
add_output_ports (Builder    *b,
                  JgTask     *task,
                  JgTaskBody *body)
{
  for (guint i = 0; i < body->outputs->len; i++)
    {
      JgTaskBodyOutput *output = g_ptr_array_index (body->outputs, i);
      gboolean          is_output;
      guint             index;

      if (jg_parse_asset_reference (output->reference, &is_output, &index) && is_output)
        {
          JgOutputAsset *asset = g_hash_table_lookup (b->outputs, GUINT_TO_POINTER (index));

          if (asset == NULL)
            {
              asset = jg_output_asset_new ();
              g_hash_table_insert (b->outputs, GUINT_TO_POINTER (index), asset);
            }

          copy_output_attributes (asset, output);
          jg_graph_add_task_port (b->graph, task, TRUE, JG_REF_OUTPUT_ASSET, asset, NULL);
        }
      else
        jg_graph_add_task_port (b->graph, task, TRUE, JG_REF_TEXT, NULL, output->reference);
    }
}

static void
add_input_ports (Builder    *b,
                 JgTask     *task,
                 JgTaskBody *body)
{
  for (guint i = 0; i < body->inputs->len; i++)
    {
      const char *reference = g_ptr_array_index (body->inputs, i);
      gboolean    is_output;
      guint       index;

      if (jg_parse_asset_reference (reference, &is_output, &index))
        {
          if (!is_output && index < b->inputs->len)
            {
              jg_graph_add_task_port (b->graph, task, FALSE, JG_REF_JOB_INPUT,
                                      g_ptr_array_index (b->inputs, index), NULL);
              continue;
            }

          if (is_output)
            {
              JgOutputAsset *asset = g_hash_table_lookup (b->outputs, GUINT_TO_POINTER (index));

              if (asset != NULL)
                {
                  jg_graph_add_task_port (b->graph, task, FALSE, JG_REF_OUTPUT_ASSET, asset, NULL);
                  continue;
                }
            }
        }

      /* Kept as text: validation says what is wrong with it. */
      jg_graph_add_task_port (b->graph, task, FALSE, JG_REF_TEXT, NULL, reference);
    }
}

static JgTaskBody *
parse_task_body (Builder    *b,
                 const char *xml,
                 int         task_index,
                 const char *task_name)
{
  g_autoptr(GError) error = NULL;
  JgTaskBody *body;

  body = jg_task_body_parse (xml, -1, &error);
  if (body == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The TaskBody of Tasks[%d] is not a valid TaskBody: %s"),
                                                     task_index, error->message);
      JgDiagnostic    *d = add_diagnostic (b, "malformed-task-body", task_index, task_name, message);
      int              line, column;

      jg_diagnostic_set_field (d, "TaskBody");
      if (jg_format_error_get_position (error, &line, &column))
        jg_diagnostic_set_position (d, line, column);
    }

  return body;
}

static int
max_input_reference (GPtrArray *bodies)
{
  int max = -1;

  for (guint i = 0; i < bodies->len; i++)
    {
      JgTaskBody *body = g_ptr_array_index (bodies, i);

      if (body == NULL)
        continue;

      for (guint j = 0; j < body->inputs->len; j++)
        {
          gboolean is_output;
          guint    index;

          if (jg_parse_asset_reference (g_ptr_array_index (body->inputs, j), &is_output, &index) &&
              !is_output && (int)index < JG_MAX_ASSETS_PER_JOB * 10)
            max = MAX (max, (int)index);
        }
    }

  return max;
}

/* TaskTemplates by lower-cased Id (the first of duplicates), so that
 * matching bodies to TaskTemplates stays linear however large the input.
 */
static GHashTable *
index_task_templates (GPtrArray *tasks)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < tasks->len; i++)
    {
      JgRestTask *task = g_ptr_array_index (tasks, i);
      char       *key;

      if (task->id == NULL)
        continue;

      key = g_ascii_strdown (task->id, -1);
      if (g_hash_table_contains (index, key))
        g_free (key);
      else
        g_hash_table_insert (index, key, task);
    }

  return index;
}

static JgRestTask *
find_task_template (GHashTable *index,
                    const char *id)
{
  g_autofree char *key = NULL;

  if (id == NULL)
    return NULL;

  key = g_ascii_strdown (id, -1);

  return g_hash_table_lookup (index, key);
}

/* template-mismatch: the JobTemplateBody's taskBody elements and the
 * TaskTemplates must match one to one by well-formed, unique ids, and each
 * TaskTemplate's asset counts must agree with its taskBody.
 */
static void
check_template (Builder    *b,
                JgRestJob  *job,
                GPtrArray  *bodies,
                GHashTable *templates)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen_templates = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < bodies->len; i++)
    {
      JgTaskBody      *body = g_ptr_array_index (bodies, i);
      g_autofree char *lower = NULL;
      g_autofree char *message = NULL;
      JgRestTask      *task;
      JgDiagnostic    *d;

      if (!jg_is_entity_id (body->task_template_id, "ttid"))
        {
          message = body->task_template_id
            ? g_strdup_printf (_("taskBody %u has taskTemplateId “%s”, which is not of the form nb:ttid:UUID:<guid>."),
                                  i, body->task_template_id)
            : g_strdup_printf (_("taskBody %u has no taskTemplateId."), i);
          d = add_diagnostic (b, "template-mismatch", i, NULL, message);
          jg_diagnostic_set_field (d, "taskTemplateId");
          jg_diagnostic_set_position (d, body->line, 0);
          continue;
        }

      lower = g_ascii_strdown (body->task_template_id, -1);
      if (!g_hash_table_add (seen, g_steal_pointer (&lower)))
        {
          message = g_strdup_printf (_("taskBody %u repeats taskTemplateId %s; each must be unique."),
                                        i, body->task_template_id);
          d = add_diagnostic (b, "template-mismatch", i, NULL, message);
          jg_diagnostic_set_field (d, "taskTemplateId");
          jg_diagnostic_set_position (d, body->line, 0);
          continue;
        }

      task = find_task_template (templates, body->task_template_id);
      if (task == NULL)
        {
          message = g_strdup_printf (_("taskBody %u refers to TaskTemplate %s, which is not in TaskTemplates."),
                                        i, body->task_template_id);
          d = add_diagnostic (b, "template-mismatch", i, NULL, message);
          jg_diagnostic_set_field (d, "taskTemplateId");
          jg_diagnostic_set_position (d, body->line, 0);
          continue;
        }

      if (task->n_inputs >= 0 && (guint)task->n_inputs != body->inputs->len)
        {
          message = g_strdup_printf (_("TaskTemplate %s says NumberofInputAssets is %d, but its taskBody has %u inputs."),
                                        task->id, task->n_inputs, body->inputs->len);
          d = add_diagnostic (b, "template-mismatch", i, task->name, message);
          jg_diagnostic_set_field (d, "NumberofInputAssets");
        }

      if (task->n_outputs >= 0 && (guint)task->n_outputs != body->outputs->len)
        {
          g_free (message);
          message = g_strdup_printf (_("TaskTemplate %s says NumberofOutputAssets is %d, but its taskBody has %u outputs."),
                                        task->id, task->n_outputs, body->outputs->len);
          d = add_diagnostic (b, "template-mismatch", i, task->name, message);
          jg_diagnostic_set_field (d, "NumberofOutputAssets");
        }
    }

  for (guint i = 0; i < job->tasks->len; i++)
    {
      JgRestTask      *task = g_ptr_array_index (job->tasks, i);
      g_autofree char *message = NULL;
      g_autofree char *lower = NULL;
      char            *key = NULL;

      if (!jg_is_entity_id (task->id, "ttid"))
        {
          message = task->id
            ? g_strdup_printf (_("TaskTemplates[%u] has Id “%s”, which is not of the form nb:ttid:UUID:<guid>."),
                                  i, task->id)
            : g_strdup_printf (_("TaskTemplates[%u] has no Id; TaskTemplate ids are chosen by the client."), i);
          jg_diagnostic_set_field (add_diagnostic (b, "template-mismatch", -1, NULL, message), "Id");
          continue;
        }

      lower = g_ascii_strdown (task->id, -1);
      if (!g_hash_table_contains (seen, lower))
        {
          message = g_strdup_printf (_("TaskTemplates[%u] (%s) has no taskBody in the JobTemplateBody."), i, task->id);
          jg_diagnostic_set_field (add_diagnostic (b, "template-mismatch", -1, NULL, message), "Id");
          continue;
        }

      /* Known to be in @seen (checked above); its stored key outlives
       * @seen_templates, which borrows it.
       */
      g_hash_table_lookup_extended (seen, lower, (gpointer *)&key, NULL);
      if (!g_hash_table_add (seen_templates, key))
        {
          message = g_strdup_printf (_("TaskTemplates[%u] repeats Id %s; each must be unique."), i, task->id);
          jg_diagnostic_set_field (add_diagnostic (b, "template-mismatch", -1, NULL, message), "Id");
        }
    }
}

/**
 * jg_rest_job_to_graph:
 * @diagnostics: (nullable) (element-type JgDiagnostic): where problems of
 *   the body itself go (`malformed-task-body`, `template-mismatch`), which
 *   a graph cannot represent
 *
 * Builds a graph from a REST body. References are resolved into edges;
 * those that name nothing are kept as text for validation to explain.
 * Nodes are not laid out.
 *
 * Returns: (transfer full): the graph, or %NULL with @error set when the
 *   body cannot make a graph at all
 */
JgGraph *
jg_rest_job_to_graph (JgRestJob *job,
                      GPtrArray *diagnostics,
                      GError   **error)
{
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GHashTable) outputs = NULL;
  g_autoptr(GPtrArray) inputs = NULL;
  Builder b;
  guint   n_inputs;

  g_return_val_if_fail (job != NULL, NULL);

  if (job->kind == JG_REST_JOB && job->template_id != NULL && job->tasks->len == 0)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("This job is made from JobTemplate %s, so its tasks are in the template; "
                             "open or validate the template instead"),
                              job->template_id);
      return NULL;
    }

  graph = jg_graph_new ();
  jg_graph_set_auto_validate (graph, FALSE);
  jg_graph_set_name (graph, job->name);
  jg_graph_set_priority (graph, job->priority);

  outputs = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  inputs = g_ptr_array_new ();
  b.graph = graph;
  b.diagnostics = diagnostics;
  b.inputs = inputs;
  b.outputs = outputs;

  /* Parse every TaskBody first: the number of inputs of a template may have
   * to be derived from them.
   */
  bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_task_body_free);
  tasks = g_ptr_array_new ();

  if (job->kind == JG_REST_TEMPLATE)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GPtrArray) template_bodies = NULL;

      template_bodies = jg_job_template_body_parse (job->job_template_body, -1, &local_error);
      if (template_bodies == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("The JobTemplateBody is not valid: %s"), local_error->message);
          JgDiagnostic    *d = add_diagnostic (&b, "malformed-task-body", -1, NULL, message);
          int              line, column;

          jg_diagnostic_set_field (d, "JobTemplateBody");
          if (jg_format_error_get_position (local_error, &line, &column))
            jg_diagnostic_set_position (d, line, column);

          /* Keep the TaskTemplates as tasks without ports. */
          for (guint i = 0; i < job->tasks->len; i++)
            {
              g_ptr_array_add (bodies, NULL);
              g_ptr_array_add (tasks, g_ptr_array_index (job->tasks, i));
            }
        }
      else
        {
          g_autoptr(GHashTable) templates = index_task_templates (job->tasks);

          check_template (&b, job, template_bodies, templates);

          for (guint i = 0; i < template_bodies->len; i++)
            {
              JgTaskBody *body = g_ptr_array_index (template_bodies, i);

              g_ptr_array_add (tasks, find_task_template (templates, body->task_template_id));
              g_ptr_array_add (bodies, g_steal_pointer (&template_bodies->pdata[i]));
            }
        }

      n_inputs = job->n_template_inputs >= 0 ? (guint)job->n_template_inputs
                                             : (guint)(max_input_reference (bodies) + 1);
    }
  else
    {
      for (guint i = 0; i < job->tasks->len; i++)
        {
          JgRestTask *rest_task = g_ptr_array_index (job->tasks, i);

          g_ptr_array_add (tasks, rest_task);
          g_ptr_array_add (bodies, parse_task_body (&b, rest_task->task_body, i, rest_task->name));
        }

      n_inputs = job->input_asset_ids->len;
    }

  n_inputs = MIN (n_inputs, JG_MAX_ASSETS_PER_JOB * 10);
  for (guint i = 0; i < n_inputs; i++)
    {
      g_autoptr(JgJobInput) input = jg_job_input_new (NULL);

      if (i < job->input_asset_ids->len)
        jg_job_input_set_asset_id (input, g_ptr_array_index (job->input_asset_ids, i));

      jg_graph_append_input (graph, input);
      g_ptr_array_add (inputs, input);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      JgRestTask *rest_task = g_ptr_array_index (tasks, i);
      g_autoptr(JgTask) task = jg_task_new (NULL, NULL, NULL);

      if (rest_task != NULL)
        {
          jg_task_set_name (task, rest_task->name);
          jg_task_set_processor_id (task, rest_task->processor_id);
          jg_task_set_configuration (task, rest_task->configuration);
          jg_task_set_options (task, rest_task->options);
          jg_task_set_priority (task, rest_task->priority);
        }

      jg_graph_append_task (graph, task);
    }

  for (guint i = 0; i < tasks->len; i++)
    if (g_ptr_array_index (bodies, i) != NULL)
      add_output_ports (&b, jg_graph_get_task (graph, i), g_ptr_array_index (bodies, i));

  for (guint i = 0; i < tasks->len; i++)
    if (g_ptr_array_index (bodies, i) != NULL)
      add_input_ports (&b, jg_graph_get_task (graph, i), g_ptr_array_index (bodies, i));

  return g_steal_pointer (&graph);
}

/* Exporting a graph */

static char *
dup_reference (const JgPortRef *ref)
{
  switch (ref->kind)
    {
    case JG_REF_JOB_INPUT:
      return g_strdup_printf ("JobInputAsset(%d)", JG_JOB_INPUT (ref->object)->index);

    case JG_REF_OUTPUT_ASSET:
      return g_strdup_printf ("JobOutputAsset(%d)", JG_OUTPUT_ASSET (ref->object)->index);

    case JG_REF_TEXT:
      return g_strdup (ref->text);

    case JG_REF_NONE:
    default:
      return g_strdup ("");
    }
}

static JgTaskBody *
build_task_body (JgTask     *task,
                 GHashTable *declared)
{
  JgTaskBody *body = jg_task_body_new ();

  for (guint p = 0; p < task->inputs->len; p++)
    g_ptr_array_add (body->inputs, dup_reference (&g_array_index (task->inputs, JgPortRef, p)));

  for (guint p = 0; p < task->outputs->len; p++)
    {
      const JgPortRef  *ref = &g_array_index (task->outputs, JgPortRef, p);
      g_autofree char  *text = dup_reference (ref);
      JgTaskBodyOutput *output = jg_task_body_output_new (text);

      /* Like the SDK, a shared output's attributes are written only where
       * it is first declared.
       */
      if (ref->kind == JG_REF_OUTPUT_ASSET && g_hash_table_add (declared, ref->object))
        {
          JgOutputAsset *asset = JG_OUTPUT_ASSET (ref->object);

          output->asset_name = g_strdup (asset->asset_name);
          output->storage_account_name = g_strdup (asset->storage_account_name);
          output->creation_options = asset->creation_options;
          output->format_option = asset->format_option;
        }

      g_ptr_array_add (body->outputs, output);
    }

  return body;
}

static char *
new_task_template_id (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("nb:ttid:UUID:%s", uuid);
}

/**
 * jg_rest_job_from_graph:
 * @kind: a Job or a JobTemplate body
 *
 * Writes @graph as a REST body: tasks in run order, inputs and outputs
 * numbered 0..n-1 in order of first appearance, TaskTemplates with fresh
 * `nb:ttid:UUID:` ids. Input asset ids may be "" where an input is unbound
 * (the caller decides whether that is acceptable).
 *
 * Returns: (transfer full): the body
 */
JgRestJob *
jg_rest_job_from_graph (JgGraph   *graph,
                        JgRestKind kind,
                        GError   **error)
{
  g_autoptr(JgRestJob) job = NULL;
  g_autoptr(GHashTable) declared = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  const JgAnalysis *analysis;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  analysis = _jg_graph_analyze (graph);
  job = jg_rest_job_new (kind);
  job->name = g_strdup (jg_graph_get_name (graph));
  job->priority = jg_graph_get_priority (graph);
  job->n_template_inputs = analysis->inputs->len;

  for (guint i = 0; i < analysis->inputs->len; i++)
    {
      JgJobInput *input = g_ptr_array_index (analysis->inputs, i);

      g_ptr_array_add (job->input_asset_ids, g_strdup (input->asset_id ? input->asset_id : ""));
    }

  declared = g_hash_table_new (NULL, NULL);
  bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_task_body_free);

  for (guint i = 0; i < analysis->order->len; i++)
    {
      JgTask     *task = g_ptr_array_index (analysis->order, i);
      JgRestTask *rest_task = jg_rest_task_new ();
      JgTaskBody *body = build_task_body (task, declared);

      rest_task->name = g_strdup (task->name);
      rest_task->processor_id = g_strdup (task->processor_id);
      rest_task->configuration = g_strdup (task->configuration);
      rest_task->options = task->options;
      rest_task->priority = task->priority;

      if (kind == JG_REST_TEMPLATE)
        {
          rest_task->id = new_task_template_id ();
          rest_task->n_inputs = body->inputs->len;
          rest_task->n_outputs = body->outputs->len;
          body->task_template_id = g_strdup (rest_task->id);
          g_ptr_array_add (bodies, body);
        }
      else
        {
          rest_task->task_body = jg_task_body_to_string (body);
          jg_task_body_free (body);
        }

      g_ptr_array_add (job->tasks, rest_task);
    }

  if (kind == JG_REST_TEMPLATE)
    job->job_template_body = jg_job_template_body_to_string (bodies);

  return g_steal_pointer (&job);
}
