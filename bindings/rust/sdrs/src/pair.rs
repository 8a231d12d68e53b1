//! Replication pairs (`sdrs/pair.h`): the create builder, the pair object, the calls, listing
//! and paging.

use std::fmt;
use std::ops::ControlFlow;

use crate::client::{job_id_call, CallOptions, Client};
use crate::error::Error;
use crate::job::Job;
use crate::pi::status_enum;
use crate::resource::{self, resource_iter, spec_clearer, spec_setter, IntSetter, IterNewFn, ListGetFn, Listing, NewFn, set_text, FromHandle, Handle, ListFns, OwnedHandle, Page};
use crate::util::{c_string, non_negative, opt_c_string, opt_ptr, opt_string, time_ms};
use crate::wait::WaitOptions;

// ---------------------------------------------------------------------------------------------
// Create request builder
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PairSpecValues {
    server_group_id: Option<String>,
    volume_id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    cluster_id: Option<String>,
}

/// Create request of a replication pair (`sdrs_pair_spec`), for a shared disk (the disks of a
/// protected instance are paired when the instance is created). Every setter validates at once
/// and fails with [`ErrorKind::Validation`](crate::ErrorKind::Validation) naming the wire field.
/// The builder is `Clone`.
///
/// ```
/// use sdrs::{ErrorKind, ReplicationPairSpec};
///
/// let spec = ReplicationPairSpec::new()
///     .server_group_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11")?
///     .volume_id("7e3d2c1b-0a9f-4e8d-b7c6-a5f4e3d2c1b0")?
///     .name("shared-data")?;
/// let copy = spec.clone();
/// assert_eq!(spec, copy);
///
/// let err = ReplicationPairSpec::new().description("<script>").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert!(err.message().contains("description"), "{err}");
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct ReplicationPairSpec {
    raw: Handle<sdrs_sys::sdrs_pair_spec>,
    values: PairSpecValues,
}

// SAFETY: pair.h: builders are single-threaded: movable between threads, not shareable.
unsafe impl Send for ReplicationPairSpec {}

fn new_pair_spec() -> Handle<sdrs_sys::sdrs_pair_spec> {
    // SAFETY: the _new/_free pair of sdrs_pair_spec.
    unsafe { resource::new_builder(sdrs_sys::sdrs_pair_spec_new, sdrs_sys::sdrs_pair_spec_free, "sdrs_pair_spec_new") }
}

impl ReplicationPairSpec {
    /// An empty request.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder (out of memory), like any Rust allocation.
    pub fn new() -> ReplicationPairSpec {
        ReplicationPairSpec { raw: new_pair_spec(), values: PairSpecValues::default() }
    }

    spec_setter!(
        /// Required: the owning protection group.
        server_group_id, server_group_id, sdrs_pair_spec_set_server_group_id, "server_group_id");
    spec_setter!(
        /// Required: the production-site EVS disk (available, not encrypted, not yet paired).
        volume_id, volume_id, sdrs_pair_spec_set_volume_id, "volume_id");
    spec_setter!(
        /// Required: 1..64 bytes of `A-Z a-z 0-9 . _ -`.
        name, name, sdrs_pair_spec_set_name, "name");
    spec_setter!(
        /// Optional: at most 64 bytes, no `<` or `>`.
        description, description, sdrs_pair_spec_set_description, "description");
    spec_setter!(
        /// Optional: a dedicated storage pool id (documented for some regions only; sent only
        /// when set).
        cluster_id, cluster_id, sdrs_pair_spec_set_cluster_id, "cluster_id");

    spec_clearer!(
        /// Removes the description.
        clear_description, description, sdrs_pair_spec_set_description, "description");
    spec_clearer!(
        /// Removes the storage pool id.
        clear_cluster_id, cluster_id, sdrs_pair_spec_set_cluster_id, "cluster_id");

    fn as_ptr(&self) -> *const sdrs_sys::sdrs_pair_spec {
        self.raw.as_ptr()
    }
}

