/* jg-batch.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-batch"

#include "config.h"

#include <string.h>

#include "jg-batch.h"
#include "jg-format-error.h"

/* A codec for OData v3 `$batch` bodies (ams-rest-v2.md §8): a
 * multipart/mixed body whose parts are `application/http` messages or
 * one-level nested multipart/mixed changesets. It only turns bytes into
 * parts and back; the client and the emulator do the HTTP.
 *
 * Line breaks: the reader accepts CRLF and bare LF, mixed. Following
 * RFC 2046 §5.1.1, the line break just before a boundary delimiter
 * belongs to the delimiter, so a part's body is every byte after the
 * blank line that ends its headers up to, but not including, that line
 * break. Nothing else is trimmed: a blank line a writer put before the
 * delimiter stays in the body as a trailing line break. The writer
 * mirrors this exactly (`<body>\r\n--boundary`), which is what makes
 * write → parse → write byte-identical.
 *
 * The reader must survive arbitrary bytes (it is fuzzed), so it works on
 * (pointer, length) lines, never on NUL-terminated copies of the input,
 * and it never builds anything whose size is not bounded by the input.
 */

/* Limits against hostile input. */
#define MAX_BODY_SIZE    (16 * 1024 * 1024)
#define MAX_PARTS        1000
#define MAX_HEADERS      1000
#define MAX_BOUNDARY_LEN 70
#define EXCERPT_LEN      60

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;  /* offset of the next line */
  int         line; /* 1-based number of the next line */
} Scanner;

typedef struct
{
  const char *start;
  gsize       len;    /* without the line break */
  gsize       offset; /* of start, in the whole body */
  int         number;
} Line;

typedef enum
{
  LINE_TEXT,
  LINE_DELIMITER,
  LINE_CLOSE,
} LineKind;

typedef struct
{
  Scanner     scanner;
  GPtrArray  *parts;

  /* The boundary of the multipart being read, and of the one around it
   * while inside a changeset (NULL at the top level).
   */
  const char *boundary;
  gsize       boundary_len;
  const char *outer;
  gsize       outer_len;

  int         changeset; /* the open changeset, 0 outside */
  int         n_changesets;
} Parser;

static const struct
{
  int         status;
  const char *reason;
} default_reasons[] = {
  { 200, "OK" },
  { 201, "Created" },
  { 202, "Accepted" },
  { 204, "No Content" },
  { 400, "Bad Request" },
  { 401, "Unauthorized" },
  { 403, "Forbidden" },
  { 404, "Not Found" },
  { 405, "Method Not Allowed" },
  { 409, "Conflict" },
  { 412, "Precondition Failed" },
  { 415, "Unsupported Media Type" },
  { 500, "Internal Server Error" },
  { 501, "Not Implemented" },
  { 503, "Service Unavailable" },
};

static void set_error (GError      **error,
                       JgFormatError code,
                       int           line,
                       int           column,
                       const char   *format,
                       ...) G_GNUC_PRINTF (5, 6);

/* Prefixes the message with where the problem is, so that it reads well
 * on its own; the position is also kept in the error for the CLI and
 * the app.
 */
static void
set_error (GError      **error,
           JgFormatError code,
           int           line,
           int           column,
           const char   *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* The position travels as error data: jg_format_error_describe()
   * prints it as FILE:LINE:COLUMN, so the message does not repeat it.
   */
  message[0] = g_ascii_toupper (message[0]);
  jg_format_error_set (error, code, MAX (line, 0), MAX (column, 0), "%s", message);
}

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

static gboolean
is_blank (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (!is_space (s[i]) && s[i] != '\r')
        return FALSE;
    }

  return TRUE;
}

/* RFC 9110 tchar: the characters of a method or header name. */
static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Control characters other than tab (bytes ≥ 0x80 are obs-text and
 * allowed in values).
 */
static gboolean
is_ctl (char c)
{
  guchar u = (guchar)c;

  return (u < 0x20 && c != '\t') || u == 0x7f;
}

static void
trim (const char **s,
      gsize       *len)
{
  while (*len > 0 && is_space ((*s)[0]))
    {
      (*s)++;
      (*len)--;
    }

  while (*len > 0 && (is_space ((*s)[*len - 1]) || (*s)[*len - 1] == '\r'))
    (*len)--;
}

/* Returns a short, valid UTF-8 rendering of input bytes for messages. */
static char *
dup_excerpt (const char *s,
             gsize       len)
{
  g_autofree char *valid = NULL;
  GString         *str;
  gboolean         cut = len > EXCERPT_LEN;

  valid = g_utf8_make_valid (s, MIN (len, EXCERPT_LEN));
  str = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p++)
    {
      if (is_ctl (*p) || *p == '\t')
        g_string_append_c (str, ' ');
      else
        g_string_append_c (str, *p);
    }

  if (cut)
    g_string_append (str, "…");

  return g_string_free (str, FALSE);
}

