/* jg-service-window.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-service-window"

#include "config.h"

#include <glib/gi18n.h>

#include "jg-jobs-view.h"
#include "jg-service-window-private.h"
#include "jg-service-window.h"
#include "jg-templates-view.h"

/* The window over an account: the account dropdown picks whose Jobs and
 * Templates the two pages list. Getting a client may start the Local
 * service, which takes a moment (a "Connecting…" page) or fails (an error
 * page that says why, with Retry). The views re-emit what the user wants
 * to open or run; this window adds the client to it.
 */

struct _JgServiceWindow
{
  AdwWindow            parent_instance;

  /* Template children */
  GtkDropDown         *account_dropdown;
  AdwViewSwitcherTitle *switcher_title;
  GtkStack            *stack;
  AdwStatusPage       *connecting_page;
  AdwStatusPage       *error_page;
  AdwViewStack        *view_stack;
  JgJobsView          *jobs_view;
  JgTemplatesView     *templates_view;

  /* Owned references */
  JgAccountStore      *store;
  JgClient            *client;
  char                *account_name;
  /* The client request in flight */
  GCancellable        *connect_cancellable;
  /* Set once the default account is selected: the dropdown selects the
   * first account on its own before, which must not start the Local
   * service for nothing.
   */
  gboolean             constructed;
};

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum
{
  OPEN_JOB,
  OPEN_GRAPH,
  RUN_TEMPLATE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgServiceWindow, jg_service_window, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

/* Shared with the views (jg-service-window-private.h) */

/**
 * _jg_service_format_date:
 * @date: (nullable): a UTC date from the service
 *
 * Returns: (transfer full) (nullable): @date in local time, short
 */
char *
_jg_service_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (date == NULL)
    return NULL;

  local = g_date_time_to_local (date);
  now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time today, in g_date_time_format() notation */
    return g_date_time_format (local, _("Today, %H:%M"));

  /* Translators: a date and time, in g_date_time_format() notation */
  return g_date_time_format (local, _("%b %-e %Y, %H:%M"));
}

typedef struct
{
  JgServiceConfirmFunc func;
  gpointer             data;
  GDestroyNotify       destroy;
} Confirm;

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  /* Once: closing the window after a response may answer again. */
  g_signal_handlers_disconnect_by_func (dialog, confirm_response_cb, confirm);

  if (g_str_equal (response, "delete"))
    confirm->func (confirm->data);

  if (confirm->destroy != NULL)
    confirm->destroy (confirm->data);
  g_free (confirm);
}

/**
 * _jg_service_confirm_delete:
 * @widget: a widget of the window the dialog belongs to
 * @func: called with @data if the user chooses Delete
 * @destroy: (nullable): frees @data after the dialog's response
 *
 * Asks before deleting something on the service, which cannot be undone.
 */
void
_jg_service_confirm_delete (GtkWidget            *widget,
                            const char           *heading,
                            const char           *body,
                            JgServiceConfirmFunc  func,
                            gpointer              data,
                            GDestroyNotify        destroy)
{
  GtkRoot   *root = gtk_widget_get_root (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  Confirm   *confirm = g_new0 (Confirm, 1);

  confirm->func = func;
  confirm->data = data;
  confirm->destroy = destroy;

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  /* Enter must not delete by accident: Cancel is the default. */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), confirm);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * _jg_service_show_toast:
 * @overlay: (nullable): the view's overlay; %NULL once the view is disposed
 */
void
_jg_service_show_toast (AdwToastOverlay *overlay,
                        const char      *message)
{
  AdwToast *toast;

  if (overlay == NULL)
    return;

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (overlay, toast);
}

/**
 * _jg_service_ensure_style:
 *
 * Loads the views' stylesheet (the state pills) once per display.
 */
void
_jg_service_ensure_style (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  /* Its own resource rather than the app's style.css: the views must look
   * right in any GtkApplication, the UI tests' included.
   */
  if (g_object_get_data (G_OBJECT (display), "jg-service-style") != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/jobgraph/Jobgraph/jg-service-window.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "jg-service-style", g_steal_pointer (&provider), g_object_unref);
}

/* Helpers */

