/* test-run-plan.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JgRunPlan without a service: job counts, names from the pattern, input
 * bindings, output names, the summary and the reasons a run is refused.
 */

#include "config.h"

#include <locale.h>

#include "jg-client.h"
#include "jg-run-plan.h"

static JgGraph *
load_example (void)
{
  const char      *srcdir = g_getenv ("JOBGRAPH_SOURCE_DIR");
  g_autofree char *path = g_build_filename (srcdir != NULL ? srcdir : "..", "examples", "chained-encode.jobgraph",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  JgGraph *graph;

  graph = jg_document_load (file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (graph);

  return graph;
}

static JgRemoteAsset *
new_asset (const char *id,
           const char *name)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  JgRemoteAsset *asset;

  json_object_set_string_member (object, "Id", id);
  if (name != NULL)
    json_object_set_string_member (object, "Name", name);
  asset = jg_remote_asset_new_from_json (object, &error);
  g_assert_no_error (error);

  return asset;
}

static void
count_changed_cb (JgRunPlan *plan,
                  guint     *n_changed)
{
  (*n_changed)++;
}

static void
test_single_job (void)
{
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRunPlan) plan = jg_run_plan_new (graph);
  g_autoptr(JgRemoteAsset) asset = new_asset ("nb:cid:UUID:00000000-0000-0000-0000-000000000001", "clip.mp4");
  g_autoptr(GDateTime) date = g_date_time_new_local (2026, 3, 7, 12, 0, 0);
  g_autofree char *reason = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) ids = NULL;
  guint n_changed = 0;

  g_signal_connect (plan, "changed", G_CALLBACK (count_changed_cb), &n_changed);
  jg_run_plan_set_date (plan, date);

  g_assert_cmpuint (jg_run_plan_get_n_inputs (plan), ==, 1);
  g_assert_cmpuint (jg_run_plan_get_n_jobs (plan), ==, 1);
  g_assert_cmpuint (jg_run_plan_get_n_tasks (plan), ==, 2);
  g_assert_true (jg_run_plan_can_run_per_asset (plan));

  /* The graph's own asset id is a placeholder: nothing is bound yet. */
  g_assert_false (jg_run_plan_can_run (plan, &reason));
  g_assert_cmpstr (reason, ==, "Choose an asset for JobInputAsset(0) “Mezzanine”.");

  jg_run_plan_set_input (plan, 0, asset);
  g_assert_cmpuint (n_changed, >=, 2);
  g_assert_true (jg_run_plan_get_input (plan, 0) == asset);
  g_assert_true (jg_run_plan_can_run (plan, NULL));

  name = jg_run_plan_dup_job_name (plan, 0);
  g_assert_cmpstr (name, ==, "NewTestJob – clip.mp4");
  g_clear_pointer (&name, g_free);

  jg_run_plan_set_name_pattern (plan, "{graph} {date} #{n} {unknown}");
  name = jg_run_plan_dup_job_name (plan, 0);
  g_assert_cmpstr (name, ==, "NewTestJob 2026-03-07 #1 {unknown}");
  g_clear_pointer (&name, g_free);

  /* A pattern that leaves nothing falls back to the graph's name. */
  jg_run_plan_set_name_pattern (plan, "  ");
  name = jg_run_plan_dup_job_name (plan, 0);
  g_assert_cmpstr (name, ==, "NewTestJob");

  ids = jg_run_plan_dup_job_input_ids (plan, 0);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, asset->id);
}

static void
test_per_asset (void)
{
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRunPlan) plan = jg_run_plan_new (graph);
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_asset_unref);
  g_autofree char *reason = NULL;

  jg_run_plan_set_per_asset (plan, TRUE);
  g_assert_cmpuint (jg_run_plan_get_n_jobs (plan), ==, 0);
  g_assert_false (jg_run_plan_can_run (plan, &reason));
  g_assert_cmpstr (reason, ==, "Choose the assets to run one job each on.");

  g_ptr_array_add (assets, new_asset ("nb:cid:UUID:a", "a.mp4"));
  g_ptr_array_add (assets, new_asset ("nb:cid:UUID:b", NULL));
  g_ptr_array_add (assets, new_asset ("nb:cid:UUID:c", "c.mp4"));
  jg_run_plan_set_assets (plan, assets);
  g_assert_true (jg_run_plan_get_assets (plan) != assets);
  g_assert_cmpuint (jg_run_plan_get_assets (plan)->len, ==, 3);
  g_assert_cmpuint (jg_run_plan_get_n_jobs (plan), ==, 3);
  g_assert_true (jg_run_plan_can_run (plan, NULL));

  jg_run_plan_set_name_pattern (plan, "{n}: {asset}");
  for (guint i = 0; i < 3; i++)
    {
      static const char *names[] = { "1: a.mp4", "2: nb:cid:UUID:b", "3: c.mp4" };
      static const char *ids[] = { "nb:cid:UUID:a", "nb:cid:UUID:b", "nb:cid:UUID:c" };
      g_autofree char *name = jg_run_plan_dup_job_name (plan, i);
      g_auto(GStrv) job_ids = jg_run_plan_dup_job_input_ids (plan, i);

      g_assert_cmpstr (name, ==, names[i]);
      g_assert_cmpuint (g_strv_length (job_ids), ==, 1);
      g_assert_cmpstr (job_ids[0], ==, ids[i]);
    }

  /* Off again: one job with the bound input (none yet). */
  jg_run_plan_set_per_asset (plan, FALSE);
  g_assert_cmpuint (jg_run_plan_get_n_jobs (plan), ==, 1);
  g_assert_false (jg_run_plan_can_run (plan, NULL));
}