static gboolean
scanner_next (Scanner *scanner,
              Line    *line)
{
  const char *start;
  const char *nl;
  gsize       rest;
  gsize       len;
  gsize       advance;

  if (scanner->pos >= scanner->length)
    return FALSE;

  start = scanner->data + scanner->pos;
  rest = scanner->length - scanner->pos;
  nl = memchr (start, '\n', rest);

  if (nl != NULL)
    {
      len = (gsize)(nl - start);
      advance = len + 1;
      if (len > 0 && start[len - 1] == '\r')
        len--;
    }
  else
    {
      len = rest;
      advance = rest;
    }

  line->start = start;
  line->len = len;
  line->offset = scanner->pos;
  line->number = scanner->line;

  scanner->pos += advance;
  scanner->line++;

  return TRUE;
}

/* The number of the last line read, for problems found at the end. */
static int
scanner_last_line (const Scanner *scanner)
{
  return MAX (1, scanner->line - 1);
}

/* A delimiter line is `--boundary` or `--boundary--`, optionally followed
 * by white space (RFC 2046 allows linear white space there, and some
 * writers leave it).
 */
static LineKind
classify_line (const Line *line,
               const char *boundary,
               gsize       boundary_len)
{
  const char *rest;
  gsize       rest_len;
  LineKind    kind = LINE_DELIMITER;

  if (line->len < 2 + boundary_len ||
      line->start[0] != '-' ||
      line->start[1] != '-' ||
      memcmp (line->start + 2, boundary, boundary_len) != 0)
    return LINE_TEXT;

  rest = line->start + 2 + boundary_len;
  rest_len = line->len - 2 - boundary_len;

  if (rest_len >= 2 && rest[0] == '-' && rest[1] == '-')
    {
      kind = LINE_CLOSE;
      rest += 2;
      rest_len -= 2;
    }

  if (!is_blank (rest, rest_len))
    return LINE_TEXT;

  return kind;
}

static void
parser_set_eof_error (Parser  *parser,
                      GError **error)
{
  if (parser->outer != NULL)
    set_error (error, JG_FORMAT_ERROR_PARSE,
               scanner_last_line (&parser->scanner), 0,
               "the batch body ends inside changeset %d, before its closing boundary --%.*s--",
               parser->changeset, (int)parser->boundary_len, parser->boundary);
  else
    set_error (error, JG_FORMAT_ERROR_PARSE,
               scanner_last_line (&parser->scanner), 0,
               "the batch body ends before its closing boundary --%.*s--",
               (int)parser->boundary_len, parser->boundary);
}

/* Tells whether @line delimits the multipart being read. Inside a
 * changeset, a delimiter of the batch around it means the changeset was
 * never closed; that is an error, since the parts that follow would
 * otherwise be read into the wrong place.
 */
static gboolean
parser_classify (Parser     *parser,
                 const Line *line,
                 LineKind   *kind,
                 GError    **error)
{
  *kind = classify_line (line, parser->boundary, parser->boundary_len);
  if (*kind != LINE_TEXT)
    return TRUE;

  if (parser->outer != NULL &&
      classify_line (line, parser->outer, parser->outer_len) != LINE_TEXT)
    {
      set_error (error, JG_FORMAT_ERROR_PARSE, line->number, 0,
                 "changeset %d ends without its closing boundary --%.*s--",
                 parser->changeset, (int)parser->boundary_len, parser->boundary);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parser_next (Parser   *parser,
             Line     *line,
             LineKind *kind,
             GError  **error)
{
  if (!scanner_next (&parser->scanner, line))
    {
      parser_set_eof_error (parser, error);
      return FALSE;
    }

  return parser_classify (parser, line, kind, error);
}

static void
finish_header (GPtrArray *headers,
               GString   *value)
{
  g_ptr_array_add (headers, g_strndup (value->str, value->len));
  g_string_truncate (value, 0);
}

/* Reads header lines up to a blank line (@end_kind is then LINE_TEXT) or
 * up to a delimiter of the multipart being read (@end_kind says which,
 * @end_line is that line). @what names the header block in messages.
 * @header_lines, if given, receives the line number of each header.
 */
static gboolean
read_headers (Parser     *parser,
              const char *what,
              GPtrArray  *headers,
              GArray     *header_lines,
              LineKind   *end_kind,
              Line       *end_line,
              GError    **error)
{
  g_autoptr(GString) value = g_string_new (NULL);
  gboolean in_header = FALSE;
  guint    count = 0;

  for (;;)
    {
      Line        line;
      const char *colon;
      const char *name;
      const char *val;
      gsize       name_len;
      gsize       val_len;

      if (!parser_next (parser, &line, end_kind, error))
        return FALSE;

      if (*end_kind != LINE_TEXT || is_blank (line.start, line.len))
        {
          if (in_header)
            finish_header (headers, value);
          *end_line = line;
          return TRUE;
        }

      /* A line that starts with white space continues the previous
       * header (RFC 5322 folding); it is unfolded with one space.
       */
      if (is_space (line.start[0]))
        {
          if (!in_header)
            {
              set_error (error, JG_FORMAT_ERROR_PARSE, line.number, 1,
                         "the headers of the %s start with an indented line, which can only continue a header",
                         what);
              return FALSE;
            }

          val = line.start;
          val_len = line.len;
          trim (&val, &val_len);

          for (gsize i = 0; i < val_len; i++)
            {
              if (is_ctl (val[i]))
                {
                  set_error (error, JG_FORMAT_ERROR_PARSE, line.number,
                             (int)(val - line.start + i + 1),
                             "a header value contains a control character (byte 0x%02x)",
                             (guchar)val[i]);
                  return FALSE;
                }
            }

          if (value->len > 0 && val_len > 0)
            g_string_append_c (value, ' ');
          g_string_append_len (value, val, val_len);
          continue;
        }

      if (in_header)
        {
          finish_header (headers, value);
          in_header = FALSE;
        }

      if (++count > MAX_HEADERS)
        {
          set_error (error, JG_FORMAT_ERROR_TOO_LARGE, line.number, 0,
                     "the headers of the %s have more than %d lines",
                     what, MAX_HEADERS);
          return FALSE;
        }

      colon = memchr (line.start, ':', line.len);
      if (colon == NULL)
        {
          g_autofree char *excerpt = dup_excerpt (line.start, line.len);

          set_error (error, JG_FORMAT_ERROR_PARSE, line.number, 1,
                     "the line “%s” in the headers of the %s has no colon; expected “Name: value”",
                     excerpt, what);
          return FALSE;
        }

      name = line.start;
      name_len = (gsize)(colon - line.start);

      if (name_len == 0)
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, line.number, 1,
                     "a header line of the %s has no name before its colon",
                     what);
          return FALSE;
        }

      for (gsize i = 0; i < name_len; i++)
        {
          if (!is_token_char (name[i]))
            {
              g_autofree char *excerpt = dup_excerpt (name, name_len);

              set_error (error, JG_FORMAT_ERROR_PARSE, line.number, (int)(i + 1),
                         "the header name “%s” contains a character that is not allowed in a header name",
                         excerpt);
              return FALSE;
            }
        }

      val = colon + 1;
      val_len = line.len - name_len - 1;
      trim (&val, &val_len);

      for (gsize i = 0; i < val_len; i++)
        {
          if (is_ctl (val[i]))
            {
              set_error (error, JG_FORMAT_ERROR_PARSE, line.number,
                         (int)(val - line.start + i + 1),
                         "a header value contains a control character (byte 0x%02x)",
                         (guchar)val[i]);
              return FALSE;
            }
        }

      g_ptr_array_add (headers, g_strndup (name, name_len));
      g_string_append_len (value, val, val_len);
      in_header = TRUE;

      if (header_lines != NULL)
        g_array_append_val (header_lines, line.number);
    }
}

