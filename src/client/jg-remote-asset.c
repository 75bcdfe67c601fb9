/* jg-remote-asset.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include "jg-odata.h"
#include "jg-remote-asset.h"

G_DEFINE_BOXED_TYPE (JgRemoteAsset, jg_remote_asset, jg_remote_asset_ref, jg_remote_asset_unref)

static void
jg_remote_asset_clear (gpointer data)
{
  JgRemoteAsset *asset = data;

  g_free (asset->id);
  g_free (asset->name);
  g_free (asset->alternate_id);
  g_free (asset->uri);
  g_free (asset->storage_account_name);
  g_clear_pointer (&asset->created, g_date_time_unref);
  g_clear_pointer (&asset->last_modified, g_date_time_unref);
}

/**
 * jg_remote_asset_new_from_json:
 * @object: an Asset entity
 *
 * Returns: (transfer full): the asset, or %NULL with @error set
 */
JgRemoteAsset *
jg_remote_asset_new_from_json (JsonObject *object,
                               GError    **error)
{
  g_autofree char *id = NULL;
  JgRemoteAsset   *asset;

  g_return_val_if_fail (object != NULL, NULL);

  id = jg_odata_dup_id (object, "Asset", error);
  if (id == NULL)
    return NULL;

  asset = g_atomic_rc_box_new0 (JgRemoteAsset);
  asset->id = g_steal_pointer (&id);
  asset->name = jg_odata_dup_string (object, "Name");
  asset->alternate_id = jg_odata_dup_string (object, "AlternateId");
  asset->state = jg_odata_get_int (object, "State", 0);
  asset->options = jg_odata_get_int (object, "Options", 0);
  asset->format_option = jg_odata_get_int (object, "FormatOption", 0);
  asset->uri = jg_odata_dup_string (object, "Uri");
  asset->storage_account_name = jg_odata_dup_string (object, "StorageAccountName");
  asset->created = jg_odata_dup_date (object, "Created");
  asset->last_modified = jg_odata_dup_date (object, "LastModified");

  return asset;
}

/**
 * jg_remote_asset_ref:
 *
 * Returns: (transfer full): @asset
 */
JgRemoteAsset *
jg_remote_asset_ref (JgRemoteAsset *asset)
{
  g_return_val_if_fail (asset != NULL, NULL);

  return g_atomic_rc_box_acquire (asset);
}

void
jg_remote_asset_unref (JgRemoteAsset *asset)
{
  g_return_if_fail (asset != NULL);

  g_atomic_rc_box_release_full (asset, jg_remote_asset_clear);
}
