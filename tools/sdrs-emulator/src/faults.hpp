// Fault injection for the emulator: rules that make matching requests fail the way unhealthy
// networks and gateways do (see README.md, "Fault injection"). Thread-safe.
#ifndef SDRS_EMULATOR_FAULTS_HPP
#define SDRS_EMULATOR_FAULTS_HPP

#include <cstdint>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

namespace emu {

enum class FaultKind {
  kStatus,            // answer with `status` (+ body, Retry-After) without processing
  kDelay,             // wait delay_ms, then process normally
  kStallMidBody,      // process, send half the body, stall delay_ms, drop the connection
  kCloseBefore,       // drop the connection without processing or answering
  kCloseAfter,        // process the request, then drop the connection without answering
  kTruncatedJson,     // process, answer with the first half of the JSON body
  kMalformedJson,     // answer 200 with a body that is not JSON
  kOversizedBody,     // answer 200 with a JSON body of `size` bytes
  kWrongContentType,  // process, answer with `content_type` (default text/html)
  kSlowBody,          // process, send the body `chunk` bytes every delay_ms
};

struct FaultRule {
  int64_t id = 0;
  std::string method;  // empty: any
  std::string path_prefix;
  std::string path_regex;  // ECMAScript, searched in the path; empty: none
  std::regex re;
  // "METHOD /pattern" relative to /v1/{project_id} (or absolute when it starts with /v1/ or
  // /v3/); `*` = one path segment, `**` = the rest. Empty: none.
  std::string route;
  std::string route_method;                 // empty: any
  std::vector<std::string> route_segments;  // the pattern's segments
  int64_t after = 0;                        // matching requests let through before the first fault
  int64_t count = 1;                        // matches left to fault; -1 unlimited
  FaultKind kind = FaultKind::kStatus;
  std::string kind_name;
  int status = 503;
  bool has_body = false;
  std::string body;
  // `status` kind: an error body in the service's shape with this SDRS code (when no `body`).
  std::string code;
  std::string message;
  std::string error_class = "error";  // the nested shape's key
  bool flat = false;                  // {"error_code", "error_msg"} instead
  int64_t chunk = 16;                 // slow_body: bytes per write
  std::string retry_after;
  int64_t delay_ms = 0;
  int64_t size = INT64_C(9) * 1024 * 1024;
  std::string content_type = "text/html; charset=utf-8";
  uint64_t hits = 0;
  uint64_t passed = 0;  // matches let through by `after`
};

// The body a `status` fault sends: `body`, else one built from `code`, else the default for
// the status (an HTML page for 502, SDRS.0429 for 429, SDRS.0013 otherwise).
std::string fault_body(const FaultRule &rule);

class Faults {
 public:
  // Parses one rule (a JSON object, see README); on error returns false with a message.
  bool add(const std::string &json, int64_t *id, std::string *error);
  void clear();
  std::string json();
  // The first rule matching the request with faults left: consumes one, copies it to *out.
  bool take(const std::string &method, const std::string &path, FaultRule *out);

 private:
  std::mutex mu_;
  std::vector<FaultRule> rules_;
  int64_t next_id_ = 1;
};

}  // namespace emu

#endif  // SDRS_EMULATOR_FAULTS_HPP
