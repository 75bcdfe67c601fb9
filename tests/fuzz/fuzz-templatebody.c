/* fuzz-templatebody.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* JobTemplateBody parser and writer: whatever parses must survive
 * jg_job_template_body_to_string() and a second parse with every task
 * body, taskTemplateId, input, output and attribute intact.
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
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;

  if (size > G_MAXSSIZE)
    return 0;

  bodies = jg_job_template_body_parse ((const char *)data, (gssize)size, NULL);
  if (bodies == NULL)
    return 0;

  xml = jg_job_template_body_to_string (bodies);
  again = jg_job_template_body_parse (xml, -1, &error);
  if (again == NULL)
    {
      jg_fuzz_dump ("written", xml, strlen (xml));
      jg_fuzz_fail ("jg_job_template_body_to_string() wrote a JobTemplateBody that does not parse: %s",
                    error->message);
    }

  if (bodies->len != again->len)
    {
      jg_fuzz_dump ("written", xml, strlen (xml));
      jg_fuzz_fail ("JobTemplateBody round trip: %u task bodies became %u",
                    bodies->len, again->len);
    }

  for (guint i = 0; i < bodies->len; i++)
    {
      g_autofree char *why = NULL;

      if (!jg_fuzz_task_body_equal (g_ptr_array_index (bodies, i),
                                    g_ptr_array_index (again, i), TRUE, &why))
        {
          jg_fuzz_dump ("written", xml, strlen (xml));
          jg_fuzz_fail ("JobTemplateBody round trip lost information in task body %u: %s",
                        i, why);
        }
    }

  xml_again = jg_job_template_body_to_string (again);
  if (strcmp (xml, xml_again) != 0)
    {
      jg_fuzz_dump ("first write", xml, strlen (xml));
      jg_fuzz_dump ("second write", xml_again, strlen (xml_again));
      jg_fuzz_fail ("jg_job_template_body_to_string() is not stable across a round trip");
    }

  return 0;
}
