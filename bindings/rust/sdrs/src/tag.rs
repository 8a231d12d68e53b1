//! Tags on protected instances and the query of protected instances by tag (`sdrs/tag.h`).
//!
//! Limits (the sources disagree, spec part 2 section 6.1; libsdrs enforces the most tolerant
//! documented ones and leaves the rest to the service): at most 20 tags in one batch, a key of
//! 1..127 characters, a value of 0..255 characters, valid UTF-8 without control characters,
//! keys unique within one request.

use std::ffi::CString;
use std::fmt;
use std::ptr;

use crate::client::{with_call_opts, CallOptions, Client};
use crate::error::{Error, ErrorKind};
use crate::pi::{ProtectedInstance, Tag};
use crate::resource::{self, resource_iter, set_int, set_text, unit_call, FromHandle, Handle};
use crate::util::{c_string, check, non_negative, opt_c_string, opt_ptr, opt_string};

// ---------------------------------------------------------------------------------------------
// Tag sets for the batch calls
// ---------------------------------------------------------------------------------------------

/// A set of tags for [`Client::batch_add_tags`] and [`Client::batch_delete_tags`]
/// (`sdrs_tag_set`). Every addition is validated at once and fails with
/// [`ErrorKind::Validation`] naming the field; a key given twice is refused. The set is `Clone`.
///
/// ```
/// use sdrs::{ErrorKind, TagSet};
///
/// let tags = TagSet::new().tag("app", "erp")?.tag("env", "prod")?;
/// assert_eq!(tags.len(), 2);
/// // For a batch delete: remove "tier" whatever its value.
/// let remove = TagSet::new().key("tier")?.tag("env", "prod")?;
/// assert_eq!(remove.entries()[0], ("tier".to_string(), None));
///
/// let err = TagSet::new().tag("app", "a")?.tag("app", "b").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct TagSet {
    raw: Handle<sdrs_sys::sdrs_tag_set>,
    entries: Vec<(String, Option<String>)>,
}

// SAFETY: tag.h: builders are single-threaded: movable between threads, not shareable.
unsafe impl Send for TagSet {}

fn new_tag_set() -> Handle<sdrs_sys::sdrs_tag_set> {
    // SAFETY: the _new/_free pair of sdrs_tag_set.
    unsafe { resource::new_builder(sdrs_sys::sdrs_tag_set_new, sdrs_sys::sdrs_tag_set_free, "sdrs_tag_set_new") }
}

/// # Safety
/// `set` must be a valid tag set handle.
unsafe fn tag_set_add(set: *mut sdrs_sys::sdrs_tag_set, key: &str, value: Option<&str>) -> Result<(), Error> {
    let k = c_string("key", key)?;
    let v = opt_c_string("value", value)?;
    let mut err = ptr::null_mut();
    check(sdrs_sys::sdrs_tag_set_add(set, k.as_ptr(), opt_ptr(&v), &mut err), err)
}

impl TagSet {
    /// An empty set (the batch calls refuse an empty set).
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder (out of memory), like any Rust allocation.
    pub fn new() -> TagSet {
        TagSet { raw: new_tag_set(), entries: Vec::new() }
    }

    /// Adds a tag with a value. In a batch delete it removes the tag only when key and value
    /// match.
    pub fn tag(mut self, key: &str, value: &str) -> Result<TagSet, Error> {
        // SAFETY: valid owned builder.
        unsafe { tag_set_add(self.raw.as_ptr(), key, Some(value))? };
        self.entries.push((key.to_string(), Some(value.to_string())));
        Ok(self)
    }

    /// Adds a key without a value: for [`Client::batch_delete_tags`], which then removes the
    /// key whatever its value ([`Client::batch_add_tags`] refuses it).
    pub fn key(mut self, key: &str) -> Result<TagSet, Error> {
        // SAFETY: valid owned builder.
        unsafe { tag_set_add(self.raw.as_ptr(), key, None)? };
        self.entries.push((key.to_string(), None));
        Ok(self)
    }

