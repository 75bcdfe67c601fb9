/* jg-emulator-api.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-api"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "jg-emulator-files.h"
#include "jg-emulator-odata.h"
#include "jg-emulator-private.h"

/* The entity sets below the account base (ams-rest-v2.md §3, §7, §8):
 *
 *   GET                   <base>                           service document
 *   GET                   MediaProcessors[('id')]
 *   GET POST              Assets, GET DELETE MERGE Assets('id')
 *   GET POST              Jobs, GET DELETE MERGE Jobs('id')
 *   GET                   Jobs('id')/Tasks|InputMediaAssets|OutputMediaAssets|State
 *   GET                   Tasks[('id')], Tasks('id')/InputMediaAssets|OutputMediaAssets
 *   GET POST              JobTemplates, GET DELETE JobTemplates('id')
 *   GET                   JobTemplates('id')/TaskTemplates, TaskTemplates[('id')]
 *   GET                   CancelJob?jobid='…'
 *   GET POST              AccessPolicies, GET DELETE AccessPolicies('id')
 *   GET POST              Locators (SAS), GET DELETE Locators('id')
 *   GET POST              Files, GET DELETE MERGE Files('id')
 *   GET                   Assets('id')/Files|Locators
 *   GET                   CreateFileInfos?assetid='…'
 *   POST                  $batch
 *
 * plus `<Entity>('id')/<Property>` for any plain property. Collections may
 * be written `Jobs()`. Every handler either fills the response or returns
 * an error in #JG_EMULATOR_ERROR whose code is the HTTP status; the OData
 * error body is written from it.
 */

typedef struct
{
  char    *set;
  gboolean has_key;
  char    *key;
  char    *rest; /* after the first "/", e.g. "Tasks" */
} Path;

static void
path_clear (Path *path)
{
  g_free (path->set);
  g_free (path->key);
  g_free (path->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Path, path_clear)

gboolean
_jg_emulator_parse_api_version (const char *version)
{
  char  *end;
  gint64 minor;

  if (version == NULL || !g_str_has_prefix (version, "2."))
    return FALSE;

  minor = g_ascii_strtoll (version + 2, &end, 10);

  return end != version + 2 && *end == '\0' && minor >= 0 && minor <= 19;
}

/* Keys: 'nb%3Ajid%3A…' or 'nb:jid:…', with '' for a quote. */
static char *
parse_key (const char *text,
           gsize       length,
           GError    **error)
{
  g_autofree char *inner = NULL;
  GString         *key;

  if (length < 2 || text[0] != '\'' || text[length - 1] != '\'')
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "Bad Request - Error in query syntax: the key must be a quoted string, e.g. ('nb:jid:UUID:…').");
      return NULL;
    }

  inner = g_strndup (text + 1, length - 2);
  key = g_string_new (NULL);
  for (const char *p = inner; *p; p++)
    {
      if (*p == '\'')
        {
          if (p[1] != '\'')
            {
              g_string_free (key, TRUE);
              g_set_error (error, JG_EMULATOR_ERROR, 400, "Bad Request - Error in query syntax.");
              return NULL;
            }
          p++;
        }
      g_string_append_c (key, *p);
    }

  /* Clients escape the id once more than the URL needs: unescape what
   * is left.
   */
  if (strchr (key->str, '%') != NULL)
    {
      char *unescaped = g_uri_unescape_string (key->str, NULL);

      if (unescaped != NULL)
        {
          g_string_free (key, TRUE);
          return unescaped;
        }
    }

  return g_string_free (key, FALSE);
}

static gboolean
parse_path (const char *text,
            Path       *path,
            GError    **error)
{
  const char *slash = strchr (text, '/');
  const char *end = slash ? slash : text + strlen (text);
  const char *paren = memchr (text, '(', end - text);

  /* A key may contain "/" only escaped; the path was unescaped, so look
   * for the closing "')" before the slash.
   */
  if (paren != NULL)
    {
      const char *close = strstr (paren, ")");

      if (paren[1] == '\'')
        {
          const char *quote = paren + 2;

          /* Skip to the closing quote ('' is an escaped quote). */
          while (*quote && !(quote[0] == '\'' && quote[1] != '\''))
            quote += quote[0] == '\'' ? 2 : 1;
          close = *quote ? strchr (quote, ')') : NULL;
        }

      if (close == NULL)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400, "Bad Request - Error in query syntax: missing ')'.");
          return FALSE;
        }

      slash = close[1] == '/' ? close + 1 : NULL;
      if (close[1] != '\0' && close[1] != '/')
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400, "Bad Request - Error in query syntax.");
          return FALSE;
        }

      path->set = g_strndup (text, paren - text);
      if (close > paren + 1)
        {
          path->has_key = TRUE;
          path->key = parse_key (paren + 1, close - paren - 1, error);
          if (path->key == NULL)
            return FALSE;
        }
    }
  else
    path->set = g_strndup (text, end - text);

  if (slash != NULL && slash[1] != '\0')
    {
      path->rest = g_strdup (slash + 1);

      /* Jobs('id')/Tasks() is Jobs('id')/Tasks */
      if (g_str_has_suffix (path->rest, "()"))
        path->rest[strlen (path->rest) - 2] = '\0';
    }

  return TRUE;
}

static JgEmulatorStore *
get_store (JgEmulator *self)
{
  return _jg_emulator_get_store (self);
}

static void
set_json (JgEmulatorRequest  *request,
          JgEmulatorResponse *response,
          guint               status,
          JsonNode           *node)
{
  _jg_emulator_response_set_json (response, request->verbose, status, node);
}

static void
set_created (JgEmulatorRequest  *request,
             JgEmulatorResponse *response,
             const char         *location,
             JsonNode           *node)
{
  _jg_emulator_response_add_header (response, "Location", location);
  set_json (request, response, 201, node);
}

static void
set_no_content (JgEmulatorResponse *response)
{
  response->status = 204;
}

static gboolean
method_not_allowed (JgEmulatorRequest *request,
                    GError           **error)
{
  g_set_error (error, JG_EMULATOR_ERROR, 405,
               "The method %s is not allowed on %s.", request->method, request->path);

  return FALSE;
}

static JsonObject *
read_body_object (JgEmulatorRequest *request,
                  JsonNode         **root,
                  GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize       length = 0;
  JsonObject *object;

  data = request->body ? g_bytes_get_data (request->body, &length) : NULL;
  if (data == NULL || length == 0)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The request body is empty.");
      return NULL;
    }

  *root = jg_json_parse (data, length, &local_error);
  if (*root == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The request body is not valid JSON: %s", local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (*root))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The request body must be a JSON object.");
      return NULL;
    }

  object = json_node_get_object (*root);
  if (json_object_has_member (object, "d") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "d")))
    object = json_object_get_object_member (object, "d");

  return object;
}

/* Reads an optional string member; a wrong type is a 400. */
static gboolean
get_string_member (JsonObject  *object,
                   const char  *member,
                   const char **value,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The value of %s must be a string.", member);
      return FALSE;
    }

  *value = json_node_get_string (node);

  return TRUE;
}

static gboolean
get_int_member (JsonObject *object,
                const char *member,
                gint64     *value,
                gboolean   *present,
                GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!jg_json_object_get_int (object, member, value) || *value < G_MININT || *value > G_MAXINT)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The value of %s must be a whole number.", member);
      return FALSE;
    }

  *present = TRUE;

  return TRUE;
}

static gboolean
check_members (JsonObject        *object,
               const char *const *allowed,
               const char        *type,
               GError           **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "__metadata") || g_str_has_prefix (name, "odata."))
        continue;

      if (!g_strv_contains (allowed, name))
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400,
                       "The property '%s' does not exist on type '" JG_EMULATOR_TYPE_PREFIX "%s' or cannot be set.",
                       name, type);
          return FALSE;
        }
    }

  return TRUE;
}

/* Service document */

static gboolean
handle_service_document (JgEmulator         *self,
                         JgEmulatorRequest  *request,
                         JgEmulatorResponse *response,
                         GError            **error)
{
  static const char *const sets[] = {
    "Assets",
    "Jobs",
    "Tasks",
    "JobTemplates",
    "TaskTemplates",
    "MediaProcessors",
    "AccessPolicies",
    "Locators",
    "Files",
  };
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  if (!g_str_equal (request->method, "GET"))
    return method_not_allowed (request, error);

  json_builder_begin_object (builder);
  if (request->verbose)
    {
      json_builder_set_member_name (builder, "d");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "EntitySets");
      json_builder_begin_array (builder);
      for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
        json_builder_add_string_value (builder, sets[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else
    {
      g_autofree char *metadata = g_strconcat (request->base_uri, "$metadata", NULL);

      json_builder_set_member_name (builder, "odata.metadata");
      json_builder_add_string_value (builder, metadata);
      json_builder_set_member_name (builder, "value");
      json_builder_begin_array (builder);
      for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, sets[i]);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, sets[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  set_json (request, response, 200, root);

  return TRUE;
}

/* Generic reads */

static gboolean
handle_list (JgEmulator         *self,
             JgEmulatorRequest  *request,
             JgEmulatorResponse *response,
             const JgEntitySet  *set,
             const JgListScope  *scope,
             GError            **error)
{
  g_autoptr(JsonNode) root = jg_emulator_list (get_store (self), request, set, scope, error);

  if (root == NULL)
    return FALSE;

  set_json (request, response, 200, root);

  return TRUE;
}

static gboolean
handle_get (JgEmulator         *self,
            JgEmulatorRequest  *request,
            JgEmulatorResponse *response,
            const JgEntitySet  *set,
            const char         *id,
            GError            **error)
{
  g_autoptr(JsonNode) root = jg_emulator_get_entity (get_store (self), request, set, id, TRUE, error);

  if (root == NULL)
    return FALSE;

  set_json (request, response, 200, root);

  return TRUE;
}

static const char *
edm_type (JgPropertyType type)
{
  switch (type)
    {
    case JG_PROPERTY_INT:
      return "Edm.Int32";
    case JG_PROPERTY_DOUBLE:
      return "Edm.Double";
    case JG_PROPERTY_DATE:
      return "Edm.DateTime";
    case JG_PROPERTY_INT64:
      return "Edm.Int64";
    case JG_PROPERTY_BOOL:
      return "Edm.Boolean";
    case JG_PROPERTY_STRING:
    case JG_PROPERTY_COLLECTION:
    default:
      return "Edm.String";
    }
}

/* <Entity>('id')/<Property>, e.g. Jobs('id')/State → {"d":{"State":2}} */
static gboolean
handle_property (JgEmulator         *self,
                 JgEmulatorRequest  *request,
                 JgEmulatorResponse *response,
                 const JgEntitySet  *set,
                 const char         *id,
                 const char         *name,
                 GError            **error)
{
  const JgEntityProperty *property = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt    *stmt;
  JsonNode        *value;
  int              rc;

  for (guint i = 0; i < set->n_properties; i++)
    if (g_str_equal (set->properties[i].name, name))
      property = &set->properties[i];

  if (property == NULL || property->column == NULL || property->type == JG_PROPERTY_COLLECTION)
    {
      g_set_error (error, JG_EMULATOR_ERROR, property ? 501 : 404,
                   property ? "jobgraph-emulator does not serve %s('…')/%s on its own."
                            : "Resource not found for the segment '%s('…')/%s'.",
                   set->name, name);
      return FALSE;
    }

  if (!g_str_equal (request->method, "GET"))
    return method_not_allowed (request, error);

  sql = g_strdup_printf ("SELECT %s FROM %s AS e WHERE e.id = ?", property->column, set->table);
  stmt = jg_emulator_store_prepare (get_store (self), sql, error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource %s not found", set->type);
      else
        jg_emulator_store_set_error (get_store (self), error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  value = json_node_new (JSON_NODE_VALUE);
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    json_node_init_null (value);
  else
    switch (property->type)
      {
      case JG_PROPERTY_INT:
        json_node_set_int (value, sqlite3_column_int64 (stmt, 0));
        break;

      case JG_PROPERTY_DOUBLE:
        json_node_set_double (value, sqlite3_column_double (stmt, 0));
        break;

      case JG_PROPERTY_INT64:
        if (request->verbose)
          {
            g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 0));

            json_node_set_string (value, text);
          }
        else
          json_node_set_int (value, sqlite3_column_int64 (stmt, 0));
        break;

      case JG_PROPERTY_BOOL:
        json_node_set_boolean (value, sqlite3_column_int (stmt, 0) != 0);
        break;

      case JG_PROPERTY_DATE:
        {
          g_autofree char *date = _jg_emulator_format_date (sqlite3_column_int64 (stmt, 0), request->verbose);

          json_node_set_string (value, date);
          break;
        }

      case JG_PROPERTY_STRING:
      case JG_PROPERTY_COLLECTION:
      default:
        json_node_set_string (value, jg_emulator_column_text (stmt, 0));
        break;
      }
  sqlite3_reset (stmt);

  root = jg_emulator_new_value (request, property->name, edm_type (property->type), value);
  set_json (request, response, 200, root);

  return TRUE;
}

static gboolean
delete_entity (JgEmulator        *self,
               const JgEntitySet *set,
               const char        *id,
               GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", set->table);
  JgEmulatorStore *store = get_store (self);
  sqlite3_stmt    *stmt;

  stmt = jg_emulator_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, id);
  if (!jg_emulator_store_step_done (store, stmt, error))
    return FALSE;

  if (sqlite3_changes (jg_emulator_store_get_db (store)) == 0)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource %s not found", set->type);
      return FALSE;
    }

  return TRUE;
}

/* Assets */

static char *
new_asset_uri (const char *asset_id)
{
  const char *guid = strrchr (asset_id, ':');

  return g_strdup_printf ("https://" JG_EMULATOR_STORAGE_ACCOUNT ".blob.core.windows.net/asset-%s",
                          guid ? guid + 1 : asset_id);
}

static gboolean
insert_asset (JgEmulatorStore *store,
              const char      *asset_id,
              const char      *name,
              const char      *alternate_id,
              int              options,
              int              format_option,
              const char      *storage_account_name,
              gint64           size,
              GError         **error)
{
  g_autofree char *uri = new_asset_uri (asset_id);
  gint64           now = _jg_emulator_now_ms ();
  sqlite3_stmt    *stmt;

  stmt = jg_emulator_store_prepare (store,
                                    "INSERT INTO assets (id, name, alternate_id, options, format_option, "
                                    "storage_account_name, uri, created, last_modified, size) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, asset_id);
  jg_emulator_bind_text (stmt, 2, name);
  jg_emulator_bind_text (stmt, 3, alternate_id);
  sqlite3_bind_int (stmt, 4, options);
  sqlite3_bind_int (stmt, 5, format_option);
  jg_emulator_bind_text (stmt, 6, storage_account_name ? storage_account_name : JG_EMULATOR_STORAGE_ACCOUNT);
  jg_emulator_bind_text (stmt, 7, uri);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_int64 (stmt, 10, size);

  return jg_emulator_store_step_done (store, stmt, error);
}

static gboolean
create_asset (JgEmulator         *self,
              JgEmulatorRequest  *request,
              JgEmulatorResponse *response,
              GError            **error)
{
  static const char *const allowed[] = {
    "Name", "AlternateId", "Options", "StorageAccountName", "FormatOption", NULL
  };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *asset_id = NULL;
  g_autofree char *location = NULL;
  JsonObject      *object;
  const char      *name, *alternate_id, *storage;
  gint64           options = 0, format_option = 0;
  gboolean         present;

  object = read_body_object (request, &root, error);
  if (object == NULL ||
      !check_members (object, allowed, "Asset", error) ||
      !get_string_member (object, "Name", &name, error) ||
      !get_string_member (object, "AlternateId", &alternate_id, error) ||
      !get_string_member (object, "StorageAccountName", &storage, error) ||
      !get_int_member (object, "Options", &options, &present, error) ||
      !get_int_member (object, "FormatOption", &format_option, &present, error))
    return FALSE;

  if (name != NULL && g_utf8_strlen (name, -1) > JG_MAX_ASSET_NAME_LENGTH)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "The asset name is longer than %d characters.", JG_MAX_ASSET_NAME_LENGTH);
      return FALSE;
    }

  if (options != 0 && options != 1 && options != 2 && options != 4)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "Options must be one of 0 (None), 1 (StorageEncrypted), 2 (CommonEncryptionProtected) "
                   "or 4 (EnvelopeEncryptionProtected), not %" G_GINT64_FORMAT ".",
                   options);
      return FALSE;
    }

  asset_id = _jg_emulator_new_id ("cid");
  if (!insert_asset (get_store (self), asset_id, name, alternate_id, options, format_option, storage, 0, error))
    return FALSE;

  entity = jg_emulator_get_entity (get_store (self), request, &jg_entity_set_assets, asset_id, FALSE, error);
  if (entity == NULL)
    return FALSE;

  location = _jg_emulator_dup_entity_uri (request->base_uri, "Assets", asset_id);
  set_created (request, response, location, entity);

  return TRUE;
}

