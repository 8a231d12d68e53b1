using System;
using System.Collections.Generic;

namespace Sdrs;

/// <summary>
/// A task-center record of a failed asynchronous job (spec part 2 section 7), copied out of the
/// native handle. Deleting the record does not repair the resource.
/// </summary>
public sealed record FailedTask
{
    /// <summary>The failed job's id (the id <see cref="SdrsClient.DeleteFailedTaskAsync"/> takes).</summary>
    public string? JobId { get; init; }
    /// <summary>The job type ("createProtectedInstanceNoCG"...).</summary>
    public string? JobType { get; init; }
    /// <summary>The job status ("FAIL").</summary>
    public string? JobStatus { get; init; }
    /// <summary>The failed resource's id.</summary>
    public string? ResourceId { get; init; }
    /// <summary>The failed resource's name.</summary>
    public string? ResourceName { get; init; }
    /// <summary>server_groups, protected_instances, replications or disaster_recovery_drills.</summary>
    public string? ResourceType { get; init; }
    /// <summary>What failed: createFail, deleteFail, attachFail, ...</summary>
    public string? FailureStatus { get; init; }
    /// <summary>begin_time as sent by the service.</summary>
    public string? BeginTimeText { get; init; }
    /// <summary>begin_time (UTC), null when absent or unparseable.</summary>
    public DateTimeOffset? BeginTime { get; init; }
    /// <summary>The error code; may be another service's ("EVS.2024").</summary>
    public string? ErrorCode { get; init; }
    /// <summary>The failure reason.</summary>
    public string? FailReason { get; init; }
    /// <summary>The record as JSON text.</summary>
    public string? Json { get; init; }

    /// <summary>Reads a borrowed sdrs_task; the caller keeps its list or iterator alive.</summary>
    internal static FailedTask Read(nint p) => new()
    {
        JobId = Native.Str(Native.sdrs_task_job_id(p)),
        JobType = Native.Str(Native.sdrs_task_job_type(p)),
        JobStatus = Native.Str(Native.sdrs_task_job_status(p)),
        ResourceId = Native.Str(Native.sdrs_task_resource_id(p)),
        ResourceName = Native.Str(Native.sdrs_task_resource_name(p)),
        ResourceType = Native.Str(Native.sdrs_task_resource_type(p)),
        FailureStatus = Native.Str(Native.sdrs_task_failure_status(p)),
        BeginTimeText = Native.Str(Native.sdrs_task_begin_time(p)),
        BeginTime = Conv.Time(Native.sdrs_task_begin_time_ms(p)),
        ErrorCode = Native.Str(Native.sdrs_task_error_code(p)),
        FailReason = Native.Str(Native.sdrs_task_fail_reason(p)),
        Json = Native.Str(Native.sdrs_task_json(p)),
    };
}

/// <summary>One page of failed tasks.</summary>
/// <param name="Tasks">The records of this page.</param>
/// <param name="Count">The service's "count", null when absent.</param>
public sealed record FailedTaskPage(IReadOnlyList<FailedTask> Tasks, long? Count);

/// <summary>
/// Filters and paging of the task center (spec part 2 section 7.1). Without
/// <see cref="ServerGroupId"/> the group-level failures are listed (failed group creates and
/// deletes); with it, the failures inside that group. Null members are not sent.
/// </summary>
public sealed record FailedTaskListOptions
{
    /// <summary>Page size 1..1000 (for iteration: the page size used).</summary>
    public long? Limit { get; init; }
    /// <summary>Records to skip (for iteration: the starting point).</summary>
    public long? Offset { get; init; }
    /// <summary>Failures inside this group; null: group-level failures only.</summary>
    public string? ServerGroupId { get; init; }
    /// <summary>createFail, deleteFail, attachFail, detachFail, expandFail, resizeFail, startFail, stopFail, reverseFail, failoverFail or reprotectFail.</summary>
    public string? FailureStatus { get; init; }
    /// <summary>The failed resource's name.</summary>
    public string? ResourceName { get; init; }
    /// <summary>server_groups, protected_instances, replications or disaster_recovery_drills.</summary>
    public string? ResourceType { get; init; }
}
