//! Protection groups: the create builder, the group object, the calls, listing and paging.

use std::ffi::c_char;
use std::fmt;
use std::ops::ControlFlow;
use std::ptr::{self, NonNull};
use std::time::SystemTime;

use crate::client::{job_id_call, with_call_opts, CallOptions, Client};
use crate::error::{ErrOwner, Error, ErrorKind};
use crate::job::Job;
use crate::resource::{self, resource_iter, spec_clearer, spec_setter, FromHandle, Handle};
use crate::util::{c_string, check, new_handle, non_negative, opt_c_string, opt_ptr, opt_string, time_ms, to_unix_ms};
use crate::wait::{with_wait_opts, ProgressFn, WaitOptions};

// ---------------------------------------------------------------------------------------------
// Create request builder
// ---------------------------------------------------------------------------------------------

/// Create request of a protection group (`sdrs_pg_spec`). Every setter validates at once and
/// fails with [`ErrorKind::Validation`] naming the field (wire name) and the rule. The builder
/// is `Clone` (a clone is a new libsdrs builder with the same values), so one base request can
/// be completed in several ways.
///
/// ```
/// use sdrs::{ErrorKind, ProtectionGroupSpec};
///
/// let spec = ProtectionGroupSpec::new()
///     .name("web-tier")?
///     .description("production web servers")?
///     .source_az("eu-de-01")?
///     .target_az("eu-de-02")?
///     .domain_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11")?
///     .source_vpc_id("3c0a7b1e-9d55-4e1f-8c3a-2b6d0f9e7a41")?;
/// let other = spec.clone().name("web-tier-2")?;
/// assert_ne!(spec, other);
/// assert_eq!(spec.clone(), spec);
///
/// let err = ProtectionGroupSpec::new().name("no spaces allowed").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert!(err.message().starts_with("name:"), "{}", err.message());
///
/// let err = ProtectionGroupSpec::new().description("<b>bold</b>").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert!(err.message().contains("description"));
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct ProtectionGroupSpec {
    raw: Handle<sdrs_sys::sdrs_pg_spec>,
    values: PgSpecValues,
}

/// The values set on a [`ProtectionGroupSpec`], kept so the builder can be cloned and shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PgSpecValues {
    name: Option<String>,
    source_az: Option<String>,
    target_az: Option<String>,
    domain_id: Option<String>,
    source_vpc_id: Option<String>,
    dr_type: Option<String>,
    server_type: Option<String>,
    description: Option<String>,
}

// SAFETY: pg.h: builders are single-threaded: movable between threads, not shareable.
unsafe impl Send for ProtectionGroupSpec {}

impl fmt::Debug for ProtectionGroupSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.values;
        f.debug_struct("ProtectionGroupSpec")
            .field("name", &v.name)
            .field("source_az", &v.source_az)
            .field("target_az", &v.target_az)
            .field("domain_id", &v.domain_id)
            .field("source_vpc_id", &v.source_vpc_id)
            .field("dr_type", &v.dr_type)
            .field("server_type", &v.server_type)
            .field("description", &v.description)
            .finish()
    }
}

resource::builder_default_eq!(ProtectionGroupSpec, values);

impl Clone for ProtectionGroupSpec {
    /// A new builder with the same values (set again through libsdrs).
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    fn clone(&self) -> ProtectionGroupSpec {
        use sdrs_sys::*;
        let raw = new_pg_spec();
        let v = &self.values;
        // SAFETY: valid owned builder.
        unsafe {
            resource::set_texts_again(
                raw.as_ptr(),
                &[
                    (sdrs_pg_spec_set_name, "name", &v.name),
                    (sdrs_pg_spec_set_source_az, "source_availability_zone", &v.source_az),
                    (sdrs_pg_spec_set_target_az, "target_availability_zone", &v.target_az),
                    (sdrs_pg_spec_set_domain_id, "domain_id", &v.domain_id),
                    (sdrs_pg_spec_set_source_vpc_id, "source_vpc_id", &v.source_vpc_id),
                    (sdrs_pg_spec_set_dr_type, "dr_type", &v.dr_type),
                    (sdrs_pg_spec_set_server_type, "server_type", &v.server_type),
                    (sdrs_pg_spec_set_description, "description", &v.description),
                ],
            )
        };
        ProtectionGroupSpec { raw, values: v.clone() }
    }
}

