using System;
using System.Collections.Generic;

namespace Sdrs;

/// <summary>Status of a replication pair (enum sdrs_pair_status, spec part 2 section 4.8).</summary>
public enum ReplicationPairStatus
{
    /// <summary>A value this library does not know; see <see cref="ReplicationPair.StatusText"/>.</summary>
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
    /// <summary>error (create failed; see <see cref="ReplicationPair.FailureDetail"/>)</summary>
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
    /// <summary>extending</summary>
    Extending = 18,
    /// <summary>error-extending</summary>
    ErrorExtending = 19,
    /// <summary>attaching</summary>
    Attaching = 20,
    /// <summary>error-attaching</summary>
    ErrorAttaching = 21,
    /// <summary>detaching</summary>
    Detaching = 22,
    /// <summary>error-detaching</summary>
    ErrorDetaching = 23,
    /// <summary>invalid: a disk of the pair was deleted</summary>
    Invalid = 24,
    /// <summary>fault: replication unhealthy</summary>
    Fault = 25,
}

/// <summary>A protected instance using a replication pair.</summary>
/// <param name="ProtectedInstanceId">The instance id.</param>
/// <param name="Device">Device name on the instance, e.g. "/dev/vdb".</param>
public sealed record ReplicationPairAttachment(string? ProtectedInstanceId, string? Device);

/// <summary>The disk facts of a pair (record_metadata).</summary>
/// <param name="VolumeSizeGb">Disk size in GB, null when absent.</param>
/// <param name="VolumeType">Disk type ("SSD", "SAS", ...).</param>
/// <param name="Multiattach">True for a shared disk, null when absent.</param>
/// <param name="Bootable">True for a system disk, null when absent.</param>
public sealed record ReplicationPairRecordMetadata(long? VolumeSizeGb, string? VolumeType, bool? Multiattach, bool? Bootable);

/// <summary>A replication pair (spec part 2 section 4.7), copied out of the native handle.</summary>
public sealed record ReplicationPair
{
    /// <summary>Pair id.</summary>
    public string? Id { get; init; }
    /// <summary>Name.</summary>
    public string? Name { get; init; }
    /// <summary>Description, null when absent.</summary>
    public string? Description { get; init; }
    /// <summary>The owning protection group.</summary>
    public string? ServerGroupId { get; init; }
    /// <summary>Status as an enum.</summary>
    public ReplicationPairStatus Status { get; init; }
    /// <summary>Raw status string.</summary>
    public string? StatusText { get; init; }
    /// <summary>"hypermetro" (synchronous replication).</summary>
    public string? ReplicationModel { get; init; }
    /// <summary>"active", "inactive", "copying" or "active-stopped".</summary>
    public string? ReplicationStatus { get; init; }
    /// <summary>Current production site: "source" or "target".</summary>
    public string? PriorityStation { get; init; }
    /// <summary>"0" none, "2" production disk lost access (failover advised), "5" replication link broken.</summary>
    public string? FaultLevel { get; init; }
    /// <summary>An SDRS code, set when the status is error.</summary>
    public string? FailureDetail { get; init; }
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
    /// <summary>The service's volume_ids text as received: the two disk ids joined by ','.</summary>
    public string? VolumeIdsText { get; init; }
    /// <summary>The volume ids split at ','.</summary>
    public IReadOnlyList<string> VolumeIds { get; init; } = [];
    /// <summary>The first volume id, by every client's convention the production disk.</summary>
    public string? ProductionVolumeId { get; init; }
    /// <summary>The second volume id, by every client's convention the DR disk.</summary>
    public string? DrVolumeId { get; init; }
    /// <summary>Instances using the pair (several for a shared disk).</summary>
    public IReadOnlyList<ReplicationPairAttachment> Attachments { get; init; } = [];
    /// <summary>The disk facts (record_metadata).</summary>
    public ReplicationPairRecordMetadata RecordMetadata { get; init; } = new(null, null, null, null);
    /// <summary>The pair object as JSON text (for fields a newer service adds).</summary>
    public string? Json { get; init; }

    /// <summary>The static name of a status value ("error-attaching"...), "unknown" otherwise.</summary>
    /// <param name="status">A status value.</param>
    public static string StatusName(ReplicationPairStatus status) =>
        Native.Str(Native.sdrs_pair_status_name((int)status)) ?? "unknown";

