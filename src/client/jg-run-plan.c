/* jg-run-plan.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-run-plan"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-remote-graph.h"
#include "jg-run-plan.h"

/**
 * JgRunPlan:
 *
 * What a run will send, worked out before anything is sent: how many jobs,
 * their names and input assets, the outputs they create, and whether the
 * graph can run at all. The Run dialog previews it and submits from it; it
 * holds no widget so that it is tested without a display.
 *
 * A plan runs either a graph (each job is a copy of the graph, named from
 * the pattern) or a JobTemplate already in the account (each job names
 * the template by id).
 */
struct _JgRunPlan
{
  GObject           parent_instance;

  /* Owned references; exactly one of graph and template_ is set */
  JgGraph          *graph;
  JgRemoteTemplate *template_;

  /* The template's tasks as a graph, for its output names; may be NULL */
  JgGraph          *template_graph;
  /* Empty: a template was validated by the service when it was made */
  GListStore       *no_diagnostics;

  char             *title;
  char             *name_pattern;
  int               priority;
  GDateTime        *date;

  /* JgRemoteAsset or NULL, indexed by JobInputAsset(n) */
  GPtrArray        *inputs;
  /* JgRemoteAsset, one job each when per_asset is set */
  GPtrArray        *assets;
  gboolean          per_asset;
};

