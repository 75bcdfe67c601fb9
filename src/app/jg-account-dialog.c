/* jg-account-dialog.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-account-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "jg-account-dialog.h"
#include "jg-keyring.h"

/* The secret typed here lives in the password row's buffer (GtkEntryBuffer
 * overwrites text it drops), in a JgAccount made for a connection test
 * (which wipes it when finalized), and in pending_secret while the keyring
 * stores it or the user decides to keep it for the session. It is never set
 * on a property, logged or shown, and all three copies are wiped when the
 * dialog closes.
 */

struct _JgAccountDialog
{
  AdwWindow            parent_instance;

  /* Template children */
  GtkWidget           *error_box;
  GtkLabel            *error_label;
  AdwEntryRow         *name_row;
  AdwActionRow        *fixed_name_row;
  AdwComboRow         *kind_row;
  AdwEntryRow         *endpoint_row;
  AdwEntryRow         *api_version_row;
  AdwPreferencesGroup *sign_in_group;
  AdwEntryRow         *token_uri_row;
  AdwEntryRow         *client_id_row;
  AdwEntryRow         *resource_row;
  AdwEntryRow         *secret_row;
  AdwActionRow        *test_row;
  GtkImage            *test_icon;
  GtkSpinner          *test_spinner;
  GtkButton           *test_button;
  GtkButton           *save_button;

  /* Owned references */
  JgAccountStore      *store;
  JgAccount           *account;
  GCancellable        *test_cancellable;
  GCancellable        *save_cancellable;

  /* The name of the saved account: the edited one, or the added one once
   * saved. NULL while adding.
   */
  char                *saved_name;
  char                *pending_secret;
  /* Set once closing: results that arrive later are dropped. */
  gboolean             closed;
};

enum
{
  PROP_0,
  PROP_STORE,
  PROP_ACCOUNT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgAccountDialog, jg_account_dialog, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static void
wipe_pending_secret (JgAccountDialog *self)
{
  g_clear_pointer (&self->pending_secret, jg_keyring_free_secret);
}

static JgAuthKind
get_kind (JgAccountDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->kind_row);

  return selected <= JG_AUTH_KIND_BEARER ? (JgAuthKind)selected : JG_AUTH_KIND_ACS;
}

/* The text of @row without the spaces a paste tends to bring along. */
static char *
dup_field (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static const char *
get_name (JgAccountDialog *self)
{
  return self->saved_name != NULL ? self->saved_name : gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

/* The account the fields describe, without its secret. */
static JgAccount *
build_account (JgAccountDialog *self)
{
  JgAuthKind       kind = get_kind (self);
  g_autofree char *endpoint = dup_field (self->endpoint_row);
  g_autofree char *api_version = dup_field (self->api_version_row);
  JgAccount       *account = jg_account_new (kind, endpoint);

  jg_account_set_name (account, get_name (self));
  jg_account_set_api_version (account, api_version);

  if (kind != JG_AUTH_KIND_BEARER)
    {
      g_autofree char *token_uri = dup_field (self->token_uri_row);
      g_autofree char *client_id = dup_field (self->client_id_row);

      jg_account_set_token_uri (account, token_uri);
      jg_account_set_client_id (account, client_id);
    }

  if (kind == JG_AUTH_KIND_AAD)
    {
      g_autofree char *resource = dup_field (self->resource_row);

      if (*resource != '\0')
        jg_account_set_resource (account, resource);
    }

  return account;
}

static void
show_error (JgAccountDialog *self,
            const char      *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (self->error_box, message != NULL);
}

static void
show_test_result (JgAccountDialog *self,
                  const char      *message,
                  gboolean         success)
{
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);

  gtk_image_set_from_icon_name (self->test_icon, success ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), success ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), success ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), TRUE);
  adw_action_row_set_subtitle (self->test_row, message);
}

static void
reset_test (JgAccountDialog *self)
{
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);

  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), FALSE);
  adw_action_row_set_subtitle (self->test_row, _("Signs in and lists the media processors"));
}

static void
update_kind_rows (JgAccountDialog *self)
{
  JgAuthKind  kind = get_kind (self);
  gboolean    editing = self->saved_name != NULL;
  const char *secret_title;

  gtk_widget_set_visible (GTK_WIDGET (self->token_uri_row), kind != JG_AUTH_KIND_BEARER);
  gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), kind != JG_AUTH_KIND_BEARER);
  gtk_widget_set_visible (GTK_WIDGET (self->resource_row), kind == JG_AUTH_KIND_AAD);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_id_row),
                                 kind == JG_AUTH_KIND_AAD ? _("_Client ID") : _("Account _Name"));

  switch (kind)
    {
    case JG_AUTH_KIND_AAD:
      secret_title = editing ? _("New Client _Secret") : _("Client _Secret");
      break;

    case JG_AUTH_KIND_BEARER:
      secret_title = editing ? _("New T_oken") : _("T_oken");
      break;

    case JG_AUTH_KIND_ACS:
    default:
      secret_title = editing ? _("New Account _Key") : _("Account _Key");
      break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row), secret_title);

  adw_preferences_group_set_description (self->sign_in_group,
                                         editing
                                           ? _("The secret is kept in the keyring. Leave it empty to keep the "
                                               "stored one.")
                                           : _("The secret is kept in the keyring, never in the settings."));
}

