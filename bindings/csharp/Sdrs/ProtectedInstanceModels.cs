using System;
using System.Collections.Generic;

namespace Sdrs;

/// <summary>Status of a protected instance (enum sdrs_pi_status, spec part 2 section 3.12).</summary>
public enum ProtectedInstanceStatus
{
    /// <summary>A value this library does not know; see <see cref="ProtectedInstance.StatusText"/>.</summary>
    Unknown = 0,
    /// <summary>creating</summary>
    Creating = 1,
    /// <summary>available (group protection off)</summary>
    Available = 2,
    /// <summary>protected (group protection on)</summary>
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
    /// <summary>nic-creating</summary>
    NicCreating = 18,
    /// <summary>nic-deleting</summary>
    NicDeleting = 19,
    /// <summary>resizing</summary>
    Resizing = 20,
    /// <summary>error-resizing</summary>
    ErrorResizing = 21,
    /// <summary>invalid: one of its servers was deleted</summary>
    Invalid = 22,
    /// <summary>fault: its replication is unhealthy</summary>
    Fault = 23,
}

/// <summary>A tag: a key and its value.</summary>
/// <param name="Key">1..127 characters.</param>
/// <param name="Value">0..255 characters; null only when the service sent JSON null.</param>
public sealed record ResourceTag(string Key, string? Value);

/// <summary>A replication pair attached to a protected instance.</summary>
/// <param name="ReplicationId">The pair id.</param>
/// <param name="Device">Device name on the instance, e.g. "/dev/vdb".</param>
public sealed record ProtectedInstanceAttachment(string? ReplicationId, string? Device);

/// <summary>A protected instance (spec part 2 section 3.11), copied out of the native handle.</summary>
public sealed record ProtectedInstance
{
    /// <summary>Instance id.</summary>
    public string? Id { get; init; }
    /// <summary>Name.</summary>
    public string? Name { get; init; }
    /// <summary>Description, null when absent.</summary>
    public string? Description { get; init; }
    /// <summary>The protection group that holds the instance.</summary>
    public string? ServerGroupId { get; init; }
    /// <summary>Status as an enum.</summary>
    public ProtectedInstanceStatus Status { get; init; }
    /// <summary>Raw status string.</summary>
    public string? StatusText { get; init; }
    /// <summary>Production-site server id (source_server).</summary>
    public string? SourceServerId { get; init; }
    /// <summary>DR-site server id (target_server).</summary>
    public string? TargetServerId { get; init; }
    /// <summary>Current production site: "source" or "target".</summary>
    public string? PriorityStation { get; init; }
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
    /// <summary>Attached replication pairs with their device names, in the service's order.</summary>
    public IReadOnlyList<ProtectedInstanceAttachment> Attachments { get; init; } = [];
    /// <summary>Tags, in the service's order.</summary>
    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];
    /// <summary>The metadata entries in the service's order (scalars as text: a JSON boolean reads "true"/"false").</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> MetadataEntries { get; init; } = [];
    /// <summary>The metadata by key, as the library looks a key up (sdrs_pi_metadata_get).</summary>
    public IReadOnlyDictionary<string, string?> Metadata { get; init; } = new Dictionary<string, string?>();
    /// <summary>True when metadata.__system__frozen is true (absent means not frozen).</summary>
    public bool IsFrozen { get; init; }
    /// <summary>The instance object as JSON text (for fields a newer service adds).</summary>
    public string? Json { get; init; }

    /// <summary>The static name of a status value ("nic-creating"...), "unknown" otherwise.</summary>
    /// <param name="status">A status value.</param>
    public static string StatusName(ProtectedInstanceStatus status) =>
        Native.Str(Native.sdrs_pi_status_name((int)status)) ?? "unknown";

    /// <summary>Reads a (borrowed or owned) sdrs_pi; the caller keeps its owner alive.</summary>
    internal static ProtectedInstance Read(nint p)
    {
        List<ProtectedInstanceAttachment> attachments = Conv.Items(p, Native.sdrs_pi_attachment_count(p), static (o, i) => new ProtectedInstanceAttachment(
            Native.Str(Native.sdrs_pi_attachment_replication_id(o, i)),
            Native.Str(Native.sdrs_pi_attachment_device(o, i))));
        List<ResourceTag> tags = Conv.Items(p, Native.sdrs_pi_tag_count(p), static (o, i) =>
            Native.Str(Native.sdrs_pi_tag_key(o, i)) is { } key ? new ResourceTag(key, Native.Str(Native.sdrs_pi_tag_value(o, i))) : null);

        int n = checked((int)Native.sdrs_pi_metadata_count(p));
        var entries = new List<KeyValuePair<string, string?>>(n);
        var byKey = new Dictionary<string, string?>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string? key = Native.Str(Native.sdrs_pi_metadata_key(p, (nuint)i));
            if (key is null)
            {
                continue;
            }

            entries.Add(new KeyValuePair<string, string?>(key, Native.Str(Native.sdrs_pi_metadata_value(p, (nuint)i))));
            // The lookup decides which value a repeated key has, exactly as C callers see it.
            byKey[key] = Native.Str(Native.sdrs_pi_metadata_get(p, key));
        }

        return new ProtectedInstance
        {
            Id = Native.Str(Native.sdrs_pi_id(p)),
            Name = Native.Str(Native.sdrs_pi_name(p)),
            Description = Native.Str(Native.sdrs_pi_description(p)),
            ServerGroupId = Native.Str(Native.sdrs_pi_server_group_id(p)),
            Status = (ProtectedInstanceStatus)Native.sdrs_pi_status(p),
            StatusText = Native.Str(Native.sdrs_pi_status_str(p)),
            SourceServerId = Native.Str(Native.sdrs_pi_source_server(p)),
            TargetServerId = Native.Str(Native.sdrs_pi_target_server(p)),
            PriorityStation = Native.Str(Native.sdrs_pi_priority_station(p)),
            CreatedAtText = Native.Str(Native.sdrs_pi_created_at(p)),
            UpdatedAtText = Native.Str(Native.sdrs_pi_updated_at(p)),
            CreatedAt = Conv.Time(Native.sdrs_pi_created_at_ms(p)),
            UpdatedAt = Conv.Time(Native.sdrs_pi_updated_at_ms(p)),
            Progress = Conv.Count(Native.sdrs_pi_progress(p)),
            Attachments = attachments,
            Tags = tags,
            MetadataEntries = entries,
            Metadata = byKey,
            IsFrozen = Native.sdrs_pi_frozen(p) != 0,
            Json = Native.Str(Native.sdrs_pi_json(p)),
        };
    }

    internal static ProtectedInstance Read(PiHandle h)
    {
        using var lease = new HandleLease(h);
        return Read(lease.Pointer);
    }
}

