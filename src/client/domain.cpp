// Active-active domain operations.
#include "client/client.hpp"

namespace sdrs {

DomainList Client::domains(const CallContext &ctx) {
  const std::string path = project_path(ctx, "/active-domains");
  return exchange("GET", path, "", ctx, decode_domains);
}

}  // namespace sdrs
