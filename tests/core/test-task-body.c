/* test-task-body.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-task-body"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "jg-format-error.h"
#include "jg-task-body.h"

#define DECL   "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
#define TTID_A "nb:ttid:UUID:071370A3-E63E-4E81-A099-AD66BCAC3789"
#define TTID_B "nb:ttid:UUID:2b6e3c1a-5f0d-4d8e-9b7a-0c1d2e3f4a5b"

/* A TaskBody or JobTemplateBody string found in a seed file. */
typedef struct
{
  char    *file;
  char    *xml;
  gboolean is_template;
} SeedBody;

static void
seed_body_free (SeedBody *seed)
{
  g_free (seed->file);
  g_free (seed->xml);
  g_free (seed);
}

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
assert_outputs_equal (const JgTaskBodyOutput *a,
                      const JgTaskBodyOutput *b)
{
  g_assert_cmpstr (a->reference, ==, b->reference);
  g_assert_cmpstr (a->asset_name, ==, b->asset_name);
  g_assert_cmpstr (a->storage_account_name, ==, b->storage_account_name);
  g_assert_cmpint (a->creation_options, ==, b->creation_options);
  g_assert_cmpint (a->format_option, ==, b->format_option);
}

/* Compares everything but the line, which depends on the layout. */
static void
assert_bodies_equal (const JgTaskBody *a,
                     const JgTaskBody *b)
{
  g_assert_cmpstr (a->task_template_id, ==, b->task_template_id);

  g_assert_cmpuint (a->inputs->len, ==, b->inputs->len);
  for (guint i = 0; i < a->inputs->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a->inputs, i), ==,
                     g_ptr_array_index (b->inputs, i));

  g_assert_cmpuint (a->outputs->len, ==, b->outputs->len);
  for (guint i = 0; i < a->outputs->len; i++)
    assert_outputs_equal (g_ptr_array_index (a->outputs, i),
                          g_ptr_array_index (b->outputs, i));
}

static void
assert_templates_equal (GPtrArray *a,
                        GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    assert_bodies_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i));
}

/* Writes @body, parses it back, and checks nothing changed, including that
 * writing again gives the same text.
 */
static void
assert_round_trip (const JgTaskBody *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) again = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;

  xml = jg_task_body_to_string (body);
  again = jg_task_body_parse (xml, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);

  /* A TaskBody has no template id. */
  g_assert_null (again->task_template_id);
  g_assert_cmpstr (body->task_template_id, ==, NULL);
  assert_bodies_equal (body, again);

  xml_again = jg_task_body_to_string (again);
  g_assert_cmpstr (xml, ==, xml_again);
}

static void
assert_template_round_trip (GPtrArray *bodies)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;

  xml = jg_job_template_body_to_string (bodies);
  again = jg_job_template_body_parse (xml, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  assert_templates_equal (bodies, again);

  xml_again = jg_job_template_body_to_string (again);
  g_assert_cmpstr (xml, ==, xml_again);
}

static void
collect_from_json (JsonNode   *node,
                   const char *file,
                   GPtrArray  *seeds)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_from_json (json_array_get_element (array, i), file, seeds);
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr (GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode   *member = json_object_get_member (object, name);
          gboolean    is_task = strcmp (name, "TaskBody") == 0;
          gboolean    is_template = strcmp (name, "JobTemplateBody") == 0;

          if ((is_task || is_template) && JSON_NODE_HOLDS_VALUE (member))
            {
              SeedBody *seed = g_new0 (SeedBody, 1);

              seed->file = g_strdup (file);
              seed->xml = g_strdup (json_node_get_string (member));
              seed->is_template = is_template;
              g_ptr_array_add (seeds, seed);
            }
          else
            {
              collect_from_json (member, file, seeds);
            }
        }
    }
}

static void
collect_from_json_text (const char *text,
                        const char *file,
                        GPtrArray  *seeds)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  collect_from_json (json_parser_get_root (parser), file, seeds);
}

/* The JSON parts of a $batch request: from a line starting with '{' to the
 * line ending with the matching '}'.
 */
static void
collect_from_batch (const char *text,
                    const char *file,
                    GPtrArray  *seeds)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GString) json = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (json == NULL && line[0] == '{')
        json = g_string_new (NULL);
      if (json == NULL)
        continue;

      g_string_append (json, line);
      g_string_append_c (json, '\n');

      if (g_str_has_suffix (line, "}"))
        {
          g_autoptr (JsonParser) parser = json_parser_new ();

          if (json_parser_load_from_data (parser, json->str, -1, NULL))
            {
              collect_from_json (json_parser_get_root (parser), file, seeds);
              g_string_free (g_steal_pointer (&json), TRUE);
            }
        }
    }

  g_assert_null (json);
}

