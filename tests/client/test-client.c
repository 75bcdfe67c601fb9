/* test-client.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "jg-client.h"
#include "jg-client-private.h"
#include "jg-emulator.h"

#include "client-fixture.h"

/* The client against a real jobgraph-emulator, in process: the emulator
 * runs on 127.0.0.1, port 0, in its own thread and main context (the GNOME
 * Calendar tests/gcal-simple-server.c pattern), with a temporary data
 * directory and a high speed; the client runs on the test's main context.
 * Every operation, the first-contact 301, both token endpoints, $batch,
 * paging past 1,000 entities, each fault kind, and no duplicate job under
 * a mix of faults.
 */

#define MES_ID "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"

static Emulator *
emulator_new (const char *faults)
{
  return emulator_new_full (faults, NULL, 1000.0, 0);
}

static GPtrArray *
list_processors (JgClient *client,
                 GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_processors_async (client, NULL, store_result_cb, &result);
  return jg_client_list_processors_finish (client, wait_for (&result), error);
}

static JgRemoteAsset *
create_asset (JgClient   *client,
              const char *name,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_create_asset_async (client, name, NULL, store_result_cb, &result);
  return jg_client_create_asset_finish (client, wait_for (&result), error);
}

static JgRemoteAsset *
get_asset (JgClient   *client,
           const char *id,
           GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_get_asset_async (client, id, NULL, store_result_cb, &result);
  return jg_client_get_asset_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_assets (JgClient   *client,
             const char *name,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_assets_async (client, name, NULL, store_result_cb, &result);
  return jg_client_list_assets_finish (client, wait_for (&result), error);
}

static gboolean
delete_asset (JgClient   *client,
              const char *id,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_delete_asset_async (client, id, NULL, store_result_cb, &result);
  return jg_client_delete_asset_finish (client, wait_for (&result), error);
}

static JgRemoteJob *
create_job (JgClient     *client,
            JgRestJob    *job,
            JgCreateFlags flags,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_create_job_async (client, job, flags, NULL, store_result_cb, &result);
  return jg_client_create_job_finish (client, wait_for (&result), error);
}

static JgRemoteJob *
create_job_from_graph (JgClient          *client,
                       JgGraph           *graph,
                       const char *const *inputs,
                       JgCreateFlags      flags,
                       GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_create_job_from_graph_async (client, graph, inputs, flags, NULL, store_result_cb, &result);
  return jg_client_create_job_from_graph_finish (client, wait_for (&result), error);
}

static JgRemoteJob *
get_job (JgClient   *client,
         const char *id,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_get_job_async (client, id, NULL, store_result_cb, &result);
  return jg_client_get_job_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_jobs (JgClient            *client,
           const JgListOptions *options,
           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_jobs_async (client, options, NULL, store_result_cb, &result);
  return jg_client_list_jobs_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_job_tasks (JgClient   *client,
                const char *id,
                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_job_tasks_async (client, id, NULL, store_result_cb, &result);
  return jg_client_list_job_tasks_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_job_outputs (JgClient   *client,
                  const char *id,
                  GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_job_output_assets_async (client, id, NULL, store_result_cb, &result);
  return jg_client_list_job_output_assets_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_job_inputs (JgClient   *client,
                 const char *id,
                 GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_job_input_assets_async (client, id, NULL, store_result_cb, &result);
  return jg_client_list_job_input_assets_finish (client, wait_for (&result), error);
}

static gboolean
cancel_job (JgClient   *client,
            const char *id,
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_cancel_job_async (client, id, NULL, store_result_cb, &result);
  return jg_client_cancel_job_finish (client, wait_for (&result), error);
}

static gboolean
delete_job (JgClient   *client,
            const char *id,
            GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_delete_job_async (client, id, NULL, store_result_cb, &result);
  return jg_client_delete_job_finish (client, wait_for (&result), error);
}

static JgRemoteTemplate *
create_template_from_graph (JgClient *client,
                            JgGraph  *graph,
                            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_create_template_from_graph_async (client, graph, NULL, store_result_cb, &result);
  return jg_client_create_template_from_graph_finish (client, wait_for (&result), error);
}

static JgRemoteTemplate *
get_template (JgClient   *client,
              const char *id,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_get_template_async (client, id, NULL, store_result_cb, &result);
  return jg_client_get_template_finish (client, wait_for (&result), error);
}

static GPtrArray *
list_templates (JgClient *client,
                GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_list_templates_async (client, NULL, store_result_cb, &result);
  return jg_client_list_templates_finish (client, wait_for (&result), error);
}

static gboolean
delete_template (JgClient   *client,
                 const char *id,
                 GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_delete_template_async (client, id, NULL, store_result_cb, &result);
  return jg_client_delete_template_finish (client, wait_for (&result), error);
}

static JgRemoteJob *
create_job_from_template (JgClient          *client,
                          const char        *name,
                          const char        *template_id,
                          const char *const *inputs,
                          GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  jg_client_create_job_from_template_async (client, name, template_id, inputs, NULL, store_result_cb, &result);
  return jg_client_create_job_from_template_finish (client, wait_for (&result), error);
}

/* Fixtures */

static JgGraph *
load_example (void)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *source_dir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  gsize       length;
  JgGraph    *graph;

  g_assert_nonnull (source_dir);
  path = g_build_filename (source_dir, "examples", "chained-encode.jobgraph", NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  graph = jg_document_parse (contents, length, &error);
  g_assert_no_error (error);

  return graph;
}

static JgRestJob *
new_rest_job (const char *name,
              const char *asset_id,
              int         priority)
{
  JgRestJob  *job = jg_rest_job_new (JG_REST_JOB);
  JgRestTask *task = jg_rest_task_new ();

  job->name = g_strdup (name);
  job->priority = priority;
  g_ptr_array_add (job->input_asset_ids, g_strdup (asset_id));
  task->name = g_strdup ("Encode");
  task->processor_id = g_strdup (MES_ID);
  task->configuration = g_strdup ("Adaptive Streaming");
  task->task_body = g_strdup ("<?xml version=\"1.0\" encoding=\"utf-8\"?><taskBody>"
                              "<inputAsset>JobInputAsset(0)</inputAsset>"
                              "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>");
  g_ptr_array_add (job->tasks, task);

  return job;
}

/* Creates an asset with a unique name. Asset creates are not looked up
 * by the client when their answer is lost (it says so with
 * JG_CLIENT_ERROR_UNKNOWN_OUTCOME): under faults, this looks for the asset
 * by name before sending again, as the client's caller must.
 */
static char *
dup_new_asset_id (JgClient   *client,
                  const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("%s %s", prefix, uuid);

  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgRemoteAsset) asset = create_asset (client, name, &error);
      g_autoptr(GPtrArray) found = NULL;

      if (asset != NULL)
        return g_strdup (asset->id);

      g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNKNOWN_OUTCOME);
      g_clear_error (&error);

      found = list_assets (client, name, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, <=, 1);
      if (found->len == 1)
        return g_strdup (((JgRemoteAsset *)g_ptr_array_index (found, 0))->id);
    }

  g_assert_not_reached ();
}

static guint
count_jobs_named (JgClient   *client,
                  const char *name)
{
  g_autofree char *filter = jg_odata_dup_filter_eq ("Name", name);
  JgListOptions    options = { .filter = filter };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = list_jobs (client, &options, &error);

  g_assert_no_error (error);

  return jobs->len;
}

typedef struct
{
  JgClient    *client;
  const char  *job_id;
  JgRemoteJob *job;
  gboolean     busy;
} Poll;

static void
poll_got_job_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Poll *poll = user_data;
  g_autoptr(GError) error = NULL;
  JgRemoteJob *job = jg_client_get_job_finish (poll->client, result, &error);

  g_assert_no_error (error);
  g_clear_pointer (&poll->job, jg_remote_job_unref);
  poll->job = job;
  poll->busy = FALSE;
}

static gboolean
poll_tick_cb (gpointer data)
{
  Poll *poll = data;

  if (!poll->busy)
    {
      poll->busy = TRUE;
      jg_client_get_job_async (poll->client, poll->job_id, NULL, poll_got_job_cb, poll);
    }

  return G_SOURCE_CONTINUE;
}

/* Polls the job every 20 ms until it reaches a final state. */
static JgRemoteJob *
wait_for_final_state (JgClient   *client,
                      const char *job_id)
{
  Poll   poll = { client, job_id, NULL, FALSE };
  gint64 deadline = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;
  guint  source = g_timeout_add (20, poll_tick_cb, &poll);

  while ((poll.job == NULL || !jg_job_state_is_final (poll.job->state) || poll.busy) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (source);
  while (poll.busy)
    g_main_context_iteration (NULL, TRUE);

  g_assert_nonnull (poll.job);
  g_assert_true (jg_job_state_is_final (poll.job->state));

  return poll.job;
}

/* Tests */

static void
test_redirect_and_processors (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *global = g_strconcat (e->root, "api/", NULL);
  g_autofree char *account = g_strconcat (e->root, "accounts/local/api/", NULL);
  gboolean         found_mes = FALSE;

  /* Configured with the global base, the client ends on the account's. */
  g_assert_cmpstr (jg_client_get_base_uri (client), ==, global);

  processors = list_processors (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jg_client_get_base_uri (client), ==, account);
  g_assert_cmpuint (processors->len, >, 0);

  /* One processor per name: the highest version. */
  for (guint i = 0; i < processors->len; i++)
    {
      JgRemoteProcessor *processor = g_ptr_array_index (processors, i);

      g_assert_true (g_str_has_prefix (processor->id, "nb:mpid:UUID:"));
      g_assert_nonnull (processor->name);
      g_assert_false (g_hash_table_contains (names, processor->name));
      g_hash_table_add (names, processor->name);

      if (g_strcmp0 (processor->name, "Media Encoder Standard") == 0)
        found_mes = TRUE;
    }
  g_assert_true (found_mes);
}

static void
test_assets (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgRemoteAsset) asset = NULL;
  g_autoptr(JgRemoteAsset) fetched = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *odd = "it's a \"test\" & 50% + more #1";

  asset = create_asset (client, odd, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (asset->id, "nb:cid:UUID:"));
  g_assert_cmpstr (asset->name, ==, odd);
  g_assert_nonnull (asset->created);

  fetched = get_asset (client, asset->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->id, ==, asset->id);
  g_assert_cmpstr (fetched->name, ==, odd);

  /* The name filter is quoted and escaped: exactly one match. */
  found = list_assets (client, odd, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((JgRemoteAsset *)g_ptr_array_index (found, 0))->id, ==, asset->id);

  g_assert_true (delete_asset (client, asset->id, &error));
  g_assert_no_error (error);

  g_clear_pointer (&fetched, jg_remote_asset_unref);
  fetched = get_asset (client, asset->id, &error);
  g_assert_null (fetched);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpuint (jg_client_error_get_status (error), ==, 404);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_paging (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, NULL, 1000.0, 1001);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  /* One more than the service's silent cap of 1,000: two pages, all
   * different and none missing.
   */
  all = list_assets (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1001);
  for (guint i = 0; i < all->len; i++)
    {
      JgRemoteAsset *asset = g_ptr_array_index (all, i);

      g_assert_true (g_str_has_prefix (asset->name, "bulk-"));
      g_assert_false (g_hash_table_contains (names, asset->name));
      g_hash_table_add (names, asset->name);
    }

  one = list_assets (client, "bulk-01000.mp4", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
}

static void
test_jobs (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgGraph) graph = load_example ();
  g_autofree char *asset_id = dup_new_asset_id (client, "Mezzanine");
  const char      *inputs[] = { asset_id, NULL };
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(JgRemoteJob) fetched = NULL;
  g_autoptr(JgRemoteJob) final = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GPtrArray) job_inputs = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *filter = jg_odata_dup_filter_eq ("Name", "NewTestJob");
  JgListOptions    options = { .filter = filter };

  job = create_job_from_graph (client, graph, inputs, JG_CREATE_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (job->id, "nb:jid:UUID:"));
  g_assert_cmpstr (job->name, ==, "NewTestJob");
  g_assert_nonnull (job->created);
  g_assert_null (job->template_id);

  fetched = get_job (client, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->id, ==, job->id);

  listed = list_jobs (client, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((JgRemoteJob *)g_ptr_array_index (listed, 0))->id, ==, job->id);

  final = wait_for_final_state (client, job->id);
  g_assert_nonnull (final->end_time);

  tasks = list_job_tasks (client, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);
  for (guint i = 0; i < tasks->len; i++)
    {
      JgRemoteTask *task = g_ptr_array_index (tasks, i);

      g_assert_true (g_str_has_prefix (task->id, "nb:tid:UUID:"));
      g_assert_nonnull (task->processor_id);
      g_assert_nonnull (task->error_details);
      if (final->state == JG_JOB_STATE_FINISHED)
        g_assert_cmpfloat (task->progress, ==, 100.0);
    }

  outputs = list_job_outputs (client, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outputs->len, ==, 2);

  job_inputs = list_job_inputs (client, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (job_inputs->len, ==, 1);
  g_assert_cmpstr (((JgRemoteAsset *)g_ptr_array_index (job_inputs, 0))->id, ==, asset_id);
}

static void
test_job_errors (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *asset_id = dup_new_asset_id (client, "input");
  g_autoptr(JgRestJob) bad_preset = new_rest_job ("bad preset", asset_id, 0);
  g_autoptr(JgRestJob) no_asset = new_rest_job ("no asset", "nb:cid:UUID:00000000-0000-4000-8000-0000000000ff", 0);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(JgRemoteJob) final = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  JgRemoteTask *task;

  /* A preset the processor does not know fails at run time, with an
   * ErrorDetail, as the real service did.
   */
  g_free (((JgRestTask *)g_ptr_array_index (bad_preset->tasks, 0))->configuration);
  ((JgRestTask *)g_ptr_array_index (bad_preset->tasks, 0))->configuration = g_strdup ("Some wrong Preset");

  job = create_job (client, bad_preset, JG_CREATE_NONE, &error);
  g_assert_no_error (error);
  final = wait_for_final_state (client, job->id);
  g_assert_cmpint (final->state, ==, JG_JOB_STATE_ERROR);

  tasks = list_job_tasks (client, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  task = g_ptr_array_index (tasks, 0);
  g_assert_cmpuint (task->error_details->len, >=, 1);
  g_assert_cmpstr (((JgRemoteErrorDetail *)g_ptr_array_index (task->error_details, 0))->code, ==,
                   "ErrorParsingConfiguration");

  /* An unknown input asset: 404 with the service's sentence. */
  g_clear_pointer (&job, jg_remote_job_unref);
  job = create_job (client, no_asset, JG_CREATE_NONE, &error);
  g_assert_null (job);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpuint (jg_client_error_get_status (error), ==, 404);
  g_assert_true (g_uuid_string_is_valid (jg_client_error_get_request_id (error)));
  g_assert_cmpuint (count_jobs_named (client, "no asset"), ==, 0);
}

static void
test_cancel_delete (void)
{
  /* Slow, so that the job is still running when it is canceled: a task
   * takes at least 10 s, canceling 2 s.
   */
  g_autoptr(Emulator) e = emulator_new_full (NULL, NULL, 0.1, 0);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *asset_id = dup_new_asset_id (client, "input");
  g_autoptr(JgRestJob) rest = new_rest_job ("to cancel", asset_id, 0);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(JgRemoteJob) final = NULL;
  g_autoptr(JgRemoteJob) gone = NULL;
  g_autoptr(GError) error = NULL;

  job = create_job (client, rest, JG_CREATE_NONE, &error);
  g_assert_no_error (error);
  g_assert_false (jg_job_state_is_final (job->state));

  g_assert_true (cancel_job (client, job->id, &error));
  g_assert_no_error (error);

  final = wait_for_final_state (client, job->id);
  g_assert_cmpint (final->state, ==, JG_JOB_STATE_CANCELED);

  /* Canceling a final job is refused. */
  g_assert_false (cancel_job (client, job->id, &error));
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_BAD_REQUEST);
  g_assert_cmpuint (jg_client_error_get_status (error), ==, 400);
  g_clear_error (&error);

  g_assert_true (delete_job (client, job->id, &error));
  g_assert_no_error (error);

  gone = get_job (client, job->id, &error);
  g_assert_null (gone);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (delete_job (client, job->id, &error));
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);
}

