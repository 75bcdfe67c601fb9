/* jg-emulator-token.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-token"

#include "config.h"

#include <string.h>

#include "jg-emulator-token.h"

/* Bearer tokens. They are opaque to clients (which only honour
 * `expires_in`), and look like
 *
 *   jge1.<base64url(account "\n" expiry "\n" nonce)>.<base64url(HMAC-SHA256)>
 *
 * where the HMAC covers everything before the last dot and is keyed with
 * the server secret kept in the database, so tokens survive a restart and
 * cannot be forged without the database.
 */

#define TOKEN_PREFIX "jge1."

static char *
encode_base64url (const guint8 *data,
                  gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  for (char *p = text; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }

  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';

  return text;
}

static guint8 *
decode_base64url (const char *text,
                  gsize       length,
                  gsize      *out_length)
{
  GString *padded = g_string_sized_new (length + 4);
  guint8  *data;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        {
          g_string_free (padded, TRUE);
          return NULL;
        }

      g_string_append_c (padded, c);
    }

  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');

  data = g_base64_decode (padded->str, out_length);
  g_string_free (padded, TRUE);

  return data;
}

static char *
sign (GBytes     *secret,
      const char *text,
      gsize       length)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8        digest[32];
  gsize         digest_length = sizeof digest;
  gsize         key_length;
  const guint8 *key = g_bytes_get_data (secret, &key_length);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  g_hmac_update (hmac, (const guchar *)text, length);
  g_hmac_get_digest (hmac, digest, &digest_length);

  return encode_base64url (digest, digest_length);
}

/**
 * jg_emulator_secure_equal:
 *
 * Compares two secrets in time that does not depend on where they differ.
 */
gboolean
jg_emulator_secure_equal (const char *a,
                          const char *b)
{
  gsize         length_a, length_b;
  unsigned char diff;

  if (a == NULL || b == NULL)
    return FALSE;

  length_a = strlen (a);
  length_b = strlen (b);
  diff = length_a != length_b;

  for (gsize i = 0; i < length_a; i++)
    diff |= (unsigned char)a[i] ^ (unsigned char)b[i % MAX (length_b, 1)];

  return diff == 0;
}

/**
 * jg_emulator_token_issue:
 * @secret: the server's signing key
 * @account: the account name (no line breaks)
 * @expires_unix: expiry, in seconds since the Unix epoch
 *
 * Returns: (transfer full): a new bearer token
 */
char *
jg_emulator_token_issue (GBytes     *secret,
                         const char *account,
                         gint64      expires_unix)
{
  g_autofree char *nonce = g_uuid_string_random ();
  g_autofree char *payload = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *signed_part = NULL;
  g_autofree char *signature = NULL;

  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (account != NULL && strchr (account, '\n') == NULL, NULL);

  payload = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s", account, expires_unix, nonce);
  encoded = encode_base64url ((const guint8 *)payload, strlen (payload));
  signed_part = g_strconcat (TOKEN_PREFIX, encoded, NULL);
  signature = sign (secret, signed_part, strlen (signed_part));

  return g_strconcat (signed_part, ".", signature, NULL);
}

/**
 * jg_emulator_token_verify:
 * @account: (out) (optional): the token's account when it is ours
 *
 * Checks the signature, then the expiry.
 */
JgEmulatorTokenStatus
jg_emulator_token_verify (GBytes     *secret,
                          const char *token,
                          gint64      now_unix,
                          char      **account)
{
  g_autofree char   *signature = NULL;
  g_autofree char   *expected = NULL;
  g_autofree guint8 *payload = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *text = NULL;
  const char      *dot;
  gsize            payload_length;
  gint64           expires;
  char            *end;

  g_return_val_if_fail (secret != NULL, JG_EMULATOR_TOKEN_INVALID);

  if (account != NULL)
    *account = NULL;

  if (token == NULL || !g_str_has_prefix (token, TOKEN_PREFIX) || strlen (token) > 4096)
    return JG_EMULATOR_TOKEN_INVALID;

  dot = strrchr (token, '.');
  if (dot == NULL || dot < token + strlen (TOKEN_PREFIX))
    return JG_EMULATOR_TOKEN_INVALID;

  expected = sign (secret, token, dot - token);
  if (!jg_emulator_secure_equal (expected, dot + 1))
    return JG_EMULATOR_TOKEN_INVALID;

  payload = decode_base64url (token + strlen (TOKEN_PREFIX),
                              dot - token - strlen (TOKEN_PREFIX),
                              &payload_length);
  if (payload == NULL)
    return JG_EMULATOR_TOKEN_INVALID;

  text = g_strndup ((const char *)payload, payload_length);
  fields = g_strsplit (text, "\n", 3);
  if (g_strv_length (fields) != 3)
    return JG_EMULATOR_TOKEN_INVALID;

  expires = g_ascii_strtoll (fields[1], &end, 10);
  if (*end != '\0')
    return JG_EMULATOR_TOKEN_INVALID;

  if (account != NULL)
    *account = g_strdup (fields[0]);

  return now_unix < expires ? JG_EMULATOR_TOKEN_VALID : JG_EMULATOR_TOKEN_EXPIRED;
}
