// Configuration from the environment (OS_* names) and from clouds.yaml (auth.md section 4),
// with the precedence explicit setter > environment > file whatever the call order: every
// field remembers the source of its value (AuthSettings::sources).
#pragma once

#include <string>

#include "auth/settings.hpp"

namespace sdrs::auth {

enum ConfigSource : int { kSourceNone = 0, kSourceFile = 1, kSourceEnv = 2, kSourceExplicit = 3 };

// Records that a setter gave `field` its value.
void mark_explicit(AuthSettings &c, const char *name);

// Reads the OS_* variables (getenv: must not race with setenv in another thread); returns how
// many fields it set. Throws kValidation naming the
// variable (never its value) for a malformed value.
int load_env(AuthSettings &c);

// Reads one cloud of a clouds.yaml. path NULL: $OS_CLIENT_CONFIG_FILE, else the first of
// ./clouds.yaml, $XDG_CONFIG_HOME/openstack/clouds.yaml (~/.config/openstack),
// /etc/openstack/clouds.yaml (also .yml). cloud NULL: $OS_CLOUD, else the only cloud in the
// file. Without a path, a cloud name or a found file there is nothing to do (returns 0).
int load_clouds_yaml(AuthSettings &c, const char *path, const char *cloud);

}  // namespace sdrs::auth
