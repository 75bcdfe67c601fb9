/* jg-emulator-preset.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-emulator-preset"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <json-glib/json-glib.h>

#include "jg-catalog.h"
#include "jg-emulator-files.h"
#include "jg-emulator-preset.h"

/* What a task runs on the Local service (issue 6). jg_encode_plan_new()
 * only parses: the processor and its Configuration (a preset name or a
 * Media Encoder Standard JSON preset) become a plan of video layers, audio,
 * image sets and output file names. Running it first looks at the source
 * (GstDiscoverer, in a worker thread), which fixes what depends on it —
 * the Adaptive Streaming ladder, sizes in percent, AutoSize, image times —
 * and then writes the files one after another: one pipeline per MP4
 * (jg_emulator_encode_async()) or image set (jg_emulator_images_async()),
 * or one copy per input for Storage Decryption.
 *
 * The legacy Azure Media Encoder's H264 Smooth Streaming presets write a
 * fragmented ISMV (ismlmux, 2 s fragments) per layer of the matching MP4
 * set, video only, and one audio ISMV, so every track is track 1 of its
 * file; then the server manifest <basename>.ism (SMIL 2.0), the primary
 * file. It names <basename>.ismc as its client manifest, as Azure's did,
 * but that file is not written: it needs every fragment's duration, which
 * would take reading the fragments back. So the output shows the files
 * and names a job makes, but is not streamable as it stands.
 *
 * The built-in presets follow the values Microsoft documented for Media
 * Encoder Standard (docs "media-services-mes-preset-*" pages: single
 * bitrate sizes and rates, the layer counts and ranges of the multiple
 * bitrate sets); values the pages summarised but this code could not check
 * are marked "(derived)".
 */

#define MES_NAME         "Media Encoder Standard"
#define SUPPORTED_CODECS "H264Video, AACAudio, JpgImage, PngImage"
#define MAX_IMAGES       1000

typedef enum
{
  PLAN_ENCODE,
  PLAN_COPY,
} PlanKind;

/* A width or height: pixels, a percentage of the source's, or 0 for the
 * source's (or to follow the aspect ratio).
 */
typedef struct
{
  int      value;
  gboolean percent;
} Dim;

typedef struct
{
  Dim   width;
  Dim   height;
  int   kbps;
  char *label;
} VideoLayer;

typedef enum
{
  SPEC_UNSET,
  SPEC_TIME,    /* seconds */
  SPEC_PERCENT, /* of the duration */
  SPEC_FRAME,   /* a frame number, or a count of frames */
  SPEC_BEST,    /* "{Best}": taken as 10% of the duration */
} SpecKind;

typedef struct
{
  SpecKind kind;
  double   value;
} TimeSpec;

typedef struct
{
  Dim   width;
  Dim   height;
  int   quality;
  char *label;
} ImageLayer;

typedef struct
{
  JgImageFormat format;
  TimeSpec      start;
  TimeSpec      step;
  TimeSpec      range;
  GArray       *layers; /* ImageLayer */
} ImageCodec;

typedef enum
{
  FORMAT_MP4,
  FORMAT_JPG,
  FORMAT_PNG,
} FormatType;

typedef struct
{
  char      *file_name;
  FormatType format;
} Output;

struct _JgEncodePlan
{
  gatomicrefcount ref_count;
  PlanKind        kind;
  char           *processor_name;
  char           *preset_name; /* NULL for a JSON preset */
  gboolean        adaptive;
  gboolean        has_video_codec;
  GArray         *video_layers; /* VideoLayer */
  int             keyframe_ms;
  gboolean        has_audio_codec;
  int             audio_channels;
  int             audio_rate;
  int             audio_kbps;
  GPtrArray      *images;          /* ImageCodec */
  GPtrArray      *outputs;         /* Output */
  char           *audio_only_name; /* built-in presets: the name of an audio-only MP4 */
  gboolean        smooth;          /* Smooth Streaming: ISMVs and a server manifest */
};

/* The built-in presets. */

typedef struct
{
  int width;
  int height;
  int kbps;
} Rung;

typedef enum
{
  BUILTIN_LADDER,
  BUILTIN_ADAPTIVE,
  BUILTIN_AUDIO,
  BUILTIN_THUMBNAILS,
  BUILTIN_SMOOTH,
} BuiltinKind;

typedef struct
{
  const char *name;
  BuiltinKind kind;
  const Rung *rungs;
  guint       n_rungs;
  int         audio_kbps;
} Builtin;

static const Rung single_4k[] = { { 3840, 2160, 18000 } };
static const Rung single_1080p[] = { { 1920, 1080, 6750 } };
static const Rung single_720p[] = { { 1280, 720, 4500 } };
static const Rung single_sd_16x9[] = { { 848, 480, 2200 } };
static const Rung single_sd_4x3[] = { { 640, 480, 1800 } };
static const Rung single_720p_android[] = { { 1280, 720, 2000 } };
static const Rung single_hq_sd_android[] = { { 640, 360, 500 } };
static const Rung single_lq_sd_android[] = { { 176, 144, 56 } };

static const Rung multi_4k[] = {
  { 3840, 2160, 20000 },
  { 3840, 2160, 18000 },
  { 3840, 2160, 16000 },
  { 3840, 2160, 14000 },
  { 2560, 1440, 12000 },
  { 2560, 1440, 10000 },
  { 2560, 1440, 8000 },
  { 1920, 1080, 6000 },
  { 1920, 1080, 4700 },
  { 1280, 720, 3400 },
  { 960, 540, 2250 },
  { 640, 360, 1000 },
};
static const Rung multi_1080p[] = {
  { 1920, 1080, 6000 },
  { 1920, 1080, 4700 },
  { 1280, 720, 3400 },
  { 960, 540, 2250 },
  { 960, 540, 1500 },
  { 640, 360, 1000 },
  { 640, 360, 650 },
  { 320, 180, 400 },
};
static const Rung multi_720p[] = {
  { 1280, 720, 3400 },
  { 960, 540, 2250 },
  { 960, 540, 1500 },
  { 640, 360, 1000 },
  { 640, 360, 650 },
  { 320, 180, 400 },
};
static const Rung multi_sd_16x9[] = {
  { 848, 480, 1900 },
  { 848, 480, 1300 },
  { 640, 360, 900 },
  { 640, 360, 650 },
  { 424, 240, 400 },
};
static const Rung multi_sd_4x3[] = {
  { 640, 480, 1600 },
  { 640, 480, 1300 },
  { 480, 360, 900 },
  { 480, 360, 650 },
  { 320, 240, 400 },
};
/* (derived) The iOS sets: the SD ladders with a 200 kb/s layer for cellular. */
static const Rung multi_ios_16x9[] = {
  { 1280, 720, 3400 },
  { 960, 540, 2250 },
  { 960, 540, 1500 },
  { 640, 360, 1000 },
  { 640, 360, 650 },
  { 416, 234, 400 },
  { 416, 234, 200 },
};
static const Rung multi_ios_4x3[] = {
  { 640, 480, 1600 },
  { 640, 480, 1300 },
  { 480, 360, 900 },
  { 480, 360, 650 },
  { 320, 240, 400 },
  { 320, 240, 200 },
};

/* Adaptive Streaming: the rungs no taller than the source (at least one). */
static const Rung adaptive_rungs[] = {
  { 1920, 1080, 6000 },
  { 1280, 720, 3400 },
  { 960, 540, 2250 },
  { 640, 360, 1000 },
  { 480, 270, 650 },
  { 320, 180, 400 },
};

#define LADDER(r) BUILTIN_LADDER, r, G_N_ELEMENTS (r)
#define SMOOTH(r) BUILTIN_SMOOTH, r, G_N_ELEMENTS (r)

