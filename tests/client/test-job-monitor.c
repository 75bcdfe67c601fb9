/* test-job-monitor.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "jg-client.h"
#include "jg-emulator.h"
#include "jg-job-monitor.h"

#include "client-fixture.h"

/* JgJobMonitor against a real jobgraph-emulator on 127.0.0.1, port 0, in
 * its own thread and main context; the monitor runs on the test's main
 * context with short polling intervals. Every wait iterates the main loop
 * until a condition holds or a deadline passes: no fixed sleeps.
 */

#define MES_ID "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

#define MIN_MS 20
#define MAX_MS 200

/* The emulator, with quick retries: a lost service must show up soon. */

static Emulator *
emulator_new (double speed,
              guint  workers)
{
  Emulator *e = emulator_new_with_workers (speed, workers);

  e->max_retries = 1;
  e->max_delay_ms = 4;

  return e;
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  g_assert_true (wait_until (has_result, result, 30000));

  return *result;
}

/* Submits a job of @n_tasks independent tasks, each encoding the one
 * input asset with @preset.
 */
static JgRemoteJob *
submit_job (JgClient   *client,
            const char *name,
            guint       n_tasks,
            const char *preset)
{
  g_autoptr(JgRestJob) rest = jg_rest_job_new (JG_REST_JOB);
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(GAsyncResult) asset_result = NULL;
  g_autoptr(GAsyncResult) job_result = NULL;
  g_autoptr(GError) error = NULL;
  JgRemoteJob *job;

  jg_client_create_asset_async (client, name, NULL, store_result_cb, &asset_result);
  asset = jg_client_create_asset_finish (client, wait_for_result (&asset_result), &error);
  g_assert_no_error (error);

  rest->name = g_strdup (name);
  g_ptr_array_add (rest->input_asset_ids, g_strdup (asset->id));
  for (guint i = 0; i < n_tasks; i++)
    {
      JgRestTask *task = jg_rest_task_new ();

      task->name = g_strdup_printf ("Encode %u", i + 1);
      task->processor_id = g_strdup (MES_ID);
      task->configuration = g_strdup (preset);
      task->task_body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?><taskBody>"
                                         "<inputAsset>JobInputAsset(0)</inputAsset>"
                                         "<outputAsset>JobOutputAsset(%u)</outputAsset></taskBody>",
                                         i);
      g_ptr_array_add (rest->tasks, task);
    }

  jg_client_create_job_async (client, rest, JG_CREATE_NONE, NULL, store_result_cb, &job_result);
  job = jg_client_create_job_finish (client, wait_for_result (&job_result), &error);
  g_assert_no_error (error);

  return job;
}

/* What the monitor told */

typedef struct
{
  JgJobMonitor *monitor;
  guint         n_changed;
  guint         n_finished;
  guint         n_state_notifies;
  guint         n_error_notifies;
  guint         n_distinct_progress;
  double        last_progress;
  GArray       *task_progress;
  char         *signature;
} Recorder;

/* Everything ::changed promises to report, as one string. */
static char *
dup_signature (JgJobMonitor *monitor)
{
  GListModel *tasks = jg_job_monitor_get_tasks (monitor);
  GString    *s = g_string_new (NULL);

  g_string_append_printf (s, "%d %.3f", jg_job_monitor_get_state (monitor), jg_job_monitor_get_progress (monitor));
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(JgTaskStatus) status = g_list_model_get_item (tasks, i);

      g_string_append_printf (s, " | %s %u %d %.3f %u", jg_task_status_get_name (status),
                              jg_task_status_get_index (status), jg_task_status_get_state (status),
                              jg_task_status_get_progress (status),
                              jg_task_status_get_error_details (status)->len);
    }

  return g_string_free (s, FALSE);
}

