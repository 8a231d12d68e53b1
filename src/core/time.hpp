// Timestamp parsing for the two documented formats: job times "2024-03-11T09:15:02.118Z" and
// group times "2024-03-11 09:15:02.118" (no zone, UTC assumed; fraction of any length).
#pragma once

#include <cstdint>
#include <string_view>

namespace sdrs {

// Unix milliseconds, or kTimeNone (INT64_MIN) when the text is not a valid timestamp.
int64_t parse_time_ms(std::string_view text);

}  // namespace sdrs
