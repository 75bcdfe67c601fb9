/* test-batch.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-batch"

#include "config.h"

#include <string.h>

#include "jg-batch.h"
#include "jg-format-error.h"

#define SEED_BATCH        "batch_a01a5ec4-ba0f-4536-84b5-66c5a5a6d34e"
#define SEED_CHANGESET    "changeset_122fb0a4-cd80-4958-820f-346309967e4d"
#define SEED_CONTENT_TYPE "multipart/mixed; boundary=" SEED_BATCH

static char *
load_seed (gsize *length)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  path = g_test_build_filename (G_TEST_DIST, "data", "seed", "batch-job.batch", NULL);
  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  /* The seed is written with LF line ends; the CRLF test relies on it. */
  g_assert_null (strchr (contents, '\r'));

  return contents;
}

/* Replaces every LF with CRLF. */
static char *
dup_crlf (const char *data,
          gsize       length,
          gsize      *out_length)
{
  GString *str = g_string_sized_new (length * 2);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        g_string_append_c (str, '\r');
      g_string_append_c (str, data[i]);
    }

  *out_length = str->len;
  return g_string_free (str, FALSE);
}

static char *
dup_without_cr (GBytes *bytes)
{
  gsize       size;
  const char *data = g_bytes_get_data (bytes, &size);
  GString    *str = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
        continue;
      g_string_append_c (str, data[i]);
    }

  return g_string_free (str, FALSE);
}

static void
assert_body (JgBatchPart *part,
             const char  *expected)
{
  gsize            size;
  const char      *data = g_bytes_get_data (part->body, &size);
  g_autofree char *copy = g_strndup (data != NULL ? data : "", size);

  g_assert_cmpstr (copy, ==, expected);
  g_assert_cmpuint (size, ==, strlen (expected));
}

static char *
dup_body (JgBatchPart *part)
{
  gsize       size;
  const char *data = g_bytes_get_data (part->body, &size);

  return g_strndup (data != NULL ? data : "", size);
}

static GPtrArray *
parse_string (const char *content_type,
              const char *body)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *parts;

  parts = jg_batch_parse (content_type, body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_nonnull (parts);

  return parts;
}

static void
assert_refused (const char   *content_type,
                const char   *body,
                gsize         length,
                JgFormatError code,
                int           line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  int error_line = -1;
  int error_column = -1;

  parts = jg_batch_parse (content_type, body, length, &error);
  g_assert_null (parts);
  g_assert_error (error, JG_FORMAT_ERROR, (int)code);
  g_test_message ("refused as expected: %s", error->message);

  jg_format_error_get_position (error, &error_line, &error_column);
  g_assert_cmpint (error_line, ==, line);

  /* The position is error data; the message does not repeat it. */
  g_assert_false (g_str_has_prefix (error->message, "Line "));
}

static void
assert_refused_string (const char   *content_type,
                       const char   *body,
                       JgFormatError code,
                       int           line)
{
  assert_refused (content_type, body, strlen (body), code, line);
}

static void
assert_same_parts (GPtrArray *a,
                   GPtrArray *b,
                   gboolean   ignore_cr)
{
  g_assert_cmpuint (a->len, ==, b->len);

  for (guint i = 0; i < a->len; i++)
    {
      JgBatchPart *pa = g_ptr_array_index (a, i);
      JgBatchPart *pb = g_ptr_array_index (b, i);

      g_assert_cmpstr (pa->method, ==, pb->method);
      g_assert_cmpstr (pa->uri, ==, pb->uri);
      g_assert_cmpint (pa->status, ==, pb->status);
      g_assert_cmpstr (pa->reason, ==, pb->reason);
      g_assert_cmpint (pa->changeset, ==, pb->changeset);
      g_assert_cmpint (pa->line, ==, pb->line);

      g_assert_cmpuint (pa->headers->len, ==, pb->headers->len);
      for (guint j = 0; j < pa->headers->len; j++)
        g_assert_cmpstr (g_ptr_array_index (pa->headers, j), ==,
                         g_ptr_array_index (pb->headers, j));

      if (ignore_cr)
        {
          g_autofree char *ba = dup_without_cr (pa->body);
          g_autofree char *bb = dup_without_cr (pb->body);

          g_assert_cmpstr (ba, ==, bb);
        }
      else
        {
          g_assert_true (g_bytes_equal (pa->body, pb->body));
        }
    }
}

static void
assert_seed_parts (GPtrArray *parts)
{
  JgBatchPart     *job;
  JgBatchPart     *task;
  g_autofree char *job_body = NULL;
  g_autofree char *task_body = NULL;

  g_assert_cmpuint (parts->len, ==, 2);

  job = g_ptr_array_index (parts, 0);
  task = g_ptr_array_index (parts, 1);

  g_assert_cmpstr (job->method, ==, "POST");
  g_assert_cmpstr (job->uri, ==, "https://media.windows.net/api/Jobs");
  g_assert_cmpint (job->status, ==, 0);
  g_assert_null (job->reason);
  g_assert_cmpint (job->changeset, ==, 1);
  g_assert_cmpint (job->line, ==, 8);
  g_assert_cmpstr (jg_batch_part_get_header (job, "Content-ID"), ==, "1");
  g_assert_cmpstr (jg_batch_part_get_header (job, "content-type"), ==, "application/json");
  g_assert_cmpuint (job->headers->len, ==, 2 * 9);
  g_assert_cmpstr (g_ptr_array_index (job->headers, 0), ==, "Content-ID");
  g_assert_cmpstr (g_ptr_array_index (job->headers, 16), ==, "x-ms-client-request-id");
  g_assert_cmpstr (g_ptr_array_index (job->headers, 17), ==, "00000000-0000-0000-0000-000000000000");

  g_assert_cmpstr (task->method, ==, "POST");
  g_assert_cmpstr (task->uri, ==, "https://media.windows.net/api/$1/Tasks");
  g_assert_cmpint (task->changeset, ==, 1);
  g_assert_cmpint (task->line, ==, 25);
  g_assert_cmpstr (jg_batch_part_get_header (task, "Content-ID"), ==, "2");
  g_assert_cmpstr (jg_batch_part_get_header (task, "X-MS-VERSION"), ==, "2.11");
  g_assert_cmpstr (jg_batch_part_get_header (task, "Authorization"), ==, "Bearer <token>");
  g_assert_null (jg_batch_part_get_header (task, "Content-Length"));

  job_body = dup_without_cr (job->body);
  task_body = dup_without_cr (task->body);

  /* The blank line before the delimiter stays as a trailing line break:
   * only the line break just before the delimiter belongs to it.
   */
  g_assert_true (g_str_has_prefix (job_body, "{\"Name\" : \"NewTestJob\""));
  g_assert_true (g_str_has_suffix (job_body, "')\"]}\n"));
  g_assert_false (g_str_has_suffix (job_body, "\n\n"));

  g_assert_true (g_str_has_prefix (task_body, "{  \n   \"Configuration\""));
  g_assert_nonnull (strstr (task_body, "\"TaskBody\":\"<?xml version=\\\"1.0\\\" encoding=\\\"utf-8\\\"?><taskBody>"));
  g_assert_nonnull (strstr (task_body, "<outputAsset assetName=\\\"Custom output name\\\">JobOutputAsset(0)</outputAsset></taskBody>\""));
  g_assert_true (g_str_has_suffix (task_body, "}\n"));
}

