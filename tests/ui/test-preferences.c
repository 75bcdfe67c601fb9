/* test-preferences.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences → Accounts with the real windows against real emulators:
 * Add Account… (fields, kinds, Test Connection, Save, "Keep for This
 * Session" when there is no keyring), errors shown in the dialog, Edit,
 * Remove with its confirmation, the default account, and the Local
 * service's live state.
 *
 * With JOBGRAPH_TEST_KEYRING=1 (test-accounts-keyring.sh, a private
 * session bus with gnome-keyring-daemon) only the keyring case runs: the
 * secret entered in the dialog goes to the keyring and nowhere else.
 * JOBGRAPH_TEST_SCREENSHOTS=DIR saves PNGs of the windows, light and dark.
 */

#include "config.h"

#include <adwaita.h>

#include "jg-account-dialog.h"
#include "jg-keyring.h"
#include "jg-preferences-window.h"
#include "ui-test-accounts.h"
#include "ui-test-service.h"
#include "ui-test-util.h"

typedef struct
{
  UiTestService *service;
  GtkWindow     *preferences;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->service = ui_test_service_new ();
  if (data != NULL)
    ui_test_service_add_emulator (fixture->service, "extra", NULL);

  fixture->preferences = jg_preferences_window_new (NULL, fixture->service->store);
  g_object_add_weak_pointer (G_OBJECT (fixture->preferences), (gpointer *)&fixture->preferences);
  gtk_window_present (fixture->preferences);
  ui_test_wait_mapped (GTK_WIDGET (fixture->preferences), 10);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->preferences != NULL)
    gtk_window_destroy (fixture->preferences);
  ui_test_settle ();
  g_assert_null (fixture->preferences);

  ui_test_service_free (fixture->service);
}

static gpointer
get_child (gpointer    widget,
           GType       type,
           const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);

  return child;
}

#define DIALOG_CHILD(dialog, name) get_child (dialog, JG_TYPE_ACCOUNT_DIALOG, name)

/* The visible toplevel of @type, if any. */
static GtkWidget *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }

  return NULL;
}

static gboolean
window_shown (gpointer data)
{
  GtkWidget *window = find_window (GPOINTER_TO_SIZE (data));

  return window != NULL && gtk_widget_get_mapped (window);
}

/* Waits for a window of @type to show and points *@window at it, weakly:
 * it becomes NULL once the window is destroyed. Every window waited for
 * must be closed before the test returns.
 */
static void
wait_for_window (GType     type,
                 gpointer *window)
{
  ui_test_wait_until (window_shown, GSIZE_TO_POINTER (type), 10, g_type_name (type));
  *window = find_window (type);
  g_object_add_weak_pointer (G_OBJECT (*window), window);
  ui_test_settle ();
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *)data == NULL;
}

/* Waits for the window of wait_for_window() to be destroyed. */
static void
wait_closed (gpointer *window)
{
  ui_test_wait_until (is_null, window, 10, "the window to close");
}

/* The account row titled @title, or NULL. */
static AdwActionRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *found = find_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static AdwActionRow *
get_row (Fixture    *fixture,
         const char *title)
{
  AdwActionRow *row = find_row (GTK_WIDGET (fixture->preferences), title);

  if (row == NULL)
    g_error ("no account row “%s”", title);

  return row;
}

/* The button of @widget whose tooltip is @tooltip. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *tooltip)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
click (gpointer button)
{
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  /* What a click ends in; gtk_widget_activate() would emit it only after
   * showing the button pressed for a quarter of a second.
   */
  g_signal_emit_by_name (button, "clicked");
  ui_test_settle ();
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Clicks the response button of @dialog labelled @label. */
static void
respond (AdwMessageDialog *dialog,
         const char       *label)
{
  GtkWidget *button = find_button_labelled (GTK_WIDGET (dialog), label);

  if (button == NULL)
    g_error ("no button “%s” in “%s”", label, adw_message_dialog_get_heading (dialog));

  click (button);
}