static void
show_connecting (JgServiceWindow *self,
                 JgAccount       *account)
{
  g_autofree char *title = jg_account_dup_title (account);
  g_autofree char *description = NULL;

  if (jg_account_store_is_local (account) &&
      jg_local_service_get_state (jg_account_store_get_local_service (self->store)) != JG_LOCAL_SERVICE_STATE_RUNNING)
    description = g_strdup (_("Starting the Local service"));
  else
    /* Translators: %s is an account name */
    description = g_strdup_printf (_("Signing in to “%s”"), title);

  adw_status_page_set_description (self->connecting_page, description);
  gtk_stack_set_visible_child_name (self->stack, "connecting");
}

static void
set_client (JgServiceWindow *self,
            JgClient        *client)
{
  GFile *local_data_dir = NULL;

  g_set_object (&self->client, client);

  if (client != NULL && jg_account_store_is_local (jg_client_get_account (client)))
    local_data_dir = jg_local_service_get_data_dir (jg_account_store_get_local_service (self->store));

  jg_jobs_view_set_local_data_dir (self->jobs_view, local_data_dir);
  jg_jobs_view_set_client (self->jobs_view, client);
  jg_templates_view_set_client (self->templates_view, client);
}

static void
dup_client_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JgServiceWindow) self = user_data;
  g_autoptr(JgClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = jg_account_store_dup_client_finish (JG_ACCOUNT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;

  if (client == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  set_client (self, client);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

static void
connect_account (JgServiceWindow *self)
{
  JgAccount *account = jg_account_store_lookup (self->store, self->account_name);

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  set_client (self, NULL);

  if (account == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no account named “%s”"), self->account_name);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  show_connecting (self, account);
  self->connect_cancellable = g_cancellable_new ();
  jg_account_store_dup_client_async (self->store, self->account_name, self->connect_cancellable, dup_client_cb,
                                     g_object_ref (self));
}

static guint
find_account_position (JgServiceWindow *self,
                       const char      *name)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(JgAccount) account = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (jg_account_get_name (account), name) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

static char *
account_title_cb (JgAccount *account,
                  gpointer   user_data)
{
  return account != NULL ? jg_account_dup_title (account) : NULL;
}

/* Callbacks */

static void
account_selected_cb (JgServiceWindow *self)
{
  JgAccount       *account = gtk_drop_down_get_selected_item (self->account_dropdown);
  g_autofree char *title = NULL;

  if (account == NULL || !self->constructed || self->store == NULL)
    return;

  /* The list also changes when accounts are added or edited elsewhere:
   * only another account is a reason to connect again.
   */
  if (self->client != NULL && g_strcmp0 (jg_account_get_name (account), self->account_name) == 0)
    return;

  g_free (self->account_name);
  self->account_name = g_strdup (jg_account_get_name (account));
  title = jg_account_dup_title (account);
  adw_view_switcher_title_set_subtitle (self->switcher_title, title);

  connect_account (self);
}

static void
open_job_cb (JgServiceWindow *self,
             const char      *job_id,
             JgJobsView      *view)
{
  if (self->client != NULL)
    g_signal_emit (self, signals[OPEN_JOB], 0, self->client, job_id);
}

static void
open_graph_cb (JgServiceWindow *self,
               JgGraph         *graph,
               const char      *title,
               GtkWidget       *view)
{
  g_signal_emit (self, signals[OPEN_GRAPH], 0, graph, title);
}

static void
run_template_cb (JgServiceWindow  *self,
                 JgRemoteTemplate *template_,
                 JgTemplatesView  *view)
{
  if (self->client != NULL)
    g_signal_emit (self, signals[RUN_TEMPLATE], 0, self->client, template_);
}

/* Actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  JgServiceWindow *self = JG_SERVICE_WINDOW (widget);

  if (self->client == NULL)
    {
      /* Nothing to refresh yet: try the account again unless it is on its way. */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0)
        connect_account (self);
      return;
    }

  jg_jobs_view_refresh (self->jobs_view);
  jg_templates_view_refresh (self->templates_view);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  connect_account (JG_SERVICE_WINDOW (widget));
}

/* Vfuncs */

static void
jg_service_window_constructed (GObject *object)
{
  JgServiceWindow *self = JG_SERVICE_WINDOW (object);
  guint            position;

  G_OBJECT_CLASS (jg_service_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);

  gtk_drop_down_set_model (self->account_dropdown, G_LIST_MODEL (self->store));
  position = find_account_position (self, jg_account_store_get_default_name (self->store));
  gtk_drop_down_set_selected (self->account_dropdown, position != GTK_INVALID_LIST_POSITION ? position : 0);

  self->constructed = TRUE;
  account_selected_cb (self);
}

static void
jg_service_window_dispose (GObject *object)
{
  JgServiceWindow *self = JG_SERVICE_WINDOW (object);

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_SERVICE_WINDOW);

  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jg_service_window_parent_class)->dispose (object);
}

