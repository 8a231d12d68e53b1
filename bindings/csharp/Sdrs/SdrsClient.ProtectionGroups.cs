using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Protection groups (spec 4): create, read, rename, delete, protection actions, listing.
public sealed partial class SdrsClient
{
    /// <summary>Sends the create request (spec 4.1) and returns the job id.</summary>
    /// <param name="request">The new group.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <returns>The id of the create job; wait for it with <see cref="WaitForJobAsync"/>.</returns>
    public Task<string> CreateProtectionGroupAsync(CreateProtectionGroupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(opts =>
        {
            using PgSpecHandle spec = BuildSpec(request);
            int rc = Native.sdrs_pg_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Creates a group, waits for its job and returns the created group.
    /// The wait holds no thread: the client's <see cref="JobWatcher"/> polls the job, as for
    /// <see cref="WaitForJobAsync"/>; the create and the read are short calls on the thread pool.
    /// </summary>
    /// <param name="request">The new group.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public Task<ProtectionGroup> CreateProtectionGroupAndWaitAsync(CreateProtectionGroupRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitAsync(
            "server_group_id",
            waitOptions,
            opts =>
            {
                using PgSpecHandle spec = BuildSpec(request);
                int rc = Native.sdrs_pg_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
                return TakeJobId(rc, jobId, err, cancellationToken);
            },
            (id, opts) =>
            {
                int rc = Native.sdrs_pg_get(out PgHandle created, _handle, id, opts, out ErrorHandle err);
                return TakeGroup(rc, created, err, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// The blocking form of <see cref="CreateProtectionGroupAndWaitAsync"/> (sdrs_pg_create_and_wait): holds the calling
    /// thread for the create, the whole wait and the read. For synchronous code with a thread to
    /// spare; <see cref="CreateProtectionGroupAndWaitAsync"/> scales to thousands of waits.
    /// </summary>
    /// <param name="request">The new resource.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public ProtectionGroup CreateProtectionGroupAndWait(CreateProtectionGroupRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitBlocking(
            wopts =>
            {
                using PgSpecHandle spec = BuildSpec(request);
                int rc = Native.sdrs_pg_create_and_wait(out PgHandle created, _handle, spec, wopts, out ErrorHandle err);
                return TakeGroup(rc, created, err, cancellationToken);
            },
            waitOptions,
            cancellationToken);
    }

    /// <summary>
    /// Reconciles a create whose outcome is unknown (<see cref="SdrsException.OutcomeUnknown"/>
    /// after <see cref="CreateProtectionGroupAsync"/> or <see cref="CreateProtectionGroupAndWaitAsync"/>):
    /// returns the group that a create of <paramref name="request"/> sent at
    /// <paramref name="since"/> made, without sending a create. It matches name, AZs, domain id
    /// and source VPC id exactly and a created_at no earlier than <paramref name="since"/> minus
    /// 5 minutes (clock-skew allowance); the newest wins when several match. The group may still
    /// be creating, or in error when its job failed: check its status.
    /// </summary>
    /// <param name="request">The create request whose answer was lost.</param>
    /// <param name="since">When it was sent: the exception's <see cref="SdrsException.SentAt"/>.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsNotFoundException">The lost create made nothing: creating again is safe.</exception>
    /// <remarks>Any other exception means the outcome is still unknown: ask again later, do not create.</remarks>
    public Task<ProtectionGroup> FindCreatedProtectionGroupAsync(CreateProtectionGroupRequest request, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        long sinceMs = since.ToUnixTimeMilliseconds(); // before 1970: libsdrs refuses it, naming since_ms
        return Run(opts =>
        {
            using PgSpecHandle spec = BuildSpec(request);
            int rc = Native.sdrs_pg_find_created(out PgHandle pg, _handle, spec, sinceMs, opts, out ErrorHandle err);
            return TakeGroup(rc, pg, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Reads one group (spec 4.3).</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsNotFoundException">No such group.</exception>
    public Task<ProtectionGroup> GetProtectionGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pg_get(out PgHandle pg, _handle, groupId, opts, out ErrorHandle err);
            return TakeGroup(rc, pg, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Renames a group (spec 4.4, synchronous) and returns it.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="newName">The new name (1..64 bytes of A-Z a-z 0-9 . _ -).</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ProtectionGroup> RenameProtectionGroupAsync(string groupId, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(newName);
        return Run(opts =>
        {
            int rc = Native.sdrs_pg_rename(out PgHandle pg, _handle, groupId, newName, opts, out ErrorHandle err);
            return TakeGroup(rc, pg, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Deletes a group (spec 4.5); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DeleteProtectionGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_delete(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Enables protection, or re-enables it after a failover (start-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> EnableProtectionAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_enable(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Disables protection (stop-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DisableProtectionAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_disable(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Unplanned failover to the DR site (failover-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> FailoverAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_failover(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Planned failover (reverse-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="priorityStation">"source" or "target": the site that becomes production.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> PlannedFailoverAsync(string groupId, string priorityStation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(priorityStation);
        return Run(opts =>
        {
            int rc = Native.sdrs_pg_planned_failover(out nint jobId, _handle, groupId, priorityStation, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Reads one page of groups (spec 4.2).</summary>
    /// <param name="options">Filters, limit and offset; null for the service defaults.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ProtectionGroupPage> ListProtectionGroupsAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListPage(
            () => BuildListOpts(options),
            static (h, lo, o) => (Native.sdrs_pg_list_get(out PgListHandle l, h, lo, o, out ErrorHandle e), l, e),
            list => new ProtectionGroupPage(
                Conv.Objects(list, Native.sdrs_pg_list_size(list), static (l, i) => Native.sdrs_pg_list_at(l, i), ProtectionGroup.Read),
                Conv.Count(Native.sdrs_pg_list_count(list))),
            cancellationToken);

    /// <summary>
    /// Enumerates every matching group, fetching pages with limit/offset as it goes
    /// (page size from <see cref="ListOptions.Limit"/>, start at <see cref="ListOptions.Offset"/>).
    /// </summary>
    /// <param name="options">Filters and paging; null for all groups.</param>
    /// <param name="cancellationToken">Aborts the enumeration.</param>
    public IAsyncEnumerable<ProtectionGroup> ListAllProtectionGroupsAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        Enumerate<PgIterHandle, ProtectionGroup>(
            () =>
            {
                // The iterator copies the options and sends nothing yet.
                using PgListOptsHandle lopts = BuildListOpts(options);
                int rc = Native.sdrs_pg_iter_new(out PgIterHandle iter, _handle, lopts, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
                return iter;
            },
            (out nint item, PgIterHandle iter, CallOptsHandle opts, out ErrorHandle err) => Native.sdrs_pg_iter_next(out item, iter, opts, out err),
            ProtectionGroup.Read,
            cancellationToken);

    private Task<string> JobCall(string groupId, Func<ClientHandle, string, CallOptsHandle, (int Rc, nint JobId, ErrorHandle Err)> call, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return Run(opts =>
        {
            (int rc, nint jobId, ErrorHandle err) = call(_handle, groupId, opts);
            return TakeJobId(rc, jobId, err, token);
        }, token);
    }

    private static string TakeJobId(int rc, nint jobId, ErrorHandle err, CancellationToken token)
    {
        string? id = Native.TakeString(jobId);
        if (rc != 0)
        {
            throw Errors.Create(rc, err, token);
        }

        err.Dispose();
        return id ?? throw new InvalidOperationException("libsdrs returned no job id");
    }

    private static ProtectionGroup TakeGroup(int rc, PgHandle pg, ErrorHandle err, CancellationToken token)
    {
        using (pg)
        {
            Errors.Check(rc, err, token);
            return ProtectionGroup.Read(pg);
        }
    }

    private static PgSpecHandle BuildSpec(CreateProtectionGroupRequest r)
    {
        int rc = Native.sdrs_pg_spec_new(out PgSpecHandle spec, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            Errors.Check(Native.sdrs_pg_spec_set_name(spec, r.Name, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_source_az(spec, r.SourceAvailabilityZone, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_target_az(spec, r.TargetAvailabilityZone, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_domain_id(spec, r.DomainId, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_source_vpc_id(spec, r.SourceVpcId, out err), err);
            if (r.Description is not null)
            {
                Errors.Check(Native.sdrs_pg_spec_set_description(spec, r.Description, out err), err);
            }

            if (r.DrType is not null)
            {
                Errors.Check(Native.sdrs_pg_spec_set_dr_type(spec, r.DrType, out err), err);
            }

            if (r.ServerType is not null)
            {
                Errors.Check(Native.sdrs_pg_spec_set_server_type(spec, r.ServerType, out err), err);
            }

            return spec;
        }
        catch
        {
            spec.Dispose();
            throw;
        }
    }

    private static PgListOptsHandle BuildListOpts(ListOptions? o)
    {
        int rc = Native.sdrs_pg_list_opts_new(out PgListOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        if (o is null)
        {
            return opts;
        }

        try
        {
            if (o.Limit is { } limit)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_limit(opts, limit, out err), err);
            }

            if (o.Offset is { } offset)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_offset(opts, offset, out err), err);
            }

            if (o.Status is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_status(opts, o.Status, out err), err);
            }

            if (o.Name is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_name(opts, o.Name, out err), err);
            }

            if (o.QueryType is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_query_type(opts, o.QueryType, out err), err);
            }

            if (o.AvailabilityZone is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_availability_zone(opts, o.AvailabilityZone, out err), err);
            }

            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }
}
