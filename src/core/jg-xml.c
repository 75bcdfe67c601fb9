/* jg-xml.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-xml"

#include "config.h"

#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "jg-format-error.h"
#include "jg-xml.h"

/* Every XML document Jobgraph reads goes through jg_xml_parse(), so that the
 * safety rules live in one place:
 *
 *  - No network (XML_PARSE_NONET), no entity substitution (never
 *    XML_PARSE_NOENT), no DTD loading or validation, never XML_PARSE_HUGE.
 *  - Any <!DOCTYPE> is refused outright. A SAX hook on the internal subset
 *    stops the parser before a single declaration is read, so entity
 *    expansion attacks (billion laughs, XXE) never start. A substring scan
 *    would be both weaker and wrong (a DOCTYPE inside a comment is harmless).
 *  - The declared encoding is ignored: the service returns
 *    encoding="utf-16" inside UTF-8 strings, so input is always UTF-8.
 *  - Size and nesting depth are bounded.
 *  - libxml2 never prints: errors go to a handler on the parser context.
 */
#define PARSE_OPTIONS (XML_PARSE_NONET |      \
                       XML_PARSE_IGNORE_ENC | \
                       XML_PARSE_BIG_LINES |  \
                       XML_PARSE_NOERROR |    \
                       XML_PARSE_NOWARNING)

/* libxml2 2.12 made the error argument const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError JgXmlError;
#else
typedef xmlError JgXmlError;
#endif

/* A node whose position is known, by byte offset in the input. */
typedef struct
{
  xmlNode *node;
  gsize    offset;
} Mark;

typedef struct
{
  xmlParserCtxt         *ctxt;
  /* The input, after the byte order mark if there is one. */
  const char            *data;
  gsize                  length;

  /* The default SAX2 handlers that the hooks below wrap. */
  startElementNsSAX2Func start_element_ns;
  endElementNsSAX2Func   end_element_ns;
  charactersSAXFunc      characters;
  cdataBlockSAXFunc      cdata_block;

  guint                  depth;

  /* Where each element and non-blank text node starts, in document order. */
  GArray                *marks;

  /* Set when a hook refused the document and stopped the parser. */
  gboolean               refused;
  JgFormatError          refusal_code;
  gsize                  refusal_offset;
  char                  *refusal_message;

  /* The first (preferably fatal) error libxml2 reported. */
  gboolean               have_error;
  gboolean               error_is_fatal;
  int                    error_code;
  int                    error_line;
  int                    error_column;
  char                  *error_message;
} ParseState;

/* Tags the documents made by jg_xml_parse(), whose nodes carry their column
 * in `_private`.
 */
static const char doc_tag[] = "jg-xml";

static void
parse_state_clear (ParseState *state)
{
  g_clear_pointer (&state->marks, g_array_unref);
  g_clear_pointer (&state->refusal_message, g_free);
  g_clear_pointer (&state->error_message, g_free);
}