static void
jg_service_window_finalize (GObject *object)
{
  JgServiceWindow *self = JG_SERVICE_WINDOW (object);

  g_free (self->account_name);

  G_OBJECT_CLASS (jg_service_window_parent_class)->finalize (object);
}

static void
jg_service_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JgServiceWindow *self = JG_SERVICE_WINDOW (object);

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
jg_service_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JgServiceWindow *self = JG_SERVICE_WINDOW (object);

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
jg_service_window_class_init (JgServiceWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = jg_service_window_constructed;
  object_class->dispose = jg_service_window_dispose;
  object_class->finalize = jg_service_window_finalize;
  object_class->get_property = jg_service_window_get_property;
  object_class->set_property = jg_service_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         JG_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgServiceWindow::open-job:
   * @client: the account's client
   * @job_id: the job the user opened
   */
  signals[OPEN_JOB] = g_signal_new ("open-job",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 2,
                                    JG_TYPE_CLIENT,
                                    G_TYPE_STRING);

  /**
   * JgServiceWindow::open-graph:
   * @graph: a new graph, laid out: a job's for "Open as New Graph", a
   *   template's for "Open"
   * @title: the job's or the template's name
   */
  signals[OPEN_GRAPH] = g_signal_new ("open-graph",
                                      G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 2,
                                      JG_TYPE_GRAPH,
                                      G_TYPE_STRING);

  /**
   * JgServiceWindow::run-template:
   * @client: the account's client
   * @template_: the template, with its TaskTemplates
   */
  signals[RUN_TEMPLATE] = g_signal_new ("run-template",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2,
                                        JG_TYPE_CLIENT,
                                        JG_TYPE_REMOTE_TEMPLATE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-service-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, jobs_view);
  gtk_widget_class_bind_template_child (widget_class, JgServiceWindow, templates_view);
  gtk_widget_class_bind_template_callback (widget_class, account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_job_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_graph_cb);
  gtk_widget_class_bind_template_callback (widget_class, run_template_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
jg_service_window_init (JgServiceWindow *self)
{
  g_autoptr(GtkExpression) title = NULL;

  g_type_ensure (JG_TYPE_JOBS_VIEW);
  g_type_ensure (JG_TYPE_TEMPLATES_VIEW);

  gtk_widget_init_template (GTK_WIDGET (self));

  title = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (account_title_cb), NULL, NULL);
  gtk_drop_down_set_expression (self->account_dropdown, title);
}

/**
 * jg_service_window_new:
 * @app: the application
 * @store: the accounts to choose from
 *
 * Returns: (transfer none): a new window showing the jobs of @store's
 *   default account
 */
JgServiceWindow *
jg_service_window_new (GtkApplication *app,
                       JgAccountStore *store)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (JG_IS_ACCOUNT_STORE (store), NULL);

  return g_object_new (JG_TYPE_SERVICE_WINDOW,
                       "application", app,
                       "store", store,
                       NULL);
}

/**
 * jg_service_window_show_page:
 * @page: `jobs` or `templates`
 */
void
jg_service_window_show_page (JgServiceWindow *self,
                             const char      *page)
{
  g_return_if_fail (JG_IS_SERVICE_WINDOW (self));
  g_return_if_fail (g_strcmp0 (page, "jobs") == 0 || g_strcmp0 (page, "templates") == 0);

  adw_view_stack_set_visible_child_name (self->view_stack, page);
}

/**
 * jg_service_window_get_client:
 *
 * Returns: (transfer none) (nullable): the client of the account shown,
 *   once connected
 */
JgClient *
jg_service_window_get_client (JgServiceWindow *self)
{
  g_return_val_if_fail (JG_IS_SERVICE_WINDOW (self), NULL);

  return self->client;
}