fn new_pg_spec() -> Handle<sdrs_sys::sdrs_pg_spec> {
    // SAFETY: the _new/_free pair of sdrs_pg_spec.
    unsafe { resource::new_builder(sdrs_sys::sdrs_pg_spec_new, sdrs_sys::sdrs_pg_spec_free, "sdrs_pg_spec_new") }
}

impl ProtectionGroupSpec {
    /// An empty request.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder (out of memory), like any Rust allocation.
    pub fn new() -> ProtectionGroupSpec {
        ProtectionGroupSpec { raw: new_pg_spec(), values: PgSpecValues::default() }
    }

    spec_setter!(
        /// Required: 1..64 bytes of `A-Z a-z 0-9 . _ -`.
        name, name, sdrs_pg_spec_set_name, "name");
    spec_setter!(
        /// Required: the production-site availability zone.
        source_az, source_az, sdrs_pg_spec_set_source_az, "source_availability_zone");
    spec_setter!(
        /// Required: the DR-site availability zone (must differ from the source).
        target_az, target_az, sdrs_pg_spec_set_target_az, "target_availability_zone");
    spec_setter!(
        /// Required: the active-active domain id (see [`Client::domains`]).
        domain_id, domain_id, sdrs_pg_spec_set_domain_id, "domain_id");
    spec_setter!(
        /// Required: VPC id of the production site.
        source_vpc_id, source_vpc_id, sdrs_pg_spec_set_source_vpc_id, "source_vpc_id");
    spec_setter!(
        /// Optional: deployment model, `"migration"` (the default).
        dr_type, dr_type, sdrs_pg_spec_set_dr_type, "dr_type");
    spec_setter!(
        /// Optional: `"ECS"` (the default; sent only when set).
        server_type, server_type, sdrs_pg_spec_set_server_type, "server_type");
    spec_setter!(
        /// Optional: at most 64 bytes, no `<` or `>`.
        description, description, sdrs_pg_spec_set_description, "description");

    spec_clearer!(
        /// Removes the description.
        clear_description, description, sdrs_pg_spec_set_description, "description");

    fn as_ptr(&self) -> *const sdrs_sys::sdrs_pg_spec {
        self.raw.as_ptr()
    }
}

// ---------------------------------------------------------------------------------------------
// The protection group object
// ---------------------------------------------------------------------------------------------

/// Status of a protection group (`enum sdrs_pg_status`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PgStatus {
    /// A status this library does not know; see [`ProtectionGroup::status_str`].
    Unknown,
    /// `creating`
    Creating,
    /// `available`: protection not enabled.
    Available,
    /// `protected`: replication running.
    Protected,
    /// `deleting`
    Deleting,
    /// `error-deleting`
    ErrorDeleting,
    /// `error`
    Error,
    /// `starting` (protection being enabled)
    Starting,
    /// `error-starting`
    ErrorStarting,
    /// `reprotecting` (re-enabling after a failover)
    Reprotecting,
    /// `error-reprotecting`
    ErrorReprotecting,
    /// `stopping` (protection being disabled)
    Stopping,
    /// `error-stopping`
    ErrorStopping,
    /// `reversing` (planned failover)
    Reversing,
    /// `error-reversing`
    ErrorReversing,
    /// `failing-over`
    FailingOver,
    /// `failed-over`
    FailedOver,
    /// `error-failing-over`
    ErrorFailingOver,
}

const PG_STATUSES: [PgStatus; 18] = [
    PgStatus::Unknown,
    PgStatus::Creating,
    PgStatus::Available,
    PgStatus::Protected,
    PgStatus::Deleting,
    PgStatus::ErrorDeleting,
    PgStatus::Error,
    PgStatus::Starting,
    PgStatus::ErrorStarting,
    PgStatus::Reprotecting,
    PgStatus::ErrorReprotecting,
    PgStatus::Stopping,
    PgStatus::ErrorStopping,
    PgStatus::Reversing,
    PgStatus::ErrorReversing,
    PgStatus::FailingOver,
    PgStatus::FailedOver,
    PgStatus::ErrorFailingOver,
];

