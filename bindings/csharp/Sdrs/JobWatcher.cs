using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

/// <summary>Where a <see cref="JobWatcher"/> runs its completion and progress callbacks (enum sdrs_watcher_dispatch).</summary>
public enum JobWatcherDispatch
{
    /// <summary>On the watcher's own native thread (the default).</summary>
    Thread = 0,

    /// <summary>
    /// On the thread that calls <see cref="JobWatcher.Dispatch"/>, for programs with their own
    /// event loop: <see cref="JobWatcher.Fd"/> polls readable while callbacks are queued.
    /// </summary>
    Manual = 1,
}

/// <summary>Settings of a <see cref="JobWatcher"/> (sdrs_watcher_opts). Null members keep the library defaults.</summary>
public sealed record JobWatcherOptions
{
    /// <summary>Most job polls per second, all jobs together (default 100, range 1..100000). Polls over the cap are delayed, never dropped.</summary>
    public int? MaxPollsPerSecond { get; init; }

    /// <summary>Most HTTP requests in flight at once, which also bounds the connections (default 8, range 1..256).</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>Where callbacks run (default <see cref="JobWatcherDispatch.Thread"/>).</summary>
    public JobWatcherDispatch Dispatch { get; init; } = JobWatcherDispatch.Thread;

    internal WatcherOptsHandle Build()
    {
        int rc = Native.sdrs_watcher_opts_new(out WatcherOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            if (MaxPollsPerSecond is { } polls)
            {
                Errors.Check(Native.sdrs_watcher_opts_set_max_polls_per_sec(opts, polls, out err), err);
            }

            if (MaxInFlight is { } inFlight)
            {
                Errors.Check(Native.sdrs_watcher_opts_set_max_in_flight(opts, inFlight, out err), err);
            }

            Errors.Check(Native.sdrs_watcher_opts_set_dispatch(opts, (int)Dispatch, out err), err);
            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }
}

/// <summary>
/// Follows many jobs of one client from one native thread (sdrs_watcher): a pending
/// <see cref="WaitForJobAsync"/> costs a few hundred bytes and holds no thread, whereas a
/// blocking wait holds one for its whole duration. <see cref="SdrsClient.WaitForJobAsync"/>
/// uses a watcher of its own; make one yourself to set its rate limits, to shut it down, or to
/// run its callbacks on your own event loop (<see cref="JobWatcherDispatch.Manual"/>).
/// </summary>
/// <remarks>
/// Thread-safe, except that <see cref="Dispatch"/> may run on one thread at a time. Progress
/// reports are made where callbacks run: on the watcher's thread by default, where every poll of
/// every job of the watcher pauses while a handler runs, so handlers must return quickly. Tasks
/// complete with continuations on the thread pool, never on the watcher's thread. Disposing the
/// watcher (or <see cref="Shutdown"/>) ends every pending wait with
/// <see cref="OperationCanceledException"/>. The watcher keeps its client's native handle alive,
/// so it may outlive the <see cref="SdrsClient"/>.
/// </remarks>
public sealed class JobWatcher : IDisposable
{
    private readonly WatcherHandle _handle;
    // The client's own watcher: pending waits keep it running after Dispose (see SdrsClient).
    private readonly bool _drainOnDispose;
    private int _disposed;
    private long _added;
    private long _completed;

    /// <summary>Starts a watcher (and its native thread) for the jobs of <paramref name="client"/>.</summary>
    /// <param name="client">The client whose connections, retries and credentials the polls use.</param>
    /// <param name="options">Rate limits and dispatch mode; null for the defaults.</param>
    /// <exception cref="SdrsValidationException">An option is out of range (the message names it).</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public JobWatcher(SdrsClient client, JobWatcherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.ThrowIfDisposed();
        options ??= new JobWatcherOptions();
        using WatcherOptsHandle opts = options.Build();
        _handle = Create(client.Handle, opts);
        DispatchMode = options.Dispatch;
    }

