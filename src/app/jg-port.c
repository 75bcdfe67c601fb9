/* jg-port.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-port"

#include "config.h"

#include "jg-port.h"

struct _JgPort
{
  GtkWidget  parent_instance;

  /* Children */
  GtkWidget *dot;
  GtkWidget *labels;
  GtkWidget *title;
  GtkWidget *subtitle;

  guint      index;
  guint      output : 1;
};

G_DEFINE_FINAL_TYPE (JgPort, jg_port, GTK_TYPE_WIDGET)

static void
jg_port_dispose (GObject *object)
{
  JgPort *self = JG_PORT (object);

  g_clear_pointer (&self->dot, gtk_widget_unparent);
  g_clear_pointer (&self->labels, gtk_widget_unparent);

  G_OBJECT_CLASS (jg_port_parent_class)->dispose (object);
}

static void
jg_port_class_init (JgPortClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_port_dispose;

  gtk_widget_class_set_css_name (widget_class, "port");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
jg_port_init (JgPort *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 4);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->dot, "port-dot");
  gtk_widget_set_valign (self->dot, GTK_ALIGN_CENTER);
  gtk_widget_set_can_target (self->dot, FALSE);

  self->labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_valign (self->labels, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (self->labels, TRUE);
  gtk_widget_set_can_target (self->labels, FALSE);

  self->title = g_object_new (GTK_TYPE_LABEL,
                              "ellipsize", PANGO_ELLIPSIZE_END,
                              "single-line-mode", TRUE,
                              "width-chars", 4,
                              NULL);
  gtk_widget_add_css_class (self->title, "port-title");
  gtk_box_append (GTK_BOX (self->labels), self->title);

  self->subtitle = g_object_new (GTK_TYPE_LABEL,
                                 "ellipsize", PANGO_ELLIPSIZE_END,
                                 "single-line-mode", TRUE,
                                 "width-chars", 4,
                                 "visible", FALSE,
                                 NULL);
  gtk_widget_add_css_class (self->subtitle, "port-subtitle");
  gtk_box_append (GTK_BOX (self->labels), self->subtitle);
}

/**
 * jg_port_new:
 * @output: %TRUE for an output port (handle on the right)
 * @index: the port's index among the task's inputs or outputs
 */
GtkWidget *
jg_port_new (gboolean output,
             guint    index)
{
  JgPort *self = g_object_new (JG_TYPE_PORT, NULL);

  self->output = !!output;
  self->index = index;

  gtk_widget_add_css_class (GTK_WIDGET (self), output ? "output" : "input");
  gtk_label_set_xalign (GTK_LABEL (self->title), output ? 1.0 : 0.0);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle), output ? 1.0 : 0.0);

  if (output)
    {
      gtk_widget_set_parent (self->labels, GTK_WIDGET (self));
      gtk_widget_set_parent (self->dot, GTK_WIDGET (self));
    }
  else
    {
      gtk_widget_set_parent (self->dot, GTK_WIDGET (self));
      gtk_widget_set_parent (self->labels, GTK_WIDGET (self));
    }

  return GTK_WIDGET (self);
}

gboolean
jg_port_get_output (JgPort *self)
{
  g_return_val_if_fail (JG_IS_PORT (self), FALSE);

  return self->output;
}

guint
jg_port_get_index (JgPort *self)
{
  g_return_val_if_fail (JG_IS_PORT (self), 0);

  return self->index;
}

/**
 * jg_port_set_text:
 * @subtitle: (nullable): a second, dimmer line (the asset name)
 * @connected: whether a wire ends here (fills the handle)
 */
void
jg_port_set_text (JgPort     *self,
                  const char *title,
                  const char *subtitle,
                  gboolean    connected)
{
  g_return_if_fail (JG_IS_PORT (self));

  gtk_label_set_text (GTK_LABEL (self->title), title);
  gtk_label_set_text (GTK_LABEL (self->subtitle), subtitle ? subtitle : "");
  gtk_widget_set_visible (self->subtitle, subtitle != NULL && *subtitle != '\0');

  if (connected)
    gtk_widget_add_css_class (GTK_WIDGET (self), "connected");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "connected");
}

/**
 * jg_port_set_problems:
 * @severity: -1 for none, else a #JgSeverity
 * @messages: (nullable): the diagnostics, one a line, for the tooltip
 */
void
jg_port_set_problems (JgPort     *self,
                      int         severity,
                      const char *messages)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_if_fail (JG_IS_PORT (self));

  /* 1 is JG_SEVERITY_ERROR, 0 JG_SEVERITY_WARNING; the port header stays
   * free of core includes.
   */
  if (severity == 1)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  if (severity == 0)
    gtk_widget_add_css_class (widget, "warning");
  else
    gtk_widget_remove_css_class (widget, "warning");

  gtk_widget_set_tooltip_text (widget, messages);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               severity >= 0 ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

void
jg_port_set_description (JgPort     *self,
                         const char *label)
{
  g_return_if_fail (JG_IS_PORT (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}
