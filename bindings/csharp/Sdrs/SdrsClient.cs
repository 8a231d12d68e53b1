using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

/// <summary>
/// A client of the SDRS v1 API over libsdrs. Safe to use from many threads at once; every call
/// runs the blocking native call on the thread pool (job waits on a dedicated thread) and
/// honours its <see cref="CancellationToken"/> through a native cancel token, which aborts an
/// HTTP transfer or a wait promptly. Dispose it once no call needs it any more (calls still in
/// flight keep the native client alive until they return).
/// </summary>
public sealed class SdrsClient : IDisposable
{
    private readonly ClientHandle _handle;
    // Immutable call options shared by calls without a cancelable token (allowed by client.h).
    private readonly CallOptsHandle _sharedCallOpts;
    private readonly long _callTimeoutMs;
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

            _sharedCallOpts = NewCallOpts(null);
        }
        catch
        {
            _handle?.Dispose();
            if (logState.IsAllocated)
            {
                logState.Free();
            }

            throw;
        }
    }

    private static void ApplyAuth(ConfigHandle cfg, SdrsClientOptions o)
    {
        ErrorHandle err;
        if (o.AuthUrl is not null) Errors.Check(Native.sdrs_config_set_auth_url(cfg, o.AuthUrl, out err), err);
        if (o.Username is not null) Errors.Check(Native.sdrs_config_set_username(cfg, o.Username, out err), err);
        if (o.UserId is not null) Errors.Check(Native.sdrs_config_set_user_id(cfg, o.UserId, out err), err);
        if (o.Password is not null) Errors.Check(Native.sdrs_config_set_password(cfg, o.Password, out err), err);
        if (o.UserDomainName is not null) Errors.Check(Native.sdrs_config_set_user_domain_name(cfg, o.UserDomainName, out err), err);
        if (o.UserDomainId is not null) Errors.Check(Native.sdrs_config_set_user_domain_id(cfg, o.UserDomainId, out err), err);
        if (o.ProjectName is not null) Errors.Check(Native.sdrs_config_set_project_name(cfg, o.ProjectName, out err), err);
        if (o.Region is not null) Errors.Check(Native.sdrs_config_set_region(cfg, o.Region, out err), err);
        if (o.AccessKey is not null || o.SecretKey is not null)
        {
            Errors.Check(Native.sdrs_config_set_access_key(cfg, o.AccessKey, o.SecretKey, o.SecurityToken, out err), err);
        }

        if (o.TokenRefreshMargin is { } margin)
        {
            long secs = margin < TimeSpan.Zero ? -1 : (long)margin.TotalSeconds;
            Errors.Check(Native.sdrs_config_set_token_refresh_margin_s(cfg, secs, out err), err);
        }

        if (o.LoadEnvironment) Errors.Check(Native.sdrs_config_load_env(cfg, out err), err);
        if (o.LoadCloudsYaml) Errors.Check(Native.sdrs_config_load_clouds_yaml(cfg, o.CloudsYamlPath, o.Cloud, out err), err);
    }

    /// <summary>A valid IAM token of the client (password authentication: cached or refreshed). A secret: do not log it.</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsValidationException">The client signs with an access key and has no token (SDRS_EINVAL).</exception>
    public Task<string> GetTokenAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_client_token(out nint token, _handle, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return Native.TakeString(token) ?? string.Empty;
        }, cancellationToken);

    /// <summary>The project id in use: configured, or learned from the IAM token's scope.</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> GetProjectIdAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_client_project_id(out nint pid, _handle, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return Native.TakeString(pid) ?? string.Empty;
        }, cancellationToken);

    private static void ApplyTransport(ConfigHandle cfg, SdrsClientOptions options)
    {
        ErrorHandle err;
        if (options.CaDir is not null)
        {
            Errors.Check(Native.sdrs_config_set_ca_dir(cfg, options.CaDir, out err), err);
        }

        if (options.ClientCertFile is not null || options.ClientKeyFile is not null)
        {
            Errors.Check(Native.sdrs_config_set_client_cert(cfg, options.ClientCertFile, options.ClientKeyFile, options.ClientKeyPassword, out err), err);
        }

        if (options.InsecureSkipTlsVerify)
        {
            Errors.Check(Native.sdrs_config_set_insecure_skip_tls_verify(cfg, 1, out err), err);
        }

        if (options.Proxy is not null || options.NoProxy is not null)
        {
            Errors.Check(Native.sdrs_config_set_proxy(cfg, options.Proxy, options.NoProxy, out err), err);
        }

        if (options.LowSpeedBytesPerSecond is not null || options.LowSpeedTime is not null)
        {
            long seconds = options.LowSpeedTime is { } t ? (long)Math.Floor(t.TotalSeconds) : 30;
            Errors.Check(Native.sdrs_config_set_low_speed(cfg, options.LowSpeedBytesPerSecond ?? 1, seconds, out err), err);
        }

        if (options.MaxAttempts is { } attempts)
        {
            Errors.Check(Native.sdrs_config_set_max_attempts(cfg, attempts, out err), err);
        }

        if (options.HttpVersion is { } version)
        {
            Errors.Check(Native.sdrs_config_set_http_version(cfg, (int)version, out err), err);
        }
    }

    /// <summary>The native client, for tests.</summary>
    internal ClientHandle Handle => _handle;

    /// <summary>Frees the native client. Calling it more than once is harmless.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _sharedCallOpts?.Dispose();
        _handle?.Dispose();
    }

    // ---------------------------------------------------------------- protection groups

    /// <summary>Sends the create request (spec 4.1) and returns the job id.</summary>
    /// <param name="request">The new group.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <returns>The id of the create job; wait for it with <see cref="WaitForJobAsync"/>.</returns>
    public Task<string> CreateProtectionGroupAsync(CreateProtectionGroupRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(opts =>
        {
            using PgSpecHandle spec = BuildSpec(request);
            int rc = Native.sdrs_pg_create(out nint jobId, _handle, spec, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Creates a group, waits for its job and returns the created group.</summary>
    /// <param name="request">The new group.</param>
    /// <param name="waitOptions">Polling and deadline; null for the library defaults.</param>
    /// <param name="cancellationToken">Aborts the call and the wait.</param>
    /// <exception cref="SdrsJobFailedException">The create job ended in FAIL.</exception>
    public Task<ProtectionGroup> CreateProtectionGroupAndWaitAsync(CreateProtectionGroupRequest request, WaitOptions? waitOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunLong(cancel =>
        {
            using PgSpecHandle spec = BuildSpec(request);
            using WaitOptsHandle wopts = BuildWaitOpts(waitOptions, cancel);
            int rc = Native.sdrs_pg_create_and_wait(out PgHandle pg, _handle, spec, wopts, out ErrorHandle err);
            using (pg)
            {
                if (rc != 0)
                {
                    throw Errors.Create(rc, err, cancellationToken);
                }

                err.Dispose();
                return ProtectionGroup.Read(pg);
            }
        }, cancellationToken);
    }

    /// <summary>Reads one group (spec 4.3).</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsNotFoundException">No such group.</exception>
    public Task<ProtectionGroup> GetProtectionGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return Run(opts =>
        {
            int rc = Native.sdrs_pg_get(out PgHandle pg, _handle, groupId, opts, out ErrorHandle err);
            return TakeGroup(rc, pg, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Renames a group (spec 4.4, synchronous) and returns it.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="newName">The new name (1..64 bytes of A-Z a-z 0-9 . _ -).</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ProtectionGroup> RenameProtectionGroupAsync(string groupId, string newName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(newName);
        return Run(opts =>
        {
            int rc = Native.sdrs_pg_rename(out PgHandle pg, _handle, groupId, newName, opts, out ErrorHandle err);
            return TakeGroup(rc, pg, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Deletes a group (spec 4.5); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DeleteProtectionGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_delete(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Enables protection, or re-enables it after a failover (start-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> EnableProtectionAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_enable(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Disables protection (stop-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> DisableProtectionAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_disable(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Unplanned failover to the DR site (failover-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> FailoverAsync(string groupId, CancellationToken cancellationToken = default) =>
        JobCall(groupId, static (h, id, o) => (Native.sdrs_pg_failover(out nint j, h, id, o, out ErrorHandle e), j, e), cancellationToken);

    /// <summary>Planned failover (reverse-server-group); returns the job id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="priorityStation">"source" or "target": the site that becomes production.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> PlannedFailoverAsync(string groupId, string priorityStation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        ArgumentNullException.ThrowIfNull(priorityStation);
        return Run(opts =>
        {
            int rc = Native.sdrs_pg_planned_failover(out nint jobId, _handle, groupId, priorityStation, opts, out ErrorHandle err);
            return TakeJobId(rc, jobId, err, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Reads one page of groups (spec 4.2).</summary>
    /// <param name="options">Filters, limit and offset; null for the service defaults.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ProtectionGroupPage> ListProtectionGroupsAsync(ListOptions? options = null, CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            using PgListOptsHandle lopts = BuildListOpts(options);
            int rc = Native.sdrs_pg_list_get(out PgListHandle list, _handle, lopts, opts, out ErrorHandle err);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                int n = checked((int)Native.sdrs_pg_list_size(lease.Pointer));
                var groups = new List<ProtectionGroup>(n);
                for (int i = 0; i < n; i++)
                {
                    nint p = Native.sdrs_pg_list_at(lease.Pointer, (nuint)i);
                    if (p != 0)
                    {
                        groups.Add(ProtectionGroup.Read(p));
                    }
                }

                return new ProtectionGroupPage(groups, Conv.Count(Native.sdrs_pg_list_count(lease.Pointer)));
            }
        }, cancellationToken);

    /// <summary>
    /// Enumerates every matching group, fetching pages with limit/offset as it goes
    /// (page size from <see cref="ListOptions.Limit"/>, start at <see cref="ListOptions.Offset"/>).
    /// </summary>
    /// <param name="options">Filters and paging; null for all groups.</param>
    /// <param name="cancellationToken">Aborts the enumeration.</param>
    public async IAsyncEnumerable<ProtectionGroup> ListAllProtectionGroupsAsync(ListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The native iterator uses the client: keep it referenced until the iterator is freed.
        ClientLease clientLease = Acquire();
        try
        {
            PgIterHandle iter;
            using (PgListOptsHandle lopts = BuildListOpts(options))
            {
                // The iterator copies the options and sends nothing yet.
                int rc = Native.sdrs_pg_iter_new(out iter, _handle, lopts, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
            }

            using (iter)
            {
                while (true)
                {
                    ProtectionGroup? next = await Run(opts =>
                    {
                        using var lease = new HandleLease(iter);
                        int rc = Native.sdrs_pg_iter_next(out nint pg, iter, opts, out ErrorHandle err);
                        Errors.Check(rc, err, cancellationToken);
                        // The borrowed group lives until the next call on the iterator: copy it now.
                        return pg == 0 ? null : ProtectionGroup.Read(pg);
                    }, cancellationToken).ConfigureAwait(false);
                    if (next is null)
                    {
                        yield break;
                    }

                    yield return next;
                }
            }
        }
        finally
        {
            clientLease.Release();
        }
    }

    // ---------------------------------------------------------------- jobs

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

    // ---------------------------------------------------------------- domains and versions

    /// <summary>Lists the active-active domains of the project (spec 3).</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<DomainList> ListDomainsAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_domain_list_get(out DomainListHandle list, _handle, opts, out ErrorHandle err);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                int n = checked((int)Native.sdrs_domain_list_size(lease.Pointer));
                var domains = new List<Domain>(n);
                for (int i = 0; i < n; i++)
                {
                    nint d = Native.sdrs_domain_list_at(lease.Pointer, (nuint)i);
                    if (d != 0)
                    {
                        domains.Add(Domain.Read(d));
                    }
                }

                return new DomainList(domains, Native.Str(Native.sdrs_domain_list_json(lease.Pointer)));
            }
        }, cancellationToken);

    /// <summary>Lists every API version the endpoint serves (GET /).</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<IReadOnlyList<ApiVersion>> ListApiVersionsAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<ApiVersion>>(opts =>
        {
            int rc = Native.sdrs_apiversion_list_get(out ApiVersionListHandle list, _handle, opts, out ErrorHandle err);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                int n = checked((int)Native.sdrs_apiversion_list_size(lease.Pointer));
                var versions = new List<ApiVersion>(n);
                for (int i = 0; i < n; i++)
                {
                    nint v = Native.sdrs_apiversion_list_at(lease.Pointer, (nuint)i);
                    if (v != 0)
                    {
                        versions.Add(ApiVersion.Read(v));
                    }
                }

                return versions;
            }
        }, cancellationToken);

    /// <summary>Reads one API version (GET /{versionId}).</summary>
    /// <param name="versionId">E.g. "v1".</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ApiVersion> GetApiVersionAsync(string versionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versionId);
        return Run(opts =>
        {
            int rc = Native.sdrs_apiversion_get(out ApiVersionHandle version, _handle, versionId, opts, out ErrorHandle err);
            using (version)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(version);
                return ApiVersion.Read(lease.Pointer);
            }
        }, cancellationToken);
    }

    // ---------------------------------------------------------------- plumbing

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Runs a short blocking call on the thread pool with call options bound to the token.</summary>
    private Task<T> Run<T>(Func<CallOptsHandle, T> body, CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            ThrowIfDisposed();
            return Task.FromCanceled<T>(token);
        }

        ClientLease lease = Acquire();
        Task<T> task = Task.Factory.StartNew(
            () =>
            {
                if (!token.CanBeCanceled)
                {
                    return body(_sharedCallOpts);
                }

                using CancelHandle cancel = NewCancel();
                using CallOptsHandle opts = NewCallOpts(cancel);
                using (Register(cancel, token))
                {
                    return body(opts);
                }
            },
            token,
            TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);
        return ReleaseWhenDone(task, lease);
    }

    /// <summary>Runs a long blocking call (a wait) on its own thread with a cancel token bound to the token.</summary>
    private Task<T> RunLong<T>(Func<CancelHandle, T> body, CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            ThrowIfDisposed();
            return Task.FromCanceled<T>(token);
        }

        ClientLease lease = Acquire();
        Task<T> task = Task.Factory.StartNew(
            () =>
            {
                using CancelHandle cancel = NewCancel();
                using (Register(cancel, token))
                {
                    return body(cancel);
                }
            },
            token,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);
        return ReleaseWhenDone(task, lease);
    }

    /// <summary>
    /// References the native client (and the shared call options) from the moment a call is
    /// started, so a Dispose() racing a queued call neither fails it nor frees the client under it.
    /// Throws ObjectDisposedException after Dispose().
    /// </summary>
    private ClientLease Acquire()
    {
        ThrowIfDisposed();
        var lease = new ClientLease(_handle, _sharedCallOpts);
        try
        {
            _handle.DangerousAddRef(ref lease.ClientAdded);
            _sharedCallOpts.DangerousAddRef(ref lease.OptsAdded);
            return lease;
        }
        catch
        {
            lease.Release();
            throw;
        }
    }

    private static async Task<T> ReleaseWhenDone<T>(Task<T> task, ClientLease lease)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            lease.Release();
        }
    }

    private sealed class ClientLease(ClientHandle client, CallOptsHandle opts)
    {
        internal bool ClientAdded;
        internal bool OptsAdded;

        internal void Release()
        {
            if (OptsAdded)
            {
                OptsAdded = false;
                opts.DangerousRelease();
            }

            if (ClientAdded)
            {
                ClientAdded = false;
                client.DangerousRelease();
            }
        }
    }

    private static CancellationTokenRegistration Register(CancelHandle cancel, CancellationToken token) =>
        // Disposing the registration waits for a running callback, so the trigger never races the free.
        token.UnsafeRegister(static s => Native.sdrs_cancel_trigger((CancelHandle)s!), cancel);

    private Task<string> JobCall(string groupId, Func<ClientHandle, string, CallOptsHandle, (int Rc, nint JobId, ErrorHandle Err)> call, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        return Run(opts =>
        {
            (int rc, nint jobId, ErrorHandle err) = call(_handle, groupId, opts);
            return TakeJobId(rc, jobId, err, token);
        }, token);
    }

    private static string TakeJobId(int rc, nint jobId, ErrorHandle err, CancellationToken token)
    {
        string? id = Native.TakeString(jobId);
        if (rc != 0)
        {
            throw Errors.Create(rc, err, token);
        }

        err.Dispose();
        return id ?? throw new InvalidOperationException("libsdrs returned no job id");
    }

    private static ProtectionGroup TakeGroup(int rc, PgHandle pg, ErrorHandle err, CancellationToken token)
    {
        using (pg)
        {
            Errors.Check(rc, err, token);
            return ProtectionGroup.Read(pg);
        }
    }

    private static CancelHandle NewCancel()
    {
        int rc = Native.sdrs_cancel_new(out CancelHandle cancel, out ErrorHandle err);
        Errors.Check(rc, err);
        return cancel;
    }

    private CallOptsHandle NewCallOpts(CancelHandle? cancel)
    {
        int rc = Native.sdrs_call_opts_new(out CallOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            if (_callTimeoutMs > 0)
            {
                Errors.Check(Native.sdrs_call_opts_set_timeout_ms(opts, _callTimeoutMs, out err), err);
            }

            if (cancel is not null)
            {
                Errors.Check(Native.sdrs_call_opts_set_cancel(opts, cancel, out err), err);
            }

            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }

    private static PgSpecHandle BuildSpec(CreateProtectionGroupRequest r)
    {
        int rc = Native.sdrs_pg_spec_new(out PgSpecHandle spec, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            Errors.Check(Native.sdrs_pg_spec_set_name(spec, r.Name, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_source_az(spec, r.SourceAvailabilityZone, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_target_az(spec, r.TargetAvailabilityZone, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_domain_id(spec, r.DomainId, out err), err);
            Errors.Check(Native.sdrs_pg_spec_set_source_vpc_id(spec, r.SourceVpcId, out err), err);
            if (r.Description is not null)
            {
                Errors.Check(Native.sdrs_pg_spec_set_description(spec, r.Description, out err), err);
            }

            if (r.DrType is not null)
            {
                Errors.Check(Native.sdrs_pg_spec_set_dr_type(spec, r.DrType, out err), err);
            }

            if (r.ServerType is not null)
            {
                Errors.Check(Native.sdrs_pg_spec_set_server_type(spec, r.ServerType, out err), err);
            }

            return spec;
        }
        catch
        {
            spec.Dispose();
            throw;
        }
    }

    private static PgListOptsHandle BuildListOpts(ListOptions? o)
    {
        int rc = Native.sdrs_pg_list_opts_new(out PgListOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        if (o is null)
        {
            return opts;
        }

        try
        {
            if (o.Limit is { } limit)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_limit(opts, limit, out err), err);
            }

            if (o.Offset is { } offset)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_offset(opts, offset, out err), err);
            }

            if (o.Status is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_status(opts, o.Status, out err), err);
            }

            if (o.Name is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_name(opts, o.Name, out err), err);
            }

            if (o.QueryType is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_query_type(opts, o.QueryType, out err), err);
            }

            if (o.AvailabilityZone is not null)
            {
                Errors.Check(Native.sdrs_pg_list_opts_set_availability_zone(opts, o.AvailabilityZone, out err), err);
            }

            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
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

    private static long Milliseconds(TimeSpan t, string name)
    {
        if (t < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, t, "must not be negative");
        }

        // Round up so a tiny positive span never becomes 0 ("no deadline").
        return (long)Math.Ceiling(t.TotalMilliseconds);
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
