/* test-preset.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Local service's encode plans: parsing every built-in preset name,
 * the JSON subset and what falls outside it (no media, fast), then runs on
 * a generated 1 s clip checked with GstDiscoverer. The runs are the cost
 * (each is a few pipelines, slow under ASan): they share the clip and one
 * discoverer, and prefer small ladders.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>

#include "jg-catalog.h"
#include "jg-emulator-files.h"
#include "jg-emulator-preset.h"

#define MES_ID        "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56"
#define AME_ID        "nb:mpid:UUID:2e7aa8f3-4961-4e0c-b4db-0e0439e524f5"
#define PREMIUM_ID    "nb:mpid:UUID:77fea72a-107c-439e-b0bb-f88153b93461"
#define DECRYPTION_ID "nb:mpid:UUID:aec03716-7c5e-4f68-b592-f4850eba9f10"
#define INDEXER_ID    "nb:mpid:UUID:233e57fc-36bb-4f6f-8f18-3b662747a9f8"

static char    *tmp_dir;
static char    *clip;
static char    *silent_clip;
static gboolean have_plugins;
static GstDiscoverer *discoverer;

/* Parsing */

static void
test_builtin_names (void)
{
  const JgProcessorInfo *mes = jg_catalog_lookup (MES_ID);
  const char *const      ame_names[] = {
         "AAC Good Quality Audio",
         "Thumbnails",
         "H264 Adaptive Bitrate MP4 Set 720p",
         "H264 Adaptive Bitrate MP4 Set 1080p",
         "H264 Adaptive Bitrate MP4 Set SD 16x9",
         "H264 Adaptive Bitrate MP4 Set SD 4x3",
         "H264 Broadband 720p",
  };
  guint n = 0;

  /* Every Media Encoder Standard name the catalog knows runs. */
  for (guint i = 0; mes->presets[i] != NULL; i++, n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgEncodePlan) plan = jg_encode_plan_new (MES_ID, mes->presets[i], &error);
      g_autofree char *description = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (plan);
      description = jg_encode_plan_describe (plan);
      g_assert_cmpstr (description, !=, "");
      if (g_str_has_suffix (mes->presets[i], "Audio 5.1"))
        g_assert_nonnull (strstr (description, "5.1"));
      g_test_message ("%s: %s", mes->presets[i], description);
    }
  g_assert_cmpuint (n, ==, 27);

  for (guint i = 0; i < G_N_ELEMENTS (ame_names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgEncodePlan) plan = jg_encode_plan_new (AME_ID, ame_names[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (plan);
    }

  {
    g_autoptr(JgEncodePlan) plan = jg_encode_plan_new (MES_ID, "H264 Multiple Bitrate 720p", NULL);
    g_autofree char *description = jg_encode_plan_describe (plan);

    g_assert_cmpstr (description, ==,
                     "6 H.264 MP4s (1280×720 at 3400 kb/s … 320×180 at 400 kb/s) with AAC audio (stereo, 128 kb/s)");
  }
}

static void
test_smooth_streaming_names (void)
{
  const char *const names[] = {
    "H264 Smooth Streaming 1080p",
    "H264 Smooth Streaming 720p",
    "H264 Smooth Streaming SD 16x9",
    "H264 Smooth Streaming SD 4x3",
    "H264 Smooth Streaming 720p for 3G or 4G",
    "H264 Smooth Streaming 720p Xbox Live ADK",
    "H264 Smooth Streaming Windows Phone 7 Series",
  };
  const char *const first_layers[] = {
    "1920×1080 at 6000 kb/s",
    "1280×720 at 3400 kb/s",
    "848×480 at 1900 kb/s",
    "640×480 at 1600 kb/s",
    "1280×720 at 3400 kb/s",
    "1280×720 at 3400 kb/s",
    "848×480 at 1900 kb/s",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JgEncodePlan) plan = jg_encode_plan_new (AME_ID, names[i], &error);
      g_autofree char *description = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (plan);
      description = jg_encode_plan_describe (plan);
      g_test_message ("%s: %s", names[i], description);
      g_assert_true (g_str_has_prefix (description, "Smooth Streaming: a server manifest (.ism) and "));
      g_assert_nonnull (strstr (description, first_layers[i]));
      g_assert_nonnull (strstr (description, "and an ISMV of AAC audio (stereo, 128 kb/s)"));
    }

  {
    g_autoptr(JgEncodePlan) plan = jg_encode_plan_new (AME_ID, "H264 Smooth Streaming 720p", NULL);
    g_autofree char *description = jg_encode_plan_describe (plan);

    g_assert_cmpstr (description, ==,
                     "Smooth Streaming: a server manifest (.ism) and 6 H.264 ISMVs (1280×720 at 3400 kb/s … 320×180 "
                     "at 400 kb/s) and an ISMV of AAC audio (stereo, 128 kb/s)");
  }
}

