/* jg-node.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-node"

#include "config.h"

#include <glib/gi18n.h>

#include "jg-node.h"
#include "jg-remote-job.h"
#include "jg-port.h"

/* A job input's only port sits below its two header lines. */
#define INPUT_HEADER_HEIGHT (JG_LAYOUT_HEADER_HEIGHT - JG_LAYOUT_PORT_HEIGHT)

struct _JgNode
{
  GtkWidget  parent_instance;

  /* Owned references */
  GObject   *item;

  /* Children */
  GtkWidget *header;
  GtkWidget *title;
  GtkWidget *badge;
  GtkWidget *line1;
  GtkWidget *line2;
  GtkWidget *run_bar;
  GPtrArray *inputs;  /* JgPort */
  GPtrArray *outputs; /* JgPort */

  /* The state of the task in a submitted job (JgJobState), or -1 */
  int        run_state;
  double     run_progress;
  char      *run_details;
  char      *run_tooltip;
  /* The diagnostics of the last jg_node_sync(), to sync again with */
  GPtrArray *last_diagnostics;

  guint      selected : 1;
};

static const char *const run_classes[] = {
  "run-queued", "run-scheduled", "run-processing", "run-finished", "run-error", "run-canceled", "run-canceling",
};

G_DEFINE_FINAL_TYPE (JgNode, jg_node, GTK_TYPE_WIDGET)

static gboolean
is_task (JgNode *self)
{
  return JG_IS_TASK (self->item);
}

static void
sync_port_count (JgNode    *self,
                 GPtrArray *ports,
                 gboolean   output,
                 guint      n)
{
  while (ports->len > n)
    {
      GtkWidget *port = g_ptr_array_steal_index (ports, ports->len - 1);

      gtk_widget_unparent (port);
    }
  while (ports->len < n)
    {
      GtkWidget *port = jg_port_new (output, ports->len);

      gtk_widget_set_parent (port, GTK_WIDGET (self));
      g_ptr_array_add (ports, port);
    }
}

/* Says in words what a port refers to: the title and the asset name. */
static void
describe_ref (JgRefKind   kind,
              GObject    *object,
              const char *text,
              char      **title,
              char      **subtitle)
{
  *subtitle = NULL;

  switch (kind)
    {
    case JG_REF_JOB_INPUT:
      *title = jg_node_describe_source (object);
      *subtitle = g_strdup (jg_job_input_get_label (JG_JOB_INPUT (object)));
      break;

    case JG_REF_OUTPUT_ASSET:
      *title = jg_node_describe_source (object);
      *subtitle = g_strdup (jg_output_asset_get_asset_name (JG_OUTPUT_ASSET (object)));
      break;

    case JG_REF_TEXT:
      *title = g_strdup (text);
      break;

    case JG_REF_NONE:
    default:
      *title = g_strdup (_("Not connected"));
      break;
    }
}

static void
collect_port_problems (GPtrArray      *diagnostics,
                       JgPortDirection direction,
                       guint           index,
                       int            *severity,
                       GString        *messages)
{
  *severity = -1;

  for (guint i = 0; diagnostics != NULL && i < diagnostics->len; i++)
    {
      JgDiagnostic *diagnostic = g_ptr_array_index (diagnostics, i);
      int           port_index = -1;

      if (jg_diagnostic_get_port (diagnostic, &port_index) != direction || port_index != (int)index)
        continue;

      *severity = MAX (*severity, (int)jg_diagnostic_get_severity (diagnostic));
      if (messages->len > 0)
        g_string_append_c (messages, '\n');
      g_string_append (messages, jg_diagnostic_get_message (diagnostic));
    }
}