static void
test_boundary (void)
{
  static const struct
  {
    const char *content_type;
    const char *boundary;
  } cases[] = {
    { SEED_CONTENT_TYPE, SEED_BATCH },
    { "multipart/mixed;boundary=b", "b" },
    { "multipart/mixed; boundary=\"batch x\"", "batch x" },
    { "multipart/mixed; boundary=\"a\\\"b\"", "a\"b" },
    { "Multipart/Mixed; charset=utf-8; BOUNDARY = b1 ; foo=bar", "b1" },
    { "multipart/mixed; name=\"a;boundary=x\"; boundary=y", "y" },
    { "multipart/mixed; xboundary=x", NULL },
    { "multipart/mixed", NULL },
    { "multipart/mixed; boundary=", NULL },
    { "multipart/mixed; boundary=\"\"", NULL },
    { "multipart/mixed; boundary=\"unterminated", NULL },
    { "multipart/mixed; boundary", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *boundary = jg_batch_dup_boundary (cases[i].content_type);

      g_assert_cmpstr (boundary, ==, cases[i].boundary);
    }
}

static void
test_seed (void)
{
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) sniffed = NULL;
  g_autoptr(GPtrArray) declared = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  data = load_seed (&length);

  sniffed = jg_batch_parse (NULL, data, length, &error);
  g_assert_no_error (error);
  assert_seed_parts (sniffed);

  /* The exact bytes of the job body: the final '\n' is the blank line. */
  {
    JgBatchPart *job = g_ptr_array_index (sniffed, 0);

    assert_body (job, "{\"Name\" : \"NewTestJob\", \"InputMediaAssets@odata.bind\":"
                      "[\"https://media.windows.net/api/Assets('nb%3Acid%3AUUID%3A"
                      "2a22445d-1500-80c6-4b34-f1e5190d33c6')\"]}\n");
  }

  declared = jg_batch_parse (SEED_CONTENT_TYPE, data, length, &error);
  g_assert_no_error (error);
  assert_same_parts (sniffed, declared, FALSE);
}

static void
test_seed_crlf (void)
{
  g_autofree char *data = NULL;
  g_autofree char *crlf = NULL;
  g_autoptr(GPtrArray) lf_parts = NULL;
  g_autoptr(GPtrArray) crlf_parts = NULL;
  g_autoptr(GPtrArray) mixed_parts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) mixed = g_string_new (NULL);
  gsize length;
  gsize crlf_length;
  int   line = 0;

  data = load_seed (&length);
  crlf = dup_crlf (data, length, &crlf_length);

  lf_parts = jg_batch_parse (NULL, data, length, &error);
  g_assert_no_error (error);
  crlf_parts = jg_batch_parse (SEED_CONTENT_TYPE, crlf, crlf_length, &error);
  g_assert_no_error (error);

  assert_seed_parts (crlf_parts);
  assert_same_parts (lf_parts, crlf_parts, TRUE);

  /* The bodies keep their CRLFs, except the one before the delimiter. */
  {
    JgBatchPart     *task = g_ptr_array_index (crlf_parts, 1);
    g_autofree char *body = dup_body (task);

    g_assert_true (g_str_has_prefix (body, "{  \r\n   \"Configuration\""));
    g_assert_true (g_str_has_suffix (body, "\"\r\n}\r\n"));
  }

  /* Every other line with CRLF. */
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n' && (++line % 2) == 0)
        g_string_append_c (mixed, '\r');
      g_string_append_c (mixed, data[i]);
    }

  mixed_parts = jg_batch_parse (NULL, mixed->str, mixed->len, &error);
  g_assert_no_error (error);
  assert_same_parts (lf_parts, mixed_parts, TRUE);
}

static const char response_body[] =
  "--batchresponse_7c8b1c5f-aa1a-4e0a-9c6e-1f0c1a7c5a2d\r\n"
  "Content-Type: multipart/mixed; boundary=changesetresponse_b4a9c6a4-7f0e-4d9b-8c4e-2d1d8a0f6e3b\r\n"
  "\r\n"
  "--changesetresponse_b4a9c6a4-7f0e-4d9b-8c4e-2d1d8a0f6e3b\r\n"
  "Content-Type: application/http\r\n"
  "Content-Transfer-Encoding: binary\r\n"
  "\r\n"
  "HTTP/1.1 201 Created\r\n"
  "DataServiceVersion: 3.0;\r\n"
  "Content-Type: application/atom+xml;type=entry;charset=utf-8\r\n"
  "Content-ID: 1\r\n"
  "Location: https://media.windows.net/api/Jobs('nb%3Ajid%3AUUID%3A7dc2642f-1b6a-4e4f-8c1c-1f0d3f3f0c55')\r\n"
  "\r\n"
  "<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>job</id></entry>\r\n"
  "--changesetresponse_b4a9c6a4-7f0e-4d9b-8c4e-2d1d8a0f6e3b\r\n"
  "Content-Type: application/http\r\n"
  "Content-Transfer-Encoding: binary\r\n"
  "\r\n"
  "HTTP/1.1 201 Created\r\n"
  "DataServiceVersion: 3.0;\r\n"
  "Content-Type: application/atom+xml;type=entry;charset=utf-8\r\n"
  "Content-ID: 2\r\n"
  "Location: https://media.windows.net/api/Tasks('nb%3Atid%3AUUID%3A94d3c509-3d7c-4f44-9c1e-0b0a0e1d2c3b')\r\n"
  "\r\n"
  "<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>task</id></entry>\r\n"
  "--changesetresponse_b4a9c6a4-7f0e-4d9b-8c4e-2d1d8a0f6e3b--\r\n"
  "--batchresponse_7c8b1c5f-aa1a-4e0a-9c6e-1f0c1a7c5a2d--\r\n";

