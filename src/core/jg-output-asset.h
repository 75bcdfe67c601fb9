/* jg-output-asset.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_TYPE_OUTPUT_ASSET (jg_output_asset_get_type ())

G_DECLARE_FINAL_TYPE (JgOutputAsset, jg_output_asset, JG, OUTPUT_ASSET, GObject)

JgOutputAsset *jg_output_asset_new                      (void);
const char    *jg_output_asset_get_asset_name           (JgOutputAsset *self);
void           jg_output_asset_set_asset_name           (JgOutputAsset *self,
                                                         const char    *asset_name);
const char    *jg_output_asset_get_storage_account_name (JgOutputAsset *self);
void           jg_output_asset_set_storage_account_name (JgOutputAsset *self,
                                                         const char    *name);
int            jg_output_asset_get_creation_options     (JgOutputAsset *self);
void           jg_output_asset_set_creation_options     (JgOutputAsset *self,
                                                         int            options);
int            jg_output_asset_get_format_option        (JgOutputAsset *self);
void           jg_output_asset_set_format_option        (JgOutputAsset *self,
                                                         int            option);
int            jg_output_asset_get_index                (JgOutputAsset *self);
guint          jg_output_asset_get_n_writers            (JgOutputAsset *self);

G_END_DECLS