static void
sync_port (JgNode         *self,
           JgPort         *port,
           JgRefKind       kind,
           GObject        *object,
           const char     *text,
           const char     *node_name,
           GPtrArray      *diagnostics,
           JgPortDirection direction)
{
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;
  guint            index = jg_port_get_index (port);
  int              severity;

  describe_ref (kind, object, text, &title, &subtitle);
  jg_port_set_text (port, title, subtitle, kind != JG_REF_NONE);

  collect_port_problems (diagnostics, direction, index, &severity, messages);
  jg_port_set_problems (port, severity, messages->len > 0 ? messages->str : NULL);

  if (direction == JG_PORT_DIRECTION_INPUT)
    {
      if (kind == JG_REF_NONE)
        /* Translators: "Input 2 of Encode 720p, not connected" */
        label = g_strdup_printf (_("Input %u of %s, not connected"), index + 1, node_name);
      else
        /* Translators: "Input 1 of Encode 720p, reads JobInputAsset(0)" */
        label = g_strdup_printf (_("Input %u of %s, reads %s"), index + 1, node_name, title);
    }
  else
    {
      if (kind == JG_REF_NONE)
        label = g_strdup_printf (_("Output %u of %s, not connected"), index + 1, node_name);
      else
        /* Translators: "Output 1 of Encode 720p, writes JobOutputAsset(1)" */
        label = g_strdup_printf (_("Output %u of %s, writes %s"), index + 1, node_name, title);
    }
  jg_port_set_description (port, label);
}

static void
sync_task (JgNode    *self,
           GPtrArray *diagnostics)
{
  JgTask                *task = JG_TASK (self->item);
  const char            *name = jg_task_get_name (task);
  const char            *processor_id = jg_task_get_processor_id (task);
  const char            *configuration = jg_task_get_configuration (task);
  const JgProcessorInfo *info = processor_id ? jg_catalog_lookup (processor_id) : NULL;
  const char            *processor;
  g_autofree char       *preset = NULL;

  if (name == NULL || *name == '\0')
    name = _("Untitled task");

  processor = info ? info->name : (processor_id && *processor_id ? processor_id : _("No media processor"));

  if (configuration == NULL || *configuration == '\0')
    preset = g_strdup (_("No preset"));
  else if (configuration[0] == '<' || configuration[0] == '{' || strchr (configuration, '\n') != NULL)
    preset = g_strdup (_("Custom preset"));
  else
    preset = g_strdup (configuration);

  gtk_label_set_text (GTK_LABEL (self->title), name);
  gtk_label_set_text (GTK_LABEL (self->line1), processor);
  if (self->run_state < 0)
    {
      gtk_label_set_text (GTK_LABEL (self->line2), preset);
      gtk_widget_set_tooltip_text (self->line2, preset);
    }

  sync_port_count (self, self->inputs, FALSE, jg_task_get_n_inputs (task));
  sync_port_count (self, self->outputs, TRUE, jg_task_get_n_outputs (task));

  for (guint i = 0; i < self->inputs->len; i++)
    {
      GObject    *object = NULL;
      const char *text = NULL;
      JgRefKind   kind = jg_task_get_input (task, i, &object, &text);

      sync_port (self, g_ptr_array_index (self->inputs, i), kind, object, text, name, diagnostics,
                 JG_PORT_DIRECTION_INPUT);
    }
  for (guint i = 0; i < self->outputs->len; i++)
    {
      GObject    *object = NULL;
      const char *text = NULL;
      JgRefKind   kind = jg_task_get_output (task, i, &object, &text);

      sync_port (self, g_ptr_array_index (self->outputs, i), kind, object, text, name, diagnostics,
                 JG_PORT_DIRECTION_OUTPUT);
    }
}

static void
sync_input (JgNode *self)
{
  JgJobInput      *input = JG_JOB_INPUT (self->item);
  g_autofree char *source = jg_node_describe_source (self->item);
  g_autofree char *label = NULL;
  const char      *name = jg_job_input_get_label (input);
  const char      *asset_id = jg_job_input_get_asset_id (input);
  JgPort          *port;

  if (name == NULL || *name == '\0')
    name = _("Unlabelled input");

  gtk_label_set_text (GTK_LABEL (self->title), name);
  gtk_label_set_text (GTK_LABEL (self->line1), source);

  sync_port_count (self, self->outputs, TRUE, 1);
  port = g_ptr_array_index (self->outputs, 0);
  jg_port_set_text (port, asset_id && *asset_id ? asset_id : _("No asset ID"), NULL, TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (port), asset_id);

  /* Translators: "Output of JobInputAsset(0), Mezzanine" */
  label = g_strdup_printf (_("Output of %s, %s"), source, name);
  jg_port_set_description (port, label);
}

