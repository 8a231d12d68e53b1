// Logging through the user's sink. Nothing is formatted unless a sink accepts the level.
#pragma once

#include <cstdint>
#include <string>

namespace sdrs {

enum class LogLevel : int32_t { kError = 1, kWarn = 2, kInfo = 3, kDebug = 4 };

struct Logger {
  void (*sink)(int32_t, const char *, void *) = nullptr;
  int32_t max_level = 0;
  void *userdata = nullptr;

  bool enabled(LogLevel level) const {
    return sink != nullptr && static_cast<int32_t>(level) <= max_level;
  }
  void log(LogLevel level, const std::string &message) const {
    if (enabled(level)) sink(static_cast<int32_t>(level), message.c_str(), userdata);
  }
};

// Overwrites a secret's bytes before its memory is released (not optimised away).
void secure_wipe(std::string &secret) noexcept;

// A string holding a secret: wiped on destruction and reassignment.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret &other) = default;
  Secret &operator=(const Secret &other) {
    if (this != &other) {
      secure_wipe(value_);
      value_ = other.value_;
    }
    return *this;
  }
  ~Secret() { secure_wipe(value_); }
  const std::string &get() const { return value_; }
  bool empty() const { return value_.empty(); }

 private:
  std::string value_;
};

}  // namespace sdrs