    internal JobWatcher(ClientHandle client, WatcherOptsHandle opts, bool drainOnDispose)
    {
        _handle = Create(client, opts);
        _drainOnDispose = drainOnDispose;
        DispatchMode = JobWatcherDispatch.Thread;
    }

    /// <summary>Where this watcher runs its callbacks.</summary>
    public JobWatcherDispatch DispatchMode { get; }

    /// <summary>Waits added whose completion has not run yet (sdrs_watcher_pending).</summary>
    public long Pending
    {
        get
        {
            ThrowIfDisposed();
            return (long)Native.sdrs_watcher_pending(_handle);
        }
    }

    /// <summary>
    /// <see cref="JobWatcherDispatch.Manual"/> only: a file descriptor that polls readable while
    /// callbacks are queued; then call <see cref="Dispatch"/>. Do not read or close it; it lives
    /// as long as the watcher.
    /// </summary>
    /// <exception cref="SdrsValidationException">The watcher runs callbacks on its own thread.</exception>
    public unsafe int Fd
    {
        get
        {
            ThrowIfDisposed();
            int fd = -1;
            Errors.Check(Native.sdrs_watcher_fd(_handle, (nint)(&fd), out ErrorHandle err), err);
            return fd;
        }
    }

    /// <summary>Waits added through this watcher (for tests).</summary>
    internal long AddedCount => Interlocked.Read(ref _added);

    /// <summary>Completion callbacks run for this watcher (for tests: one per added wait).</summary>
    internal long CompletedCount => Interlocked.Read(ref _completed);

    /// <summary>
    /// Waits for a job as <see cref="SdrsClient.WaitForJobAsync"/> does (same options, progress,
    /// exceptions), without holding a thread.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="options">Polling and deadline; null for the library defaults.</param>
    /// <param name="progress">Receives every status read, where this watcher runs callbacks.</param>
    /// <param name="cancellationToken">Ends this wait (only) with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The final job (SUCCESS).</returns>
    /// <exception cref="SdrsJobFailedException">The job ended in FAIL.</exception>
    /// <exception cref="SdrsTimeoutException">The wait's deadline passed.</exception>
    /// <exception cref="OperationCanceledException">Canceled, or the watcher was shut down.</exception>
    public Task<Job> WaitForJobAsync(string jobId, WaitOptions? options = null, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default) =>
        Watch(jobId, options, progress, cancellationToken);

    /// <summary>
    /// <see cref="JobWatcherDispatch.Manual"/> only: runs up to <paramref name="max"/> queued
    /// callbacks (0: all queued now) on this thread and returns how many ran. Never blocks
    /// waiting for work.
    /// </summary>
    /// <param name="max">Most callbacks to run; 0 for all that are queued.</param>
    /// <exception cref="SdrsValidationException">The watcher runs callbacks on its own thread, or this is called from one of its callbacks.</exception>
    public unsafe int Dispatch(int max = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ThrowIfDisposed();
        nuint count = 0;
        int rc;
        t_dispatchDepth++;
        try
        {
            rc = Native.sdrs_watcher_dispatch(_handle, (nuint)max, (nint)(&count), out ErrorHandle err);
            Errors.Check(rc, err);
        }
        finally
        {
            if (--t_dispatchDepth == 0)
            {
                RunDeferredFrees();
            }
        }

        return (int)count;
    }

    /// <summary>
    /// Refuses further waits and ends every pending one with <see cref="OperationCanceledException"/>
    /// (sdrs_watcher_shutdown). With <see cref="JobWatcherDispatch.Thread"/> they have ended when it
    /// returns; with <see cref="JobWatcherDispatch.Manual"/> the next <see cref="Dispatch"/> (or
    /// <see cref="Dispose"/>) runs them. Idempotent.
    /// </summary>
    /// <exception cref="SdrsValidationException">Called from one of this watcher's callbacks on its own thread.</exception>
    public void Shutdown()
    {
        ThrowIfDisposed();
        Errors.Check(Native.sdrs_watcher_shutdown(_handle, out ErrorHandle err), err);
    }

