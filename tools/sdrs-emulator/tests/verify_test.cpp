// The emulator's AK/SK verifier (auth.md 1.9) against every vector of the spec's appendix, with
// its clock fixed at each vector's X-Sdk-Date (2024-04-16T09:53:41Z for the SDRS ones); then
// one-byte mutations and a clock 16 minutes off must fail (auth.md section 5, item 4).
#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "../../../tests/unit/auth_vectors.hpp"
#include "emulator.hpp"

namespace {

const Vector kVectors[] = {
#include "../../../tests/unit/auth_vectors.inc"
};

// The vector's X-Sdk-Date as Unix ms: the emulator's clock for that vector.
int64_t time_of(const Vector &v) {
  const std::string d = v.date;
  struct tm tm {};
  tm.tm_year = std::stoi(d.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(d.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(d.substr(6, 2));
  tm.tm_hour = std::stoi(d.substr(9, 2));
  tm.tm_min = std::stoi(d.substr(11, 2));
  tm.tm_sec = std::stoi(d.substr(13, 2));
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

emu::Request request_of(const Vector &v) {
  emu::Request r;
  r.method = v.method;
  r.target = std::string(v.wire_path) + (v.wire_query[0] != '\0' ? "?" : "") + v.wire_query;
  for (const auto &h : v.headers) {
    std::string n = h.first;
    for (auto &c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace(n, h.second);
  }
  r.headers.emplace("authorization", v.authorization);
  r.body = v.body;
  return r;
}

emu::Options options_of(const Vector &v) {
  emu::Options o;
  o.aksk[v.ak] = {v.sk, ""};
  return o;
}

TEST(EmulatorVerify, AcceptsEveryAppendixVector) {
  for (const Vector &v : kVectors) {
    EXPECT_EQ(emu::VerifySignature(request_of(v), options_of(v), time_of(v)), "") << v.name;
  }
}

TEST(EmulatorVerify, RejectsMutationsAndClockSkew) {
  for (const Vector &v : kVectors) {
    const emu::Options o = options_of(v);
    const int64_t now = time_of(v);
    emu::Request r = request_of(v);
    EXPECT_NE(emu::VerifySignature(r, o, now + 16 * 60 * 1000), "") << v.name;
    EXPECT_NE(emu::VerifySignature(r, o, now - 16 * 60 * 1000), "") << v.name;
    EXPECT_EQ(emu::VerifySignature(r, o, now + 14 * 60 * 1000), "") << v.name;
    r.body += "x";
    EXPECT_NE(emu::VerifySignature(r, o, now), "") << v.name << " body";
    r = request_of(v);
    r.target[r.target.size() / 2] ^= 1;
    EXPECT_NE(emu::VerifySignature(r, o, now), "") << v.name << " path/query";
    r = request_of(v);
    r.headers.find("host")->second += "x";
    EXPECT_NE(emu::VerifySignature(r, o, now), "") << v.name << " host";
    emu::Options wrong = o;
    wrong.aksk[v.ak].first += "x";
    EXPECT_NE(emu::VerifySignature(request_of(v), wrong, now), "") << v.name << " sk";
  }
}

}  // namespace
