#include "frontend.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>

namespace emu {
namespace {

const char *const kJson = "application/json";

// cpp-httplib does not hand handlers their socket; find it by the peer's port (both ends are
// on 127.0.0.1) and shut it down, so the client sees the connection drop.
void drop_connection(int local_port, int remote_port) {
  for (int fd = 3; fd < 65536; fd++) {
    sockaddr_storage a{};
    sockaddr_storage b{};
    socklen_t la = sizeof a;
    socklen_t lb = sizeof b;
    if (getsockname(fd, reinterpret_cast<sockaddr *>(&a), &la) != 0) {
      if (errno == EBADF && fd > 4096) break;
      continue;
    }
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&b), &lb) != 0) continue;
    auto port = [](const sockaddr_storage &s) {
      return s.ss_family == AF_INET ? ntohs(reinterpret_cast<const sockaddr_in &>(s).sin_port)
                                    : ntohs(reinterpret_cast<const sockaddr_in6 &>(s).sin6_port);
    };
    if (port(a) == local_port && port(b) == remote_port) {
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
  }
}

// A fault delay (the worker thread just waits; a stopping emulator exits without it).
void sleep_ms(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

Request to_request(const httplib::Request &r, bool loopback) {
  Request req;
  req.method = r.method;
  req.path = r.path;
  req.params = r.params;
  req.token = r.get_header_value("X-Auth-Token");
  req.host = r.get_header_value("Host");
  req.target = r.target;
  for (const auto &h : r.headers) {
    std::string name = h.first;
    for (auto &c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace(name, h.second);
  }
  req.body = r.body;
  req.loopback = loopback;
  return req;
}

}  // namespace

void Frontend::log(const httplib::Request &r, int status, const char *note,
                   Clock::time_point t0) const {
  if (quiet_) return;
  double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  char line[2048];
  int n = std::snprintf(line, sizeof line, "%s %s %d %.3fms%s\n", r.method.c_str(), r.path.c_str(),
                        status, ms, note);
  if (n > 0) {
    // One write per line so concurrent lines do not interleave.
    std::fwrite(line, 1, std::min(static_cast<size_t>(n), sizeof line - 1), stderr);
  }
}

void Frontend::serve(const httplib::Request &r, httplib::Response &res) {
  const auto t0 = Clock::now();
  const bool loopback = r.remote_addr == "127.0.0.1" || r.remote_addr == "::1";
  // Fault administration lives here, next to the HTTP details it controls.
  if (r.path == "/_emulator/faults") {
    serve_fault_admin(r, res, loopback);
    log(r, res.status, "", t0);
    return;
  }
  FaultRule fault;
  const bool faulted =
      r.path.rfind("/_emulator/", 0) != 0 && faults_.take(r.method, r.path, &fault);
  if (faulted && answer_instead(fault, r, res, t0)) return;
  Response out = emulator_.handle(to_request(r, loopback));
  res.status = out.status;
  res.set_header("X-Request-Id", random_hex(32));
  for (const auto &h : out.headers) res.set_header(h.first, h.second);
  if (!faulted || fault.kind == FaultKind::kDelay) {
    res.set_content(out.body, kJson);
    log(r, out.status, faulted ? " [fault delay]" : "", t0);
    return;
  }
  answer_after(fault, r, std::move(out), res, t0);
}

void Frontend::serve_fault_admin(const httplib::Request &r, httplib::Response &res, bool loopback) {
  res.set_header("X-Request-Id", random_hex(32));
  if (!loopback) {
    res.status = 403;
    res.set_content(R"({"error":{"code":"SDRS.0003","message":"loopback only"}})", kJson);
  } else if (r.method == "POST") {
    int64_t id = 0;
    std::string error;
    if (faults_.add(r.body, &id, &error)) {
      res.set_content("{\"id\":" + std::to_string(id) + "}", kJson);
    } else {
      res.status = 400;
      std::string msg;
      for (char c : error) msg += c == '"' ? '\'' : c;
      res.set_content(R"({"badrequest":{"code":"SDRS.0201","message":")" + msg + "\"}}", kJson);
    }
  } else if (r.method == "DELETE") {
    faults_.clear();
    res.set_content("{}", kJson);
  } else if (r.method == "GET") {
    res.set_content(faults_.json(), kJson);
  } else {
    res.status = 405;
    res.set_content(R"({"error":{"code":"SDRS.0201","message":"bad method"}})", kJson);
  }
}