static gboolean
update_entity (JgEmulator        *self,
               JgEmulatorRequest *request,
               const JgEntitySet *set,
               const char        *id,
               const char *const *allowed,
               GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *canonical = NULL;
  JgEmulatorStore *store = get_store (self);
  JsonObject      *object;

  if (!jg_emulator_entity_exists (store, set, id, &canonical, error))
    return FALSE;

  object = read_body_object (request, &root, error);
  if (object == NULL || !check_members (object, allowed, set->type, error))
    return FALSE;

  if (!jg_emulator_store_begin (store, error))
    return FALSE;

  for (guint i = 0; allowed[i] != NULL; i++)
    {
      const JgEntityProperty *property = NULL;
      g_autofree char        *sql = NULL;
      JsonNode               *node = json_object_get_member (object, allowed[i]);
      sqlite3_stmt           *stmt;

      if (node == NULL)
        continue;

      for (guint p = 0; p < set->n_properties; p++)
        if (g_str_equal (set->properties[p].name, allowed[i]))
          property = &set->properties[p];
      g_assert (property != NULL);

      sql = g_strdup_printf ("UPDATE %s SET %s = ?, last_modified = ? WHERE id = ?",
                             set->table, property->column + strlen ("e."));
      stmt = jg_emulator_store_prepare (store, sql, error);
      if (stmt == NULL)
        goto failed;

      if (property->type == JG_PROPERTY_INT)
        {
          gint64   value;
          gboolean present;

          if (!get_int_member (object, allowed[i], &value, &present, error))
            goto failed;
          if (!present)
            {
              g_set_error (error, JG_EMULATOR_ERROR, 400, "%s cannot be null.", allowed[i]);
              goto failed;
            }
          sqlite3_bind_int64 (stmt, 1, value);

          if (set == &jg_entity_set_jobs && g_str_equal (allowed[i], "Priority"))
            jg_emulator_scheduler_set_priority (_jg_emulator_get_scheduler (self), canonical, value);
        }
      else
        {
          const char *value;

          if (!get_string_member (object, allowed[i], &value, error))
            goto failed;
          jg_emulator_bind_text (stmt, 1, value);
        }

      sqlite3_bind_int64 (stmt, 2, _jg_emulator_now_ms ());
      jg_emulator_bind_text (stmt, 3, canonical);
      if (!jg_emulator_store_step_done (store, stmt, error))
        goto failed;
    }

  return jg_emulator_store_commit (store, error);

failed:
  jg_emulator_store_rollback (store);
  return FALSE;
}

/* The one primary File of a seeded asset: its bytes stay in
 * DATA_DIR/assets/. Also for assets seeded before Files existed; nothing
 * for a seeded asset that was deleted.
 */
static gboolean
seed_file (JgEmulatorStore *store,
           const char      *asset_id,
           const char      *name,
           gint64           size,
           GError         **error)
{
  g_autofree char *file_id = _jg_emulator_new_id ("cid");
  g_autofree char *path = g_strconcat ("assets/", name, NULL);
  g_autofree char *content_type = g_content_type_guess (name, NULL, 0, NULL);
  g_autofree char *mime_type = g_content_type_get_mime_type (content_type);
  gint64           now = _jg_emulator_now_ms ();
  sqlite3_stmt    *stmt;

  stmt = jg_emulator_store_prepare (store,
                                    "INSERT INTO files (id, asset_id, name, size, mime_type, is_primary, path, "
                                    "created, last_modified) "
                                    "SELECT ?, a.id, ?, ?, ?, 1, ?, a.created, ? FROM assets AS a WHERE a.id = ? "
                                    "AND NOT EXISTS (SELECT 1 FROM files AS f WHERE f.asset_id = a.id)",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, file_id);
  jg_emulator_bind_text (stmt, 2, name);
  sqlite3_bind_int64 (stmt, 3, size);
  jg_emulator_bind_text (stmt, 4, mime_type ? mime_type : "application/octet-stream");
  jg_emulator_bind_text (stmt, 5, path);
  sqlite3_bind_int64 (stmt, 6, now);
  jg_emulator_bind_text (stmt, 7, asset_id);
  if (!jg_emulator_store_step_done (store, stmt, error))
    return FALSE;

  stmt = jg_emulator_store_prepare (store,
                                    "UPDATE files SET size = ?, last_modified = ? "
                                    "WHERE asset_id = ? AND path = ? AND size <> ?",
                                    error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, size);
  sqlite3_bind_int64 (stmt, 2, now);
  jg_emulator_bind_text (stmt, 3, asset_id);
  jg_emulator_bind_text (stmt, 4, path);
  sqlite3_bind_int64 (stmt, 5, size);

  return jg_emulator_store_step_done (store, stmt, error);
}

/**
 * _jg_emulator_seed_assets:
 * @assets_dir: the folder whose files become assets
 *
 * Each regular file becomes an asset named after it, once: its id is kept
 * across restarts and its size is refreshed.
 */
gboolean
_jg_emulator_seed_assets (JgEmulator *self,
                          const char *assets_dir,
                          GError    **error)
{
  g_autoptr(GDir) dir = NULL;
  JgEmulatorStore *store = get_store (self);
  const char      *name;
  guint            n_new = 0;

  if (g_mkdir_with_parents (assets_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", assets_dir, g_strerror (saved_errno));
      return FALSE;
    }

  dir = g_dir_open (assets_dir, 0, error);
  if (dir == NULL)
    return FALSE;

  if (!jg_emulator_store_begin (store, error))
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (assets_dir, name, NULL);
      g_autofree char *asset_id = NULL;
      GStatBuf         info;
      sqlite3_stmt    *stmt;
      int              rc;

      if (name[0] == '.' || g_stat (path, &info) != 0 || !S_ISREG (info.st_mode))
        continue;

      if (!g_utf8_validate (name, -1, NULL))
        {
          g_debug ("Skipping %s: its name is not UTF-8", path);
          continue;
        }

      stmt = jg_emulator_store_prepare (store, "SELECT asset_id FROM seeded_files WHERE file_name = ?", error);
      if (stmt == NULL)
        goto failed;

      jg_emulator_bind_text (stmt, 1, name);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        asset_id = g_strdup (jg_emulator_column_text (stmt, 0));
      sqlite3_reset (stmt);

      if (asset_id != NULL)
        {
          stmt = jg_emulator_store_prepare (store, "UPDATE assets SET size = ? WHERE id = ? AND size <> ?", error);
          if (stmt == NULL)
            goto failed;

          sqlite3_bind_int64 (stmt, 1, info.st_size);
          jg_emulator_bind_text (stmt, 2, asset_id);
          sqlite3_bind_int64 (stmt, 3, info.st_size);
          if (!jg_emulator_store_step_done (store, stmt, error))
            goto failed;
        }
      else
        {
          asset_id = _jg_emulator_new_id ("cid");
          if (!insert_asset (store, asset_id, name, NULL, 0, 0, NULL, info.st_size, error))
            goto failed;

          stmt = jg_emulator_store_prepare (store, "INSERT INTO seeded_files (file_name, asset_id) VALUES (?, ?)", error);
          if (stmt == NULL)
            goto failed;

          jg_emulator_bind_text (stmt, 1, name);
          jg_emulator_bind_text (stmt, 2, asset_id);
          if (!jg_emulator_store_step_done (store, stmt, error))
            goto failed;

          n_new++;
        }

      if (!seed_file (store, asset_id, name, info.st_size, error))
        goto failed;
    }

  if (!jg_emulator_store_commit (store, error))
    return FALSE;

  if (n_new > 0)
    g_debug ("Seeded %u assets from %s", n_new, assets_dir);

  return TRUE;

failed:
  jg_emulator_store_rollback (store);
  return FALSE;
}

/* Access policies, locators and files (issue 6, assets-protocol.md) */

/* Edm.Double and Edm.Int64 may arrive as JSON numbers or as strings. */
static gboolean
get_number_member (JsonObject *object,
                   const char *member,
                   double     *value,
                   gboolean   *present,
                   GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        *value = json_node_get_int (node);
      else if (type == G_TYPE_DOUBLE)
        *value = json_node_get_double (node);
      else if (type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);
          char       *end;

          *value = g_ascii_strtod (text, &end);
          if (end == text || *end != '\0')
            type = G_TYPE_INVALID;
        }

      if ((type == G_TYPE_INT64 || type == G_TYPE_DOUBLE || type == G_TYPE_STRING) && isfinite (*value))
        {
          *present = TRUE;
          return TRUE;
        }
    }

  g_set_error (error, JG_EMULATOR_ERROR, 400, "The value of %s must be a number.", member);

  return FALSE;
}

