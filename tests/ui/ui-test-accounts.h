/* ui-test-accounts.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the account tests share: checking that a secret is in no setting,
 * and a keyring that is not there.
 */

#pragma once

#include <string.h>

#include <gio/gio.h>

G_BEGIN_DECLS

/* Fails if any key of @settings' schema holds @secret in any form. */
static inline void
ui_test_assert_settings_free_of (GSettings  *settings,
                                 const char *secret)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 5);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, TRUE);

      if (strstr (printed, secret) != NULL)
        g_error ("the secret is in setting “%s”", keys[i]);
    }
}

/* Call once after g_test_init(): points the session bus nowhere, so the
 * keyring is unreachable at once.
 */
static inline void
ui_test_keyring_unreachable (void)
{
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/jobgraph-test-bus", TRUE);
}

G_END_DECLS
