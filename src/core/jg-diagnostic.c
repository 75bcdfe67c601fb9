/* jg-diagnostic.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-diagnostic"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "jg-diagnostic.h"
#include "jg-task.h"

/* One finding of the rule engine: what is wrong (a stable code and a
 * sentence) and exactly where. Diagnostics are built by the validator and
 * by the importers and are not changed once published.
 */

struct _JgDiagnostic
{
  GObject         parent_instance;

  JgSeverity      severity;
  const char     *code; /* interned */
  char           *message;

  JgTask         *task;
  char           *task_name;
  int             task_index;
  JgPortDirection port;
  int             port_index;
  int             input_index;
  int             output_index;
  GObject        *subject;
  char           *field;
  int             line;
  int             column;
};

G_DEFINE_FINAL_TYPE (JgDiagnostic, jg_diagnostic, G_TYPE_OBJECT)

static void
jg_diagnostic_dispose (GObject *object)
{
  JgDiagnostic *self = (JgDiagnostic *)object;

  g_clear_object (&self->task);
  g_clear_object (&self->subject);

  G_OBJECT_CLASS (jg_diagnostic_parent_class)->dispose (object);
}

static void
jg_diagnostic_finalize (GObject *object)
{
  JgDiagnostic *self = (JgDiagnostic *)object;

  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->task_name, g_free);
  g_clear_pointer (&self->field, g_free);

  G_OBJECT_CLASS (jg_diagnostic_parent_class)->finalize (object);
}

static void
jg_diagnostic_class_init (JgDiagnosticClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = jg_diagnostic_dispose;
  object_class->finalize = jg_diagnostic_finalize;
}

static void
jg_diagnostic_init (JgDiagnostic *self)
{
  self->task_index = -1;
  self->port_index = -1;
  self->input_index = -1;
  self->output_index = -1;
}

/**
 * jg_diagnostic_new:
 * @code: one of the stable rule codes of DESIGN.md (`cycle`, …)
 * @message: a sentence a producer understands
 *
 * Returns: (transfer full): a diagnostic without a location
 */
JgDiagnostic *
jg_diagnostic_new (JgSeverity  severity,
                   const char *code,
                   const char *message)
{
  JgDiagnostic *self;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (JG_TYPE_DIAGNOSTIC, NULL);
  self->severity = severity;
  self->code = g_intern_string (code);
  self->message = g_strdup (message);

  return self;
}

JgSeverity
jg_diagnostic_get_severity (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), JG_SEVERITY_ERROR);

  return self->severity;
}

const char *
jg_diagnostic_get_code (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), NULL);

  return self->code;
}

const char *
jg_diagnostic_get_message (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), NULL);

  return self->message;
}

/**
 * jg_diagnostic_get_task:
 *
 * Returns: (transfer none) (nullable): the task at fault
 */
JgTask *
jg_diagnostic_get_task (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), NULL);

  return self->task;
}

/**
 * jg_diagnostic_get_task_index:
 *
 * Returns: the 0-based index of the task in the exported `Tasks` array, or -1
 */
int
jg_diagnostic_get_task_index (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), -1);

  return self->task_index;
}

const char *
jg_diagnostic_get_task_name (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), NULL);

  return self->task_name;
}

/**
 * jg_diagnostic_set_task:
 * @task: (nullable): the task, when the diagnostic is about a graph
 * @task_index: its index in the job's `Tasks`
 * @task_name: (nullable): its name
 */
void
jg_diagnostic_set_task (JgDiagnostic *self,
                        JgTask       *task,
                        int           task_index,
                        const char   *task_name)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));

  g_set_object (&self->task, task);
  self->task_index = task_index;
  g_free (self->task_name);
  self->task_name = task_name && task_name[0] ? g_strdup (task_name) : NULL;
}

/**
 * jg_diagnostic_get_port:
 * @index: (out) (optional): the port's index among the task's inputs or
 *   outputs
 */
JgPortDirection
jg_diagnostic_get_port (JgDiagnostic *self,
                        int          *index)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), JG_PORT_DIRECTION_NONE);

  if (index)
    *index = self->port_index;

  return self->port;
}

void
jg_diagnostic_set_port (JgDiagnostic   *self,
                        JgPortDirection direction,
                        int             index)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));

  self->port = direction;
  self->port_index = index;
}

/**
 * jg_diagnostic_get_input_index:
 *
 * Returns: n of the `JobInputAsset(n)` concerned, or -1
 */
int
jg_diagnostic_get_input_index (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), -1);

  return self->input_index;
}

void
jg_diagnostic_set_input_index (JgDiagnostic *self,
                               int           index)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));

  self->input_index = index;
}

/**
 * jg_diagnostic_get_output_index:
 *
 * Returns: n of the `JobOutputAsset(n)` concerned, or -1
 */
int
jg_diagnostic_get_output_index (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), -1);

  return self->output_index;
}

void
jg_diagnostic_set_output_index (JgDiagnostic *self,
                                int           index)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));

  self->output_index = index;
}