static void
test_response (void)
{
  g_autoptr(GPtrArray) parts = NULL;
  JgBatchPart *job;
  JgBatchPart *task;

  parts = parse_string ("multipart/mixed; boundary=batchresponse_7c8b1c5f-aa1a-4e0a-9c6e-1f0c1a7c5a2d",
                        response_body);
  g_assert_cmpuint (parts->len, ==, 2);

  job = g_ptr_array_index (parts, 0);
  task = g_ptr_array_index (parts, 1);

  g_assert_null (job->method);
  g_assert_null (job->uri);
  g_assert_cmpint (job->status, ==, 201);
  g_assert_cmpstr (job->reason, ==, "Created");
  g_assert_cmpint (job->changeset, ==, 1);
  g_assert_cmpint (job->line, ==, 8);
  g_assert_cmpstr (jg_batch_part_get_header (job, "Content-ID"), ==, "1");
  g_assert_cmpstr (jg_batch_part_get_header (job, "dataserviceversion"), ==, "3.0;");
  g_assert_cmpstr (jg_batch_part_get_header (job, "location"), ==,
                   "https://media.windows.net/api/Jobs('nb%3Ajid%3AUUID%3A7dc2642f-1b6a-4e4f-8c1c-1f0d3f3f0c55')");
  assert_body (job, "<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>job</id></entry>");

  g_assert_cmpint (task->status, ==, 201);
  g_assert_cmpint (task->changeset, ==, 1);
  g_assert_cmpstr (jg_batch_part_get_header (task, "Content-ID"), ==, "2");
  g_assert_true (g_str_has_suffix (jg_batch_part_get_header (task, "Location"),
                                   "/Tasks('nb%3Atid%3AUUID%3A94d3c509-3d7c-4f44-9c1e-0b0a0e1d2c3b')"));
  assert_body (task, "<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>task</id></entry>");
}

static void
test_error_part (void)
{
  static const char error_json[] =
    "{\"odata.error\":{\"code\":\"\",\"message\":{\"lang\":\"en-US\","
    "\"value\":\"Task 2 writes JobOutputAsset(0), which task 1 also writes.\"}}}";
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  JgBatchPart *part;

  body = g_strconcat ("--batchresponse_e1\r\n"
                      "Content-Type: application/http\r\n"
                      "Content-Transfer-Encoding: binary\r\n"
                      "\r\n"
                      "HTTP/1.1 400 Bad Request\r\n"
                      "DataServiceVersion: 1.0;\r\n"
                      "Content-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8\r\n"
                      "\r\n",
                      error_json,
                      "\r\n"
                      "--batchresponse_e1--\r\n",
                      NULL);

  parts = parse_string ("multipart/mixed; boundary=batchresponse_e1", body);
  g_assert_cmpuint (parts->len, ==, 1);

  part = g_ptr_array_index (parts, 0);
  g_assert_cmpint (part->status, ==, 400);
  g_assert_cmpstr (part->reason, ==, "Bad Request");
  g_assert_null (part->method);
  g_assert_cmpint (part->changeset, ==, 0);
  g_assert_cmpint (part->line, ==, 5);
  g_assert_cmpstr (jg_batch_part_get_header (part, "Content-Type"), ==,
                   "application/json;odata=minimalmetadata;streaming=true;charset=utf-8");
  assert_body (part, error_json);
}

static JgBatchPart *
make_request (const char *method,
              const char *uri,
              int         changeset,
              const char *content_id,
              const char *body)
{
  JgBatchPart *part = jg_batch_part_new ();

  part->method = g_strdup (method);
  part->uri = g_strdup (uri);
  part->changeset = changeset;

  if (content_id != NULL)
    jg_batch_part_set_header (part, "Content-ID", content_id);
  jg_batch_part_set_header (part, "DataServiceVersion", "3.0");

  if (body != NULL)
    {
      g_clear_pointer (&part->body, g_bytes_unref);
      part->body = g_bytes_new (body, strlen (body));
    }

  return part;
}

static void
test_write (void)
{
  static const char expected[] =
    "--batch_X\r\n"
    "Content-Type: application/http\r\n"
    "Content-Transfer-Encoding: binary\r\n"
    "\r\n"
    "GET https://h/api/Assets HTTP/1.1\r\n"
    "DataServiceVersion: 3.0\r\n"
    "\r\n"
    "\r\n"
    "--batch_X\r\n"
    "Content-Type: multipart/mixed; boundary=changeset_Y\r\n"
    "\r\n"
    "--changeset_Y\r\n"
    "Content-Type: application/http\r\n"
    "Content-Transfer-Encoding: binary\r\n"
    "\r\n"
    "POST https://h/api/Jobs HTTP/1.1\r\n"
    "Content-ID: 1\r\n"
    "DataServiceVersion: 3.0\r\n"
    "\r\n"
    "{\"Name\":\"a\"}\r\n"
    "--changeset_Y\r\n"
    "Content-Type: application/http\r\n"
    "Content-Transfer-Encoding: binary\r\n"
    "\r\n"
    "POST https://h/api/$1/Tasks HTTP/1.1\r\n"
    "Content-ID: 2\r\n"
    "DataServiceVersion: 3.0\r\n"
    "\r\n"
    "{\"Name\":\"t\"}\n"
    "\r\n"
    "--changeset_Y--\r\n"
    "--batch_X\r\n"
    "Content-Type: multipart/mixed; boundary=changeset_Y_2\r\n"
    "\r\n"
    "--changeset_Y_2\r\n"
    "Content-Type: application/http\r\n"
    "Content-Transfer-Encoding: binary\r\n"
    "\r\n"
    "POST https://h/api/Jobs HTTP/1.1\r\n"
    "Content-ID: 1\r\n"
    "DataServiceVersion: 3.0\r\n"
    "\r\n"
    "{\"Name\":\"b\"}\r\n"
    "--changeset_Y_2--\r\n"
    "--batch_X--\r\n";
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_batch_part_free);
  g_autoptr(GPtrArray) reparsed = NULL;
  g_autofree char *written = NULL;
  g_autofree char *rewritten = NULL;
  JgBatchPart     *part;

  g_ptr_array_add (parts, make_request ("GET", "https://h/api/Assets", 0, NULL, NULL));
  g_ptr_array_add (parts, make_request ("POST", "https://h/api/Jobs", 3, "1", "{\"Name\":\"a\"}"));
  g_ptr_array_add (parts, make_request ("POST", "https://h/api/$1/Tasks", 3, "2", "{\"Name\":\"t\"}\n"));
  g_ptr_array_add (parts, make_request ("POST", "https://h/api/Jobs", 7, "1", "{\"Name\":\"b\"}"));

  written = jg_batch_write (parts, "batch_X", "changeset_Y");
  g_assert_cmpstr (written, ==, expected);

  reparsed = parse_string ("multipart/mixed; boundary=batch_X", written);
  g_assert_cmpuint (reparsed->len, ==, 4);

  /* Changesets are numbered by their order in the body. */
  part = g_ptr_array_index (reparsed, 0);
  g_assert_cmpint (part->changeset, ==, 0);
  g_assert_cmpstr (part->method, ==, "GET");
  assert_body (part, "");
  part = g_ptr_array_index (reparsed, 1);
  g_assert_cmpint (part->changeset, ==, 1);
  assert_body (part, "{\"Name\":\"a\"}");
  part = g_ptr_array_index (reparsed, 2);
  g_assert_cmpint (part->changeset, ==, 1);
  assert_body (part, "{\"Name\":\"t\"}\n");
  part = g_ptr_array_index (reparsed, 3);
  g_assert_cmpint (part->changeset, ==, 2);
  g_assert_cmpint (part->line, ==, 39);

  rewritten = jg_batch_write (reparsed, "batch_X", "changeset_Y");
  g_assert_cmpstr (rewritten, ==, written);
}

