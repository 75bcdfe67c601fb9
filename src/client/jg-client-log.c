/* jg-client-log.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include <string.h>

#include "jg-client-private.h"

/* What JOBGRAPH_DEBUG=http may print. Credentials must never reach a log:
 * the bearer token in `Authorization`, and the key or client secret in the
 * token request's form body. Redaction works on an allow-nothing basis for
 * those fields: the value is replaced whole, whatever it looks like.
 */

#define REDACTED "[REDACTED]"

enum
{
  DEBUG_HTTP = 1 << 0,
};

/**
 * _jg_client_debug_http:
 *
 * Returns: %TRUE when `JOBGRAPH_DEBUG` lists `http`; read once per process
 */
gboolean
_jg_client_debug_http (void)
{
  static gsize initialized = 0;
  static guint flags = 0;

  if (g_once_init_enter (&initialized))
    {
      static const GDebugKey keys[] = {
        { "http", DEBUG_HTTP },
      };

      flags = g_parse_debug_string (g_getenv ("JOBGRAPH_DEBUG"), keys, G_N_ELEMENTS (keys));
      g_once_init_leave (&initialized, 1);
    }

  return (flags & DEBUG_HTTP) != 0;
}

static gboolean
is_secret_header (const char *name)
{
  static const char *const names[] = {
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Set-Cookie",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (name, names[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * _jg_client_redact_header:
 *
 * Returns: (transfer full): @value as it may be logged: `Bearer [REDACTED]`
 *   for a bearer `Authorization`, `[REDACTED]` for other credentials
 */
char *
_jg_client_redact_header (const char *name,
                          const char *value)
{
  if (!is_secret_header (name))
    return g_strdup (value);

  if (value != NULL && g_ascii_strncasecmp (value, "Bearer ", strlen ("Bearer ")) == 0)
    return g_strdup ("Bearer " REDACTED);

  return g_strdup (REDACTED);
}

static gboolean
is_secret_field (const char *name,
                 gsize       len)
{
  static const char *const names[] = {
    "client_secret",
    "client_assertion",
    "password",
    "access_token",
    "refresh_token",
    "assertion",
    "code",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strlen (names[i]) == len && g_ascii_strncasecmp (name, names[i], len) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * _jg_client_redact_form:
 * @form: an `application/x-www-form-urlencoded` body
 *
 * Returns: (transfer full): @form with the values of `client_secret` and
 *   other credential fields replaced by `[REDACTED]`
 */
char *
_jg_client_redact_form (const char *form)
{
  g_auto(GStrv) fields = NULL;
  GString *out;

  if (form == NULL)
    return NULL;

  fields = g_strsplit (form, "&", -1);
  out = g_string_new (NULL);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');
      gsize       name_len = eq ? (gsize)(eq - fields[i]) : strlen (fields[i]);

      if (i > 0)
        g_string_append_c (out, '&');

      if (eq != NULL && is_secret_field (fields[i], name_len))
        {
          g_string_append_len (out, fields[i], name_len);
          g_string_append (out, "=" REDACTED);
        }
      else
        {
          g_string_append (out, fields[i]);
        }
    }

  /* The split copies hold the secret too. */
  for (guint i = 0; fields[i] != NULL; i++)
    explicit_bzero (fields[i], strlen (fields[i]));

  return g_string_free (out, FALSE);
}

/**
 * _jg_client_redact_uri:
 * @uri: (nullable): an address, such as a blob URL with a shared access
 *   signature
 *
 * Returns: (transfer full) (nullable): @uri with the value of its `sig`
 *   query parameter — the SAS signature, a credential — replaced by
 *   `[REDACTED]`
 */
char *
_jg_client_redact_uri (const char *uri)
{
  const char *query;
  g_auto(GStrv) fields = NULL;
  const char *fragment;
  GString    *out;

  if (uri == NULL)
    return NULL;

  query = strchr (uri, '?');
  if (query == NULL)
    return g_strdup (uri);

  fragment = strchr (query, '#');
  out = g_string_new_len (uri, query - uri + 1);

  {
    g_autofree char *text = fragment ? g_strndup (query + 1, fragment - query - 1) : g_strdup (query + 1);

    fields = g_strsplit (text, "&", -1);
    explicit_bzero (text, strlen (text));
  }

  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '&');

      if (g_ascii_strncasecmp (fields[i], "sig=", 4) == 0)
        g_string_append (out, "sig=" REDACTED);
      else
        g_string_append (out, fields[i]);

      explicit_bzero (fields[i], strlen (fields[i]));
    }

  if (fragment != NULL)
    g_string_append (out, fragment);

  return g_string_free (out, FALSE);
}