static void
test_per_asset_needs_one_input (void)
{
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgJobInput) second = jg_job_input_new ("Audio");
  g_autoptr(JgRunPlan) plan = NULL;
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_asset_unref);
  g_autoptr(JgTask) task = g_object_ref (jg_graph_get_task (graph, 0));
  g_autofree char *reason = NULL;

  jg_graph_append_input (graph, second);
  jg_graph_add_task_port (graph, task, FALSE, JG_REF_JOB_INPUT, second, NULL);
  plan = jg_run_plan_new (graph);
  g_assert_cmpuint (jg_run_plan_get_n_inputs (plan), ==, 2);
  g_assert_false (jg_run_plan_can_run_per_asset (plan));

  g_ptr_array_add (assets, new_asset ("nb:cid:UUID:a", "a.mp4"));
  jg_run_plan_set_assets (plan, assets);
  jg_run_plan_set_per_asset (plan, TRUE);
  g_assert_false (jg_run_plan_can_run (plan, &reason));
  g_assert_cmpstr (reason, ==, "One job per asset needs exactly one job input; this has 2.");
  g_clear_pointer (&reason, g_free);

  /* Bound one by one, the second input is named in the refusal. */
  jg_run_plan_set_per_asset (plan, FALSE);
  jg_run_plan_set_input (plan, 0, g_ptr_array_index (assets, 0));
  g_assert_false (jg_run_plan_can_run (plan, &reason));
  g_assert_cmpstr (reason, ==, "Choose an asset for JobInputAsset(1) “Audio”.");
}

static void
test_summary (void)
{
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRunPlan) plan = jg_run_plan_new (graph);
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_asset_unref);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *expected = NULL;
  guint            n_warnings = jg_graph_get_n_warnings (graph);

  names = jg_run_plan_dup_output_names (plan);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_null (g_ptr_array_index (names, 0));
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "NewTestJob Smooth 720p");

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (assets, new_asset ("nb:cid:UUID:a", "a.mp4"));
  jg_run_plan_set_assets (plan, assets);
  jg_run_plan_set_per_asset (plan, TRUE);

  summary = jg_run_plan_dup_summary (plan);
  if (n_warnings == 0)
    expected = g_strdup ("3 jobs × 2 tasks, output named “NewTestJob Smooth 720p”, 1 output named by the service");
  else
    expected = g_strdup_printf ("3 jobs × 2 tasks, output named “NewTestJob Smooth 720p”, "
                                "1 output named by the service; %u warning%s",
                                n_warnings, n_warnings == 1 ? "" : "s");
  g_assert_cmpstr (summary, ==, expected);
  g_clear_pointer (&summary, g_free);

  /* Naming the other output lists both; singular job. */
  outputs = jg_graph_dup_output_assets (graph);
  jg_output_asset_set_asset_name (g_ptr_array_index (outputs, 0), "MP4s");
  jg_graph_validate (graph);
  jg_run_plan_set_per_asset (plan, FALSE);
  summary = jg_run_plan_dup_summary (plan);
  g_assert_true (g_str_has_prefix (summary, "1 job × 2 tasks, outputs named “MP4s”, “NewTestJob Smooth 720p”"));
}

static void
test_validation_error (void)
{
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRunPlan) plan = NULL;
  g_autoptr(JgRemoteAsset) asset = new_asset ("nb:cid:UUID:a", "a.mp4");
  JgTask          *task = jg_graph_get_task (graph, 1);
  g_autofree char *reason = NULL;
  g_autofree char *summary = NULL;

  /* A configuration that is not valid XML, JSON or a preset name. */
  jg_task_set_configuration (task, "<Preset><Broken");
  plan = jg_run_plan_new (graph);
  jg_run_plan_set_input (plan, 0, asset);

  g_assert_cmpuint (jg_run_plan_get_n_errors (plan), >=, 1);
  g_assert_false (jg_run_plan_can_run (plan, &reason));
  g_test_message ("reason: %s", reason);
  g_assert_true (g_str_has_prefix (reason, "The graph has 1 error. "));
  /* Where: the task, as the REST body names it. */
  g_assert_nonnull (strstr (reason, "Tasks[1] “Smooth Streaming 720p”"));

  summary = jg_run_plan_dup_summary (plan);
  g_assert_nonnull (strstr (summary, "; 1 error"));
}

