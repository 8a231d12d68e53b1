// A DELETE with a JSON body (delete protected instance, delete replication pair) through the
// real transport against a one-thread HTTP server on 127.0.0.1: the method stays DELETE, the
// body and its Content-Type go out, and a 503 is retried with the same body (DELETE is
// idempotent, with or without a body).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "core/cancel.hpp"
#include "core/log.hpp"
#include "core/resources/pi.hpp"
#include "http/transport.hpp"

namespace sdrs {
namespace {

// Answers each connection with the next canned response and records the raw requests.
class OneShotServer {
 public:
  explicit OneShotServer(std::vector<std::string> responses) : responses_(std::move(responses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len), 0);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(::listen(fd_, 4), 0);
    // A transport that never comes (a failed test) must not hang the suite.
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotServer() {
    thread_.join();
    ::close(fd_);
  }
  OneShotServer(const OneShotServer &) = delete;
  OneShotServer &operator=(const OneShotServer &) = delete;

  int port() const { return port_; }
  // Valid after the last response was sent (the transport has returned by then).
  const std::vector<std::string> &requests() const { return requests_; }

 private:
  void serve() {
    for (const auto &response : responses_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      timeval timeout{5, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      std::string req;
      char buf[4096];
      size_t need = std::string::npos;
      while (need == std::string::npos || req.size() < need) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
        const size_t end = req.find("\r\n\r\n");
        if (need == std::string::npos && end != std::string::npos) {
          const size_t cl = req.find("Content-Length: ");
          const size_t body = cl == std::string::npos || cl > end
                                  ? 0
                                  : std::stoul(req.substr(cl + 16, req.find("\r\n", cl) - cl));
          need = end + 4 + body;
        }
      }
      requests_.push_back(req);
      ::send(c, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  std::vector<std::string> responses_;
  std::vector<std::string> requests_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(DeleteWithBody, SentAsDeleteAndRetriedWithTheBody) {
  const std::string ok_body = R"({"job_id":"j1"})";
  std::vector<std::string> requests;
  HttpResponse resp;
  const std::string body = encode_pi_delete(true, false);
  {
    OneShotServer server(
        {"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
         "Connection: close\r\n\r\n",
         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
             std::to_string(ok_body.size()) + "\r\nConnection: close\r\n\r\n" + ok_body});
    TransportOptions options;
    options.retry.base_ms = 1;
    options.retry.cap_ms = 1;
    options.allow_http = true;
    Transport transport(options, Logger{});
    HttpRequest req;
    req.method = "DELETE";
    req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1/p/protected-instances/i1";
    req.path = "/v1/p/protected-instances/i1";
    req.body = body;
    resp = transport.perform(req, CallContext{});
    requests = server.requests();
  }
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, ok_body);
  EXPECT_EQ(resp.attempts, 2);
  ASSERT_EQ(requests.size(), 2U);
  for (const auto &r : requests) {
    EXPECT_EQ(r.rfind("DELETE /v1/p/protected-instances/i1 HTTP/1.1\r\n", 0), 0U) << r;
    EXPECT_NE(r.find("Content-Type: application/json\r\n"), std::string::npos) << r;
    EXPECT_NE(r.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos)
        << r;
    EXPECT_EQ(r.substr(r.size() - body.size()), body);
  }
}

}  // namespace
}  // namespace sdrs