/// <summary>One page of protected instances.</summary>
/// <param name="Instances">The instances of this page.</param>
/// <param name="Count">The service's "count", null when absent.</param>
public sealed record ProtectedInstancePage(IReadOnlyList<ProtectedInstance> Instances, long? Count);

/// <summary>Input of <see cref="SdrsClient.CreateProtectedInstanceAsync"/> (spec part 2 section 3.1).</summary>
public sealed record CreateProtectedInstanceRequest
{
    /// <summary>The protection group that receives the instance.</summary>
    public required string ServerGroupId { get; init; }

    /// <summary>The production-site ECS server (in the group's VPC and production AZ).</summary>
    public required string ServerId { get; init; }

    /// <summary>1..64 bytes of A-Z a-z 0-9 . _ -</summary>
    public required string Name { get; init; }

    /// <summary>Optional: at most 64 bytes, no '&lt;' or '&gt;'.</summary>
    public string? Description { get; init; }

    /// <summary>Optional: the network id (neutron_network_id) of the subnet for the DR server's primary NIC.</summary>
    public string? PrimarySubnetId { get; init; }

    /// <summary>Optional: IPv4 address of the DR server's primary NIC; needs <see cref="PrimarySubnetId"/>.</summary>
    public string? PrimaryIpAddress { get; init; }

    /// <summary>Optional: ECS flavor of the DR server (flavorRef); default: the production server's flavor.</summary>
    public string? FlavorRef { get; init; }

    /// <summary>Optional initial tags: at most 20, keys unique (1..127 characters), values 0..255 characters.</summary>
    public IReadOnlyList<ResourceTag> Tags { get; init; } = [];
}

/// <summary>Input of <see cref="SdrsClient.AddProtectedInstanceNicAsync"/> (spec part 2 section 3.8).</summary>
public sealed record AddNicRequest
{
    /// <summary>The subnet's network id (neutron_network_id), in the group's VPC.</summary>
    public required string SubnetId { get; init; }

    /// <summary>Optional: a free IPv4 address in the subnet (auto-assigned when null).</summary>
    public string? IpAddress { get; init; }

    /// <summary>Optional security group ids (the service's default group when empty).</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];
}

/// <summary>
/// Input of <see cref="SdrsClient.ResizeProtectedInstanceAsync"/> (spec part 2 section 3.10): either
/// <see cref="FlavorRef"/> for both servers, or one or both of the per-site flavors.
/// </summary>
public sealed record ResizeProtectedInstanceRequest
{
    /// <summary>The flavor of both servers; excludes the other two.</summary>
    public string? FlavorRef { get; init; }

    /// <summary>The flavor of the production-site server.</summary>
    public string? ProductionFlavorRef { get; init; }

    /// <summary>The flavor of the DR-site server.</summary>
    public string? DrFlavorRef { get; init; }
}

/// <summary>Filters and paging of a protected-instance listing (spec part 2 section 3.2). Null or empty members are not sent.</summary>
public sealed record ProtectedInstanceListOptions
{
    /// <summary>Page size 1..1000 (for iteration: the page size used).</summary>
    public long? Limit { get; init; }
    /// <summary>Records to skip (for iteration: the starting point).</summary>
    public long? Offset { get; init; }
    /// <summary>Instances of one group.</summary>
    public string? ServerGroupId { get; init; }
    /// <summary>Instances of any of these groups (at most 30; the service lets it override <see cref="ServerGroupId"/>).</summary>
    public IReadOnlyList<string> ServerGroupIds { get; init; } = [];
    /// <summary>Only these instances (at most 30; the service ignores it when a group filter is present).</summary>
    public IReadOnlyList<string> InstanceIds { get; init; } = [];
    /// <summary>Instance status value ("protected"...).</summary>
    public string? Status { get; init; }
    /// <summary>Substring match on the name.</summary>
    public string? Name { get; init; }
    /// <summary>"general" or "status_abnormal".</summary>
    public string? QueryType { get; init; }
    /// <summary>The group's current production-site AZ.</summary>
    public string? AvailabilityZone { get; init; }
}