static void
assert_write_stable (GPtrArray *parts)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) once_more = NULL;

  first = jg_batch_write (parts, "batch_T", "changeset_T");
  again = parse_string (NULL, first);
  second = jg_batch_write (again, "batch_T", "changeset_T");
  g_assert_cmpstr (second, ==, first);

  once_more = parse_string ("multipart/mixed; boundary=batch_T", second);
  third = jg_batch_write (once_more, "batch_T", "changeset_T");
  g_assert_cmpstr (third, ==, first);
}

static void
test_write_stable (void)
{
  g_autofree char *data = NULL;
  g_autofree char *crlf = NULL;
  g_autoptr(GPtrArray) seed = NULL;
  g_autoptr(GPtrArray) seed_crlf = NULL;
  g_autoptr(GPtrArray) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GPtrArray) reparsed = NULL;
  gsize length;
  gsize crlf_length;

  data = load_seed (&length);
  seed = jg_batch_parse (NULL, data, length, &error);
  g_assert_no_error (error);
  assert_write_stable (seed);

  crlf = dup_crlf (data, length, &crlf_length);
  seed_crlf = jg_batch_parse (NULL, crlf, crlf_length, &error);
  g_assert_no_error (error);
  assert_write_stable (seed_crlf);

  /* The written seed is the seed with CRLFs, apart from the MIME part
   * headers, so parsing it gives back the seed's parts.
   */
  written = jg_batch_write (seed, SEED_BATCH, SEED_CHANGESET);
  g_assert_true (g_str_has_prefix (written, "--" SEED_BATCH "\r\nContent-Type: multipart/mixed; boundary=" SEED_CHANGESET "\r\n\r\n"));
  g_assert_true (g_str_has_suffix (written, "}\n\r\n--" SEED_CHANGESET "--\r\n--" SEED_BATCH "--\r\n"));
  reparsed = parse_string (SEED_CONTENT_TYPE, written);
  assert_seed_parts (reparsed);
  g_assert_true (g_bytes_equal (((JgBatchPart *)g_ptr_array_index (seed, 1))->body,
                                ((JgBatchPart *)g_ptr_array_index (reparsed, 1))->body));

  response = parse_string ("multipart/mixed; boundary=batchresponse_7c8b1c5f-aa1a-4e0a-9c6e-1f0c1a7c5a2d",
                           response_body);
  assert_write_stable (response);

  /* The response re-written with its own boundaries is byte-identical. */
  {
    g_autofree char *same = jg_batch_write (response,
                                            "batchresponse_7c8b1c5f-aa1a-4e0a-9c6e-1f0c1a7c5a2d",
                                            "changesetresponse_b4a9c6a4-7f0e-4d9b-8c4e-2d1d8a0f6e3b");

    g_assert_cmpstr (same, ==, response_body);
  }
}

static void
test_write_response (void)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_batch_part_free);
  g_autoptr(GPtrArray) reparsed = NULL;
  g_autofree char *written = NULL;
  JgBatchPart     *part;

  part = jg_batch_part_new ();
  part->status = 201;
  part->changeset = 1;
  jg_batch_part_set_header (part, "Content-ID", "1");
  g_ptr_array_add (parts, part);

  part = jg_batch_part_new ();
  part->status = 204;
  part->reason = g_strdup ("");
  part->changeset = 1;
  g_ptr_array_add (parts, part);

  part = jg_batch_part_new ();
  part->status = 599;
  g_ptr_array_add (parts, part);

  written = jg_batch_write (parts, "b", "c");
  g_assert_nonnull (strstr (written, "\r\n\r\nHTTP/1.1 201 Created\r\nContent-ID: 1\r\n\r\n\r\n--c\r\n"));
  g_assert_nonnull (strstr (written, "\r\n\r\nHTTP/1.1 204\r\n\r\n\r\n--c--\r\n"));
  g_assert_nonnull (strstr (written, "\r\n\r\nHTTP/1.1 599\r\n\r\n\r\n--b--\r\n"));

  reparsed = parse_string ("multipart/mixed; boundary=b", written);
  g_assert_cmpuint (reparsed->len, ==, 3);
  part = g_ptr_array_index (reparsed, 0);
  g_assert_cmpint (part->status, ==, 201);
  g_assert_cmpstr (part->reason, ==, "Created");
  part = g_ptr_array_index (reparsed, 1);
  g_assert_cmpint (part->status, ==, 204);
  g_assert_cmpstr (part->reason, ==, "");
  assert_body (part, "");
  part = g_ptr_array_index (reparsed, 2);
  g_assert_cmpint (part->status, ==, 599);
  g_assert_cmpint (part->changeset, ==, 0);

  assert_write_stable (parts);
}

static void
test_write_generated (void)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_batch_part_free);
  g_autoptr(GPtrArray) reparsed = NULL;
  g_autofree char *written = NULL;
  g_autofree char *other = NULL;
  g_autofree char *batch_uuid = NULL;
  g_autofree char *changeset_uuid = NULL;
  const char      *p;

  g_ptr_array_add (parts, make_request ("POST", "/Jobs", 1, "1", "{}"));

  written = jg_batch_write (parts, NULL, NULL);
  g_assert_true (g_str_has_prefix (written, "--batch_"));
  batch_uuid = g_strndup (written + strlen ("--batch_"), 36);
  g_assert_true (g_uuid_string_is_valid (batch_uuid));

  p = strstr (written, "boundary=changeset_");
  g_assert_nonnull (p);
  changeset_uuid = g_strndup (p + strlen ("boundary=changeset_"), 36);
  g_assert_true (g_uuid_string_is_valid (changeset_uuid));

  reparsed = parse_string (NULL, written);
  g_assert_cmpuint (reparsed->len, ==, 1);

  other = jg_batch_write (parts, NULL, NULL);
  g_assert_cmpstr (other, !=, written);
}

