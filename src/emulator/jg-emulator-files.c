/* jg-emulator-files.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-files"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "jg-emulator-files.h"
#include "jg-emulator-private.h"

/* The store's side of asset files. Callers write the bytes; these
 * functions say where, and keep the File rows and the asset's size in step
 * with what is on disk.
 */

/**
 * jg_emulator_file_info_new:
 *
 * Returns: (transfer full): what the service says of one file of an asset
 */
JgEmulatorFileInfo *
jg_emulator_file_info_new (const char *name,
                           gint64      size,
                           const char *mime_type,
                           gboolean    is_primary)
{
  JgEmulatorFileInfo *info = g_new0 (JgEmulatorFileInfo, 1);

  g_return_val_if_fail (name != NULL, NULL);

  info->name = g_strdup (name);
  info->size = size;
  info->mime_type = g_strdup (mime_type ? mime_type : "application/octet-stream");
  info->is_primary = is_primary;

  return info;
}

void
jg_emulator_file_info_free (JgEmulatorFileInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->mime_type);
  g_free (info);
}

/**
 * jg_emulator_files_check_name:
 * @name: a file name from a client
 *
 * A File's name is one name in the asset's folder: UTF-8, at most 255
 * bytes, no folders, no "..", no control characters, and not ending in
 * ".part" (uploads in progress are written there).
 *
 * Returns: whether @name is safe to use as a file name
 */
gboolean
jg_emulator_files_check_name (const char *name,
                              GError    **error)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (name[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "The file name is empty.");
      return FALSE;
    }

  if (strlen (name) > 255 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   "The file name must be UTF-8 of at most 255 bytes.");
      return FALSE;
    }

  if (strchr (name, '/') != NULL || strchr (name, '\\') != NULL || strstr (name, "..") != NULL ||
      g_str_equal (name, "."))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   "The file name “%s” has a folder in it (/, \\ or ..); name one file of the asset.", name);
      return FALSE;
    }

  for (const char *p = name; *p; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, "The file name has a control character.");
        return FALSE;
      }

  if (g_str_has_suffix (name, ".part"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   "File names ending in .part are reserved for uploads in progress.");
      return FALSE;
    }

  return TRUE;
}

/**
 * jg_emulator_files_dup_guid:
 * @asset_id: `nb:cid:UUID:<guid>`, or a bare GUID
 *
 * Returns: (transfer full): the GUID part of @asset_id, in lower case
 */
char *
jg_emulator_files_dup_guid (const char *asset_id)
{
  const char *colon;

  g_return_val_if_fail (asset_id != NULL, NULL);

  colon = strrchr (asset_id, ':');

  return g_ascii_strdown (colon ? colon + 1 : asset_id, -1);
}

/**
 * jg_emulator_files_dup_asset_dir:
 * @data_dir: the emulator's data directory
 * @asset_id: the asset
 *
 * Returns: (transfer full): `DATA_DIR/blobs/<guid>`, where the asset's own
 *   files live (the folder may not exist yet)
 */
char *
jg_emulator_files_dup_asset_dir (const char *data_dir,
                                 const char *asset_id)
{
  g_autofree char *guid = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (asset_id != NULL, NULL);

  guid = jg_emulator_files_dup_guid (asset_id);

  return g_build_filename (data_dir, "blobs", guid, NULL);
}

