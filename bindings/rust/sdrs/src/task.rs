//! The task center (`sdrs/task.h`): records of failed asynchronous jobs, their listing and
//! their deletion.

use crate::client::{CallOptions, Client};
use crate::error::Error;
use crate::resource::{self, resource_iter, IntSetter, IterNewFn, ListGetFn, Listing, NewFn, unit_call, FromHandle, Handle, ListFns, Page};
use crate::util::{c_string, opt_string, time_ms};

// ---------------------------------------------------------------------------------------------
// The failed task object
// ---------------------------------------------------------------------------------------------

/// A failed task record (a failed asynchronous job), copied out of the task center listing
/// (owned, immutable, `Send + Sync`). Deleting the record does not repair the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedTask {
    job_id: String,
    job_type: Option<String>,
    job_status: Option<String>,
    resource_id: Option<String>,
    resource_name: Option<String>,
    resource_type: Option<String>,
    failure_status: Option<String>,
    begin_time: Option<String>,
    begin_time_ms: Option<i64>,
    error_code: Option<String>,
    fail_reason: Option<String>,
    json: String,
}

impl FromHandle for FailedTask {
    type Raw = sdrs_sys::sdrs_task;
    const WHAT: &'static str = "failed task";

    unsafe fn copy(p: *const sdrs_sys::sdrs_task) -> FailedTask {
        use sdrs_sys::*;
        FailedTask {
            job_id: opt_string(sdrs_task_job_id(p)).unwrap_or_default(),
            job_type: opt_string(sdrs_task_job_type(p)),
            job_status: opt_string(sdrs_task_job_status(p)),
            resource_id: opt_string(sdrs_task_resource_id(p)),
            resource_name: opt_string(sdrs_task_resource_name(p)),
            resource_type: opt_string(sdrs_task_resource_type(p)),
            failure_status: opt_string(sdrs_task_failure_status(p)),
            begin_time: opt_string(sdrs_task_begin_time(p)),
            begin_time_ms: time_ms(sdrs_task_begin_time_ms(p)),
            error_code: opt_string(sdrs_task_error_code(p)),
            fail_reason: opt_string(sdrs_task_fail_reason(p)),
            json: opt_string(sdrs_task_json(p)).unwrap_or_default(),
        }
    }
}

impl FailedTask {
    /// The failed job's id: what [`Client::delete_failed_task`] takes. Empty when the service
    /// sent none.
    pub fn job_id(&self) -> &str {
        &self.job_id
    }
    /// The job type (`createProtectedInstanceNoCG`...).
    pub fn job_type(&self) -> Option<&str> {
        self.job_type.as_deref()
    }
    /// The job status (`FAIL`).
    pub fn job_status(&self) -> Option<&str> {
        self.job_status.as_deref()
    }
    /// The affected resource's id.
    pub fn resource_id(&self) -> Option<&str> {
        self.resource_id.as_deref()
    }
    /// The affected resource's name.
    pub fn resource_name(&self) -> Option<&str> {
        self.resource_name.as_deref()
    }
    /// The affected resource's kind (`server_groups`, `protected_instances`, `replications`,
    /// `disaster_recovery_drills`, or what the service sent).
    pub fn resource_type(&self) -> Option<&str> {
        self.resource_type.as_deref()
    }
    /// The kind of failure (`createFail`, `deleteFail`, ...).
    pub fn failure_status(&self) -> Option<&str> {
        self.failure_status.as_deref()
    }
    /// When the job began, as the service sent it.
    pub fn begin_time(&self) -> Option<&str> {
        self.begin_time.as_deref()
    }
    /// When the job began, in Unix milliseconds (UTC); `None` when absent or unparseable.
    pub fn begin_time_ms(&self) -> Option<i64> {
        self.begin_time_ms
    }
    /// The error code; may be another service's (`EVS.2024`).
    pub fn error_code(&self) -> Option<&str> {
        self.error_code.as_deref()
    }
    /// The failure reason (free text).
    pub fn fail_reason(&self) -> Option<&str> {
        self.fail_reason.as_deref()
    }
    /// The record as JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }
}

// ---------------------------------------------------------------------------------------------
// Listing
// ---------------------------------------------------------------------------------------------

/// Filters and paging of [`Client::list_failed_tasks`] / [`Client::iter_failed_tasks`]. Without
/// a group the listing holds the group-level failures (failed group creates and deletes); with
/// [`server_group_id`](TaskListOptions::server_group_id) the failures inside that group. Values
/// are checked by libsdrs when the call is made.
///
/// ```
/// let opts = sdrs::TaskListOptions::new()
///     .server_group_id("5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11")
///     .resource_type("protected_instances")
///     .failure_status("createFail");
/// # drop(opts);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskListOptions {
    limit: Option<i64>,
    offset: Option<i64>,
    server_group_id: Option<String>,
    failure_status: Option<String>,
    resource_name: Option<String>,
    resource_type: Option<String>,
}

impl TaskListOptions {
    /// Group-level failures, service defaults.
    pub fn new() -> TaskListOptions {
        TaskListOptions::default()
    }
    /// Page size 1..=1000.
    pub fn limit(mut self, limit: i64) -> TaskListOptions {
        self.limit = Some(limit);
        self
    }
    /// Records to skip (the starting point of an iterator), >= 0.
    pub fn offset(mut self, offset: i64) -> TaskListOptions {
        self.offset = Some(offset);
        self
    }
    /// The failures inside this group (instances, pairs, drills).
    pub fn server_group_id(mut self, group_id: &str) -> TaskListOptions {
        self.server_group_id = Some(group_id.to_string());
        self
    }
    /// One of `createFail`, `deleteFail`, `attachFail`, `detachFail`, `expandFail`,
    /// `resizeFail`, `startFail`, `stopFail`, `reverseFail`, `failoverFail`, `reprotectFail`.
    pub fn failure_status(mut self, failure_status: &str) -> TaskListOptions {
        self.failure_status = Some(failure_status.to_string());
        self
    }
    /// The failed resource's name.
    pub fn resource_name(mut self, name: &str) -> TaskListOptions {
        self.resource_name = Some(name.to_string());
        self
    }
    /// One of `server_groups`, `protected_instances`, `replications`,
    /// `disaster_recovery_drills`.
    pub fn resource_type(mut self, resource_type: &str) -> TaskListOptions {
        self.resource_type = Some(resource_type.to_string());
        self
    }

