/* jg-emulator-encoder.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-encoder"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>

#include "jg-emulator-encoder.h"

/* One encode on the Local service (issue 6): any input GStreamer can
 * decode, to an MP4 with H.264 video and AAC audio at one layer's size and
 * bit rates. The pipeline is built as the decoder finds streams:
 *
 *   uridecodebin ─ video ─ queue ! videoconvert ! videoscale ! capsfilter ! H.264 encoder ! h264parse ─┐
 *                └ audio ─ queue ! audioconvert ! audioresample ! AAC encoder ! aacparse ────────────────┴ mp4mux ! filesink
 *
 * It runs in the caller's thread-default main context (its bus is watched
 * there); progress is the pipeline's position against the input's
 * duration, polled; cancelling stops the pipeline and removes the partial
 * file. Encoders are looked up at run time, and a missing one fails the
 * encode with the element's name and the Debian package that provides it.
 */

#define PROGRESS_INTERVAL_MS 200

G_DEFINE_QUARK (jg-emulator-encoder-error-quark, jg_emulator_encoder_error)

typedef struct
{
  GstElement          *pipeline;
  GstElement          *mux;
  char                *output_path;
  JgEncodeLayer        layer;
  JgEncodeProgressFunc progress;
  gpointer             progress_data;
  GSource             *bus_source;
  GSource             *progress_source;
  guint                has_video : 1;
  guint                has_audio : 1;
  guint                done : 1;
} Encode;

static const struct
{
  const char *element;
  const char *package;
} element_packages[] = {
  { "x264enc", "gstreamer1.0-plugins-ugly" },
  { "openh264enc", "gstreamer1.0-plugins-bad" },
  { "avenc_aac", "gstreamer1.0-libav" },
  { "fdkaacenc", "gstreamer1.0-plugins-bad" },
  { "voaacenc", "gstreamer1.0-plugins-bad" },
  { "h264parse", "gstreamer1.0-plugins-bad" },
  { "aacparse", "gstreamer1.0-plugins-good" },
  { "mp4mux", "gstreamer1.0-plugins-good" },
  { "ismlmux", "gstreamer1.0-plugins-good" },
  { "uridecodebin", "gstreamer1.0-plugins-base" },
  { "videoconvert", "gstreamer1.0-plugins-base" },
  { "videoscale", "gstreamer1.0-plugins-base" },
  { "audioconvert", "gstreamer1.0-plugins-base" },
  { "audioresample", "gstreamer1.0-plugins-base" },
  { "playbin", "gstreamer1.0-plugins-base" },
  { "appsink", "gstreamer1.0-plugins-base" },
  { "jpegenc", "gstreamer1.0-plugins-good" },
  { "pngenc", "gstreamer1.0-plugins-good" },
  { "queue", "libgstreamer1.0-0" },
  { "capsfilter", "libgstreamer1.0-0" },
  { "filesink", "libgstreamer1.0-0" },
  { "fakesink", "libgstreamer1.0-0" },
};

/* Not avenc_h264_omx: libav always registers it, but it fails to start
 * without OpenMAX hardware.
 */
static const char *const video_encoders[] = { "x264enc", "openh264enc", NULL };
static const char *const audio_encoders[] = { "avenc_aac", "fdkaacenc", "voaacenc", NULL };

static const char *
package_for (const char *element)
{
  for (guint i = 0; i < G_N_ELEMENTS (element_packages); i++)
    if (g_str_equal (element_packages[i].element, element))
      return element_packages[i].package;

  return "a GStreamer plugins package";
}

static void
encode_free (Encode *encode)
{
  if (encode->pipeline != NULL)
    {
      gst_element_set_state (encode->pipeline, GST_STATE_NULL);
      gst_object_unref (encode->pipeline);
    }
  if (encode->bus_source != NULL)
    {
      g_source_destroy (encode->bus_source);
      g_source_unref (encode->bus_source);
    }
  if (encode->progress_source != NULL)
    {
      g_source_destroy (encode->progress_source);
      g_source_unref (encode->progress_source);
    }
  g_free (encode->output_path);
  g_free (encode);
}

/* The first of @names that this GStreamer has, or NULL with @error naming
 * the first (the preferred one) and where to get it.
 */
static GstElement *
make_first (const char * const *names,
            GError            **error)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      GstElement *element = gst_element_factory_make (names[i], NULL);

      if (element != NULL)
        return element;
    }

  g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT,
               "The GStreamer element “%s” is not installed (install %s)", names[0], package_for (names[0]));
  return NULL;
}