impl Clone for ReplicationPairSpec {
    /// A new builder with the same values (set again through libsdrs).
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    fn clone(&self) -> ReplicationPairSpec {
        use sdrs_sys::*;
        let raw = new_pair_spec();
        let v = &self.values;
        // SAFETY: valid owned builder.
        unsafe {
            resource::set_texts_again(
                raw.as_ptr(),
                &[
                    (sdrs_pair_spec_set_server_group_id, "server_group_id", &v.server_group_id),
                    (sdrs_pair_spec_set_volume_id, "volume_id", &v.volume_id),
                    (sdrs_pair_spec_set_name, "name", &v.name),
                    (sdrs_pair_spec_set_description, "description", &v.description),
                    (sdrs_pair_spec_set_cluster_id, "cluster_id", &v.cluster_id),
                ],
            )
        };
        ReplicationPairSpec { raw, values: v.clone() }
    }
}

resource::builder_default_eq!(ReplicationPairSpec, values);

impl fmt::Debug for ReplicationPairSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.values;
        f.debug_struct("ReplicationPairSpec")
            .field("server_group_id", &v.server_group_id)
            .field("volume_id", &v.volume_id)
            .field("name", &v.name)
            .field("description", &v.description)
            .field("cluster_id", &v.cluster_id)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// The replication pair object
// ---------------------------------------------------------------------------------------------

status_enum!(
    /// Status of a replication pair (`enum sdrs_pair_status`, spec section 4.8).
    PairStatus, sdrs_pair_status_name,
    /// A status this library does not know; see [`ReplicationPair::status_str`].
    Unknown = SDRS_PAIR_UNKNOWN,
    /// `creating`
    Creating = SDRS_PAIR_CREATING,
    /// `available`: protection of its group not enabled.
    Available = SDRS_PAIR_AVAILABLE,
    /// `protected`: replicating.
    Protected = SDRS_PAIR_PROTECTED,
    /// `deleting`
    Deleting = SDRS_PAIR_DELETING,
    /// `error-deleting`
    ErrorDeleting = SDRS_PAIR_ERROR_DELETING,
    /// `error` (see [`ReplicationPair::failure_detail`])
    Error = SDRS_PAIR_ERROR,
    /// `starting`
    Starting = SDRS_PAIR_STARTING,
    /// `error-starting`
    ErrorStarting = SDRS_PAIR_ERROR_STARTING,
    /// `reprotecting`
    Reprotecting = SDRS_PAIR_REPROTECTING,
    /// `error-reprotecting`
    ErrorReprotecting = SDRS_PAIR_ERROR_REPROTECTING,
    /// `stopping`
    Stopping = SDRS_PAIR_STOPPING,
    /// `error-stopping`
    ErrorStopping = SDRS_PAIR_ERROR_STOPPING,
    /// `reversing`
    Reversing = SDRS_PAIR_REVERSING,
    /// `error-reversing`
    ErrorReversing = SDRS_PAIR_ERROR_REVERSING,
    /// `failing-over`
    FailingOver = SDRS_PAIR_FAILING_OVER,
    /// `failed-over`
    FailedOver = SDRS_PAIR_FAILED_OVER,
    /// `error-failing-over`
    ErrorFailingOver = SDRS_PAIR_ERROR_FAILING_OVER,
    /// `extending` (being expanded)
    Extending = SDRS_PAIR_EXTENDING,
    /// `error-extending`
    ErrorExtending = SDRS_PAIR_ERROR_EXTENDING,
    /// `attaching`
    Attaching = SDRS_PAIR_ATTACHING,
    /// `error-attaching`
    ErrorAttaching = SDRS_PAIR_ERROR_ATTACHING,
    /// `detaching`
    Detaching = SDRS_PAIR_DETACHING,
    /// `error-detaching`
    ErrorDetaching = SDRS_PAIR_ERROR_DETACHING,
    /// `invalid`: a disk of the pair was deleted.
    Invalid = SDRS_PAIR_INVALID,
    /// `fault`: replication unhealthy.
    Fault = SDRS_PAIR_FAULT,
);

/// A protected instance using a replication pair (several for a shared disk).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PairAttachment {
    instance_id: String,
    device: String,
}

impl PairAttachment {
    /// The protected instance id.
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }
    /// The device name on the instance's server (`/dev/vdb`...).
    pub fn device(&self) -> &str {
        &self.device
    }
}