static void
test_headers (void)
{
  g_autoptr(JgBatchPart) part = jg_batch_part_new ();

  g_assert_null (jg_batch_part_get_header (part, "Content-ID"));
  g_assert_nonnull (part->body);
  g_assert_cmpuint (g_bytes_get_size (part->body), ==, 0);

  jg_batch_part_set_header (part, "Content-ID", "1");
  jg_batch_part_set_header (part, "Accept", "application/json");
  jg_batch_part_set_header (part, "X-Dup", "a");
  jg_batch_part_set_header (part, "Other", "o");
  g_ptr_array_add (part->headers, g_strdup ("x-dup"));
  g_ptr_array_add (part->headers, g_strdup ("b"));
  g_assert_cmpuint (part->headers->len, ==, 10);

  g_assert_cmpstr (jg_batch_part_get_header (part, "content-id"), ==, "1");
  g_assert_cmpstr (jg_batch_part_get_header (part, "ACCEPT"), ==, "application/json");
  g_assert_cmpstr (jg_batch_part_get_header (part, "x-dup"), ==, "a");

  /* Replaces in place, with the new casing. */
  jg_batch_part_set_header (part, "accept", "application/json;odata=verbose");
  g_assert_cmpuint (part->headers->len, ==, 10);
  g_assert_cmpstr (g_ptr_array_index (part->headers, 2), ==, "accept");
  g_assert_cmpstr (g_ptr_array_index (part->headers, 3), ==, "application/json;odata=verbose");
  g_assert_cmpstr (jg_batch_part_get_header (part, "Accept"), ==, "application/json;odata=verbose");

  /* Later duplicates go. */
  jg_batch_part_set_header (part, "X-DUP", "c");
  g_assert_cmpuint (part->headers->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (part->headers, 4), ==, "X-DUP");
  g_assert_cmpstr (g_ptr_array_index (part->headers, 5), ==, "c");
  g_assert_cmpstr (g_ptr_array_index (part->headers, 6), ==, "Other");

  /* Appends. */
  jg_batch_part_set_header (part, "Location", "https://h/api/Jobs('x')");
  g_assert_cmpuint (part->headers->len, ==, 10);
  g_assert_cmpstr (g_ptr_array_index (part->headers, 8), ==, "Location");
  g_assert_cmpstr (jg_batch_part_get_header (part, "location"), ==, "https://h/api/Jobs('x')");
}

static void
test_lenient (void)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GPtrArray) folded = NULL;
  JgBatchPart *part;

  /* A preamble, white space after delimiters, a top-level GET, two
   * changesets, LF and CRLF mixed, blank lines before a request line,
   * header values with white space around them, and an epilogue.
   */
  parts = parse_string ("multipart/mixed; boundary=\"b\"",
                        "This is a preamble.\r\n"
                        "--b is not a delimiter\n"
                        "--b \t\r\n"
                        "Content-Type: application/http\n"
                        "\n"
                        "GET /Assets HTTP/1.1\r\n"
                        "Accept:application/json   \r\n"
                        "\n"
                        "--b\n"
                        "content-type: Multipart/Mixed; boundary=c\n"
                        "\n"
                        "changeset preamble\n"
                        "--c  \n"
                        "Content-Type: application/http; msgtype=request\n"
                        "Content-Transfer-Encoding: BINARY\n"
                        "\n"
                        "\n"
                        "POST /Jobs HTTP/1.1\n"
                        "Content-ID:  1 \n"
                        "\n"
                        "{}\n"
                        "--c--   \n"
                        "changeset epilogue\n"
                        "--b\n"
                        "Content-Type: multipart/mixed; boundary=d\n"
                        "\n"
                        "--d\n"
                        "Content-Type: application/http\n"
                        "\n"
                        "MERGE /Jobs('x') HTTP/1.0\n"
                        "--d--\n"
                        "--b-- \n"
                        "trailing garbage\x01\xff\n--b\n");

  g_assert_cmpuint (parts->len, ==, 3);

  part = g_ptr_array_index (parts, 0);
  g_assert_cmpstr (part->method, ==, "GET");
  g_assert_cmpstr (part->uri, ==, "/Assets");
  g_assert_cmpint (part->changeset, ==, 0);
  g_assert_cmpint (part->line, ==, 6);
  g_assert_cmpstr (jg_batch_part_get_header (part, "Accept"), ==, "application/json");
  assert_body (part, "");

  part = g_ptr_array_index (parts, 1);
  g_assert_cmpstr (part->method, ==, "POST");
  g_assert_cmpint (part->changeset, ==, 1);
  g_assert_cmpint (part->line, ==, 18);
  g_assert_cmpstr (jg_batch_part_get_header (part, "Content-ID"), ==, "1");
  assert_body (part, "{}");

  /* A message that ends at the delimiter without a blank line. */
  part = g_ptr_array_index (parts, 2);
  g_assert_cmpstr (part->method, ==, "MERGE");
  g_assert_cmpint (part->changeset, ==, 2);
  g_assert_cmpuint (part->headers->len, ==, 0);
  assert_body (part, "");

  /* Folded header lines are unfolded with one space. */
  folded = parse_string (NULL,
                         "\n\n--b\n"
                         "Content-Type:\n"
                         "  application/http\n"
                         "\n"
                         "GET / HTTP/1.1\n"
                         "X-Long: one\n"
                         "\ttwo\n"
                         "  three  \n"
                         "\n"
                         "--b--");
  g_assert_cmpuint (folded->len, ==, 1);
  part = g_ptr_array_index (folded, 0);
  g_assert_cmpstr (jg_batch_part_get_header (part, "x-long"), ==, "one two three");
  g_assert_cmpint (part->line, ==, 7);
}

