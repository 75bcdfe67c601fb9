/* jg-document.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-document"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "jg-document-private.h"
#include "jg-format-error.h"
#include "jg-graph-private.h"
#include "jg-json.h"

/* The native `.jobgraph` file: versioned JSON holding the whole model and
 * its layout, written in a stable order so that files diff well. Saving is
 * atomic: GIO writes a temporary file beside the target and renames it
 * over, so a crash never leaves a half-written document.
 *
 * {
 *   "format": "jobgraph", "version": 1,
 *   "job": { "name", "priority", "apiVersion" },
 *   "viewport": { "x", "y", "zoom" },
 *   "inputs": [ { "label", "assetId", "x", "y" } ],
 *   "outputs": [ { "index", "assetName", "assetCreationOptions", … } ],
 *   "tasks": [ { "name", "processorId", "configuration", "options",
 *                "priority", "x", "y",
 *                "inputs": [ {"input": id} | {"output": id} | {"text": …} | null ],
 *                "outputs": [ {"output": id} | {"text": …} ] } ]
 * }
 */

static void
add_member_string (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_member_int (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_member_double (JsonBuilder *builder,
                   const char  *name,
                   double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_port (JsonBuilder     *builder,
          const JgPortRef *ref,
          GHashTable      *input_ids,
          GHashTable      *output_ids)
{
  gpointer id = NULL;

  /* A wire to a node the table does not hold (outside a copied fragment)
   * comes out unconnected.
   */
  if (ref->kind == JG_REF_JOB_INPUT)
    id = g_hash_table_lookup (input_ids, ref->object);
  else if (ref->kind == JG_REF_OUTPUT_ASSET)
    id = g_hash_table_lookup (output_ids, ref->object);

  switch (ref->kind)
    {
    case JG_REF_NONE:
      json_builder_add_null_value (builder);
      break;

    case JG_REF_JOB_INPUT:
    case JG_REF_OUTPUT_ASSET:
      if (id == NULL)
        {
          json_builder_add_null_value (builder);
          break;
        }
      json_builder_begin_object (builder);
      add_member_int (builder, ref->kind == JG_REF_JOB_INPUT ? "input" : "output", GPOINTER_TO_INT (id) - 1);
      json_builder_end_object (builder);
      break;

    case JG_REF_TEXT:
      json_builder_begin_object (builder);
      add_member_string (builder, "text", ref->text ? ref->text : "");
      json_builder_end_object (builder);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
number_outputs (GArray     *ports,
                GPtrArray  *outputs,
                GHashTable *output_ids)
{
  for (guint p = 0; p < ports->len; p++)
    {
      const JgPortRef *ref = &g_array_index (ports, JgPortRef, p);

      if (ref->kind == JG_REF_OUTPUT_ASSET && !g_hash_table_contains (output_ids, ref->object))
        {
          g_ptr_array_add (outputs, ref->object);
          g_hash_table_insert (output_ids, ref->object, GINT_TO_POINTER (outputs->len));
        }
    }
}

/**
 * _jg_document_write_nodes:
 * @inputs: (element-type JgJobInput): the job inputs to write
 * @tasks: (element-type JgTask): the tasks to write
 * @fragment: %TRUE to write only part of a graph
 *
 * Adds the "inputs", "outputs" and "tasks" members to the object @builder
 * is in. Input ports are written as wires only when they read one of
 * @inputs or an output asset one of @tasks writes — or, for a whole
 * document (@fragment %FALSE), any asset a task mentions.
 */
void
_jg_document_write_nodes (JsonBuilder *builder,
                          GPtrArray   *inputs,
                          GPtrArray   *tasks,
                          gboolean     fragment)
{
  g_autoptr(GHashTable) input_ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) output_ids = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) outputs = g_ptr_array_new ();

  /* Inputs are referred to by list position, and output assets by their
   * order of first appearance in the task list.
   */
  for (guint i = 0; i < inputs->len; i++)
    g_hash_table_insert (input_ids, g_ptr_array_index (inputs, i), GINT_TO_POINTER (i + 1));
  for (guint t = 0; t < tasks->len; t++)
    {
      JgTask *task = g_ptr_array_index (tasks, t);

      /* A fragment holds only the assets its tasks write. */
      if (!fragment)
        number_outputs (task->inputs, outputs, output_ids);
      number_outputs (task->outputs, outputs, output_ids);
    }

  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < inputs->len; i++)
    {
      JgJobInput *input = g_ptr_array_index (inputs, i);

      json_builder_begin_object (builder);
      add_member_string (builder, "label", input->label);
      add_member_string (builder, "assetId", input->asset_id);
      add_member_double (builder, "x", input->x);
      add_member_double (builder, "y", input->y);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "outputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < outputs->len; i++)
    {
      JgOutputAsset *asset = g_ptr_array_index (outputs, i);

      /* "index" is what task ports refer to; readers take the position. */
      json_builder_begin_object (builder);
      add_member_int (builder, "index", i);
      add_member_string (builder, "assetName", asset->asset_name);
      add_member_string (builder, "storageAccountName", asset->storage_account_name);
      if (asset->creation_options >= 0)
        add_member_int (builder, "assetCreationOptions", asset->creation_options);
      if (asset->format_option >= 0)
        add_member_int (builder, "assetFormatOption", asset->format_option);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "tasks");
  json_builder_begin_array (builder);
  for (guint t = 0; t < tasks->len; t++)
    {
      JgTask *task = g_ptr_array_index (tasks, t);

      json_builder_begin_object (builder);
      add_member_string (builder, "name", task->name);
      add_member_string (builder, "processorId", task->processor_id);
      add_member_string (builder, "configuration", task->configuration);
      add_member_int (builder, "options", task->options);
      add_member_int (builder, "priority", task->priority);
      add_member_double (builder, "x", task->x);
      add_member_double (builder, "y", task->y);

      json_builder_set_member_name (builder, "inputs");
      json_builder_begin_array (builder);
      for (guint p = 0; p < task->inputs->len; p++)
        add_port (builder, &g_array_index (task->inputs, JgPortRef, p), input_ids, output_ids);
      json_builder_end_array (builder);

      json_builder_set_member_name (builder, "outputs");
      json_builder_begin_array (builder);
      for (guint p = 0; p < task->outputs->len; p++)
        add_port (builder, &g_array_index (task->outputs, JgPortRef, p), input_ids, output_ids);
      json_builder_end_array (builder);

      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static GPtrArray *
dup_items (GListModel *model)
{
  guint      n = g_list_model_get_n_items (model);
  GPtrArray *items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));

  return items;
}

/**
 * jg_document_serialize:
 *
 * Returns: (transfer full): @graph as a `.jobgraph` document
 */
GBytes *
jg_document_serialize (JgGraph *graph)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autofree char *text = NULL;
  double           view_x, view_y, zoom;
  GString         *str;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  inputs = dup_items (jg_graph_get_inputs (graph));
  tasks = dup_items (jg_graph_get_tasks (graph));

  json_builder_begin_object (builder);
  add_member_string (builder, "format", "jobgraph");
  add_member_int (builder, "version", JG_DOCUMENT_VERSION);
  add_member_string (builder, "generator", "Jobgraph " PACKAGE_VERSION);

  json_builder_set_member_name (builder, "job");
  json_builder_begin_object (builder);
  add_member_string (builder, "name", jg_graph_get_name (graph));
  add_member_int (builder, "priority", jg_graph_get_priority (graph));
  add_member_string (builder, "apiVersion", jg_graph_get_api_version (graph));
  json_builder_end_object (builder);

  jg_graph_get_viewport (graph, &view_x, &view_y, &zoom);
  json_builder_set_member_name (builder, "viewport");
  json_builder_begin_object (builder);
  add_member_double (builder, "x", view_x);
  add_member_double (builder, "y", view_y);
  add_member_double (builder, "zoom", zoom);
  json_builder_end_object (builder);

  _jg_document_write_nodes (builder, inputs, tasks, FALSE);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = jg_json_to_string (root, TRUE);
  str = g_string_new (text);
  g_string_append_c (str, '\n');

  return g_string_free_to_bytes (str);
}

static gboolean
read_number (JsonObject *object,
             const char *member,
             const char *where,
             double     *out,
             double      fallback,
             GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);
  GType     type;

  *out = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s%s must be a number"), where, member);
      return FALSE;
    }

  if (!isfinite (json_node_get_double (node)))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s%s must be a finite number"), where, member);
      return FALSE;
    }

  *out = json_node_get_double (node);

  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *member,
          const char *where,
          int        *out,
          int         fallback,
          GError    **error)
{
  double value;

  if (!read_number (object, member, where, &value, fallback, error))
    return FALSE;

  /* Range first: converting an out-of-range double is undefined. */
  if (value < G_MININT || value > G_MAXINT || value != (double)(gint64)value)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s%s must be a whole number"), where, member);
      return FALSE;
    }

  *out = (int)value;

  return TRUE;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member,
           const char *where,
           GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s%s must be an array"), where, member);
      return NULL;
    }

  return json_node_get_array (node);
}