/* Like make_first(), without making anything. */
static gboolean
have_first (const char *const *names,
            GError           **error)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (names[i]);

      if (factory != NULL)
        return TRUE;
    }

  g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT,
               "The GStreamer element “%s” is not installed (install %s)", names[0], package_for (names[0]));
  return FALSE;
}

static gboolean
have (const char *name,
      GError    **error)
{
  const char *names[] = { name, NULL };

  return have_first (names, error);
}

static GstElement *
make (const char *name,
      GError    **error)
{
  const char *names[] = { name, NULL };

  return make_first (names, error);
}

typedef struct
{
  GTask  *task;  /* owned */
  GError *error; /* owned; NULL on success */
} Stop;

/* In GStreamer's thread pool: taking a running pipeline down waits for its
 * streaming threads (seconds for x264enc with frames in its lookahead),
 * which must not stall the service's main loop.
 */
static void
stop_in_thread (GstElement *pipeline,
                gpointer    user_data)
{
  Stop   *stop = user_data;
  Encode *encode = g_task_get_task_data (stop->task);

  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (stop->error != NULL)
    {
      /* Never leave a half-written file where an output belongs. */
      g_unlink (encode->output_path);
      g_task_return_error (stop->task, g_steal_pointer (&stop->error));
    }
  else
    g_task_return_boolean (stop->task, TRUE);

  g_object_unref (stop->task);
  g_free (stop);
}

/* Ends the encode with @error (taken), or success when %NULL, once the
 * pipeline has stopped and the output file is closed (or removed).
 */
static void
finish (GTask  *task,
        GError *error)
{
  Encode *encode = g_task_get_task_data (task);
  Stop   *stop;

  if (encode->done)
    {
      g_clear_error (&error);
      return;
    }
  encode->done = TRUE;

  g_source_destroy (encode->progress_source);

  stop = g_new0 (Stop, 1);
  stop->task = task; /* the reference the running encode held */
  stop->error = error;
  gst_element_call_async (encode->pipeline, stop_in_thread, stop, NULL);
}

/* Sets a numeric property whatever its type: encoders disagree on int,
 * uint and int64 for the same setting.
 */
static void
set_number (GstElement *element,
            const char *property,
            gint64      value)
{
  GValue number = G_VALUE_INIT;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element), property) == NULL)
    return;

  g_value_init (&number, G_TYPE_INT64);
  g_value_set_int64 (&number, value);
  g_object_set_property (G_OBJECT (element), property, &number);
  g_value_unset (&number);
}

/* Builds one branch after the decoder and links @pad to it and it to the
 * muxer. Returns FALSE with @error set when an element is missing.
 */
