/* jg-account.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include <string.h>

#include "jg-account.h"
#include "jg-client-enums.h"
#include "jg-core.h"

/* Where and how to reach one Media Services account: the API endpoint, the
 * API version, and the credentials for its token endpoint.
 *
 * The secret (account key, client secret or fixed token) is deliberately
 * not a property: properties get logged, bound, dumped by inspectors and
 * serialized into settings, and a secret must be none of those. It lives
 * in this object's memory only and is wiped when replaced or freed; the
 * app keeps it in the keyring.
 */

struct _JgAccount
{
  GObject    parent_instance;

  char      *name;
  char      *endpoint;
  char      *api_version;
  JgAuthKind auth_kind;
  char      *token_uri;
  char      *client_id;
  char      *resource;

  /* Never logged, never a property. */
  char      *secret;
};

enum
{
  PROP_0,
  PROP_NAME,
  PROP_ENDPOINT,
  PROP_API_VERSION,
  PROP_AUTH_KIND,
  PROP_TOKEN_URI,
  PROP_CLIENT_ID,
  PROP_RESOURCE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgAccount, jg_account, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
wipe_string (char **str)
{
  if (*str == NULL)
    return;

  explicit_bzero (*str, strlen (*str));
  g_clear_pointer (str, g_free);
}

static gboolean
set_string (JgAccount  *self,
            char      **field,
            const char *value,
            int         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);

  return TRUE;
}

static void
jg_account_finalize (GObject *object)
{
  JgAccount *self = (JgAccount *)object;

  g_free (self->name);
  g_free (self->endpoint);
  g_free (self->api_version);
  g_free (self->token_uri);
  g_free (self->client_id);
  g_free (self->resource);
  wipe_string (&self->secret);

  G_OBJECT_CLASS (jg_account_parent_class)->finalize (object);
}

static void
jg_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JgAccount *self = JG_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint);
      break;

    case PROP_API_VERSION:
      g_value_set_string (value, self->api_version);
      break;

    case PROP_AUTH_KIND:
      g_value_set_enum (value, self->auth_kind);
      break;

    case PROP_TOKEN_URI:
      g_value_set_string (value, self->token_uri);
      break;

    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;

    case PROP_RESOURCE:
      g_value_set_string (value, self->resource);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JgAccount *self = JG_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      jg_account_set_name (self, g_value_get_string (value));
      break;

    case PROP_ENDPOINT:
      jg_account_set_endpoint (self, g_value_get_string (value));
      break;

    case PROP_API_VERSION:
      jg_account_set_api_version (self, g_value_get_string (value));
      break;

    case PROP_AUTH_KIND:
      jg_account_set_auth_kind (self, g_value_get_enum (value));
      break;

    case PROP_TOKEN_URI:
      jg_account_set_token_uri (self, g_value_get_string (value));
      break;

    case PROP_CLIENT_ID:
      jg_account_set_client_id (self, g_value_get_string (value));
      break;

    case PROP_RESOURCE:
      jg_account_set_resource (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_account_class_init (JgAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_account_finalize;
  object_class->get_property = jg_account_get_property;
  object_class->set_property = jg_account_set_property;

  /**
   * JgAccount:name:
   *
   * The name the user knows the account by, unique among the accounts of
   * the app; the `account` attribute of its secret in the keyring. %NULL
   * for an account made up on the spot.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JgAccount:endpoint:
   *
   * The API endpoint: the global `https://media.windows.net/` style URI
   * that answers with a redirect to the account's own, or the account's
   * `…/api/` URI itself.
   */
  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JgAccount:api-version:
   *
   * The `x-ms-version` to send.
   */
  properties[PROP_API_VERSION] =
    g_param_spec_string ("api-version", NULL, NULL,
                         JG_DEFAULT_API_VERSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTH_KIND] =
    g_param_spec_enum ("auth-kind", NULL, NULL,
                       JG_TYPE_AUTH_KIND,
                       JG_AUTH_KIND_ACS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JgAccount:token-uri:
   *
   * The token endpoint: `…/v2/OAuth2-13` for ACS,
   * `https://login.microsoftonline.com/{tenant}/oauth2/token` for Azure AD.
   */
  properties[PROP_TOKEN_URI] =
    g_param_spec_string ("token-uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JgAccount:client-id:
   *
   * The account name (ACS) or the Azure AD application id.
   */
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JgAccount:resource:
   *
   * The Azure AD resource the token is for.
   */
  properties[PROP_RESOURCE] =
    g_param_spec_string ("resource", NULL, NULL,
                         JG_DEFAULT_RESOURCE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_account_init (JgAccount *self)
{
  self->api_version = g_strdup (JG_DEFAULT_API_VERSION);
  self->resource = g_strdup (JG_DEFAULT_RESOURCE);
  self->auth_kind = JG_AUTH_KIND_ACS;
}

/**
 * jg_account_new:
 * @endpoint: the API endpoint
 *
 * Returns: (transfer full): a new account; set the token URI, client id
 *   and secret that @auth_kind needs
 */
JgAccount *
jg_account_new (JgAuthKind  auth_kind,
                const char *endpoint)
{
  g_return_val_if_fail (endpoint != NULL, NULL);

  return g_object_new (JG_TYPE_ACCOUNT,
                       "auth-kind", auth_kind,
                       "endpoint", endpoint,
                       NULL);
}

/**
 * jg_account_new_for_emulator:
 * @root_uri: the emulator's root, `http://127.0.0.1:PORT/`
 * @account: (nullable): the account name, or %NULL for `local`
 * @key: (nullable): the account key, or %NULL for the emulator's default
 *
 * An ACS account against a local jobgraph-emulator. Like a real account
 * on the global endpoint, the first request is redirected from
 * `<root>api/` to the account's own base.
 *
 * Returns: (transfer full): the account
 */
JgAccount *
jg_account_new_for_emulator (const char *root_uri,
                             const char *account,
                             const char *key)
{
  g_autofree char *root = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *token_uri = NULL;
  JgAccount       *self;

  g_return_val_if_fail (root_uri != NULL, NULL);

  root = g_str_has_suffix (root_uri, "/") ? g_strdup (root_uri) : g_strconcat (root_uri, "/", NULL);
  endpoint = g_strconcat (root, "api/", NULL);
  token_uri = g_strconcat (root, "v2/OAuth2-13", NULL);

  self = jg_account_new (JG_AUTH_KIND_ACS, endpoint);
  jg_account_set_token_uri (self, token_uri);
  jg_account_set_client_id (self, account ? account : JG_ACCOUNT_EMULATOR_NAME);
  jg_account_set_secret (self, key ? key : JG_ACCOUNT_EMULATOR_KEY);

  return self;
}

const char *
jg_account_get_name (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  return self->name;
}

void
jg_account_set_name (JgAccount  *self,
                     const char *name)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  set_string (self, &self->name, name, PROP_NAME);
}

const char *
jg_account_get_endpoint (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  return self->endpoint;
}

void
jg_account_set_endpoint (JgAccount  *self,
                         const char *endpoint)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  set_string (self, &self->endpoint, endpoint, PROP_ENDPOINT);
}

const char *
jg_account_get_api_version (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  return self->api_version;
}

/**
 * jg_account_set_api_version:
 * @api_version: (nullable): the `x-ms-version`, or %NULL for the default
 */
void
jg_account_set_api_version (JgAccount  *self,
                            const char *api_version)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  set_string (self, &self->api_version,
              api_version && api_version[0] ? api_version : JG_DEFAULT_API_VERSION,
              PROP_API_VERSION);
}

JgAuthKind
jg_account_get_auth_kind (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), JG_AUTH_KIND_ACS);

  return self->auth_kind;
}