static JsonObject *
get_object_element (JsonArray  *array,
                    guint       i,
                    const char *where,
                    GError    **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s[%u] must be an object"), where, i);
      return NULL;
    }

  return json_node_get_object (node);
}

static gboolean
read_port (JgGraph    *graph,
           JgTask     *task,
           gboolean    output,
           JsonNode   *node,
           GPtrArray  *inputs,
           GPtrArray  *outputs,
           const char *where,
           GError    **error)
{
  JsonObject *object;
  double      index;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      jg_graph_add_task_port (graph, task, output, JG_REF_NONE, NULL, NULL);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;

  object = json_node_get_object (node);

  if (json_object_has_member (object, "text"))
    {
      const char      *text;

      g_autofree char *prefix = g_strconcat (where, ".", NULL);

      if (!jg_json_read_string (object, "text", prefix, &text, error))
        return FALSE;

      jg_graph_add_task_port (graph, task, output, JG_REF_TEXT, NULL, text ? text : "");
      return TRUE;
    }

  if (!output && json_object_has_member (object, "input"))
    {
      if (!read_number (object, "input", where, &index, -1, error))
        return FALSE;
      if (index < 0 || index >= inputs->len || index != (guint)index)
        goto bad;

      jg_graph_add_task_port (graph, task, output, JG_REF_JOB_INPUT,
                              g_ptr_array_index (inputs, (guint)index), NULL);
      return TRUE;
    }

  if (json_object_has_member (object, "output"))
    {
      if (!read_number (object, "output", where, &index, -1, error))
        return FALSE;
      if (index < 0 || index >= outputs->len || index != (guint)index)
        goto bad;

      jg_graph_add_task_port (graph, task, output, JG_REF_OUTPUT_ASSET,
                              g_ptr_array_index (outputs, (guint)index), NULL);
      return TRUE;
    }

bad:
  jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                       output ? _("%s must be {\"output\": n} (an index into \"outputs\") or {\"text\": …}")
                              : _("%s must be null, {\"input\": n}, {\"output\": n} or {\"text\": …}, with n an index "
                                  "into \"inputs\" or \"outputs\""),
                                   where);
  return FALSE;
}