static void
assert_plan_error (const char *processor_id,
                   const char *configuration,
                   int         code,
                   const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgEncodePlan) plan = jg_encode_plan_new (processor_id, configuration, &error);

  g_assert_null (plan);
  g_assert_error (error, JG_EMULATOR_ENCODER_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

static void
test_errors (void)
{
  assert_plan_error (MES_ID,
                     "{\"Codecs\":[{\"Type\":\"AACAudio\"},{\"Type\":\"HEVCVideo\"}],"
                     "\"Outputs\":[{\"FileName\":\"a.mp4\",\"Format\":{\"Type\":\"MP4Format\"}}]}",
                     JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Codecs[1] has Type “HEVCVideo”, which the Local service does not encode (it encodes H264Video, "
                     "AACAudio, JpgImage, PngImage)");
  assert_plan_error (AME_ID, "VC1 Broadband 720p", JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "“VC1 Broadband 720p” is a preset the Local service does not run");
  assert_plan_error (MES_ID, "h264 single bitrate 720P", JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "“h264 single bitrate 720P” is not a preset of Media Encoder Standard; did you mean “H264 Single "
                     "Bitrate 720p”?");
  assert_plan_error (MES_ID, "Make It Pretty", JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "“Make It Pretty” is not a preset of Media Encoder Standard");
  assert_plan_error (MES_ID, "<?xml version=\"1.0\"?><Preset/>", JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Media Encoder Standard on the Local service runs preset names and JSON presets, not XML presets");
  assert_plan_error (MES_ID, "", JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Media Encoder Standard needs a preset name or a JSON preset");
  assert_plan_error (MES_ID, "{\"Codecs\": [", JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET, NULL);
  assert_plan_error (MES_ID,
                     "{\"Codecs\":[{\"Type\":\"H264Video\",\"H264Layers\":[{\"Bitrate\":500,\"Crf\":20}]}],"
                     "\"Outputs\":[{\"FileName\":\"a.mp4\",\"Format\":{\"Type\":\"MP4Format\"}}]}",
                     JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Codecs[0].H264Layers[0] has “Crf”, which the Local service does not run");
  assert_plan_error (MES_ID,
                     "{\"Codecs\":[{\"Type\":\"AACAudio\"}],"
                     "\"Outputs\":[{\"FileName\":\"{Basename}_{Speed}.mp4\",\"Format\":{\"Type\":\"MP4Format\"}}]}",
                     JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Outputs[0].FileName has the macro “{Speed}”, which the Local service does not know");
  assert_plan_error (MES_ID,
                     "{\"Codecs\":[{\"Type\":\"AACAudio\"}],"
                     "\"Outputs\":[{\"FileName\":\"a.ts\",\"Format\":{\"Type\":\"TSFormat\"}}]}",
                     JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Outputs[0] has Format Type “TSFormat”, which the Local service does not write (it writes "
                     "MP4Format, JpgFormat, PngFormat)");
  assert_plan_error (MES_ID,
                     "{\"Codecs\":[{\"Type\":\"AACAudio\"}],"
                     "\"Outputs\":[{\"FileName\":\"a.jpg\",\"Format\":{\"Type\":\"JpgFormat\"}}]}",
                     JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Outputs[0] is a JpgFormat, but Codecs has no JpgImage");
  assert_plan_error (MES_ID,
                     "{\"Codecs\":[{\"Type\":\"JpgImage\",\"Start\":\"soon\",\"JpgLayers\":[{}]}],"
                     "\"Outputs\":[{\"FileName\":\"a.jpg\",\"Format\":{\"Type\":\"JpgFormat\"}}]}",
                     JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "Codecs[0].Start “soon” is neither a time (“00:00:01”), a percentage nor a frame number");
  assert_plan_error (MES_ID, "{\"Sources\":[],\"Codecs\":[]}", JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
                     "The preset has “Sources”, which the Local service does not run");
  assert_plan_error (PREMIUM_ID, "", JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR,
                     "Media Encoder Premium Workflow is not available on the Local service");
  assert_plan_error (INDEXER_ID, "", JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR,
                     "Azure Media Indexer is not available on the Local service");
  assert_plan_error ("nb:mpid:UUID:00000000-0000-0000-0000-000000000000", "",
                     JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR,
                     "The media processor “nb:mpid:UUID:00000000-0000-0000-0000-000000000000” is not available on "
                     "the Local service");
}

#define JSON_PRESET                                                                                                 \
  "{\"Version\":1.0,\"Codecs\":["                                                                                   \
  "{\"KeyFrameInterval\":\"00:00:01\",\"SceneChangeDetection\":true,\"Type\":\"H264Video\",\"H264Layers\":["        \
  "{\"Profile\":\"Auto\",\"Level\":\"auto\",\"Bitrate\":500,\"MaxBitrate\":500,\"BufferWindow\":\"00:00:05\","      \
  "\"Width\":\"50%\",\"Height\":\"50%\",\"Label\":\"half\",\"Type\":\"H264Layer\"},"                                \
  "{\"Bitrate\":\"300\",\"Width\":256,\"Height\":144,\"Type\":\"H264Layer\"}]},"                                    \
  "{\"Profile\":\"AACLC\",\"Channels\":1,\"SamplingRate\":44100,\"Bitrate\":64,\"Type\":\"AACAudio\"},"             \
  "{\"Start\":\"00:00:01\",\"Type\":\"JpgImage\",\"JpgLayers\":[{\"Quality\":80,\"Width\":160,\"Height\":90,"       \
  "\"Type\":\"JpgLayer\"}]},"                                                                                       \
  "{\"Start\":\"10%\",\"Step\":\"40%\",\"Range\":\"100%\",\"Type\":\"PngImage\",\"PngLayers\":[{\"Width\":\"25%\"," \
  "\"Height\":\"25%\",\"Type\":\"PngLayer\"}]}],"                                                                   \
  "\"Outputs\":["                                                                                                   \
  "{\"FileName\":\"{Basename}-{Label}-{Width}x{Height}-{VideoBitrate}-{AudioBitrate}-{Channels}-{SamplingRate}-"    \
  "{Codec}-{Index}{Extension}\",\"Format\":{\"Type\":\"MP4Format\"}},"                                              \
  "{\"FileName\":\"{Basename}_{Width}_{Index}{Extension}\",\"Format\":{\"Type\":\"JpgFormat\"}},"                   \
  "{\"FileName\":\"{Basename}_{Index}{Extension}\",\"Format\":{\"Type\":\"PngFormat\"}}]}"

static void
test_json_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JgEncodePlan) plan = jg_encode_plan_new (MES_ID, JSON_PRESET, &error);
  g_autofree char *description = NULL;

  g_assert_no_error (error);
  description = jg_encode_plan_describe (plan);
  {
    g_autofree char *with_bom = g_strconcat ("\xEF\xBB\xBF", JSON_PRESET, "\r\n", NULL);
    g_autoptr(JgEncodePlan) bom_plan = jg_encode_plan_new (MES_ID, with_bom, &error);

    g_assert_no_error (error);
    g_assert_nonnull (bom_plan);
  }
  g_assert_cmpstr (description, ==,
                   "2 H.264 MP4s (50%×50% at 500 kb/s … 256×144 at 300 kb/s) with AAC audio (mono, 64 kb/s); JPEG "
                   "images at 160×90; PNG images at 25%×25%");
}

/* Runs */

typedef struct
{
  GAsyncResult *result;
  double        last_progress;
  double        cancel_at;
  GCancellable *cancellable;
} Run;

static void
progress_cb (double   percent,
             gpointer user_data)
{
  Run *run = user_data;

  g_assert_cmpfloat (percent, >=, run->last_progress);
  g_assert_cmpfloat (percent, <=, 100);
  run->last_progress = percent;
  if (run->cancellable != NULL && percent >= run->cancel_at)
    g_cancellable_cancel (run->cancellable);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Run *)user_data)->result = g_object_ref (result);
}

static char *
make_output_dir (const char *name)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  return path;
}

static GPtrArray *
run_plan (const char        *processor_id,
          const char        *configuration,
          const char *const *inputs,
          const char        *output_dir,
          Run               *run,
          GError           **error)
{
  g_autoptr(JgEncodePlan) plan = NULL;
  gint64     deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  GPtrArray *files;

  plan = jg_encode_plan_new (processor_id, configuration, error);
  g_assert_nonnull (plan);
  jg_encode_plan_run_async (plan, inputs, output_dir, progress_cb, run, run->cancellable, done_cb, run);
  /* The run keeps what it needs. */
  g_clear_pointer (&plan, jg_encode_plan_free);
  while (run->result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  files = jg_encode_plan_run_finish (run->result, error);
  g_clear_object (&run->result);
  if (files != NULL)
    {
      guint n_primary = 0;

      g_assert_cmpfloat (run->last_progress, ==, 100);
      for (guint i = 0; i < files->len; i++)
        {
          JgEmulatorFileInfo *info = g_ptr_array_index (files, i);
          g_autofree char    *path = g_build_filename (output_dir, info->name, NULL);
          GStatBuf            buf;

          g_assert_cmpint (g_stat (path, &buf), ==, 0);
          g_assert_cmpint (buf.st_size, ==, info->size);
          n_primary += info->is_primary;
        }
      g_assert_cmpuint (n_primary, ==, 1);
      g_assert_true (((JgEmulatorFileInfo *)g_ptr_array_index (files, 0))->is_primary);
    }

  return files;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (handle) != NULL)
    n++;

  return n;
}

typedef struct
{
  gboolean has_video;
  gboolean has_audio;
  guint    width;
  guint    height;
  guint    channels;
  double   duration;
} Probe;

static Probe
probe (const char *dir,
       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  Probe  result = { 0 };
  GList *videos, *audios;

  info = gst_discoverer_discover_uri (discoverer, uri, &error);
  g_assert_no_error (error);
  videos = gst_discoverer_info_get_video_streams (info);
  audios = gst_discoverer_info_get_audio_streams (info);
  if (videos != NULL)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (videos->data);

      g_assert_cmpstr (gst_structure_get_name (gst_caps_get_structure (caps, 0)), ==, "video/x-h264");
      result.has_video = TRUE;
      result.width = gst_discoverer_video_info_get_width (videos->data);
      result.height = gst_discoverer_video_info_get_height (videos->data);
    }
  if (audios != NULL)
    {
      g_autoptr(GstCaps) caps = gst_discoverer_stream_info_get_caps (audios->data);

      g_assert_cmpstr (gst_structure_get_name (gst_caps_get_structure (caps, 0)), ==, "audio/mpeg");
      result.has_audio = TRUE;
      result.channels = gst_discoverer_audio_info_get_channels (audios->data);
    }
  result.duration = (double)gst_discoverer_info_get_duration (info) / GST_SECOND;
  gst_discoverer_stream_info_list_free (videos);
  gst_discoverer_stream_info_list_free (audios);

  return result;
}

/* Decodes @name as an image: TRUE when the decoder reaches its end. */
static gboolean
decodes (const char *dir,
         const char *name,
         const char *decoder)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = g_strdup_printf ("filesrc location=\"%s\" ! %s ! fakesink", path, decoder);
  g_autoptr(GstElement) pipeline = gst_parse_launch (description, NULL);
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = NULL;
  gboolean ok;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = message != NULL && GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS;
  gst_element_set_state (pipeline, GST_STATE_NULL);

  return ok;
}

static const char *
file_name (GPtrArray *files,
           guint      i)
{
  return ((JgEmulatorFileInfo *)g_ptr_array_index (files, i))->name;
}

static gboolean
skip_without_plugins (void)
{
  if (!have_plugins)
    g_test_skip ("The GStreamer plugins the encoder needs are not installed");
  return !have_plugins;
}

static void
test_single_bitrate_720p (void)
{
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run   run = { 0 };
  Probe p;

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("single");
  files = run_plan (MES_ID, "H264 Single Bitrate 720p", inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (file_name (files, 0), ==, "source_1280x720_4500.mp4");
  g_assert_cmpstr (((JgEmulatorFileInfo *)g_ptr_array_index (files, 0))->mime_type, ==, "video/mp4");

  p = probe (dir, file_name (files, 0));
  g_assert_true (p.has_video && p.has_audio);
  g_assert_cmpuint (p.width, ==, 1280);
  g_assert_cmpuint (p.height, ==, 720);
  g_assert_cmpuint (p.channels, ==, 2);
  g_assert_cmpfloat (ABS (p.duration - 1.0), <, 0.1);
}

/* A ladder of 4:3 boxes: AutoSize fits the 16:9 source into each. (The
 * 720p ladder's sizes are checked in builtin-names; encoding its 1280×720
 * rungs would only make this slower.)
 */
static void
test_multiple_bitrate (void)
{
  const guint      widths[] = { 640, 640, 480, 480, 320 };
  const guint      kbps[] = { 1600, 1300, 900, 650, 400 };
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("multiple");
  files = run_plan (MES_ID, "H264 Multiple Bitrate 4x3 SD", inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (widths));
  g_assert_cmpuint (count_files (dir), ==, G_N_ELEMENTS (widths));
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("source_%ux%u_%u.mp4", widths[i], widths[i] * 9 / 16, kbps[i]);
      Probe            p = probe (dir, file_name (files, i));

      g_assert_cmpstr (file_name (files, i), ==, expected);
      g_assert_cmpuint (p.width, ==, widths[i]);
      g_assert_cmpuint (p.height, ==, widths[i] * 9 / 16);
      g_assert_true (p.has_audio);
    }
}

typedef struct
{
  GPtrArray *videos;
  GPtrArray *audios;
  GPtrArray *bitrates;
  char      *client_manifest;
} Smil;

static void
smil_start_cb (GMarkupParseContext *context,
               const char          *element,
               const char         **names,
               const char         **values,
               gpointer             user_data,
               GError             **error)
{
  Smil *smil = user_data;

  if (g_str_equal (element, "video") || g_str_equal (element, "audio"))
    {
      const char *src = NULL, *bitrate = NULL;

      g_assert_true (g_markup_collect_attributes (element, names, values, error, G_MARKUP_COLLECT_STRING, "src", &src,
                                                  G_MARKUP_COLLECT_STRING, "systemBitrate", &bitrate,
                                                  G_MARKUP_COLLECT_INVALID));
      g_ptr_array_add (g_str_equal (element, "video") ? smil->videos : smil->audios, g_strdup (src));
      g_ptr_array_add (smil->bitrates, g_strdup (bitrate));
    }
  else if (g_str_equal (element, "param"))
    {
      g_assert_cmpstr (names[0], ==, "name");
      g_assert_cmpstr (values[0], ==, "trackID");
      g_assert_cmpstr (values[1], ==, "1");
    }
  else if (g_str_equal (element, "meta"))
    {
      g_assert_cmpstr (values[0], ==, "clientManifestRelativePath");
      smil->client_manifest = g_strdup (values[1]);
    }
  else if (g_str_equal (element, "smil"))
    g_assert_cmpstr (values[0], ==, "http://www.w3.org/2001/SMIL20/Language");
}

/* Smooth Streaming of an H.264/AAC MP4 such as the example's first task
 * writes (the clip). SD 4x3, the smallest ladder: five video ISMVs fitted
 * into 4:3 boxes, an audio ISMV, and the server manifest listing them.
 */
static void
test_smooth_streaming (void)
{
  const char *const expected[] = {
    "source_640x360_1600.ismv",
    "source_640x360_1300.ismv",
    "source_480x270_900.ismv",
    "source_480x270_650.ismv",
    "source_320x180_400.ismv",
    "source_AACAudio_128.ismv",
  };
  const char *const   bitrates[] = { "1600000", "1300000", "900000", "650000", "400000", "128000" };
  const GMarkupParser parser = { smil_start_cb, NULL, NULL, NULL, NULL };
  g_autofree char    *dir = NULL;
  g_autofree char    *ism = NULL;
  g_autofree char    *text = NULL;
  const char         *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  Smil smil = { g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free),
                g_ptr_array_new_with_free_func (g_free), NULL };
  Run  run = { 0 };

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("smooth");
  files = run_plan (AME_ID, "H264 Smooth Streaming SD 4x3", inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1 + G_N_ELEMENTS (expected));
  g_assert_cmpuint (count_files (dir), ==, files->len);

  /* The server manifest is the primary file. */
  g_assert_cmpstr (file_name (files, 0), ==, "source.ism");
  ism = g_build_filename (dir, "source.ism", NULL);
  g_assert_true (g_file_get_contents (ism, &text, NULL, NULL));
  context = g_markup_parse_context_new (&parser, G_MARKUP_DEFAULT_FLAGS, &smil, NULL);
  g_assert_true (g_markup_parse_context_parse (context, text, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (smil.client_manifest, ==, "source.ismc");
  g_assert_cmpuint (smil.videos->len, ==, G_N_ELEMENTS (expected) - 1);
  g_assert_cmpuint (smil.audios->len, ==, 1);
  for (guint i = 0; i < smil.bitrates->len; i++)
    g_assert_cmpstr (g_ptr_array_index (smil.bitrates, i), ==, bitrates[i]);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JgEmulatorFileInfo *info = g_ptr_array_index (files, i + 1);
      gboolean            audio = i == G_N_ELEMENTS (expected) - 1;
      Probe               p;

      g_assert_cmpstr (info->name, ==, expected[i]);
      g_assert_cmpstr (info->mime_type, ==, "video/mp4");
      g_assert_cmpstr (audio ? g_ptr_array_index (smil.audios, 0) : g_ptr_array_index (smil.videos, i), ==,
                       expected[i]);
      p = probe (dir, expected[i]);
      g_assert_true (p.has_video != audio);
      g_assert_true (p.has_audio == audio);
      if (!audio)
        {
          g_assert_cmpuint (p.width, ==, atoi (expected[i] + strlen ("source_")));
          g_assert_cmpuint (p.height, ==, p.width * 9 / 16);
        }
      else
        g_assert_cmpuint (p.channels, ==, 2);
      g_assert_cmpfloat (ABS (p.duration - 1.0), <, 0.1);
    }

  g_ptr_array_unref (smil.videos);
  g_ptr_array_unref (smil.audios);
  g_ptr_array_unref (smil.bitrates);
  g_free (smil.client_manifest);
}

static void
test_adaptive_streaming (void)
{
  const guint      heights[] = { 360, 270, 180 };
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("adaptive");
  files = run_plan (MES_ID, "Adaptive Streaming", inputs, dir, &run, &error);
  g_assert_no_error (error);
  /* The source is 640×360: no rung above it. */
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (heights));
  for (guint i = 0; i < files->len; i++)
    {
      Probe p = probe (dir, file_name (files, i));

      g_assert_cmpuint (p.height, ==, heights[i]);
      g_assert_cmpuint (p.width, ==, heights[i] * 16 / 9);
      g_assert_cmpuint (p.height, <=, 360);
    }
}

