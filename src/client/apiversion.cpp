// API version discovery: the only calls outside /v1/{project_id}.
#include "client/client.hpp"
#include "core/validate.hpp"

namespace sdrs {

std::vector<ApiVersion> Client::api_versions(const CallContext &ctx) {
  return exchange("GET", "/", "", ctx, decode_versions);
}

ApiVersion Client::api_version(const std::string &version_id, const CallContext &ctx) {
  validate_path_segment("version_id", version_id);
  const std::string path = "/" + version_id;
  return exchange("GET", path, "", ctx, decode_version);
}

}  // namespace sdrs
