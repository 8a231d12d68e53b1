// The job decoder as it was before the SAX one (a RapidJSON DOM walk), kept only as the
// reference the unit tests compare sdrs::decode_job with.
#pragma once

#include <string>

#include "core/resources/job.hpp"

namespace sdrs::test {

Job decode_job_dom(const std::string &body);

}  // namespace sdrs::test
