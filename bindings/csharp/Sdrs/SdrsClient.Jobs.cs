using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Jobs (spec 5): one read, the waits (through the client's watcher, or blocking) and their progress callback.
public sealed partial class SdrsClient
{
    /// <summary>Reads a job once (spec 5).</summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<Job> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return Run(opts =>
        {
            int rc = Native.sdrs_job_poll(out JobHandle job, _handle, jobId, opts, out ErrorHandle err);
            using (job)
            {
                Errors.Check(rc, err, cancellationToken);
                return Job.Read(job) ?? throw new InvalidOperationException("libsdrs returned no job");
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Polls a job (exponential backoff with jitter) until SUCCESS, FAIL, the deadline or
    /// cancellation, without holding a thread: the client's <see cref="JobWatcher"/> polls every
    /// pending wait from one native thread and completes the task from its callback.
    /// Canceling the token ends this wait promptly.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="options">Polling and deadline; null for the library defaults.</param>
    /// <param name="progress">Receives every status read, on the watcher's thread: keep the handler short (every wait of the client pauses while it runs) or use <see cref="Progress{T}"/>, which posts.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The final job (SUCCESS).</returns>
    /// <exception cref="SdrsJobFailedException">The job ended in FAIL.</exception>
    /// <exception cref="SdrsTimeoutException">The wait's deadline passed.</exception>
    public Task<Job> WaitForJobAsync(string jobId, WaitOptions? options = null, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (cancellationToken.IsCancellationRequested)
        {
            ThrowIfDisposed();
            return Task.FromCanceled<Job>(cancellationToken);
        }

        ClientLease lease = Acquire();
        Task<Job> wait;
        try
        {
            wait = Watcher().Watch(jobId, options, progress, cancellationToken);
        }
        catch
        {
            lease.Release();
            throw;
        }

        return ReleaseWhenDone(wait, lease);
    }

    /// <summary>
    /// The blocking form of <see cref="WaitForJobAsync"/> (sdrs_job_wait): polls on the calling
    /// thread, which it holds for the whole wait. For synchronous code with a thread to spare;
    /// <see cref="WaitForJobAsync"/> scales to thousands of waits.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="options">Polling and deadline; null for the library defaults.</param>
    /// <param name="progress">Receives every status read, on the calling thread.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The final job (SUCCESS).</returns>
    /// <exception cref="SdrsJobFailedException">The job ended in FAIL.</exception>
    /// <exception cref="SdrsTimeoutException">The wait's deadline passed.</exception>
    public unsafe Job WaitForJob(string jobId, WaitOptions? options = null, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (cancellationToken.IsCancellationRequested)
        {
            ThrowIfDisposed();
            throw new OperationCanceledException(cancellationToken);
        }

        ClientLease lease = Acquire();
        try
        {
            using CancelHandle cancel = NewCancel();
            using CancellationTokenRegistration registration = Register(cancel, cancellationToken);
            using WaitOptsHandle wopts = BuildWaitOpts(options, cancel);
            ProgressTarget? state = null;
            GCHandle gch = default;
            try
            {
                if (progress is not null)
                {
                    state = new ProgressTarget(jobId, progress);
                    gch = GCHandle.Alloc(state);
                    Errors.Check(Native.sdrs_wait_opts_set_progress(wopts, &OnProgress, GCHandle.ToIntPtr(gch), out ErrorHandle perr), perr, cancellationToken);
                }

                int rc = Native.sdrs_job_wait(out JobHandle job, _handle, jobId, wopts, out ErrorHandle err);
                using (job)
                {
                    if (state?.Failure is { } failure)
                    {
                        // The progress handler threw: that, not SDRS_ECANCELED, is the caller's error.
                        err.Dispose();
                        ExceptionDispatchInfo.Throw(failure);
                    }

                    Job? final = Job.Read(job);
                    if (rc != 0)
                    {
                        throw Errors.Create(rc, err, cancellationToken, final);
                    }

                    err.Dispose();
                    return final ?? throw new InvalidOperationException("libsdrs returned no job");
                }
            }
            finally
            {
                if (gch.IsAllocated)
                {
                    gch.Free();
                }
            }
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>
    /// The client's watcher, started on the first wait: it costs a native thread, which a client
    /// that never waits for a job should not pay. Disposed with the client; waits still pending
    /// then keep it running until they end (see <see cref="Dispose"/>).
    /// </summary>
    private JobWatcher Watcher()
    {
        lock (_watcherLock)
        {
            ObjectDisposedException.ThrowIf(_watcherClosed, this);
            return _watcher ??= new JobWatcher(_handle, _watcherOpts, drainOnDispose: true);
        }
    }

    /// <summary>Disposes the watcher (if one was started) and refuses to start another.</summary>
    private void CloseWatcher()
    {
        JobWatcher? watcher;
        lock (_watcherLock)
        {
            _watcherClosed = true;
            watcher = _watcher;
        }

        watcher?.Dispose();
        _watcherOpts?.Dispose();
    }

    /// <summary>Wait options; <paramref name="cancel"/> is null for watcher waits (they are canceled by ticket).</summary>
    internal static WaitOptsHandle BuildWaitOpts(WaitOptions? o, CancelHandle? cancel)
    {
        int rc = Native.sdrs_wait_opts_new(out WaitOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            if (cancel is not null)
            {
                Errors.Check(Native.sdrs_wait_opts_set_cancel(opts, cancel, out err), err);
            }

            if (o is null)
            {
                return opts;
            }

            if (o.InitialInterval is { } initial)
            {
                Errors.Check(Native.sdrs_wait_opts_set_initial_interval_ms(opts, Milliseconds(initial, nameof(o.InitialInterval)), out err), err);
            }

            if (o.MaxInterval is { } maxInterval)
            {
                Errors.Check(Native.sdrs_wait_opts_set_max_interval_ms(opts, Milliseconds(maxInterval, nameof(o.MaxInterval)), out err), err);
            }

            if (o.MultiplierPercent is { } mult)
            {
                Errors.Check(Native.sdrs_wait_opts_set_multiplier_pct(opts, mult, out err), err);
            }

            if (o.JitterPercent is { } jitter)
            {
                Errors.Check(Native.sdrs_wait_opts_set_jitter_pct(opts, jitter, out err), err);
            }

            if (o.Timeout is { } timeout)
            {
                Errors.Check(Native.sdrs_wait_opts_set_timeout_ms(opts, Milliseconds(timeout, nameof(o.Timeout)), out err), err);
            }

            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }

    // A blocking wait's progress: see ProgressTarget.Report.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnProgress(nint job, nint userdata) => ProgressTarget.Report(job, userdata);
}
