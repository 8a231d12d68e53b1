// IAM codec, credential selection and the configuration sources (environment, clouds.yaml).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "auth/authenticator.hpp"
#include "auth/iam_codec.hpp"
#include "auth/settings.hpp"
#include "auth/sources.hpp"
#include "core/error.hpp"

namespace {

using sdrs::Code;
using sdrs::Failure;
using sdrs::Secret;
using sdrs::auth::AuthSettings;
namespace auth = sdrs::auth;

// Message of the Failure fn throws (fails the test when nothing is thrown).
template <typename Fn>
std::string failure(Fn fn, Code expected = Code::kValidation) {
  try {
    fn();
  } catch (const Failure &f) {
    EXPECT_EQ(f.info().code, expected);
    return f.info().message;
  }
  ADD_FAILURE() << "no failure thrown";
  return "";
}

TEST(IamCodec, PasswordBodyByNameAndDomainScopedToProjectName) {
  const std::string pw = "s3cret\"pw";
  auth::PasswordAuth a;
  a.user_name = "alice";
  a.user_domain_name = "OTC0001";
  a.password = &pw;
  a.project_name = "eu-de_demo";
  EXPECT_EQ(auth::encode_password_auth(a),
            R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"alice",)"
            R"("domain":{"name":"OTC0001"},"password":"s3cret\"pw"}}},"scope":{"project":)"
            R"({"name":"eu-de_demo"}}}})");
}

TEST(IamCodec, PasswordBodyByUserIdScopedToProjectId) {
  const std::string pw = "pw";
  auth::PasswordAuth a;
  a.user_id = "u-1";
  a.password = &pw;
  a.project_id = "p1";
  a.project_name = "ignored";
  EXPECT_EQ(auth::encode_password_auth(a),
            R"({"auth":{"identity":{"methods":["password"],"password":{"user":{"id":"u-1",)"
            R"("password":"pw"}}},"scope":{"project":{"id":"p1"}}}})");
}

TEST(IamCodec, DecodesExpiryProjectAndRegionalSdrsEndpoint) {
  const std::string body = R"({"token":{"expires_at":"2015-11-10T01:42:57.527363Z",
    "issued_at":"2015-11-09T01:42:57.527363Z","methods":["password"],
    "project":{"id":"pid","name":"eu-de_x","domain":{"id":"d"}},
    "catalog":[{"type":"identity","endpoints":[{"interface":"public","region":"eu-de","url":"https://iam"}]},
               {"type":"sdrs","endpoints":[
                 {"interface":"internal","region":"eu-de","url":"https://internal"},
                 {"interface":"public","region":"eu-nl","url":"https://sdrs.eu-nl/v1/pid"},
                 {"interface":"public","region":"eu-de","url":"https://sdrs.eu-de/v1/pid"}]}]}})";
  const auth::TokenInfo t = auth::decode_token(body, "eu-de");
  EXPECT_EQ(t.expires_at_ms - t.issued_at_ms, int64_t{86400} * 1000);
  EXPECT_EQ(t.expires_at_ms, int64_t{1447119777527});
  EXPECT_EQ(t.project_id, "pid");
  EXPECT_EQ(t.project_name, "eu-de_x");
  EXPECT_EQ(t.sdrs_url, "https://sdrs.eu-de/v1/pid");
  EXPECT_EQ(auth::decode_token(body, "eu-nl").sdrs_url, "https://sdrs.eu-nl/v1/pid");
  EXPECT_EQ(auth::decode_token(body, "").sdrs_url, "https://sdrs.eu-nl/v1/pid");
}

TEST(IamCodec, RejectsBodiesWithoutExpiry) {
  EXPECT_NE(failure([] { auth::decode_token(R"({"token":{}})", ""); }, Code::kProtocol)
                .find("expires_at"),
            std::string::npos);
  failure([] { auth::decode_token("<html>", ""); }, Code::kProtocol);
}

AuthSettings password_config() {
  AuthSettings c;
  c.username = "alice";
  c.user_domain_name = "dom";
  c.password = Secret("pw");
  c.project_name = "eu-de_demo";
  return c;
}

TEST(SelectMode, PicksTheGivenCredential) {
  EXPECT_EQ(auth::select_mode(password_config()), auth::Mode::kPassword);
  AuthSettings t;
  t.token = Secret("tok");
  t.project_id = "p";
  t.region = "eu-de";
  EXPECT_EQ(auth::select_mode(t), auth::Mode::kToken);
  AuthSettings k;
  k.access_key = "AK";
  k.secret_key = Secret("SK");
  k.project_id = "p";
  k.endpoint = "https://x";
  EXPECT_EQ(auth::select_mode(k), auth::Mode::kAkSk);
}

