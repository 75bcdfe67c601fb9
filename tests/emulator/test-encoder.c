/* test-encoder.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Local service's encoder with real GStreamer: a generated clip
 * encoded to 720p and checked with GstDiscoverer, progress, cancel, an
 * input that is not media, and a missing encoder element.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "jg-emulator-encoder.h"

static char *tmp_dir;

/* A clip of @seconds: SMPTE bars at 640×360, 30 fps, and a tone, in MP4. */
static char *
make_clip (const char *name,
           guint       seconds)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  description = g_strdup_printf ("videotestsrc num-buffers=%u pattern=smpte ! "
                                 "video/x-raw,width=640,height=360,framerate=30/1 ! x264enc speed-preset=ultrafast ! "
                                 "h264parse ! mux. audiotestsrc num-buffers=%u samplesperbuffer=1024 ! "
                                 "audio/x-raw,rate=44100 ! audioconvert ! avenc_aac ! aacparse ! mux. "
                                 "mp4mux name=mux ! filesink location=\"%s\"",
                                 seconds * 30, (guint)(seconds * 44100 / 1024), path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return g_steal_pointer (&path);
}

typedef struct
{
  GAsyncResult *result;
  double        last_progress;
  guint         n_progress;
  GCancellable *cancel_on_progress;
} Run;

static void
progress_cb (double   percent,
             gpointer user_data)
{
  Run *run = user_data;

  g_assert_cmpfloat (percent, >=, run->last_progress);
  run->last_progress = percent;
  run->n_progress++;
  if (run->cancel_on_progress != NULL && percent > 0)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Run *)user_data)->result = g_object_ref (result);
}

static gboolean
encode (const char          *input,
        const char          *output,
        const JgEncodeLayer *layer,
        Run                 *run,
        GCancellable        *cancellable,
        GError             **error)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  gboolean ok;

  jg_emulator_encode_async (input, output, layer, progress_cb, run, cancellable, done_cb, run);
  while (run->result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  ok = jg_emulator_encode_finish (run->result, error);
  g_clear_object (&run->result);

  return ok;
}

static void
test_single_bitrate_720p (void)
{
  g_autofree char *input = make_clip ("source.mp4", 3);
  g_autofree char *output = g_build_filename (tmp_dir, "720p.mp4", NULL);
  g_autofree char *uri = g_filename_to_uri (output, NULL, NULL);
  JgEncodeLayer    layer = { 1280, 720, 3000, 128 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  GList *videos, *audios;
  Run    run = { 0 };
  double duration;

  g_assert_true (encode (input, output, &layer, &run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (run.last_progress, ==, 100.0);
  g_assert_cmpuint (run.n_progress, >=, 1);

  discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  g_assert_no_error (error);
  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);

  videos = gst_discoverer_info_get_video_streams (info);
  audios = gst_discoverer_info_get_audio_streams (info);
  g_assert_cmpuint (g_list_length (videos), ==, 1);
  g_assert_cmpuint (g_list_length (audios), ==, 1);
  g_assert_cmpuint (gst_discoverer_video_info_get_width (videos->data), ==, 1280);
  g_assert_cmpuint (gst_discoverer_video_info_get_height (videos->data), ==, 720);
  {
    g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (videos->data);

    g_assert_true (g_str_equal (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "video/x-h264"));
  }
  {
    g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (audios->data);

    g_assert_true (g_str_equal (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "audio/mpeg"));
  }
  duration = (double)gst_discoverer_info_get_duration (info) / GST_SECOND;
  g_assert_cmpfloat (ABS (duration - 3.0), <, 0.1);

  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);
}

static void
test_cancel_removes_output (void)
{
  g_autofree char *input = make_clip ("long.mp4", 20);
  g_autofree char *output = g_build_filename (tmp_dir, "canceled.mp4", NULL);
  JgEncodeLayer    layer = { 1920, 1080, 6000, 128 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  run.cancel_on_progress = cancellable;
  g_assert_false (encode (input, output, &layer, &run, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

static void
test_not_media (void)
{
  g_autofree char *input = g_build_filename (tmp_dir, "notes.txt", NULL);
  g_autofree char *output = g_build_filename (tmp_dir, "notes.mp4", NULL);
  JgEncodeLayer    layer = { 1280, 720, 3000, 128 };
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_assert_true (g_file_set_contents (input, "These are not frames.\n", -1, NULL));
  g_assert_false (encode (input, output, &layer, &run, NULL, &error));
  g_assert_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

/* Runs last: it takes the H.264 encoders out of this process's registry. */
static void
test_missing_encoder (void)
{
  g_autofree char *input = make_clip ("short.mp4", 1);
  g_autofree char *output = g_build_filename (tmp_dir, "missing.mp4", NULL);
  JgEncodeLayer    layer = { 640, 360, 800, 96 };
  g_autoptr(GError) error = NULL;
  GstRegistry *registry = gst_registry_get ();
  Run run = { 0 };

  for (guint i = 0; i < 2; i++)
    {
      const char       *names[] = { "x264enc", "openh264enc" };
      GstPluginFeature *feature = gst_registry_lookup_feature (registry, names[i]);

      if (feature != NULL)
        {
          gst_registry_remove_feature (registry, feature);
          gst_object_unref (feature);
        }
    }

  g_assert_false (encode (input, output, &layer, &run, NULL, &error));
  g_assert_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT);
  g_assert_nonnull (strstr (error->message, "x264enc"));
  g_assert_nonnull (strstr (error->message, "gstreamer1.0-plugins-ugly"));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  {
    const char *needed[] = { "videotestsrc", "audiotestsrc", "x264enc", "avenc_aac", "mp4mux", "h264parse",
                             "aacparse", "uridecodebin" };

    for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
      if (gst_element_factory_find (needed[i]) == NULL)
        {
          g_autofree char *why = g_strdup_printf ("GStreamer element %s is not installed", needed[i]);

          g_test_skip (why);
          return 77;
        }
  }

  tmp_dir = g_dir_make_tmp ("jg-encoder-XXXXXX", NULL);

  g_test_add_func ("/jobgraph/emulator/encoder/720p", test_single_bitrate_720p);
  g_test_add_func ("/jobgraph/emulator/encoder/cancel", test_cancel_removes_output);
  g_test_add_func ("/jobgraph/emulator/encoder/not-media", test_not_media);
  g_test_add_func ("/jobgraph/emulator/encoder/missing-encoder", test_missing_encoder);

  status = g_test_run ();

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp_dir);

    if (system (command) != 0)
      g_warning ("could not remove %s", tmp_dir);
  }
  g_free (tmp_dir);

  return status;
}
