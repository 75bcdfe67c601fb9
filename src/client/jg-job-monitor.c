/* jg-job-monitor.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-job-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "jg-client-enums.h"
#include "jg-job-monitor.h"
#include "jg-task-status-private.h"

/**
 * JgJobMonitor:
 *
 * Watches one submitted job: polls the job and its Tasks, and keeps the
 * last good snapshot — the job's state, its overall progress (the mean of
 * the tasks' progress) and a #GListModel of #JgTaskStatus in the job's task
 * order — for the app to paint on the graph's nodes.
 *
 * Polling starts at the minimum interval (1 s by default). Every poll that
 * shows no change makes the next wait 1.5 times longer, up to the maximum
 * (10 s); a change brings it back to the minimum, so a running job is
 * followed closely and a job waiting in the queue costs little. Polling
 * stops by itself once the job is Finished, Error or Canceled.
 *
 * A failed poll (network, 5xx, an unreadable answer) keeps the snapshot,
 * sets #JgJobMonitor:last-error and goes on polling with back-off; the next
 * good poll clears the error. A 404 means the job was deleted: the monitor
 * stops with a #JG_CLIENT_ERROR_NOT_FOUND last error.
 *
 * All requests are asynchronous and cancelled by jg_job_monitor_stop() and
 * on dispose; a request in flight does not keep the monitor alive.
 */
struct _JgJobMonitor
{
  GObject       parent_instance;

  JgClient     *client;
  char         *job_id;

  /* The last good snapshot */
  JgRemoteJob  *job;
  GListStore   *tasks;
  JgJobState    state;
  double        progress;

  GError       *last_error;

  /* Polling */
  GCancellable *cancellable;
  JgRemoteJob  *pending_job;
  guint         timeout_id;
  guint         min_ms;
  guint         max_ms;
  guint         interval_ms;
  guint         n_polls;

  guint         running : 1;
  guint         has_snapshot : 1;
  guint         finished : 1;
};

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_JOB_ID,
  PROP_RUNNING,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_TASKS,
  PROP_LAST_ERROR,
  N_PROPS
};