static const char *
lookup_header (GPtrArray  *headers,
               const char *name,
               guint      *position)
{
  for (guint i = 0; i + 1 < headers->len; i += 2)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (headers, i), name) == 0)
        {
          if (position != NULL)
            *position = i / 2;
          return g_ptr_array_index (headers, i + 1);
        }
    }

  return NULL;
}

/* Compares the media type of a Content-Type value (before any `;`). */
static gboolean
media_type_is (const char *content_type,
               const char *media_type)
{
  const char *s = content_type;
  gsize       len;

  len = strcspn (s, ";");
  trim (&s, &len);

  return len == strlen (media_type) && g_ascii_strncasecmp (s, media_type, len) == 0;
}

static gboolean
media_type_has_prefix (const char *content_type,
                       const char *prefix)
{
  const char *s = content_type;

  while (is_space (*s))
    s++;

  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

/* Checks a boundary from a Content-Type or a first line; @line is where
 * it was found, 0 for the request's Content-Type header.
 */
static gboolean
check_boundary (const char *boundary,
                gsize       len,
                int         line,
                GError    **error)
{
  if (len == 0)
    {
      set_error (error, JG_FORMAT_ERROR_PARSE, line, 0, "the multipart boundary is empty");
      return FALSE;
    }

  if (len > MAX_BOUNDARY_LEN)
    {
      set_error (error, JG_FORMAT_ERROR_PARSE, line, 0,
                 "the multipart boundary is %" G_GSIZE_FORMAT " characters long; at most %d are allowed",
                 len, MAX_BOUNDARY_LEN);
      return FALSE;
    }

  /* RFC 2046 boundaries are printable ASCII; holding to that also keeps
   * them safe to quote in messages.
   */
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar)boundary[i];

      if (c < 0x20 || c > 0x7e)
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, line, 0,
                     "the multipart boundary contains the byte 0x%02x; only printable ASCII is allowed",
                     c);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
parse_version (const char *s,
               gsize       len)
{
  return len == 8 &&
         memcmp (s, "HTTP/", 5) == 0 &&
         g_ascii_isdigit (s[5]) &&
         s[6] == '.' &&
         g_ascii_isdigit (s[7]);
}

