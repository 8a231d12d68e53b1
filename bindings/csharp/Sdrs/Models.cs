using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Sdrs;

/// <summary>Status of a protection group (enum sdrs_pg_status).</summary>
public enum ProtectionGroupStatus
{
    /// <summary>A value this library does not know; see <see cref="ProtectionGroup.StatusText"/>.</summary>
    Unknown = 0,
    /// <summary>creating</summary>
    Creating = 1,
    /// <summary>available (protection off)</summary>
    Available = 2,
    /// <summary>protected (protection on)</summary>
    Protected = 3,
    /// <summary>deleting</summary>
    Deleting = 4,
    /// <summary>error-deleting</summary>
    ErrorDeleting = 5,
    /// <summary>error (create failed)</summary>
    Error = 6,
    /// <summary>starting</summary>
    Starting = 7,
    /// <summary>error-starting</summary>
    ErrorStarting = 8,
    /// <summary>reprotecting</summary>
    Reprotecting = 9,
    /// <summary>error-reprotecting</summary>
    ErrorReprotecting = 10,
    /// <summary>stopping</summary>
    Stopping = 11,
    /// <summary>error-stopping</summary>
    ErrorStopping = 12,
    /// <summary>reversing (planned failover running)</summary>
    Reversing = 13,
    /// <summary>error-reversing</summary>
    ErrorReversing = 14,
    /// <summary>failing-over</summary>
    FailingOver = 15,
    /// <summary>failed-over</summary>
    FailedOver = 16,
    /// <summary>error-failing-over</summary>
    ErrorFailingOver = 17,
}

/// <summary>Status of an asynchronous job (enum sdrs_job_status).</summary>
public enum JobState
{
    /// <summary>A value this library does not know; see <see cref="Job.StatusText"/>.</summary>
    Unknown = 0,
    /// <summary>INIT</summary>
    Init = 1,
    /// <summary>RUNNING</summary>
    Running = 2,
    /// <summary>SUCCESS</summary>
    Success = 3,
    /// <summary>FAIL</summary>
    Fail = 4,
}

/// <summary>Log levels of the library (enum sdrs_log_level).</summary>
public enum SdrsLogLevel
{
    /// <summary>Errors.</summary>
    Error = 1,
    /// <summary>Warnings.</summary>
    Warn = 2,
    /// <summary>One line per HTTP exchange.</summary>
    Info = 3,
    /// <summary>Adds headers (secrets masked) and bodies.</summary>
    Debug = 4,
}

/// <summary>Input of <see cref="SdrsClient.CreateProtectionGroupAsync"/> (spec 4.1).</summary>
public sealed record CreateProtectionGroupRequest
{
    /// <summary>1..64 bytes of A-Z a-z 0-9 . _ -</summary>
    public required string Name { get; init; }

    /// <summary>Production-site availability zone.</summary>
    public required string SourceAvailabilityZone { get; init; }

    /// <summary>DR-site availability zone (must differ from the source).</summary>
    public required string TargetAvailabilityZone { get; init; }

    /// <summary>Active-active domain id (see <see cref="SdrsClient.ListDomainsAsync"/>).</summary>
    public required string DomainId { get; init; }

    /// <summary>VPC id of the production site.</summary>
    public required string SourceVpcId { get; init; }

    /// <summary>Optional: at most 64 bytes, no '&lt;' or '&gt;'.</summary>
    public string? Description { get; init; }

    /// <summary>Optional deployment model ("migration").</summary>
    public string? DrType { get; init; }

    /// <summary>Optional server type ("ECS").</summary>
    public string? ServerType { get; init; }
}