enum
{
  CHANGED,
  FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgJobMonitor, jg_job_monitor, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void        poll_now (JgJobMonitor *self);

static void
set_running (JgJobMonitor *self,
             gboolean      running)
{
  if (self->running == !!running)
    return;

  self->running = !!running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Stops polling without touching the snapshot. */
static void
halt (JgJobMonitor *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->pending_job, jg_remote_job_unref);
  set_running (self, FALSE);
}

static void
set_last_error (JgJobMonitor *self,
                const GError *error)
{
  const char *old = self->last_error ? self->last_error->message : NULL;
  const char *new = error ? error->message : NULL;
  gboolean notify = g_strcmp0 (old, new) != 0;

  g_clear_error (&self->last_error);
  if (error != NULL)
    self->last_error = g_error_copy (error);

  if (notify)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
back_off (JgJobMonitor *self)
{
  guint next = self->interval_ms + MAX (1u, self->interval_ms / 2);

  self->interval_ms = CLAMP (next, self->min_ms, self->max_ms);
}

static gboolean
poll_timeout_cb (gpointer data)
{
  JgJobMonitor *self = data;

  self->timeout_id = 0;
  poll_now (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_next (JgJobMonitor *self)
{
  if (!self->running)
    return;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (self->interval_ms, poll_timeout_cb, self);
  g_source_set_name_by_id (self->timeout_id, "[jg-job-monitor] poll");
}

static void
poll_failed (JgJobMonitor *self,
             const GError *error)
{
  g_clear_pointer (&self->pending_job, jg_remote_job_unref);

  if (g_error_matches (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND))
    {
      g_autoptr(GError) gone = NULL;

      gone = g_error_new_literal (JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND,
                                  _("The job no longer exists on the service; it may have been deleted."));
      halt (self);
      set_last_error (self, gone);
      return;
    }

  /* Anything else may pass: keep the snapshot and try again later. */
  g_debug ("Polling job %s failed: %s", self->job_id, error->message);
  back_off (self);
  schedule_next (self);
  set_last_error (self, error);
}

static gboolean
tasks_match (GListModel *model,
             GPtrArray  *tasks)
{
  if (g_list_model_get_n_items (model) != tasks->len)
    return FALSE;

  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(JgTaskStatus) status = g_list_model_get_item (model, i);
      const JgRemoteTask *task = g_ptr_array_index (tasks, i);

      if (g_strcmp0 (jg_task_status_get_id (status), task->id) != 0)
        return FALSE;
    }

  return TRUE;
}

/* Updates the task list in place; returns whether anything changed. The
 * status objects of tasks that are still there are kept, so that bindings
 * survive a reordering.
 */
static gboolean
update_tasks (JgJobMonitor *self,
              GPtrArray    *tasks)
{
  GListModel *model = G_LIST_MODEL (self->tasks);
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  gboolean changed = FALSE;

  if (tasks_match (model, tasks))
    {
      for (guint i = 0; i < tasks->len; i++)
        {
          g_autoptr(JgTaskStatus) status = g_list_model_get_item (model, i);

          changed |= _jg_task_status_update (status, g_ptr_array_index (tasks, i), i);
        }

      return changed;
    }

  by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      JgTaskStatus *status = g_list_model_get_item (model, i);
      const char   *id = jg_task_status_get_id (status);

      if (id != NULL && !g_hash_table_contains (by_id, id))
        g_hash_table_insert (by_id, (gpointer)id, status);
      else
        g_object_unref (status);
    }

  statuses = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    {
      JgRemoteTask *task = g_ptr_array_index (tasks, i);
      JgTaskStatus *status = task->id ? g_hash_table_lookup (by_id, task->id) : NULL;

      if (status != NULL)
        {
          g_object_ref (status);
          g_hash_table_remove (by_id, task->id);
          _jg_task_status_update (status, task, i);
        }
      else
        status = _jg_task_status_new (task, i);

      g_ptr_array_add (statuses, status);
    }

  g_list_store_splice (self->tasks, 0, g_list_model_get_n_items (model),
                       statuses->pdata, statuses->len);

  return TRUE;
}

static double
compute_progress (GPtrArray *tasks)
{
  double sum = 0.0;

  if (tasks->len == 0)
    return 0.0;

  for (guint i = 0; i < tasks->len; i++)
    sum += CLAMP (((JgRemoteTask *)g_ptr_array_index (tasks, i))->progress, 0.0, 100.0);

  return sum / tasks->len;
}

static void
apply_snapshot (JgJobMonitor *self,
                JgRemoteJob  *job,
                GPtrArray    *tasks)
{
  g_autoptr(JgJobMonitor) hold = g_object_ref (self);
  gboolean changed = !self->has_snapshot;
  gboolean final;
  double   progress;

  self->has_snapshot = TRUE;
  g_clear_pointer (&self->job, jg_remote_job_unref);
  self->job = jg_remote_job_ref (job);

  g_object_freeze_notify (G_OBJECT (self));

  changed |= update_tasks (self, tasks);

  if (self->state != job->state)
    {
      changed = TRUE;
      self->state = job->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  progress = compute_progress (tasks);
  if (progress != self->progress)
    {
      changed = TRUE;
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }

  set_last_error (self, NULL);

  if (changed)
    self->interval_ms = self->min_ms;
  else
    back_off (self);

  /* The job is fetched before its tasks, and the service ends a job only
   * after its tasks: tasks read after a final job are final too.
   */
  final = jg_job_state_is_final (job->state);
  if (final)
    halt (self);
  else
    schedule_next (self);

  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);

  if (final && !self->finished)
    {
      self->finished = TRUE;
      g_signal_emit (self, signals[FINISHED], 0);
    }
}

/* The callbacks take the client from @object: when the request was
 * cancelled, the monitor (@user_data) may be gone.
 */
static void
got_tasks_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  JgJobMonitor *self;
  g_autoptr(JgRemoteJob) job = NULL;

  tasks = jg_client_list_job_tasks_finish (JG_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = JG_JOB_MONITOR (user_data);
  if (error != NULL)
    {
      poll_failed (self, error);
      return;
    }

  job = g_steal_pointer (&self->pending_job);
  g_assert (job != NULL);
  apply_snapshot (self, job, tasks);
}

static void
got_job_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  JgRemoteJob  *job;
  JgJobMonitor *self;

  job = jg_client_get_job_finish (JG_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = JG_JOB_MONITOR (user_data);
  if (error != NULL)
    {
      poll_failed (self, error);
      return;
    }

  g_clear_pointer (&self->pending_job, jg_remote_job_unref);
  self->pending_job = job;
  jg_client_list_job_tasks_async (self->client, self->job_id, self->cancellable, got_tasks_cb, self);
}

static void
poll_now (JgJobMonitor *self)
{
  g_assert (self->running);
  g_assert (self->cancellable != NULL);

  self->n_polls++;
  jg_client_get_job_async (self->client, self->job_id, self->cancellable, got_job_cb, self);
}

static void
jg_job_monitor_dispose (GObject *object)
{
  JgJobMonitor *self = (JgJobMonitor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_pointer (&self->pending_job, jg_remote_job_unref);
  g_clear_pointer (&self->job, jg_remote_job_unref);
  if (self->tasks != NULL)
    g_list_store_remove_all (self->tasks);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (jg_job_monitor_parent_class)->dispose (object);
}

static void
jg_job_monitor_finalize (GObject *object)
{
  JgJobMonitor *self = (JgJobMonitor *)object;

  g_clear_object (&self->tasks);
  g_clear_pointer (&self->job_id, g_free);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (jg_job_monitor_parent_class)->finalize (object);
}

static void
jg_job_monitor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JgJobMonitor *self = JG_JOB_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_JOB_ID:
      g_value_set_string (value, self->job_id);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;

    case PROP_TASKS:
      g_value_set_object (value, self->tasks);
      break;

    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error ? self->last_error->message : NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_job_monitor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JgJobMonitor *self = JG_JOB_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    case PROP_JOB_ID:
      self->job_id = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_job_monitor_class_init (JgJobMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_job_monitor_dispose;
  object_class->finalize = jg_job_monitor_finalize;
  object_class->get_property = jg_job_monitor_get_property;
  object_class->set_property = jg_job_monitor_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, JG_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_JOB_ID] =
    g_param_spec_string ("job-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * JgJobMonitor:running:
   *
   * Whether the monitor polls: from jg_job_monitor_start() until
   * jg_job_monitor_stop(), a final state or a deleted job.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgJobMonitor:state:
   *
   * The job's state in the last good snapshot; Queued before the first.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, JG_TYPE_JOB_STATE, JG_JOB_STATE_QUEUED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgJobMonitor:progress:
   *
   * The mean of the tasks' progress, 0–100.
   */
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 100.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * JgJobMonitor:tasks:
   *
   * A #GListModel of #JgTaskStatus, in the job's task order.
   */
  properties[PROP_TASKS] =
    g_param_spec_object ("tasks", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * JgJobMonitor:last-error:
   *
   * The message of the last failed poll, %NULL once a poll succeeds again.
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JgJobMonitor::changed:
   *
   * Emitted after a poll that changed the snapshot: the job's state, the
   * progress, or a task's name, state, progress or ErrorDetails (the
   * first snapshot counts as a change). Not emitted for polls that saw
   * nothing new, nor for failed polls.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * JgJobMonitor::finished:
   *
   * Emitted once, when the job reached Finished, Error or Canceled; the
   * monitor stopped polling just before.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
jg_job_monitor_init (JgJobMonitor *self)
{
  self->tasks = g_list_store_new (JG_TYPE_TASK_STATUS);
  self->state = JG_JOB_STATE_QUEUED;
  self->min_ms = JG_JOB_MONITOR_DEFAULT_MIN_INTERVAL_MS;
  self->max_ms = JG_JOB_MONITOR_DEFAULT_MAX_INTERVAL_MS;
  self->interval_ms = self->min_ms;
}

/**
 * jg_job_monitor_new:
 * @client: the client the job was submitted with
 * @job_id: the job's `Id`
 *
 * Returns: (transfer full): a monitor; call jg_job_monitor_start()
 */
JgJobMonitor *
jg_job_monitor_new (JgClient   *client,
                    const char *job_id)
{
  g_return_val_if_fail (JG_IS_CLIENT (client), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  return g_object_new (JG_TYPE_JOB_MONITOR,
                       "client", client,
                       "job-id", job_id,
                       NULL);
}

JgClient *
jg_job_monitor_get_client (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), NULL);

  return self->client;
}

const char *
jg_job_monitor_get_job_id (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), NULL);

  return self->job_id;
}

/**
 * jg_job_monitor_set_intervals:
 * @min_ms: the wait after a poll that saw a change (1000 by default)
 * @max_ms: the longest wait, reached by back-off (10000 by default)
 *
 * Sets the polling intervals; tests use short ones.
 */
void
jg_job_monitor_set_intervals (JgJobMonitor *self,
                              guint         min_ms,
                              guint         max_ms)
{
  g_return_if_fail (JG_IS_JOB_MONITOR (self));
  g_return_if_fail (min_ms > 0);
  g_return_if_fail (min_ms <= max_ms);

  self->min_ms = min_ms;
  self->max_ms = max_ms;
  self->interval_ms = CLAMP (self->interval_ms, min_ms, max_ms);
}

/**
 * jg_job_monitor_start:
 *
 * Polls the job now, then on and on until it is final, deleted, or
 * jg_job_monitor_stop() is called. Does nothing when already running or
 * when the job already ended.
 */
void
jg_job_monitor_start (JgJobMonitor *self)
{
  g_return_if_fail (JG_IS_JOB_MONITOR (self));

  if (self->running || self->finished)
    return;

  self->cancellable = g_cancellable_new ();
  self->interval_ms = self->min_ms;
  set_running (self, TRUE);
  poll_now (self);
}

/**
 * jg_job_monitor_stop:
 *
 * Stops polling and cancels the request in flight; the snapshot stays.
 */
void
jg_job_monitor_stop (JgJobMonitor *self)
{
  g_return_if_fail (JG_IS_JOB_MONITOR (self));

  halt (self);
}

gboolean
jg_job_monitor_get_running (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), FALSE);

  return self->running;
}

