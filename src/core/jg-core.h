/* jg-core.h
 *
 * Copyright 2026 The Jobgraph authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "jg-batch.h"
#include "jg-catalog.h"
#include "jg-core-enums.h"
#include "jg-diagnostic.h"
#include "jg-document.h"
#include "jg-edit.h"
#include "jg-export.h"
#include "jg-format-error.h"
#include "jg-fragment.h"
#include "jg-graph.h"
#include "jg-history.h"
#include "jg-import.h"
#include "jg-job-input.h"
#include "jg-json.h"
#include "jg-layout.h"
#include "jg-output-asset.h"
#include "jg-rest.h"
#include "jg-task.h"
#include "jg-task-body.h"
#include "jg-types.h"
#include "jg-validate.h"
#include "jg-xml.h"
