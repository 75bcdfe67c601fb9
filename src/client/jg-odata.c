/* jg-odata.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-client"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "jg-core.h"
#include "jg-odata.h"

/* Pure helpers for the OData v3 wire format of the Media Services v2 API
 * (ams-rest-v2.md §3, §5.5, §9): dates, result envelopes, error bodies,
 * key and query syntax. Nothing here does I/O, so all of it is tested
 * without a server.
 */

#define METADATA_NS "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"

/* `/Date(1587097903363)/`, optionally with a `+0000` offset that does not
 * change the instant (the milliseconds are UTC).
 */
static GDateTime *
parse_ms_date (const char *text)
{
  const char *p = text + strlen ("/Date(");
  char       *end = NULL;
  gint64      ms;

  ms = g_ascii_strtoll (p, &end, 10);
  if (end == p)
    return NULL;

  if (*end == '+' || *end == '-')
    {
      end++;
      while (g_ascii_isdigit (*end))
        end++;
    }

  if (strcmp (end, ")/") != 0)
    return NULL;

  /* Floor division, so that dates before 1970 keep their milliseconds. */
  {
    gint64 seconds = ms / 1000;
    gint64 rest = ms % 1000;
    g_autoptr(GDateTime) epoch = NULL;

    if (rest < 0)
      {
        rest += 1000;
        seconds -= 1;
      }

    epoch = g_date_time_new_from_unix_utc (seconds);
    if (epoch == NULL)
      return NULL;

    return g_date_time_add (epoch, rest * G_TIME_SPAN_MILLISECOND);
  }
}

/**
 * jg_odata_parse_date:
 * @text: (nullable): a date as the service writes it
 *
 * Reads the three forms seen on the wire: ISO 8601 without a zone
 * (`2015-02-11T01:46:08.897`, which is UTC), ISO 8601 with `Z` and up to
 * seven fractional digits (`2015-01-19T08:04:34.3287057Z`), and verbose
 * JSON's `/Date(1587097903363)/`.
 *
 * Returns: (transfer full) (nullable): the date in UTC, or %NULL when
 *   @text is %NULL, empty or none of the forms
 */
GDateTime *
jg_odata_parse_date (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL || text[0] == '\0')
    return NULL;

  if (g_str_has_prefix (text, "/Date("))
    return parse_ms_date (text);

  if (!g_ascii_isdigit (text[0]))
    return NULL;

  utc = g_time_zone_new_utc ();
  parsed = g_date_time_new_from_iso8601 (text, utc);
  if (parsed == NULL)
    return NULL;

  return g_date_time_to_utc (parsed);
}

/**
 * jg_odata_get_entity:
 * @root: a response body
 *
 * Unwraps a single entity: verbose `{"d": {…}}` or a plain (light) object.
 *
 * Returns: (transfer none): the entity's members
 */
JsonObject *
jg_odata_get_entity (JsonNode *root,
                     GError  **error)
{
  JsonObject *object;
  JsonNode   *d;
  JsonNode   *value;

  g_return_val_if_fail (root != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                           _("The service answered with something that is not an entity"));
      return NULL;
    }

  object = json_node_get_object (root);
  d = json_object_get_member (object, "d");
  value = json_object_get_member (object, "value");

  if (d != NULL && JSON_NODE_HOLDS_OBJECT (d))
    {
      JsonNode *results = json_object_get_member (json_node_get_object (d), "results");

      if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
        return json_node_get_object (d);
    }
  else if (d == NULL && (value == NULL || !JSON_NODE_HOLDS_ARRAY (value)))
    {
      return object;
    }

  g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                       _("The service answered with a collection where one entity was expected"));
  return NULL;
}

/**
 * jg_odata_get_results:
 * @root: a response body
 *
 * Unwraps a collection: verbose `{"d": {"results": […]}}`, OData v2
 * verbose `{"d": […]}`, light `{"value": […]}`, or a bare array.
 *
 * Returns: (transfer none): the entities
 */
JsonArray *
jg_odata_get_results (JsonNode *root,
                      GError  **error)
{
  JsonObject *object;
  JsonNode   *node;

  g_return_val_if_fail (root != NULL, NULL);

  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    goto invalid;

  object = json_node_get_object (root);

  node = json_object_get_member (object, "d");
  if (node != NULL)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        return json_node_get_array (node);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonNode *results = json_object_get_member (json_node_get_object (node), "results");

          if (results != NULL && JSON_NODE_HOLDS_ARRAY (results))
            return json_node_get_array (results);
        }

      goto invalid;
    }

  node = json_object_get_member (object, "value");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);

invalid:
  g_set_error_literal (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                       _("The service answered with something that is not a collection"));
  return NULL;
}

static char *
dup_json_error_message (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *value = jg_json_object_get_string (json_node_get_object (node), "value");

      return g_strdup (value);
    }

  return NULL;
}

