#include <string>
#include <vector>

#include "core/codec_json.hpp"
#include "core/resources/apiversion.hpp"

namespace sdrs {
namespace {

using json::member_array;
using json::member_object;
using json::opt_string;
using json::Parsed;
using json::require_object;
using json::to_json;
using json::Value;

ApiVersion version_from(const Value &v) {
  require_object(v, "version");
  ApiVersion ver;
  ver.json = to_json(v);
  ver.id = opt_string(v, "id", "version");
  ver.status = opt_string(v, "status", "version");
  ver.version = opt_string(v, "version", "version");
  ver.min_version = opt_string(v, "min_version", "version");
  ver.updated = opt_string(v, "updated", "version");
  const auto links = v.FindMember("links");
  if (links != v.MemberEnd() && links->value.IsArray()) {
    for (const auto &l : links->value.GetArray()) {
      if (l.IsObject() && opt_string(l, "rel", "link") == std::string("self")) {
        ver.self_link = opt_string(l, "href", "link");
        break;
      }
    }
  }
  return ver;
}

}  // namespace

std::vector<ApiVersion> decode_versions(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  const Value &arr = member_array(doc, "versions", "response");
  std::vector<ApiVersion> out;
  for (const auto &v : arr.GetArray()) out.push_back(version_from(v));
  return out;
}

ApiVersion decode_version(const std::string &body) {
  const Parsed parsed(body);
  const Value &doc = parsed.root();
  require_object(doc, "response");
  return version_from(member_object(doc, "version", "response"));
}

}  // namespace sdrs
