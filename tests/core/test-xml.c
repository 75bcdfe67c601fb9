/* test-xml.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-xml"

#include "config.h"

#include <string.h>

#include <libxml/xmlerror.h>

#include "jg-format-error.h"
#include "jg-xml.h"

/* Anything a refused document could leak into an error or a tree. */
#define SECRET "jobgraph-secret-6b1d"

/* "été" in UTF-8. */
#define ETE_ROOT "<a>\xC3\xA9t\xC3\xA9</a>"

/* The time a refusal may take; a successful attack takes seconds or more. */
#define FAST_ENOUGH 0.5

static void
assert_position (const GError *error,
                 int           line,
                 int           column)
{
  int l, c;

  g_assert_nonnull (error);
  g_assert_true (jg_format_error_get_position (error, &l, &c));
  g_assert_cmpint (l, ==, line);
  g_assert_cmpint (c, ==, column);
}

static void
assert_node_position (xmlNode *node,
                      int      line,
                      int      column)
{
  int l, c;

  g_assert_nonnull (node);
  jg_xml_get_position (node, &l, &c);
  g_assert_cmpint (l, ==, line);
  g_assert_cmpint (c, ==, column);
}

static xmlNode *
first_element (xmlNode *node)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_ELEMENT_NODE)
        return node;
    }

  return NULL;
}

/* Writes a file whose content must never show up anywhere. */
static char *
create_secret_file (void)
{
  g_autoptr (GError) error = NULL;
  char *path;

  path = g_build_filename (g_get_tmp_dir (), "secret.txt", NULL);
  g_file_set_contents (path, SECRET, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_well_formed (void)
{
  const char *xml =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<root version=\"2\" Kind=\"upper\" empty=\"\">\n"
    "  <child>  some &amp; text &lt;here&gt; </child>\n"
    "  <!-- a comment -->\n"
    "  <other><![CDATA[a < b]]>&#x41;</other>\n"
    "</root>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  g_autofree char *version = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *kind_lower = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *child_text = NULL;
  g_autofree char *other_text = NULL;
  xmlNode         *root, *child, *other;

  doc = jg_xml_parse (xml, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);

  root = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *)root->name, ==, "root");

  version = jg_xml_dup_attribute (root, "version", NULL);
  g_assert_cmpstr (version, ==, "2");
  kind = jg_xml_dup_attribute (root, "kind", "Kind");
  g_assert_cmpstr (kind, ==, "upper");
  kind_lower = jg_xml_dup_attribute (root, "Kind", "kind");
  g_assert_cmpstr (kind_lower, ==, "upper");
  missing = jg_xml_dup_attribute (root, "missing", "Missing");
  g_assert_null (missing);
  empty = jg_xml_dup_attribute (root, "empty", NULL);
  g_assert_cmpstr (empty, ==, "");

  child = first_element (root->children);
  g_assert_cmpstr ((const char *)child->name, ==, "child");
  child_text = jg_xml_dup_text (child);
  g_assert_cmpstr (child_text, ==, "  some & text <here> ");

  other = first_element (child->next);
  g_assert_cmpstr ((const char *)other->name, ==, "other");
  other_text = jg_xml_dup_text (other);
  g_assert_cmpstr (other_text, ==, "a < bA");
}

