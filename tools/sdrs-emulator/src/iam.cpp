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

#include "emulator.hpp"

namespace emu {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string Hex(const unsigned char *p, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; i++) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  return out;
}

std::string Sha256Hex(const std::string &s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(s.data()), s.size(), md);
  return Hex(md, sizeof md);
}

std::string Hmac(const std::string &key, const std::string &msg) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char *>(msg.data()), msg.size(), md, &n);
  return std::string(reinterpret_cast<const char *>(md), n);
}

std::string Lower(std::string s) {
  for (auto &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(const std::string &s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '%' && i + 2 < s.size() && HexVal(s[i + 1]) >= 0 && HexVal(s[i + 2]) >= 0) {
      out += static_cast<char>(HexVal(s[i + 1]) * 16 + HexVal(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string Encode(const std::string &s) {
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

std::vector<std::string> Split(const std::string &s, char sep) {
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
int64_t ParseSdkDate(const std::string &s) {
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

std::string IsoTime(int64_t ms) {
  time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d000Z", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

Response AuthError(int status, const std::string &code, const std::string &msg) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("error_msg");
  w.String(msg.c_str());
  w.Key("error_code");
  w.String(code.c_str());
  w.Key("request_id");
  std::string id = RandomHex(32);
  w.String(id.c_str());
  w.EndObject();
  return Response{status, std::string(sb.GetString(), sb.GetSize()), {}};
}

// Keystone-style error for IAM.
Response IamError(int status, const std::string &msg) {
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
  return Response{status, std::string(sb.GetString(), sb.GetSize()), {}};
}

const rapidjson::Value *Get(const rapidjson::Value &v, const char *key) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(key);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

std::string GetStr(const rapidjson::Value *v, const char *key) {
  if (v == nullptr) return "";
  const rapidjson::Value *m = Get(*v, key);
  return m != nullptr && m->IsString() ? std::string(m->GetString(), m->GetStringLength()) : "";
}

const std::string *Header(const Request &req, const char *name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? nullptr : &it->second;
}

}  // namespace

std::string VerifySignature(const Request &req, const Options &opts, int64_t now_ms) {
  const std::string *auth = Header(req, "authorization");
  if (auth == nullptr) return "no X-Auth-Token and no Authorization header";
  const std::string kAlg = "SDK-HMAC-SHA256 ";
  if (auth->compare(0, kAlg.size(), kAlg) != 0) return "unsupported Authorization scheme";
  std::string access, credential, signed_headers, signature;
  for (const std::string &part : Split(auth->substr(kAlg.size()), ',')) {
    std::string f = Trim(part);
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
    scope = Split(credential, '/');
    if (scope.size() != 5 || scope[4] != "sdk_request") return "malformed Credential scope";
    ak = scope[0];
  }
  if (ak.empty() || signed_headers.empty() || signature.empty()) {
    return "Authorization lacks Access, SignedHeaders or Signature";
  }
  auto key = opts.aksk.find(ak);
  if (key == opts.aksk.end()) return "unknown access key";
  const std::string *date = Header(req, "x-sdk-date");
  if (date == nullptr) return "X-Sdk-Date missing";
  int64_t t = ParseSdkDate(*date);
  if (t < 0) return "X-Sdk-Date is not YYYYMMDDTHHMMSSZ";
  if (t > now_ms + opts.max_clock_skew_ms || t < now_ms - opts.max_clock_skew_ms) {
    return "X-Sdk-Date too far from server time";
  }
  if (!key->second.second.empty()) {
    const std::string *st = Header(req, "x-security-token");
    if (st == nullptr || *st != key->second.second) return "security token missing or wrong";
  }
  std::vector<std::string> names = Split(signed_headers, ';');
  if (std::find(names.begin(), names.end(), "x-sdk-date") == names.end()) {
    return "x-sdk-date is not signed";
  }
  // Canonical request from the request as received (1.9 step 4).
  std::string target = req.target;
  size_t q = target.find('?');
  std::string path = target.substr(0, q);
  std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  std::string curi;
  std::vector<std::string> segs = Split(path, '/');
  for (size_t i = 0; i < segs.size(); i++) {
    if (i > 0) curi += '/';
    curi += Encode(Decode(segs[i]));
  }
  if (curi.empty() || curi.back() != '/') curi += '/';
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!query.empty()) {
    for (const std::string &p : Split(query, '&')) {
      if (p.empty()) continue;
      size_t eq = p.find('=');
      pairs.emplace_back(Decode(p.substr(0, eq)),
                         eq == std::string::npos ? "" : Decode(p.substr(eq + 1)));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::string cquery;
  for (const auto &p : pairs) {
    if (!cquery.empty()) cquery += '&';
    cquery += Encode(p.first) + "=" + Encode(p.second);
  }
  std::string cheaders;
  for (const std::string &n : names) {
    const std::string *v = Header(req, Lower(n).c_str());
    if (v == nullptr) return "signed header " + n + " not sent";
    cheaders += Lower(n) + ":" + Trim(*v) + "\n";
  }
  const std::string *override_hash = Header(req, "x-sdk-content-sha256");
  std::string body_hash = override_hash != nullptr ? Trim(*override_hash) : Sha256Hex(req.body);
  std::string creq = req.method + "\n" + curi + "\n" + cquery + "\n" + cheaders + "\n" +
                     signed_headers + "\n" + body_hash;
  std::string expected;
  const std::string &sk = key->second.first;
  if (scope.empty()) {
    expected = Hex(reinterpret_cast<const unsigned char *>(
                       Hmac(sk, "SDK-HMAC-SHA256\n" + *date + "\n" + Sha256Hex(creq)).data()),
                   32);
  } else {
    std::string scope_str = credential.substr(ak.size() + 1);
    std::string k = Hmac("SDK" + sk, scope[1]);
    k = Hmac(k, scope[2]);
    k = Hmac(k, scope[3]);
    k = Hmac(k, "sdk_request");
    std::string sts = "SDK-HMAC-SHA256\n" + *date + "\n" + scope_str + "\n" + Sha256Hex(creq);
    expected = Hex(reinterpret_cast<const unsigned char *>(Hmac(k, sts).data()), 32);
  }
  if (expected.size() != signature.size() ||
      CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0) {
    return "verify aksk signature fail";
  }
  return "";
}

Response Emulator::Authenticate(const Request &req, const std::string &project_id, int64_t now) {
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
        "{\"error\":{\"code\":\"SDRS.0002\",\"message\":\"" +
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
  std::string why = VerifySignature(req, opts_, now + clock_offset_ms_);
  if (!why.empty()) {
    auth_failures_.fetch_add(1);
    return AuthError(401, "APIGW.0301", "Incorrect IAM authentication information: " + why);
  }
  return Response{0, "", {}};
}

Response Emulator::Iam(const Request &req, const Segs &segs, int64_t now) {
  if (segs.size() == 3 && segs[1] == "auth" && segs[2] == "tokens") {
    if (req.method != "POST") return IamError(405, "method not allowed");
    iam_token_requests_.fetch_add(1);
    return IssueToken(req, now);
  }
  return IamError(404, "not found");
}

Response Emulator::IssueToken(const Request &req, int64_t now) {
  rapidjson::Document d;
  d.Parse(req.body.c_str(), req.body.size());
  if (d.HasParseError() || !d.IsObject()) return IamError(400, "body must be a JSON object");
  const rapidjson::Value *auth = Get(d, "auth");
  const rapidjson::Value *identity = auth ? Get(*auth, "identity") : nullptr;
  const rapidjson::Value *pw = identity ? Get(*identity, "password") : nullptr;
  const rapidjson::Value *user = pw ? Get(*pw, "user") : nullptr;
  if (user == nullptr) return IamError(400, "auth.identity.password.user is required");
  std::string name = GetStr(user, "name"), id = GetStr(user, "id");
  std::string password = GetStr(user, "password");
  const rapidjson::Value *dom = Get(*user, "domain");
  std::string domain_name = GetStr(dom, "name"), domain_id = GetStr(dom, "id");
  const User *found = nullptr;
  for (const User &u : opts_.users) {
    bool match = !id.empty()
                     ? id == "u-" + u.name
                     : name == u.name && (domain_name == u.domain || domain_id == "d-" + u.domain);
    if (match) found = &u;
  }
  if (found == nullptr || found->password != password) {
    return IamError(401, "The username or password is wrong.");
  }
  const rapidjson::Value *scope = Get(*auth, "scope");
  const rapidjson::Value *project = scope ? Get(*scope, "project") : nullptr;
  if (project == nullptr) return IamError(400, "auth.scope.project is required");
  std::string pid = GetStr(project, "id"), pname = GetStr(project, "name");
  if (pid.empty()) {
    auto it = opts_.project_names.find(pname);
    if (it == opts_.project_names.end()) return IamError(401, "project not found");
    pid = it->second;
  } else if (opts_.project_ids.count(pid) == 0) {
    return IamError(401, "project not found");
  }
  for (const auto &pn : opts_.project_names) {
    if (pn.second == pid) pname = pn.first;
  }
  std::string token = "MIIemu" + RandomHex(120);
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
  str(IsoTime(now));
  w.Key("expires_at");
  str(IsoTime(expires));
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
      str(RandomHex(32));
      w.Key("endpoints");
      w.StartArray();
      w.StartObject();
      w.Key("id");
      str(RandomHex(32));
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

Response Emulator::AdminRevokeTokens() {
  size_t n = issued_.size();
  issued_.clear();
  return Response{200, "{\"revoked\":" + std::to_string(n) + "}", {}};
}

}  // namespace emu
