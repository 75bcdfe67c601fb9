/* fuzz-jobgraph.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* The .jobgraph reader and writer: a document that parses must serialize
 * to a document that parses again and serializes to the very same bytes.
 */

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
  g_autoptr(JgGraph) graph = NULL;
  g_autoptr(JgGraph) again = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize       length;

  graph = jg_document_parse ((const char *)data, size, NULL);
  if (graph == NULL)
    return 0;

  first = jg_document_serialize (graph);
  text = g_bytes_get_data (first, &length);

  again = jg_document_parse (text, length, &error);
  if (again == NULL)
    {
      jg_fuzz_dump ("serialized", text, length);
      jg_fuzz_fail ("jg_document_serialize() wrote a document that does not parse: %s",
                    error->message);
    }

  second = jg_document_serialize (again);
  if (!g_bytes_equal (first, second))
    {
      gsize       length2;
      const char *text2 = g_bytes_get_data (second, &length2);

      jg_fuzz_dump ("first", text, length);
      jg_fuzz_dump ("second", text2, length2);
      jg_fuzz_fail (".jobgraph serialize → parse → serialize is not byte-identical");
    }

  return 0;
}