impl PgStatus {
    /// From the C value (`SDRS_PG_*`); unknown values give [`PgStatus::Unknown`].
    pub fn from_raw(v: i32) -> PgStatus {
        usize::try_from(v).ok().and_then(|i| PG_STATUSES.get(i).copied()).unwrap_or(PgStatus::Unknown)
    }
    /// The C value (`SDRS_PG_*`).
    pub fn to_raw(self) -> i32 {
        use sdrs_sys::*;
        match self {
            PgStatus::Unknown => SDRS_PG_UNKNOWN,
            PgStatus::Creating => SDRS_PG_CREATING,
            PgStatus::Available => SDRS_PG_AVAILABLE,
            PgStatus::Protected => SDRS_PG_PROTECTED,
            PgStatus::Deleting => SDRS_PG_DELETING,
            PgStatus::ErrorDeleting => SDRS_PG_ERROR_DELETING,
            PgStatus::Error => SDRS_PG_ERROR,
            PgStatus::Starting => SDRS_PG_STARTING,
            PgStatus::ErrorStarting => SDRS_PG_ERROR_STARTING,
            PgStatus::Reprotecting => SDRS_PG_REPROTECTING,
            PgStatus::ErrorReprotecting => SDRS_PG_ERROR_REPROTECTING,
            PgStatus::Stopping => SDRS_PG_STOPPING,
            PgStatus::ErrorStopping => SDRS_PG_ERROR_STOPPING,
            PgStatus::Reversing => SDRS_PG_REVERSING,
            PgStatus::ErrorReversing => SDRS_PG_ERROR_REVERSING,
            PgStatus::FailingOver => SDRS_PG_FAILING_OVER,
            PgStatus::FailedOver => SDRS_PG_FAILED_OVER,
            PgStatus::ErrorFailingOver => SDRS_PG_ERROR_FAILING_OVER,
        }
    }
    /// The service's name (`"failed-over"`...), `"unknown"` for [`PgStatus::Unknown`].
    pub fn name(self) -> &'static str {
        // SAFETY: static, never-NULL string.
        unsafe { crate::util::static_str(sdrs_sys::sdrs_pg_status_name(self.to_raw())) }
    }
}

