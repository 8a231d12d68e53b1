//! Plumbing shared by the per-resource modules (protected instances, replication pairs): owned
//! C handles, calls that return one object, create-and-wait, pages and the paging iterators.

use std::ffi::{c_char, c_int};
use std::ops::ControlFlow;
use std::ptr::{self, NonNull};

use crate::client::{with_call_opts, CallOptions, Client};
use crate::error::{ErrOwner, Error, ErrorKind};
use crate::job::Job;
use crate::util::{c_string, check, opt_c_string, opt_ptr};
use crate::wait::{with_wait_opts, ProgressFn, WaitOptions};

type RawErr = *mut *mut sdrs_sys::sdrs_error;
type RawCallOpts = *const sdrs_sys::sdrs_call_opts;

/// An owned C handle, freed on drop.
pub(crate) struct Handle<T> {
    ptr: NonNull<T>,
    free: unsafe extern "C" fn(*mut T),
}

impl<T> Handle<T> {
    /// Allocates through an `sdrs_X_new(out, err)` function.
    ///
    /// # Safety
    /// `new` and `free` must be the `_new`/`_free` pair of one handle type.
    pub(crate) unsafe fn new(
        new: NewFn<T>,
        free: unsafe extern "C" fn(*mut T),
    ) -> Result<Handle<T>, Error> {
        Ok(Handle { ptr: crate::util::new_handle(new)?, free })
    }

    pub(crate) fn as_ptr(&self) -> *mut T {
        self.ptr.as_ptr()
    }
}

impl<T> Drop for Handle<T> {
    fn drop(&mut self) {
        // SAFETY: owned handle, freed by its own free function.
        unsafe { (self.free)(self.ptr.as_ptr()) }
    }
}

/// Allocates a builder, panicking (like a Rust allocation) when libsdrs cannot; `new_name`
/// names `new` in the panic message.
///
/// # Safety
/// `new` and `free` must be the `_new`/`_free` pair of one builder type.
pub(crate) unsafe fn new_builder<T>(new: NewFn<T>, free: unsafe extern "C" fn(*mut T), new_name: &str) -> Handle<T> {
    match Handle::new(new, free) {
        Ok(h) => h,
        Err(e) => panic!("{new_name} failed: {e}"),
    }
}

/// `Default` (an empty builder) and `Eq` (by the kept values) of a builder; a macro because
/// these std traits cannot be implemented generically over a crate trait.
macro_rules! builder_default_eq {
    ($builder:ident, $values:ident) => {
        impl Default for $builder {
            fn default() -> Self {
                $builder::new()
            }
        }

        impl PartialEq for $builder {
            fn eq(&self, other: &Self) -> bool {
                self.$values == other.$values
            }
        }

        impl Eq for $builder {}
    };
}
pub(crate) use builder_default_eq;

/// Calls a text setter of a builder (`NULL` for `None`: "clear").
///
/// # Safety
/// `handle` must be a valid builder of the type `set` expects.
pub(crate) unsafe fn set_text<T>(
    handle: *mut T,
    set: TextSetter<T>,
    field: &str,
    value: Option<&str>,
) -> Result<(), Error> {
    let v = opt_c_string(field, value)?;
    let mut err = ptr::null_mut();
    check(set(handle, opt_ptr(&v), &mut err), err)
}