TEST(SelectMode, IncompleteOrConflictingSettingsNameTheFields) {
  EXPECT_NE(failure([] { auth::select_mode(AuthSettings{}); }).find("credentials"),
            std::string::npos);
  AuthSettings c = password_config();
  c.username.clear();
  EXPECT_NE(failure([&] { auth::select_mode(c); }).find("username or user_id"), std::string::npos);
  c = password_config();
  c.user_domain_name.clear();
  EXPECT_NE(failure([&] { auth::select_mode(c); }).find("user_domain_name"), std::string::npos);
  c = password_config();
  c.project_name = "demo";  // no region prefix, no auth_url
  EXPECT_NE(failure([&] { auth::select_mode(c); }).find("auth_url"), std::string::npos);
  c = password_config();
  c.access_key = "AK";
  c.secret_key = Secret("SK");
  const std::string m = failure([&] { auth::select_mode(c); });
  EXPECT_NE(m.find("password"), std::string::npos);
  EXPECT_NE(m.find("access_key/secret_key"), std::string::npos);
  AuthSettings k;
  k.access_key = "AK";
  k.project_id = "p";
  k.region = "eu-de";
  EXPECT_NE(failure([&] { auth::select_mode(k); }).find("secret_key"), std::string::npos);
}

TEST(SelectMode, StrongerSourceWinsOverWeakerCredentials) {
  AuthSettings c = password_config();
  c.sources["password"] = auth::kSourceFile;
  c.token = Secret("tok");
  c.project_id = "p";
  c.sources["token"] = auth::kSourceEnv;
  EXPECT_EQ(auth::select_mode(c), auth::Mode::kToken);
  c.sources["password"] = auth::kSourceExplicit;
  EXPECT_EQ(auth::select_mode(c), auth::Mode::kPassword);
}

TEST(SelectMode, RegionFromProjectNamePrefix) {
  AuthSettings c = password_config();
  EXPECT_EQ(auth::effective_region(c), "eu-de");
  c.region = "eu-nl";
  EXPECT_EQ(auth::effective_region(c), "eu-nl");
}

// Sets environment variables for one test and restores them.
class EnvTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto &n : set_) unsetenv(n.c_str());
    if (!dir_.empty()) {
      std::error_code ignored;  // best effort: a leftover temp dir must not fail the test
      std::filesystem::remove_all(dir_, ignored);
    }
  }
  void env(const char *name, const char *value) {
    setenv(name, value, 1);
    set_.push_back(name);
  }
  std::string temp_dir() {
    char tmpl[] = "/tmp/sdrs-auth-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    return dir_;
  }
  static void write(const std::string &path, const std::string &text) {
    std::ofstream(path) << text;
  }
  std::vector<std::string> set_;
  std::string dir_;
};

const char *kYaml = R"(clouds:
  otc:
    region_name: eu-nl
    sk: FILESK
    ak: FILEAK
    sdrs_endpoint_override: https://sdrs.example
    auth:
      auth_url: https://iam.file/v3
      username: fileuser
      password: filepw
      user_domain_name: filedomain
      project_name: eu-nl_file
  other:
    auth:
      token: othertoken
)";

TEST_F(EnvTest, EnvironmentReadsConventionalNames) {
  env("OS_AUTH_URL", "https://iam.env/v3");
  env("OS_USERNAME", "envuser");
  env("OS_PASSWORD", "envpw");
  env("OS_DOMAIN_NAME", "envdomain");  // fallback name of OS_USER_DOMAIN_NAME
  env("OS_TENANT_NAME", "eu-de_env");
  env("OS_REGION_NAME", "eu-de");
  env("OS_AK", "ENVAK");
  env("OS_SECRET_KEY", "ENVSK");
  env("OS_SECURITY_TOKEN", "ENVST");
  AuthSettings c;
  EXPECT_EQ(auth::load_env(c), 9);
  EXPECT_EQ(c.auth_url, "https://iam.env/v3");
  EXPECT_EQ(c.username, "envuser");
  EXPECT_EQ(c.password.get(), "envpw");
  EXPECT_EQ(c.user_domain_name, "envdomain");
  EXPECT_EQ(c.project_name, "eu-de_env");
  EXPECT_EQ(c.region, "eu-de");
  EXPECT_EQ(c.access_key, "ENVAK");
  EXPECT_EQ(c.secret_key.get(), "ENVSK");
  EXPECT_EQ(c.security_token.get(), "ENVST");
}

TEST_F(EnvTest, BadEnvironmentValueNamesTheVariableNotTheValue) {
  env("OS_PROJECT_ID", "a/b");
  env("OS_SECRET_KEY", "has space-SECRETVALUE");
  AuthSettings c;
  const std::string m = failure([&] { auth::load_env(c); });
  EXPECT_NE(m.find("OS_PROJECT_ID"), std::string::npos);
  unsetenv("OS_PROJECT_ID");
  const std::string m2 = failure([&] { auth::load_env(c); });
  EXPECT_NE(m2.find("OS_SECRET_KEY"), std::string::npos);
  EXPECT_EQ(m2.find("SECRETVALUE"), std::string::npos);
}