static GPtrArray *
collect_seed_bodies (void)
{
  g_autofree char *dir_path = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray  *seeds;
  const char *name;

  seeds = g_ptr_array_new_with_free_func ((GDestroyNotify)seed_body_free);

  dir_path = g_test_build_filename (G_TEST_DIST, "data", "seed", NULL);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      const char      *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *text = NULL;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);

      if (g_str_has_suffix (file, ".json"))
        collect_from_json_text (text, file, seeds);
      else if (g_str_has_suffix (file, ".batch"))
        collect_from_batch (text, file, seeds);
    }

  return seeds;
}

static void
assert_simple_body (const JgTaskBody *body,
                    const char       *input,
                    const char       *output)
{
  const JgTaskBodyOutput *out;

  g_assert_cmpuint (body->inputs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (body->inputs, 0), ==, input);
  g_assert_cmpuint (body->outputs->len, ==, 1);

  out = g_ptr_array_index (body->outputs, 0);
  g_assert_cmpstr (out->reference, ==, output);
  g_assert_null (out->storage_account_name);
  g_assert_cmpint (out->creation_options, ==, -1);
  g_assert_cmpint (out->format_option, ==, -1);
}

static void
test_seed (void)
{
  g_autoptr (GPtrArray) seeds = collect_seed_bodies ();
  guint    n_tasks = 0;
  guint    n_templates = 0;
  gboolean saw_utf16 = FALSE;
  gboolean saw_asset_name = FALSE;

  for (guint i = 0; i < seeds->len; i++)
    {
      SeedBody *seed = g_ptr_array_index (seeds, i);
      g_autoptr (GError) error = NULL;

      g_test_message ("%s: %s", seed->file, seed->xml);

      if (seed->is_template)
        {
          g_autoptr (GPtrArray) bodies = NULL;
          JgTaskBody *body;

          bodies = jg_job_template_body_parse (seed->xml, -1, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (bodies->len, ==, 1);

          body = g_ptr_array_index (bodies, 0);
          g_assert_cmpstr (body->task_template_id, ==, TTID_A);
          g_assert_cmpint (body->line, ==, 1);
          assert_simple_body (body, "JobInputAsset(0)", "JobOutputAsset(0)");
          assert_template_round_trip (bodies);
          n_templates++;
        }
      else
        {
          g_autoptr (JgTaskBody) body = NULL;
          const JgTaskBodyOutput *out;

          body = jg_task_body_parse (seed->xml, -1, &error);
          g_assert_no_error (error);
          g_assert_nonnull (body);
          g_assert_null (body->task_template_id);
          g_assert_cmpint (body->line, ==, 1);

          out = g_ptr_array_index (body->outputs, 0);
          if (strstr (seed->xml, "utf-16") != NULL)
            {
              /* The chained job's second task. */
              assert_simple_body (body, "JobOutputAsset(0)",
                                  "JobOutputAsset(1)");
              saw_utf16 = TRUE;
            }
          else
            {
              assert_simple_body (body, "JobInputAsset(0)",
                                  "JobOutputAsset(0)");
            }

          if (strcmp (seed->file, "batch-job.batch") == 0)
            {
              g_assert_cmpstr (out->asset_name, ==, "Custom output name");
              saw_asset_name = TRUE;
            }
          else
            {
              g_assert_null (out->asset_name);
            }

          assert_round_trip (body);
          n_tasks++;
        }
    }

  /* chained-job (2), single-task-job (1), batch-job (1); job-template. */
  g_assert_cmpuint (n_tasks, ==, 4);
  g_assert_cmpuint (n_templates, ==, 1);
  g_assert_true (saw_utf16);
  g_assert_true (saw_asset_name);
}

static void
test_parse (void)
{
  const char *xml =
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n"
    "<taskBody>\n"
    "  <!-- inputs first -->\n"
    "  <inputAsset>\n    JobInputAsset(0)\n  </inputAsset>\n"
    "  <inputAsset>JobOutputAsset(3)</inputAsset>\n"
    "  <outputAsset assetCreationOptions=\"1\" assetFormatOption=\" 0 \"\n"
    "               assetName=\"Out &amp; about\" storageAccountName=\"\">"
    "JobOutputAsset(0)</outputAsset>\n"
    "  <outputAsset>not a reference</outputAsset>\n"
    "  <inputAsset><![CDATA[JobInputAsset(1)]]></inputAsset>\n"
    "  <inputAsset></inputAsset>\n"
    "</taskBody>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) body = NULL;
  const JgTaskBodyOutput *out;

  body = jg_task_body_parse (xml, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpint (body->line, ==, 2);
  g_assert_null (body->task_template_id);

  /* Texts are trimmed but not judged: the graph builder does that. */
  g_assert_cmpuint (body->inputs->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (body->inputs, 0), ==,
                   "JobInputAsset(0)");
  g_assert_cmpstr (g_ptr_array_index (body->inputs, 1), ==,
                   "JobOutputAsset(3)");
  g_assert_cmpstr (g_ptr_array_index (body->inputs, 2), ==,
                   "JobInputAsset(1)");
  g_assert_cmpstr (g_ptr_array_index (body->inputs, 3), ==, "");

  g_assert_cmpuint (body->outputs->len, ==, 2);
  out = g_ptr_array_index (body->outputs, 0);
  g_assert_cmpstr (out->reference, ==, "JobOutputAsset(0)");
  g_assert_cmpint (out->creation_options, ==, 1);
  g_assert_cmpint (out->format_option, ==, 0);
  g_assert_cmpstr (out->asset_name, ==, "Out & about");
  g_assert_cmpstr (out->storage_account_name, ==, "");

  out = g_ptr_array_index (body->outputs, 1);
  g_assert_cmpstr (out->reference, ==, "not a reference");
  g_assert_null (out->asset_name);
  g_assert_null (out->storage_account_name);
  g_assert_cmpint (out->creation_options, ==, -1);
  g_assert_cmpint (out->format_option, ==, -1);

  assert_round_trip (body);
}

static void
test_attribute_casing (void)
{
  const char *xml =
    "<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
    "<outputAsset AssetCreationOptions=\"2\" AssetFormatOption=\"1\" "
    "AssetName=\"Upper\" StorageAccountName=\"store\">JobOutputAsset(0)"
    "</outputAsset>"
    "<outputAsset assetName=\"lower\" AssetName=\"Upper\" "
    "assetCreationOptions=\"4\" AssetCreationOptions=\"1\">JobOutputAsset(1)"
    "</outputAsset></taskBody>";
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) body = NULL;
  g_autofree char        *written = NULL;
  const JgTaskBodyOutput *out;

  body = jg_task_body_parse (xml, -1, &error);
  g_assert_no_error (error);

  out = g_ptr_array_index (body->outputs, 0);
  g_assert_cmpint (out->creation_options, ==, 2);
  g_assert_cmpint (out->format_option, ==, 1);
  g_assert_cmpstr (out->asset_name, ==, "Upper");
  g_assert_cmpstr (out->storage_account_name, ==, "store");

  /* When both are there, the documented lower-case name wins. */
  out = g_ptr_array_index (body->outputs, 1);
  g_assert_cmpstr (out->asset_name, ==, "lower");
  g_assert_cmpint (out->creation_options, ==, 4);

  /* Written back in the lower-case form. */
  written = jg_task_body_to_string (body);
  g_assert_cmpstr (written, ==,
                   DECL "<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
                        "<outputAsset assetCreationOptions=\"2\" "
                        "assetFormatOption=\"1\" assetName=\"Upper\" "
                        "storageAccountName=\"store\">JobOutputAsset(0)"
                        "</outputAsset>"
                        "<outputAsset assetCreationOptions=\"4\" "
                        "assetName=\"lower\">JobOutputAsset(1)</outputAsset>"
                        "</taskBody>");
}

static void
test_wrong_root (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) body = NULL;

  body = jg_task_body_parse ("<?xml version=\"1.0\"?>\n<TaskBody/>", -1,
                             &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The root element is <TaskBody>, but a TaskBody must have "
                   "<taskBody> as its root element");
  assert_position (error, 2, 1);
  g_clear_error (&error);

  /* A template is not a TaskBody. */
  body = jg_task_body_parse ("<jobTemplate><taskBody/></jobTemplate>", -1,
                             &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_clear_error (&error);

  /* Nor is a taskBody in some namespace. */
  body = jg_task_body_parse ("<taskBody xmlns=\"urn:x\"/>", -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The root element is <taskBody xmlns=\"urn:x\">, but a "
                   "TaskBody must have <taskBody> as its root element");
}

static void
test_unknown_child (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) body = NULL;

  body = jg_task_body_parse ("<taskBody><inputAsset>JobInputAsset(0)"
                             "</inputAsset><foo/></taskBody>",
                             -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Unexpected element <foo> in <taskBody>; only "
                   "<inputAsset> and <outputAsset> are allowed");
  assert_position (error, 1, 52);
  g_clear_error (&error);

  body = jg_task_body_parse ("<taskBody>\n"
                             "  <inputAsset>JobInputAsset(0)</inputAsset>\n"
                             "  <p:outputAsset xmlns:p=\"urn:x\">"
                             "JobOutputAsset(0)</p:outputAsset>\n"
                             "</taskBody>",
                             -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Unexpected element <p:outputAsset> in <taskBody>; only "
                   "<inputAsset> and <outputAsset> are allowed");
  assert_position (error, 3, 3);
  g_clear_error (&error);

  /* Case matters for element names. */
  body = jg_task_body_parse ("<taskBody><InputAsset>JobInputAsset(0)"
                             "</InputAsset></taskBody>",
                             -1, &error);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  assert_position (error, 1, 11);
  g_clear_error (&error);

  /* An asset holds text only. */
  body = jg_task_body_parse ("<taskBody><inputAsset>Job<b>Input</b>Asset(0)"
                             "</inputAsset></taskBody>",
                             -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Unexpected element <b> in <inputAsset>; it may only "
                   "contain text such as JobInputAsset(0)");
  assert_position (error, 1, 26);
}

