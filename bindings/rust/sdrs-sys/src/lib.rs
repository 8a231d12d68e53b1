//! Raw declarations of the libsdrs C API (`include/sdrs.h` and `include/sdrs/*.h`).
//!
//! Everything here is `unsafe` and mirrors the C headers one to one: opaque handle types,
//! the enum values and `#define`s as constants, the callback types and every exported `sdrs_`
//! function. Those live in `generated.rs`, written by `scripts/gen-bindings` from
//! `include/sdrs/*.h` (never edit it by hand; CI fails when it is stale). The safe binding is
//! the `sdrs` crate. The build script locates libsdrs with `pkg-config` and refuses to build
//! against a version older than 1.0.0.
#![no_std]
#![allow(non_camel_case_types)]

/// The libsdrs version pkg-config reported when this crate was built.
pub const SDRS_SYS_BUILD_VERSION: &str = env!("SDRS_SYS_BUILD_VERSION");
/// Oldest run-time `sdrs_version_number()` these declarations work with (1.0.0).
pub const SDRS_MIN_VERSION_NUMBER: i32 = 10000;

mod generated;
pub use generated::*;
