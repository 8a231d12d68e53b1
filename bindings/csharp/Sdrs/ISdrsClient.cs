using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

/// <summary>
/// Every operation of <see cref="SdrsClient"/>, so code that uses the client can be tested with a
/// fake or a mocking library. <see cref="SdrsClient"/> is the one implementation; dispose it
/// (through this interface too) when no call needs it any more.
/// </summary>
public interface ISdrsClient : IDisposable
{
    // ---- ProtectionGroups ----
    /// <inheritdoc cref="SdrsClient.CreateProtectionGroupAsync"/>
    Task<string> CreateProtectionGroupAsync(CreateProtectionGroupRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateProtectionGroupAndWaitAsync"/>
    Task<ProtectionGroup> CreateProtectionGroupAndWaitAsync(CreateProtectionGroupRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateProtectionGroupAndWait"/>
    ProtectionGroup CreateProtectionGroupAndWait(CreateProtectionGroupRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.FindCreatedProtectionGroupAsync"/>
    Task<ProtectionGroup> FindCreatedProtectionGroupAsync(CreateProtectionGroupRequest request, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.GetProtectionGroupAsync"/>
    Task<ProtectionGroup> GetProtectionGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.RenameProtectionGroupAsync"/>
    Task<ProtectionGroup> RenameProtectionGroupAsync(string groupId, string newName, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteProtectionGroupAsync"/>
    Task<string> DeleteProtectionGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.EnableProtectionAsync"/>
    Task<string> EnableProtectionAsync(string groupId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DisableProtectionAsync"/>
    Task<string> DisableProtectionAsync(string groupId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.FailoverAsync"/>
    Task<string> FailoverAsync(string groupId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.PlannedFailoverAsync"/>
    Task<string> PlannedFailoverAsync(string groupId, string priorityStation, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListProtectionGroupsAsync"/>
    Task<ProtectionGroupPage> ListProtectionGroupsAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListAllProtectionGroupsAsync"/>
    IAsyncEnumerable<ProtectionGroup> ListAllProtectionGroupsAsync(ListOptions? options = null, CancellationToken cancellationToken = default);

    // ---- ProtectedInstances ----
    /// <inheritdoc cref="SdrsClient.CreateProtectedInstanceAsync"/>
    Task<string> CreateProtectedInstanceAsync(CreateProtectedInstanceRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateProtectedInstanceAndWaitAsync"/>
    Task<ProtectedInstance> CreateProtectedInstanceAndWaitAsync(CreateProtectedInstanceRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateProtectedInstanceAndWait"/>
    ProtectedInstance CreateProtectedInstanceAndWait(CreateProtectedInstanceRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.GetProtectedInstanceAsync"/>
    Task<ProtectedInstance> GetProtectedInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.RenameProtectedInstanceAsync"/>
    Task<ProtectedInstance> RenameProtectedInstanceAsync(string instanceId, string newName, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteProtectedInstanceAsync"/>
    Task<string> DeleteProtectedInstanceAsync(string instanceId, bool deleteTargetServer = false, bool deleteTargetEip = false, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.AttachReplicationPairAsync"/>
    Task<string> AttachReplicationPairAsync(string instanceId, string replicationId, string device, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DetachReplicationPairAsync"/>
    Task<string> DetachReplicationPairAsync(string instanceId, string replicationId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.AddProtectedInstanceNicAsync"/>
    Task<string> AddProtectedInstanceNicAsync(string instanceId, AddNicRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteProtectedInstanceNicAsync"/>
    Task<string> DeleteProtectedInstanceNicAsync(string instanceId, string nicId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ResizeProtectedInstanceAsync"/>
    Task<string> ResizeProtectedInstanceAsync(string instanceId, ResizeProtectedInstanceRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListProtectedInstancesAsync"/>
    Task<ProtectedInstancePage> ListProtectedInstancesAsync(ProtectedInstanceListOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListAllProtectedInstancesAsync"/>
    IAsyncEnumerable<ProtectedInstance> ListAllProtectedInstancesAsync(ProtectedInstanceListOptions? options = null, CancellationToken cancellationToken = default);

    // ---- ReplicationPairs ----
    /// <inheritdoc cref="SdrsClient.CreateReplicationPairAsync"/>
    Task<string> CreateReplicationPairAsync(CreateReplicationPairRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateReplicationPairAndWaitAsync"/>
    Task<ReplicationPair> CreateReplicationPairAndWaitAsync(CreateReplicationPairRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateReplicationPairAndWait"/>
    ReplicationPair CreateReplicationPairAndWait(CreateReplicationPairRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.GetReplicationPairAsync"/>
    Task<ReplicationPair> GetReplicationPairAsync(string replicationId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.RenameReplicationPairAsync"/>
    Task<ReplicationPair> RenameReplicationPairAsync(string replicationId, string newName, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteReplicationPairAsync"/>
    Task<string> DeleteReplicationPairAsync(string replicationId, string? serverGroupId = null, bool deleteTargetVolume = false, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ExpandReplicationPairAsync"/>
    Task<string> ExpandReplicationPairAsync(string replicationId, long newSizeGb, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListReplicationPairsAsync"/>
    Task<ReplicationPairPage> ListReplicationPairsAsync(ReplicationPairListOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListAllReplicationPairsAsync"/>
    IAsyncEnumerable<ReplicationPair> ListAllReplicationPairsAsync(ReplicationPairListOptions? options = null, CancellationToken cancellationToken = default);

    // ---- Drills ----
    /// <inheritdoc cref="SdrsClient.CreateDrillAsync"/>
    Task<string> CreateDrillAsync(CreateDrillRequest request, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateDrillAndWaitAsync"/>
    Task<Drill> CreateDrillAndWaitAsync(CreateDrillRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CreateDrillAndWait"/>
    Drill CreateDrillAndWait(CreateDrillRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.GetDrillAsync"/>
    Task<Drill> GetDrillAsync(string drillId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.RenameDrillAsync"/>
    Task<Drill> RenameDrillAsync(string drillId, string newName, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteDrillAsync"/>
    Task<string> DeleteDrillAsync(string drillId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListDrillsAsync"/>
    Task<DrillPage> ListDrillsAsync(DrillListOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListAllDrillsAsync"/>
    IAsyncEnumerable<Drill> ListAllDrillsAsync(DrillListOptions? options = null, CancellationToken cancellationToken = default);

    // ---- Tags ----
    /// <inheritdoc cref="SdrsClient.AddTagAsync"/>
    Task AddTagAsync(string instanceId, string key, string value, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteTagAsync"/>
    Task DeleteTagAsync(string instanceId, string key, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.AddTagsAsync"/>
    Task AddTagsAsync(string instanceId, IEnumerable<ResourceTag> tags, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteTagsAsync"/>
    Task DeleteTagsAsync(string instanceId, IEnumerable<ResourceTag> tags, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListTagsAsync"/>
    Task<IReadOnlyList<ResourceTag>> ListTagsAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListProjectTagsAsync"/>
    Task<IReadOnlyList<ProjectTag>> ListProjectTagsAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.FilterProtectedInstancesByTagAsync"/>
    Task<TagQueryPage> FilterProtectedInstancesByTagAsync(TagQuery query, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.CountProtectedInstancesByTagAsync"/>
    Task<long> CountProtectedInstancesByTagAsync(TagQuery query, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListAllProtectedInstancesByTagAsync"/>
    IAsyncEnumerable<ProtectedInstance> ListAllProtectedInstancesByTagAsync(TagQuery query, CancellationToken cancellationToken = default);

    // ---- TaskCenter ----
    /// <inheritdoc cref="SdrsClient.ListFailedTasksAsync"/>
    Task<FailedTaskPage> ListFailedTasksAsync(FailedTaskListOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.ListAllFailedTasksAsync"/>
    IAsyncEnumerable<FailedTask> ListAllFailedTasksAsync(FailedTaskListOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteFailedTaskAsync"/>
    Task DeleteFailedTaskAsync(string failureJobId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteGroupFailedTasksAsync"/>
    Task DeleteGroupFailedTasksAsync(string serverGroupId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.DeleteGroupLevelFailedTasksAsync"/>
    Task DeleteGroupLevelFailedTasksAsync(CancellationToken cancellationToken = default);

    // ---- Quotas ----
    /// <inheritdoc cref="SdrsClient.GetQuotasAsync"/>
    Task<Quotas> GetQuotasAsync(CancellationToken cancellationToken = default);

    // ---- Jobs ----
    /// <inheritdoc cref="SdrsClient.GetJobAsync"/>
    Task<Job> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.WaitForJobAsync"/>
    Task<Job> WaitForJobAsync(string jobId, WaitOptions? options = null, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.WaitForJob"/>
    Job WaitForJob(string jobId, WaitOptions? options = null, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default);

    // ---- Domains ----
    /// <inheritdoc cref="SdrsClient.ListDomainsAsync"/>
    Task<DomainList> ListDomainsAsync(CancellationToken cancellationToken = default);

    // ---- ApiVersions ----
    /// <inheritdoc cref="SdrsClient.ListApiVersionsAsync"/>
    Task<IReadOnlyList<ApiVersion>> ListApiVersionsAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.GetApiVersionAsync"/>
    Task<ApiVersion> GetApiVersionAsync(string versionId, CancellationToken cancellationToken = default);

    // ---- Auth ----
    /// <inheritdoc cref="SdrsClient.GetTokenAsync"/>
    Task<string> GetTokenAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc cref="SdrsClient.GetProjectIdAsync"/>
    Task<string> GetProjectIdAsync(CancellationToken cancellationToken = default);
}