enum
{
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (JgRunPlan, jg_run_plan, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

/* For the inputs array, whose unbound slots are NULL. */
static void
clear_asset (gpointer asset)
{
  if (asset != NULL)
    jg_remote_asset_unref (asset);
}

static void
emit_changed (JgRunPlan *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static JgGraph *
get_shape (JgRunPlan *self)
{
  return self->graph != NULL ? self->graph : self->template_graph;
}

static const char *
asset_title (JgRemoteAsset *asset)
{
  if (asset == NULL)
    return NULL;

  return asset->name != NULL && asset->name[0] != '\0' ? asset->name : asset->id;
}

/* The asset JobInputAsset(@index) of job @job reads, or NULL if unbound. */
static JgRemoteAsset *
get_job_input (JgRunPlan *self,
               guint      job,
               guint      index)
{
  if (self->per_asset)
    return index == 0 && job < self->assets->len ? g_ptr_array_index (self->assets, job) : NULL;

  return index < self->inputs->len ? g_ptr_array_index (self->inputs, index) : NULL;
}

static char *
expand_pattern (JgRunPlan *self,
                guint      job)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char        *p = self->name_pattern;

  while (*p != '\0')
    {
      const char *end;
      g_autofree char *key = NULL;

      if (*p != '{' || (end = strchr (p, '}')) == NULL)
        {
          g_string_append_c (name, *p++);
          continue;
        }

      key = g_strndup (p + 1, end - p - 1);
      if (strcmp (key, "graph") == 0)
        g_string_append (name, self->title);
      else if (strcmp (key, "asset") == 0)
        {
          const char *title = asset_title (get_job_input (self, job, 0));

          if (title != NULL)
            g_string_append (name, title);
        }
      else if (strcmp (key, "date") == 0)
        {
          g_autofree char *date = g_date_time_format (self->date, "%Y-%m-%d");

          g_string_append (name, date);
        }
      else if (strcmp (key, "n") == 0)
        g_string_append_printf (name, "%u", job + 1);
      else
        {
          /* Not a placeholder: keep the braces, the user may want them. */
          g_string_append_len (name, p, end - p + 1);
        }

      p = end + 1;
    }

  return g_strstrip (g_string_free (g_steal_pointer (&name), FALSE));
}

/* Quotes @text as the UI does (“…”), for messages. */
static char *
quote (const char *text)
{
  /* Translators: how a name is quoted inside a sentence. */
  return g_strdup_printf (_("“%s”"), text);
}

static JgDiagnostic *
find_first_error (JgRunPlan *self)
{
  GListModel *diagnostics = jg_run_plan_get_diagnostics (self);

  for (guint i = 0; i < g_list_model_get_n_items (diagnostics); i++)
    {
      g_autoptr(JgDiagnostic) diagnostic = g_list_model_get_item (diagnostics, i);

      if (jg_diagnostic_get_severity (diagnostic) == JG_SEVERITY_ERROR)
        return g_steal_pointer (&diagnostic);
    }

  return NULL;
}

static void
jg_run_plan_finalize (GObject *object)
{
  JgRunPlan *self = JG_RUN_PLAN (object);

  g_clear_object (&self->graph);
  g_clear_pointer (&self->template_, jg_remote_template_unref);
  g_clear_object (&self->template_graph);
  g_clear_object (&self->no_diagnostics);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->name_pattern, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);
  g_clear_pointer (&self->assets, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_run_plan_parent_class)->finalize (object);
}

static void
jg_run_plan_class_init (JgRunPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_run_plan_finalize;

  /**
   * JgRunPlan::changed:
   *
   * Emitted when anything the plan computes may have changed.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
jg_run_plan_init (JgRunPlan *self)
{
  self->name_pattern = g_strdup (JG_RUN_PLAN_DEFAULT_PATTERN);
  self->date = g_date_time_new_now_local ();
  self->inputs = g_ptr_array_new_with_free_func (clear_asset);
  self->assets = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_asset_unref);
  self->no_diagnostics = g_list_store_new (JG_TYPE_DIAGNOSTIC);
}

/**
 * jg_run_plan_new:
 * @graph: the graph to run
 *
 * The plan keeps @graph and reads it when asked, so it reflects the graph
 * as it is; the jobs themselves are copies (jg_run_plan_dup_job_graph()).
 *
 * Returns: (transfer full): a plan for one job with no input bound
 */
JgRunPlan *
jg_run_plan_new (JgGraph *graph)
{
  JgRunPlan  *self;
  const char *name;

  g_return_val_if_fail (JG_IS_GRAPH (graph), NULL);

  self = g_object_new (JG_TYPE_RUN_PLAN, NULL);
  self->graph = g_object_ref (graph);
  self->priority = jg_graph_get_priority (graph);

  name = jg_graph_get_name (graph);
  self->title = g_strdup (name != NULL && name[0] != '\0' ? name : _("Untitled Job"));

  /* The diagnostics must describe the graph as it is now, whether or not
   * it validates itself after each edit.
   */
  jg_graph_validate (graph);

  return self;
}

/**
 * jg_run_plan_new_for_template:
 * @template_: a JobTemplate of the account, with its TaskTemplates
 *
 * Returns: (transfer full): a plan for one job from @template_
 */
JgRunPlan *
jg_run_plan_new_for_template (JgRemoteTemplate *template_)
{
  JgRunPlan *self;

  g_return_val_if_fail (template_ != NULL, NULL);

  self = g_object_new (JG_TYPE_RUN_PLAN, NULL);
  self->template_ = jg_remote_template_ref (template_);
  self->title = g_strdup (template_->name != NULL && template_->name[0] != '\0' ? template_->name
                                                                                : template_->id);

  /* Only for the output names: a template whose body cannot be read back
   * still runs, the preview just names fewer outputs. (Without a body,
   * jg_remote_template_build_graph() fails a precondition instead of
   * returning an error, hence the check.)
   */
  if (template_->job_template_body != NULL)
    self->template_graph = jg_remote_template_build_graph (template_, NULL);

  return self;
}

/**
 * jg_run_plan_get_graph:
 *
 * Returns: (transfer none) (nullable): the graph, or %NULL for a template
 */
JgGraph *
jg_run_plan_get_graph (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  return self->graph;
}

/**
 * jg_run_plan_get_template:
 *
 * Returns: (transfer none) (nullable): the template, or %NULL for a graph
 */
JgRemoteTemplate *
jg_run_plan_get_template (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  return self->template_;
}

/**
 * jg_run_plan_get_title:
 *
 * Returns: what `{graph}` stands for: the graph's or template's name
 */
const char *
jg_run_plan_get_title (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  return self->title;
}

const char *
jg_run_plan_get_name_pattern (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  return self->name_pattern;
}

/**
 * jg_run_plan_set_name_pattern:
 * @pattern: the job name with `{graph}`, `{asset}` (the name of the asset
 *   JobInputAsset(0) reads), `{date}` (today, YYYY-MM-DD, local time) and
 *   `{n}` (the job's number, from 1)
 */
void
jg_run_plan_set_name_pattern (JgRunPlan  *self,
                              const char *pattern)
{
  g_return_if_fail (JG_IS_RUN_PLAN (self));

  if (pattern == NULL)
    pattern = "";

  if (g_strcmp0 (self->name_pattern, pattern) != 0)
    {
      g_free (self->name_pattern);
      self->name_pattern = g_strdup (pattern);
      emit_changed (self);
    }
}

int
jg_run_plan_get_priority (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), 0);

