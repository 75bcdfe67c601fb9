/* jg-preferences-window.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "jg-account-dialog.h"
#include "jg-preferences-window.h"

struct _JgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* Template children */
  GtkListBox          *list_box;
  GtkButton           *add_button;

  /* Owned references */
  JgAccountStore      *store;
  /* Never shown: every row's default check joins its group, so the checks
   * behave as radio buttons however often the rows are rebuilt.
   */
  GtkWidget           *default_group;
};

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgPreferencesWindow, jg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static GParamSpec *properties[N_PROPS];

static const char *
kind_title (JgAuthKind kind)
{
  switch (kind)
    {
    case JG_AUTH_KIND_ACS:
      return _("Access Control Service");
    case JG_AUTH_KIND_AAD:
      return _("Azure AD");
    case JG_AUTH_KIND_BEARER:
    default:
      return _("Fixed token");
    }
}

static const char *
get_row_account_name (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "account-name") : NULL;
}

static void
update_local_subtitle (AdwActionRow   *row,
                       GParamSpec     *pspec,
                       JgLocalService *service)
{
  g_autofree char *subtitle = NULL;

  switch (jg_local_service_get_state (service))
    {
    case JG_LOCAL_SERVICE_STATE_STARTING:
      subtitle = g_strdup (_("Starting…"));
      break;

    case JG_LOCAL_SERVICE_STATE_RUNNING:
      /* Translators: %s is an address such as http://127.0.0.1:41234/ */
      subtitle = g_strdup_printf (_("Running at %s"), jg_local_service_get_uri (service));
      break;

    case JG_LOCAL_SERVICE_STATE_FAILED:
      /* Translators: %s says why the local service stopped or did not start */
      subtitle = g_strdup_printf (_("Failed: %s"), jg_local_service_get_error_message (service));
      break;

    case JG_LOCAL_SERVICE_STATE_STOPPED:
    default:
      subtitle = g_strdup (_("Not started — starts when needed"));
      break;
    }

  adw_action_row_set_subtitle (row, subtitle);
}

static void
default_toggled_cb (JgPreferencesWindow *self,
                    GtkCheckButton      *check)
{
  const char *name = get_row_account_name (GTK_WIDGET (check));

  if (name != NULL && gtk_check_button_get_active (check))
    jg_account_store_set_default_name (self->store, name);
}

static void
default_name_changed_cb (JgPreferencesWindow *self,
                         GParamSpec          *pspec,
                         JgAccountStore      *store)
{
  const char *name = jg_account_store_get_default_name (store);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "account-name"), name) == 0)
      gtk_check_button_set_active (g_object_get_data (G_OBJECT (row), "default-check"), TRUE);
}

static void
edit_clicked_cb (JgPreferencesWindow *self,
                 GtkButton           *button)
{
  JgAccount *account = jg_account_store_lookup (self->store, get_row_account_name (GTK_WIDGET (button)));

  if (account != NULL)
    gtk_window_present (jg_account_dialog_new (GTK_WINDOW (self), self->store, account));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  JgPreferencesWindow *self = user_data;
  const char          *name = g_object_get_data (G_OBJECT (dialog), "account-name");

  if (g_strcmp0 (response, "remove") == 0)
    jg_account_store_remove (self->store, name);
}

static void
remove_clicked_cb (JgPreferencesWindow *self,
                   GtkButton           *button)
{
  const char *name = get_row_account_name (GTK_WIDGET (button));
  GtkWidget  *dialog;

  if (name == NULL)
    return;

  /* Translators: %s is an account name */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove account “%s”?"), name);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), _("Its secret is removed from the keyring too."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_clicked_cb (JgPreferencesWindow *self,
                GtkButton           *button)
{
  gtk_window_present (jg_account_dialog_new (GTK_WINDOW (self), self->store, NULL));
}