/// <summary>A protection group (spec 4.7), copied out of the native handle.</summary>
public sealed record ProtectionGroup
{
    /// <summary>Group id.</summary>
    public string? Id { get; init; }
    /// <summary>Name.</summary>
    public string? Name { get; init; }
    /// <summary>Description, null when absent.</summary>
    public string? Description { get; init; }
    /// <summary>Status as an enum.</summary>
    public ProtectionGroupStatus Status { get; init; }
    /// <summary>Raw status string.</summary>
    public string? StatusText { get; init; }
    /// <summary>Production AZ as configured at creation.</summary>
    public string? SourceAvailabilityZone { get; init; }
    /// <summary>DR AZ as configured at creation.</summary>
    public string? TargetAvailabilityZone { get; init; }
    /// <summary>Active-active domain id.</summary>
    public string? DomainId { get; init; }
    /// <summary>Active-active domain name.</summary>
    public string? DomainName { get; init; }
    /// <summary>Current production site: "source" or "target".</summary>
    public string? PriorityStation { get; init; }
    /// <summary>"started" / "stopped", or null.</summary>
    public string? ProtectedStatus { get; init; }
    /// <summary>"active", "inactive", "copying", "active-stopped", or null.</summary>
    public string? ReplicationStatus { get; init; }
    /// <summary>"normal" / "abnormal", or null.</summary>
    public string? HealthStatus { get; init; }
    /// <summary>Production-site VPC id.</summary>
    public string? SourceVpcId { get; init; }
    /// <summary>DR-site VPC id.</summary>
    public string? TargetVpcId { get; init; }
    /// <summary>Drill VPC id (reserved), or null.</summary>
    public string? TestVpcId { get; init; }
    /// <summary>Deployment model.</summary>
    public string? DrType { get; init; }
    /// <summary>Server type.</summary>
    public string? ServerType { get; init; }
    /// <summary>"replication-pair" or null.</summary>
    public string? ProtectionType { get; init; }
    /// <summary>Reserved.</summary>
    public string? ReplicationModel { get; init; }
    /// <summary>created_at as sent by the service.</summary>
    public string? CreatedAtText { get; init; }
    /// <summary>updated_at as sent by the service.</summary>
    public string? UpdatedAtText { get; init; }
    /// <summary>created_at (UTC), null when absent or unparseable.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>updated_at (UTC), null when absent or unparseable.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>Synchronization progress in percent, null when absent.</summary>
    public long? Progress { get; init; }
    /// <summary>Number of protected instances, null when absent.</summary>
    public long? ProtectedInstanceNum { get; init; }
    /// <summary>Number of replication pairs, null when absent.</summary>
    public long? ReplicationNum { get; init; }
    /// <summary>Number of DR drills, null when absent.</summary>
    public long? DisasterRecoveryDrillNum { get; init; }
    /// <summary>The group object as JSON text (for fields a newer service adds).</summary>
    public string? Json { get; init; }

    /// <summary>The static name of a status value ("failed-over"...), "unknown" otherwise.</summary>
    /// <param name="status">A status value.</param>
    public static string StatusName(ProtectionGroupStatus status) =>
        Native.Str(Native.sdrs_pg_status_name((int)status)) ?? "unknown";

