// Quotas: one GET, decoded by core/resources/quota.
#include "client/client.hpp"

namespace sdrs {

Quota Client::get_quota(const CallContext &ctx) {
  const std::string path = project_path(ctx, "/sdrs/quotas");
  return exchange("GET", path, "", ctx, decode_quota);
}

}  // namespace sdrs