  return self->priority;
}

void
jg_run_plan_set_priority (JgRunPlan *self,
                          int        priority)
{
  g_return_if_fail (JG_IS_RUN_PLAN (self));

  if (self->priority != priority)
    {
      self->priority = priority;
      emit_changed (self);
    }
}

/**
 * jg_run_plan_set_date:
 * @date: what `{date}` stands for (its local date is used)
 *
 * Plans start with the time they were made; tests fix it.
 */
void
jg_run_plan_set_date (JgRunPlan *self,
                      GDateTime *date)
{
  g_return_if_fail (JG_IS_RUN_PLAN (self));
  g_return_if_fail (date != NULL);

  g_date_time_unref (self->date);
  self->date = g_date_time_to_local (date);
  emit_changed (self);
}

/**
 * jg_run_plan_get_n_inputs:
 *
 * Returns: how many input assets each job needs: the graph's job inputs,
 *   or the template's `NumberofInputAssets`
 */
guint
jg_run_plan_get_n_inputs (JgRunPlan *self)
{
  g_autoptr(GPtrArray) inputs = NULL;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), 0);

  if (self->template_ != NULL)
    return MAX (self->template_->n_inputs, 0);

  inputs = jg_graph_dup_numbered_inputs (self->graph);

  return inputs->len;
}

/**
 * jg_run_plan_dup_input_title:
 *
 * Returns: (transfer full): how to name input @index to the user:
 *   `JobInputAsset(0) “Mezzanine”`
 */
char *
jg_run_plan_dup_input_title (JgRunPlan *self,
                             guint      index)
{
  g_autoptr(GPtrArray) inputs = NULL;
  const char *label = NULL;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  if (self->graph != NULL)
    {
      inputs = jg_graph_dup_numbered_inputs (self->graph);
      if (index < inputs->len)
        label = jg_job_input_get_label (g_ptr_array_index (inputs, index));
    }

  if (label != NULL && label[0] != '\0')
    {
      g_autofree char *quoted = quote (label);

      return g_strdup_printf ("JobInputAsset(%u) %s", index, quoted);
    }

  return g_strdup_printf ("JobInputAsset(%u)", index);
}

/**
 * jg_run_plan_get_input:
 *
 * Returns: (transfer none) (nullable): the asset bound to
 *   `JobInputAsset(@index)` when not running one job per asset
 */
JgRemoteAsset *
jg_run_plan_get_input (JgRunPlan *self,
                       guint      index)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  return index < self->inputs->len ? g_ptr_array_index (self->inputs, index) : NULL;
}

/**
 * jg_run_plan_set_input:
 * @asset: (nullable): the asset `JobInputAsset(@index)` reads, or %NULL to
 *   unbind it
 */
void
jg_run_plan_set_input (JgRunPlan     *self,
                       guint          index,
                       JgRemoteAsset *asset)
{
  g_return_if_fail (JG_IS_RUN_PLAN (self));

  if (index >= self->inputs->len)
    g_ptr_array_set_size (self->inputs, index + 1);

  if (g_ptr_array_index (self->inputs, index) == asset)
    return;

  g_clear_pointer (&g_ptr_array_index (self->inputs, index), jg_remote_asset_unref);
  if (asset != NULL)
    g_ptr_array_index (self->inputs, index) = jg_remote_asset_ref (asset);
  emit_changed (self);
}

