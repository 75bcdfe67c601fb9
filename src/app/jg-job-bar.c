/* jg-job-bar.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-job-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "jg-job-bar.h"
#include "jg-node.h"

/* The job a window follows: a bar over the canvas with the job's name,
 * state and overall progress, Cancel and Dismiss, while each task's state
 * and progress is painted on its node.
 *
 * Tasks are matched to nodes by position: the caller gives the graph's
 * tasks in the order of the job's body (run order for a job submitted from
 * this graph, list order for a graph built from the job), which is the
 * order of the service's Tasks. A task removed from the graph meanwhile
 * is simply not painted; node widgets the canvas rebuilds are painted again
 * on the graph's next change.
 */

struct _JgJobBar
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkWidget     *spinner;
  GtkWidget     *icon;
  GtkWidget     *title;
  GtkWidget     *subtitle;
  GtkWidget     *progress;
  GtkWidget     *cancel_button;
  GtkWidget     *dismiss_button;

  JgGraphCanvas *canvas;
  JgGraph       *graph;
  JgJobMonitor  *monitor;
  GPtrArray     *tasks; /* JgTask, in the job's order */
  char          *job_name;
  GCancellable  *cancellable;

  guint          canceling : 1;
};

G_DEFINE_FINAL_TYPE (JgJobBar, jg_job_bar, GTK_TYPE_WIDGET)

enum
{
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
get_state_name (JgJobState state)
{
  switch (state)
    {
    case JG_JOB_STATE_QUEUED:
      return _("Queued");
    case JG_JOB_STATE_SCHEDULED:
      return _("Scheduled");
    case JG_JOB_STATE_PROCESSING:
      return _("Processing");
    case JG_JOB_STATE_FINISHED:
      return _("Finished");
    case JG_JOB_STATE_ERROR:
      return _("Failed");
    case JG_JOB_STATE_CANCELED:
      return _("Canceled");
    case JG_JOB_STATE_CANCELING:
      return _("Canceling");
    default:
      return _("Unknown state");
    }
}

/* "ErrorParsingConfiguration" for line 2 of the node; the message and the
 * plain-language explanation of each ErrorDetail for its badge.
 */
static void
describe_errors (JgTaskStatus *status,
                 char        **code,
                 char        **explanation)
{
  GPtrArray *details = jg_task_status_get_error_details (status);
  GString   *text = g_string_new (NULL);

  *code = NULL;
  for (guint i = 0; details != NULL && i < details->len; i++)
    {
      JgRemoteErrorDetail *detail = g_ptr_array_index (details, i);
      g_autofree char     *sentence = jg_task_error_explain (detail->code);

      if (*code == NULL && detail->code != NULL)
        *code = g_strdup (detail->code);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: "ErrorParsingConfiguration: <the service's message>" */
      g_string_append_printf (text, _("%s: %s"), detail->code != NULL ? detail->code : _("Error"),
                              detail->message != NULL ? detail->message : "");
      g_string_append_c (text, '\n');
      g_string_append (text, sentence);
    }

  if (text->len == 0)
    {
      g_autofree char *sentence = jg_task_error_explain (NULL);

      g_string_append (text, sentence);
    }

  *explanation = g_string_free (text, FALSE);
}

static void
paint_nodes (JgJobBar *self)
{
  GListModel *statuses;
  guint       n;

  if (self->monitor == NULL || self->canvas == NULL || !jg_job_monitor_has_snapshot (self->monitor))
    return;

  statuses = jg_job_monitor_get_tasks (self->monitor);
  n = g_list_model_get_n_items (statuses);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JgTaskStatus) status = g_list_model_get_item (statuses, i);
      guint      index = jg_task_status_get_index (status);
      JgTask    *task;
      GtkWidget *node;

      if (index >= self->tasks->len)
        continue;

      task = g_ptr_array_index (self->tasks, index);
      node = jg_graph_canvas_get_node_widget (self->canvas, G_OBJECT (task));
      if (node == NULL)
        continue;

      if (jg_task_status_get_state (status) == JG_JOB_STATE_ERROR)
        {
          g_autofree char *code = NULL;
          g_autofree char *explanation = NULL;

          describe_errors (status, &code, &explanation);
          jg_node_set_run_status (JG_NODE (node), JG_JOB_STATE_ERROR, jg_task_status_get_progress (status), code,
                                  explanation);
        }
      else
        jg_node_set_run_status (JG_NODE (node), jg_task_status_get_state (status),
                                jg_task_status_get_progress (status), NULL, NULL);
    }
}

static void
unpaint_nodes (JgJobBar *self)
{
  if (self->canvas == NULL || self->tasks == NULL)
    return;

  for (guint i = 0; i < self->tasks->len; i++)
    {
      GtkWidget *node = jg_graph_canvas_get_node_widget (self->canvas, g_ptr_array_index (self->tasks, i));

      if (node != NULL)
        jg_node_set_run_status (JG_NODE (node), -1, 0, NULL, NULL);
    }
}

