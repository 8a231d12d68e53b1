using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sdrs;

/// <summary>
/// Test and diagnostics hooks of the binding.
/// </summary>
internal static class SdrsDiagnostics
{
    private static long _leaked;

    /// <summary>
    /// Raised (on the finalizer thread) when a native handle is released by the garbage collector
    /// instead of by Dispose: a leak in the caller's or the binding's code. The argument is the
    /// handle type name.
    /// </summary>
    internal static event Action<string>? LeakedHandleFinalized;

    /// <summary>Number of handles released by a finalizer since the process started.</summary>
    internal static long LeakedHandleCount => Interlocked.Read(ref _leaked);

    internal static void ReportLeak(string typeName)
    {
        Interlocked.Increment(ref _leaked);
        try
        {
            LeakedHandleFinalized?.Invoke(typeName);
        }
        catch
        {
            // Never let a diagnostics subscriber crash the finalizer thread.
        }
    }
}

/// <summary>
/// Base of every libsdrs handle: frees the native object exactly once and reports handles that
/// reach the finalizer without Dispose.
/// </summary>
internal abstract class SdrsHandle : SafeHandle
{
    // Set by Dispose(true) before the release can run, so ReleaseHandle knows its caller.
    private volatile bool _disposeCalled;

    protected SdrsHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw pointer; only valid while the handle is alive and referenced.</summary>
    internal nint Raw => handle;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposeCalled = true;
        }

        base.Dispose(disposing);
    }

    protected sealed override bool ReleaseHandle()
    {
        if (!_disposeCalled)
        {
            SdrsDiagnostics.ReportLeak(GetType().Name);
        }

        Free(handle);
        return true;
    }

    /// <summary>Calls the matching sdrs_*_free.</summary>
    protected abstract void Free(nint h);
}

/// <summary>sdrs_config.</summary>
internal sealed class ConfigHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_config_free(h);
}

/// <summary>sdrs_client; also owns the GCHandle of the log sink the client calls.</summary>
internal sealed class ClientHandle : SdrsHandle
{
    private GCHandle _logState;

    internal void AttachLogState(GCHandle state) => _logState = state;

    protected override void Free(nint h)
    {
        Native.sdrs_client_free(h);
        // The native client is gone, so the sink can no longer be called with this userdata.
        if (_logState.IsAllocated)
        {
            _logState.Free();
        }
    }
}

/// <summary>sdrs_call_opts.</summary>
internal sealed class CallOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_call_opts_free(h);
}

/// <summary>
/// sdrs_watcher. Holds a reference on the <see cref="ClientHandle"/> it was made from: the
/// native watcher keeps the native client alive, and that client may call the client's log
/// sink (whose GCHandle <see cref="ClientHandle"/> frees) from the watcher's thread until
/// sdrs_watcher_free has returned.
/// </summary>
internal sealed class WatcherHandle : SdrsHandle
{
    private ClientHandle? _client;

    /// <summary>Keeps the client handle open until this watcher is freed (call once, before use).</summary>
    internal void HoldClient(ClientHandle client)
    {
        bool added = false;
        client.DangerousAddRef(ref added);
        _client = client;
    }

    protected override void Free(nint h)
    {
        ClientHandle? client = _client;
        _client = null;
        // From inside a watcher callback, sdrs_watcher_free would be deferred by the library
        // until that callback returns, while the client reference below must outlive it.
        JobWatcher.FreeOutsideCallbacks(() =>
        {
            Native.sdrs_watcher_free(h);
            client?.DangerousRelease();
        });
    }
}

/// <summary>sdrs_watcher_opts.</summary>
internal sealed class WatcherOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_watcher_opts_free(h);
}

/// <summary>sdrs_cancel.</summary>
internal sealed class CancelHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_cancel_free(h);
}

/// <summary>sdrs_error.</summary>
internal sealed class ErrorHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_error_free(h);
}

/// <summary>sdrs_job (owned; sub-jobs are borrowed pointers read eagerly).</summary>
internal sealed class JobHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_job_free(h);
}

/// <summary>sdrs_wait_opts.</summary>
internal sealed class WaitOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_wait_opts_free(h);
}

/// <summary>sdrs_pg_spec.</summary>
internal sealed class PgSpecHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pg_spec_free(h);
}

/// <summary>sdrs_pg (owned).</summary>
internal sealed class PgHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pg_free(h);
}

/// <summary>sdrs_pg_list_opts.</summary>
internal sealed class PgListOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pg_list_opts_free(h);
}