    /// <summary>Reads a (borrowed or owned) sdrs_pg; the caller keeps its owner alive.</summary>
    internal static ProtectionGroup Read(nint p) => new()
    {
        Id = Native.Str(Native.sdrs_pg_id(p)),
        Name = Native.Str(Native.sdrs_pg_name(p)),
        Description = Native.Str(Native.sdrs_pg_description(p)),
        Status = (ProtectionGroupStatus)Native.sdrs_pg_status(p),
        StatusText = Native.Str(Native.sdrs_pg_status_str(p)),
        SourceAvailabilityZone = Native.Str(Native.sdrs_pg_source_az(p)),
        TargetAvailabilityZone = Native.Str(Native.sdrs_pg_target_az(p)),
        DomainId = Native.Str(Native.sdrs_pg_domain_id(p)),
        DomainName = Native.Str(Native.sdrs_pg_domain_name(p)),
        PriorityStation = Native.Str(Native.sdrs_pg_priority_station(p)),
        ProtectedStatus = Native.Str(Native.sdrs_pg_protected_status(p)),
        ReplicationStatus = Native.Str(Native.sdrs_pg_replication_status(p)),
        HealthStatus = Native.Str(Native.sdrs_pg_health_status(p)),
        SourceVpcId = Native.Str(Native.sdrs_pg_source_vpc_id(p)),
        TargetVpcId = Native.Str(Native.sdrs_pg_target_vpc_id(p)),
        TestVpcId = Native.Str(Native.sdrs_pg_test_vpc_id(p)),
        DrType = Native.Str(Native.sdrs_pg_dr_type(p)),
        ServerType = Native.Str(Native.sdrs_pg_server_type(p)),
        ProtectionType = Native.Str(Native.sdrs_pg_protection_type(p)),
        ReplicationModel = Native.Str(Native.sdrs_pg_replication_model(p)),
        CreatedAtText = Native.Str(Native.sdrs_pg_created_at(p)),
        UpdatedAtText = Native.Str(Native.sdrs_pg_updated_at(p)),
        CreatedAt = Conv.Time(Native.sdrs_pg_created_at_ms(p)),
        UpdatedAt = Conv.Time(Native.sdrs_pg_updated_at_ms(p)),
        Progress = Conv.Count(Native.sdrs_pg_progress(p)),
        ProtectedInstanceNum = Conv.Count(Native.sdrs_pg_protected_instance_num(p)),
        ReplicationNum = Conv.Count(Native.sdrs_pg_replication_num(p)),
        DisasterRecoveryDrillNum = Conv.Count(Native.sdrs_pg_disaster_recovery_drill_num(p)),
        Json = Native.Str(Native.sdrs_pg_json(p)),
    };

    internal static ProtectionGroup Read(PgHandle h)
    {
        using var lease = new HandleLease(h);
        return Read(lease.Pointer);
    }
}

/// <summary>One page of protection groups.</summary>
/// <param name="Groups">The groups of this page.</param>
/// <param name="Count">The service's total number of matching groups, null when absent.</param>
public sealed record ProtectionGroupPage(IReadOnlyList<ProtectionGroup> Groups, long? Count);

/// <summary>Filters and paging of a group listing (spec 4.2). Null members are not sent.</summary>
public sealed record ListOptions
{
    /// <summary>Page size 1..1000 (for iteration: the page size used).</summary>
    public long? Limit { get; init; }
    /// <summary>Records to skip (for iteration: the starting point).</summary>
    public long? Offset { get; init; }
    /// <summary>Group status value ("protected"...).</summary>
    public string? Status { get; init; }
    /// <summary>Substring match on the name.</summary>
    public string? Name { get; init; }
    /// <summary>"general", "status_abnormal", "stop_protected" or "period_no_dr_drill".</summary>
    public string? QueryType { get; init; }
    /// <summary>Current production-site AZ.</summary>
    public string? AvailabilityZone { get; init; }
}

/// <summary>An asynchronous job (spec 5), copied out of the native handle with its sub-jobs.</summary>
public sealed record Job
{
    /// <summary>Job id.</summary>
    public string? Id { get; init; }
    /// <summary>Job type, e.g. "createServerGroup".</summary>
    public string? Type { get; init; }
    /// <summary>Status as an enum.</summary>
    public JobState Status { get; init; }
    /// <summary>Raw status string.</summary>
    public string? StatusText { get; init; }
    /// <summary>begin_time as sent by the service.</summary>
    public string? BeginTimeText { get; init; }
    /// <summary>end_time as sent by the service.</summary>
    public string? EndTimeText { get; init; }
    /// <summary>Begin time (UTC), null when absent.</summary>
    public DateTimeOffset? BeginTime { get; init; }
    /// <summary>End time (UTC), null when absent.</summary>
    public DateTimeOffset? EndTime { get; init; }
    /// <summary>The job's error_code, or null.</summary>
    public string? ErrorCode { get; init; }
    /// <summary>The job's fail_reason, or null.</summary>
    public string? FailReason { get; init; }
    /// <summary>Scalar entries of "entities" (numbers and booleans in JSON text form), sub_jobs excluded.</summary>
    public IReadOnlyDictionary<string, string> Entities { get; init; } = new Dictionary<string, string>();
    /// <summary>The entries of entities.sub_jobs.</summary>
    public IReadOnlyList<Job> SubJobs { get; init; } = [];
    /// <summary>The job object as JSON text.</summary>
    public string? Json { get; init; }

