/* jg-remote-processor.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include "jg-odata.h"
#include "jg-remote-processor.h"

G_DEFINE_BOXED_TYPE (JgRemoteProcessor, jg_remote_processor, jg_remote_processor_ref, jg_remote_processor_unref)

static void
jg_remote_processor_clear (gpointer data)
{
  JgRemoteProcessor *processor = data;

  g_free (processor->id);
  g_free (processor->name);
  g_free (processor->description);
  g_free (processor->sku);
  g_free (processor->vendor);
  g_free (processor->version);
}

/**
 * jg_remote_processor_new_from_json:
 * @object: a MediaProcessor entity
 *
 * Returns: (transfer full): the processor, or %NULL with @error set
 */
JgRemoteProcessor *
jg_remote_processor_new_from_json (JsonObject *object,
                                   GError    **error)
{
  g_autofree char   *id = NULL;
  JgRemoteProcessor *processor;

  g_return_val_if_fail (object != NULL, NULL);

  id = jg_odata_dup_id (object, "MediaProcessor", error);
  if (id == NULL)
    return NULL;

  processor = g_atomic_rc_box_new0 (JgRemoteProcessor);
  processor->id = g_steal_pointer (&id);
  processor->name = jg_odata_dup_string (object, "Name");
  processor->description = jg_odata_dup_string (object, "Description");
  processor->sku = jg_odata_dup_string (object, "Sku");
  processor->vendor = jg_odata_dup_string (object, "Vendor");
  processor->version = jg_odata_dup_string (object, "Version");

  return processor;
}

/**
 * jg_remote_processor_ref:
 *
 * Returns: (transfer full): @processor
 */
JgRemoteProcessor *
jg_remote_processor_ref (JgRemoteProcessor *processor)
{
  g_return_val_if_fail (processor != NULL, NULL);

  return g_atomic_rc_box_acquire (processor);
}

void
jg_remote_processor_unref (JgRemoteProcessor *processor)
{
  g_return_if_fail (processor != NULL);

  g_atomic_rc_box_release_full (processor, jg_remote_processor_clear);
}