static const Builtin builtins[] = {
  { "Adaptive Streaming", BUILTIN_ADAPTIVE, NULL, 0, 128 },
  { "Content Adaptive Multiple Bitrate MP4", BUILTIN_ADAPTIVE, NULL, 0, 128 },
  { "H264 Multiple Bitrate 4K", LADDER (multi_4k), 128 },
  { "H264 Multiple Bitrate 1080p", LADDER (multi_1080p), 128 },
  { "H264 Multiple Bitrate 720p", LADDER (multi_720p), 128 },
  { "H264 Multiple Bitrate 16x9 SD", LADDER (multi_sd_16x9), 128 },
  { "H264 Multiple Bitrate 4x3 SD", LADDER (multi_sd_4x3), 128 },
  { "H264 Multiple Bitrate 16x9 for iOS", LADDER (multi_ios_16x9), 128 },
  { "H264 Multiple Bitrate 4x3 for iOS", LADDER (multi_ios_4x3), 128 },
  { "H264 Single Bitrate 4K", LADDER (single_4k), 128 },
  { "H264 Single Bitrate 1080p", LADDER (single_1080p), 128 },
  { "H264 Single Bitrate 720p", LADDER (single_720p), 128 },
  { "H264 Single Bitrate 16x9 SD", LADDER (single_sd_16x9), 128 },
  { "H264 Single Bitrate 4x3 SD", LADDER (single_sd_4x3), 128 },
  { "H264 Single Bitrate 720p for Android", LADDER (single_720p_android), 128 },
  { "H264 Single Bitrate High Quality SD for Android", LADDER (single_hq_sd_android), 128 },
  { "H264 Single Bitrate Low Quality SD for Android", LADDER (single_lq_sd_android), 24 },
  /* The legacy Azure Media Encoder's MP4 presets, as their MES counterparts. */
  { "H264 Adaptive Bitrate MP4 Set 1080p", LADDER (multi_1080p), 128 },
  { "H264 Adaptive Bitrate MP4 Set 720p", LADDER (multi_720p), 128 },
  { "H264 Adaptive Bitrate MP4 Set SD 16x9", LADDER (multi_sd_16x9), 128 },
  { "H264 Adaptive Bitrate MP4 Set SD 4x3", LADDER (multi_sd_4x3), 128 },
  { "H264 Adaptive Bitrate MP4 Set 1080p for iOS Cellular Only", LADDER (multi_ios_16x9), 128 },
  { "H264 Adaptive Bitrate MP4 Set 720p for iOS Cellular Only", LADDER (multi_ios_16x9), 128 },
  { "H264 Adaptive Bitrate MP4 Set SD 16x9 for iOS Cellular Only", LADDER (multi_ios_16x9), 128 },
  { "H264 Adaptive Bitrate MP4 Set SD 4x3 for iOS Cellular Only", LADDER (multi_ios_4x3), 128 },
  { "H264 Broadband 1080p", LADDER (single_1080p), 128 },
  { "H264 Broadband 720p", LADDER (single_720p), 128 },
  { "H264 Broadband SD 16x9", LADDER (single_sd_16x9), 128 },
  { "H264 Broadband SD 4x3", LADDER (single_sd_4x3), 128 },
  /* Its Smooth Streaming presets, with the ladders of the matching MP4
   * sets: "for 3G or 4G" as the cellular set; (derived) the Xbox Live ADK
   * preset as 720p and Windows Phone 7 Series as SD 16x9.
   */
  { "H264 Smooth Streaming 1080p", SMOOTH (multi_1080p), 128 },
  { "H264 Smooth Streaming 720p", SMOOTH (multi_720p), 128 },
  { "H264 Smooth Streaming SD 16x9", SMOOTH (multi_sd_16x9), 128 },
  { "H264 Smooth Streaming SD 4x3", SMOOTH (multi_sd_4x3), 128 },
  { "H264 Smooth Streaming 720p for 3G or 4G", SMOOTH (multi_ios_16x9), 128 },
  { "H264 Smooth Streaming 720p Xbox Live ADK", SMOOTH (multi_720p), 128 },
  { "H264 Smooth Streaming Windows Phone 7 Series", SMOOTH (multi_sd_16x9), 128 },
  { "AAC Good Quality Audio", BUILTIN_AUDIO, NULL, 0, 192 },
  { "Thumbnails", BUILTIN_THUMBNAILS, NULL, 0, 0 },
};

#define VIDEO_FILE_NAME "{Basename}_{Width}x{Height}_{VideoBitrate}.mp4"
#define AUDIO_FILE_NAME "{Basename}_AACAudio_{AudioBitrate}.mp4"
#define IMAGE_FILE_NAME "{Basename}_{Index}{Extension}"
#define SMOOTH_VIDEO_FILE_NAME "{Basename}_{Width}x{Height}_{VideoBitrate}.ismv"
#define SMOOTH_AUDIO_FILE_NAME "{Basename}_AACAudio_{AudioBitrate}.ismv"
#define SMOOTH_FRAGMENT_MS     2000

static const char *const macros[] = {
  "Basename", "Bitrate", "VideoBitrate", "AudioBitrate", "Width", "Height", "Index",
  "Extension", "Codec", "Channels", "SamplingRate", "Label", NULL
};

/* What the source is, from GstDiscoverer. */
typedef struct
{
  gboolean has_video;
  gboolean has_audio;
  int      width;
  int      height;
  double   aspect; /* display width / height */
  double   fps;
  gint64   duration_ns;
} Source;

typedef enum
{
  STEP_ENCODE,
  STEP_IMAGES,
  STEP_COPY,
  STEP_MANIFEST,
} StepKind;

typedef struct
{
  StepKind      kind;
  GPtrArray    *paths; /* the files it writes, NULL-terminated */
  const char   *mime_type;
  JgEncodeLayer layer;
  GArray       *times; /* gint64 ns */
  JgImageFormat format;
  int           width;
  int           height;
  int           quality;
  char         *source;
  char         *contents; /* STEP_MANIFEST */
  gboolean      primary;  /* its file comes first in the output */
} Step;

typedef struct
{
  JgEncodePlan        *plan;
  GStrv                inputs;
  char                *output_dir;
  JgEncodeProgressFunc progress;
  gpointer             progress_data;
  Source               source;
  GPtrArray           *steps; /* Step */
  guint                current;
  GPtrArray           *written; /* every path a step was started for */
  double               last_progress;
} Run;

static JgEncodePlan *
plan_ref (JgEncodePlan *plan)
{
  g_atomic_ref_count_inc (&plan->ref_count);
  return plan;
}

static void
video_layer_clear (VideoLayer *layer)
{
  g_free (layer->label);
}

static void
image_layer_clear (ImageLayer *layer)
{
  g_free (layer->label);
}

static void
image_codec_free (ImageCodec *codec)
{
  g_array_unref (codec->layers);
  g_free (codec);
}

static ImageCodec *
image_codec_new (JgImageFormat format)
{
  ImageCodec *codec = g_new0 (ImageCodec, 1);

  codec->format = format;
  codec->layers = g_array_new (FALSE, TRUE, sizeof (ImageLayer));
  g_array_set_clear_func (codec->layers, (GDestroyNotify)image_layer_clear);

  return codec;
}

static void
output_free (Output *output)
{
  g_free (output->file_name);
  g_free (output);
}

static void
add_output (JgEncodePlan *plan,
            const char   *file_name,
            FormatType    format)
{
  Output *output = g_new0 (Output, 1);

  output->file_name = g_strdup (file_name);
  output->format = format;
  g_ptr_array_add (plan->outputs, output);
}

static void
step_free (Step *step)
{
  g_ptr_array_unref (step->paths);
  g_clear_pointer (&step->times, g_array_unref);
  g_free (step->source);
  g_free (step->contents);
  g_free (step);
}

static void
run_free (Run *run)
{
  jg_encode_plan_free (run->plan);
  g_strfreev (run->inputs);
  g_free (run->output_dir);
  g_clear_pointer (&run->steps, g_ptr_array_unref);
  g_ptr_array_unref (run->written);
  g_free (run);
}

static JgEncodePlan *
plan_alloc (PlanKind    kind,
            const char *processor_name)
{
  JgEncodePlan *plan = g_new0 (JgEncodePlan, 1);

  g_atomic_ref_count_init (&plan->ref_count);
  plan->kind = kind;
  plan->processor_name = g_strdup (processor_name);
  plan->video_layers = g_array_new (FALSE, TRUE, sizeof (VideoLayer));
  g_array_set_clear_func (plan->video_layers, (GDestroyNotify)video_layer_clear);
  plan->images = g_ptr_array_new_with_free_func ((GDestroyNotify)image_codec_free);
  plan->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify)output_free);

  return plan;
}

static gboolean
unsupported (GError    **error,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
unsupported (GError    **error,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET, message);

  return FALSE;
}

/* Built-in presets */

static gboolean
is_encoder (const JgProcessorInfo *info)
{
  return g_str_equal (info->name, MES_NAME) || g_str_equal (info->name, "Azure Media Encoder") ||
         g_str_equal (info->name, "Windows Azure Media Encoder");
}

static const Builtin *
find_builtin (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_str_equal (builtins[i].name, name))
      return &builtins[i];

  return NULL;
}