static gboolean
is_xml_blank (guchar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Byte offset in the input of @p, a pointer into the current input buffer.
 * With UTF-8 in and UTF-8 out, offsets in libxml2's buffer are offsets in
 * the caller's data after the UTF-8 byte order mark, if any: libxml2 drops
 * it, and does not count it as a column either.
 */
static gsize
offset_of (xmlParserInput *input,
           const xmlChar  *p)
{
  return (gsize)input->consumed + (gsize)(p - input->base);
}

static gboolean
points_into_buffer (xmlParserInput *input,
                    const xmlChar  *p)
{
  return p >= input->base && p <= input->end;
}

/* Works out the 1-based line and column (in characters, as libxml2
 * counts them) of byte @offset in the input.
 */
static void
locate_offset (const char *data,
               gsize       length,
               gsize       offset,
               int        *line,
               int        *column)
{
  int l = 1;
  int c = 1;

  offset = MIN (offset, length);

  for (gsize i = 0; i < offset; i++)
    {
      guchar b = data[i];

      if (b == '\n')
        {
          l++;
          c = 1;
        }
      else if ((b & 0xC0) != 0x80)
        {
          c++;
        }
    }

  *line = l;
  *column = c;
}

static void
add_mark (ParseState *state,
          xmlNode    *node,
          gsize       offset)
{
  Mark mark = { node, offset };

  /* Column 0 ("unknown") until resolved; a non-NULL value tells the text
   * hook that this node already has its mark.
   */
  node->_private = GINT_TO_POINTER (-1);
  g_array_append_val (state->marks, mark);
}

static int
compare_marks (gconstpointer a,
               gconstpointer b)
{
  const Mark *ma = a;
  const Mark *mb = b;

  return (ma->offset > mb->offset) - (ma->offset < mb->offset);
}

/* Turns the byte offsets recorded during parsing into line numbers (in
 * xmlNode.line) and columns (in xmlNode._private), in one pass over the
 * input.
 */
static void
resolve_marks (ParseState *state)
{
  GArray *marks = state->marks;
  gsize   pos = 0;
  int     line = 1;
  int     column = 1;

  for (guint i = 1; i < marks->len; i++)
    {
      if (g_array_index (marks, Mark, i).offset <
          g_array_index (marks, Mark, i - 1).offset)
        {
          g_array_sort (marks, compare_marks);
          break;
        }
    }

  for (guint i = 0; i < marks->len; i++)
    {
      Mark *mark = &g_array_index (marks, Mark, i);
      gsize target = MIN (mark->offset, state->length);

      for (; pos < target; pos++)
        {
          guchar b = state->data[pos];

          if (b == '\n')
            {
              line++;
              column = 1;
            }
          else if ((b & 0xC0) != 0x80)
            {
              column++;
            }
        }

      mark->node->_private = GINT_TO_POINTER (column);
      if (line < G_MAXUSHORT)
        mark->node->line = line;
    }
}

/* Remembers why the document is refused, and stops the parser if @stop.
 * @offset says where the problem is.
 */
static void
refuse (ParseState   *state,
        JgFormatError code,
        gsize         offset,
        const char   *message,
        gboolean      stop)
{
  if (!state->refused)
    {
      state->refused = TRUE;
      state->refusal_code = code;
      state->refusal_offset = offset;
      state->refusal_message = g_strdup (message);
    }

  if (stop)
    xmlStopParser (state->ctxt);
}

static void
record_error (ParseState *state,
              JgXmlError *error)
{
  gboolean fatal;

  if (error == NULL || error->level < XML_ERR_ERROR)
    return;

  /* Later errors are mostly consequences of the first one; but a fatal
   * error beats a recoverable one (such as a namespace error) before it.
   */
  fatal = error->level == XML_ERR_FATAL;
  if (state->have_error && (state->error_is_fatal || !fatal))
    return;

  state->have_error = TRUE;
  state->error_is_fatal = fatal;
  state->error_code = error->code;
  state->error_line = error->line;
  state->error_column = error->int2;
  g_free (state->error_message);
  state->error_message = g_strdup (error->message);
}

/* Finds the byte offset of the '<' that opened the start tag the parser is
 * in. libxml2 keeps the whole tag in its buffer while it calls
 * startElementNs (attribute values point into it), and '<' cannot occur
 * inside a start tag, so the nearest '<' before the cursor is the one.
 */
static gsize
find_tag_start (xmlParserInput *input)
{
  const xmlChar *p = input->cur;

  while (p > input->base)
    {
      p--;
      if (*p == '<')
        return offset_of (input, p);
    }

  return offset_of (input, input->cur);
}

/* Text reaches the characters hook from three places: straight from the
 * input buffer, from a copy (text with non-ASCII characters or a CDATA
 * section) that ends where the parser now is, or from a character or entity
 * reference that ends where the parser now is. Returns the byte offset of
 * the first character of the chunk.
 */
static gsize
find_text_start (xmlParserInput *input,
                 const xmlChar  *ch,
                 int             len,
                 int             trailer)
{
  const xmlChar *cur = input->cur;
  const xmlChar *p;

  if (points_into_buffer (input, ch) && ch + len <= input->end)
    return offset_of (input, ch);

  /* A reference: "&name;" or "&#…;" ending at the cursor. */
  if (trailer == 0 && cur - input->base >= 2 && cur[-1] == ';')
    {
      for (p = cur - 1; p > input->base && cur - p < 40;)
        {
          p--;
          if (*p == '&')
            return offset_of (input, p);
          if (*p == ';' || *p == '<' || *p == '>' || is_xml_blank (*p))
            break;
        }
    }

  /* A copy; CRLF pairs folded into LF may make this a little early. */
  if ((gsize)(cur - input->base) + input->consumed >= (gsize)len + trailer)
    return offset_of (input, cur) - len - trailer;

  return offset_of (input, cur);
}

static void
mark_text (ParseState    *state,
           xmlNode       *parent,
           const xmlChar *ch,
           int            len,
           int            trailer)
{
  xmlParserInput *input = state->ctxt->input;
  xmlNode        *text;
  int             i;

  if (parent == NULL || state->ctxt->inputNr != 1)
    return;

  text = parent->last;
  if (text == NULL ||
      (text->type != XML_TEXT_NODE && text->type != XML_CDATA_SECTION_NODE) ||
      text->_private != NULL)
    return;

  /* Only the first non-blank character matters: blank text is allowed
   * anywhere, and error messages point at what is not blank.
   */
  for (i = 0; i < len && is_xml_blank (ch[i]); i++)
    ;
  if (i == len)
    return;

  add_mark (state, text, find_text_start (input, ch, len, trailer) + i);
}

/* Finds the "<!DOCTYPE" the parser is in. */
static gsize
find_doctype_start (xmlParserInput *input)
{
  const xmlChar *p = input->cur;

  while (p > input->base)
    {
      p--;
      if (input->end - p >= 9 && memcmp (p, "<!DOCTYPE", 9) == 0)
        return offset_of (input, p);
    }

  return offset_of (input, input->cur);
}

#define DOCTYPE_MESSAGE                                         \
  "The XML contains a document type declaration (<!DOCTYPE>), " \
  "which Jobgraph refuses for safety"

static void
internal_subset_cb (void                        *ctx,
                    G_GNUC_UNUSED const xmlChar *name,
                    G_GNUC_UNUSED const xmlChar *external_id,
                    G_GNUC_UNUSED const xmlChar *system_id)
{
  xmlParserCtxt *ctxt = ctx;

  refuse (ctxt->_private, JG_FORMAT_ERROR_FORBIDDEN,
          find_doctype_start (ctxt->input), DOCTYPE_MESSAGE, TRUE);
}

/* Unreachable while internal_subset_cb refuses every DOCTYPE, but entity
 * declarations are what the refusal is for, so they are refused here too.
 */
static void
entity_decl_cb (void                        *ctx,
                G_GNUC_UNUSED const xmlChar *name,
                G_GNUC_UNUSED int            type,
                G_GNUC_UNUSED const xmlChar *public_id,
                G_GNUC_UNUSED const xmlChar *system_id,
                G_GNUC_UNUSED xmlChar       *content)
{
  xmlParserCtxt *ctxt = ctx;
  ParseState    *state = ctxt->_private;

  refuse (state, JG_FORMAT_ERROR_FORBIDDEN,
          offset_of (ctxt->input, ctxt->input->cur),
          "The XML declares an entity, which Jobgraph refuses for safety",
          TRUE);
}

static void
external_subset_cb (G_GNUC_UNUSED void          *ctx,
                    G_GNUC_UNUSED const xmlChar *name,
                    G_GNUC_UNUSED const xmlChar *external_id,
                    G_GNUC_UNUSED const xmlChar *system_id)
{
  /* Never load an external DTD. */
}

static void
start_element_ns_cb (void           *ctx,
                     const xmlChar  *localname,
                     const xmlChar  *prefix,
                     const xmlChar  *uri,
                     int             nb_namespaces,
                     const xmlChar **namespaces,
                     int             nb_attributes,
                     int             nb_defaulted,
                     const xmlChar **attributes)
{
  xmlParserCtxt *ctxt = ctx;
  ParseState    *state = ctxt->_private;
  gsize          offset = find_tag_start (ctxt->input);
  xmlNode       *parent = ctxt->node;

  /* Counting depth here refuses deep nesting as soon as it starts, long
   * before libxml2's own (higher) limit.
   */
  if (++state->depth > JG_XML_MAX_DEPTH)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf ("The XML nests elements more than %d levels "
                                 "deep",
                                 JG_XML_MAX_DEPTH);
      refuse (state, JG_FORMAT_ERROR_TOO_LARGE, offset, message, TRUE);
      return;
    }

  state->start_element_ns (ctx, localname, prefix, uri, nb_namespaces,
                           namespaces, nb_attributes, nb_defaulted,
                           attributes);

  if (ctxt->node != NULL && ctxt->node != parent && ctxt->inputNr == 1)
    add_mark (state, ctxt->node, offset);
}

