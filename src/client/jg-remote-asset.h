/* jg-remote-asset.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_TYPE_REMOTE_ASSET (jg_remote_asset_get_type ())

/**
 * JgRemoteAsset:
 * @id: `nb:cid:UUID:…`
 * @name: (nullable): `Name`
 * @alternate_id: (nullable): `AlternateId`
 * @state: `State` (0 Initialized, 2 Deleted)
 * @options: `Options` (0 None, 1 StorageEncrypted, 2 CommonEncryption,
 *   4 EnvelopeEncryption)
 * @format_option: `FormatOption`
 * @uri: (nullable): `Uri`, the blob container
 * @storage_account_name: (nullable): `StorageAccountName`
 * @created: (nullable): `Created`, UTC
 * @last_modified: (nullable): `LastModified`, UTC
 *
 * An Asset (ams-rest-v2.md §3.6). Reference counted; read-only.
 */
typedef struct
{
  char       *id;
  char       *name;
  char       *alternate_id;
  int         state;
  int         options;
  int         format_option;
  char       *uri;
  char       *storage_account_name;
  GDateTime  *created;
  GDateTime  *last_modified;
} JgRemoteAsset;

GType          jg_remote_asset_get_type      (void) G_GNUC_CONST;
JgRemoteAsset *jg_remote_asset_new_from_json (JsonObject     *object,
                                              GError        **error);
JgRemoteAsset *jg_remote_asset_ref           (JgRemoteAsset  *asset);
void           jg_remote_asset_unref         (JgRemoteAsset  *asset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRemoteAsset, jg_remote_asset_unref)

G_END_DECLS