static void
test_text (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) body = NULL;

  body = jg_task_body_parse ("<taskBody>JobInputAsset(0)</taskBody>", -1,
                             &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Unexpected text \"JobInputAsset(0)\" in <taskBody>; only "
                   "<inputAsset> and <outputAsset> are allowed");
  assert_position (error, 1, 11);
  g_clear_error (&error);

  /* The position is that of the first character that is not blank. */
  body = jg_task_body_parse ("<taskBody>\n"
                             "  <inputAsset>JobInputAsset(0)</inputAsset>\n"
                             "\n"
                             "    stray words that go on and on and on\n"
                             "</taskBody>",
                             -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Unexpected text \"stray words that go on a…\" in "
                   "<taskBody>; only <inputAsset> and <outputAsset> are "
                   "allowed");
  assert_position (error, 4, 5);
  g_clear_error (&error);

  body = jg_task_body_parse ("<taskBody><![CDATA[x]]></taskBody>", -1,
                             &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  assert_position (error, 1, 20);
  g_clear_error (&error);

  body = jg_task_body_parse ("<taskBody>&amp;</taskBody>", -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "Unexpected text \"&\" in <taskBody>; only <inputAsset> "
                   "and <outputAsset> are allowed");
  assert_position (error, 1, 11);
}

static void
test_integer_attributes (void)
{
  struct
  {
    const char *attribute;
    const char *value;
    const char *message;
  } cases[] = {
    { "assetCreationOptions", "abc",
      "The attribute assetCreationOptions of <outputAsset> must be a whole "
      "number of 0 or more, not \"abc\"" },
    { "AssetCreationOptions", "-1",
      "The attribute AssetCreationOptions of <outputAsset> must be a whole "
      "number of 0 or more, not \"-1\"" },
    { "assetFormatOption", "1.5",
      "The attribute assetFormatOption of <outputAsset> must be a whole "
      "number of 0 or more, not \"1.5\"" },
    { "AssetFormatOption", "",
      "The attribute AssetFormatOption of <outputAsset> must be a whole "
      "number of 0 or more, not \"\"" },
    { "assetCreationOptions", "0x1",
      "The attribute assetCreationOptions of <outputAsset> must be a whole "
      "number of 0 or more, not \"0x1\"" },
    { "assetCreationOptions", "+1",
      "The attribute assetCreationOptions of <outputAsset> must be a whole "
      "number of 0 or more, not \"+1\"" },
    { "assetFormatOption", "99999999999",
      "The attribute assetFormatOption of <outputAsset> is too large: "
      "99999999999" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JgTaskBody) body = NULL;
      g_autofree char *xml = NULL;

      xml = g_strdup_printf ("<taskBody>\n"
                             "<inputAsset>JobInputAsset(0)</inputAsset>\n"
                             "  <outputAsset %s=\"%s\">JobOutputAsset(0)"
                             "</outputAsset></taskBody>",
                             cases[i].attribute, cases[i].value);
      g_test_message ("%s", xml);

      body = jg_task_body_parse (xml, -1, &error);
      g_assert_null (body);
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      assert_position (error, 3, 3);
    }
}

