// API version discovery (spec 2). Kept as a plain struct with a hand-written decoder
// (apiversion_codec.cpp): its self link is found by value inside "links", and a malformed
// "links" is ignored rather than refused, which a RecordDef table does not express.
#pragma once

#include <string>
#include <vector>

#include "core/models.hpp"

namespace sdrs {

struct ApiVersion {
  std::string json;
  OptString id, status, version, min_version, updated, self_link;
};

std::vector<ApiVersion> decode_versions(const std::string &body);  // {"versions": [...]}
ApiVersion decode_version(const std::string &body);                // {"version": {...}}

}  // namespace sdrs
