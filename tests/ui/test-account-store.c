/* test-account-store.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JgAccountStore without windows: what Save refuses and why, the accounts
 * in the `accounts` setting (written, reloaded, removed), the default
 * account, clients for the Local service and for an account whose secret
 * is kept for the session (real jobgraph-emulator subprocesses), "Test
 * connection", and that no secret ever reaches the settings. The keyring
 * is out of reach here (the session bus points nowhere); test-preferences
 * under test-accounts-keyring.sh covers it.
 */

#include "config.h"

#include <string.h>

#include "jg-account-store.h"
#include "ui-test-accounts.h"
#include "ui-test-service.h"

#define SECRET "s3cret-never-in-settings"

static void
set_up (UiTestService **fixture,
        gconstpointer   data)
{
  *fixture = ui_test_service_new ();
}

static void
tear_down (UiTestService **fixture,
           gconstpointer   data)
{
  g_clear_pointer (fixture, ui_test_service_free);
}

static JgAccount *
new_acs_account (const char *name)
{
  JgAccount *account = jg_account_new (JG_AUTH_KIND_ACS, "https://media.windows.net/API/");

  jg_account_set_name (account, name);
  jg_account_set_token_uri (account, "https://wamsprodglobal001acs.accesscontrol.windows.net/v2/OAuth2-13");
  jg_account_set_client_id (account, "contoso");

  return account;
}

/* Saves @account as a new one and returns the error's message. */
static char *
dup_save_error (JgAccountStore *store,
                const char     *old_name,
                JgAccount      *account,
                int             expected_code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (jg_account_store_save (store, old_name, account, &error));
  g_assert_error (error, JG_ACCOUNT_STORE_ERROR, expected_code);

  return g_strdup (error->message);
}

static void
assert_save_refused (JgAccountStore *store,
                     const char     *old_name,
                     JgAccount      *account,
                     int             expected_code,
                     const char     *expected_part)
{
  g_autofree char *message = dup_save_error (store, old_name, account, expected_code);

  if (strstr (message, expected_part) == NULL)
    g_error ("“%s” does not say “%s”", message, expected_part);
}

