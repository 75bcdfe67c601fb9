/* jg-remote-processor.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JG_TYPE_REMOTE_PROCESSOR (jg_remote_processor_get_type ())

/**
 * JgRemoteProcessor:
 * @id: `nb:mpid:UUID:…`
 * @name: (nullable): `Name`
 * @description: (nullable): `Description`
 * @sku: (nullable): `Sku`
 * @vendor: (nullable): `Vendor`
 * @version: (nullable): `Version`, e.g. `1.1`
 *
 * A MediaProcessor (ams-rest-v2.md §3.5). Reference counted; read-only.
 */
typedef struct
{
  char *id;
  char *name;
  char *description;
  char *sku;
  char *vendor;
  char *version;
} JgRemoteProcessor;

GType              jg_remote_processor_get_type      (void) G_GNUC_CONST;
JgRemoteProcessor *jg_remote_processor_new_from_json (JsonObject         *object,
                                                      GError            **error);
JgRemoteProcessor *jg_remote_processor_ref           (JgRemoteProcessor  *processor);
void               jg_remote_processor_unref         (JgRemoteProcessor  *processor);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgRemoteProcessor, jg_remote_processor_unref)

G_END_DECLS