static void
end_element_ns_cb (void          *ctx,
                   const xmlChar *localname,
                   const xmlChar *prefix,
                   const xmlChar *uri)
{
  xmlParserCtxt *ctxt = ctx;
  ParseState    *state = ctxt->_private;

  if (state->depth > 0)
    state->depth--;

  state->end_element_ns (ctx, localname, prefix, uri);
}

static void
characters_cb (void          *ctx,
               const xmlChar *ch,
               int            len)
{
  xmlParserCtxt *ctxt = ctx;
  ParseState    *state = ctxt->_private;
  xmlNode       *parent = ctxt->node;

  state->characters (ctx, ch, len);
  mark_text (state, parent, ch, len, 0);
}

static void
cdata_block_cb (void          *ctx,
                const xmlChar *ch,
                int            len)
{
  xmlParserCtxt *ctxt = ctx;
  ParseState    *state = ctxt->_private;
  xmlNode       *parent = ctxt->node;

  state->cdata_block (ctx, ch, len);
  /* The parser is past the closing "]]>". */
  mark_text (state, parent, ch, len, 3);
}

static void
context_error_cb (void       *user_data,
                  JgXmlError *error)
{
  xmlParserCtxt *ctxt = user_data;

  /* A DOCTYPE too broken to reach internal_subset_cb is still a DOCTYPE.
   * The error already fails the parse, so there is no need to stop the
   * parser from inside libxml2's error path.
   */
  if (ctxt->inSubset != 0 && ctxt->input != NULL)
    refuse (ctxt->_private, JG_FORMAT_ERROR_FORBIDDEN,
            find_doctype_start (ctxt->input), DOCTYPE_MESSAGE, FALSE);

  record_error (ctxt->_private, error);
}

