using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Replication pairs (spec part 2 section 4): create, read, rename, delete, expand, listing.
public sealed partial class SdrsClient
{
    /// <summary>
    /// Sends the create request (spec part 2 section 4.1) and returns the job id. The new pair is
    /// unattached; attach it with <see cref="AttachReplicationPairAsync"/>.
    /// </summary>
    /// <param name="request">The new pair.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <returns>The id of the create job; wait for it with <see cref="WaitForJobAsync"/>.</returns>
    /// <exception cref="SdrsValidationException">A field is invalid (nothing was sent; the message names the field).</exception>
    public Task<string> CreateReplicationPairAsync(CreateReplicationPairRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(opts =>
        {
            using PairSpecHandle spec = BuildPairSpec(request);
            int rc = Native.sdrs_pair_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Creates a replication pair, waits for its job and returns the created pair.
    /// The wait holds no thread: the client's <see cref="JobWatcher"/> polls the job, as for
    /// <see cref="WaitForJobAsync"/>; the create and the read are short calls on the thread pool.
    /// </summary>
    /// <param name="request">The new pair.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public Task<ReplicationPair> CreateReplicationPairAndWaitAsync(CreateReplicationPairRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitAsync(
            "replication_pair_id",
            waitOptions,
            opts =>
            {
                using PairSpecHandle spec = BuildPairSpec(request);
                int rc = Native.sdrs_pair_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
                return TakeJobId(rc, jobId, err, cancellationToken);
            },
            (id, opts) =>
            {
                int rc = Native.sdrs_pair_get(out PairHandle created, _handle, id, opts, out ErrorHandle err);
                return TakePair(rc, created, err, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// The blocking form of <see cref="CreateReplicationPairAndWaitAsync"/> (sdrs_pair_create_and_wait): holds the calling
    /// thread for the create, the whole wait and the read. For synchronous code with a thread to
    /// spare; <see cref="CreateReplicationPairAndWaitAsync"/> scales to thousands of waits.
    /// </summary>
    /// <param name="request">The new resource.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public ReplicationPair CreateReplicationPairAndWait(CreateReplicationPairRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitBlocking(
            wopts =>
            {
                using PairSpecHandle spec = BuildPairSpec(request);
                int rc = Native.sdrs_pair_create_and_wait(out PairHandle created, _handle, spec, wopts, out ErrorHandle err);
                return TakePair(rc, created, err, cancellationToken);
            },
            waitOptions,
            cancellationToken);
    }

    /// <summary>Reads one replication pair (spec part 2 section 4.3).</summary>
    /// <param name="replicationId">The pair id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsNotFoundException">No such pair.</exception>
    public Task<ReplicationPair> GetReplicationPairAsync(string replicationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replicationId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pair_get(out PairHandle pair, _handle, replicationId, opts, out ErrorHandle err);
            return TakePair(rc, pair, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Renames a replication pair (spec part 2 section 4.4, synchronous) and returns it.</summary>
    /// <param name="replicationId">The pair id.</param>
    /// <param name="newName">The new name (1..64 bytes of A-Z a-z 0-9 . _ -).</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ReplicationPair> RenameReplicationPairAsync(string replicationId, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replicationId);
        ArgumentNullException.ThrowIfNull(newName);
        return Run(opts =>
        {
            int rc = Native.sdrs_pair_rename(out PairHandle pair, _handle, replicationId, newName, opts, out ErrorHandle err);
            return TakePair(rc, pair, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes an unattached replication pair (spec part 2 section 4.5); returns the job id. The
    /// production disk is never deleted.
    /// </summary>
    /// <param name="replicationId">The pair id.</param>
    /// <param name="serverGroupId">The owning group, sent in the body when given.</param>
    /// <param name="deleteTargetVolume">Also delete the DR-site disk.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DeleteReplicationPairAsync(string replicationId, string? serverGroupId = null, bool deleteTargetVolume = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replicationId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pair_delete(out nint jobId, _handle, replicationId, serverGroupId, deleteTargetVolume ? 1 : 0, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Grows both disks of a pair (extend-replication, spec part 2 section 4.6); returns the job id.</summary>
    /// <param name="replicationId">The pair id.</param>
    /// <param name="newSizeGb">The new total size in GB, 1..32768, above the current size.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> ExpandReplicationPairAsync(string replicationId, long newSizeGb, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replicationId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pair_expand(out nint jobId, _handle, replicationId, newSizeGb, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Reads one page of replication pairs (spec part 2 section 4.2).</summary>
    /// <param name="options">Filters, limit and offset; null for the service defaults.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ReplicationPairPage> ListReplicationPairsAsync(ReplicationPairListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListPage(
            () => BuildPairListOpts(options),
            static (h, lo, o) => (Native.sdrs_pair_list_get(out PairListHandle l, h, lo, o, out ErrorHandle e), l, e),
            list => new ReplicationPairPage(
                Conv.Objects(list, Native.sdrs_pair_list_size(list), static (l, i) => Native.sdrs_pair_list_at(l, i), ReplicationPair.Read),
                Conv.Count(Native.sdrs_pair_list_count(list))),
            cancellationToken);

    /// <summary>
    /// Enumerates every matching replication pair, fetching pages with limit/offset as it goes
    /// (page size from <see cref="ReplicationPairListOptions.Limit"/>, start at <see cref="ReplicationPairListOptions.Offset"/>).
    /// </summary>
    /// <param name="options">Filters and paging; null for all pairs.</param>
    /// <param name="cancellationToken">Aborts the enumeration.</param>
    public IAsyncEnumerable<ReplicationPair> ListAllReplicationPairsAsync(ReplicationPairListOptions? options = null, CancellationToken cancellationToken = default) =>
        Enumerate<PairIterHandle, ReplicationPair>(
            () =>
            {
                // The iterator copies the options and sends nothing yet.
                using PairListOptsHandle lopts = BuildPairListOpts(options);
                int rc = Native.sdrs_pair_iter_new(out PairIterHandle iter, _handle, lopts, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
                return iter;
            },
            (out nint item, PairIterHandle iter, CallOptsHandle opts, out ErrorHandle err) => Native.sdrs_pair_iter_next(out item, iter, opts, out err),
            ReplicationPair.Read,
            cancellationToken);

    private static ReplicationPair TakePair(int rc, PairHandle pair, ErrorHandle err, CancellationToken token)
    {
        using (pair)
        {
            Errors.Check(rc, err, token);
            return ReplicationPair.Read(pair);
        }
    }

    private static PairSpecHandle BuildPairSpec(CreateReplicationPairRequest r)
    {
        int rc = Native.sdrs_pair_spec_new(out PairSpecHandle spec, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            Errors.Check(Native.sdrs_pair_spec_set_server_group_id(spec, r.ServerGroupId, out err), err);
            Errors.Check(Native.sdrs_pair_spec_set_volume_id(spec, r.VolumeId, out err), err);
            Errors.Check(Native.sdrs_pair_spec_set_name(spec, r.Name, out err), err);
            // The optional setters clear a field for NULL.
            Errors.Check(Native.sdrs_pair_spec_set_description(spec, r.Description, out err), err);
            Errors.Check(Native.sdrs_pair_spec_set_cluster_id(spec, r.ClusterId, out err), err);
            return spec;
        }
        catch
        {
            spec.Dispose();
            throw;
        }
    }

    private static PairListOptsHandle BuildPairListOpts(ReplicationPairListOptions? o)
    {
        int rc = Native.sdrs_pair_list_opts_new(out PairListOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        if (o is null)
        {
            return opts;
        }

        try
        {
            if (o.Limit is { } limit)
            {
                Errors.Check(Native.sdrs_pair_list_opts_set_limit(opts, limit, out err), err);
            }

            if (o.Offset is { } offset)
            {
                Errors.Check(Native.sdrs_pair_list_opts_set_offset(opts, offset, out err), err);
            }

            Errors.Check(Native.sdrs_pair_list_opts_set_server_group_id(opts, o.ServerGroupId, out err), err);
            foreach (string id in o.ServerGroupIds ?? [])
            {
                Errors.Check(Native.sdrs_pair_list_opts_add_server_group_id(opts, id, out err), err);
            }

            Errors.Check(Native.sdrs_pair_list_opts_set_instance_id(opts, o.InstanceId, out err), err);
            foreach (string id in o.InstanceIds ?? [])
            {
                Errors.Check(Native.sdrs_pair_list_opts_add_instance_id(opts, id, out err), err);
            }

            Errors.Check(Native.sdrs_pair_list_opts_set_name(opts, o.Name, out err), err);
            Errors.Check(Native.sdrs_pair_list_opts_set_status(opts, o.Status, out err), err);
            Errors.Check(Native.sdrs_pair_list_opts_set_query_type(opts, o.QueryType, out err), err);
            Errors.Check(Native.sdrs_pair_list_opts_set_availability_zone(opts, o.AvailabilityZone, out err), err);
            Errors.Check(Native.sdrs_pair_list_opts_set_volume_id(opts, o.VolumeId, out err), err);
            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }
}
