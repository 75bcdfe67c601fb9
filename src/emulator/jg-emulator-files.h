/* jg-emulator-files.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-emulator-store.h"

G_BEGIN_DECLS

/* The files of assets (the v2 API's AssetFile entities) and where their
 * bytes live on disk. An asset's own files are kept in
 * DATA_DIR/blobs/<the asset id's GUID>/<file name>; files seeded from
 * DATA_DIR/assets/ stay where they are. The store keeps each File's path
 * relative to DATA_DIR.
 */

typedef struct
{
  char    *name;       /* the file name inside the asset, no folders */
  gint64   size;       /* bytes */
  char    *mime_type;  /* e.g. "video/mp4", "image/jpeg" */
  gboolean is_primary;
} JgEmulatorFileInfo;

JgEmulatorFileInfo *jg_emulator_file_info_new         (const char          *name,
                                                       gint64               size,
                                                       const char          *mime_type,
                                                       gboolean             is_primary);
void                jg_emulator_file_info_free        (JgEmulatorFileInfo  *info);

gboolean            jg_emulator_files_check_name (const char *name,
                                                  GError    **error);
char               *jg_emulator_files_dup_guid (const char *asset_id);
char               *jg_emulator_files_dup_asset_dir   (const char          *data_dir,
                                                       const char          *asset_id);
char               *jg_emulator_files_dup_input_path  (JgEmulatorStore     *store,
                                                       const char          *data_dir,
                                                       const char          *asset_id,
                                                       GError             **error);
gboolean            jg_emulator_files_replace         (JgEmulatorStore     *store,
                                                       const char          *data_dir,
                                                       const char          *asset_id,
                                                       GPtrArray           *files,
                                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgEmulatorFileInfo, jg_emulator_file_info_free)

G_END_DECLS
