/* jg-emulator-scheduler.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-scheduler"

#include "config.h"

#include <glib/gstdio.h>

#include "jg-emulator-encoder.h"
#include "jg-emulator-files.h"
#include "jg-emulator-preset.h"
#include "jg-emulator-private.h"
#include "jg-emulator-scheduler.h"

/* Runs the jobs: at most `workers` tasks at once across all jobs, ready
 * tasks taken by job priority (higher first), then job creation, then task
 * priority and position. A task is ready when every task writing one of its
 * inputs has finished.
 *
 * A task runs its preset with GStreamer (jg-emulator-preset.c): it reads
 * the files of its input assets (for JobOutputAsset(n) inputs, the files
 * the writing task produced) and writes into DATA_DIR/work/<task>, whose
 * files move into the output asset's folder and become its File entities
 * when the task finishes. Progress follows the pipelines' position. With
 * `simulate`, a task instead takes max(1 s, input bytes / 50 MB/s) / speed,
 * in ten progress steps, and reads or writes nothing.
 *
 * States (job and task alike, the .NET SDK's numbers, ams-rest-v2.md §3.2):
 * a task is Queued (0) until a worker takes it, Scheduled (1) until its
 * first step, Processing (2) with Progress 10…90, then Finished (3) with
 * Progress 100, or Error (4). The job is Queued until its first task is
 * taken, then Scheduled, Processing, and finally Finished, Error (any task
 * failed) or Canceled. CancelJob makes it Canceling (6) first.
 *
 * The Configuration is checked when the task starts processing, not when
 * the job is submitted, as the service did: a preset the processor does not
 * know ends the task in Error with ErrorDetails
 * `[{"Code":"ErrorParsingConfiguration", …}]`. The job's other tasks are
 * then canceled, except those with TaskOptions DoNotCancelOnJobFailure (4)
 * that do not depend on the failed task.
 *
 * Every transition is written to the store in a transaction before the
 * next one happens (progress at most every PROGRESS_SAVE_MS). After a
 * restart, jg_emulator_scheduler_resume() loads the unfinished jobs; tasks
 * that were running start again from Progress 0 (a TaskRestarted entry in
 * HistoricalEvents says so) after their half-written work folders are
 * removed.
 */

#define N_STEPS          10
#define BYTES_PER_SECOND (50.0 * 1000 * 1000)
#define MIN_TASK_MS      1000.0
#define CANCEL_MS        200.0
#define PROGRESS_SAVE_MS 500
#define STOP_WAIT_MS     3000

typedef struct _Task Task;

/* One real run of a task's plan. The task points at it while it runs;
 * stopping the task cancels it and cuts the link, so a late completion
 * only cleans up.
 */
typedef struct
{
  JgEmulatorScheduler *scheduler; /* borrowed; outlives every run (stop waits) */
  Task                *task;      /* NULL once detached */
  GCancellable        *cancellable;
  JgEncodePlan        *plan;
  char                *work_dir;
  char                *input_name; /* the first input's file name, for messages */
} Run;

typedef struct _Job Job;

typedef struct
{
  gboolean is_output;
  guint    index;
} Ref;

struct _Task
{
  Job     *job; /* borrowed: the job owns its tasks */
  char    *id;
  int      position;
  int      state;
  int      options;
  int      priority;
  char    *processor_id;
  char    *configuration;
  GArray  *inputs;  /* Ref */
  GArray  *outputs; /* guint, JobOutputAsset(n) */

  double   progress;
  gint64   start_ms;
  gint64   end_ms;
  gint64   input_bytes;
  guint    step;
  guint    step_ms;
  gboolean running;
  GSource *timer;
  Run     *run;
  gint64   saved_ms;
};

struct _Job
{
  JgEmulatorScheduler *scheduler; /* borrowed */
  char                *id;
  gint64               seq;
  int                  priority;
  int                  state;
  gint64               start_ms;
  gint64               end_ms;
  GPtrArray           *tasks;   /* Task */
  GPtrArray           *inputs;  /* asset ids by JobInputAsset(n) */
  GHashTable          *outputs; /* JobOutputAsset(n) → asset id */
  GSource             *cancel_timer;
};

struct _JgEmulatorScheduler
{
  GObject          parent_instance;

  JgEmulatorStore *store;
  GMainContext    *context;
  char            *data_dir;
  guint            workers;
  double           speed;
  gboolean         simulate;
  guint            n_runs; /* real runs not yet completed, detached or not */

  GHashTable      *jobs; /* id → Job, the unfinished ones */
  guint            n_running;
  GSource         *schedule_source;
  gboolean         stopped;
};

G_DEFINE_FINAL_TYPE (JgEmulatorScheduler, jg_emulator_scheduler, G_TYPE_OBJECT)

static void schedule_soon (JgEmulatorScheduler *self);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
task_free (Task *task)
{
  clear_source (&task->timer);
  if (task->run != NULL)
    {
      g_cancellable_cancel (task->run->cancellable);
      task->run->task = NULL;
    }
  g_free (task->id);
  g_free (task->processor_id);
  g_free (task->configuration);
  g_array_unref (task->inputs);
  g_array_unref (task->outputs);
  g_free (task);
}

static void
job_free (Job *job)
{
  clear_source (&job->cancel_timer);
  g_ptr_array_unref (job->tasks);
  g_ptr_array_unref (job->inputs);
  g_hash_table_unref (job->outputs);
  g_free (job->id);
  g_free (job);
}

static GSource *
add_timeout (JgEmulatorScheduler *self,
             guint                ms,
             GSourceFunc          func,
             gpointer             data)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);

  return source;
}

static void
report (const char *what,
        GError     *error)
{
  /* The scheduler has nobody to answer: a failed write is logged, and the
   * state in memory goes on. A restart reloads what the database has.
   */
  g_warning ("%s: %s", what, error->message);
}

/* Persistence */

