//! Active-active domains (`GET /v1/{project_id}/active-domains`) and API versions.

use std::ptr;

use crate::client::{with_call_opts, CallOptions, Client};
use crate::error::{Error, ErrorKind};
use crate::util::{c_string, check, opt_string};

/// An active-active domain: a group is created inside one, its two AZs are the domain's local
/// and remote AZs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    id: String,
    name: Option<String>,
    description: Option<String>,
    sold_out: Option<bool>,
    local_az: Option<String>,
    remote_az: Option<String>,
    json: String,
}

impl Domain {
    /// # Safety
    /// `d` must be a valid domain handle.
    unsafe fn from_raw(d: *const sdrs_sys::sdrs_domain) -> Domain {
        use sdrs_sys::*;
        let sold_out = match sdrs_domain_sold_out(d) {
            1 => Some(true),
            0 => Some(false),
            _ => None,
        };
        Domain {
            id: opt_string(sdrs_domain_id(d)).unwrap_or_default(),
            name: opt_string(sdrs_domain_name(d)),
            description: opt_string(sdrs_domain_description(d)),
            sold_out,
            local_az: opt_string(sdrs_domain_local_az(d)),
            remote_az: opt_string(sdrs_domain_remote_az(d)),
            json: opt_string(sdrs_domain_json(d)).unwrap_or_default(),
        }
    }
    /// Domain id (empty when the service sent none).
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Domain name.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// Domain description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// Whether the domain has no capacity left (`None` when the service did not say).
    pub fn sold_out(&self) -> Option<bool> {
        self.sold_out
    }
    /// AZ of the local replication cluster.
    pub fn local_az(&self) -> Option<&str> {
        self.local_az.as_deref()
    }
    /// AZ of the remote replication cluster.
    pub fn remote_az(&self) -> Option<&str> {
        self.remote_az.as_deref()
    }
    /// The domain object as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

/// The domains of a project plus the raw response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainList {
    domains: Vec<Domain>,
    json: String,
}

impl DomainList {
    /// The domains of the response.
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }
    /// The whole response as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
    /// Takes the domains out.
    pub fn into_domains(self) -> Vec<Domain> {
        self.domains
    }
}

impl IntoIterator for DomainList {
    type Item = Domain;
    type IntoIter = std::vec::IntoIter<Domain>;
    fn into_iter(self) -> Self::IntoIter {
        self.domains.into_iter()
    }
}

/// One API version served by the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersion {
    id: String,
    status: Option<String>,
    version: Option<String>,
    min_version: Option<String>,
    updated: Option<String>,
    self_link: Option<String>,
    json: String,
}

impl ApiVersion {
    /// # Safety
    /// `v` must be a valid version handle.
    unsafe fn from_raw(v: *const sdrs_sys::sdrs_apiversion) -> ApiVersion {
        use sdrs_sys::*;
        ApiVersion {
            id: opt_string(sdrs_apiversion_id(v)).unwrap_or_default(),
            status: opt_string(sdrs_apiversion_status(v)),
            version: opt_string(sdrs_apiversion_version(v)),
            min_version: opt_string(sdrs_apiversion_min_version(v)),
            updated: opt_string(sdrs_apiversion_updated(v)),
            self_link: opt_string(sdrs_apiversion_self_link(v)),
            json: opt_string(sdrs_apiversion_json(v)).unwrap_or_default(),
        }
    }
    /// Version id, e.g. `"v1"`.
    pub fn id(&self) -> &str {
        &self.id
    }
    /// `"CURRENT"`, `"SUPPORTED"`, `"DEPRECATED"`...
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }
    /// Newest micro-version of this API version (`version`), if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
    /// Oldest supported micro-version (`min_version`), if any.
    pub fn min_version(&self) -> Option<&str> {
        self.min_version.as_deref()
    }
    /// Release date of this version (`updated`) as the service sent it.
    pub fn updated(&self) -> Option<&str> {
        self.updated.as_deref()
    }
    /// href of the `self` link.
    pub fn self_link(&self) -> Option<&str> {
        self.self_link.as_deref()
    }
    /// The version object as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

impl Client {
    /// Lists the active-active domains of the project.
    pub fn domains(&self, opts: Option<&CallOptions>) -> Result<DomainList, Error> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_domain_list_get(&mut out, self.raw(), o, &mut err) })?;
        // SAFETY: outputs of the call just made; borrowed domains are copied before the free.
        unsafe {
            check(rc, err)?;
            if out.is_null() {
                return Err(Error::new(ErrorKind::Internal, "sdrs_domain_list_get returned no list"));
            }
            let domains = (0..sdrs_sys::sdrs_domain_list_size(out))
                .map(|i| sdrs_sys::sdrs_domain_list_at(out, i))
                .filter(|d| !d.is_null())
                .map(|d| Domain::from_raw(d))
                .collect();
            let json = opt_string(sdrs_sys::sdrs_domain_list_json(out)).unwrap_or_default();
            sdrs_sys::sdrs_domain_list_free(out);
            Ok(DomainList { domains, json })
        }
    }

    /// Every API version the endpoint serves (`GET /`).
    pub fn api_versions(&self, opts: Option<&CallOptions>) -> Result<Vec<ApiVersion>, Error> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_apiversion_list_get(&mut out, self.raw(), o, &mut err) })?;
        // SAFETY: outputs of the call just made; borrowed versions are copied before the free.
        unsafe {
            check(rc, err)?;
            if out.is_null() {
                return Err(Error::new(ErrorKind::Internal, "sdrs_apiversion_list_get returned no list"));
            }
            let versions = (0..sdrs_sys::sdrs_apiversion_list_size(out))
                .map(|i| sdrs_sys::sdrs_apiversion_list_at(out, i))
                .filter(|v| !v.is_null())
                .map(|v| ApiVersion::from_raw(v))
                .collect();
            sdrs_sys::sdrs_apiversion_list_free(out);
            Ok(versions)
        }
    }

    /// One API version (`GET /{version_id}`, e.g. `"v1"`).
    pub fn api_version(&self, version_id: &str, opts: Option<&CallOptions>) -> Result<ApiVersion, Error> {
        let id = c_string("version_id", version_id)?;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client; id outlives the call.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_apiversion_get(&mut out, self.raw(), id.as_ptr(), o, &mut err) })?;
        // SAFETY: outputs of the call just made.
        unsafe {
            check(rc, err)?;
            if out.is_null() {
                return Err(Error::new(ErrorKind::Internal, "sdrs_apiversion_get returned no version"));
            }
            let v = ApiVersion::from_raw(out);
            sdrs_sys::sdrs_apiversion_free(out);
            Ok(v)
        }
    }
}
