/* jg-emulator-odata.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-emulator-private.h"

G_BEGIN_DECLS

/**
 * JgPropertyType:
 * @JG_PROPERTY_STRING: Edm.String
 * @JG_PROPERTY_INT: Edm.Int32
 * @JG_PROPERTY_DOUBLE: Edm.Double
 * @JG_PROPERTY_DATE: Edm.DateTime, stored as milliseconds since the epoch
 * @JG_PROPERTY_COLLECTION: a collection of complex values, stored as a
 *   JSON array (TimeStamp members in milliseconds)
 * @JG_PROPERTY_INT64: Edm.Int64, a string in verbose JSON
 * @JG_PROPERTY_BOOL: Edm.Boolean, stored as 0 or 1
 */
typedef enum
{
  JG_PROPERTY_STRING,
  JG_PROPERTY_INT,
  JG_PROPERTY_DOUBLE,
  JG_PROPERTY_DATE,
  JG_PROPERTY_COLLECTION,
  JG_PROPERTY_INT64,
  JG_PROPERTY_BOOL,
} JgPropertyType;

/**
 * JgEntityProperty:
 * @name: the wire name
 * @column: (nullable): the SQL column of the entity table (alias `e`);
 *   %NULL for a property the emulator always leaves null or empty
 * @type: the property's type
 * @element_type: (nullable): the complex type of a collection's items
 */
typedef struct
{
  const char     *name;
  const char     *column;
  JgPropertyType  type;
  const char     *element_type;
} JgEntityProperty;

/**
 * JgEntitySet:
 * @name: the set, e.g. `Jobs`
 * @type: the entity type, e.g. `Job`
 * @table: the SQL table
 * @properties: the properties, in wire order
 * @n_properties: how many
 * @navigation: (array zero-terminated=1): the navigation properties
 */
typedef struct
{
  const char             *name;
  const char             *type;
  const char             *table;
  const JgEntityProperty *properties;
  guint                   n_properties;
  const char * const     *navigation;
} JgEntitySet;

extern const JgEntitySet jg_entity_set_assets;
extern const JgEntitySet jg_entity_set_jobs;
extern const JgEntitySet jg_entity_set_tasks;
extern const JgEntitySet jg_entity_set_job_templates;
extern const JgEntitySet jg_entity_set_task_templates;
extern const JgEntitySet jg_entity_set_media_processors;
extern const JgEntitySet jg_entity_set_files;
extern const JgEntitySet jg_entity_set_access_policies;
extern const JgEntitySet jg_entity_set_locators;

/**
 * JgListScope:
 * @join: (nullable): SQL after `FROM <table> AS e`
 * @where: (nullable): an SQL condition with at most one `?`
 * @param: (nullable): the value of that `?`
 * @order: (nullable): the default order (before the creation order)
 *
 * Which entities of a set a collection request sees, e.g. the Tasks of
 * one Job.
 */
typedef struct
{
  const char *join;
  const char *where;
  const char *param;
  const char *order;
} JgListScope;

const JgEntitySet *jg_entity_set_lookup          (const char               *name);
gboolean           jg_entity_set_has_navigation  (const JgEntitySet        *set,
                                                  const char               *name);
gboolean           jg_emulator_check_query       (JgEmulatorRequest        *request,
                                                  GError                  **error);
JsonNode          *jg_emulator_list              (JgEmulatorStore          *store,
                                                  JgEmulatorRequest        *request,
                                                  const JgEntitySet        *set,
                                                  const JgListScope        *scope,
                                                  GError                  **error);
JsonNode          *jg_emulator_get_entity        (JgEmulatorStore          *store,
                                                  JgEmulatorRequest        *request,
                                                  const JgEntitySet        *set,
                                                  const char               *id,
                                                  gboolean                  with_select,
                                                  GError                  **error);
gboolean           jg_emulator_entity_exists     (JgEmulatorStore          *store,
                                                  const JgEntitySet        *set,
                                                  const char               *id,
                                                  char                    **canonical_id,
                                                  GError                  **error);
JsonNode          *jg_emulator_new_value         (JgEmulatorRequest        *request,
                                                  const char               *property,
                                                  const char               *edm_type,
                                                  JsonNode                 *value);
char              *jg_emulator_dup_json          (JsonNode                 *node,
                                                  gboolean                  verbose);

G_END_DECLS