/* What line 2 says while the task runs: "Processing · 40 %". */
static char *
dup_run_text (JgNode *self)
{
  switch (self->run_state)
    {
    case JG_JOB_STATE_QUEUED:
      return g_strdup (_("Queued"));
    case JG_JOB_STATE_SCHEDULED:
      return g_strdup (_("Scheduled"));
    case JG_JOB_STATE_PROCESSING:
      /* Translators: a task's state and progress, e.g. "Processing · 40 %" */
      return g_strdup_printf (_("Processing · %.0f %%"), self->run_progress);
    case JG_JOB_STATE_FINISHED:
      return g_strdup (_("Finished"));
    case JG_JOB_STATE_ERROR:
      return g_strdup (_("Failed"));
    case JG_JOB_STATE_CANCELED:
      return g_strdup (_("Canceled"));
    case JG_JOB_STATE_CANCELING:
      return g_strdup (_("Canceling"));
    default:
      return g_strdup (_("Unknown state"));
    }
}

static void
sync_run_status (JgNode *self)
{
  GtkWidget       *widget = GTK_WIDGET (self);
  g_autofree char *text = NULL;
  gboolean         running = self->run_state >= 0;

  for (guint i = 0; i < G_N_ELEMENTS (run_classes); i++)
    if ((int)i == self->run_state)
      gtk_widget_add_css_class (widget, run_classes[i]);
    else
      gtk_widget_remove_css_class (widget, run_classes[i]);

  gtk_widget_set_visible (self->run_bar, running);
  if (!running)
    return;

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->run_bar),
                                 self->run_state == JG_JOB_STATE_FINISHED ? 1.0
                                                                          : CLAMP (self->run_progress, 0, 100) / 100.0);
  text = dup_run_text (self);
  if (self->run_details != NULL)
    {
      g_autofree char *line = g_strdup_printf ("%s · %s", text, self->run_details);

      gtk_label_set_text (GTK_LABEL (self->line2), line);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->line2), text);
  gtk_widget_set_tooltip_text (self->line2, gtk_label_get_text (GTK_LABEL (self->line2)));
}

static void
update_description (JgNode *self,
                    guint   n_errors,
                    guint   n_warnings)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *name = gtk_label_get_text (GTK_LABEL (self->title));

  if (is_task (self))
    {
      guint n_in = self->inputs->len;
      guint n_out = self->outputs->len;

      /* Translators: "Task Encode 720p, Media Encoder Standard" */
      g_string_append_printf (text, _("Task %s, %s"), name, gtk_label_get_text (GTK_LABEL (self->line1)));
      g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u input", "%u inputs", n_in), n_in);
      g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u output", "%u outputs", n_out), n_out);
    }
  else
    {
      /* Translators: "Job input Mezzanine, JobInputAsset(0)" */
      g_string_append_printf (text, _("Job input %s, %s"), name, gtk_label_get_text (GTK_LABEL (self->line1)));
    }

  if (self->run_state >= 0)
    {
      g_autofree char *run = dup_run_text (self);

      g_string_append (text, ", ");
      g_string_append (text, run);
      if (self->run_details != NULL)
        g_string_append_printf (text, ", %s", self->run_details);
    }

  if (n_errors > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u error", "%u errors", n_errors), n_errors);
    }
  if (n_warnings > 0)
    {
      g_string_append (text, ", ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", n_warnings),
                              n_warnings);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
