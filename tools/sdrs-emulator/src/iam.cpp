// IAM token issue (POST /v3/auth/tokens) and the authentication of SDRS requests: static
// tokens, IAM-issued unexpired tokens, or AK/SK signatures recomputed per auth.md 1.9. This is
// an implementation independent of libsdrs's signer, so each checks the other.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common.hpp"

namespace emu {
namespace {

std::string to_hex(const unsigned char *p, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; i++) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

std::string sha256_hex(const std::string &s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(s.data()), s.size(), md);
  return to_hex(md, sizeof md);
}

std::string hmac(const std::string &key, const std::string &msg) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char *>(msg.data()), msg.size(), md, &n);
  return {reinterpret_cast<const char *>(md), n};
}

std::string lower(std::string s) {
  for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string &s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '%' && i + 2 < s.size() && hex_val(s[i + 1]) >= 0 && hex_val(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_val(s[i + 1]) * 16 + hex_val(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string percent_encode(const std::string &s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (;;) {
    size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return out;
}

// "YYYYMMDDTHHMMSSZ" -> Unix ms, or -1.
int64_t parse_sdk_date(const std::string &s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return -1;
  for (size_t i = 0; i < 15; i++) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
  }
  struct tm tm {};
  tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(s.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(s.substr(6, 2));
  tm.tm_hour = std::stoi(s.substr(9, 2));
  tm.tm_min = std::stoi(s.substr(11, 2));
  tm.tm_sec = std::stoi(s.substr(13, 2));
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

std::string iso_time(int64_t ms) {
  auto secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d000Z", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

Response auth_error(int status, const std::string &code, const std::string &msg) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("error_msg");
  w.String(msg.c_str());
  w.Key("error_code");
  w.String(code.c_str());
  w.Key("request_id");
  std::string id = random_hex(32);
  w.String(id.c_str());
  w.EndObject();
  return Response{status, buffer_text(sb), {}};
}

// Keystone-style error for IAM.
Response iam_error(int status, const std::string &msg) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("code");
  w.Int(status);
  w.Key("title");
  w.String(status == 401 ? "Unauthorized" : "Bad Request");
  w.Key("message");
  w.String(msg.c_str());
  w.EndObject();
  w.EndObject();
  return Response{status, buffer_text(sb), {}};
}

const rapidjson::Value *object_member(const rapidjson::Value &v, const char *key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(key);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string get_str(const rapidjson::Value *v, const char *key) {
  if (v == nullptr) return "";
  const rapidjson::Value *m = object_member(*v, key);
  return m != nullptr && m->IsString() ? std::string(m->GetString(), m->GetStringLength()) : "";
}

const std::string *header(const Request &req, const char *name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? nullptr : &it->second;
}

}  // namespace

std::string verify_signature(const Request &req, const Options &opts, int64_t now_ms) {
  const std::string *auth = header(req, "authorization");
  if (auth == nullptr) return "no X-Auth-Token and no Authorization header";
  const std::string kAlg = "SDK-HMAC-SHA256 ";
  if (auth->compare(0, kAlg.size(), kAlg) != 0) return "unsupported Authorization scheme";
  std::string access, credential, signed_headers, signature;
  for (const std::string &part : split(auth->substr(kAlg.size()), ',')) {
    std::string f = trim(part);
    size_t eq = f.find('=');
    if (eq == std::string::npos) return "malformed Authorization field";
    std::string k = f.substr(0, eq), v = f.substr(eq + 1);
    if (k == "Access")
      access = v;
    else if (k == "Credential")
      credential = v;
    else if (k == "SignedHeaders")
      signed_headers = v;
    else if (k == "Signature")
      signature = v;
  }
  std::string ak = access;
  std::vector<std::string> scope;
  if (ak.empty() && !credential.empty()) {
    scope = split(credential, '/');
    if (scope.size() != 5 || scope[4] != "sdk_request") return "malformed Credential scope";
    ak = scope[0];
  }
  if (ak.empty() || signed_headers.empty() || signature.empty()) {
    return "Authorization lacks Access, SignedHeaders or Signature";
  }
  auto key = opts.aksk.find(ak);
  if (key == opts.aksk.end()) return "unknown access key";
  const std::string *date = header(req, "x-sdk-date");
  if (date == nullptr) return "X-Sdk-Date missing";
  int64_t t = parse_sdk_date(*date);
  if (t < 0) return "X-Sdk-Date is not YYYYMMDDTHHMMSSZ";
  if (t > now_ms + opts.max_clock_skew_ms || t < now_ms - opts.max_clock_skew_ms) {
    return "X-Sdk-Date too far from server time";
  }
  if (!key->second.second.empty()) {
    const std::string *st = header(req, "x-security-token");
    if (st == nullptr || *st != key->second.second) return "security token missing or wrong";
  }
  std::vector<std::string> names = split(signed_headers, ';');
  if (std::find(names.begin(), names.end(), "x-sdk-date") == names.end()) {
    return "x-sdk-date is not signed";
  }
  // Canonical request from the request as received (1.9 step 4).
  std::string target = req.target;
  size_t q = target.find('?');
  std::string path = target.substr(0, q);
  std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  std::string curi;
  std::vector<std::string> segs = split(path, '/');
  for (size_t i = 0; i < segs.size(); i++) {
    if (i > 0) curi += '/';
    curi += percent_encode(percent_decode(segs[i]));
  }
  if (curi.empty() || curi.back() != '/') curi += '/';
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!query.empty()) {
    for (const std::string &p : split(query, '&')) {
      if (p.empty()) continue;
      size_t eq = p.find('=');
      pairs.emplace_back(percent_decode(p.substr(0, eq)),
                         eq == std::string::npos ? "" : percent_decode(p.substr(eq + 1)));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::string cquery;
  for (const auto &p : pairs) {
    if (!cquery.empty()) cquery += '&';
    cquery += percent_encode(p.first) + "=" + percent_encode(p.second);
  }
  std::string cheaders;
  for (const std::string &n : names) {
    const std::string *v = header(req, lower(n).c_str());
    if (v == nullptr) return "signed header " + n + " not sent";
    cheaders += lower(n) + ":" + trim(*v) + "\n";
  }
  const std::string *override_hash = header(req, "x-sdk-content-sha256");
  std::string body_hash = override_hash != nullptr ? trim(*override_hash) : sha256_hex(req.body);
  std::string creq = req.method + "\n" + curi + "\n" + cquery + "\n" + cheaders + "\n" +
                     signed_headers + "\n" + body_hash;
  std::string expected;
  const std::string &sk = key->second.first;
  if (scope.empty()) {
    expected = to_hex(reinterpret_cast<const unsigned char *>(
                          hmac(sk, "SDK-HMAC-SHA256\n" + *date + "\n" + sha256_hex(creq)).data()),
                      32);
  } else {
    std::string scope_str = credential.substr(ak.size() + 1);
    std::string k = hmac("SDK" + sk, scope[1]);
    k = hmac(k, scope[2]);
    k = hmac(k, scope[3]);
    k = hmac(k, "sdk_request");
    std::string sts = "SDK-HMAC-SHA256\n" + *date + "\n" + scope_str + "\n" + sha256_hex(creq);
    expected = to_hex(reinterpret_cast<const unsigned char *>(hmac(k, sts).data()), 32);
  }
  if (expected.size() != signature.size() ||
      CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0) {
    return "verify aksk signature fail";
  }
  return "";
}

Response Emulator::authenticate(const Request &req, const std::string &project_id, int64_t now) {
  if (!req.token.empty()) {
    if (opts_.tokens.count(req.token) != 0) return Response{0, "", {}};
    auto it = issued_.find(req.token);
    if (it != issued_.end() && it->second.expires_ms > now) {
      if (it->second.project_id != project_id) {
        return Response{403,
                        "{\"error\":{\"code\":\"SDRS.0003\",\"message\":"
                        "\"the token is scoped to another project\"}}",
                        {}};
      }
      return Response{0, "", {}};
    }
    auth_failures_.fetch_add(1);
    return Response{
        401,
        R"({"error":{"code":"SDRS.0002","message":")" +
            std::string(it == issued_.end() ? "the token is not valid" : "the token has expired") +
            "\"}}",
        {}};
  }
  if (req.headers.count("authorization") == 0) {
    auth_failures_.fetch_add(1);
    return Response{401,
                    "{\"error\":{\"code\":\"SDRS.0002\",\"message\":"
                    "\"X-Auth-Token header is missing\"}}",
                    {}};
  }
  std::string why = verify_signature(req, opts_, now + clock_offset_ms_);
  if (!why.empty()) {
    auth_failures_.fetch_add(1);
    return auth_error(401, "APIGW.0301", "Incorrect IAM authentication information: " + why);
  }
  return Response{0, "", {}};
}

Response Emulator::iam(const Request &req, const Segs &segs, int64_t now) {
  if (segs.size() == 3 && segs[1] == "auth" && segs[2] == "tokens") {
    if (req.method != "POST") return iam_error(405, "method not allowed");
    iam_token_requests_.fetch_add(1);
    return issue_token(req, now);
  }
  return iam_error(404, "not found");
}

Response Emulator::issue_token(const Request &req, int64_t now) {
  rapidjson::Document d;
  d.Parse(req.body.c_str(), req.body.size());
  if (d.HasParseError() || !d.IsObject()) return iam_error(400, "body must be a JSON object");
  const rapidjson::Value *auth = object_member(d, "auth");
  const rapidjson::Value *identity = auth ? object_member(*auth, "identity") : nullptr;
  const rapidjson::Value *pw = identity ? object_member(*identity, "password") : nullptr;
  const rapidjson::Value *user = pw ? object_member(*pw, "user") : nullptr;
  if (user == nullptr) return iam_error(400, "auth.identity.password.user is required");
  std::string name = get_str(user, "name"), id = get_str(user, "id");
  std::string password = get_str(user, "password");
  const rapidjson::Value *dom = object_member(*user, "domain");
  std::string domain_name = get_str(dom, "name"), domain_id = get_str(dom, "id");
  const User *found = nullptr;
  for (const User &u : opts_.users) {
    bool match = !id.empty()
                     ? id == "u-" + u.name
                     : name == u.name && (domain_name == u.domain || domain_id == "d-" + u.domain);
    if (match) found = &u;
  }
  if (found == nullptr || found->password != password) {
    return iam_error(401, "The username or password is wrong.");
  }
  const rapidjson::Value *scope = object_member(*auth, "scope");
  const rapidjson::Value *project = scope ? object_member(*scope, "project") : nullptr;
  if (project == nullptr) return iam_error(400, "auth.scope.project is required");
  std::string pid = get_str(project, "id"), pname = get_str(project, "name");
  if (pid.empty()) {
    auto it = opts_.project_names.find(pname);
    if (it == opts_.project_names.end()) return iam_error(401, "project not found");
    pid = it->second;
  } else if (opts_.project_ids.count(pid) == 0) {
    return iam_error(401, "project not found");
  }
  for (const auto &pn : opts_.project_names) {
    if (pn.second == pid) pname = pn.first;
  }
  std::string token = "MIIemu" + random_hex(120);
  int64_t expires = now + token_lifetime_ms_;
  issued_[token] = Issued{expires, pid};
  std::string base = "http://" + (req.host.empty() ? std::string("127.0.0.1") : req.host);
  rapidjson::StringBuffer sb;
  Writer w(sb);
  auto str = [&w](const std::string &s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartObject();
  w.Key("token");
  w.StartObject();
  w.Key("methods");
  w.StartArray();
  w.String("password");
  w.EndArray();
  w.Key("issued_at");
  str(iso_time(now));
  w.Key("expires_at");
  str(iso_time(expires));
  w.Key("project");
  w.StartObject();
  w.Key("id");
  str(pid);
  w.Key("name");
  str(pname);
  w.Key("domain");
  w.StartObject();
  w.Key("id");
  str("d-" + found->domain);
  w.Key("name");
  str(found->domain);
  w.EndObject();
  w.EndObject();
  w.Key("user");
  w.StartObject();
  w.Key("id");
  str("u-" + found->name);
  w.Key("name");
  str(found->name);
  w.EndObject();
  w.Key("roles");
  w.StartArray();
  w.StartObject();
  w.Key("name");
  w.String("te_admin");
  w.EndObject();
  w.EndArray();
  if (req.params.count("nocatalog") == 0) {
    w.Key("catalog");
    w.StartArray();
    const std::pair<const char *, std::string> services[] = {{"identity", base + "/v3"},
                                                             {"sdrs", base + "/v1/" + pid}};
    for (const auto &svc : services) {
      w.StartObject();
      w.Key("type");
      w.String(svc.first);
      w.Key("name");
      w.String(svc.first);
      w.Key("id");
      str(random_hex(32));
      w.Key("endpoints");
      w.StartArray();
      w.StartObject();
      w.Key("id");
      str(random_hex(32));
      w.Key("interface");
      w.String("public");
      w.Key("region");
      w.String("eu-de");
      w.Key("region_id");
      w.String("eu-de");
      w.Key("url");
      str(svc.second);
      w.EndObject();
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.EndObject();
  Response r{201, std::string(sb.GetString(), sb.GetSize()), {}};
  r.headers.emplace_back("X-Subject-Token", token);
  return r;
}

Response Emulator::admin_revoke_tokens() {
  size_t n = issued_.size();
  issued_.clear();
  return Response{200, "{\"revoked\":" + std::to_string(n) + "}", {}};
}

}  // namespace emu