/// A replication pair, copied out of an `sdrs_pair` handle (owned, immutable, `Send + Sync`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicationPair {
    id: String,
    name: String,
    description: Option<String>,
    server_group_id: Option<String>,
    status: PairStatus,
    status_str: Option<String>,
    replication_model: Option<String>,
    replication_status: Option<String>,
    priority_station: Option<String>,
    fault_level: Option<String>,
    failure_detail: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    created_at_ms: Option<i64>,
    updated_at_ms: Option<i64>,
    progress: Option<i64>,
    volume_ids_text: Option<String>,
    volume_ids: Vec<String>,
    production_volume_id: Option<String>,
    dr_volume_id: Option<String>,
    attachments: Vec<PairAttachment>,
    volume_size_gb: Option<i64>,
    volume_type: Option<String>,
    multiattach: Option<bool>,
    bootable: Option<bool>,
    json: String,
}

/// The 1 / 0 / -1 (absent) convention of boolean getters.
fn tri_state(v: i32) -> Option<bool> {
    match v {
        0 => Some(false),
        v if v > 0 => Some(true),
        _ => None,
    }
}

impl OwnedHandle for ReplicationPair {
    const FREE: unsafe extern "C" fn(*mut sdrs_sys::sdrs_pair) = sdrs_sys::sdrs_pair_free;
}

impl FromHandle for ReplicationPair {
    type Raw = sdrs_sys::sdrs_pair;
    const WHAT: &'static str = "replication pair";

    unsafe fn copy(p: *const sdrs_sys::sdrs_pair) -> ReplicationPair {
        use sdrs_sys::*;
        ReplicationPair {
            id: opt_string(sdrs_pair_id(p)).unwrap_or_default(),
            name: opt_string(sdrs_pair_name(p)).unwrap_or_default(),
            description: opt_string(sdrs_pair_description(p)),
            server_group_id: opt_string(sdrs_pair_server_group_id(p)),
            status: PairStatus::from_raw(sdrs_pair_status(p)),
            status_str: opt_string(sdrs_pair_status_str(p)),
            replication_model: opt_string(sdrs_pair_replication_model(p)),
            replication_status: opt_string(sdrs_pair_replication_status(p)),
            priority_station: opt_string(sdrs_pair_priority_station(p)),
            fault_level: opt_string(sdrs_pair_fault_level(p)),
            failure_detail: opt_string(sdrs_pair_failure_detail(p)),
            created_at: opt_string(sdrs_pair_created_at(p)),
            updated_at: opt_string(sdrs_pair_updated_at(p)),
            created_at_ms: time_ms(sdrs_pair_created_at_ms(p)),
            updated_at_ms: time_ms(sdrs_pair_updated_at_ms(p)),
            progress: non_negative(sdrs_pair_progress(p)),
            volume_ids_text: opt_string(sdrs_pair_volume_ids(p)),
            volume_ids: (0..sdrs_pair_volume_id_count(p)).filter_map(|i| opt_string(sdrs_pair_volume_id(p, i))).collect(),
            production_volume_id: opt_string(sdrs_pair_production_volume_id(p)),
            dr_volume_id: opt_string(sdrs_pair_dr_volume_id(p)),
            attachments: (0..sdrs_pair_attachment_count(p))
                .map(|i| PairAttachment {
                    instance_id: opt_string(sdrs_pair_attachment_instance_id(p, i)).unwrap_or_default(),
                    device: opt_string(sdrs_pair_attachment_device(p, i)).unwrap_or_default(),
                })
                .collect(),
            volume_size_gb: non_negative(sdrs_pair_volume_size_gb(p)),
            volume_type: opt_string(sdrs_pair_volume_type(p)),
            multiattach: tri_state(sdrs_pair_multiattach(p)),
            bootable: tri_state(sdrs_pair_bootable(p)),
            json: opt_string(sdrs_pair_json(p)).unwrap_or_default(),
        }
    }
}