/**
 * jg_diagnostic_get_subject:
 *
 * Returns: (transfer none) (nullable): the #JgJobInput or #JgOutputAsset
 *   concerned, for the editor to highlight
 */
GObject *
jg_diagnostic_get_subject (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), NULL);

  return self->subject;
}

void
jg_diagnostic_set_subject (JgDiagnostic *self,
                           GObject      *subject)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));

  g_set_object (&self->subject, subject);
}

/**
 * jg_diagnostic_get_field:
 *
 * Returns: (nullable): the REST property at fault (`Configuration`, …)
 */
const char *
jg_diagnostic_get_field (JgDiagnostic *self)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), NULL);

  return self->field;
}

void
jg_diagnostic_set_field (JgDiagnostic *self,
                         const char   *field)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));

  g_free (self->field);
  self->field = g_strdup (field);
}

/**
 * jg_diagnostic_get_position:
 *
 * Returns: %TRUE when the diagnostic has a line (parse errors)
 */
gboolean
jg_diagnostic_get_position (JgDiagnostic *self,
                            int          *line,
                            int          *column)
{
  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), FALSE);

  if (line)
    *line = self->line;
  if (column)
    *column = self->column;

  return self->line > 0;
}

void
jg_diagnostic_set_position (JgDiagnostic *self,
                            int           line,
                            int           column)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));

  self->line = MAX (line, 0);
  self->column = MAX (column, 0);
}

/**
 * jg_diagnostic_format_location:
 *
 * Returns: (transfer full) (nullable): where, as the REST body spells it:
 *   `Tasks[1] “Encode”, inputAsset[0], JobInputAsset(3), line 1, column 20`
 */
char *
jg_diagnostic_format_location (JgDiagnostic *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (JG_IS_DIAGNOSTIC (self), NULL);

  if (self->task_index >= 0 && self->task_name != NULL)
    g_ptr_array_add (parts, g_strdup_printf ("Tasks[%d] “%s”", self->task_index, self->task_name));
  else if (self->task_index >= 0)
    g_ptr_array_add (parts, g_strdup_printf ("Tasks[%d]", self->task_index));

  if (self->port == JG_PORT_DIRECTION_INPUT)
    g_ptr_array_add (parts, g_strdup_printf ("inputAsset[%d]", self->port_index));
  else if (self->port == JG_PORT_DIRECTION_OUTPUT)
    g_ptr_array_add (parts, g_strdup_printf ("outputAsset[%d]", self->port_index));

  if (self->input_index >= 0)
    g_ptr_array_add (parts, g_strdup_printf ("JobInputAsset(%d)", self->input_index));
  if (self->output_index >= 0)
    g_ptr_array_add (parts, g_strdup_printf ("JobOutputAsset(%d)", self->output_index));

  if (self->field != NULL)
    g_ptr_array_add (parts, g_strdup (self->field));

  if (self->line > 0 && self->column > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("line %d, column %d"), self->line, self->column));
  else if (self->line > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("line %d"), self->line));

  if (parts->len == 0)
    return NULL;

  g_ptr_array_add (parts, NULL);

  return g_strjoinv (", ", (char **)parts->pdata);
}

const char *
jg_severity_to_string (JgSeverity severity)
{
  return severity == JG_SEVERITY_ERROR ? "error" : "warning";
}

/**
 * jg_diagnostic_add_json:
 * @builder: a builder positioned where a value may be added
 *
 * Adds `{"severity", "code", "message", "location": {…}}` to @builder.
 */
void
jg_diagnostic_add_json (JgDiagnostic *self,
                        JsonBuilder  *builder)
{
  g_return_if_fail (JG_IS_DIAGNOSTIC (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, jg_severity_to_string (self->severity));
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, self->code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, self->message);

  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  if (self->task_index >= 0)
    {
      json_builder_set_member_name (builder, "task");
      json_builder_add_int_value (builder, self->task_index);
      if (self->task_name != NULL)
        {
          json_builder_set_member_name (builder, "taskName");
          json_builder_add_string_value (builder, self->task_name);
        }
    }
  if (self->port != JG_PORT_DIRECTION_NONE)
    {
      json_builder_set_member_name (builder, "port");
      json_builder_add_string_value (builder, self->port == JG_PORT_DIRECTION_INPUT ? "input" : "output");
      json_builder_set_member_name (builder, "portIndex");
      json_builder_add_int_value (builder, self->port_index);
    }
  if (self->input_index >= 0)
    {
      json_builder_set_member_name (builder, "inputAsset");
      json_builder_add_int_value (builder, self->input_index);
    }
  if (self->output_index >= 0)
    {
      json_builder_set_member_name (builder, "outputAsset");
      json_builder_add_int_value (builder, self->output_index);
    }
  if (self->field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, self->field);
    }
  if (self->line > 0)
    {
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, self->line);
      json_builder_set_member_name (builder, "column");
      json_builder_add_int_value (builder, self->column);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}
