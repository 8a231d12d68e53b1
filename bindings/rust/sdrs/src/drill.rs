//! DR drills (`sdrs/drill.h`): the create builder, the drill object with its drill servers,
//! the calls, listing and paging.

use std::fmt;
use std::ops::ControlFlow;

use crate::client::{job_id_call, CallOptions, Client};
use crate::error::Error;
use crate::job::Job;
use crate::pi::status_enum;
use crate::resource::{self, resource_iter, spec_clearer, spec_setter, IntSetter, IterNewFn, ListGetFn, Listing, NewFn, FromHandle, Handle, ListFns, OwnedHandle, Page};
use crate::util::{c_string, opt_string, time_ms};
use crate::wait::WaitOptions;

// ---------------------------------------------------------------------------------------------
// Create request builder
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct DrillSpecValues {
    server_group_id: Option<String>,
    name: Option<String>,
    drill_vpc_id: Option<String>,
}

/// Create request of a DR drill (`sdrs_drill_spec`): rehearses a disaster by building one
/// drill server per protected instance of a group inside a drill VPC, without touching
/// production. Every setter validates at once and fails with
/// [`ErrorKind::Validation`](crate::ErrorKind::Validation) naming the wire field. The builder
/// is `Clone`.
///
/// ```
/// use sdrs::{DrillSpec, ErrorKind};
///
/// let spec = DrillSpec::new()
///     .server_group_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11")?
///     .name("drill-2024-q1")?;
/// let with_vpc = spec.clone().drill_vpc_id("4b8e2d6f-9a13-4c70-b5e8-1f0d7a3c9e25")?;
/// assert_ne!(spec, with_vpc);
///
/// let err = DrillSpec::new().name("no spaces allowed").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert!(err.message().contains("name"), "{err}");
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct DrillSpec {
    raw: Handle<sdrs_sys::sdrs_drill_spec>,
    values: DrillSpecValues,
}

// SAFETY: drill.h: builders are single-threaded: movable between threads, not shareable.
unsafe impl Send for DrillSpec {}

fn new_drill_spec() -> Handle<sdrs_sys::sdrs_drill_spec> {
    // SAFETY: the _new/_free pair of sdrs_drill_spec.
    unsafe { resource::new_builder(sdrs_sys::sdrs_drill_spec_new, sdrs_sys::sdrs_drill_spec_free, "sdrs_drill_spec_new") }
}

impl DrillSpec {
    /// An empty request.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder (out of memory), like any Rust allocation.
    pub fn new() -> DrillSpec {
        DrillSpec { raw: new_drill_spec(), values: DrillSpecValues::default() }
    }

    spec_setter!(
        /// Required: the protection group to drill.
        server_group_id, server_group_id, sdrs_drill_spec_set_server_group_id, "server_group_id");
    spec_setter!(
        /// Required: 1..64 bytes of `A-Z a-z 0-9 . _ -`.
        name, name, sdrs_drill_spec_set_name, "name");
    spec_setter!(
        /// Optional: an existing drill VPC (not the group's VPC, with the same subnets, not used by
        /// another drill). Unset, the service creates one. The documentation marks it optional while
        /// one SDK requires it; the library follows the documentation.
        drill_vpc_id, drill_vpc_id, sdrs_drill_spec_set_drill_vpc_id, "drill_vpc_id");
    spec_clearer!(
        /// Removes the drill VPC (the service creates one).
        clear_drill_vpc_id, drill_vpc_id, sdrs_drill_spec_set_drill_vpc_id, "drill_vpc_id");

    fn as_ptr(&self) -> *const sdrs_sys::sdrs_drill_spec {
        self.raw.as_ptr()
    }
}

impl Clone for DrillSpec {
    /// A new builder with the same values (set again through libsdrs).
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    fn clone(&self) -> DrillSpec {
        use sdrs_sys::*;
        let raw = new_drill_spec();
        let v = &self.values;
        // SAFETY: valid owned builder.
        unsafe {
            resource::set_texts_again(
                raw.as_ptr(),
                &[
                    (sdrs_drill_spec_set_server_group_id, "server_group_id", &v.server_group_id),
                    (sdrs_drill_spec_set_name, "name", &v.name),
                    (sdrs_drill_spec_set_drill_vpc_id, "drill_vpc_id", &v.drill_vpc_id),
                ],
            )
        };
        DrillSpec { raw, values: v.clone() }
    }
}

