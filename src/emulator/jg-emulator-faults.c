/* jg-emulator-faults.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-faults"

#include "config.h"

#include <string.h>

#include "jg-emulator-faults.h"

/* Fault injection for tests (`--faults SPEC`).
 *
 *   SPEC := ITEM ("," ITEM)*
 *   ITEM := KIND [":" PARAM] ("@" PROBABILITY | "#" COUNT)
 *   KIND := busy | reset-before | reset-after | slow | expire-token | malformed
 *
 * `@0.2` makes the item fire on each request with probability 0.2; `#3`
 * makes it fire on the next 3 requests it applies to. `slow` takes the
 * delay in milliseconds as PARAM (default 2000). For each request the items
 * are tried in the order written and the first that fires is the request's
 * fault, so `busy#3,reset-after@0.1` answers three 503s first. Items that
 * do not apply to a request (only `busy` applies to the token endpoints;
 * `expire-token` needs a bearer token) are skipped without being counted.
 * Probabilities draw from a GRand seeded with JOBGRAPH_FAULT_SEED, so a
 * test run is reproducible.
 */

typedef struct
{
  JgFaultKind kind;
  guint       param;
  double      probability; /* < 0 when counted */
  guint       count;
} Item;

struct _JgEmulatorFaults
{
  GArray *items;
  GRand  *rand;
};

static const struct
{
  const char *name;
  JgFaultKind kind;
} kinds[] = {
  { "busy", JG_FAULT_BUSY },
  { "reset-before", JG_FAULT_RESET_BEFORE },
  { "reset-after", JG_FAULT_RESET_AFTER },
  { "slow", JG_FAULT_SLOW },
  { "expire-token", JG_FAULT_EXPIRE_TOKEN },
  { "malformed", JG_FAULT_MALFORMED },
};

const char *
jg_fault_kind_to_string (JgFaultKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;

  return "none";
}

static gboolean
parse_item (const char *text,
            Item       *item,
            GError    **error)
{
  g_autofree char *name = NULL;
  const char      *trigger;
  const char      *colon;
  const char      *end_of_name;
  char            *end;
  guint            i;

  trigger = strpbrk (text, "@#");
  if (trigger == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Fault “%s” needs @PROBABILITY or #COUNT, e.g. busy@0.2 or busy#3", text);
      return FALSE;
    }

  colon = memchr (text, ':', trigger - text);
  end_of_name = colon ? colon : trigger;
  name = g_strndup (text, end_of_name - text);

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      break;

  if (i == G_N_ELEMENTS (kinds))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unknown fault “%s”; known: busy, reset-before, reset-after, slow, expire-token, malformed",
                   name);
      return FALSE;
    }

  item->kind = kinds[i].kind;
  item->param = item->kind == JG_FAULT_SLOW ? 2000 : 0;

  if (colon != NULL)
    {
      guint64 value = g_ascii_strtoull (colon + 1, &end, 10);

      if (item->kind != JG_FAULT_SLOW || end == colon + 1 || end != trigger || value > 600000)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Fault “%s”: only slow takes a parameter, a delay of 0 to 600000 ms", text);
          return FALSE;
        }

      item->param = value;
    }

  if (*trigger == '@')
    {
      double value = g_ascii_strtod (trigger + 1, &end);

      if (end == trigger + 1 || *end != '\0' || !(value >= 0.0 && value <= 1.0))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Fault “%s”: the probability must be a number from 0 to 1", text);
          return FALSE;
        }

      item->probability = value;
    }
  else
    {
      guint64 value = g_ascii_strtoull (trigger + 1, &end, 10);

      if (end == trigger + 1 || *end != '\0' || value > G_MAXUINT)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Fault “%s”: the count must be a whole number", text);
          return FALSE;
        }

      item->probability = -1.0;
      item->count = value;
    }

  return TRUE;
}

/**
 * jg_emulator_faults_new:
 * @spec: (nullable): the fault spec; %NULL or "" for none
 * @seed: the seed of the random draws
 *
 * Returns: (transfer full) (nullable): the faults, or %NULL with @error
 *   set (in the #G_OPTION_ERROR domain) when @spec does not parse
 */
JgEmulatorFaults *
jg_emulator_faults_new (const char *spec,
                        guint32     seed,
                        GError    **error)
{
  g_autoptr(JgEmulatorFaults) self = g_new0 (JgEmulatorFaults, 1);
  g_auto(GStrv) items = NULL;

  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  self->rand = g_rand_new_with_seed (seed);

  if (spec == NULL)
    return g_steal_pointer (&self);

  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      Item item = { 0 };

      g_strstrip (items[i]);
      if (items[i][0] == '\0')
        continue;

      if (!parse_item (items[i], &item, error))
        return NULL;

      g_array_append_val (self->items, item);
    }

  return g_steal_pointer (&self);
}

void
jg_emulator_faults_free (JgEmulatorFaults *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->items);
  g_rand_free (self->rand);
  g_free (self);
}

static gboolean
applies (JgFaultKind  kind,
         JgFaultScope scope)
{
  switch (scope)
    {
    case JG_FAULT_SCOPE_TOKEN_ENDPOINT:
      return kind == JG_FAULT_BUSY;

    case JG_FAULT_SCOPE_API:
      return kind != JG_FAULT_EXPIRE_TOKEN;

    case JG_FAULT_SCOPE_API_WITH_TOKEN:
    default:
      return TRUE;
    }
}

/**
 * jg_emulator_faults_roll:
 * @self: (nullable): the faults
 * @param: (out): the fault's parameter (the delay of `slow`)
 *
 * Returns: the fault of the next request in @scope
 */
JgFaultKind
jg_emulator_faults_roll (JgEmulatorFaults *self,
                         JgFaultScope      scope,
                         guint            *param)
{
  *param = 0;

  if (self == NULL)
    return JG_FAULT_NONE;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item    *item = &g_array_index (self->items, Item, i);
      gboolean fires;

      if (!applies (item->kind, scope))
        continue;

      if (item->probability < 0)
        {
          fires = item->count > 0;
          if (fires)
            item->count--;
        }
      else
        fires = g_rand_double (self->rand) < item->probability;

      if (fires)
        {
          *param = item->param;
          return item->kind;
        }
    }

  return JG_FAULT_NONE;
}
