#include "core/log.hpp"

#include <cstring>  // explicit_bzero (glibc 2.25+, declared in the global namespace)

namespace sdrs {

void secure_wipe(std::string &secret) noexcept {
  // explicit_bzero is a memset the compiler may not drop as a dead store (a byte loop through a
  // volatile pointer did the same, a byte at a time: microseconds for a multi-KB IAM token on
  // every request). The capacity is wiped too, since a shorter value may have left older bytes.
  if (secret.capacity() != 0) explicit_bzero(secret.data(), secret.capacity());
  secret.clear();
}

}  // namespace sdrs