    /// <summary>entities.server_group_id, when the job touches a group.</summary>
    public string? ServerGroupId => Entities.TryGetValue("server_group_id", out string? v) ? v : null;

    /// <summary>True when the job reached SUCCESS or FAIL.</summary>
    public bool IsFinished => Status is JobState.Success or JobState.Fail;

    /// <summary>The static name of a status value ("SUCCESS"...), "UNKNOWN" otherwise.</summary>
    /// <param name="status">A status value.</param>
    public static string StatusName(JobState status) =>
        Native.Str(Native.sdrs_job_status_name((int)status)) ?? "UNKNOWN";

    /// <summary>Reads a (borrowed or owned) sdrs_job and its sub-jobs; the caller keeps the owner alive.</summary>
    internal static Job Read(nint p)
    {
        string? json = Native.Str(Native.sdrs_job_json(p));
        var entities = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in EntityKeys(json))
        {
            string? v = Native.Str(Native.sdrs_job_entity(p, key));
            if (v is not null)
            {
                entities[key] = v;
            }
        }

        List<Job> subJobs = Conv.Objects(p, Native.sdrs_job_sub_job_count(p), static (j, i) => Native.sdrs_job_sub_job(j, i), Read);

        return new Job
        {
            Id = Native.Str(Native.sdrs_job_id(p)),
            Type = Native.Str(Native.sdrs_job_type(p)),
            Status = (JobState)Native.sdrs_job_status(p),
            StatusText = Native.Str(Native.sdrs_job_status_str(p)),
            BeginTimeText = Native.Str(Native.sdrs_job_begin_time(p)),
            EndTimeText = Native.Str(Native.sdrs_job_end_time(p)),
            BeginTime = Conv.Time(Native.sdrs_job_begin_time_ms(p)),
            EndTime = Conv.Time(Native.sdrs_job_end_time_ms(p)),
            ErrorCode = Native.Str(Native.sdrs_job_error_code(p)),
            FailReason = Native.Str(Native.sdrs_job_fail_reason(p)),
            Entities = entities,
            SubJobs = subJobs,
            Json = json,
        };
    }

    internal static Job? Read(JobHandle h)
    {
        if (h.IsInvalid)
        {
            return null;
        }

        using var lease = new HandleLease(h);
        return Read(lease.Pointer);
    }

    // The C API reads one entity by key; the key set comes from the job's JSON.
    private static List<string> EntityKeys(string? json)
    {
        var keys = new List<string>();
        if (string.IsNullOrEmpty(json))
        {
            return keys;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object &&
                doc.RootElement.TryGetProperty("entities", out JsonElement ent) &&
                ent.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty prop in ent.EnumerateObject())
                {
                    if (prop.Name != "sub_jobs")
                    {
                        keys.Add(prop.Name);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // The library already parsed this JSON; an odd shape just means no entities.
        }

        return keys;
    }
}

/// <summary>A progress report of <see cref="SdrsClient.WaitForJobAsync"/>: one status read.</summary>
/// <param name="JobId">The waited-for job.</param>
/// <param name="State">The status read.</param>
/// <param name="Job">The full job as read.</param>
public sealed record JobStatus(string JobId, JobState State, Job Job);