/* Reads `HTTP/1.1 201 Created` or `POST <uri> HTTP/1.1` into @part. */
static gboolean
parse_start_line (const Line  *line,
                  JgBatchPart *part,
                  GError     **error)
{
  const char      *s = line->start;
  gsize            len = line->len;
  gsize            i = 0;
  gsize            start;
  g_autofree char *excerpt = NULL;

  /* Trailing white space is tolerated; leading white space is not. */
  while (len > 0 && (is_space (s[len - 1]) || s[len - 1] == '\r'))
    len--;

  excerpt = dup_excerpt (s, len);

  if (len >= 5 && memcmp (s, "HTTP/", 5) == 0)
    {
      int status;

      while (i < len && !is_space (s[i]))
        i++;

      if (!parse_version (s, i))
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, line->number, 1,
                     "the status line “%s” does not start with an HTTP version such as HTTP/1.1",
                     excerpt);
          return FALSE;
        }

      if (i + 4 > len ||
          s[i] != ' ' ||
          !g_ascii_isdigit (s[i + 1]) ||
          !g_ascii_isdigit (s[i + 2]) ||
          !g_ascii_isdigit (s[i + 3]) ||
          (i + 4 < len && s[i + 4] != ' '))
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, line->number, (int)(i + 1),
                     "the status line “%s” has no three-digit status code after the HTTP version",
                     excerpt);
          return FALSE;
        }

      status = (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
      if (status < 100 || status > 599)
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, line->number, (int)(i + 2),
                     "the status line “%s” has status code %d; expected 100 to 599",
                     excerpt, status);
          return FALSE;
        }

      i += 4;
      if (i < len)
        i++;

      for (gsize j = i; j < len; j++)
        {
          if (is_ctl (s[j]))
            {
              set_error (error, JG_FORMAT_ERROR_PARSE, line->number, (int)(j + 1),
                         "the status line contains a control character (byte 0x%02x)",
                         (guchar)s[j]);
              return FALSE;
            }
        }

      part->status = status;
      part->reason = g_strndup (s + i, len - i);

      return TRUE;
    }

  /* Method */
  while (i < len && is_token_char (s[i]))
    i++;

  if (i == 0 || i == len || s[i] != ' ')
    {
      set_error (error, JG_FORMAT_ERROR_PARSE, line->number, (int)(i + 1),
                 "“%s” is neither a request line such as “POST <uri> HTTP/1.1” nor a status line such as “HTTP/1.1 201 Created”",
                 excerpt);
      return FALSE;
    }

  part->method = g_strndup (s, i);
  i++;

  /* URI */
  start = i;
  while (i < len && s[i] != ' ')
    {
      if (is_ctl (s[i]) || s[i] == '\t')
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, line->number, (int)(i + 1),
                     "the request URI contains a control character (byte 0x%02x)",
                     (guchar)s[i]);
          return FALSE;
        }
      i++;
    }

  if (i == start)
    {
      set_error (error, JG_FORMAT_ERROR_PARSE, line->number, (int)(i + 1),
                 "the request line “%s” has no URI after the method",
                 excerpt);
      return FALSE;
    }

  part->uri = g_strndup (s + start, i - start);

  /* Version */
  if (i == len || !parse_version (s + i + 1, len - i - 1))
    {
      set_error (error, JG_FORMAT_ERROR_PARSE, line->number, (int)(MIN (i + 2, len + 1)),
                 "the request line “%s” does not end with an HTTP version such as HTTP/1.1",
                 excerpt);
      return FALSE;
    }

  return TRUE;
}

/* Reads one application/http part after its MIME headers, up to and
 * including the delimiter line that ends it.
 */
static gboolean
parse_http_part (Parser   *parser,
                 LineKind *kind,
                 GError  **error)
{
  g_autoptr(JgBatchPart) part = NULL;
  Line     line;
  Line     end_line;
  LineKind end_kind;
  gsize    body_start;
  gsize    body_end;

  /* Skip blank lines before the request line, as HTTP servers do. */
  for (;;)
    {
      if (!parser_next (parser, &line, kind, error))
        return FALSE;

      if (*kind != LINE_TEXT)
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, line.number, 0,
                     "the application/http part ends before its request or status line");
          return FALSE;
        }

      if (!is_blank (line.start, line.len))
        break;
    }

  if (parser->parts->len >= MAX_PARTS)
    {
      set_error (error, JG_FORMAT_ERROR_TOO_LARGE, line.number, 0,
                 "the batch has more than %d parts", MAX_PARTS);
      return FALSE;
    }

  part = jg_batch_part_new ();
  part->line = line.number;
  part->changeset = parser->changeset;

  if (!parse_start_line (&line, part, error))
    return FALSE;

  if (!read_headers (parser, part->status > 0 ? "response" : "request",
                     part->headers, NULL, &end_kind, &end_line, error))
    return FALSE;

  /* Without a blank line, a message that ends right at the delimiter
   * simply has no body.
   */
  if (end_kind != LINE_TEXT)
    {
      *kind = end_kind;
      g_ptr_array_add (parser->parts, g_steal_pointer (&part));
      return TRUE;
    }

  body_start = parser->scanner.pos;

  do
    {
      if (!parser_next (parser, &line, kind, error))
        return FALSE;
    }
  while (*kind == LINE_TEXT);

  /* The line break before the delimiter belongs to the delimiter
   * (RFC 2046 §5.1.1). Every line start after body_start follows a '\n'.
   */
  body_end = line.offset;
  if (body_end > body_start)
    {
      body_end--;
      if (body_end > body_start && parser->scanner.data[body_end - 1] == '\r')
        body_end--;
    }

  g_clear_pointer (&part->body, g_bytes_unref);
  part->body = g_bytes_new (parser->scanner.data + body_start, body_end - body_start);

  g_ptr_array_add (parser->parts, g_steal_pointer (&part));

  return TRUE;
}