impl ReplicationPair {
    /// Pair id (UUID); empty when the service sent none.
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
    /// The owning protection group.
    pub fn server_group_id(&self) -> Option<&str> {
        self.server_group_id.as_deref()
    }
    /// Status as an enum.
    pub fn status(&self) -> PairStatus {
        self.status
    }
    /// Status as the service sent it (useful for [`PairStatus::Unknown`]).
    pub fn status_str(&self) -> Option<&str> {
        self.status_str.as_deref()
    }
    /// `"hypermetro"` (synchronous replication).
    pub fn replication_model(&self) -> Option<&str> {
        self.replication_model.as_deref()
    }
    /// `"active"`, `"inactive"`, `"copying"` or `"active-stopped"`.
    pub fn replication_status(&self) -> Option<&str> {
        self.replication_status.as_deref()
    }
    /// The current production site: `"source"` or `"target"`.
    pub fn priority_station(&self) -> Option<&str> {
        self.priority_station.as_deref()
    }
    /// `"0"` none, `"2"` production disk lost access (failover advised), `"5"` replication link
    /// broken.
    pub fn fault_level(&self) -> Option<&str> {
        self.fault_level.as_deref()
    }
    /// An SDRS code, set when the status is `error`.
    pub fn failure_detail(&self) -> Option<&str> {
        self.failure_detail.as_deref()
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
    /// Synchronisation progress in percent.
    pub fn progress(&self) -> Option<i64> {
        self.progress
    }
    /// The service's `volume_ids` text as received (the disk ids joined by `,`).
    pub fn volume_ids_text(&self) -> Option<&str> {
        self.volume_ids_text.as_deref()
    }
    /// The volume ids, split at `,`.
    pub fn volume_ids(&self) -> &[String] {
        &self.volume_ids
    }
    /// The production-site disk (by the convention every client follows: the first id).
    pub fn production_volume_id(&self) -> Option<&str> {
        self.production_volume_id.as_deref()
    }
    /// The DR-site disk (the second id).
    pub fn dr_volume_id(&self) -> Option<&str> {
        self.dr_volume_id.as_deref()
    }
    /// The instances using the pair, with their device names.
    pub fn attachments(&self) -> &[PairAttachment] {
        &self.attachments
    }
    /// Disk size in GB (`record_metadata.volume_size`).
    pub fn volume_size_gb(&self) -> Option<i64> {
        self.volume_size_gb
    }
    /// Disk type (`"SSD"`, `"SAS"`...).
    pub fn volume_type(&self) -> Option<&str> {
        self.volume_type.as_deref()
    }
    /// Whether the disk is shared (`record_metadata.multiattach`).
    pub fn multiattach(&self) -> Option<bool> {
        self.multiattach
    }
    /// Whether the disk is a system disk (`record_metadata.bootable`).
    pub fn bootable(&self) -> Option<bool> {
        self.bootable
    }
    /// The pair object as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

/// Filters and paging of [`Client::list_replication_pairs`] /
/// [`Client::iter_replication_pairs`]. Values are checked by libsdrs when the call is made.
///
/// ```
/// let opts = sdrs::PairListOptions::new().server_group_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11").status("protected");
/// # drop(opts);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PairListOptions {
    limit: Option<i64>,
    offset: Option<i64>,
    server_group_id: Option<String>,
    server_group_ids: Vec<String>,
    instance_id: Option<String>,
    instance_ids: Vec<String>,
    name: Option<String>,
    status: Option<String>,
    query_type: Option<String>,
    availability_zone: Option<String>,
    volume_id: Option<String>,
}

impl PairListOptions {
    /// No filter, service defaults.
    pub fn new() -> PairListOptions {
        PairListOptions::default()
    }
    /// Page size 1..=1000.
    pub fn limit(mut self, limit: i64) -> PairListOptions {
        self.limit = Some(limit);
        self
    }
    /// Records to skip (the starting point of an iterator).
    pub fn offset(mut self, offset: i64) -> PairListOptions {
        self.offset = Some(offset);
        self
    }
    /// Pairs of one group.
    pub fn server_group_id(mut self, group_id: &str) -> PairListOptions {
        self.server_group_id = Some(group_id.to_string());
        self
    }
    /// Adds a group to `server_group_ids` (at most 30; overrides `server_group_id`).
    pub fn add_server_group_id(mut self, group_id: &str) -> PairListOptions {
        self.server_group_ids.push(group_id.to_string());
        self
    }
    /// Pairs attached to one instance.
    pub fn instance_id(mut self, instance_id: &str) -> PairListOptions {
        self.instance_id = Some(instance_id.to_string());
        self
    }
    /// Adds an instance to `protected_instance_ids` (pairs attached to any of them; at most 30).
    pub fn add_instance_id(mut self, instance_id: &str) -> PairListOptions {
        self.instance_ids.push(instance_id.to_string());
        self
    }
    /// Substring match on the name.
    pub fn name(mut self, name: &str) -> PairListOptions {
        self.name = Some(name.to_string());
        self
    }
    /// Only pairs with this status value (`"protected"`...).
    pub fn status(mut self, status: &str) -> PairListOptions {
        self.status = Some(status.to_string());
        self
    }
    /// `"general"` or `"status_abnormal"`.
    pub fn query_type(mut self, query_type: &str) -> PairListOptions {
        self.query_type = Some(query_type.to_string());
        self
    }
    /// The group's current production-site AZ.
    pub fn availability_zone(mut self, az: &str) -> PairListOptions {
        self.availability_zone = Some(az.to_string());
        self
    }
    /// Pairs made from this production disk (documented for some regions only).
    pub fn volume_id(mut self, volume_id: &str) -> PairListOptions {
        self.volume_id = Some(volume_id.to_string());
        self
    }

