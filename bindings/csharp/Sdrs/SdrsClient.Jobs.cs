using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Jobs (spec 5): one read, and the waiter with its progress callback.
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
    /// cancellation. The blocking wait runs on a dedicated thread; canceling the token triggers
    /// the native cancel token and ends the wait promptly.
    /// </summary>
    /// <param name="jobId">The job id.</param>
    /// <param name="options">Polling and deadline; null for the library defaults.</param>
    /// <param name="progress">Receives every status read (from the waiting thread).</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The final job (SUCCESS).</returns>
    /// <exception cref="SdrsJobFailedException">The job ended in FAIL.</exception>
    /// <exception cref="SdrsTimeoutException">The wait's deadline passed.</exception>
    public unsafe Task<Job> WaitForJobAsync(string jobId, WaitOptions? options = null, IProgress<JobStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        return RunLong(cancel =>
        {
            using WaitOptsHandle wopts = BuildWaitOpts(options, cancel);
            ProgressState? state = null;
            GCHandle gch = default;
            try
            {
                if (progress is not null)
                {
                    state = new ProgressState(jobId, progress);
                    gch = GCHandle.Alloc(state);
                    Errors.Check(Native.sdrs_wait_opts_set_progress(wopts, &OnProgress, GCHandle.ToIntPtr(gch), out ErrorHandle perr), perr);
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
        }, cancellationToken);
    }

    private static WaitOptsHandle BuildWaitOpts(WaitOptions? o, CancelHandle cancel)
    {
        int rc = Native.sdrs_wait_opts_new(out WaitOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            Errors.Check(Native.sdrs_wait_opts_set_cancel(opts, cancel, out err), err);
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

    private sealed class ProgressState(string jobId, IProgress<JobStatus> progress)
    {
        internal string JobId { get; } = jobId;

        internal IProgress<JobStatus> Progress { get; } = progress;

        internal Exception? Failure { get; set; }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnProgress(nint job, nint userdata)
    {
        // No exception may cross into native code: remember it and stop the wait instead.
        ProgressState? state = null;
        try
        {
            state = (ProgressState?)GCHandle.FromIntPtr(userdata).Target;
            if (state is null)
            {
                return 0;
            }

            Job snapshot = Job.Read(job);
            state.Progress.Report(new JobStatus(snapshot.Id ?? state.JobId, snapshot.Status, snapshot));
            return 0;
        }
        catch (Exception e)
        {
            if (state is not null)
            {
                state.Failure = e;
            }

            return 1;
        }
    }
}