    /// The keys and values in the order added (`None`: any value).
    pub fn entries(&self) -> &[(String, Option<String>)] {
        &self.entries
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Clone for TagSet {
    /// A new set with the same tags (added again through libsdrs).
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    fn clone(&self) -> TagSet {
        let raw = new_tag_set();
        for (key, value) in &self.entries {
            // SAFETY: valid owned builder.
            unsafe { tag_set_add(raw.as_ptr(), key, value.as_deref()) }.unwrap_or_else(|e| panic!("cloning the tag set: {e}"));
        }
        TagSet { raw, entries: self.entries.clone() }
    }
}

resource::builder_default_eq!(TagSet, entries);

impl fmt::Debug for TagSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TagSet").field("entries", &self.entries).finish()
    }
}

/// A tag key used in the project with every value it has (from
/// [`Client::list_project_tags`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProjectTag {
    key: String,
    values: Vec<String>,
}

impl ProjectTag {
    /// The key.
    pub fn key(&self) -> &str {
        &self.key
    }
    /// Every value used with the key.
    pub fn values(&self) -> &[String] {
        &self.values
    }
}

// ---------------------------------------------------------------------------------------------
// The tag query
// ---------------------------------------------------------------------------------------------

/// How a tag condition of a [`TagQuery`] matches (the four lists of the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagMatch {
    /// `tags`: the instance has every listed key, each with any of its listed values.
    All,
    /// `tags_any`: the instance has any listed key/value.
    Any,
    /// `not_tags`: excludes the instances that would match as [`TagMatch::All`].
    NotAll,
    /// `not_tags_any`: excludes the instances that have any listed key/value.
    NotAny,
}