static void
test_integer_attributes_valid (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) body = NULL;
  const JgTaskBodyOutput *out;

  body = jg_task_body_parse ("<taskBody><outputAsset "
                             "assetCreationOptions=\"2147483647\" "
                             "assetFormatOption=\"\n007\t\">x</outputAsset>"
                             "</taskBody>",
                             -1, &error);
  g_assert_no_error (error);

  out = g_ptr_array_index (body->outputs, 0);
  g_assert_cmpint (out->creation_options, ==, G_MAXINT);
  g_assert_cmpint (out->format_option, ==, 7);
}

static void
test_errors_pass_through (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JgTaskBody) body = NULL;
  g_autoptr (GPtrArray) bodies = NULL;

  body = jg_task_body_parse ("<taskBody><inputAsset>JobInputAsset(0)"
                             "</taskBody>",
                             -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The XML is not well-formed: Opening and ending tag "
                   "mismatch: inputAsset line 1 and taskBody");
  assert_position (error, 1, 50);
  g_clear_error (&error);

  body = jg_task_body_parse ("<!DOCTYPE taskBody [<!ENTITY x SYSTEM "
                             "\"file:///etc/passwd\">]><taskBody>"
                             "<inputAsset>&x;</inputAsset></taskBody>",
                             -1, &error);
  g_assert_null (body);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  bodies = jg_job_template_body_parse ("<jobTemplate>", -1, &error);
  g_assert_null (bodies);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_clear_error (&error);

  bodies = jg_job_template_body_parse ("", 0, &error);
  g_assert_null (bodies);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
}

