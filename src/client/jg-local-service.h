/* jg-local-service.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-account.h"

G_BEGIN_DECLS

/**
 * JgLocalServiceState:
 * @JG_LOCAL_SERVICE_STATE_STOPPED: no local service runs
 * @JG_LOCAL_SERVICE_STATE_STARTING: the child was started and has not said
 *   where it listens yet
 * @JG_LOCAL_SERVICE_STATE_RUNNING: the service answers on
 *   jg_local_service_get_uri()
 * @JG_LOCAL_SERVICE_STATE_FAILED: it did not start, or it stopped on its
 *   own; jg_local_service_get_error_message() says why
 *
 * The life cycle of the `jobgraph-emulator` child process.
 */
typedef enum
{
  JG_LOCAL_SERVICE_STATE_STOPPED,
  JG_LOCAL_SERVICE_STATE_STARTING,
  JG_LOCAL_SERVICE_STATE_RUNNING,
  JG_LOCAL_SERVICE_STATE_FAILED,
} JgLocalServiceState;

#define JG_LOCAL_SERVICE_DEFAULT_START_TIMEOUT 15

#define JG_TYPE_LOCAL_SERVICE (jg_local_service_get_type ())

G_DECLARE_FINAL_TYPE (JgLocalService, jg_local_service, JG, LOCAL_SERVICE, GObject)

JgLocalService      *jg_local_service_new                (const char           *emulator_path,
                                                          GFile                *data_dir);
const char          *jg_local_service_get_emulator_path  (JgLocalService       *self);
GFile               *jg_local_service_get_data_dir       (JgLocalService       *self);
guint                jg_local_service_get_start_timeout  (JgLocalService       *self);
void                 jg_local_service_set_start_timeout  (JgLocalService       *self,
                                                          guint                 seconds);
JgLocalServiceState  jg_local_service_get_state          (JgLocalService       *self);
const char          *jg_local_service_get_uri            (JgLocalService       *self);
const char          *jg_local_service_get_error_message  (JgLocalService       *self);
GPid                 jg_local_service_get_pid            (JgLocalService       *self);
JgAccount           *jg_local_service_dup_account        (JgLocalService       *self);
void                 jg_local_service_start_async        (JgLocalService       *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean             jg_local_service_start_finish       (JgLocalService       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                 jg_local_service_stop_async         (JgLocalService       *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean             jg_local_service_stop_finish        (JgLocalService       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                 jg_local_service_stop               (JgLocalService       *self);

G_END_DECLS
