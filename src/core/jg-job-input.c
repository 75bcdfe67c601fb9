/* jg-job-input.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-job-input"

#include "config.h"

#include "jg-model-private.h"
#include "jg-util-private.h"

enum
{
  PROP_0,
  PROP_LABEL,
  PROP_ASSET_ID,
  PROP_X,
  PROP_Y,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (JgJobInput, jg_job_input, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
jg_job_input_finalize (GObject *object)
{
  JgJobInput *self = (JgJobInput *)object;

  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->asset_id, g_free);

  G_OBJECT_CLASS (jg_job_input_parent_class)->finalize (object);
}

static void
jg_job_input_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  JgJobInput *self = JG_JOB_INPUT (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_ASSET_ID:
      g_value_set_string (value, self->asset_id);
      break;

    case PROP_X:
      g_value_set_double (value, self->x);
      break;

    case PROP_Y:
      g_value_set_double (value, self->y);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_job_input_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  JgJobInput *self = JG_JOB_INPUT (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      jg_job_input_set_label (self, g_value_get_string (value));
      break;

    case PROP_ASSET_ID:
      jg_job_input_set_asset_id (self, g_value_get_string (value));
      break;

    case PROP_X:
      jg_job_input_set_position (self, g_value_get_double (value), self->y);
      break;

    case PROP_Y:
      jg_job_input_set_position (self, self->x, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jg_job_input_class_init (JgJobInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jg_job_input_finalize;
  object_class->get_property = jg_job_input_get_property;
  object_class->set_property = jg_job_input_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ASSET_ID] =
    g_param_spec_string ("asset-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_X] =
    g_param_spec_double ("x", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_Y] =
    g_param_spec_double ("y", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jg_job_input_init (JgJobInput *self)
{
  self->index = -1;
}

/**
 * jg_job_input_new:
 * @label: (nullable): what the producer calls this input ("Mezzanine")
 *
 * Returns: (transfer full): a job input, bound to no asset yet.
 */
JgJobInput *
jg_job_input_new (const char *label)
{
  return g_object_new (JG_TYPE_JOB_INPUT,
                       "label", label,
                       NULL);
}

const char *
jg_job_input_get_label (JgJobInput *self)
{
  g_return_val_if_fail (JG_IS_JOB_INPUT (self), NULL);

  return self->label;
}

void
jg_job_input_set_label (JgJobInput *self,
                        const char *label)
{
  g_return_if_fail (JG_IS_JOB_INPUT (self));

  if (_jg_set_str (&self->label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

/**
 * jg_job_input_get_asset_id:
 *
 * Returns: (nullable): the `nb:cid:UUID:…` id of the asset this input is
 *   bound to, if any.
 */
const char *
jg_job_input_get_asset_id (JgJobInput *self)
{
  g_return_val_if_fail (JG_IS_JOB_INPUT (self), NULL);

  return self->asset_id;
}

void
jg_job_input_set_asset_id (JgJobInput *self,
                           const char *asset_id)
{
  g_return_if_fail (JG_IS_JOB_INPUT (self));

  if (asset_id != NULL && asset_id[0] == '\0')
    asset_id = NULL;

  if (_jg_set_str (&self->asset_id, asset_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSET_ID]);
}

double
jg_job_input_get_x (JgJobInput *self)
{
  g_return_val_if_fail (JG_IS_JOB_INPUT (self), 0);

  return self->x;
}

double
jg_job_input_get_y (JgJobInput *self)
{
  g_return_val_if_fail (JG_IS_JOB_INPUT (self), 0);

  return self->y;
}

void
jg_job_input_set_position (JgJobInput *self,
                           double      x,
                           double      y)
{
  g_return_if_fail (JG_IS_JOB_INPUT (self));

  if (self->x != x)
    {
      self->x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X]);
    }

  if (self->y != y)
    {
      self->y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y]);
    }
}

/**
 * jg_job_input_get_index:
 *
 * Returns: n in `JobInputAsset(n)` as of the graph's last analysis, or -1
 *   when the input is not part of an analysed graph.
 */
int
jg_job_input_get_index (JgJobInput *self)
{
  g_return_val_if_fail (JG_IS_JOB_INPUT (self), -1);

  return self->index;
}