static gboolean
write_task (JgEmulatorScheduler *self,
            Task                *task,
            const char          *error_details,
            GError             **error)
{
  sqlite3_stmt *stmt;
  gint64        end = task->end_ms >= 0 ? task->end_ms : _jg_emulator_now_ms ();

  stmt = jg_emulator_store_prepare (self->store,
                                    "UPDATE tasks SET state = ?, progress = ?, start_time = ?, end_time = ?, "
                                    "running_duration = ?, error_details = coalesce (?, error_details) "
                                    "WHERE id = ?",
                                    error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, task->state);
  sqlite3_bind_double (stmt, 2, task->progress);
  jg_emulator_bind_ms (stmt, 3, task->start_ms);
  jg_emulator_bind_ms (stmt, 4, task->end_ms);
  sqlite3_bind_double (stmt, 5, task->start_ms >= 0 ? (double)MAX (end - task->start_ms, 0) : 0.0);
  jg_emulator_bind_text (stmt, 6, error_details);
  jg_emulator_bind_text (stmt, 7, task->id);

  return jg_emulator_store_step_done (self->store, stmt, error);
}

static gboolean
write_job (JgEmulatorScheduler *self,
           Job                 *job,
           GError             **error)
{
  sqlite3_stmt *stmt;
  gint64        now = _jg_emulator_now_ms ();
  gint64        end = job->end_ms >= 0 ? job->end_ms : now;

  stmt = jg_emulator_store_prepare (self->store,
                                    "UPDATE jobs SET state = ?, start_time = ?, end_time = ?, "
                                    "running_duration = ?, last_modified = ? WHERE id = ?",
                                    error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, job->state);
  jg_emulator_bind_ms (stmt, 2, job->start_ms);
  jg_emulator_bind_ms (stmt, 3, job->end_ms);
  sqlite3_bind_double (stmt, 4, job->start_ms >= 0 ? (double)MAX (end - job->start_ms, 0) : 0.0);
  sqlite3_bind_int64 (stmt, 5, now);
  jg_emulator_bind_text (stmt, 6, job->id);

  return jg_emulator_store_step_done (self->store, stmt, error);
}

/* Writes @task (when not %NULL) and its job in one transaction. */
static void
save (JgEmulatorScheduler *self,
      Job                 *job,
      Task                *task,
      const char          *error_details)
{
  g_autoptr(GError) error = NULL;

  if (!jg_emulator_store_begin (self->store, &error) ||
      (task != NULL && !write_task (self, task, error_details, &error)) ||
      !write_job (self, job, &error) ||
      !jg_emulator_store_commit (self->store, &error))
    {
      jg_emulator_store_rollback (self->store);
      report ("Cannot save the state of a job", error);
    }
}

/* Writes every task of @job and the job in one transaction. */
static void
save_all (JgEmulatorScheduler *self,
          Job                 *job)
{
  g_autoptr(GError) error = NULL;

  if (!jg_emulator_store_begin (self->store, &error))
    goto failed;

  for (guint i = 0; i < job->tasks->len; i++)
    if (!write_task (self, g_ptr_array_index (job->tasks, i), NULL, &error))
      goto failed;

  if (!write_job (self, job, &error) || !jg_emulator_store_commit (self->store, &error))
    goto failed;

  return;

failed:
  jg_emulator_store_rollback (self->store);
  report ("Cannot save the state of a job", error);
}

static gint64
get_asset_size (JgEmulatorScheduler *self,
                const char          *asset_id)
{
  sqlite3_stmt *stmt;
  gint64        size = 0;

  if (asset_id == NULL)
    return 0;

  stmt = jg_emulator_store_prepare (self->store, "SELECT size FROM assets WHERE id = ?", NULL);
  if (stmt == NULL)
    return 0;

  jg_emulator_bind_text (stmt, 1, asset_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    size = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return size;
}

/* The simulated outputs are as large as the inputs: the next task in a
 * chain then takes as long as the first.
 */
static void
set_output_sizes (JgEmulatorScheduler *self,
                  Task                *task)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < task->outputs->len; i++)
    {
      guint         index = g_array_index (task->outputs, guint, i);
      const char   *asset_id = g_hash_table_lookup (task->job->outputs, GUINT_TO_POINTER (index));
      sqlite3_stmt *stmt;

      stmt = jg_emulator_store_prepare (self->store,
                                        "UPDATE assets SET size = ?, last_modified = ? WHERE id = ?",
                                        &error);
      if (stmt == NULL)
        break;

      sqlite3_bind_int64 (stmt, 1, task->input_bytes);
      sqlite3_bind_int64 (stmt, 2, _jg_emulator_now_ms ());
      jg_emulator_bind_text (stmt, 3, asset_id);
      if (!jg_emulator_store_step_done (self->store, stmt, &error))
        break;
    }

  if (error != NULL)
    report ("Cannot update an output asset", error);
}

/* Configuration check at run time */

static const char *
skip_space (const char *text)
{
  while (g_ascii_isspace (*text))
    text++;

  return text;
}

/**
 * jg_emulator_check_configuration:
 * @message: (out) (optional): why the processor refuses it
 *
 * Whether the processor would accept @configuration: a preset name it
 * knows, or an XML or JSON document of the kind it reads.
 */