static gboolean
link_branch (Encode  *encode,
             GstPad  *pad,
             GstCaps *caps,
             gboolean video,
             GError **error)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GstPad) sink = NULL;
  GstElement *encoder;

  g_ptr_array_add (chain, make ("queue", error));
  if (video)
    {
      GstElement *filter;
      g_autoptr(GstCaps) video_caps = gst_caps_new_empty_simple ("video/x-raw");

      g_ptr_array_add (chain, make ("videoconvert", error));
      g_ptr_array_add (chain, make ("videoscale", error));
      filter = make ("capsfilter", error);
      if (encode->layer.width > 0)
        gst_caps_set_simple (video_caps, "width", G_TYPE_INT, encode->layer.width, NULL);
      if (encode->layer.height > 0)
        gst_caps_set_simple (video_caps, "height", G_TYPE_INT, encode->layer.height, NULL);
      if (filter != NULL)
        g_object_set (filter, "caps", video_caps, NULL);
      g_ptr_array_add (chain, filter);
      encoder = make_first (video_encoders, error);
      if (encoder != NULL && encode->layer.video_kbps > 0 &&
          g_object_class_find_property (G_OBJECT_GET_CLASS (encoder), "bitrate") != NULL)
        {
          /* x264enc counts kbit/s, openh264enc bit/s. */
          gboolean kbps = g_str_has_prefix (GST_OBJECT_NAME (gst_element_get_factory (encoder)), "x264");

          set_number (encoder, "bitrate", kbps ? encode->layer.video_kbps : encode->layer.video_kbps * 1000);
        }
      if (encoder != NULL && g_str_has_prefix (GST_OBJECT_NAME (gst_element_get_factory (encoder)), "x264"))
        {
          /* The Local service is for trying jobs out: turnaround matters
           * more than compression.
           */
          gst_util_set_object_arg (G_OBJECT (encoder), "speed-preset", "veryfast");
        }
      if (encoder != NULL && encode->layer.keyframe_interval_ms > 0)
        {
          int         num = 0, den = 1;
          guint       frames;
          const char *property = g_object_class_find_property (G_OBJECT_GET_CLASS (encoder), "key-int-max") != NULL
                                   ? "key-int-max"
                                   : "gop-size";

          if (!gst_structure_get_fraction (s, "framerate", &num, &den) || num <= 0 || den <= 0)
            num = 30, den = 1;
          frames = MAX (1, (guint)((gint64)encode->layer.keyframe_interval_ms * num / den / 1000));
          if (g_object_class_find_property (G_OBJECT_GET_CLASS (encoder), property) != NULL)
            set_number (encoder, property, frames);
        }
      g_ptr_array_add (chain, encoder);
      g_ptr_array_add (chain, make ("h264parse", error));
    }
  else
    {
      g_ptr_array_add (chain, make ("audioconvert", error));
      g_ptr_array_add (chain, make ("audioresample", error));
      if (encode->layer.audio_channels > 0 || encode->layer.audio_rate > 0)
        {
          g_autoptr(GstCaps) audio_caps = gst_caps_new_empty_simple ("audio/x-raw");
          GstElement *filter = make ("capsfilter", error);
          int         channels = 0;

          /* Downmix to the layer's channels, never upmix. */
          if (encode->layer.audio_channels > 0 && gst_structure_get_int (s, "channels", &channels) &&
              channels > encode->layer.audio_channels)
            gst_caps_set_simple (audio_caps, "channels", G_TYPE_INT, encode->layer.audio_channels, NULL);
          if (encode->layer.audio_rate > 0)
            gst_caps_set_simple (audio_caps, "rate", G_TYPE_INT, encode->layer.audio_rate, NULL);
          if (filter != NULL)
            g_object_set (filter, "caps", audio_caps, NULL);
          g_ptr_array_add (chain, filter);
        }
      encoder = make_first (audio_encoders, error);
      if (encoder != NULL && encode->layer.audio_kbps > 0 &&
          g_object_class_find_property (G_OBJECT_GET_CLASS (encoder), "bitrate") != NULL)
        set_number (encoder, "bitrate", encode->layer.audio_kbps * 1000);
      g_ptr_array_add (chain, encoder);
      g_ptr_array_add (chain, make ("aacparse", error));
    }

  /* make() set the error of the first missing element; drop the rest. */
  for (guint i = 0; i < chain->len; i++)
    if (g_ptr_array_index (chain, i) == NULL)
      {
        for (guint k = 0; k < chain->len; k++)
          if (g_ptr_array_index (chain, k) != NULL)
            gst_object_unref (gst_object_ref_sink (g_ptr_array_index (chain, k)));
        return FALSE;
      }

  for (guint i = 0; i < chain->len; i++)
    gst_bin_add (GST_BIN (encode->pipeline), g_ptr_array_index (chain, i));
  for (guint i = 0; i + 1 < chain->len; i++)
    if (!gst_element_link (g_ptr_array_index (chain, i), g_ptr_array_index (chain, i + 1)))
      {
        g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_FAILED,
                     "Could not link %s to %s", GST_OBJECT_NAME (g_ptr_array_index (chain, i)),
                     GST_OBJECT_NAME (g_ptr_array_index (chain, i + 1)));
        return FALSE;
      }
  if (!gst_element_link (g_ptr_array_index (chain, chain->len - 1), encode->mux))
    {
      g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_FAILED,
                   "The MP4 muxer does not take this %s stream", video ? "video" : "audio");
      return FALSE;
    }
  for (guint i = 0; i < chain->len; i++)
    gst_element_sync_state_with_parent (g_ptr_array_index (chain, i));

  sink = gst_element_get_static_pad (g_ptr_array_index (chain, 0), "sink");
  if (gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    {
      g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_FAILED,
                   "Could not link the decoded %s stream", video ? "video" : "audio");
      return FALSE;
    }

  return TRUE;
}

/* Decoded streams arrive on GStreamer's streaming thread: report problems
 * through the bus, which the caller's main context watches.
 */
