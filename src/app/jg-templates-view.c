/* jg-templates-view.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-templates-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "jg-service-window-private.h"
#include "jg-templates-view.h"

/* The account's JobTemplates, newest first. Templates are immutable on the
 * service, so the list changes only when the user refreshes, deletes one
 * here or saves a new one: no polling.
 */

struct _JgTemplatesView
{
  GtkWidget        parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  GtkListBox      *list_box;

  /* Owned references */
  JgClient        *client;
  /* Cancelled when the client changes and in dispose */
  GCancellable    *cancellable;
  /* The list request in flight */
  GCancellable    *refresh_cancellable;

  /* template id → JgRemoteTemplate of the rows; the rows own them */
  GHashTable      *rows;
  gboolean         loaded;
};

/* An operation on one template: holds the view and the template. */
typedef struct
{
  JgTemplatesView  *self;
  JgRemoteTemplate *template_;
} TemplateOp;

enum
{
  OPEN_GRAPH,
  RUN_TEMPLATE,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgTemplatesView, jg_templates_view, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

static void start_refresh (JgTemplatesView *self);

/* Helpers */

static char *
dup_template_title (JgRemoteTemplate *template_)
{
  if (template_->name == NULL || template_->name[0] == '\0')
    return g_strdup (_("Untitled Template"));

  return g_strdup (template_->name);
}

static TemplateOp *
template_op_new (JgTemplatesView  *self,
                 JgRemoteTemplate *template_)
{
  TemplateOp *op = g_new0 (TemplateOp, 1);

  op->self = g_object_ref (self);
  op->template_ = jg_remote_template_ref (template_);

  return op;
}

static void
template_op_free (TemplateOp *op)
{
  jg_remote_template_unref (op->template_);
  g_object_unref (op->self);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TemplateOp, template_op_free)

static JgRemoteTemplate *
lookup_template (JgTemplatesView *self,
                 GVariant        *parameter)
{
  return g_hash_table_lookup (self->rows, g_variant_get_string (parameter, NULL));
}

static void
show_toast (JgTemplatesView *self,
            const char      *message)
{
  _jg_service_show_toast (self->toast_overlay, message);
}

static GMenuModel *
build_row_menu (JgRemoteTemplate *template_)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) open_section = g_menu_new ();
  g_autoptr(GMenu) delete_section = g_menu_new ();
  struct
  {
    GMenu      *section;
    const char *label;
    const char *action;
  } items[] = {
    { open_section, _("_Open"), "templates.open" },
    { open_section, _("_Run…"), "templates.run" },
    { delete_section, _("_Delete Template…"), "templates.delete" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (items[i].label, NULL);

      g_menu_item_set_action_and_target_value (item, items[i].action, g_variant_new_string (template_->id));
      g_menu_append_item (items[i].section, item);
    }

  g_menu_append_section (menu, NULL, G_MENU_MODEL (open_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (delete_section));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static char *
dup_row_subtitle (JgRemoteTemplate *template_)
{
  guint            n_tasks = template_->task_templates != NULL ? template_->task_templates->len : 0;
  g_autofree char *inputs = g_strdup_printf (ngettext ("%d input", "%d inputs", template_->n_inputs),
                                             template_->n_inputs);
  g_autofree char *tasks = g_strdup_printf (ngettext ("%u task", "%u tasks", n_tasks), n_tasks);
  g_autofree char *created = _jg_service_format_date (template_->created);

  if (created == NULL)
    /* Translators: a template's inputs and tasks, e.g. “1 input · 3 tasks” */
    return g_strdup_printf (_("%s · %s"), inputs, tasks);

  /* Translators: a template's inputs, tasks and creation date, e.g. “1 input · 3 tasks · Today, 10:42” */
  return g_strdup_printf (_("%s · %s · %s"), inputs, tasks, created);
}

static void
row_context_cb (GtkGesture *gesture,
                int         n_press,
                double      x,
                double      y,
                GtkWidget  *menu_button)
{
  gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
}

static void
row_long_press_cb (GtkGesture *gesture,
                   double      x,
                   double      y,
                   GtkWidget  *menu_button)
{
  row_context_cb (gesture, 1, x, y, menu_button);
}

static GtkWidget *
new_row (JgRemoteTemplate *template_)
{
  GtkWidget       *row = adw_action_row_new ();
  GtkWidget       *run_button = gtk_button_new_with_mnemonic (_("_Run…"));
  GtkWidget       *delete_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget       *menu_button = gtk_menu_button_new ();
  GtkGesture      *click = gtk_gesture_click_new ();
  GtkGesture      *long_press = gtk_gesture_long_press_new ();
  g_autoptr(GMenuModel) menu = build_row_menu (template_);
  g_autofree char *title = dup_template_title (template_);
  g_autofree char *subtitle = dup_row_subtitle (template_);
  GVariant        *target = g_variant_ref_sink (g_variant_new_string (template_->id));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "jg-template", jg_remote_template_ref (template_),
                          (GDestroyNotify)jg_remote_template_unref);

  gtk_widget_set_valign (run_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (run_button, _("Run a job from this template"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (run_button), "templates.run");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (run_button), target);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), run_button);

  gtk_widget_set_valign (delete_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (delete_button, _("Delete Template…"));
  gtk_widget_add_css_class (delete_button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete_button), "templates.delete");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (delete_button), target);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), delete_button);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_widget_set_tooltip_text (menu_button, _("More Actions"));
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  g_object_set_data (G_OBJECT (row), "jg-menu-button", menu_button);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (row_context_cb), menu_button, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_object (long_press, "pressed", G_CALLBACK (row_long_press_cb), menu_button, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (long_press));

  g_variant_unref (target);

  return row;
}

