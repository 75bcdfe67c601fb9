/* jg-asset-picker.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "jg-client.h"

G_BEGIN_DECLS

/* The account's assets in a searchable list, in name order, with their
 * creation dates; one or several of them selected. Setting a client loads
 * every asset in the background (the client pages past the service's
 * 1,000-asset cap) and fills the list a slice at a time, so a large
 * account never freezes the window. While loading it shows a spinner and
 * how many assets it has so far; with none, a "No Assets" page; on an
 * error, the message and a Retry button.
 *
 * "Add Asset…" uploads a file as a new asset, with its progress and a
 * Cancel button in the footer; the new asset is then listed and selected.
 *
 * Properties: "client" (JgClient, read-write), "multiple" (gboolean,
 * construct-only), "loading" and "uploading" (gboolean, read-only),
 * "n-assets" and "n-selected" (guint, read-only).
 * Signal: ::asset-activated (JgAssetPicker *, JgRemoteAsset *): a
 * double-click or Enter on a row.
 */

#define JG_TYPE_ASSET_PICKER (jg_asset_picker_get_type ())

G_DECLARE_FINAL_TYPE (JgAssetPicker, jg_asset_picker, JG, ASSET_PICKER, GtkWidget)

GtkWidget *jg_asset_picker_new            (gboolean        multiple);
JgClient  *jg_asset_picker_get_client     (JgAssetPicker  *self);
void       jg_asset_picker_set_client     (JgAssetPicker  *self,
                                           JgClient       *client);
gboolean   jg_asset_picker_get_multiple   (JgAssetPicker  *self);
gboolean   jg_asset_picker_get_loading    (JgAssetPicker  *self);
guint      jg_asset_picker_get_n_assets   (JgAssetPicker  *self);
guint      jg_asset_picker_get_n_selected (JgAssetPicker  *self);
void       jg_asset_picker_reload         (JgAssetPicker  *self);
void       jg_asset_picker_set_search     (JgAssetPicker  *self,
                                           const char     *text);
void       jg_asset_picker_select         (JgAssetPicker  *self,
                                           const char     *asset_id);
void       jg_asset_picker_select_all     (JgAssetPicker  *self);
GPtrArray *jg_asset_picker_dup_selected   (JgAssetPicker  *self);
void       jg_asset_picker_upload_file    (JgAssetPicker  *self,
                                           GFile          *file);
gboolean   jg_asset_picker_get_uploading  (JgAssetPicker  *self);
void       jg_asset_picker_cancel_upload  (JgAssetPicker  *self);
char      *jg_asset_picker_dup_upload_error (JgAssetPicker *self);

G_END_DECLS