/**
 * jg_run_plan_can_run_per_asset:
 *
 * Returns: whether "one job per asset" makes sense: each job then has
 *   exactly one input
 */
gboolean
jg_run_plan_can_run_per_asset (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), FALSE);

  return jg_run_plan_get_n_inputs (self) == 1;
}

gboolean
jg_run_plan_get_per_asset (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), FALSE);

  return self->per_asset;
}

/**
 * jg_run_plan_set_per_asset:
 * @per_asset: whether to run one job for each asset of
 *   jg_run_plan_set_assets() instead of one job with the bound inputs
 */
void
jg_run_plan_set_per_asset (JgRunPlan *self,
                           gboolean   per_asset)
{
  g_return_if_fail (JG_IS_RUN_PLAN (self));

  per_asset = !!per_asset;
  if (self->per_asset != per_asset)
    {
      self->per_asset = per_asset;
      emit_changed (self);
    }
}

/**
 * jg_run_plan_get_assets:
 *
 * Returns: (transfer none) (element-type JgRemoteAsset): the assets for
 *   one job per asset
 */
GPtrArray *
jg_run_plan_get_assets (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  return self->assets;
}

/**
 * jg_run_plan_set_assets:
 * @assets: (nullable) (element-type JgRemoteAsset): the assets, one job
 *   each, in this order
 */
void
jg_run_plan_set_assets (JgRunPlan *self,
                        GPtrArray *assets)
{
  g_return_if_fail (JG_IS_RUN_PLAN (self));

  g_ptr_array_set_size (self->assets, 0);
  for (guint i = 0; assets != NULL && i < assets->len; i++)
    g_ptr_array_add (self->assets, jg_remote_asset_ref (g_ptr_array_index (assets, i)));
  emit_changed (self);
}

/**
 * jg_run_plan_get_n_jobs:
 *
 * Returns: how many jobs the run submits: one, or one per asset
 */
guint
jg_run_plan_get_n_jobs (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), 0);

  return self->per_asset ? self->assets->len : 1;
}

/**
 * jg_run_plan_get_n_tasks:
 *
 * Returns: how many tasks each job has
 */
guint
jg_run_plan_get_n_tasks (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), 0);

  if (self->template_ != NULL)
    return self->template_->task_templates->len;

  return jg_graph_get_n_tasks (self->graph);
}

/**
 * jg_run_plan_dup_job_name:
 * @job: the job's index, from 0
 *
 * Returns: (transfer full): the name pattern expanded for job @job; the
 *   graph's name when that leaves nothing
 */
char *
jg_run_plan_dup_job_name (JgRunPlan *self,
                          guint      job)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  name = expand_pattern (self, job);
  if (name[0] == '\0')
    return g_strdup (self->title);

  return g_steal_pointer (&name);
}

/**
 * jg_run_plan_dup_job_input_ids:
 * @job: the job's index, from 0
 *
 * Returns: (transfer full) (array zero-terminated=1): the asset ids job
 *   @job binds to `JobInputAsset(0)`, `(1)`…; an unbound input is an
 *   empty string (jg_run_plan_can_run() refuses such a plan)
 */
char **
jg_run_plan_dup_job_input_ids (JgRunPlan *self,
                               guint      job)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint                   n_inputs;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  n_inputs = jg_run_plan_get_n_inputs (self);
  for (guint i = 0; i < n_inputs; i++)
    {
      JgRemoteAsset *asset = get_job_input (self, job, i);

      g_strv_builder_add (builder, asset != NULL ? asset->id : "");
    }

  return g_strv_builder_end (builder);
}