jg_node_measure (GtkWidget     *widget,
                 GtkOrientation orientation,
                 int            for_size,
                 int           *minimum,
                 int           *natural,
                 int           *minimum_baseline,
                 int           *natural_baseline)
{
  JgNode *self = JG_NODE (widget);

  /* The node's size is fixed by the layout constants, whatever the font:
   * labels ellipsize. Children are still measured, as GTK requires.
   */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    gtk_widget_measure (child, orientation, -1, NULL, NULL, NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = JG_LAYOUT_NODE_WIDTH;
  else
    *minimum = *natural = jg_node_item_get_height (self->item);
}

static void
jg_node_size_allocate (GtkWidget *widget,
                       int        width,
                       int        height,
                       int        baseline)
{
  JgNode *self = JG_NODE (widget);
  int     half = width / 2;
  int     row = JG_LAYOUT_PORT_HEIGHT;
  int     top = is_task (self) ? JG_LAYOUT_HEADER_HEIGHT : INPUT_HEADER_HEIGHT;

  gtk_widget_allocate (self->header, width, top, -1, NULL);

  /* The progress of a running task is a thin bar along the header's
   * bottom edge, over its border: the node keeps the size of jg-layout.h.
   */
  if (gtk_widget_get_visible (self->run_bar))
    {
      int bar_height;

      gtk_widget_measure (self->run_bar, GTK_ORIENTATION_VERTICAL, width, &bar_height, NULL, NULL, NULL);
      gtk_widget_allocate (self->run_bar, width, bar_height, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, top - bar_height)));
    }

  /* Inputs and outputs share rows; a port alone in its row gets all of it
   * for its label.
   */
  for (guint i = 0; i < self->inputs->len; i++)
    gtk_widget_allocate (g_ptr_array_index (self->inputs, i),
                         i < self->outputs->len ? half : width, row, -1,
                         gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, top + i * row)));

  for (guint i = 0; i < self->outputs->len; i++)
    {
      int x = i < self->inputs->len ? half : 0;

      gtk_widget_allocate (g_ptr_array_index (self->outputs, i), width - x, row, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, top + i * row)));
    }
}

static void
jg_node_dispose (GObject *object)
{
  JgNode *self = JG_NODE (object);

  if (self->inputs != NULL)
    sync_port_count (self, self->inputs, FALSE, 0);
  if (self->outputs != NULL)
    sync_port_count (self, self->outputs, TRUE, 0);
  g_clear_pointer (&self->header, gtk_widget_unparent);
  g_clear_pointer (&self->run_bar, gtk_widget_unparent);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (jg_node_parent_class)->dispose (object);
}

static void
jg_node_finalize (GObject *object)
{
  JgNode *self = JG_NODE (object);

  g_ptr_array_unref (self->inputs);
  g_ptr_array_unref (self->outputs);
  g_free (self->run_details);
  g_free (self->run_tooltip);
  g_clear_pointer (&self->last_diagnostics, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_node_parent_class)->finalize (object);
}

static void
jg_node_class_init (JgNodeClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_node_dispose;
  object_class->finalize = jg_node_finalize;

  widget_class->measure = jg_node_measure;
  widget_class->size_allocate = jg_node_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "node");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
new_line (const char *css_class)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "xalign", 0.0f,
                                   "ellipsize", PANGO_ELLIPSIZE_END,
                                   "single-line-mode", TRUE,
                                   "width-chars", 4,
                                   "hexpand", TRUE,
                                   NULL);

  gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
jg_node_init (JgNode *self)
{
  GtkWidget *row;

  self->inputs = g_ptr_array_new ();
  self->outputs = g_ptr_array_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_VISIBLE);

  self->header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->header, "header");
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->title = new_line ("title");
  gtk_box_append (GTK_BOX (row), self->title);
  self->badge = gtk_image_new ();
  gtk_widget_add_css_class (self->badge, "badge");
  gtk_widget_set_visible (self->badge, FALSE);
  gtk_box_append (GTK_BOX (row), self->badge);
  gtk_box_append (GTK_BOX (self->header), row);

  self->line1 = new_line ("subtitle");
  gtk_box_append (GTK_BOX (self->header), self->line1);
  self->line2 = new_line ("subtitle");
  gtk_box_append (GTK_BOX (self->header), self->line2);

  self->run_state = -1;
  self->run_bar = gtk_progress_bar_new ();
  gtk_widget_add_css_class (self->run_bar, "run-progress");
  gtk_widget_set_can_target (self->run_bar, FALSE);
  gtk_widget_set_visible (self->run_bar, FALSE);
  gtk_widget_set_parent (self->run_bar, GTK_WIDGET (self));
}

/**
 * jg_node_new:
 * @item: a #JgTask or a #JgJobInput
 */