/* Edm.Boolean: true/false, or "true"/"false" as some clients write it. */
static gboolean
get_bool_member (JsonObject *object,
                 const char *member,
                 gboolean   *value,
                 gboolean   *present,
                 GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_BOOLEAN)
        {
          *value = json_node_get_boolean (node);
          *present = TRUE;
          return TRUE;
        }

      if (type == G_TYPE_STRING && (g_ascii_strcasecmp (json_node_get_string (node), "true") == 0 ||
                                    g_ascii_strcasecmp (json_node_get_string (node), "false") == 0))
        {
          *value = g_ascii_strcasecmp (json_node_get_string (node), "true") == 0;
          *present = TRUE;
          return TRUE;
        }
    }

  g_set_error (error, JG_EMULATOR_ERROR, 400, "The value of %s must be true or false.", member);

  return FALSE;
}

/* `/Date(ms)/` or ISO 8601 (UTC unless it says otherwise). */
static gboolean
parse_date_value (const char *text,
                  gint64     *ms)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;

  if (g_str_has_prefix (text, "/Date(") && g_str_has_suffix (text, ")/"))
    {
      char *end;

      *ms = g_ascii_strtoll (text + strlen ("/Date("), &end, 10);
      return end != text + strlen ("/Date(") && g_str_equal (end, ")/");
    }

  date = g_date_time_new_from_iso8601 (text, utc);
  if (date == NULL)
    return FALSE;

  *ms = g_date_time_to_unix (date) * 1000 + g_date_time_get_microsecond (date) / 1000;

  return TRUE;
}

static gboolean
create_access_policy (JgEmulator         *self,
                      JgEmulatorRequest  *request,
                      JgEmulatorResponse *response,
                      GError            **error)
{
  static const char *const allowed[] = { "Name", "DurationInMinutes", "Permissions", NULL };
  JgEmulatorStore         *store = get_store (self);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *policy_id = NULL;
  g_autofree char *location = NULL;
  JsonObject      *object;
  const char      *name;
  double           duration = 0;
  gint64           permissions = 0;
  gboolean         has_duration, has_permissions;
  gint64           now = _jg_emulator_now_ms ();
  sqlite3_stmt    *stmt;

  object = read_body_object (request, &root, error);
  if (object == NULL ||
      !check_members (object, allowed, "AccessPolicy", error) ||
      !get_string_member (object, "Name", &name, error) ||
      !get_number_member (object, "DurationInMinutes", &duration, &has_duration, error) ||
      !get_int_member (object, "Permissions", &permissions, &has_permissions, error))
    return FALSE;

  if (!has_duration || duration <= 0 || duration > 100.0 * 365 * 24 * 60)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "DurationInMinutes is required: a positive number of minutes, at most 100 years.");
      return FALSE;
    }

  if (permissions < 0 || permissions > 15)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "Permissions must be a combination of None (0), Read (1), Write (2), Delete (4) and List (8).");
      return FALSE;
    }

  policy_id = _jg_emulator_new_id ("pid");
  stmt = jg_emulator_store_prepare (store,
                                    "INSERT INTO access_policies (id, name, duration_in_minutes, permissions, "
                                    "created, last_modified) VALUES (?, ?, ?, ?, ?, ?)",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, policy_id);
  jg_emulator_bind_text (stmt, 2, name);
  sqlite3_bind_double (stmt, 3, duration);
  sqlite3_bind_int (stmt, 4, permissions);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!jg_emulator_store_step_done (store, stmt, error))
    return FALSE;

  entity = jg_emulator_get_entity (store, request, &jg_entity_set_access_policies, policy_id, FALSE, error);
  if (entity == NULL)
    return FALSE;

  location = _jg_emulator_dup_entity_uri (request->base_uri, "AccessPolicies", policy_id);
  set_created (request, response, location, entity);

  return TRUE;
}

static gboolean
handle_access_policies (JgEmulator         *self,
                        JgEmulatorRequest  *request,
                        JgEmulatorResponse *response,
                        Path               *path,
                        GError            **error)
{
  const char *method = request->method;

  if (!path->has_key)
    {
      if (path->rest != NULL)
        return method_not_allowed (request, error);
      if (g_str_equal (method, "GET"))
        return handle_list (self, request, response, &jg_entity_set_access_policies, NULL, error);
      if (g_str_equal (method, "POST"))
        return create_access_policy (self, request, response, error);
      return method_not_allowed (request, error);
    }

  if (path->rest != NULL)
    return handle_property (self, request, response, &jg_entity_set_access_policies, path->key, path->rest, error);

  if (g_str_equal (method, "GET"))
    return handle_get (self, request, response, &jg_entity_set_access_policies, path->key, error);

  if (g_str_equal (method, "DELETE"))
    {
      if (!delete_entity (self, &jg_entity_set_access_policies, path->key, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  return method_not_allowed (request, error);
}

#define MAX_LOCATORS_PER_ASSET 5

static gboolean
create_locator (JgEmulator         *self,
                JgEmulatorRequest  *request,
                JgEmulatorResponse *response,
                GError            **error)
{
  static const char *const allowed[] = { "AccessPolicyId", "AssetId", "StartTime", "Type", "Name", NULL };
  JgEmulatorStore         *store = get_store (self);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *asset_id = NULL;
  g_autofree char *policy_id = NULL;
  g_autofree char *locator_id = NULL;
  g_autofree char *guid = NULL;
  g_autofree char *base_uri = NULL;
  g_autofree char *component = NULL;
  g_autofree char *location = NULL;
  JsonObject      *object;
  const char      *asset, *policy, *start_text, *name;
  gint64           type = 0, start = -1, expiration;
  gint64           now = _jg_emulator_now_ms ();
  gboolean         has_type;
  double           duration = 0;
  int              permissions = 0;
  int              n_locators = 0;
  sqlite3_stmt    *stmt;

  object = read_body_object (request, &root, error);
  if (object == NULL ||
      !check_members (object, allowed, "Locator", error) ||
      !get_string_member (object, "AccessPolicyId", &policy, error) ||
      !get_string_member (object, "AssetId", &asset, error) ||
      !get_string_member (object, "StartTime", &start_text, error) ||
      !get_string_member (object, "Name", &name, error) ||
      !get_int_member (object, "Type", &type, &has_type, error))
    return FALSE;

  if (!has_type || policy == NULL || asset == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "A Locator needs AccessPolicyId, AssetId and Type.");
      return FALSE;
    }

  if (type == 2)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "OnDemandOrigin locators (Type 2) are not available on the Local service; use Type 1 (SAS).");
      return FALSE;
    }

  if (type != 1)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "Type must be 1 (SAS); %" G_GINT64_FORMAT " is not a locator type.", type);
      return FALSE;
    }

  if (start_text != NULL && !parse_date_value (start_text, &start))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "StartTime '%s' is not a date.", start_text);
      return FALSE;
    }

  if (!jg_emulator_entity_exists (store, &jg_entity_set_assets, asset, &asset_id, NULL))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource Asset not found: %s", asset);
      return FALSE;
    }

  stmt = jg_emulator_store_prepare (store,
                                    "SELECT id, duration_in_minutes, permissions FROM access_policies WHERE id = ?",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, policy);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      policy_id = g_strdup (jg_emulator_column_text (stmt, 0));
      duration = sqlite3_column_double (stmt, 1);
      permissions = sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);

  if (policy_id == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource AccessPolicy not found: %s", policy);
      return FALSE;
    }

  stmt = jg_emulator_store_prepare (store, "SELECT count(*) FROM locators WHERE asset_id = ?", error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, asset_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_locators = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (n_locators >= MAX_LOCATORS_PER_ASSET)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 409,
                   "The asset %s already has %d locators, the most it can have; delete one first.",
                   asset_id, MAX_LOCATORS_PER_ASSET);
      return FALSE;
    }

  expiration = (start >= 0 ? start : now) + (gint64)(duration * 60 * 1000);
  locator_id = _jg_emulator_new_id ("lid");
  guid = jg_emulator_files_dup_guid (asset_id);
  base_uri = g_strdup_printf ("blob/asset-%s", guid);
  component = _jg_emulator_sas_dup_query (self, asset_id, locator_id, permissions, expiration);

  stmt = jg_emulator_store_prepare (store,
                                    "INSERT INTO locators (id, asset_id, access_policy_id, type, name, start_time, "
                                    "expiration, permissions, base_uri, content_access_component, created, "
                                    "last_modified) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, locator_id);
  jg_emulator_bind_text (stmt, 2, asset_id);
  jg_emulator_bind_text (stmt, 3, policy_id);
  jg_emulator_bind_text (stmt, 4, name);
  jg_emulator_bind_ms (stmt, 5, start);
  sqlite3_bind_int64 (stmt, 6, expiration);
  sqlite3_bind_int (stmt, 7, permissions);
  jg_emulator_bind_text (stmt, 8, base_uri);
  jg_emulator_bind_text (stmt, 9, component);
  sqlite3_bind_int64 (stmt, 10, now);
  sqlite3_bind_int64 (stmt, 11, now);
  if (!jg_emulator_store_step_done (store, stmt, error))
    return FALSE;

  entity = jg_emulator_get_entity (store, request, &jg_entity_set_locators, locator_id, FALSE, error);
  if (entity == NULL)
    return FALSE;

  location = _jg_emulator_dup_entity_uri (request->base_uri, "Locators", locator_id);
  set_created (request, response, location, entity);

  return TRUE;
}

