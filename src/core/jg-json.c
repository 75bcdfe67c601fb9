/* jg-json.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-json"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "jg-format-error.h"
#include "jg-json.h"

typedef enum
{
  PRECHECK_OK,
  PRECHECK_TOO_DEEP,
  PRECHECK_BAD_SURROGATE,
  PRECHECK_TRAILING,
  PRECHECK_NOT_CONTAINER,
} Precheck;

static int
hex_value (const char *p,
           const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

/* One pass over the text before json-glib sees it, refusing what would
 * hurt it: nesting deep enough to exhaust its recursive parser, surrogate
 * escapes it decodes into invalid UTF-8 (leaking memory on the way), and a
 * second top-level value, whose first root it leaks. Syntax errors are left
 * for json-glib to report.
 */
static Precheck
precheck (const char *data,
          gsize       length,
          int        *line,
          int        *column)
{
  const char *end = data + length;
  const char *line_start = data;
  gboolean    in_string = FALSE;
  gboolean    closed = FALSE;
  int         depth = 0;

  *line = 1;
  *column = 1;

  for (const char *p = data; p < end; p++)
    {
      char c = *p;

      *column = (int)(p - line_start) + 1;

      if (c == '\n')
        {
          (*line)++;
          line_start = p + 1;
          continue;
        }

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && p + 1 < end)
            {
              p++;
              if (*p == 'u')
                {
                  int unit = hex_value (p + 1, end);

                  if (unit >= 0xDC00 && unit <= 0xDFFF)
                    return PRECHECK_BAD_SURROGATE;

                  if (unit >= 0xD800 && unit <= 0xDBFF)
                    {
                      int low = -1;

                      if (end - p >= 11 && p[5] == '\\' && p[6] == 'u')
                        low = hex_value (p + 7, end);
                      if (low < 0xDC00 || low > 0xDFFF)
                        return PRECHECK_BAD_SURROGATE;
                      p += 6;
                    }

                  if (unit >= 0)
                    p += 4;
                }
            }
          continue;
        }

      if (g_ascii_isspace (c))
        continue;

      if (closed)
        return PRECHECK_TRAILING;

      /* Every JSON Jobgraph reads is an object or an array; json-glib also
       * leaks when a bare value is followed by more text.
       */
      if (depth == 0 && c != '{' && c != '[')
        return PRECHECK_NOT_CONTAINER;

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > JG_JSON_MAX_DEPTH)
            return PRECHECK_TOO_DEEP;
        }
      else if (c == ']' || c == '}')
        {
          if (--depth == 0)
            closed = TRUE;
        }
    }

  return PRECHECK_OK;
}

/* json-glib reports "<data>:LINE:COLUMN: Parse error: …". */
static void
set_parse_error (GError      **error,
                 const GError *json_error)
{
  const char *message = json_error->message;
  const char *p = message;
  int         line = 0;
  int         column = 0;

  if (g_str_has_prefix (p, "<data>:"))
    {
      char *end;

      p += strlen ("<data>:");
      line = (int)strtol (p, &end, 10);
      if (*end == ':')
        {
          column = (int)strtol (end + 1, &end, 10);
          if (*end == ':')
            {
              p = end + 1;
              while (*p == ' ')
                p++;
              message = p;
            }
        }
    }

  jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, line, column,
                       _("The JSON is not valid: %s"), message);
}

/**
 * jg_json_parse:
 *
 * Parses JSON with bounded size and nesting. Errors are #JG_FORMAT_ERROR
 * with the line and column of the problem.
 *
 * Returns: (transfer full): the root node
 */
JsonNode *
jg_json_parse (const char *data,
               gssize      length,
               GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  int       line, column;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);

  if (length > JG_JSON_MAX_INPUT_SIZE)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_TOO_LARGE, 0, 0,
                           _("The JSON is too large (%lld bytes; the limit is %d)"),
                           (long long)length, JG_JSON_MAX_INPUT_SIZE);
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, NULL))
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, 0, 0,
                           _("The JSON is not valid UTF-8 text"));
      return NULL;
    }

  switch (precheck (data, length, &line, &column))
    {
    case PRECHECK_OK:
      break;

    case PRECHECK_TOO_DEEP:
      jg_format_error_set (error, JG_FORMAT_ERROR_TOO_LARGE, line, column,
                           _("The JSON nests deeper than %d levels"), JG_JSON_MAX_DEPTH);
      return NULL;

    case PRECHECK_BAD_SURROGATE:
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, line, column,
                           _("The JSON is not valid: a \\u escape is half of a surrogate pair"));
      return NULL;

    case PRECHECK_TRAILING:
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, line, column,
                           _("The JSON is not valid: more text follows the end of the document"));
      return NULL;

    case PRECHECK_NOT_CONTAINER:
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, line, column,
                           _("The JSON is not valid here: expected an object ({…}) or an array ([…])"));
      return NULL;

    default:
      g_assert_not_reached ();
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      set_parse_error (error, local_error);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, 1, 1, _("The JSON is empty"));
      return NULL;
    }

  return json_node_ref (root);
}

/**
 * jg_json_to_string:
 *
 * Returns: (transfer full): @node as JSON text, compact or indented by two
 */
char *
jg_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, NULL);
}

/**
 * jg_json_object_get_string:
 *
 * Returns: (nullable): the member's string value; %NULL when it is absent,
 *   null, not a string, or not valid UTF-8
 */
const char *
jg_json_object_get_string (JsonObject *object,
                           const char *member)
{
  JsonNode   *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);

  /* json-glib decodes a lone surrogate escape ("\ud800") into bytes that
   * are not UTF-8; such a string is as good as absent.
   */
  if (!g_utf8_validate (value, -1, NULL))
    return NULL;

  return value;
}

/**
 * jg_json_object_get_int:
 *
 * Returns: %TRUE when the member is an integer (or a string holding one,
 *   as WCF clients sometimes send)
 */
gboolean
jg_json_object_get_int (JsonObject *object,
                        const char *member,
                        gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      char       *end = NULL;
      gint64      parsed;

      if (str[0] == '\0')
        return FALSE;

      parsed = g_ascii_strtoll (str, &end, 10);
      if (*end != '\0')
        return FALSE;

      *value = parsed;
      return TRUE;
    }

  return FALSE;
}

/**
 * jg_json_read_string:
 * @path: prefix naming the object in messages, e.g. `Tasks[2].` (or "")
 * @value: (out) (transfer none) (nullable): the string, %NULL when the
 *   member is absent or null
 *
 * Reads an optional string member, refusing any other type with an error
 * that names the member by its path.
 *
 * Returns: %FALSE with @error set when the member is not a string
 */
gboolean
jg_json_read_string (JsonObject  *object,
                     const char  *member,
                     const char  *path,
                     const char **value,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s%s must be a string"), path ? path : "", member);
      return FALSE;
    }

  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      /* A lone surrogate escape such as "\ud800" decodes to invalid UTF-8. */
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           _("%s%s is not valid text (it holds an unpaired \\u surrogate escape)"),
                              path ? path : "", member);
      return FALSE;
    }

  *value = json_node_get_string (node);

  return TRUE;
}