/**
 * jg_run_plan_dup_job_graph:
 * @job: the job's index, from 0
 *
 * A copy of the graph for job @job, with the job's name and the plan's
 * priority, so that submitting never touches the user's graph. Its inputs
 * keep the graph's asset ids: pass jg_run_plan_dup_job_input_ids() along.
 *
 * Returns: (transfer full): the job's graph, or %NULL with @error set
 */
JgGraph *
jg_run_plan_dup_job_graph (JgRunPlan *self,
                           guint      job,
                           GError   **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  JgGraph         *copy;
  gsize            size;
  const char      *data;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);
  g_return_val_if_fail (self->graph != NULL, NULL);

  bytes = jg_document_serialize (self->graph);
  data = g_bytes_get_data (bytes, &size);
  copy = jg_document_parse (data, size, error);
  if (copy == NULL)
    return NULL;

  name = jg_run_plan_dup_job_name (self, job);
  jg_graph_set_name (copy, name);
  jg_graph_set_priority (copy, self->priority);

  return copy;
}

/**
 * jg_run_plan_dup_output_names:
 *
 * Returns: (transfer full) (element-type utf8): each output asset's
 *   `assetName`, indexed by `JobOutputAsset(n)`; %NULL for one the service
 *   names
 */
GPtrArray *
jg_run_plan_dup_output_names (JgRunPlan *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) outputs = NULL;
  JgGraph             *shape;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  shape = get_shape (self);
  if (shape == NULL)
    return g_steal_pointer (&names);

  outputs = jg_graph_dup_output_assets (shape);
  for (guint i = 0; i < outputs->len; i++)
    {
      const char *name = jg_output_asset_get_asset_name (g_ptr_array_index (outputs, i));

      g_ptr_array_add (names, name != NULL && name[0] != '\0' ? g_strdup (name) : NULL);
    }

  return g_steal_pointer (&names);
}

/**
 * jg_run_plan_get_diagnostics:
 *
 * Returns: (transfer none): the graph's validation diagnostics
 *   (JgDiagnostic); empty for a template
 */
GListModel *
jg_run_plan_get_diagnostics (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  if (self->graph != NULL)
    return jg_graph_get_diagnostics (self->graph);

  return G_LIST_MODEL (self->no_diagnostics);
}

guint
jg_run_plan_get_n_errors (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), 0);

  return self->graph != NULL ? jg_graph_get_n_errors (self->graph) : 0;
}

guint
jg_run_plan_get_n_warnings (JgRunPlan *self)
{
  g_return_val_if_fail (JG_IS_RUN_PLAN (self), 0);

  return self->graph != NULL ? jg_graph_get_n_warnings (self->graph) : 0;
}

/**
 * jg_run_plan_can_run:
 * @reason: (out) (optional) (transfer full): why not, and where: the first
 *   validation error and its location, or the unbound input
 *
 * Returns: whether the run can be submitted as planned
 */