    fn to_raw(&self) -> Result<Handle<sdrs_sys::sdrs_task_list_opts>, Error> {
        let raw = resource::list_opts::<FailedTask>(
            self.limit,
            self.offset,
            &[
                (sdrs_sys::sdrs_task_list_opts_set_server_group_id, "server_group_id", &self.server_group_id),
                (sdrs_sys::sdrs_task_list_opts_set_failure_status, "failure_status", &self.failure_status),
                (sdrs_sys::sdrs_task_list_opts_set_resource_name, "resource_name", &self.resource_name),
                (sdrs_sys::sdrs_task_list_opts_set_resource_type, "resource_type", &self.resource_type),
            ],
        )?;
        Ok(raw)
    }
}

impl Listing for FailedTask {
    type Opts = sdrs_sys::sdrs_task_list_opts;
    type List = sdrs_sys::sdrs_task_list;
    type Iter = sdrs_sys::sdrs_task_iter;
    const OPTS_NEW: NewFn<Self::Opts> = sdrs_sys::sdrs_task_list_opts_new;
    const OPTS_FREE: unsafe extern "C" fn(*mut Self::Opts) = sdrs_sys::sdrs_task_list_opts_free;
    const SET_LIMIT: IntSetter<Self::Opts> = sdrs_sys::sdrs_task_list_opts_set_limit;
    const SET_OFFSET: IntSetter<Self::Opts> = sdrs_sys::sdrs_task_list_opts_set_offset;
    const LIST_GET: ListGetFn<Self::Opts, Self::List> = sdrs_sys::sdrs_task_list_get;
    const LIST: ListFns<Self::List, Self::Raw> = ListFns {
        size: sdrs_sys::sdrs_task_list_size,
        at: sdrs_sys::sdrs_task_list_at,
        count: sdrs_sys::sdrs_task_list_count,
        free: sdrs_sys::sdrs_task_list_free,
    };
    const ITER_NEW: IterNewFn<Self::Opts, Self::Iter> = sdrs_sys::sdrs_task_iter_new;
}

/// One page of failed tasks.
pub type TaskPage = Page<FailedTask>;

resource_iter!(
    /// Iterator over every matching failed task, fetching pages as needed (`sdrs_task_iter`).
    TaskIter, FailedTask, sdrs_task_iter, sdrs_task_iter_next, sdrs_task_iter_free);

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

impl Client {
    /// Reads one page of failed tasks (without options: the group-level failures).
    pub fn list_failed_tasks(&self, opts: Option<&TaskListOptions>, call_opts: Option<&CallOptions>) -> Result<TaskPage, Error> {
        let lo = opts.map(TaskListOptions::to_raw).transpose()?;
        resource::list_page(self, lo.as_ref(), call_opts)
    }

    /// Iterates over every matching failed task, paging with `limit`/`offset` (page size from
    /// the options' limit, default 1000). `call_opts` applies to each page fetch.
    pub fn iter_failed_tasks(&self, opts: Option<&TaskListOptions>, call_opts: Option<&CallOptions>) -> Result<TaskIter<'_>, Error> {
        let lo = opts.map(TaskListOptions::to_raw).transpose()?;
        TaskIter::adopt(resource::iter_new::<FailedTask>(self, lo.as_ref())?, call_opts)
    }

    /// Deletes one failed-task record by its job id ([`FailedTask::job_id`]; the documentation
    /// does not say which field the path takes, and the job id is the only id a record has).
    /// The literal `"batch"` is refused (it would reach another endpoint).
    pub fn delete_failed_task(&self, failure_job_id: &str, opts: Option<&CallOptions>) -> Result<(), Error> {
        let id = c_string("failure_job_id", failure_job_id)?;
        let c = self.raw();
        // SAFETY: valid client; id outlives the call.
        unit_call(opts, |o, e| unsafe { sdrs_sys::sdrs_task_delete(c, id.as_ptr(), o, e) })
    }

    /// Deletes the failure records inside one group (instances, pairs, drills).
    pub fn delete_group_failed_tasks(&self, server_group_id: &str, opts: Option<&CallOptions>) -> Result<(), Error> {
        let id = c_string("server_group_id", server_group_id)?;
        let c = self.raw();
        // SAFETY: valid client; id outlives the call.
        unit_call(opts, |o, e| unsafe { sdrs_sys::sdrs_task_delete_group(c, id.as_ptr(), o, e) })
    }

    /// Deletes the group-level failure records (failed group creates and deletes). Despite the
    /// service documentation's title, failures inside groups stay: use
    /// [`delete_group_failed_tasks`](Client::delete_group_failed_tasks) for those.
    pub fn delete_group_level_failed_tasks(&self, opts: Option<&CallOptions>) -> Result<(), Error> {
        let c = self.raw();
        // SAFETY: valid client.
        unit_call(opts, |o, e| unsafe { sdrs_sys::sdrs_task_delete_group_level(c, o, e) })
    }
}