/**
 * _jg_document_read_nodes:
 *
 * Reads the "inputs", "outputs" and "tasks" members of @root (as
 * _jg_document_write_nodes() writes them) and appends what they hold to
 * @graph, without undo.
 *
 * Returns: %TRUE on success, %FALSE with @error saying what and where
 */
gboolean
_jg_document_read_nodes (JsonObject *root,
                         JgGraph    *graph,
                         GError    **error)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray  *array;
  const char *str;
  double      x, y;
  int         number;

  if ((array = get_array (root, "inputs", "", error)) != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        g_autofree char *where = g_strdup_printf ("inputs[%u].", i);
        JsonObject      *object = get_object_element (array, i, "inputs", error);
        JgJobInput      *input;

        if (object == NULL)
          return FALSE;

        input = jg_job_input_new (NULL);
        g_ptr_array_add (inputs, input);

        if (!jg_json_read_string (object, "label", where, &str, error))
          return FALSE;
        jg_job_input_set_label (input, str);

        if (!jg_json_read_string (object, "assetId", where, &str, error))
          return FALSE;
        jg_job_input_set_asset_id (input, str);

        if (!read_number (object, "x", where, &x, 0, error) ||
            !read_number (object, "y", where, &y, 0, error))
          return FALSE;
        jg_job_input_set_position (input, x, y);

        jg_graph_append_input (graph, input);
      }
  else if (error && *error)
    return FALSE;

  if ((array = get_array (root, "outputs", "", error)) != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        g_autofree char *where = g_strdup_printf ("outputs[%u].", i);
        JsonObject      *object = get_object_element (array, i, "outputs", error);
        JgOutputAsset   *asset;

        if (object == NULL)
          return FALSE;

        asset = jg_output_asset_new ();
        g_ptr_array_add (outputs, asset);

        if (!jg_json_read_string (object, "assetName", where, &str, error))
          return FALSE;
        jg_output_asset_set_asset_name (asset, str);

        if (!jg_json_read_string (object, "storageAccountName", where, &str, error))
          return FALSE;
        jg_output_asset_set_storage_account_name (asset, str);

        if (!read_int (object, "assetCreationOptions", where, &number, -1, error))
          return FALSE;
        jg_output_asset_set_creation_options (asset, number);

        if (!read_int (object, "assetFormatOption", where, &number, -1, error))
          return FALSE;
        jg_output_asset_set_format_option (asset, number);
      }
  else if (error && *error)
    return FALSE;

  if ((array = get_array (root, "tasks", "", error)) != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        g_autofree char *where = g_strdup_printf ("tasks[%u].", i);
        JsonObject      *object = get_object_element (array, i, "tasks", error);
        g_autoptr(JgTask) task = NULL;

        if (object == NULL)
          return FALSE;

        task = jg_task_new (NULL, NULL, NULL);

        if (!jg_json_read_string (object, "name", where, &str, error))
          return FALSE;
        jg_task_set_name (task, str);

        if (!jg_json_read_string (object, "processorId", where, &str, error))
          return FALSE;
        jg_task_set_processor_id (task, str);

        if (!jg_json_read_string (object, "configuration", where, &str, error))
          return FALSE;
        jg_task_set_configuration (task, str);

        if (!read_int (object, "options", where, &number, 0, error))
          return FALSE;
        jg_task_set_options (task, MAX (number, 0));

        if (!read_int (object, "priority", where, &number, 0, error))
          return FALSE;
        jg_task_set_priority (task, number);

        if (!read_number (object, "x", where, &x, 0, error) ||
            !read_number (object, "y", where, &y, 0, error))
          return FALSE;
        jg_task_set_position (task, x, y);

        jg_graph_append_task (graph, task);

        for (guint side = 0; side < 2; side++)
          {
            gboolean         output = side == 1;
            g_autofree char *ports_where = g_strdup_printf ("%s%s", where, output ? "outputs" : "inputs");
            JsonArray       *ports = get_array (object, output ? "outputs" : "inputs", where, error);

            if (ports == NULL)
              {
                if (error && *error)
                  return FALSE;
                continue;
              }

            for (guint p = 0; p < json_array_get_length (ports); p++)
              {
                g_autofree char *port_where = g_strdup_printf ("%s[%u]", ports_where, p);

                if (!read_port (graph, task, output, json_array_get_element (ports, p),
                                inputs, outputs, port_where, error))
                  return FALSE;
              }
          }
      }
  else if (error && *error)
    return FALSE;

  return TRUE;
}