static gboolean
plan_builtin (JgEncodePlan          *plan,
              const JgProcessorInfo *info,
              const char            *name,
              GError               **error)
{
  const JgProcessorInfo *mes = jg_catalog_lookup_by_name (MES_NAME);
  const Builtin         *builtin = find_builtin (name);
  gboolean               surround = FALSE;

  /* "… Audio 5.1": the same video with 5.1 audio when the source has it. */
  if (builtin == NULL && g_str_has_suffix (name, " Audio 5.1") && jg_catalog_has_preset (mes, name))
    {
      g_autofree char *base = g_strndup (name, strlen (name) - strlen (" Audio 5.1"));

      builtin = find_builtin (base);
      surround = builtin != NULL;
    }

  if (builtin == NULL)
    {
      const char *suggestion;

      if (jg_catalog_has_preset (info, name) || jg_catalog_has_preset (mes, name))
        return unsupported (error, "“%s” is a preset the Local service does not run", name);

      suggestion = jg_catalog_suggest_preset (info, name);
      if (suggestion == NULL && info != mes)
        suggestion = jg_catalog_suggest_preset (mes, name);
      if (suggestion != NULL)
        return unsupported (error, "“%s” is not a preset of %s; did you mean “%s”?", name, info->name, suggestion);

      return unsupported (error, "“%s” is not a preset of %s", name, info->name);
    }

  plan->preset_name = g_strdup (name);
  plan->audio_only_name = g_strdup (AUDIO_FILE_NAME);

  switch (builtin->kind)
    {
    case BUILTIN_SMOOTH:
      plan->smooth = TRUE;
      /* fall through */
    case BUILTIN_ADAPTIVE:
      plan->adaptive = builtin->kind == BUILTIN_ADAPTIVE;
      /* fall through */
    case BUILTIN_LADDER:
      plan->has_video_codec = TRUE;
      plan->keyframe_ms = 2000;
      for (guint i = 0; i < builtin->n_rungs; i++)
        {
          VideoLayer layer = { { builtin->rungs[i].width, FALSE }, { builtin->rungs[i].height, FALSE }, builtin->rungs[i].kbps, NULL };

          g_array_append_val (plan->video_layers, layer);
        }
      add_output (plan, plan->smooth ? SMOOTH_VIDEO_FILE_NAME : VIDEO_FILE_NAME, FORMAT_MP4);
      /* fall through */
    case BUILTIN_AUDIO:
      plan->has_audio_codec = TRUE;
      plan->audio_channels = surround ? 6 : 2;
      plan->audio_rate = 48000;
      plan->audio_kbps = surround ? 384 : builtin->audio_kbps;
      if (builtin->kind == BUILTIN_AUDIO)
        add_output (plan, AUDIO_FILE_NAME, FORMAT_MP4);
      break;

    case BUILTIN_THUMBNAILS:
      {
        /* Ten JPEGs at the source's size, at 5%, 15%, … 95% of it. */
        ImageCodec *codec = image_codec_new (JG_IMAGE_FORMAT_JPEG);
        ImageLayer  layer = { { 0, FALSE }, { 0, FALSE }, 90, NULL };

        codec->start = (TimeSpec){ SPEC_PERCENT, 5 };
        codec->step = (TimeSpec){ SPEC_PERCENT, 10 };
        codec->range = (TimeSpec){ SPEC_PERCENT, 100 };
        g_array_append_val (codec->layers, layer);
        g_ptr_array_add (plan->images, codec);
        add_output (plan, IMAGE_FILE_NAME, FORMAT_JPG);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

/* JSON presets */

static gboolean
check_keys (JsonObject        *object,
            const char        *path,
            const char *const *allowed,
            GError           **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      return unsupported (error, "%s has “%s”, which the Local service does not run", path, (const char *)l->data);

  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *path,
          const char *key,
          int        *value,
          GError    **error)
{
  JsonNode *node = json_object_get_member (object, key);
  gint64    number;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    number = json_node_get_int (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    number = (gint64)json_node_get_double (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
           g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT, &number, NULL))
    ;
  else
    return unsupported (error, "%s.%s is not a number", path, key);

  if (number < 0 || number > G_MAXINT)
    return unsupported (error, "%s.%s is out of range", path, key);

  *value = (int)number;
  return TRUE;
}

static gboolean
read_dim (JsonObject *object,
          const char *path,
          const char *key,
          Dim        *dim,
          GError    **error)
{
  JsonNode   *node = json_object_get_member (object, key);
  const char *text;
  gint64      number;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *digits = NULL;

      text = json_node_get_string (node);
      dim->percent = g_str_has_suffix (text, "%");
      digits = g_strndup (text, strlen (text) - (dim->percent ? 1 : 0));
      if (!g_ascii_string_to_signed (digits, 10, 0, dim->percent ? 1000 : 16384, &number, NULL))
        return unsupported (error, "%s.%s “%s” is neither pixels nor a percentage", path, key, text);
      dim->value = (int)number;
      return TRUE;
    }

  dim->percent = FALSE;
  if (!read_int (object, path, key, &dim->value, error))
    return FALSE;
  if (dim->value > 16384)
    return unsupported (error, "%s.%s is out of range", path, key);

  return TRUE;
}

/* "00:00:01.5" → seconds; FALSE when @text is not a time. */
static gboolean
parse_clock (const char *text,
             double     *seconds)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint  n = g_strv_length (parts);
  double total = 0;

  if (n < 2 || n > 3)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      char  *end = NULL;
      double value = g_ascii_strtod (parts[i], &end);

      if (end == parts[i] || *end != '\0' || value < 0)
        return FALSE;
      total = total * 60 + value;
    }

  *seconds = total;
  return TRUE;
}

static gboolean
read_time (JsonObject *object,
           const char *path,
           const char *key,
           gboolean    best_allowed,
           TimeSpec   *spec,
           GError    **error)
{
  JsonNode   *node = json_object_get_member (object, key);
  const char *text;
  int         frame = 0;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      if (!read_int (object, path, key, &frame, error))
        return FALSE;
      *spec = (TimeSpec){ SPEC_FRAME, frame };
      return TRUE;
    }

  text = json_node_get_string (node);
  if (best_allowed && g_str_equal (text, "{Best}"))
    *spec = (TimeSpec){ SPEC_BEST, 0 };
  else if (g_str_has_suffix (text, "%"))
    {
      g_autofree char *number = g_strndup (text, strlen (text) - 1);
      char            *end = NULL;
      double           value = g_ascii_strtod (number, &end);

      if (end == number || *end != '\0' || value < 0 || value > 100)
        return unsupported (error, "%s.%s “%s” is not a percentage", path, key, text);
      *spec = (TimeSpec){ SPEC_PERCENT, value };
    }
  else if (parse_clock (text, &spec->value))
    spec->kind = SPEC_TIME;
  else if (read_int (object, path, key, &frame, NULL))
    *spec = (TimeSpec){ SPEC_FRAME, frame };
  else
    return unsupported (error, "%s.%s “%s” is neither a time (“00:00:01”), a percentage nor a frame number", path,
                        key, text);

  return TRUE;
}

static gboolean
parse_h264 (JgEncodePlan *plan,
            JsonObject   *codec,
            const char   *path,
            GError      **error)
{
  static const char *const codec_keys[] = {
    "Type", "KeyFrameInterval", "SceneChangeDetection", "StretchMode", "SyncMode", "Condition", "H264Layers",
    "Label", "TwoPass", "Complexity", NULL
  };
  static const char *const layer_keys[] = {
    "Type", "Profile", "Level", "Bitrate", "MaxBitrate", "BufferWindow", "Width", "Height", "FrameRate", "BFrames",
    "ReferenceFrames", "AdaptiveBFrame", "EntropyMode", "Slices", "Label", NULL
  };
  JsonArray *layers;

  if (plan->has_video_codec)
    return unsupported (error, "%s is a second H264Video, which the Local service does not run", path);
  if (!check_keys (codec, path, codec_keys, error))
    return FALSE;

  plan->has_video_codec = TRUE;
  plan->keyframe_ms = 2000;
  if (json_object_has_member (codec, "KeyFrameInterval"))
    {
      JsonNode *node = json_object_get_member (codec, "KeyFrameInterval");
      double    seconds;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !parse_clock (json_node_get_string (node), &seconds))
        return unsupported (error, "%s.KeyFrameInterval is not a time like “00:00:02”", path);
      plan->keyframe_ms = (int)(seconds * 1000);
    }

  if (!json_object_has_member (codec, "H264Layers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (codec, "H264Layers")) ||
      json_array_get_length (json_object_get_array_member (codec, "H264Layers")) == 0)
    return unsupported (error, "%s has no H264Layers", path);

  layers = json_object_get_array_member (codec, "H264Layers");
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      g_autofree char *layer_path = g_strdup_printf ("%s.H264Layers[%u]", path, i);
      JsonNode        *node = json_array_get_element (layers, i);
      JsonObject      *object;
      VideoLayer       layer = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return unsupported (error, "%s is not an object", layer_path);
      object = json_node_get_object (node);
      if (!check_keys (object, layer_path, layer_keys, error) ||
          !read_int (object, layer_path, "Bitrate", &layer.kbps, error) ||
          !read_dim (object, layer_path, "Width", &layer.width, error) ||
          !read_dim (object, layer_path, "Height", &layer.height, error))
        return FALSE;
      if (layer.kbps <= 0)
        return unsupported (error, "%s has no Bitrate", layer_path);
      if (json_object_has_member (object, "Label"))
        layer.label = g_strdup (json_object_get_string_member_with_default (object, "Label", ""));
      g_array_append_val (plan->video_layers, layer);
    }

  return TRUE;
}

