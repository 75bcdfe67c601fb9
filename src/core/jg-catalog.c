/* jg-catalog.c
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "jg-catalog"

#include "config.h"

#include <string.h>

#include "jg-catalog.h"

/* The media processors and preset names the service knew, from
 * ../shared/docs/ams-rest-v2.md §6 (ids were global constants).
 */

static const char *const mes_presets[] = {
  "Adaptive Streaming",
  "Content Adaptive Multiple Bitrate MP4",
  "H264 Multiple Bitrate 1080p Audio 5.1",
  "H264 Multiple Bitrate 1080p",
  "H264 Multiple Bitrate 16x9 for iOS",
  "H264 Multiple Bitrate 16x9 SD Audio 5.1",
  "H264 Multiple Bitrate 16x9 SD",
  "H264 Multiple Bitrate 4K Audio 5.1",
  "H264 Multiple Bitrate 4K",
  "H264 Multiple Bitrate 4x3 for iOS",
  "H264 Multiple Bitrate 4x3 SD Audio 5.1",
  "H264 Multiple Bitrate 4x3 SD",
  "H264 Multiple Bitrate 720p Audio 5.1",
  "H264 Multiple Bitrate 720p",
  "H264 Single Bitrate 1080p Audio 5.1",
  "H264 Single Bitrate 1080p",
  "H264 Single Bitrate 4K Audio 5.1",
  "H264 Single Bitrate 4K",
  "H264 Single Bitrate 4x3 SD Audio 5.1",
  "H264 Single Bitrate 4x3 SD",
  "H264 Single Bitrate 16x9 SD Audio 5.1",
  "H264 Single Bitrate 16x9 SD",
  "H264 Single Bitrate 720p Audio 5.1",
  "H264 Single Bitrate 720p for Android",
  "H264 Single Bitrate 720p",
  "H264 Single Bitrate High Quality SD for Android",
  "H264 Single Bitrate Low Quality SD for Android",
  NULL
};

/* Azure Media Encoder (all versions): its v2 strings, then the v1 strings
 * still seen in documentation and tests.
 */
static const char *const ame_presets[] = {
  "WMA High Quality Audio",
  "AAC Good Quality Audio",
  "VC1 Broadband 1080p",
  "VC1 Broadband 720p",
  "VC1 Broadband SD 16x9",
  "VC1 Broadband SD 4x3",
  "VC1 Smooth Streaming 1080p",
  "VC1 Smooth Streaming 720p",
  "VC1 Smooth Streaming SD 16x9",
  "VC1 Smooth Streaming SD 4x3",
  "VC1 Smooth Streaming 1080p Xbox Live ADK",
  "VC1 Smooth Streaming 720p Xbox Live ADK",
  "H264 Broadband 1080p",
  "H264 Broadband 720p",
  "H264 Broadband SD 16x9",
  "H264 Broadband SD 4x3",
  "H264 Smooth Streaming 1080p",
  "H264 Smooth Streaming 720p",
  "H264 Smooth Streaming 720p for 3G or 4G",
  "H264 Smooth Streaming SD 16x9",
  "H264 Smooth Streaming SD 4x3",
  "H264 Adaptive Bitrate MP4 Set 1080p",
  "H264 Adaptive Bitrate MP4 Set 720p",
  "H264 Adaptive Bitrate MP4 Set SD 16x9",
  "H264 Adaptive Bitrate MP4 Set SD 4x3",
  "H264 Adaptive Bitrate MP4 Set 1080p for iOS Cellular Only",
  "H264 Adaptive Bitrate MP4 Set 720p for iOS Cellular Only",
  "H264 Adaptive Bitrate MP4 Set SD 16x9 for iOS Cellular Only",
  "H264 Adaptive Bitrate MP4 Set SD 4x3 for iOS Cellular Only",
  "H264 Smooth Streaming 720p Xbox Live ADK",
  "H264 Smooth Streaming Windows Phone 7 Series",
  "Thumbnails",
  "H.264 HD 720p VBR",
  "H.264 iPad",
  "H.264 256k DSL CBR",
  NULL
};

#define MES "Media Encoder Standard"

