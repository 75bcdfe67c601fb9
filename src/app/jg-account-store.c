/* jg-account-store.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-account-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "jg-account-store.h"
#include "jg-keyring.h"

/* The accounts the app can submit to, as a GListModel of JgAccount: the
 * built-in Local service first (name JG_ACCOUNT_STORE_LOCAL, its endpoint
 * filled in while the service runs), then the user's accounts from the
 * `accounts` setting, in its order.
 *
 * No JgAccount of the list ever holds a secret. A client is made from a
 * copy that does: the secret comes from this session's memory ("keep for
 * this session", when the keyring cannot be reached) or from the keyring,
 * looked up asynchronously each time a client is made, then cached with
 * the client so the token is reused.
 *
 * The Local service is jobgraph-emulator run by JgLocalService: started
 * the first time a client for it is asked for, stopped by
 * jg_account_store_shutdown() when the app quits.
 */

struct _JgAccountStore
{
  GObject         parent_instance;

  GSettings      *settings;
  JgLocalService *local_service;

  /* JgAccount, the local one first */
  GPtrArray      *accounts;
  /* account name → JgClient */
  GHashTable     *clients;
  /* account name → secret, wiped on removal */
  GHashTable     *session_secrets;
  char           *default_name;
  /* Where the samples come from; NULL for none (the tests' stores) */
  GFile          *samples_dir;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JgAccountStore, jg_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (jg-account-store-error-quark, jg_account_store_error)

enum
{
  PROP_0,
  PROP_DEFAULT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const auth_names[] = {
  [JG_AUTH_KIND_ACS] = "acs",
  [JG_AUTH_KIND_AAD] = "aad",
  [JG_AUTH_KIND_BEARER] = "bearer",
};

static GType
jg_account_store_get_item_type (GListModel *model)
{
  return JG_TYPE_ACCOUNT;
}

static guint
jg_account_store_get_n_items (GListModel *model)
{
  return JG_ACCOUNT_STORE (model)->accounts->len;
}

static gpointer
jg_account_store_get_item (GListModel *model,
                           guint       position)
{
  JgAccountStore *self = JG_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = jg_account_store_get_item_type;
  iface->get_n_items = jg_account_store_get_n_items;
  iface->get_item = jg_account_store_get_item;
}

static void
wipe_secret (gpointer data)
{
  jg_keyring_free_secret (data);
}

static JgAccount *
copy_account (JgAccount *account)
{
  JgAccount *copy = jg_account_new (jg_account_get_auth_kind (account), jg_account_get_endpoint (account));

  jg_account_set_name (copy, jg_account_get_name (account));
  jg_account_set_api_version (copy, jg_account_get_api_version (account));
  jg_account_set_token_uri (copy, jg_account_get_token_uri (account));
  jg_account_set_client_id (copy, jg_account_get_client_id (account));
  jg_account_set_resource (copy, jg_account_get_resource (account));

  return copy;
}

static JgAccount *
account_from_tuple (const char *name,
                    const char *endpoint,
                    const char *api_version,
                    const char *auth,
                    const char *token_uri,
                    const char *client_id,
                    const char *resource)
{
  JgAuthKind kind = JG_AUTH_KIND_ACS;
  JgAccount *account;

  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    if (g_strcmp0 (auth, auth_names[i]) == 0)
      kind = i;

  account = jg_account_new (kind, endpoint);
  jg_account_set_name (account, name);
  if (*api_version != '\0')
    jg_account_set_api_version (account, api_version);
  jg_account_set_token_uri (account, *token_uri != '\0' ? token_uri : NULL);
  jg_account_set_client_id (account, *client_id != '\0' ? client_id : NULL);
  if (*resource != '\0')
    jg_account_set_resource (account, resource);

  return account;
}

static JgAccount *
get_local_account (JgAccountStore *self)
{
  return g_ptr_array_index (self->accounts, 0);
}

static gboolean
is_not_local_client (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  return g_strcmp0 (key, JG_ACCOUNT_STORE_LOCAL) != 0;
}

/* Replaces the user's accounts with those of the setting. Cached clients
 * go: the account they were made for may have changed.
 */
static void
reload_accounts (JgAccountStore *self)
{
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  const char  *name, *endpoint, *api_version, *auth, *token_uri, *client_id, *resource;
  guint        n_removed;

  if (self->settings != NULL)
    {
      value = g_settings_get_value (self->settings, "accounts");
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "(&s&s&s&s&s&s&s)", &name, &endpoint, &api_version, &auth, &token_uri,
                                  &client_id, &resource))
        {
          if (*name == '\0')
            continue;
          g_ptr_array_add (loaded, account_from_tuple (name, endpoint, api_version, auth, token_uri, client_id,
                                                       resource));
        }
    }

