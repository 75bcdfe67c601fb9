/* fuzz-taskbody.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* TaskBody parser and writer: whatever parses must survive
 * jg_task_body_to_string() and a second parse with every input, output
 * and attribute intact, and the writer must then be a fixed point.
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
  g_autoptr(JgTaskBody) body = NULL;
  g_autoptr(JgTaskBody) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;
  g_autofree char *why = NULL;

  if (size > G_MAXSSIZE)
    return 0;

  body = jg_task_body_parse ((const char *)data, (gssize)size, NULL);
  if (body == NULL)
    return 0;

  xml = jg_task_body_to_string (body);
  again = jg_task_body_parse (xml, -1, &error);
  if (again == NULL)
    {
      jg_fuzz_dump ("written", xml, strlen (xml));
      jg_fuzz_fail ("jg_task_body_to_string() wrote a TaskBody that does not parse: %s",
                    error->message);
    }

  if (!jg_fuzz_task_body_equal (body, again, FALSE, &why))
    {
      jg_fuzz_dump ("written", xml, strlen (xml));
      jg_fuzz_fail ("TaskBody round trip lost information: %s", why);
    }

  xml_again = jg_task_body_to_string (again);
  if (strcmp (xml, xml_again) != 0)
    {
      jg_fuzz_dump ("first write", xml, strlen (xml));
      jg_fuzz_dump ("second write", xml_again, strlen (xml_again));
      jg_fuzz_fail ("jg_task_body_to_string() is not stable across a round trip");
    }

  return 0;
}