static const JgProcessorInfo processors[] = {
  { "nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56", MES, "Microsoft", "1.1",
    "Encodes to H.264/AAC MP4 sets for adaptive streaming, and makes thumbnails",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_NAMED, mes_presets },
  { "nb:mpid:UUID:77fea72a-107c-439e-b0bb-f88153b93461", "Media Encoder Premium Workflow", "Microsoft", "1.0",
    "Runs a Premium Workflow (the .workflow file is the first input)",
    FALSE, NULL, FALSE, JG_CONFIG_KIND_ANY, NULL },
  { "nb:mpid:UUID:2e7aa8f3-4961-4e0c-b4db-0e0439e524f5", "Azure Media Encoder", "Microsoft", "4.4",
    "The first-generation encoder",
    TRUE, MES, TRUE, JG_CONFIG_KIND_NAMED, ame_presets },
  { "nb:mpid:UUID:2f381738-c504-4e4a-a38e-d199e207fcd5", "Windows Azure Media Encoder", "Microsoft", "3.7",
    "An early version of the first-generation encoder",
    TRUE, MES, TRUE, JG_CONFIG_KIND_NAMED, ame_presets },
  { "nb:mpid:UUID:70bdc2c3-ebf4-42a9-8542-5afc1e55d217", "Windows Azure Media Encoder", "Microsoft", "2.1",
    "An early version of the first-generation encoder",
    TRUE, MES, TRUE, JG_CONFIG_KIND_NAMED, ame_presets },
  { "nb:mpid:UUID:1b1da727-93ae-4e46-a8a1-268828765609", "Windows Azure Media Encoder", "Microsoft", "3.0",
    "An early version of the first-generation encoder",
    TRUE, MES, TRUE, JG_CONFIG_KIND_NAMED, ame_presets },
  { "nb:mpid:UUID:a2f9afe9-7146-4882-a5f7-da4a85e06a93", "Windows Azure Media Packager", "Microsoft", "2.7",
    "Packages MP4 sets as Smooth Streaming (takes an XML task definition)",
    TRUE, "dynamic packaging", TRUE, JG_CONFIG_KIND_XML, NULL },
  { "nb:mpid:UUID:38a620d8-b8dc-4e39-bb2e-7d589587232b", "Windows Azure Media Encryptor", "Microsoft", "2.7",
    "Encrypts Smooth Streaming with PlayReady (takes an XML task definition)",
    TRUE, "dynamic encryption", TRUE, JG_CONFIG_KIND_XML, NULL },
  { "nb:mpid:UUID:aec03716-7c5e-4f68-b592-f4850eba9f10", "Storage Decryption", "Microsoft", "1.6",
    "Decrypts a storage-encrypted asset",
    TRUE, NULL, FALSE, JG_CONFIG_KIND_ANY, NULL },
  { "nb:mpid:UUID:233e57fc-36bb-4f6f-8f18-3b662747a9f8", "Azure Media Indexer", "Microsoft", "1.2",
    "Makes captions and keywords from speech (optional XML configuration)",
    FALSE, NULL, FALSE, JG_CONFIG_KIND_XML, NULL },
  { "nb:mpid:UUID:1927f26d-0aa5-4ca1-95a3-1a3f95b0f706", "Azure Media Indexer 2 Preview", "Microsoft", "1.0",
    "Speech to text in several languages (JSON configuration)",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_JSON, NULL },
  { "nb:mpid:UUID:074c3899-d9fb-448f-9ae1-4ebcbe633056", "Azure Media OCR", "Microsoft", "1.1",
    "Reads text in video frames (JSON configuration)",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_JSON, NULL },
  { "nb:mpid:UUID:6a9b8239-81ea-4762-8125-66b4f45737a2", "Azure Media Face Detector", "Microsoft", "1.0",
    "Finds faces and emotions (JSON configuration)",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_JSON, NULL },
  { "nb:mpid:UUID:3806d7a6-4985-4437-b098-50e3733310e8", "Azure Media Redactor", "Microsoft", "1.0",
    "Blurs faces (JSON configuration)",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_JSON, NULL },
  { "nb:mpid:UUID:464c4ede-daad-4edd-9c3c-3b5f667eef08", "Azure Media Motion Detector", "Microsoft", "1.0",
    "Finds motion in fixed-camera video (JSON configuration)",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_JSON, NULL },
  { "nb:mpid:UUID:db657ff0-fc6e-407c-a03a-80fdca3b81cd", "Azure Media Hyperlapse", "Microsoft", "1.0",
    "Makes smooth time-lapse video (XML or JSON configuration)",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_ANY, NULL },
  { "nb:mpid:UUID:bb312589-3bd4-4f2e-af26-2df8a984b395", "Azure Media Content Moderator", "Microsoft", "1.0",
    "Flags adult and racy content (JSON configuration)",
    FALSE, NULL, FALSE, JG_CONFIG_KIND_JSON, NULL },
  { "nb:mpid:UUID:4b8b1e57-3bf3-4a07-b21a-12c3cdcc0894", "Azure Media Video Annotator", "Microsoft", "1.0",
    "Labels objects and scenes (JSON configuration)",
    FALSE, NULL, FALSE, JG_CONFIG_KIND_JSON, NULL },
  { "nb:mpid:UUID:d4d94427-b8e7-44b5-addb-5f3a26124385", "Azure Media Video Thumbnails", "Microsoft", "1.0",
    "Makes a video summary of the best shots (JSON configuration)",
    FALSE, NULL, TRUE, JG_CONFIG_KIND_JSON, NULL },
};

