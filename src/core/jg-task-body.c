/* jg-task-body.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-task-body"

#include "config.h"

#include <string.h>

#include "jg-format-error.h"
#include "jg-task-body.h"
#include "jg-xml.h"

/* TaskBody and JobTemplateBody (ams-rest-v2.md §4). The parsers check the
 * shape (which elements go where) and keep the texts as they are; whether
 * `JobInputAsset(0)` points anywhere is for the graph builder to say. The
 * writers produce the compact form the SDK sends: one line, all inputs
 * before all outputs.
 */

#define XML_DECLARATION "<?xml version=\"1.0\" encoding=\"utf-8\"?>"

/* Longest piece of offending text quoted in an error message, in
 * characters.
 */
#define SNIPPET_LENGTH 24

static gboolean
is_xml_blank (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
is_blank_text (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (; *text != '\0'; text++)
    {
      if (!is_xml_blank (*text))
        return FALSE;
    }

  return TRUE;
}

/* Trims XML whitespace (not the wider set g_strstrip() knows). */
static char *
dup_trimmed (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (start < end && is_xml_blank (*start))
    start++;
  while (end > start && is_xml_blank (end[-1]))
    end--;

  return g_strndup (start, end - start);
}

/* Shortens @text for quoting in a message. */
static char *
dup_snippet (const char *text)
{
  g_autofree char *trimmed = dup_trimmed (text);
  const char      *end;

  if (g_utf8_strlen (trimmed, SNIPPET_LENGTH + 1) <= SNIPPET_LENGTH)
    return g_steal_pointer (&trimmed);

  end = g_utf8_offset_to_pointer (trimmed, SNIPPET_LENGTH);

  return g_strdup_printf ("%.*s…", (int)(end - trimmed), trimmed);
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node != NULL &&
         node->type == XML_ELEMENT_NODE &&
         node->ns == NULL &&
         strcmp ((const char *)node->name, name) == 0;
}

/* Names @node the way it was written, so that the user can find it. */
static char *
describe_element (xmlNode *node)
{
  if (node->ns != NULL && node->ns->prefix != NULL)
    return g_strdup_printf ("<%s:%s>", node->ns->prefix, node->name);

  if (node->ns != NULL && node->ns->href != NULL)
    return g_strdup_printf ("<%s xmlns=\"%s\">", node->name, node->ns->href);

  return g_strdup_printf ("<%s>", node->name);
}

static void set_invalid (GError    **error,
                         xmlNode    *node,
                         const char *format,
                         ...) G_GNUC_PRINTF (3, 4);

/* Sets a JG_FORMAT_ERROR_INVALID that points at @node. */
static void
set_invalid (GError    **error,
             xmlNode    *node,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list          args;
  int              line, column;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  jg_xml_get_position (node, &line, &column);
  jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, line, column, "%s",
                       message);
}

/* An asset element holds a reference such as `JobInputAsset(0)` and nothing
 * else; comments are tolerated.
 */
static char *
dup_asset_text (xmlNode *element,
                GError **error)
{
  g_autofree char *text = NULL;

  for (xmlNode *child = element->children; child != NULL; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE)
        {
          g_autofree char *name = describe_element (child);

          set_invalid (error, child,
                       "Unexpected element %s in <%s>; it may only contain "
                       "text such as JobInputAsset(0)",
                       name, (const char *)element->name);
          return NULL;
        }
    }

  text = jg_xml_dup_text (element);

  return dup_trimmed (text);
}

/* Reads an optional non-negative decimal integer attribute; -1 when absent. */
static gboolean
parse_int_attribute (xmlNode    *element,
                     const char *name,
                     const char *alt_name,
                     int        *value,
                     GError    **error)
{
  g_autofree char *text = NULL;
  g_autofree char *trimmed = NULL;
  const char      *found = name;
  gint64           result = 0;

  *value = -1;

  text = jg_xml_dup_attribute (element, name, NULL);
  if (text == NULL)
    {
      text = jg_xml_dup_attribute (element, alt_name, NULL);
      found = alt_name;
    }

  if (text == NULL)
    return TRUE;

  /* The attribute is an xs:int, whose whitespace is collapsed. */
  trimmed = dup_trimmed (text);

  if (*trimmed == '\0' || strspn (trimmed, "0123456789") != strlen (trimmed))
    {
      g_autofree char *snippet = dup_snippet (text);

      set_invalid (error, element,
                   "The attribute %s of <%s> must be a whole number of 0 or "
                   "more, not \"%s\"",
                   found, (const char *)element->name, snippet);
      return FALSE;
    }

  for (const char *p = trimmed; *p != '\0'; p++)
    {
      result = result * 10 + (*p - '0');
      if (result > G_MAXINT)
        {
          g_autofree char *snippet = dup_snippet (text);

          set_invalid (error, element,
                       "The attribute %s of <%s> is too large: %s",
                       found, (const char *)element->name, snippet);
          return FALSE;
        }
    }

  *value = (int)result;

  return TRUE;
}

