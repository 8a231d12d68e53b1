#include "auth/iam_codec.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/error.hpp"
#include "core/models.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"

namespace sdrs::auth {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer &w, const std::string &s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void id_or_name(Writer &w, const std::string &id, const std::string &name) {
  w.StartObject();
  if (!id.empty()) {
    w.Key("id");
    str(w, id);
  } else {
    w.Key("name");
    str(w, name);
  }
  w.EndObject();
}

std::string get_str(const rapidjson::Value &obj, const char *key) {
  if (!obj.IsObject()) return "";
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return "";
  return {it->value.GetString(), it->value.GetStringLength()};
}

}  // namespace

std::string encode_password_auth(const PasswordAuth &a) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("auth");
  w.StartObject();
  w.Key("identity");
  w.StartObject();
  w.Key("methods");
  w.StartArray();
  w.String("password");
  w.EndArray();
  w.Key("password");
  w.StartObject();
  w.Key("user");
  w.StartObject();
  if (!a.user_id.empty()) {
    w.Key("id");
    str(w, a.user_id);
  } else {
    w.Key("name");
    str(w, a.user_name);
    w.Key("domain");
    id_or_name(w, a.user_domain_id, a.user_domain_name);
  }
  w.Key("password");
  str(w, a.password != nullptr ? *a.password : std::string());
  w.EndObject();  // user
  w.EndObject();  // password
  w.EndObject();  // identity
  w.Key("scope");
  w.StartObject();
  w.Key("project");
  id_or_name(w, a.project_id, a.project_name);
  w.EndObject();  // scope
  w.EndObject();  // auth
  w.EndObject();
  std::string out(sb.GetString(), sb.GetSize());
  // The buffer held the password too.
  std::fill_n(const_cast<char *>(sb.GetString()), sb.GetSize(), '\0');
  return out;
}

TokenInfo decode_token(const std::string &body, const std::string &region) {
  // RapidJSON does not validate the encoding: the project's id and name reach callers.
  if (!is_utf8_without_nul(body)) fail(Code::kProtocol, "IAM token body is not UTF-8");
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) fail(Code::kProtocol, "IAM token body is not JSON");
  const auto tok = d.FindMember("token");
  if (tok == d.MemberEnd() || !tok->value.IsObject()) {
    fail(Code::kProtocol, "IAM token body has no \"token\" object");
  }
  const rapidjson::Value &t = tok->value;
  TokenInfo info;
  const std::string expires = get_str(t, "expires_at");
  info.expires_at_ms = parse_time_ms(expires);
  if (info.expires_at_ms == kTimeNone) {
    fail(Code::kProtocol, "IAM token body: expires_at missing or not a timestamp");
  }
  info.issued_at_ms = parse_time_ms(get_str(t, "issued_at"));
  const auto proj = t.FindMember("project");
  if (proj != t.MemberEnd()) {
    info.project_id = get_str(proj->value, "id");
    info.project_name = get_str(proj->value, "name");
  }
  const auto cat = t.FindMember("catalog");
  if (cat != t.MemberEnd() && cat->value.IsArray()) {
    for (const auto &svc : cat->value.GetArray()) {
      if (get_str(svc, "type") != "sdrs") continue;
      const auto eps = svc.FindMember("endpoints");
      if (eps == svc.MemberEnd() || !eps->value.IsArray()) continue;
      for (const auto &ep : eps->value.GetArray()) {
        const std::string iface = get_str(ep, "interface");
        if (!iface.empty() && iface != "public") continue;
        const std::string r = get_str(ep, "region");
        if (!region.empty() && !r.empty() && r != region) continue;
        info.sdrs_url = get_str(ep, "url");
        if (!info.sdrs_url.empty()) return info;
      }
    }
  }
  return info;
}

}  // namespace sdrs::auth