static gboolean
parse_aac (JgEncodePlan *plan,
           JsonObject   *codec,
           const char   *path,
           GError      **error)
{
  static const char *const keys[] = {
    "Type", "Profile", "Channels", "SamplingRate", "Bitrate", "Label", "Condition", NULL
  };
  const char *profile = json_object_get_string_member_with_default (codec, "Profile", "AACLC");

  if (plan->has_audio_codec)
    return unsupported (error, "%s is a second AACAudio, which the Local service does not run", path);
  if (!check_keys (codec, path, keys, error))
    return FALSE;
  if (profile == NULL || g_ascii_strcasecmp (profile, "AACLC") != 0)
    return unsupported (error, "%s has Profile “%s”; the Local service encodes AACLC only", path,
                        profile != NULL ? profile : "?");

  plan->has_audio_codec = TRUE;
  plan->audio_channels = 2;
  plan->audio_rate = 48000;
  plan->audio_kbps = 128;
  if (!read_int (codec, path, "Channels", &plan->audio_channels, error) ||
      !read_int (codec, path, "SamplingRate", &plan->audio_rate, error) ||
      !read_int (codec, path, "Bitrate", &plan->audio_kbps, error))
    return FALSE;
  if (plan->audio_channels < 1 || plan->audio_channels > 8)
    return unsupported (error, "%s.Channels must be 1 to 8", path);
  if (plan->audio_rate < 8000 || plan->audio_rate > 96000)
    return unsupported (error, "%s.SamplingRate must be 8000 to 96000", path);

  return TRUE;
}

static gboolean
parse_image (JgEncodePlan *plan,
             JsonObject   *object,
             const char   *path,
             JgImageFormat format,
             GError      **error)
{
  static const char *const jpg_keys[] = {
    "Type", "Start", "Step", "Range", "JpgLayers", "StretchMode", "SyncMode", "Label", NULL
  };
  static const char *const png_keys[] = {
    "Type", "Start", "Step", "Range", "PngLayers", "StretchMode", "SyncMode", "Label", NULL
  };
  static const char *const layer_keys[] = { "Type", "Width", "Height", "Quality", "Label", NULL };
  const char              *layers_key = format == JG_IMAGE_FORMAT_PNG ? "PngLayers" : "JpgLayers";
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func ((GDestroyNotify)image_codec_free);
  ImageCodec *codec = image_codec_new (format);
  JsonArray  *layers;

  g_ptr_array_add (holder, codec);
  if (!check_keys (object, path, format == JG_IMAGE_FORMAT_PNG ? png_keys : jpg_keys, error) ||
      !read_time (object, path, "Start", TRUE, &codec->start, error) ||
      !read_time (object, path, "Step", FALSE, &codec->step, error) ||
      !read_time (object, path, "Range", FALSE, &codec->range, error))
    return FALSE;

  if (!json_object_has_member (object, layers_key) || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, layers_key)) ||
      json_array_get_length (json_object_get_array_member (object, layers_key)) == 0)
    return unsupported (error, "%s has no %s", path, layers_key);

  layers = json_object_get_array_member (object, layers_key);
  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      g_autofree char *layer_path = g_strdup_printf ("%s.%s[%u]", path, layers_key, i);
      JsonNode        *node = json_array_get_element (layers, i);
      JsonObject      *layer_object;
      ImageLayer       layer = { { 0, FALSE }, { 0, FALSE }, 90, NULL };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return unsupported (error, "%s is not an object", layer_path);
      layer_object = json_node_get_object (node);
      if (!check_keys (layer_object, layer_path, layer_keys, error) ||
          !read_dim (layer_object, layer_path, "Width", &layer.width, error) ||
          !read_dim (layer_object, layer_path, "Height", &layer.height, error) ||
          !read_int (layer_object, layer_path, "Quality", &layer.quality, error))
        return FALSE;
      if (json_object_has_member (layer_object, "Label"))
        layer.label = g_strdup (json_object_get_string_member_with_default (layer_object, "Label", ""));
      g_array_append_val (codec->layers, layer);
    }

  g_ptr_array_add (plan->images, g_ptr_array_steal_index (holder, 0));
  return TRUE;
}

static gboolean
has_image_codec (JgEncodePlan *plan,
                 JgImageFormat format)
{
  for (guint i = 0; i < plan->images->len; i++)
    if (((ImageCodec *)g_ptr_array_index (plan->images, i))->format == format)
      return TRUE;

  return FALSE;
}

static gboolean
check_file_name (const char *file_name,
                 const char *path,
                 GError    **error)
{
  const char *p = file_name;

  while ((p = strchr (p, '{')) != NULL)
    {
      const char      *end = strchr (p, '}');
      g_autofree char *name = NULL;

      if (end == NULL)
        return unsupported (error, "%s “%s” has an unclosed “{”", path, file_name);
      name = g_strndup (p + 1, end - p - 1);
      if (!g_strv_contains (macros, name))
        return unsupported (error, "%s has the macro “{%s}”, which the Local service does not know", path, name);
      p = end + 1;
    }

  return TRUE;
}

static gboolean
parse_outputs (JgEncodePlan *plan,
               JsonNode     *node,
               GError      **error)
{
  static const char *const keys[] = { "FileName", "Format", NULL };
  JsonArray               *outputs;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return unsupported (error, "The preset has no Outputs");

  outputs = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (outputs); i++)
    {
      g_autofree char         *path = g_strdup_printf ("Outputs[%u]", i);
      g_autofree char         *name_path = g_strdup_printf ("Outputs[%u].FileName", i);
      JsonNode                *element = json_array_get_element (outputs, i);
      JsonObject              *object;
      JsonObject              *format;
      const char              *type;
      const char              *file_name;
      static const char *const format_keys[] = { "Type", NULL };

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return unsupported (error, "%s is not an object", path);
      object = json_node_get_object (element);
      if (!check_keys (object, path, keys, error))
        return FALSE;

      if (!json_object_has_member (object, "Format") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "Format")))
        return unsupported (error, "%s has no Format", path);
      format = json_object_get_object_member (object, "Format");
      {
        g_autofree char *format_path = g_strdup_printf ("Outputs[%u].Format", i);

        if (!check_keys (format, format_path, format_keys, error))
          return FALSE;
      }
      type = json_object_get_string_member_with_default (format, "Type", "");
      file_name = json_object_get_string_member_with_default (object, "FileName", NULL);
      if (file_name == NULL || *file_name == '\0')
        return unsupported (error, "%s has no FileName", path);
      if (!check_file_name (file_name, name_path, error))
        return FALSE;

      if (g_strcmp0 (type, "MP4Format") == 0)
        {
          if (!plan->has_video_codec && !plan->has_audio_codec)
            return unsupported (error, "%s is an MP4Format, but Codecs has no H264Video or AACAudio", path);
          add_output (plan, file_name, FORMAT_MP4);
        }
      else if (g_strcmp0 (type, "JpgFormat") == 0 || g_strcmp0 (type, "PngFormat") == 0)
        {
          gboolean png = type[0] == 'P';

          if (!has_image_codec (plan, png ? JG_IMAGE_FORMAT_PNG : JG_IMAGE_FORMAT_JPEG))
            return unsupported (error, "%s is a %s, but Codecs has no %s", path, type, png ? "PngImage" : "JpgImage");
          add_output (plan, file_name, png ? FORMAT_PNG : FORMAT_JPG);
        }
      else
        return unsupported (error,
                            "%s has Format Type “%s”, which the Local service does not write (it writes MP4Format, "
                            "JpgFormat, PngFormat)",
                            path, type);
    }

  return TRUE;
}