/**
 * jg_job_monitor_has_snapshot:
 *
 * Returns: whether a poll succeeded yet
 */
gboolean
jg_job_monitor_has_snapshot (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), FALSE);

  return self->has_snapshot;
}

/**
 * jg_job_monitor_get_job:
 *
 * Returns: (transfer none) (nullable): the job as last received
 */
JgRemoteJob *
jg_job_monitor_get_job (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), NULL);

  return self->job;
}

JgJobState
jg_job_monitor_get_state (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), JG_JOB_STATE_QUEUED);

  return self->state;
}

double
jg_job_monitor_get_progress (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), 0.0);

  return self->progress;
}

/**
 * jg_job_monitor_get_tasks:
 *
 * Returns: (transfer none): a #GListModel of #JgTaskStatus
 */
GListModel *
jg_job_monitor_get_tasks (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), NULL);

  return G_LIST_MODEL (self->tasks);
}

/**
 * jg_job_monitor_get_last_error:
 *
 * Returns: (transfer none) (nullable): why the last poll failed, %NULL
 *   after a good one
 */
const GError *
jg_job_monitor_get_last_error (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), NULL);

  return self->last_error;
}

/**
 * jg_job_monitor_get_interval:
 *
 * Returns: the current wait between polls, in milliseconds
 */