impl TagMatch {
    /// The C value (`enum sdrs_tag_match`).
    pub fn to_raw(self) -> i32 {
        match self {
            TagMatch::All => sdrs_sys::SDRS_TAG_MATCH_ALL,
            TagMatch::Any => sdrs_sys::SDRS_TAG_MATCH_ANY,
            TagMatch::NotAll => sdrs_sys::SDRS_TAG_MATCH_NOT_ALL,
            TagMatch::NotAny => sdrs_sys::SDRS_TAG_MATCH_NOT_ANY,
        }
    }
    /// The request's list name (`"tags"`, `"tags_any"`, `"not_tags"`, `"not_tags_any"`).
    pub fn wire_name(self) -> &'static str {
        match self {
            TagMatch::All => "tags",
            TagMatch::Any => "tags_any",
            TagMatch::NotAll => "not_tags",
            TagMatch::NotAny => "not_tags_any",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct TagQueryValues {
    conditions: Vec<(TagMatch, String, Option<String>)>,
    name: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// A query of protected instances by tag (`sdrs_tag_query`), for
/// [`Client::filter_instances_by_tag`] (one page), [`Client::count_instances_by_tag`] and
/// [`Client::iter_instances_by_tag`] (all pages). With no condition every instance matches.
///
/// Conditions go into the four match lists of [`TagMatch`]; a value `None` means "the key with
/// any value", a value `"*x"` is a fuzzy match on `x` (a lone `"*"` is refused). Adding the same
/// key again in the same list adds a value to it. At most 20 keys per list and 20 values per
/// key, values unique per key. Every setter validates at once and fails with
/// [`ErrorKind::Validation`] naming the field. The builder is `Clone`.
///
/// ```
/// use sdrs::{ErrorKind, TagMatch, TagQuery};
///
/// // The production instances of the ERP application, except those of a test tier.
/// let erp = TagQuery::new()
///     .all("app", Some("erp"))?
///     .all("env", Some("prod"))?
///     .not_any("tier", Some("*test"))?
///     .name("erp")?;
/// let first_page = erp.clone().limit(50)?;
/// assert_ne!(first_page, erp);
/// assert_eq!(first_page.without_paging(), erp);
/// let same = TagQuery::new().condition(TagMatch::All, "app", Some("erp"))?;
/// assert_eq!(same, TagQuery::new().all("app", Some("erp"))?);
///
/// let err = TagQuery::new().any("app", Some("*")).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// # Ok::<(), sdrs::Error>(())
/// ```
pub struct TagQuery {
    raw: Handle<sdrs_sys::sdrs_tag_query>,
    values: TagQueryValues,
}

// SAFETY: tag.h: builders are single-threaded: movable between threads, not shareable.
unsafe impl Send for TagQuery {}

/// # Safety
/// `q` must be a valid query handle.
unsafe fn query_add(q: *mut sdrs_sys::sdrs_tag_query, how: TagMatch, key: &str, value: Option<&str>) -> Result<(), Error> {
    let k = c_string("key", key)?;
    let v = opt_c_string("values", value)?;
    let mut err = ptr::null_mut();
    check(sdrs_sys::sdrs_tag_query_add(q, how.to_raw(), k.as_ptr(), opt_ptr(&v), &mut err), err)
}

/// A query handle holding `values` (every value was accepted before).
fn build_query(values: &TagQueryValues) -> Result<Handle<sdrs_sys::sdrs_tag_query>, Error> {
    use sdrs_sys::*;
    // SAFETY: the _new/_free pair of sdrs_tag_query; then valid owned builder.
    unsafe {
        let raw = Handle::new(sdrs_tag_query_new, sdrs_tag_query_free)?;
        let p = raw.as_ptr();
        for (how, key, value) in &values.conditions {
            query_add(p, *how, key, value.as_deref())?;
        }
        if values.name.is_some() {
            set_text(p, sdrs_tag_query_set_name, "matches", values.name.as_deref())?;
        }
        if let Some(l) = values.limit {
            set_int(p, sdrs_tag_query_set_limit, l)?;
        }
        if let Some(o) = values.offset {
            set_int(p, sdrs_tag_query_set_offset, o)?;
        }
        Ok(raw)
    }
}

fn rebuild(values: TagQueryValues) -> TagQuery {
    let raw = build_query(&values).unwrap_or_else(|e| panic!("rebuilding the tag query: {e}"));
    TagQuery { raw, values }
}

impl TagQuery {
    /// A query matching every instance.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder (out of memory), like any Rust allocation.
    pub fn new() -> TagQuery {
        rebuild(TagQueryValues::default())
    }

    /// Adds a condition to one of the four lists; `value` `None` = the key with any value.
    pub fn condition(mut self, how: TagMatch, key: &str, value: Option<&str>) -> Result<TagQuery, Error> {
        // SAFETY: valid owned builder.
        unsafe { query_add(self.raw.as_ptr(), how, key, value)? };
        self.values.conditions.push((how, key.to_string(), value.map(str::to_string)));
        Ok(self)
    }
    /// [`TagMatch::All`] (`tags`): must have the key (with this value, or with any of the
    /// values given for the key).
    pub fn all(self, key: &str, value: Option<&str>) -> Result<TagQuery, Error> {
        self.condition(TagMatch::All, key, value)
    }
    /// [`TagMatch::Any`] (`tags_any`): must have any of the listed keys/values.
    pub fn any(self, key: &str, value: Option<&str>) -> Result<TagQuery, Error> {
        self.condition(TagMatch::Any, key, value)
    }
    /// [`TagMatch::NotAll`] (`not_tags`): excluded when it has all listed keys/values.
    pub fn not_all(self, key: &str, value: Option<&str>) -> Result<TagQuery, Error> {
        self.condition(TagMatch::NotAll, key, value)
    }
    /// [`TagMatch::NotAny`] (`not_tags_any`): excluded when it has any listed key/value.
    pub fn not_any(self, key: &str, value: Option<&str>) -> Result<TagQuery, Error> {
        self.condition(TagMatch::NotAny, key, value)
    }

    /// Case-insensitive substring match on the instance name (`matches` with key
    /// `resource_name`); `""` matches the exact empty name. At most 255 characters.
    pub fn name(mut self, name: &str) -> Result<TagQuery, Error> {
        // SAFETY: valid owned builder.
        unsafe { set_text(self.raw.as_ptr(), sdrs_sys::sdrs_tag_query_set_name, "matches", Some(name))? };
        self.values.name = Some(name.to_string());
        Ok(self)
    }
    /// Removes the name match.
    pub fn clear_name(mut self) -> Result<TagQuery, Error> {
        // SAFETY: valid owned builder; NULL clears.
        unsafe { set_text(self.raw.as_ptr(), sdrs_sys::sdrs_tag_query_set_name, "matches", None)? };
        self.values.name = None;
        Ok(self)
    }
    /// Page size 1..=1000 of the filter call and of the iterator's pages (sent as a JSON
    /// string, as the service requires). The count call refuses a query with a limit.
    pub fn limit(mut self, limit: i64) -> Result<TagQuery, Error> {
        // SAFETY: valid owned builder.
        unsafe { set_int(self.raw.as_ptr(), sdrs_sys::sdrs_tag_query_set_limit, limit)? };
        self.values.limit = Some(limit);
        Ok(self)
    }
    /// Records to skip (>= 0) of the filter call, the iterator's starting point. The count call
    /// refuses a query with an offset.
    pub fn offset(mut self, offset: i64) -> Result<TagQuery, Error> {
        // SAFETY: valid owned builder.
        unsafe { set_int(self.raw.as_ptr(), sdrs_sys::sdrs_tag_query_set_offset, offset)? };
        self.values.offset = Some(offset);
        Ok(self)
    }
    /// The same conditions without limit and offset: what [`Client::count_instances_by_tag`]
    /// accepts.
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    pub fn without_paging(&self) -> TagQuery {
        rebuild(TagQueryValues { limit: None, offset: None, ..self.values.clone() })
    }

    fn as_ptr(&self) -> *const sdrs_sys::sdrs_tag_query {
        self.raw.as_ptr()
    }
}

impl Clone for TagQuery {
    /// A new builder with the same conditions and paging (set again through libsdrs).
    ///
    /// # Panics
    /// When libsdrs cannot allocate the builder, or refuses a value it accepted before (a bug).
    fn clone(&self) -> TagQuery {
        rebuild(self.values.clone())
    }
}

resource::builder_default_eq!(TagQuery, values);

impl fmt::Debug for TagQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.values;
        f.debug_struct("TagQuery")
            .field("conditions", &v.conditions)
            .field("name", &v.name)
            .field("limit", &v.limit)
            .field("offset", &v.offset)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Query results
// ---------------------------------------------------------------------------------------------

/// One matching instance of a tag query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedResource {
    resource_id: String,
    resource_name: String,
    instance: Option<ProtectedInstance>,
}

impl TaggedResource {
    /// The protected instance id.
    pub fn resource_id(&self) -> &str {
        &self.resource_id
    }
    /// The instance name (empty when it has none).
    pub fn resource_name(&self) -> &str {
        &self.resource_name
    }
    /// The full protected instance (`resource_detail`), when the service sent it.
    pub fn instance(&self) -> Option<&ProtectedInstance> {
        self.instance.as_ref()
    }
    /// The instance's tags (empty without [`instance`](TaggedResource::instance)).
    pub fn tags(&self) -> &[Tag] {
        self.instance.as_ref().map_or(&[], ProtectedInstance::tags)
    }
}

/// One page of a tag query ([`Client::filter_instances_by_tag`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagQueryPage {
    resources: Vec<TaggedResource>,
    total_count: Option<i64>,
    json: String,
}

impl TagQueryPage {
    /// The matching instances of this page.
    pub fn resources(&self) -> &[TaggedResource] {
        &self.resources
    }
    /// The service's `total_count`: all matches, not only this page.
    pub fn total_count(&self) -> Option<i64> {
        self.total_count
    }
    /// The response as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
    /// Takes the matches out.
    pub fn into_resources(self) -> Vec<TaggedResource> {
        self.resources
    }
}

impl IntoIterator for TagQueryPage {
    type Item = TaggedResource;
    type IntoIter = std::vec::IntoIter<TaggedResource>;
    fn into_iter(self) -> Self::IntoIter {
        self.resources.into_iter()
    }
}

/// Copies a query result (and frees it).
///
/// # Safety
/// `r` must be an owned, non-NULL result handle.
unsafe fn take_result(r: *mut sdrs_sys::sdrs_tag_query_result) -> TagQueryPage {
    use sdrs_sys::*;
    let resources = (0..sdrs_tag_query_result_size(r))
        .map(|i| {
            let pi = sdrs_tag_query_result_instance(r, i);
            TaggedResource {
                resource_id: opt_string(sdrs_tag_query_result_resource_id(r, i)).unwrap_or_default(),
                resource_name: opt_string(sdrs_tag_query_result_resource_name(r, i)).unwrap_or_default(),
                instance: (!pi.is_null()).then(|| ProtectedInstance::copy(pi)),
            }
        })
        .collect();
    let page = TagQueryPage {
        resources,
        total_count: non_negative(sdrs_tag_query_result_total_count(r)),
        json: opt_string(sdrs_tag_query_result_json(r)).unwrap_or_default(),
    };
    sdrs_tag_query_result_free(r);
    page
}

resource_iter!(
    /// Iterator over every instance matching a [`TagQuery`], fetching pages as needed
    /// (`sdrs_tag_query_iter`).
    TagQueryIter, ProtectedInstance, sdrs_tag_query_iter, sdrs_tag_query_iter_next, sdrs_tag_query_iter_free);

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

fn pi_id(id: &str) -> Result<CString, Error> {
    c_string("protected_instance_id", id)
}

impl Client {
    /// Adds one tag to a protected instance, or sets the value of an existing key
    /// (synchronous).
    pub fn add_tag(&self, instance_id: &str, key: &str, value: &str, opts: Option<&CallOptions>) -> Result<(), Error> {
        let (id, k, v) = (pi_id(instance_id)?, c_string("key", key)?, c_string("value", value)?);
        let c = self.raw();
        // SAFETY: valid client; strings outlive the call.
        unit_call(opts, |o, e| unsafe { sdrs_sys::sdrs_tag_add(c, id.as_ptr(), k.as_ptr(), v.as_ptr(), o, e) })
    }

