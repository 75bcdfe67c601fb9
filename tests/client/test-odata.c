/* test-odata.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "jg-client.h"
#include "jg-client-private.h"

/* The client's pure parts: wire formats, entity parsers, redaction and the
 * account. No network.
 */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = jg_json_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);

  return root;
}

static void
assert_date (const char *text,
             gint64      unix_seconds,
             int         microsecond)
{
  g_autoptr(GDateTime) date = jg_odata_parse_date (text);

  g_assert_nonnull (date);
  g_assert_cmpint (g_date_time_to_unix (date), ==, unix_seconds);
  g_assert_cmpint (g_date_time_get_microsecond (date), ==, microsecond);
  g_assert_cmpint (g_date_time_get_utc_offset (date), ==, 0);
}

static void
test_dates (void)
{
  /* ISO without a zone is UTC. */
  assert_date ("2015-02-11T01:46:08.897", 1423619168, 897000);
  assert_date ("2015-02-11T01:46:16", 1423619176, 0);
  /* Seven fractional digits and Z. */
  assert_date ("2015-01-19T08:04:34.3287057Z", 1421654674, 328705);
  /* An explicit offset is honoured. */
  assert_date ("2015-01-19T09:04:34+01:00", 1421654674, 0);
  /* Verbose JSON, with and without an offset suffix. */
  assert_date ("/Date(1587097903363)/", 1587097903, 363000);
  assert_date ("/Date(1587097903363+0000)/", 1587097903, 363000);
  assert_date ("/Date(-1500)/", -2, 500000);

  g_assert_null (jg_odata_parse_date (NULL));
  g_assert_null (jg_odata_parse_date (""));
  g_assert_null (jg_odata_parse_date ("yesterday"));
  g_assert_null (jg_odata_parse_date ("/Date(abc)/"));
  g_assert_null (jg_odata_parse_date ("/Date(12)"));
  g_assert_null (jg_odata_parse_date ("2015-13-45T99:00:00"));
}

static void
test_envelopes (void)
{
  static const char *const collections[] = {
    "{\"d\":{\"results\":[{\"Id\":\"a\"},{\"Id\":\"b\"}]}}",
    "{\"d\":[{\"Id\":\"a\"},{\"Id\":\"b\"}]}",
    "{\"odata.metadata\":\"x/$metadata#Jobs\",\"value\":[{\"Id\":\"a\"},{\"Id\":\"b\"}]}",
    "[{\"Id\":\"a\"},{\"Id\":\"b\"}]",
  };
  static const char *const entities[] = {
    "{\"d\":{\"__metadata\":{\"uri\":\"x\"},\"Id\":\"a\"}}",
    "{\"odata.metadata\":\"x/$metadata#Jobs/@Element\",\"Id\":\"a\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    {
      g_autoptr(JsonNode) root = parse (collections[i]);
      g_autoptr(GError) error = NULL;
      JsonArray *array = jg_odata_get_results (root, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (array), ==, 2);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "Id"), ==, "b");

      if (JSON_NODE_HOLDS_OBJECT (root))
        {
          g_assert_null (jg_odata_get_entity (root, &error));
          g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      g_autoptr(JsonNode) root = parse (entities[i]);
      g_autoptr(GError) error = NULL;
      JsonObject *object = jg_odata_get_entity (root, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (object, "Id"), ==, "a");

      g_assert_null (jg_odata_get_results (root, &error));
      g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
    }
}

static void
assert_error_body (const char *body,
                   const char *code,
                   const char *message)
{
  g_autofree char *got_code = NULL;
  g_autofree char *got_message = NULL;

  g_assert_true (jg_odata_parse_error (body, strlen (body), &got_code, &got_message));
  g_assert_cmpstr (got_code, ==, code);
  g_assert_cmpstr (got_message, ==, message);
}

