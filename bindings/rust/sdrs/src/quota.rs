//! Tenant quotas (`sdrs/quota.h`): protection groups and replication pairs, with "unlimited"
//! as its own variant instead of the service's `-1`.

use std::fmt;

use crate::client::{CallOptions, Client};
use crate::error::Error;
use crate::resource::{self, FromHandle, OwnedHandle};
use crate::util::{c_string, non_negative, opt_string};

/// A quota limit. The service sends `-1` for "no limit"; this type never does: an unlimited
/// quota is [`Limit::Unlimited`], and only [`Limit::Limited`] carries a number, so no caller can
/// compare a count against `-1` by mistake.
///
/// ```
/// use sdrs::Limit;
///
/// assert!(Limit::Limited(10).allows(9));
/// assert!(!Limit::Limited(10).allows(10));
/// assert!(Limit::Unlimited.allows(i64::MAX));
/// assert_eq!(Limit::Unlimited.value(), None);
/// assert_eq!(Limit::Unlimited.to_string(), "unlimited");
/// assert_eq!(Limit::Limited(10).to_string(), "10");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// No limit (the service's `-1`).
    Unlimited,
    /// At most this many.
    Limited(i64),
}

impl Limit {
    /// Whether this is [`Limit::Unlimited`].
    pub fn is_unlimited(self) -> bool {
        self == Limit::Unlimited
    }
    /// The number of a [`Limit::Limited`]; `None` for [`Limit::Unlimited`].
    pub fn value(self) -> Option<i64> {
        match self {
            Limit::Limited(v) => Some(v),
            Limit::Unlimited => None,
        }
    }
    /// Whether one more resource fits when `used` are in use.
    pub fn allows(self, used: i64) -> bool {
        match self {
            Limit::Limited(v) => used < v,
            Limit::Unlimited => true,
        }
    }
    /// How many more resources fit when `used` are in use (`None`: no limit; never negative).
    pub fn remaining(self, used: i64) -> Option<i64> {
        self.value().map(|v| v.saturating_sub(used).max(0))
    }

    /// From an `sdrs_quota_limit`-style getter: kind plus value (`None` for ABSENT or an
    /// unknown kind).
    fn read(get: impl FnOnce(*mut i64) -> i32) -> Option<Limit> {
        let mut value = 0i64;
        match get(&mut value) {
            sdrs_sys::SDRS_QUOTA_LIMITED => Some(Limit::Limited(value)),
            sdrs_sys::SDRS_QUOTA_UNLIMITED => Some(Limit::Unlimited),
            _ => None,
        }
    }
}

impl fmt::Display for Limit {
    /// `"unlimited"` or the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Unlimited => f.write_str("unlimited"),
            Limit::Limited(v) => write!(f, "{v}"),
        }
    }
}

/// One quota entry: a resource type with its usage and limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaEntry {
    resource_type: String,
    used: Option<i64>,
    limit: Option<Limit>,
    min: Option<Limit>,
    max: Option<Limit>,
}

impl QuotaEntry {
    /// The resource type: `"server_groups"` (protection groups) or `"replications"`
    /// (replication pairs), or what else the service sends.
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }
    /// Resources in use (`None` when the service sent no value).
    pub fn used(&self) -> Option<i64> {
        self.used
    }
    /// The limit (`None` when the service sent no value).
    pub fn limit(&self) -> Option<Limit> {
        self.limit
    }
    /// The lowest value the limit may be set to.
    pub fn min(&self) -> Option<Limit> {
        self.min
    }
    /// The highest value the limit may be set to.
    pub fn max(&self) -> Option<Limit> {
        self.max
    }
    /// How many more resources fit: `Some(Limit::Unlimited)` without a limit,
    /// `Some(Limit::Limited(n))` with one (never negative), `None` when usage or limit is
    /// absent.
    pub fn remaining(&self) -> Option<Limit> {
        match (self.limit?, self.used?) {
            (Limit::Unlimited, _) => Some(Limit::Unlimited),
            (limit, used) => limit.remaining(used).map(Limit::Limited),
        }
    }
}

/// The tenant's quotas (owned, immutable, `Send + Sync`), from [`Client::quotas`].
///
/// ```no_run
/// # fn demo(client: &sdrs::Client) -> Result<(), sdrs::Error> {
/// let quotas = client.quotas(None)?;
/// if let Some(groups) = quotas.server_groups() {
///     match groups.limit() {
///         Some(sdrs::Limit::Limited(max)) => println!("groups: {:?} of {max}", groups.used()),
///         Some(sdrs::Limit::Unlimited) => println!("groups: {:?}, no limit", groups.used()),
///         None => println!("groups: no limit sent"),
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotas {
    entries: Vec<QuotaEntry>,
    server_groups: Option<usize>,
    replications: Option<usize>,
    json: String,
}

impl OwnedHandle for Quotas {
    const FREE: unsafe extern "C" fn(*mut sdrs_sys::sdrs_quota) = sdrs_sys::sdrs_quota_free;
}

impl FromHandle for Quotas {
    type Raw = sdrs_sys::sdrs_quota;
    const WHAT: &'static str = "quota";

    unsafe fn copy(q: *const sdrs_sys::sdrs_quota) -> Quotas {
        use sdrs_sys::*;
        let entries = (0..sdrs_quota_size(q))
            .map(|i| QuotaEntry {
                resource_type: opt_string(sdrs_quota_type(q, i)).unwrap_or_default(),
                used: non_negative(sdrs_quota_used(q, i)),
                limit: Limit::read(|v| sdrs_quota_limit(q, i, v)),
                min: Limit::read(|v| sdrs_quota_min(q, i, v)),
                max: Limit::read(|v| sdrs_quota_max(q, i, v)),
            })
            .collect();
        // Lookups by type answer what libsdrs answers (its rule for a type sent twice).
        let find = |ty: &str| {
            let ty = c_string("type", ty).ok()?;
            usize::try_from(sdrs_quota_find(q, ty.as_ptr())).ok()
        };
        Quotas {
            entries,
            server_groups: find("server_groups"),
            replications: find("replications"),
            json: opt_string(sdrs_quota_json(q)).unwrap_or_default(),
        }
    }
}

impl Quotas {
    /// Every entry in the service's order.
    pub fn entries(&self) -> &[QuotaEntry] {
        &self.entries
    }
    /// The protection-group quota (`"server_groups"`).
    pub fn server_groups(&self) -> Option<&QuotaEntry> {
        self.server_groups.and_then(|i| self.entries.get(i))
    }
    /// The replication-pair quota (`"replications"`).
    pub fn replications(&self) -> Option<&QuotaEntry> {
        self.replications.and_then(|i| self.entries.get(i))
    }
    /// The entry of any type (the first one when the service sent a type twice).
    pub fn get(&self, resource_type: &str) -> Option<&QuotaEntry> {
        match resource_type {
            "server_groups" => self.server_groups(),
            "replications" => self.replications(),
            _ => self.entries.iter().find(|e| e.resource_type == resource_type),
        }
    }
    /// The quota object as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

impl Client {
    /// Reads the tenant's quotas (`GET /v1/{project_id}/sdrs/quotas`).
    pub fn quotas(&self, opts: Option<&CallOptions>) -> Result<Quotas, Error> {
        let c = self.raw();
        // SAFETY: valid client.
        resource::object_call(opts, |out, o, e| unsafe { sdrs_sys::sdrs_quota_get(out, c, o, e) })
    }
}
