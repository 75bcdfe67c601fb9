/* jg-xml.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Larger inputs are refused before parsing. The biggest legitimate body is a
 * JobTemplateBody of 30 tasks, or a Configuration preset of 100,000
 * characters; 8 MiB leaves ample room.
 */
#define JG_XML_MAX_INPUT_SIZE (8 * 1024 * 1024)

/* Nesting deeper than this is refused (legitimate presets nest < 20 deep). */
#define JG_XML_MAX_DEPTH 64

xmlDoc   *jg_xml_parse           (const char  *data,
                                  gssize       length,
                                  GError     **error);
gboolean  jg_xml_check           (const char  *data,
                                  gssize       length,
                                  GError     **error);
void      jg_xml_get_position    (xmlNode     *node,
                                  int         *line,
                                  int         *column);
char     *jg_xml_dup_text        (xmlNode     *node);
char     *jg_xml_dup_attribute   (xmlNode     *node,
                                  const char  *name,
                                  const char  *alt_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

G_END_DECLS
