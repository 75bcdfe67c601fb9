/* jg-catalog.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-types.h"

G_BEGIN_DECLS

/**
 * JgConfigKind:
 * @JG_CONFIG_KIND_NAMED: takes preset names (and XML or JSON presets)
 * @JG_CONFIG_KIND_XML: takes only an XML configuration document
 * @JG_CONFIG_KIND_JSON: takes only a JSON configuration
 * @JG_CONFIG_KIND_ANY: takes a document, or nothing at all
 *
 * What a processor's Configuration holds.
 */
typedef enum
{
  JG_CONFIG_KIND_NAMED,
  JG_CONFIG_KIND_XML,
  JG_CONFIG_KIND_JSON,
  JG_CONFIG_KIND_ANY,
} JgConfigKind;

/**
 * JgProcessorInfo:
 * @id: `nb:mpid:UUID:…`
 * @name: the processor's `Name`
 * @vendor: `Vendor`
 * @version: `Version`
 * @description: a sentence for the palette
 * @deprecated: retired by the service
 * @replacement: (nullable): what to use instead, when @deprecated
 * @needs_preset: an empty Configuration is probably a mistake
 * @config_kind: what Configuration holds
 * @presets: (nullable) (array zero-terminated=1): the preset names it takes
 *
 * One known media processor (ams-rest-v2.md §6).
 */
typedef struct
{
  const char         *id;
  const char         *name;
  const char         *vendor;
  const char         *version;
  const char         *description;
  gboolean            deprecated;
  const char         *replacement;
  gboolean            needs_preset;
  JgConfigKind        config_kind;
  const char * const *presets;
} JgProcessorInfo;

const JgProcessorInfo *jg_catalog_get_processors     (guint           *n_processors);
const JgProcessorInfo *jg_catalog_lookup             (const char      *processor_id);
const JgProcessorInfo *jg_catalog_lookup_by_name     (const char      *name);
gboolean               jg_catalog_has_preset         (const JgProcessorInfo *info,
                                                      const char      *preset);
const char            *jg_catalog_suggest_preset     (const JgProcessorInfo *info,
                                                      const char      *preset);

G_END_DECLS