static gboolean
parse_json_error (const char *data,
                  gsize       length,
                  char      **code,
                  char      **message)
{
  g_autoptr(JsonNode) root = jg_json_parse (data, length, NULL);
  JsonObject *object;
  JsonNode   *error;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);

  error = json_object_get_member (object, "odata.error");
  if (error == NULL)
    error = json_object_get_member (object, "error");

  if (error == NULL)
    return FALSE;

  /* OAuth token endpoints: {"error": "invalid_client", "error_description": "…"} */
  if (JSON_NODE_HOLDS_VALUE (error) && json_node_get_value_type (error) == G_TYPE_STRING)
    {
      const char *description = jg_json_object_get_string (object, "error_description");

      *code = g_strdup (json_node_get_string (error));
      *message = g_strdup (description);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (error))
    return FALSE;

  *code = g_strdup (jg_json_object_get_string (json_node_get_object (error), "code"));
  *message = dup_json_error_message (json_object_get_member (json_node_get_object (error), "message"));

  return TRUE;
}

static gboolean
parse_xml_error (const char *data,
                 gsize       length,
                 char      **code,
                 char      **message)
{
  g_autoptr(xmlDoc) doc = jg_xml_parse (data, length, NULL);
  xmlNode *root;

  if (doc == NULL)
    return FALSE;

  root = xmlDocGetRootElement (doc);
  if (root == NULL || root->ns == NULL ||
      g_strcmp0 ((const char *)root->name, "error") != 0 ||
      g_strcmp0 ((const char *)root->ns->href, METADATA_NS) != 0)
    return FALSE;

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE || child->ns == NULL ||
          g_strcmp0 ((const char *)child->ns->href, METADATA_NS) != 0)
        continue;

      if (g_strcmp0 ((const char *)child->name, "code") == 0 && *code == NULL)
        *code = jg_xml_dup_text (child);
      else if (g_strcmp0 ((const char *)child->name, "message") == 0 && *message == NULL)
        *message = jg_xml_dup_text (child);
    }

  return TRUE;
}

/**
 * jg_odata_parse_error:
 * @data: (array length=length): an error response body
 * @code: (out) (transfer full) (nullable): the error code, %NULL or empty
 *   when the service gave none
 * @message: (out) (transfer full) (nullable): the service's sentence
 *
 * Reads an OData error body in any of its forms: verbose JSON
 * `{"error": {"code", "message": {"lang", "value"}}}`, light JSON
 * `{"odata.error": …}`, XML `<error xmlns="…/metadata">`, and the OAuth
 * `{"error", "error_description"}` of token endpoints.
 *
 * Returns: %TRUE when @data is an error body
 */
gboolean
jg_odata_parse_error (const char *data,
                      gsize       length,
                      char      **code,
                      char      **message)
{
  gsize    i = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (code != NULL && message != NULL, FALSE);

  *code = NULL;
  *message = NULL;

  if (data == NULL)
    return FALSE;

  /* A UTF-8 byte order mark, then white space. */
  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i += 3;

  while (i < length && g_ascii_isspace (data[i]))
    i++;

  if (i < length && data[i] == '{')
    found = parse_json_error (data + i, length - i, code, message);
  else if (i < length && data[i] == '<')
    found = parse_xml_error (data + i, length - i, code, message);

  if (found && *message != NULL)
    g_strstrip (*message);

  if (!found)
    {
      g_clear_pointer (code, g_free);
      g_clear_pointer (message, g_free);
    }

  return found;
}

/**
 * jg_odata_quote:
 *
 * Returns: (transfer full): @value as an OData string literal, in single
 *   quotes with inner quotes doubled (`'O''Brien'`)
 */
char *
jg_odata_quote (const char *value)
{
  GString *str = g_string_new ("'");

  for (const char *p = value ? value : ""; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (str, '\'');
      g_string_append_c (str, *p);
    }

  g_string_append_c (str, '\'');

  return g_string_free (str, FALSE);
}

/**
 * jg_odata_dup_filter_eq:
 *
 * Returns: (transfer full): `Property eq 'value'`, for `$filter`
 */
char *
jg_odata_dup_filter_eq (const char *property,
                        const char *value)
{
  g_autofree char *quoted = jg_odata_quote (value);

  return g_strdup_printf ("%s eq %s", property, quoted);
}

/**
 * jg_odata_dup_key_path:
 * @entity_set: `Jobs`, `Assets`…
 * @id: the entity's id
 *
 * Returns: (transfer full): `Jobs('nb%3Ajid%3AUUID%3A…')`, the id quoted
 *   and URL-encoded as the service's own clients write it
 */
char *
jg_odata_dup_key_path (const char *entity_set,
                       const char *id)
{
  g_autofree char *quoted = jg_odata_quote (id);
  g_autofree char *inner = g_strndup (quoted + 1, strlen (quoted) - 2);
  g_autofree char *escaped = g_uri_escape_string (inner, NULL, FALSE);

  return g_strdup_printf ("%s('%s')", entity_set, escaped);
}

/**
 * jg_odata_escape_query_value:
 *
 * Returns: (transfer full): @value escaped for a query string; spaces
 *   become `%20` and `+`, `&`, `#`, `=` are escaped, so that both strict
 *   and form-style decoders read it back unchanged
 */