static gboolean parse_multipart (Parser  *parser,
                                 int      open_line,
                                 GError **error);

/* Reads one body part, from the line after its opening delimiter up to
 * and including the delimiter line that ends it (@kind says whether
 * that one closes the multipart).
 */
static gboolean
parse_body_part (Parser   *parser,
                 int       delimiter_line,
                 LineKind *kind,
                 GError  **error)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) header_lines = g_array_new (FALSE, FALSE, sizeof (int));
  const char *what = parser->outer != NULL ? "changeset part" : "batch part";
  const char *content_type;
  const char *encoding;
  Line        end_line;
  LineKind    end_kind;
  guint       position = 0;
  int         ct_line;

  if (!read_headers (parser, what, headers, header_lines, &end_kind, &end_line, error))
    return FALSE;

  content_type = lookup_header (headers, "Content-Type", &position);

  if (content_type == NULL)
    {
      set_error (error, JG_FORMAT_ERROR_INVALID, delimiter_line, 0,
                 "the %s has no Content-Type header; expected application/http",
                 what);
      return FALSE;
    }

  ct_line = g_array_index (header_lines, int, position);

  if (end_kind != LINE_TEXT)
    {
      set_error (error, JG_FORMAT_ERROR_PARSE, end_line.number, 0,
                 "the %s ends before the blank line that closes its headers",
                 what);
      return FALSE;
    }

  if (media_type_has_prefix (content_type, "multipart/"))
    {
      g_autofree char *boundary = NULL;
      const char      *saved_boundary = parser->boundary;
      gsize            saved_boundary_len = parser->boundary_len;
      gboolean         ok;
      Line             line;

      if (parser->outer != NULL)
        {
          set_error (error, JG_FORMAT_ERROR_INVALID, ct_line, 0,
                     "changeset %d contains another multipart body; changesets cannot be nested",
                     parser->changeset);
          return FALSE;
        }

      if (!media_type_is (content_type, "multipart/mixed"))
        {
          g_autofree char *excerpt = dup_excerpt (content_type, strlen (content_type));

          set_error (error, JG_FORMAT_ERROR_INVALID, ct_line, 0,
                     "the batch part has Content-Type “%s”; expected application/http or a multipart/mixed changeset",
                     excerpt);
          return FALSE;
        }

      boundary = jg_batch_dup_boundary (content_type);
      if (boundary == NULL)
        {
          set_error (error, JG_FORMAT_ERROR_PARSE, ct_line, 0,
                     "the changeset's Content-Type has no boundary parameter");
          return FALSE;
        }

      if (!check_boundary (boundary, strlen (boundary), ct_line, error))
        return FALSE;

      if (strlen (boundary) == parser->boundary_len &&
          memcmp (boundary, parser->boundary, parser->boundary_len) == 0)
        {
          set_error (error, JG_FORMAT_ERROR_INVALID, ct_line, 0,
                     "the changeset uses the same boundary as the batch around it");
          return FALSE;
        }

      parser->n_changesets++;
      parser->changeset = parser->n_changesets;
      parser->outer = parser->boundary;
      parser->outer_len = parser->boundary_len;
      parser->boundary = boundary;
      parser->boundary_len = strlen (boundary);

      ok = parse_multipart (parser, ct_line, error);

      parser->boundary = saved_boundary;
      parser->boundary_len = saved_boundary_len;
      parser->outer = NULL;
      parser->outer_len = 0;

      if (!ok)
        return FALSE;

      /* Skip the changeset's epilogue, up to the next batch delimiter. */
      do
        {
          if (!parser_next (parser, &line, kind, error))
            return FALSE;
        }
      while (*kind == LINE_TEXT);

      parser->changeset = 0;

      return TRUE;
    }

  if (!media_type_is (content_type, "application/http"))
    {
      g_autofree char *excerpt = dup_excerpt (content_type, strlen (content_type));

      set_error (error, JG_FORMAT_ERROR_INVALID, ct_line, 0,
                 "the %s has Content-Type “%s”; expected application/http",
                 what, excerpt);
      return FALSE;
    }

  /* The inner message is taken as it is; an encoded one would need
   * decoding that $batch never uses.
   */
  encoding = lookup_header (headers, "Content-Transfer-Encoding", &position);
  if (encoding != NULL &&
      g_ascii_strcasecmp (encoding, "binary") != 0 &&
      g_ascii_strcasecmp (encoding, "8bit") != 0 &&
      g_ascii_strcasecmp (encoding, "7bit") != 0)
    {
      g_autofree char *excerpt = dup_excerpt (encoding, strlen (encoding));

      set_error (error, JG_FORMAT_ERROR_INVALID,
                 g_array_index (header_lines, int, position), 0,
                 "the %s uses Content-Transfer-Encoding “%s”; only binary is supported",
                 what, excerpt);
      return FALSE;
    }

  return parse_http_part (parser, kind, error);
}

/* Reads a multipart body whose boundary is parser->boundary, from its
 * preamble up to and including its closing delimiter line. @open_line
 * is where it was declared, for messages.
 */