    /// <summary>
    /// Shuts the watcher down (pending waits end with <see cref="OperationCanceledException"/>;
    /// with <see cref="JobWatcherDispatch.Manual"/> their callbacks run on this thread) and frees
    /// it. Calling it more than once is harmless.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // sdrs_watcher_free runs once no native call and (for the client's watcher) no
        // pending wait holds the handle.
        _handle.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static WatcherHandle Create(ClientHandle client, WatcherOptsHandle opts)
    {
        int rc = Native.sdrs_watcher_new(out WatcherHandle handle, client, opts, out ErrorHandle err);
        if (rc != 0)
        {
            handle.Dispose();
            throw Errors.Create(rc, err, default);
        }

        err.Dispose();
        try
        {
            handle.HoldClient(client);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return handle;
    }

    /// <summary>
    /// Keeps the native watcher alive for a wait still to be added (a create-and-wait between its
    /// create and its wait), even if it is disposed meanwhile with its client: calls in flight
    /// when a client is disposed run to their end. Pair with <see cref="EndReservation"/>.
    /// </summary>
    internal bool Reserve()
    {
        bool held = false;
        _handle.DangerousAddRef(ref held);
        return held;
    }

    internal void EndReservation(bool held)
    {
        if (held)
        {
            _handle.DangerousRelease();
        }
    }

    /// <summary>Adds a wait; its task completes from the completion callback. <paramref name="reserved"/>: under a <see cref="Reserve"/>, so a Dispose since then does not refuse it.</summary>
    internal Task<Job> Watch(string jobId, WaitOptions? options, IProgress<JobStatus>? progress, CancellationToken token, bool reserved = false)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (!reserved)
        {
            ThrowIfDisposed();
        }
        if (token.IsCancellationRequested)
        {
            return Task.FromCanceled<Job>(token);
        }

        bool held = false;
        if (_drainOnDispose)
        {
            // Released when the wait has ended, so the client's Dispose lets it run to its end.
            _handle.DangerousAddRef(ref held);
        }

        return Finish(Start(jobId, options, progress, token), held);
    }

    private unsafe WaitState Start(string jobId, WaitOptions? options, IProgress<JobStatus>? progress, CancellationToken token)
    {
        var state = new WaitState(this, jobId, progress, token);
        GCHandle userdata = default;
        try
        {
            using WaitOptsHandle wopts = SdrsClient.BuildWaitOpts(options, null);
            userdata = GCHandle.Alloc(state);
            nint ud = GCHandle.ToIntPtr(userdata);
            if (progress is not null)
            {
                Errors.Check(Native.sdrs_wait_opts_set_progress(wopts, &OnProgress, ud, out ErrorHandle perr), perr, token);
            }

            ulong ticket = 0;
            int rc = Native.sdrs_watcher_add(_handle, jobId, wopts, &OnComplete, ud, (nint)(&ticket), out ErrorHandle err);
            if (rc != 0)
            {
                throw Errors.Create(rc, err, token);
            }

            // From here the completion callback owns the GCHandle (it runs exactly once).
            userdata = default;
            err.Dispose();
            Interlocked.Increment(ref _added);
            state.Arm(ticket);
        }
        catch (Exception e)
        {
            state.Fail(e);
        }
        finally
        {
            if (userdata.IsAllocated)
            {
                userdata.Free();
            }
        }

        return state;
    }

