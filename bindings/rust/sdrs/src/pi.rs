//! Protected instances (`sdrs/pi.h`): the create and NIC builders, the instance object, the
//! calls, listing and paging.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::ControlFlow;
use std::ptr;

use crate::client::{job_id_call, CallOptions, Client};
use crate::error::Error;
use crate::job::Job;
use crate::resource::{self, resource_iter, spec_clearer, spec_setter, IntSetter, IterNewFn, ListGetFn, Listing, NewFn, set_pair, set_text, FromHandle, Handle, ListFns, OwnedHandle, Page};
use crate::util::{c_string, non_negative, opt_c_string, opt_ptr, opt_string, time_ms};
use crate::wait::WaitOptions;

// ---------------------------------------------------------------------------------------------
// Create request builder
// ---------------------------------------------------------------------------------------------

/// The values set on a [`ProtectedInstanceSpec`], kept so the builder can be cloned and shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PiSpecValues {
    server_group_id: Option<String>,
    server_id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    primary_subnet_id: Option<String>,
    primary_ip_address: Option<String>,
    flavor_ref: Option<String>,
    tags: Vec<(String, String)>,
}

/// Create request of a protected instance (`sdrs_pi_spec`). Every setter validates at once and
/// fails with [`ErrorKind::Validation`](crate::ErrorKind::Validation) naming the wire field and
/// the rule; the rules that involve several fields are checked when the request is sent.
///
/// The builder is `Clone`: one base request can be completed in several ways.
///
/// ```
/// use sdrs::{ErrorKind, ProtectedInstanceSpec};
///
/// let base = ProtectedInstanceSpec::new()
///     .server_group_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11")?
///     .tag("tier", "web")?;
/// let first = base.clone().name("web-1")?.server_id("0b4f4a52-0d1e-4c38-9a70-6e2f3c1d9a01")?;
/// let second = base.name("web-2")?.server_id("0b4f4a52-0d1e-4c38-9a70-6e2f3c1d9a02")?;
/// assert_ne!(first, second);
///
/// let err = ProtectedInstanceSpec::new().primary_ip_address("10.0.0.300").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert!(err.message().contains("primary_ip_address"), "{err}");
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct ProtectedInstanceSpec {
    raw: Handle<sdrs_sys::sdrs_pi_spec>,
    values: PiSpecValues,
}

// SAFETY: pi.h: builders are single-threaded: movable between threads, not shareable.
unsafe impl Send for ProtectedInstanceSpec {}

impl ProtectedInstanceSpec {
    /// An empty request.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder (out of memory), like any Rust allocation.
    pub fn new() -> ProtectedInstanceSpec {
        ProtectedInstanceSpec { raw: new_pi_spec(), values: PiSpecValues::default() }
    }

    spec_setter!(
        /// Required: the protection group that receives the instance.
        server_group_id, server_group_id, sdrs_pi_spec_set_server_group_id, "server_group_id");
    spec_setter!(
        /// Required: the production-site ECS server (in the group's VPC and production AZ).
        server_id, server_id, sdrs_pi_spec_set_server_id, "server_id");
    spec_setter!(
        /// Required: 1..64 bytes of `A-Z a-z 0-9 . _ -`.
        name, name, sdrs_pi_spec_set_name, "name");
    spec_setter!(
        /// Optional: at most 64 bytes, no `<` or `>`.
        description, description, sdrs_pi_spec_set_description, "description");
    spec_setter!(
        /// Optional: the network id (`neutron_network_id`) of the subnet for the DR server's
        /// primary NIC.
        primary_subnet_id, primary_subnet_id, sdrs_pi_spec_set_primary_subnet_id, "primary_subnet_id");
    spec_setter!(
        /// Optional: dotted-quad IPv4 address of the DR server's primary NIC; only valid
        /// together with [`primary_subnet_id`](ProtectedInstanceSpec::primary_subnet_id)
        /// (checked when the request is sent).
        primary_ip_address, primary_ip_address, sdrs_pi_spec_set_primary_ip_address, "primary_ip_address");
    spec_setter!(
        /// Optional: ECS flavor of the DR server (wire field `flavorRef`); default: the
        /// production server's flavor.
        flavor_ref, flavor_ref, sdrs_pi_spec_set_flavor_ref, "flavorRef");
    spec_clearer!(
        /// Removes the description.
        clear_description, description, sdrs_pi_spec_set_description, "description");
    spec_clearer!(
        /// Removes the primary subnet.
        clear_primary_subnet_id, primary_subnet_id, sdrs_pi_spec_set_primary_subnet_id, "primary_subnet_id");
    spec_clearer!(
        /// Removes the primary IP address.
        clear_primary_ip_address, primary_ip_address, sdrs_pi_spec_set_primary_ip_address, "primary_ip_address");
    spec_clearer!(
        /// Removes the DR flavor (the production server's flavor is used).
        clear_flavor_ref, flavor_ref, sdrs_pi_spec_set_flavor_ref, "flavorRef");

