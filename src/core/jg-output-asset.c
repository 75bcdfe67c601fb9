/* jg-output-asset.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-output-asset"

#include "config.h"

#include "jg-model-private.h"
#include "jg-util-private.h"

/* A `JobOutputAsset(n)`: the asset a task writes. Several task ports may
 * point at the same object: that is a shared output (allowed from
 * x-ms-version 2.13), and any number of task inputs may read it.
 */

enum
{
  PROP_0,
  PROP_ASSET_NAME,
  PROP_STORAGE_ACCOUNT_NAME,
  PROP_CREATION_OPTIONS,
  PROP_FORMAT_OPTION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgOutputAsset, jg_output_asset, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
jg_output_asset_finalize (GObject *object)
{
  JgOutputAsset *self = (JgOutputAsset *)object;

  g_clear_pointer (&self->asset_name, g_free);
  g_clear_pointer (&self->storage_account_name, g_free);
  g_clear_pointer (&self->more_writers, g_ptr_array_unref);

  G_OBJECT_CLASS (jg_output_asset_parent_class)->finalize (object);
}

static void
jg_output_asset_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  JgOutputAsset *self = JG_OUTPUT_ASSET (object);

  switch (prop_id)
    {
    case PROP_ASSET_NAME:
      g_value_set_string (value, self->asset_name);
      break;

    case PROP_STORAGE_ACCOUNT_NAME:
      g_value_set_string (value, self->storage_account_name);
      break;

    case PROP_CREATION_OPTIONS:
      g_value_set_int (value, self->creation_options);
      break;

    case PROP_FORMAT_OPTION:
      g_value_set_int (value, self->format_option);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_output_asset_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  JgOutputAsset *self = JG_OUTPUT_ASSET (object);

  switch (prop_id)
    {
    case PROP_ASSET_NAME:
      jg_output_asset_set_asset_name (self, g_value_get_string (value));
      break;

    case PROP_STORAGE_ACCOUNT_NAME:
      jg_output_asset_set_storage_account_name (self, g_value_get_string (value));
      break;

    case PROP_CREATION_OPTIONS:
      jg_output_asset_set_creation_options (self, g_value_get_int (value));
      break;

    case PROP_FORMAT_OPTION:
      jg_output_asset_set_format_option (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_output_asset_class_init (JgOutputAssetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_output_asset_finalize;
  object_class->get_property = jg_output_asset_get_property;
  object_class->set_property = jg_output_asset_set_property;

  properties[PROP_ASSET_NAME] =
    g_param_spec_string ("asset-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STORAGE_ACCOUNT_NAME] =
    g_param_spec_string ("storage-account-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* -1 means "not written": the service then applies its own default
   * (StorageEncrypted for assetCreationOptions).
   */
  properties[PROP_CREATION_OPTIONS] =
    g_param_spec_int ("creation-options", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FORMAT_OPTION] =
    g_param_spec_int ("format-option", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_output_asset_init (JgOutputAsset *self)
{
  self->creation_options = -1;
  self->format_option = -1;
  self->index = -1;
}

JgOutputAsset *
jg_output_asset_new (void)
{
  return g_object_new (JG_TYPE_OUTPUT_ASSET, NULL);
}

/**
 * jg_output_asset_get_asset_name:
 *
 * Returns: (nullable): the `assetName` attribute, or %NULL for the service's
 *   default name (`JobOutputAsset(n)_<JobName>`).
 */
const char *
jg_output_asset_get_asset_name (JgOutputAsset *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_ASSET (self), NULL);

  return self->asset_name;
}

void
jg_output_asset_set_asset_name (JgOutputAsset *self,
                                const char    *asset_name)
{
  g_return_if_fail (JG_IS_OUTPUT_ASSET (self));

  if (_jg_set_str (&self->asset_name, asset_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSET_NAME]);
}

const char *
jg_output_asset_get_storage_account_name (JgOutputAsset *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_ASSET (self), NULL);

  return self->storage_account_name;
}

void
jg_output_asset_set_storage_account_name (JgOutputAsset *self,
                                          const char    *name)
{
  g_return_if_fail (JG_IS_OUTPUT_ASSET (self));

  if (_jg_set_str (&self->storage_account_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORAGE_ACCOUNT_NAME]);
}

int
jg_output_asset_get_creation_options (JgOutputAsset *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_ASSET (self), -1);

  return self->creation_options;
}

void
jg_output_asset_set_creation_options (JgOutputAsset *self,
                                      int            options)
{
  g_return_if_fail (JG_IS_OUTPUT_ASSET (self));

  options = MAX (options, -1);
  if (self->creation_options != options)
    {
      self->creation_options = options;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATION_OPTIONS]);
    }
}

int
jg_output_asset_get_format_option (JgOutputAsset *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_ASSET (self), -1);

  return self->format_option;
}

void
jg_output_asset_set_format_option (JgOutputAsset *self,
                                   int            option)
{
  g_return_if_fail (JG_IS_OUTPUT_ASSET (self));

  option = MAX (option, -1);
  if (self->format_option != option)
    {
      self->format_option = option;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORMAT_OPTION]);
    }
}

/**
 * jg_output_asset_get_index:
 *
 * Returns: n in `JobOutputAsset(n)` as of the graph's last analysis, or -1.
 */
int
jg_output_asset_get_index (JgOutputAsset *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_ASSET (self), -1);

  return self->index;
}

/**
 * jg_output_asset_get_n_writers:
 *
 * Returns: how many task outputs write this asset, as of the last analysis.
 */
guint
jg_output_asset_get_n_writers (JgOutputAsset *self)
{
  g_return_val_if_fail (JG_IS_OUTPUT_ASSET (self), 0);

  return self->n_writers;
}