  n_removed = self->accounts->len - 1;
  g_ptr_array_remove_range (self->accounts, 1, n_removed);
  for (guint i = 0; i < loaded->len; i++)
    g_ptr_array_add (self->accounts, g_object_ref (g_ptr_array_index (loaded, i)));

  g_hash_table_foreach_remove (self->clients, is_not_local_client, NULL);

  g_list_model_items_changed (G_LIST_MODEL (self), 1, n_removed, loaded->len);
}

/* Writes the user's accounts (never a secret) to the setting. */
static void
write_accounts (JgAccountStore *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssssss)"));
  for (guint i = 1; i < self->accounts->len; i++)
    {
      JgAccount *account = g_ptr_array_index (self->accounts, i);
      const char *token_uri = jg_account_get_token_uri (account);
      const char *client_id = jg_account_get_client_id (account);

      g_variant_builder_add (&builder, "(sssssss)",
                             jg_account_get_name (account),
                             jg_account_get_endpoint (account),
                             jg_account_get_api_version (account),
                             auth_names[jg_account_get_auth_kind (account)],
                             token_uri != NULL ? token_uri : "",
                             client_id != NULL ? client_id : "",
                             jg_account_get_resource (account));
    }

  if (self->settings != NULL)
    {
      g_signal_handlers_block_by_func (self->settings, reload_accounts, self);
      g_settings_set_value (self->settings, "accounts", g_variant_builder_end (&builder));
      g_signal_handlers_unblock_by_func (self->settings, reload_accounts, self);
    }
  else
    g_variant_builder_clear (&builder);
}

static void
on_local_service_changed (JgAccountStore *self)
{
  JgAccount  *local = get_local_account (self);
  const char *uri = jg_local_service_get_uri (self->local_service);
  JgClient   *cached;

  if (jg_local_service_get_state (self->local_service) == JG_LOCAL_SERVICE_STATE_RUNNING && uri != NULL)
    {
      g_autofree char *endpoint = g_strconcat (uri, g_str_has_suffix (uri, "/") ? "" : "/", "api/", NULL);

      jg_account_set_endpoint (local, endpoint);
    }
  else
    jg_account_set_endpoint (local, NULL);

  /* Each run of the service has its own port and key. */
  cached = g_hash_table_lookup (self->clients, JG_ACCOUNT_STORE_LOCAL);
  if (cached != NULL && g_strcmp0 (jg_account_get_endpoint (jg_client_get_account (cached)),
                                   jg_account_get_endpoint (local)) != 0)
    g_hash_table_remove (self->clients, JG_ACCOUNT_STORE_LOCAL);
}

static void
on_default_account_changed (JgAccountStore *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "default-account");

  if (g_strcmp0 (name, self->default_name) == 0)
    return;

  g_free (self->default_name);
  self->default_name = g_steal_pointer (&name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_NAME]);
}

static void
jg_account_store_dispose (GObject *object)
{
  JgAccountStore *self = (JgAccountStore *)object;

  if (self->local_service != NULL)
    g_signal_handlers_disconnect_by_data (self->local_service, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  g_clear_object (&self->local_service);
  g_clear_object (&self->settings);
  g_clear_object (&self->samples_dir);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->session_secrets, g_hash_table_unref);

  G_OBJECT_CLASS (jg_account_store_parent_class)->dispose (object);
}

static void
jg_account_store_finalize (GObject *object)
{
  JgAccountStore *self = (JgAccountStore *)object;

  g_ptr_array_unref (self->accounts);
  g_free (self->default_name);

  G_OBJECT_CLASS (jg_account_store_parent_class)->finalize (object);
}