impl fmt::Display for PgStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A protection group, copied out of an `sdrs_pg` handle (owned, immutable, `Send + Sync`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionGroup {
    id: String,
    name: String,
    description: Option<String>,
    status: PgStatus,
    status_str: Option<String>,
    source_az: Option<String>,
    target_az: Option<String>,
    domain_id: Option<String>,
    domain_name: Option<String>,
    priority_station: Option<String>,
    protected_status: Option<String>,
    replication_status: Option<String>,
    health_status: Option<String>,
    source_vpc_id: Option<String>,
    target_vpc_id: Option<String>,
    test_vpc_id: Option<String>,
    dr_type: Option<String>,
    server_type: Option<String>,
    protection_type: Option<String>,
    replication_model: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    created_at_ms: Option<i64>,
    updated_at_ms: Option<i64>,
    progress: Option<i64>,
    protected_instance_num: Option<i64>,
    replication_num: Option<i64>,
    disaster_recovery_drill_num: Option<i64>,
    json: String,
}

impl FromHandle for ProtectionGroup {
    type Raw = sdrs_sys::sdrs_pg;
    const WHAT: &'static str = "protection group";

    unsafe fn copy(p: *const sdrs_sys::sdrs_pg) -> ProtectionGroup {
        ProtectionGroup::from_raw(p)
    }
}

impl ProtectionGroup {
    /// Copies every field of a (borrowed or owned) handle.
    ///
    /// # Safety
    /// `p` must be a valid, non-NULL group handle.
    pub(crate) unsafe fn from_raw(p: *const sdrs_sys::sdrs_pg) -> ProtectionGroup {
        use sdrs_sys::*;
        ProtectionGroup {
            id: opt_string(sdrs_pg_id(p)).unwrap_or_default(),
            name: opt_string(sdrs_pg_name(p)).unwrap_or_default(),
            description: opt_string(sdrs_pg_description(p)),
            status: PgStatus::from_raw(sdrs_pg_status(p)),
            status_str: opt_string(sdrs_pg_status_str(p)),
            source_az: opt_string(sdrs_pg_source_az(p)),
            target_az: opt_string(sdrs_pg_target_az(p)),
            domain_id: opt_string(sdrs_pg_domain_id(p)),
            domain_name: opt_string(sdrs_pg_domain_name(p)),
            priority_station: opt_string(sdrs_pg_priority_station(p)),
            protected_status: opt_string(sdrs_pg_protected_status(p)),
            replication_status: opt_string(sdrs_pg_replication_status(p)),
            health_status: opt_string(sdrs_pg_health_status(p)),
            source_vpc_id: opt_string(sdrs_pg_source_vpc_id(p)),
            target_vpc_id: opt_string(sdrs_pg_target_vpc_id(p)),
            test_vpc_id: opt_string(sdrs_pg_test_vpc_id(p)),
            dr_type: opt_string(sdrs_pg_dr_type(p)),
            server_type: opt_string(sdrs_pg_server_type(p)),
            protection_type: opt_string(sdrs_pg_protection_type(p)),
            replication_model: opt_string(sdrs_pg_replication_model(p)),
            created_at: opt_string(sdrs_pg_created_at(p)),
            updated_at: opt_string(sdrs_pg_updated_at(p)),
            created_at_ms: time_ms(sdrs_pg_created_at_ms(p)),
            updated_at_ms: time_ms(sdrs_pg_updated_at_ms(p)),
            progress: non_negative(sdrs_pg_progress(p)),
            protected_instance_num: non_negative(sdrs_pg_protected_instance_num(p)),
            replication_num: non_negative(sdrs_pg_replication_num(p)),
            disaster_recovery_drill_num: non_negative(sdrs_pg_disaster_recovery_drill_num(p)),
            json: opt_string(sdrs_pg_json(p)).unwrap_or_default(),
        }
    }

    /// Copies an owned handle and frees it.
    ///
    /// # Safety
    /// `p` must be NULL or a group handle owned by the caller.
    unsafe fn take(p: *mut sdrs_sys::sdrs_pg) -> Option<ProtectionGroup> {
        if p.is_null() {
            return None;
        }
        let g = ProtectionGroup::from_raw(p);
        sdrs_sys::sdrs_pg_free(p);
        Some(g)
    }

    /// Group id (UUID); empty when the service sent none.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Name; empty when the service sent none.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Description (`None` when absent or null).
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// Status as an enum.
    pub fn status(&self) -> PgStatus {
        self.status
    }
    /// Status as the service sent it (useful for [`PgStatus::Unknown`]).
    pub fn status_str(&self) -> Option<&str> {
        self.status_str.as_deref()
    }
    /// Production AZ as configured at creation.
    pub fn source_az(&self) -> Option<&str> {
        self.source_az.as_deref()
    }
    /// DR AZ as configured at creation.
    pub fn target_az(&self) -> Option<&str> {
        self.target_az.as_deref()
    }
    /// Id of the active-active domain the group lives in.
    pub fn domain_id(&self) -> Option<&str> {
        self.domain_id.as_deref()
    }
    /// Name of the active-active domain.
    pub fn domain_name(&self) -> Option<&str> {
        self.domain_name.as_deref()
    }
    /// Which configured AZ is currently production: `"source"` or `"target"`.
    pub fn priority_station(&self) -> Option<&str> {
        self.priority_station.as_deref()
    }
    /// `"started"` / `"stopped"`.
    pub fn protected_status(&self) -> Option<&str> {
        self.protected_status.as_deref()
    }
    /// `"active"`, `"inactive"`, `"copying"`, `"active-stopped"`.
    pub fn replication_status(&self) -> Option<&str> {
        self.replication_status.as_deref()
    }
    /// `"normal"` / `"abnormal"`.
    pub fn health_status(&self) -> Option<&str> {
        self.health_status.as_deref()
    }
    /// VPC id of the production site.
    pub fn source_vpc_id(&self) -> Option<&str> {
        self.source_vpc_id.as_deref()
    }
    /// VPC id of the DR site.
    pub fn target_vpc_id(&self) -> Option<&str> {
        self.target_vpc_id.as_deref()
    }
    /// VPC id used by DR drills.
    pub fn test_vpc_id(&self) -> Option<&str> {
        self.test_vpc_id.as_deref()
    }
    /// Deployment model (`"migration"`).
    pub fn dr_type(&self) -> Option<&str> {
        self.dr_type.as_deref()
    }
    /// Protected resource type (`"ECS"`).
    pub fn server_type(&self) -> Option<&str> {
        self.server_type.as_deref()
    }
    /// `"replication-pair"` (sync per pair), or absent for legacy groups.
    pub fn protection_type(&self) -> Option<&str> {
        self.protection_type.as_deref()
    }
    /// Replication model (`"hypermetro"`).
    pub fn replication_model(&self) -> Option<&str> {
        self.replication_model.as_deref()
    }
    /// Creation time as the service sent it.
    pub fn created_at(&self) -> Option<&str> {
        self.created_at.as_deref()
    }
    /// Last update time as the service sent it.
    pub fn updated_at(&self) -> Option<&str> {
        self.updated_at.as_deref()
    }
    /// Creation time as Unix milliseconds (UTC assumed).
    pub fn created_at_ms(&self) -> Option<i64> {
        self.created_at_ms
    }
    /// Last update time as Unix milliseconds (UTC assumed).
    pub fn updated_at_ms(&self) -> Option<i64> {
        self.updated_at_ms
    }
    /// Synchronisation progress in percent.
    pub fn progress(&self) -> Option<i64> {
        self.progress
    }
    /// Number of protected instances in the group.
    pub fn protected_instance_num(&self) -> Option<i64> {
        self.protected_instance_num
    }
    /// Number of replication pairs in the group.
    pub fn replication_num(&self) -> Option<i64> {
        self.replication_num
    }
    /// Number of DR drills of the group.
    pub fn disaster_recovery_drill_num(&self) -> Option<i64> {
        self.disaster_recovery_drill_num
    }
    /// The group object as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

/// Filters and paging of [`Client::list_groups`] / [`Client::iter_groups`]. Values are checked
/// by libsdrs when the call is made.
///
/// ```
/// let opts = sdrs::ListOptions::new().limit(50).status("protected").name("web");
/// # drop(opts);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    limit: Option<i64>,
    offset: Option<i64>,
    status: Option<String>,
    name: Option<String>,
    query_type: Option<String>,
    availability_zone: Option<String>,
}

impl ListOptions {
    /// No filter, service defaults.
    pub fn new() -> ListOptions {
        ListOptions::default()
    }
    /// Page size 1..=1000.
    pub fn limit(mut self, limit: i64) -> ListOptions {
        self.limit = Some(limit);
        self
    }
    /// Records to skip (the starting point of an iterator).
    pub fn offset(mut self, offset: i64) -> ListOptions {
        self.offset = Some(offset);
        self
    }
    /// Only groups with this status value (`"protected"`...).
    pub fn status(mut self, status: &str) -> ListOptions {
        self.status = Some(status.to_string());
        self
    }
    /// Substring match on the name.
    pub fn name(mut self, name: &str) -> ListOptions {
        self.name = Some(name.to_string());
        self
    }
    /// `"general"`, `"status_abnormal"`, `"stop_protected"` or `"period_no_dr_drill"`.
    pub fn query_type(mut self, query_type: &str) -> ListOptions {
        self.query_type = Some(query_type.to_string());
        self
    }
    /// Current production-site AZ.
    pub fn availability_zone(mut self, az: &str) -> ListOptions {
        self.availability_zone = Some(az.to_string());
        self
    }

    fn to_raw(&self) -> Result<RawListOpts, Error> {
        use sdrs_sys::*;
        // SAFETY: sdrs_pg_list_opts_new is an sdrs_X_new function.
        let raw = RawListOpts(unsafe { new_handle(sdrs_pg_list_opts_new)? });
        let p = raw.0.as_ptr();
        let mut err = ptr::null_mut();
        let set_str = |f: unsafe extern "C" fn(*mut sdrs_pg_list_opts, *const c_char, *mut *mut sdrs_error) -> i32,
                       field: &str,
                       v: &Option<String>|
         -> Result<(), Error> {
            if v.is_some() {
                let c = opt_c_string(field, v.as_deref())?;
                let mut err = ptr::null_mut();
                // SAFETY: valid owned builder; c outlives the call.
                unsafe { check(f(p, opt_ptr(&c), &mut err), err)? };
            }
            Ok(())
        };
        // SAFETY: valid owned builder.
        unsafe {
            if let Some(l) = self.limit {
                check(sdrs_pg_list_opts_set_limit(p, l, &mut err), err)?;
            }
            if let Some(o) = self.offset {
                check(sdrs_pg_list_opts_set_offset(p, o, &mut err), err)?;
            }
        }
        set_str(sdrs_pg_list_opts_set_status, "status", &self.status)?;
        set_str(sdrs_pg_list_opts_set_name, "name", &self.name)?;
        set_str(sdrs_pg_list_opts_set_query_type, "query_type", &self.query_type)?;
        set_str(sdrs_pg_list_opts_set_availability_zone, "availability_zone", &self.availability_zone)?;
        Ok(raw)
    }
}

struct RawListOpts(NonNull<sdrs_sys::sdrs_pg_list_opts>);

impl Drop for RawListOpts {
    fn drop(&mut self) {
        // SAFETY: owned handle.
        unsafe { sdrs_sys::sdrs_pg_list_opts_free(self.0.as_ptr()) }
    }
}

fn raw_list_opts(opts: Option<&ListOptions>) -> Result<Option<RawListOpts>, Error> {
    opts.map(ListOptions::to_raw).transpose()
}

fn list_opts_ptr(raw: &Option<RawListOpts>) -> *const sdrs_sys::sdrs_pg_list_opts {
    raw.as_ref().map_or(ptr::null(), |r| r.0.as_ptr())
}

/// One page of protection groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPage {
    groups: Vec<ProtectionGroup>,
    count: Option<i64>,
}