static void
test_validation (UiTestService **fixture,
                  gconstpointer   data)
{
  UiTestService *service = *fixture;
  JgAccountStore *store = service->store;
  g_autoptr(JgAccount) account = new_acs_account ("Contoso");
  g_autoptr(GError) error = NULL;

  jg_account_set_name (account, "");
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "needs a name");
  jg_account_set_name (account, " Contoso");
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "without spaces");
  jg_account_set_name (account, "Contoso");

  jg_account_set_endpoint (account, "");
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "Endpoint is missing");
  jg_account_set_endpoint (account, "ftp://media.windows.net/");
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "“ftp://media.windows.net/”");
  jg_account_set_endpoint (account, "media windows net");
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "not an http:// or https://");
  jg_account_set_endpoint (account, "https://media.windows.net/API/");

  jg_account_set_api_version (account, "3.0");
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "API version “3.0”");
  jg_account_set_api_version (account, "2.19");

  jg_account_set_token_uri (account, NULL);
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "Token endpoint is missing");
  jg_account_set_token_uri (account, "https://login.example/v2/OAuth2-13");

  jg_account_set_client_id (account, "");
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "account name");
  jg_account_set_auth_kind (account, JG_AUTH_KIND_AAD);
  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_INVALID, "client ID");

  /* A fixed token needs neither. */
  jg_account_set_auth_kind (account, JG_AUTH_KIND_BEARER);
  jg_account_set_token_uri (account, NULL);
  g_assert_true (jg_account_store_save (store, NULL, account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  assert_save_refused (store, NULL, account, JG_ACCOUNT_STORE_ERROR_EXISTS, "already an account named “Contoso”");

  /* Renaming would orphan the keyring item. */
  jg_account_set_name (account, "Fabrikam");
  assert_save_refused (store, "Contoso", account, JG_ACCOUNT_STORE_ERROR_INVALID, "cannot be renamed");
  assert_save_refused (store, "Fabrikam", account, JG_ACCOUNT_STORE_ERROR_NOT_FOUND, "no account named “Fabrikam”");
  g_assert_null (jg_account_store_lookup (store, "Fabrikam"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_changes)
{
  (*n_changes)++;
}

static void
test_persist (UiTestService **fixture,
               gconstpointer   data)
{
  UiTestService *service = *fixture;
  g_autoptr(JgAccount) acs = new_acs_account ("Contoso");
  g_autoptr(JgAccount) aad = new_acs_account ("Fabrikam");
  g_autoptr(JgAccountStore) reloaded = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  JgAccount *account;
  guint      n_changes = 0;

  g_signal_connect (service->store, "items-changed", G_CALLBACK (count_changes_cb), &n_changes);

  jg_account_set_auth_kind (aad, JG_AUTH_KIND_AAD);
  jg_account_set_endpoint (aad, "https://fabrikam.restv2.westeurope.media.azure.net/api/");
  jg_account_set_token_uri (aad, "https://login.microsoftonline.com/tenant/oauth2/token");
  jg_account_set_client_id (aad, "00000000-1111-2222-3333-444444444444");
  jg_account_set_api_version (aad, "2.17");
  jg_account_set_secret (aad, SECRET);

  g_assert_true (jg_account_store_save (service->store, NULL, acs, &error));
  g_assert_true (jg_account_store_save (service->store, NULL, aad, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changes, ==, 2);

  value = g_settings_get_value (service->settings, "accounts");
  printed = g_variant_print (value, FALSE);
  g_assert_cmpstr (printed, ==,
                   "[('Contoso', 'https://media.windows.net/API/', '2.19', 'acs', "
                   "'https://wamsprodglobal001acs.accesscontrol.windows.net/v2/OAuth2-13', 'contoso', "
                   "'https://rest.media.azure.net'), "
                   "('Fabrikam', 'https://fabrikam.restv2.westeurope.media.azure.net/api/', '2.17', 'aad', "
                   "'https://login.microsoftonline.com/tenant/oauth2/token', "
                   "'00000000-1111-2222-3333-444444444444', 'https://rest.media.azure.net')]");

  /* Another store on the same settings, as after a restart. */
  reloaded = jg_account_store_new (service->settings, service->local_service);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 3);
  account = jg_account_store_lookup (reloaded, "Fabrikam");
  g_assert_nonnull (account);
  g_assert_cmpint (jg_account_get_auth_kind (account), ==, JG_AUTH_KIND_AAD);
  g_assert_cmpstr (jg_account_get_api_version (account), ==, "2.17");
  g_assert_cmpstr (jg_account_get_client_id (account), ==, "00000000-1111-2222-3333-444444444444");
  g_assert_null (jg_account_get_secret (account));
  g_assert_nonnull (jg_account_store_lookup (reloaded, "Contoso"));

  /* An edit keeps the place; a change written elsewhere is picked up. */
  jg_account_set_endpoint (acs, "https://contoso.restv2.northeurope.media.azure.net/api/");
  g_assert_true (jg_account_store_save (service->store, "Contoso", acs, &error));
  g_assert_no_error (error);
  account = g_list_model_get_item (G_LIST_MODEL (reloaded), 1);
  g_assert_cmpstr (jg_account_get_name (account), ==, "Contoso");
  g_assert_cmpstr (jg_account_get_endpoint (account), ==, "https://contoso.restv2.northeurope.media.azure.net/api/");
  g_object_unref (account);

  /* Removing. */
  n_changes = 0;
  jg_account_store_remove (service->store, "Contoso");
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_null (jg_account_store_lookup (service->store, "Contoso"));
  g_assert_null (jg_account_store_lookup (reloaded, "Contoso"));
  g_clear_pointer (&value, g_variant_unref);
  value = g_settings_get_value (service->settings, "accounts");
  g_assert_cmpuint (g_variant_n_children (value), ==, 1);

  /* The Local service is not the user's to remove. */
  jg_account_store_remove (service->store, JG_ACCOUNT_STORE_LOCAL);
  g_assert_true (jg_account_store_is_local (jg_account_store_lookup (service->store, JG_ACCOUNT_STORE_LOCAL)));
}

static void
test_default_account (UiTestService **fixture,
                       gconstpointer   data)
{
  UiTestService *service = *fixture;
  g_autoptr(JgAccount) account = new_acs_account ("Contoso");
  g_autoptr(GError) error = NULL;
  g_autofree char *setting = NULL;

  g_assert_cmpstr (jg_account_store_get_default_name (service->store), ==, JG_ACCOUNT_STORE_LOCAL);

  g_assert_true (jg_account_store_save (service->store, NULL, account, &error));
  jg_account_store_set_default_name (service->store, "Contoso");
  g_assert_cmpstr (jg_account_store_get_default_name (service->store), ==, "Contoso");
  setting = g_settings_get_string (service->settings, "default-account");
  g_assert_cmpstr (setting, ==, "Contoso");

  jg_account_store_remove (service->store, "Contoso");
  g_assert_cmpstr (jg_account_store_get_default_name (service->store), ==, JG_ACCOUNT_STORE_LOCAL);
  g_clear_pointer (&setting, g_free);
  setting = g_settings_get_string (service->settings, "default-account");
  g_assert_cmpstr (setting, ==, "");

  /* A setting naming an account that is gone falls back too. */
  g_settings_set_string (service->settings, "default-account", "Nowhere");
  g_assert_cmpstr (jg_account_store_get_default_name (service->store), ==, JG_ACCOUNT_STORE_LOCAL);
}

static gboolean
has_processors (JgClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GError) error = NULL;

  jg_client_list_processors_async (client, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the media processors");
  processors = jg_client_list_processors_finish (client, result, &error);
  g_assert_no_error (error);

  return processors->len > 0;
}

static void
test_session_secret_client (UiTestService **fixture,
                             gconstpointer   data)
{
  UiTestService *service = *fixture;
  g_autoptr(JgClient) client = NULL;

  ui_test_service_add_emulator (service, "extra", NULL);
  g_assert_true (jg_account_store_has_session_secret (service->store, "extra"));

  client = ui_test_service_dup_client (service, "extra");
  g_assert_true (has_processors (client));

  /* Removing the account forgets its session secret. */
  jg_account_store_remove (service->store, "extra");
  g_assert_false (jg_account_store_has_session_secret (service->store, "extra"));
}

static void
test_local_client (UiTestService **fixture,
                    gconstpointer   data)
{
  UiTestService *service = *fixture;
  g_autoptr(JgClient) client = NULL;
  JgAccount *local = jg_account_store_lookup (service->store, JG_ACCOUNT_STORE_LOCAL);

  g_assert_cmpint (jg_local_service_get_state (service->local_service), ==, JG_LOCAL_SERVICE_STATE_STOPPED);
  g_assert_null (jg_account_get_endpoint (local));

  client = ui_test_service_dup_client (service, JG_ACCOUNT_STORE_LOCAL);
  g_assert_cmpint (jg_local_service_get_state (service->local_service), ==, JG_LOCAL_SERVICE_STATE_RUNNING);
  g_assert_true (g_str_has_prefix (jg_account_get_endpoint (local), "http://127.0.0.1:"));
  g_assert_true (has_processors (client));
}

static void
test_no_secret_in_settings (UiTestService **fixture,
                             gconstpointer   data)
{
  UiTestService *service = *fixture;
  g_autoptr(JgAccount) account = new_acs_account ("Contoso");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgClient) client = NULL;

  /* A secret set on the account given to Save is ignored. */
  jg_account_set_secret (account, SECRET);
  g_assert_true (jg_account_store_save (service->store, NULL, account, &error));
  g_assert_null (jg_account_get_secret (jg_account_store_lookup (service->store, "Contoso")));

  /* With no keyring, storing fails and says so; the session keeps it. */
  jg_account_store_store_secret_async (service->store, "Contoso", SECRET, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the keyring to answer");
  g_assert_false (jg_account_store_store_secret_finish (service->store, result, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  jg_account_store_keep_secret_for_session (service->store, "Contoso", SECRET);
  g_assert_true (jg_account_store_has_session_secret (service->store, "Contoso"));

  jg_account_store_set_default_name (service->store, "Contoso");
  ui_test_service_add_emulator (service, "extra", NULL);
  client = ui_test_service_dup_client (service, "extra");

  ui_test_assert_settings_free_of (service->settings, SECRET);
  ui_test_assert_settings_free_of (service->settings, UI_TEST_EMULATOR_KEY);
}

static void
test_connection (UiTestService **fixture,
                  gconstpointer   data)
{
  UiTestService *service = *fixture;
  g_autoptr(JgAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgClient) client = NULL;
  g_autoptr(GPtrArray) processors = NULL;
  g_autofree char *message = NULL;
  g_autofree char *expected = NULL;
  JgAccount *saved;

  ui_test_service_add_emulator (service, "extra", NULL);
  saved = jg_account_store_lookup (service->store, "extra");

  /* An unsaved account with the wrong key. */
  account = jg_account_new (JG_AUTH_KIND_ACS, jg_account_get_endpoint (saved));
  jg_account_set_name (account, "Unsaved");
  jg_account_set_token_uri (account, jg_account_get_token_uri (saved));
  jg_account_set_client_id (account, jg_account_get_client_id (saved));
  jg_account_set_secret (account, "wrong-key");

  jg_account_store_test_async (service->store, account, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the test with a wrong key");
  message = jg_account_store_test_finish (service->store, result, &error);
  g_assert_null (message);
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "wrong-key"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* An invalid account is refused before anything is sent. */
  jg_account_set_client_id (account, "");
  jg_account_store_test_async (service->store, account, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the test of an invalid account");
  g_assert_null (jg_account_store_test_finish (service->store, result, &error));
  g_assert_error (error, JG_ACCOUNT_STORE_ERROR, JG_ACCOUNT_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  jg_account_set_client_id (account, jg_account_get_client_id (saved));
  jg_account_set_secret (account, UI_TEST_EMULATOR_KEY);
  jg_account_store_test_async (service->store, account, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the test with the right key");
  message = jg_account_store_test_finish (service->store, result, &error);
  g_assert_no_error (error);

  client = ui_test_service_dup_client (service, "extra");
  g_clear_object (&result);
  jg_client_list_processors_async (client, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the media processors");
  processors = jg_client_list_processors_finish (client, result, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("Connected: %u media processors", processors->len);
  g_assert_cmpstr (message, ==, expected);

  /* Testing saves nothing. */
  g_assert_null (jg_account_store_lookup (service->store, "Unsaved"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ui_test_keyring_unreachable ();

#define ADD(path, func) \
  g_test_add ("/jobgraph/ui/account-store/" path, UiTestService *, NULL, set_up, func, tear_down)

  ADD ("validation", test_validation);
  ADD ("persist", test_persist);
  ADD ("default-account", test_default_account);
  ADD ("session-secret-client", test_session_secret_client);
  ADD ("local-client", test_local_client);
  ADD ("no-secret-in-settings", test_no_secret_in_settings);
  ADD ("test-connection", test_connection);
#undef ADD

  return g_test_run ();
}
