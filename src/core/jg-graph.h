/* jg-graph.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "jg-types.h"

G_BEGIN_DECLS

#define JG_TYPE_GRAPH (jg_graph_get_type ())

G_DECLARE_FINAL_TYPE (JgGraph, jg_graph, JG, GRAPH, GObject)

JgGraph     *jg_graph_new                    (void);
const char  *jg_graph_get_name               (JgGraph             *self);
void         jg_graph_set_name               (JgGraph             *self,
                                              const char          *name);
int          jg_graph_get_priority           (JgGraph             *self);
void         jg_graph_set_priority           (JgGraph             *self,
                                              int                  priority);
const char  *jg_graph_get_api_version        (JgGraph             *self);
void         jg_graph_set_api_version        (JgGraph             *self,
                                              const char          *api_version);
void         jg_graph_get_viewport           (JgGraph             *self,
                                              double              *x,
                                              double              *y,
                                              double              *zoom);
void         jg_graph_set_viewport           (JgGraph             *self,
                                              double               x,
                                              double               y,
                                              double               zoom);

GListModel  *jg_graph_get_inputs             (JgGraph             *self);
guint        jg_graph_get_n_inputs           (JgGraph             *self);
JgJobInput  *jg_graph_get_input              (JgGraph             *self,
                                              guint                position);
GListModel  *jg_graph_get_tasks              (JgGraph             *self);
guint        jg_graph_get_n_tasks            (JgGraph             *self);
JgTask      *jg_graph_get_task               (JgGraph             *self,
                                              guint                position);
int          jg_graph_find_task              (JgGraph             *self,
                                              JgTask              *task);
int          jg_graph_find_input             (JgGraph             *self,
                                              JgJobInput          *input);
GPtrArray   *jg_graph_dup_run_order          (JgGraph             *self);
GPtrArray   *jg_graph_dup_output_assets      (JgGraph             *self);
GPtrArray   *jg_graph_dup_numbered_inputs    (JgGraph             *self);

/* Building without undo (importers, tests). */
void         jg_graph_append_input           (JgGraph             *self,
                                              JgJobInput          *input);
void         jg_graph_append_task            (JgGraph             *self,
                                              JgTask              *task);
guint        jg_graph_add_task_port          (JgGraph             *self,
                                              JgTask              *task,
                                              gboolean             output,
                                              JgRefKind            kind,
                                              gpointer             object,
                                              const char          *text);

/* Undoable edits (see jg-edit.h). */
JgEdit      *jg_graph_apply                  (JgGraph             *self,
                                              JgEdit              *edit,
                                              GError             **error);
JgEdit      *jg_graph_build_remove_task      (JgGraph             *self,
                                              JgTask              *task);
JgEdit      *jg_graph_build_remove_input     (JgGraph             *self,
                                              JgJobInput          *input);
gboolean     jg_graph_would_create_cycle     (JgGraph             *self,
                                              JgTask              *reader,
                                              JgOutputAsset       *asset);
gboolean     jg_graph_check_connection       (JgGraph             *self,
                                              GObject             *source,
                                              JgTask              *reader,
                                              int                  input_index,
                                              char               **reason);

/* Validation */
GListModel  *jg_graph_get_diagnostics        (JgGraph             *self);
guint        jg_graph_get_n_errors           (JgGraph             *self);
guint        jg_graph_get_n_warnings         (JgGraph             *self);
void         jg_graph_validate               (JgGraph             *self);
gboolean     jg_graph_get_auto_validate      (JgGraph             *self);
void         jg_graph_set_auto_validate      (JgGraph             *self,
                                              gboolean             auto_validate);
const char * const *
             jg_graph_get_account_processors (JgGraph             *self);
void         jg_graph_set_account_processors (JgGraph             *self,
                                              const char * const  *processor_ids);

G_END_DECLS