static void
test_audio_only (void)
{
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run   run = { 0 };
  Probe p;

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("audio");
  files = run_plan (AME_ID, "AAC Good Quality Audio", inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (file_name (files, 0), ==, "source_AACAudio_192.mp4");
  g_assert_cmpstr (((JgEmulatorFileInfo *)g_ptr_array_index (files, 0))->mime_type, ==, "audio/mp4");
  p = probe (dir, file_name (files, 0));
  g_assert_false (p.has_video);
  g_assert_true (p.has_audio);
  g_assert_cmpfloat (ABS (p.duration - 1.0), <, 0.1);
}

static void
test_thumbnails (void)
{
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("thumbnails");
  files = run_plan (MES_ID, "Thumbnails", inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 10);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("source_%u.jpg", i + 1);

      g_assert_cmpstr (file_name (files, i), ==, expected);
      g_assert_cmpstr (((JgEmulatorFileInfo *)g_ptr_array_index (files, i))->mime_type, ==, "image/jpeg");
      g_assert_true (decodes (dir, expected, "jpegdec"));
    }
}

static void
test_json_run (void)
{
  const char *const expected[] = {
    "source-half-320x180-500-64-1-44100-H264-1.mp4",
    "source--256x144-300-64-1-44100-H264-2.mp4",
    "source_160_1.jpg",
    "source_1.png",
    "source_2.png",
    "source_3.png",
  };
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run   run = { 0 };
  Probe p;

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("json");
  files = run_plan (MES_ID, JSON_PRESET, inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < files->len; i++)
    g_assert_cmpstr (file_name (files, i), ==, expected[i]);

  p = probe (dir, expected[0]);
  g_assert_cmpuint (p.width, ==, 320);
  g_assert_cmpuint (p.height, ==, 180);
  g_assert_cmpuint (p.channels, ==, 1);
  g_assert_true (decodes (dir, expected[2], "jpegdec"));
  g_assert_true (decodes (dir, expected[3], "pngdec"));
}