static gboolean
plan_json (JgEncodePlan *plan,
           const char   *configuration,
           GError      **error)
{
  static const char *const keys[] = { "Version", "Codecs", "Outputs", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode   *root;
  JsonObject *object;
  JsonArray  *codecs;

  if (!json_parser_load_from_data (parser, configuration, -1, &parse_error))
    return unsupported (error, "The JSON preset does not parse: %s", parse_error->message);

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return unsupported (error, "The JSON preset is not an object");
  object = json_node_get_object (root);
  if (!check_keys (object, "The preset", keys, error))
    return FALSE;

  if (!json_object_has_member (object, "Codecs") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "Codecs")) ||
      json_array_get_length (json_object_get_array_member (object, "Codecs")) == 0)
    return unsupported (error, "The preset has no Codecs");

  codecs = json_object_get_array_member (object, "Codecs");
  for (guint i = 0; i < json_array_get_length (codecs); i++)
    {
      g_autofree char *path = g_strdup_printf ("Codecs[%u]", i);
      JsonNode        *node = json_array_get_element (codecs, i);
      JsonObject      *codec;
      const char      *type;
      gboolean         ok;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return unsupported (error, "%s is not an object", path);
      codec = json_node_get_object (node);
      type = json_object_get_string_member_with_default (codec, "Type", NULL);

      if (g_strcmp0 (type, "H264Video") == 0)
        ok = parse_h264 (plan, codec, path, error);
      else if (g_strcmp0 (type, "AACAudio") == 0)
        ok = parse_aac (plan, codec, path, error);
      else if (g_strcmp0 (type, "JpgImage") == 0)
        ok = parse_image (plan, codec, path, JG_IMAGE_FORMAT_JPEG, error);
      else if (g_strcmp0 (type, "PngImage") == 0)
        ok = parse_image (plan, codec, path, JG_IMAGE_FORMAT_PNG, error);
      else if (type == NULL)
        ok = unsupported (error, "%s has no Type (the Local service encodes " SUPPORTED_CODECS ")", path);
      else
        ok = unsupported (error, "%s has Type “%s”, which the Local service does not encode (it encodes " SUPPORTED_CODECS ")",
                          path, type);
      if (!ok)
        return FALSE;
    }

  return parse_outputs (plan, json_object_get_member (object, "Outputs"), error);
}

/* Running: what the source fixes */

static int
even (double value)
{
  int rounded = (int)lround (value / 2) * 2;

  return MAX (rounded, 2);
}

static int
resolve_dim (Dim dim,
             int source)
{
  return dim.percent ? (int)lround ((double)source * dim.value / 100) : dim.value;
}

/* MES's AutoSize: fit inside the box keeping the source's display aspect
 * ratio, with square pixels; a missing side follows the other.
 */
static void
fit_size (const Source *source,
          Dim           width,
          Dim           height,
          int          *out_width,
          int          *out_height)
{
  double aspect = source->aspect > 0 ? source->aspect : 16.0 / 9.0;
  double display_width = source->height > 0 ? source->height * aspect : 1280;
  int    w = resolve_dim (width, (int)lround (display_width));
  int    h = resolve_dim (height, source->height > 0 ? source->height : 720);

  if (w <= 0 && h <= 0)
    {
      w = (int)lround (display_width);
      h = source->height > 0 ? source->height : 720;
    }
  else if (w <= 0)
    w = (int)lround (h * aspect);
  else if (h <= 0)
    h = (int)lround (w / aspect);
  else if (aspect > (double)w / h + 0.01)
    h = (int)lround (w / aspect);
  else if (aspect < (double)w / h - 0.01)
    w = (int)lround (h * aspect);

  *out_width = even (w);
  *out_height = even (h);
}

typedef struct
{
  const char *basename;
  int         video_kbps;
  int         audio_kbps;
  int         width;
  int         height;
  guint       index;
  const char *extension;
  const char *codec;
  int         channels;
  int         rate;
  const char *label;
} Macros;

static char *
expand_file_name (const char *template,
                  const Macros *m)
{
  GString    *name = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      const char      *end = p[0] == '{' ? strchr (p, '}') : NULL;
      g_autofree char *key = NULL;

      if (end == NULL)
        {
          g_string_append_c (name, *p++);
          continue;
        }

      key = g_strndup (p + 1, end - p - 1);
      p = end + 1;
      if (g_str_equal (key, "Basename"))
        g_string_append (name, m->basename);
      else if (g_str_equal (key, "Bitrate"))
        g_string_append_printf (name, "%d", m->video_kbps > 0 ? m->video_kbps : m->audio_kbps);
      else if (g_str_equal (key, "VideoBitrate"))
        g_string_append_printf (name, "%d", m->video_kbps);
      else if (g_str_equal (key, "AudioBitrate"))
        g_string_append_printf (name, "%d", m->audio_kbps);
      else if (g_str_equal (key, "Width"))
        g_string_append_printf (name, "%d", m->width);
      else if (g_str_equal (key, "Height"))
        g_string_append_printf (name, "%d", m->height);
      else if (g_str_equal (key, "Index"))
        g_string_append_printf (name, "%u", m->index);
      else if (g_str_equal (key, "Extension"))
        g_string_append (name, m->extension);
      else if (g_str_equal (key, "Codec"))
        g_string_append (name, m->codec);
      else if (g_str_equal (key, "Channels"))
        g_string_append_printf (name, "%d", m->channels);
      else if (g_str_equal (key, "SamplingRate"))
        g_string_append_printf (name, "%d", m->rate);
      else if (g_str_equal (key, "Label"))
        g_string_append (name, m->label != NULL ? m->label : "");
    }

  /* A file name, never a path. */
  g_strdelimit (name->str, "/\\", '_');

  return g_string_free (name, FALSE);
}

static double
spec_seconds (TimeSpec      spec,
              const Source *source,
              double        fallback)
{
  double duration = (double)source->duration_ns / GST_SECOND;
  double fps = source->fps > 0 ? source->fps : 25;

  switch (spec.kind)
    {
    case SPEC_TIME:
      return spec.value;
    case SPEC_PERCENT:
      return duration * spec.value / 100;
    case SPEC_FRAME:
      return spec.value / fps;
    case SPEC_BEST:
      return duration / 10;
    case SPEC_UNSET:
    default:
      return fallback;
    }
}

static GArray *
image_times (const ImageCodec *codec,
             const Source     *source)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  double  duration = (double)source->duration_ns / GST_SECOND;
  double  fps = source->fps > 0 ? source->fps : 25;
  double  last = MAX (0, duration - 2 / fps);
  double  start = spec_seconds (codec->start, source, 0);

  if (codec->step.kind == SPEC_UNSET)
    {
      gint64 t = (gint64)(MIN (start, last) * GST_SECOND);

      g_array_append_val (times, t);
      return times;
    }

  {
    double step = MAX (spec_seconds (codec->step, source, 1), 1 / fps);
    double end = codec->range.kind == SPEC_UNSET ? duration : start + spec_seconds (codec->range, source, duration);

    for (double t = start; t <= end + 1e-6 && t < duration && times->len < MAX_IMAGES; t += step)
      {
        gint64 ns = (gint64)(MIN (t, last) * GST_SECOND);

        g_array_append_val (times, ns);
      }
  }

  if (times->len == 0)
    {
      gint64 t = (gint64)(MIN (start, last) * GST_SECOND);

      g_array_append_val (times, t);
    }

  return times;
}

static Step *
step_new (StepKind kind)
{
  Step *step = g_new0 (Step, 1);

  step->kind = kind;
  step->paths = g_ptr_array_new_with_free_func (g_free);

  return step;
}

static gboolean
add_path (Run        *run,
          GHashTable *names,
          Step       *step,
          char       *name, /* transfer full */
          const char *template,
          GError **error)
{
  if (g_hash_table_contains (names, name))
    {
      unsupported (error, "The FileName “%s” names more than one file (“%s”)", template, name);
      g_free (name);
      return FALSE;
    }

  g_hash_table_add (names, name);
  g_ptr_array_add (step->paths, g_build_filename (run->output_dir, name, NULL));
  return TRUE;
}

static char *
dup_basename (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);
  char            *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    *dot = '\0';

  return g_steal_pointer (&name);
}

/* Smooth Streaming: one video-only ISMV per layer and one audio-only
 * ISMV, so that every track is track 1 of its file, then the server
 * manifest (.ism) that lists them, first among the outputs.
 */
