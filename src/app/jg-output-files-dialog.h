/* jg-output-files-dialog.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "jg-client.h"

G_BEGIN_DECLS

/* The files of a job's output assets: a group per asset with each file's
 * name, size and type, "Open Folder" for the Local service (whose blobs
 * live in DATA_DIR/blobs/<asset GUID>) and "Download…" for any account,
 * with a progress bar and Cancel while a download runs.
 *
 * Properties: "loading" and "downloading" (gboolean, read-only).
 */

#define JG_TYPE_OUTPUT_FILES_DIALOG (jg_output_files_dialog_get_type ())

G_DECLARE_FINAL_TYPE (JgOutputFilesDialog, jg_output_files_dialog, JG, OUTPUT_FILES_DIALOG, AdwWindow)

GtkWidget *jg_output_files_dialog_new             (GtkWindow           *parent,
                                                   JgClient            *client,
                                                   const char          *job_id,
                                                   const char          *job_title,
                                                   GFile               *local_data_dir);
gboolean   jg_output_files_dialog_get_loading     (JgOutputFilesDialog *self);
gboolean   jg_output_files_dialog_get_downloading (JgOutputFilesDialog *self);
guint      jg_output_files_dialog_get_n_assets    (JgOutputFilesDialog *self);
guint      jg_output_files_dialog_get_n_files     (JgOutputFilesDialog *self);
GFile     *jg_output_files_dialog_dup_folder      (JgOutputFilesDialog *self,
                                                   const char          *asset_id);
void       jg_output_files_dialog_download        (JgOutputFilesDialog *self,
                                                   const char          *asset_id,
                                                   GFile               *dir);
void       jg_output_files_dialog_cancel_download (JgOutputFilesDialog *self);

G_END_DECLS