static JgTaskBodyOutput *
parse_output (xmlNode *element,
              GError **error)
{
  g_autoptr (JgTaskBodyOutput) output = NULL;
  g_autofree char *reference = NULL;

  reference = dup_asset_text (element, error);
  if (reference == NULL)
    return NULL;

  output = jg_task_body_output_new (reference);
  output->asset_name = jg_xml_dup_attribute (element, "assetName",
                                             "AssetName");
  output->storage_account_name = jg_xml_dup_attribute (element,
                                                       "storageAccountName",
                                                       "StorageAccountName");

  if (!parse_int_attribute (element, "assetCreationOptions",
                            "AssetCreationOptions", &output->creation_options,
                            error))
    return NULL;

  if (!parse_int_attribute (element, "assetFormatOption",
                            "AssetFormatOption", &output->format_option,
                            error))
    return NULL;

  return g_steal_pointer (&output);
}

/* Reports text where only elements are allowed. */
static gboolean
check_blank_text (xmlNode    *node,
                  const char *parent,
                  const char *allowed,
                  GError    **error)
{
  g_autofree char *snippet = NULL;

  if (is_blank_text ((const char *)node->content))
    return TRUE;

  snippet = dup_snippet ((const char *)node->content);
  set_invalid (error, node, "Unexpected text \"%s\" in <%s>; only %s allowed",
               snippet, parent, allowed);

  return FALSE;
}

static JgTaskBody *
parse_task_body_element (xmlNode *element,
                         gboolean in_template,
                         GError **error)
{
  g_autoptr (JgTaskBody) body = jg_task_body_new ();
  const char *allowed = "<inputAsset> and <outputAsset> are";

  jg_xml_get_position (element, &body->line, NULL);

  if (in_template)
    body->task_template_id = jg_xml_dup_attribute (element, "taskTemplateId",
                                                   "TaskTemplateId");

  for (xmlNode *child = element->children; child != NULL; child = child->next)
    {
      switch ((int)child->type)
        {
        case XML_ELEMENT_NODE:
          if (is_element (child, "inputAsset"))
            {
              char *reference = dup_asset_text (child, error);

              if (reference == NULL)
                return NULL;

              g_ptr_array_add (body->inputs, reference);
            }
          else if (is_element (child, "outputAsset"))
            {
              JgTaskBodyOutput *output = parse_output (child, error);

              if (output == NULL)
                return NULL;

              g_ptr_array_add (body->outputs, output);
            }
          else
            {
              g_autofree char *name = describe_element (child);

              set_invalid (error, child,
                           "Unexpected element %s in <taskBody>; only %s "
                           "allowed",
                           name, allowed);
              return NULL;
            }
          break;

        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (!check_blank_text (child, "taskBody", allowed, error))
            return NULL;
          break;

        default:
          /* Comments and processing instructions carry no meaning. */
          break;
        }
    }

  return g_steal_pointer (&body);
}

/* Checks the root element of @doc, naming @kind in the error. */
static xmlNode *
get_root (xmlDoc     *doc,
          const char *name,
          const char *kind,
          GError    **error)
{
  xmlNode         *root = xmlDocGetRootElement (doc);
  g_autofree char *found = NULL;

  if (is_element (root, name))
    return root;

  if (root == NULL)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                           "A %s must have <%s> as its root element",
                           kind, name);
      return NULL;
    }

  found = describe_element (root);
  set_invalid (error, root,
               "The root element is %s, but a %s must have <%s> as its root "
               "element",
               found, kind, name);

  return NULL;
}

/* Appends @text escaped for element content and double-quoted attribute
 * values. Tab, newline and carriage return become character references so
 * that they survive attribute-value normalization; other control
 * characters, U+FFFE, U+FFFF and invalid UTF-8 cannot be written in XML 1.0
 * at all and become U+FFFD.
 */