    private async Task<Job> Finish(WaitState state, bool held)
    {
        try
        {
            // An OperationCanceledException thrown here makes the returned task Canceled, as
            // the blocking wait's task was.
            return await state.Task.ConfigureAwait(false);
        }
        finally
        {
            // Runs after Arm, so the registration is there to remove; a cancel callback still
            // running is waited for (it only calls sdrs_watcher_cancel, which never blocks).
            state.DisposeRegistration();
            if (held)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Cancels one wait through its ticket; harmless once the wait has ended.</summary>
    private void CancelWait(ulong ticket)
    {
        try
        {
            // SDRS_ENOTFOUND: the callback already ran or is about to; nothing to do. The
            // client's watcher, disposed with its client, still takes the reference here while
            // its waits hold theirs (SafeHandle refuses only once the last one is gone).
            Native.sdrs_watcher_cancel(_handle, ticket, out ErrorHandle err);
            err.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // The watcher is freed: its shutdown has completed this wait already.
        }
    }

    // ---- callbacks (never let an exception unwind into native code)

    // Callbacks of any watcher running on this thread, and Dispatch calls in progress on it.
    [ThreadStatic]
    private static int t_callbackDepth;
    [ThreadStatic]
    private static int t_dispatchDepth;
    [ThreadStatic]
    private static List<Action>? t_deferredFrees;

    /// <summary>
    /// Runs a watcher's release now, or, from inside a watcher callback (where the library
    /// would defer sdrs_watcher_free until the callback returns), after the callback: at the
    /// end of the enclosing <see cref="Dispatch"/>, or on the thread pool.
    /// </summary>
    internal static void FreeOutsideCallbacks(Action free)
    {
        if (t_callbackDepth == 0)
        {
            free();
        }
        else if (t_dispatchDepth > 0)
        {
            (t_deferredFrees ??= []).Add(free);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(static f => f(), free, preferLocal: false);
        }
    }

    private static void RunDeferredFrees()
    {
        List<Action>? frees = t_deferredFrees;
        t_deferredFrees = null;
        if (frees is not null)
        {
            foreach (Action free in frees)
            {
                free();
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnComplete(ulong ticket, nint jobId, int rc, nint job, nint err, nint userdata)
    {
        t_callbackDepth++;
        WaitState? state = null;
        ErrorHandle? error = null;
        try
        {
            if (err != 0)
            {
                error = new ErrorHandle();
                Marshal.InitHandle(error, err);
                err = 0;
            }

            GCHandle handle = GCHandle.FromIntPtr(userdata);
            state = (WaitState)handle.Target!;
            handle.Free();
            Interlocked.Increment(ref state.Owner._completed);
            state.Complete(rc, job, error);
        }
        catch (Exception e)
        {
            state?.Fail(e);
        }
        finally
        {
            // The callback owns job and err.
            error?.Dispose();
            if (err != 0)
            {
                Native.sdrs_error_free(err);
            }

            if (job != 0)
            {
                Native.sdrs_job_free(job);
            }

            t_callbackDepth--;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnProgress(nint job, nint userdata)
    {
        t_callbackDepth++;
        try
        {
            return ProgressTarget.Report(job, userdata);
        }
        finally
        {
            t_callbackDepth--;
        }
    }

    /// <summary>One pending wait: the userdata of its callbacks (through a GCHandle).</summary>
    private sealed class WaitState(JobWatcher owner, string jobId, IProgress<JobStatus>? progress, CancellationToken token)
        : ProgressTarget(jobId, progress)
    {
        // Continuations never run on the watcher's thread (they would stall every poll).
        private readonly TaskCompletionSource<Job> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenRegistration _registration;

        internal JobWatcher Owner { get; } = owner;

        internal Task<Job> Task => _tcs.Task;

        internal void Arm(ulong ticket)
        {
            if (token.CanBeCanceled)
            {
                JobWatcher watcher = Owner;
                _registration = token.UnsafeRegister(_ => watcher.CancelWait(ticket), null);
            }
        }

        internal void DisposeRegistration() => _registration.Dispose();

        internal void Fail(Exception e) => _tcs.TrySetException(e);

        internal void Complete(int rc, nint job, ErrorHandle? error)
        {
            Job? final = job != 0 ? Job.Read(job) : null;
            if (Failure is { } failure)
            {
                _tcs.TrySetException(failure);
            }
            else if (rc != 0)
            {
                _tcs.TrySetException(Errors.Create(rc, error, token, final));
            }
            else if (final is null)
            {
                _tcs.TrySetException(new InvalidOperationException("libsdrs returned no job"));
            }
            else
            {
                _tcs.TrySetResult(final);
            }
        }
    }
}