guint
jg_job_monitor_get_interval (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), 0);

  return self->interval_ms;
}

/**
 * jg_job_monitor_get_n_polls:
 *
 * Returns: how many polls were started, for tests and diagnostics
 */
guint
jg_job_monitor_get_n_polls (JgJobMonitor *self)
{
  g_return_val_if_fail (JG_IS_JOB_MONITOR (self), 0);

  return self->n_polls;
}

/**
 * jg_task_error_explain:
 * @code: (nullable): an `ErrorDetail` `Code`
 *
 * Says in plain language what a task's error code means (the codes of
 * ams-rest-v2.md §3.8); unknown codes get a generic sentence that names
 * them.
 *
 * Returns: (transfer full): a translated sentence
 */
char *
jg_task_error_explain (const char *code)
{
  static const struct
  {
    const char *code;
    const char *sentence;
  } explanations[] = {
    { "ErrorParsingConfiguration",
      N_("The task’s configuration is not valid for its media processor: the preset name is unknown or the preset document cannot be read.") },
      { "ErrorExecutingTaskUnsupportedFormat",
        N_("The media processor does not support the format or codec of the input file.") },
        { "ErrorExecutingTaskMalformedContent",
          N_("The input file is damaged or does not match its format, so it could not be processed.") },
          { "ErrorDownloadingInputAssetMalformedContent",
            N_("The input asset could not be read: its files are damaged or incomplete.") },
            { "ErrorDownloadingInputAssetServiceFailure",
              N_("The service could not download the input asset. Submitting the job again may work.") },
              { "ErrorProcessingTask",
                N_("The media processor failed while processing the task.") },
                { "ErrorUploadingOutputAsset",
                  N_("The result could not be saved to the output asset.") },
                  { "ErrorCancelingTask",
                    N_("The task failed while it was being canceled.") },
                    { "TransientError",
                      N_("A temporary problem on the service stopped the task. Submitting the job again may work.") },
                      { "ErrorUnknown",
                        N_("The task failed for a reason the service did not report.") },
                        { "Unknown",
                          N_("The task failed for a reason the service did not report.") },
                      };

  if (code == NULL || *code == '\0')
    return g_strdup (_("The task failed without an error code."));

  for (guint i = 0; i < G_N_ELEMENTS (explanations); i++)
    if (g_str_equal (code, explanations[i].code))
      return g_strdup (_(explanations[i].sentence));

  /* Translators: %s is an error code sent by the service, e.g. ErrorFooBar. */
  return g_strdup_printf (_("The task failed with the error code “%s”."), code);
}
