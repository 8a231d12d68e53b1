using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Protected instances (spec part 2 section 3): create, read, rename, delete, attach/detach
// replication pairs, NICs, flavors, listing.
public sealed partial class SdrsClient
{
    /// <summary>
    /// Sends the create request (spec part 2 section 3.1) and returns the job id. The service
    /// creates the DR-site server, its disks and one attached replication pair per disk.
    /// </summary>
    /// <param name="request">The new instance.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <returns>The id of the create job; wait for it with <see cref="WaitForJobAsync"/>.</returns>
    /// <exception cref="SdrsValidationException">A field is invalid (nothing was sent; the message names the field).</exception>
    public Task<string> CreateProtectedInstanceAsync(CreateProtectedInstanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(opts =>
        {
            using PiSpecHandle spec = BuildPiSpec(request);
            int rc = Native.sdrs_pi_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Creates a protected instance, waits for its job and returns the created instance.
    /// The wait holds no thread: the client's <see cref="JobWatcher"/> polls the job, as for
    /// <see cref="WaitForJobAsync"/>; the create and the read are short calls on the thread pool.
    /// </summary>
    /// <param name="request">The new instance.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public Task<ProtectedInstance> CreateProtectedInstanceAndWaitAsync(CreateProtectedInstanceRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitAsync(
            "protected_instance_id",
            waitOptions,
            opts =>
            {
                using PiSpecHandle spec = BuildPiSpec(request);
                int rc = Native.sdrs_pi_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
                return TakeJobId(rc, jobId, err, cancellationToken);
            },
            (id, opts) =>
            {
                int rc = Native.sdrs_pi_get(out PiHandle created, _handle, id, opts, out ErrorHandle err);
                return TakeInstance(rc, created, err, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>
    /// The blocking form of <see cref="CreateProtectedInstanceAndWaitAsync"/> (sdrs_pi_create_and_wait): holds the calling
    /// thread for the create, the whole wait and the read. For synchronous code with a thread to
    /// spare; <see cref="CreateProtectedInstanceAndWaitAsync"/> scales to thousands of waits.
    /// </summary>
    /// <param name="request">The new resource.</param>
    /// <param name="waitOptions">Polling and deadline (covering create, wait and read); null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public ProtectedInstance CreateProtectedInstanceAndWait(CreateProtectedInstanceRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateAndWaitBlocking(
            wopts =>
            {
                using PiSpecHandle spec = BuildPiSpec(request);
                int rc = Native.sdrs_pi_create_and_wait(out PiHandle created, _handle, spec, wopts, out ErrorHandle err);
                return TakeInstance(rc, created, err, cancellationToken);
            },
            waitOptions,
            cancellationToken);
    }

    /// <summary>Reads one protected instance (spec part 2 section 3.3).</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsNotFoundException">No such instance.</exception>
    public Task<ProtectedInstance> GetProtectedInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pi_get(out PiHandle pi, _handle, instanceId, opts, out ErrorHandle err);
            return TakeInstance(rc, pi, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Renames a protected instance (spec part 2 section 3.4, synchronous) and returns it.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="newName">The new name (1..64 bytes of A-Z a-z 0-9 . _ -).</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ProtectedInstance> RenameProtectedInstanceAsync(string instanceId, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(newName);
        return Run(opts =>
        {
            int rc = Native.sdrs_pi_rename(out PiHandle pi, _handle, instanceId, newName, opts, out ErrorHandle err);
            return TakeInstance(rc, pi, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Deletes a protected instance (spec part 2 section 3.5); returns the job id. The production server is never deleted.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="deleteTargetServer">Also delete the DR-site server and its disks.</param>
    /// <param name="deleteTargetEip">Also release the DR-site server's EIP.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DeleteProtectedInstanceAsync(string instanceId, bool deleteTargetServer = false, bool deleteTargetEip = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pi_delete(out nint jobId, _handle, instanceId, deleteTargetServer ? 1 : 0, deleteTargetEip ? 1 : 0, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Attaches a replication pair of the same group to an instance (spec part 2 section 3.6); returns the job id.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="replicationId">The pair id.</param>
    /// <param name="device">Device name: "/dev/" then sd, vd or xvd and lowercase letters ("/dev/vdb").</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> AttachReplicationPairAsync(string instanceId, string replicationId, string device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(replicationId);
        ArgumentNullException.ThrowIfNull(device);
        return Run(opts =>
        {
            int rc = Native.sdrs_pi_attach(out nint jobId, _handle, instanceId, replicationId, device, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Detaches a replication pair from an instance (spec part 2 section 3.7); returns the job id.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="replicationId">The pair id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DetachReplicationPairAsync(string instanceId, string replicationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(replicationId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pi_detach(out nint jobId, _handle, instanceId, replicationId, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Adds a NIC to the DR-site server of an instance (spec part 2 section 3.8); returns the job id.
    /// The new NIC's port id is the job entity "nic_id".
    /// </summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="request">Subnet, optional IP address and security groups.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> AddProtectedInstanceNicAsync(string instanceId, AddNicRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(request);
        return Run(opts =>
        {
            using PiNicSpecHandle nic = BuildNicSpec(request);
            int rc = Native.sdrs_pi_add_nic(out nint jobId, _handle, instanceId, nic, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Removes a non-primary NIC by its port id (spec part 2 section 3.9); returns the job id.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="nicId">The NIC's port id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DeleteProtectedInstanceNicAsync(string instanceId, string nicId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(nicId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pi_delete_nic(out nint jobId, _handle, instanceId, nicId, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Changes the flavors of an instance's servers (spec part 2 section 3.10); returns the job id.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="request">Either the flavor of both servers, or one or both per-site flavors.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> ResizeProtectedInstanceAsync(string instanceId, ResizeProtectedInstanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(request);
        return Run(opts =>
        {
            int rc = Native.sdrs_pi_resize(out nint jobId, _handle, instanceId, request.FlavorRef, request.ProductionFlavorRef, request.DrFlavorRef, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Reads one page of protected instances (spec part 2 section 3.2).</summary>
    /// <param name="options">Filters, limit and offset; null for the service defaults.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ProtectedInstancePage> ListProtectedInstancesAsync(ProtectedInstanceListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListPage(
            () => BuildPiListOpts(options),
            static (h, lo, o) => (Native.sdrs_pi_list_get(out PiListHandle l, h, lo, o, out ErrorHandle e), l, e),
            list => new ProtectedInstancePage(
                Conv.Objects(list, Native.sdrs_pi_list_size(list), static (l, i) => Native.sdrs_pi_list_at(l, i), ProtectedInstance.Read),
                Conv.Count(Native.sdrs_pi_list_count(list))),
            cancellationToken);

    /// <summary>
    /// Enumerates every matching protected instance, fetching pages with limit/offset as it goes
    /// (page size from <see cref="ProtectedInstanceListOptions.Limit"/>, start at <see cref="ProtectedInstanceListOptions.Offset"/>).
    /// </summary>
    /// <param name="options">Filters and paging; null for all instances.</param>
    /// <param name="cancellationToken">Aborts the enumeration.</param>
    public IAsyncEnumerable<ProtectedInstance> ListAllProtectedInstancesAsync(ProtectedInstanceListOptions? options = null, CancellationToken cancellationToken = default) =>
        Enumerate<PiIterHandle, ProtectedInstance>(
            () =>
            {
                // The iterator copies the options and sends nothing yet.
                using PiListOptsHandle lopts = BuildPiListOpts(options);
                int rc = Native.sdrs_pi_iter_new(out PiIterHandle iter, _handle, lopts, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
                return iter;
            },
            (out nint item, PiIterHandle iter, CallOptsHandle opts, out ErrorHandle err) => Native.sdrs_pi_iter_next(out item, iter, opts, out err),
            ProtectedInstance.Read,
            cancellationToken);

    private static ProtectedInstance TakeInstance(int rc, PiHandle pi, ErrorHandle err, CancellationToken token)
    {
        using (pi)
        {
            Errors.Check(rc, err, token);
            return ProtectedInstance.Read(pi);
        }
    }

    private static PiSpecHandle BuildPiSpec(CreateProtectedInstanceRequest r)
    {
        int rc = Native.sdrs_pi_spec_new(out PiSpecHandle spec, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            Errors.Check(Native.sdrs_pi_spec_set_server_group_id(spec, r.ServerGroupId, out err), err);
            Errors.Check(Native.sdrs_pi_spec_set_server_id(spec, r.ServerId, out err), err);
            Errors.Check(Native.sdrs_pi_spec_set_name(spec, r.Name, out err), err);
            // The setters clear a field for NULL, so optional members are passed as they are.
            Errors.Check(Native.sdrs_pi_spec_set_description(spec, r.Description, out err), err);
            Errors.Check(Native.sdrs_pi_spec_set_primary_subnet_id(spec, r.PrimarySubnetId, out err), err);
            Errors.Check(Native.sdrs_pi_spec_set_primary_ip_address(spec, r.PrimaryIpAddress, out err), err);
            Errors.Check(Native.sdrs_pi_spec_set_flavor_ref(spec, r.FlavorRef, out err), err);
            // The request's tag list is the whole set: start from none.
            Errors.Check(Native.sdrs_pi_spec_clear_tags(spec, out err), err);
            foreach (ResourceTag tag in r.Tags ?? [])
            {
                ArgumentNullException.ThrowIfNull(tag, nameof(r.Tags));
                Errors.Check(Native.sdrs_pi_spec_add_tag(spec, tag.Key, tag.Value, out err), err);
            }

            return spec;
        }
        catch
        {
            spec.Dispose();
            throw;
        }
    }

    private static PiNicSpecHandle BuildNicSpec(AddNicRequest r)
    {
        int rc = Native.sdrs_pi_nic_spec_new(out PiNicSpecHandle nic, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            Errors.Check(Native.sdrs_pi_nic_spec_set_subnet_id(nic, r.SubnetId, out err), err);
            Errors.Check(Native.sdrs_pi_nic_spec_set_ip_address(nic, r.IpAddress, out err), err);
            foreach (string sg in r.SecurityGroupIds ?? [])
            {
                Errors.Check(Native.sdrs_pi_nic_spec_add_security_group(nic, sg, out err), err);
            }

            return nic;
        }
        catch
        {
            nic.Dispose();
            throw;
        }
    }

    private static PiListOptsHandle BuildPiListOpts(ProtectedInstanceListOptions? o)
    {
        int rc = Native.sdrs_pi_list_opts_new(out PiListOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        if (o is null)
        {
            return opts;
        }

        try
        {
            if (o.Limit is { } limit)
            {
                Errors.Check(Native.sdrs_pi_list_opts_set_limit(opts, limit, out err), err);
            }

            if (o.Offset is { } offset)
            {
                Errors.Check(Native.sdrs_pi_list_opts_set_offset(opts, offset, out err), err);
            }

            Errors.Check(Native.sdrs_pi_list_opts_set_server_group_id(opts, o.ServerGroupId, out err), err);
            foreach (string id in o.ServerGroupIds ?? [])
            {
                Errors.Check(Native.sdrs_pi_list_opts_add_server_group_id(opts, id, out err), err);
            }

            foreach (string id in o.InstanceIds ?? [])
            {
                Errors.Check(Native.sdrs_pi_list_opts_add_instance_id(opts, id, out err), err);
            }

            Errors.Check(Native.sdrs_pi_list_opts_set_status(opts, o.Status, out err), err);
            Errors.Check(Native.sdrs_pi_list_opts_set_name(opts, o.Name, out err), err);
            Errors.Check(Native.sdrs_pi_list_opts_set_query_type(opts, o.QueryType, out err), err);
            Errors.Check(Native.sdrs_pi_list_opts_set_availability_zone(opts, o.AvailabilityZone, out err), err);
            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }
}