TEST_F(EnvTest, CloudsYamlFromXdgConfigHomeWithOsCloud) {
  const std::string dir = temp_dir();
  ASSERT_EQ(mkdir((dir + "/openstack").c_str(), 0700), 0);
  write(dir + "/openstack/clouds.yaml", kYaml);
  env("XDG_CONFIG_HOME", dir.c_str());
  env("OS_CLOUD", "otc");
  AuthSettings c;
  EXPECT_GT(auth::load_clouds_yaml(c, nullptr, nullptr), 0);
  EXPECT_EQ(c.auth_url, "https://iam.file/v3");
  EXPECT_EQ(c.username, "fileuser");
  EXPECT_EQ(c.password.get(), "filepw");
  EXPECT_EQ(c.user_domain_name, "filedomain");
  EXPECT_EQ(c.project_name, "eu-nl_file");
  EXPECT_EQ(c.region, "eu-nl");
  EXPECT_EQ(c.access_key, "FILEAK");
  EXPECT_EQ(c.secret_key.get(), "FILESK");
  EXPECT_EQ(c.endpoint, "https://sdrs.example");
  // The argument names another cloud.
  AuthSettings o;
  auth::load_clouds_yaml(o, nullptr, "other");
  EXPECT_EQ(o.token.get(), "othertoken");
  // ~/.config/openstack when XDG_CONFIG_HOME is unset.
  unsetenv("XDG_CONFIG_HOME");
  ASSERT_EQ(mkdir((dir + "/home").c_str(), 0700), 0);
  ASSERT_EQ(mkdir((dir + "/home/.config").c_str(), 0700), 0);
  ASSERT_EQ(mkdir((dir + "/home/.config/openstack").c_str(), 0700), 0);
  write(dir + "/home/.config/openstack/clouds.yaml", "clouds:\n  h:\n    auth:\n      token: t\n");
  const char *home = getenv("HOME");
  const std::string saved = home != nullptr ? home : "";
  setenv("HOME", (dir + "/home").c_str(), 1);
  AuthSettings h;
  auth::load_clouds_yaml(h, nullptr, "h");
  EXPECT_EQ(h.token.get(), "t");
  if (home != nullptr) setenv("HOME", saved.c_str(), 1);
}

TEST_F(EnvTest, PrecedenceIsExplicitOverEnvironmentOverFileInAnyOrder) {
  const std::string dir = temp_dir();
  write(dir + "/clouds.yaml", kYaml);
  env("OS_USERNAME", "envuser");
  env("OS_PASSWORD", "envpw");
  for (int order = 0; order < 2; ++order) {
    AuthSettings c;
    c.region = "eu-de";
    auth::mark_explicit(c, "region");
    if (order == 0) {
      auth::load_env(c);
      auth::load_clouds_yaml(c, (dir + "/clouds.yaml").c_str(), "otc");
    } else {
      auth::load_clouds_yaml(c, (dir + "/clouds.yaml").c_str(), "otc");
      auth::load_env(c);
    }
    EXPECT_EQ(c.region, "eu-de") << order;                 // explicit beats both
    EXPECT_EQ(c.username, "envuser") << order;             // environment beats the file
    EXPECT_EQ(c.password.get(), "envpw") << order;         // environment beats the file
    EXPECT_EQ(c.user_domain_name, "filedomain") << order;  // only the file has it
    // Password (env) and AK/SK (file) are both present: the stronger source's one is used.
    EXPECT_EQ(auth::select_mode(c), auth::Mode::kPassword) << order;
  }
}

TEST_F(EnvTest, CloudsYamlErrorsNameTheProblem) {
  const std::string dir = temp_dir();
  write(dir + "/clouds.yaml", kYaml);
  AuthSettings c;
  EXPECT_NE(failure([&] {
              auth::load_clouds_yaml(c, (dir + "/clouds.yaml").c_str(), nullptr);
            }).find("several clouds"),
            std::string::npos);
  EXPECT_NE(failure([&] {
              auth::load_clouds_yaml(c, (dir + "/clouds.yaml").c_str(), "nope");
            }).find("'nope' not found"),
            std::string::npos);
  EXPECT_NE(failure([&] {
              auth::load_clouds_yaml(c, (dir + "/missing.yaml").c_str(), "x");
            }).find("missing.yaml"),
            std::string::npos);
  write(dir + "/bad.yaml", "clouds: [unclosed\n");
  failure([&] { auth::load_clouds_yaml(c, (dir + "/bad.yaml").c_str(), "x"); });
  // Nothing requested and nothing found: nothing to do.
  env("XDG_CONFIG_HOME", (dir + "/none").c_str());
  env("HOME", (dir + "/none").c_str());
  if (access("./clouds.yaml", R_OK) != 0 && access("/etc/openstack/clouds.yaml", R_OK) != 0) {
    EXPECT_EQ(auth::load_clouds_yaml(c, nullptr, nullptr), 0);
  }
}

}  // namespace