/// <summary>sdrs_pg_list.</summary>
internal sealed class PgListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pg_list_free(h);
}

/// <summary>sdrs_pg_iter.</summary>
internal sealed class PgIterHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pg_iter_free(h);
}

/// <summary>sdrs_pi_spec.</summary>
internal sealed class PiSpecHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pi_spec_free(h);
}

/// <summary>sdrs_pi_nic_spec.</summary>
internal sealed class PiNicSpecHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pi_nic_spec_free(h);
}

/// <summary>sdrs_pi (owned).</summary>
internal sealed class PiHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pi_free(h);
}

/// <summary>sdrs_pi_list_opts.</summary>
internal sealed class PiListOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pi_list_opts_free(h);
}

/// <summary>sdrs_pi_list.</summary>
internal sealed class PiListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pi_list_free(h);
}

/// <summary>sdrs_pi_iter.</summary>
internal sealed class PiIterHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pi_iter_free(h);
}

/// <summary>sdrs_pair_spec.</summary>
internal sealed class PairSpecHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pair_spec_free(h);
}

/// <summary>sdrs_pair (owned).</summary>
internal sealed class PairHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pair_free(h);
}

/// <summary>sdrs_pair_list_opts.</summary>
internal sealed class PairListOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pair_list_opts_free(h);
}

/// <summary>sdrs_pair_list.</summary>
internal sealed class PairListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pair_list_free(h);
}

/// <summary>sdrs_pair_iter.</summary>
internal sealed class PairIterHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_pair_iter_free(h);
}

/// <summary>sdrs_drill_spec.</summary>
internal sealed class DrillSpecHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_drill_spec_free(h);
}

/// <summary>sdrs_drill (owned).</summary>
internal sealed class DrillHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_drill_free(h);
}

/// <summary>sdrs_drill_list_opts.</summary>
internal sealed class DrillListOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_drill_list_opts_free(h);
}

/// <summary>sdrs_drill_list.</summary>
internal sealed class DrillListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_drill_list_free(h);
}

/// <summary>sdrs_drill_iter.</summary>
internal sealed class DrillIterHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_drill_iter_free(h);
}

/// <summary>sdrs_tag_set.</summary>
internal sealed class TagSetHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_tag_set_free(h);
}

/// <summary>sdrs_tag_list.</summary>
internal sealed class TagListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_tag_list_free(h);
}

/// <summary>sdrs_tag_project_list.</summary>
internal sealed class TagProjectListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_tag_project_list_free(h);
}

/// <summary>sdrs_tag_query.</summary>
internal sealed class TagQueryHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_tag_query_free(h);
}

/// <summary>sdrs_tag_query_result (owns the instances it lends).</summary>
internal sealed class TagQueryResultHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_tag_query_result_free(h);
}

/// <summary>sdrs_tag_query_iter.</summary>
internal sealed class TagQueryIterHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_tag_query_iter_free(h);
}

/// <summary>sdrs_task_list_opts.</summary>
internal sealed class TaskListOptsHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_task_list_opts_free(h);
}

/// <summary>sdrs_task_list (owns the borrowed sdrs_task items).</summary>
internal sealed class TaskListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_task_list_free(h);
}

/// <summary>sdrs_task_iter.</summary>
internal sealed class TaskIterHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_task_iter_free(h);
}

/// <summary>sdrs_quota.</summary>
internal sealed class QuotaHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_quota_free(h);
}

/// <summary>sdrs_domain_list.</summary>
internal sealed class DomainListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_domain_list_free(h);
}

/// <summary>sdrs_apiversion_list.</summary>
internal sealed class ApiVersionListHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_apiversion_list_free(h);
}

/// <summary>sdrs_apiversion (owned).</summary>
internal sealed class ApiVersionHandle : SdrsHandle
{
    protected override void Free(nint h) => Native.sdrs_apiversion_free(h);
}

/// <summary>Keeps a SafeHandle referenced while its raw pointer is read.</summary>
internal ref struct HandleLease
{
    private readonly SafeHandle _handle;
    private bool _added;

    internal HandleLease(SafeHandle handle)
    {
        _handle = handle;
        _added = false;
        handle.DangerousAddRef(ref _added);
        Pointer = handle.DangerousGetHandle();
    }

    internal nint Pointer { get; }

    public void Dispose()
    {
        if (_added)
        {
            _handle.DangerousRelease();
            _added = false;
        }
    }
}