static gboolean
parse_multipart (Parser  *parser,
                 int      open_line,
                 GError **error)
{
  LineKind kind = LINE_TEXT;
  Line     line;

  /* The preamble is ignored. */
  while (kind == LINE_TEXT)
    {
      if (!scanner_next (&parser->scanner, &line))
        {
          if (parser->outer != NULL)
            set_error (error, JG_FORMAT_ERROR_PARSE, open_line, 0,
                       "the changeset declared here has no boundary line --%.*s",
                       (int)parser->boundary_len, parser->boundary);
          else
            set_error (error, JG_FORMAT_ERROR_PARSE, scanner_last_line (&parser->scanner), 0,
                       "the batch body has no boundary line --%.*s",
                       (int)parser->boundary_len, parser->boundary);
          return FALSE;
        }

      if (!parser_classify (parser, &line, &kind, error))
        return FALSE;
    }

  /* `--boundary--` straight away is an empty multipart. */
  while (kind == LINE_DELIMITER)
    {
      if (!parse_body_part (parser, line.number, &kind, error))
        return FALSE;

      /* parse_body_part() consumed the delimiter that ended the part. */
      line.number = parser->scanner.line - 1;
    }

  return TRUE;
}

/* Writes a boundary parameter, quoted when it holds characters that a
 * token cannot (RFC 2045 tspecials or spaces).
 */