static gboolean
handle_locators (JgEmulator         *self,
                 JgEmulatorRequest  *request,
                 JgEmulatorResponse *response,
                 Path               *path,
                 GError            **error)
{
  const char *method = request->method;

  if (!path->has_key)
    {
      if (path->rest != NULL)
        return method_not_allowed (request, error);
      if (g_str_equal (method, "GET"))
        return handle_list (self, request, response, &jg_entity_set_locators, NULL, error);
      if (g_str_equal (method, "POST"))
        return create_locator (self, request, response, error);
      return method_not_allowed (request, error);
    }

  if (path->rest != NULL)
    return handle_property (self, request, response, &jg_entity_set_locators, path->key, path->rest, error);

  if (g_str_equal (method, "GET"))
    return handle_get (self, request, response, &jg_entity_set_locators, path->key, error);

  if (g_str_equal (method, "DELETE"))
    {
      if (!delete_entity (self, &jg_entity_set_locators, path->key, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  return method_not_allowed (request, error);
}

/* The asset's size is the sum of its files'. */
static gboolean
update_asset_size (JgEmulatorStore *store,
                   const char      *asset_id,
                   GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = jg_emulator_store_prepare (store,
                                    "UPDATE assets SET last_modified = ?2, "
                                    "size = (SELECT coalesce (sum (size), 0) FROM files WHERE asset_id = ?1) "
                                    "WHERE id = ?1",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, asset_id);
  sqlite3_bind_int64 (stmt, 2, _jg_emulator_now_ms ());

  return jg_emulator_store_step_done (store, stmt, error);
}

/* Another file of the asset that is primary or named @name, if any. */
static char *
find_conflicting_file (JgEmulatorStore *store,
                       const char      *asset_id,
                       const char      *sql,
                       const char      *value,
                       const char      *except_id)
{
  sqlite3_stmt *stmt = jg_emulator_store_prepare (store, sql, NULL);
  char         *name = NULL;

  if (stmt == NULL)
    return NULL;

  jg_emulator_bind_text (stmt, 1, asset_id);
  jg_emulator_bind_text (stmt, 2, value);
  jg_emulator_bind_text (stmt, 3, except_id ? except_id : "");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup (jg_emulator_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return name;
}

#define SQL_SAME_NAME "SELECT name FROM files WHERE asset_id = ?1 AND name = ?2 COLLATE NOCASE AND id <> ?3"
#define SQL_PRIMARY   "SELECT name FROM files WHERE asset_id = ?1 AND is_primary AND id <> ?3"

static char *
guess_mime_type (const char *name)
{
  g_autofree char *content_type = g_content_type_guess (name, NULL, 0, NULL);
  char            *mime_type = g_content_type_get_mime_type (content_type);

  return mime_type ? mime_type : g_strdup ("application/octet-stream");
}

static gboolean
insert_file (JgEmulatorStore *store,
             const char      *file_id,
             const char      *asset_id,
             const char      *name,
             gint64           size,
             const char      *mime_type,
             gboolean         is_primary,
             GError         **error)
{
  g_autofree char *guid = jg_emulator_files_dup_guid (asset_id);
  g_autofree char *path = g_strconcat ("blobs/", guid, "/", name, NULL);
  gint64           now = _jg_emulator_now_ms ();
  sqlite3_stmt    *stmt;

  stmt = jg_emulator_store_prepare (store,
                                    "INSERT INTO files (id, asset_id, name, size, mime_type, is_primary, path, "
                                    "created, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, file_id);
  jg_emulator_bind_text (stmt, 2, asset_id);
  jg_emulator_bind_text (stmt, 3, name);
  sqlite3_bind_int64 (stmt, 4, size);
  jg_emulator_bind_text (stmt, 5, mime_type);
  sqlite3_bind_int (stmt, 6, is_primary ? 1 : 0);
  jg_emulator_bind_text (stmt, 7, path);
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_int64 (stmt, 9, now);

  return jg_emulator_store_step_done (store, stmt, error) && update_asset_size (store, asset_id, error);
}

static gboolean
create_file (JgEmulator         *self,
             JgEmulatorRequest  *request,
             JgEmulatorResponse *response,
             GError            **error)
{
  static const char *const allowed[] = {
    "Name", "ParentAssetId", "IsPrimary", "IsEncrypted", "MimeType", "ContentFileSize", "EncryptionScheme",
    "EncryptionVersion", "EncryptionKeyId", "InitializationVector", "ContentChecksum", "Options", NULL
  };
  JgEmulatorStore *store = get_store (self);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *asset_id = NULL;
  g_autofree char *file_id = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *conflict = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *location = NULL;
  JsonObject      *object;
  const char      *name, *parent, *given_mime_type;
  gboolean         is_primary = FALSE, is_encrypted = FALSE, present;
  double           ignored_size;
  GStatBuf         info;

  object = read_body_object (request, &root, error);
  if (object == NULL ||
      !check_members (object, allowed, "AssetFile", error) ||
      !get_string_member (object, "Name", &name, error) ||
      !get_string_member (object, "ParentAssetId", &parent, error) ||
      !get_string_member (object, "MimeType", &given_mime_type, error) ||
      !get_bool_member (object, "IsPrimary", &is_primary, &present, error) ||
      !get_bool_member (object, "IsEncrypted", &is_encrypted, &present, error) ||
      !get_number_member (object, "ContentFileSize", &ignored_size, &present, error))
    return FALSE;

  if (name == NULL || parent == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "A File needs Name and ParentAssetId.");
      return FALSE;
    }

  if (!jg_emulator_files_check_name (name, &local_error))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "%s", local_error->message);
      return FALSE;
    }

  if (is_encrypted)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The Local service keeps files in the clear: IsEncrypted must be false.");
      return FALSE;
    }

  if (!jg_emulator_entity_exists (store, &jg_entity_set_assets, parent, &asset_id, NULL))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource Asset not found: %s", parent);
      return FALSE;
    }

  conflict = find_conflicting_file (store, asset_id, SQL_SAME_NAME, name, NULL);
  if (conflict != NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 409, "The asset already has a file named “%s”.", conflict);
      return FALSE;
    }

  if (is_primary && (conflict = find_conflicting_file (store, asset_id, SQL_PRIMARY, NULL, NULL)) != NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 409, "The asset already has a primary file, “%s”.", conflict);
      return FALSE;
    }

  /* The size is the uploaded blob's, whatever ContentFileSize says. */
  dir = jg_emulator_files_dup_asset_dir (_jg_emulator_get_data_dir (self), asset_id);
  blob = g_build_filename (dir, name, NULL);
  if (g_stat (blob, &info) != 0 || !S_ISREG (info.st_mode))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "The asset has no blob named “%s”; upload the blob before creating its File.", name);
      return FALSE;
    }

  mime_type = given_mime_type && given_mime_type[0] ? g_strdup (given_mime_type) : guess_mime_type (name);
  file_id = _jg_emulator_new_id ("cid");

  if (!jg_emulator_store_begin (store, error))
    return FALSE;

  if (!insert_file (store, file_id, asset_id, name, info.st_size, mime_type, is_primary, error) ||
      !jg_emulator_store_commit (store, error))
    {
      jg_emulator_store_rollback (store);
      return FALSE;
    }

  entity = jg_emulator_get_entity (store, request, &jg_entity_set_files, file_id, FALSE, error);
  if (entity == NULL)
    return FALSE;

  location = _jg_emulator_dup_entity_uri (request->base_uri, "Files", file_id);
  set_created (request, response, location, entity);

  return TRUE;
}

static gboolean
update_file (JgEmulator        *self,
             JgEmulatorRequest *request,
             const char        *id,
             GError           **error)
{
  static const char *const allowed[] = { "IsPrimary", "MimeType", "ContentFileSize", "Name", "ParentAssetId", NULL };
  JgEmulatorStore         *store = get_store (self);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *file_id = NULL;
  g_autofree char *asset_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *conflict = NULL;
  JsonObject      *object;
  const char      *mime_type, *new_name, *parent;
  gboolean         is_primary = FALSE, has_primary;
  double           ignored_size;
  gboolean         has_size;
  sqlite3_stmt    *stmt;

  stmt = jg_emulator_store_prepare (store, "SELECT id, asset_id, name FROM files WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      file_id = g_strdup (jg_emulator_column_text (stmt, 0));
      asset_id = g_strdup (jg_emulator_column_text (stmt, 1));
      name = g_strdup (jg_emulator_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (file_id == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource AssetFile not found");
      return FALSE;
    }

  object = read_body_object (request, &root, error);
  if (object == NULL ||
      !check_members (object, allowed, "AssetFile", error) ||
      !get_string_member (object, "MimeType", &mime_type, error) ||
      !get_string_member (object, "Name", &new_name, error) ||
      !get_string_member (object, "ParentAssetId", &parent, error) ||
      !get_bool_member (object, "IsPrimary", &is_primary, &has_primary, error) ||
      !get_number_member (object, "ContentFileSize", &ignored_size, &has_size, error))
    return FALSE;

  /* Clients send the whole entity back: Name and ParentAssetId may come
   * along, unchanged. ContentFileSize stays the size of the bytes.
   */
  if ((new_name != NULL && !g_str_equal (new_name, name)) ||
      (parent != NULL && g_ascii_strcasecmp (parent, asset_id) != 0))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The Name and ParentAssetId of a File cannot be changed.");
      return FALSE;
    }

  if (has_primary && is_primary &&
      (conflict = find_conflicting_file (store, asset_id, SQL_PRIMARY, NULL, file_id)) != NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 409, "The asset already has a primary file, “%s”.", conflict);
      return FALSE;
    }

  stmt = jg_emulator_store_prepare (store,
                                    "UPDATE files SET is_primary = coalesce (?1, is_primary), "
                                    "mime_type = coalesce (?2, mime_type), last_modified = ?3 WHERE id = ?4",
                                    error);
  if (stmt == NULL)
    return FALSE;

  if (has_primary)
    sqlite3_bind_int (stmt, 1, is_primary ? 1 : 0);
  jg_emulator_bind_text (stmt, 2, mime_type);
  sqlite3_bind_int64 (stmt, 3, _jg_emulator_now_ms ());
  jg_emulator_bind_text (stmt, 4, file_id);

  return jg_emulator_store_step_done (store, stmt, error);
}