char *
jg_odata_escape_query_value (const char *value)
{
  return g_uri_escape_string (value, "'(),:$", FALSE);
}

/**
 * jg_odata_dup_id_from_location:
 * @location: (nullable): `https://…/api/Jobs('nb%3Ajid%3AUUID%3A…')`
 *
 * Returns: (transfer full) (nullable): the unescaped key of the entity a
 *   `Location` header names
 */
char *
jg_odata_dup_id_from_location (const char *location)
{
  const char      *open;
  const char      *close;
  g_autofree char *escaped = NULL;
  g_autofree char *unescaped = NULL;
  GString         *str;

  if (location == NULL)
    return NULL;

  open = strrchr (location, '(');
  if (open == NULL || open[1] != '\'')
    return NULL;

  close = strstr (open + 2, "')");
  if (close == NULL || close == open + 2)
    return NULL;

  escaped = g_strndup (open + 2, close - (open + 2));
  unescaped = g_uri_unescape_string (escaped, NULL);
  if (unescaped == NULL)
    return NULL;

  /* Undo the doubling of quotes inside the literal. */
  str = g_string_new (NULL);
  for (const char *p = unescaped; *p; p++)
    {
      g_string_append_c (str, *p);
      if (p[0] == '\'' && p[1] == '\'')
        p++;
    }

  return g_string_free (str, FALSE);
}

/**
 * jg_odata_get_number:
 *
 * Reads a number that may be written as a JSON number or, as verbose JSON
 * does for some types, as a string.
 *
 * Returns: %TRUE when @member holds a number
 */
gboolean
jg_odata_get_number (JsonObject *object,
                     const char *member,
                     double     *value)
{
  JsonNode *node = json_object_get_member (object, member);
  GType     type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = (double)json_node_get_int (node);
      return TRUE;
    }

  if (type == G_TYPE_DOUBLE)
    {
      *value = json_node_get_double (node);
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      char       *end = NULL;
      double      parsed;

      if (str[0] == '\0')
        return FALSE;

      parsed = g_ascii_strtod (str, &end);
      if (*end != '\0')
        return FALSE;

      *value = parsed;
      return TRUE;
    }

  return FALSE;
}

/**
 * jg_odata_compare_versions:
 *
 * Compares dotted version strings (`1.10` > `1.9`) component by component,
 * numerically where both components are numbers.
 *
 * Returns: < 0, 0 or > 0 like strcmp()
 */
int
jg_odata_compare_versions (const char *a,
                           const char *b)
{
  g_auto(GStrv) pa = g_strsplit (a ? a : "", ".", -1);
  g_auto(GStrv) pb = g_strsplit (b ? b : "", ".", -1);
  guint na = g_strv_length (pa);
  guint nb = g_strv_length (pb);

  for (guint i = 0; i < MAX (na, nb); i++)
    {
      const char *ca = i < na ? pa[i] : "0";
      const char *cb = i < nb ? pb[i] : "0";
      char       *end_a = NULL;
      char       *end_b = NULL;
      guint64     va = g_ascii_strtoull (ca, &end_a, 10);
      guint64     vb = g_ascii_strtoull (cb, &end_b, 10);
      int         cmp;

      if (end_a != ca && *end_a == '\0' && end_b != cb && *end_b == '\0')
        cmp = va < vb ? -1 : va > vb ? 1
                                     : 0;
      else
        cmp = g_strcmp0 (ca, cb);

      if (cmp != 0)
        return cmp;
    }

  return 0;
}

/**
 * jg_odata_dup_string:
 *
 * Returns: (transfer full) (nullable): the string @member, or %NULL when it
 *   is missing, null or not a string
 */
char *
jg_odata_dup_string (JsonObject *object,
                     const char *member)
{
  return g_strdup (jg_json_object_get_string (object, member));
}

/**
 * jg_odata_get_int:
 *
 * Returns: the integer @member (written as a number or a numeric string),
 *   or @default_value
 */
int
jg_odata_get_int (JsonObject *object,
                  const char *member,
                  int         default_value)
{
  double value;

  if (!jg_odata_get_number (object, member, &value) || value < G_MININT || value > G_MAXINT)
    return default_value;

  return (int)value;
}

/**
 * jg_odata_dup_date:
 *
 * Returns: (transfer full) (nullable): the date @member in UTC
 */
GDateTime *
jg_odata_dup_date (JsonObject *object,
                   const char *member)
{
  return jg_odata_parse_date (jg_json_object_get_string (object, member));
}

/**
 * jg_odata_dup_id:
 * @what: the entity's kind, for the error message (`Job`)
 *
 * Returns: (transfer full): the entity's `Id`, or %NULL with @error set
 */
char *
jg_odata_dup_id (JsonObject *object,
                 const char *what,
                 GError    **error)
{
  const char *id = jg_json_object_get_string (object, "Id");

  if (id == NULL || id[0] == '\0')
    {
      g_set_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID,
                   _("The service sent a %s without an Id"), what);
      return NULL;
    }

  return g_strdup (id);
}