/* The asset's name for messages, or its id when it has none. */
static char *
dup_asset_name (JgEmulatorStore *store,
                const char      *asset_id,
                gboolean        *exists)
{
  sqlite3_stmt *stmt = jg_emulator_store_prepare (store, "SELECT name FROM assets WHERE id = ?", NULL);
  char         *name = NULL;

  *exists = FALSE;
  if (stmt == NULL)
    return g_strdup (asset_id);

  jg_emulator_bind_text (stmt, 1, asset_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *exists = TRUE;
      name = g_strdup (jg_emulator_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);

  return name ? name : g_strdup (asset_id);
}

/**
 * jg_emulator_files_dup_input_path:
 * @store: the store
 * @data_dir: the emulator's data directory
 * @asset_id: the asset
 *
 * The file an encoder reads from the asset: its primary File, else its
 * largest.
 *
 * Returns: (transfer full) (nullable): an absolute path, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND when the asset has no files
 */
char *
jg_emulator_files_dup_input_path (JgEmulatorStore *store,
                                  const char      *data_dir,
                                  const char      *asset_id,
                                  GError         **error)
{
  g_autofree char *relative = NULL;
  g_autofree char *name = NULL;
  sqlite3_stmt    *stmt;
  gboolean         exists;
  int              rc;

  g_return_val_if_fail (JG_IS_EMULATOR_STORE (store), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (asset_id != NULL, NULL);

  stmt = jg_emulator_store_prepare (store,
                                    "SELECT path FROM files WHERE asset_id = ? "
                                    "ORDER BY is_primary DESC, size DESC, seq LIMIT 1",
                                    error);
  if (stmt == NULL)
    return NULL;

  jg_emulator_bind_text (stmt, 1, asset_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    relative = g_strdup (jg_emulator_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      jg_emulator_store_set_error (store, error);
      return NULL;
    }

  if (relative != NULL)
    return g_build_filename (data_dir, relative, NULL);

  name = dup_asset_name (store, asset_id, &exists);
  if (!exists)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "There is no asset %s", asset_id);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "The asset “%s” (%s) has no files", name, asset_id);

  return NULL;
}

/**
 * jg_emulator_files_replace:
 * @store: the store
 * @data_dir: the emulator's data directory
 * @asset_id: the asset
 * @files: (element-type JgEmulatorFileInfo): the asset's files, already
 *   written into jg_emulator_files_dup_asset_dir()
 *
 * Makes @files the asset's File entities, and their total its size, in one
 * transaction (the caller's, if one is open).
 */
gboolean
jg_emulator_files_replace (JgEmulatorStore *store,
                           const char      *data_dir,
                           const char      *asset_id,
                           GPtrArray       *files,
                           GError         **error)
{
  g_autofree char *guid = NULL;
  sqlite3         *db;
  sqlite3_stmt    *stmt;
  gboolean         own_transaction;
  gint64           now = _jg_emulator_now_ms ();
  gint64           total = 0;

  g_return_val_if_fail (JG_IS_EMULATOR_STORE (store), FALSE);
  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (asset_id != NULL, FALSE);
  g_return_val_if_fail (files != NULL, FALSE);

  db = jg_emulator_store_get_db (store);
  if (db == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The database is closed");
      return FALSE;
    }

  guid = jg_emulator_files_dup_guid (asset_id);

  /* The scheduler may call this inside a transaction of its own. */
  own_transaction = sqlite3_get_autocommit (db);
  if (own_transaction && !jg_emulator_store_begin (store, error))
    return FALSE;

  stmt = jg_emulator_store_prepare (store, "DELETE FROM files WHERE asset_id = ?", error);
  if (stmt == NULL)
    goto failed;

  jg_emulator_bind_text (stmt, 1, asset_id);
  if (!jg_emulator_store_step_done (store, stmt, error))
    goto failed;

  for (guint i = 0; i < files->len; i++)
    {
      JgEmulatorFileInfo *info = g_ptr_array_index (files, i);
      g_autofree char    *file_id = _jg_emulator_new_id ("cid");
      g_autofree char    *path = g_strconcat ("blobs/", guid, "/", info->name, NULL);

      stmt = jg_emulator_store_prepare (store,
                                        "INSERT INTO files (id, asset_id, name, size, mime_type, is_primary, path, "
                                        "created, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                        error);
      if (stmt == NULL)
        goto failed;

      jg_emulator_bind_text (stmt, 1, file_id);
      jg_emulator_bind_text (stmt, 2, asset_id);
      jg_emulator_bind_text (stmt, 3, info->name);
      sqlite3_bind_int64 (stmt, 4, info->size);
      jg_emulator_bind_text (stmt, 5, info->mime_type);
      sqlite3_bind_int (stmt, 6, info->is_primary ? 1 : 0);
      jg_emulator_bind_text (stmt, 7, path);
      sqlite3_bind_int64 (stmt, 8, now);
      sqlite3_bind_int64 (stmt, 9, now);
      if (!jg_emulator_store_step_done (store, stmt, error))
        goto failed;

      total += MAX (info->size, 0);
    }

  stmt = jg_emulator_store_prepare (store, "UPDATE assets SET size = ?, last_modified = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;

  sqlite3_bind_int64 (stmt, 1, total);
  sqlite3_bind_int64 (stmt, 2, now);
  jg_emulator_bind_text (stmt, 3, asset_id);
  if (!jg_emulator_store_step_done (store, stmt, error))
    goto failed;

  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "There is no asset %s", asset_id);
      goto failed;
    }

  if (own_transaction && !jg_emulator_store_commit (store, error))
    return FALSE;

  return TRUE;

failed:
  if (own_transaction)
    jg_emulator_store_rollback (store);
  return FALSE;
}
