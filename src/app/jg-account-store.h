/* jg-account-store.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-client.h"

G_BEGIN_DECLS

/* The name of the built-in Local service account, as in the
 * default-account setting.
 */
#define JG_ACCOUNT_STORE_LOCAL ""

#define JG_ACCOUNT_STORE_ERROR (jg_account_store_error_quark ())

typedef enum
{
  JG_ACCOUNT_STORE_ERROR_INVALID,
  JG_ACCOUNT_STORE_ERROR_EXISTS,
  JG_ACCOUNT_STORE_ERROR_NOT_FOUND,
  JG_ACCOUNT_STORE_ERROR_NO_SECRET,
} JgAccountStoreError;

#define JG_TYPE_ACCOUNT_STORE (jg_account_store_get_type ())

G_DECLARE_FINAL_TYPE (JgAccountStore, jg_account_store, JG, ACCOUNT_STORE, GObject)

GQuark          jg_account_store_error_quark           (void);
JgAccountStore *jg_account_store_new                   (GSettings            *settings,
                                                        JgLocalService       *local_service);
JgLocalService *jg_account_store_get_local_service     (JgAccountStore       *self);
void            jg_account_store_start_local_service_async (JgAccountStore   *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean        jg_account_store_start_local_service_finish (JgAccountStore  *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
JgAccount      *jg_account_store_lookup                (JgAccountStore       *self,
                                                        const char           *name);
gboolean        jg_account_store_is_local              (JgAccount            *account);
char           *jg_account_dup_title                   (JgAccount            *account);
const char     *jg_account_store_get_default_name      (JgAccountStore       *self);
void            jg_account_store_set_default_name      (JgAccountStore       *self,
                                                        const char           *name);
gboolean        jg_account_store_save                  (JgAccountStore       *self,
                                                        const char           *old_name,
                                                        JgAccount            *account,
                                                        GError              **error);
void            jg_account_store_remove                (JgAccountStore       *self,
                                                        const char           *name);
void            jg_account_store_store_secret_async    (JgAccountStore       *self,
                                                        const char           *name,
                                                        const char           *secret,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean        jg_account_store_store_secret_finish   (JgAccountStore       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void            jg_account_store_keep_secret_for_session (JgAccountStore     *self,
                                                        const char           *name,
                                                        const char           *secret);
gboolean        jg_account_store_has_session_secret    (JgAccountStore       *self,
                                                        const char           *name);
void            jg_account_store_dup_client_async      (JgAccountStore       *self,
                                                        const char           *name,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
JgClient       *jg_account_store_dup_client_finish     (JgAccountStore       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void            jg_account_store_test_async            (JgAccountStore       *self,
                                                        JgAccount            *account,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
char           *jg_account_store_test_finish           (JgAccountStore       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void            jg_account_store_shutdown              (JgAccountStore       *self);

G_END_DECLS
