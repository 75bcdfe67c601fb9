/* jg-cli-private.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include "jg-core.h"

G_BEGIN_DECLS

#define PROGRAM_NAME "jobgraph-cli"

enum
{
  JG_CLI_EXIT_OK = 0,
  JG_CLI_EXIT_INVALID = 1,
  JG_CLI_EXIT_USAGE = 2,
};

typedef struct _JgCliCommand JgCliCommand;

typedef int (*JgCliCommandFunc) (const JgCliCommand *command,
                                 int                 argc,
                                 char              **argv);

struct _JgCliCommand
{
  const char       *name;
  const char       *summary;
  JgCliCommandFunc  run;
};

int             _jg_cli_usage_error         (const JgCliCommand  *command,
                                             const char          *format,
                                             ...) G_GNUC_PRINTF (2, 3);
void            _jg_cli_print_error         (const char          *display_name,
                                             const GError        *error);
void            _jg_cli_print_diagnostics   (FILE                *stream,
                                             const char          *display_name,
                                             GPtrArray           *diagnostics);
guint           _jg_cli_count_errors        (GPtrArray           *diagnostics);
const char     *_jg_cli_get_display_name    (const char          *path);
JgGraph        *_jg_cli_load_graph          (const char          *path,
                                             JgFormat            *format,
                                             GPtrArray           *import_diagnostics,
                                             GError             **error);
gboolean        _jg_cli_is_api_version      (const char          *text);
gboolean        _jg_cli_parse_arguments     (const JgCliCommand  *command,
                                             GOptionContext      *context,
                                             int                 *argc,
                                             char              ***argv);
GOptionContext *_jg_cli_new_command_context (const JgCliCommand  *command,
                                             const GOptionEntry  *entries,
                                             const char          *description);
GStrv           _jg_cli_split_input_ids     (const JgCliCommand  *command,
                                             char               **values,
                                             int                 *status);

/* The online commands, in jg-cli-online.c */
int             _jg_cli_run_submit          (const JgCliCommand  *command,
                                             int                  argc,
                                             char               **argv);
int             _jg_cli_run_template        (const JgCliCommand  *command,
                                             int                  argc,
                                             char               **argv);
int             _jg_cli_run_jobs            (const JgCliCommand  *command,
                                             int                  argc,
                                             char               **argv);
int             _jg_cli_run_assets          (const JgCliCommand  *command,
                                             int                  argc,
                                             char               **argv);
int             _jg_cli_run_processors      (const JgCliCommand  *command,
                                             int                  argc,
                                             char               **argv);
int             _jg_cli_run_accounts        (const JgCliCommand  *command,
                                             int                  argc,
                                             char               **argv);
int             _jg_cli_run_emulator        (const JgCliCommand  *command,
                                             int                  argc,
                                             char               **argv);

G_END_DECLS