    fn to_raw(&self) -> Result<Handle<sdrs_sys::sdrs_pair_list_opts>, Error> {
        let raw = resource::list_opts::<ReplicationPair>(
            self.limit,
            self.offset,
            &[
                (sdrs_sys::sdrs_pair_list_opts_set_server_group_id, "server_group_id", &self.server_group_id),
                (sdrs_sys::sdrs_pair_list_opts_set_instance_id, "protected_instance_id", &self.instance_id),
                (sdrs_sys::sdrs_pair_list_opts_set_name, "name", &self.name),
                (sdrs_sys::sdrs_pair_list_opts_set_status, "status", &self.status),
                (sdrs_sys::sdrs_pair_list_opts_set_query_type, "query_type", &self.query_type),
                (sdrs_sys::sdrs_pair_list_opts_set_availability_zone, "availability_zone", &self.availability_zone),
                (sdrs_sys::sdrs_pair_list_opts_set_volume_id, "volume_id", &self.volume_id),
            ],
        )?;
        // SAFETY (all setters): valid owned builder.
        unsafe {
            for id in &self.server_group_ids {
                set_text(raw.as_ptr(), sdrs_sys::sdrs_pair_list_opts_add_server_group_id, "server_group_ids", Some(id))?;
            }
            for id in &self.instance_ids {
                set_text(raw.as_ptr(), sdrs_sys::sdrs_pair_list_opts_add_instance_id, "protected_instance_ids", Some(id))?;
            }
        }
        Ok(raw)
    }
}

impl Listing for ReplicationPair {
    type Opts = sdrs_sys::sdrs_pair_list_opts;
    type List = sdrs_sys::sdrs_pair_list;
    type Iter = sdrs_sys::sdrs_pair_iter;
    const OPTS_NEW: NewFn<Self::Opts> = sdrs_sys::sdrs_pair_list_opts_new;
    const OPTS_FREE: unsafe extern "C" fn(*mut Self::Opts) = sdrs_sys::sdrs_pair_list_opts_free;
    const SET_LIMIT: IntSetter<Self::Opts> = sdrs_sys::sdrs_pair_list_opts_set_limit;
    const SET_OFFSET: IntSetter<Self::Opts> = sdrs_sys::sdrs_pair_list_opts_set_offset;
    const LIST_GET: ListGetFn<Self::Opts, Self::List> = sdrs_sys::sdrs_pair_list_get;
    const LIST: ListFns<Self::List, Self::Raw> = ListFns {
        size: sdrs_sys::sdrs_pair_list_size,
        at: sdrs_sys::sdrs_pair_list_at,
        count: sdrs_sys::sdrs_pair_list_count,
        free: sdrs_sys::sdrs_pair_list_free,
    };
    const ITER_NEW: IterNewFn<Self::Opts, Self::Iter> = sdrs_sys::sdrs_pair_iter_new;
}

/// One page of replication pairs.
pub type PairPage = Page<ReplicationPair>;

resource_iter!(
    /// Iterator over every matching replication pair, fetching pages as needed
    /// (`sdrs_pair_iter`).
    PairIter, ReplicationPair, sdrs_pair_iter, sdrs_pair_iter_next, sdrs_pair_iter_free);

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

impl Client {
    /// Sends a create request; returns the job id (see [`Client::wait_job`]).
    pub fn create_replication_pair(&self, spec: &ReplicationPairSpec, opts: Option<&CallOptions>) -> Result<String, Error> {
        // SAFETY: valid client and spec handles.
        job_id_call(self, opts, |id, c, o, e| unsafe { sdrs_sys::sdrs_pair_create(id, c, spec.as_ptr(), o, e) })
    }