static void
test_batch (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgGraph) graph = load_example ();
  g_autofree char *asset_id = dup_new_asset_id (client, "Mezzanine");
  const char      *inputs[] = { asset_id, NULL };
  g_autoptr(JgRestJob) invalid = new_rest_job ("invalid batch", asset_id, 0);
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(JgRemoteJob) refused = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  JgRestTask *task;

  job = create_job_from_graph (client, graph, inputs, JG_CREATE_BATCH, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (job->id, "nb:jid:UUID:"));
  g_assert_cmpstr (job->name, ==, "NewTestJob");

  tasks = list_job_tasks (client, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);

  /* A task that reads an input the job does not have: the changeset
   * fails, and so does the call, with the part's message.
   */
  task = g_ptr_array_index (invalid->tasks, 0);
  g_free (task->task_body);
  task->task_body = g_strdup ("<taskBody><inputAsset>JobInputAsset(3)</inputAsset>"
                              "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>");

  refused = create_job (client, invalid, JG_CREATE_BATCH, &error);
  g_assert_null (refused);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_BAD_REQUEST);
  g_assert_cmpuint (jg_client_error_get_status (error), ==, 400);
  g_assert_nonnull (strstr (error->message, "JobInputAsset(3)"));
  g_assert_cmpuint (count_jobs_named (client, "invalid batch"), ==, 0);
}