static JgGraph *
read_document (JsonObject *root,
               GError    **error)
{
  g_autoptr(JgGraph) graph = jg_graph_new ();
  JsonNode   *member;
  const char *str;
  double      x, y, zoom;
  int         number;

  jg_graph_set_auto_validate (graph, FALSE);

  member = json_object_get_member (root, "job");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *job = json_node_get_object (member);

      if (!jg_json_read_string (job, "name", "job.", &str, error))
        return NULL;
      jg_graph_set_name (graph, str);

      if (!read_int (job, "priority", "job.", &number, 0, error))
        return NULL;
      jg_graph_set_priority (graph, number);

      if (!jg_json_read_string (job, "apiVersion", "job.", &str, error))
        return NULL;
      jg_graph_set_api_version (graph, str);
    }

  member = json_object_get_member (root, "viewport");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *viewport = json_node_get_object (member);

      if (!read_number (viewport, "x", "viewport.", &x, 0, error) ||
          !read_number (viewport, "y", "viewport.", &y, 0, error) ||
          !read_number (viewport, "zoom", "viewport.", &zoom, 1, error))
        return NULL;

      jg_graph_set_viewport (graph, x, y, zoom);
    }

  if (!_jg_document_read_nodes (root, graph, error))
    return NULL;

  jg_graph_set_auto_validate (graph, TRUE);

  return g_steal_pointer (&graph);
}

/**
 * jg_document_parse:
 *
 * Returns: (transfer full): the graph stored in a `.jobgraph` document, or
 *   %NULL with @error saying what and where
 */
JgGraph *
jg_document_parse (const char *data,
                   gsize       length,
                   GError    **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = jg_json_parse (data, length, error);
  if (root == NULL)
    return NULL;

  return jg_document_from_json (root, error);
}

/**
 * jg_document_from_json:
 *
 * Returns: (transfer full): the graph stored in a parsed `.jobgraph`
 *   document, or %NULL with @error saying what and where
 */
