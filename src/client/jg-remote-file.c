/* jg-remote-file.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-core.h"
#include "jg-odata.h"
#include "jg-remote-file.h"

G_DEFINE_BOXED_TYPE (JgRemoteFile, jg_remote_file, jg_remote_file_ref, jg_remote_file_unref)

static void
jg_remote_file_clear (gpointer data)
{
  JgRemoteFile *file = data;

  g_free (file->id);
  g_free (file->name);
  g_free (file->mime_type);
  g_free (file->parent_asset_id);
  g_clear_pointer (&file->created, g_date_time_unref);
  g_clear_pointer (&file->last_modified, g_date_time_unref);
}

/* `ContentFileSize` is an Edm.Int64: verbose JSON writes it as a string so
 * that JavaScript keeps every digit, light JSON as a number. A double would
 * lose bytes past 2⁵³, so neither path goes through one.
 */
static gint64
get_size (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "ContentFileSize");
  GType     type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return MAX (json_node_get_int (node), -1);

  if (type == G_TYPE_DOUBLE)
    return json_node_get_double (node) >= 0 ? (gint64)json_node_get_double (node) : -1;

  if (type == G_TYPE_STRING)
    {
      guint64 value;

      if (g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXINT64, &value, NULL))
        return (gint64)value;
    }

  return -1;
}

static gboolean
get_boolean (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (node), "true") == 0;

  return FALSE;
}

/**
 * jg_remote_file_new_from_json:
 * @object: a File entity, verbose or light
 *
 * Returns: (transfer full): the file, or %NULL with @error set
 */
JgRemoteFile *
jg_remote_file_new_from_json (JsonObject *object,
                              GError    **error)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  JgRemoteFile    *file;

  g_return_val_if_fail (object != NULL, NULL);

  id = jg_odata_dup_id (object, "File", error);
  if (id == NULL)
    return NULL;

  name = jg_odata_dup_string (object, "Name");
  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                   _("File “%s” has no Name"), id);
      return NULL;
    }

  file = g_atomic_rc_box_new0 (JgRemoteFile);
  file->id = g_steal_pointer (&id);
  file->name = g_steal_pointer (&name);
  file->size = get_size (object);
  file->mime_type = jg_odata_dup_string (object, "MimeType");
  file->is_primary = get_boolean (object, "IsPrimary");
  file->parent_asset_id = jg_odata_dup_string (object, "ParentAssetId");
  file->created = jg_odata_dup_date (object, "Created");
  file->last_modified = jg_odata_dup_date (object, "LastModified");

  return file;
}

/**
 * jg_remote_file_ref:
 *
 * Returns: (transfer full): @file
 */
JgRemoteFile *
jg_remote_file_ref (JgRemoteFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);

  return g_atomic_rc_box_acquire (file);
}

void
jg_remote_file_unref (JgRemoteFile *file)
{
  g_return_if_fail (file != NULL);

  g_atomic_rc_box_release_full (file, jg_remote_file_clear);
}