static void
changed_cb (JgJobMonitor *monitor,
            Recorder     *r)
{
  g_autofree char *signature = dup_signature (monitor);
  GListModel      *tasks = jg_job_monitor_get_tasks (monitor);
  double           progress = jg_job_monitor_get_progress (monitor);

  r->n_changed++;

  /* Only real changes are reported, and each resets the interval. */
  g_assert_cmpstr (signature, !=, r->signature);
  g_free (r->signature);
  r->signature = g_steal_pointer (&signature);
  g_assert_cmpuint (jg_job_monitor_get_interval (monitor), ==, MIN_MS);

  /* Progress only goes up, overall and per task. */
  g_assert_cmpfloat (progress, >=, r->last_progress);
  g_assert_cmpfloat (progress, <=, 100.0);
  if (r->n_changed == 1 || progress != r->last_progress)
    r->n_distinct_progress++;
  r->last_progress = progress;

  if (jg_job_monitor_get_state (monitor) == JG_JOB_STATE_CANCELED ||
      jg_job_monitor_get_state (monitor) == JG_JOB_STATE_CANCELING)
    return;

  g_array_set_size (r->task_progress, MAX (r->task_progress->len, g_list_model_get_n_items (tasks)));
  for (guint i = 0; i < g_list_model_get_n_items (tasks); i++)
    {
      g_autoptr(JgTaskStatus) status = g_list_model_get_item (tasks, i);
      double *previous = &g_array_index (r->task_progress, double, i);

      g_assert_cmpfloat (jg_task_status_get_progress (status), >=, *previous);
      *previous = jg_task_status_get_progress (status);
    }
}

static void
finished_cb (JgJobMonitor *monitor,
             Recorder     *r)
{
  r->n_finished++;

  /* Polling stopped before ::finished. */
  g_assert_false (jg_job_monitor_get_running (monitor));
  g_assert_true (jg_job_state_is_final (jg_job_monitor_get_state (monitor)));
}

static void
notify_state_cb (JgJobMonitor *monitor,
                 GParamSpec   *pspec,
                 Recorder     *r)
{
  r->n_state_notifies++;
}

static void
notify_last_error_cb (JgJobMonitor *monitor,
                      GParamSpec   *pspec,
                      Recorder     *r)
{
  r->n_error_notifies++;
}

static Recorder *
recorder_new (JgJobMonitor *monitor)
{
  Recorder *r = g_new0 (Recorder, 1);

  r->monitor = monitor;
  r->task_progress = g_array_new (FALSE, TRUE, sizeof (double));
  g_signal_connect (monitor, "changed", G_CALLBACK (changed_cb), r);
  g_signal_connect (monitor, "finished", G_CALLBACK (finished_cb), r);
  g_signal_connect (monitor, "notify::state", G_CALLBACK (notify_state_cb), r);
  g_signal_connect (monitor, "notify::last-error", G_CALLBACK (notify_last_error_cb), r);

  return r;
}