static void
clear_rows (JgTemplatesView *self)
{
  GtkListBoxRow *row;

  g_hash_table_remove_all (self->rows);
  while ((row = gtk_list_box_get_row_at_index (self->list_box, 0)) != NULL)
    gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
}

static void
update_state (JgTemplatesView *self)
{
  if (g_hash_table_size (self->rows) > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* The row that has the keyboard focus, or holds it. */
static GtkWidget *
get_focus_row (JgTemplatesView *self)
{
  GtkRoot   *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->list_box))
    return NULL;

  return row;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  JgRemoteTemplate *ta = *(JgRemoteTemplate **)a;
  JgRemoteTemplate *tb = *(JgRemoteTemplate **)b;

  if (ta->created == NULL || tb->created == NULL)
    return (ta->created == NULL) - (tb->created == NULL);

  return g_date_time_compare (tb->created, ta->created);
}

/* Callbacks */

static void
list_templates_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(JgTemplatesView) self = user_data;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  templates = jg_client_list_templates_finish (JG_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->client == NULL)
    return;

  if (templates == NULL)
    {
      if (self->loaded)
        {
          /* Keep the list the user sees; say why it is not newer. */
          g_autofree char *message = g_strdup_printf (_("Could not refresh the templates: %s"), error->message);

          show_toast (self, message);
        }
      else
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      return;
    }

  g_ptr_array_sort (templates, compare_newest_first);

  clear_rows (self);
  for (guint i = 0; i < templates->len; i++)
    {
      JgRemoteTemplate *template_ = g_ptr_array_index (templates, i);

      g_hash_table_insert (self->rows, g_strdup (template_->id), template_);
      gtk_list_box_append (self->list_box, new_row (template_));
    }

  self->loaded = TRUE;
  update_state (self);
}

static void
row_activated_cb (JgTemplatesView *self,
                  GtkListBoxRow   *row)
{
  JgRemoteTemplate *template_ = g_object_get_data (G_OBJECT (row), "jg-template");

  if (template_ != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "templates.open", "s", template_->id);
}

static void
get_template_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TemplateOp) op = user_data;
  g_autoptr(JgRemoteTemplate) template_ = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = dup_template_title (op->template_);

  template_ = jg_client_get_template_finish (JG_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (template_ != NULL)
    graph = jg_remote_template_build_graph (template_, &error);

  if (graph == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), title, error->message);

      show_toast (op->self, message);
      return;
    }

  g_signal_emit (op->self, signals[OPEN_GRAPH], 0, graph, title);
}

static void
delete_template_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TemplateOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = dup_template_title (op->template_);
  g_autofree char *message = NULL;
  JgTemplatesView *self = op->self;

  if (!jg_client_delete_template_finish (JG_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not delete “%s”: %s"), title, error->message);
      show_toast (self, message);
      return;
    }

  for (int i = 0; gtk_list_box_get_row_at_index (self->list_box, i) != NULL; i++)
    {
      GtkListBoxRow    *row = gtk_list_box_get_row_at_index (self->list_box, i);
      JgRemoteTemplate *shown = g_object_get_data (G_OBJECT (row), "jg-template");

      if (g_strcmp0 (shown->id, op->template_->id) == 0)
        {
          g_hash_table_remove (self->rows, shown->id);
          gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
          break;
        }
    }

  message = g_strdup_printf (_("Deleted “%s”"), title);
  show_toast (self, message);
  update_state (self);
}

static void
confirm_delete_cb (gpointer data)
{
  TemplateOp *op = data;

  if (op->self->client == NULL)
    return;

  jg_client_delete_template_async (op->self->client, op->template_->id, op->self->cancellable,
                                   delete_template_cb, template_op_new (op->self, op->template_));
}