/// Defines a validating text setter of a spec builder (a struct with `raw: Handle<_>` and the
/// `values` it keeps for `Clone` and `Debug`).
macro_rules! spec_setter {
    ($(#[$doc:meta])* $name:ident, $field:ident, $func:ident, $wire:literal) => {
        $(#[$doc])*
        pub fn $name(mut self, value: &str) -> Result<Self, crate::Error> {
            // SAFETY: valid owned builder.
            unsafe { crate::resource::set_text(self.raw.as_ptr(), sdrs_sys::$func, $wire, Some(value))? };
            self.values.$field = Some(value.to_string());
            Ok(self)
        }
    };
}
pub(crate) use spec_setter;

/// Defines the clearer of an optional text field of a spec builder (see `spec_setter`).
macro_rules! spec_clearer {
    ($(#[$doc:meta])* $name:ident, $field:ident, $func:ident, $wire:literal) => {
        $(#[$doc])*
        pub fn $name(mut self) -> Result<Self, crate::Error> {
            // SAFETY: valid owned builder; NULL clears.
            unsafe { crate::resource::set_text(self.raw.as_ptr(), sdrs_sys::$func, $wire, None)? };
            self.values.$field = None;
            Ok(self)
        }
    };
}
pub(crate) use spec_clearer;

/// Calls an integer setter of a builder.
///
/// # Safety
/// `handle` must be a valid builder of the type `set` expects.
pub(crate) unsafe fn set_int<T>(handle: *mut T, set: IntSetter<T>, value: i64) -> Result<(), Error> {
    let mut err = ptr::null_mut();
    check(set(handle, value, &mut err), err)
}

/// Calls a two-string setter of a builder (a tag: key and value).
///
/// # Safety
/// `handle` must be a valid builder of the type `set` expects.
pub(crate) unsafe fn set_pair<T>(
    handle: *mut T,
    set: unsafe extern "C" fn(*mut T, *const c_char, *const c_char, RawErr) -> c_int,
    fields: (&str, &str),
    values: (&str, &str),
) -> Result<(), Error> {
    let a = c_string(fields.0, values.0)?;
    let b = c_string(fields.1, values.1)?;
    let mut err = ptr::null_mut();
    check(set(handle, a.as_ptr(), b.as_ptr(), &mut err), err)
}

/// How a result type is copied out of its C handle.
pub(crate) trait FromHandle: Sized {
    /// The C handle type.
    type Raw;
    /// What the error message calls it when libsdrs returns none.
    const WHAT: &'static str;
    /// Copies every field.
    ///
    /// # Safety
    /// `p` must be a valid, non-NULL handle.
    unsafe fn copy(p: *const Self::Raw) -> Self;
}

/// A result type whose C handle the caller owns and frees (objects only ever borrowed from a
/// list, such as a failed task, implement [`FromHandle`] alone).
pub(crate) trait OwnedHandle: FromHandle {
    /// The handle's free function.
    const FREE: unsafe extern "C" fn(*mut Self::Raw);
}

/// Owns a result handle until taken (frees it when dropped during an unwind).
struct Owner<T: OwnedHandle>(*mut T::Raw);

impl<T: OwnedHandle> Owner<T> {
    /// Copies the handle and frees it.
    fn take(self) -> Result<T, Error> {
        let p = self.0;
        std::mem::forget(self);
        if p.is_null() {
            return Err(Error::new(ErrorKind::Internal, format!("libsdrs returned no {}", T::WHAT)));
        }
        // SAFETY: an owned, non-NULL handle of the call that just succeeded.
        unsafe {
            let v = T::copy(p);
            (T::FREE)(p);
            Ok(v)
        }
    }
}

impl<T: OwnedHandle> Drop for Owner<T> {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: owned handle.
            unsafe { (T::FREE)(self.0) }
        }
    }
}

/// A call that returns one owned object (get, rename).
pub(crate) fn object_call<T: OwnedHandle>(
    opts: Option<&CallOptions>,
    f: impl FnOnce(*mut *mut T::Raw, RawCallOpts, RawErr) -> c_int,
) -> Result<T, Error> {
    let (rc, out, err) = with_call_opts(opts, |o| {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        let rc = f(&mut out, o, &mut err);
        (rc, Owner::<T>(out), ErrOwner(err))
    })?;
    // SAFETY: the error handle of the call just made.
    unsafe { check(rc, err.release())? };
    out.take()
}

/// A call that answers nothing but success (HTTP 204: tag writes, task-center deletes).
pub(crate) fn unit_call(opts: Option<&CallOptions>, f: impl FnOnce(RawCallOpts, RawErr) -> c_int) -> Result<(), Error> {
    let mut err = ptr::null_mut();
    let rc = with_call_opts(opts, |o| f(o, &mut err))?;
    // SAFETY: the error handle of the call just made.
    unsafe { check(rc, err) }
}

/// The C signature of every `sdrs_X_create_and_wait`.
pub(crate) type CreateAndWaitFn<S, R> =
    unsafe extern "C" fn(*mut *mut R, *mut sdrs_sys::sdrs_client, *const S, *const sdrs_sys::sdrs_wait_opts, RawErr) -> c_int;

/// Runs an `sdrs_X_create_and_wait` with the wait options and progress closure.
pub(crate) fn create_and_wait<T: OwnedHandle, S>(
    client: &Client,
    spec: *const S,
    opts: Option<&WaitOptions>,
    progress: Option<ProgressFn<'_>>,
    call: CreateAndWaitFn<S, T::Raw>,
) -> Result<T, Error> {
    let (rc, out, err) = with_wait_opts(opts, progress, |w| {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid client and spec handles; the options outlive the call.
        let rc = unsafe { call(&mut out, client.raw(), spec, w, &mut err) };
        // Owned at once, so a progress panic re-raised after the call still frees them.
        (rc, Owner::<T>(out), ErrOwner(err))
    })?;
    // SAFETY: the error handle of the call just made.
    unsafe { check(rc, err.release())? };
    out.take()
}

/// Runs `create_and_wait` with a progress closure typed as the public methods take it.
pub(crate) fn create_and_wait_with<T: OwnedHandle, S, F>(
    client: &Client,
    spec: *const S,
    opts: Option<&WaitOptions>,
    mut progress: F,
    call: CreateAndWaitFn<S, T::Raw>,
) -> Result<T, Error>
where
    F: FnMut(&Job) -> ControlFlow<()>,
{
    create_and_wait(client, spec, opts, Some(&mut progress), call)
}

/// `sdrs_X_new`: allocates a handle.
pub(crate) type NewFn<T> = unsafe extern "C" fn(*mut *mut T, RawErr) -> c_int;

/// A text setter of a builder (`NULL` clears).
pub(crate) type TextSetter<T> = unsafe extern "C" fn(*mut T, *const c_char, RawErr) -> c_int;

/// A text field of a builder: its setter, wire name and value (unset: `None`).
pub(crate) type TextField<'a, T> = (TextSetter<T>, &'a str, &'a Option<String>);

/// An integer setter of a builder.
pub(crate) type IntSetter<T> = unsafe extern "C" fn(*mut T, i64, RawErr) -> c_int;

/// Sets the text fields of a freshly made builder again from the values a clone keeps.
///
/// # Panics
/// When libsdrs refuses a value it accepted before (a bug).
///
/// # Safety
/// `handle` must be a valid builder of the type the setters expect.
pub(crate) unsafe fn set_texts_again<T>(handle: *mut T, texts: &[TextField<'_, T>]) {
    for (set, field, value) in texts {
        if let Some(value) = value {
            set_text(handle, *set, field, Some(value)).unwrap_or_else(|e| panic!("cloning the spec: {e}"));
        }
    }
}

/// The accessors of a `sdrs_X_list` page handle.
pub(crate) struct ListFns<L, R> {
    pub(crate) size: unsafe extern "C" fn(*const L) -> usize,
    pub(crate) at: unsafe extern "C" fn(*const L, usize) -> *const R,
    pub(crate) count: unsafe extern "C" fn(*const L) -> i64,
    pub(crate) free: unsafe extern "C" fn(*mut L),
}

/// `sdrs_X_list_get`: a page for list options.
pub(crate) type ListGetFn<O, L> = unsafe extern "C" fn(*mut *mut L, *mut sdrs_sys::sdrs_client, *const O, RawCallOpts, RawErr) -> c_int;

/// `sdrs_X_iter_new`: an iterator for list options.
pub(crate) type IterNewFn<O, I> = unsafe extern "C" fn(*mut *mut I, *mut sdrs_sys::sdrs_client, *const O, RawErr) -> c_int;

/// A resource listed through the common C listing API: `sdrs_X_list_opts` with `limit` and
/// `offset`, `sdrs_X_list_get` with its page accessors, and `sdrs_X_iter_new`.
pub(crate) trait Listing: FromHandle {
    /// `sdrs_X_list_opts`
    type Opts;
    /// `sdrs_X_list`
    type List;
    /// `sdrs_X_iter`
    type Iter;
    /// `sdrs_X_list_opts_new`
    const OPTS_NEW: NewFn<Self::Opts>;
    /// `sdrs_X_list_opts_free`
    const OPTS_FREE: unsafe extern "C" fn(*mut Self::Opts);
    /// `sdrs_X_list_opts_set_limit`
    const SET_LIMIT: IntSetter<Self::Opts>;
    /// `sdrs_X_list_opts_set_offset`
    const SET_OFFSET: IntSetter<Self::Opts>;
    /// `sdrs_X_list_get`
    const LIST_GET: ListGetFn<Self::Opts, Self::List>;
    /// The page accessors.
    const LIST: ListFns<Self::List, Self::Raw>;
    /// `sdrs_X_iter_new`
    const ITER_NEW: IterNewFn<Self::Opts, Self::Iter>;
}

/// Builds C list options: `limit`, `offset` and the text filters that are set.
pub(crate) fn list_opts<T: Listing>(
    limit: Option<i64>,
    offset: Option<i64>,
    texts: &[TextField<'_, T::Opts>],
) -> Result<Handle<T::Opts>, Error> {
    // SAFETY: the _new/_free pair of one list options type.
    let raw = unsafe { Handle::new(T::OPTS_NEW, T::OPTS_FREE)? };
    let p = raw.as_ptr();
    // SAFETY (all setters): valid owned builder.
    unsafe {
        if let Some(l) = limit {
            set_int(p, T::SET_LIMIT, l)?;
        }
        if let Some(o) = offset {
            set_int(p, T::SET_OFFSET, o)?;
        }
        for (set, field, value) in texts {
            if value.is_some() {
                set_text(p, *set, field, value.as_deref())?;
            }
        }
    }
    Ok(raw)
}

fn list_opts_ptr<O>(opts: Option<&Handle<O>>) -> *const O {
    opts.map_or(ptr::null(), |h| h.as_ptr())
}

/// Fetches one page through `sdrs_X_list_get`.
pub(crate) fn list_page<T: Listing>(
    client: &Client,
    opts: Option<&Handle<T::Opts>>,
    call_opts: Option<&CallOptions>,
) -> Result<Page<T>, Error> {
    let fns = T::LIST;
    let c = client.raw();
    let mut out = ptr::null_mut();
    let mut err = ptr::null_mut();
    // SAFETY: valid client; the options outlive the call.
    let rc = with_call_opts(call_opts, |o| unsafe { (T::LIST_GET)(&mut out, c, list_opts_ptr(opts), o, &mut err) })?;
    // SAFETY: outputs of the call just made; borrowed objects are copied before the free.
    unsafe {
        check(rc, err)?;
        if out.is_null() {
            return Err(Error::new(ErrorKind::Internal, format!("libsdrs returned no {} list", T::WHAT)));
        }
        let n = (fns.size)(out);
        let items = (0..n).map(|i| (fns.at)(out, i)).filter(|p| !p.is_null()).map(|p| T::copy(p)).collect();
        let count = crate::util::non_negative((fns.count)(out));
        (fns.free)(out);
        Ok(Page { items, count })
    }
}

/// Starts an `sdrs_X_iter` (for the iterator's `adopt`).
pub(crate) fn iter_new<T: Listing>(client: &Client, opts: Option<&Handle<T::Opts>>) -> Result<*mut T::Iter, Error> {
    let mut out = ptr::null_mut();
    let mut err = ptr::null_mut();
    // SAFETY: valid client; the list options are copied by libsdrs.
    unsafe { check((T::ITER_NEW)(&mut out, client.raw(), list_opts_ptr(opts), &mut err), err)? };
    Ok(out)
}

/// One page of a listing: the objects and the service's total `count`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    items: Vec<T>,
    count: Option<i64>,
}

impl<T> Page<T> {
    /// The objects of this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }
    /// The service's `count`: the number of matching objects over all pages.
    pub fn count(&self) -> Option<i64> {
        self.count
    }
    /// Takes the objects out.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Defines a public iterator over an `sdrs_X_iter` that yields owned copies.
macro_rules! resource_iter {
    ($(#[$doc:meta])* $name:ident, $item:ty, $raw_iter:ident, $next:ident, $free:ident) => {
        $(#[$doc])*
        ///
        /// Yields `Err` once when a page fetch fails and then ends.
        pub struct $name<'c> {
            ptr: std::ptr::NonNull<sdrs_sys::$raw_iter>,
            raw_call_opts: Option<crate::client::RawCallOpts>,
            done: bool,
            _client: std::marker::PhantomData<&'c crate::Client>,
        }

        // SAFETY: the header says an iterator is single-threaded: it may move between threads,
        // not be shared. The client it uses is Sync.
        unsafe impl Send for $name<'_> {}

        impl $name<'_> {
            /// Takes over an iterator handle from `sdrs_X_iter_new`; the iterator keeps its own
            /// C call options (and a clone of their cancel token).
            fn adopt(
                raw: *mut sdrs_sys::$raw_iter,
                call_opts: Option<&crate::CallOptions>,
            ) -> Result<Self, crate::Error> {
                let ptr = std::ptr::NonNull::new(raw).ok_or_else(|| {
                    crate::Error::new(crate::ErrorKind::Internal, concat!(stringify!($raw_iter), "_new returned NULL"))
                })?;
                let mut it = $name { ptr, raw_call_opts: None, done: false, _client: std::marker::PhantomData };
                it.raw_call_opts = call_opts.map(crate::CallOptions::to_raw).transpose()?;
                Ok(it)
            }
        }

        impl Iterator for $name<'_> {
            type Item = Result<$item, crate::Error>;

            fn next(&mut self) -> Option<Self::Item> {
                if self.done {
                    return None;
                }
                let mut item = std::ptr::null();
                let mut err = std::ptr::null_mut();
                let o = self.raw_call_opts.as_ref().map_or(std::ptr::null(), |r| r.as_ptr());
                // SAFETY: valid iterator; the borrowed object is copied before the next call.
                unsafe {
                    let rc = sdrs_sys::$next(&mut item, self.ptr.as_ptr(), o, &mut err);
                    if let Err(e) = crate::util::check(rc, err) {
                        self.done = true;
                        return Some(Err(e));
                    }
                    if item.is_null() {
                        self.done = true;
                        return None;
                    }
                    Some(Ok(<$item as crate::resource::FromHandle>::copy(item)))
                }
            }
        }

        impl std::iter::FusedIterator for $name<'_> {}

        impl Drop for $name<'_> {
            fn drop(&mut self) {
                // SAFETY: owned handle.
                unsafe { sdrs_sys::$free(self.ptr.as_ptr()) }
            }
        }

        impl std::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("done", &self.done).finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use resource_iter;