bool Frontend::answer_instead(const FaultRule &fault, const httplib::Request &r,
                              httplib::Response &res, Clock::time_point t0) {
  switch (fault.kind) {
    case FaultKind::kCloseBefore:
      drop_connection(bound_port_, r.remote_port);
      log(r, 0, " [fault close_before]", t0);
      return true;
    case FaultKind::kStatus:
      res.status = fault.status;
      res.set_header("X-Request-Id", random_hex(32));
      if (!fault.retry_after.empty()) res.set_header("Retry-After", fault.retry_after);
      res.set_content(
          fault_body(fault),
          !fault.has_body && fault.code.empty() && fault.status == 502 ? "text/html" : kJson);
      log(r, res.status, " [fault status]", t0);
      return true;
    case FaultKind::kMalformedJson:
      res.status = 200;
      res.set_header("X-Request-Id", random_hex(32));
      res.set_content(R"({"job_id": "0123", "server_group": {,,} oops)", kJson);
      log(r, 200, " [fault malformed_json]", t0);
      return true;
    case FaultKind::kOversizedBody: {
      res.status = 200;
      res.set_header("X-Request-Id", random_hex(32));
      const auto size = static_cast<size_t>(std::max<int64_t>(fault.size, 16));
      res.set_content(R"({"pad":")" + std::string(size - 10, 'a') + "\"}", kJson);
      log(r, 200, " [fault oversized_body]", t0);
      return true;
    }
    case FaultKind::kDelay:
      sleep_ms(fault.delay_ms);
      return false;
    default:
      return false;
  }
}

void Frontend::answer_after(const FaultRule &fault, const httplib::Request &r, Response out,
                            httplib::Response &res, Clock::time_point t0) {
  switch (fault.kind) {
    case FaultKind::kCloseAfter:
      drop_connection(bound_port_, r.remote_port);
      log(r, out.status, " [fault close_after]", t0);
      return;
    case FaultKind::kTruncatedJson:
      out.body.resize(out.body.size() / 2);
      res.set_content(out.body, kJson);
      log(r, out.status, " [fault truncated_json]", t0);
      return;
    case FaultKind::kWrongContentType:
      if (fault.has_body) out.body = fault.body;
      res.set_content(out.body, fault.content_type);
      log(r, out.status, " [fault wrong_content_type]", t0);
      return;
    case FaultKind::kStallMidBody: {
      if (out.body.empty()) {
        // Nothing to stall in (a 204): the answer is complete, and the connection is closed
        // after it. (A content provider of length 0 left the connection wedged.)
        res.set_header("Connection", "close");
        res.set_content("", kJson);
        log(r, out.status, " [fault stall_mid_body: empty body, closed]", t0);
        return;
      }
      // Announces the full length, sends half, stalls, then drops the connection.
      auto body = std::make_shared<std::string>(std::move(out.body));
      const int64_t stall = fault.delay_ms;
      res.set_content_provider(body->size(), kJson,
                               [body, stall](size_t offset, size_t, httplib::DataSink &sink) {
                                 if (offset == 0) {
                                   sink.write(body->data(), body->size() / 2);
                                   return true;
                                 }
                                 sleep_ms(stall);
                                 return false;
                               });
      log(r, out.status, " [fault stall_mid_body]", t0);
      return;
    }
    case FaultKind::kSlowBody: {
      // The whole body arrives, `chunk` bytes every delay_ms (a slow, not a stalled, peer).
      auto body = std::make_shared<std::string>(std::move(out.body));
      const int64_t pause = fault.delay_ms;
      const auto chunk = static_cast<size_t>(fault.chunk);
      res.set_content_provider(
          body->size(), kJson,
          [body, pause, chunk](size_t offset, size_t, httplib::DataSink &sink) {
            if (offset > 0) sleep_ms(pause);
            sink.write(body->data() + offset, std::min(chunk, body->size() - offset));
            return true;
          });
      log(r, out.status, " [fault slow_body]", t0);
      return;
    }
    default:
      res.set_content(out.body, kJson);
      log(r, out.status, "", t0);
      return;
  }
}

}  // namespace emu