static void
test_templates (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(JgGraph) graph = load_example ();
  g_autofree char *asset_id = dup_new_asset_id (client, "Mezzanine");
  const char      *inputs[] = { asset_id, NULL };
  g_autoptr(JgRemoteTemplate) template_ = NULL;
  g_autoptr(JgRemoteTemplate) fetched = NULL;
  g_autoptr(JgRemoteTemplate) gone = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  gboolean listed = FALSE;

  template_ = create_template_from_graph (client, graph, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (template_->id, "nb:jtid:UUID:"));
  g_assert_cmpstr (template_->name, ==, "NewTestJob");
  g_assert_cmpint (template_->n_inputs, ==, 1);
  g_assert_cmpuint (template_->task_templates->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JgRemoteTaskTemplate *task_template = g_ptr_array_index (template_->task_templates, i);

      g_assert_true (g_str_has_prefix (task_template->id, "nb:ttid:UUID:"));
      g_assert_true (jg_remote_template_references (template_, task_template->id));
      g_assert_cmpint (task_template->n_inputs, ==, 1);
      g_assert_cmpint (task_template->n_outputs, ==, 1);
    }

  fetched = get_template (client, template_->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fetched->task_templates->len, ==, 2);
  g_assert_cmpstr (fetched->job_template_body, ==, template_->job_template_body);

  templates = list_templates (client, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < templates->len; i++)
    {
      JgRemoteTemplate *t = g_ptr_array_index (templates, i);

      if (g_strcmp0 (t->id, template_->id) == 0)
        {
          listed = TRUE;
          g_assert_cmpuint (t->task_templates->len, ==, 2);
        }
    }
  g_assert_true (listed);

  job = create_job_from_template (client, "from template", template_->id, inputs, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->template_id, ==, template_->id);
  g_assert_cmpstr (job->name, ==, "from template");

  tasks = list_job_tasks (client, job->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 2);

  g_assert_true (delete_template (client, template_->id, &error));
  g_assert_no_error (error);
  gone = get_template (client, template_->id, &error);
  g_assert_null (gone);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_NOT_FOUND);
}