static void
pad_added_cb (GstElement *decoder,
              GstPad     *pad,
              GTask      *task)
{
  Encode *encode = g_task_get_task_data (task);
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GError) error = NULL;
  const char *type;
  gboolean    video;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  type = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  video = g_str_has_prefix (type, "video/");

  if (!video && !g_str_has_prefix (type, "audio/"))
    return;
  /* The first stream of each kind is encoded; others are not wanted, but
   * are drained so that they do not stall the demuxer.
   */
  if ((video && (encode->has_video || encode->layer.no_video)) ||
      (!video && (encode->has_audio || encode->layer.no_audio)))
    {
      GstElement *fakesink = gst_element_factory_make ("fakesink", NULL);
      g_autoptr(GstPad) sink = NULL;

      if (fakesink == NULL)
        return;
      g_object_set (fakesink, "sync", FALSE, "async", FALSE, NULL);
      gst_bin_add (GST_BIN (encode->pipeline), fakesink);
      gst_element_sync_state_with_parent (fakesink);
      sink = gst_element_get_static_pad (fakesink, "sink");
      gst_pad_link (pad, sink);
      return;
    }

  if (video)
    encode->has_video = TRUE;
  else
    encode->has_audio = TRUE;

  if (!link_branch (encode, pad, caps, video, &error))
    GST_ELEMENT_ERROR_WITH_DETAILS (decoder, CORE, MISSING_PLUGIN, ("%s", error->message), (NULL),
                                    ("jg-code", G_TYPE_INT, error->code, NULL));
}

