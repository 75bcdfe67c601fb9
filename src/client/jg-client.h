/* jg-client.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-account.h"
#include "jg-client-error.h"
#include "jg-core.h"
#include "jg-local-service.h"
#include "jg-keyring.h"
#include "jg-odata.h"
#include "jg-remote-asset.h"
#include "jg-remote-file.h"
#include "jg-remote-graph.h"
#include "jg-remote-job.h"
#include "jg-remote-processor.h"
#include "jg-remote-task.h"
#include "jg-remote-template.h"

G_BEGIN_DECLS

/**
 * JgCreateFlags:
 * @JG_CREATE_NONE: POST the job with its Tasks inline
 * @JG_CREATE_BATCH: send the job and its Tasks as an OData `$batch`
 *   changeset, as the .NET SDK did
 *
 * How jg_client_create_job_async() sends the job.
 */
typedef enum /*< flags >*/
{
  JG_CREATE_NONE = 0,
  JG_CREATE_BATCH = 1 << 0,
} JgCreateFlags;

/**
 * JgListOptions:
 * @filter: (nullable): an OData `$filter` expression, e.g. from
 *   jg_odata_dup_filter_eq()
 * @orderby: (nullable): an OData `$orderby` expression
 * @skip: how many entities to skip
 * @top: how many entities to return at most; 0 for all of them (the client
 *   pages past the service's 1,000-entity cap)
 *
 * Query options for the list operations.
 */
typedef struct
{
  const char *filter;
  const char *orderby;
  guint       skip;
  guint       top;
} JgListOptions;

/**
 * JgTransferProgressFunc:
 * @done: bytes sent or received so far
 * @total: bytes to transfer in all, or 0 when unknown
 * @user_data: the data given with the function
 *
 * Reports the progress of an upload or a download.
 */
typedef void (*JgTransferProgressFunc) (goffset  done,
                                        goffset  total,
                                        gpointer user_data);

#define JG_TYPE_CLIENT (jg_client_get_type ())

G_DECLARE_FINAL_TYPE (JgClient, jg_client, JG, CLIENT, GObject)

JgClient          *jg_client_new                           (JgAccount            *account);
JgAccount         *jg_client_get_account                   (JgClient             *self);
const char        *jg_client_get_base_uri                  (JgClient             *self);
void               jg_client_set_retry_policy              (JgClient             *self,
                                                            guint                 max_retries,
                                                            guint                 base_delay_ms,
                                                            guint                 max_delay_ms);
void               jg_client_set_timeout                   (JgClient             *self,
                                                            guint                 seconds);

/* Media processors */
void               jg_client_list_processors_async         (JgClient             *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_processors_finish        (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Assets */
void               jg_client_list_assets_async             (JgClient             *self,
                                                            const char           *name,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_assets_finish            (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_get_asset_async               (JgClient             *self,
                                                            const char           *asset_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteAsset     *jg_client_get_asset_finish              (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_create_asset_async            (JgClient             *self,
                                                            const char           *name,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteAsset     *jg_client_create_asset_finish           (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_delete_asset_async            (JgClient             *self,
                                                            const char           *asset_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           jg_client_delete_asset_finish           (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Asset files and transfers */
void               jg_client_upload_asset_async            (JgClient             *self,
                                                            GFile                *file,
                                                            const char           *asset_name,
                                                            JgTransferProgressFunc progress,
                                                            gpointer              progress_data,
                                                            GDestroyNotify        progress_destroy,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteAsset     *jg_client_upload_asset_finish           (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_upload_file_async             (JgClient             *self,
                                                            const char           *asset_id,
                                                            GFile                *file,
                                                            JgTransferProgressFunc progress,
                                                            gpointer              progress_data,
                                                            GDestroyNotify        progress_destroy,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteFile      *jg_client_upload_file_finish            (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_list_asset_files_async        (JgClient             *self,
                                                            const char           *asset_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_asset_files_finish       (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_download_asset_async          (JgClient             *self,
                                                            const char           *asset_id,
                                                            GFile                *dir,
                                                            JgTransferProgressFunc progress,
                                                            gpointer              progress_data,
                                                            GDestroyNotify        progress_destroy,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_download_asset_finish         (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Jobs */
void               jg_client_create_job_async              (JgClient             *self,
                                                            JgRestJob            *job,
                                                            JgCreateFlags         flags,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteJob       *jg_client_create_job_finish             (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_create_job_from_graph_async   (JgClient             *self,
                                                            JgGraph              *graph,
                                                            const char * const   *input_asset_ids,
                                                            JgCreateFlags         flags,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteJob       *jg_client_create_job_from_graph_finish  (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_create_job_from_template_async (JgClient            *self,
                                                            const char           *name,
                                                            const char           *template_id,
                                                            const char * const   *input_asset_ids,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteJob       *jg_client_create_job_from_template_finish (JgClient           *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_get_job_async                 (JgClient             *self,
                                                            const char           *job_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteJob       *jg_client_get_job_finish                (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_list_jobs_async               (JgClient             *self,
                                                            const JgListOptions  *options,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_jobs_finish              (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_list_job_tasks_async          (JgClient             *self,
                                                            const char           *job_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_job_tasks_finish         (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_list_job_output_assets_async  (JgClient             *self,
                                                            const char           *job_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_job_output_assets_finish (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_list_job_input_assets_async   (JgClient             *self,
                                                            const char           *job_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_job_input_assets_finish  (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_cancel_job_async              (JgClient             *self,
                                                            const char           *job_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           jg_client_cancel_job_finish             (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_delete_job_async              (JgClient             *self,
                                                            const char           *job_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           jg_client_delete_job_finish             (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* JobTemplates */
void               jg_client_create_template_async         (JgClient             *self,
                                                            JgRestJob            *template_,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteTemplate  *jg_client_create_template_finish        (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_create_template_from_graph_async (JgClient          *self,
                                                            JgGraph              *graph,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteTemplate  *jg_client_create_template_from_graph_finish (JgClient         *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_get_template_async            (JgClient             *self,
                                                            const char           *template_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
JgRemoteTemplate  *jg_client_get_template_finish           (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_list_templates_async          (JgClient             *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray         *jg_client_list_templates_finish         (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void               jg_client_delete_template_async         (JgClient             *self,
                                                            const char           *template_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           jg_client_delete_template_finish        (JgClient             *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