static void
set_text (gpointer    row,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
save_screenshot (gpointer    widget,
                 const char *name)
{
  const char *dir = g_getenv ("JOBGRAPH_TEST_SCREENSHOTS");
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (dir == NULL)
    return;

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (widget));
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *path = g_strdup_printf ("%s/%s-%s.png", dir, name, dark ? "dark" : "light");
      int width = gtk_widget_get_width (GTK_WIDGET (widget));
      int height = gtk_widget_get_height (GTK_WIDGET (widget));

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      for (guint i = 0; i < 10; i++)
        ui_test_settle ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_to_node (snapshot);
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      g_assert_true (gdk_texture_save_to_png (texture, path));
    }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  ui_test_settle ();
}

typedef struct
{
  AdwActionRow *row;
  const char   *prefix;
} SubtitleWait;

static gboolean
subtitle_has_prefix (gpointer data)
{
  SubtitleWait *wait = data;

  return g_str_has_prefix (adw_action_row_get_subtitle (wait->row), wait->prefix);
}

/* Waits until @row's subtitle starts with @prefix and a user sees it. */
static const char *
wait_for_subtitle (gpointer    row,
                   const char *prefix)
{
  SubtitleWait wait = { row, prefix };
  const char  *subtitle;

  ui_test_wait_until (subtitle_has_prefix, &wait, 30, prefix);
  ui_test_settle ();
  subtitle = adw_action_row_get_subtitle (wait.row);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (row), subtitle));

  return subtitle;
}

static gboolean
test_finished (gpointer dialog)
{
  return gtk_widget_is_sensitive (DIALOG_CHILD (dialog, "test_button"));
}

/* Clicks Test Connection and returns what the dialog says. */
static const char *
test_connection (gpointer dialog)
{
  click (DIALOG_CHILD (dialog, "test_button"));
  ui_test_wait_until (test_finished, dialog, 30, "the connection test");
  ui_test_settle ();

  return adw_action_row_get_subtitle (DIALOG_CHILD (dialog, "test_row"));
}

static void
open_add_dialog (Fixture          *fixture,
                 JgAccountDialog **dialog_out)
{
  JgAccountDialog *dialog;

  click (get_child (fixture->preferences, JG_TYPE_PREFERENCES_WINDOW, "add_button"));
  wait_for_window (JG_TYPE_ACCOUNT_DIALOG, (gpointer *)dialog_out);
  dialog = *dialog_out;
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Add Account");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->preferences);
}

/* Fills the dialog with an ACS account of the extra emulator. */
static void
fill_extra_account (Fixture         *fixture,
                    JgAccountDialog *dialog,
                    const char      *name,
                    const char      *secret)
{
  JgAccount *extra = jg_account_store_lookup (fixture->service->store, "extra");

  set_text (DIALOG_CHILD (dialog, "name_row"), name);
  adw_combo_row_set_selected (DIALOG_CHILD (dialog, "kind_row"), JG_AUTH_KIND_ACS);
  set_text (DIALOG_CHILD (dialog, "endpoint_row"), jg_account_get_endpoint (extra));
  set_text (DIALOG_CHILD (dialog, "token_uri_row"), jg_account_get_token_uri (extra));
  set_text (DIALOG_CHILD (dialog, "client_id_row"), jg_account_get_client_id (extra));
  set_text (DIALOG_CHILD (dialog, "secret_row"), secret);
  ui_test_settle ();
}

static guint
count_processors (Fixture    *fixture,
                  const char *name)
{
  g_autoptr(JgClient) client = ui_test_service_dup_client (fixture->service, name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GError) error = NULL;

  jg_client_list_processors_async (client, NULL, ui_test_store_result, &result);
  ui_test_wait_until (ui_test_has_result, &result, 30, "the media processors");
  processors = jg_client_list_processors_finish (client, result, &error);
  g_assert_no_error (error);

  return processors->len;
}

static void
assert_visible (JgAccountDialog *dialog,
                const char      *name,
                gboolean         visible)
{
  if (gtk_widget_get_visible (DIALOG_CHILD (dialog, name)) != visible)
    g_error ("%s should be %s", name, visible ? "visible" : "hidden");
}

