#include "http/options.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <initializer_list>
#include <utility>

#include "core/error.hpp"
#include "core/validate.hpp"

#ifndef SDRS_VERSION_TEXT
#define SDRS_VERSION_TEXT "unknown"
#endif

namespace sdrs {
namespace {

// A PEM file setting: it must be a readable regular file now, not at the first request (a
// directory passes access(R_OK) and failed only in the TLS handshake as SDRS_ETLS).
void check_readable_file(const char *field, const std::string &path) {
  struct stat st {};
  if (path.empty() || stat(path.c_str(), &st) != 0) {
    fail(Code::kValidation, std::string(field) + ": '" + path + "' does not exist");
  }
  if (!S_ISREG(st.st_mode)) {
    fail(Code::kValidation, std::string(field) + ": '" + path + "' is not a regular file" +
                                (S_ISDIR(st.st_mode) ? " (it is a directory)" : ""));
  }
  if (access(path.c_str(), R_OK) != 0) {
    fail(Code::kValidation, std::string(field) + ": '" + path + "' is not readable");
  }
}

}  // namespace

void set_ca_file(TransportOptions &o, const char *path) {
  if (path == nullptr) {
    o.ca_file.clear();
    return;
  }
  const std::string p(path);
  check_readable_file("ca_file", p);
  o.ca_file = p;
}

void set_ca_dir(TransportOptions &o, const char *path) {
  if (path == nullptr) {
    o.ca_dir.clear();
    return;
  }
  const std::string p(path);
  struct stat st {};
  if (p.empty() || stat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
      access(p.c_str(), R_OK | X_OK) != 0) {
    fail(Code::kValidation, "ca_dir: '" + p + "' is not a readable directory");
  }
  o.ca_dir = p;
}

void set_client_cert(TransportOptions &o, const char *cert_file, const char *key_file,
                     const char *key_password) {
  if (cert_file == nullptr && key_file == nullptr) {
    o.client_cert.clear();
    o.client_key.clear();
    o.client_key_password = Secret();
    return;
  }
  if (cert_file == nullptr) fail(Code::kValidation, "cert_file: required with key_file");
  if (key_file == nullptr) fail(Code::kValidation, "key_file: required with cert_file");
  const std::pair<const char *, const char *> files[] = {{"cert_file", cert_file},
                                                         {"key_file", key_file}};
  for (const auto &f : files) check_readable_file(f.first, f.second);
  o.client_cert = cert_file;
  o.client_key = key_file;
  o.client_key_password = Secret(key_password != nullptr ? key_password : "");
}

void set_proxy(TransportOptions &o, const char *proxy_url, const char *no_proxy) {
  std::string url;
  if (proxy_url != nullptr && proxy_url[0] != '\0') {
    url = proxy_url;
    // The message never echoes the URL: it may carry credentials.
    validate_header_value("proxy_url", url, 2048);
    static const char *const kSchemes[] = {"http://",    "https://",  "socks4://",
                                           "socks4a://", "socks5://", "socks5h://"};
    bool known = false;
    for (const char *scheme : kSchemes) known = known || url.rfind(scheme, 0) == 0;
    if (!known || url.find(' ') != std::string::npos) {
      secure_wipe(url);
      fail(Code::kValidation,
           "proxy_url: must start with http://, https://, socks4://, socks4a://, socks5:// "
           "or socks5h://");
    }
  }
  std::string np;
  if (no_proxy != nullptr) {
    np = no_proxy;
    if (!np.empty()) validate_header_value("no_proxy", np, 4096);
    if (np.find(' ') != std::string::npos && np.find(',') == std::string::npos) {
      fail(Code::kValidation, "no_proxy: separate hosts with commas");
    }
  }
  o.proxy_set = proxy_url != nullptr;
  o.proxy = Secret(url);
  secure_wipe(url);
  o.no_proxy_set = no_proxy != nullptr;
  o.no_proxy = np;
}

namespace {

// The first of `names` set to a non-empty value (libcurl's curl_getenv treats "" as unset).
std::string first_set(EnvLookup lookup, std::initializer_list<const char *> names) {
  for (const char *name : names) {
    const char *value = lookup(name);
    if (value != nullptr && value[0] != '\0') return value;
  }
  return {};
}

}  // namespace

ProxyChoice choose_proxy(const TransportOptions &o, EnvLookup lookup) {
  ProxyChoice c;
  if (o.proxy_set) {
    c.http = o.proxy;
    c.https = o.proxy;
  } else {
    // libcurl 7.88 detect_proxy: "<scheme>_proxy" in lower case, its upper-case form except
    // for http (HTTP_PROXY can be set by a CGI request's Proxy header), then all_proxy.
    std::string all = first_set(lookup, {"all_proxy", "ALL_PROXY"});
    std::string http = first_set(lookup, {"http_proxy"});
    std::string https = first_set(lookup, {"https_proxy", "HTTPS_PROXY"});
    c.http = Secret(http.empty() ? all : http);
    c.https = Secret(https.empty() ? all : https);
    for (std::string *s : {&all, &http, &https}) secure_wipe(*s);
  }
  c.no_proxy = o.no_proxy_set ? o.no_proxy : first_set(lookup, {"no_proxy", "NO_PROXY"});
  return c;
}

void set_user_agent_suffix(TransportOptions &o, const char *suffix) {
  if (suffix == nullptr) {
    o.user_agent_suffix.clear();
    return;
  }
  validate_header_value("user_agent_suffix", suffix, 128);
  o.user_agent_suffix = suffix;
}

std::string user_agent(const TransportOptions &o) {
  std::string ua = std::string("libsdrs/") + SDRS_VERSION_TEXT;
  if (!o.user_agent_suffix.empty()) ua += " " + o.user_agent_suffix;
  return ua;
}

}  // namespace sdrs