static gboolean
delete_file (JgEmulator *self,
             const char *id,
             GError    **error)
{
  JgEmulatorStore *store = get_store (self);
  g_autofree char *file_id = NULL;
  g_autofree char *asset_id = NULL;
  g_autofree char *path = NULL;
  sqlite3_stmt    *stmt;

  stmt = jg_emulator_store_prepare (store, "SELECT id, asset_id, path FROM files WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      file_id = g_strdup (jg_emulator_column_text (stmt, 0));
      asset_id = g_strdup (jg_emulator_column_text (stmt, 1));
      path = g_strdup (jg_emulator_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (file_id == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource AssetFile not found");
      return FALSE;
    }

  if (!jg_emulator_store_begin (store, error))
    return FALSE;

  if (!delete_entity (self, &jg_entity_set_files, file_id, error) ||
      !update_asset_size (store, asset_id, error) ||
      !jg_emulator_store_commit (store, error))
    {
      jg_emulator_store_rollback (store);
      return FALSE;
    }

  /* Only the emulator's own copies: a seeded file is the user's. */
  if (g_str_has_prefix (path, "blobs/"))
    {
      g_autofree char *full = g_build_filename (_jg_emulator_get_data_dir (self), path, NULL);

      if (g_unlink (full) != 0 && errno != ENOENT)
        g_warning ("Cannot remove %s: %s", full, g_strerror (errno));
    }

  return TRUE;
}

static gboolean
handle_files (JgEmulator         *self,
              JgEmulatorRequest  *request,
              JgEmulatorResponse *response,
              Path               *path,
              GError            **error)
{
  const char *method = request->method;

  if (!path->has_key)
    {
      if (path->rest != NULL)
        return method_not_allowed (request, error);
      if (g_str_equal (method, "GET"))
        return handle_list (self, request, response, &jg_entity_set_files, NULL, error);
      if (g_str_equal (method, "POST"))
        return create_file (self, request, response, error);
      return method_not_allowed (request, error);
    }

  if (path->rest != NULL)
    return handle_property (self, request, response, &jg_entity_set_files, path->key, path->rest, error);

  if (g_str_equal (method, "GET"))
    return handle_get (self, request, response, &jg_entity_set_files, path->key, error);

  if (g_str_equal (method, "DELETE"))
    {
      if (!delete_file (self, path->key, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  if (g_str_equal (method, "MERGE") || g_str_equal (method, "PATCH") || g_str_equal (method, "PUT"))
    {
      if (!update_file (self, request, path->key, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  return method_not_allowed (request, error);
}

/* CreateFileInfos?assetid='…': a File for each blob that has none, the
 * .NET SDK's way after an upload.
 */
static gboolean
handle_create_file_infos (JgEmulator         *self,
                          JgEmulatorRequest  *request,
                          JgEmulatorResponse *response,
                          GError            **error)
{
  JgEmulatorStore *store = get_store (self);
  g_autofree char *key = NULL;
  g_autofree char *asset_id = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GDir) handle = NULL;
  const char *value;
  const char *name;

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "POST"))
    return method_not_allowed (request, error);

  value = request->query ? g_hash_table_lookup (request->query, "assetid") : NULL;
  if (value == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "CreateFileInfos needs the parameter assetid='<asset id>'.");
      return FALSE;
    }

  key = parse_key (value, strlen (value), error);
  if (key == NULL)
    return FALSE;

  if (!jg_emulator_entity_exists (store, &jg_entity_set_assets, key, &asset_id, error))
    return FALSE;

  dir = jg_emulator_files_dup_asset_dir (_jg_emulator_get_data_dir (self), asset_id);
  handle = g_dir_open (dir, 0, NULL);

  if (!jg_emulator_store_begin (store, error))
    return FALSE;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *existing = NULL;
      g_autofree char *primary = NULL;
      g_autofree char *file_id = NULL;
      g_autofree char *mime_type = NULL;
      GStatBuf         info;

      if (!jg_emulator_files_check_name (name, NULL) || g_stat (path, &info) != 0 || !S_ISREG (info.st_mode))
        continue;

      existing = find_conflicting_file (store, asset_id, SQL_SAME_NAME, name, NULL);
      if (existing != NULL)
        continue;

      /* The first file of an asset is its primary one. */
      primary = find_conflicting_file (store, asset_id, SQL_PRIMARY, NULL, NULL);
      file_id = _jg_emulator_new_id ("cid");
      mime_type = guess_mime_type (name);
      if (!insert_file (store, file_id, asset_id, name, info.st_size, mime_type, primary == NULL, error))
        {
          jg_emulator_store_rollback (store);
          return FALSE;
        }
    }

  if (!jg_emulator_store_commit (store, error))
    return FALSE;

  set_no_content (response);

  return TRUE;
}

/* When tasks encode for real, an input needs bytes: say so at POST time
 * rather than fail the task.
 */
static gboolean
check_input_files (JgEmulator *self,
                   GPtrArray  *asset_ids,
                   GError    **error)
{
  JgEmulatorStore *store = get_store (self);

  if (_jg_emulator_is_simulating (self))
    return TRUE;

  for (guint i = 0; i < asset_ids->len; i++)
    {
      const char   *asset_id = g_ptr_array_index (asset_ids, i);
      sqlite3_stmt *stmt;
      int           rc;

      stmt = jg_emulator_store_prepare (store,
                                        "SELECT a.name, EXISTS (SELECT 1 FROM files AS f WHERE f.asset_id = a.id) "
                                        "FROM assets AS a WHERE a.id = ?",
                                        error);
      if (stmt == NULL)
        return FALSE;

      jg_emulator_bind_text (stmt, 1, asset_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 1) == 0)
        {
          const char *name = jg_emulator_column_text (stmt, 0);

          g_set_error (error, JG_EMULATOR_ERROR, 400,
                       "The input asset “%s” has no files; upload one before submitting a job.",
                       name && name[0] ? name : asset_id);
          sqlite3_reset (stmt);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
handle_assets (JgEmulator         *self,
               JgEmulatorRequest  *request,
               JgEmulatorResponse *response,
               Path               *path,
               GError            **error)
{
  static const char *const updatable[] = { "Name", "AlternateId", NULL };
  const char              *method = request->method;

  if (!path->has_key)
    {
      if (path->rest != NULL)
        return method_not_allowed (request, error);
      if (g_str_equal (method, "GET"))
        return handle_list (self, request, response, &jg_entity_set_assets, NULL, error);
      if (g_str_equal (method, "POST"))
        return create_asset (self, request, response, error);
      return method_not_allowed (request, error);
    }

  if (path->rest != NULL)
    {
      if (jg_entity_set_has_navigation (&jg_entity_set_assets, path->rest))
        {
          g_autofree char *canonical = NULL;

          if (!jg_emulator_entity_exists (get_store (self), &jg_entity_set_assets, path->key, &canonical, error))
            return FALSE;

          if (g_str_equal (path->rest, "Files") || g_str_equal (path->rest, "Locators"))
            {
              JgListScope scope = { NULL, "e.asset_id = ?1", canonical, NULL };

              if (!g_str_equal (method, "GET"))
                return method_not_allowed (request, error);

              return handle_list (self, request, response,
                                  g_str_equal (path->rest, "Files") ? &jg_entity_set_files : &jg_entity_set_locators,
                                  &scope, error);
            }

          g_set_error (error, JG_EMULATOR_ERROR, 501,
                       "jobgraph-emulator does not implement Assets('…')/%s.", path->rest);
          return FALSE;
        }

      return handle_property (self, request, response, &jg_entity_set_assets, path->key, path->rest, error);
    }

  if (g_str_equal (method, "GET"))
    return handle_get (self, request, response, &jg_entity_set_assets, path->key, error);

  if (g_str_equal (method, "DELETE"))
    {
      g_autofree char *canonical = NULL;

      if (!jg_emulator_entity_exists (get_store (self), &jg_entity_set_assets, path->key, &canonical, error) ||
          !delete_entity (self, &jg_entity_set_assets, canonical, error))
        return FALSE;

      /* Its Files and Locators went with it; its bytes go now. */
      _jg_emulator_blob_delete_asset (self, canonical);
      set_no_content (response);
      return TRUE;
    }

  if (g_str_equal (method, "MERGE") || g_str_equal (method, "PATCH"))
    {
      if (!update_entity (self, request, &jg_entity_set_assets, path->key, updatable, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  return method_not_allowed (request, error);
}

/* Jobs */

typedef struct
{
  guint             index;
  const char       *reference;
  JgTaskBodyOutput *first; /* borrowed: the first declaration with attributes */
  char             *asset_id;
} OutputAsset;

static void
output_asset_clear (OutputAsset *output)
{
  g_free (output->asset_id);
}

static int
compare_outputs (gconstpointer a,
                 gconstpointer b)
{
  const OutputAsset *oa = a;
  const OutputAsset *ob = b;

  return (oa->index > ob->index) - (oa->index < ob->index);
}

static const char *
find_output_asset (GArray *outputs,
                   guint   index)
{
  for (guint i = 0; i < outputs->len; i++)
    if (g_array_index (outputs, OutputAsset, i).index == index)
      return g_array_index (outputs, OutputAsset, i).asset_id;

  return NULL;
}

/* Validation with the core's rule engine, as the editor and the CLI do:
 * the first error is the 400's message.
 */
static gboolean
validate_rest_job (JgRestJob  *rest,
                   JgFormat    format,
                   const char *api_version,
                   GError    **error)
{
  g_autoptr(GPtrArray) import_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) local_error = NULL;

  graph = jg_rest_job_to_graph (rest, import_diagnostics, &local_error);
  if (graph == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "%s", local_error->message);
      return FALSE;
    }

  diagnostics = jg_import_validate (graph, format, import_diagnostics, api_version);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      JgDiagnostic *d = g_ptr_array_index (diagnostics, i);

      if (jg_diagnostic_get_severity (d) == JG_SEVERITY_ERROR)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400, "%s", jg_diagnostic_get_message (d));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_processors (JgRestJob *rest,
                  GError   **error)
{
  for (guint i = 0; i < rest->tasks->len; i++)
    {
      JgRestTask *task = g_ptr_array_index (rest->tasks, i);

      if (jg_catalog_lookup (task->processor_id) == NULL)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 403,
                       "The media processor %s is not available in this account; "
                       "GET MediaProcessors lists the ones that are.",
                       task->processor_id ? task->processor_id : "(none)");
          return FALSE;
        }
    }

  return TRUE;
}

/* Fills the tasks of a job made from a JobTemplate. */
static gboolean
expand_template (JgEmulator *self,
                 JgRestJob  *rest,
                 GError    **error)
{
  JgEmulatorStore *store = get_store (self);
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *body_xml = NULL;
  sqlite3_stmt    *stmt;
  int              n_inputs;

  if (rest->tasks->len > 0)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "A job made from a JobTemplate (TemplateId) cannot also have Tasks.");
      return FALSE;
    }

  stmt = jg_emulator_store_prepare (store, "SELECT id, job_template_body, n_inputs FROM job_templates WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, rest->template_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource JobTemplate not found: %s", rest->template_id);
      return FALSE;
    }

  g_free (rest->template_id);
  rest->template_id = g_strdup (jg_emulator_column_text (stmt, 0));
  body_xml = g_strdup (jg_emulator_column_text (stmt, 1));
  n_inputs = sqlite3_column_int (stmt, 2);
  sqlite3_reset (stmt);

  if ((int)rest->input_asset_ids->len != n_inputs)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "Incorrect number of inputs: the JobTemplate takes %d input assets, the job has %u.",
                   n_inputs, rest->input_asset_ids->len);
      return FALSE;
    }

  bodies = jg_job_template_body_parse (body_xml, -1, &local_error);
  if (bodies == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 500, "The stored JobTemplateBody cannot be read: %s", local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < bodies->len; i++)
    {
      JgTaskBody *body = g_ptr_array_index (bodies, i);
      JgRestTask *task;

      stmt = jg_emulator_store_prepare (store,
                                        "SELECT name, processor_id, configuration, options FROM task_templates "
                                        "WHERE id = ? AND job_template_id = ?",
                                        error);
      if (stmt == NULL)
        return FALSE;

      jg_emulator_bind_text (stmt, 1, body->task_template_id);
      jg_emulator_bind_text (stmt, 2, rest->template_id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          g_set_error (error, JG_EMULATOR_ERROR, 500, "The TaskTemplate %s of JobTemplate %s is missing.",
                       body->task_template_id, rest->template_id);
          return FALSE;
        }

      task = jg_rest_task_new ();
      task->name = g_strdup (jg_emulator_column_text (stmt, 0));
      task->processor_id = g_strdup (jg_emulator_column_text (stmt, 1));
      task->configuration = g_strdup (jg_emulator_column_text (stmt, 2));
      task->options = sqlite3_column_int (stmt, 3);
      sqlite3_reset (stmt);

      g_clear_pointer (&body->task_template_id, g_free);
      task->task_body = jg_task_body_to_string (body);
      g_ptr_array_add (rest->tasks, task);
    }

  return TRUE;
}

static gboolean
insert_job_asset (JgEmulatorStore *store,
                  const char      *table,
                  const char      *owner_id,
                  gboolean         output,
                  guint            position,
                  const char      *asset_id,
                  GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s VALUES (?, ?, ?, ?)", table);
  sqlite3_stmt    *stmt = jg_emulator_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, owner_id);
  sqlite3_bind_int (stmt, 2, output);
  sqlite3_bind_int (stmt, 3, position);
  jg_emulator_bind_text (stmt, 4, asset_id);

  return jg_emulator_store_step_done (store, stmt, error);
}

static gboolean
insert_job (JgEmulatorStore *store,
            JgRestJob       *rest,
            const char      *job_id,
            GPtrArray       *bodies,
            GArray          *outputs,
            GPtrArray       *task_ids,
            GError         **error)
{
  gint64        now = _jg_emulator_now_ms ();
  sqlite3_stmt *stmt;

  stmt = jg_emulator_store_prepare (store,
                                    "INSERT INTO jobs (id, name, priority, state, template_id, created, last_modified) "
                                    "VALUES (?, ?, ?, 0, ?, ?, ?)",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, job_id);
  jg_emulator_bind_text (stmt, 2, rest->name);
  sqlite3_bind_int (stmt, 3, rest->priority);
  jg_emulator_bind_text (stmt, 4, rest->template_id);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!jg_emulator_store_step_done (store, stmt, error))
    return FALSE;

  for (guint i = 0; i < rest->input_asset_ids->len; i++)
    if (!insert_job_asset (store, "job_assets", job_id, FALSE, i, g_ptr_array_index (rest->input_asset_ids, i), error))
      return FALSE;

  for (guint i = 0; i < outputs->len; i++)
    {
      OutputAsset      *output = &g_array_index (outputs, OutputAsset, i);
      JgTaskBodyOutput *first = output->first;
      g_autofree char  *name = NULL;

      if (first->asset_name != NULL && first->asset_name[0] != '\0')
        name = g_strdup (first->asset_name);
      else
        name = g_strdup_printf ("%s_%s", output->reference,
                                rest->name != NULL && rest->name[0] != '\0' ? rest->name : job_id);

      /* assetCreationOptions defaults to StorageEncrypted (§4.1). */
      if (!insert_asset (store, output->asset_id, name, NULL,
                         first->creation_options >= 0 ? first->creation_options : 1,
                         MAX (first->format_option, 0),
                         first->storage_account_name, 0, error) ||
          !insert_job_asset (store, "job_assets", job_id, TRUE, output->index, output->asset_id, error))
        return FALSE;
    }

  for (guint i = 0; i < rest->tasks->len; i++)
    {
      JgRestTask *task = g_ptr_array_index (rest->tasks, i);
      JgTaskBody *body = g_ptr_array_index (bodies, i);
      const char *task_id = g_ptr_array_index (task_ids, i);

      stmt = jg_emulator_store_prepare (store,
                                        "INSERT INTO tasks (id, job_id, position, name, processor_id, configuration, "
                                        "task_body, options, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        error);
      if (stmt == NULL)
        return FALSE;

      jg_emulator_bind_text (stmt, 1, task_id);
      jg_emulator_bind_text (stmt, 2, job_id);
      sqlite3_bind_int (stmt, 3, i);
      jg_emulator_bind_text (stmt, 4, task->name);
      jg_emulator_bind_text (stmt, 5, task->processor_id);
      jg_emulator_bind_text (stmt, 6, task->configuration);
      jg_emulator_bind_text (stmt, 7, task->task_body);
      sqlite3_bind_int (stmt, 8, task->options);
      sqlite3_bind_int (stmt, 9, task->priority);
      if (!jg_emulator_store_step_done (store, stmt, error))
        return FALSE;

      for (guint p = 0; p < body->inputs->len; p++)
        {
          const char *asset_id = NULL;
          gboolean    is_output;
          guint       index;

          if (jg_parse_asset_reference (g_ptr_array_index (body->inputs, p), &is_output, &index))
            asset_id = is_output                            ? find_output_asset (outputs, index)
                       : index < rest->input_asset_ids->len ? g_ptr_array_index (rest->input_asset_ids, index)
                                                            : NULL;

          if (asset_id != NULL && !insert_job_asset (store, "task_assets", task_id, FALSE, p, asset_id, error))
            return FALSE;
        }

      for (guint p = 0; p < body->outputs->len; p++)
        {
          JgTaskBodyOutput *output = g_ptr_array_index (body->outputs, p);
          const char       *asset_id = NULL;
          gboolean          is_output;
          guint             index;

          if (jg_parse_asset_reference (output->reference, &is_output, &index) && is_output)
            asset_id = find_output_asset (outputs, index);

          if (asset_id != NULL && !insert_job_asset (store, "task_assets", task_id, TRUE, p, asset_id, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Creates a job from a Job create body, atomically: the job, its tasks and
 * its output assets, or nothing. Shared by POST Jobs and $batch.
 */
static char *
create_job (JgEmulator        *self,
            JgEmulatorRequest *request,
            JgRestJob         *rest,
            GPtrArray        **out_task_ids,
            GError           **error)
{
  JgEmulatorStore *store = get_store (self);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_task_body_free);
  g_autoptr(GPtrArray) task_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) outputs = g_array_new (FALSE, TRUE, sizeof (OutputAsset));
  g_autofree char *job_id = NULL;

  g_array_set_clear_func (outputs, (GDestroyNotify)output_asset_clear);

  if (rest->kind != JG_REST_JOB)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "This is a JobTemplate body (it has JobTemplateBody or TaskTemplates); POST it to JobTemplates.");
      return NULL;
    }

  if (rest->template_id != NULL && !expand_template (self, rest, error))
    return NULL;

  /* Links to missing assets are 404s (§5.4), before the graph is judged. */
  for (guint i = 0; i < rest->input_asset_ids->len; i++)
    {
      g_autofree char *canonical = NULL;
      const char      *asset_id = g_ptr_array_index (rest->input_asset_ids, i);

      if (!jg_emulator_entity_exists (store, &jg_entity_set_assets, asset_id, &canonical, NULL))
        {
          g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource Asset not found: %s", asset_id);
          return NULL;
        }

      g_free (g_ptr_array_index (rest->input_asset_ids, i));
      g_ptr_array_index (rest->input_asset_ids, i) = g_steal_pointer (&canonical);
    }

  if (!validate_rest_job (rest, JG_FORMAT_JOB, request->api_version, error) ||
      !check_processors (rest, error) ||
      !check_input_files (self, rest->input_asset_ids, error))
    return NULL;

  job_id = _jg_emulator_new_id ("jid");

  for (guint i = 0; i < rest->tasks->len; i++)
    {
      JgRestTask *task = g_ptr_array_index (rest->tasks, i);
      g_autoptr(GError) local_error = NULL;
      JgTaskBody *body = jg_task_body_parse (task->task_body, -1, &local_error);

      /* Validation has read every TaskBody already. */
      if (body == NULL)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400, "The TaskBody of Tasks[%u] is not valid: %s",
                       i, local_error->message);
          return NULL;
        }

      g_ptr_array_add (bodies, body);
      g_ptr_array_add (task_ids, _jg_emulator_new_id ("tid"));

      for (guint p = 0; p < body->outputs->len; p++)
        {
          JgTaskBodyOutput *output = g_ptr_array_index (body->outputs, p);
          gboolean          is_output;
          guint             index;
          gboolean          known = FALSE;

          if (!jg_parse_asset_reference (output->reference, &is_output, &index) || !is_output)
            continue;

          for (guint o = 0; o < outputs->len && !known; o++)
            known = g_array_index (outputs, OutputAsset, o).index == index;

          if (!known)
            {
              OutputAsset asset = { index, output->reference, output, _jg_emulator_new_id ("cid") };

              g_array_append_val (outputs, asset);
            }
        }
    }

  /* OutputMediaAssets are in JobOutputAsset(n) order. */
  g_array_sort (outputs, compare_outputs);

  if (!jg_emulator_store_begin (store, error))
    return NULL;

  if (!insert_job (store, rest, job_id, bodies, outputs, task_ids, error) ||
      !jg_emulator_store_commit (store, error))
    {
      jg_emulator_store_rollback (store);
      return NULL;
    }

  g_debug ("Created job %s with %u tasks", job_id, rest->tasks->len);

  if (!jg_emulator_scheduler_add_job (_jg_emulator_get_scheduler (self), job_id, error))
    return NULL;

  if (out_task_ids != NULL)
    *out_task_ids = g_steal_pointer (&task_ids);

  return g_steal_pointer (&job_id);
}