static gboolean
resolve_smooth_steps (Run        *run,
                      GHashTable *names,
                      GArray     *layers,
                      const char *basename,
                      GError    **error)
{
  JgEncodePlan *plan = run->plan;
  const Source *source = &run->source;
  g_autoptr(GString) smil = g_string_new (NULL);
  g_autofree char *client_manifest = g_markup_printf_escaped ("%s.ismc", basename);
  Step            *manifest;

  if (!source->has_video)
    {
      g_set_error_literal (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT,
                           "The input has no video");
      return FALSE;
    }

  g_string_append_printf (smil,
                          "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                          "<smil xmlns=\"http://www.w3.org/2001/SMIL20/Language\">\n"
                          "  <head>\n"
                          "    <meta name=\"clientManifestRelativePath\" content=\"%s\"/>\n"
                          "  </head>\n"
                          "  <body>\n"
                          "    <switch>\n",
                          client_manifest);

  for (guint i = 0; i <= layers->len; i++)
    {
      gboolean         audio = i == layers->len;
      Step            *step;
      Macros           m = { basename, 0, plan->audio_kbps };
      g_autofree char *name = NULL;
      g_autofree char *src = NULL;

      if (audio && !(plan->has_audio_codec && source->has_audio))
        break;

      step = step_new (STEP_ENCODE);
      g_ptr_array_add (run->steps, step);
      step->mime_type = "video/mp4";
      step->layer.no_video = audio;
      step->layer.no_audio = !audio;
      step->layer.fragment_ms = SMOOTH_FRAGMENT_MS;
      step->layer.audio_kbps = plan->audio_kbps;
      step->layer.audio_channels = plan->audio_channels;
      step->layer.audio_rate = plan->audio_rate;
      step->layer.keyframe_interval_ms = plan->keyframe_ms;
      if (!audio)
        {
          VideoLayer *layer = &g_array_index (layers, VideoLayer, i);

          fit_size (source, layer->width, layer->height, &step->layer.width, &step->layer.height);
          step->layer.video_kbps = layer->kbps;
          m.video_kbps = layer->kbps;
          m.width = step->layer.width;
          m.height = step->layer.height;
        }
      m.index = i + 1;
      m.extension = ".ismv";
      m.codec = audio ? "AAC" : "H264";
      m.channels = plan->audio_channels;
      m.rate = plan->audio_rate;
      name = expand_file_name (audio ? SMOOTH_AUDIO_FILE_NAME : SMOOTH_VIDEO_FILE_NAME, &m);
      src = g_markup_escape_text (name, -1);
      g_string_append_printf (smil,
                              "      <%s src=\"%s\" systemBitrate=\"%d\">\n"
                              "        <param name=\"trackID\" value=\"1\" valuetype=\"data\"/>\n"
                              "      </%s>\n",
                              audio ? "audio" : "video", src, (audio ? plan->audio_kbps : m.video_kbps) * 1000,
                              audio ? "audio" : "video");
      if (!add_path (run, names, step, g_steal_pointer (&name), audio ? SMOOTH_AUDIO_FILE_NAME : SMOOTH_VIDEO_FILE_NAME,
                     error))
        return FALSE;
    }

  g_string_append (smil,
                   "    </switch>\n"
                   "  </body>\n"
                   "</smil>\n");

  manifest = step_new (STEP_MANIFEST);
  g_ptr_array_add (run->steps, manifest);
  manifest->mime_type = "application/octet-stream";
  manifest->primary = TRUE;
  manifest->contents = g_string_free (g_steal_pointer (&smil), FALSE);

  return add_path (run, names, manifest, g_strdup_printf ("%s.ism", basename), "{Basename}.ism", error);
}

/* Turns the plan into steps for this source. */
static gboolean
resolve_steps (Run     *run,
               GError **error)
{
  JgEncodePlan *plan = run->plan;
  const Source *source = &run->source;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) layers = g_array_new (FALSE, TRUE, sizeof (VideoLayer));
  g_autofree char *basename = dup_basename (run->inputs[0]);

  /* Adaptive Streaming: the rungs no taller than the source. */
  if (plan->adaptive)
    {
      for (guint i = 0; i < G_N_ELEMENTS (adaptive_rungs); i++)
        if (adaptive_rungs[i].height <= source->height)
          {
            VideoLayer layer = { { 0, FALSE }, { adaptive_rungs[i].height, FALSE }, adaptive_rungs[i].kbps, NULL };

            g_array_append_val (layers, layer);
          }
      if (layers->len == 0)
        {
          VideoLayer layer = { { 0, FALSE }, { 0, FALSE }, adaptive_rungs[G_N_ELEMENTS (adaptive_rungs) - 1].kbps, NULL };

          g_array_append_val (layers, layer);
        }
    }
  else
    g_array_append_vals (layers, plan->video_layers->data, plan->video_layers->len);

  if (plan->smooth)
    return resolve_smooth_steps (run, names, layers, basename, error);

  for (guint o = 0; o < plan->outputs->len; o++)
    {
      Output *output = g_ptr_array_index (plan->outputs, o);

      if (output->format == FORMAT_MP4)
        {
          gboolean audio_only = !plan->has_video_codec || !source->has_video;

          if (!source->has_video && !source->has_audio)
            {
              g_set_error_literal (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT,
                                   "The input has neither video nor audio");
              return FALSE;
            }
          if (audio_only && (!plan->has_audio_codec || !source->has_audio))
            {
              g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT,
                           "The input has no %s", source->has_video ? "audio" : "video");
              return FALSE;
            }

          for (guint i = 0; i < (audio_only ? 1 : layers->len); i++)
            {
              Step       *step = step_new (STEP_ENCODE);
              VideoLayer *layer = audio_only ? NULL : &g_array_index (layers, VideoLayer, i);
              Macros      m = { basename, 0, plan->has_audio_codec && source->has_audio ? plan->audio_kbps : 0 };
              const char *template = output->file_name;

              g_ptr_array_add (run->steps, step);
              step->mime_type = audio_only ? "audio/mp4" : "video/mp4";
              step->layer.no_video = audio_only;
              step->layer.no_audio = !plan->has_audio_codec || !source->has_audio;
              step->layer.audio_kbps = plan->audio_kbps;
              step->layer.audio_channels = plan->audio_channels;
              step->layer.audio_rate = plan->audio_rate;
              step->layer.keyframe_interval_ms = plan->keyframe_ms;
              if (layer != NULL)
                {
                  fit_size (source, layer->width, layer->height, &step->layer.width, &step->layer.height);
                  step->layer.video_kbps = layer->kbps;
                  m.video_kbps = layer->kbps;
                  m.width = step->layer.width;
                  m.height = step->layer.height;
                  m.label = layer->label;
                }
              else if (plan->audio_only_name != NULL)
                template = plan->audio_only_name;
              m.index = i + 1;
              m.extension = ".mp4";
              m.codec = audio_only ? "AAC" : "H264";
              m.channels = plan->audio_channels;
              m.rate = plan->audio_rate;
              if (!add_path (run, names, step, expand_file_name (template, &m), template, error))
                return FALSE;
            }
        }
      else
        {
          JgImageFormat format = output->format == FORMAT_PNG ? JG_IMAGE_FORMAT_PNG : JG_IMAGE_FORMAT_JPEG;

          if (!source->has_video)
            {
              g_set_error_literal (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT,
                                   "The input has no video to take images from");
              return FALSE;
            }

          for (guint c = 0; c < plan->images->len; c++)
            {
              ImageCodec *codec = g_ptr_array_index (plan->images, c);

              if (codec->format != format)
                continue;

              for (guint l = 0; l < codec->layers->len; l++)
                {
                  ImageLayer *layer = &g_array_index (codec->layers, ImageLayer, l);
                  Step       *step = step_new (STEP_IMAGES);

                  g_ptr_array_add (run->steps, step);
                  step->mime_type = format == JG_IMAGE_FORMAT_PNG ? "image/png" : "image/jpeg";
                  step->format = format;
                  step->quality = layer->quality;
                  step->times = image_times (codec, source);
                  fit_size (source, layer->width, layer->height, &step->width, &step->height);
                  for (guint i = 0; i < step->times->len; i++)
                    {
                      Macros m = { basename, 0, 0, step->width, step->height, i + 1,
                                   format == JG_IMAGE_FORMAT_PNG ? ".png" : ".jpg",
                                   format == JG_IMAGE_FORMAT_PNG ? "PngImage" : "JpgImage", 0, 0, layer->label };

                      if (!add_path (run, names, step, expand_file_name (output->file_name, &m), output->file_name, error))
                        return FALSE;
                    }
                }
            }
        }
    }

  return TRUE;
}

/* Running: one step after another */

static void run_next (GTask *task);

static void
fail (GTask  *task,
      GError *error)
{
  Run *run = g_task_get_task_data (task);

  /* Never leave part of an output behind. */
  for (guint i = 0; i < run->written->len; i++)
    g_unlink (g_ptr_array_index (run->written, i));
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
report (Run   *run,
        double step_percent)
{
  double percent = 100.0 * (run->current + CLAMP (step_percent, 0, 100) / 100) / MAX (run->steps->len, 1);

  percent = MIN (percent, 99.9);
  if (percent < run->last_progress)
    return;
  run->last_progress = percent;
  if (run->progress != NULL)
    run->progress (percent, run->progress_data);
}

static void
step_progress_cb (double   percent,
                  gpointer user_data)
{
  report (g_task_get_task_data (user_data), percent);
}

static void
copy_progress_cb (goffset  current,
                  goffset  total,
                  gpointer user_data)
{
  if (total > 0)
    report (g_task_get_task_data (user_data), 100.0 * current / total);
}

static void
step_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask   *task = user_data;
  Run     *run = g_task_get_task_data (task);
  Step    *step = g_ptr_array_index (run->steps, run->current);
  GError  *error = NULL;
  gboolean ok;

  switch (step->kind)
    {
    case STEP_ENCODE:
      ok = jg_emulator_encode_finish (result, &error);
      break;
    case STEP_IMAGES:
      ok = jg_emulator_images_finish (result, &error);
      break;
    case STEP_MANIFEST:
      g_assert_not_reached ();
    case STEP_COPY:
    default:
      ok = g_file_copy_finish (G_FILE (source_object), result, &error);
      break;
    }

  if (!ok)
    {
      fail (task, error);
      return;
    }

  run->current++;
  run_next (task);
}