/* Once an account is saved it keeps its name: the keyring item is found
 * by it.
 */
static void
set_saved_name (JgAccountDialog *self,
                const char      *name)
{
  g_free (self->saved_name);
  self->saved_name = g_strdup (name);

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Account"));
  adw_action_row_set_subtitle (self->fixed_name_row, name);
  gtk_widget_set_visible (GTK_WIDGET (self->fixed_name_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), FALSE);
  update_kind_rows (self);
}

static void
set_busy (JgAccountDialog *self,
          gboolean         busy)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), !busy);
}

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JgAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  message = jg_account_store_test_finish (JG_ACCOUNT_STORE (object), result, &error);
  if (self->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  show_test_result (self, message != NULL ? message : error->message, message != NULL);
}

static void
run_test (JgAccountDialog *self,
          JgAccount       *account)
{
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();
  jg_account_store_test_async (self->store, account, self->test_cancellable, test_done_cb, g_object_ref (self));
}

static void
stored_secret_found_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(JgAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgAccount) account = NULL;
  char *secret;

  secret = jg_keyring_lookup_finish (result, &error);
  if (self->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      jg_keyring_free_secret (secret);
      return;
    }

  if (secret == NULL)
    {
      const char *message;

      if (jg_account_store_has_session_secret (self->store, get_name (self)))
        message = _("The secret kept for this session is not shown here: enter it again to test the connection");
      else if (error != NULL)
        message = _("The keyring cannot be reached: enter the secret to test the connection");
      else
        message = _("No secret is stored for this account: enter it to test the connection");

      show_test_result (self, message, FALSE);
      return;
    }

  account = build_account (self);
  jg_account_set_secret (account, secret);
  jg_keyring_free_secret (secret);
  run_test (self, account);
}

static void
test_clicked_cb (JgAccountDialog *self,
                 GtkButton       *button)
{
  g_autoptr(JgAccount) account = build_account (self);
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));

  reset_test (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), TRUE);
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  adw_action_row_set_subtitle (self->test_row, _("Testing…"));

  if (*secret != '\0')
    {
      jg_account_set_secret (account, secret);
      run_test (self, account);
    }
  else if (self->saved_name != NULL)
    {
      /* Editing with the secret left empty: test with the stored one. */
      self->test_cancellable = g_cancellable_new ();
      jg_keyring_lookup_async (self->saved_name, jg_keyring_kind_for_auth (get_kind (self)), self->test_cancellable,
                               stored_secret_found_cb, g_object_ref (self));
    }
  else
    show_test_result (self, _("Enter the secret to test the connection"), FALSE);
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));

  return G_SOURCE_REMOVE;
}

static void
keep_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  JgAccountDialog *self = user_data;

  if (self->closed)
    return;

  if (g_strcmp0 (response, "keep") == 0 && self->pending_secret != NULL)
    jg_account_store_keep_secret_for_session (self->store, self->saved_name, self->pending_secret);

  wipe_pending_secret (self);

  /* Not from within the response: closing destroys the message dialog
   * (destroy-with-parent) while it still emits the signal.
   */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

