using System;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// The create-and-wait sequence every resource shares (libsdrs' create_and_get), with the wait
// through the client's watcher instead of a thread blocked in sdrs_*_create_and_wait.
public sealed partial class SdrsClient
{
    // libsdrs' default deadline of a wait (sdrs_wait_opts_set_timeout_ms): 30 min.
    private const long DefaultWaitTimeoutMs = 30L * 60 * 1000;

    /// <summary>
    /// Creates a resource, waits for its job and reads the resource the job names, as
    /// sdrs_*_create_and_wait does, but holds a thread only for the two short calls: the create
    /// and the get run on the thread pool, the wait is a <see cref="JobWatcher"/> wait. One
    /// deadline (<see cref="WaitOptions.Timeout"/>, default 30 min, <see cref="TimeSpan.Zero"/>
    /// none) covers the three steps; the token cancels each of them.
    /// </summary>
    /// <param name="entityKey">The job entity that names the created resource, e.g. "server_group_id".</param>
    /// <param name="waitOptions">Polling and the overall deadline; null for the library defaults.</param>
    /// <param name="create">Sends the create with the given call options and returns the job id.</param>
    /// <param name="get">Reads the created resource by id with the given call options.</param>
    /// <param name="token">Cancels the create, the wait and the get.</param>
    private Task<T> CreateAndWaitAsync<T>(string entityKey, WaitOptions? waitOptions, Func<CallOptsHandle, string> create,
        Func<string, CallOptsHandle, T> get, CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            ThrowIfDisposed();
            return Task.FromCanceled<T>(token);
        }

        ClientLease lease = Acquire();
        JobWatcher watcher;
        bool reserved;
        try
        {
            // Taken now: a Dispose of the client during the create must not refuse the wait.
            watcher = Watcher();
            reserved = watcher.Reserve();
        }
        catch
        {
            lease.Release();
            throw;
        }

        return ReleaseWhenDone(CreateWaitGetAsync(watcher, reserved, entityKey, waitOptions, create, get, token), lease);
    }

    private async Task<T> CreateWaitGetAsync<T>(JobWatcher watcher, bool reserved, string entityKey, WaitOptions? waitOptions,
        Func<CallOptsHandle, string> create, Func<string, CallOptsHandle, T> get, CancellationToken token)
    {
        try
        {
            return await CreateWaitGetAsync(watcher, entityKey, waitOptions, create, get, token).ConfigureAwait(false);
        }
        finally
        {
            watcher.EndReservation(reserved);
        }
    }

    private async Task<T> CreateWaitGetAsync<T>(JobWatcher watcher, string entityKey, WaitOptions? waitOptions,
        Func<CallOptsHandle, string> create, Func<string, CallOptsHandle, T> get, CancellationToken token)
    {
        long totalMs = waitOptions?.Timeout is { } timeout ? Milliseconds(timeout, nameof(WaitOptions.Timeout)) : DefaultWaitTimeoutMs;
        long start = Environment.TickCount64;

        // What is left of the deadline, at least 1 ms (as libsdrs' remaining()); 0: no deadline.
        long Remaining() => totalMs == 0 ? 0 : Math.Max(totalMs - (Environment.TickCount64 - start), 1);

        string jobId = await OnPool(create, Remaining, token).ConfigureAwait(false);
        WaitOptions rest = (waitOptions ?? new WaitOptions()) with { Timeout = TimeSpan.FromMilliseconds(Remaining()) };
        Job job = await watcher.Watch(jobId, rest, null, token, reserved: true).ConfigureAwait(false);
        string id = CreatedEntityId(job, entityKey);
        return await OnPool(opts => get(id, opts), Remaining, token).ConfigureAwait(false);
    }

    /// <summary>
    /// The blocking create-and-wait (sdrs_*_create_and_wait) on the calling thread, as
    /// <see cref="WaitForJob"/> is the blocking <see cref="WaitForJobAsync"/>.
    /// </summary>
    /// <param name="call">Makes the native call with the wait options (bound to the token) and reads its result.</param>
    /// <param name="waitOptions">Polling and the overall deadline; null for the library defaults.</param>
    /// <param name="token">Cancels the call.</param>
    private T CreateAndWaitBlocking<T>(Func<WaitOptsHandle, T> call, WaitOptions? waitOptions, CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            ThrowIfDisposed();
            throw new OperationCanceledException(token);
        }

        ClientLease lease = Acquire();
        try
        {
            using CancelHandle cancel = NewCancel();
            using CancellationTokenRegistration registration = Register(cancel, token);
            using WaitOptsHandle wopts = BuildWaitOpts(waitOptions, cancel);
            return call(wopts);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>Runs one short call on the thread pool with call options for the time left and the token.</summary>
    private static Task<TResult> OnPool<TResult>(Func<CallOptsHandle, TResult> body, Func<long> remainingMs, CancellationToken token) =>
        Task.Factory.StartNew(
            () =>
            {
                using CancelHandle cancel = NewCancel();
                using CallOptsHandle opts = NewCallOpts(cancel, remainingMs());
                using (Register(cancel, token))
                {
                    return body(opts);
                }
            },
            token,
            TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);

    /// <summary>The id under <paramref name="key"/> in the job's entities, else in a sub-job's (libsdrs' created_entity_id).</summary>
    /// <exception cref="SdrsException">Neither has it (<see cref="SdrsErrorCode.Protocol"/>).</exception>
    internal static string CreatedEntityId(Job job, string key)
    {
        if (job.Entities.TryGetValue(key, out string? id))
        {
            return id;
        }

        foreach (Job sub in job.SubJobs)
        {
            if (sub.Entities.TryGetValue(key, out id))
            {
                return id;
            }
        }

        var detail = new SdrsErrorDetail((int)SdrsErrorCode.Protocol, $"job {job.Id ?? "?"} succeeded without entities.{key}",
            0, null, null, null, null, null, false, 0);
        throw Errors.Create(detail, default);
    }
}