static JgRestJob *
read_rest_job (JgEmulatorRequest *request,
               GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize       length = 0;
  JgRestJob  *rest;

  data = request->body ? g_bytes_get_data (request->body, &length) : NULL;
  if (data == NULL || length == 0)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The request body is empty.");
      return NULL;
    }

  root = jg_json_parse (data, length, &local_error);
  if (root == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The request body is not valid JSON: %s", local_error->message);
      return NULL;
    }

  rest = jg_rest_job_from_json (root, &local_error);
  if (rest == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "%s", local_error->message);
      return NULL;
    }

  return rest;
}

static gboolean
post_job (JgEmulator         *self,
          JgEmulatorRequest  *request,
          JgEmulatorResponse *response,
          GError            **error)
{
  g_autoptr(JgRestJob) rest = read_rest_job (request, error);
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *location = NULL;

  if (rest == NULL || (job_id = create_job (self, request, rest, NULL, error)) == NULL)
    return FALSE;

  entity = jg_emulator_get_entity (get_store (self), request, &jg_entity_set_jobs, job_id, FALSE, error);
  if (entity == NULL)
    return FALSE;

  location = _jg_emulator_dup_entity_uri (request->base_uri, "Jobs", job_id);
  set_created (request, response, location, entity);

  return TRUE;
}

static int
get_job_state (JgEmulator *self,
               const char *job_id,
               char      **canonical,
               GError    **error)
{
  sqlite3_stmt *stmt = jg_emulator_store_prepare (get_store (self), "SELECT id, state FROM jobs WHERE id = ?", error);
  int           state;

  if (stmt == NULL)
    return -1;

  jg_emulator_bind_text (stmt, 1, job_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource Job not found");
      return -1;
    }

  if (canonical != NULL)
    *canonical = g_strdup (jg_emulator_column_text (stmt, 0));
  state = sqlite3_column_int (stmt, 1);
  sqlite3_reset (stmt);

  return state;
}

static gboolean
delete_job (JgEmulator *self,
            const char *job_id,
            GError    **error)
{
  g_autofree char *canonical = NULL;

  if (get_job_state (self, job_id, &canonical, error) < 0)
    return FALSE;

  /* A running job is canceled on the spot: it is gone. */
  jg_emulator_scheduler_remove_job (_jg_emulator_get_scheduler (self), canonical);

  return delete_entity (self, &jg_entity_set_jobs, canonical, error);
}

static const char *
state_name (int state)
{
  static const char *const names[] = {
    "Queued",
    "Scheduled",
    "Processing",
    "Finished",
    "Error",
    "Canceled",
    "Canceling",
  };

  return state >= 0 && state < (int)G_N_ELEMENTS (names) ? names[state] : "unknown";
}

static gboolean
handle_cancel_job (JgEmulator         *self,
                   JgEmulatorRequest  *request,
                   JgEmulatorResponse *response,
                   GError            **error)
{
  g_autofree char *job_id = NULL;
  g_autofree char *canonical = NULL;
  const char      *value;
  int              state;

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "POST"))
    return method_not_allowed (request, error);

  value = request->query ? g_hash_table_lookup (request->query, "jobid") : NULL;
  if (value == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "CancelJob needs the parameter jobid='<job id>'.");
      return FALSE;
    }

  job_id = parse_key (value, strlen (value), error);
  if (job_id == NULL)
    return FALSE;

  state = get_job_state (self, job_id, &canonical, error);
  if (state < 0)
    return FALSE;

  if (JG_EMULATOR_STATE_IS_FINAL (state) || state == JG_EMULATOR_STATE_CANCELING)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "The job %s cannot be canceled: it is in the %s state.", canonical, state_name (state));
      return FALSE;
    }

  if (!jg_emulator_scheduler_cancel_job (_jg_emulator_get_scheduler (self), canonical, error))
    return FALSE;

  set_no_content (response);

  return TRUE;
}