gboolean
jg_emulator_check_configuration (const char *processor_id,
                                 const char *configuration,
                                 char      **message)
{
  const JgProcessorInfo *info = jg_catalog_lookup (processor_id);
  const char            *text = skip_space (configuration ? configuration : "");
  g_autoptr(GError) error = NULL;
  char *why = NULL;

  if (info == NULL)
    why = g_strdup_printf ("The media processor %s is not available in this account.",
                           processor_id ? processor_id : "(none)");
  else if (*text == '\0')
    {
      if (info->needs_preset)
        why = g_strdup_printf ("The Configuration is empty, but %s needs a preset.", info->name);
    }
  else if (*text == '<')
    {
      if (info->config_kind == JG_CONFIG_KIND_JSON)
        why = g_strdup_printf ("%s takes a JSON configuration, not XML.", info->name);
      else if (!jg_xml_check (text, -1, &error))
        why = g_strdup_printf ("The XML configuration cannot be parsed: %s", error->message);
    }
  else if (*text == '{' || *text == '[')
    {
      g_autoptr(JsonNode) node = NULL;

      if (info->config_kind == JG_CONFIG_KIND_XML)
        why = g_strdup_printf ("%s takes an XML configuration, not JSON.", info->name);
      else if ((node = jg_json_parse (text, -1, &error)) == NULL)
        why = g_strdup_printf ("The JSON configuration cannot be parsed: %s", error->message);
    }
  else if (info->config_kind != JG_CONFIG_KIND_NAMED)
    why = g_strdup_printf ("%s does not take preset names; its Configuration must be %s.",
                           info->name,
                           info->config_kind == JG_CONFIG_KIND_XML    ? "an XML document"
                           : info->config_kind == JG_CONFIG_KIND_JSON ? "a JSON document"
                                                                      : "a document or empty");
  else if (!jg_catalog_has_preset (info, configuration))
    {
      const char *suggestion = jg_catalog_suggest_preset (info, configuration);

      if (suggestion != NULL)
        why = g_strdup_printf ("“%s” is not a preset of %s. Did you mean “%s”?",
                               configuration, info->name, suggestion);
      else
        why = g_strdup_printf ("“%s” is not a preset of %s.", configuration, info->name);
    }

  if (message != NULL)
    *message = why;
  else
    g_free (why);

  return why == NULL;
}

/* State machine */

static Task *
find_writer_state (Job  *job,
                   guint output,
                   int  *worst)
{
  Task *writer = NULL;

  /* The "worst" state of the writers of JobOutputAsset(output): Finished
   * only when all of them finished.
   */
  *worst = JG_EMULATOR_STATE_FINISHED;
  for (guint i = 0; i < job->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (job->tasks, i);

      for (guint o = 0; o < task->outputs->len; o++)
        if (g_array_index (task->outputs, guint, o) == output)
          {
            writer = task;
            if (task->state == JG_EMULATOR_STATE_ERROR || task->state == JG_EMULATOR_STATE_CANCELED)
              *worst = task->state;
            else if (task->state != JG_EMULATOR_STATE_FINISHED && *worst == JG_EMULATOR_STATE_FINISHED)
              *worst = JG_EMULATOR_STATE_QUEUED;
          }
    }

  return writer;
}

/* 1: ready, 0: waiting, -1: can never run (a writer failed) */
static int
task_readiness (Task *task)
{
  int result = 1;

  for (guint i = 0; i < task->inputs->len; i++)
    {
      const Ref *ref = &g_array_index (task->inputs, Ref, i);
      int        worst;

      if (!ref->is_output)
        continue;

      find_writer_state (task->job, ref->index, &worst);
      if (worst == JG_EMULATOR_STATE_ERROR || worst == JG_EMULATOR_STATE_CANCELED)
        return -1;
      if (worst != JG_EMULATOR_STATE_FINISHED)
        result = 0;
    }

  return result;
}

static void
stop_task (JgEmulatorScheduler *self,
           Task                *task)
{
  clear_source (&task->timer);

  if (task->run != NULL)
    {
      g_cancellable_cancel (task->run->cancellable);
      task->run->task = NULL;
      task->run = NULL;
    }

  if (task->running)
    {
      task->running = FALSE;
      g_assert (self->n_running > 0);
      self->n_running--;
    }
}

static void
end_task (Task *task,
          int   state)
{
  task->state = state;
  task->end_ms = _jg_emulator_now_ms ();
}

/* Queued tasks that can never run (a task they read from failed or was
 * canceled) are canceled, until nothing changes.
 */
static void
cancel_unreachable (Job *job)
{
  gboolean changed = TRUE;

  while (changed)
    {
      changed = FALSE;

      for (guint i = 0; i < job->tasks->len; i++)
        {
          Task *task = g_ptr_array_index (job->tasks, i);

          if (task->state == JG_EMULATOR_STATE_QUEUED && task_readiness (task) < 0)
            {
              end_task (task, JG_EMULATOR_STATE_CANCELED);
              changed = TRUE;
            }
        }
    }
}

/* Ends the job when all its tasks are final; returns whether it did (the
 * job is then freed).
 */
static gboolean
maybe_finish_job (JgEmulatorScheduler *self,
                  Job                 *job)
{
  gboolean any_error = FALSE;
  gboolean any_canceled = FALSE;

  for (guint i = 0; i < job->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (job->tasks, i);

      if (!JG_EMULATOR_STATE_IS_FINAL (task->state))
        return FALSE;

      any_error |= task->state == JG_EMULATOR_STATE_ERROR;
      any_canceled |= task->state == JG_EMULATOR_STATE_CANCELED;
    }

  job->state = any_error      ? JG_EMULATOR_STATE_ERROR
               : any_canceled ? JG_EMULATOR_STATE_CANCELED
                              : JG_EMULATOR_STATE_FINISHED;
  job->end_ms = _jg_emulator_now_ms ();

  save_all (self, job);
  g_debug ("Job %s ended in state %d", job->id, job->state);

  g_hash_table_remove (self->jobs, job->id);

  return TRUE;
}

static void
fail_task (JgEmulatorScheduler *self,
           Task                *task,
           const char          *code,
           const char          *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *json = NULL;
  Job             *job = task->job;

  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "Message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  details = json_builder_get_root (builder);
  json = jg_json_to_string (details, FALSE);

  stop_task (self, task);
  end_task (task, JG_EMULATOR_STATE_ERROR);

  g_debug ("Task %s failed: %s", task->id, message);

  /* The job fails: its other tasks are canceled, unless they asked to go
   * on (DoNotCancelOnJobFailure) and do not need the failed one.
   */
  for (guint i = 0; i < job->tasks->len; i++)
    {
      Task *other = g_ptr_array_index (job->tasks, i);

      if (other == task || JG_EMULATOR_STATE_IS_FINAL (other->state))
        continue;

      if ((other->options & JG_EMULATOR_TASK_DO_NOT_CANCEL_ON_JOB_FAILURE) == 0)
        {
          stop_task (self, other);
          end_task (other, JG_EMULATOR_STATE_CANCELED);
        }
    }
  cancel_unreachable (job);

  save (self, job, task, json);
  if (!maybe_finish_job (self, job))
    save_all (self, job);

  schedule_soon (self);
}

