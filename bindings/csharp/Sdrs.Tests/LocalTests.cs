using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>Tests that need the library but no server.</summary>
public class LocalTests
{
    private static SdrsClientOptions Offline => new()
    {
        // Nothing listens here and nothing is sent by these tests.
        Endpoint = "http://127.0.0.1:9",
        ProjectId = Emulator.ProjectId,
        Token = Emulator.Token,
        AllowHttp = true,
    };

    [Fact]
    public void VersionAndStaticStrings()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", SdrsLibrary.Version);
        Assert.True(SdrsLibrary.VersionNumber >= SdrsLibrary.MinimumVersionNumber);
        Assert.Equal("SDRS_ENOTFOUND", SdrsLibrary.ErrorName((int)SdrsErrorCode.NotFound));
        Assert.Equal("SDRS_ECANCELED", SdrsLibrary.ErrorName(-10));
        Assert.Equal("SDRS_UNKNOWN", SdrsLibrary.ErrorName(-12345));
        Assert.False(string.IsNullOrEmpty(SdrsLibrary.StrError(-5)));
        Assert.False(string.IsNullOrEmpty(SdrsLibrary.StrError(-12345)));
        Assert.Equal("failed-over", ProtectionGroup.StatusName(ProtectionGroupStatus.FailedOver));
        Assert.Equal("error-failing-over", ProtectionGroup.StatusName(ProtectionGroupStatus.ErrorFailingOver));
        Assert.Equal("unknown", ProtectionGroup.StatusName((ProtectionGroupStatus)999));
        Assert.Equal("SUCCESS", Job.StatusName(JobState.Success));
        Assert.Equal("UNKNOWN", Job.StatusName((JobState)42));
    }

    [Fact]
    public void DisposeTwiceIsHarmlessAndUseAfterDisposeThrows()
    {
        var client = new SdrsClient(Offline);
        client.Dispose();
        client.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = client.GetProtectionGroupAsync("x"); });
        Assert.True(client.Handle.IsClosed);
    }

    [Fact]
    public void PlainHttpNeedsAllowHttp()
    {
        var ex = Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { AllowHttp = false }));
        Assert.Equal(SdrsErrorCode.Validation, ex.Code);
        Assert.Equal(0, ex.Attempts);
    }

    [Fact]
    public void MissingSettingIsNamed()
    {
        var ex = Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { ProjectId = "a/b" }));
        Assert.Contains("project_id", ex.Message);
    }

    [Fact]
    public void EverySettingIsPassedAndChecked()
    {
        // Valid values for every setting are accepted.
        using (new SdrsClient(Offline with
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            RequestTimeout = TimeSpan.FromSeconds(20),
            CallTimeout = TimeSpan.FromSeconds(30),
            UserAgentSuffix = "sdrs-dotnet-tests/1.0",
            MaxResponseBytes = 1 << 20,
            Log = (_, _) => { },
            LogLevel = SdrsLogLevel.Debug,
        }))
        {
        }

        // Out-of-range values are rejected by the library's setters.
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { ConnectTimeout = TimeSpan.FromHours(2) }));
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { RequestTimeout = TimeSpan.FromDays(2) }));
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { MaxResponseBytes = 10 }));
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { UserAgentSuffix = "bad\nvalue" }));
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { CaFile = "/nonexistent/ca.pem" }));
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(Offline with { Token = "" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdrsClient(Offline with { CallTimeout = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public async Task WaitOptionsAreChecked()
    {
        using var client = new SdrsClient(Offline);
        // Rejected by the wait_opts setters before anything is sent.
        await Assert.ThrowsAsync<SdrsValidationException>(() => client.WaitForJobAsync("abc", new WaitOptions { MultiplierPercent = 50 }));
        await Assert.ThrowsAsync<SdrsValidationException>(() => client.WaitForJobAsync("abc", new WaitOptions { JitterPercent = 101 }));
        await Assert.ThrowsAsync<SdrsValidationException>(() => client.WaitForJobAsync("abc", new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(1) }));
        await Assert.ThrowsAsync<SdrsValidationException>(() => client.ListProtectionGroupsAsync(new ListOptions { Offset = -1 }));
        await Assert.ThrowsAsync<SdrsValidationException>(() => client.ListProtectionGroupsAsync(new ListOptions { Limit = 1001 }));
    }

    [Fact]
    public void InvalidArgumentMapsToValidationException()
    {
        Assert.Equal(0, Native.sdrs_config_new(out ConfigHandle cfg, out ErrorHandle err));
        using (cfg)
        using (err)
        {
            int rc = Native.sdrs_config_set_endpoint(cfg, null, out ErrorHandle e2);
            Assert.Equal((int)SdrsErrorCode.InvalidArgument, rc);
            Exception ex = Errors.Create(rc, e2, CancellationToken.None);
            Assert.True(e2.IsClosed, "the error handle is freed once read");
            var v = Assert.IsType<SdrsValidationException>(ex);
            Assert.Equal(SdrsErrorCode.InvalidArgument, v.Code);
            Assert.False(string.IsNullOrEmpty(v.Detail.Message));
        }
    }

    [Fact]
    public void ErrorCodesMapToExceptionTypes()
    {
        static Exception Map(SdrsErrorCode c) =>
            Errors.Create(new SdrsErrorDetail((int)c, "m", 0, null, null, null, null, null, false, 0), CancellationToken.None);
        Assert.IsType<SdrsNotFoundException>(Map(SdrsErrorCode.NotFound));
        Assert.IsType<SdrsConflictException>(Map(SdrsErrorCode.Conflict));
        Assert.IsType<SdrsAuthException>(Map(SdrsErrorCode.Auth));
        Assert.IsType<SdrsForbiddenException>(Map(SdrsErrorCode.Forbidden));
        Assert.IsType<SdrsValidationException>(Map(SdrsErrorCode.Validation));
        Assert.IsType<SdrsValidationException>(Map(SdrsErrorCode.InvalidArgument));
        Assert.IsType<SdrsValidationException>(Map(SdrsErrorCode.Request));
        Assert.IsType<SdrsTimeoutException>(Map(SdrsErrorCode.Timeout));
        Assert.IsType<SdrsJobFailedException>(Map(SdrsErrorCode.JobFailed));
        Assert.IsType<SdrsRateLimitException>(Map(SdrsErrorCode.RateLimit));
        Assert.IsType<SdrsServerException>(Map(SdrsErrorCode.Server));
        Assert.IsType<SdrsTransportException>(Map(SdrsErrorCode.Transport));
        Assert.IsType<SdrsTransportException>(Map(SdrsErrorCode.Tls));
        Assert.IsType<SdrsQuotaException>(Map(SdrsErrorCode.Quota));
        Assert.IsType<SdrsException>(Map(SdrsErrorCode.Protocol));
        Assert.IsType<SdrsException>(Map((SdrsErrorCode)(-99)));
        Assert.IsType<OperationCanceledException>(Map(SdrsErrorCode.Canceled));
    }

    [Fact]
    public async Task CanceledBeforeStartThrowsAtOnce()
    {
        using var client = new SdrsClient(Offline);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitForJobAsync("abc", null, null, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.ListDomainsAsync(cts.Token));
    }

    [Fact]
    public async Task TransportFailureIsTransportException()
    {
        // Port 9 (discard) on loopback: connection refused, no traffic leaves the machine.
        using var client = new SdrsClient(Offline with { ConnectTimeout = TimeSpan.FromSeconds(2), CallTimeout = TimeSpan.FromSeconds(5) });
        var ex = await Assert.ThrowsAnyAsync<SdrsException>(() => client.ListDomainsAsync());
        Assert.True(ex is SdrsTransportException or SdrsTimeoutException, ex.ToString());
        Assert.Equal(0, ex.HttpStatus);
    }

    [Fact]
    public void CancelTokenTriggerAndReset()
    {
        Assert.Equal(0, Native.sdrs_cancel_new(out CancelHandle cancel, out ErrorHandle err));
        err.Dispose();
        using (cancel)
        {
            Assert.Equal(0, Native.sdrs_cancel_is_triggered(cancel));
            Native.sdrs_cancel_trigger(cancel);
            Native.sdrs_cancel_trigger(cancel);
            Assert.Equal(1, Native.sdrs_cancel_is_triggered(cancel));
            Native.sdrs_cancel_reset(cancel);
            Assert.Equal(0, Native.sdrs_cancel_is_triggered(cancel));
        }
    }

    [Fact]
    public void HandleFinalizedWithoutDisposeIsReported()
    {
        var seen = new ConcurrentQueue<string>();
        void OnLeak(string type) => seen.Enqueue(type);
        SdrsDiagnostics.LeakedHandleFinalized += OnLeak;
        try
        {
            long before = SdrsDiagnostics.LeakedHandleCount;
            LeakOneHandle();
            for (int i = 0; i < 10 && !seen.Contains(nameof(WaitOptsHandle)); i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.Contains(nameof(WaitOptsHandle), seen);
            Assert.True(SdrsDiagnostics.LeakedHandleCount > before);
        }
        finally
        {
            SdrsDiagnostics.LeakedHandleFinalized -= OnLeak;
        }
    }

    [Fact]
    public void DisposedHandleIsNotReported()
    {
        var seen = new ConcurrentQueue<string>();
        void OnLeak(string type) => seen.Enqueue(type);
        SdrsDiagnostics.LeakedHandleFinalized += OnLeak;
        try
        {
            DisposeOneHandle();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            // The binding disposes every PgListOptsHandle it creates, so none may be reported.
            Assert.DoesNotContain(nameof(PgListOptsHandle), seen);
        }
        finally
        {
            SdrsDiagnostics.LeakedHandleFinalized -= OnLeak;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeakOneHandle()
    {
        Assert.Equal(0, Native.sdrs_wait_opts_new(out WaitOptsHandle opts, out ErrorHandle err));
        err.Dispose();
        Assert.False(opts.IsInvalid);
        // opts is dropped here without Dispose on purpose.
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DisposeOneHandle()
    {
        Assert.Equal(0, Native.sdrs_pg_list_opts_new(out PgListOptsHandle opts, out ErrorHandle err));
        err.Dispose();
        opts.Dispose();
        opts.Dispose();
    }
}