static GError *
error_from_message (GstMessage *message)
{
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;
  const GstStructure *details = NULL;
  int code;

  gst_message_parse_error (message, &gst_error, &debug);
  gst_message_parse_error_details (message, &details);

  if (details != NULL && gst_structure_get_int (details, "jg-code", &code))
    return g_error_new_literal (JG_EMULATOR_ENCODER_ERROR, code, gst_error->message);

  if (gst_error->domain == GST_STREAM_ERROR &&
      (gst_error->code == GST_STREAM_ERROR_TYPE_NOT_FOUND || gst_error->code == GST_STREAM_ERROR_WRONG_TYPE ||
       gst_error->code == GST_STREAM_ERROR_CODEC_NOT_FOUND || gst_error->code == GST_STREAM_ERROR_NOT_IMPLEMENTED))
    code = JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT;
  else if (gst_error->domain == GST_STREAM_ERROR &&
           (gst_error->code == GST_STREAM_ERROR_DECODE || gst_error->code == GST_STREAM_ERROR_DEMUX ||
            gst_error->code == GST_STREAM_ERROR_FORMAT))
    code = JG_EMULATOR_ENCODER_ERROR_MALFORMED_INPUT;
  else if (gst_error->domain == GST_CORE_ERROR && gst_error->code == GST_CORE_ERROR_MISSING_PLUGIN)
    code = JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT;
  else
    code = JG_EMULATOR_ENCODER_ERROR_FAILED;

  return g_error_new (JG_EMULATOR_ENCODER_ERROR, code, "%s (%s)", gst_error->message,
                      GST_OBJECT_NAME (GST_MESSAGE_SRC (message)));
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  GTask  *task = user_data;
  Encode *encode = g_task_get_task_data (task);

  if (encode->done)
    return G_SOURCE_CONTINUE;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      if (!encode->has_video && !encode->has_audio)
        finish (task, g_error_new_literal (JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT,
                                           encode->layer.no_video   ? "The input has no audio"
                                           : encode->layer.no_audio ? "The input has no video"
                                                                    : "The input has neither video nor audio"));
      else
        {
          if (encode->progress != NULL)
            encode->progress (100.0, encode->progress_data);
          finish (task, NULL);
        }
      break;

    case GST_MESSAGE_ERROR:
      finish (task, error_from_message (message));
      break;

    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
progress_cb (gpointer user_data)
{
  GTask  *task = user_data;
  Encode *encode = g_task_get_task_data (task);
  gint64  position = -1;
  gint64  duration = -1;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      finish (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The encode was cancelled"));
      return G_SOURCE_REMOVE;
    }

  if (encode->progress != NULL && gst_element_query_position (encode->pipeline, GST_FORMAT_TIME, &position) &&
      gst_element_query_duration (encode->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
    encode->progress (CLAMP (100.0 * position / duration, 0.0, 99.9), encode->progress_data);

  return G_SOURCE_CONTINUE;
}

/**
 * jg_emulator_encode_check:
 * @layer: the rendition
 *
 * Looks for every element an encode of @layer needs, before any input is
 * opened: without them even probing the input fails, with an error that
 * says nothing of what to install.
 *
 * Returns: %TRUE, or %FALSE with %JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT
 *   naming the first missing element and its Debian package
 */
gboolean
jg_emulator_encode_check (const JgEncodeLayer *layer,
                          GError             **error)
{
  const char *const common[] = { "uridecodebin", "queue", "capsfilter", "filesink", "fakesink", NULL };
  const char *const video[] = { "videoconvert", "videoscale", "h264parse", NULL };
  const char *const audio[] = { "audioconvert", "audioresample", "aacparse", NULL };

  g_return_val_if_fail (layer != NULL, FALSE);

  if (!gst_init_check (NULL, NULL, error))
    return FALSE;

  for (guint i = 0; common[i] != NULL; i++)
    if (!have (common[i], error))
      return FALSE;
  if (!have (layer->fragment_ms > 0 ? "ismlmux" : "mp4mux", error))
    return FALSE;
  if (!layer->no_video)
    {
      for (guint i = 0; video[i] != NULL; i++)
        if (!have (video[i], error))
          return FALSE;
      if (!have_first (video_encoders, error))
        return FALSE;
    }
  if (!layer->no_audio)
    {
      for (guint i = 0; audio[i] != NULL; i++)
        if (!have (audio[i], error))
          return FALSE;
      if (!have_first (audio_encoders, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * jg_emulator_encode_async:
 * @input_path: a media file
 * @output_path: the MP4 to write; removed again on failure or cancel
 * @layer: the rendition
 * @progress: (nullable): called with 0–100 from the caller's context
 *
 * Encodes @input_path in the thread-default main context.
 */
void
jg_emulator_encode_async (const char          *input_path,
                          const char          *output_path,
                          const JgEncodeLayer *layer,
                          JgEncodeProgressFunc progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask     *task;
  Encode    *encode;
  GstElement *decoder;
  GstElement *sink;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (input_path != NULL);
  g_return_if_fail (output_path != NULL);
  g_return_if_fail (layer != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_emulator_encode_async);

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  encode = g_new0 (Encode, 1);
  encode->output_path = g_strdup (output_path);
  encode->layer = *layer;
  encode->progress = progress;
  encode->progress_data = progress_data;
  g_task_set_task_data (task, encode, (GDestroyNotify)encode_free);

  encode->pipeline = gst_pipeline_new ("jg-encode");
  decoder = make ("uridecodebin", &error);
  encode->mux = decoder != NULL ? make (layer->fragment_ms > 0 ? "ismlmux" : "mp4mux", &error) : NULL;
  sink = encode->mux != NULL ? make ("filesink", &error) : NULL;
  if (sink == NULL)
    {
      g_clear_pointer (&decoder, gst_object_unref);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  uri = g_filename_to_uri (input_path, NULL, &error);
  if (uri == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  g_object_set (decoder, "uri", uri, NULL);
  g_object_set (sink, "location", output_path, NULL);
  if (layer->fragment_ms > 0)
    g_object_set (encode->mux, "fragment-duration", (guint)layer->fragment_ms, NULL);
  gst_bin_add_many (GST_BIN (encode->pipeline), decoder, encode->mux, sink, NULL);
  gst_element_link (encode->mux, sink);
  g_signal_connect (decoder, "pad-added", G_CALLBACK (pad_added_cb), task);

  bus = gst_pipeline_get_bus (GST_PIPELINE (encode->pipeline));
  encode->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (encode->bus_source, (GSourceFunc)(void (*) (void))bus_cb, task, NULL);
  g_source_attach (encode->bus_source, g_main_context_get_thread_default ());

  encode->progress_source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
  g_source_set_callback (encode->progress_source, progress_cb, task, NULL);
  g_source_attach (encode->progress_source, g_main_context_get_thread_default ());

  if (gst_element_set_state (encode->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      /* The bus carries the reason; bus_cb() finishes the task. */
      g_debug ("Could not start the pipeline for %s", input_path);
    }
}

/**
 * jg_emulator_encode_finish:
 *
 * Returns: whether the MP4 was written
 */
gboolean
jg_emulator_encode_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Images (thumbnails): a playbin whose video sink scales and encodes each
 * frame, paused, seeked accurately to each time; the preroll sample at the
 * appsink is the image. Seeks block, so this runs in a worker thread; the
 * caller's context polls the progress the thread publishes.
 */

typedef struct
{
  char                *input_path;
  GStrv                output_paths;
  gint64              *times_ns;
  guint                n_images;
  JgImageFormat        format;
  int                  width;
  int                  height;
  int                  quality;
  JgEncodeProgressFunc progress;
  gpointer             progress_data;
  GSource             *progress_source;
  int                  done; /* images written, atomically */
} Images;

static void
images_free (Images *images)
{
  if (images->progress_source != NULL)
    {
      g_source_destroy (images->progress_source);
      g_source_unref (images->progress_source);
    }
  g_free (images->input_path);
  g_strfreev (images->output_paths);
  g_free (images->times_ns);
  g_free (images);
}

static GError *
error_from_bus (GstElement *pipeline,
                const char *what)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (message != NULL)
    return error_from_message (message);

  return g_error_new (JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_FAILED, "%s", what);
}

static GstElement *
make_image_sink (Images  *images,
                 GError **error)
{
  const char *encoder_name = images->format == JG_IMAGE_FORMAT_PNG ? "pngenc" : "jpegenc";
  const char *names[] = { "videoconvert", "videoscale", "capsfilter", encoder_name, "appsink" };
  GstElement *elements[G_N_ELEMENTS (names)] = { NULL };
  g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
  g_autoptr(GstPad) pad = NULL;
  GstElement *bin;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if ((elements[i] = make (names[i], error)) == NULL)
      {
        for (guint k = 0; k < i; k++)
          gst_object_unref (gst_object_ref_sink (elements[k]));
        return NULL;
      }

  if (images->width > 0)
    gst_caps_set_simple (caps, "width", G_TYPE_INT, images->width, NULL);
  if (images->height > 0)
    gst_caps_set_simple (caps, "height", G_TYPE_INT, images->height, NULL);
  g_object_set (elements[2], "caps", caps, NULL);
  if (images->format == JG_IMAGE_FORMAT_JPEG && images->quality > 0)
    g_object_set (elements[3], "quality", CLAMP (images->quality, 1, 100), NULL);
  /* One image per seek: the sink keeps only the preroll sample. */
  g_object_set (elements[4], "name", "sink", "sync", FALSE, "max-buffers", 1, "drop", TRUE, NULL);

  bin = gst_bin_new ("image-sink");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    gst_bin_add (GST_BIN (bin), elements[i]);
  for (guint i = 0; i + 1 < G_N_ELEMENTS (names); i++)
    gst_element_link (elements[i], elements[i + 1]);
  pad = gst_element_get_static_pad (elements[0], "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));

  return bin;
}

static gboolean
write_images (Images       *images,
              GstElement   *pipeline,
              GCancellable *cancellable,
              GError      **error)
{
  g_autoptr(GstElement) sink = NULL;
  GstElement *video_sink = NULL;

  g_object_get (pipeline, "video-sink", &video_sink, NULL);
  sink = gst_bin_get_by_name (GST_BIN (video_sink), "sink");
  gst_object_unref (video_sink);

  if (gst_element_set_state (pipeline, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE ||
      gst_element_get_state (pipeline, NULL, NULL, 60 * GST_SECOND) != GST_STATE_CHANGE_SUCCESS)
    {
      g_propagate_error (error, error_from_bus (pipeline, "The input could not be opened"));
      return FALSE;
    }

  for (guint i = 0; i < images->n_images; i++)
    {
      g_autoptr(GstSample) sample = NULL;
      GstBuffer *buffer;
      GstMapInfo map;
      gboolean   ok;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (!gst_element_seek_simple (pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                    images->times_ns[i]) ||
          gst_element_get_state (pipeline, NULL, NULL, 60 * GST_SECOND) == GST_STATE_CHANGE_FAILURE)
        {
          g_propagate_error (error, error_from_bus (pipeline, "Could not seek in the input"));
          return FALSE;
        }

      g_signal_emit_by_name (sink, "pull-preroll", &sample);
      if (sample == NULL || (buffer = gst_sample_get_buffer (sample)) == NULL)
        {
          g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_FAILED,
                       "No frame at %.3f s", (double)images->times_ns[i] / GST_SECOND);
          return FALSE;
        }

      gst_buffer_map (buffer, &map, GST_MAP_READ);
      ok = g_file_set_contents (images->output_paths[i], (const char *)map.data, map.size, error);
      gst_buffer_unmap (buffer, &map);
      if (!ok)
        return FALSE;

      g_atomic_int_set (&images->done, i + 1);
    }

  return TRUE;
}

static void
images_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Images *images = task_data;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  GstElement      *video_sink;
  GstElement      *audio_sink;

  if ((pipeline = make ("playbin", &error)) == NULL || (video_sink = make_image_sink (images, &error)) == NULL ||
      (audio_sink = make ("fakesink", &error)) == NULL || (uri = g_filename_to_uri (images->input_path, NULL, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  gst_object_ref_sink (pipeline);
  g_object_set (pipeline, "uri", uri, "video-sink", video_sink, "audio-sink", audio_sink, NULL);
  /* Only the video: GST_PLAY_FLAG_VIDEO. */
  g_object_set (pipeline, "flags", 0x1, NULL);

  if (!write_images (images, pipeline, cancellable, &error))
    {
      gst_element_set_state (pipeline, GST_STATE_NULL);
      for (guint i = 0; i < images->n_images; i++)
        g_unlink (images->output_paths[i]);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
images_progress_cb (gpointer user_data)
{
  Images *images = user_data;

  if (images->progress != NULL)
    images->progress (99.9 * g_atomic_int_get (&images->done) / MAX (images->n_images, 1), images->progress_data);

  return G_SOURCE_CONTINUE;
}

static void
images_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Images *images = g_task_get_task_data (task);
  GError *error = NULL;

  g_source_destroy (images->progress_source);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (images->progress != NULL)
    images->progress (100.0, images->progress_data);
  g_task_return_boolean (task, TRUE);
}

/**
 * jg_emulator_images_check:
 *
 * Like jg_emulator_encode_check(), for jg_emulator_images_async().
 */
gboolean
jg_emulator_images_check (JgImageFormat format,
                          GError      **error)
{
  const char *const names[] = { "uridecodebin", "playbin", "videoconvert", "videoscale", "capsfilter",
                                format == JG_IMAGE_FORMAT_PNG ? "pngenc" : "jpegenc", "appsink", "fakesink", NULL };

  if (!gst_init_check (NULL, NULL, error))
    return FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    if (!have (names[i], error))
      return FALSE;

  return TRUE;
}

/**
 * jg_emulator_images_async:
 * @output_paths: one file per time; all removed again on failure or cancel
 * @times_ns: (array): as many as @output_paths, in nanoseconds
 * @width: 0 keeps the source's (so does @height)
 * @quality: JPEG quality 1–100, 0 for the default
 *
 * Writes a still image of @input_path at each time, in a worker thread;
 * @progress and @callback run in the thread-default main context.
 */
void
jg_emulator_images_async (const char          *input_path,
                          const char *const   *output_paths,
                          const gint64        *times_ns,
                          JgImageFormat        format,
                          int                  width,
                          int                  height,
                          int                  quality,
                          JgEncodeProgressFunc progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask  *task;
  GTask  *worker;
  Images *images;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (input_path != NULL);
  g_return_if_fail (output_paths != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_emulator_images_async);

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  images = g_new0 (Images, 1);
  images->input_path = g_strdup (input_path);
  images->output_paths = g_strdupv ((char **)output_paths);
  images->n_images = g_strv_length (images->output_paths);
  images->times_ns = g_memdup2 (times_ns, sizeof (gint64) * MAX (images->n_images, 1));
  images->format = format;
  images->width = width;
  images->height = height;
  images->quality = quality;
  images->progress = progress;
  images->progress_data = progress_data;
  g_task_set_task_data (task, images, (GDestroyNotify)images_free);

  images->progress_source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
  g_source_set_callback (images->progress_source, images_progress_cb, images, NULL);
  g_source_attach (images->progress_source, g_main_context_get_thread_default ());

  /* The worker shares @images; the outer task owns it and outlives it. */
  worker = g_task_new (NULL, cancellable, images_done_cb, task);
  g_task_set_task_data (worker, images, NULL);
  g_task_run_in_thread (worker, images_thread);
  g_object_unref (worker);
}

/**
 * jg_emulator_images_finish:
 *
 * Returns: whether every image was written
 */
gboolean
jg_emulator_images_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