static void
test_template_parse (void)
{
  const char *xml =
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>\n"
    "<jobTemplate>\n"
    "  <taskBody taskTemplateId=\"" TTID_A "\">\n"
    "    <inputAsset>JobInputAsset(0)</inputAsset>\n"
    "    <outputAsset assetCreationOptions=\"0\">JobOutputAsset(0)"
    "</outputAsset>\n"
    "  </taskBody>\n"
    "  <!-- the second task reads the first one's output -->\n"
    "  <taskBody TaskTemplateId=\"" TTID_B "\"><inputAsset>"
    "JobOutputAsset(0)</inputAsset><outputAsset storageAccountName=\"s\">"
    "JobOutputAsset(1)</outputAsset></taskBody>\n"
    "  <taskBody></taskBody>\n"
    "</jobTemplate>\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) bodies = NULL;
  const JgTaskBody       *body;
  const JgTaskBodyOutput *out;

  bodies = jg_job_template_body_parse (xml, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bodies->len, ==, 3);

  body = g_ptr_array_index (bodies, 0);
  g_assert_cmpstr (body->task_template_id, ==, TTID_A);
  g_assert_cmpint (body->line, ==, 3);
  g_assert_cmpuint (body->inputs->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (body->inputs, 0), ==,
                   "JobInputAsset(0)");
  out = g_ptr_array_index (body->outputs, 0);
  g_assert_cmpstr (out->reference, ==, "JobOutputAsset(0)");
  g_assert_cmpint (out->creation_options, ==, 0);

  body = g_ptr_array_index (bodies, 1);
  g_assert_cmpstr (body->task_template_id, ==, TTID_B);
  g_assert_cmpint (body->line, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (body->inputs, 0), ==,
                   "JobOutputAsset(0)");
  out = g_ptr_array_index (body->outputs, 0);
  g_assert_cmpstr (out->storage_account_name, ==, "s");

  /* Not judged here: a missing id is the validator's to report. */
  body = g_ptr_array_index (bodies, 2);
  g_assert_null (body->task_template_id);
  g_assert_cmpint (body->line, ==, 9);
  g_assert_cmpuint (body->inputs->len, ==, 0);
  g_assert_cmpuint (body->outputs->len, ==, 0);

  assert_template_round_trip (bodies);
}

static void
test_template_empty (void)
{
  const char *inputs[] = {
    "<jobTemplate/>",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><jobTemplate></jobTemplate>",
    "<jobTemplate>\n  <!-- nothing yet -->\n</jobTemplate>",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) bodies = NULL;

      bodies = jg_job_template_body_parse (inputs[i], -1, &error);
      g_assert_no_error (error);
      g_assert_nonnull (bodies);
      g_assert_cmpuint (bodies->len, ==, 0);
    }
}

