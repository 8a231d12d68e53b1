/**
 * @file
 * libsdrs umbrella header: includes the whole public C API.
 * See the individual headers under sdrs/ for documentation and threading rules.
 */
#ifndef SDRS_H
#define SDRS_H

#include "sdrs/common.h"
#include "sdrs/version.h"
#include "sdrs/error.h"
#include "sdrs/log.h"
#include "sdrs/cancel.h"
#include "sdrs/config.h"
#include "sdrs/client.h"
#include "sdrs/job.h"
#include "sdrs/pg.h"
#include "sdrs/domain.h"
#include "sdrs/apiversion.h"
#include "sdrs/pi.h"
#include "sdrs/pair.h"
#include "sdrs/drill.h"
#include "sdrs/tag.h"
#include "sdrs/task.h"
#include "sdrs/quota.h"
#include "sdrs/watcher.h"

#endif /* SDRS_H */