static void
append_escaped (GString    *out,
                const char *text)
{
  const char *run = text;
  const char *p = text;

  if (text == NULL)
    return;

  while (*p != '\0')
    {
      guchar      c = *p;
      const char *replacement;
      gsize       skip = 1;

      if (c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>' && c != '"')
        {
          p++;
          continue;
        }

      if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated (p, -1);

          if (ch < 0x110000 && ch != 0xFFFE && ch != 0xFFFF)
            {
              p = g_utf8_next_char (p);
              continue;
            }

          /* U+FFFE and U+FFFF are replaced whole, invalid UTF-8 byte by
           * byte.
           */
          if (ch < 0x110000)
            skip = g_utf8_skip[c];
          replacement = "\xEF\xBF\xBD";
        }
      else
        {
          switch (c)
            {
            case '&':
              replacement = "&amp;";
              break;
            case '<':
              replacement = "&lt;";
              break;
            case '>':
              replacement = "&gt;";
              break;
            case '"':
              replacement = "&quot;";
              break;
            case '\t':
              replacement = "&#9;";
              break;
            case '\n':
              replacement = "&#10;";
              break;
            case '\r':
              replacement = "&#13;";
              break;
            default:
              replacement = "\xEF\xBF\xBD";
              break;
            }
        }

      g_string_append_len (out, run, p - run);
      g_string_append (out, replacement);
      p += skip;
      run = p;
    }

  g_string_append_len (out, run, p - run);
}

static void
append_int (GString *out,
            int      value)
{
  char  buffer[16];
  gsize i = sizeof buffer;
  guint v = (guint)value;

  do
    {
      buffer[--i] = '0' + v % 10;
      v /= 10;
    }
  while (v != 0);

  g_string_append_len (out, buffer + i, sizeof buffer - i);
}

static void
append_task_body (GString          *out,
                  const JgTaskBody *body,
                  gboolean          in_template)
{
  if (in_template && body->task_template_id != NULL)
    {
      g_string_append (out, "<taskBody taskTemplateId=\"");
      append_escaped (out, body->task_template_id);
      g_string_append (out, "\">");
    }
  else
    {
      g_string_append (out, "<taskBody>");
    }

  for (guint i = 0; body->inputs != NULL && i < body->inputs->len; i++)
    {
      g_string_append (out, "<inputAsset>");
      append_escaped (out, g_ptr_array_index (body->inputs, i));
      g_string_append (out, "</inputAsset>");
    }

  for (guint i = 0; body->outputs != NULL && i < body->outputs->len; i++)
    {
      const JgTaskBodyOutput *output = g_ptr_array_index (body->outputs, i);

      g_string_append (out, "<outputAsset");
      if (output->creation_options >= 0)
        {
          g_string_append (out, " assetCreationOptions=\"");
          append_int (out, output->creation_options);
          g_string_append_c (out, '"');
        }
      if (output->format_option >= 0)
        {
          g_string_append (out, " assetFormatOption=\"");
          append_int (out, output->format_option);
          g_string_append_c (out, '"');
        }
      if (output->asset_name != NULL)
        {
          g_string_append (out, " assetName=\"");
          append_escaped (out, output->asset_name);
          g_string_append_c (out, '"');
        }
      if (output->storage_account_name != NULL)
        {
          g_string_append (out, " storageAccountName=\"");
          append_escaped (out, output->storage_account_name);
          g_string_append_c (out, '"');
        }
      g_string_append_c (out, '>');
      append_escaped (out, output->reference);
      g_string_append (out, "</outputAsset>");
    }

  g_string_append (out, "</taskBody>");
}

/**
 * jg_task_body_output_new:
 * @reference: (nullable): the element text, e.g. `JobOutputAsset(0)`
 *
 * Returns: (transfer full): an output with no attributes set
 */
JgTaskBodyOutput *
jg_task_body_output_new (const char *reference)
{
  JgTaskBodyOutput *output = g_new0 (JgTaskBodyOutput, 1);

  output->reference = g_strdup (reference);
  output->creation_options = -1;
  output->format_option = -1;

  return output;
}

void
jg_task_body_output_free (JgTaskBodyOutput *output)
{
  if (output == NULL)
    return;

  g_free (output->reference);
  g_free (output->asset_name);
  g_free (output->storage_account_name);
  g_free (output);
}

/**
 * jg_task_body_new:
 *
 * Returns: (transfer full): an empty TaskBody
 */
JgTaskBody *
jg_task_body_new (void)
{
  JgTaskBody *body = g_new0 (JgTaskBody, 1);

  body->inputs = g_ptr_array_new_with_free_func (g_free);
  body->outputs =
    g_ptr_array_new_with_free_func ((GDestroyNotify)jg_task_body_output_free);

  return body;
}

void
jg_task_body_free (JgTaskBody *body)
{
  if (body == NULL)
    return;

  g_free (body->task_template_id);
  g_clear_pointer (&body->inputs, g_ptr_array_unref);
  g_clear_pointer (&body->outputs, g_ptr_array_unref);
  g_free (body);
}