static void
recorder_free (Recorder *r)
{
  g_signal_handlers_disconnect_by_data (r->monitor, r);
  g_array_unref (r->task_progress);
  g_free (r->signature);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static JgJobMonitor *
new_monitor (JgClient   *client,
             const char *job_id)
{
  JgJobMonitor *monitor = jg_job_monitor_new (client, job_id);

  jg_job_monitor_set_intervals (monitor, MIN_MS, MAX_MS);

  return monitor;
}

/* Conditions */

static gboolean
is_finished (gpointer data)
{
  return ((Recorder *)data)->n_finished > 0;
}

static gboolean
is_stopped (gpointer data)
{
  return !jg_job_monitor_get_running (data);
}

static gboolean
is_taken (gpointer data)
{
  JgJobMonitor *monitor = data;

  return jg_job_monitor_get_state (monitor) != JG_JOB_STATE_QUEUED;
}

static gboolean
has_snapshot (gpointer data)
{
  return jg_job_monitor_has_snapshot (data);
}

static gboolean
has_error (gpointer data)
{
  return jg_job_monitor_get_last_error (data) != NULL;
}

static gboolean
is_at_max_interval (gpointer data)
{
  return jg_job_monitor_get_interval (data) == MAX_MS;
}

typedef struct
{
  JgJobMonitor *monitor;
  guint         n_polls;
} PollTarget;

static gboolean
has_polled (gpointer data)
{
  PollTarget *target = data;

  return jg_job_monitor_get_n_polls (target->monitor) >= target->n_polls;
}

/* Tests */

static void
test_progress (void)
{
  g_autoptr(Emulator) e = emulator_new (1.0, 4);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteJob) job = submit_job (client, "progress", 2, "Adaptive Streaming");
  g_autoptr(JgJobMonitor) monitor = new_monitor (client, job->id);
  g_autoptr(Recorder) r = recorder_new (monitor);
  GListModel *tasks = jg_job_monitor_get_tasks (monitor);
  PollTarget  target;
  guint       n_polls;

  g_assert_cmpstr (jg_job_monitor_get_job_id (monitor), ==, job->id);
  g_assert_false (jg_job_monitor_has_snapshot (monitor));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 0);

  jg_job_monitor_start (monitor);
  g_assert_true (jg_job_monitor_get_running (monitor));
  g_assert_true (wait_until (is_finished, r, 30000));

  /* Finished, every task at 100, in the job's order. */
  g_assert_cmpint (jg_job_monitor_get_state (monitor), ==, JG_JOB_STATE_FINISHED);
  g_assert_cmpint (jg_job_monitor_get_job (monitor)->state, ==, JG_JOB_STATE_FINISHED);
  g_assert_cmpfloat (jg_job_monitor_get_progress (monitor), ==, 100.0);
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JgTaskStatus) status = g_list_model_get_item (tasks, i);
      g_autofree char *name = g_strdup_printf ("Encode %u", i + 1);

      g_assert_cmpstr (jg_task_status_get_name (status), ==, name);
      g_assert_cmpuint (jg_task_status_get_index (status), ==, i);
      g_assert_true (g_str_has_prefix (jg_task_status_get_id (status), "nb:tid:UUID:"));
      g_assert_cmpint (jg_task_status_get_state (status), ==, JG_JOB_STATE_FINISHED);
      g_assert_cmpfloat (jg_task_status_get_progress (status), ==, 100.0);
      g_assert_cmpuint (jg_task_status_get_error_details (status)->len, ==, 0);
    }

  /* It was followed live: intermediate progress was seen, not just the
   * start and the end; ::finished came once; the error stayed unset.
   */
  g_assert_cmpuint (r->n_finished, ==, 1);
  g_assert_cmpuint (r->n_distinct_progress, >=, 4);
  g_assert_cmpuint (r->n_state_notifies, >=, 1);
  g_assert_cmpuint (r->n_error_notifies, ==, 0);
  g_assert_null (jg_job_monitor_get_last_error (monitor));

  /* Polling stopped: no poll in several maximum intervals, and starting
   * again does nothing for a finished job.
   */
  g_assert_false (jg_job_monitor_get_running (monitor));
  n_polls = jg_job_monitor_get_n_polls (monitor);
  target = (PollTarget){ monitor, n_polls + 1 };
  g_assert_false (wait_until (has_polled, &target, 3 * MAX_MS));
  jg_job_monitor_start (monitor);
  g_assert_false (jg_job_monitor_get_running (monitor));
  g_assert_cmpuint (jg_job_monitor_get_n_polls (monitor), ==, n_polls);
  g_assert_cmpuint (r->n_finished, ==, 1);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_back_off (void)
{
  /* One worker, busy for 20 s with a first job: the monitored job stays
   * Queued, so every poll after the first sees nothing new.
   */
  g_autoptr(Emulator) e = emulator_new (0.05, 1);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteJob) blocker = submit_job (client, "blocker", 1, "Adaptive Streaming");
  g_autoptr(JgRemoteJob) job = submit_job (client, "waiting", 1, "Adaptive Streaming");
  g_autoptr(JgJobMonitor) monitor = new_monitor (client, job->id);
  g_autoptr(Recorder) r = recorder_new (monitor);
  PollTarget target = { monitor, 0 };
  gint64     start;
  double     elapsed_ms;
  guint      n_polls;
  guint      previous_interval = 0;

  jg_job_monitor_start (monitor);
  g_assert_true (wait_until (has_snapshot, monitor, 10000));
  g_assert_cmpuint (r->n_changed, ==, 1);
  g_assert_cmpint (jg_job_monitor_get_state (monitor), ==, JG_JOB_STATE_QUEUED);

  start = g_get_monotonic_time ();
  n_polls = jg_job_monitor_get_n_polls (monitor);

  /* Each unchanged poll waits longer than the one before, up to the
   * maximum.
   */
  for (guint i = 1; i <= 8; i++)
    {
      guint interval;

      target.n_polls = n_polls + i + 1;
      g_assert_true (wait_until (has_polled, &target, 5000));
      interval = jg_job_monitor_get_interval (monitor);
      g_assert_cmpuint (interval, >=, previous_interval);
      g_assert_cmpuint (interval, <=, MAX_MS);
      previous_interval = interval;
    }
  g_assert_true (wait_until (is_at_max_interval, monitor, 5000));

  /* Ten polls at the maximum interval on top. */
  target.n_polls = jg_job_monitor_get_n_polls (monitor) + 10;
  g_assert_true (wait_until (has_polled, &target, 10000));

  /* At the minimum interval, the same time would have taken many more
   * polls than were made.
   */
  elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  n_polls = jg_job_monitor_get_n_polls (monitor) - n_polls;
  g_test_message ("%u polls in %.0f ms", n_polls, elapsed_ms);
  g_assert_cmpfloat (n_polls * 3.0, <, elapsed_ms / MIN_MS);

  g_assert_cmpuint (r->n_changed, ==, 1);
  g_assert_cmpint (jg_job_monitor_get_state (monitor), ==, JG_JOB_STATE_QUEUED);
  g_assert_true (jg_job_monitor_get_running (monitor));

  jg_job_monitor_stop (monitor);
  g_assert_false (jg_job_monitor_get_running (monitor));
  g_assert_cmpuint (r->n_finished, ==, 0);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_task_error (void)
{
  g_autoptr(Emulator) e = emulator_new (1.0, 4);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteJob) job = submit_job (client, "bad preset", 1, "Some wrong Preset");
  g_autoptr(JgJobMonitor) monitor = new_monitor (client, job->id);
  g_autoptr(Recorder) r = recorder_new (monitor);
  g_autoptr(JgTaskStatus) status = NULL;
  g_autofree char           *explanation = NULL;
  const JgRemoteErrorDetail *detail;

  jg_job_monitor_start (monitor);
  g_assert_true (wait_until (is_finished, r, 30000));

  g_assert_cmpint (jg_job_monitor_get_state (monitor), ==, JG_JOB_STATE_ERROR);
  g_assert_cmpuint (r->n_finished, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (jg_job_monitor_get_tasks (monitor)), ==, 1);

  status = g_list_model_get_item (jg_job_monitor_get_tasks (monitor), 0);
  g_assert_cmpint (jg_task_status_get_state (status), ==, JG_JOB_STATE_ERROR);
  g_assert_cmpuint (jg_task_status_get_error_details (status)->len, ==, 1);
  detail = g_ptr_array_index (jg_task_status_get_error_details (status), 0);
  g_assert_cmpstr (detail->code, ==, "ErrorParsingConfiguration");
  g_assert_nonnull (strstr (detail->message, "Some wrong Preset"));

  explanation = jg_task_error_explain (detail->code);
  g_assert_cmpstr (explanation, ==,
                   "The task’s configuration is not valid for its media processor: "
                   "the preset name is unknown or the preset document cannot be read.");

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_explain (void)
{
  const char *codes[] = {
    "ErrorParsingConfiguration",
    "ErrorExecutingTaskUnsupportedFormat",
    "ErrorExecutingTaskMalformedContent",
    "ErrorDownloadingInputAssetMalformedContent",
    "ErrorDownloadingInputAssetServiceFailure",
    "ErrorProcessingTask",
    "ErrorUploadingOutputAsset",
    "ErrorCancelingTask",
    "TransientError",
    "ErrorUnknown",
    "Unknown",
  };
  g_autoptr(GHashTable) sentences = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *fallback = jg_task_error_explain ("ErrorBrandNew");
  g_autofree char *empty = jg_task_error_explain (NULL);

  /* Each documented code has its own sentence (the two spellings of
   * "unknown" share one), none of them the generic one.
   */
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      char *sentence = jg_task_error_explain (codes[i]);

      g_assert_null (strstr (sentence, codes[i]));
      g_assert_true (g_str_has_suffix (sentence, "."));
      g_hash_table_add (sentences, sentence);
    }
  g_assert_cmpuint (g_hash_table_size (sentences), ==, G_N_ELEMENTS (codes) - 1);

  /* An undocumented code is named. */
  g_assert_cmpstr (fallback, ==, "The task failed with the error code “ErrorBrandNew”.");
  g_assert_cmpstr (empty, ==, "The task failed without an error code.");
}