static void
test_body_exact (void)
{
  g_autoptr(GPtrArray) parts = NULL;

  parts = parse_string (NULL,
                        "--b\r\n"
                        "Content-Type: application/http\r\n"
                        "\r\n"
                        "POST /a HTTP/1.1\r\n"
                        "\r\n"
                        "\r\n"
                        "line one\r\n"
                        "\n"
                        "--b is text\r\n"
                        "--bb\r\n"
                        "---b\r\n"
                        " --b\r\n"
                        "--b--x\r\n"
                        "\r\n"
                        "\r\n"
                        "--b\r\n"
                        "Content-Type: application/http\r\n"
                        "\r\n"
                        "POST /b HTTP/1.1\r\n"
                        "\r\n"
                        "\r\n"
                        "--b\n"
                        "Content-Type: application/http\r\n"
                        "\r\n"
                        "POST /c HTTP/1.1\r\n"
                        "\r\n"
                        "no line break at all\r\n"
                        "--b--");

  g_assert_cmpuint (parts->len, ==, 3);
  assert_body (g_ptr_array_index (parts, 0),
               "\r\nline one\r\n\n--b is text\r\n--bb\r\n---b\r\n --b\r\n--b--x\r\n\r\n");
  assert_body (g_ptr_array_index (parts, 1), "");
  assert_body (g_ptr_array_index (parts, 2), "no line break at all");

  assert_write_stable (parts);
}