/* Catches what libxml2 reports without a parser context, so that nothing
 * reaches stderr.
 */
static void
thread_error_cb (void       *user_data,
                 JgXmlError *error)
{
  record_error (user_data, error);
}

static void
thread_generic_error_cb (G_GNUC_UNUSED void       *user_data,
                         G_GNUC_UNUSED const char *format,
                         ...)
{
}

static void
ensure_initialized (void)
{
  static gsize initialized = 0;

  /* xmlInitParser() is not safe to race in libxml2 2.9. */
  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

/* Turns libxml2's message into a sentence: no trailing newline, no line
 * breaks inside.
 */
static char *
describe_parse_error (const ParseState *state)
{
  g_autofree char *detail = NULL;
  char            *p;

  if (state->error_message == NULL)
    return g_strdup ("The XML is not well-formed");

  detail = g_strstrip (g_strdup (state->error_message));
  for (p = detail; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\r')
        *p = ' ';
    }

  /* libxml2 says "Input is not proper UTF-8, indicate encoding !" and the
   * bytes; telling the user to indicate an encoding would be wrong here,
   * since the declared encoding is ignored on purpose.
   */
  if (g_str_has_prefix (detail, "Input is not proper UTF-8"))
    {
      const char *bytes = strstr (detail, "Bytes:");

      if (bytes != NULL)
        return g_strdup_printf ("The XML is not valid UTF-8 (%s)", bytes);
      return g_strdup ("The XML is not valid UTF-8");
    }

  return g_strdup_printf ("The XML is not well-formed: %s", detail);
}

/**
 * jg_xml_parse:
 * @data: the XML text, always read as UTF-8
 * @length: the length of @data in bytes, or -1 if it is nul-terminated
 * @error: return location for a #JG_FORMAT_ERROR
 *
 * Parses @data safely: no network, no DTD, no entity substitution; any
 * `<!DOCTYPE` is refused with %JG_FORMAT_ERROR_FORBIDDEN; input over
 * %JG_XML_MAX_INPUT_SIZE bytes or nesting deeper than %JG_XML_MAX_DEPTH is
 * refused with %JG_FORMAT_ERROR_TOO_LARGE; malformed XML fails with
 * %JG_FORMAT_ERROR_PARSE and the line and column libxml2 reported. The
 * encoding declared in the XML declaration is ignored.
 *
 * Elements and non-blank text nodes of the result know their position: see
 * jg_xml_get_position().
 *
 * Returns: (transfer full) (nullable): the document, free with xmlFreeDoc()
 */
xmlDoc *
jg_xml_parse (const char *data,
              gssize      length,
              GError    **error)
{
  ParseState             state = { 0 };
  xmlParserCtxt         *ctxt;
  xmlDoc                *doc;
  xmlStructuredErrorFunc saved_error_func;
  void                  *saved_error_data;
  xmlGenericErrorFunc    saved_generic_func;
  void                  *saved_generic_data;
  gsize                  size;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";

  size = length < 0 ? strlen (data) : (gsize)length;
  if (size > JG_XML_MAX_INPUT_SIZE)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_TOO_LARGE, 0, 0,
                           "The XML is too large: %" G_GSIZE_FORMAT " bytes, "
                           "but at most %d bytes are accepted",
                           size, JG_XML_MAX_INPUT_SIZE);
      return NULL;
    }

  ensure_initialized ();

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, 0, 0,
                           "Could not create an XML parser");
      return NULL;
    }

  state.ctxt = ctxt;
  state.data = data;
  state.length = size;
  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      state.data += 3;
      state.length -= 3;
    }
  state.marks = g_array_new (FALSE, FALSE, sizeof (Mark));

  /* The SAX handler belongs to this context alone (xmlNewParserCtxt()
   * allocates it), so changing it affects no other parse.
   */
  ctxt->_private = &state;
  ctxt->sax->serror = context_error_cb;
  ctxt->sax->internalSubset = internal_subset_cb;
  ctxt->sax->externalSubset = external_subset_cb;
  ctxt->sax->entityDecl = entity_decl_cb;

  state.start_element_ns = ctxt->sax->startElementNs;
  state.end_element_ns = ctxt->sax->endElementNs;
  state.characters = ctxt->sax->characters;
  state.cdata_block = ctxt->sax->cdataBlock;
  ctxt->sax->startElementNs = start_element_ns_cb;
  ctxt->sax->endElementNs = end_element_ns_cb;
  ctxt->sax->characters = characters_cb;
  ctxt->sax->cdataBlock = cdata_block_cb;
  /* libxml2 only guesses which blanks are ignorable when the two handlers
   * differ; keep them the same so that every blank stays in the tree.
   */
  if (ctxt->sax->ignorableWhitespace == state.characters)
    ctxt->sax->ignorableWhitespace = characters_cb;

  /* These are per thread in libxml2, and restored below. */
  saved_error_func = xmlStructuredError;
  saved_error_data = xmlStructuredErrorContext;
  saved_generic_func = xmlGenericError;
  saved_generic_data = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc (&state, thread_error_cb);
  xmlSetGenericErrorFunc (NULL, thread_generic_error_cb);

  /* Passing "UTF-8" switches the input to UTF-8 before the XML declaration
   * is read, and XML_PARSE_IGNORE_ENC makes libxml2 skip the declared
   * encoding, so encoding="utf-16" in a UTF-8 string parses as UTF-8.
   */
  doc = xmlCtxtReadMemory (ctxt, data, (int)size, NULL, "UTF-8",
                           PARSE_OPTIONS);

  xmlSetStructuredErrorFunc (saved_error_data, saved_error_func);
  xmlSetGenericErrorFunc (saved_generic_data, saved_generic_func);

  if (state.refused)
    {
      int line, column;

      g_clear_pointer (&doc, xmlFreeDoc);
      locate_offset (state.data, state.length, state.refusal_offset, &line,
                     &column);
      jg_format_error_set (error, state.refusal_code, line, column, "%s",
                           state.refusal_message);
    }
  else if (doc == NULL || !ctxt->wellFormed)
    {
      g_autofree char *message = describe_parse_error (&state);

      g_clear_pointer (&doc, xmlFreeDoc);
      jg_format_error_set (error, JG_FORMAT_ERROR_PARSE, state.error_line,
                           state.error_column, "%s", message);
    }
  else
    {
      resolve_marks (&state);
      doc->_private = (gpointer)doc_tag;
    }

  ctxt->_private = NULL;
  xmlFreeParserCtxt (ctxt);
  parse_state_clear (&state);

  return doc;
}

