/* jg-problems-list.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-problems-list"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "jg-problems-list.h"

struct _JgProblemsList
{
  GtkWidget           parent_instance;

  /* Template children */
  GtkStack           *stack;
  GtkListView        *list_view;

  /* Owned references */
  JgGraph            *graph;
  GtkSingleSelection *selection;

  /* The diagnostics model we listen to; owned by the graph */
  GListModel         *diagnostics;
  gulong              items_changed_id;
  guint               n_items;
};

enum
{
  PROP_0,
  PROP_GRAPH,
  PROP_N_ITEMS,
  N_PROPS
};

enum
{
  DIAGNOSTIC_ACTIVATED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgProblemsList, jg_problems_list, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void
update_state (JgProblemsList *self)
{
  guint n_items = self->diagnostics != NULL ? g_list_model_get_n_items (self->diagnostics) : 0;

  gtk_stack_set_visible_child_name (self->stack, n_items > 0 ? "list" : "empty");

  if (self->n_items != n_items)
    {
      self->n_items = n_items;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void
diagnostics_changed_cb (JgProblemsList *self,
                        guint           position,
                        guint           removed,
                        guint           added,
                        GListModel     *model)
{
  update_state (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *message = gtk_label_new (NULL);
  GtkWidget *details = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *location = gtk_label_new (NULL);
  GtkWidget *code = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "problem-row");

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "severity-icon");

  gtk_widget_set_hexpand (text, TRUE);

  gtk_label_set_xalign (GTK_LABEL (message), 0.0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (message, "problem-message");

  gtk_label_set_xalign (GTK_LABEL (location), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (location), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (location, TRUE);
  gtk_widget_add_css_class (location, "caption");
  gtk_widget_add_css_class (location, "dim-label");
  gtk_widget_add_css_class (location, "problem-location");

  gtk_label_set_xalign (GTK_LABEL (code), 1.0);
  gtk_widget_add_css_class (code, "caption");
  gtk_widget_add_css_class (code, "dim-label");
  gtk_widget_add_css_class (code, "problem-code");

  gtk_box_append (GTK_BOX (details), location);
  gtk_box_append (GTK_BOX (details), code);
  gtk_box_append (GTK_BOX (text), message);
  gtk_box_append (GTK_BOX (text), details);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);

  g_object_set_data (G_OBJECT (box), "icon", icon);
  g_object_set_data (G_OBJECT (box), "message", message);
  g_object_set_data (G_OBJECT (box), "location", location);
  g_object_set_data (G_OBJECT (box), "code", code);

  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  JgDiagnostic    *diagnostic = gtk_list_item_get_item (list_item);
  GtkWidget       *box = gtk_list_item_get_child (list_item);
  GtkWidget       *icon = g_object_get_data (G_OBJECT (box), "icon");
  GtkWidget       *location = g_object_get_data (G_OBJECT (box), "location");
  gboolean         error = jg_diagnostic_get_severity (diagnostic) == JG_SEVERITY_ERROR;
  g_autofree char *where = jg_diagnostic_format_location (diagnostic);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (icon, error ? "warning" : "error");
  gtk_widget_add_css_class (icon, error ? "error" : "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, error ? _("Error") : _("Warning"), -1);

  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "message"), jg_diagnostic_get_message (diagnostic));
  gtk_label_set_label (GTK_LABEL (location), where);
  gtk_widget_set_visible (location, where != NULL);
  gtk_label_set_label (g_object_get_data (G_OBJECT (box), "code"), jg_diagnostic_get_code (diagnostic));
}

static void
list_activate_cb (JgProblemsList *self,
                  guint           position,
                  GtkListView    *list_view)
{
  g_autoptr(JgDiagnostic) diagnostic = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (diagnostic != NULL)
    g_signal_emit (self, signals[DIAGNOSTIC_ACTIVATED], 0, diagnostic);
}

static void
jg_problems_list_dispose (GObject *object)
{
  JgProblemsList *self = JG_PROBLEMS_LIST (object);

  jg_problems_list_set_graph (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), JG_TYPE_PROBLEMS_LIST);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (jg_problems_list_parent_class)->dispose (object);
}

static void
jg_problems_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JgProblemsList *self = JG_PROBLEMS_LIST (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_problems_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JgProblemsList *self = JG_PROBLEMS_LIST (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      jg_problems_list_set_graph (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_problems_list_class_init (JgProblemsListClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_problems_list_dispose;
  object_class->get_property = jg_problems_list_get_property;
  object_class->set_property = jg_problems_list_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL,
                         JG_TYPE_GRAPH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgProblemsList:n-items:
   *
   * How many problems the list shows (errors and warnings).
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgProblemsList::diagnostic-activated:
   * @diagnostic: the problem the user clicked or pressed Enter on
   */
  signals[DIAGNOSTIC_ACTIVATED] = g_signal_new ("diagnostic-activated",
                                                G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 1,
                                                JG_TYPE_DIAGNOSTIC);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/jobgraph/Jobgraph/jg-problems-list.ui");
  gtk_widget_class_bind_template_child (widget_class, JgProblemsList, stack);
  gtk_widget_class_bind_template_child (widget_class, JgProblemsList, list_view);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "problemslist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
jg_problems_list_init (JgProblemsList *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_state (self);
}

GtkWidget *
jg_problems_list_new (void)
{
  return g_object_new (JG_TYPE_PROBLEMS_LIST, NULL);
}

/**
 * jg_problems_list_get_graph:
 *
 * Returns: (transfer none) (nullable): the graph whose problems are listed
 */
JgGraph *
jg_problems_list_get_graph (JgProblemsList *self)
{
  g_return_val_if_fail (JG_IS_PROBLEMS_LIST (self), NULL);

  return self->graph;
}

/**
 * jg_problems_list_set_graph:
 * @graph: (nullable): the graph to follow
 *
 * Lists the graph's diagnostics and follows them as the graph revalidates.
 */
void
jg_problems_list_set_graph (JgProblemsList *self,
                            JgGraph        *graph)
{
  g_return_if_fail (JG_IS_PROBLEMS_LIST (self));
  g_return_if_fail (graph == NULL || JG_IS_GRAPH (graph));

  if (self->graph == graph)
    return;

  if (self->diagnostics != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->diagnostics);
  self->diagnostics = NULL;

  g_set_object (&self->graph, graph);

  if (graph != NULL)
    {
      self->diagnostics = jg_graph_get_diagnostics (graph);
      self->items_changed_id = g_signal_connect_object (self->diagnostics, "items-changed",
                                                        G_CALLBACK (diagnostics_changed_cb), self,
                                                        G_CONNECT_SWAPPED);
    }

  if (self->selection != NULL)
    gtk_single_selection_set_model (self->selection, self->diagnostics);

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRAPH]);
}

/**
 * jg_problems_list_get_n_items:
 *
 * Returns: how many problems the list shows
 */
guint
jg_problems_list_get_n_items (JgProblemsList *self)
{
  g_return_val_if_fail (JG_IS_PROBLEMS_LIST (self), 0);

  return self->n_items;
}