gboolean
jg_run_plan_can_run (JgRunPlan *self,
                     char     **reason)
{
  g_autoptr(JgDiagnostic) error = NULL;
  g_autofree char *why = NULL;
  guint            n_inputs;
  guint            n_jobs;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), FALSE);

  n_inputs = jg_run_plan_get_n_inputs (self);
  n_jobs = jg_run_plan_get_n_jobs (self);

  if ((error = find_first_error (self)) != NULL)
    {
      g_autofree char *where = jg_diagnostic_format_location (error);
      guint            n_errors = jg_run_plan_get_n_errors (self);
      g_autofree char *head = g_strdup_printf (ngettext ("The graph has %u error.",
                                                         "The graph has %u errors.", n_errors),
                                               n_errors);

      if (where != NULL)
        /* Translators: "The graph has 1 error." Error message (where: Tasks[0] “Encode”, …) */
        why = g_strdup_printf (_("%s %s (at %s)"), head, jg_diagnostic_get_message (error), where);
      else
        why = g_strdup_printf (_("%s %s"), head, jg_diagnostic_get_message (error));
    }
  else if (self->template_ != NULL && self->template_->n_inputs <= 0)
    why = g_strdup (_("The template takes no input assets (its NumberofInputAssets is 0)."));
  else if (self->per_asset && n_inputs != 1)
    why = g_strdup_printf (ngettext ("One job per asset needs exactly one job input; this has %u.",
                                     "One job per asset needs exactly one job input; this has %u.", n_inputs),
                           n_inputs);
  else if (self->per_asset && self->assets->len == 0)
    why = g_strdup (_("Choose the assets to run one job each on."));
  else
    {
      for (guint i = 0; i < n_inputs && why == NULL; i++)
        if (get_job_input (self, 0, i) == NULL)
          {
            g_autofree char *title = jg_run_plan_dup_input_title (self, i);

            why = g_strdup_printf (_("Choose an asset for %s."), title);
          }

      for (guint job = 0; job < n_jobs && why == NULL; job++)
        {
          g_autofree char *name = jg_run_plan_dup_job_name (self, job);
          glong            length = g_utf8_strlen (name, -1);

          if (length > JG_MAX_NAME_LENGTH)
            why = g_strdup_printf (_("Job %u’s name is %ld characters long; the service allows at most %d."),
                                   job + 1, length, JG_MAX_NAME_LENGTH);
        }
    }

  if (why == NULL)
    {
      if (reason != NULL)
        *reason = NULL;
      return TRUE;
    }

  if (reason != NULL)
    *reason = g_steal_pointer (&why);

  return FALSE;
}

/**
 * jg_run_plan_dup_summary:
 *
 * Returns: (transfer full): one paragraph: “3 jobs × 4 tasks, outputs
 *   named “A”, “B”; 1 warning”
 */
char *
jg_run_plan_dup_summary (JgRunPlan *self)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) quoted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) counts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autofree char *jobs = NULL;
  g_autofree char *tasks = NULL;
  guint            n_jobs, n_tasks, n_unnamed = 0, n_errors, n_warnings;

  g_return_val_if_fail (JG_IS_RUN_PLAN (self), NULL);

  n_jobs = jg_run_plan_get_n_jobs (self);
  n_tasks = jg_run_plan_get_n_tasks (self);
  jobs = g_strdup_printf (ngettext ("%u job", "%u jobs", n_jobs), n_jobs);
  tasks = g_strdup_printf (ngettext ("%u task", "%u tasks", n_tasks), n_tasks);
  /* Translators: "3 jobs × 4 tasks" */
  g_string_append_printf (summary, _("%s × %s"), jobs, tasks);

  names = jg_run_plan_dup_output_names (self);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (name != NULL)
        g_ptr_array_add (quoted, quote (name));
      else
        n_unnamed++;
    }

  if (quoted->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (quoted, NULL);
      /* Translators: separates the quoted output names */
      list = g_strjoinv (_(", "), (char **)quoted->pdata);
      g_string_append (summary, _(", "));
      /* Translators: the end of "3 jobs × 4 tasks, outputs named “A”, “B”" */
      g_string_append_printf (summary, ngettext ("output named %s", "outputs named %s", quoted->len - 1), list);
    }

  if (n_unnamed > 0)
    {
      g_string_append (summary, _(", "));
      g_string_append_printf (summary,
                              ngettext ("%u output named by the service",
                                        "%u outputs named by the service", n_unnamed),
                              n_unnamed);
    }

  n_errors = jg_run_plan_get_n_errors (self);
  n_warnings = jg_run_plan_get_n_warnings (self);
  if (n_errors > 0)
    g_ptr_array_add (counts, g_strdup_printf (ngettext ("%u error", "%u errors", n_errors), n_errors));
  if (n_warnings > 0)
    g_ptr_array_add (counts, g_strdup_printf (ngettext ("%u warning", "%u warnings", n_warnings), n_warnings));

  if (counts->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (counts, NULL);
      list = g_strjoinv (_(", "), (char **)counts->pdata);
      /* Translators: separates the plan from its problem counts: "…; 1 warning" */
      g_string_append (summary, _("; "));
      g_string_append (summary, list);
    }

  return g_string_free (g_steal_pointer (&summary), FALSE);
}