    /// Adds one initial tag. A key given twice is refused; at most 20 tags, key 1..127
    /// characters, value 0..255 characters, no control characters.
    pub fn tag(mut self, key: &str, value: &str) -> Result<ProtectedInstanceSpec, Error> {
        // SAFETY: valid owned builder.
        unsafe { set_pair(self.raw.as_ptr(), sdrs_sys::sdrs_pi_spec_add_tag, ("tags.key", "tags.value"), (key, value))? };
        self.values.tags.push((key.to_string(), value.to_string()));
        Ok(self)
    }

    /// Removes every tag.
    pub fn clear_tags(mut self) -> Result<ProtectedInstanceSpec, Error> {
        let mut err = ptr::null_mut();
        // SAFETY: valid owned builder.
        unsafe { crate::util::check(sdrs_sys::sdrs_pi_spec_clear_tags(self.raw.as_ptr(), &mut err), err)? };
        self.values.tags.clear();
        Ok(self)
    }

    fn as_ptr(&self) -> *const sdrs_sys::sdrs_pi_spec {
        self.raw.as_ptr()
    }
}

fn new_pi_spec() -> Handle<sdrs_sys::sdrs_pi_spec> {
    // SAFETY: the _new/_free pair of sdrs_pi_spec.
    unsafe { resource::new_builder(sdrs_sys::sdrs_pi_spec_new, sdrs_sys::sdrs_pi_spec_free, "sdrs_pi_spec_new") }
}

impl Clone for ProtectedInstanceSpec {
    /// A new builder with the same values (set again through libsdrs).
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    fn clone(&self) -> ProtectedInstanceSpec {
        let raw = new_pi_spec();
        let v = &self.values;
        let p = raw.as_ptr();
        // SAFETY: valid owned builder.
        unsafe {
            resource::set_texts_again(
                p,
                &[
                    (sdrs_sys::sdrs_pi_spec_set_server_group_id, "server_group_id", &v.server_group_id),
                    (sdrs_sys::sdrs_pi_spec_set_server_id, "server_id", &v.server_id),
                    (sdrs_sys::sdrs_pi_spec_set_name, "name", &v.name),
                    (sdrs_sys::sdrs_pi_spec_set_description, "description", &v.description),
                    (sdrs_sys::sdrs_pi_spec_set_primary_subnet_id, "primary_subnet_id", &v.primary_subnet_id),
                    (sdrs_sys::sdrs_pi_spec_set_primary_ip_address, "primary_ip_address", &v.primary_ip_address),
                    (sdrs_sys::sdrs_pi_spec_set_flavor_ref, "flavorRef", &v.flavor_ref),
                ],
            )
        };
        for (key, value) in &v.tags {
            // SAFETY: valid owned builder.
            unsafe { set_pair(p, sdrs_sys::sdrs_pi_spec_add_tag, ("tags.key", "tags.value"), (key, value)) }
                .unwrap_or_else(|e| panic!("cloning the spec: {e}"));
        }
        ProtectedInstanceSpec { raw, values: v.clone() }
    }
}

resource::builder_default_eq!(ProtectedInstanceSpec, values);

impl fmt::Debug for ProtectedInstanceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.values;
        f.debug_struct("ProtectedInstanceSpec")
            .field("server_group_id", &v.server_group_id)
            .field("server_id", &v.server_id)
            .field("name", &v.name)
            .field("description", &v.description)
            .field("primary_subnet_id", &v.primary_subnet_id)
            .field("primary_ip_address", &v.primary_ip_address)
            .field("flavor_ref", &v.flavor_ref)
            .field("tags", &v.tags)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// NIC request builder
// ---------------------------------------------------------------------------------------------

/// A NIC to add to the DR server of a protected instance (`sdrs_pi_nic_spec`), for
/// [`Client::add_nic`]. Setters validate at once.
///
/// ```
/// let nic = sdrs::NicSpec::new()
///     .subnet_id("9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d")?
///     .ip_address("192.168.0.20")?
///     .security_group("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")?;
/// let same = nic.clone();
/// assert_eq!(nic, same);
/// assert!(sdrs::NicSpec::new().ip_address("not-an-ip").is_err());
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct NicSpec {
    raw: Handle<sdrs_sys::sdrs_pi_nic_spec>,
    subnet_id: Option<String>,
    ip_address: Option<String>,
    security_groups: Vec<String>,
}