static void
finish_run (GTask *task)
{
  Run       *run = g_task_get_task_data (task);
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify)jg_emulator_file_info_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  /* The primary step's files first (the .ism of Smooth Streaming, written
   * last), then the others in the order they were written.
   */
  for (guint s = 0; s < run->steps->len; s++)
    if (((Step *)g_ptr_array_index (run->steps, s))->primary)
      g_ptr_array_add (order, g_ptr_array_index (run->steps, s));
  for (guint s = 0; s < run->steps->len; s++)
    if (!((Step *)g_ptr_array_index (run->steps, s))->primary)
      g_ptr_array_add (order, g_ptr_array_index (run->steps, s));

  for (guint s = 0; s < order->len; s++)
    {
      Step *step = g_ptr_array_index (order, s);

      for (guint i = 0; i < step->paths->len; i++)
        {
          const char      *path = g_ptr_array_index (step->paths, i);
          g_autofree char *name = g_path_get_basename (path);
          GStatBuf         buf;

          if (g_stat (path, &buf) != 0)
            {
              g_ptr_array_unref (files);
              fail (task, g_error_new (JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_FAILED,
                                       "“%s” was not written", name));
              return;
            }
          g_ptr_array_add (files, jg_emulator_file_info_new (name, buf.st_size, step->mime_type, files->len == 0));
        }
    }

  if (run->progress != NULL)
    run->progress (100.0, run->progress_data);
  g_task_return_pointer (task, files, (GDestroyNotify)g_ptr_array_unref);
  g_object_unref (task);
}

static void
run_next (GTask *task)
{
  Run          *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError       *error = NULL;
  Step         *step;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      fail (task, error);
      return;
    }

  if (run->current == run->steps->len)
    {
      finish_run (task);
      return;
    }

  step = g_ptr_array_index (run->steps, run->current);
  for (guint i = 0; i < step->paths->len; i++)
    g_ptr_array_add (run->written, g_strdup (g_ptr_array_index (step->paths, i)));
  report (run, 0);

  switch (step->kind)
    {
    case STEP_ENCODE:
      jg_emulator_encode_async (run->inputs[0], g_ptr_array_index (step->paths, 0), &step->layer, step_progress_cb,
                                task, cancellable, step_done_cb, task);
      break;

    case STEP_IMAGES:
      g_ptr_array_add (step->paths, NULL);
      jg_emulator_images_async (run->inputs[0], (const char *const *)step->paths->pdata,
                                (const gint64 *)(gpointer)step->times->data, step->format, step->width, step->height,
                                step->quality, step_progress_cb, task, cancellable, step_done_cb, task);
      g_ptr_array_remove_index (step->paths, step->paths->len - 1);
      break;

    case STEP_MANIFEST:
      /* Small: written here, in one go. */
      if (!g_file_set_contents (g_ptr_array_index (step->paths, 0), step->contents, -1, &error))
        {
          fail (task, error);
          return;
        }
      run->current++;
      run_next (task);
      break;

    case STEP_COPY:
    default:
      {
        g_autoptr(GFile) source = g_file_new_for_path (step->source);
        g_autoptr(GFile) destination = g_file_new_for_path (g_ptr_array_index (step->paths, 0));

        g_file_copy_async (source, destination, G_FILE_COPY_NONE, G_PRIORITY_DEFAULT, cancellable, copy_progress_cb,
                           task, step_done_cb, task);
      }
      break;
    }
}

/* Looking at the source */

static GError *
error_from_discoverer (GstDiscovererInfo *info,
                       const GError      *error)
{
  GstDiscovererResult result = gst_discoverer_info_get_result (info);
  int                 code = JG_EMULATOR_ENCODER_ERROR_FAILED;

  if (result == GST_DISCOVERER_MISSING_PLUGINS)
    code = JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT;
  else if (error != NULL && error->domain == GST_STREAM_ERROR &&
           (error->code == GST_STREAM_ERROR_TYPE_NOT_FOUND || error->code == GST_STREAM_ERROR_WRONG_TYPE ||
            error->code == GST_STREAM_ERROR_CODEC_NOT_FOUND))
    code = JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT;
  else if (error != NULL && error->domain == GST_STREAM_ERROR &&
           (error->code == GST_STREAM_ERROR_DECODE || error->code == GST_STREAM_ERROR_DEMUX ||
            error->code == GST_STREAM_ERROR_FORMAT))
    code = JG_EMULATOR_ENCODER_ERROR_MALFORMED_INPUT;

  return g_error_new (JG_EMULATOR_ENCODER_ERROR, code, "The input could not be read: %s",
                      error != NULL ? error->message : "the decoders it needs are not installed");
}

static void
discover_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_autoptr(GstDiscoverer) discoverer = NULL;
  g_autoptr(GstDiscovererInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  discoverer = gst_discoverer_new (30 * GST_SECOND, &error);
  if (discoverer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  info = gst_discoverer_discover_uri (discoverer, task_data, &error);
  if (info == NULL || gst_discoverer_info_get_result (info) != GST_DISCOVERER_OK)
    {
      g_task_return_error (task, info != NULL ? error_from_discoverer (info, error)
                                              : g_error_new (JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_FAILED,
                                                             "The input could not be read: %s",
                                                             error != NULL ? error->message : "unknown error"));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&info), g_object_unref);
}

static void
discovered_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Run   *run = g_task_get_task_data (task);
  g_autoptr(GstDiscovererInfo) info = NULL;
  GList  *videos;
  GError *error = NULL;

  info = g_task_propagate_pointer (G_TASK (result), &error);
  if (info == NULL)
    {
      fail (task, error);
      return;
    }

  videos = gst_discoverer_info_get_video_streams (info);
  run->source.has_video = FALSE;
  for (GList *l = videos; l != NULL; l = l->next)
    if (!gst_discoverer_video_info_is_image (l->data))
      {
        GstDiscovererVideoInfo *video = l->data;
        guint                   par_n = gst_discoverer_video_info_get_par_num (video);
        guint                   par_d = gst_discoverer_video_info_get_par_denom (video);
        guint                   fps_n = gst_discoverer_video_info_get_framerate_num (video);
        guint                   fps_d = gst_discoverer_video_info_get_framerate_denom (video);

        run->source.has_video = TRUE;
        run->source.width = gst_discoverer_video_info_get_width (video);
        run->source.height = gst_discoverer_video_info_get_height (video);
        run->source.aspect = run->source.height > 0
                               ? (double)run->source.width * (par_n > 0 ? par_n : 1) / (par_d > 0 ? par_d : 1) / run->source.height
                               : 0;
        run->source.fps = fps_d > 0 ? (double)fps_n / fps_d : 0;
        break;
      }
  gst_discoverer_stream_info_list_free (videos);
  {
    GList *audios = gst_discoverer_info_get_audio_streams (info);

    run->source.has_audio = audios != NULL;
    gst_discoverer_stream_info_list_free (audios);
  }
  run->source.duration_ns = (gint64)gst_discoverer_info_get_duration (info);

  if (!resolve_steps (run, &error))
    {
      fail (task, error);
      return;
    }

  run_next (task);
}

/* Every element the plan needs, looked for before the source is probed:
 * GstDiscoverer needs uridecodebin too, and without it would fail with a
 * message that does not say what to install.
 */
static gboolean
check_elements (JgEncodePlan *plan,
                GError      **error)
{
  for (guint o = 0; o < plan->outputs->len; o++)
    {
      Output *output = g_ptr_array_index (plan->outputs, o);

      if (output->format == FORMAT_MP4)
        {
          JgEncodeLayer layer = { 0 };

          layer.no_video = !plan->has_video_codec;
          layer.no_audio = !plan->has_audio_codec;
          layer.fragment_ms = plan->smooth ? SMOOTH_FRAGMENT_MS : 0;
          if (!jg_emulator_encode_check (&layer, error))
            return FALSE;
        }
      else if (!jg_emulator_images_check (output->format == FORMAT_PNG ? JG_IMAGE_FORMAT_PNG : JG_IMAGE_FORMAT_JPEG,
                                          error))
        return FALSE;
    }

  return TRUE;
}

/* Public API */