static guint
count_tasks_in_state (JgJobBar  *self,
                      JgJobState state)
{
  GListModel *statuses = jg_job_monitor_get_tasks (self->monitor);
  guint       count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (statuses); i++)
    {
      g_autoptr(JgTaskStatus) status = g_list_model_get_item (statuses, i);

      count += jg_task_status_get_state (status) == (int)state;
    }

  return count;
}

static void
update_bar (JgJobBar *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const GError *error;
  JgJobState    state;
  gboolean      final;

  if (self->monitor == NULL)
    return;

  state = jg_job_monitor_get_state (self->monitor);
  final = jg_job_monitor_has_snapshot (self->monitor) && jg_job_state_is_final (state);
  error = jg_job_monitor_get_last_error (self->monitor);

  if (!jg_job_monitor_has_snapshot (self->monitor))
    g_string_append (text, _("Waiting for the service…"));
  else
    {
      guint n_tasks = g_list_model_get_n_items (jg_job_monitor_get_tasks (self->monitor));
      guint n_done = count_tasks_in_state (self, JG_JOB_STATE_FINISHED);

      g_string_append (text, self->canceling && !final ? _("Canceling") : get_state_name (state));
      g_string_append (text, " · ");
      /* Translators: "2 of 4 tasks finished" */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u of %u task finished",
                                                 "%u of %u tasks finished", n_tasks),
                              n_done, n_tasks);
      if (!final)
        g_string_append_printf (text, " · %.0f %%", jg_job_monitor_get_progress (self->monitor));
    }

  /* The job goes on on the service: say that the window lost sight of it,
   * and that it keeps trying.
   */
  if (error != NULL)
    {
      g_string_append (text, " · ");
      if (g_error_matches (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND))
        g_string_append (text, _("the job no longer exists on the service"));
      else
        /* Translators: %s says why the last status request failed */
        g_string_append_printf (text, _("cannot reach the service (%s); retrying"), error->message);
    }

  gtk_label_set_text (GTK_LABEL (self->subtitle), text->str);
  gtk_widget_set_tooltip_text (self->subtitle, text->str);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress),
                                 state == JG_JOB_STATE_FINISHED ? 1.0
                                                                : jg_job_monitor_get_progress (self->monitor) / 100.0);

  gtk_widget_set_visible (self->spinner, !final && jg_job_monitor_get_running (self->monitor));
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), !final);
  gtk_widget_set_visible (self->icon, final || !jg_job_monitor_get_running (self->monitor));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon),
                                state == JG_JOB_STATE_FINISHED ? "object-select-symbolic"
                                : state == JG_JOB_STATE_ERROR  ? "dialog-error-symbolic"
                                                               : "process-stop-symbolic");
  gtk_widget_set_sensitive (self->cancel_button, !final && !self->canceling);
  gtk_widget_set_visible (self->cancel_button, !final);

  gtk_widget_remove_css_class (GTK_WIDGET (self), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  if (final && state == JG_JOB_STATE_FINISHED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "success");
  else if ((final && state == JG_JOB_STATE_ERROR) || error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}

static void
on_monitor_changed (JgJobBar *self)
{
  paint_nodes (self);
  update_bar (self);
}

static void
on_monitor_finished (JgJobBar *self)
{
  update_bar (self);
  g_signal_emit (self, signals[FINISHED], 0, jg_job_monitor_get_state (self->monitor));
}

static void
job_canceled_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JgJobBar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!jg_client_cancel_job_finish (JG_CLIENT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      self->canceling = FALSE;
      /* Translators: %s says why the service refused or could not be reached */
      g_autofree char *message = g_strdup_printf (_("Could not cancel the job: %s"), error->message);
      gtk_label_set_text (GTK_LABEL (self->subtitle), message);
      gtk_widget_add_css_class (GTK_WIDGET (self), "error");
    }

  update_bar (self);
}

static void
on_cancel_clicked (JgJobBar *self)
{
  if (self->monitor == NULL)
    return;

  self->canceling = TRUE;
  update_bar (self);
  jg_client_cancel_job_async (jg_job_monitor_get_client (self->monitor), jg_job_monitor_get_job_id (self->monitor),
                              self->cancellable, job_canceled_cb, g_object_ref (self));
}

static void
on_dismiss_clicked (JgJobBar *self)
{
  jg_job_bar_clear (self);
}

static void
jg_job_bar_dispose (GObject *object)
{
  JgJobBar *self = (JgJobBar *)object;

  jg_job_bar_clear (self);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (jg_job_bar_parent_class)->dispose (object);
}