static GtkWidget *
add_icon_button (JgPreferencesWindow *self,
                 AdwActionRow        *row,
                 const char          *icon_name,
                 const char          *tooltip,
                 const char          *label,
                 GCallback            callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_swapped (button, "clicked", callback, self);
  adw_action_row_add_suffix (row, button);

  return button;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  JgPreferencesWindow *self = user_data;
  JgAccount           *account = item;
  const char          *name = jg_account_get_name (account);
  g_autofree char     *title = jg_account_dup_title (account);
  g_autofree char     *default_label = NULL;
  AdwActionRow        *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget           *check = gtk_check_button_new ();

  /* Names are the user's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_object_set_data_full (G_OBJECT (row), "account-name", g_strdup (name), g_free);

  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (self->default_group));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               g_strcmp0 (name, jg_account_store_get_default_name (self->store)) == 0);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (check, _("Default account"));
  /* Translators: %s is an account name, or “Local service” */
  default_label = g_strdup_printf (_("Make “%s” the default account"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, default_label, -1);
  g_signal_connect_swapped (check, "toggled", G_CALLBACK (default_toggled_cb), self);
  adw_action_row_add_prefix (row, check);
  adw_action_row_set_activatable_widget (row, check);
  g_object_set_data (G_OBJECT (row), "default-check", check);

  if (jg_account_store_is_local (account))
    {
      JgLocalService *service = jg_account_store_get_local_service (self->store);

      update_local_subtitle (row, NULL, service);
      g_signal_connect_object (service, "notify::state", G_CALLBACK (update_local_subtitle), row,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (service, "notify::uri", G_CALLBACK (update_local_subtitle), row, G_CONNECT_SWAPPED);
    }
  else
    {
      g_autofree char *subtitle = NULL;
      g_autofree char *edit_label = NULL;
      g_autofree char *remove_label = NULL;

      /* Translators: the kind of sign-in, then the account's endpoint */
      subtitle = g_strdup_printf (_("%s · %s"), kind_title (jg_account_get_auth_kind (account)),
                                  jg_account_get_endpoint (account));
      adw_action_row_set_subtitle (row, subtitle);

      /* Translators: %s is an account name */
      edit_label = g_strdup_printf (_("Edit “%s”"), title);
      /* Translators: %s is an account name */
      remove_label = g_strdup_printf (_("Remove “%s”"), title);
      add_icon_button (self, row, "document-edit-symbolic", _("Edit"), edit_label, G_CALLBACK (edit_clicked_cb));
      add_icon_button (self, row, "user-trash-symbolic", _("Remove"), remove_label,
                       G_CALLBACK (remove_clicked_cb));
    }

  return GTK_WIDGET (row);
}

static void
jg_preferences_window_constructed (GObject *object)
{
  JgPreferencesWindow *self = JG_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (jg_preferences_window_parent_class)->constructed (object);

  g_assert (JG_IS_ACCOUNT_STORE (self->store));

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store), create_row_cb, self, NULL);
  g_signal_connect_object (self->store, "notify::default-name", G_CALLBACK (default_name_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
jg_preferences_window_dispose (GObject *object)
{
  JgPreferencesWindow *self = JG_PREFERENCES_WINDOW (object);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_PREFERENCES_WINDOW);
  self->list_box = NULL;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->default_group);

  G_OBJECT_CLASS (jg_preferences_window_parent_class)->dispose (object);
}

static void
jg_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  JgPreferencesWindow *self = JG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  JgPreferencesWindow *self = JG_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_preferences_window_class_init (JgPreferencesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_preferences_window_constructed;
  object_class->dispose = jg_preferences_window_dispose;
  object_class->get_property = jg_preferences_window_get_property;
  object_class->set_property = jg_preferences_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         JG_TYPE_ACCOUNT_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, JgPreferencesWindow, add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
jg_preferences_window_init (JgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->default_group = g_object_ref_sink (gtk_check_button_new ());
}

/**
 * jg_preferences_window_new:
 * @parent: (nullable): the window the preferences are opened from
 * @store: the accounts to show and edit
 *
 * Returns: (transfer none): a new modal preferences window, not shown yet
 */
GtkWindow *
jg_preferences_window_new (GtkWindow      *parent,
                           JgAccountStore *store)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (store), NULL);

  return g_object_new (JG_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "store", store,
                       NULL);
}

JgAccountStore *
jg_preferences_window_get_store (JgPreferencesWindow *self)
{
  g_return_val_if_fail (JG_IS_PREFERENCES_WINDOW (self), NULL);

  return self->store;
}