static void
test_tokens_acs (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) processors = list_processors (client, &error);

      g_assert_no_error (error);
    }

  /* One token for all of them, with the emulator's lifetime. */
  g_assert_cmpuint (_jg_client_get_n_token_fetches (client), ==, 1);
  g_assert_nonnull (_jg_client_peek_token (client));
}

static void
test_tokens_expired (void)
{
  g_autoptr(Emulator) e = emulator_new ("expire-token#1");
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;

  {
    g_autoptr(GPtrArray) processors = list_processors (client, &error);

    g_assert_no_error (error);
  }

  /* The service said 401 once: the client fetched a new token and sent
   * the request again.
   */
  g_assert_cmpuint (_jg_client_get_n_token_fetches (client), ==, 2);
  first = g_strdup (_jg_client_peek_token (client));

  {
    g_autoptr(GPtrArray) processors = list_processors (client, &error);

    g_assert_no_error (error);
  }
  g_assert_cmpuint (_jg_client_get_n_token_fetches (client), ==, 2);
  g_assert_cmpstr (_jg_client_peek_token (client), ==, first);
}

static void
test_tokens_aad (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autofree char *endpoint = g_strconcat (e->root, "api/", NULL);
  g_autofree char *token_uri = g_strconcat (e->root, "contoso.onmicrosoft.com/oauth2/token", NULL);
  g_autoptr(JgAccount) account = jg_account_new (JG_AUTH_KIND_AAD, endpoint);
  g_autoptr(JgClient) client = NULL;
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GError) error = NULL;

  jg_account_set_token_uri (account, token_uri);
  jg_account_set_client_id (account, "local");
  jg_account_set_secret (account, KEY);
  client = emulator_add_client (e, account);

  processors = list_processors (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (processors->len, >, 0);
  g_assert_cmpuint (_jg_client_get_n_token_fetches (client), ==, 1);
}

