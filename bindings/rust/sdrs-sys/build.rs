//! Finds libsdrs through the `pkg-config` program (no crates: std::process::Command only)
//! and tells cargo how to link it. Fails the build with an explanation when libsdrs is
//! missing or older than the version these declarations describe.

use std::env;
use std::process::Command;

/// Oldest libsdrs whose ABI matches the declarations in src/lib.rs.
const MIN_VERSION: (u32, u32, u32) = (1, 0, 0);

fn main() {
    for var in ["PKG_CONFIG", "PKG_CONFIG_PATH", "PKG_CONFIG_LIBDIR", "PKG_CONFIG_SYSROOT_DIR"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=build.rs");

    let pkg_config = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_string());
    let min = format!("{}.{}.{}", MIN_VERSION.0, MIN_VERSION.1, MIN_VERSION.2);

    let version = run(&pkg_config, &["--modversion", "sdrs"]).unwrap_or_else(|why| {
        panic!(
            "\n\nsdrs-sys: libsdrs >= {min} was not found: {why}\n\
             Install the development package (libsdrs-dev) or, for a CMake build tree, set\n\
             PKG_CONFIG_PATH=<build-dir>/pkgconfig (and LD_LIBRARY_PATH=<build-dir>/lib to run).\n\
             Set PKG_CONFIG to use another pkg-config program.\n"
        )
    });
    let version = version.trim().to_string();
    match parse_version(&version) {
        Some(v) if v >= MIN_VERSION => {}
        Some(_) => panic!(
            "\n\nsdrs-sys: libsdrs {version} is too old; this crate needs libsdrs >= {min}.\n\
             Upgrade libsdrs or point PKG_CONFIG_PATH at a newer build.\n"
        ),
        None => panic!("\n\nsdrs-sys: pkg-config reported an unparseable libsdrs version {version:?}\n"),
    }

    let flags = run(&pkg_config, &["--libs", "--cflags", "sdrs"]).unwrap_or_else(|why| {
        panic!("\n\nsdrs-sys: `{pkg_config} --libs --cflags sdrs` failed: {why}\n")
    });
    let mut linked = false;
    let mut includes = Vec::new();
    for token in flags.split_whitespace() {
        if let Some(dir) = token.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={dir}");
        } else if let Some(lib) = token.strip_prefix("-l") {
            println!("cargo:rustc-link-lib={lib}");
            linked |= lib == "sdrs";
        } else if let Some(dir) = token.strip_prefix("-I") {
            includes.push(dir.to_string());
        }
    }
    if !linked {
        // A .pc file that does not name the library itself is broken; linking would fail later
        // with a far less helpful message.
        panic!("\n\nsdrs-sys: pkg-config's flags for sdrs do not contain -lsdrs: {flags:?}\n");
    }
    // Metadata for crates that depend on us (DEP_SDRS_VERSION, DEP_SDRS_INCLUDE).
    println!("cargo:version={version}");
    println!("cargo:include={}", env::join_paths(&includes).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default());
    println!("cargo:rustc-env=SDRS_SYS_BUILD_VERSION={version}");
}

fn run(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("could not run `{program}`: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(format!("`{program} {}` exited with {}: {}", args.join(" "), out.status, stderr.trim()));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{program}` printed non-UTF-8 output"))
}

fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut parts = v.split(['.', '-', '~', '+']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let patch = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    Some((major, minor, patch))
}