static void
test_add_account (Fixture       *fixture,
                  gconstpointer  data)
{
  JgAccountDialog  *dialog;
  AdwMessageDialog *keep;
  AdwActionRow     *row;
  JgAccount        *extra = jg_account_store_lookup (fixture->service->store, "extra");
  g_autofree char  *subtitle = NULL;
  g_autofree char  *connected = NULL;
  const char       *result;

  /* An account row says how it signs in and where. */
  row = get_row (fixture, "extra");
  subtitle = g_strdup_printf ("Access Control Service · %s", jg_account_get_endpoint (extra));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, subtitle);

  open_add_dialog (fixture, &dialog);
  g_assert_cmpstr (gtk_editable_get_text (DIALOG_CHILD (dialog, "api_version_row")), ==, "2.19");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == DIALOG_CHILD (dialog, "save_button"));

  /* Rows follow the kind. */
  assert_visible (dialog, "token_uri_row", TRUE);
  assert_visible (dialog, "client_id_row", TRUE);
  assert_visible (dialog, "resource_row", FALSE);
  g_assert_cmpstr (adw_preferences_row_get_title (DIALOG_CHILD (dialog, "client_id_row")), ==, "Account _Name");
  adw_combo_row_set_selected (DIALOG_CHILD (dialog, "kind_row"), JG_AUTH_KIND_AAD);
  assert_visible (dialog, "resource_row", TRUE);
  g_assert_cmpstr (gtk_editable_get_text (DIALOG_CHILD (dialog, "resource_row")), ==, "https://rest.media.azure.net");
  g_assert_cmpstr (adw_preferences_row_get_title (DIALOG_CHILD (dialog, "client_id_row")), ==, "_Client ID");
  g_assert_cmpstr (adw_preferences_row_get_title (DIALOG_CHILD (dialog, "secret_row")), ==, "Client _Secret");
  adw_combo_row_set_selected (DIALOG_CHILD (dialog, "kind_row"), JG_AUTH_KIND_BEARER);
  assert_visible (dialog, "token_uri_row", FALSE);
  assert_visible (dialog, "client_id_row", FALSE);
  assert_visible (dialog, "resource_row", FALSE);

  /* Testing needs the secret; a wrong one is an error, the right one lists the processors. */
  fill_extra_account (fixture, dialog, "Studio", "");
  g_assert_cmpstr (test_connection (dialog), ==, "Enter the secret to test the connection");
  set_text (DIALOG_CHILD (dialog, "secret_row"), "wrong-key");
  result = test_connection (dialog);
  g_assert_false (g_str_has_prefix (result, "Connected"));
  g_assert_null (strstr (result, "wrong-key"));
  g_assert_true (gtk_widget_has_css_class (DIALOG_CHILD (dialog, "test_icon"), "error"));

  set_text (DIALOG_CHILD (dialog, "secret_row"), UI_TEST_EMULATOR_KEY);
  click (DIALOG_CHILD (dialog, "test_button"));
  result = wait_for_subtitle (DIALOG_CHILD (dialog, "test_row"), "Connected: ");
  connected = g_strdup_printf ("Connected: %u media processors", count_processors (fixture, "extra"));
  g_assert_cmpstr (result, ==, connected);
  g_assert_true (gtk_widget_has_css_class (DIALOG_CHILD (dialog, "test_icon"), "success"));
  save_screenshot (dialog, "account-dialog");

  /* No keyring here: Save offers to keep the secret for the session. */
  click (DIALOG_CHILD (dialog, "save_button"));
  wait_for_window (ADW_TYPE_MESSAGE_DIALOG, (gpointer *)&keep);
  g_assert_cmpstr (adw_message_dialog_get_heading (keep), ==, "Keep the Secret for This Session?");
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (keep), "The keyring cannot be reached: "));
  g_assert_true (g_str_has_suffix (adw_message_dialog_get_body (keep),
                                   ". Keep the secret for this session only? It will be forgotten when Jobgraph "
                                   "quits."));
  g_assert_null (strstr (adw_message_dialog_get_body (keep), UI_TEST_EMULATOR_KEY));
  g_assert_cmpstr (adw_message_dialog_get_response_label (keep, "keep"), ==, "_Keep for This Session");
  save_screenshot (keep, "keep-secret");
  respond (keep, "_Keep for This Session");
  wait_closed ((gpointer *)&keep);
  wait_closed ((gpointer *)&dialog);

  g_assert_true (jg_account_store_has_session_secret (fixture->service->store, "Studio"));
  row = get_row (fixture, "Studio");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, subtitle);
  g_assert_cmpuint (count_processors (fixture, "Studio"), >, 0);
  ui_test_assert_settings_free_of (fixture->service->settings, UI_TEST_EMULATOR_KEY);
  save_screenshot (fixture->preferences, "preferences");
}