static void
test_tokens_refused (void)
{
  g_autoptr(Emulator) e = emulator_new (NULL);
  g_autoptr(JgAccount) account = jg_account_new_for_emulator (e->root, NULL, "wrong-key-4a1b");
  g_autoptr(JgClient) client = emulator_add_client (e, account);
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GError) error = NULL;

  processors = list_processors (client, &error);
  g_assert_null (processors);
  g_assert_error (error, JG_CLIENT_ERROR, JG_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "wrong-key-4a1b"));
  g_assert_cmpuint (_jg_client_get_n_token_fetches (client), ==, 1);
}

static void
test_static_token (void)
{
  g_autoptr(Emulator) e = emulator_new_full (NULL, TOKEN, 1000.0, 0);
  g_autofree char *endpoint = g_strconcat (e->root, "api/", NULL);
  g_autoptr(JgAccount) account = jg_account_new (JG_AUTH_KIND_BEARER, endpoint);
  g_autoptr(JgClient) client = NULL;
  g_autoptr(GPtrArray) processors = NULL;
  g_autoptr(GError) error = NULL;

  jg_account_set_secret (account, TOKEN);
  client = emulator_add_client (e, account);

  processors = list_processors (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (processors->len, >, 0);
  g_assert_cmpuint (_jg_client_get_n_token_fetches (client), ==, 0);
}

/* Each fault kind alone: N sequential creates, each answered, and N jobs. */
static void
test_fault (gconstpointer data)
{
  const char *faults = data;
  g_autoptr(Emulator) e = emulator_new (faults);
  g_autoptr(JgClient) client = new_client (e);
  g_autofree char *asset_id = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  const guint n = 6;

  asset_id = dup_new_asset_id (client, "input");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JgRestJob) rest = new_rest_job ("faulty", asset_id, 0);
      g_autoptr(JgRemoteJob) job = create_job (client, rest, i % 2 ? JG_CREATE_BATCH : JG_CREATE_NONE, &error);

      g_assert_no_error (error);
      g_assert_false (g_hash_table_contains (ids, job->id));
      g_hash_table_add (ids, g_strdup (job->id));
    }

  g_assert_cmpuint (count_jobs_named (client, "faulty"), ==, n);

  {
    g_autoptr(GPtrArray) processors = list_processors (client, &error);

    g_assert_no_error (error);
  }
}