static void
test_template_refusals (void)
{
  struct
  {
    const char *xml;
    const char *message;
    int         line;
    int         column;
  } cases[] = {
    { "<taskBody/>",
      "The root element is <taskBody>, but a JobTemplateBody must have "
      "<jobTemplate> as its root element",
      1, 1 },
    { "<jobTemplate>\n  <task/>\n</jobTemplate>",
      "Unexpected element <task> in <jobTemplate>; only <taskBody> is "
      "allowed",
      2, 3 },
    { "<jobTemplate><taskBody/>oops</jobTemplate>",
      "Unexpected text \"oops\" in <jobTemplate>; only <taskBody> is "
      "allowed",
      1, 25 },
    { "<jobTemplate><taskBody taskTemplateId=\"" TTID_A "\">"
      "<inputAsset>JobInputAsset(0)</inputAsset>\n"
      "<outputAsset/><jobTemplate/></taskBody></jobTemplate>",
      "Unexpected element <jobTemplate> in <taskBody>; only <inputAsset> "
      "and <outputAsset> are allowed",
      2, 15 },
    { "<jobTemplate><taskBody><outputAsset assetFormatOption=\"x\"/>"
      "</taskBody></jobTemplate>",
      "The attribute assetFormatOption of <outputAsset> must be a whole "
      "number of 0 or more, not \"x\"",
      1, 24 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) bodies = NULL;

      g_test_message ("%s", cases[i].xml);

      bodies = jg_job_template_body_parse (cases[i].xml, -1, &error);
      g_assert_null (bodies);
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      assert_position (error, cases[i].line, cases[i].column);
    }
}

static JgTaskBodyOutput *
output_new (const char *reference,
            const char *asset_name,
            const char *storage,
            int         creation_options,
            int         format_option)
{
  JgTaskBodyOutput *out = jg_task_body_output_new (reference);

  out->asset_name = g_strdup (asset_name);
  out->storage_account_name = g_strdup (storage);
  out->creation_options = creation_options;
  out->format_option = format_option;

  return out;
}

static void
test_write (void)
{
  g_autoptr (JgTaskBody) body = jg_task_body_new ();
  g_autofree char *xml = NULL;

  /* Inputs and outputs interleaved in the model are written inputs first
   * anyway; the template id is not part of a TaskBody.
   */
  body->task_template_id = g_strdup (TTID_A);
  g_ptr_array_add (body->outputs,
                   output_new ("JobOutputAsset(0)", "x", "y", 0, 0));
  g_ptr_array_add (body->inputs, g_strdup ("JobInputAsset(0)"));
  g_ptr_array_add (body->outputs,
                   output_new ("JobOutputAsset(1)", NULL, NULL, -1, -1));
  g_ptr_array_add (body->outputs,
                   output_new ("JobOutputAsset(2)", NULL, "s", 1, -1));
  g_ptr_array_add (body->inputs, g_strdup ("JobOutputAsset(7)"));

  xml = jg_task_body_to_string (body);
  g_assert_cmpstr (xml, ==,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?><taskBody>"
                   "<inputAsset>JobInputAsset(0)</inputAsset>"
                   "<inputAsset>JobOutputAsset(7)</inputAsset>"
                   "<outputAsset assetCreationOptions=\"0\" "
                   "assetFormatOption=\"0\" assetName=\"x\" "
                   "storageAccountName=\"y\">JobOutputAsset(0)</outputAsset>"
                   "<outputAsset>JobOutputAsset(1)</outputAsset>"
                   "<outputAsset assetCreationOptions=\"1\" "
                   "storageAccountName=\"s\">JobOutputAsset(2)</outputAsset>"
                   "</taskBody>");
}

static void
test_write_spec_example (void)
{
  g_autoptr (JgTaskBody) body = jg_task_body_new ();
  g_autofree char *xml = NULL;

  g_ptr_array_add (body->inputs, g_strdup ("JobInputAsset(0)"));
  g_ptr_array_add (body->outputs,
                   output_new ("JobOutputAsset(0)", "x", "y", 0, 0));

  xml = jg_task_body_to_string (body);
  g_assert_cmpstr (xml, ==,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?><taskBody>"
                   "<inputAsset>JobInputAsset(0)</inputAsset><outputAsset "
                   "assetCreationOptions=\"0\" assetFormatOption=\"0\" "
                   "assetName=\"x\" storageAccountName=\"y\">"
                   "JobOutputAsset(0)</outputAsset></taskBody>");
}

static void
test_write_empty (void)
{
  g_autoptr (JgTaskBody) body = jg_task_body_new ();
  g_autofree char *xml = NULL;
  g_autofree char *template_xml = NULL;
  g_autofree char *null_template_xml = NULL;
  g_autoptr (GPtrArray) none = g_ptr_array_new ();

  xml = jg_task_body_to_string (body);
  g_assert_cmpstr (xml, ==, DECL "<taskBody></taskBody>");
  assert_round_trip (body);

  template_xml = jg_job_template_body_to_string (none);
  g_assert_cmpstr (template_xml, ==, DECL "<jobTemplate></jobTemplate>");
  null_template_xml = jg_job_template_body_to_string (NULL);
  g_assert_cmpstr (null_template_xml, ==, template_xml);
}

