/* fuzz-batch.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* The $batch codec: whatever jg_batch_parse() accepts, jg_batch_write()
 * must write so that it parses again into the same parts (start line,
 * headers, body and changeset grouping). The raw bytes also go through
 * jg_import_data(), which reads a Job out of a batch.
 */

static void
fail_part (guint       i,
           const char *text,
           const char *what) G_GNUC_NORETURN;

static void
fail_part (guint       i,
           const char *text,
           const char *what)
{
  jg_fuzz_dump ("written", text, strlen (text));
  jg_fuzz_fail ("$batch round trip changed part %u: %s", i, what);
}

static void
compare_parts (GPtrArray  *parts,
               GPtrArray  *again,
               const char *text)
{
  for (guint i = 0; i < parts->len; i++)
    {
      JgBatchPart *a = g_ptr_array_index (parts, i);
      JgBatchPart *b = g_ptr_array_index (again, i);

      if (g_strcmp0 (a->method, b->method) != 0 || g_strcmp0 (a->uri, b->uri) != 0)
        fail_part (i, text, "request line");

      if (a->status != b->status)
        fail_part (i, text, "status code");

      /* The writer may fill in a missing reason phrase, never change one. */
      if (a->reason != NULL && g_strcmp0 (a->reason, b->reason) != 0)
        fail_part (i, text, "reason phrase");

      if (a->headers->len != b->headers->len)
        fail_part (i, text, "number of headers");

      for (guint h = 0; h < a->headers->len; h++)
        if (g_strcmp0 (g_ptr_array_index (a->headers, h), g_ptr_array_index (b->headers, h)) != 0)
          fail_part (i, text, "headers");

      if (!g_bytes_equal (a->body, b->body))
        fail_part (i, text, "body");

      if ((a->changeset == 0) != (b->changeset == 0))
        fail_part (i, text, "changeset membership");

      /* Parts share a changeset after the round trip exactly when they
       * did before it.
       */
      for (guint j = 0; j < i; j++)
        {
          JgBatchPart *aj = g_ptr_array_index (parts, j);
          JgBatchPart *bj = g_ptr_array_index (again, j);

          if (a->changeset != 0 &&
              (a->changeset == aj->changeset) != (b->changeset == bj->changeset))
            fail_part (i, text, "changeset grouping");
        }
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  jg_fuzz_init ();

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  graph = jg_import_data ((const char *)data, size, NULL, diagnostics, NULL);
  g_clear_object (&graph);

  parts = jg_batch_parse (NULL, (const char *)data, size, NULL);
  if (parts == NULL)
    return 0;

  text = jg_batch_write (parts, NULL, NULL);
  again = jg_batch_parse (NULL, text, strlen (text), &error);
  if (again == NULL)
    {
      jg_fuzz_dump ("written", text, strlen (text));
      jg_fuzz_fail ("jg_batch_write() wrote a body that does not parse: %s",
                    error->message);
    }

  if (parts->len != again->len)
    {
      jg_fuzz_dump ("written", text, strlen (text));
      jg_fuzz_fail ("$batch round trip: %u parts became %u", parts->len, again->len);
    }

  compare_parts (parts, again, text);

  return 0;
}
