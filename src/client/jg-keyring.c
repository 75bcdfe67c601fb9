/* jg-keyring.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-keyring"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "jg-keyring.h"

/* Account secrets in the desktop keyring (the freedesktop.org Secret
 * Service, through libsecret). An item has two string attributes: the
 * account name and the kind of secret, "acs" (an account key), "aad" (a
 * client secret) or "token" (a fixed bearer token). jobgraph-cli and the
 * app share this file, so both find what the other stored.
 *
 * Lookups ignore the schema name (SECRET_SCHEMA_DONT_MATCH_NAME), so that
 * an item stored by hand with
 *   secret-tool store --label=… account NAME kind acs
 * which carries no xdg:schema attribute, is found as well.
 *
 * Without libsecret at build time, nothing is ever found or stored, and
 * storing says so.
 */

#ifdef HAVE_LIBSECRET
static const SecretSchema account_schema = {
  JG_KEYRING_SCHEMA_NAME,
  SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};
#endif

/**
 * jg_keyring_kind_for_auth:
 *
 * Returns: the `kind` attribute of the secret an account of @auth_kind
 *   needs: "acs", "aad" or "token"
 */
const char *
jg_keyring_kind_for_auth (JgAuthKind auth_kind)
{
  switch (auth_kind)
    {
    case JG_AUTH_KIND_ACS:
      return "acs";
    case JG_AUTH_KIND_AAD:
      return "aad";
    case JG_AUTH_KIND_BEARER:
    default:
      return "token";
    }
}

/**
 * jg_keyring_is_available:
 *
 * Returns: whether this build can use a keyring at all
 */
gboolean
jg_keyring_is_available (void)
{
#ifdef HAVE_LIBSECRET
  return TRUE;
#else
  return FALSE;
#endif
}

#ifdef HAVE_LIBSECRET
static GHashTable *
build_attributes (const char *account,
                  const char *kind)
{
  if (kind == NULL)
    return secret_attributes_build (&account_schema, "account", account, NULL);

  return secret_attributes_build (&account_schema, "account", account, "kind", kind, NULL);
}

/* The first item's secret as a string. Not secret_password_lookup(): in
 * libsecret 0.20.5 it leaks the GetSecrets reply, secret and all, which
 * fails our LeakSanitizer runs; a search that loads secrets does the same
 * job without the leak.
 */
static char *
dup_first_secret (GList *items)
{
  g_autoptr(SecretValue) value = NULL;
  const char *data;
  gsize       length;

  if (items == NULL)
    return NULL;

  value = secret_item_get_secret (items->data);
  if (value == NULL)
    return NULL;

  data = secret_value_get (value, &length);
  if (length == 0)
    return NULL;

  return g_strndup (data, length);
}
#endif

#ifndef HAVE_LIBSECRET
static void
set_no_libsecret_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("This build cannot use the keyring"));
}
#endif

/**
 * jg_keyring_lookup_sync:
 * @account: the account name
 * @kind: "acs", "aad" or "token"
 * @error: return location for a #GError
 *
 * Looks the secret of @account up in the keyring, unlocking it if need be
 * (which may show the desktop's prompt). A keyring that cannot be reached
 * (no D-Bus session bus, no Secret Service) is an error, not a wait. For
 * command-line tools only: the app uses jg_keyring_lookup_async().
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   jg_keyring_free_secret(), or %NULL when there is none or on error
 */
char *
jg_keyring_lookup_sync (const char *account,
                        const char *kind,
                        GError    **error)
{
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

#ifdef HAVE_LIBSECRET
  {
    g_autoptr(GHashTable) attributes = build_attributes (account, kind);
    GList *items;
    char  *secret;

    /* The service proxy stays cached until exit, like the GLib
     * singletons; secret_service_disconnect() would leak more than it
     * frees.
     */
    items = secret_service_search_sync (NULL, &account_schema, attributes,
                                        SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS, NULL, error);
    secret = dup_first_secret (items);
    g_list_free_full (items, g_object_unref);

    return secret;
  }
#else
  return NULL;
#endif
}