static void
jg_account_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JgAccountStore *self = JG_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_DEFAULT_NAME:
      g_value_set_string (value, jg_account_store_get_default_name (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_account_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JgAccountStore *self = JG_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_DEFAULT_NAME:
      jg_account_store_set_default_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_account_store_class_init (JgAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_account_store_dispose;
  object_class->finalize = jg_account_store_finalize;
  object_class->get_property = jg_account_store_get_property;
  object_class->set_property = jg_account_store_set_property;

  /**
   * JgAccountStore:default-name:
   *
   * The account jobs are submitted to unless the user picks another;
   * JG_ACCOUNT_STORE_LOCAL for the Local service.
   */
  properties[PROP_DEFAULT_NAME] =
    g_param_spec_string ("default-name", NULL, NULL,
                         JG_ACCOUNT_STORE_LOCAL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_account_store_init (JgAccountStore *self)
{
  JgAccount *local = jg_account_new (JG_AUTH_KIND_ACS, "");

  jg_account_set_name (local, JG_ACCOUNT_STORE_LOCAL);
  jg_account_set_endpoint (local, NULL);

  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->accounts, local);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->session_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_secret);
  self->default_name = g_strdup (JG_ACCOUNT_STORE_LOCAL);
}

/* Installed samples, or JOBGRAPH_SAMPLES_DIR (build-aux/dev run points it
 * at the source tree's data/samples).
 */
static GFile *
dup_default_samples_dir (void)
{
  const char *dir = g_getenv ("JOBGRAPH_SAMPLES_DIR");

  if (dir != NULL && *dir != '\0')
    return g_file_new_for_path (dir);

  return g_file_new_build_filename (PKGDATADIR, "samples", NULL);
}

static GFile *
dup_default_data_dir (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "jobgraph", "local-service", NULL);
}

/**
 * jg_account_store_new:
 * @settings: (nullable): settings of the `io.github.jobgraph.Jobgraph`
 *   schema, or %NULL to keep accounts in memory only
 * @local_service: (nullable): the Local service, or %NULL for
 *   jobgraph-emulator with its data under the user's data directory
 *
 * Returns: (transfer full): a new store
 */
JgAccountStore *
jg_account_store_new (GSettings      *settings,
                      JgLocalService *local_service)
{
  JgAccountStore *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (local_service == NULL || JG_IS_LOCAL_SERVICE (local_service), NULL);

  self = g_object_new (JG_TYPE_ACCOUNT_STORE, NULL);

  if (local_service != NULL)
    self->local_service = g_object_ref (local_service);
  else
    {
      g_autoptr(GFile) data_dir = dup_default_data_dir ();

      self->local_service = jg_local_service_new (NULL, data_dir);
      self->samples_dir = dup_default_samples_dir ();
    }
  g_signal_connect_swapped (self->local_service, "notify::state", G_CALLBACK (on_local_service_changed), self);
  g_signal_connect_swapped (self->local_service, "notify::uri", G_CALLBACK (on_local_service_changed), self);
  on_local_service_changed (self);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_swapped (settings, "changed::accounts", G_CALLBACK (reload_accounts), self);
      g_signal_connect_swapped (settings, "changed::default-account", G_CALLBACK (on_default_account_changed),
                                self);
      reload_accounts (self);
      on_default_account_changed (self);
    }

  return self;
}

JgLocalService *
jg_account_store_get_local_service (JgAccountStore *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (self), NULL);

  return self->local_service;
}

static int
find_account (JgAccountStore *self,
              const char     *name)
{
  for (guint i = 0; i < self->accounts->len; i++)
    if (g_strcmp0 (jg_account_get_name (g_ptr_array_index (self->accounts, i)), name) == 0)
      return (int)i;

  return -1;
}

/**
 * jg_account_store_lookup:
 * @name: an account name, JG_ACCOUNT_STORE_LOCAL for the Local service
 *
 * Returns: (transfer none) (nullable): the account, without its secret
 */
JgAccount *
jg_account_store_lookup (JgAccountStore *self,
                         const char     *name)
{
  int position;

  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  position = find_account (self, name);

  return position >= 0 ? g_ptr_array_index (self->accounts, position) : NULL;
}