typedef struct
{
  JgClient   *client;
  const char *asset_id;
  guint       n;
  guint       started;
  guint       finished;
  GHashTable *ids;
  GHashTable *names; /* name → expected count */
} Submit;

static void submit_next (Submit *submit);

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Submit *submit = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JgRemoteJob) job = jg_client_create_job_finish (submit->client, result, &error);

  g_assert_no_error (error);
  g_assert_false (g_hash_table_contains (submit->ids, job->id));
  g_hash_table_add (submit->ids, g_strdup (job->id));
  submit->finished++;

  submit_next (submit);
}

/* Keeps 16 creates in flight, as a pipelining client does. */
static void
submit_next (Submit *submit)
{
  while (submit->started < submit->n && submit->started - submit->finished < 16)
    {
      guint            i = submit->started++;
      g_autofree char *name = i % 3 == 0 ? g_strdup ("shared") : g_strdup_printf ("job %u", i);
      g_autoptr(JgRestJob) rest = new_rest_job (name, submit->asset_id, 0);

      g_hash_table_insert (submit->names, g_strdup (name),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (submit->names, name)) + 1));
      jg_client_create_job_async (submit->client, rest, i % 4 == 3 ? JG_CREATE_BATCH : JG_CREATE_NONE,
                                  NULL, submitted_cb, submit);
    }
}

