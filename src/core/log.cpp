#include "core/log.hpp"

namespace sdrs {

void secure_wipe(std::string &secret) noexcept {
  // Writes through a volatile pointer so the compiler cannot drop them as dead stores; the
  // capacity is wiped too, since a shorter value may have left older bytes behind.
  volatile char *p = secret.empty() && secret.capacity() == 0 ? nullptr : secret.data();
  for (size_t i = 0; p != nullptr && i < secret.capacity(); ++i) p[i] = 0;
  secret.clear();
}

}  // namespace sdrs