/// <summary>Polling and deadline of a job wait. Null members keep the library defaults.</summary>
public sealed record WaitOptions
{
    /// <summary>First delay between polls (default 1 s).</summary>
    public TimeSpan? InitialInterval { get; init; }
    /// <summary>Largest delay between polls (default 10 s).</summary>
    public TimeSpan? MaxInterval { get; init; }
    /// <summary>Growth factor of the delay in percent (default 150).</summary>
    public int? MultiplierPercent { get; init; }
    /// <summary>Jitter in percent of each delay (default 20).</summary>
    public int? JitterPercent { get; init; }
    /// <summary>Overall deadline (default 30 min; <see cref="TimeSpan.Zero"/> = none). Expiry throws <see cref="SdrsTimeoutException"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>An active-active domain (spec 3).</summary>
/// <param name="Id">Domain id.</param>
/// <param name="Name">Name.</param>
/// <param name="Description">Description.</param>
/// <param name="SoldOut">True when it has no capacity left, null when absent.</param>
/// <param name="LocalAvailabilityZone">The local replication-cluster AZ.</param>
/// <param name="RemoteAvailabilityZone">The remote replication-cluster AZ.</param>
/// <param name="Json">The domain as JSON text.</param>
public sealed record Domain(
    string? Id,
    string? Name,
    string? Description,
    bool? SoldOut,
    string? LocalAvailabilityZone,
    string? RemoteAvailabilityZone,
    string? Json)
{
    internal static Domain Read(nint p)
    {
        int soldOut = Native.sdrs_domain_sold_out(p);
        return new Domain(
            Native.Str(Native.sdrs_domain_id(p)),
            Native.Str(Native.sdrs_domain_name(p)),
            Native.Str(Native.sdrs_domain_description(p)),
            soldOut < 0 ? null : soldOut != 0,
            Native.Str(Native.sdrs_domain_local_az(p)),
            Native.Str(Native.sdrs_domain_remote_az(p)),
            Native.Str(Native.sdrs_domain_json(p)));
    }
}

/// <summary>The domains of the project.</summary>
/// <param name="Domains">Every domain.</param>
/// <param name="Json">The whole response as JSON text.</param>
public sealed record DomainList(IReadOnlyList<Domain> Domains, string? Json);

/// <summary>An API version (spec 2).</summary>
/// <param name="Id">Version id, e.g. "v1".</param>
/// <param name="Status">"CURRENT"...</param>
/// <param name="Version">Micro version.</param>
/// <param name="MinVersion">Minimum micro version.</param>
/// <param name="Updated">Update time as sent.</param>
/// <param name="SelfLink">href of the "self" link.</param>
/// <param name="Json">The version as JSON text.</param>
public sealed record ApiVersion(
    string? Id,
    string? Status,
    string? Version,
    string? MinVersion,
    string? Updated,
    string? SelfLink,
    string? Json)
{
    internal static ApiVersion Read(nint p) => new(
        Native.Str(Native.sdrs_apiversion_id(p)),
        Native.Str(Native.sdrs_apiversion_status(p)),
        Native.Str(Native.sdrs_apiversion_version(p)),
        Native.Str(Native.sdrs_apiversion_min_version(p)),
        Native.Str(Native.sdrs_apiversion_updated(p)),
        Native.Str(Native.sdrs_apiversion_self_link(p)),
        Native.Str(Native.sdrs_apiversion_json(p)));
}

internal static class Conv
{
    internal static DateTimeOffset? Time(long ms) =>
        ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);

    internal static long? Count(long v) => v < 0 ? null : v;

    /// <summary>A C tri-state boolean: 1 true, 0 false, negative absent.</summary>
    internal static bool? TriState(int v) => v < 0 ? null : v != 0;

    /// <summary>
    /// Copies the <paramref name="count"/> indexed entries of a native object; an entry
    /// <paramref name="read"/> returns null for (a missing key, a null element) is skipped.
    /// </summary>
    internal static List<T> Items<T>(nint owner, nuint count, Func<nint, nuint, T?> read)
        where T : class
    {
        int n = checked((int)count);
        var items = new List<T>(n);
        for (int i = 0; i < n; i++)
        {
            if (read(owner, (nuint)i) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>Copies the borrowed objects of a native list (sdrs_*_at); null elements are skipped.</summary>
    internal static List<T> Objects<T>(nint owner, nuint count, Func<nint, nuint, nint> at, Func<nint, T> read)
        where T : class =>
        Items(owner, count, (o, i) => at(o, i) is var p && p != 0 ? read(p) : null);
}