impl GroupPage {
    /// The groups of this page.
    pub fn groups(&self) -> &[ProtectionGroup] {
        &self.groups
    }
    /// The service's `count`: number of matching groups (all pages).
    pub fn count(&self) -> Option<i64> {
        self.count
    }
    /// Takes the groups out.
    pub fn into_groups(self) -> Vec<ProtectionGroup> {
        self.groups
    }
}

impl IntoIterator for GroupPage {
    type Item = ProtectionGroup;
    type IntoIter = std::vec::IntoIter<ProtectionGroup>;
    fn into_iter(self) -> Self::IntoIter {
        self.groups.into_iter()
    }
}

resource_iter!(
    /// Iterator over every matching group, fetching pages as needed (`sdrs_pg_iter`).
    GroupIter, ProtectionGroup, sdrs_pg_iter, sdrs_pg_iter_next, sdrs_pg_iter_free);

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

/// Which configured AZ becomes production in a planned failover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PriorityStation {
    /// Back to the configured `source_availability_zone`.
    Source,
    /// To the configured `target_availability_zone`.
    Target,
}

impl PriorityStation {
    /// The wire value, `"source"` or `"target"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityStation::Source => "source",
            PriorityStation::Target => "target",
        }
    }
}

/// Owns a group handle until taken (frees it when dropped during an unwind).
struct PgOwner(*mut sdrs_sys::sdrs_pg);