    /// <summary>Reads a (borrowed or owned) sdrs_pair; the caller keeps its owner alive.</summary>
    internal static ReplicationPair Read(nint p)
    {
        List<string> volumeIds = Conv.Items(p, Native.sdrs_pair_volume_id_count(p), static (o, i) => Native.Str(Native.sdrs_pair_volume_id(o, i)));
        List<ReplicationPairAttachment> attachments = Conv.Items(p, Native.sdrs_pair_attachment_count(p), static (o, i) => new ReplicationPairAttachment(
            Native.Str(Native.sdrs_pair_attachment_instance_id(o, i)),
            Native.Str(Native.sdrs_pair_attachment_device(o, i))));

        return new ReplicationPair
        {
            Id = Native.Str(Native.sdrs_pair_id(p)),
            Name = Native.Str(Native.sdrs_pair_name(p)),
            Description = Native.Str(Native.sdrs_pair_description(p)),
            ServerGroupId = Native.Str(Native.sdrs_pair_server_group_id(p)),
            Status = (ReplicationPairStatus)Native.sdrs_pair_status(p),
            StatusText = Native.Str(Native.sdrs_pair_status_str(p)),
            ReplicationModel = Native.Str(Native.sdrs_pair_replication_model(p)),
            ReplicationStatus = Native.Str(Native.sdrs_pair_replication_status(p)),
            PriorityStation = Native.Str(Native.sdrs_pair_priority_station(p)),
            FaultLevel = Native.Str(Native.sdrs_pair_fault_level(p)),
            FailureDetail = Native.Str(Native.sdrs_pair_failure_detail(p)),
            CreatedAtText = Native.Str(Native.sdrs_pair_created_at(p)),
            UpdatedAtText = Native.Str(Native.sdrs_pair_updated_at(p)),
            CreatedAt = Conv.Time(Native.sdrs_pair_created_at_ms(p)),
            UpdatedAt = Conv.Time(Native.sdrs_pair_updated_at_ms(p)),
            Progress = Conv.Count(Native.sdrs_pair_progress(p)),
            VolumeIdsText = Native.Str(Native.sdrs_pair_volume_ids(p)),
            VolumeIds = volumeIds,
            ProductionVolumeId = Native.Str(Native.sdrs_pair_production_volume_id(p)),
            DrVolumeId = Native.Str(Native.sdrs_pair_dr_volume_id(p)),
            Attachments = attachments,
            RecordMetadata = new ReplicationPairRecordMetadata(
                Conv.Count(Native.sdrs_pair_volume_size_gb(p)),
                Native.Str(Native.sdrs_pair_volume_type(p)),
                Conv.TriState(Native.sdrs_pair_multiattach(p)),
                Conv.TriState(Native.sdrs_pair_bootable(p))),
            Json = Native.Str(Native.sdrs_pair_json(p)),
        };
    }

    internal static ReplicationPair Read(PairHandle h)
    {
        using var lease = new HandleLease(h);
        return Read(lease.Pointer);
    }
}

/// <summary>One page of replication pairs.</summary>
/// <param name="Pairs">The pairs of this page.</param>
/// <param name="Count">The service's "count", null when absent.</param>
public sealed record ReplicationPairPage(IReadOnlyList<ReplicationPair> Pairs, long? Count);

/// <summary>Input of <see cref="SdrsClient.CreateReplicationPairAsync"/> (spec part 2 section 4.1).</summary>
public sealed record CreateReplicationPairRequest
{
    /// <summary>The owning protection group.</summary>
    public required string ServerGroupId { get; init; }

    /// <summary>The production-site EVS disk (available, not encrypted, not yet paired).</summary>
    public required string VolumeId { get; init; }

    /// <summary>1..64 bytes of A-Z a-z 0-9 . _ -</summary>
    public required string Name { get; init; }

    /// <summary>Optional: at most 64 bytes, no '&lt;' or '&gt;'.</summary>
    public string? Description { get; init; }

    /// <summary>Optional dedicated storage pool id (documented for some regions only).</summary>
    public string? ClusterId { get; init; }
}

/// <summary>Filters and paging of a replication-pair listing (spec part 2 section 4.2). Null or empty members are not sent.</summary>
public sealed record ReplicationPairListOptions
{
    /// <summary>Page size 1..1000 (for iteration: the page size used).</summary>
    public long? Limit { get; init; }
    /// <summary>Records to skip (for iteration: the starting point).</summary>
    public long? Offset { get; init; }
    /// <summary>Pairs of one group.</summary>
    public string? ServerGroupId { get; init; }
    /// <summary>Pairs of any of these groups (at most 30; overrides <see cref="ServerGroupId"/>).</summary>
    public IReadOnlyList<string> ServerGroupIds { get; init; } = [];
    /// <summary>Pairs attached to one instance.</summary>
    public string? InstanceId { get; init; }
    /// <summary>Pairs attached to any of these instances (at most 30; overrides <see cref="InstanceId"/>).</summary>
    public IReadOnlyList<string> InstanceIds { get; init; } = [];
    /// <summary>Substring match on the name.</summary>
    public string? Name { get; init; }
    /// <summary>Pair status value ("protected"...).</summary>
    public string? Status { get; init; }
    /// <summary>"general" or "status_abnormal".</summary>
    public string? QueryType { get; init; }
    /// <summary>The group's current production-site AZ.</summary>
    public string? AvailabilityZone { get; init; }
    /// <summary>Pairs made from this production disk (documented for some regions only).</summary>
    public string? VolumeId { get; init; }
}