static char *
dup_label (const char *account)
{
  /* Not translated: the label is shown by Passwords and Keys, whatever
   * language the app that stored it ran in.
   */
  return g_strdup_printf ("Jobgraph account %s", account);
}

/**
 * jg_keyring_store_sync:
 * @account: the account name
 * @kind: "acs", "aad" or "token"
 * @secret: the secret
 * @error: return location for a #GError
 *
 * Stores @secret in the default collection, replacing the item of
 * @account and @kind if there is one.
 *
 * Returns: whether the secret was stored
 */
gboolean
jg_keyring_store_sync (const char *account,
                       const char *kind,
                       const char *secret,
                       GError    **error)
{
  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

#ifdef HAVE_LIBSECRET
  {
    g_autofree char *label = dup_label (account);

    return secret_password_store_sync (&account_schema, SECRET_COLLECTION_DEFAULT, label, secret, NULL, error,
                                       "account", account, "kind", kind, NULL);
  }
#else
  set_no_libsecret_error (error);
  return FALSE;
#endif
}

#ifdef HAVE_LIBSECRET
static void
lookup_searched (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;
  char  *secret;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  secret = dup_first_secret (items);
  g_list_free_full (items, g_object_unref);
  g_task_return_pointer (task, secret, (GDestroyNotify)jg_keyring_free_secret);
}
#endif

/**
 * jg_keyring_lookup_async:
 * @account: the account name
 * @kind: "acs", "aad" or "token"
 *
 * Looks the secret of @account up without blocking. Finish with
 * jg_keyring_lookup_finish(): %NULL and no error means there is none.
 */
void
jg_keyring_lookup_async (const char         *account,
                         const char         *kind,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (account != NULL);
  g_return_if_fail (kind != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_keyring_lookup_async);

#ifdef HAVE_LIBSECRET
  {
    g_autoptr(GHashTable) attributes = build_attributes (account, kind);

    secret_service_search (NULL, &account_schema, attributes, SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                           cancellable, lookup_searched, g_steal_pointer (&task));
  }
#else
  g_task_return_pointer (task, NULL, NULL);
#endif
}

/**
 * jg_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   jg_keyring_free_secret(), or %NULL when there is none or on error
 */
char *
jg_keyring_lookup_finish (GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

#ifdef HAVE_LIBSECRET
static void
password_stored (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}
#endif

/**
 * jg_keyring_store_async:
 *
 * Stores @secret without blocking; see jg_keyring_store_sync().
 */
void
jg_keyring_store_async (const char         *account,
                        const char         *kind,
                        const char         *secret,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (account != NULL);
  g_return_if_fail (kind != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_keyring_store_async);

#ifdef HAVE_LIBSECRET
  {
    g_autofree char *label = dup_label (account);

    secret_password_store (&account_schema, SECRET_COLLECTION_DEFAULT, label, secret, cancellable, password_stored,
                           g_steal_pointer (&task), "account", account, "kind", kind, NULL);
  }
#else
  {
    GError *error = NULL;

    set_no_libsecret_error (&error);
    g_task_return_error (task, error);
  }
#endif
}

gboolean
jg_keyring_store_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

#ifdef HAVE_LIBSECRET
static void
password_cleared (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}
#endif

/**
 * jg_keyring_clear_async:
 * @account: the account name
 *
 * Removes every secret of @account, whatever its kind.
 */
void
jg_keyring_clear_async (const char         *account,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (account != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_keyring_clear_async);

#ifdef HAVE_LIBSECRET
  {
    g_autoptr(GHashTable) attributes = build_attributes (account, NULL);

    secret_password_clearv (&account_schema, attributes, cancellable, password_cleared, g_steal_pointer (&task));
  }
#else
  g_task_return_boolean (task, TRUE);
#endif
}

gboolean
jg_keyring_clear_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * jg_keyring_free_secret:
 * @secret: (nullable): a secret
 *
 * Overwrites @secret with zeros, then frees it.
 */
void
jg_keyring_free_secret (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
