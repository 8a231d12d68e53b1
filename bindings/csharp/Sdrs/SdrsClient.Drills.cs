using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// DR drills (spec part 2 section 5): create, read, rename, delete, listing.
public sealed partial class SdrsClient
{
    /// <summary>
    /// Sends the create request (spec part 2 section 5.1) and returns the job id. The service builds
    /// one drill server per protected instance of the group inside the drill VPC; production is not touched.
    /// </summary>
    /// <param name="request">The new drill.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <returns>The id of the create job; wait for it with <see cref="WaitForJobAsync"/>.</returns>
    /// <exception cref="SdrsValidationException">A field is invalid (nothing was sent; the message names the field).</exception>
    public Task<string> CreateDrillAsync(CreateDrillRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(opts =>
        {
            using DrillSpecHandle spec = BuildDrillSpec(request);
            int rc = Native.sdrs_drill_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Creates a DR drill, waits for its job and returns the drill with its drill servers.
    /// The wait holds no thread: the client's <see cref="JobWatcher"/> polls the job, as for
    /// <see cref="WaitForJobAsync"/>; the create and the read are short calls on the thread pool.
    /// </summary>
    /// <param name="request">The new drill.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public Task<Drill> CreateDrillAndWaitAsync(CreateDrillRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitAsync(
            "disaster_recovery_drill_id",
            waitOptions,
            opts =>
            {
                using DrillSpecHandle spec = BuildDrillSpec(request);
                int rc = Native.sdrs_drill_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
                return TakeJobId(rc, jobId, err, cancellationToken);
            },
            (id, opts) =>
            {
                int rc = Native.sdrs_drill_get(out DrillHandle created, _handle, id, opts, out ErrorHandle err);
                return TakeDrill(rc, created, err, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// The blocking form of <see cref="CreateDrillAndWaitAsync"/> (sdrs_drill_create_and_wait): holds the calling
    /// thread for the create, the whole wait and the read. For synchronous code with a thread to
    /// spare; <see cref="CreateDrillAndWaitAsync"/> scales to thousands of waits.
    /// </summary>
    /// <param name="request">The new resource.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public Drill CreateDrillAndWait(CreateDrillRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitBlocking(
            wopts =>
            {
                using DrillSpecHandle spec = BuildDrillSpec(request);
                int rc = Native.sdrs_drill_create_and_wait(out DrillHandle created, _handle, spec, wopts, out ErrorHandle err);
                return TakeDrill(rc, created, err, cancellationToken);
            },
            waitOptions,
            cancellationToken);
    }

    /// <summary>Reads one DR drill (spec part 2 section 5.3).</summary>
    /// <param name="drillId">The drill id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsNotFoundException">No such drill (HTTP 404); the service may also answer HTTP 400 SDRS.1902.</exception>
    public Task<Drill> GetDrillAsync(string drillId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drillId);
        return Run(opts =>
        {
            int rc = Native.sdrs_drill_get(out DrillHandle drill, _handle, drillId, opts, out ErrorHandle err);
            return TakeDrill(rc, drill, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Renames a DR drill (spec part 2 section 5.4, synchronous) and returns it.</summary>
    /// <param name="drillId">The drill id.</param>
    /// <param name="newName">The new name (1..64 bytes of A-Z a-z 0-9 . _ -).</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<Drill> RenameDrillAsync(string drillId, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drillId);
        ArgumentNullException.ThrowIfNull(newName);
        return Run(opts =>
        {
            int rc = Native.sdrs_drill_rename(out DrillHandle drill, _handle, drillId, newName, opts, out ErrorHandle err);
            return TakeDrill(rc, drill, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Deletes a DR drill and its drill servers (spec part 2 section 5.5); returns the job id. The drill VPC stays.</summary>
    /// <param name="drillId">The drill id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DeleteDrillAsync(string drillId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drillId);
        return Run(opts =>
        {
            int rc = Native.sdrs_drill_delete(out nint jobId, _handle, drillId, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Reads one page of DR drills (spec part 2 section 5.2).</summary>
    /// <param name="options">Filters, limit and offset; null for the service defaults.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<DrillPage> ListDrillsAsync(DrillListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListPage(
            () => BuildDrillListOpts(options),
            static (h, lo, o) => (Native.sdrs_drill_list_get(out DrillListHandle l, h, lo, o, out ErrorHandle e), l, e),
            list => new DrillPage(
                Conv.Objects(list, Native.sdrs_drill_list_size(list), static (l, i) => Native.sdrs_drill_list_at(l, i), Drill.Read),
                Conv.Count(Native.sdrs_drill_list_count(list))),
            cancellationToken);

    /// <summary>
    /// Enumerates every matching DR drill, fetching pages with limit/offset as it goes (page size
    /// from <see cref="DrillListOptions.Limit"/>, start at <see cref="DrillListOptions.Offset"/>).
    /// </summary>
    /// <param name="options">Filters and paging; null for all drills.</param>
    /// <param name="cancellationToken">Aborts the enumeration.</param>
    public IAsyncEnumerable<Drill> ListAllDrillsAsync(DrillListOptions? options = null, CancellationToken cancellationToken = default) =>
        Enumerate<DrillIterHandle, Drill>(
            () =>
            {
                // The iterator copies the options and sends nothing yet.
                using DrillListOptsHandle lopts = BuildDrillListOpts(options);
                int rc = Native.sdrs_drill_iter_new(out DrillIterHandle iter, _handle, lopts, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
                return iter;
            },
            (out nint item, DrillIterHandle iter, CallOptsHandle opts, out ErrorHandle err) => Native.sdrs_drill_iter_next(out item, iter, opts, out err),
            Drill.Read,
            cancellationToken);

    private static Drill TakeDrill(int rc, DrillHandle drill, ErrorHandle err, CancellationToken token)
    {
        using (drill)
        {
            Errors.Check(rc, err, token);
            return Drill.Read(drill);
        }
    }

    private static DrillSpecHandle BuildDrillSpec(CreateDrillRequest r)
    {
        int rc = Native.sdrs_drill_spec_new(out DrillSpecHandle spec, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            Errors.Check(Native.sdrs_drill_spec_set_server_group_id(spec, r.ServerGroupId, out err), err);
            Errors.Check(Native.sdrs_drill_spec_set_name(spec, r.Name, out err), err);
            // NULL clears: an unset VPC lets the service create one.
            Errors.Check(Native.sdrs_drill_spec_set_drill_vpc_id(spec, r.DrillVpcId, out err), err);
            return spec;
        }
        catch
        {
            spec.Dispose();
            throw;
        }
    }

    private static DrillListOptsHandle BuildDrillListOpts(DrillListOptions? o)
    {
        int rc = Native.sdrs_drill_list_opts_new(out DrillListOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        if (o is null)
        {
            return opts;
        }

        try
        {
            if (o.Limit is { } limit)
            {
                Errors.Check(Native.sdrs_drill_list_opts_set_limit(opts, limit, out err), err);
            }

            if (o.Offset is { } offset)
            {
                Errors.Check(Native.sdrs_drill_list_opts_set_offset(opts, offset, out err), err);
            }

            Errors.Check(Native.sdrs_drill_list_opts_set_server_group_id(opts, o.ServerGroupId, out err), err);
            Errors.Check(Native.sdrs_drill_list_opts_set_name(opts, o.Name, out err), err);
            Errors.Check(Native.sdrs_drill_list_opts_set_status(opts, o.Status, out err), err);
            Errors.Check(Native.sdrs_drill_list_opts_set_drill_vpc_id(opts, o.DrillVpcId, out err), err);
            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }
}