static void
ask_to_keep_secret (JgAccountDialog *self,
                    const GError    *error)
{
  g_autofree char *reason = g_strdup (error->message);
  GtkWidget       *dialog;

  /* The message goes into a sentence of its own. */
  if (g_str_has_suffix (reason, "."))
    reason[strlen (reason) - 1] = '\0';

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Keep the Secret for This Session?"), NULL);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  /* Translators: %s says why the keyring cannot be reached */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The keyring cannot be reached: %s. Keep the secret for this session only? "
                                    "It will be forgotten when Jobgraph quits."),
                                  reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "forget", _("_Forget It"),
                                    "keep", _("_Keep for This Session"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "keep", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "forget");
  g_signal_connect_object (dialog, "response", G_CALLBACK (keep_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(JgAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  gboolean stored = jg_account_store_store_secret_finish (JG_ACCOUNT_STORE (object), result, &error);

  if (self->closed)
    return;

  if (stored)
    {
      wipe_pending_secret (self);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  ask_to_keep_secret (self, error);
}

static void
save_clicked_cb (JgAccountDialog *self,
                 GtkButton       *button)
{
  g_autoptr(JgAccount) account = build_account (self);
  g_autoptr(GError) error = NULL;
  const char *secret;

  if (self->pending_secret != NULL)
    return;

  if (!jg_account_store_save (self->store, self->saved_name, account, &error))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  if (self->saved_name == NULL)
    set_saved_name (self, jg_account_get_name (account));

  secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  if (*secret == '\0')
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  self->pending_secret = g_strdup (secret);
  set_busy (self, TRUE);
  jg_account_store_store_secret_async (self->store, self->saved_name, self->pending_secret, self->save_cancellable,
                                       secret_stored_cb, g_object_ref (self));
}

static void
field_changed_cb (JgAccountDialog *self,
                  GtkEditable     *editable)
{
  /* A result or an error about other values would mislead. */
  if (self->test_cancellable != NULL || gtk_widget_get_visible (GTK_WIDGET (self->test_icon)))
    reset_test (self);
}

static void
kind_changed_cb (JgAccountDialog *self,
                 GParamSpec      *pspec,
                 AdwComboRow     *row)
{
  update_kind_rows (self);
  field_changed_cb (self, NULL);
}

/* Stops what runs on the dialog's behalf and forgets the secret. */
static void
shut_down (JgAccountDialog *self)
{
  self->closed = TRUE;
  g_cancellable_cancel (self->test_cancellable);
  g_cancellable_cancel (self->save_cancellable);
  wipe_pending_secret (self);

  if (self->secret_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
}

static gboolean
jg_account_dialog_close_request (GtkWindow *window)
{
  shut_down (JG_ACCOUNT_DIALOG (window));

  return GTK_WINDOW_CLASS (jg_account_dialog_parent_class)->close_request (window);
}

static void
fill_fields (JgAccountDialog *self,
             JgAccount       *account)
{
  const char *token_uri = jg_account_get_token_uri (account);
  const char *client_id = jg_account_get_client_id (account);

  adw_combo_row_set_selected (self->kind_row, jg_account_get_auth_kind (account));
  gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), jg_account_get_endpoint (account));
  gtk_editable_set_text (GTK_EDITABLE (self->api_version_row), jg_account_get_api_version (account));
  gtk_editable_set_text (GTK_EDITABLE (self->token_uri_row), token_uri != NULL ? token_uri : "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), client_id != NULL ? client_id : "");
  gtk_editable_set_text (GTK_EDITABLE (self->resource_row), jg_account_get_resource (account));
}

static void
jg_account_dialog_constructed (GObject *object)
{
  JgAccountDialog *self = JG_ACCOUNT_DIALOG (object);

  G_OBJECT_CLASS (jg_account_dialog_parent_class)->constructed (object);

  g_assert (JG_IS_ACCOUNT_STORE (self->store));

  if (self->account != NULL)
    {
      fill_fields (self, self->account);
      set_saved_name (self, jg_account_get_name (self->account));
      gtk_widget_grab_focus (GTK_WIDGET (self->endpoint_row));
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Add Account"));
      update_kind_rows (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
    }
}

static void
jg_account_dialog_dispose (GObject *object)
{
  JgAccountDialog *self = JG_ACCOUNT_DIALOG (object);

  shut_down (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_ACCOUNT_DIALOG);
  self->secret_row = NULL;

  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->save_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (jg_account_dialog_parent_class)->dispose (object);
}

static void
jg_account_dialog_finalize (GObject *object)
{
  JgAccountDialog *self = JG_ACCOUNT_DIALOG (object);

  g_free (self->saved_name);

  G_OBJECT_CLASS (jg_account_dialog_parent_class)->finalize (object);
}

static void
jg_account_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JgAccountDialog *self = JG_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_account_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JgAccountDialog *self = JG_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_account_dialog_class_init (JgAccountDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = jg_account_dialog_constructed;
  object_class->dispose = jg_account_dialog_dispose;
  object_class->finalize = jg_account_dialog_finalize;
  object_class->get_property = jg_account_dialog_get_property;
  object_class->set_property = jg_account_dialog_set_property;

  window_class->close_request = jg_account_dialog_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         JG_TYPE_ACCOUNT_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * JgAccountDialog:account:
   *
   * The account edited, without its secret, or %NULL to add one.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         JG_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, error_box);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, fixed_name_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, api_version_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, sign_in_group);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, token_uri_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, resource_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, test_icon);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, JgAccountDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_account_dialog_init (JgAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->save_cancellable = g_cancellable_new ();
}

/**
 * jg_account_dialog_new:
 * @parent: (nullable): the window the dialog is modal for
 * @store: the store to save into
 * @account: (nullable): the account to edit, or %NULL to add one
 *
 * Returns: (transfer none): a new modal dialog, not shown yet
 */
GtkWindow *
jg_account_dialog_new (GtkWindow      *parent,
                       JgAccountStore *store,
                       JgAccount      *account)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (account == NULL || JG_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (account == NULL || !jg_account_store_is_local (account), NULL);

  return g_object_new (JG_TYPE_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "account", account,
                       NULL);
}