static void
test_template_write (void)
{
  g_autoptr (GPtrArray) bodies = NULL;
  g_autofree char *xml = NULL;
  JgTaskBody      *body;

  bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_task_body_free);

  body = jg_task_body_new ();
  body->task_template_id = g_strdup (TTID_A);
  g_ptr_array_add (body->inputs, g_strdup ("JobInputAsset(0)"));
  g_ptr_array_add (body->outputs,
                   output_new ("JobOutputAsset(0)", NULL, NULL, 0, -1));
  g_ptr_array_add (bodies, body);

  body = jg_task_body_new ();
  body->task_template_id = g_strdup (TTID_B);
  g_ptr_array_add (body->inputs, g_strdup ("JobOutputAsset(0)"));
  g_ptr_array_add (body->outputs,
                   output_new ("JobOutputAsset(1)", NULL, "st", 1, -1));
  g_ptr_array_add (bodies, body);

  xml = jg_job_template_body_to_string (bodies);
  g_assert_cmpstr (xml, ==,
                   DECL "<jobTemplate>"
                        "<taskBody taskTemplateId=\"" TTID_A "\">"
                        "<inputAsset>JobInputAsset(0)</inputAsset>"
                        "<outputAsset assetCreationOptions=\"0\">"
                        "JobOutputAsset(0)</outputAsset></taskBody>"
                        "<taskBody taskTemplateId=\"" TTID_B "\">"
                        "<inputAsset>JobOutputAsset(0)</inputAsset>"
                        "<outputAsset assetCreationOptions=\"1\" "
                        "storageAccountName=\"st\">JobOutputAsset(1)"
                        "</outputAsset></taskBody>"
                        "</jobTemplate>");

  assert_template_round_trip (bodies);
}

static void
test_escaping (void)
{
  g_autoptr (JgTaskBody) body = jg_task_body_new ();
  g_autoptr (JgTaskBody) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char        *xml = NULL;
  const JgTaskBodyOutput *out;

  g_ptr_array_add (body->inputs, g_strdup ("Job<Input>&\"Asset\"'(0)"));
  g_ptr_array_add (body->outputs,
                   output_new ("]]>JobOutputAsset(0)",
                               "Tom & Jerry's <\"best\"> caf\xC3\xA9 "
                               "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\xAC",
                               "tab\there\nnew\rline  two  spaces",
                               3, 1));

  xml = jg_task_body_to_string (body);
  g_assert_cmpstr (xml, ==,
                   DECL "<taskBody>"
                        "<inputAsset>Job&lt;Input&gt;&amp;&quot;Asset&quot;'(0)"
                        "</inputAsset>"
                        "<outputAsset assetCreationOptions=\"3\" "
                        "assetFormatOption=\"1\" assetName=\"Tom &amp; Jerry's "
                        "&lt;&quot;best&quot;&gt; caf\xC3\xA9 "
                        "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x8E\xAC\" "
                        "storageAccountName=\"tab&#9;here&#10;new&#13;line  "
                        "two  "
                        "spaces\">]]&gt;JobOutputAsset(0)</outputAsset>"
                        "</taskBody>");

  again = jg_task_body_parse (xml, -1, &error);
  g_assert_no_error (error);
  assert_bodies_equal (body, again);

  out = g_ptr_array_index (again->outputs, 0);
  g_assert_cmpstr (out->storage_account_name, ==,
                   "tab\there\nnew\rline  two  spaces");
}

static void
test_escaping_unrepresentable (void)
{
  g_autoptr (JgTaskBody) body = jg_task_body_new ();
  g_autoptr (JgTaskBody) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char        *xml = NULL;
  const JgTaskBodyOutput *out;

  /* XML 1.0 cannot carry these at all, not even as references; writing
   * them would make the body unreadable.
   */
  g_ptr_array_add (body->inputs, g_strdup ("a\x01"
                                           "b\x1F"
                                           "c"));
  g_ptr_array_add (body->outputs,
                   output_new ("x", "bad \xFF utf8 \xEF\xBF\xBF end", NULL,
                               -1, -1));

  xml = jg_task_body_to_string (body);
  g_assert_true (g_utf8_validate (xml, -1, NULL));

  again = jg_task_body_parse (xml, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_ptr_array_index (again->inputs, 0), ==,
                   "a\xEF\xBF\xBD"
                   "b\xEF\xBF\xBD"
                   "c");
  out = g_ptr_array_index (again->outputs, 0);
  g_assert_cmpstr (out->asset_name, ==,
                   "bad \xEF\xBF\xBD utf8 \xEF\xBF\xBD end");
}