static void
finish_task (JgEmulatorScheduler *self,
             Task                *task)
{
  Job *job = task->job;

  stop_task (self, task);
  task->progress = 100.0;
  end_task (task, JG_EMULATOR_STATE_FINISHED);
  if (self->simulate)
    set_output_sizes (self, task);

  save (self, job, task, NULL);
  maybe_finish_job (self, job);

  schedule_soon (self);
}

static gboolean
task_step_cb (gpointer data)
{
  Task                *task = data;
  Job                 *job = task->job;
  JgEmulatorScheduler *self = job->scheduler;

  task->step++;

  if (task->step == 1)
    {
      g_autofree char *message = NULL;

      if (!jg_emulator_check_configuration (task->processor_id, task->configuration, &message))
        {
          /* fail_task() destroys the timer, which is this source. */
          g_clear_pointer (&task->timer, g_source_unref);
          fail_task (self, task, "ErrorParsingConfiguration", message);
          return G_SOURCE_REMOVE;
        }

      task->state = JG_EMULATOR_STATE_PROCESSING;
      if (job->state < JG_EMULATOR_STATE_PROCESSING)
        job->state = JG_EMULATOR_STATE_PROCESSING;
    }

  if (task->step >= N_STEPS)
    {
      g_clear_pointer (&task->timer, g_source_unref);
      finish_task (self, task);
      return G_SOURCE_REMOVE;
    }

  task->progress = task->step * 100.0 / N_STEPS;
  save (self, job, task, NULL);

  return G_SOURCE_CONTINUE;
}


/* Real processing */

static const char *
task_input_asset_id (Task      *task,
                     const Ref *ref)
{
  Job *job = task->job;

  if (ref->is_output)
    return g_hash_table_lookup (job->outputs, GUINT_TO_POINTER (ref->index));

  return ref->index < job->inputs->len ? g_ptr_array_index (job->inputs, ref->index) : NULL;
}

/* The ErrorDetail code the service used for each kind of failure
 * (ams-rest-v2.md §3.8).
 */
static const char *
error_detail_code (const GError *error)
{
  if (error->domain != JG_EMULATOR_ENCODER_ERROR)
    return "ErrorProcessingTask";

  switch ((JgEmulatorEncoderError)error->code)
    {
    case JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET:
      return "ErrorParsingConfiguration";
    case JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT:
      return "ErrorExecutingTaskUnsupportedFormat";
    case JG_EMULATOR_ENCODER_ERROR_MALFORMED_INPUT:
      return "ErrorDownloadingInputAssetMalformedContent";
    case JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT:
    case JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR:
    case JG_EMULATOR_ENCODER_ERROR_FAILED:
    default:
      return "ErrorProcessingTask";
    }
}

/* Work and asset folders hold files only, no subfolders. */
static void
empty_dir (const char *path,
           gboolean    remove_dir)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_unlink (file) != 0)
        g_debug ("Cannot remove %s: %s", file, g_strerror (errno));
    }

  if (remove_dir)
    g_rmdir (path);
}

static char *
dup_work_dir (JgEmulatorScheduler *self,
              const char          *task_id)
{
  const char *guid = strrchr (task_id, ':');

  return g_build_filename (self->data_dir, "work", guid ? guid + 1 : task_id, NULL);
}

static void
run_free (Run *run)
{
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->plan, jg_encode_plan_free);
  g_free (run->work_dir);
  g_free (run->input_name);
  g_free (run);
}

/* Moves the files from the work folder into each output asset's folder
 * (copies for the second and later outputs) and makes them its Files.
 */
static gboolean
publish_outputs (JgEmulatorScheduler *self,
                 Task                *task,
                 const char          *work_dir,
                 GPtrArray           *files,
                 GError             **error)
{
  g_autofree char *first_dir = NULL;

  for (guint i = 0; i < task->outputs->len; i++)
    {
      guint            index = g_array_index (task->outputs, guint, i);
      const char      *asset_id = g_hash_table_lookup (task->job->outputs, GUINT_TO_POINTER (index));
      g_autofree char *asset_dir = NULL;

      if (asset_id == NULL)
        continue;

      asset_dir = jg_emulator_files_dup_asset_dir (self->data_dir, asset_id);
      empty_dir (asset_dir, FALSE);
      if (g_mkdir_with_parents (asset_dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot create the output asset's folder %s: %s", asset_dir, g_strerror (saved_errno));
          return FALSE;
        }

      for (guint f = 0; f < files->len; f++)
        {
          JgEmulatorFileInfo *info = g_ptr_array_index (files, f);
          g_autofree char    *from = g_build_filename (first_dir ? first_dir : work_dir, info->name, NULL);
          g_autofree char    *to = g_build_filename (asset_dir, info->name, NULL);

          if (first_dir == NULL)
            {
              if (g_rename (from, to) != 0)
                {
                  int saved_errno = errno;

                  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "Cannot move %s into the output asset: %s", info->name, g_strerror (saved_errno));
                  return FALSE;
                }
            }
          else
            {
              g_autoptr(GFile) source = g_file_new_for_path (from);
              g_autoptr(GFile) destination = g_file_new_for_path (to);

              if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
                return FALSE;
            }
        }

      if (!jg_emulator_files_replace (self->store, self->data_dir, asset_id, files, error))
        return FALSE;

      if (first_dir == NULL)
        first_dir = g_steal_pointer (&asset_dir);
    }

  return TRUE;
}

