/* fuzz-common.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

/* Arbitrary input makes GLib and json-glib warn on purpose (invalid UTF-8,
 * odd numbers…): printing every one would slow fuzzing to a crawl and
 * G_DEBUG=fatal-warnings would turn them into false crashes. A critical
 * (a failed g_return_if_fail(), ours or a library's) or an error always
 * means a bug in our code, so those stay fatal and are printed.
 */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if ((log_level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR | G_LOG_FLAG_FATAL)) == 0)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/**
 * jg_fuzz_init:
 *
 * One-time set-up for a target, called from LLVMFuzzerInitialize().
 */
void
jg_fuzz_init (void)
{
  /* Replaces whatever G_DEBUG asked for: warnings are expected, criticals
   * are bugs.
   */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);

  /* Register the types before the first input, so that the class
   * structures they keep for the life of the process are not attributed
   * to it.
   */
  g_type_ensure (JG_TYPE_GRAPH);
  g_type_ensure (JG_TYPE_TASK);
  g_type_ensure (JG_TYPE_JOB_INPUT);
  g_type_ensure (JG_TYPE_OUTPUT_ASSET);
  g_type_ensure (JG_TYPE_DIAGNOSTIC);
}

/**
 * jg_fuzz_dump:
 *
 * Prints @data to stderr with C escapes, so that a failure report shows
 * exactly which bytes were involved.
 */
void
jg_fuzz_dump (const char *label,
              const char *data,
              gsize       length)
{
  g_autofree char *escaped = NULL;
  g_autofree char *copy = g_strndup (data, MIN (length, 4096));

  escaped = g_strescape (copy, NULL);
  fprintf (stderr, "%s (%" G_GSIZE_FORMAT " bytes%s): \"%s\"\n", label, length,
           length > 4096 ? ", first 4096 shown" : "", escaped);
}

/**
 * jg_fuzz_fail:
 *
 * Reports a broken invariant and aborts, which libFuzzer records as a
 * crash with the input that caused it.
 */
void
jg_fuzz_fail (const char *format,
              ...)
{
  va_list args;

  fputs ("jobgraph fuzz invariant violated: ", stderr);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  fflush (stderr);

  abort ();
}

static gboolean
set_why (char      **why,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_why (char      **why,
         const char *format,
         ...)
{
  va_list args;

  if (why != NULL)
    {
      va_start (args, format);
      *why = g_strdup_vprintf (format, args);
      va_end (args);
    }

  return FALSE;
}

/**
 * jg_fuzz_task_body_equal:
 * @with_template_id: compare `task_template_id` too (JobTemplateBody)
 * @why: (out) (optional): what differs
 *
 * Compares everything a TaskBody writer must keep: the input texts, and
 * each output's text and attributes. The source line is not compared.
 */
gboolean
jg_fuzz_task_body_equal (const JgTaskBody *a,
                         const JgTaskBody *b,
                         gboolean          with_template_id,
                         char            **why)
{
  if (with_template_id && g_strcmp0 (a->task_template_id, b->task_template_id) != 0)
    return set_why (why, "taskTemplateId \"%s\" became \"%s\"",
                    a->task_template_id ? a->task_template_id : "(absent)",
                    b->task_template_id ? b->task_template_id : "(absent)");

  if (a->inputs->len != b->inputs->len)
    return set_why (why, "%u inputs became %u", a->inputs->len, b->inputs->len);

  for (guint i = 0; i < a->inputs->len; i++)
    {
      const char *ia = g_ptr_array_index (a->inputs, i);
      const char *ib = g_ptr_array_index (b->inputs, i);

      if (g_strcmp0 (ia, ib) != 0)
        return set_why (why, "input %u \"%s\" became \"%s\"", i, ia, ib);
    }

  if (a->outputs->len != b->outputs->len)
    return set_why (why, "%u outputs became %u", a->outputs->len, b->outputs->len);

  for (guint i = 0; i < a->outputs->len; i++)
    {
      const JgTaskBodyOutput *oa = g_ptr_array_index (a->outputs, i);
      const JgTaskBodyOutput *ob = g_ptr_array_index (b->outputs, i);

      if (g_strcmp0 (oa->reference, ob->reference) != 0)
        return set_why (why, "output %u \"%s\" became \"%s\"", i,
                        oa->reference, ob->reference);

      if (g_strcmp0 (oa->asset_name, ob->asset_name) != 0)
        return set_why (why, "assetName of output %u \"%s\" became \"%s\"", i,
                        oa->asset_name ? oa->asset_name : "(absent)",
                        ob->asset_name ? ob->asset_name : "(absent)");

      if (g_strcmp0 (oa->storage_account_name, ob->storage_account_name) != 0)
        return set_why (why, "storageAccountName of output %u \"%s\" became \"%s\"", i,
                        oa->storage_account_name ? oa->storage_account_name : "(absent)",
                        ob->storage_account_name ? ob->storage_account_name : "(absent)");

      if (oa->creation_options != ob->creation_options)
        return set_why (why, "assetCreationOptions of output %u %d became %d", i,
                        oa->creation_options, ob->creation_options);

      if (oa->format_option != ob->format_option)
        return set_why (why, "assetFormatOption of output %u %d became %d", i,
                        oa->format_option, ob->format_option);
    }

  return TRUE;
}