static void
test_error_bodies (void)
{
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;

  /* Verbose JSON (MS-ODATA §2.2.8.1.2). */
  assert_error_body ("{\"error\":{\"code\":\"\",\"message\":{\"lang\":\"en-US\",\"value\":\"Resource Asset not found\"}}}",
                     "", "Resource Asset not found");
  /* Light JSON. */
  assert_error_body ("{\"odata.error\":{\"code\":\"cycle\",\"message\":{\"lang\":\"en-US\",\"value\":\"Tasks must not form a cycle.\"}}}",
                     "cycle", "Tasks must not form a cycle.");
  /* XML, with a BOM and leading white space, message text trimmed. */
  assert_error_body ("\xef\xbb\xbf\n<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                     "<error xmlns=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">"
                     "<code>NotFound</code><message xml:lang=\"en-US\"> Resource Job not found </message></error>",
                     "NotFound", "Resource Job not found");
  /* XML with a prefix. */
  assert_error_body ("<m:error xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">"
                     "<m:code/><m:message>Bad</m:message><m:innererror><m:message>inner</m:message></m:innererror></m:error>",
                     "", "Bad");
  /* OAuth token endpoint errors. */
  assert_error_body ("{\"error\":\"invalid_client\",\"error_description\":\"ACS50012: Authentication failed.\"}",
                     "invalid_client", "ACS50012: Authentication failed.");
  /* A message given as a plain string. */
  assert_error_body ("{\"error\":{\"code\":\"x\",\"message\":\"plain\"}}", "x", "plain");

  /* Not error bodies. */
  g_assert_false (jg_odata_parse_error ("{\"d\":{}}", 8, &code, &message));
  g_assert_null (code);
  g_assert_null (message);
  g_assert_false (jg_odata_parse_error ("<error/>", 8, &code, &message));
  g_assert_false (jg_odata_parse_error ("<html>Object moved</html>", 25, &code, &message));
  g_assert_false (jg_odata_parse_error ("\x01\x02garbage", 9, &code, &message));
  g_assert_false (jg_odata_parse_error (NULL, 0, &code, &message));
}

static void
test_syntax (void)
{
  g_autofree char *quoted = jg_odata_quote ("O'Brien's");
  g_autofree char *filter = jg_odata_dup_filter_eq ("Name", "a 'b' & c");
  g_autofree char *key = jg_odata_dup_key_path ("Jobs", "nb:jid:UUID:7dc2642f-0001");
  g_autofree char *odd_key = jg_odata_dup_key_path ("Assets", "it's");
  g_autofree char *escaped = jg_odata_escape_query_value ("Name eq 'a+b&c=d #1'");
  g_autofree char *id = NULL;
  g_autofree char *odd_id = NULL;

  g_assert_cmpstr (quoted, ==, "'O''Brien''s'");
  g_assert_cmpstr (filter, ==, "Name eq 'a ''b'' & c'");
  g_assert_cmpstr (key, ==, "Jobs('nb%3Ajid%3AUUID%3A7dc2642f-0001')");
  g_assert_cmpstr (odd_key, ==, "Assets('it%27%27s')");
  g_assert_cmpstr (escaped, ==, "Name%20eq%20'a%2Bb%26c%3Dd%20%231'");

  id = jg_odata_dup_id_from_location ("https://x/api/Jobs('nb%3Ajid%3AUUID%3A7dc2642f-0001')");
  g_assert_cmpstr (id, ==, "nb:jid:UUID:7dc2642f-0001");
  odd_id = jg_odata_dup_id_from_location ("http://127.0.0.1/api/Assets('it%27%27s')");
  g_assert_cmpstr (odd_id, ==, "it's");
  g_assert_null (jg_odata_dup_id_from_location ("https://x/api/Jobs"));
  g_assert_null (jg_odata_dup_id_from_location ("https://x/api/Jobs('')"));
  g_assert_null (jg_odata_dup_id_from_location (NULL));

  g_assert_cmpint (jg_odata_compare_versions ("1.10", "1.9"), >, 0);
  g_assert_cmpint (jg_odata_compare_versions ("1.1", "1.1.0"), ==, 0);
  g_assert_cmpint (jg_odata_compare_versions ("2.0", "10.0"), <, 0);
  g_assert_cmpint (jg_odata_compare_versions (NULL, "1.0"), <, 0);
}

