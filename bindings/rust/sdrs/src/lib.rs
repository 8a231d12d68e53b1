//! Safe Rust binding of libsdrs, the client library for the Open Telekom Cloud Storage
//! Disaster Recovery Service (SDRS).
//!
//! * [`Config`] builds a [`Client`]; a client is `Send + Sync` and meant to be shared.
//! * Every call returns `Result<T, `[`Error`]`>`; [`Error::kind`] is an [`ErrorKind`] with one
//!   variant per `SDRS_E*` code, and the error also carries the HTTP status, the service's
//!   error code, the request id, retryability and, for failed jobs, the job.
//! * Inputs are built with builders ([`ProtectionGroupSpec`], [`ListOptions`],
//!   [`WaitOptions`], [`CallOptions`]) that libsdrs validates before sending anything.
//! * Results are owned values ([`ProtectionGroup`], [`ProtectedInstance`], [`ReplicationPair`],
//!   [`Drill`], [`FailedTask`], [`Quotas`], [`Domain`], [`ApiVersion`]) or immutable handles
//!   ([`Job`]).
//! * Protected instances are tagged ([`TagSet`]) and selected by tag with a [`TagQuery`]; a
//!   quota limit is a [`Limit`]: `Unlimited` or `Limited(n)`, never the service's `-1`.
//! * Blocking calls honour a [`CancelToken`] that any thread may trigger.
//! * A [`Watcher`] follows many jobs from one library thread: [`Watcher::wait`] returns a
//!   [`JobFuture`] (`std::future::Future`), so thousands of waits need no thread each.
//!
//! ```
//! // Validation happens in the builder, before any request:
//! let err = sdrs::ProtectionGroupSpec::new().name("").unwrap_err();
//! assert_eq!(err.kind(), sdrs::ErrorKind::Validation);
//! assert!(sdrs::version_number() >= 10000, "libsdrs {}", sdrs::version());
//! ```
//!
//! The complete example of the README (`examples/lifecycle.rs`):
//!
//! ```no_run
#![doc = include_str!("../examples/lifecycle.rs")]
//! ```
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]

mod client;
mod domain;
mod drill;
mod error;
mod job;
mod pair;
mod pg;
mod pi;
mod quota;
mod resource;
mod tag;
mod task;
mod util;
mod wait;
mod watcher;

pub use client::{CallOptions, CancelToken, Client, Config, HttpVersion, LogLevel};
pub use domain::{ApiVersion, Domain, DomainList};
pub use drill::{Drill, DrillIter, DrillListOptions, DrillPage, DrillServer, DrillSpec, DrillStatus};
pub use error::{error_name, strerror, Error, ErrorKind};
pub use job::{Job, JobStatus, SubJob};
pub use wait::WaitOptions;
pub use watcher::{JobFuture, Watcher, WatcherDispatch, WatcherOptions};
pub use pair::{PairAttachment, PairIter, PairListOptions, PairPage, PairStatus, ReplicationPair, ReplicationPairSpec};
pub use pi::{
    FlavorChange, InstanceAttachment, InstanceDeletion, InstanceIter, InstanceListOptions, InstancePage, NicSpec, PiStatus,
    ProtectedInstance, ProtectedInstanceSpec, Tag,
};
pub use quota::{Limit, QuotaEntry, Quotas};
pub use resource::Page;
pub use tag::{ProjectTag, TagMatch, TagQuery, TagQueryIter, TagQueryPage, TagSet, TaggedResource};
pub use task::{FailedTask, TaskIter, TaskListOptions, TaskPage};
pub use pg::{GroupIter, GroupPage, ListOptions, PgStatus, PriorityStation, ProtectionGroup, ProtectionGroupSpec};

/// The raw declarations, for what the safe API does not cover.
pub use sdrs_sys as sys;

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Run-time product version of the loaded libsdrs, e.g. `"1.0.0"`.
pub fn version() -> &'static str {
    // SAFETY: static, never-NULL string.
    unsafe { util::static_str(sdrs_sys::sdrs_version()) }
}

/// Run-time `MAJOR*10000 + MINOR*100 + PATCH` of the loaded libsdrs.
pub fn version_number() -> i32 {
    // SAFETY: no arguments, no state.
    unsafe { sdrs_sys::sdrs_version_number() }
}
