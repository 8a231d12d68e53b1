using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Sdrs;

/// <summary>
/// A client of the SDRS v1 API over libsdrs. Safe to use from many threads at once; every call
/// runs the blocking native call on the thread pool and honours its
/// <see cref="CancellationToken"/> through a native cancel token, which aborts an HTTP transfer
/// promptly. Job waits hold no thread: the client's <see cref="JobWatcher"/> follows them all
/// from one native thread. Dispose it once no call needs it any more (calls and waits still in
/// flight keep the native client alive until they return).
/// </summary>
public sealed partial class SdrsClient : ISdrsClient
{
    private readonly ClientHandle _handle;
    // Immutable call options shared by calls without a cancelable token (allowed by client.h).
    private readonly CallOptsHandle _sharedCallOpts;
    private readonly long _callTimeoutMs;
    // The client's own job watcher: options checked at construction, the watcher (a native
    // thread) started by the first wait (SdrsClient.Jobs.cs).
    private readonly WatcherOptsHandle _watcherOpts;
    private readonly object _watcherLock = new();
    private JobWatcher? _watcher;
    private bool _watcherClosed;
    private int _disposed;

    /// <summary>Creates a client; validates the options in the library.</summary>
    /// <param name="options">Endpoint, credentials and tuning.</param>
    /// <exception cref="SdrsValidationException">A setting is missing or invalid (the message names it).</exception>
    public unsafe SdrsClient(SdrsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Native.EnsureLoaded();
        SdrsLibrary.CheckVersion();

        _callTimeoutMs = options.CallTimeout is { } ct ? Milliseconds(ct, nameof(options.CallTimeout)) : 0;
        _watcherOpts = BuildWatcherOpts(options.JobWatcherOptions);

        int rc = Native.sdrs_config_new(out ConfigHandle cfg, out ErrorHandle err);
        Errors.Check(rc, err);
        GCHandle logState = default;
        try
        {
            using (cfg)
            {
                // allow_http must precede the endpoint: the endpoint setter checks the scheme.
                Errors.Check(Native.sdrs_config_set_allow_http(cfg, options.AllowHttp ? 1 : 0, out err), err);
                if (options.Endpoint is not null)
                {
                    Errors.Check(Native.sdrs_config_set_endpoint(cfg, options.Endpoint, out err), err);
                }

                if (options.ProjectId is not null)
                {
                    Errors.Check(Native.sdrs_config_set_project_id(cfg, options.ProjectId, out err), err);
                }

                if (options.Token is not null)
                {
                    Errors.Check(Native.sdrs_config_set_token(cfg, options.Token, out err), err);
                }

                ApplyAuth(cfg, options);
                if (options.ConnectTimeout is { } connect)
                {
                    Errors.Check(Native.sdrs_config_set_connect_timeout_ms(cfg, Milliseconds(connect, nameof(options.ConnectTimeout)), out err), err);
                }

                if (options.RequestTimeout is { } request)
                {
                    Errors.Check(Native.sdrs_config_set_timeout_ms(cfg, Milliseconds(request, nameof(options.RequestTimeout)), out err), err);
                }

                if (options.CaFile is not null)
                {
                    Errors.Check(Native.sdrs_config_set_ca_file(cfg, options.CaFile, out err), err);
                }

                ApplyTransport(cfg, options);

                if (options.UserAgentSuffix is not null)
                {
                    Errors.Check(Native.sdrs_config_set_user_agent_suffix(cfg, options.UserAgentSuffix, out err), err);
                }

                if (options.MaxResponseBytes is { } max)
                {
                    Errors.Check(Native.sdrs_config_set_max_response_bytes(cfg, max, out err), err);
                }

                if (options.Log is not null)
                {
                    logState = GCHandle.Alloc(options.Log);
                    Errors.Check(Native.sdrs_config_set_log_sink(cfg, &LogSink, (int)options.LogLevel, GCHandle.ToIntPtr(logState), out err), err);
                }

                rc = Native.sdrs_client_new(out _handle, cfg, out err);
                Errors.Check(rc, err);
            }

            if (logState.IsAllocated)
            {
                // From here on the client handle frees the GCHandle after sdrs_client_free.
                _handle.AttachLogState(logState);
                logState = default;
            }

            _sharedCallOpts = NewCallOpts(null, _callTimeoutMs);
        }
        catch
        {
            _handle?.Dispose();
            _watcherOpts.Dispose();
            if (logState.IsAllocated)
            {
                logState.Free();
            }

            throw;
        }
    }

    /// <summary>The native client, for tests.</summary>
    internal ClientHandle Handle => _handle;

    /// <summary>
    /// Frees the native client. Calling it more than once is harmless. Waits still pending go on
    /// until they end (or their token is canceled); the client's watcher and the native client
    /// are freed after the last one.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The watcher before the client: its thread may still use the client's log sink.
        CloseWatcher();
        _sharedCallOpts?.Dispose();
        _handle?.Dispose();
    }

    private static WatcherOptsHandle BuildWatcherOpts(JobWatcherOptions? options)
    {
        if (options?.Dispatch is JobWatcherDispatch.Manual)
        {
            // Nobody would dispatch the client's own watcher: every wait would hang.
            throw new ArgumentException("JobWatcherOptions.Dispatch must be Thread for the client's own watcher; create a JobWatcher for manual dispatch", nameof(options));
        }

        return (options ?? new JobWatcherOptions()).Build();
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void LogSink(int level, nint message, nint userdata)
    {
        try
        {
            if (GCHandle.FromIntPtr(userdata).Target is Action<SdrsLogLevel, string> log)
            {
                log((SdrsLogLevel)level, Native.Str(message) ?? string.Empty);
            }
        }
        catch
        {
            // A logger must not break the call it logs, and nothing may unwind into native code.
        }
    }
}