static void
test_refuse (void)
{
  static const struct
  {
    const char   *name;
    const char   *content_type;
    const char   *body;
    JgFormatError code;
    int           line;
  } cases[] = {
    /* Missing boundary */
    { "no-boundary-line", NULL, "\n  \nhello\n--b\n", JG_FORMAT_ERROR_PARSE, 3 },
    { "empty", NULL, "", JG_FORMAT_ERROR_PARSE, 1 },
    { "blank", NULL, "\n\r\n \n", JG_FORMAT_ERROR_PARSE, 3 },
    { "dashes-only", NULL, "--\n", JG_FORMAT_ERROR_PARSE, 1 },
    { "indented-boundary", NULL, " --b\n", JG_FORMAT_ERROR_PARSE, 1 },
    { "content-type-no-boundary", "multipart/mixed", "--b\n--b--\n", JG_FORMAT_ERROR_PARSE, 0 },
    { "content-type-not-multipart", "application/json; boundary=b", "--b\n--b--\n", JG_FORMAT_ERROR_INVALID, 0 },
    { "boundary-too-long", "multipart/mixed; boundary="
                           "0123456789012345678901234567890123456789012345678901234567890123456789x",
      "--b\n", JG_FORMAT_ERROR_PARSE, 0 },
    { "boundary-not-found", "multipart/mixed; boundary=b", "preamble\n--c\n--c--\n", JG_FORMAT_ERROR_PARSE, 3 },
    { "changeset-no-boundary",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 2 },

    /* Missing closing delimiters */
    { "no-close",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "GET / HTTP/1.1\n"
      "\n"
      "body\n",
      JG_FORMAT_ERROR_PARSE, 6 },
    { "no-close-after-part",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "GET / HTTP/1.1\n"
      "\n"
      "--b\n",
      JG_FORMAT_ERROR_PARSE, 6 },
    { "no-close-in-headers",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "GET / HTTP/1.1\n"
      "Accept: x",
      JG_FORMAT_ERROR_PARSE, 5 },
    { "changeset-not-closed",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed; boundary=c\n"
      "\n"
      "--c\n"
      "Content-Type: application/http\n"
      "\n"
      "POST / HTTP/1.1\n"
      "\n"
      "{}\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 10 },
    { "changeset-never-opened",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed; boundary=c\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "changeset-no-batch-close",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed; boundary=c\n"
      "\n"
      "--c\n"
      "Content-Type: application/http\n"
      "\n"
      "POST / HTTP/1.1\n"
      "\n"
      "--c--\n"
      "epilogue\n",
      JG_FORMAT_ERROR_PARSE, 10 },

    /* Parts that are not application/http */
    { "no-content-type",
      NULL,
      "--b\n"
      "Content-Transfer-Encoding: binary\n"
      "\n"
      "GET / HTTP/1.1\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 1 },
    { "no-headers",
      NULL,
      "--b\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 1 },
    { "changeset-part-no-content-type",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed; boundary=c\n"
      "\n"
      "--c\n"
      "\n"
      "POST / HTTP/1.1\n"
      "\n"
      "--c--\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 4 },
    { "text-plain",
      NULL,
      "--b\n"
      "Content-Type: text/plain\n"
      "\n"
      "GET / HTTP/1.1\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 2 },
    { "application-http-prefix",
      NULL,
      "--b\n"
      "Content-Type: application/httpx\n"
      "\n"
      "GET / HTTP/1.1\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 2 },
    { "multipart-related",
      NULL,
      "--b\n"
      "Content-Type: multipart/related; boundary=c\n"
      "\n"
      "--c--\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 2 },
    { "base64",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "R0VUIC8gSFRUUC8xLjENCg0K\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 3 },
    { "same-boundary",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed; boundary=b\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 2 },
    { "nested-changeset",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed; boundary=c\n"
      "\n"
      "--c\n"
      "Content-Type: multipart/mixed; boundary=d\n"
      "\n"
      "--d\n"
      "Content-Type: application/http\n"
      "\n"
      "GET / HTTP/1.1\n"
      "\n"
      "--d--\n"
      "--c--\n"
      "--b--\n",
      JG_FORMAT_ERROR_INVALID, 5 },

    /* MIME headers */
    { "mime-header-no-colon",
      NULL,
      "--b\n"
      "Content-Type application/http\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 2 },
    { "mime-headers-no-blank-line",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 3 },
    { "mime-header-starts-indented",
      NULL,
      "--b\n"
      " Content-Type: application/http\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 2 },

    /* Request and status lines */
    { "no-request-line",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 5 },
    { "request-no-version",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "POST /Jobs\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "request-bad-version",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "POST /Jobs HTTP/one\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "request-extra-word",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "POST /Jobs HTTP/1.1 now\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "request-no-uri",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "POST  HTTP/1.1\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "request-bad-method",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "{\"Name\":1}\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "request-indented",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      " GET / HTTP/1.1\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "status-not-number",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "HTTP/1.1 2x1 Created\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "status-no-code",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "HTTP/1.1\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "status-four-digits",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "HTTP/1.1 2010 Created\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "status-out-of-range",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "HTTP/1.1 999 Nine\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },
    { "status-bad-version",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "HTTP/11 201 Created\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 4 },

    /* Inner headers */
    { "header-no-colon",
      NULL,
      "--b\n"
      "Content-Type: multipart/mixed; boundary=c\n"
      "\n"
      "--c\n"
      "Content-Type: application/http\n"
      "\n"
      "POST /Jobs HTTP/1.1\n"
      "Content-ID: 1\n"
      "Content-Type application/json\n"
      "\n"
      "{}\n"
      "--c--\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 9 },
    { "header-no-name",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "GET / HTTP/1.1\n"
      ": value\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 5 },
    { "header-space-in-name",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "GET / HTTP/1.1\n"
      "Content ID: 1\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 5 },
    { "header-control-character",
      NULL,
      "--b\n"
      "Content-Type: application/http\n"
      "\n"
      "GET / HTTP/1.1\n"
      "X-Bad: a\x01z\n"
      "\n"
      "--b--\n",
      JG_FORMAT_ERROR_PARSE, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *crlf = NULL;
      gsize            crlf_length;

      g_test_message ("case %s", cases[i].name);
      assert_refused_string (cases[i].content_type, cases[i].body, cases[i].code, cases[i].line);

      /* The same with CRLF line ends fails the same way, on the same line. */
      crlf = dup_crlf (cases[i].body, strlen (cases[i].body), &crlf_length);
      assert_refused (cases[i].content_type, crlf, crlf_length, cases[i].code, cases[i].line);
    }
}

static void
test_refuse_columns (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  static const char body[] =
    "--b\n"
    "Content-Type: application/http\n"
    "\n"
    "GET / HTTP/1.1\n"
    "X-Bad: a\x01z\n"
    "\n"
    "--b--\n";
  static const char nul_body[] =
    "--b\r\n"
    "Content-Type: application/http\r\n"
    "\r\n"
    "POST / HTTP/1.1\r\n"
    "\r\n"
    "{\"\0\"}\r\n"
    "--b--\r\n";
  int line;
  int column;

  parts = jg_batch_parse (NULL, body, strlen (body), &error);
  g_assert_null (parts);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_true (jg_format_error_get_position (error, &line, &column));
  g_assert_cmpint (line, ==, 5);
  g_assert_cmpint (column, ==, 9);
  g_assert_false (g_str_has_prefix (error->message, "Line "));
  g_clear_error (&error);

  /* A NUL byte anywhere, here in a body, is refused where it is. */
  parts = jg_batch_parse (NULL, nul_body, sizeof nul_body - 1, &error);
  g_assert_null (parts);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_true (jg_format_error_get_position (error, &line, &column));
  g_assert_cmpint (line, ==, 6);
  g_assert_cmpint (column, ==, 3);
}

static void
test_refuse_messages (void)
{
  static const char no_content_type[] =
    "--b\n"
    "Content-Type: multipart/mixed; boundary=c\n"
    "\n"
    "--c\n"
    "Content-Transfer-Encoding: binary\n"
    "\n"
    "--c--\n"
    "--b--\n";
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  const char *closing;
  gsize       length;
  int         line;

  data = load_seed (&length);

  /* Drop the batch's closing line. */
  closing = strstr (data, "--" SEED_BATCH "--");
  g_assert_nonnull (closing);

  parts = jg_batch_parse (NULL, data, closing - data, &error);
  g_assert_null (parts);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The batch body ends before its closing boundary --" SEED_BATCH "--");
  g_assert_true (jg_format_error_get_position (error, &line, NULL));
  g_assert_cmpint (line, ==, 42);
  g_clear_error (&error);

  /* Drop the changeset's closing line too. */
  closing = strstr (data, "--" SEED_CHANGESET "--");
  parts = jg_batch_parse (NULL, data, closing - data, &error);
  g_assert_null (parts);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "The batch body ends inside changeset 1, before its closing boundary --" SEED_CHANGESET "--");
  g_assert_true (jg_format_error_get_position (error, &line, NULL));
  g_assert_cmpint (line, ==, 41);
  g_clear_error (&error);

  parts = jg_batch_parse (NULL, no_content_type, strlen (no_content_type), &error);
  g_assert_null (parts);
  g_assert_error (error, JG_FORMAT_ERROR, JG_FORMAT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The changeset part has no Content-Type header; expected application/http");
  g_assert_true (jg_format_error_get_position (error, &line, NULL));
  g_assert_cmpint (line, ==, 4);
}

static void
test_too_many_parts (void)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_last;

  for (guint i = 0; i < 1000; i++)
    g_string_append (body, "--b\nContent-Type: application/http\n\nGET /x HTTP/1.1\n\n");

  before_last = body->len;
  g_string_append (body, "--b--\n");

  /* 1000 parts are fine… */
  parts = jg_batch_parse (NULL, body->str, body->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 1000);
  g_assert_cmpint (((JgBatchPart *)g_ptr_array_index (parts, 999))->line, ==, 5 * 999 + 4);

  /* …1001 are not, and the error points at the 1001st request line. */
  g_string_truncate (body, before_last);
  g_string_append (body, "--b\nContent-Type: multipart/mixed; boundary=c\n\n"
                         "--c\nContent-Type: application/http\n\nPOST /x HTTP/1.1\n\n--c--\n--b--\n");
  assert_refused (NULL, body->str, body->len, JG_FORMAT_ERROR_TOO_LARGE, 5 * 1000 + 7);
}

static void
test_too_many_headers (void)
{
  g_autoptr(GString) body = g_string_new ("--b\nContent-Type: application/http\n\nGET / HTTP/1.1\n");

  for (guint i = 0; i < 1001; i++)
    g_string_append (body, "X: y\n");
  g_string_append (body, "\n--b--\n");

  assert_refused (NULL, body->str, body->len, JG_FORMAT_ERROR_TOO_LARGE, 5 + 1000);
}

static void
test_too_large (void)
{
  gsize            length = 16 * 1024 * 1024 + 1;
  g_autofree char *data = g_malloc (length);
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;
  static const char head[] = "--b\nContent-Type: application/http\n\nPOST / HTTP/1.1\n\n";
  static const char tail[] = "\n--b--\n";

  memset (data, 'x', length);
  memcpy (data, head, strlen (head));
  memcpy (data + length - strlen (tail), tail, strlen (tail));

  assert_refused (NULL, data, length, JG_FORMAT_ERROR_TOO_LARGE, 0);

  /* Exactly 16 MiB is accepted. */
  memcpy (data + length - 1 - strlen (tail), tail, strlen (tail));
  parts = jg_batch_parse (NULL, data, length - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (((JgBatchPart *)g_ptr_array_index (parts, 0))->body), ==,
                    length - 1 - strlen (head) - strlen (tail));
}

/* Parses arbitrary bytes: either parts or a JG_FORMAT_ERROR, and any
 * accepted input writes stably.
 */
static gboolean
parse_anything (const char *content_type,
                const char *data,
                gsize       length)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GError) error = NULL;

  parts = jg_batch_parse (content_type, data, length, &error);

  if (parts == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == JG_FORMAT_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return FALSE;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (parts->len, <=, 1000);

  for (guint i = 0; i < parts->len; i++)
    {
      JgBatchPart *part = g_ptr_array_index (parts, i);

      g_assert_true (part->status > 0 || (part->method != NULL && part->uri != NULL));
      g_assert_cmpuint (part->headers->len % 2, ==, 0);
      g_assert_nonnull (part->body);
      g_assert_cmpint (part->line, >=, 1);
    }

  assert_write_stable (parts);

  return TRUE;
}

static void
test_truncations (void)
{
  g_autofree char *data = NULL;
  g_autofree char *crlf = NULL;
  gsize            length;
  gsize            crlf_length;
  gsize            close_end;
  gsize            crlf_close_end;

  data = load_seed (&length);
  crlf = dup_crlf (data, length, &crlf_length);

  close_end = strstr (data, "--" SEED_BATCH "--") - data + strlen ("--" SEED_BATCH "--");
  crlf_close_end = strstr (crlf, "--" SEED_BATCH "--") - crlf + strlen ("--" SEED_BATCH "--");

  /* Every prefix is refused until it holds the whole closing delimiter.
   * The copies make ASan catch any read past the given length.
   */
  for (gsize n = 0; n <= length; n++)
    {
      g_autofree char *copy = g_memdup2 (data, n);

      g_assert_cmpint (parse_anything (NULL, copy, n), ==, n >= close_end);
      g_assert_cmpint (parse_anything (SEED_CONTENT_TYPE, copy, n), ==, n >= close_end);
    }

  for (gsize n = 0; n <= crlf_length; n++)
    {
      g_autofree char *copy = g_memdup2 (crlf, n);

      g_assert_cmpint (parse_anything (NULL, copy, n), ==, n >= crlf_close_end);
    }

  /* Every suffix, too. */
  for (gsize n = 0; n <= length; n++)
    {
      g_autofree char *copy = g_memdup2 (data + n, length - n);

      parse_anything (NULL, copy, length - n);
      parse_anything (SEED_CONTENT_TYPE, copy, length - n);
    }
}

static void
test_mutations (void)
{
  static const char values[] = { '\0', '\n', '\r', '-', ':', ' ', '\t', 'x', (char)0xff, (char)0x80 };
  g_autofree char  *data = NULL;
  g_autofree char  *copy = NULL;
  gsize             length;
  guint             accepted = 0;

  data = load_seed (&length);
  copy = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    {
      for (guint v = 0; v < G_N_ELEMENTS (values); v++)
        {
          memcpy (copy, data, length);
          copy[i] = values[v];
          accepted += parse_anything (NULL, copy, length);
        }

      /* Delete the byte. */
      memcpy (copy, data, i);
      memcpy (copy + i, data + i + 1, length - i - 1);
      accepted += parse_anything (NULL, copy, length - 1);
    }

  /* Mutating the bodies keeps the batch valid, so many are accepted. */
  g_assert_cmpuint (accepted, >, length);
}

static void
test_garbage (void)
{
  static const char *const tokens[] = {
    "--b",
    "--b--",
    "--c",
    "--c--",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    ":",
    " ",
    "\t",
    "Content-Type: application/http\n",
    "Content-Type: multipart/mixed; boundary=c\n",
    "Content-Type: multipart/mixed; boundary=d\n",
    "Content-Type: multipart/mixed; boundary=b\n",
    "Content-Type: multipart/mixed\n",
    "Content-Transfer-Encoding: binary\n",
    "GET / HTTP/1.1\n",
    "HTTP/1.1 201 Created\n",
    "HTTP/1.1 ",
    "POST ",
    "X: y\n",
    " folded\n",
    "\"",
    ";",
    "boundary=",
    "\0",
    "\xff",
    "{}",
    "HTTP/",
  };
  static const char *const content_types[] = {
    NULL,
    "multipart/mixed; boundary=b",
    "multipart/mixed; boundary=\"c\"",
  };

  for (guint round = 0; round < 20000; round++)
    {
      g_autoptr(GString) str = g_string_new (NULL);
      guint n_tokens = g_test_rand_int_range (0, 40);

      if (g_test_rand_bit ())
        g_string_append (str, "--b\n");

      for (guint i = 0; i < n_tokens; i++)
        {
          if (g_test_rand_int_range (0, 8) == 0)
            {
              g_string_append_c (str, (char)g_test_rand_int_range (0, 256));
            }
          else
            {
              guint t = g_test_rand_int_range (0, G_N_ELEMENTS (tokens));

              /* The NUL token is one byte, not an empty string. */
              if (tokens[t][0] == '\0')
                g_string_append_c (str, '\0');
              else
                g_string_append (str, tokens[t]);
            }
        }

      for (guint c = 0; c < G_N_ELEMENTS (content_types); c++)
        {
          g_autofree char *copy = g_memdup2 (str->str, str->len);

          parse_anything (content_types[c], copy, str->len);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jobgraph/core/batch/boundary", test_boundary);
  g_test_add_func ("/jobgraph/core/batch/seed", test_seed);
  g_test_add_func ("/jobgraph/core/batch/seed-crlf", test_seed_crlf);
  g_test_add_func ("/jobgraph/core/batch/response", test_response);
  g_test_add_func ("/jobgraph/core/batch/error-part", test_error_part);
  g_test_add_func ("/jobgraph/core/batch/write", test_write);
  g_test_add_func ("/jobgraph/core/batch/write-stable", test_write_stable);
  g_test_add_func ("/jobgraph/core/batch/write-response", test_write_response);
  g_test_add_func ("/jobgraph/core/batch/write-generated", test_write_generated);
  g_test_add_func ("/jobgraph/core/batch/headers", test_headers);
  g_test_add_func ("/jobgraph/core/batch/lenient", test_lenient);
  g_test_add_func ("/jobgraph/core/batch/body-exact", test_body_exact);
  g_test_add_func ("/jobgraph/core/batch/refuse", test_refuse);
  g_test_add_func ("/jobgraph/core/batch/refuse-columns", test_refuse_columns);
  g_test_add_func ("/jobgraph/core/batch/refuse-messages", test_refuse_messages);
  g_test_add_func ("/jobgraph/core/batch/too-many-parts", test_too_many_parts);
  g_test_add_func ("/jobgraph/core/batch/too-many-headers", test_too_many_headers);
  g_test_add_func ("/jobgraph/core/batch/too-large", test_too_large);
  g_test_add_func ("/jobgraph/core/batch/truncations", test_truncations);
  g_test_add_func ("/jobgraph/core/batch/mutations", test_mutations);
  g_test_add_func ("/jobgraph/core/batch/garbage", test_garbage);

  return g_test_run ();
}
