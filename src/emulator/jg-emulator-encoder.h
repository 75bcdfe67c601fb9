/* jg-emulator-encoder.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JG_EMULATOR_ENCODER_ERROR (jg_emulator_encoder_error_quark ())

/* The ErrorDetail a failure maps to is the caller's business; these say
 * what went wrong in GStreamer terms.
 */
typedef enum
{
  JG_EMULATOR_ENCODER_ERROR_MISSING_ELEMENT,
  JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_FORMAT,
  JG_EMULATOR_ENCODER_ERROR_MALFORMED_INPUT,
  JG_EMULATOR_ENCODER_ERROR_FAILED,
  JG_EMULATOR_ENCODER_ERROR_UNSUPPORTED_PRESET,
  JG_EMULATOR_ENCODER_ERROR_UNAVAILABLE_PROCESSOR,
} JgEmulatorEncoderError;

/* One rendition: H.264 video at a size and bit rate, AAC audio. A width
 * or height of 0 keeps the source's (the other follows its aspect). The
 * fields after audio_kbps may stay 0: 0 keeps the source's channels and
 * sampling rate and the encoder's key frame interval. audio_channels is
 * an upper bound: audio is downmixed to it, never upmixed.
 */
typedef struct
{
  int      width;
  int      height;
  int      video_kbps;
  int      audio_kbps;
  int      audio_channels;
  int      audio_rate;
  int      keyframe_interval_ms;
  gboolean no_video; /* an audio-only MP4 */
  gboolean no_audio; /* drop the source's audio */
  int      fragment_ms; /* > 0: a fragmented Smooth Streaming file (ismlmux) */
} JgEncodeLayer;

typedef enum
{
  JG_IMAGE_FORMAT_JPEG,
  JG_IMAGE_FORMAT_PNG,
} JgImageFormat;

typedef void (*JgEncodeProgressFunc) (double   percent,
                                      gpointer user_data);

/* clang-format off */
GQuark   jg_emulator_encoder_error_quark (void);
gboolean jg_emulator_encode_check        (const JgEncodeLayer  *layer,
                                          GError              **error);
gboolean jg_emulator_images_check        (JgImageFormat         format,
                                          GError              **error);
void     jg_emulator_encode_async        (const char           *input_path,
                                          const char           *output_path,
                                          const JgEncodeLayer  *layer,
                                          JgEncodeProgressFunc  progress,
                                          gpointer              progress_data,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean jg_emulator_encode_finish       (GAsyncResult         *result,
                                          GError              **error);
void     jg_emulator_images_async        (const char           *input_path,
                                          const char * const   *output_paths,
                                          const gint64         *times_ns,
                                          JgImageFormat         format,
                                          int                   width,
                                          int                   height,
                                          int                   quality,
                                          JgEncodeProgressFunc  progress,
                                          gpointer              progress_data,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean jg_emulator_images_finish       (GAsyncResult         *result,
                                          GError              **error);
/* clang-format on */

G_END_DECLS