/**
 * jg_catalog_get_processors:
 * @n_processors: (out): how many
 *
 * Returns: (array length=n_processors): every known processor, current ones
 *   first
 */
const JgProcessorInfo *
jg_catalog_get_processors (guint *n_processors)
{
  g_return_val_if_fail (n_processors != NULL, NULL);

  *n_processors = G_N_ELEMENTS (processors);

  return processors;
}

/**
 * jg_catalog_lookup:
 * @processor_id: (nullable): `nb:mpid:UUID:…`; the GUID may be in any case
 *
 * Returns: (nullable): the processor, or %NULL when unknown
 */
const JgProcessorInfo *
jg_catalog_lookup (const char *processor_id)
{
  if (processor_id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (processors); i++)
    if (g_ascii_strcasecmp (processors[i].id, processor_id) == 0)
      return &processors[i];

  return NULL;
}

/**
 * jg_catalog_lookup_by_name:
 *
 * Returns: (nullable): the newest processor of that name
 */
const JgProcessorInfo *
jg_catalog_lookup_by_name (const char *name)
{
  const JgProcessorInfo *best = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (processors); i++)
    {
      if (g_ascii_strcasecmp (processors[i].name, name) != 0)
        continue;

      if (best == NULL || g_ascii_strtod (processors[i].version, NULL) > g_ascii_strtod (best->version, NULL))
        best = &processors[i];
    }

  return best;
}

/**
 * jg_catalog_has_preset:
 *
 * Returns: %TRUE when @info lists @preset exactly
 */
gboolean
jg_catalog_has_preset (const JgProcessorInfo *info,
                       const char            *preset)
{
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (preset != NULL, FALSE);

  if (info->presets == NULL)
    return FALSE;

  for (guint i = 0; info->presets[i]; i++)
    if (strcmp (info->presets[i], preset) == 0)
      return TRUE;

  return FALSE;
}

/* Compares ignoring case and everything but letters and digits, so that
 * "h264 single bitrate 720P" finds "H264 Single Bitrate 720p".
 */
static gboolean
loosely_equal (const char *a,
               const char *b)
{
  for (;;)
    {
      while (*a && !g_ascii_isalnum (*a))
        a++;
      while (*b && !g_ascii_isalnum (*b))
        b++;

      if (*a == '\0' || *b == '\0')
        return *a == *b;

      if (g_ascii_tolower (*a) != g_ascii_tolower (*b))
        return FALSE;

      a++;
      b++;
    }
}

/**
 * jg_catalog_suggest_preset:
 *
 * Returns: (nullable): the preset @preset was probably meant to be
 */
const char *
jg_catalog_suggest_preset (const JgProcessorInfo *info,
                           const char            *preset)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (preset != NULL, NULL);

  if (info->presets == NULL)
    return NULL;

  for (guint i = 0; info->presets[i]; i++)
    if (loosely_equal (info->presets[i], preset))
      return info->presets[i];

  return NULL;
}