static void
jg_job_bar_class_init (JgJobBarClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = jg_job_bar_dispose;

  /**
   * JgJobBar::finished:
   * @state: the job's final #JgJobState
   *
   * The job reached a final state while the bar followed it.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_INT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "jobbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
jg_job_bar_init (JgJobBar *self)
{
  GtkWidget *labels;

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->spinner = gtk_spinner_new ();
  gtk_box_append (GTK_BOX (self->box), self->spinner);
  self->icon = gtk_image_new ();
  gtk_widget_set_visible (self->icon, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->icon);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (labels, TRUE);
  self->title = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  gtk_widget_add_css_class (self->title, "heading");
  self->subtitle = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  gtk_widget_add_css_class (self->subtitle, "caption");
  self->progress = gtk_progress_bar_new ();
  gtk_box_append (GTK_BOX (labels), self->title);
  gtk_box_append (GTK_BOX (labels), self->subtitle);
  gtk_box_append (GTK_BOX (labels), self->progress);
  gtk_box_append (GTK_BOX (self->box), labels);

  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel Job"));
  gtk_widget_set_valign (self->cancel_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->cancel_button, "destructive-action");
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  gtk_box_append (GTK_BOX (self->box), self->cancel_button);

  self->dismiss_button = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (self->dismiss_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->dismiss_button, "flat");
  gtk_widget_add_css_class (self->dismiss_button, "circular");
  gtk_widget_set_tooltip_text (self->dismiss_button, _("Stop Following the Job"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dismiss_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Stop Following the Job"), -1);
  g_signal_connect_swapped (self->dismiss_button, "clicked", G_CALLBACK (on_dismiss_clicked), self);
  gtk_box_append (GTK_BOX (self->box), self->dismiss_button);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
jg_job_bar_new (void)
{
  return g_object_new (JG_TYPE_JOB_BAR, NULL);
}

/**
 * jg_job_bar_track:
 * @canvas: the canvas whose nodes show the tasks
 * @client: the client of the job's account
 * @job_id: the job
 * @job_name: (nullable): the job's name, shown as the bar's title
 * @tasks: (element-type JgTask): the graph's tasks in the order of the
 *   job's body
 *
 * Follows the job until it ends, painting each task's state on its node.
 * Any job followed before is let go (it goes on on the service).
 */
void
jg_job_bar_track (JgJobBar      *self,
                  JgGraphCanvas *canvas,
                  JgClient      *client,
                  const char    *job_id,
                  const char    *job_name,
                  GPtrArray     *tasks)
{
  JgHistory *history;

  g_return_if_fail (JG_IS_JOB_BAR (self));
  g_return_if_fail (JG_IS_GRAPH_CANVAS (canvas));
  g_return_if_fail (JG_IS_CLIENT (client));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (tasks != NULL);

  jg_job_bar_clear (self);

  self->canvas = g_object_ref (canvas);
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_ptr_array_add (self->tasks, g_object_ref (g_ptr_array_index (tasks, i)));
  self->job_name = g_strdup (job_name != NULL && *job_name != '\0' ? job_name : job_id);
  self->cancellable = g_cancellable_new ();

  history = jg_graph_canvas_get_history (canvas);
  if (history != NULL)
    {
      self->graph = g_object_ref (jg_history_get_graph (history));
      g_signal_connect_object (self->graph, "changed", G_CALLBACK (paint_nodes), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }

  self->monitor = jg_job_monitor_new (client, job_id);
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (on_monitor_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::last-error", G_CALLBACK (update_bar), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "finished", G_CALLBACK (on_monitor_finished), self, G_CONNECT_SWAPPED);

  gtk_label_set_text (GTK_LABEL (self->title), self->job_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->job_name, -1);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  update_bar (self);

  jg_job_monitor_start (self->monitor);
}

/**
 * jg_job_bar_clear:
 *
 * Stops following the job (which goes on on the service), takes its
 * state off the nodes and hides the bar.
 */
void
jg_job_bar_clear (JgJobBar *self)
{
  g_return_if_fail (JG_IS_JOB_BAR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->monitor != NULL)
    {
      jg_job_monitor_stop (self->monitor);
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_clear_object (&self->monitor);
    }

  if (self->graph != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->graph, self);
      g_clear_object (&self->graph);
    }

  unpaint_nodes (self);
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_object (&self->canvas);
  g_clear_pointer (&self->job_name, g_free);
  self->canceling = FALSE;

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * jg_job_bar_get_monitor:
 *
 * Returns: (transfer none) (nullable): the monitor of the job followed
 */
JgJobMonitor *
jg_job_bar_get_monitor (JgJobBar *self)
{
  g_return_val_if_fail (JG_IS_JOB_BAR (self), NULL);

  return self->monitor;
}

/**
 * jg_job_bar_get_status_text:
 *
 * Returns: what the bar says under the job's name, e.g. "Processing · 1
 *   of 2 tasks finished · 40 %"
 */
const char *
jg_job_bar_get_status_text (JgJobBar *self)
{
  g_return_val_if_fail (JG_IS_JOB_BAR (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->subtitle));
}
