/* jg-cli-secret.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jobgraph-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>

#include "jg-cli-secret.h"

/* Reading a secret from standard input; the keyring is jg-keyring.c. */

/* Enough for a bearer token (a JWT) without growing the buffer, which
 * would leave unwiped copies of the secret behind.
 */
#define SECRET_BUFFER_SIZE 8192

/**
 * jg_cli_read_secret:
 * @prompt: what to ask on a terminal
 *
 * Reads one line from standard input, without its line break. On a
 * terminal, it first writes @prompt to standard error and turns echo off
 * while the user types.
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   jg_cli_free_secret(), or %NULL when standard input holds none
 */
char *
jg_cli_read_secret (const char *prompt)
{
  GString       *buffer = g_string_sized_new (SECRET_BUFFER_SIZE);
  struct termios saved, quiet;
  gboolean       terminal;
  char          *secret = NULL;
  int            c;

  terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  if (terminal)
    {
      fputs (prompt, stderr);
      fflush (stderr);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (buffer, (char)c);

  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }

  if (buffer->len > 0 && buffer->str[buffer->len - 1] == '\r')
    g_string_truncate (buffer, buffer->len - 1);

  if (buffer->len > 0)
    secret = g_strndup (buffer->str, buffer->len);

  explicit_bzero (buffer->str, buffer->allocated_len);
  g_string_free (buffer, TRUE);

  return secret;
}