GtkWidget *
jg_node_new (GObject *item)
{
  JgNode *self;

  g_return_val_if_fail (JG_IS_TASK (item) || JG_IS_JOB_INPUT (item), NULL);

  self = g_object_new (JG_TYPE_NODE, NULL);
  self->item = g_object_ref (item);
  gtk_widget_add_css_class (GTK_WIDGET (self), JG_IS_TASK (item) ? "task" : "job-input");
  gtk_widget_set_visible (self->line2, JG_IS_TASK (item));

  jg_node_sync (self, NULL);

  return GTK_WIDGET (self);
}

GObject *
jg_node_get_item (JgNode *self)
{
  g_return_val_if_fail (JG_IS_NODE (self), NULL);

  return self->item;
}

/**
 * jg_node_sync:
 * @diagnostics: (nullable) (element-type JgDiagnostic): the diagnostics
 *   about this node's item
 *
 * Updates labels, ports, problem styling and the accessible description
 * from the model.
 */
void
jg_node_sync (JgNode    *self,
              GPtrArray *diagnostics)
{
  g_autoptr(GString) messages = g_string_new (NULL);
  guint      n_errors = 0;
  guint      n_warnings = 0;
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_if_fail (JG_IS_NODE (self));

  if (diagnostics != self->last_diagnostics)
    {
      if (diagnostics != NULL)
        g_ptr_array_ref (diagnostics);
      g_clear_pointer (&self->last_diagnostics, g_ptr_array_unref);
      self->last_diagnostics = diagnostics;
    }

  if (is_task (self))
    sync_task (self, diagnostics);
  else
    sync_input (self);

  for (guint i = 0; diagnostics != NULL && i < diagnostics->len; i++)
    {
      JgDiagnostic *diagnostic = g_ptr_array_index (diagnostics, i);

      if (jg_diagnostic_get_severity (diagnostic) == JG_SEVERITY_ERROR)
        n_errors++;
      else
        n_warnings++;
      if (messages->len > 0)
        g_string_append_c (messages, '\n');
      g_string_append (messages, jg_diagnostic_get_message (diagnostic));
    }

  if (self->run_state == JG_JOB_STATE_ERROR && self->run_tooltip != NULL)
    {
      if (messages->len > 0)
        g_string_append_c (messages, '\n');
      g_string_append (messages, self->run_tooltip);
      n_errors++;
    }

  if (n_errors > 0)
    gtk_widget_add_css_class (widget, "error");
  else
    gtk_widget_remove_css_class (widget, "error");
  if (n_errors == 0 && n_warnings > 0)
    gtk_widget_add_css_class (widget, "warning");
  else
    gtk_widget_remove_css_class (widget, "warning");

  gtk_widget_set_visible (self->badge, messages->len > 0);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->badge),
                                n_errors > 0 ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  gtk_widget_set_tooltip_text (self->badge, messages->len > 0 ? messages->str : NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  messages->len > 0 ? messages->str : "",
                                  -1);

  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               n_errors > 0 ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  sync_run_status (self);
  update_description (self, n_errors, n_warnings);
  gtk_widget_queue_resize (widget);
}

gboolean
jg_node_get_selected (JgNode *self)
{
  g_return_val_if_fail (JG_IS_NODE (self), FALSE);

  return self->selected;
}

void
jg_node_set_selected (JgNode  *self,
                      gboolean selected)
{
  g_return_if_fail (JG_IS_NODE (self));

  selected = !!selected;
  if (self->selected == selected)
    return;

  self->selected = selected;
  if (selected)
    gtk_widget_add_css_class (GTK_WIDGET (self), "selected");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "selected");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_SELECTED, selected,
                               -1);
}

guint
jg_node_get_n_ports (JgNode  *self,
                     gboolean output)
{
  g_return_val_if_fail (JG_IS_NODE (self), 0);

  return output ? self->outputs->len : self->inputs->len;
}

/**
 * jg_node_get_port:
 *
 * Returns: (transfer none) (nullable): the #JgPort widget
 */
GtkWidget *
jg_node_get_port (JgNode  *self,
                  gboolean output,
                  guint    index)
{
  GPtrArray *ports;

  g_return_val_if_fail (JG_IS_NODE (self), NULL);

  ports = output ? self->outputs : self->inputs;
  return index < ports->len ? g_ptr_array_index (ports, index) : NULL;
}

