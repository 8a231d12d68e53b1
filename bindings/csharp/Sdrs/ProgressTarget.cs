using System;
using System.Runtime.InteropServices;

namespace Sdrs;

/// <summary>
/// The userdata (through a GCHandle) of a native progress callback, blocking wait or watched:
/// the job waited for, where its snapshots go, and the exception a handler threw.
/// </summary>
internal class ProgressTarget(string jobId, IProgress<JobStatus>? progress)
{
    internal string JobId { get; } = jobId;

    internal IProgress<JobStatus>? Progress { get; } = progress;

    /// <summary>Set by a throwing progress handler: that, not SDRS_ECANCELED, is the wait's result.</summary>
    internal Exception? Failure { get; set; }

    /// <summary>
    /// The body of an sdrs_progress_fn whose userdata is a GCHandle of a ProgressTarget: reports
    /// the job's snapshot. No exception may cross into native code: a handler's is kept in
    /// <see cref="Failure"/> and 1 stops the wait.
    /// </summary>
    internal static int Report(nint job, nint userdata)
    {
        ProgressTarget? target = null;
        try
        {
            target = (ProgressTarget?)GCHandle.FromIntPtr(userdata).Target;
            if (target?.Progress is null)
            {
                return 0;
            }

            Job snapshot = Job.Read(job);
            target.Progress.Report(new JobStatus(snapshot.Id ?? target.JobId, snapshot.Status, snapshot));
            return 0;
        }
        catch (Exception e)
        {
            if (target is not null)
            {
                target.Failure = e;
            }

            return 1;
        }
    }
}
