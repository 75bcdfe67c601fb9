/* jg-account.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define JG_DEFAULT_RESOURCE      "https://rest.media.azure.net"
#define JG_ACCOUNT_EMULATOR_NAME "local"
#define JG_ACCOUNT_EMULATOR_KEY  "jobgraph-local-key"

/**
 * JgAuthKind:
 * @JG_AUTH_KIND_ACS: Access Control Service: the account name and key are
 *   posted to `…/v2/OAuth2-13` for a token (ams-rest-v2.md §1.1)
 * @JG_AUTH_KIND_AAD: Azure AD client credentials: client id and secret are
 *   posted to `https://login…/{tenant}/oauth2/token` (§1.2)
 * @JG_AUTH_KIND_BEARER: a fixed bearer token, never refreshed
 *
 * How the client gets its bearer token.
 */
typedef enum
{
  JG_AUTH_KIND_ACS,
  JG_AUTH_KIND_AAD,
  JG_AUTH_KIND_BEARER,
} JgAuthKind;

#define JG_TYPE_ACCOUNT (jg_account_get_type ())

G_DECLARE_FINAL_TYPE (JgAccount, jg_account, JG, ACCOUNT, GObject)

JgAccount  *jg_account_new                (JgAuthKind   auth_kind,
                                           const char  *endpoint);
JgAccount  *jg_account_new_for_emulator   (const char  *root_uri,
                                           const char  *account,
                                           const char  *key);
const char *jg_account_get_name           (JgAccount   *self);
void        jg_account_set_name           (JgAccount   *self,
                                           const char  *name);
const char *jg_account_get_endpoint       (JgAccount   *self);
void        jg_account_set_endpoint       (JgAccount   *self,
                                           const char  *endpoint);
const char *jg_account_get_api_version    (JgAccount   *self);
void        jg_account_set_api_version    (JgAccount   *self,
                                           const char  *api_version);
JgAuthKind  jg_account_get_auth_kind      (JgAccount   *self);
void        jg_account_set_auth_kind      (JgAccount   *self,
                                           JgAuthKind   auth_kind);
const char *jg_account_get_token_uri      (JgAccount   *self);
void        jg_account_set_token_uri      (JgAccount   *self,
                                           const char  *token_uri);
const char *jg_account_get_client_id      (JgAccount   *self);
void        jg_account_set_client_id      (JgAccount   *self,
                                           const char  *client_id);
const char *jg_account_get_resource       (JgAccount   *self);
void        jg_account_set_resource       (JgAccount   *self,
                                           const char  *resource);
const char *jg_account_get_secret         (JgAccount   *self);
void        jg_account_set_secret         (JgAccount   *self,
                                           const char  *secret);
gboolean    jg_account_has_secret         (JgAccount   *self);
char       *jg_account_dup_api_base       (JgAccount   *self);

G_END_DECLS