static void
test_no_duplicates (void)
{
  g_autoptr(Emulator) e = emulator_new ("busy@0.3,reset-after@0.2,reset-before@0.1,malformed@0.05");
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *asset_id = dup_new_asset_id (client, "input");
  Submit           submit = { client, asset_id, 120, 0, 0, ids, names };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer       key, value;

  submit_next (&submit);
  while (submit.finished < submit.n)
    g_main_context_iteration (NULL, TRUE);

  /* As many jobs as calls, name by name, and each call got its own. */
  g_assert_cmpuint (g_hash_table_size (ids), ==, submit.n);

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpuint (count_jobs_named (client, key), ==, GPOINTER_TO_UINT (value));

  all = list_jobs (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, submit.n);
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_hash_table_contains (ids, ((JgRemoteJob *)g_ptr_array_index (all, i))->id));
}

static void
test_redacted_log (void)
{
  g_autoptr(Emulator) e = emulator_new ("expire-token#1");
  g_autoptr(JgClient) client = new_client (e);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *asset_id = NULL;
  g_autofree char *key_form = g_uri_escape_string (KEY, NULL, FALSE);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  guint redacted = 0;
  guint bearer = 0;

  _jg_client_set_log_http (client, TRUE);

  g_mutex_lock (&log_lock);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_mutex_unlock (&log_lock);

  asset_id = dup_new_asset_id (client, "input");
  g_ptr_array_add (tokens, g_strdup (_jg_client_peek_token (client)));
  {
    g_autoptr(JgRestJob) rest = new_rest_job ("logged", asset_id, 0);
    g_autoptr(JgRemoteJob) job = create_job (client, rest, JG_CREATE_BATCH, &error);

    g_assert_no_error (error);
  }
  g_ptr_array_add (tokens, g_strdup (_jg_client_peek_token (client)));

  g_mutex_lock (&log_lock);
  lines = g_steal_pointer (&log_lines);
  g_mutex_unlock (&log_lock);

  g_assert_cmpuint (lines->len, >, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      g_assert_null (strstr (line, KEY));
      g_assert_null (strstr (line, key_form));
      for (guint j = 0; j < tokens->len; j++)
        g_assert_null (strstr (line, g_ptr_array_index (tokens, j)));

      if (strstr (line, "client_secret=[REDACTED]") != NULL)
        redacted++;
      if (strstr (line, "Authorization: Bearer [REDACTED]") != NULL)
        bearer++;
    }

  g_assert_cmpuint (redacted, >=, 1);
  g_assert_cmpuint (bearer, >=, 2);
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
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/jobgraph/client/emulator/redirect-and-processors", test_redirect_and_processors);
  g_test_add_func ("/jobgraph/client/emulator/assets", test_assets);
  g_test_add_func ("/jobgraph/client/emulator/paging", test_paging);
  g_test_add_func ("/jobgraph/client/emulator/jobs", test_jobs);
  g_test_add_func ("/jobgraph/client/emulator/job-errors", test_job_errors);
  g_test_add_func ("/jobgraph/client/emulator/cancel-delete", test_cancel_delete);
  g_test_add_func ("/jobgraph/client/emulator/batch", test_batch);
  g_test_add_func ("/jobgraph/client/emulator/templates", test_templates);
  g_test_add_func ("/jobgraph/client/emulator/tokens/acs", test_tokens_acs);
  g_test_add_func ("/jobgraph/client/emulator/tokens/expired", test_tokens_expired);
  g_test_add_func ("/jobgraph/client/emulator/tokens/aad", test_tokens_aad);
  g_test_add_func ("/jobgraph/client/emulator/tokens/refused", test_tokens_refused);
  g_test_add_func ("/jobgraph/client/emulator/tokens/static", test_static_token);
  g_test_add_data_func ("/jobgraph/client/emulator/faults/busy", "busy#3", test_fault);
  g_test_add_data_func ("/jobgraph/client/emulator/faults/reset-before", "reset-before#3", test_fault);
  g_test_add_data_func ("/jobgraph/client/emulator/faults/reset-after", "reset-after#3", test_fault);
  g_test_add_data_func ("/jobgraph/client/emulator/faults/slow", "slow:300#3", test_fault);
  g_test_add_data_func ("/jobgraph/client/emulator/faults/expire-token", "expire-token#1", test_fault);
  g_test_add_data_func ("/jobgraph/client/emulator/faults/malformed", "malformed#3", test_fault);
  g_test_add_func ("/jobgraph/client/emulator/no-duplicates", test_no_duplicates);
  g_test_add_func ("/jobgraph/client/emulator/redacted-log", test_redacted_log);

  return g_test_run ();
}