/**
 * jg_task_body_parse:
 * @xml: a TaskBody, always read as UTF-8 whatever it declares
 * @length: the length of @xml in bytes, or -1 if it is nul-terminated
 * @error: return location for a #JG_FORMAT_ERROR
 *
 * Parses a TaskBody (ams-rest-v2.md §4.1). Fails with
 * %JG_FORMAT_ERROR_INVALID, and the line and column of the culprit, when
 * the root is not `<taskBody>` or it holds anything but `<inputAsset>` and
 * `<outputAsset>` elements, or an integer attribute is not a whole number.
 *
 * Returns: (transfer full) (nullable): the body
 */
JgTaskBody *
jg_task_body_parse (const char *xml,
                    gssize      length,
                    GError    **error)
{
  g_autoptr (xmlDoc) doc = NULL;
  xmlNode *root;

  g_return_val_if_fail (xml != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = jg_xml_parse (xml, length, error);
  if (doc == NULL)
    return NULL;

  root = get_root (doc, "taskBody", "TaskBody", error);
  if (root == NULL)
    return NULL;

  return parse_task_body_element (root, FALSE, error);
}

/**
 * jg_task_body_to_string:
 * @body: a TaskBody
 *
 * Writes @body on one line, with all inputs before all outputs, and only
 * the attributes that are set. `task_template_id` is not written: see
 * jg_job_template_body_to_string().
 *
 * Returns: (transfer full): the XML
 */
char *
jg_task_body_to_string (const JgTaskBody *body)
{
  GString *out;

  g_return_val_if_fail (body != NULL, NULL);

  out = g_string_sized_new (256);
  g_string_append (out, XML_DECLARATION);
  append_task_body (out, body, FALSE);

  return g_string_free (out, FALSE);
}

/**
 * jg_job_template_body_parse:
 * @xml: a JobTemplateBody, always read as UTF-8 whatever it declares
 * @length: the length of @xml in bytes, or -1 if it is nul-terminated
 * @error: return location for a #JG_FORMAT_ERROR
 *
 * Parses a JobTemplateBody (ams-rest-v2.md §4.2): a `<jobTemplate>` of
 * `<taskBody taskTemplateId="…">` elements, each checked like
 * jg_task_body_parse(). No `<taskBody>` at all is valid.
 *
 * Returns: (transfer container) (element-type JgTaskBody) (nullable): the
 *   bodies in document order
 */
GPtrArray *
jg_job_template_body_parse (const char *xml,
                            gssize      length,
                            GError    **error)
{
  g_autoptr (xmlDoc) doc = NULL;
  g_autoptr (GPtrArray) bodies = NULL;
  xmlNode *root;

  g_return_val_if_fail (xml != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = jg_xml_parse (xml, length, error);
  if (doc == NULL)
    return NULL;

  root = get_root (doc, "jobTemplate", "JobTemplateBody", error);
  if (root == NULL)
    return NULL;

  bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_task_body_free);

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      switch ((int)child->type)
        {
        case XML_ELEMENT_NODE:
          if (is_element (child, "taskBody"))
            {
              JgTaskBody *body = parse_task_body_element (child, TRUE, error);

              if (body == NULL)
                return NULL;

              g_ptr_array_add (bodies, body);
            }
          else
            {
              g_autofree char *name = describe_element (child);

              set_invalid (error, child,
                           "Unexpected element %s in <jobTemplate>; only "
                           "<taskBody> is allowed",
                           name);
              return NULL;
            }
          break;

        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (!check_blank_text (child, "jobTemplate", "<taskBody> is",
                                 error))
            return NULL;
          break;

        default:
          break;
        }
    }

  return g_steal_pointer (&bodies);
}

/**
 * jg_job_template_body_to_string:
 * @bodies: (element-type JgTaskBody) (nullable): the task bodies, each with
 *   its `task_template_id`
 *
 * Returns: (transfer full): the JobTemplateBody XML, on one line
 */
char *
jg_job_template_body_to_string (GPtrArray *bodies)
{
  GString *out;
  guint    n_bodies = bodies != NULL ? bodies->len : 0;

  out = g_string_sized_new (64 + 256 * (gsize)n_bodies);
  g_string_append (out, XML_DECLARATION "<jobTemplate>");

  for (guint i = 0; i < n_bodies; i++)
    {
      const JgTaskBody *body = g_ptr_array_index (bodies, i);

      if (body != NULL)
        append_task_body (out, body, TRUE);
    }

  g_string_append (out, "</jobTemplate>");

  return g_string_free (out, FALSE);
}