resource::builder_default_eq!(DrillSpec, values);

impl fmt::Debug for DrillSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.values;
        f.debug_struct("DrillSpec")
            .field("server_group_id", &v.server_group_id)
            .field("name", &v.name)
            .field("drill_vpc_id", &v.drill_vpc_id)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// The drill object
// ---------------------------------------------------------------------------------------------

status_enum!(
    /// Status of a DR drill (`enum sdrs_drill_status`, spec part 2 section 5.6).
    DrillStatus, sdrs_drill_status_name,
    /// A status this library does not know; see [`Drill::status_str`].
    Unknown = SDRS_DRILL_UNKNOWN,
    /// `creating`
    Creating = SDRS_DRILL_CREATING,
    /// `available`: the drill servers run.
    Available = SDRS_DRILL_AVAILABLE,
    /// `deleting`
    Deleting = SDRS_DRILL_DELETING,
    /// `error-deleting`
    ErrorDeleting = SDRS_DRILL_ERROR_DELETING,
    /// `error`: the create failed.
    Error = SDRS_DRILL_ERROR,
);

/// A drill server: the ECS server a drill built from one protected instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DrillServer {
    instance_id: String,
    server_id: String,
}

impl DrillServer {
    /// The protected instance the drill server copies (wire field `protected_instance`).
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }
    /// The drill server's ECS id (`drill_server_id`).
    pub fn server_id(&self) -> &str {
        &self.server_id
    }
}

/// A DR drill, copied out of an `sdrs_drill` handle (owned, immutable, `Send + Sync`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    id: String,
    name: String,
    status: DrillStatus,
    status_str: Option<String>,
    drill_vpc_id: Option<String>,
    server_group_id: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    created_at_ms: Option<i64>,
    updated_at_ms: Option<i64>,
    servers: Vec<DrillServer>,
    json: String,
}

impl OwnedHandle for Drill {
    const FREE: unsafe extern "C" fn(*mut sdrs_sys::sdrs_drill) = sdrs_sys::sdrs_drill_free;
}

impl FromHandle for Drill {
    type Raw = sdrs_sys::sdrs_drill;
    const WHAT: &'static str = "DR drill";

    unsafe fn copy(p: *const sdrs_sys::sdrs_drill) -> Drill {
        use sdrs_sys::*;
        Drill {
            id: opt_string(sdrs_drill_id(p)).unwrap_or_default(),
            name: opt_string(sdrs_drill_name(p)).unwrap_or_default(),
            status: DrillStatus::from_raw(sdrs_drill_status(p)),
            status_str: opt_string(sdrs_drill_status_str(p)),
            drill_vpc_id: opt_string(sdrs_drill_drill_vpc_id(p)),
            server_group_id: opt_string(sdrs_drill_server_group_id(p)),
            created_at: opt_string(sdrs_drill_created_at(p)),
            updated_at: opt_string(sdrs_drill_updated_at(p)),
            created_at_ms: time_ms(sdrs_drill_created_at_ms(p)),
            updated_at_ms: time_ms(sdrs_drill_updated_at_ms(p)),
            servers: (0..sdrs_drill_server_count(p))
                .map(|i| DrillServer {
                    instance_id: opt_string(sdrs_drill_server_instance_id(p, i)).unwrap_or_default(),
                    server_id: opt_string(sdrs_drill_server_id(p, i)).unwrap_or_default(),
                })
                .collect(),
            json: opt_string(sdrs_drill_json(p)).unwrap_or_default(),
        }
    }
}