    /// Create, wait for the job, and read the new pair (its id from the job's
    /// `entities.replication_pair_id`). A failed job gives
    /// [`ErrorKind::JobFailed`](crate::ErrorKind::JobFailed).
    pub fn create_replication_pair_and_wait(&self, spec: &ReplicationPairSpec, opts: Option<&WaitOptions>) -> Result<ReplicationPair, Error> {
        resource::create_and_wait(self, spec.as_ptr(), opts, None, sdrs_sys::sdrs_pair_create_and_wait)
    }

    /// [`create_replication_pair_and_wait`](Client::create_replication_pair_and_wait) with a
    /// progress closure, as in [`Client::wait_job_with_progress`].
    pub fn create_replication_pair_and_wait_with_progress<F>(
        &self,
        spec: &ReplicationPairSpec,
        opts: Option<&WaitOptions>,
        progress: F,
    ) -> Result<ReplicationPair, Error>
    where
        F: FnMut(&Job) -> ControlFlow<()>,
    {
        resource::create_and_wait_with(self, spec.as_ptr(), opts, progress, sdrs_sys::sdrs_pair_create_and_wait)
    }

    /// Reads one replication pair. Unknown id: [`ErrorKind::NotFound`](crate::ErrorKind::NotFound).
    pub fn get_replication_pair(&self, replication_id: &str, opts: Option<&CallOptions>) -> Result<ReplicationPair, Error> {
        let id = c_string("replication_id", replication_id)?;
        let c = self.raw();
        // SAFETY: valid client; id outlives the call.
        resource::object_call(opts, |out, o, e| unsafe { sdrs_sys::sdrs_pair_get(out, c, id.as_ptr(), o, e) })
    }

    /// Renames a replication pair (synchronous); returns the updated pair.
    pub fn rename_replication_pair(&self, replication_id: &str, new_name: &str, opts: Option<&CallOptions>) -> Result<ReplicationPair, Error> {
        let id = c_string("replication_id", replication_id)?;
        let name = c_string("name", new_name)?;
        let c = self.raw();
        // SAFETY: valid client; strings outlive the call.
        resource::object_call(opts, |out, o, e| unsafe { sdrs_sys::sdrs_pair_rename(out, c, id.as_ptr(), name.as_ptr(), o, e) })
    }

    /// Deletes a replication pair that is not attached; returns the job id. `server_group_id`
    /// is sent when given; `delete_target_volume` also deletes the DR-site disk (the production
    /// disk is never deleted).
    pub fn delete_replication_pair(
        &self,
        replication_id: &str,
        server_group_id: Option<&str>,
        delete_target_volume: bool,
        opts: Option<&CallOptions>,
    ) -> Result<String, Error> {
        let id = c_string("replication_id", replication_id)?;
        let group = opt_c_string("server_group_id", server_group_id)?;
        let target = i32::from(delete_target_volume);
        // SAFETY: valid client; strings outlive the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pair_delete(j, c, id.as_ptr(), opt_ptr(&group), target, o, e) })
    }

    /// Grows both disks of a pair to `new_size_gb` (the new total size, 1..=32768, larger than
    /// the current size); returns the job id.
    pub fn expand_replication_pair(&self, replication_id: &str, new_size_gb: i64, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("replication_id", replication_id)?;
        // SAFETY: valid client; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pair_expand(j, c, id.as_ptr(), new_size_gb, o, e) })
    }

    /// Reads one page of replication pairs.
    pub fn list_replication_pairs(&self, opts: Option<&PairListOptions>, call_opts: Option<&CallOptions>) -> Result<PairPage, Error> {
        let lo = opts.map(PairListOptions::to_raw).transpose()?;
        resource::list_page(self, lo.as_ref(), call_opts)
    }

    /// Iterates over every matching replication pair, paging with `limit`/`offset` (page size
    /// from the options' limit, default 1000). `call_opts` applies to each page fetch.
    pub fn iter_replication_pairs(&self, opts: Option<&PairListOptions>, call_opts: Option<&CallOptions>) -> Result<PairIter<'_>, Error> {
        let lo = opts.map(PairListOptions::to_raw).transpose()?;
        PairIter::adopt(resource::iter_new::<ReplicationPair>(self, lo.as_ref())?, call_opts)
    }
}