/**
 * jg_account_store_is_local:
 *
 * Returns: whether @account is the built-in Local service
 */
gboolean
jg_account_store_is_local (JgAccount *account)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (account), FALSE);

  return g_strcmp0 (jg_account_get_name (account), JG_ACCOUNT_STORE_LOCAL) == 0;
}

/**
 * jg_account_dup_title:
 *
 * Returns: (transfer full): the name to show for @account
 */
char *
jg_account_dup_title (JgAccount *account)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (account), NULL);

  if (jg_account_store_is_local (account))
    return g_strdup (_("Local service"));

  return g_strdup (jg_account_get_name (account));
}

const char *
jg_account_store_get_default_name (JgAccountStore *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (self), NULL);

  /* An account removed elsewhere falls back to the Local service. */
  if (find_account (self, self->default_name) < 0)
    return JG_ACCOUNT_STORE_LOCAL;

  return self->default_name;
}

void
jg_account_store_set_default_name (JgAccountStore *self,
                                   const char     *name)
{
  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));

  if (name == NULL)
    name = JG_ACCOUNT_STORE_LOCAL;

  if (g_strcmp0 (name, self->default_name) == 0)
    return;

  g_free (self->default_name);
  self->default_name = g_strdup (name);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "default-account", name);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_NAME]);
}

