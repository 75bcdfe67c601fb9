/* media-fixture.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* What GstDiscoverer says of a media file, for assertions. */
typedef struct
{
  char  *video_caps; /* the first video stream's caps name, e.g. "video/x-h264", or NULL */
  char  *audio_caps; /* "audio/mpeg", or NULL */
  guint  width;
  guint  height;
  guint  audio_channels;
  double duration;   /* seconds */
} MediaInfo;

gboolean  media_fixture_skip_without (const char *const *elements);
char     *media_fixture_make_clip    (const char        *dir,
                                      const char        *name,
                                      guint              width,
                                      guint              height,
                                      guint              seconds);
void      media_fixture_discover     (const char        *path,
                                      MediaInfo         *info);
void      media_info_clear           (MediaInfo         *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MediaInfo, media_info_clear)

G_END_DECLS