impl Drill {
    /// Drill id (UUID); empty when the service sent none.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Name; empty when the service sent none.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Status as an enum.
    pub fn status(&self) -> DrillStatus {
        self.status
    }
    /// Status as the service sent it (useful for [`DrillStatus::Unknown`]).
    pub fn status_str(&self) -> Option<&str> {
        self.status_str.as_deref()
    }
    /// The drill VPC the drill servers run in.
    pub fn drill_vpc_id(&self) -> Option<&str> {
        self.drill_vpc_id.as_deref()
    }
    /// The drilled protection group.
    pub fn server_group_id(&self) -> Option<&str> {
        self.server_group_id.as_deref()
    }
    /// Creation time as the service sent it.
    pub fn created_at(&self) -> Option<&str> {
        self.created_at.as_deref()
    }
    /// Last update time as the service sent it.
    pub fn updated_at(&self) -> Option<&str> {
        self.updated_at.as_deref()
    }
    /// Creation time in Unix milliseconds (UTC), `None` when absent or unparseable.
    pub fn created_at_ms(&self) -> Option<i64> {
        self.created_at_ms
    }
    /// Last update time in Unix milliseconds (UTC), `None` when absent or unparseable.
    pub fn updated_at_ms(&self) -> Option<i64> {
        self.updated_at_ms
    }
    /// The drill servers, one per protected instance of the group (may be empty).
    pub fn servers(&self) -> &[DrillServer] {
        &self.servers
    }
    /// The drill object as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

/// Filters and paging of [`Client::list_drills`] / [`Client::iter_drills`]. Values are checked
/// by libsdrs when the call is made.
///
/// ```
/// let opts = sdrs::DrillListOptions::new().server_group_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11").status("available");
/// # drop(opts);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrillListOptions {
    limit: Option<i64>,
    offset: Option<i64>,
    server_group_id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    drill_vpc_id: Option<String>,
}

impl DrillListOptions {
    /// No filter, service defaults (every drill of the project).
    pub fn new() -> DrillListOptions {
        DrillListOptions::default()
    }
    /// Page size 1..=1000.
    pub fn limit(mut self, limit: i64) -> DrillListOptions {
        self.limit = Some(limit);
        self
    }
    /// Records to skip (the starting point of an iterator), >= 0.
    pub fn offset(mut self, offset: i64) -> DrillListOptions {
        self.offset = Some(offset);
        self
    }
    /// Drills of one group.
    pub fn server_group_id(mut self, group_id: &str) -> DrillListOptions {
        self.server_group_id = Some(group_id.to_string());
        self
    }
    /// Substring match on the name.
    pub fn name(mut self, name: &str) -> DrillListOptions {
        self.name = Some(name.to_string());
        self
    }
    /// Only drills with this status value (`"available"`...; see [`DrillStatus::name`]).
    pub fn status(mut self, status: &str) -> DrillListOptions {
        self.status = Some(status.to_string());
        self
    }
    /// Drills using this drill VPC.
    pub fn drill_vpc_id(mut self, vpc_id: &str) -> DrillListOptions {
        self.drill_vpc_id = Some(vpc_id.to_string());
        self
    }

    fn to_raw(&self) -> Result<Handle<sdrs_sys::sdrs_drill_list_opts>, Error> {
        let raw = resource::list_opts::<Drill>(
            self.limit,
            self.offset,
            &[
                (sdrs_sys::sdrs_drill_list_opts_set_server_group_id, "server_group_id", &self.server_group_id),
                (sdrs_sys::sdrs_drill_list_opts_set_name, "name", &self.name),
                (sdrs_sys::sdrs_drill_list_opts_set_status, "status", &self.status),
                (sdrs_sys::sdrs_drill_list_opts_set_drill_vpc_id, "drill_vpc_id", &self.drill_vpc_id),
            ],
        )?;
        Ok(raw)
    }
}

impl Listing for Drill {
    type Opts = sdrs_sys::sdrs_drill_list_opts;
    type List = sdrs_sys::sdrs_drill_list;
    type Iter = sdrs_sys::sdrs_drill_iter;
    const OPTS_NEW: NewFn<Self::Opts> = sdrs_sys::sdrs_drill_list_opts_new;
    const OPTS_FREE: unsafe extern "C" fn(*mut Self::Opts) = sdrs_sys::sdrs_drill_list_opts_free;
    const SET_LIMIT: IntSetter<Self::Opts> = sdrs_sys::sdrs_drill_list_opts_set_limit;
    const SET_OFFSET: IntSetter<Self::Opts> = sdrs_sys::sdrs_drill_list_opts_set_offset;
    const LIST_GET: ListGetFn<Self::Opts, Self::List> = sdrs_sys::sdrs_drill_list_get;
    const LIST: ListFns<Self::List, Self::Raw> = ListFns {
        size: sdrs_sys::sdrs_drill_list_size,
        at: sdrs_sys::sdrs_drill_list_at,
        count: sdrs_sys::sdrs_drill_list_count,
        free: sdrs_sys::sdrs_drill_list_free,
    };
    const ITER_NEW: IterNewFn<Self::Opts, Self::Iter> = sdrs_sys::sdrs_drill_iter_new;
}

