/* jg-remote-file.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_TYPE_REMOTE_FILE (jg_remote_file_get_type ())

/**
 * JgRemoteFile:
 * @id: `nb:cid:UUID:…`
 * @name: `Name`, the blob's name in the asset's container
 * @size: `ContentFileSize` in bytes (a string in verbose JSON), or -1 when
 *   the service did not say
 * @mime_type: (nullable): `MimeType`
 * @is_primary: `IsPrimary`
 * @parent_asset_id: (nullable): `ParentAssetId`
 * @created: (nullable): `Created`, UTC
 * @last_modified: (nullable): `LastModified`, UTC
 *
 * A File of an asset (AssetFile, assets-protocol.md). Reference counted;
 * read-only.
 */
typedef struct
{
  char      *id;
  char      *name;
  gint64     size;
  char      *mime_type;
  gboolean   is_primary;
  char      *parent_asset_id;
  GDateTime *created;
  GDateTime *last_modified;
} JgRemoteFile;

GType         jg_remote_file_get_type      (void) G_GNUC_CONST;
JgRemoteFile *jg_remote_file_new_from_json (JsonObject    *object,
                                            GError       **error);
JgRemoteFile *jg_remote_file_ref           (JgRemoteFile  *file);
void          jg_remote_file_unref         (JgRemoteFile  *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRemoteFile, jg_remote_file_unref)

G_END_DECLS