static void
run_progress_cb (double   percent,
                 gpointer user_data)
{
  Run    *run = user_data;
  Task   *task = run->task;
  gint64  now;

  if (task == NULL)
    return;

  /* 100 is for Finished, when the files are in place. */
  task->progress = CLAMP (percent, 0.0, 99.0);

  now = g_get_monotonic_time () / 1000;
  if (now - task->saved_ms >= PROGRESS_SAVE_MS)
    {
      task->saved_ms = now;
      save (run->scheduler, task->job, task, NULL);
    }
}

static void
run_done_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run                 *run = user_data;
  JgEmulatorScheduler *self = run->scheduler;
  Task                *task = run->task;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  files = jg_encode_plan_run_finish (result, &error);

  g_assert (self->n_runs > 0);
  self->n_runs--;

  if (task != NULL)
    {
      task->run = NULL;

      if (files == NULL && run->input_name != NULL &&
          (g_error_matches (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT) ||
           g_error_matches (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_MALFORMED_INPUT)))
        {
          g_autofree char *message = g_strdup_printf ("Input file “%s”: %s", run->input_name, error->message);

          fail_task (self, task, error_detail_code (error), message);
        }
      else if (files == NULL)
        fail_task (self, task, error_detail_code (error), error->message);
      else if (!publish_outputs (self, task, run->work_dir, files, &error))
        fail_task (self, task, "ErrorUploadingOutputAsset", error->message);
      else
        finish_task (self, task);
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("A stopped task's run ended: %s", error->message);

  empty_dir (run->work_dir, TRUE);
  run_free (run);
}

static gboolean
real_start_cb (gpointer data)
{
  Task                *task = data;
  Job                 *job = task->job;
  JgEmulatorScheduler *self = job->scheduler;
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JgEncodePlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  Run             *run;

  /* fail_task() destroys the timer, which is this source. */
  g_clear_pointer (&task->timer, g_source_unref);

  if (!jg_emulator_check_configuration (task->processor_id, task->configuration, &message))
    {
      fail_task (self, task, "ErrorParsingConfiguration", message);
      return G_SOURCE_REMOVE;
    }

  plan = jg_encode_plan_new (task->processor_id, task->configuration, &error);
  if (plan == NULL)
    {
      fail_task (self, task, error_detail_code (error), error->message);
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < task->inputs->len; i++)
    {
      const char *asset_id = task_input_asset_id (task, &g_array_index (task->inputs, Ref, i));
      char       *path;

      if (asset_id == NULL)
        continue;

      path = jg_emulator_files_dup_input_path (self->store, self->data_dir, asset_id, &error);
      if (path == NULL)
        {
          fail_task (self, task, "ErrorDownloadingInputAssetMalformedContent", error->message);
          return G_SOURCE_REMOVE;
        }
      g_ptr_array_add (inputs, path);
    }
  g_ptr_array_add (inputs, NULL);

  run = g_new0 (Run, 1);
  run->scheduler = self;
  run->task = task;
  run->cancellable = g_cancellable_new ();
  run->plan = g_steal_pointer (&plan);
  run->work_dir = dup_work_dir (self, task->id);
  if (inputs->len > 1)
    run->input_name = g_path_get_basename (g_ptr_array_index (inputs, 0));

  /* What a run that died with the emulator left behind. */
  empty_dir (run->work_dir, FALSE);
  if (g_mkdir_with_parents (run->work_dir, 0700) != 0)
    {
      int saved_errno = errno;

      message = g_strdup_printf ("Cannot create the work folder %s: %s", run->work_dir, g_strerror (saved_errno));
      run_free (run);
      fail_task (self, task, "ErrorProcessingTask", message);
      return G_SOURCE_REMOVE;
    }

  task->run = run;
  self->n_runs++;

  task->state = JG_EMULATOR_STATE_PROCESSING;
  if (job->state < JG_EMULATOR_STATE_PROCESSING)
    job->state = JG_EMULATOR_STATE_PROCESSING;
  task->saved_ms = g_get_monotonic_time () / 1000;
  save (self, job, task, NULL);

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE)
    {
      g_autofree char *description = jg_encode_plan_describe (run->plan);

      g_debug ("Task %s runs: %s", task->id, description);
    }

  g_main_context_push_thread_default (self->context);
  jg_encode_plan_run_async (run->plan,
                            (const char *const *)inputs->pdata,
                            run->work_dir,
                            run_progress_cb,
                            run,
                            run->cancellable,
                            run_done_cb,
                            run);
  g_main_context_pop_thread_default (self->context);

  return G_SOURCE_REMOVE;
}

static void
start_task (JgEmulatorScheduler *self,
            Task                *task)
{
  Job   *job = task->job;
  double duration_ms;

  task->input_bytes = 0;
  for (guint i = 0; i < task->inputs->len; i++)
    task->input_bytes += get_asset_size (self, task_input_asset_id (task, &g_array_index (task->inputs, Ref, i)));

  duration_ms = MAX (MIN_TASK_MS, task->input_bytes / BYTES_PER_SECOND * 1000.0) / self->speed;

  task->state = JG_EMULATOR_STATE_SCHEDULED;
  task->progress = 0.0;
  task->start_ms = _jg_emulator_now_ms ();
  task->end_ms = -1;
  task->step = 0;
  task->step_ms = (guint)CLAMP (duration_ms / N_STEPS, 0.0, (double)G_MAXINT);
  task->running = TRUE;
  self->n_running++;

  if (job->state == JG_EMULATOR_STATE_QUEUED)
    job->state = JG_EMULATOR_STATE_SCHEDULED;
  if (job->start_ms < 0)
    job->start_ms = task->start_ms;

  save (self, job, task, NULL);

  /* Both paths start from a timer: starting may fail the task and end
   * its job, which must not happen under schedule_cb()'s feet.
   */
  if (self->simulate)
    {
      g_debug ("Task %s starts: %" G_GINT64_FORMAT " bytes, %.0f ms", task->id, task->input_bytes, duration_ms);
      task->timer = add_timeout (self, task->step_ms, task_step_cb, task);
    }
  else
    task->timer = add_timeout (self, 0, real_start_cb, task);
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Task *ta = *(Task **)a;
  const Task *tb = *(Task **)b;

  if (ta->job->priority != tb->job->priority)
    return ta->job->priority > tb->job->priority ? -1 : 1;
  if (ta->job->seq != tb->job->seq)
    return ta->job->seq < tb->job->seq ? -1 : 1;
  if (ta->priority != tb->priority)
    return ta->priority > tb->priority ? -1 : 1;

  return ta->position - tb->position;
}