static void
test_save_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  JgAccountDialog *dialog;
  GtkWidget       *error_box;
  GtkLabel        *error_label;

  open_add_dialog (fixture, &dialog);
  error_box = DIALOG_CHILD (dialog, "error_box");
  error_label = DIALOG_CHILD (dialog, "error_label");

  g_assert_false (gtk_widget_get_visible (error_box));

  fill_extra_account (fixture, dialog, "Broken", "some-secret");
  set_text (DIALOG_CHILD (dialog, "endpoint_row"), "ftp://media.example/");
  click (DIALOG_CHILD (dialog, "save_button"));
  g_assert_true (gtk_widget_get_mapped (error_box));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==,
                   "Endpoint “ftp://media.example/” is not an http:// or https:// address");
  save_screenshot (dialog, "account-dialog-error");

  set_text (DIALOG_CHILD (dialog, "name_row"), "extra");
  set_text (DIALOG_CHILD (dialog, "endpoint_row"), "https://media.example/api/");
  click (DIALOG_CHILD (dialog, "save_button"));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==, "There is already an account named “extra”");

  set_text (DIALOG_CHILD (dialog, "name_row"), "Broken");
  set_text (DIALOG_CHILD (dialog, "api_version_row"), "3.0");
  click (DIALOG_CHILD (dialog, "save_button"));
  g_assert_cmpstr (gtk_label_get_label (error_label), ==,
                   "API version “3.0” is not a Media Services v2 version such as 2.19");

  /* Nothing was saved; Escape closes and forgets the secret. */
  g_assert_null (jg_account_store_lookup (fixture->service->store, "Broken"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  wait_closed ((gpointer *)&dialog);
  g_assert_null (jg_account_store_lookup (fixture->service->store, "Broken"));
  g_assert_null (find_row (GTK_WIDGET (fixture->preferences), "Broken"));
}

static void
test_edit_account (Fixture       *fixture,
                   gconstpointer  data)
{
  JgAccountDialog *dialog;
  AdwActionRow    *row = get_row (fixture, "extra");
  AdwActionRow    *fixed_name_row;
  JgAccount       *account;
  g_autofree char *endpoint = NULL;
  g_autofree char *expected = NULL;

  click (find_button (GTK_WIDGET (row), "Edit"));
  wait_for_window (JG_TYPE_ACCOUNT_DIALOG, (gpointer *)&dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Account");

  /* Accounts keep their names. */
  assert_visible (dialog, "name_row", FALSE);
  fixed_name_row = DIALOG_CHILD (dialog, "fixed_name_row");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixed_name_row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (fixed_name_row), ==, "extra");
  g_assert_cmpstr (adw_preferences_row_get_title (DIALOG_CHILD (dialog, "secret_row")), ==, "New Account _Key");
  g_assert_cmpstr (adw_preferences_group_get_description (DIALOG_CHILD (dialog, "sign_in_group")), ==,
                   "The secret is kept in the keyring. Leave it empty to keep the stored one.");

  account = jg_account_store_lookup (fixture->service->store, "extra");
  g_assert_cmpstr (gtk_editable_get_text (DIALOG_CHILD (dialog, "endpoint_row")), ==,
                   jg_account_get_endpoint (account));
  g_assert_cmpstr (gtk_editable_get_text (DIALOG_CHILD (dialog, "client_id_row")), ==,
                   jg_account_get_client_id (account));

  /* The session's secret cannot be read back for a test. */
  g_assert_cmpstr (test_connection (dialog), ==,
                   "The secret kept for this session is not shown here: enter it again to test the connection");

  endpoint = g_strconcat (jg_account_get_endpoint (account), "?edited", NULL);
  set_text (DIALOG_CHILD (dialog, "endpoint_row"), endpoint);
  set_text (DIALOG_CHILD (dialog, "api_version_row"), "2.17");
  click (DIALOG_CHILD (dialog, "save_button"));
  wait_closed ((gpointer *)&dialog);

  account = jg_account_store_lookup (fixture->service->store, "extra");
  g_assert_cmpstr (jg_account_get_endpoint (account), ==, endpoint);
  g_assert_cmpstr (jg_account_get_api_version (account), ==, "2.17");
  g_assert_true (jg_account_store_has_session_secret (fixture->service->store, "extra"));

  expected = g_strdup_printf ("Access Control Service · %s", endpoint);
  row = get_row (fixture, "extra");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, expected);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (row), expected));
}

