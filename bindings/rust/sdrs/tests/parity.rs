//! Parity: every exported `sdrs_` function must be declared in sdrs-sys and called by the safe
//! crate. The list comes from the public headers and, when `SDRS_LIB` names the built library,
//! also from `nm -D --defined-only $SDRS_LIB`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Function names declared `SDRS_API ... sdrs_x(` in include/sdrs/*.h (+ version.h.in).
fn header_functions() -> BTreeSet<String> {
    let dir = manifest_dir().join("../../../include/sdrs");
    let mut names = BTreeSet::new();
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(file.ends_with(".h") || file.ends_with(".h.in")) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        // Join declarations that span lines, then split at ';'.
        for decl in text.split(';') {
            let decl = decl.split_whitespace().collect::<Vec<_>>().join(" ");
            let Some(pos) = decl.rfind("SDRS_API ") else { continue };
            let decl = &decl[pos..];
            if let Some(paren) = decl.find('(') {
                let head = decl[..paren].trim_end();
                let name = head.rsplit([' ', '*']).next().unwrap();
                if name.starts_with("sdrs_") {
                    names.insert(name.to_string());
                }
            }
        }
    }
    assert!(names.len() > 100, "header parse found only {} functions", names.len());
    names
}

fn library_functions(lib: &Path) -> BTreeSet<String> {
    let out = Command::new("nm").args(["-D", "--defined-only"]).arg(lib).output().expect("run nm");
    assert!(out.status.success(), "nm failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (kind, name) = (f.nth(1)?, f.next()?);
            let name = name.split('@').next().unwrap();
            (kind == "T" && name.starts_with("sdrs_")).then(|| name.to_string())
        })
        .collect()
}

fn read_sources(dir: &Path) -> String {
    let mut all = String::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            all.push_str(&fs::read_to_string(&path).unwrap());
            all.push('\n');
        }
    }
    all
}

/// Whether `text` contains `name` as a whole identifier directly followed by `suffix`.
fn mentions(text: &str, name: &str, suffix: &str) -> bool {
    let needle = format!("{name}{suffix}");
    text.match_indices(&needle).any(|(i, _)| {
        text[..i].chars().next_back().map_or(true, |c| !(c.is_alphanumeric() || c == '_'))
    })
}

#[test]
fn every_exported_function_is_declared_and_wrapped() {
    let mut exported = header_functions();
    if let Ok(lib) = std::env::var("SDRS_LIB") {
        let from_lib = library_functions(Path::new(&lib));
        assert!(from_lib.len() > 100, "nm found only {} sdrs_ functions in {lib}", from_lib.len());
        let only_lib: Vec<_> = from_lib.difference(&exported).collect();
        let only_hdr: Vec<_> = exported.difference(&from_lib).collect();
        assert!(only_hdr.is_empty(), "declared in the headers but not exported by {lib}: {only_hdr:?}");
        assert!(only_lib.is_empty(), "exported by {lib} but not in the headers: {only_lib:?}");
        exported.extend(from_lib);
    }
    // lib.rs and the generated.rs it includes (scripts/gen-bindings).
    let sys = read_sources(&manifest_dir().join("../sdrs-sys/src"));
    let safe = read_sources(&manifest_dir().join("src"));

    let undeclared: Vec<_> = exported.iter().filter(|n| !mentions(&sys, n, "(")).collect();
    let unwrapped: Vec<_> = exported
        .iter()
        // Called directly `name(` or used as a function value (`new_handle(sdrs_sys::name)`,
        // `free: name,`, `const FREE: .. = name;`, `name as TextSetter<_>`).
        .filter(|n| ["(", ")", ",", ";", " as "].iter().all(|suffix| !mentions(&safe, n, suffix)))
        .collect();
    assert!(undeclared.is_empty(), "no `fn name(` in sdrs-sys for: {undeclared:?}");
    assert!(unwrapped.is_empty(), "no safe wrapper calls: {unwrapped:?}");

    // And the other way round: sdrs-sys declares nothing the library lacks.
    let declared: BTreeSet<String> = sys
        .split("pub fn ")
        .skip(1)
        .filter_map(|rest| rest.split('(').next())
        .map(str::to_string)
        .collect();
    let stale: Vec<_> = declared.difference(&exported).collect();
    assert!(stale.is_empty(), "sdrs-sys declares functions that are not exported: {stale:?}");
}

#[test]
fn readme_example_is_the_compiled_example() {
    let readme = fs::read_to_string(manifest_dir().join("../README.md")).unwrap();
    let example = fs::read_to_string(manifest_dir().join("examples/lifecycle.rs")).unwrap();
    let start = readme.find("```rust\n").expect("README has a ```rust block") + "```rust\n".len();
    let len = readme[start..].find("```").unwrap();
    assert_eq!(readme[start..start + len].trim(), example.trim(), "README example differs from examples/lifecycle.rs");
}

#[test]
fn readme_rehearsal_is_the_compiled_example() {
    let readme = fs::read_to_string(manifest_dir().join("../README.md")).unwrap();
    let example = fs::read_to_string(manifest_dir().join("examples/rehearsal.rs")).unwrap();
    let first_line = example.lines().next().unwrap();
    let start = readme.find(&format!("```rust\n{first_line}")).expect("README has the rehearsal example") + "```rust\n".len();
    let len = readme[start..].find("```").unwrap();
    assert_eq!(readme[start..start + len].trim(), example.trim(), "README rehearsal differs from examples/rehearsal.rs");
}

#[test]
fn readme_watch_is_the_compiled_example() {
    let readme = fs::read_to_string(manifest_dir().join("../README.md")).unwrap();
    let example = fs::read_to_string(manifest_dir().join("examples/watch.rs")).unwrap();
    let first_line = example.lines().next().unwrap();
    let start = readme.find(&format!("```rust\n{first_line}")).expect("README has the watcher example") + "```rust\n".len();
    let len = readme[start..].find("```").unwrap();
    assert_eq!(readme[start..start + len].trim(), example.trim(), "README watcher example differs from examples/watch.rs");
}