static void
test_cancel (void)
{
  /* Slow: a task takes 10 s, so the job is running when it is canceled. */
  g_autoptr(Emulator) e = emulator_new (0.1, 4);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteJob) job = submit_job (client, "to cancel", 2, "Adaptive Streaming");
  g_autoptr(JgJobMonitor) monitor = new_monitor (client, job->id);
  g_autoptr(Recorder) r = recorder_new (monitor);
  GListModel *tasks = jg_job_monitor_get_tasks (monitor);
  g_autoptr(GAsyncResult) cancel_result = NULL;
  g_autoptr(GError) error = NULL;

  jg_job_monitor_start (monitor);
  g_assert_true (wait_until (is_taken, monitor, 10000));
  g_assert_false (jg_job_state_is_final (jg_job_monitor_get_state (monitor)));

  jg_client_cancel_job_async (client, job->id, NULL, store_result_cb, &cancel_result);
  g_assert_true (jg_client_cancel_job_finish (client, wait_for_result (&cancel_result), &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (is_finished, r, 30000));

  g_assert_cmpint (jg_job_monitor_get_state (monitor), ==, JG_JOB_STATE_CANCELED);
  g_assert_cmpuint (r->n_finished, ==, 1);
  g_assert_false (jg_job_monitor_get_running (monitor));
  g_assert_cmpuint (g_list_model_get_n_items (tasks), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JgTaskStatus) status = g_list_model_get_item (tasks, i);

      g_assert_cmpint (jg_task_status_get_state (status), ==, JG_JOB_STATE_CANCELED);
      g_assert_cmpfloat (jg_task_status_get_progress (status), <, 100.0);
    }

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_service_lost (void)
{
  g_autoptr(Emulator) e = emulator_new (0.1, 4);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteJob) job = submit_job (client, "orphan", 2, "Adaptive Streaming");
  g_autoptr(JgJobMonitor) monitor = new_monitor (client, job->id);
  g_autoptr(Recorder) r = recorder_new (monitor);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *message = NULL;
  PollTarget       target = { monitor, 0 };
  JgJobState       state;

  jg_job_monitor_start (monitor);
  g_assert_true (wait_until (is_taken, monitor, 10000));
  state = jg_job_monitor_get_state (monitor);
  before = dup_signature (monitor);

  /* The service goes away mid-job. */
  emulator_stop (e);
  g_assert_true (wait_until (has_error, monitor, 30000));
  g_assert_cmpuint (r->n_error_notifies, ==, 1);
  g_object_get (monitor, "last-error", &message, NULL);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, ==, jg_job_monitor_get_last_error (monitor)->message);

  /* The last good snapshot is kept, and polling goes on, backing off. */
  target.n_polls = jg_job_monitor_get_n_polls (monitor) + 3;
  g_assert_true (wait_until (has_polled, &target, 10000));
  g_assert_true (jg_job_monitor_get_running (monitor));
  g_assert_nonnull (jg_job_monitor_get_last_error (monitor));
  g_assert_cmpuint (jg_job_monitor_get_interval (monitor), >, MIN_MS);
  g_assert_cmpint (jg_job_monitor_get_state (monitor), ==, state);
  after = dup_signature (monitor);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (g_list_model_get_n_items (jg_job_monitor_get_tasks (monitor)), ==, 2);
  g_assert_cmpuint (r->n_finished, ==, 0);

  jg_job_monitor_stop (monitor);
  g_assert_false (jg_job_monitor_get_running (monitor));
  target.n_polls = jg_job_monitor_get_n_polls (monitor) + 1;
  g_assert_false (wait_until (has_polled, &target, 3 * MAX_MS));

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_deleted (void)
{
  g_autoptr(Emulator) e = emulator_new (0.1, 4);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteJob) job = submit_job (client, "to delete", 1, "Adaptive Streaming");
  g_autoptr(JgJobMonitor) monitor = new_monitor (client, job->id);
  g_autoptr(Recorder) r = recorder_new (monitor);
  g_autoptr(GAsyncResult) delete_result = NULL;
  g_autoptr(GError) delete_error = NULL;
  const GError *error;

  jg_job_monitor_start (monitor);
  g_assert_true (wait_until (is_taken, monitor, 10000));

  jg_client_delete_job_async (client, job->id, NULL, store_result_cb, &delete_result);
  g_assert_true (jg_client_delete_job_finish (client, wait_for_result (&delete_result), &delete_error));
  g_assert_no_error (delete_error);
  g_assert_true (wait_until (is_stopped, monitor, 10000));

  error = jg_job_monitor_get_last_error (monitor);
  g_assert_error ((GError *)error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The job no longer exists on the service; it may have been deleted.");
  g_assert_cmpuint (r->n_finished, ==, 0);
  g_assert_true (jg_job_monitor_has_snapshot (monitor));
  g_assert_cmpuint (g_list_model_get_n_items (jg_job_monitor_get_tasks (monitor)), ==, 1);

  g_clear_pointer (&r, recorder_free);
  g_assert_finalize_object (g_steal_pointer (&monitor));
}

