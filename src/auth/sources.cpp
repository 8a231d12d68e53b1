#include "auth/sources.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/error.hpp"
#include "core/validate.hpp"

namespace sdrs::auth {
namespace {

struct Field {
  const char *name;
  std::string AuthSettings::*text;
  Secret AuthSettings::*secret;
};

const Field kFields[] = {
    {"endpoint", &AuthSettings::endpoint, nullptr},
    {"auth_url", &AuthSettings::auth_url, nullptr},
    {"username", &AuthSettings::username, nullptr},
    {"user_id", &AuthSettings::user_id, nullptr},
    {"password", nullptr, &AuthSettings::password},
    {"user_domain_name", &AuthSettings::user_domain_name, nullptr},
    {"user_domain_id", &AuthSettings::user_domain_id, nullptr},
    {"project_id", &AuthSettings::project_id, nullptr},
    {"project_name", &AuthSettings::project_name, nullptr},
    {"region", &AuthSettings::region, nullptr},
    {"access_key", &AuthSettings::access_key, nullptr},
    {"secret_key", nullptr, &AuthSettings::secret_key},
    {"security_token", nullptr, &AuthSettings::security_token},
    {"token", nullptr, &AuthSettings::token},
};

const Field &field(const std::string &name) {
  for (const Field &f : kFields) {
    if (name == f.name) return f;
  }
  fail(Code::kInternal, "unknown config field " + name);
}

bool is_set(const AuthSettings &c, const Field &f) {
  return f.text != nullptr ? !(c.*f.text).empty() : !(c.*f.secret).empty();
}

int current_rank(const AuthSettings &c, const Field &f) {
  const auto it = c.sources.find(f.name);
  if (it != c.sources.end()) return it->second;
  return is_set(c, f) ? kSourceExplicit : kSourceNone;
}

// Sets a field unless a stronger source already did. `origin` names the variable or file key
// in messages; secret values never appear in them.
bool assign(AuthSettings &c, const std::string &name, const std::string &value, int rank,
            const std::string &origin) {
  if (value.empty()) return false;
  const Field &f = field(name);
  if (current_rank(c, f) > rank) return false;
  if (!is_clean_utf8(value) || value.size() > 65536) {
    fail(Code::kValidation, origin +
                                ": must be valid UTF-8 without control characters, at most "
                                "65536 bytes");
  }
  if (name == "project_id") validate_path_segment(origin, value);
  if (f.secret != nullptr || name == "access_key") {
    for (const char ch : value) {
      const auto u = static_cast<unsigned char>(ch);
      if (name != "password" && (u < 0x21 || u >= 0x7f)) {
        fail(Code::kValidation, origin + ": must be printable ASCII without spaces");
      }
    }
  }
  if (f.text != nullptr) {
    c.*f.text = value;
  } else {
    c.*f.secret = Secret(value);
  }
  c.sources[f.name] = rank;
  return true;
}

std::string env(const char *name) {
  // Reading the environment is what sdrs_config_load_env is for; its header says not to call
  // it while another thread changes the environment.
  const char *v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
  return v != nullptr ? v : "";
}

bool readable(const std::string &p) {
  return access(p.c_str(), R_OK) == 0;
}

std::string find_clouds_file() {
  std::string from_env = env("OS_CLIENT_CONFIG_FILE");
  if (!from_env.empty()) return from_env;
  std::vector<std::string> dirs = {"."};
  const std::string xdg = env("XDG_CONFIG_HOME");
  const std::string home = env("HOME");
  if (!xdg.empty()) {
    dirs.push_back(xdg + "/openstack");
  } else if (!home.empty()) {
    dirs.push_back(home + "/.config/openstack");
  }
  dirs.emplace_back("/etc/openstack");
  for (const auto &d : dirs) {
    for (const char *name : {"/clouds.yaml", "/clouds.yml"}) {
      if (readable(d + name)) return d + name;
    }
  }
  return "";
}

std::string scalar(const YAML::Node &map, const char *key) {
  if (!map || !map.IsMap()) return "";
  const YAML::Node n = map[key];
  if (!n || !n.IsScalar()) return "";
  return n.Scalar();
}

}  // namespace

void mark_explicit(AuthSettings &c, const char *name) {
  c.sources[field(name).name] = kSourceExplicit;
}

int load_env(AuthSettings &c) {
  // Conventional names first, then the aliases auth.md 4.1/4.2 lists.
  static const std::pair<const char *, std::vector<const char *>> kVars[] = {
      {"auth_url", {"OS_AUTH_URL"}},
      {"username", {"OS_USERNAME"}},
      {"user_id", {"OS_USER_ID", "OS_USERID"}},
      {"password", {"OS_PASSWORD"}},
      {"user_domain_name", {"OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME"}},
      {"user_domain_id", {"OS_USER_DOMAIN_ID", "OS_DOMAIN_ID", "OS_PROJECT_DOMAIN_ID"}},
      {"project_id", {"OS_PROJECT_ID", "OS_TENANT_ID"}},
      {"project_name", {"OS_PROJECT_NAME", "OS_TENANT_NAME"}},
      {"region", {"OS_REGION_NAME", "OS_REGION_ID"}},
      {"access_key", {"OS_ACCESS_KEY", "OS_ACCESS_KEY_ID", "OS_AK"}},
      {"secret_key", {"OS_SECRET_KEY", "OS_ACCESS_KEY_SECRET", "OS_SK"}},
      {"security_token", {"OS_SECURITY_TOKEN", "OS_AKSK_SECURITY_TOKEN"}},
      {"token", {"OS_TOKEN", "OS_AUTH_TOKEN"}},
      {"endpoint", {"OS_SDRS_ENDPOINT_OVERRIDE"}},
  };
  int n = 0;
  for (const auto &v : kVars) {
    for (const char *name : v.second) {
      std::string value = env(name);
      if (value.empty()) continue;
      if (assign(c, v.first, value, kSourceEnv, name)) ++n;
      secure_wipe(value);
      break;
    }
  }
  return n;
}

int load_clouds_yaml(AuthSettings &c, const char *path_arg, const char *cloud_arg) {
  std::string cloud = cloud_arg != nullptr ? cloud_arg : env("OS_CLOUD");
  const std::string path = path_arg != nullptr ? path_arg : find_clouds_file();
  if (path.empty()) {
    if (cloud.empty()) return 0;
    fail(Code::kValidation, "clouds.yaml: cloud '" + cloud +
                                "' requested but no clouds.yaml found (./, "
                                "$XDG_CONFIG_HOME/openstack, ~/.config/openstack, "
                                "/etc/openstack)");
  }
  if (!readable(path)) {
    fail(Code::kValidation, "clouds.yaml: '" + path + "' does not exist or is not readable");
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception &e) {
    // The parser's message names a position, never a value.
    fail(Code::kValidation, "clouds.yaml: '" + path + "': " + e.msg + " (line " +
                                std::to_string(e.mark.line + 1) + ")");
  }
  const YAML::Node clouds = root["clouds"];
  if (!clouds || !clouds.IsMap() || clouds.size() == 0) {
    fail(Code::kValidation, "clouds.yaml: '" + path + "' has no \"clouds\" map");
  }
  if (cloud.empty()) {
    if (clouds.size() != 1) {
      fail(Code::kValidation,
           "clouds.yaml: '" + path + "' holds several clouds; name one (argument or OS_CLOUD)");
    }
    cloud = clouds.begin()->first.Scalar();
  }
  const YAML::Node entry = clouds[cloud];
  if (!entry || !entry.IsMap()) {
    fail(Code::kValidation, "clouds.yaml: cloud '" + cloud + "' not found in '" + path + "'");
  }
  const YAML::Node a = entry["auth"];
  const std::string where = "clouds.yaml " + cloud + ".";
  int n = 0;
  auto put = [&](const char *f, const YAML::Node &m, std::initializer_list<const char *> keys,
                 const std::string &prefix) {
    for (const char *k : keys) {
      std::string v = scalar(m, k);
      if (v.empty()) continue;
      if (assign(c, f, v, kSourceFile, where + prefix + k)) ++n;
      secure_wipe(v);
      return;
    }
  };
  put("auth_url", a, {"auth_url"}, "auth.");
  put("username", a, {"username", "user_name"}, "auth.");
  put("user_id", a, {"user_id"}, "auth.");
  put("password", a, {"password"}, "auth.");
  put("user_domain_name", a, {"user_domain_name", "domain_name", "project_domain_name"}, "auth.");
  put("user_domain_id", a, {"user_domain_id", "domain_id", "project_domain_id"}, "auth.");
  put("project_id", a, {"project_id", "tenant_id"}, "auth.");
  put("project_name", a, {"project_name", "tenant_name"}, "auth.");
  put("token", a, {"token"}, "auth.");
  // ak/sk live under auth: (gophertelekomcloud) or at cloud level (otcextensions).
  put("access_key", a, {"ak", "access_key"}, "auth.");
  put("access_key", entry, {"ak", "access_key"}, "");
  put("secret_key", a, {"sk", "secret_key"}, "auth.");
  put("secret_key", entry, {"sk", "secret_key"}, "");
  put("security_token", a, {"security_token"}, "auth.");
  put("security_token", entry, {"security_token"}, "");
  put("region", entry, {"region_name", "region"}, "");
  put("endpoint", entry, {"sdrs_endpoint_override"}, "");
  return n;
}

}  // namespace sdrs::auth