static void
test_remove_account (Fixture       *fixture,
                     gconstpointer  data)
{
  AdwMessageDialog *confirm;
  GtkWidget        *remove;

  remove = find_button (GTK_WIDGET (get_row (fixture, "extra")), "Remove");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove “extra”");
  g_assert_null (find_button (GTK_WIDGET (get_row (fixture, "Local service")), "Remove"));
  g_assert_null (find_button (GTK_WIDGET (get_row (fixture, "Local service")), "Edit"));

  /* Cancel keeps it. */
  click (remove);
  wait_for_window (ADW_TYPE_MESSAGE_DIALOG, (gpointer *)&confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Remove account “extra”?");
  g_assert_cmpstr (adw_message_dialog_get_body (confirm), ==, "Its secret is removed from the keyring too.");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (confirm, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  save_screenshot (confirm, "remove-account");
  respond (confirm, "_Cancel");
  wait_closed ((gpointer *)&confirm);
  g_assert_nonnull (jg_account_store_lookup (fixture->service->store, "extra"));

  click (find_button (GTK_WIDGET (get_row (fixture, "extra")), "Remove"));
  wait_for_window (ADW_TYPE_MESSAGE_DIALOG, (gpointer *)&confirm);
  respond (confirm, "_Remove");
  wait_closed ((gpointer *)&confirm);
  ui_test_settle ();

  g_assert_null (jg_account_store_lookup (fixture->service->store, "extra"));
  g_assert_null (find_row (GTK_WIDGET (fixture->preferences), "extra"));
  g_assert_false (jg_account_store_has_session_secret (fixture->service->store, "extra"));
}

static GtkCheckButton *
get_default_check (Fixture    *fixture,
                   const char *title)
{
  GtkWidget *check = ui_test_find_descendant (GTK_WIDGET (get_row (fixture, title)), GTK_TYPE_CHECK_BUTTON);

  g_assert_nonnull (check);

  return GTK_CHECK_BUTTON (check);
}

static void
test_default_account (Fixture       *fixture,
                      gconstpointer  data)
{
  JgAccountStore *store = fixture->service->store;

  g_assert_true (gtk_check_button_get_active (get_default_check (fixture, "Local service")));
  g_assert_false (gtk_check_button_get_active (get_default_check (fixture, "extra")));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (get_default_check (fixture, "extra")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Make “extra” the default account");

  /* Activating the row (Enter or a click on it) makes it the default. */
  gtk_widget_activate (GTK_WIDGET (get_row (fixture, "extra")));
  ui_test_settle ();
  g_assert_cmpstr (jg_account_store_get_default_name (store), ==, "extra");
  g_assert_true (gtk_check_button_get_active (get_default_check (fixture, "extra")));
  g_assert_false (gtk_check_button_get_active (get_default_check (fixture, "Local service")));

  /* Changed elsewhere, shown here. */
  jg_account_store_set_default_name (store, JG_ACCOUNT_STORE_LOCAL);
  ui_test_settle ();
  g_assert_true (gtk_check_button_get_active (get_default_check (fixture, "Local service")));
  g_assert_false (gtk_check_button_get_active (get_default_check (fixture, "extra")));

  /* Removing the default account falls back to the Local service. */
  jg_account_store_set_default_name (store, "extra");
  jg_account_store_remove (store, "extra");
  ui_test_settle ();
  g_assert_cmpstr (jg_account_store_get_default_name (store), ==, JG_ACCOUNT_STORE_LOCAL);
  g_assert_true (gtk_check_button_get_active (get_default_check (fixture, "Local service")));
}

static void
test_local_service_row (Fixture       *fixture,
                        gconstpointer  data)
{
  AdwActionRow    *row = get_row (fixture, "Local service");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JgClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Not started — starts when needed");
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (row), "Not started — starts when needed"));

  jg_account_store_dup_client_async (fixture->service->store, JG_ACCOUNT_STORE_LOCAL, NULL, ui_test_store_result,
                                     &result);
  wait_for_subtitle (row, "Running at http://127.0.0.1:");
  expected = g_strdup_printf ("Running at %s", jg_local_service_get_uri (fixture->service->local_service));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, expected);

  ui_test_wait_until (ui_test_has_result, &result, 30, "the Local service's client");
  client = jg_account_store_dup_client_finish (fixture->service->store, result, &error);
  g_assert_no_error (error);
  save_screenshot (fixture->preferences, "preferences-running");
}