impl Drop for PgOwner {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: owned handle.
            unsafe { sdrs_sys::sdrs_pg_free(self.0) }
        }
    }
}

type RawPgCall<'a> = dyn FnOnce(*mut *mut sdrs_sys::sdrs_pg, *const sdrs_sys::sdrs_call_opts, *mut *mut sdrs_sys::sdrs_error) -> i32 + 'a;

fn pg_call(opts: Option<&CallOptions>, f: Box<RawPgCall<'_>>) -> Result<ProtectionGroup, Error> {
    let mut out = ptr::null_mut();
    let mut err = ptr::null_mut();
    let rc = with_call_opts(opts, |o| f(&mut out, o, &mut err))?;
    // SAFETY: outputs of the call just made.
    unsafe {
        check(rc, err)?;
        ProtectionGroup::take(out).ok_or_else(|| Error::new(ErrorKind::Internal, "libsdrs returned no group"))
    }
}

impl Client {
    /// Sends a create request; returns the job id (see [`Client::wait_job`]).
    pub fn create_group(&self, spec: &ProtectionGroupSpec, opts: Option<&CallOptions>) -> Result<String, Error> {
        // SAFETY: valid client and spec handles.
        job_id_call(self, opts, |id, c, o, e| unsafe { sdrs_sys::sdrs_pg_create(id, c, spec.as_ptr(), o, e) })
    }