/**
 * jg_xml_check:
 *
 * Parses @data like jg_xml_parse() and discards the result.
 *
 * Returns: %TRUE when @data is acceptable XML
 */
gboolean
jg_xml_check (const char *data,
              gssize      length,
              GError    **error)
{
  g_autoptr (xmlDoc) doc = NULL;

  doc = jg_xml_parse (data, length, error);

  return doc != NULL;
}

/**
 * jg_xml_get_position:
 * @node: an element or text node of a document from jg_xml_parse()
 * @line: (out) (optional): the 1-based line, or 0 when unknown
 * @column: (out) (optional): the 1-based column in characters, or 0 when
 *   unknown
 *
 * Finds where @node starts in the parsed text: the `<` of an element, or the
 * first non-blank character of a text node.
 */
void
jg_xml_get_position (xmlNode *node,
                     int     *line,
                     int     *column)
{
  int l = 0;
  int c = 0;

  if (node != NULL)
    {
      l = MAX (xmlGetLineNo (node), 0);

      if (node->doc != NULL &&
          node->doc->_private == (gpointer)doc_tag &&
          (node->type == XML_ELEMENT_NODE ||
           node->type == XML_TEXT_NODE ||
           node->type == XML_CDATA_SECTION_NODE))
        c = MAX (GPOINTER_TO_INT (node->_private), 0);
    }

  if (line != NULL)
    *line = l;
  if (column != NULL)
    *column = c;
}