static void
test_dispose_while_polling (void)
{
  /* Dropping a running monitor cancels its request: nothing keeps it
   * alive, and the cancelled request does not touch it.
   */
  g_autoptr(Emulator) e = emulator_new (0.1, 4);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteJob) job = submit_job (client, "dropped", 1, "Adaptive Streaming");
  JgJobMonitor *monitor = new_monitor (client, job->id);

  jg_job_monitor_start (monitor);
  g_assert_cmpuint (jg_job_monitor_get_n_polls (monitor), ==, 1);
  g_assert_finalize_object (monitor);
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide the GSettings schemas that GIO's GNOME
   * proxy resolver needs; loopback needs no proxy anyway.
   */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/client/monitor/progress", test_progress);
  g_test_add_func ("/jobgraph/client/monitor/back-off", test_back_off);
  g_test_add_func ("/jobgraph/client/monitor/task-error", test_task_error);
  g_test_add_func ("/jobgraph/client/monitor/explain", test_explain);
  g_test_add_func ("/jobgraph/client/monitor/cancel", test_cancel);
  g_test_add_func ("/jobgraph/client/monitor/service-lost", test_service_lost);
  g_test_add_func ("/jobgraph/client/monitor/deleted", test_deleted);
  g_test_add_func ("/jobgraph/client/monitor/dispose-while-polling", test_dispose_while_polling);

  return g_test_run ();
}