void
jg_account_set_auth_kind (JgAccount *self,
                          JgAuthKind auth_kind)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  if (self->auth_kind == auth_kind)
    return;

  self->auth_kind = auth_kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_KIND]);
}

const char *
jg_account_get_token_uri (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  return self->token_uri;
}

void
jg_account_set_token_uri (JgAccount  *self,
                          const char *token_uri)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  set_string (self, &self->token_uri, token_uri, PROP_TOKEN_URI);
}

const char *
jg_account_get_client_id (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  return self->client_id;
}

void
jg_account_set_client_id (JgAccount  *self,
                          const char *client_id)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  set_string (self, &self->client_id, client_id, PROP_CLIENT_ID);
}

const char *
jg_account_get_resource (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  return self->resource;
}

/**
 * jg_account_set_resource:
 * @resource: (nullable): the Azure AD resource, or %NULL for
 *   `https://rest.media.azure.net`
 */
void
jg_account_set_resource (JgAccount  *self,
                         const char *resource)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  set_string (self, &self->resource, resource ? resource : JG_DEFAULT_RESOURCE, PROP_RESOURCE);
}

/**
 * jg_account_get_secret:
 *
 * The account key (ACS), client secret (Azure AD) or fixed token (bearer).
 * Never log it.
 *
 * Returns: (nullable): the secret
 */
const char *
jg_account_get_secret (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  return self->secret;
}

/**
 * jg_account_set_secret:
 * @secret: (nullable): the secret; copied, and the old one wiped
 */
void
jg_account_set_secret (JgAccount  *self,
                       const char *secret)
{
  g_return_if_fail (JG_IS_ACCOUNT (self));

  if (self->secret != NULL && g_strcmp0 (self->secret, secret) == 0)
    return;

  wipe_string (&self->secret);
  self->secret = g_strdup (secret);
}

gboolean
jg_account_has_secret (JgAccount *self)
{
  g_return_val_if_fail (JG_IS_ACCOUNT (self), FALSE);

  return self->secret != NULL && self->secret[0] != '\0';
}

/**
 * jg_account_dup_api_base:
 *
 * The endpoint as a base for relative entity paths: always ending in `/`,
 * and a bare host root (`https://media.windows.net/`) gets the service's
 * `api/` path.
 *
 * Returns: (transfer full) (nullable): the base, or %NULL when the endpoint
 *   is not an absolute http(s) URI
 */
char *
jg_account_dup_api_base (JgAccount *self)
{
  g_autoptr(GUri) uri = NULL;
  const char      *scheme;
  const char      *path;
  g_autofree char *new_path = NULL;
  g_autoptr(GUri) result = NULL;

  g_return_val_if_fail (JG_IS_ACCOUNT (self), NULL);

  if (self->endpoint == NULL)
    return NULL;

  uri = g_uri_parse (self->endpoint, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if ((g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return NULL;

  path = g_uri_get_path (uri);
  if (path[0] == '\0' || strcmp (path, "/") == 0)
    new_path = g_strdup ("/api/");
  else if (!g_str_has_suffix (path, "/"))
    new_path = g_strconcat (path, "/", NULL);
  else
    new_path = g_strdup (path);

  result = g_uri_build (G_URI_FLAGS_ENCODED,
                        g_uri_get_scheme (uri),
                        g_uri_get_userinfo (uri),
                        g_uri_get_host (uri),
                        g_uri_get_port (uri),
                        new_path,
                        NULL,
                        NULL);

  return g_uri_to_string (result);
}