/// One page of DR drills.
pub type DrillPage = Page<Drill>;

resource_iter!(
    /// Iterator over every matching DR drill, fetching pages as needed (`sdrs_drill_iter`).
    DrillIter, Drill, sdrs_drill_iter, sdrs_drill_iter_next, sdrs_drill_iter_free);

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

impl Client {
    /// Sends a drill create request; returns the job id (see [`Client::wait_job`]).
    pub fn create_drill(&self, spec: &DrillSpec, opts: Option<&CallOptions>) -> Result<String, Error> {
        // SAFETY: valid client and spec handles.
        job_id_call(self, opts, |id, c, o, e| unsafe { sdrs_sys::sdrs_drill_create(id, c, spec.as_ptr(), o, e) })
    }

    /// Create, wait for the job, and read the new drill (its id from the job's
    /// `entities.disaster_recovery_drill_id`) with its drill servers. A failed job gives
    /// [`ErrorKind::JobFailed`](crate::ErrorKind::JobFailed).
    pub fn create_drill_and_wait(&self, spec: &DrillSpec, opts: Option<&WaitOptions>) -> Result<Drill, Error> {
        resource::create_and_wait(self, spec.as_ptr(), opts, None, sdrs_sys::sdrs_drill_create_and_wait)
    }

    /// [`create_drill_and_wait`](Client::create_drill_and_wait) with a progress closure, as in
    /// [`Client::wait_job_with_progress`].
    pub fn create_drill_and_wait_with_progress<F>(&self, spec: &DrillSpec, opts: Option<&WaitOptions>, progress: F) -> Result<Drill, Error>
    where
        F: FnMut(&Job) -> ControlFlow<()>,
    {
        resource::create_and_wait_with(self, spec.as_ptr(), opts, progress, sdrs_sys::sdrs_drill_create_and_wait)
    }

    /// Reads one drill. Unknown id: [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) or the
    /// service's not-found code (`SDRS.1902`, HTTP 400).
    pub fn get_drill(&self, drill_id: &str, opts: Option<&CallOptions>) -> Result<Drill, Error> {
        let id = c_string("disaster_recovery_drill_id", drill_id)?;
        let c = self.raw();
        // SAFETY: valid client; id outlives the call.
        resource::object_call(opts, |out, o, e| unsafe { sdrs_sys::sdrs_drill_get(out, c, id.as_ptr(), o, e) })
    }

    /// Renames a drill (synchronous); returns the updated drill.
    pub fn rename_drill(&self, drill_id: &str, new_name: &str, opts: Option<&CallOptions>) -> Result<Drill, Error> {
        let id = c_string("disaster_recovery_drill_id", drill_id)?;
        let name = c_string("name", new_name)?;
        let c = self.raw();
        // SAFETY: valid client; strings outlive the call.
        resource::object_call(opts, |out, o, e| unsafe { sdrs_sys::sdrs_drill_rename(out, c, id.as_ptr(), name.as_ptr(), o, e) })
    }

    /// Deletes a drill and its drill servers (the drill VPC stays); returns the job id.
    pub fn delete_drill(&self, drill_id: &str, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("disaster_recovery_drill_id", drill_id)?;
        // SAFETY: valid client; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_drill_delete(j, c, id.as_ptr(), o, e) })
    }

    /// Reads one page of drills (without options: every drill of the project).
    pub fn list_drills(&self, opts: Option<&DrillListOptions>, call_opts: Option<&CallOptions>) -> Result<DrillPage, Error> {
        let lo = opts.map(DrillListOptions::to_raw).transpose()?;
        resource::list_page(self, lo.as_ref(), call_opts)
    }

    /// Iterates over every matching drill, paging with `limit`/`offset` (page size from the
    /// options' limit, default 1000). `call_opts` applies to each page fetch.
    pub fn iter_drills(&self, opts: Option<&DrillListOptions>, call_opts: Option<&CallOptions>) -> Result<DrillIter<'_>, Error> {
        let lo = opts.map(DrillListOptions::to_raw).transpose()?;
        DrillIter::adopt(resource::iter_new::<Drill>(self, lo.as_ref())?, call_opts)
    }
}