static void
test_round_trip (void)
{
  const char *bodies[] = {
    "<taskBody><inputAsset>JobInputAsset(0)</inputAsset>"
    "<outputAsset>JobOutputAsset(0)</outputAsset></taskBody>",
    "<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n<taskBody>\r\n"
    " <inputAsset> JobInputAsset(0) </inputAsset>\r\n"
    " <outputAsset AssetName=\"&#x3C;&#9;\xC3\xA9&#10;\" "
    "assetCreationOptions=\"0\">JobOutputAsset(0)</outputAsset>\r\n"
    " <inputAsset>JobInputAsset(1)</inputAsset>\r\n"
    "</taskBody>",
    "<taskBody><outputAsset StorageAccountName=\"&quot;&apos;&amp;\" "
    "assetName=\"\" AssetFormatOption=\"1\">JobOutputAsset(0)</outputAsset>"
    "</taskBody>",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JgTaskBody) body = NULL;

      g_test_message ("%s", bodies[i]);

      body = jg_task_body_parse (bodies[i], -1, &error);
      g_assert_no_error (error);
      assert_round_trip (body);
    }
}

static void
test_large_template (void)
{
  g_autoptr (GPtrArray) bodies = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;

  bodies = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_task_body_free);

  /* A chain of 10,000 tasks, each reading the previous one's output. */
  for (int i = 0; i < 10000; i++)
    {
      JgTaskBody      *body = jg_task_body_new ();
      g_autofree char *reference = NULL;

      body->task_template_id =
        g_strdup_printf ("nb:ttid:UUID:%08x-0000-4000-8000-000000000000", i);
      if (i == 0)
        g_ptr_array_add (body->inputs, g_strdup ("JobInputAsset(0)"));
      else
        g_ptr_array_add (body->inputs,
                         g_strdup_printf ("JobOutputAsset(%d)", i - 1));

      reference = g_strdup_printf ("JobOutputAsset(%d)", i);
      g_ptr_array_add (body->outputs,
                       output_new (reference, NULL, NULL, i % 3, -1));
      g_ptr_array_add (bodies, body);
    }

  xml = jg_job_template_body_to_string (bodies);
  g_assert_null (strchr (xml, '\n'));

  again = jg_job_template_body_parse (xml, -1, &error);
  g_assert_no_error (error);
  assert_templates_equal (bodies, again);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/task-body/seed", test_seed);
  g_test_add_func ("/jobgraph/core/task-body/parse", test_parse);
  g_test_add_func ("/jobgraph/core/task-body/attribute-casing",
                   test_attribute_casing);
  g_test_add_func ("/jobgraph/core/task-body/wrong-root", test_wrong_root);
  g_test_add_func ("/jobgraph/core/task-body/unknown-child",
                   test_unknown_child);
  g_test_add_func ("/jobgraph/core/task-body/text", test_text);
  g_test_add_func ("/jobgraph/core/task-body/integer-attributes",
                   test_integer_attributes);
  g_test_add_func ("/jobgraph/core/task-body/integer-attributes-valid",
                   test_integer_attributes_valid);
  g_test_add_func ("/jobgraph/core/task-body/errors-pass-through",
                   test_errors_pass_through);
  g_test_add_func ("/jobgraph/core/task-body/write", test_write);
  g_test_add_func ("/jobgraph/core/task-body/write-spec-example",
                   test_write_spec_example);
  g_test_add_func ("/jobgraph/core/task-body/write-empty", test_write_empty);
  g_test_add_func ("/jobgraph/core/task-body/escaping", test_escaping);
  g_test_add_func ("/jobgraph/core/task-body/escaping-unrepresentable",
                   test_escaping_unrepresentable);
  g_test_add_func ("/jobgraph/core/task-body/round-trip", test_round_trip);
  g_test_add_func ("/jobgraph/core/template/parse", test_template_parse);
  g_test_add_func ("/jobgraph/core/template/empty", test_template_empty);
  g_test_add_func ("/jobgraph/core/template/refusals",
                   test_template_refusals);
  g_test_add_func ("/jobgraph/core/template/write", test_template_write);
  g_test_add_func ("/jobgraph/core/template/large", test_large_template);

  return g_test_run ();
}