/**
 * jg_encode_plan_new:
 * @processor_id: the task's MediaProcessorId
 * @configuration: (nullable): the task's Configuration
 *
 * Parses what a task asks for; touches no files.
 *
 * Returns: (transfer full): the plan, or %NULL with
 *   %JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR or
 *   %JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET naming the part
 */
JgEncodePlan *
jg_encode_plan_new (const char *processor_id,
                    const char *configuration,
                    GError    **error)
{
  const JgProcessorInfo *info = jg_catalog_lookup (processor_id);
  g_autoptr(JgEncodePlan) plan = NULL;
  g_autofree char *config = g_strstrip (g_strdup (configuration != NULL ? configuration : ""));

  if (info == NULL)
    {
      g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR,
                   "The media processor “%s” is not available on the Local service",
                   processor_id != NULL ? processor_id : "");
      return NULL;
    }

  if (g_str_equal (info->name, "Storage Decryption"))
    return plan_alloc (PLAN_COPY, info->name);

  if (!is_encoder (info))
    {
      g_set_error (error, JG_EMULATOR_ENCODER_ERROR, JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR,
                   "%s is not available on the Local service", info->name);
      return NULL;
    }

  plan = plan_alloc (PLAN_ENCODE, info->name);
  /* Presets saved by Windows tools may start with a byte order mark. */
  if (g_str_has_prefix (config, "\xEF\xBB\xBF"))
    memmove (config, config + 3, strlen (config + 3) + 1);
  if (*config == '\0')
    unsupported (error, "%s needs a preset name or a JSON preset", info->name);
  else if (*config == '<')
    unsupported (error, "%s on the Local service runs preset names and JSON presets, not XML presets", info->name);
  else if (*config == '{' ? !plan_json (plan, config, error) : !plan_builtin (plan, info, config, error))
    ;
  else
    return g_steal_pointer (&plan);

  return NULL;
}

/**
 * jg_encode_plan_free:
 *
 * Frees @plan; a run in progress keeps what it needs.
 */
void
jg_encode_plan_free (JgEncodePlan *plan)
{
  if (plan == NULL || !g_atomic_ref_count_dec (&plan->ref_count))
    return;

  g_free (plan->processor_name);
  g_free (plan->preset_name);
  g_free (plan->audio_only_name);
  g_array_unref (plan->video_layers);
  g_ptr_array_unref (plan->images);
  g_ptr_array_unref (plan->outputs);
  g_free (plan);
}

static void
append_audio (GString      *text,
              JgEncodePlan *plan)
{
  if (plan->audio_channels == 6)
    g_string_append_printf (text, "AAC audio (5.1 when the source has it, %d kb/s)", plan->audio_kbps);
  else
    g_string_append_printf (text, "AAC audio (%s, %d kb/s)",
                            plan->audio_channels == 1   ? "mono"
                            : plan->audio_channels == 2 ? "stereo"
                                                        : "multichannel",
                            plan->audio_kbps);
}

static void
append_size (GString   *text,
             const Dim *width,
             const Dim *height)
{
  if (width->value == 0 && height->value == 0)
    g_string_append (text, "the source's size");
  else
    g_string_append_printf (text, "%d%s×%d%s", width->value, width->percent ? "%" : "", height->value,
                            height->percent ? "%" : "");
}

/**
 * jg_encode_plan_describe:
 *
 * Returns: (transfer full): one line saying what the plan writes
 */
char *
jg_encode_plan_describe (JgEncodePlan *plan)
{
  GString *text = g_string_new (NULL);
  guint    n = plan->video_layers->len;

  g_return_val_if_fail (plan != NULL, NULL);

  if (plan->kind == PLAN_COPY)
    {
      g_string_append (text, "Copies of the input files");
      return g_string_free (text, FALSE);
    }

  if (plan->adaptive)
    {
      g_string_append (text, "H.264 MP4s in a ladder from the source's size (heights 1080 to 180, none taller than the source) with ");
      append_audio (text, plan);
    }
  else if (plan->has_video_codec && n > 0)
    {
      const VideoLayer *first = &g_array_index (plan->video_layers, VideoLayer, 0);
      const VideoLayer *last = &g_array_index (plan->video_layers, VideoLayer, n - 1);

      if (plan->smooth)
        g_string_append_printf (text, "Smooth Streaming: a server manifest (.ism) and %u H.264 ISMVs (", n);
      else if (n == 1)
        g_string_append (text, "An H.264 MP4 (");
      else
        g_string_append_printf (text, "%u H.264 MP4s (", n);
      append_size (text, &first->width, &first->height);
      g_string_append_printf (text, " at %d kb/s", first->kbps);
      if (n > 1)
        {
          g_string_append (text, " … ");
          append_size (text, &last->width, &last->height);
          g_string_append_printf (text, " at %d kb/s", last->kbps);
        }
      g_string_append (text, ")");
      if (plan->has_audio_codec)
        {
          g_string_append (text, plan->smooth ? " and an ISMV of " : " with ");
          append_audio (text, plan);
        }
      else
        g_string_append (text, " without audio");
    }
  else if (plan->has_audio_codec)
    {
      g_string_append (text, "An MP4 of ");
      append_audio (text, plan);
    }

  for (guint i = 0; i < plan->images->len; i++)
    {
      ImageCodec *codec = g_ptr_array_index (plan->images, i);

      g_string_append_printf (text, "%s%s images", text->len > 0 ? "; " : "",
                              codec->format == JG_IMAGE_FORMAT_PNG ? "PNG" : "JPEG");
      if (codec->layers->len > 0)
        {
          ImageLayer *layer = &g_array_index (codec->layers, ImageLayer, 0);

          g_string_append (text, " at ");
          append_size (text, &layer->width, &layer->height);
        }
      if (plan->preset_name != NULL)
        g_string_append (text, ", one every 10% of the duration");
    }

  return g_string_free (text, FALSE);
}

/**
 * jg_encode_plan_run_async:
 * @input_paths: (array zero-terminated=1): the input asset's files; [0]
 *   is the media input
 * @output_dir: an existing, empty folder for the output files
 * @progress: (nullable): 0–100 over the whole plan, in the caller's
 *   thread-default main context
 *
 * Writes the plan's files. On failure or cancel every file it wrote is
 * removed again.
 */
void
jg_encode_plan_run_async (JgEncodePlan        *plan,
                          const char *const   *input_paths,
                          const char          *output_dir,
                          JgEncodeProgressFunc progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  Run   *run;

  g_return_if_fail (plan != NULL);
  g_return_if_fail (input_paths != NULL && input_paths[0] != NULL);
  g_return_if_fail (output_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, jg_encode_plan_run_async);

  run = g_new0 (Run, 1);
  run->plan = plan_ref (plan);
  run->inputs = g_strdupv ((char **)input_paths);
  run->output_dir = g_strdup (output_dir);
  run->progress = progress;
  run->progress_data = progress_data;
  run->steps = g_ptr_array_new_with_free_func ((GDestroyNotify)step_free);
  run->written = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, run, (GDestroyNotify)run_free);

  if (plan->kind == PLAN_COPY)
    {
      g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; run->inputs[i] != NULL; i++)
        {
          char *name = g_path_get_basename (run->inputs[i]);
          Step *step;

          /* Two inputs of one name: the first (the primary) wins. */
          if (g_hash_table_contains (names, name))
            {
              g_free (name);
              continue;
            }
          step = step_new (STEP_COPY);
          step->source = g_strdup (run->inputs[i]);
          step->mime_type = "application/octet-stream";
          {
            g_autofree char *type = g_content_type_guess (name, NULL, 0, NULL);
            g_autofree char *mime = g_content_type_get_mime_type (type);

            step->mime_type = g_intern_string (mime != NULL ? mime : "application/octet-stream");
          }
          g_ptr_array_add (step->paths, g_build_filename (output_dir, name, NULL));
          g_hash_table_add (names, name);
          g_ptr_array_add (run->steps, step);
        }
      run_next (task);
      return;
    }

  {
    GError *error = NULL;
    GTask  *discover;
    char   *uri;

    if (!gst_init_check (NULL, NULL, &error) || !check_elements (plan, &error) ||
        (uri = g_filename_to_uri (run->inputs[0], NULL, &error)) == NULL)
      {
        fail (task, error);
        return;
      }

    discover = g_task_new (NULL, cancellable, discovered_cb, task);
    g_task_set_task_data (discover, uri, g_free);
    g_task_run_in_thread (discover, discover_thread);
    g_object_unref (discover);
  }
}

/**
 * jg_encode_plan_run_finish:
 *
 * Returns: (transfer full) (element-type JgEmulatorFileInfo): the files
 *   written into the output folder, the first of them the primary one
 */
GPtrArray *
jg_encode_plan_run_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