/**
 * jg_xml_dup_text:
 * @node: a node
 *
 * Returns: (transfer full): the text content of @node and its descendants
 */
char *
jg_xml_dup_text (xmlNode *node)
{
  xmlChar *content;
  char    *text;

  g_return_val_if_fail (node != NULL, NULL);

  content = xmlNodeGetContent (node);
  text = g_strdup (content != NULL ? (const char *)content : "");
  xmlFree (content);

  return text;
}

/**
 * jg_xml_dup_attribute:
 * @node: an element
 * @name: the attribute name
 * @alt_name: (nullable): another name to try when @name is absent, such as
 *   `AssetName` for `assetName`
 *
 * Looks up an attribute that is in no namespace.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when absent
 */
char *
jg_xml_dup_attribute (xmlNode    *node,
                      const char *name,
                      const char *alt_name)
{
  xmlChar *value;
  char    *result;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (node->type != XML_ELEMENT_NODE)
    return NULL;

  value = xmlGetNoNsProp (node, (const xmlChar *)name);
  if (value == NULL && alt_name != NULL)
    value = xmlGetNoNsProp (node, (const xmlChar *)alt_name);
  if (value == NULL)
    return NULL;

  result = g_strdup ((const char *)value);
  xmlFree (value);

  return result;
}
