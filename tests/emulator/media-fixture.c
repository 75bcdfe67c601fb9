/* media-fixture.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/pbutils/pbutils.h>

#include "media-fixture.h"

/**
 * media_fixture_skip_without:
 * @elements: GStreamer element names the test needs
 *
 * Returns: %TRUE (and marks the test program skipped) when one is missing
 */
gboolean
media_fixture_skip_without (const char *const *elements)
{
  for (guint i = 0; elements[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (elements[i]);

      if (factory == NULL)
        {
          g_autofree char *why = g_strdup_printf ("GStreamer element %s is not installed", elements[i]);

          g_test_skip (why);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * media_fixture_make_clip:
 *
 * Writes a clip of @seconds into @dir: SMPTE bars at @width×@height,
 * 30 fps, H.264, and a 44.1 kHz stereo tone in AAC, in MP4.
 *
 * Returns: (transfer full): its path
 */
char *
media_fixture_make_clip (const char *dir,
                         const char *name,
                         guint       width,
                         guint       height,
                         guint       seconds)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  description = g_strdup_printf ("videotestsrc num-buffers=%u pattern=smpte ! "
                                 "video/x-raw,width=%u,height=%u,framerate=30/1 ! "
                                 "x264enc speed-preset=ultrafast ! h264parse ! mux. "
                                 "audiotestsrc num-buffers=%u samplesperbuffer=1024 ! "
                                 "audio/x-raw,rate=44100,channels=2 ! audioconvert ! avenc_aac ! aacparse ! mux. "
                                 "mp4mux name=mux ! filesink location=\"%s\"",
                                 seconds * 30, width, height, (guint)(seconds * 44100 / 1024), path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return g_steal_pointer (&path);
}

static char *
dup_caps_name (GstDiscovererStreamInfo *stream)
{
  g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (stream);

  return g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0)));
}

/* Fills @info from GstDiscoverer; fails the test when the file does not
 * decode.
 */
void
media_fixture_discover (const char *path,
                        MediaInfo  *info)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) result = NULL;
  GList *videos, *audios;

  memset (info, 0, sizeof *info);

  discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_assert_no_error (error);
  result = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);

  videos = gst_discoverer_info_get_video_streams (result);
  audios = gst_discoverer_info_get_audio_streams (result);

  if (videos != NULL)
    {
      info->video_caps = dup_caps_name (videos->data);
      info->width = gst_discoverer_video_info_get_width (videos->data);
      info->height = gst_discoverer_video_info_get_height (videos->data);
    }

  if (audios != NULL)
    {
      info->audio_caps = dup_caps_name (audios->data);
      info->audio_channels = gst_discoverer_audio_info_get_channels (audios->data);
    }

  info->duration = (double)gst_discoverer_info_get_duration (result) / GST_SECOND;

  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
}

void
media_info_clear (MediaInfo *info)
{
  g_clear_pointer (&info->video_caps, g_free);
  g_clear_pointer (&info->audio_caps, g_free);
}