static gboolean
handle_jobs (JgEmulator         *self,
             JgEmulatorRequest  *request,
             JgEmulatorResponse *response,
             Path               *path,
             GError            **error)
{
  static const char *const updatable[] = { "Name", "Priority", NULL };
  const char              *method = request->method;

  if (!path->has_key)
    {
      if (path->rest != NULL)
        return method_not_allowed (request, error);
      if (g_str_equal (method, "GET"))
        return handle_list (self, request, response, &jg_entity_set_jobs, NULL, error);
      if (g_str_equal (method, "POST"))
        return post_job (self, request, response, error);
      return method_not_allowed (request, error);
    }

  if (path->rest != NULL)
    {
      g_autofree char   *canonical = NULL;
      JgListScope        scope = { 0 };
      const JgEntitySet *set = &jg_entity_set_assets;

      if (!jg_entity_set_has_navigation (&jg_entity_set_jobs, path->rest))
        return handle_property (self, request, response, &jg_entity_set_jobs, path->key, path->rest, error);

      if (!g_str_equal (method, "GET"))
        return method_not_allowed (request, error);

      if (!jg_emulator_entity_exists (get_store (self), &jg_entity_set_jobs, path->key, &canonical, error))
        return FALSE;

      scope.param = canonical;
      if (g_str_equal (path->rest, "Tasks"))
        {
          set = &jg_entity_set_tasks;
          scope.where = "e.job_id = ?1";
          scope.order = "e.position";
        }
      else
        {
          scope.join = "JOIN job_assets AS j ON j.asset_id = e.id";
          scope.where = g_str_equal (path->rest, "OutputMediaAssets") ? "j.job_id = ?1 AND j.output = 1"
                                                                      : "j.job_id = ?1 AND j.output = 0";
          scope.order = "j.position";
        }

      return handle_list (self, request, response, set, &scope, error);
    }

  if (g_str_equal (method, "GET"))
    return handle_get (self, request, response, &jg_entity_set_jobs, path->key, error);

  if (g_str_equal (method, "DELETE"))
    {
      if (!delete_job (self, path->key, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  if (g_str_equal (method, "MERGE") || g_str_equal (method, "PATCH"))
    {
      if (!update_entity (self, request, &jg_entity_set_jobs, path->key, updatable, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  return method_not_allowed (request, error);
}

static gboolean
handle_tasks (JgEmulator         *self,
              JgEmulatorRequest  *request,
              JgEmulatorResponse *response,
              Path               *path,
              GError            **error)
{
  if (!path->has_key)
    {
      if (path->rest != NULL || !g_str_equal (request->method, "GET"))
        return method_not_allowed (request, error);
      return handle_list (self, request, response, &jg_entity_set_tasks, NULL, error);
    }

  if (path->rest != NULL)
    {
      g_autofree char *canonical = NULL;
      JgListScope      scope = { 0 };

      if (!jg_entity_set_has_navigation (&jg_entity_set_tasks, path->rest))
        return handle_property (self, request, response, &jg_entity_set_tasks, path->key, path->rest, error);

      if (!g_str_equal (request->method, "GET"))
        return method_not_allowed (request, error);

      if (!jg_emulator_entity_exists (get_store (self), &jg_entity_set_tasks, path->key, &canonical, error))
        return FALSE;

      scope.param = canonical;
      scope.join = "JOIN task_assets AS t ON t.asset_id = e.id";
      scope.where = g_str_equal (path->rest, "OutputMediaAssets") ? "t.task_id = ?1 AND t.output = 1"
                                                                  : "t.task_id = ?1 AND t.output = 0";
      scope.order = "t.position";

      return handle_list (self, request, response, &jg_entity_set_assets, &scope, error);
    }

  if (!g_str_equal (request->method, "GET"))
    return method_not_allowed (request, error);

  return handle_get (self, request, response, &jg_entity_set_tasks, path->key, error);
}

/* JobTemplates */

static gboolean
check_template_type (JgEmulatorRequest *request,
                     GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = read_body_object (request, &root, error);
  gint64      type;
  gboolean    present;

  if (object == NULL || !get_int_member (object, "TemplateType", &type, &present, error))
    return FALSE;

  if (present && type != 1)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "TemplateType must be 1 (AccountLevel); SystemLevel JobTemplates are reserved for Media Services.");
      return FALSE;
    }

  return TRUE;
}

static JgTaskBody *
find_template_body (GPtrArray  *bodies,
                    const char *task_template_id)
{
  for (guint i = 0; i < bodies->len; i++)
    {
      JgTaskBody *body = g_ptr_array_index (bodies, i);

      if (body->task_template_id != NULL && g_ascii_strcasecmp (body->task_template_id, task_template_id) == 0)
        return body;
    }

  return NULL;
}

static char *
create_template (JgEmulator        *self,
                 JgEmulatorRequest *request,
                 JgRestJob         *rest,
                 GError           **error)
{
  JgEmulatorStore *store = get_store (self);
  g_autoptr(GPtrArray) bodies = NULL;
  g_autofree char *template_id = NULL;
  gint64           now = _jg_emulator_now_ms ();
  sqlite3_stmt    *stmt;
  int              n_inputs;

  if (rest->kind != JG_REST_TEMPLATE)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "A JobTemplate needs a JobTemplateBody and TaskTemplates.");
      return NULL;
    }

  if (!validate_rest_job (rest, JG_FORMAT_TEMPLATE, request->api_version, error) ||
      !check_processors (rest, error))
    return NULL;

  /* Validation has read the JobTemplateBody already. */
  bodies = jg_job_template_body_parse (rest->job_template_body, -1, NULL);
  if (bodies == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The JobTemplateBody is not valid.");
      return NULL;
    }

  if (rest->n_template_inputs >= 0)
    n_inputs = rest->n_template_inputs;
  else
    {
      n_inputs = 0;
      for (guint i = 0; i < bodies->len; i++)
        {
          JgTaskBody *body = g_ptr_array_index (bodies, i);

          for (guint p = 0; p < body->inputs->len; p++)
            {
              gboolean is_output;
              guint    index;

              if (jg_parse_asset_reference (g_ptr_array_index (body->inputs, p), &is_output, &index) && !is_output)
                n_inputs = MAX (n_inputs, (int)index + 1);
            }
        }
    }

  /* TaskTemplate ids are the client's: they must be new. */
  for (guint i = 0; i < rest->tasks->len; i++)
    {
      JgRestTask *task = g_ptr_array_index (rest->tasks, i);

      if (jg_emulator_entity_exists (store, &jg_entity_set_task_templates, task->id, NULL, NULL))
        {
          g_set_error (error, JG_EMULATOR_ERROR, 409, "A TaskTemplate with Id %s already exists.", task->id);
          return NULL;
        }
    }

  template_id = _jg_emulator_new_id ("jtid");

  if (!jg_emulator_store_begin (store, error))
    return NULL;

  stmt = jg_emulator_store_prepare (store,
                                    "INSERT INTO job_templates (id, name, job_template_body, n_inputs, template_type, "
                                    "created, last_modified) VALUES (?, ?, ?, ?, 1, ?, ?)",
                                    error);
  if (stmt == NULL)
    goto failed;

  jg_emulator_bind_text (stmt, 1, template_id);
  jg_emulator_bind_text (stmt, 2, rest->name);
  jg_emulator_bind_text (stmt, 3, rest->job_template_body);
  sqlite3_bind_int (stmt, 4, n_inputs);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!jg_emulator_store_step_done (store, stmt, error))
    goto failed;

  for (guint i = 0; i < rest->tasks->len; i++)
    {
      JgRestTask *task = g_ptr_array_index (rest->tasks, i);
      JgTaskBody *body = find_template_body (bodies, task->id);

      stmt = jg_emulator_store_prepare (store,
                                        "INSERT INTO task_templates (id, job_template_id, position, name, description, "
                                        "processor_id, configuration, options, n_inputs, n_outputs, created, "
                                        "last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        error);
      if (stmt == NULL)
        goto failed;

      jg_emulator_bind_text (stmt, 1, task->id);
      jg_emulator_bind_text (stmt, 2, template_id);
      sqlite3_bind_int (stmt, 3, i);
      jg_emulator_bind_text (stmt, 4, task->name);
      jg_emulator_bind_text (stmt, 5, task->description);
      jg_emulator_bind_text (stmt, 6, task->processor_id);
      jg_emulator_bind_text (stmt, 7, task->configuration);
      sqlite3_bind_int (stmt, 8, task->options);
      sqlite3_bind_int (stmt, 9, task->n_inputs >= 0 ? task->n_inputs : body ? (int)body->inputs->len
                                                                             : 0);
      sqlite3_bind_int (stmt, 10, task->n_outputs >= 0 ? task->n_outputs : body ? (int)body->outputs->len
                                                                                : 0);
      sqlite3_bind_int64 (stmt, 11, now);
      sqlite3_bind_int64 (stmt, 12, now);
      if (!jg_emulator_store_step_done (store, stmt, error))
        goto failed;
    }

  if (!jg_emulator_store_commit (store, error))
    return NULL;

  return g_steal_pointer (&template_id);

failed:
  jg_emulator_store_rollback (store);
  return NULL;
}

static gboolean
post_template (JgEmulator         *self,
               JgEmulatorRequest  *request,
               JgEmulatorResponse *response,
               GError            **error)
{
  g_autoptr(JgRestJob) rest = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *template_id = NULL;
  g_autofree char *location = NULL;

  if (!check_template_type (request, error) ||
      (rest = read_rest_job (request, error)) == NULL ||
      (template_id = create_template (self, request, rest, error)) == NULL)
    return FALSE;

  entity = jg_emulator_get_entity (get_store (self), request, &jg_entity_set_job_templates, template_id, FALSE, error);
  if (entity == NULL)
    return FALSE;

  location = _jg_emulator_dup_entity_uri (request->base_uri, "JobTemplates", template_id);
  set_created (request, response, location, entity);

  return TRUE;
}

static gboolean
refuse_template_update (JgEmulator        *self,
                        const JgEntitySet *set,
                        const char        *id,
                        GError           **error)
{
  if (!jg_emulator_entity_exists (get_store (self), set, id, NULL, error))
    return FALSE;

  g_set_error (error, JG_EMULATOR_ERROR, 400,
               "JobTemplates cannot be updated. Instead, you must create a new one with your updated changes.");

  return FALSE;
}

static gboolean
handle_job_templates (JgEmulator         *self,
                      JgEmulatorRequest  *request,
                      JgEmulatorResponse *response,
                      Path               *path,
                      GError            **error)
{
  const char *method = request->method;

  if (!path->has_key)
    {
      if (path->rest != NULL)
        return method_not_allowed (request, error);
      if (g_str_equal (method, "GET"))
        return handle_list (self, request, response, &jg_entity_set_job_templates, NULL, error);
      if (g_str_equal (method, "POST"))
        return post_template (self, request, response, error);
      return method_not_allowed (request, error);
    }

  if (path->rest != NULL)
    {
      g_autofree char *canonical = NULL;
      JgListScope      scope = { 0 };

      if (!g_str_equal (path->rest, "TaskTemplates"))
        return handle_property (self, request, response, &jg_entity_set_job_templates, path->key, path->rest, error);

      if (!g_str_equal (method, "GET"))
        return method_not_allowed (request, error);

      if (!jg_emulator_entity_exists (get_store (self), &jg_entity_set_job_templates, path->key, &canonical, error))
        return FALSE;

      scope.param = canonical;
      scope.where = "e.job_template_id = ?1";
      scope.order = "e.position";

      return handle_list (self, request, response, &jg_entity_set_task_templates, &scope, error);
    }

  if (g_str_equal (method, "GET"))
    return handle_get (self, request, response, &jg_entity_set_job_templates, path->key, error);

  if (g_str_equal (method, "DELETE"))
    {
      if (!delete_entity (self, &jg_entity_set_job_templates, path->key, error))
        return FALSE;
      set_no_content (response);
      return TRUE;
    }

  if (g_str_equal (method, "MERGE") || g_str_equal (method, "PUT") || g_str_equal (method, "PATCH"))
    return refuse_template_update (self, &jg_entity_set_job_templates, path->key, error);

  return method_not_allowed (request, error);
}

static gboolean
handle_task_templates (JgEmulator         *self,
                       JgEmulatorRequest  *request,
                       JgEmulatorResponse *response,
                       Path               *path,
                       GError            **error)
{
  const char *method = request->method;

  if (!path->has_key)
    {
      if (path->rest != NULL)
        return method_not_allowed (request, error);
      if (g_str_equal (method, "GET"))
        return handle_list (self, request, response, &jg_entity_set_task_templates, NULL, error);
      if (g_str_equal (method, "POST"))
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400,
                       "TaskTemplates are created by creating a JobTemplate.");
          return FALSE;
        }
      return method_not_allowed (request, error);
    }

  if (path->rest != NULL)
    return handle_property (self, request, response, &jg_entity_set_task_templates, path->key, path->rest, error);

  if (g_str_equal (method, "GET"))
    return handle_get (self, request, response, &jg_entity_set_task_templates, path->key, error);

  if (g_str_equal (method, "MERGE") || g_str_equal (method, "PUT") || g_str_equal (method, "PATCH"))
    return refuse_template_update (self, &jg_entity_set_task_templates, path->key, error);

  return method_not_allowed (request, error);
}

static gboolean
handle_media_processors (JgEmulator         *self,
                         JgEmulatorRequest  *request,
                         JgEmulatorResponse *response,
                         Path               *path,
                         GError            **error)
{
  if (!path->has_key)
    {
      if (path->rest != NULL || !g_str_equal (request->method, "GET"))
        return method_not_allowed (request, error);
      return handle_list (self, request, response, &jg_entity_set_media_processors, NULL, error);
    }

  if (path->rest != NULL)
    return handle_property (self, request, response, &jg_entity_set_media_processors, path->key, path->rest, error);

  if (!g_str_equal (request->method, "GET"))
    return method_not_allowed (request, error);

  return handle_get (self, request, response, &jg_entity_set_media_processors, path->key, error);
}

/* $batch */

typedef struct
{
  JgBatchPart        *part; /* borrowed */
  SoupMessageHeaders *headers;
  GBytes             *body;
  char               *path;
  GHashTable         *query;
  char               *api_version;
  JgEmulatorRequest   request;
} PartRequest;

static void
part_request_free (PartRequest *pr)
{
  g_clear_pointer (&pr->headers, soup_message_headers_unref);
  g_clear_pointer (&pr->body, g_bytes_unref);
  g_clear_pointer (&pr->query, g_hash_table_unref);
  g_free (pr->path);
  g_free (pr->api_version);
  g_free (pr);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PartRequest, part_request_free)

/* The path below the account base of a part's URI: absolute
 * (`https://media.windows.net/api/Jobs`, any host: clients keep the one
 * they first wrote), rooted (`/accounts/local/api/Jobs`) or relative.
 */
static char *
dup_part_path (const char *uri,
               char      **query)
{
  g_autofree char *copy = g_strdup (uri);
  g_autofree char *lower = NULL;
  char            *question;
  const char      *path;
  const char      *api;

  *query = NULL;
  question = strchr (copy, '?');
  if (question != NULL)
    {
      *question = '\0';
      *query = g_strdup (question + 1);
    }

  lower = g_ascii_strdown (copy, -1);
  api = strstr (lower, "/api/");
  if (api != NULL)
    path = copy + (api - lower) + strlen ("/api/");
  else if (g_str_has_suffix (lower, "/api"))
    path = "";
  else
    path = copy[0] == '/' ? copy + 1 : copy;

  return g_uri_unescape_string (path, NULL);
}

static gboolean
is_verbose_accept (const char *accept)
{
  return accept != NULL && strstr (accept, "odata=verbose") != NULL;
}

static PartRequest *
new_part_request (JgEmulatorRequest *outer,
                  JgBatchPart       *part,
                  GError           **error)
{
  g_autoptr(PartRequest) pr = g_new0 (PartRequest, 1);
  g_autofree char *query = NULL;
  const char      *version;
  gsize            length;
  const char      *data = g_bytes_get_data (part->body, &length);

  pr->part = part;
  pr->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  for (guint i = 0; i + 1 < part->headers->len; i += 2)
    soup_message_headers_append (pr->headers, g_ptr_array_index (part->headers, i),
                                 g_ptr_array_index (part->headers, i + 1));

  pr->path = dup_part_path (part->uri, &query);
  if (pr->path == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The batch part URI %s is not valid.", part->uri);
      return NULL;
    }

  if (query != NULL)
    pr->query = soup_form_decode (query);

  /* A part's own x-ms-version wins; it must be valid too. */
  version = soup_message_headers_get_one (pr->headers, "x-ms-version");
  if (version != NULL && !_jg_emulator_parse_api_version (version))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400,
                   "Unsupported x-ms-version '%s' in a batch part; use 2.0 to 2.19.", version);
      return NULL;
    }
  pr->api_version = g_strdup (version ? version : outer->api_version);

  pr->body = g_bytes_new (data, length);
  pr->request.method = part->method;
  pr->request.path = pr->path;
  pr->request.query = pr->query;
  pr->request.headers = pr->headers;
  pr->request.body = pr->body;
  pr->request.api_version = pr->api_version;
  pr->request.verbose = is_verbose_accept (soup_message_headers_get_one (pr->headers, "Accept"));
  pr->request.base_uri = outer->base_uri;

  return g_steal_pointer (&pr);
}

static JgBatchPart *
new_response_part (JgEmulatorResponse *response,
                   const char         *content_id,
                   int                 changeset)
{
  JgBatchPart *part = jg_batch_part_new ();
  const char  *phrase = soup_status_get_phrase (response->status);

  part->status = response->status;
  part->reason = g_strdup (response->reason ? response->reason : phrase ? phrase
                                                                        : "Unknown");
  part->changeset = changeset;

  if (content_id != NULL)
    jg_batch_part_set_header (part, "Content-ID", content_id);

  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    jg_batch_part_set_header (part, g_ptr_array_index (response->headers, i),
                              g_ptr_array_index (response->headers, i + 1));

  if (response->body != NULL)
    {
      jg_batch_part_set_header (part, "DataServiceVersion", "3.0;");
      jg_batch_part_set_header (part, "Content-Type", response->content_type);
      g_bytes_unref (part->body);
      part->body = g_bytes_ref (response->body);
    }

  return part;
}

