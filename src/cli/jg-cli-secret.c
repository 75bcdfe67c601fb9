/* jg-cli-secret.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jobgraph-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>

#ifdef HAVE_LIBSECRET
#include <libsecret/secret.h>
#endif

#include "jg-cli-secret.h"

/* Account secrets in the desktop keyring (the freedesktop.org Secret
 * Service, through libsecret). An item has two string attributes: the
 * account name of accounts.ini and the kind of secret, "acs" (an account
 * key), "aad" (a client secret) or "token" (a fixed bearer token).
 *
 * Lookups ignore the schema name (SECRET_SCHEMA_DONT_MATCH_NAME), so that
 * an item stored by hand with
 *   secret-tool store --label=… account NAME kind acs
 * which carries no xdg:schema attribute, is found as well as one stored
 * through this schema. The application must use the same definition.
 *
 * Without libsecret at build time, nothing is ever found or stored.
 */

/* Enough for a bearer token (a JWT) without growing the buffer, which
 * would leave unwiped copies of the secret behind.
 */
#define SECRET_BUFFER_SIZE 8192

#ifdef HAVE_LIBSECRET
static const SecretSchema account_schema = {
  JG_SECRET_SCHEMA_NAME,
  SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};
#endif

/**
 * jg_cli_lookup_secret:
 * @account: the account name
 * @kind: "acs", "aad" or "token"
 * @error: return location for a #GError
 *
 * Looks the secret of @account up in the keyring. A keyring that cannot
 * be reached (no D-Bus session bus, no Secret Service) is an error, not a
 * wait: the caller then says how to give the secret instead.
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   jg_cli_free_secret(), or %NULL when there is none or on error
 */
char *
jg_cli_lookup_secret (const char *account,
                      const char *kind,
                      GError    **error)
{
#ifdef HAVE_LIBSECRET
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  GList      *items;
  const char *data;
  gsize       length;

  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Not secret_password_lookup_sync(): libsecret 0.20.5 leaks the
   * GetSecrets reply there, secret and all, which fails our LeakSanitizer
   * runs. A search that loads the secret of the first item (unlocking it,
   * which may show the desktop's prompt) does the same without the leak.
   * The service proxy stays cached until exit, like the GLib singletons;
   * secret_service_disconnect() would leak more than it frees.
   */
  attributes = secret_attributes_build (&account_schema,
                                        "account", account,
                                        "kind", kind,
                                        NULL);
  items = secret_service_search_sync (NULL, &account_schema, attributes,
                                      SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                      NULL, error);
  if (items != NULL)
    value = secret_item_get_secret (items->data);
  g_list_free_full (items, g_object_unref);

  if (value == NULL)
    return NULL;

  data = secret_value_get (value, &length);
  if (length == 0)
    return NULL;

  return g_strndup (data, length);
#else
  return NULL;
#endif
}

/**
 * jg_cli_store_secret:
 * @account: the account name
 * @kind: "acs", "aad" or "token"
 * @secret: the secret
 * @error: return location for a #GError
 *
 * Stores @secret in the default collection of the keyring, replacing the
 * item of @account and @kind if there is one.
 *
 * Returns: whether the secret was stored
 */
gboolean
jg_cli_store_secret (const char *account,
                     const char *kind,
                     const char *secret,
                     GError    **error)
{
#ifdef HAVE_LIBSECRET
  g_autofree char *label = NULL;
  gboolean         stored;

  g_return_val_if_fail (account != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  label = g_strdup_printf ("Jobgraph account %s", account);
  stored = secret_password_store_sync (&account_schema, SECRET_COLLECTION_DEFAULT, label, secret, NULL, error,
                                       "account", account,
                                       "kind", kind,
                                       NULL);

  return stored;
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "jobgraph-cli was built without libsecret");

  return FALSE;
#endif
}

/**
 * jg_cli_free_secret:
 * @secret: (nullable): a secret
 *
 * Overwrites @secret with zeros, then frees it.
 */
void
jg_cli_free_secret (char *secret)
{
  if (secret == NULL)
    return;

  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/**
 * jg_cli_read_secret:
 * @prompt: what to ask on a terminal
 *
 * Reads one line from standard input, without its line break. On a
 * terminal, it first writes @prompt to standard error and turns echo off
 * while the user types.
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   jg_cli_free_secret(), or %NULL when standard input holds none
 */
char *
jg_cli_read_secret (const char *prompt)
{
  GString       *buffer = g_string_sized_new (SECRET_BUFFER_SIZE);
  struct termios saved, quiet;
  gboolean       terminal;
  char          *secret = NULL;
  int            c;

  terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  if (terminal)
    {
      fputs (prompt, stderr);
      fflush (stderr);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (buffer, (char)c);

  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }

  if (buffer->len > 0 && buffer->str[buffer->len - 1] == '\r')
    g_string_truncate (buffer, buffer->len - 1);

  if (buffer->len > 0)
    secret = g_strndup (buffer->str, buffer->len);

  explicit_bzero (buffer->str, buffer->allocated_len);
  g_string_free (buffer, TRUE);

  return secret;
}