    /// Create, wait for the job, and read the new group. A failed job gives
    /// [`ErrorKind::JobFailed`] (see [`Client::wait_job`]).
    pub fn create_group_and_wait(&self, spec: &ProtectionGroupSpec, opts: Option<&WaitOptions>) -> Result<ProtectionGroup, Error> {
        self.create_group_and_wait_impl(spec, opts, None)
    }

    /// [`create_group_and_wait`](Client::create_group_and_wait) with a progress closure, as in
    /// [`Client::wait_job_with_progress`].
    pub fn create_group_and_wait_with_progress<F>(
        &self,
        spec: &ProtectionGroupSpec,
        opts: Option<&WaitOptions>,
        mut progress: F,
    ) -> Result<ProtectionGroup, Error>
    where
        F: FnMut(&Job) -> ControlFlow<()>,
    {
        self.create_group_and_wait_impl(spec, opts, Some(&mut progress))
    }

    fn create_group_and_wait_impl(
        &self,
        spec: &ProtectionGroupSpec,
        opts: Option<&WaitOptions>,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<ProtectionGroup, Error> {
        let (rc, pg, err) = with_wait_opts(opts, progress, |w| {
            let mut out = ptr::null_mut();
            let mut err = ptr::null_mut();
            // SAFETY: valid client and spec handles; options outlive the call.
            let rc = unsafe { sdrs_sys::sdrs_pg_create_and_wait(&mut out, self.raw(), spec.as_ptr(), w, &mut err) };
            (rc, PgOwner(out), ErrOwner(err))
        })?;
        // SAFETY: outputs of the call just made.
        unsafe {
            check(rc, err.release())?;
            let p = pg.0;
            std::mem::forget(pg);
            ProtectionGroup::take(p).ok_or_else(|| Error::new(ErrorKind::Internal, "sdrs_pg_create_and_wait returned no group"))
        }
    }

    /// Reconciles a create whose outcome is unknown ([`Error::outcome_unknown`] after
    /// [`Client::create_group`] or [`Client::create_group_and_wait`]): returns the group that a
    /// create of `spec` sent at `since` ([`Error::sent_at`]) made, without sending a create.
    ///
    /// It matches name, AZs, domain id and source VPC id exactly and a `created_at` no earlier
    /// than `since` minus 5 minutes (clock-skew allowance); the newest wins when several match.
    /// [`ErrorKind::NotFound`] means the lost create made nothing and creating again is safe;
    /// any other error means the outcome is still unknown: try again later, do not create. The
    /// group may still be creating, or in error when its job failed: check
    /// [`ProtectionGroup::status`]. A `since` before 1970 is a [`ErrorKind::Validation`] error.
    ///
    /// ```no_run
    /// # fn demo(client: &sdrs::Client, spec: &sdrs::ProtectionGroupSpec) -> Result<(), sdrs::Error> {
    /// match client.create_group(spec, None) {
    ///     Ok(job_id) => println!("creating, job {job_id}"),
    ///     Err(e) if e.outcome_unknown() => {
    ///         let since = e.sent_at().expect("an unknown outcome has a send time");
    ///         match client.find_created_group(spec, since, None) {
    ///             Ok(group) => println!("the lost create made {}", group.id()),
    ///             Err(e) if e.kind() == sdrs::ErrorKind::NotFound => { client.create_group(spec, None)?; }
    ///             Err(e) => return Err(e), // still unknown: do not create again
    ///         }
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn find_created_group(
        &self,
        spec: &ProtectionGroupSpec,
        since: SystemTime,
        opts: Option<&CallOptions>,
    ) -> Result<ProtectionGroup, Error> {
        let since_ms = to_unix_ms(since);
        let c = self.raw();
        // SAFETY: valid client and spec handles.
        pg_call(opts, Box::new(|out, o, e| unsafe { sdrs_sys::sdrs_pg_find_created(out, c, spec.as_ptr(), since_ms, o, e) }))
    }

    /// Reads one group. Unknown id: [`ErrorKind::NotFound`].
    pub fn get_group(&self, group_id: &str, opts: Option<&CallOptions>) -> Result<ProtectionGroup, Error> {
        let id = c_string("server_group_id", group_id)?;
        let c = self.raw();
        // SAFETY: valid client; id outlives the call.
        pg_call(opts, Box::new(|out, o, e| unsafe { sdrs_sys::sdrs_pg_get(out, c, id.as_ptr(), o, e) }))
    }

    /// Renames a group (synchronous); returns the updated group.
    pub fn rename_group(&self, group_id: &str, new_name: &str, opts: Option<&CallOptions>) -> Result<ProtectionGroup, Error> {
        let id = c_string("server_group_id", group_id)?;
        let name = c_string("name", new_name)?;
        let c = self.raw();
        // SAFETY: valid client; strings outlive the call.
        pg_call(opts, Box::new(|out, o, e| unsafe { sdrs_sys::sdrs_pg_rename(out, c, id.as_ptr(), name.as_ptr(), o, e) }))
    }

    /// Deletes a group; returns the job id.
    pub fn delete_group(&self, group_id: &str, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("server_group_id", group_id)?;
        // SAFETY: valid client; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pg_delete(j, c, id.as_ptr(), o, e) })
    }

    /// Enables protection (or re-enables it after a failover); returns the job id.
    pub fn enable_protection(&self, group_id: &str, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("server_group_id", group_id)?;
        // SAFETY: valid client; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pg_enable(j, c, id.as_ptr(), o, e) })
    }

    /// Disables protection; returns the job id.
    pub fn disable_protection(&self, group_id: &str, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("server_group_id", group_id)?;
        // SAFETY: valid client; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pg_disable(j, c, id.as_ptr(), o, e) })
    }

    /// Unplanned failover to the DR site; returns the job id.
    pub fn failover(&self, group_id: &str, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("server_group_id", group_id)?;
        // SAFETY: valid client; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pg_failover(j, c, id.as_ptr(), o, e) })
    }

    /// Planned failover: `station` becomes production; returns the job id.
    pub fn planned_failover(&self, group_id: &str, station: PriorityStation, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("server_group_id", group_id)?;
        let st = c_string("priority_station", station.as_str())?;
        // SAFETY: valid client; strings outlive the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pg_planned_failover(j, c, id.as_ptr(), st.as_ptr(), o, e) })
    }

    /// Reads one page of groups.
    pub fn list_groups(&self, opts: Option<&ListOptions>, call_opts: Option<&CallOptions>) -> Result<GroupPage, Error> {
        let lo = raw_list_opts(opts)?;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client; options outlive the call.
        let rc = with_call_opts(call_opts, |o| unsafe { sdrs_sys::sdrs_pg_list_get(&mut out, self.raw(), list_opts_ptr(&lo), o, &mut err) })?;
        // SAFETY: outputs of the call just made; borrowed groups are copied before the free.
        unsafe {
            check(rc, err)?;
            if out.is_null() {
                return Err(Error::new(ErrorKind::Internal, "sdrs_pg_list returned no list"));
            }
            let n = sdrs_sys::sdrs_pg_list_size(out);
            let groups = (0..n)
                .map(|i| sdrs_sys::sdrs_pg_list_at(out, i))
                .filter(|p| !p.is_null())
                .map(|p| ProtectionGroup::from_raw(p))
                .collect();
            let count = non_negative(sdrs_sys::sdrs_pg_list_count(out));
            sdrs_sys::sdrs_pg_list_free(out);
            Ok(GroupPage { groups, count })
        }
    }

    /// Iterates over every matching group, paging with `limit`/`offset` (page size from the
    /// options' limit, default 1000). `call_opts` applies to each page fetch.
    ///
    /// ```no_run
    /// # fn demo(client: &sdrs::Client) -> Result<(), sdrs::Error> {
    /// for group in client.iter_groups(Some(&sdrs::ListOptions::new().limit(100)), None)? {
    ///     let group = group?;
    ///     println!("{} {}", group.id(), group.status());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn iter_groups(&self, opts: Option<&ListOptions>, call_opts: Option<&CallOptions>) -> Result<GroupIter<'_>, Error> {
        let lo = raw_list_opts(opts)?;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client; the list options are copied by libsdrs.
        unsafe { check(sdrs_sys::sdrs_pg_iter_new(&mut out, self.raw(), list_opts_ptr(&lo), &mut err), err)? };
        GroupIter::adopt(out, call_opts)
    }
}