static gboolean
check_http_uri (const char *uri,
                const char *what,
                GError    **error)
{
  const char *scheme;

  if (uri == NULL || *uri == '\0')
    {
      /* Translators: %s is the name of a field, such as “Endpoint” */
      g_set_error (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_INVALID, _("%s is missing"), what);
      return FALSE;
    }

  scheme = g_uri_peek_scheme (uri);
  if (!g_uri_is_valid (uri, G_URI_FLAGS_NONE, NULL) ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      /* Translators: the first %s is the name of a field, the second what the user typed */
      g_set_error (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_INVALID,
                   _("%s “%s” is not an http:// or https:// address"), what, uri);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_account (JgAccount *account,
               GError   **error)
{
  const char *name = jg_account_get_name (account);
  const char *api_version = jg_account_get_api_version (account);
  JgAuthKind  kind = jg_account_get_auth_kind (account);

  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (*stripped == '\0' || g_strcmp0 (stripped, name) != 0)
    {
      g_set_error_literal (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_INVALID,
                           _("The account needs a name, without spaces at either end"));
      return FALSE;
    }

  if (!check_http_uri (jg_account_get_endpoint (account), _("Endpoint"), error))
    return FALSE;

  if (api_version == NULL || !g_regex_match_simple ("^2\\.[0-9]{1,2}$", api_version, 0, 0))
    {
      g_set_error (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_INVALID,
                   _("API version “%s” is not a Media Services v2 version such as 2.19"),
                   api_version != NULL ? api_version : "");
      return FALSE;
    }

  if (kind != JG_AUTH_KIND_BEARER)
    {
      const char *client_id = jg_account_get_client_id (account);

      if (!check_http_uri (jg_account_get_token_uri (account), _("Token endpoint"), error))
        return FALSE;

      if (client_id == NULL || *client_id == '\0')
        {
          g_set_error_literal (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_INVALID,
                               kind == JG_AUTH_KIND_ACS ? _("The account name for the token endpoint is missing")
                                                        : _("The client ID is missing"));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * jg_account_store_save:
 * @old_name: (nullable): the name of the account @account replaces, or
 *   %NULL to add @account
 * @account: the account, its name set; its secret, if any, is ignored
 *
 * Checks @account and writes the list to the settings. An account keeps
 * its name: the keyring item is found by it.
 *
 * Returns: whether @account was saved
 */
gboolean
jg_account_store_save (JgAccountStore *self,
                       const char     *old_name,
                       JgAccount      *account,
                       GError        **error)
{
  const char *name;
  int         existing;

  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (JG_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_account (account, error))
    return FALSE;

  name = jg_account_get_name (account);
  if (old_name != NULL && g_strcmp0 (old_name, name) != 0)
    {
      g_set_error_literal (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_INVALID,
                           _("An account cannot be renamed: add a new one instead"));
      return FALSE;
    }

  existing = find_account (self, name);
  if (existing == 0 || (old_name == NULL && existing > 0))
    {
      g_set_error (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_EXISTS,
                   _("There is already an account named “%s”"), name);
      return FALSE;
    }

  if (old_name != NULL && existing < 0)
    {
      g_set_error (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_NOT_FOUND,
                   _("There is no account named “%s”"), old_name);
      return FALSE;
    }

  g_hash_table_remove (self->clients, name);

  if (existing > 0)
    {
      JgAccount *replaced = g_ptr_array_index (self->accounts, existing);

      g_ptr_array_index (self->accounts, existing) = copy_account (account);
      g_object_unref (replaced);
    }
  else
    g_ptr_array_add (self->accounts, copy_account (account));

  write_accounts (self);

  if (existing > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), existing, 1, 1);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);

  return TRUE;
}

static void
keyring_cleared (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = user_data;

  /* The account is gone from the list either way. Without a reachable
   * keyring (the usual reason for this to fail) there is nothing left
   * behind to warn about, so this is only a message; it names the
   * account, never the secret.
   */
  if (!jg_keyring_clear_finish (result, &error))
    g_message ("Could not remove the secret of account “%s” from the keyring: %s", name, error->message);
}

/**
 * jg_account_store_remove:
 * @name: the name of an account of the user
 *
 * Removes the account, its cached client, its session secret and, in the
 * background, its secret in the keyring.
 */
void
jg_account_store_remove (JgAccountStore *self,
                         const char     *name)
{
  int position;

  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));
  g_return_if_fail (name != NULL);

  position = find_account (self, name);
  if (position <= 0)
    return;

  g_hash_table_remove (self->clients, name);
  g_hash_table_remove (self->session_secrets, name);
  jg_keyring_clear_async (name, NULL, keyring_cleared, g_strdup (name));

  g_ptr_array_remove_index (self->accounts, position);
  write_accounts (self);

  if (g_strcmp0 (self->default_name, name) == 0)
    jg_account_store_set_default_name (self, JG_ACCOUNT_STORE_LOCAL);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

static void
secret_stored (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!jg_keyring_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * jg_account_store_store_secret_async:
 * @name: the name of a saved account
 * @secret: its account key, client secret or token
 *
 * Stores @secret in the keyring for the account's kind of credentials.
 * When that fails (no keyring), the caller may offer
 * jg_account_store_keep_secret_for_session().
 */
void
jg_account_store_store_secret_async (JgAccountStore     *self,
                                     const char         *name,
                                     const char         *secret,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  JgAccount *account;

  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_account_store_store_secret_async);

  account = jg_account_store_lookup (self, name);
  if (account == NULL || jg_account_store_is_local (account))
    {
      g_task_return_new_error (task, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_NOT_FOUND,
                               _("There is no account named “%s”"), name);
      return;
    }

  /* The next client is made with the new secret. */
  g_hash_table_remove (self->clients, name);
  g_hash_table_remove (self->session_secrets, name);

  jg_keyring_store_async (name, jg_keyring_kind_for_auth (jg_account_get_auth_kind (account)), secret, cancellable,
                          secret_stored, g_steal_pointer (&task));
}

gboolean
jg_account_store_store_secret_finish (JgAccountStore *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * jg_account_store_keep_secret_for_session:
 *
 * Keeps @secret in memory until the app quits, for when the keyring
 * cannot be reached. It is never written anywhere.
 */
void
jg_account_store_keep_secret_for_session (JgAccountStore *self,
                                          const char     *name,
                                          const char     *secret)
{
  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (secret != NULL);

  g_hash_table_remove (self->clients, name);
  g_hash_table_replace (self->session_secrets, g_strdup (name), g_strdup (secret));
}

gboolean
jg_account_store_has_session_secret (JgAccountStore *self,
                                     const char     *name)
{
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (self), FALSE);

  return g_hash_table_contains (self->session_secrets, name);
}

static JgClient *
cache_client (JgAccountStore *self,
              const char     *name,
              JgAccount      *account_with_secret)
{
  JgClient *client = jg_client_new (account_with_secret);

  g_hash_table_replace (self->clients, g_strdup (name), g_object_ref (client));

  return client;
}

/* On the first start of the Local service (its assets folder does not
 * exist yet), the bundled samples are copied there, so that a new user has
 * something to run a job on. Runs in a worker thread: it copies files.
 */
static void
seed_samples_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  JgAccountStore *self = source_object;
  g_autoptr(GFile) data_dir = g_object_ref (jg_local_service_get_data_dir (self->local_service));
  g_autoptr(GFile) assets = g_file_get_child (data_dir, "assets");
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  if (self->samples_dir == NULL || g_file_query_exists (assets, cancellable))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  children = g_file_enumerate_children (self->samples_dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (children == NULL)
    {
      /* No samples installed: the service starts with no assets. */
      g_debug ("No samples for the Local service: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!g_file_make_directory_with_parents (assets, cancellable, &error))
    {
      g_warning ("Could not create %s: %s", g_file_peek_path (assets), error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  while ((info = g_file_enumerator_next_file (children, cancellable, NULL)) != NULL)
    {
      const char *name = g_file_info_get_name (info);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR && g_str_has_suffix (name, ".mp4"))
        {
          g_autoptr(GFile) from = g_file_get_child (self->samples_dir, name);
          g_autoptr(GFile) to = g_file_get_child (assets, name);
          g_autoptr(GError) copy_error = NULL;

          if (!g_file_copy (from, to, G_FILE_COPY_NONE, cancellable, NULL, NULL, &copy_error))
            g_warning ("Could not copy the sample %s: %s", name, copy_error->message);
        }
      g_object_unref (info);
    }

  g_task_return_boolean (task, TRUE);
}

static void
service_started (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!jg_local_service_start_finish (JG_LOCAL_SERVICE (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
samples_seeded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask          *task = user_data;
  JgAccountStore *self = JG_ACCOUNT_STORE (object);

  jg_local_service_start_async (self->local_service, g_task_get_cancellable (task), service_started, task);
}

/**
 * jg_account_store_start_local_service_async:
 *
 * Starts the Local service unless it runs, first giving it the bundled
 * samples when it starts for the first time.
 */
void
jg_account_store_start_local_service_async (JgAccountStore     *self,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data)
{
  GTask *task;
  g_autoptr(GTask) seed = NULL;

  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_account_store_start_local_service_async);

  seed = g_task_new (self, cancellable, samples_seeded, task);
  g_task_run_in_thread (seed, seed_samples_thread);
}

gboolean
jg_account_store_start_local_service_finish (JgAccountStore *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
local_service_started (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgAccount) account = NULL;
  JgAccountStore *self = JG_ACCOUNT_STORE (object);

  if (!jg_account_store_start_local_service_finish (self, result, &error))
    {
      g_prefix_error (&error, _("The local service did not start: "));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Another caller may have made the client meanwhile. */
  if (g_hash_table_contains (self->clients, JG_ACCOUNT_STORE_LOCAL))
    {
      g_task_return_pointer (task, g_object_ref (g_hash_table_lookup (self->clients, JG_ACCOUNT_STORE_LOCAL)),
                             g_object_unref);
      return;
    }

  account = jg_local_service_dup_account (self->local_service);
  jg_account_set_name (account, JG_ACCOUNT_STORE_LOCAL);
  g_task_return_pointer (task, cache_client (self, JG_ACCOUNT_STORE_LOCAL, account), g_object_unref);
}

static void
secret_looked_up (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgAccount) copy = NULL;
  JgAccountStore *self = g_task_get_source_object (task);
  const char     *name = g_task_get_task_data (task);
  JgAccount      *account = jg_account_store_lookup (self, name);
  char           *secret;

  secret = jg_keyring_lookup_finish (result, &error);

  if (account == NULL)
    {
      jg_keyring_free_secret (secret);
      g_task_return_new_error (task, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_NOT_FOUND,
                               _("There is no account named “%s”"), name);
      return;
    }

  if (secret == NULL)
    {
      if (error != NULL)
        g_task_return_new_error (task, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_NO_SECRET,
                                 _("The keyring cannot be reached (%s): enter the secret of account “%s” in "
                                   "Preferences → Accounts to keep it for this session"),
                                 error->message, name);
      else
        g_task_return_new_error (task, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_NO_SECRET,
                                 _("Account “%s” has no secret in the keyring: enter it in Preferences → Accounts"),
                                 name);
      return;
    }

  copy = copy_account (account);
  jg_account_set_secret (copy, secret);
  jg_keyring_free_secret (secret);

  g_task_return_pointer (task, cache_client (self, name, copy), g_object_unref);
}

/**
 * jg_account_store_dup_client_async:
 * @name: an account name, JG_ACCOUNT_STORE_LOCAL for the Local service
 *
 * Gets a client for the account: for the Local service once it runs
 * (starting it if need be), for another account once its secret is
 * found. Clients are cached, so tokens are reused.
 */
void
jg_account_store_dup_client_async (JgAccountStore     *self,
                                   const char         *name,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  JgAccount  *account;
  JgClient   *cached;
  const char *secret;

  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_account_store_dup_client_async);
  g_task_set_task_data (task, g_strdup (name), g_free);

  account = jg_account_store_lookup (self, name);
  if (account == NULL)
    {
      g_task_return_new_error (task, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_NOT_FOUND,
                               _("There is no account named “%s”"), name);
      return;
    }

  cached = g_hash_table_lookup (self->clients, name);
  if (cached != NULL && (!jg_account_store_is_local (account) ||
                         jg_local_service_get_state (self->local_service) == JG_LOCAL_SERVICE_STATE_RUNNING))
    {
      g_task_return_pointer (task, g_object_ref (cached), g_object_unref);
      return;
    }

  if (jg_account_store_is_local (account))
    {
      jg_account_store_start_local_service_async (self, cancellable, local_service_started,
                                                  g_steal_pointer (&task));
      return;
    }

  secret = g_hash_table_lookup (self->session_secrets, name);
  if (secret != NULL)
    {
      g_autoptr(JgAccount) copy = copy_account (account);

      jg_account_set_secret (copy, secret);
      g_task_return_pointer (task, cache_client (self, name, copy), g_object_unref);
      return;
    }

  jg_keyring_lookup_async (name, jg_keyring_kind_for_auth (jg_account_get_auth_kind (account)), cancellable,
                           secret_looked_up, g_steal_pointer (&task));
}

/**
 * jg_account_store_dup_client_finish:
 *
 * Returns: (transfer full): the client, or %NULL with @error set (the
 *   message says what to do, e.g. where to enter a missing secret)
 */
JgClient *
jg_account_store_dup_client_finish (JgAccountStore *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_listed_processors (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) processors = NULL;

  processors = jg_client_list_processors_finish (JG_CLIENT (object), result, &error);
  if (processors == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Connected: %u media processor",
                                                       "Connected: %u media processors", processors->len),
                                          processors->len),
                         g_free);
}

/**
 * jg_account_store_test_async:
 * @account: an account with its secret set, saved or not
 *
 * Signs in and lists the media processors, as "Test connection" does. The
 * client made for the test is not kept.
 */
void
jg_account_store_test_async (JgAccountStore     *self,
                             JgAccount          *account,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgClient) client = NULL;

  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));
  g_return_if_fail (JG_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_account_store_test_async);

  if (!check_account (account, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  client = jg_client_new (account);
  /* A test answers quickly or says why not: no long retry ladder. */
  jg_client_set_retry_policy (client, 1, 250, 1000);
  jg_client_set_timeout (client, 15);
  jg_client_list_processors_async (client, cancellable, test_listed_processors, g_steal_pointer (&task));
}

/**
 * jg_account_store_test_finish:
 *
 * Returns: (transfer full): what the test found, e.g. "Connected: 12
 *   media processors", or %NULL with @error set
 */
char *
jg_account_store_test_finish (JgAccountStore *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * jg_account_store_shutdown:
 *
 * Stops the Local service, for when the app quits.
 */
void
jg_account_store_shutdown (JgAccountStore *self)
{
  g_return_if_fail (JG_IS_ACCOUNT_STORE (self));

  g_hash_table_remove_all (self->clients);
  if (jg_local_service_get_state (self->local_service) != JG_LOCAL_SERVICE_STATE_STOPPED)
    jg_local_service_stop (self->local_service);
}