static void
test_entities (void)
{
  g_autoptr(JsonNode) job_root = parse ("{\"d\":{\"__metadata\":{},\"Id\":\"nb:jid:UUID:1\",\"Name\":\"j\","
                                         "\"State\":2,\"Priority\":\"40\",\"Created\":\"/Date(1587097903363)/\","
                                         "\"StartTime\":\"2015-02-11T01:46:16.58\",\"EndTime\":null,"
                                         "\"RunningDuration\":12.5,\"TemplateId\":null}}");
  g_autoptr(JsonNode) named_state = parse ("{\"Id\":\"nb:jid:UUID:2\",\"State\":\"Canceling\"}");
  g_autoptr(JsonNode) task_root = parse ("{\"Id\":\"nb:tid:UUID:1\",\"State\":4,\"Progress\":100.0,"
                                          "\"MediaProcessorId\":\"nb:mpid:UUID:x\",\"Configuration\":\"Bad\","
                                          "\"ErrorDetails\":{\"__metadata\":{},\"results\":["
                                          "{\"Code\":\"ErrorParsingConfiguration\",\"Message\":\"Unknown preset\"}]}}");
  g_autoptr(JsonNode) template_root = parse ("{\"Id\":\"nb:jtid:UUID:1\",\"Name\":\"t\",\"NumberofInputAssets\":1,"
                                              "\"JobTemplateBody\":\"<jobTemplate><taskBody taskTemplateId=\\\"nb:ttid:UUID:B\\\"/>"
                                              "<taskBody taskTemplateId=\\\"nb:ttid:UUID:a\\\"/></jobTemplate>\"}");
  g_autoptr(JsonNode) no_id = parse ("{\"Name\":\"x\"}");
  g_autoptr(JgRemoteJob) job = NULL;
  g_autoptr(JgRemoteJob) canceling = NULL;
  g_autoptr(JgRemoteTask) task = NULL;
  g_autoptr(JgRemoteTemplate) template_ = NULL;
  g_autoptr(GPtrArray) task_templates = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_remote_task_template_unref);
  g_autoptr(GError) error = NULL;
  JgRemoteErrorDetail *detail;

  job = jg_remote_job_new_from_json (jg_odata_get_entity (job_root, NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->id, ==, "nb:jid:UUID:1");
  g_assert_cmpint (job->state, ==, JG_JOB_STATE_PROCESSING);
  g_assert_cmpint (job->priority, ==, 40);
  g_assert_cmpint (g_date_time_to_unix (job->created), ==, 1587097903);
  g_assert_nonnull (job->start_time);
  g_assert_null (job->end_time);
  g_assert_null (job->template_id);
  g_assert_cmpfloat (job->running_duration, ==, 12.5);
  g_assert_false (jg_job_state_is_final (job->state));

  canceling = jg_remote_job_new_from_json (json_node_get_object (named_state), &error);
  g_assert_no_error (error);
  g_assert_cmpint (canceling->state, ==, JG_JOB_STATE_CANCELING);

  task = jg_remote_task_new_from_json (json_node_get_object (task_root), &error);
  g_assert_no_error (error);
  g_assert_cmpint (task->state, ==, JG_JOB_STATE_ERROR);
  g_assert_cmpfloat (task->progress, ==, 100.0);
  g_assert_cmpuint (task->error_details->len, ==, 1);
  detail = g_ptr_array_index (task->error_details, 0);
  g_assert_cmpstr (detail->code, ==, "ErrorParsingConfiguration");
  g_assert_cmpstr (detail->message, ==, "Unknown preset");

  template_ = jg_remote_template_new_from_json (json_node_get_object (template_root), &error);
  g_assert_no_error (error);
  g_assert_true (jg_remote_template_references (template_, "NB:TTID:UUID:A"));
  g_assert_false (jg_remote_template_references (template_, "nb:ttid:UUID:c"));

  /* TaskTemplates come back in the order the body names them. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"Id\":\"nb:ttid:UUID:%s\",\"NumberofInputAssets\":1,"
                                               "\"NumberofOutputAssets\":2}",
                                               i == 0 ? "A" : "b");
      g_autoptr(JsonNode) root = parse (json);

      g_ptr_array_add (task_templates, jg_remote_task_template_new_from_json (json_node_get_object (root), NULL));
    }
  jg_remote_template_take_task_templates (template_, g_steal_pointer (&task_templates));
  g_assert_cmpuint (template_->task_templates->len, ==, 2);
  g_assert_cmpstr (((JgRemoteTaskTemplate *)g_ptr_array_index (template_->task_templates, 0))->id, ==, "nb:ttid:UUID:b");
  g_assert_cmpint (((JgRemoteTaskTemplate *)g_ptr_array_index (template_->task_templates, 1))->n_outputs, ==, 2);

  g_assert_null (jg_remote_job_new_from_json (json_node_get_object (no_id), &error));
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
}

static void
test_redaction (void)
{
  g_autofree char *form = _jg_client_redact_form ("grant_type=client_credentials&client_id=local&"
                                                  "client_secret=s3cr3t%3D&scope=urn%3AWindowsAzureMediaServices");
  g_autofree char *auth = _jg_client_redact_header ("authorization", "Bearer abc.def");
  g_autofree char *other = _jg_client_redact_header ("x-ms-version", "2.19");
  g_autofree char *cookie = _jg_client_redact_header ("Cookie", "a=b");

  g_assert_cmpstr (form, ==, "grant_type=client_credentials&client_id=local&"
                             "client_secret=[REDACTED]&scope=urn%3AWindowsAzureMediaServices");
  g_assert_cmpstr (auth, ==, "Bearer [REDACTED]");
  g_assert_cmpstr (other, ==, "2.19");
  g_assert_cmpstr (cookie, ==, "[REDACTED]");
}

static void
test_account (void)
{
  g_autoptr(JgAccount) account = jg_account_new_for_emulator ("http://127.0.0.1:1234", NULL, NULL);
  g_autoptr(JgAccount) global = jg_account_new (JG_AUTH_KIND_AAD, "https://media.windows.net");
  g_autoptr(JgAccount) bad = jg_account_new (JG_AUTH_KIND_BEARER, "ftp://x/");
  g_autofree GParamSpec **pspecs = NULL;
  g_autofree char        *base = NULL;
  g_autofree char        *global_base = NULL;
  guint                   n_pspecs;

  g_assert_cmpint (jg_account_get_auth_kind (account), ==, JG_AUTH_KIND_ACS);
  g_assert_cmpstr (jg_account_get_endpoint (account), ==, "http://127.0.0.1:1234/api/");
  g_assert_cmpstr (jg_account_get_token_uri (account), ==, "http://127.0.0.1:1234/v2/OAuth2-13");
  g_assert_cmpstr (jg_account_get_client_id (account), ==, "local");
  g_assert_cmpstr (jg_account_get_secret (account), ==, "jobgraph-local-key");
  g_assert_cmpstr (jg_account_get_api_version (account), ==, "2.19");
  g_assert_cmpstr (jg_account_get_resource (account), ==, "https://rest.media.azure.net");

  base = jg_account_dup_api_base (account);
  g_assert_cmpstr (base, ==, "http://127.0.0.1:1234/api/");
  global_base = jg_account_dup_api_base (global);
  g_assert_cmpstr (global_base, ==, "https://media.windows.net/api/");
  g_assert_null (jg_account_dup_api_base (bad));

  /* The secret is no property, and no property shows it. */
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (account), "secret"));
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (account), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *contents = NULL;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (account), pspecs[i]->name, &value);
      contents = g_strdup_value_contents (&value);
      g_assert_null (strstr (contents, "jobgraph-local-key"));
    }

  jg_account_set_secret (account, NULL);
  g_assert_false (jg_account_has_secret (account));
  jg_account_set_api_version (account, NULL);
  g_assert_cmpstr (jg_account_get_api_version (account), ==, "2.19");
}

static void
test_debug_flag (void)
{
  /* main() set JOBGRAPH_DEBUG=http,other; it is read once per process. */
  g_assert_true (_jg_client_debug_http ());
  g_unsetenv ("JOBGRAPH_DEBUG");
  g_assert_true (_jg_client_debug_http ());
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("JOBGRAPH_DEBUG", "http,other", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/client/odata/dates", test_dates);
  g_test_add_func ("/jobgraph/client/odata/envelopes", test_envelopes);
  g_test_add_func ("/jobgraph/client/odata/error-bodies", test_error_bodies);
  g_test_add_func ("/jobgraph/client/odata/syntax", test_syntax);
  g_test_add_func ("/jobgraph/client/odata/entities", test_entities);
  g_test_add_func ("/jobgraph/client/odata/redaction", test_redaction);
  g_test_add_func ("/jobgraph/client/odata/account", test_account);
  g_test_add_func ("/jobgraph/client/odata/debug-flag", test_debug_flag);

  return g_test_run ();
}