static gboolean
schedule_cb (gpointer data)
{
  JgEmulatorScheduler *self = data;
  g_autoptr(GPtrArray) candidates = NULL;
  GHashTableIter iter;
  gpointer       value;

  g_clear_pointer (&self->schedule_source, g_source_unref);

  if (self->stopped || self->n_running >= self->workers)
    return G_SOURCE_REMOVE;

  candidates = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Job *job = value;

      if (job->state == JG_EMULATOR_STATE_CANCELING)
        continue;

      for (guint i = 0; i < job->tasks->len; i++)
        {
          Task *task = g_ptr_array_index (job->tasks, i);

          if (task->state == JG_EMULATOR_STATE_QUEUED && task_readiness (task) > 0)
            g_ptr_array_add (candidates, task);
        }
    }

  g_ptr_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len && self->n_running < self->workers; i++)
    start_task (self, g_ptr_array_index (candidates, i));

  return G_SOURCE_REMOVE;
}

static void
schedule_soon (JgEmulatorScheduler *self)
{
  if (self->stopped || self->schedule_source != NULL)
    return;

  self->schedule_source = g_idle_source_new ();
  g_source_set_callback (self->schedule_source, schedule_cb, self, NULL);
  g_source_attach (self->schedule_source, self->context);
}

static gboolean
complete_cancel_cb (gpointer data)
{
  Job                 *job = data;
  JgEmulatorScheduler *self = job->scheduler;

  g_clear_pointer (&job->cancel_timer, g_source_unref);

  for (guint i = 0; i < job->tasks->len; i++)
    {
      Task *task = g_ptr_array_index (job->tasks, i);

      if (!JG_EMULATOR_STATE_IS_FINAL (task->state))
        end_task (task, JG_EMULATOR_STATE_CANCELED);
    }

  /* Every task is final now. */
  maybe_finish_job (self, job);

  return G_SOURCE_REMOVE;
}

static void
begin_cancel (JgEmulatorScheduler *self,
              Job                 *job)
{
  for (guint i = 0; i < job->tasks->len; i++)
    stop_task (self, g_ptr_array_index (job->tasks, i));

  job->state = JG_EMULATOR_STATE_CANCELING;
  save (self, job, NULL, NULL);

  if (job->cancel_timer == NULL)
    job->cancel_timer = add_timeout (self, (guint)MIN (CANCEL_MS, CANCEL_MS / self->speed), complete_cancel_cb, job);

  schedule_soon (self);
}

/* Loading */

static void
add_refs (Task       *task,
          JgTaskBody *body)
{
  for (guint i = 0; i < body->inputs->len; i++)
    {
      Ref ref;

      if (jg_parse_asset_reference (g_ptr_array_index (body->inputs, i), &ref.is_output, &ref.index))
        g_array_append_val (task->inputs, ref);
    }

  for (guint i = 0; i < body->outputs->len; i++)
    {
      JgTaskBodyOutput *output = g_ptr_array_index (body->outputs, i);
      gboolean          is_output;
      guint             index;

      if (jg_parse_asset_reference (output->reference, &is_output, &index) && is_output)
        g_array_append_val (task->outputs, index);
    }
}