static JgBatchPart *
new_error_part (gboolean    verbose,
                GError     *error,
                const char *content_id)
{
  JgEmulatorResponse response;
  JgBatchPart       *part;
  guint              status = error->domain == JG_EMULATOR_ERROR ? (guint)error->code : 500;

  _jg_emulator_response_init (&response);
  _jg_emulator_response_set_error (&response, verbose, status, error->message);
  part = new_response_part (&response, content_id, 0);
  _jg_emulator_response_clear (&response);

  return part;
}

static const char *
content_id_or_unknown (JgBatchPart *part)
{
  const char *content_id = jg_batch_part_get_header (part, "Content-ID");

  return content_id ? content_id : "(none)";
}

/* Whether @path is "$<content-id>/<member>". */
static gboolean
is_reference_to (const char *path,
                 const char *content_id,
                 const char *member)
{
  g_autofree char *expected = g_strdup_printf ("$%s/%s", content_id ? content_id : "", member);

  return content_id != NULL && g_str_equal (path, expected);
}

/* One changeset: a Job (or JobTemplate) part, then `$<id>/Tasks` (or
 * `$<id>/TaskTemplates`) parts; all or nothing. Appends the responses to
 * @out: one 201 per part in a changeset, or one error part.
 */
static void
run_changeset (JgEmulator        *self,
               JgEmulatorRequest *outer,
               GPtrArray         *parts,
               int                changeset,
               GPtrArray         *out)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify)part_request_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRestJob) rest = NULL;
  g_autoptr(GPtrArray) task_ids = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *entity_id = NULL;
  PartRequest     *first;
  const char      *first_id;
  gboolean         is_template;
  const char      *member;
  const char      *failing_id = NULL;

  for (guint i = 0; i < parts->len; i++)
    {
      JgBatchPart *part = g_ptr_array_index (parts, i);
      PartRequest *pr;

      if (part->changeset != changeset)
        continue;

      pr = new_part_request (outer, part, &error);
      if (pr == NULL)
        {
          failing_id = jg_batch_part_get_header (part, "Content-ID");
          goto failed;
        }

      g_ptr_array_add (requests, pr);
    }

  first = g_ptr_array_index (requests, 0);
  first_id = jg_batch_part_get_header (first->part, "Content-ID");
  failing_id = first_id;

  if (!g_str_equal (first->request.method, "POST") ||
      (!g_str_equal (first->path, "Jobs") && !g_str_equal (first->path, "JobTemplates")))
    {
      g_set_error (&error, JG_EMULATOR_ERROR, 400,
                   "jobgraph-emulator supports changesets that create a Job with $1/Tasks "
                   "or a JobTemplate with $1/TaskTemplates; this one starts with %s %s.",
                   first->request.method, first->path);
      goto failed;
    }

  is_template = g_str_equal (first->path, "JobTemplates");
  member = is_template ? "TaskTemplates" : "Tasks";

  if (is_template && !check_template_type (&first->request, &error))
    goto failed;

  rest = read_rest_job (&first->request, &error);
  if (rest == NULL)
    goto failed;

  for (guint i = 1; i < requests->len; i++)
    {
      PartRequest *pr = g_ptr_array_index (requests, i);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *where = g_strdup_printf ("Content-ID %s: ", content_id_or_unknown (pr->part));
      const char      *data;
      gsize            length;
      JsonNode        *node;
      JgRestTask      *task;

      failing_id = jg_batch_part_get_header (pr->part, "Content-ID");

      if (!g_str_equal (pr->request.method, "POST") || !is_reference_to (pr->path, first_id, member))
        {
          g_set_error (&error, JG_EMULATOR_ERROR, 400,
                       "A part of this changeset must be POST $%s/%s, not %s %s.",
                       first_id ? first_id : "1", member, pr->request.method, pr->path);
          goto failed;
        }

      data = g_bytes_get_data (pr->body, &length);
      node = jg_json_parse (data, length, &local_error);
      if (node == NULL)
        {
          g_set_error (&error, JG_EMULATOR_ERROR, 400, "The body of Content-ID %s is not valid JSON: %s",
                       content_id_or_unknown (pr->part), local_error->message);
          goto failed;
        }

      task = jg_rest_task_from_json (node, rest->kind, where, &local_error);
      json_node_unref (node);
      if (task == NULL)
        {
          g_set_error (&error, JG_EMULATOR_ERROR, 400, "%s", local_error->message);
          goto failed;
        }

      g_ptr_array_add (rest->tasks, task);
    }

  failing_id = first_id;

  if (is_template)
    entity_id = create_template (self, &first->request, rest, &error);
  else
    entity_id = create_job (self, &first->request, rest, &task_ids, &error);

  if (entity_id == NULL)
    goto failed;

  /* One 201 per part, the job (or template) first. */
  for (guint i = 0; i < requests->len; i++)
    {
      PartRequest       *pr = g_ptr_array_index (requests, i);
      JgEmulatorResponse response;
      const JgEntitySet *set;
      g_autofree char   *location = NULL;
      g_autoptr(JsonNode) entity = NULL;
      const char *id;

      if (i == 0)
        {
          set = is_template ? &jg_entity_set_job_templates : &jg_entity_set_jobs;
          id = entity_id;
        }
      else
        {
          JgRestTask *task = g_ptr_array_index (rest->tasks, i - 1);

          set = is_template ? &jg_entity_set_task_templates : &jg_entity_set_tasks;
          id = is_template ? task->id : g_ptr_array_index (task_ids, i - 1);
        }

      entity = jg_emulator_get_entity (_jg_emulator_get_store (self), &pr->request, set, id, FALSE, &error);
      if (entity == NULL)
        {
          /* The changeset is committed; this cannot happen short of a
           * broken database.
           */
          g_ptr_array_add (out, new_error_part (first->request.verbose, error, NULL));
          return;
        }

      location = _jg_emulator_dup_entity_uri (outer->base_uri, set->name, id);

      _jg_emulator_response_init (&response);
      _jg_emulator_response_add_header (&response, "Location", location);
      _jg_emulator_response_set_json (&response, pr->request.verbose, 201, entity);
      g_ptr_array_add (out, new_response_part (&response, jg_batch_part_get_header (pr->part, "Content-ID"), changeset));
      _jg_emulator_response_clear (&response);
    }

  return;

failed:
  /* A failed changeset is answered by one error part (OData v3). */
  g_ptr_array_add (out, new_error_part (requests->len > 0 ? ((PartRequest *)g_ptr_array_index (requests, 0))->request.verbose
                                                          : outer->verbose,
                                        error, failing_id));
}

static gboolean
handle_batch (JgEmulator         *self,
              JgEmulatorRequest  *request,
              JgEmulatorResponse *response,
              GError            **error)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_batch_part_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = g_strconcat ("batchresponse_", uuid, NULL);
  g_autofree char *changeset_uuid = g_uuid_string_random ();
  g_autofree char *changeset_boundary = g_strconcat ("changesetresponse_", changeset_uuid, NULL);
  g_autofree char *content_type = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new (NULL, NULL);
  const char *data;
  gsize       length = 0;
  char       *text;

  if (!g_str_equal (request->method, "POST"))
    return method_not_allowed (request, error);

  data = request->body ? g_bytes_get_data (request->body, &length) : NULL;
  parts = jg_batch_parse (soup_message_headers_get_one (request->headers, "Content-Type"),
                          data ? data : "", length, &local_error);
  if (parts == NULL)
    {
      g_set_error (error, JG_EMULATOR_ERROR, 400, "The $batch body cannot be read: %s", local_error->message);
      return FALSE;
    }

  for (guint i = 0; i < parts->len; i++)
    {
      JgBatchPart *part = g_ptr_array_index (parts, i);

      if (part->method == NULL || part->uri == NULL)
        {
          g_set_error (error, JG_EMULATOR_ERROR, 400, "Part %u of the $batch is not a request.", i + 1);
          return FALSE;
        }
    }

  for (guint i = 0; i < parts->len; i++)
    {
      JgBatchPart *part = g_ptr_array_index (parts, i);

      if (part->changeset > 0)
        {
          if (g_hash_table_add (done, GINT_TO_POINTER (part->changeset)))
            run_changeset (self, request, parts, part->changeset, out);
          continue;
        }

      /* A top-level part (a query) is answered on its own. */
      {
        g_autoptr(PartRequest) pr = new_part_request (request, part, &local_error);
        JgEmulatorResponse part_response;

        if (pr == NULL)
          {
            g_ptr_array_add (out, new_error_part (request->verbose, local_error,
                                                  jg_batch_part_get_header (part, "Content-ID")));
            g_clear_error (&local_error);
            continue;
          }

        if (g_str_equal (pr->path, "$batch"))
          {
            g_set_error (&local_error, JG_EMULATOR_ERROR, 400, "A $batch cannot contain a $batch.");
            g_ptr_array_add (out, new_error_part (pr->request.verbose, local_error, NULL));
            g_clear_error (&local_error);
            continue;
          }

        _jg_emulator_response_init (&part_response);
        _jg_emulator_api_handle (self, &pr->request, &part_response);
        g_ptr_array_add (out, new_response_part (&part_response, jg_batch_part_get_header (part, "Content-ID"), 0));
        _jg_emulator_response_clear (&part_response);
      }
    }

  text = jg_batch_write (out, boundary, changeset_boundary);
  content_type = g_strdup_printf ("multipart/mixed; boundary=%s", boundary);

  response->status = 202;
  response->content_type = g_steal_pointer (&content_type);
  response->body = g_bytes_new_take (text, strlen (text));

  return TRUE;
}

/* Dispatch */

static gboolean
dispatch (JgEmulator         *self,
          JgEmulatorRequest  *request,
          JgEmulatorResponse *response,
          GError            **error)
{
  g_auto(Path) path = { 0 };

  if (request->path[0] == '\0')
    return handle_service_document (self, request, response, error);

  if (g_str_equal (request->path, "$batch"))
    return handle_batch (self, request, response, error);

  if (g_str_equal (request->path, "$metadata"))
    {
      g_set_error (error, JG_EMULATOR_ERROR, 501, "jobgraph-emulator does not serve $metadata.");
      return FALSE;
    }

  if (g_str_equal (request->path, "CancelJob") || g_str_equal (request->path, "CancelJob()"))
    return handle_cancel_job (self, request, response, error);

  if (g_str_equal (request->path, "CreateFileInfos") || g_str_equal (request->path, "CreateFileInfos()"))
    return handle_create_file_infos (self, request, response, error);

  if (!parse_path (request->path, &path, error))
    return FALSE;

  if (g_str_equal (path.set, "Assets"))
    return handle_assets (self, request, response, &path, error);
  if (g_str_equal (path.set, "Jobs"))
    return handle_jobs (self, request, response, &path, error);
  if (g_str_equal (path.set, "Tasks"))
    return handle_tasks (self, request, response, &path, error);
  if (g_str_equal (path.set, "JobTemplates"))
    return handle_job_templates (self, request, response, &path, error);
  if (g_str_equal (path.set, "TaskTemplates"))
    return handle_task_templates (self, request, response, &path, error);
  if (g_str_equal (path.set, "MediaProcessors"))
    return handle_media_processors (self, request, response, &path, error);
  if (g_str_equal (path.set, "AccessPolicies"))
    return handle_access_policies (self, request, response, &path, error);
  if (g_str_equal (path.set, "Locators"))
    return handle_locators (self, request, response, &path, error);
  if (g_str_equal (path.set, "Files"))
    return handle_files (self, request, response, &path, error);

  g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource not found for the segment '%s'.", path.set);

  return FALSE;
}

/**
 * _jg_emulator_api_handle:
 *
 * Answers one request below the account base. Authorization and
 * x-ms-version have been checked by the caller.
 */
void
_jg_emulator_api_handle (JgEmulator         *self,
                         JgEmulatorRequest  *request,
                         JgEmulatorResponse *response)
{
  g_autoptr(GError) error = NULL;

  if (!dispatch (self, request, response, &error))
    {
      guint status = error->domain == JG_EMULATOR_ERROR ? (guint)error->code : 500;

      if (status >= 500)
        g_debug ("%s %s: %u %s", request->method, request->path, status, error->message);

      g_ptr_array_set_size (response->headers, 0);
      _jg_emulator_response_set_error (response, request->verbose, status, error->message);
    }
}