// SAFETY: pi.h: builders are single-threaded: movable between threads, not shareable.
unsafe impl Send for NicSpec {}

fn new_nic_spec() -> Handle<sdrs_sys::sdrs_pi_nic_spec> {
    // SAFETY: the _new/_free pair of sdrs_pi_nic_spec.
    unsafe { resource::new_builder(sdrs_sys::sdrs_pi_nic_spec_new, sdrs_sys::sdrs_pi_nic_spec_free, "sdrs_pi_nic_spec_new") }
}

impl NicSpec {
    /// An empty NIC request.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder (out of memory).
    pub fn new() -> NicSpec {
        NicSpec { raw: new_nic_spec(), subnet_id: None, ip_address: None, security_groups: Vec::new() }
    }
    /// Required: the subnet's network id (`neutron_network_id`), in the group's VPC.
    pub fn subnet_id(mut self, subnet_id: &str) -> Result<NicSpec, Error> {
        // SAFETY: valid owned builder.
        unsafe { set_text(self.raw.as_ptr(), sdrs_sys::sdrs_pi_nic_spec_set_subnet_id, "subnet_id", Some(subnet_id))? };
        self.subnet_id = Some(subnet_id.to_string());
        Ok(self)
    }
    /// Optional: a free IPv4 address in the subnet (auto-assigned when unset).
    pub fn ip_address(mut self, ip: &str) -> Result<NicSpec, Error> {
        // SAFETY: valid owned builder.
        unsafe { set_text(self.raw.as_ptr(), sdrs_sys::sdrs_pi_nic_spec_set_ip_address, "ip_address", Some(ip))? };
        self.ip_address = Some(ip.to_string());
        Ok(self)
    }
    /// Optional: adds a security group id (the service's default group when none).
    pub fn security_group(mut self, sg_id: &str) -> Result<NicSpec, Error> {
        // SAFETY: valid owned builder.
        unsafe { set_text(self.raw.as_ptr(), sdrs_sys::sdrs_pi_nic_spec_add_security_group, "security_groups", Some(sg_id))? };
        self.security_groups.push(sg_id.to_string());
        Ok(self)
    }
}

impl Clone for NicSpec {
    /// A new builder with the same values.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    fn clone(&self) -> NicSpec {
        let raw = new_nic_spec();
        let p = raw.as_ptr();
        let fail = |e: Error| -> ! { panic!("cloning the NIC spec: {e}") };
        // SAFETY (all three): valid owned builder.
        if let Some(s) = &self.subnet_id {
            unsafe { set_text(p, sdrs_sys::sdrs_pi_nic_spec_set_subnet_id, "subnet_id", Some(s)) }.unwrap_or_else(|e| fail(e));
        }
        if let Some(ip) = &self.ip_address {
            unsafe { set_text(p, sdrs_sys::sdrs_pi_nic_spec_set_ip_address, "ip_address", Some(ip)) }.unwrap_or_else(|e| fail(e));
        }
        for sg in &self.security_groups {
            unsafe { set_text(p, sdrs_sys::sdrs_pi_nic_spec_add_security_group, "security_groups", Some(sg)) }
                .unwrap_or_else(|e| fail(e));
        }
        NicSpec { raw, subnet_id: self.subnet_id.clone(), ip_address: self.ip_address.clone(), security_groups: self.security_groups.clone() }
    }
}

impl Default for NicSpec {
    fn default() -> Self {
        NicSpec::new()
    }
}

impl PartialEq for NicSpec {
    fn eq(&self, other: &Self) -> bool {
        (&self.subnet_id, &self.ip_address, &self.security_groups) == (&other.subnet_id, &other.ip_address, &other.security_groups)
    }
}

impl Eq for NicSpec {}

impl fmt::Debug for NicSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NicSpec")
            .field("subnet_id", &self.subnet_id)
            .field("ip_address", &self.ip_address)
            .field("security_groups", &self.security_groups)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// The protected instance object
// ---------------------------------------------------------------------------------------------

macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident, $name_fn:ident, $( $(#[$vdoc:meta])* $variant:ident = $raw:ident ),+ $(,)?) => {
        $(#[$doc])*
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl $name {
            /// From the C value; unknown values give `Unknown`.
            pub fn from_raw(v: i32) -> $name {
                $( if v == sdrs_sys::$raw { return $name::$variant; } )+
                $name::Unknown
            }
            /// The C value.
            pub fn to_raw(self) -> i32 {
                match self {
                    $( $name::$variant => sdrs_sys::$raw, )+
                }
            }
            /// The service's name (`"failed-over"`...), `"unknown"` for `Unknown`.
            pub fn name(self) -> &'static str {
                // SAFETY: static, never-NULL string.
                unsafe { crate::util::static_str(sdrs_sys::$name_fn(self.to_raw())) }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use status_enum;

status_enum!(
    /// Status of a protected instance (`enum sdrs_pi_status`, spec section 3.12).
    PiStatus, sdrs_pi_status_name,
    /// A status this library does not know; see [`ProtectedInstance::status_str`].
    Unknown = SDRS_PI_UNKNOWN,
    /// `creating`
    Creating = SDRS_PI_CREATING,
    /// `available`: in a group whose protection is not enabled.
    Available = SDRS_PI_AVAILABLE,
    /// `protected`: replication running.
    Protected = SDRS_PI_PROTECTED,
    /// `deleting`
    Deleting = SDRS_PI_DELETING,
    /// `error-deleting`
    ErrorDeleting = SDRS_PI_ERROR_DELETING,
    /// `error`
    Error = SDRS_PI_ERROR,
    /// `starting` (protection being enabled)
    Starting = SDRS_PI_STARTING,
    /// `error-starting`
    ErrorStarting = SDRS_PI_ERROR_STARTING,
    /// `reprotecting`
    Reprotecting = SDRS_PI_REPROTECTING,
    /// `error-reprotecting`
    ErrorReprotecting = SDRS_PI_ERROR_REPROTECTING,
    /// `stopping` (protection being disabled)
    Stopping = SDRS_PI_STOPPING,
    /// `error-stopping`
    ErrorStopping = SDRS_PI_ERROR_STOPPING,
    /// `reversing` (planned failover)
    Reversing = SDRS_PI_REVERSING,
    /// `error-reversing`
    ErrorReversing = SDRS_PI_ERROR_REVERSING,
    /// `failing-over`
    FailingOver = SDRS_PI_FAILING_OVER,
    /// `failed-over`
    FailedOver = SDRS_PI_FAILED_OVER,
    /// `error-failing-over`
    ErrorFailingOver = SDRS_PI_ERROR_FAILING_OVER,
    /// `nic-creating`
    NicCreating = SDRS_PI_NIC_CREATING,
    /// `nic-deleting`
    NicDeleting = SDRS_PI_NIC_DELETING,
    /// `resizing`
    Resizing = SDRS_PI_RESIZING,
    /// `error-resizing`
    ErrorResizing = SDRS_PI_ERROR_RESIZING,
    /// `invalid`: one of its servers was deleted.
    Invalid = SDRS_PI_INVALID,
    /// `fault`: its replication is unhealthy.
    Fault = SDRS_PI_FAULT,
);

/// A replication pair attached to a protected instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceAttachment {
    replication_id: String,
    device: String,
}

impl InstanceAttachment {
    /// The replication pair id.
    pub fn replication_id(&self) -> &str {
        &self.replication_id
    }
    /// The device name on the server (`/dev/vdb`...).
    pub fn device(&self) -> &str {
        &self.device
    }
}

/// A resource tag (key and value).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    key: String,
    value: String,
}

impl Tag {
    pub(crate) fn new(key: String, value: String) -> Tag {
        Tag { key, value }
    }
    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }
    /// The value (may be empty).
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// A protected instance, copied out of an `sdrs_pi` handle (owned, immutable, `Send + Sync`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedInstance {
    id: String,
    name: String,
    description: Option<String>,
    server_group_id: Option<String>,
    status: PiStatus,
    status_str: Option<String>,
    source_server: Option<String>,
    target_server: Option<String>,
    priority_station: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    created_at_ms: Option<i64>,
    updated_at_ms: Option<i64>,
    progress: Option<i64>,
    attachments: Vec<InstanceAttachment>,
    tags: Vec<Tag>,
    metadata: Vec<(String, String)>,
    metadata_lookup: BTreeMap<String, String>,
    frozen: bool,
    json: String,
}

impl OwnedHandle for ProtectedInstance {
    const FREE: unsafe extern "C" fn(*mut sdrs_sys::sdrs_pi) = sdrs_sys::sdrs_pi_free;
}

impl FromHandle for ProtectedInstance {
    type Raw = sdrs_sys::sdrs_pi;
    const WHAT: &'static str = "protected instance";

    unsafe fn copy(p: *const sdrs_sys::sdrs_pi) -> ProtectedInstance {
        use sdrs_sys::*;
        let attachments = (0..sdrs_pi_attachment_count(p))
            .map(|i| InstanceAttachment {
                replication_id: opt_string(sdrs_pi_attachment_replication_id(p, i)).unwrap_or_default(),
                device: opt_string(sdrs_pi_attachment_device(p, i)).unwrap_or_default(),
            })
            .collect();
        let tags = (0..sdrs_pi_tag_count(p))
            .map(|i| Tag {
                key: opt_string(sdrs_pi_tag_key(p, i)).unwrap_or_default(),
                value: opt_string(sdrs_pi_tag_value(p, i)).unwrap_or_default(),
            })
            .collect();
        let metadata: Vec<(String, String)> = (0..sdrs_pi_metadata_count(p))
            .map(|i| {
                (opt_string(sdrs_pi_metadata_key(p, i)).unwrap_or_default(), opt_string(sdrs_pi_metadata_value(p, i)).unwrap_or_default())
            })
            .collect();
        // Lookups by key answer what libsdrs answers (its rule for a key sent twice).
        let metadata_lookup = metadata
            .iter()
            .filter_map(|(k, _)| {
                let key = c_string("metadata", k).ok()?;
                Some((k.clone(), opt_string(sdrs_pi_metadata_get(p, key.as_ptr()))?))
            })
            .collect();
        ProtectedInstance {
            id: opt_string(sdrs_pi_id(p)).unwrap_or_default(),
            name: opt_string(sdrs_pi_name(p)).unwrap_or_default(),
            description: opt_string(sdrs_pi_description(p)),
            server_group_id: opt_string(sdrs_pi_server_group_id(p)),
            status: PiStatus::from_raw(sdrs_pi_status(p)),
            status_str: opt_string(sdrs_pi_status_str(p)),
            source_server: opt_string(sdrs_pi_source_server(p)),
            target_server: opt_string(sdrs_pi_target_server(p)),
            priority_station: opt_string(sdrs_pi_priority_station(p)),
            created_at: opt_string(sdrs_pi_created_at(p)),
            updated_at: opt_string(sdrs_pi_updated_at(p)),
            created_at_ms: time_ms(sdrs_pi_created_at_ms(p)),
            updated_at_ms: time_ms(sdrs_pi_updated_at_ms(p)),
            progress: non_negative(sdrs_pi_progress(p)),
            attachments,
            tags,
            metadata,
            metadata_lookup,
            frozen: sdrs_pi_frozen(p) != 0,
            json: opt_string(sdrs_pi_json(p)).unwrap_or_default(),
        }
    }
}

impl ProtectedInstance {
    /// Instance id (UUID); empty when the service sent none.
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
    /// The protection group holding the instance.
    pub fn server_group_id(&self) -> Option<&str> {
        self.server_group_id.as_deref()
    }
    /// Status as an enum.
    pub fn status(&self) -> PiStatus {
        self.status
    }
    /// Status as the service sent it (useful for [`PiStatus::Unknown`]).
    pub fn status_str(&self) -> Option<&str> {
        self.status_str.as_deref()
    }
    /// The production-site server id.
    pub fn source_server(&self) -> Option<&str> {
        self.source_server.as_deref()
    }
    /// The DR-site server id (created with the instance).
    pub fn target_server(&self) -> Option<&str> {
        self.target_server.as_deref()
    }
    /// The current production site: `"source"` or `"target"`.
    pub fn priority_station(&self) -> Option<&str> {
        self.priority_station.as_deref()
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
    /// The attached replication pairs with their device names.
    pub fn attachments(&self) -> &[InstanceAttachment] {
        &self.attachments
    }
    /// The instance's tags.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }
    /// The metadata map in the service's order; scalar values as text (`"true"`...).
    pub fn metadata(&self) -> &[(String, String)] {
        &self.metadata
    }
    /// One metadata value by key.
    pub fn metadata_value(&self, key: &str) -> Option<&str> {
        self.metadata_lookup.get(key).map(String::as_str)
    }
    /// Whether the instance is frozen (metadata `__system__frozen` is true).
    pub fn frozen(&self) -> bool {
        self.frozen
    }
    /// The instance object as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

/// Filters and paging of [`Client::list_protected_instances`] /
/// [`Client::iter_protected_instances`]. Values are checked by libsdrs when the call is made.
///
/// ```
/// let opts = sdrs::InstanceListOptions::new().server_group_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11").limit(50);
/// # drop(opts);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstanceListOptions {
    limit: Option<i64>,
    offset: Option<i64>,
    server_group_id: Option<String>,
    server_group_ids: Vec<String>,
    instance_ids: Vec<String>,
    status: Option<String>,
    name: Option<String>,
    query_type: Option<String>,
    availability_zone: Option<String>,
}

impl InstanceListOptions {
    /// No filter, service defaults.
    pub fn new() -> InstanceListOptions {
        InstanceListOptions::default()
    }
    /// Page size 1..=1000.
    pub fn limit(mut self, limit: i64) -> InstanceListOptions {
        self.limit = Some(limit);
        self
    }
    /// Records to skip (the starting point of an iterator).
    pub fn offset(mut self, offset: i64) -> InstanceListOptions {
        self.offset = Some(offset);
        self
    }
    /// Instances of one group.
    pub fn server_group_id(mut self, group_id: &str) -> InstanceListOptions {
        self.server_group_id = Some(group_id.to_string());
        self
    }
    /// Adds a group to `server_group_ids` (instances of any of them; at most 30; the service
    /// lets it override [`server_group_id`](InstanceListOptions::server_group_id)).
    pub fn add_server_group_id(mut self, group_id: &str) -> InstanceListOptions {
        self.server_group_ids.push(group_id.to_string());
        self
    }
    /// Adds an instance to `protected_instance_ids` (only these; at most 30; ignored by the
    /// service when a group filter is present).
    pub fn add_instance_id(mut self, instance_id: &str) -> InstanceListOptions {
        self.instance_ids.push(instance_id.to_string());
        self
    }
    /// Only instances with this status value (`"protected"`...).
    pub fn status(mut self, status: &str) -> InstanceListOptions {
        self.status = Some(status.to_string());
        self
    }
    /// Substring match on the name.
    pub fn name(mut self, name: &str) -> InstanceListOptions {
        self.name = Some(name.to_string());
        self
    }
    /// `"general"` or `"status_abnormal"`.
    pub fn query_type(mut self, query_type: &str) -> InstanceListOptions {
        self.query_type = Some(query_type.to_string());
        self
    }
    /// The group's current production-site AZ.
    pub fn availability_zone(mut self, az: &str) -> InstanceListOptions {
        self.availability_zone = Some(az.to_string());
        self
    }

    fn to_raw(&self) -> Result<Handle<sdrs_sys::sdrs_pi_list_opts>, Error> {
        let raw = resource::list_opts::<ProtectedInstance>(
            self.limit,
            self.offset,
            &[
                (sdrs_sys::sdrs_pi_list_opts_set_server_group_id, "server_group_id", &self.server_group_id),
                (sdrs_sys::sdrs_pi_list_opts_set_status, "status", &self.status),
                (sdrs_sys::sdrs_pi_list_opts_set_name, "name", &self.name),
                (sdrs_sys::sdrs_pi_list_opts_set_query_type, "query_type", &self.query_type),
                (sdrs_sys::sdrs_pi_list_opts_set_availability_zone, "availability_zone", &self.availability_zone),
            ],
        )?;
        // SAFETY (all setters): valid owned builder.
        unsafe {
            for id in &self.server_group_ids {
                set_text(raw.as_ptr(), sdrs_sys::sdrs_pi_list_opts_add_server_group_id, "server_group_ids", Some(id))?;
            }
            for id in &self.instance_ids {
                set_text(raw.as_ptr(), sdrs_sys::sdrs_pi_list_opts_add_instance_id, "protected_instance_ids", Some(id))?;
            }
        }
        Ok(raw)
    }
}

impl Listing for ProtectedInstance {
    type Opts = sdrs_sys::sdrs_pi_list_opts;
    type List = sdrs_sys::sdrs_pi_list;
    type Iter = sdrs_sys::sdrs_pi_iter;
    const OPTS_NEW: NewFn<Self::Opts> = sdrs_sys::sdrs_pi_list_opts_new;
    const OPTS_FREE: unsafe extern "C" fn(*mut Self::Opts) = sdrs_sys::sdrs_pi_list_opts_free;
    const SET_LIMIT: IntSetter<Self::Opts> = sdrs_sys::sdrs_pi_list_opts_set_limit;
    const SET_OFFSET: IntSetter<Self::Opts> = sdrs_sys::sdrs_pi_list_opts_set_offset;
    const LIST_GET: ListGetFn<Self::Opts, Self::List> = sdrs_sys::sdrs_pi_list_get;
    const LIST: ListFns<Self::List, Self::Raw> = ListFns {
        size: sdrs_sys::sdrs_pi_list_size,
        at: sdrs_sys::sdrs_pi_list_at,
        count: sdrs_sys::sdrs_pi_list_count,
        free: sdrs_sys::sdrs_pi_list_free,
    };
    const ITER_NEW: IterNewFn<Self::Opts, Self::Iter> = sdrs_sys::sdrs_pi_iter_new;
}

/// One page of protected instances.
pub type InstancePage = Page<ProtectedInstance>;

resource_iter!(
    /// Iterator over every matching protected instance, fetching pages as needed
    /// (`sdrs_pi_iter`).
    InstanceIter, ProtectedInstance, sdrs_pi_iter, sdrs_pi_iter_next, sdrs_pi_iter_free);

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

/// What [`Client::delete_protected_instance`] deletes besides the instance. The production
/// server is never deleted.
///
/// ```
/// let all = sdrs::InstanceDeletion::new().delete_target_server(true).delete_target_eip(true);
/// # drop(all);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct InstanceDeletion {
    delete_target_server: bool,
    delete_target_eip: bool,
}

impl InstanceDeletion {
    /// Deletes only the protection (the DR server and its disks stay).
    pub fn new() -> InstanceDeletion {
        InstanceDeletion::default()
    }
    /// Also delete the DR-site server and its disks (`delete_target_server`).
    pub fn delete_target_server(mut self, yes: bool) -> InstanceDeletion {
        self.delete_target_server = yes;
        self
    }
    /// Also release the DR server's EIP (`delete_target_eip`).
    pub fn delete_target_eip(mut self, yes: bool) -> InstanceDeletion {
        self.delete_target_eip = yes;
        self
    }
}

/// The flavor change of [`Client::resize_protected_instance`] (wire fields
/// `resize.*flavorRef`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlavorChange<'a> {
    /// One flavor for both servers (`flavorRef`).
    Both(&'a str),
    /// Only the production server (`production_flavorRef`).
    Production(&'a str),
    /// Only the DR server (`dr_flavorRef`).
    Dr(&'a str),
    /// A flavor for each server.
    Each {
        /// `production_flavorRef`
        production: &'a str,
        /// `dr_flavorRef`
        dr: &'a str,
    },
}

impl Client {
    /// Sends a create request; returns the job id (see [`Client::wait_job`]).
    pub fn create_protected_instance(&self, spec: &ProtectedInstanceSpec, opts: Option<&CallOptions>) -> Result<String, Error> {
        // SAFETY: valid client and spec handles.
        job_id_call(self, opts, |id, c, o, e| unsafe { sdrs_sys::sdrs_pi_create(id, c, spec.as_ptr(), o, e) })
    }

    /// Create, wait for the job, and read the new instance (its id from the job's
    /// `entities.protected_instance_id`). A failed job gives
    /// [`ErrorKind::JobFailed`](crate::ErrorKind::JobFailed).
    pub fn create_protected_instance_and_wait(
        &self,
        spec: &ProtectedInstanceSpec,
        opts: Option<&WaitOptions>,
    ) -> Result<ProtectedInstance, Error> {
        resource::create_and_wait(self, spec.as_ptr(), opts, None, sdrs_sys::sdrs_pi_create_and_wait)
    }

    /// [`create_protected_instance_and_wait`](Client::create_protected_instance_and_wait) with a
    /// progress closure, as in [`Client::wait_job_with_progress`].
    pub fn create_protected_instance_and_wait_with_progress<F>(
        &self,
        spec: &ProtectedInstanceSpec,
        opts: Option<&WaitOptions>,
        progress: F,
    ) -> Result<ProtectedInstance, Error>
    where
        F: FnMut(&Job) -> ControlFlow<()>,
    {
        resource::create_and_wait_with(self, spec.as_ptr(), opts, progress, sdrs_sys::sdrs_pi_create_and_wait)
    }

    /// Reads one protected instance. Unknown id: [`ErrorKind::NotFound`](crate::ErrorKind::NotFound).
    pub fn get_protected_instance(&self, instance_id: &str, opts: Option<&CallOptions>) -> Result<ProtectedInstance, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let c = self.raw();
        // SAFETY: valid client; id outlives the call.
        resource::object_call(opts, |out, o, e| unsafe { sdrs_sys::sdrs_pi_get(out, c, id.as_ptr(), o, e) })
    }

    /// Renames a protected instance (synchronous); returns the updated instance.
    pub fn rename_protected_instance(
        &self,
        instance_id: &str,
        new_name: &str,
        opts: Option<&CallOptions>,
    ) -> Result<ProtectedInstance, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let name = c_string("name", new_name)?;
        let c = self.raw();
        // SAFETY: valid client; strings outlive the call.
        resource::object_call(opts, |out, o, e| unsafe { sdrs_sys::sdrs_pi_rename(out, c, id.as_ptr(), name.as_ptr(), o, e) })
    }

    /// Deletes a protected instance (a DELETE with a JSON body); returns the job id.
    pub fn delete_protected_instance(
        &self,
        instance_id: &str,
        deletion: InstanceDeletion,
        opts: Option<&CallOptions>,
    ) -> Result<String, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let (server, eip) = (i32::from(deletion.delete_target_server), i32::from(deletion.delete_target_eip));
        // SAFETY: valid client; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pi_delete(j, c, id.as_ptr(), server, eip, o, e) })
    }

    /// Attaches a replication pair of the same group under a device name (`/dev/vdb`,
    /// `/dev/sdc`...); returns the job id.
    pub fn attach_replication_pair(
        &self,
        instance_id: &str,
        replication_id: &str,
        device: &str,
        opts: Option<&CallOptions>,
    ) -> Result<String, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let rid = c_string("replication_id", replication_id)?;
        let dev = c_string("device", device)?;
        // SAFETY: valid client; strings outlive the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pi_attach(j, c, id.as_ptr(), rid.as_ptr(), dev.as_ptr(), o, e) })
    }

    /// Detaches a replication pair from an instance; returns the job id.
    pub fn detach_replication_pair(&self, instance_id: &str, replication_id: &str, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let rid = c_string("replication_id", replication_id)?;
        // SAFETY: valid client; strings outlive the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pi_detach(j, c, id.as_ptr(), rid.as_ptr(), o, e) })
    }

    /// Adds a NIC to the DR server of an instance; returns the job id (the new NIC's id is the
    /// job entity `nic_id`).
    pub fn add_nic(&self, instance_id: &str, nic: &NicSpec, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let n = nic.raw.as_ptr();
        // SAFETY: valid client and NIC builder; id outlives the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pi_add_nic(j, c, id.as_ptr(), n, o, e) })
    }

    /// Removes a non-primary NIC by its port id; returns the job id.
    pub fn delete_nic(&self, instance_id: &str, nic_id: &str, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let nid = c_string("nic_id", nic_id)?;
        // SAFETY: valid client; strings outlive the call.
        job_id_call(self, opts, |j, c, o, e| unsafe { sdrs_sys::sdrs_pi_delete_nic(j, c, id.as_ptr(), nid.as_ptr(), o, e) })
    }

    /// Changes the flavor of the production and/or DR server; returns the job id.
    pub fn resize_protected_instance(&self, instance_id: &str, change: FlavorChange<'_>, opts: Option<&CallOptions>) -> Result<String, Error> {
        let id = c_string("protected_instance_id", instance_id)?;
        let (both, production, dr) = match change {
            FlavorChange::Both(f) => (Some(f), None, None),
            FlavorChange::Production(f) => (None, Some(f), None),
            FlavorChange::Dr(f) => (None, None, Some(f)),
            FlavorChange::Each { production, dr } => (None, Some(production), Some(dr)),
        };
        let both = opt_c_string("flavorRef", both)?;
        let production = opt_c_string("production_flavorRef", production)?;
        let dr = opt_c_string("dr_flavorRef", dr)?;
        // SAFETY: valid client; strings outlive the call.
        job_id_call(self, opts, |j, c, o, e| unsafe {
            sdrs_sys::sdrs_pi_resize(j, c, id.as_ptr(), opt_ptr(&both), opt_ptr(&production), opt_ptr(&dr), o, e)
        })
    }

    /// Reads one page of protected instances.
    pub fn list_protected_instances(
        &self,
        opts: Option<&InstanceListOptions>,
        call_opts: Option<&CallOptions>,
    ) -> Result<InstancePage, Error> {
        let lo = opts.map(InstanceListOptions::to_raw).transpose()?;
        resource::list_page(self, lo.as_ref(), call_opts)
    }

    /// Iterates over every matching protected instance, paging with `limit`/`offset` (page size
    /// from the options' limit, default 1000). `call_opts` applies to each page fetch.
    pub fn iter_protected_instances(
        &self,
        opts: Option<&InstanceListOptions>,
        call_opts: Option<&CallOptions>,
    ) -> Result<InstanceIter<'_>, Error> {
        let lo = opts.map(InstanceListOptions::to_raw).transpose()?;
        InstanceIter::adopt(resource::iter_new::<ProtectedInstance>(self, lo.as_ref())?, call_opts)
    }
}