/* Under test-accounts-keyring.sh: a real keyring on a private bus. */
static void
test_keyring (Fixture       *fixture,
              gconstpointer  data)
{
  JgAccountDialog *dialog;
  g_autoptr(GError) error = NULL;
  char            *stored;

  open_add_dialog (fixture, &dialog);
  fill_extra_account (fixture, dialog, "Keyed", UI_TEST_EMULATOR_KEY);
  click (DIALOG_CHILD (dialog, "save_button"));
  /* Stored without a question. */
  wait_closed ((gpointer *)&dialog);
  g_assert_null (find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_false (jg_account_store_has_session_secret (fixture->service->store, "Keyed"));

  stored = jg_keyring_lookup_sync ("Keyed", "acs", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, UI_TEST_EMULATOR_KEY);
  jg_keyring_free_secret (stored);
  ui_test_assert_settings_free_of (fixture->service->settings, UI_TEST_EMULATOR_KEY);

  /* A client gets the secret from the keyring. */
  g_assert_cmpuint (count_processors (fixture, "Keyed"), >, 0);

  /* Editing with the secret left empty tests with the stored one. */
  click (find_button (GTK_WIDGET (get_row (fixture, "Keyed")), "Edit"));
  wait_for_window (JG_TYPE_ACCOUNT_DIALOG, (gpointer *)&dialog);
  g_assert_true (g_str_has_prefix (test_connection (dialog), "Connected: "));
  gtk_window_close (GTK_WINDOW (dialog));
  wait_closed ((gpointer *)&dialog);
}

int
main (int   argc,
      char *argv[])
{
  gboolean         keyring = g_strcmp0 (g_getenv ("JOBGRAPH_TEST_KEYRING"), "1") == 0;
  g_autofree char *home = NULL;
  int              status;

  g_setenv ("LANGUAGE", "C", TRUE);

  /* Private user directories, but not G_TEST_OPTION_ISOLATE_DIRS: that
   * also hides the icon theme. Under test-accounts-keyring.sh the script's
   * scratch directories are used, so that it can search them afterwards.
   */
  if (!keyring)
    {
      static const char *vars[] = { "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };

      home = g_dir_make_tmp ("jg-test-preferences-XXXXXX", NULL);
      for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
        {
          g_autofree char *dir = g_build_filename (home, vars[i], NULL);

          g_mkdir_with_parents (dir, 0700);
          g_setenv (vars[i], dir, TRUE);
        }
    }

  g_test_init (&argc, &argv, NULL);
  if (!keyring)
    ui_test_keyring_unreachable ();

  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return 77;
    }
  adw_init ();

#define ADD(path, func, with_extra) \
  g_test_add ("/jobgraph/ui/preferences/" path, Fixture, with_extra ? "extra" : NULL, fixture_set_up, func, \
              fixture_tear_down)

  if (keyring)
    ADD ("keyring", test_keyring, TRUE);
  else
    {
      ADD ("add-account", test_add_account, TRUE);
      ADD ("save-errors", test_save_errors, TRUE);
      ADD ("edit-account", test_edit_account, TRUE);
      ADD ("remove-account", test_remove_account, TRUE);
      ADD ("default-account", test_default_account, TRUE);
      ADD ("local-service-row", test_local_service_row, FALSE);
    }
#undef ADD

  status = g_test_run ();

  if (home != NULL)
    ui_test_service_remove_tree (home);

  return status;
}