JgGraph *
jg_document_from_json (JsonNode *root,
                       GError  **error)
{
  JsonObject *object;
  const char *format;
  gint64      version;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 1, 1,
                           _("A Jobgraph document must be a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  format = jg_json_object_get_string (object, "format");
  if (g_strcmp0 (format, "jobgraph") != 0)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("This is not a Jobgraph document (its \"format\" is not \"jobgraph\")"));
      return NULL;
    }

  if (!jg_json_object_get_int (object, "version", &version) || version < 1)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("The document has no valid \"version\""));
      return NULL;
    }

  if (version > JG_DOCUMENT_VERSION)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_NEWER_VERSION, 0, 0,
                           /* Translators: the numbers are file format versions */
                           _("This document was saved by a newer version of Jobgraph (format %lld); "
                             "this version reads format %d at most. Update Jobgraph to open it."),
                           (long long)version, JG_DOCUMENT_VERSION);
      return NULL;
    }

  return read_document (object, error);
}

/**
 * jg_document_save:
 *
 * Writes @graph to @file atomically (temporary file, then rename).
 *
 * Returns: %TRUE on success
 */
gboolean
jg_document_save (JgGraph      *graph,
                  GFile        *file,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize       size;
  const char *data;

  g_return_val_if_fail (JG_IS_GRAPH (graph), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = jg_document_serialize (graph);
  data = g_bytes_get_data (bytes, &size);

  return g_file_replace_contents (file, data, size, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, cancellable, error);
}

static void
save_replace_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * jg_document_save_async:
 *
 * Serializes @graph now (a snapshot: later edits are not included) and
 * writes it atomically without blocking.
 */
void
jg_document_save_async (JgGraph            *graph,
                        GFile              *file,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (JG_IS_GRAPH (graph));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (graph, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_document_save_async);

  bytes = jg_document_serialize (graph);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       cancellable, save_replace_cb, g_steal_pointer (&task));
}

gboolean
jg_document_save_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == jg_document_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GBytes    *bytes;
  JgFormat   format;
  GPtrArray *diagnostics;
  char      *name;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_clear_pointer (&data->diagnostics, g_ptr_array_unref);
  g_free (data->name);
  g_free (data);
}

static JgGraph *
import_bytes (GBytes     *bytes,
              const char *name,
              JgFormat   *format,
              GPtrArray  *diagnostics,
              GError    **error)
{
  gsize       size;
  const char *data = g_bytes_get_data (bytes, &size);
  JgGraph    *graph;

  graph = jg_import_data (data ? data : "", size, format, diagnostics, error);
  if (graph == NULL)
    g_prefix_error (error, "%s: ", name);

  return graph;
}

/**
 * jg_document_load:
 * @format: (out) (optional): what the file held
 * @diagnostics: (out) (optional) (transfer full) (element-type JgDiagnostic):
 *   problems of the body itself
 *
 * Reads any format jg_import_data() understands from @file.
 *
 * Returns: (transfer full): the graph
 */
JgGraph *
jg_document_load (GFile        *file,
                  JgFormat     *format,
                  GPtrArray   **diagnostics,
                  GCancellable *cancellable,
                  GError      **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  JgGraph         *graph;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;

  name = g_file_get_parse_name (file);
  graph = import_bytes (bytes, name, format, found, error);

  if (graph != NULL && diagnostics != NULL)
    *diagnostics = g_steal_pointer (&found);

  return graph;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError   *error = NULL;
  JgGraph  *graph;

  graph = import_bytes (data->bytes, data->name, &data->format, data->diagnostics, &error);
  if (graph == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, graph, g_object_unref);
}

static void
load_bytes_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError   *error = NULL;

  data->bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (data->bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Parsing a large body is CPU work: keep it off the main loop. */
  g_task_run_in_thread (task, load_thread);
}

/**
 * jg_document_load_async:
 *
 * Loads and parses @file without blocking; parsing runs in a thread.
 */
void
jg_document_load_async (GFile              *file,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_document_load_async);

  data = g_new0 (LoadData, 1);
  data->diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  data->name = g_file_get_parse_name (file);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);

  g_file_load_bytes_async (file, cancellable, load_bytes_cb, g_steal_pointer (&task));
}

/**
 * jg_document_load_finish:
 * @format: (out) (optional): what the file held
 * @diagnostics: (out) (optional) (transfer full) (element-type JgDiagnostic):
 *   problems of the body itself
 *
 * Returns: (transfer full): the graph
 */
JgGraph *
jg_document_load_finish (GAsyncResult *result,
                         JgFormat     *format,
                         GPtrArray   **diagnostics,
                         GError      **error)
{
  LoadData *data;
  JgGraph  *graph;

  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == jg_document_load_async, NULL);

  graph = g_task_propagate_pointer (G_TASK (result), error);
  if (graph == NULL)
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  if (format != NULL)
    *format = data->format;
  if (diagnostics != NULL)
    *diagnostics = g_ptr_array_ref (data->diagnostics);

  return graph;
}