/* A source without audio gives MP4s without audio; a preset without
 * AACAudio drops the source's audio.
 */
static void
test_without_audio (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *silent_dir = NULL;
  const char      *silent_inputs[] = { silent_clip, NULL };
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) silent_files = NULL;
  g_autoptr(GError) error = NULL;
  Run   run = { 0 };
  Run   silent_run = { 0 };
  Probe p;

  if (skip_without_plugins ())
    return;
  silent_dir = make_output_dir ("silent");
  silent_files = run_plan (MES_ID, "H264 Single Bitrate High Quality SD for Android", silent_inputs, silent_dir,
                           &silent_run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (silent_files->len, ==, 1);
  g_assert_cmpstr (file_name (silent_files, 0), ==, "silent_640x360_500.mp4");
  p = probe (silent_dir, file_name (silent_files, 0));
  g_assert_true (p.has_video);
  g_assert_false (p.has_audio);

  dir = make_output_dir ("video-only");
  files = run_plan (MES_ID,
                    "{\"Codecs\":[{\"Type\":\"H264Video\",\"H264Layers\":[{\"Bitrate\":200,\"Width\":320,"
                    "\"Height\":180}]}],\"Outputs\":[{\"FileName\":\"{Basename}_{Bitrate}{Extension}\","
                    "\"Format\":{\"Type\":\"MP4Format\"}}]}",
                    inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (file_name (files, 0), ==, "source_200.mp4");
  p = probe (dir, file_name (files, 0));
  g_assert_true (p.has_video);
  g_assert_false (p.has_audio);
  g_assert_cmpuint (p.width, ==, 320);
}

/* "Audio 5.1" keeps a 5.1 source's six channels; the others downmix. */
static void
test_surround (void)
{
  g_autofree char *input = g_build_filename (tmp_dir, "surround.mp4", NULL);
  g_autofree char *description = NULL;
  const char      *inputs[] = { input, NULL };
  const char      *presets[] = { "H264 Single Bitrate 4x3 SD Audio 5.1", "H264 Single Bitrate 4x3 SD" };
  const guint      channels[] = { 6, 2 };
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  if (skip_without_plugins ())
    return;

  description = g_strdup_printf ("videotestsrc num-buffers=10 ! video/x-raw,width=320,height=180,framerate=10/1 ! "
                                 "x264enc speed-preset=ultrafast ! h264parse ! mux. audiotestsrc num-buffers=47 "
                                 "samplesperbuffer=1024 ! audio/x-raw,rate=48000,channels=6 ! audioconvert ! "
                                 "avenc_aac ! aacparse ! mux. mp4mux name=mux ! filesink location=\"%s\"",
                                 input);
  pipeline = gst_parse_launch (description, NULL);
  g_assert_nonnull (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      g_autofree char *name = g_strdup_printf ("surround-%u", i);
      g_autofree char *dir = make_output_dir (name);
      g_autoptr(GPtrArray) files = NULL;
      g_autoptr(GError) error = NULL;
      Run   run = { 0 };
      Probe p;

      files = run_plan (MES_ID, presets[i], inputs, dir, &run, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (files->len, ==, 1);
      /* AutoSize: a 16:9 source in a 640×480 box. */
      g_assert_cmpstr (file_name (files, 0), ==, "surround_640x360_1800.mp4");
      p = probe (dir, file_name (files, 0));
      g_assert_cmpuint (p.channels, ==, channels[i]);
    }
}

static void
test_storage_decryption (void)
{
  g_autofree char *dir = make_output_dir ("decrypted");
  g_autofree char *notes = g_build_filename (tmp_dir, "notes.txt", NULL);
  g_autofree char *input = g_build_filename (tmp_dir, "movie.bin", NULL);
  const char      *inputs[] = { input, notes, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  g_assert_true (g_file_set_contents (input, "\x00\x01\x02 not really a movie", 23, NULL));
  g_assert_true (g_file_set_contents (notes, "Notes.\n", -1, NULL));
  files = run_plan (DECRYPTION_ID, "", inputs, dir, &run, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpstr (file_name (files, 0), ==, "movie.bin");
  g_assert_cmpstr (file_name (files, 1), ==, "notes.txt");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *a = NULL, *b = NULL;
      g_autofree char *copy = g_build_filename (dir, file_name (files, i), NULL);
      gsize            a_len, b_len;

      g_assert_true (g_file_get_contents (inputs[i], &a, &a_len, NULL));
      g_assert_true (g_file_get_contents (copy, &b, &b_len, NULL));
      g_assert_cmpmem (a, a_len, b, b_len);
    }
}

static void
test_cancel (void)
{
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("cancel");
  run.cancellable = cancellable;
  /* Past the first of five files, so that one is finished when cancelled. */
  run.cancel_at = 30;
  files = run_plan (MES_ID, "H264 Multiple Bitrate 4x3 SD", inputs, dir, &run, &error);
  g_assert_null (files);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

static void
test_not_media (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *input = g_build_filename (tmp_dir, "notes.md", NULL);
  const char      *inputs[] = { input, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  if (skip_without_plugins ())
    return;
  dir = make_output_dir ("not-media");
  g_assert_true (g_file_set_contents (input, "These are not frames.\n", -1, NULL));
  files = run_plan (MES_ID, "H264 Single Bitrate 720p", inputs, dir, &run, &error);
  g_assert_null (files);
  g_assert_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

/* Runs last: it takes jpegenc out of this process's registry. */
static void
test_missing_element (void)
{
  g_autofree char *dir = NULL;
  const char      *inputs[] = { clip, NULL };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  GstRegistry      *registry = gst_registry_get ();
  GstPluginFeature *feature;
  Run               run = { 0 };

  if (skip_without_plugins ())
    return;
  feature = gst_registry_lookup_feature (registry, "jpegenc");
  gst_registry_remove_feature (registry, feature);
  gst_object_unref (feature);

  dir = make_output_dir ("missing");
  files = run_plan (MES_ID, "Thumbnails", inputs, dir, &run, &error);
  g_assert_null (files);
  g_assert_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT);
  g_assert_nonnull (strstr (error->message, "jpegenc"));
  g_assert_nonnull (strstr (error->message, "gstreamer1.0-plugins-good"));
  g_assert_cmpuint (count_files (dir), ==, 0);
}

/* A clip of 1 s: SMPTE bars at @width×@height, 10 fps (the encoders'
 * cost is per frame, and ten are enough for every check), a key frame
 * every 10 frames, and a tone (unless @silent), in MP4.
 */
static char *
make_clip (const char *name,
           int         width,
           int         height,
           gboolean    silent)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;

  description = g_strdup_printf ("videotestsrc num-buffers=10 pattern=smpte ! "
                                 "video/x-raw,width=%d,height=%d,framerate=10/1 ! "
                                 "x264enc speed-preset=ultrafast key-int-max=10 ! "
                                 "h264parse ! mux. %s mp4mux name=mux ! filesink location=\"%s\"",
                                 width, height,
                                 silent ? ""
                                        : "audiotestsrc num-buffers=43 samplesperbuffer=1024 ! "
                                          "audio/x-raw,rate=44100,channels=2 ! audioconvert ! avenc_aac ! aacparse ! mux.",
                                 path);
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

int
main (int   argc,
      char *argv[])
{
  const char *needed[] = { "videotestsrc", "audiotestsrc", "x264enc", "avenc_aac", "mp4mux", "h264parse",
                           "aacparse", "uridecodebin", "playbin", "appsink", "jpegenc", "pngenc", "jpegdec",
                           "pngdec" };
  int         status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  have_plugins = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (needed[i]);

      have_plugins = have_plugins && factory != NULL;
    }

  tmp_dir = g_dir_make_tmp ("jg-preset-XXXXXX", NULL);
  if (have_plugins)
    {
      clip = make_clip ("source.mp4", 640, 360, FALSE);
      silent_clip = make_clip ("silent.mp4", 320, 180, TRUE);
      discoverer = gst_discoverer_new (30 * GST_SECOND, NULL);
    }

  g_test_add_func ("/jobgraph/emulator/preset/builtin-names", test_builtin_names);
  g_test_add_func ("/jobgraph/emulator/preset/errors", test_errors);
  g_test_add_func ("/jobgraph/emulator/preset/json-parse", test_json_parse);
  g_test_add_func ("/jobgraph/emulator/preset/smooth-streaming-names", test_smooth_streaming_names);
  g_test_add_func ("/jobgraph/emulator/preset/single-bitrate-720p", test_single_bitrate_720p);
  g_test_add_func ("/jobgraph/emulator/preset/multiple-bitrate", test_multiple_bitrate);
  g_test_add_func ("/jobgraph/emulator/preset/smooth-streaming", test_smooth_streaming);
  g_test_add_func ("/jobgraph/emulator/preset/adaptive-streaming", test_adaptive_streaming);
  g_test_add_func ("/jobgraph/emulator/preset/audio-only", test_audio_only);
  g_test_add_func ("/jobgraph/emulator/preset/thumbnails", test_thumbnails);
  g_test_add_func ("/jobgraph/emulator/preset/json-run", test_json_run);
  g_test_add_func ("/jobgraph/emulator/preset/without-audio", test_without_audio);
  g_test_add_func ("/jobgraph/emulator/preset/surround", test_surround);
  g_test_add_func ("/jobgraph/emulator/preset/storage-decryption", test_storage_decryption);
  g_test_add_func ("/jobgraph/emulator/preset/cancel", test_cancel);
  g_test_add_func ("/jobgraph/emulator/preset/not-media", test_not_media);
  g_test_add_func ("/jobgraph/emulator/preset/missing-element", test_missing_element);

  status = g_test_run ();

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp_dir);

    if (system (command) != 0)
      g_warning ("could not remove %s", tmp_dir);
  }
  g_free (tmp_dir);
  g_free (clip);
  g_free (silent_clip);
  g_clear_object (&discoverer);

  return status;
}
