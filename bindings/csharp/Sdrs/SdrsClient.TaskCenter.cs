using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// The task center (spec part 2 section 7): records of failed jobs, listing and deleting them.
public sealed partial class SdrsClient
{
    /// <summary>
    /// Reads one page of failed tasks (spec part 2 section 7.1): the group-level failures, or with
    /// <see cref="FailedTaskListOptions.ServerGroupId"/> the failures inside that group.
    /// </summary>
    /// <param name="options">Scope, filters, limit and offset; null for the group-level failures with the service defaults.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<FailedTaskPage> ListFailedTasksAsync(FailedTaskListOptions? options = null, CancellationToken cancellationToken = default) =>
        ListPage(
            () => BuildTaskListOpts(options),
            static (h, lo, o) => (Native.sdrs_task_list_get(out TaskListHandle l, h, lo, o, out ErrorHandle e), l, e),
            list => new FailedTaskPage(
                Conv.Objects(list, Native.sdrs_task_list_size(list), static (l, i) => Native.sdrs_task_list_at(l, i), FailedTask.Read),
                Conv.Count(Native.sdrs_task_list_count(list))),
            cancellationToken);

    /// <summary>Enumerates every matching failed task, fetching pages with limit/offset as it goes.</summary>
    /// <param name="options">Scope, filters and paging; null for every group-level failure.</param>
    /// <param name="cancellationToken">Aborts the enumeration.</param>
    public IAsyncEnumerable<FailedTask> ListAllFailedTasksAsync(FailedTaskListOptions? options = null, CancellationToken cancellationToken = default) =>
        Enumerate<TaskIterHandle, FailedTask>(
            () =>
            {
                using TaskListOptsHandle lopts = BuildTaskListOpts(options);
                int rc = Native.sdrs_task_iter_new(out TaskIterHandle iter, _handle, lopts, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
                return iter;
            },
            (out nint item, TaskIterHandle iter, CallOptsHandle opts, out ErrorHandle err) => Native.sdrs_task_iter_next(out item, iter, opts, out err),
            FailedTask.Read,
            cancellationToken);

    /// <summary>
    /// Deletes one failed-task record (spec part 2 section 7.2, synchronous). The resource is not repaired.
    /// </summary>
    /// <param name="failureJobId">The record's <see cref="FailedTask.JobId"/> (the only id a record has; the literal "batch" is refused).</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task DeleteFailedTaskAsync(string failureJobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failureJobId);
        return Run(opts =>
        {
            int rc = Native.sdrs_task_delete(_handle, failureJobId, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>Deletes the failure records inside one group: its instances, pairs and drills (spec part 2 section 7.3).</summary>
    /// <param name="serverGroupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task DeleteGroupFailedTasksAsync(string serverGroupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverGroupId);
        return Run(opts =>
        {
            int rc = Native.sdrs_task_delete_group(_handle, serverGroupId, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes the group-level failure records (failed group creates and deletes; spec part 2
    /// section 7.4). Despite the service documentation's title, failures inside groups stay: use
    /// <see cref="DeleteGroupFailedTasksAsync"/> for those.
    /// </summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task DeleteGroupLevelFailedTasksAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_task_delete_group_level(_handle, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return true;
        }, cancellationToken);

    private static TaskListOptsHandle BuildTaskListOpts(FailedTaskListOptions? o)
    {
        int rc = Native.sdrs_task_list_opts_new(out TaskListOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        if (o is null)
        {
            return opts;
        }

        try
        {
            if (o.Limit is { } limit)
            {
                Errors.Check(Native.sdrs_task_list_opts_set_limit(opts, limit, out err), err);
            }

            if (o.Offset is { } offset)
            {
                Errors.Check(Native.sdrs_task_list_opts_set_offset(opts, offset, out err), err);
            }

            Errors.Check(Native.sdrs_task_list_opts_set_server_group_id(opts, o.ServerGroupId, out err), err);
            Errors.Check(Native.sdrs_task_list_opts_set_failure_status(opts, o.FailureStatus, out err), err);
            Errors.Check(Native.sdrs_task_list_opts_set_resource_name(opts, o.ResourceName, out err), err);
            Errors.Check(Native.sdrs_task_list_opts_set_resource_type(opts, o.ResourceType, out err), err);
            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }
}