/* Actions */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  JgTemplatesView  *self = JG_TEMPLATES_VIEW (widget);
  JgRemoteTemplate *template_ = lookup_template (self, parameter);

  if (template_ == NULL || self->client == NULL)
    return;

  /* Fetched again: the graph is built from what the service holds now. */
  jg_client_get_template_async (self->client, template_->id, self->cancellable, get_template_cb,
                                template_op_new (self, template_));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  JgTemplatesView  *self = JG_TEMPLATES_VIEW (widget);
  JgRemoteTemplate *template_ = lookup_template (self, parameter);

  if (template_ != NULL)
    g_signal_emit (self, signals[RUN_TEMPLATE], 0, template_);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  JgTemplatesView  *self = JG_TEMPLATES_VIEW (widget);
  JgRemoteTemplate *template_ = lookup_template (self, parameter);
  g_autofree char  *title = NULL;
  g_autofree char  *body = NULL;

  if (template_ == NULL)
    return;

  title = dup_template_title (template_);
  body = g_strdup_printf (_("“%s” will be removed from the account. Jobs already run from it are kept."), title);
  _jg_service_confirm_delete (widget, _("Delete Template?"), body, confirm_delete_cb,
                              template_op_new (self, template_), (GDestroyNotify)template_op_free);
}

static void
delete_focused_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GtkWidget        *row = get_focus_row (JG_TEMPLATES_VIEW (widget));
  JgRemoteTemplate *template_ = row != NULL ? g_object_get_data (G_OBJECT (row), "jg-template") : NULL;

  if (template_ != NULL)
    gtk_widget_activate_action (widget, "templates.delete", "s", template_->id);
}

static void
menu_focused_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkWidget *row = get_focus_row (JG_TEMPLATES_VIEW (widget));

  if (row != NULL)
    gtk_menu_button_popup (g_object_get_data (G_OBJECT (row), "jg-menu-button"));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  jg_templates_view_refresh (JG_TEMPLATES_VIEW (widget));
}

/* Vfuncs */

static void
jg_templates_view_dispose (GObject *object)
{
  JgTemplatesView *self = JG_TEMPLATES_VIEW (object);

  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->rows);

  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_TEMPLATES_VIEW);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (jg_templates_view_parent_class)->dispose (object);
}

static void
jg_templates_view_finalize (GObject *object)
{
  JgTemplatesView *self = JG_TEMPLATES_VIEW (object);

  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (jg_templates_view_parent_class)->finalize (object);
}

static void
jg_templates_view_class_init (JgTemplatesViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_templates_view_dispose;
  object_class->finalize = jg_templates_view_finalize;

  /**
   * JgTemplatesView::open-graph:
   * @graph: a new graph of the template, laid out, its inputs unbound
   * @title: the template's name
   */
  signals[OPEN_GRAPH] = g_signal_new ("open-graph",
                                      G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 2,
                                      JG_TYPE_GRAPH,
                                      G_TYPE_STRING);

  /**
   * JgTemplatesView::run-template:
   * @template_: the template with its TaskTemplates
   */
  signals[RUN_TEMPLATE] = g_signal_new ("run-template",
                                        G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1,
                                        JG_TYPE_REMOTE_TEMPLATE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-templates-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JgTemplatesView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JgTemplatesView, stack);
  gtk_widget_class_bind_template_child (widget_class, JgTemplatesView, error_page);
  gtk_widget_class_bind_template_child (widget_class, JgTemplatesView, list_box);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "templates.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "templates.run", "s", run_action);
  gtk_widget_class_install_action (widget_class, "templates.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "templates.delete-focused", NULL, delete_focused_action);
  gtk_widget_class_install_action (widget_class, "templates.menu-focused", NULL, menu_focused_action);
  gtk_widget_class_install_action (widget_class, "templates.refresh", NULL, refresh_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "templates.delete-focused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "templates.delete-focused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "templates.menu-focused", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "templates.menu-focused", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "templatesview");
}

static void
jg_templates_view_init (JgTemplatesView *self)
{
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
jg_templates_view_new (void)
{
  return g_object_new (JG_TYPE_TEMPLATES_VIEW, NULL);
}

/**
 * jg_templates_view_get_client:
 *
 * Returns: (transfer none) (nullable): the client whose templates are listed
 */
JgClient *
jg_templates_view_get_client (JgTemplatesView *self)
{
  g_return_val_if_fail (JG_IS_TEMPLATES_VIEW (self), NULL);

  return self->client;
}

static void
start_refresh (JgTemplatesView *self)
{
  g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);

  if (self->client == NULL)
    return;

  if (!self->loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  self->refresh_cancellable = g_cancellable_new ();
  jg_client_list_templates_async (self->client, self->refresh_cancellable, list_templates_cb, g_object_ref (self));
}

/**
 * jg_templates_view_set_client:
 * @client: (nullable): the account's client
 *
 * Lists the templates of @client's account.
 */
void
jg_templates_view_set_client (JgTemplatesView *self,
                              JgClient        *client)
{
  g_return_if_fail (JG_IS_TEMPLATES_VIEW (self));
  g_return_if_fail (client == NULL || JG_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->client, client);
  clear_rows (self);
  self->loaded = FALSE;

  start_refresh (self);
}

/**
 * jg_templates_view_refresh:
 *
 * Lists the templates again.
 */
void
jg_templates_view_refresh (JgTemplatesView *self)
{
  g_return_if_fail (JG_IS_TEMPLATES_VIEW (self));

  start_refresh (self);
}