    /// Deletes one tag by key. The key is percent-encoded in the path, so any key the key rule
    /// allows works; a key the instance does not have gives
    /// [`ErrorKind::NotFound`] (the service's HTTP 404, `SDRS.2206`).
    pub fn delete_tag(&self, instance_id: &str, key: &str, opts: Option<&CallOptions>) -> Result<(), Error> {
        let (id, k) = (pi_id(instance_id)?, c_string("key", key)?);
        let c = self.raw();
        // SAFETY: valid client; strings outlive the call.
        unit_call(opts, |o, e| unsafe { sdrs_sys::sdrs_tag_delete(c, id.as_ptr(), k.as_ptr(), o, e) })
    }

    /// Batch add (action `create`): existing keys get the new values. The set must not be
    /// empty and every tag needs a value.
    pub fn batch_add_tags(&self, instance_id: &str, tags: &TagSet, opts: Option<&CallOptions>) -> Result<(), Error> {
        let id = pi_id(instance_id)?;
        let (c, t) = (self.raw(), tags.raw.as_ptr());
        // SAFETY: valid client and tag set; id outlives the call.
        unit_call(opts, |o, e| unsafe { sdrs_sys::sdrs_tag_batch_add(c, id.as_ptr(), t, o, e) })
    }

    /// Batch delete (action `delete`): tags the instance does not have are ignored by the
    /// service; a tag with a value is removed only when key and value match. The set must not
    /// be empty.
    pub fn batch_delete_tags(&self, instance_id: &str, tags: &TagSet, opts: Option<&CallOptions>) -> Result<(), Error> {
        let id = pi_id(instance_id)?;
        let (c, t) = (self.raw(), tags.raw.as_ptr());
        // SAFETY: valid client and tag set; id outlives the call.
        unit_call(opts, |o, e| unsafe { sdrs_sys::sdrs_tag_batch_delete(c, id.as_ptr(), t, o, e) })
    }

