/* jg-remote-template.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include <string.h>

#include "jg-odata.h"
#include "jg-remote-template.h"

G_DEFINE_BOXED_TYPE (JgRemoteTaskTemplate, jg_remote_task_template, jg_remote_task_template_ref, jg_remote_task_template_unref)
G_DEFINE_BOXED_TYPE (JgRemoteTemplate, jg_remote_template, jg_remote_template_ref, jg_remote_template_unref)

static void
jg_remote_task_template_clear (gpointer data)
{
  JgRemoteTaskTemplate *task_template = data;

  g_free (task_template->id);
  g_free (task_template->name);
  g_free (task_template->description);
  g_free (task_template->processor_id);
  g_free (task_template->configuration);
}

static void
jg_remote_template_clear (gpointer data)
{
  JgRemoteTemplate *template_ = data;

  g_free (template_->id);
  g_free (template_->name);
  g_free (template_->job_template_body);
  g_clear_pointer (&template_->created, g_date_time_unref);
  g_clear_pointer (&template_->last_modified, g_date_time_unref);
  g_clear_pointer (&template_->task_templates, g_ptr_array_unref);
}

/**
 * jg_remote_task_template_new_from_json:
 * @object: a TaskTemplate entity
 *
 * Returns: (transfer full): the task template, or %NULL with @error set
 */
JgRemoteTaskTemplate *
jg_remote_task_template_new_from_json (JsonObject *object,
                                       GError    **error)
{
  g_autofree char      *id = NULL;
  JgRemoteTaskTemplate *task_template;

  g_return_val_if_fail (object != NULL, NULL);

  id = jg_odata_dup_id (object, "TaskTemplate", error);
  if (id == NULL)
    return NULL;

  task_template = g_atomic_rc_box_new0 (JgRemoteTaskTemplate);
  task_template->id = g_steal_pointer (&id);
  task_template->name = jg_odata_dup_string (object, "Name");
  task_template->description = jg_odata_dup_string (object, "Description");
  task_template->processor_id = jg_odata_dup_string (object, "MediaProcessorId");
  task_template->configuration = jg_odata_dup_string (object, "Configuration");
  task_template->options = jg_odata_get_int (object, "Options", 0);
  task_template->n_inputs = jg_odata_get_int (object, "NumberofInputAssets", 0);
  task_template->n_outputs = jg_odata_get_int (object, "NumberofOutputAssets", 0);

  return task_template;
}

/**
 * jg_remote_task_template_ref:
 *
 * Returns: (transfer full): @task_template
 */
JgRemoteTaskTemplate *
jg_remote_task_template_ref (JgRemoteTaskTemplate *task_template)
{
  g_return_val_if_fail (task_template != NULL, NULL);

  return g_atomic_rc_box_acquire (task_template);
}

void
jg_remote_task_template_unref (JgRemoteTaskTemplate *task_template)
{
  g_return_if_fail (task_template != NULL);

  g_atomic_rc_box_release_full (task_template, jg_remote_task_template_clear);
}

/**
 * jg_remote_template_new_from_json:
 * @object: a JobTemplate entity
 *
 * Returns: (transfer full): the template, without TaskTemplates (the
 *   service defers them), or %NULL with @error set
 */
JgRemoteTemplate *
jg_remote_template_new_from_json (JsonObject *object,
                                  GError    **error)
{
  g_autofree char  *id = NULL;
  JgRemoteTemplate *template_;

  g_return_val_if_fail (object != NULL, NULL);

  id = jg_odata_dup_id (object, "JobTemplate", error);
  if (id == NULL)
    return NULL;

  template_ = g_atomic_rc_box_new0 (JgRemoteTemplate);
  template_->id = g_steal_pointer (&id);
  template_->name = jg_odata_dup_string (object, "Name");
  template_->job_template_body = jg_odata_dup_string (object, "JobTemplateBody");
  template_->n_inputs = jg_odata_get_int (object, "NumberofInputAssets", 0);
  template_->template_type = jg_odata_get_int (object, "TemplateType", 1);
  template_->created = jg_odata_dup_date (object, "Created");
  template_->last_modified = jg_odata_dup_date (object, "LastModified");
  template_->task_templates = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_task_template_unref);

  return template_;
}

/**
 * jg_remote_template_ref:
 *
 * Returns: (transfer full): @template_
 */
JgRemoteTemplate *
jg_remote_template_ref (JgRemoteTemplate *template_)
{
  g_return_val_if_fail (template_ != NULL, NULL);

  return g_atomic_rc_box_acquire (template_);
}

void
jg_remote_template_unref (JgRemoteTemplate *template_)
{
  g_return_if_fail (template_ != NULL);

  g_atomic_rc_box_release_full (template_, jg_remote_template_clear);
}

/* Finds where @id occurs in @body, ignoring ASCII case (ids are GUIDs
 * that clients write in either case).
 */
static const char *
find_id (const char *body,
         const char *id)
{
  gsize len = strlen (id);

  if (len == 0)
    return NULL;

  for (const char *p = body; *p; p++)
    {
      if (g_ascii_strncasecmp (p, id, len) == 0)
        return p;
    }

  return NULL;
}

/**
 * jg_remote_template_references:
 *
 * Returns: %TRUE when the template's `JobTemplateBody` names
 *   @task_template_id (compared without regard to case)
 */
gboolean
jg_remote_template_references (JgRemoteTemplate *template_,
                               const char       *task_template_id)
{
  g_return_val_if_fail (template_ != NULL, FALSE);
  g_return_val_if_fail (task_template_id != NULL, FALSE);

  return template_->job_template_body != NULL &&
         find_id (template_->job_template_body, task_template_id) != NULL;
}

static gsize
position_in_body (JgRemoteTemplate     *template_,
                  JgRemoteTaskTemplate *task_template)
{
  const char *found;

  if (template_->job_template_body == NULL)
    return G_MAXSIZE;

  found = find_id (template_->job_template_body, task_template->id);

  return found ? (gsize)(found - template_->job_template_body) : G_MAXSIZE;
}

/**
 * jg_remote_template_take_task_templates:
 * @task_templates: (transfer full) (element-type JgRemoteTaskTemplate):
 *   the template's TaskTemplates in any order
 *
 * Sets the template's TaskTemplates, sorted in the order in which the
 * `JobTemplateBody` names them.
 */
void
jg_remote_template_take_task_templates (JgRemoteTemplate *template_,
                                        GPtrArray        *task_templates)
{
  g_return_if_fail (template_ != NULL);
  g_return_if_fail (task_templates != NULL);

  g_ptr_array_set_size (template_->task_templates, 0);

  /* Insertion sort: templates have at most 30 tasks. */
  for (guint i = 0; i < task_templates->len; i++)
    {
      JgRemoteTaskTemplate *task_template = g_ptr_array_index (task_templates, i);
      gsize                 position = position_in_body (template_, task_template);
      guint                 j = template_->task_templates->len;

      while (j > 0 && position_in_body (template_, g_ptr_array_index (template_->task_templates, j - 1)) > position)
        j--;

      g_ptr_array_insert (template_->task_templates, j, jg_remote_task_template_ref (task_template));
    }

  g_ptr_array_unref (task_templates);
}