static void
test_long_name (void)
{
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRunPlan) plan = jg_run_plan_new (graph);
  g_autoptr(JgRemoteAsset) asset = new_asset ("nb:cid:UUID:a", "a.mp4");
  g_autofree char *pattern = g_strnfill (JG_MAX_NAME_LENGTH + 1, 'x');
  g_autofree char *reason = NULL;

  jg_run_plan_set_input (plan, 0, asset);
  jg_run_plan_set_name_pattern (plan, pattern);
  g_assert_false (jg_run_plan_can_run (plan, &reason));
  g_assert_cmpstr (reason, ==, "Job 1’s name is 4001 characters long; the service allows at most 4000.");
}

static void
test_job_graph (void)
{
  g_autoptr(JgGraph) graph = load_example ();
  g_autoptr(JgRunPlan) plan = jg_run_plan_new (graph);
  g_autoptr(JgRemoteAsset) asset = new_asset ("nb:cid:UUID:a", "a.mp4");
  g_autoptr(JgGraph) copy = NULL;
  g_autoptr(GError) error = NULL;

  jg_run_plan_set_input (plan, 0, asset);
  jg_run_plan_set_priority (plan, 7);
  g_assert_cmpint (jg_run_plan_get_priority (plan), ==, 7);

  copy = jg_run_plan_dup_job_graph (plan, 0, &error);
  g_assert_no_error (error);
  g_assert_true (copy != graph);
  g_assert_cmpstr (jg_graph_get_name (copy), ==, "NewTestJob – a.mp4");
  g_assert_cmpint (jg_graph_get_priority (copy), ==, 7);
  g_assert_cmpuint (jg_graph_get_n_tasks (copy), ==, 2);

  /* The user's graph is untouched. */
  g_assert_cmpstr (jg_graph_get_name (graph), ==, "NewTestJob");
  g_assert_cmpint (jg_graph_get_priority (graph), ==, 0);
}

static void
test_template (void)
{
  g_autoptr(JgRemoteTemplate) template_ = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JgRunPlan) plan = NULL;
  g_autoptr(JgRemoteAsset) asset = new_asset ("nb:cid:UUID:a", "a.mp4");
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *name = NULL;

  json_object_set_string_member (object, "Id", "nb:jtid:UUID:1");
  json_object_set_string_member (object, "Name", "Nightly");
  json_object_set_int_member (object, "NumberofInputAssets", 2);
  template_ = jg_remote_template_new_from_json (object, &error);
  g_assert_no_error (error);

  plan = jg_run_plan_new_for_template (template_);
  g_assert_null (jg_run_plan_get_graph (plan));
  g_assert_true (jg_run_plan_get_template (plan) == template_);
  g_assert_cmpuint (jg_run_plan_get_n_inputs (plan), ==, 2);
  g_assert_false (jg_run_plan_can_run_per_asset (plan));
  g_assert_cmpuint (g_list_model_get_n_items (jg_run_plan_get_diagnostics (plan)), ==, 0);

  jg_run_plan_set_input (plan, 0, asset);
  g_assert_false (jg_run_plan_can_run (plan, &reason));
  g_assert_cmpstr (reason, ==, "Choose an asset for JobInputAsset(1).");

  jg_run_plan_set_input (plan, 1, asset);
  g_assert_true (jg_run_plan_can_run (plan, NULL));
  name = jg_run_plan_dup_job_name (plan, 0);
  g_assert_cmpstr (name, ==, "Nightly – a.mp4");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/client/run-plan/single-job", test_single_job);
  g_test_add_func ("/jobgraph/client/run-plan/per-asset", test_per_asset);
  g_test_add_func ("/jobgraph/client/run-plan/per-asset-needs-one-input", test_per_asset_needs_one_input);
  g_test_add_func ("/jobgraph/client/run-plan/summary", test_summary);
  g_test_add_func ("/jobgraph/client/run-plan/validation-error", test_validation_error);
  g_test_add_func ("/jobgraph/client/run-plan/long-name", test_long_name);
  g_test_add_func ("/jobgraph/client/run-plan/job-graph", test_job_graph);
  g_test_add_func ("/jobgraph/client/run-plan/template", test_template);

  return g_test_run ();
}