static void
append_boundary_param (GString    *out,
                       const char *boundary)
{
  if (strpbrk (boundary, "()<>@,;:\\\"/[]?= \t") == NULL)
    {
      g_string_append (out, boundary);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = boundary; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static const char *
get_default_reason (int status)
{
  for (guint i = 0; i < G_N_ELEMENTS (default_reasons); i++)
    {
      if (default_reasons[i].status == status)
        return default_reasons[i].reason;
    }

  return NULL;
}

static void
append_http_part (GString           *out,
                  const char        *boundary,
                  const JgBatchPart *part)
{
  g_string_append_printf (out,
                          "--%s\r\n"
                          "Content-Type: application/http\r\n"
                          "Content-Transfer-Encoding: binary\r\n"
                          "\r\n",
                          boundary);

  if (part->status > 0)
    {
      const char *reason = part->reason ? part->reason : get_default_reason (part->status);

      g_string_append_printf (out, "HTTP/1.1 %d", part->status);
      if (reason != NULL && reason[0] != '\0')
        g_string_append_printf (out, " %s", reason);
      g_string_append (out, "\r\n");
    }
  else
    {
      g_string_append_printf (out, "%s %s HTTP/1.1\r\n", part->method, part->uri);
    }

  if (part->headers != NULL)
    {
      for (guint i = 0; i + 1 < part->headers->len; i += 2)
        g_string_append_printf (out, "%s: %s\r\n",
                                (const char *)g_ptr_array_index (part->headers, i),
                                (const char *)g_ptr_array_index (part->headers, i + 1));
    }

  g_string_append (out, "\r\n");

  if (part->body != NULL)
    {
      gsize       size;
      const char *body = g_bytes_get_data (part->body, &size);

      g_string_append_len (out, body, size);
    }

  /* This line break belongs to the delimiter that follows. */
  g_string_append (out, "\r\n");
}

/**
 * jg_batch_part_new:
 *
 * Returns: (transfer full): an empty part with no headers and an empty
 *   body
 */
JgBatchPart *
jg_batch_part_new (void)
{
  JgBatchPart *part = g_new0 (JgBatchPart, 1);

  part->headers = g_ptr_array_new_with_free_func (g_free);
  part->body = g_bytes_new (NULL, 0);

  return part;
}

void
jg_batch_part_free (JgBatchPart *part)
{
  if (part == NULL)
    return;

  g_clear_pointer (&part->method, g_free);
  g_clear_pointer (&part->uri, g_free);
  g_clear_pointer (&part->reason, g_free);
  g_clear_pointer (&part->headers, g_ptr_array_unref);
  g_clear_pointer (&part->body, g_bytes_unref);
  g_free (part);
}

/**
 * jg_batch_part_get_header:
 * @name: a header name, compared without regard to case
 *
 * Returns: (nullable): the value of the first header called @name
 */
const char *
jg_batch_part_get_header (JgBatchPart *part,
                          const char  *name)
{
  g_return_val_if_fail (part != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (part->headers == NULL)
    return NULL;

  return lookup_header (part->headers, name, NULL);
}

/**
 * jg_batch_part_set_header:
 * @name: a header name
 * @value: its value
 *
 * Replaces the first header called @name (compared without regard to
 * case) in place, taking the casing of @name, and drops any later ones;
 * appends the header if there is none.
 */
void
jg_batch_part_set_header (JgBatchPart *part,
                          const char  *name,
                          const char  *value)
{
  gboolean found = FALSE;
  guint    i = 0;

  g_return_if_fail (part != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  if (part->headers == NULL)
    part->headers = g_ptr_array_new_with_free_func (g_free);

  while (i + 1 < part->headers->len)
    {
      char **slot = (char **)&g_ptr_array_index (part->headers, i);

      if (g_ascii_strcasecmp (slot[0], name) != 0)
        {
          i += 2;
          continue;
        }

      if (found)
        {
          g_ptr_array_remove_range (part->headers, i, 2);
          continue;
        }

      g_free (slot[0]);
      slot[0] = g_strdup (name);
      g_free (slot[1]);
      slot[1] = g_strdup (value);
      found = TRUE;
      i += 2;
    }

  if (!found)
    {
      g_ptr_array_add (part->headers, g_strdup (name));
      g_ptr_array_add (part->headers, g_strdup (value));
    }
}

/**
 * jg_batch_dup_boundary:
 * @content_type: a Content-Type value such as
 *   `multipart/mixed; boundary=batch_a01a…`
 *
 * Returns: (transfer full) (nullable): the `boundary` parameter, unquoted,
 *   or %NULL when there is none or it is empty
 */
char *
jg_batch_dup_boundary (const char *content_type)
{
  const char *p;

  g_return_val_if_fail (content_type != NULL, NULL);

  p = strchr (content_type, ';');
  if (p == NULL)
    return NULL;

  while (*p != '\0')
    {
      const char *name;
      gsize       name_len;
      g_autoptr(GString) value = g_string_new (NULL);

      while (*p == ';' || is_space (*p))
        p++;

      name = p;
      while (*p != '\0' && *p != '=' && *p != ';')
        p++;
      name_len = (gsize)(p - name);
      trim (&name, &name_len);

      if (*p != '=')
        continue;
      p++;

      while (is_space (*p))
        p++;

      if (*p == '"')
        {
          p++;
          while (*p != '\0' && *p != '"')
            {
              if (*p == '\\' && p[1] != '\0')
                p++;
              g_string_append_c (value, *p);
              p++;
            }

          /* An unterminated quoted string: nothing after it can be trusted. */
          if (*p != '"')
            return NULL;
          p++;
        }
      else
        {
          const char *start = p;
          gsize       len;

          while (*p != '\0' && *p != ';')
            p++;
          len = (gsize)(p - start);
          trim (&start, &len);
          g_string_append_len (value, start, len);
        }

      if (name_len == strlen ("boundary") &&
          g_ascii_strncasecmp (name, "boundary", name_len) == 0)
        {
          if (value->len == 0)
            return NULL;
          return g_string_free (g_steal_pointer (&value), FALSE);
        }

      /* Skip anything after a quoted value up to the next parameter. */
      while (*p != '\0' && *p != ';')
        p++;
    }

  return NULL;
}

/**
 * jg_batch_parse:
 * @content_type: (nullable): the Content-Type of the whole body, whose
 *   `boundary` parameter is used; %NULL to take the boundary from the
 *   first non-blank line (`--<boundary>`)
 * @data: (array length=length): the body
 * @length: its length in bytes
 *
 * Reads an OData `$batch` request or response body. Changesets are
 * flattened: each part records the 1-based index of the changeset it was
 * in, or 0.
 *
 * Returns: (transfer container) (element-type JgBatchPart): the parts,
 *   or %NULL with @error set in the #JG_FORMAT_ERROR domain
 */
GPtrArray *
jg_batch_parse (const char *content_type,
                const char *data,
                gsize       length,
                GError    **error)
{
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *boundary = NULL;
  Parser           parser = { 0 };
  const char      *nul;
  int              boundary_line = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";

  if (length > MAX_BODY_SIZE)
    {
      set_error (error, JG_FORMAT_ERROR_TOO_LARGE, 0, 0,
                 "The batch body is %" G_GSIZE_FORMAT " bytes; at most 16 MiB is accepted",
                 length);
      return NULL;
    }

  /* $batch bodies are text (JSON, Atom, OData errors). Refusing NUL
   * bytes up front means every part's body, and what jg_batch_write()
   * makes of the parts, is a plain C string.
   */
  nul = memchr (data, '\0', length);
  if (nul != NULL)
    {
      const char *line_start = data;
      int         line = 1;

      for (const char *p = data; p < nul; p++)
        {
          if (*p == '\n')
            {
              line++;
              line_start = p + 1;
            }
        }

      set_error (error, JG_FORMAT_ERROR_PARSE, line, (int)(nul - line_start + 1),
                 "the batch body contains a NUL byte; it must be text");
      return NULL;
    }

  parser.scanner.data = data;
  parser.scanner.length = length;
  parser.scanner.pos = 0;
  parser.scanner.line = 1;

  if (content_type != NULL)
    {
      if (!media_type_has_prefix (content_type, "multipart/"))
        {
          g_autofree char *excerpt = dup_excerpt (content_type, strlen (content_type));

          set_error (error, JG_FORMAT_ERROR_INVALID, 0, 0,
                     "The batch Content-Type is “%s”; expected multipart/mixed",
                     excerpt);
          return NULL;
        }

      boundary = jg_batch_dup_boundary (content_type);
      if (boundary == NULL)
        {
          g_autofree char *excerpt = dup_excerpt (content_type, strlen (content_type));

          set_error (error, JG_FORMAT_ERROR_PARSE, 0, 0,
                     "The batch Content-Type “%s” has no boundary parameter",
                     excerpt);
          return NULL;
        }
    }
  else
    {
      Scanner     sniff = parser.scanner;
      Line        line;
      const char *s;
      gsize       len;

      do
        {
          if (!scanner_next (&sniff, &line))
            {
              set_error (error, JG_FORMAT_ERROR_PARSE, scanner_last_line (&sniff), 0,
                         "the batch body is empty; expected a boundary line such as --batch_…");
              return NULL;
            }
        }
      while (is_blank (line.start, line.len));

      s = line.start;
      len = line.len;
      trim (&s, &len);

      if (len < 3 || s != line.start || s[0] != '-' || s[1] != '-')
        {
          g_autofree char *excerpt = dup_excerpt (line.start, line.len);

          set_error (error, JG_FORMAT_ERROR_PARSE, line.number, 1,
                     "the batch body should start with a boundary line such as --batch_…, not “%s”",
                     excerpt);
          return NULL;
        }

      /* `--X--` first is the closing delimiter of an empty batch, not a
       * boundary that ends in dashes; that is what the writer produces
       * for no parts.
       */
      if (len > 4 && s[len - 1] == '-' && s[len - 2] == '-')
        len -= 2;

      boundary_line = line.number;
      boundary = g_strndup (s + 2, len - 2);
    }

  if (!check_boundary (boundary, strlen (boundary), boundary_line, error))
    return NULL;

  parts = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_batch_part_free);

  parser.parts = parts;
  parser.boundary = boundary;
  parser.boundary_len = strlen (boundary);

  /* Anything after the closing delimiter is an epilogue, and ignored. */
  if (!parse_multipart (&parser, boundary_line, error))
    return NULL;

  return g_steal_pointer (&parts);
}

/**
 * jg_batch_write:
 * @parts: (element-type JgBatchPart): requests (@method and @uri set) or
 *   responses (@status > 0)
 * @batch_boundary: (nullable): the batch boundary, or %NULL for
 *   `batch_<uuid>`
 * @changeset_boundary: (nullable): the boundary of the first changeset,
 *   or %NULL for `changeset_<uuid>`; later ones get `_2`, `_3`…
 *
 * Writes a `$batch` body with CRLF line breaks. Parts with @changeset 0
 * are written at the top level where they are; the parts of each
 * changeset index are written together as one changeset, where the first
 * of them is. Bodies are written as they are, so they must be text
 * without NUL bytes (as every body from jg_batch_parse() is) and must
 * not contain a boundary line.
 *
 * Returns: (transfer full): the body; the caller sends it with
 *   `Content-Type: multipart/mixed; boundary=<batch_boundary>`
 */
char *
jg_batch_write (GPtrArray  *parts,
                const char *batch_boundary,
                const char *changeset_boundary)
{
  g_autofree char     *batch = NULL;
  g_autofree char     *changeset = NULL;
  g_autofree gboolean *done = NULL;
  GString             *out;
  int                  n_changesets = 0;

  g_return_val_if_fail (parts != NULL, NULL);
  g_return_val_if_fail (batch_boundary == NULL || batch_boundary[0] != '\0', NULL);
  g_return_val_if_fail (changeset_boundary == NULL || changeset_boundary[0] != '\0', NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      const JgBatchPart *part = g_ptr_array_index (parts, i);

      g_return_val_if_fail (part != NULL, NULL);
      g_return_val_if_fail (part->status > 0 || (part->method != NULL && part->uri != NULL), NULL);
    }

  if (batch_boundary != NULL)
    {
      batch = g_strdup (batch_boundary);
    }
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      batch = g_strconcat ("batch_", uuid, NULL);
    }

  if (changeset_boundary != NULL)
    {
      changeset = g_strdup (changeset_boundary);
    }
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      changeset = g_strconcat ("changeset_", uuid, NULL);
    }

  g_return_val_if_fail (g_strcmp0 (batch, changeset) != 0, NULL);

  out = g_string_new (NULL);
  done = g_new0 (gboolean, parts->len + 1);

  for (guint i = 0; i < parts->len; i++)
    {
      const JgBatchPart *part = g_ptr_array_index (parts, i);
      g_autofree char   *boundary = NULL;

      if (done[i])
        continue;

      if (part->changeset <= 0)
        {
          append_http_part (out, batch, part);
          done[i] = TRUE;
          continue;
        }

      n_changesets++;
      if (n_changesets == 1)
        boundary = g_strdup (changeset);
      else
        boundary = g_strdup_printf ("%s_%d", changeset, n_changesets);

      g_string_append_printf (out, "--%s\r\nContent-Type: multipart/mixed; boundary=", batch);
      append_boundary_param (out, boundary);
      g_string_append (out, "\r\n\r\n");

      for (guint j = i; j < parts->len; j++)
        {
          const JgBatchPart *member = g_ptr_array_index (parts, j);

          if (done[j] || member->changeset != part->changeset)
            continue;

          append_http_part (out, boundary, member);
          done[j] = TRUE;
        }

      g_string_append_printf (out, "--%s--\r\n", boundary);
    }

  g_string_append_printf (out, "--%s--\r\n", batch);

  return g_string_free (out, FALSE);
}
