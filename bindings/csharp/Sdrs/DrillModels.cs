using System;
using System.Collections.Generic;

namespace Sdrs;

/// <summary>Status of a DR drill (enum sdrs_drill_status, spec part 2 section 5).</summary>
public enum DrillStatus
{
    /// <summary>A value this library does not know; see <see cref="Drill.StatusText"/>.</summary>
    Unknown = 0,
    /// <summary>creating</summary>
    Creating = 1,
    /// <summary>available: the drill servers run</summary>
    Available = 2,
    /// <summary>deleting</summary>
    Deleting = 3,
    /// <summary>error-deleting</summary>
    ErrorDeleting = 4,
    /// <summary>error: the create failed</summary>
    Error = 5,
}

/// <summary>One drill server: the protected instance it copies and its own ECS id.</summary>
/// <param name="ProtectedInstanceId">The protected instance the drill server was built from.</param>
/// <param name="ServerId">The drill server's ECS id.</param>
public sealed record DrillServer(string? ProtectedInstanceId, string? ServerId);

/// <summary>A DR drill (spec part 2 section 5), copied out of the native handle.</summary>
public sealed record Drill
{
    /// <summary>Drill id.</summary>
    public string? Id { get; init; }
    /// <summary>Name.</summary>
    public string? Name { get; init; }
    /// <summary>Status as an enum.</summary>
    public DrillStatus Status { get; init; }
    /// <summary>Raw status string.</summary>
    public string? StatusText { get; init; }
    /// <summary>The VPC the drill servers run in.</summary>
    public string? DrillVpcId { get; init; }
    /// <summary>The drilled protection group.</summary>
    public string? ServerGroupId { get; init; }
    /// <summary>created_at as sent by the service.</summary>
    public string? CreatedAtText { get; init; }
    /// <summary>updated_at as sent by the service.</summary>
    public string? UpdatedAtText { get; init; }
    /// <summary>created_at (UTC), null when absent or unparseable.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>updated_at (UTC), null when absent or unparseable.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>The drill servers, one per protected instance of the group, in the service's order.</summary>
    public IReadOnlyList<DrillServer> Servers { get; init; } = [];
    /// <summary>The drill object as JSON text (for fields a newer service adds).</summary>
    public string? Json { get; init; }

    /// <summary>The static name of a status value ("error-deleting"...), "unknown" otherwise.</summary>
    /// <param name="status">A status value.</param>
    public static string StatusName(DrillStatus status) =>
        Native.Str(Native.sdrs_drill_status_name((int)status)) ?? "unknown";

    /// <summary>Reads a (borrowed or owned) sdrs_drill; the caller keeps its owner alive.</summary>
    internal static Drill Read(nint p)
    {
        List<DrillServer> servers = Conv.Items(p, Native.sdrs_drill_server_count(p), static (o, i) => new DrillServer(
            Native.Str(Native.sdrs_drill_server_instance_id(o, i)),
            Native.Str(Native.sdrs_drill_server_id(o, i))));

        return new Drill
        {
            Id = Native.Str(Native.sdrs_drill_id(p)),
            Name = Native.Str(Native.sdrs_drill_name(p)),
            Status = (DrillStatus)Native.sdrs_drill_status(p),
            StatusText = Native.Str(Native.sdrs_drill_status_str(p)),
            DrillVpcId = Native.Str(Native.sdrs_drill_drill_vpc_id(p)),
            ServerGroupId = Native.Str(Native.sdrs_drill_server_group_id(p)),
            CreatedAtText = Native.Str(Native.sdrs_drill_created_at(p)),
            UpdatedAtText = Native.Str(Native.sdrs_drill_updated_at(p)),
            CreatedAt = Conv.Time(Native.sdrs_drill_created_at_ms(p)),
            UpdatedAt = Conv.Time(Native.sdrs_drill_updated_at_ms(p)),
            Servers = servers,
            Json = Native.Str(Native.sdrs_drill_json(p)),
        };
    }

    internal static Drill Read(DrillHandle h)
    {
        using var lease = new HandleLease(h);
        return Read(lease.Pointer);
    }
}

/// <summary>One page of DR drills.</summary>
/// <param name="Drills">The drills of this page.</param>
/// <param name="Count">The service's "count", null when absent.</param>
public sealed record DrillPage(IReadOnlyList<Drill> Drills, long? Count);

/// <summary>Input of <see cref="SdrsClient.CreateDrillAsync"/> (spec part 2 section 5.1).</summary>
public sealed record CreateDrillRequest
{
    /// <summary>The protection group to drill.</summary>
    public required string ServerGroupId { get; init; }

    /// <summary>1..64 bytes of A-Z a-z 0-9 . _ -</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Optional: an existing drill VPC (not the group's VPC, with the group VPC's subnets, not used
    /// by another drill); null lets the service create one. The documentation marks it optional
    /// (one SDK requires it); the library follows the documentation.
    /// </summary>
    public string? DrillVpcId { get; init; }
}

/// <summary>Filters and paging of a drill listing (spec part 2 section 5.2). Null members are not sent.</summary>
public sealed record DrillListOptions
{
    /// <summary>Page size 1..1000 (for iteration: the page size used).</summary>
    public long? Limit { get; init; }
    /// <summary>Records to skip (for iteration: the starting point).</summary>
    public long? Offset { get; init; }
    /// <summary>Drills of one group.</summary>
    public string? ServerGroupId { get; init; }
    /// <summary>Substring match on the name.</summary>
    public string? Name { get; init; }
    /// <summary>Drill status value ("available"...).</summary>
    public string? Status { get; init; }
    /// <summary>Drills in one drill VPC.</summary>
    public string? DrillVpcId { get; init; }
}