static gboolean
load_assets (JgEmulatorScheduler *self,
             Job                 *job,
             GError             **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = jg_emulator_store_prepare (self->store,
                                    "SELECT output, position, asset_id FROM job_assets "
                                    "WHERE job_id = ? ORDER BY output, position",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, job->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint       position = sqlite3_column_int (stmt, 1);
      const char *asset_id = jg_emulator_column_text (stmt, 2);

      if (sqlite3_column_int (stmt, 0) != 0)
        g_hash_table_insert (job->outputs, GUINT_TO_POINTER (position), g_strdup (asset_id));
      else
        {
          if (position >= job->inputs->len)
            g_ptr_array_set_size (job->inputs, position + 1);
          g_free (g_ptr_array_index (job->inputs, position));
          g_ptr_array_index (job->inputs, position) = g_strdup (asset_id);
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      jg_emulator_store_set_error (self->store, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_tasks (JgEmulatorScheduler *self,
            Job                 *job,
            gboolean            *restarted,
            GError             **error)
{
  sqlite3_stmt *stmt;
  int           rc;

  stmt = jg_emulator_store_prepare (self->store,
                                    "SELECT id, position, state, options, priority, processor_id, "
                                    "configuration, task_body, progress, start_time, end_time "
                                    "FROM tasks WHERE job_id = ? ORDER BY position",
                                    error);
  if (stmt == NULL)
    return FALSE;

  jg_emulator_bind_text (stmt, 1, job->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JgTaskBody) body = NULL;
      Task *task = g_new0 (Task, 1);

      task->job = job;
      task->id = g_strdup (jg_emulator_column_text (stmt, 0));
      task->position = sqlite3_column_int (stmt, 1);
      task->state = sqlite3_column_int (stmt, 2);
      task->options = sqlite3_column_int (stmt, 3);
      task->priority = sqlite3_column_int (stmt, 4);
      task->processor_id = g_strdup (jg_emulator_column_text (stmt, 5));
      task->configuration = g_strdup (jg_emulator_column_text (stmt, 6));
      task->progress = sqlite3_column_double (stmt, 8);
      task->start_ms = sqlite3_column_type (stmt, 9) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 9);
      task->end_ms = sqlite3_column_type (stmt, 10) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 10);
      task->inputs = g_array_new (FALSE, FALSE, sizeof (Ref));
      task->outputs = g_array_new (FALSE, FALSE, sizeof (guint));

      body = jg_task_body_parse (jg_emulator_column_text (stmt, 7), -1, NULL);
      if (body != NULL)
        add_refs (task, body);

      /* A task that was running when the emulator stopped starts again. */
      if (task->state == JG_EMULATOR_STATE_SCHEDULED || task->state == JG_EMULATOR_STATE_PROCESSING)
        {
          task->state = JG_EMULATOR_STATE_QUEUED;
          task->progress = 0.0;
          task->start_ms = -1;
          task->end_ms = -1;
          *restarted = TRUE;
          g_ptr_array_add (job->tasks, task);
          g_debug ("Task %s restarts", task->id);
          continue;
        }

      g_ptr_array_add (job->tasks, task);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      jg_emulator_store_set_error (self->store, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_restart_events (JgEmulatorScheduler *self,
                    Job                 *job,
                    GError             **error)
{
  gint64 now = _jg_emulator_now_ms ();

  for (guint i = 0; i < job->tasks->len; i++)
    {
      Task         *task = g_ptr_array_index (job->tasks, i);
      sqlite3_stmt *stmt;

      if (task->state != JG_EMULATOR_STATE_QUEUED)
        continue;

      /* HistoricalEvents keeps TimeStamp in milliseconds; it is written
       * out as a date in the response format.
       */
      stmt = jg_emulator_store_prepare (self->store,
                                        "UPDATE tasks SET historical_events = json_insert (historical_events, '$[#]', "
                                        "json_object ('Code', 'TaskRestarted', 'Message', ?, 'TimeStamp', ?)) "
                                        "WHERE id = ? AND (state = 1 OR state = 2)",
                                        error);
      if (stmt == NULL)
        return FALSE;

      jg_emulator_bind_text (stmt, 1, "The emulator restarted while the task was running; it runs again from the start.");
      sqlite3_bind_int64 (stmt, 2, now);
      jg_emulator_bind_text (stmt, 3, task->id);
      if (!jg_emulator_store_step_done (self->store, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static Job *
load_job (JgEmulatorScheduler *self,
          const char          *job_id,
          GError             **error)
{
  Job          *job;
  sqlite3_stmt *stmt;
  gboolean      restarted = FALSE;

  stmt = jg_emulator_store_prepare (self->store,
                                    "SELECT id, seq, priority, state, start_time, end_time FROM jobs WHERE id = ?",
                                    error);
  if (stmt == NULL)
    return NULL;

  jg_emulator_bind_text (stmt, 1, job_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource Job not found");
      return NULL;
    }

  job = g_new0 (Job, 1);
  job->scheduler = self;
  job->id = g_strdup (jg_emulator_column_text (stmt, 0));
  job->seq = sqlite3_column_int64 (stmt, 1);
  job->priority = sqlite3_column_int (stmt, 2);
  job->state = sqlite3_column_int (stmt, 3);
  job->start_ms = sqlite3_column_type (stmt, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 4);
  job->end_ms = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 5);
  job->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify)task_free);
  job->inputs = g_ptr_array_new_with_free_func (g_free);
  job->outputs = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  sqlite3_reset (stmt);

  if (!load_assets (self, job, error) || !load_tasks (self, job, &restarted, error))
    {
      job_free (job);
      return NULL;
    }

  if (restarted)
    {
      if (!jg_emulator_store_begin (self->store, error) ||
          !add_restart_events (self, job, error) ||
          !jg_emulator_store_commit (self->store, error))
        {
          jg_emulator_store_rollback (self->store);
          job_free (job);
          return NULL;
        }

      save_all (self, job);
    }

  return job;
}

/* Takes @job in; it may end at once (all tasks final, or canceling). */
static void
adopt_job (JgEmulatorScheduler *self,
           Job                 *job)
{
  g_hash_table_replace (self->jobs, job->id, job);

  if (job->state == JG_EMULATOR_STATE_CANCELING)
    begin_cancel (self, job);
  else
    {
      cancel_unreachable (job);
      maybe_finish_job (self, job);
    }

  schedule_soon (self);
}

static void
jg_emulator_scheduler_dispose (GObject *object)
{
  JgEmulatorScheduler *self = (JgEmulatorScheduler *)object;

  jg_emulator_scheduler_stop (self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (jg_emulator_scheduler_parent_class)->dispose (object);
}

static void
jg_emulator_scheduler_finalize (GObject *object)
{
  JgEmulatorScheduler *self = (JgEmulatorScheduler *)object;

  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->data_dir);

  G_OBJECT_CLASS (jg_emulator_scheduler_parent_class)->finalize (object);
}

static void
jg_emulator_scheduler_class_init (JgEmulatorSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_emulator_scheduler_dispose;
  object_class->finalize = jg_emulator_scheduler_finalize;
}

static void
jg_emulator_scheduler_init (JgEmulatorScheduler *self)
{
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)job_free);
}

/**
 * jg_emulator_scheduler_new:
 * @context: where the timers and pipelines' messages run
 * @data_dir: the emulator's folder (assets' files, work folders)
 * @workers: tasks at once (≥ 1)
 * @speed: the simulated speed factor (> 0)
 * @simulate: wait instead of encoding
 *
 * Returns: (transfer full): a scheduler with no job; call
 *   jg_emulator_scheduler_resume() to load the unfinished ones
 */
JgEmulatorScheduler *
jg_emulator_scheduler_new (JgEmulatorStore *store,
                           GMainContext    *context,
                           const char      *data_dir,
                           guint            workers,
                           double           speed,
                           gboolean         simulate)
{
  JgEmulatorScheduler *self;

  g_return_val_if_fail (JG_IS_EMULATOR_STORE (store), NULL);
  g_return_val_if_fail (workers > 0, NULL);
  g_return_val_if_fail (speed > 0, NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (JG_TYPE_EMULATOR_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  self->data_dir = g_strdup (data_dir);
  self->workers = workers;
  self->speed = speed;
  self->simulate = simulate;

  return self;
}

static void
remove_work_dirs (JgEmulatorScheduler *self)
{
  g_autofree char *work = g_build_filename (self->data_dir, "work", NULL);
  g_autoptr(GDir) dir = g_dir_open (work, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (work, name, NULL);

      empty_dir (path, TRUE);
    }
}

/**
 * jg_emulator_scheduler_resume:
 *
 * Loads every job that has not ended. Tasks that were running start again
 * from the beginning; jobs that were being canceled finish canceling.
 */
gboolean
jg_emulator_scheduler_resume (JgEmulatorScheduler *self,
                              GError             **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (JG_IS_EMULATOR_SCHEDULER (self), FALSE);

  /* Nothing runs yet: whatever is in the work folders was left by runs
   * that died with the emulator.
   */
  remove_work_dirs (self);

  stmt = jg_emulator_store_prepare (self->store,
                                    "SELECT id FROM jobs WHERE state NOT IN (3, 4, 5) ORDER BY seq",
                                    error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (jg_emulator_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      jg_emulator_store_set_error (self->store, error);
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      Job *job = load_job (self, g_ptr_array_index (ids, i), error);

      if (job == NULL)
        return FALSE;

      adopt_job (self, job);
    }

  if (ids->len > 0)
    g_debug ("Resumed %u unfinished jobs", ids->len);

  return TRUE;
}

/**
 * jg_emulator_scheduler_add_job:
 *
 * Schedules a job just written to the store.
 */
gboolean
jg_emulator_scheduler_add_job (JgEmulatorScheduler *self,
                               const char          *job_id,
                               GError             **error)
{
  Job *job;

  g_return_val_if_fail (JG_IS_EMULATOR_SCHEDULER (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  job = load_job (self, job_id, error);
  if (job == NULL)
    return FALSE;

  adopt_job (self, job);

  return TRUE;
}

/**
 * jg_emulator_scheduler_cancel_job:
 *
 * Makes an unfinished job Canceling; it becomes Canceled shortly after.
 * Fails with 404 when the job is not running here.
 */
gboolean
jg_emulator_scheduler_cancel_job (JgEmulatorScheduler *self,
                                  const char          *job_id,
                                  GError             **error)
{
  g_autofree char *key = NULL;
  GHashTableIter   iter;
  gpointer         value;

  g_return_val_if_fail (JG_IS_EMULATOR_SCHEDULER (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  /* Ids are case-insensitive, like the store's. */
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Job *job = value;

      if (g_ascii_strcasecmp (job->id, job_id) == 0)
        {
          if (job->state == JG_EMULATOR_STATE_CANCELING)
            {
              g_set_error (error, JG_EMULATOR_ERROR, 400, "The job %s is already being canceled.", job->id);
              return FALSE;
            }

          begin_cancel (self, job);
          return TRUE;
        }
    }

  g_set_error (error, JG_EMULATOR_ERROR, 404, "Resource Job not found");

  return FALSE;
}

/**
 * jg_emulator_scheduler_remove_job:
 *
 * Stops and forgets a job (before it is deleted).
 */
void
jg_emulator_scheduler_remove_job (JgEmulatorScheduler *self,
                                  const char          *job_id)
{
  GHashTableIter iter;
  gpointer       value;

  g_return_if_fail (JG_IS_EMULATOR_SCHEDULER (self));

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Job *job = value;

      if (g_ascii_strcasecmp (job->id, job_id) == 0)
        {
          for (guint i = 0; i < job->tasks->len; i++)
            stop_task (self, g_ptr_array_index (job->tasks, i));
          g_hash_table_iter_remove (&iter);
          schedule_soon (self);
          return;
        }
    }
}

/**
 * jg_emulator_scheduler_set_priority:
 *
 * Follows a change of the job's Priority (MERGE).
 */
void
jg_emulator_scheduler_set_priority (JgEmulatorScheduler *self,
                                    const char          *job_id,
                                    int                  priority)
{
  GHashTableIter iter;
  gpointer       value;

  g_return_if_fail (JG_IS_EMULATOR_SCHEDULER (self));

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Job *job = value;

      if (g_ascii_strcasecmp (job->id, job_id) == 0)
        job->priority = priority;
    }
}

guint
jg_emulator_scheduler_get_n_running (JgEmulatorScheduler *self)
{
  g_return_val_if_fail (JG_IS_EMULATOR_SCHEDULER (self), 0);

  return self->n_running;
}

guint
jg_emulator_scheduler_get_n_jobs (JgEmulatorScheduler *self)
{
  g_return_val_if_fail (JG_IS_EMULATOR_SCHEDULER (self), 0);

  return g_hash_table_size (self->jobs);
}

/**
 * jg_emulator_scheduler_stop:
 *
 * Stops every timer and pipeline and forgets the jobs; their state stays
 * in the store as it was last written, and the next start resumes them.
 * Waits (at most STOP_WAIT_MS) for the pipelines to wind down, so no
 * streaming thread outlives the emulator.
 */
void
jg_emulator_scheduler_stop (JgEmulatorScheduler *self)
{
  gint64 deadline;

  g_return_if_fail (JG_IS_EMULATOR_SCHEDULER (self));

  self->stopped = TRUE;
  clear_source (&self->schedule_source);

  if (self->jobs != NULL)
    g_hash_table_remove_all (self->jobs);

  self->n_running = 0;

  deadline = g_get_monotonic_time () + STOP_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  while (self->n_runs > 0 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (self->context, FALSE))
        g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }

  if (self->n_runs > 0)
    g_message ("%u pipelines were still stopping after %d ms", self->n_runs, STOP_WAIT_MS);
}