static void
test_explicit_length (void)
{
  const char *xml = "<a>x</a>GARBAGE";
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;

  /* Only the first 8 bytes are the document. */
  doc = jg_xml_parse (xml, 8, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);

  g_clear_pointer (&doc, xmlFreeDoc);
  doc = jg_xml_parse (xml, -1, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_null (doc);
}

static void
test_utf16_declared (void)
{
  const char *bodies[] = {
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>" ETE_ROOT,
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>" ETE_ROOT,
    "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>" ETE_ROOT,
    "<?xml version=\"1.0\" encoding=\"no-such-encoding\"?>" ETE_ROOT,
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-16\"?>" ETE_ROOT,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (xmlDoc) doc = NULL;
      g_autofree char *text = NULL;

      g_test_message ("%s", bodies[i]);

      doc = jg_xml_parse (bodies[i], -1, &error);
      g_assert_no_error (error);
      g_assert_nonnull (doc);

      /* Read as UTF-8, not re-decoded as UTF-16 or Latin-1. */
      text = jg_xml_dup_text (xmlDocGetRootElement (doc));
      g_assert_cmpstr (text, ==, "\xC3\xA9t\xC3\xA9");
    }
}

static void
test_invalid_utf8 (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;

  doc = jg_xml_parse ("<a>\xC3\x28</a>", -1, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_null (doc);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The XML is not valid UTF-8"));
  g_assert_null (strchr (error->message, '\n'));
  assert_position (error, 1, 4);
}

static void
test_parse_error (void)
{
  const char *multi_line =
    "<?xml version=\"1.0\"?>\n"
    "<taskBody>\n"
    "  <inputAsset>JobInputAsset(0)</inputAsset>\n"
    "  <outputAsset>\n"
    "</taskBody>";
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;

  doc = jg_xml_parse ("<taskBody>x</inputAsset>", -1, &error);
  g_assert_null (doc);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The XML is not well-formed: Opening and ending tag "
                   "mismatch: taskBody line 1 and inputAsset");
  /* libxml2 reports the position after the offending end tag. */
  assert_position (error, 1, 25);
  g_clear_error (&error);

  doc = jg_xml_parse (multi_line, -1, &error);
  g_assert_null (doc);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The XML is not well-formed: Opening and ending tag "
                   "mismatch: outputAsset line 4 and taskBody");
  assert_position (error, 5, 12);
  g_clear_error (&error);

  doc = jg_xml_parse ("<a b=\"1\" b=\"2\"/>", -1, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The XML is not well-formed: Attribute b redefined");
  g_clear_error (&error);

  doc = jg_xml_parse ("<a/><b/>", -1, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The XML is not well-formed: Extra content at the end of "
                   "the document");
  assert_position (error, 1, 5);
  g_clear_error (&error);

  /* Without a DTD, only the five predefined entities exist. */
  doc = jg_xml_parse ("<a>&x;</a>", -1, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The XML is not well-formed: Entity 'x' not defined");
  g_clear_error (&error);

  /* Control characters are not XML, not even as references. */
  doc = jg_xml_parse ("<a>&#1;</a>", -1, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_clear_error (&error);

  doc = jg_xml_parse ("<a>\0</a>", 8, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_clear_error (&error);
}

static void
test_empty (void)
{
  const char *inputs[] = { "", "   \n", "<!-- nothing -->" };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (jg_xml_check (inputs[i], -1, &error));
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message,
                                       "The XML is not well-formed: "));
    }
}

static void
test_check (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (jg_xml_check ("<Preset><Encoding/></Preset>", -1, &error));
  g_assert_no_error (error);

  g_assert_false (jg_xml_check ("<Preset><Encoding></Preset>", -1, &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (jg_xml_check ("<!DOCTYPE Preset><Preset/>", -1, &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* A NULL error is allowed. */
  g_assert_false (jg_xml_check ("<a>", -1, NULL));
}

static void
test_doctype_refused (void)
{
  const char *inputs[] = {
    "<!DOCTYPE a><a/>",
    "<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n]>\n<a/>",
    "<?xml version=\"1.0\"?><!DOCTYPE a PUBLIC \"-//X//Y//EN\" \"y.dtd\"><a/>",
    "<!DOCTYPE a [<!ATTLIST a b CDATA \"default\">]><a/>",
    "<!DOCTYPE a [<!ENTITY e \"text\">]><a>&e;</a>",
    /* Broken ones too, though libxml2 stops before it has a name. */
    "<!DOCTYPE><a/>",
    "<!DOCTYPE",
    "<!DOCTYPE a SYSTEM><a/>",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (xmlDoc) doc = NULL;

      g_test_message ("%s", inputs[i]);

      doc = jg_xml_parse (inputs[i], -1, &error);
      g_assert_null (doc);
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_FORBIDDEN);
      g_assert_nonnull (strstr (error->message, "<!DOCTYPE>"));
    }
}

static void
test_doctype_position (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (jg_xml_check ("<?xml version=\"1.0\"?>\n"
                                "<!-- x -->  <!DOCTYPE a SYSTEM \"a.dtd\">\n"
                                "<a/>",
                                -1, &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_FORBIDDEN);
  assert_position (error, 2, 13);
}

static void
test_doctype_text_allowed (void)
{
  const char *inputs[] = {
    "<!-- <!DOCTYPE a> --><a/>",
    "<a><![CDATA[<!DOCTYPE a [<!ENTITY x \"y\">]>]]></a>",
    "<a b=\"&lt;!DOCTYPE\">&lt;!DOCTYPE a&gt;</a>",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", inputs[i]);
      g_assert_true (jg_xml_check (inputs[i], -1, &error));
      g_assert_no_error (error);
    }
}

static void
test_doctype_misplaced (void)
{
  g_autoptr (GError) error = NULL;

  /* A DOCTYPE after the root element is not a declaration at all. */
  g_assert_false (jg_xml_check ("<a>\n<!DOCTYPE a>\n</a>", -1, &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_false (jg_xml_check ("<a/><!DOCTYPE a>", -1, &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_clear_error (&error);

  /* Nor is a lower-case one. */
  g_assert_false (jg_xml_check ("<!doctype a><a/>", -1, &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
}

static void
test_xxe (void)
{
  g_autofree char *secret_path = create_secret_file ();
  g_autofree char *secret_uri = NULL;
  const char      *templates[] = {
         ("<?xml version=\"1.0\"?>"
          "<!DOCTYPE a [<!ENTITY x SYSTEM \"@URI@\">]><a>&x;</a>"),
         ("<?xml version=\"1.0\" encoding=\"utf-16\"?>\n"
          "<!DOCTYPE a [\n<!ENTITY % p SYSTEM \"@URI@\">\n%p;\n]>\n<a/>"),
         "<!DOCTYPE a SYSTEM \"@URI@\"><a>&x;</a>",
         "<!DOCTYPE a [<!ENTITY x SYSTEM \"@URI@\">]><a b=\"&x;\">&x;</a>",
  };
  const char *uris[2] = { "file:///etc/passwd", NULL };

  secret_uri = g_filename_to_uri (secret_path, NULL, NULL);
  g_assert_nonnull (secret_uri);
  uris[1] = secret_uri;

  for (gsize i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      for (gsize j = 0; j < G_N_ELEMENTS (uris); j++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (xmlDoc) doc = NULL;
          g_autoptr (GString) xml = g_string_new (templates[i]);

          g_string_replace (xml, "@URI@", uris[j], 0);
          g_test_message ("%s", xml->str);

          doc = jg_xml_parse (xml->str, xml->len, &error);
          g_assert_null (doc);
          g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_FORBIDDEN);
          g_assert_null (strstr (error->message, SECRET));
          g_assert_null (strstr (error->message, "root:"));
        }
    }
}

static void
test_billion_laughs (void)
{
  g_autoptr (GString) xml = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimer) timer = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  double elapsed;

  g_string_append (xml, "<?xml version=\"1.0\"?>\n"
                        "<!DOCTYPE lolz [\n"
                        " <!ENTITY lol \"lol\">\n");
  for (int i = 1; i <= 9; i++)
    {
      g_string_append_printf (xml, " <!ENTITY lol%d \"", i);
      for (int j = 0; j < 10; j++)
        {
          if (i == 1)
            g_string_append (xml, "&lol;");
          else
            g_string_append_printf (xml, "&lol%d;", i - 1);
        }
      g_string_append (xml, "\">\n");
    }
  g_string_append (xml, "]>\n<lolz>&lol9;</lolz>\n");

  timer = g_timer_new ();
  doc = jg_xml_parse (xml->str, xml->len, &error);
  elapsed = g_timer_elapsed (timer, NULL);

  g_assert_null (doc);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_FORBIDDEN);
  assert_position (error, 2, 1);
  g_assert_cmpfloat (elapsed, <, FAST_ENOUGH);
}

static char *
dup_nested (int depth)
{
  GString *xml = g_string_sized_new (depth * 7 + 1);

  for (int i = 0; i < depth; i++)
    g_string_append (xml, "<a>");
  for (int i = 0; i < depth; i++)
    g_string_append (xml, "</a>");

  return g_string_free (xml, FALSE);
}

static void
test_deep_nesting (void)
{
  g_autofree char *deepest_allowed = dup_nested (JG_XML_MAX_DEPTH);
  g_autofree char *too_deep = dup_nested (JG_XML_MAX_DEPTH + 1);
  g_autofree char *very_deep = dup_nested (10000);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimer) timer = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  double elapsed;

  g_assert_true (jg_xml_check (deepest_allowed, -1, &error));
  g_assert_no_error (error);

  g_assert_false (jg_xml_check (too_deep, -1, &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_TOO_LARGE);
  /* Points at the element one too deep. */
  assert_position (error, 1, JG_XML_MAX_DEPTH * 3 + 1);
  g_clear_error (&error);

  timer = g_timer_new ();
  doc = jg_xml_parse (very_deep, -1, &error);
  elapsed = g_timer_elapsed (timer, NULL);

  g_assert_null (doc);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_TOO_LARGE);
  g_assert_cmpfloat (elapsed, <, FAST_ENOUGH);
}

static void
test_too_large (void)
{
  g_autoptr (GString) xml = g_string_sized_new (JG_XML_MAX_INPUT_SIZE + 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;

  /* Exactly at the limit is fine. */
  g_string_append (xml, "<a>");
  while (xml->len < JG_XML_MAX_INPUT_SIZE - 4)
    g_string_append_c (xml, 'x');
  g_string_append (xml, "</a>");
  g_assert_cmpuint (xml->len, ==, JG_XML_MAX_INPUT_SIZE);

  doc = jg_xml_parse (xml->str, xml->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_clear_pointer (&doc, xmlFreeDoc);

  /* One byte more is refused before parsing: even if it is not XML. */
  g_string_append_c (xml, '<');
  doc = jg_xml_parse (xml->str, xml->len, &error);
  g_assert_null (doc);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* With the length computed, too. */
  doc = jg_xml_parse (xml->str, -1, &error);
  g_assert_null (doc);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_TOO_LARGE);
}

static void
test_positions (void)
{
  const char *xml =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-16\"?>\n"
    "<root>\xC3\xA9<b x=\"1\">t</b>\n"
    " <c\n"
    "  y=\"2\"/> &amp;x;<![CDATA[ zz]]>\n"
    "  <d/>  \n"
    "  text\n"
    "</root>";
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  xmlNode *root, *node;

  doc = jg_xml_parse (xml, -1, &error);
  g_assert_no_error (error);

  root = xmlDocGetRootElement (doc);
  assert_node_position (root, 2, 1);

  /* "é": a text node starts at its first non-blank character. */
  node = root->children;
  g_assert_cmpint (node->type, ==, XML_TEXT_NODE);
  assert_node_position (node, 2, 7);

  node = node->next;
  g_assert_cmpstr ((const char *)node->name, ==, "b");
  assert_node_position (node, 2, 8);
  assert_node_position (node->children, 2, 17);

  /* Columns count characters, and a tag is where its '<' is. */
  node = first_element (node->next);
  g_assert_cmpstr ((const char *)node->name, ==, "c");
  assert_node_position (node, 3, 2);

  /* Text after an element on the line where that element ends. */
  node = node->next;
  g_assert_cmpint (node->type, ==, XML_TEXT_NODE);
  assert_node_position (node, 4, 11);

  node = node->next;
  g_assert_cmpint (node->type, ==, XML_CDATA_SECTION_NODE);
  assert_node_position (node, 4, 28);

  node = first_element (node->next);
  g_assert_cmpstr ((const char *)node->name, ==, "d");
  assert_node_position (node, 5, 3);

  node = node->next;
  g_assert_cmpint (node->type, ==, XML_TEXT_NODE);
  assert_node_position (node, 6, 3);

  /* Nodes made after parsing have no column. */
  node = xmlNewChild (root, NULL, (const xmlChar *)"new", NULL);
  assert_node_position (node, 0, 0);
}

static void
test_positions_large (void)
{
  g_autoptr (GString) xml = g_string_new ("<root>");
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  g_autoptr (GArray) expected = g_array_new (FALSE, FALSE, sizeof (int) * 2);
  int   line = 1;
  int   column = 7;
  guint i = 0;

  /* Large enough that libxml2 shrinks its input buffer many times. */
  for (int n = 0; n < 3000; n++)
    {
      int position[2];

      if (n % 3 == 0)
        {
          g_string_append (xml, "\n  ");
          line++;
          column = 3;
        }
      else if (n % 3 == 1)
        {
          g_string_append (xml, "\xC3\xBC");
          column++;
        }

      position[0] = line;
      position[1] = column;
      g_array_append_val (expected, position);

      /* At least four digits, so that the width is what it says. */
      g_string_append_printf (xml, "<e a=\"%0*d\">t</e>", n % 200 + 4, n);
      column += 13 + n % 200 + 4;
    }
  g_string_append (xml, "</root>");

  doc = jg_xml_parse (xml->str, xml->len, &error);
  g_assert_no_error (error);

  for (xmlNode *node = xmlDocGetRootElement (doc)->children; node != NULL;
       node = node->next)
    {
      int *position;

      if (node->type != XML_ELEMENT_NODE)
        continue;

      g_assert_cmpuint (i, <, expected->len);
      position = &g_array_index (expected, int, i * 2);
      assert_node_position (node, position[0], position[1]);
      i++;
    }

  g_assert_cmpuint (i, ==, expected->len);
}

static void
test_namespaced_attribute (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  g_autofree char *value = NULL;

  doc = jg_xml_parse ("<a xmlns:p=\"urn:x\" p:name=\"ns\"/>", -1, &error);
  g_assert_no_error (error);

  /* Only attributes in no namespace count. */
  value = jg_xml_dup_attribute (xmlDocGetRootElement (doc), "name", NULL);
  g_assert_null (value);
}

/* Runs in a subprocess: parses bad input of every kind. */
static void
parse_bad_inputs (void)
{
  g_autofree char *deep = dup_nested (1000);
  const char      *inputs[] = {
         "<a>",
         "<a></b>",
         "<a>\xC3\x28</a>",
         "<a>&x;</a>",
         "<a xmlns:p=\"u\"><q:b/></a>",
         "<a xmlns=\"not a uri\"/>",
         "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>",
         "<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>",
         "<?xml version=\"9.0\"?><a/>",
         "",
         deep,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (xmlDoc) doc = jg_xml_parse (inputs[i], -1, &error);

      g_assert_true ((doc == NULL) == (error != NULL));
    }
}

static void
test_silent (void)
{
  if (g_test_subprocess ())
    {
      parse_bad_inputs ();
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
  g_test_trap_assert_stdout ("");
}

/* libxml2 2.12 made the error argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError TestXmlError;
#else
typedef xmlError TestXmlError;
#endif

static void
caller_error_cb (void                       *user_data,
                 G_GNUC_UNUSED TestXmlError *error)
{
  int *count = user_data;

  (*count)++;
}

static void
test_error_handler_restored (void)
{
  int count = 0;

  xmlSetStructuredErrorFunc (&count, caller_error_cb);

  parse_bad_inputs ();

  /* The caller's handler is back, and jg_xml_parse() did not call it. */
  g_assert_true (xmlStructuredError == caller_error_cb);
  g_assert_true (xmlStructuredErrorContext == &count);
  g_assert_cmpint (count, ==, 0);

  xmlSetStructuredErrorFunc (NULL, NULL);
}

static gpointer
parse_in_thread (G_GNUC_UNUSED gpointer data)
{
  for (int i = 0; i < 200; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (xmlDoc) doc = NULL;

      doc = jg_xml_parse ("<a><b x=\"1\">t</b></a>", -1, &error);
      g_assert_no_error (error);
      g_clear_pointer (&doc, xmlFreeDoc);

      doc = jg_xml_parse ("<a><b></a>", -1, &error);
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
      assert_position (error, 1, 11);
    }

  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_in_thread, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/xml/well-formed", test_well_formed);
  g_test_add_func ("/jobgraph/core/xml/explicit-length", test_explicit_length);
  g_test_add_func ("/jobgraph/core/xml/utf16-declared", test_utf16_declared);
  g_test_add_func ("/jobgraph/core/xml/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/jobgraph/core/xml/parse-error", test_parse_error);
  g_test_add_func ("/jobgraph/core/xml/empty", test_empty);
  g_test_add_func ("/jobgraph/core/xml/check", test_check);
  g_test_add_func ("/jobgraph/core/xml/doctype-refused", test_doctype_refused);
  g_test_add_func ("/jobgraph/core/xml/doctype-position",
                   test_doctype_position);
  g_test_add_func ("/jobgraph/core/xml/doctype-text-allowed",
                   test_doctype_text_allowed);
  g_test_add_func ("/jobgraph/core/xml/doctype-misplaced",
                   test_doctype_misplaced);
  g_test_add_func ("/jobgraph/core/xml/xxe", test_xxe);
  g_test_add_func ("/jobgraph/core/xml/billion-laughs", test_billion_laughs);
  g_test_add_func ("/jobgraph/core/xml/deep-nesting", test_deep_nesting);
  g_test_add_func ("/jobgraph/core/xml/too-large", test_too_large);
  g_test_add_func ("/jobgraph/core/xml/positions", test_positions);
  g_test_add_func ("/jobgraph/core/xml/positions-large",
                   test_positions_large);
  g_test_add_func ("/jobgraph/core/xml/namespaced-attribute",
                   test_namespaced_attribute);
  g_test_add_func ("/jobgraph/core/xml/silent", test_silent);
  g_test_add_func ("/jobgraph/core/xml/error-handler-restored",
                   test_error_handler_restored);
  g_test_add_func ("/jobgraph/core/xml/threads", test_threads);

  return g_test_run ();
}
