/* jg-emulator-files.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-files"

#include "config.h"

#include "jg-emulator-files.h"

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