    /// The tags of one protected instance.
    pub fn list_instance_tags(&self, instance_id: &str, opts: Option<&CallOptions>) -> Result<Vec<Tag>, Error> {
        use sdrs_sys::*;
        let id = pi_id(instance_id)?;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = with_call_opts(opts, |o| {
            // SAFETY: valid client; id outlives the call.
            unsafe { sdrs_tag_list_get(&mut out, self.raw(), id.as_ptr(), o, &mut err) }
        })?;
        // SAFETY: outputs of the call just made; borrowed strings are copied before the free.
        unsafe {
            check(rc, err)?;
            if out.is_null() {
                return Err(Error::new(ErrorKind::Internal, "libsdrs returned no tag list"));
            }
            let tags = (0..sdrs_tag_list_size(out))
                .map(|i| Tag::new(opt_string(sdrs_tag_list_key(out, i)).unwrap_or_default(), opt_string(sdrs_tag_list_value(out, i)).unwrap_or_default()))
                .collect();
            sdrs_tag_list_free(out);
            Ok(tags)
        }
    }

    /// Every tag key used in the project, each with all its values.
    pub fn list_project_tags(&self, opts: Option<&CallOptions>) -> Result<Vec<ProjectTag>, Error> {
        use sdrs_sys::*;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_tag_project_list_get(&mut out, self.raw(), o, &mut err) })?;
        // SAFETY: outputs of the call just made; borrowed strings are copied before the free.
        unsafe {
            check(rc, err)?;
            if out.is_null() {
                return Err(Error::new(ErrorKind::Internal, "libsdrs returned no project tag list"));
            }
            let tags = (0..sdrs_tag_project_list_size(out))
                .map(|i| ProjectTag {
                    key: opt_string(sdrs_tag_project_list_key(out, i)).unwrap_or_default(),
                    values: (0..sdrs_tag_project_list_value_count(out, i))
                        .filter_map(|j| opt_string(sdrs_tag_project_list_value(out, i, j)))
                        .collect(),
                })
                .collect();
            sdrs_tag_project_list_free(out);
            Ok(tags)
        }
    }

    /// Action `filter`: one page of the instances matching the query (page size and offset
    /// from the query).
    pub fn filter_instances_by_tag(&self, query: &TagQuery, opts: Option<&CallOptions>) -> Result<TagQueryPage, Error> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client and query.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_tag_query_filter(&mut out, self.raw(), query.as_ptr(), o, &mut err) })?;
        // SAFETY: outputs of the call just made.
        unsafe {
            check(rc, err)?;
            if out.is_null() {
                return Err(Error::new(ErrorKind::Internal, "libsdrs returned no tag query result"));
            }
            Ok(take_result(out))
        }
    }

    /// Action `count`: the number of instances matching the query. A query with a limit or an
    /// offset is refused (the service forbids them here; see [`TagQuery::without_paging`]).
    pub fn count_instances_by_tag(&self, query: &TagQuery, opts: Option<&CallOptions>) -> Result<i64, Error> {
        let mut count = 0i64;
        let mut err = ptr::null_mut();
        // SAFETY: valid client and query.
        let rc = with_call_opts(opts, |o| unsafe { sdrs_sys::sdrs_tag_query_count(&mut count, self.raw(), query.as_ptr(), o, &mut err) })?;
        // SAFETY: the error handle of the call just made.
        unsafe { check(rc, err)? };
        Ok(count)
    }

    /// Iterates over every instance matching the query, paging with the query's limit (default
    /// 1000) from its offset. `call_opts` applies to each page fetch.
    pub fn iter_instances_by_tag(&self, query: &TagQuery, call_opts: Option<&CallOptions>) -> Result<TagQueryIter<'_>, Error> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client; the query is copied by libsdrs.
        unsafe { check(sdrs_sys::sdrs_tag_query_iter_new(&mut out, self.raw(), query.as_ptr(), &mut err), err)? };
        TagQueryIter::adopt(out, call_opts)
    }
}