double
jg_node_item_get_height (GObject *item)
{
  if (JG_IS_TASK (item))
    return jg_layout_get_task_height (JG_TASK (item));

  return JG_LAYOUT_HEADER_HEIGHT;
}

void
jg_node_item_get_position (GObject *item,
                           double  *x,
                           double  *y)
{
  if (JG_IS_TASK (item))
    {
      *x = jg_task_get_x (JG_TASK (item));
      *y = jg_task_get_y (JG_TASK (item));
    }
  else
    {
      *x = jg_job_input_get_x (JG_JOB_INPUT (item));
      *y = jg_job_input_get_y (JG_JOB_INPUT (item));
    }
}

guint
jg_node_item_get_n_ports (GObject *item,
                          gboolean output)
{
  if (JG_IS_TASK (item))
    return output ? jg_task_get_n_outputs (JG_TASK (item)) : jg_task_get_n_inputs (JG_TASK (item));

  return output ? 1 : 0;
}

/**
 * jg_node_item_get_port_anchor:
 *
 * Where a wire meets the port, relative to the node's origin: the middle
 * of the port's row on the node's left or right border.
 */
void
jg_node_item_get_port_anchor (GObject *item,
                              gboolean output,
                              guint    index,
                              double  *x,
                              double  *y)
{
  double top = JG_IS_TASK (item) ? JG_LAYOUT_HEADER_HEIGHT : INPUT_HEADER_HEIGHT;

  *x = output ? JG_LAYOUT_NODE_WIDTH : 0;
  *y = top + index * JG_LAYOUT_PORT_HEIGHT + JG_LAYOUT_PORT_HEIGHT / 2.0;
}

/**
 * jg_node_describe_source:
 * @source: a #JgJobInput or #JgOutputAsset
 *
 * Returns: (transfer full): `JobInputAsset(n)` or `JobOutputAsset(n)`
 */
char *
jg_node_describe_source (GObject *source)
{
  if (JG_IS_JOB_INPUT (source))
    return g_strdup_printf ("JobInputAsset(%d)", jg_job_input_get_index (JG_JOB_INPUT (source)));
  if (JG_IS_OUTPUT_ASSET (source))
    return g_strdup_printf ("JobOutputAsset(%d)", jg_output_asset_get_index (JG_OUTPUT_ASSET (source)));

  return g_strdup ("");
}

/**
 * jg_node_set_run_status:
 * @state: the task's state in a submitted job (a #JgJobState), or -1 for
 *   none: the node shows its preset again
 * @progress: the task's progress, 0 to 100
 * @details: (nullable): a short word to add to the state, e.g. the error
 *   code of a failed task
 * @explanation: (nullable): what the node's badge says about a failed
 *   task: its ErrorDetails and what they mean
 *
 * Paints the task's progress in a job on the node: line 2 gives the state
 * and progress, a bar under the header fills up, the outline takes the
 * state's colour, and the badge of a failed task carries @explanation.
 */
void
jg_node_set_run_status (JgNode     *self,
                        int         state,
                        double      progress,
                        const char *details,
                        const char *explanation)
{
  g_return_if_fail (JG_IS_NODE (self));
  g_return_if_fail (state < (int)G_N_ELEMENTS (run_classes));

  if (self->run_state == state && G_APPROX_VALUE (self->run_progress, progress, 0.01) &&
      g_strcmp0 (self->run_details, details) == 0 && g_strcmp0 (self->run_tooltip, explanation) == 0)
    return;

  self->run_state = state;
  self->run_progress = progress;
  g_free (self->run_details);
  self->run_details = g_strdup (details);
  g_free (self->run_tooltip);
  self->run_tooltip = g_strdup (explanation);

  /* The badge and description are jg_node_sync()'s: it keeps the last
   * diagnostics of the canvas, so let it redo them.
   */
  jg_node_sync (self, self->last_diagnostics);
}

/**
 * jg_node_get_run_state:
 *
 * Returns: the state set with jg_node_set_run_status(), or -1
 */
int
jg_node_get_run_state (JgNode *self)
{
  g_return_val_if_fail (JG_IS_NODE (self), -1);

  return self->run_state;
}
