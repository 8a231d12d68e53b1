using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Sdrs.Tests;

/// <summary>
/// Create*AndWaitAsync as create, watcher wait and get (no thread held for the job): results,
/// FAIL, one deadline over the three steps, cancellation, a lost create.
/// </summary>
public class CreateAndWaitTests(WatcherEmulatorFixture emu) : IClassFixture<WatcherEmulatorFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private async Task WithFault(string json, Func<Task> body)
    {
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/faults", json);
        try
        {
            await body();
        }
        finally
        {
            await emu.AdminAsync(HttpMethod.Delete, "/_emulator/faults");
        }
    }

    [Fact]
    public async Task ReturnsTheGroupTheJobNames()
    {
        await emu.SetJobTimes(20, 80);
        using SdrsClient client = emu.NewClient();
        string name = Emulator.UniqueName("cs-caw-");
        ProtectionGroup pg = await client.CreateProtectionGroupAndWaitAsync(Emulator.Request(name), Emulator.FastWait).WaitAsync(Bound);
        Assert.Equal(name, pg.Name);
        ProtectionGroup again = await client.GetProtectionGroupAsync(pg.Id!);
        Assert.Equal(name, again.Name);
    }

    [Fact]
    public async Task FailIsJobFailedWithTheLibrarysMessage()
    {
        await emu.SetJobTimes(20, 80);
        using SdrsClient client = emu.NewClient();
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/fail-next-jobs", "{\"count\":1,\"error_code\":\"SDRS.1030\",\"fail_reason\":\"caw test failure\"}");
        var ex = await Assert.ThrowsAsync<SdrsJobFailedException>(() =>
            client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-fail-")), Emulator.FastWait).WaitAsync(Bound));
        Assert.Equal(SdrsErrorCode.JobFailed, ex.Code);
        Assert.Equal("SDRS.1030", ex.ApiCode);
        Assert.Equal("caw test failure", ex.FailReason);
        Assert.False(string.IsNullOrEmpty(ex.JobId));
        // sdrs_pg_create_and_wait's words (libsdrs' job_failure).
        Assert.Equal($"SDRS_EJOBFAILED: job {ex.JobId} (createProtectionGroupNoCG) failed: SDRS.1030: caw test failure", ex.Message);
        Assert.Equal(JobState.Fail, ex.Job?.Status);
    }

    [Fact]
    public async Task TheBlockingFormGivesTheSameResultsAndErrors()
    {
        await emu.SetJobTimes(20, 80);
        using SdrsClient client = emu.NewClient();
        string name = Emulator.UniqueName("cs-caw-sync-");
        ProtectionGroup pg = await Task.Run(() => client.CreateProtectionGroupAndWait(Emulator.Request(name), Emulator.FastWait)).WaitAsync(Bound);
        Assert.Equal(name, pg.Name);

        await emu.AdminAsync(HttpMethod.Post, "/_emulator/fail-next-jobs", "{\"count\":2,\"error_code\":\"SDRS.1030\",\"fail_reason\":\"both forms\"}");
        var blocking = await Assert.ThrowsAsync<SdrsJobFailedException>(() =>
            Task.Run(() => client.CreateProtectionGroupAndWait(Emulator.Request(Emulator.UniqueName("cs-caw-sync-fail-")), Emulator.FastWait)).WaitAsync(Bound));
        var watched = await Assert.ThrowsAsync<SdrsJobFailedException>(() =>
            client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-async-fail-")), Emulator.FastWait).WaitAsync(Bound));
        Assert.Equal(blocking.Message.Replace(blocking.JobId!, "JOB", StringComparison.Ordinal), watched.Message.Replace(watched.JobId!, "JOB", StringComparison.Ordinal));
        Assert.Equal((blocking.Code, blocking.ApiCode, blocking.FailReason, blocking.Retryable), (watched.Code, watched.ApiCode, watched.FailReason, watched.Retryable));

        // A lost create: the same exception from both forms.
        string lostName = Emulator.UniqueName("cs-caw-lost2-");
        var lost = new SdrsTransportException[2];
        for (int i = 0; i < 2; i++)
        {
            bool sync = i == 0;
            await WithFault("{\"route\":\"POST /server-groups\",\"kind\":\"close_before\",\"count\":1}", async () =>
                lost[i] = await Assert.ThrowsAsync<SdrsTransportException>(() => sync
                    ? Task.Run(() => client.CreateProtectionGroupAndWait(Emulator.Request(lostName), Emulator.FastWait))
                    : client.CreateProtectionGroupAndWaitAsync(Emulator.Request(lostName), Emulator.FastWait)));
        }

        // The transport's words for the closed connection depend on whether it was a reused one;
        // the rest of the message is the same.
        foreach (SdrsTransportException e in lost)
        {
            Assert.Contains("the service may have acted on it", e.Message, StringComparison.Ordinal);
            Assert.EndsWith($"sdrs_pg_find_created looks for a group named '{lostName}' created since the request was sent", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal((lost[0].Code, lost[0].OutcomeUnknown, lost[0].Retryable, lost[0].Attempts), (lost[1].Code, lost[1].OutcomeUnknown, lost[1].Retryable, lost[1].Attempts));
    }

    [Fact]
    public async Task DeadlineCoversCreateAndWait()
    {
        await emu.SetJobTimes(60000, 60000);
        using SdrsClient client = emu.NewClient();
        var wait = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMilliseconds(400) };
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<SdrsTimeoutException>(() =>
            client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-dl-")), wait).WaitAsync(Bound));
        Assert.Equal(SdrsErrorCode.Timeout, ex.Code);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(10));

        // A create answered after 1 s leaves the wait 0.5 s of a 1.5 s deadline, not 1.5 s more.
        wait = wait with { Timeout = TimeSpan.FromMilliseconds(1500) };
        await WithFault("{\"route\":\"POST /server-groups\",\"kind\":\"delay\",\"delay_ms\":1000,\"count\":1}", async () =>
        {
            sw.Restart();
            await Assert.ThrowsAsync<SdrsTimeoutException>(() =>
                client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-dl2-")), wait).WaitAsync(Bound));
            Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(1400), TimeSpan.FromMilliseconds(2300));
        });

        // A create slower than the whole deadline ends at the deadline.
        wait = wait with { Timeout = TimeSpan.FromMilliseconds(500) };
        await WithFault("{\"route\":\"POST /server-groups\",\"kind\":\"delay\",\"delay_ms\":3000,\"count\":1}", async () =>
        {
            sw.Restart();
            await Assert.ThrowsAnyAsync<SdrsException>(() =>
                client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-dl3-")), wait).WaitAsync(Bound));
            Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(2000));
        });
    }

    [Fact]
    public async Task CancellationEndsTheWaitPromptly()
    {
        await emu.SetJobTimes(60000, 60000);
        using SdrsClient client = emu.NewClient();
        long creates = await emu.Stat("api_requests");
        using var cts = new CancellationTokenSource();
        Task<ProtectionGroup> t = client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-cancel-")),
            new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(100) }, cts.Token);
        // Past the create: the job is being polled.
        var sw = Stopwatch.StartNew();
        while (await emu.Stat("api_requests") < creates + 3 && sw.Elapsed < Bound)
        {
            await Task.Delay(20);
        }

        Assert.False(t.IsCompleted);
        sw.Restart();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(t.IsCanceled);
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(500), $"cancel took {sw.Elapsed.TotalMilliseconds:F1} ms");

        // Canceled before the call: nothing is sent.
        long before = await emu.Stat("api_requests");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-pre-")), null, cts.Token));
        Assert.Equal(before, await emu.Stat("api_requests"));
    }

    [Fact]
    public async Task DisposingTheClientDuringTheCreateLetsTheCallFinish()
    {
        await emu.SetJobTimes(20, 80);
        var client = emu.NewClient();
        string name = Emulator.UniqueName("cs-caw-disp-");
        await WithFault("{\"route\":\"POST /server-groups\",\"kind\":\"delay\",\"delay_ms\":500,\"count\":1}", async () =>
        {
            Task<ProtectionGroup> t = client.CreateProtectionGroupAndWaitAsync(Emulator.Request(name), Emulator.FastWait);
            await Task.Delay(200);
            Assert.False(t.IsCompleted);
            // Calls in flight run to their end; the wait after the create is part of this one.
            client.Dispose();
            ProtectionGroup pg = await t.WaitAsync(Bound);
            Assert.Equal(name, pg.Name);
        });
        Assert.True(client.Handle.IsClosed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CreateProtectionGroupAndWaitAsync(Emulator.Request(name), Emulator.FastWait));
    }

    [Fact]
    public async Task ALostCreateKeepsItsUnknownOutcome()
    {
        await emu.SetJobTimes(20, 80);
        using SdrsClient client = emu.NewClient();
        await WithFault("{\"route\":\"POST /server-groups\",\"kind\":\"close_before\",\"count\":1}", async () =>
        {
            var ex = await Assert.ThrowsAsync<SdrsTransportException>(() =>
                client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-lost-")), Emulator.FastWait).WaitAsync(Bound));
            Assert.True(ex.OutcomeUnknown);
            Assert.False(ex.Retryable);
            Assert.Equal(1, ex.Attempts);
            Assert.NotNull(ex.SentAt);
            Assert.Contains("may have", ex.Message);
        });
    }
}

/// <summary>Which job entity names the created resource (libsdrs' created_entity_id).</summary>
public class CreatedEntityIdTests
{
    [Fact]
    public void TheJobsOwnEntityThenASubJobsElseProtocolError()
    {
        var job = new Job
        {
            Id = "j1",
            Entities = new Dictionary<string, string> { ["other"] = "x" },
            SubJobs =
            [
                new Job(),
                new Job { Entities = new Dictionary<string, string> { ["server_group_id"] = "from-sub" } },
                new Job { Entities = new Dictionary<string, string> { ["server_group_id"] = "later-sub" } },
            ],
        };
        Assert.Equal("from-sub", SdrsClient.CreatedEntityId(job, "server_group_id"));
        Assert.Equal("top", SdrsClient.CreatedEntityId(job with { Entities = new Dictionary<string, string> { ["server_group_id"] = "top" } }, "server_group_id"));
        var ex = Assert.ThrowsAny<SdrsException>(() => SdrsClient.CreatedEntityId(job, "replication_pair_id"));
        Assert.Equal(SdrsErrorCode.Protocol, ex.Code);
        Assert.Equal("SDRS_EPROTOCOL: job j1 succeeded without entities.replication_pair_id", ex.Message);
    }
}

/// <summary>300 concurrent create-and-waits hold no thread each (alone: other tests' threads would blur the count).</summary>
[Collection("watcher-threads")]
public class CreateAndWaitThreadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeHundredCreateAndWaitsKeepTheProcessThreadsLow()
    {
        using var emu = new WatcherEmulatorFixture();
        await emu.SetJobTimes(1500, 1500);
        using var client = new SdrsClient(emu.Options() with { JobWatcherOptions = new JobWatcherOptions { MaxPollsPerSecond = 2000, MaxInFlight = 16 } });
        // Start the pool and the watcher first so that they do not count as growth.
        await WatcherEmulatorFixture.CreateJobs(client, 8, "cs-caw-warm-");
        await client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-warm-")), Emulator.FastWait);
        int before;
        using (Process self = Process.GetCurrentProcess())
        {
            before = self.Threads.Count;
        }

        const int n = 300;
        var wait = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(500), MaxInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMinutes(2) };
        Task<ProtectionGroup>[] waits = [.. Enumerable.Range(0, n).Select(_ => client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-caw-thr-")), wait))];
        Task<ProtectionGroup[]> all = Task.WhenAll(waits);
        int max = before;
        var sw = Stopwatch.StartNew();
        while (!all.IsCompleted && sw.Elapsed < TimeSpan.FromSeconds(90))
        {
            using (Process self = Process.GetCurrentProcess())
            {
                max = Math.Max(max, self.Threads.Count);
            }

            await Task.WhenAny(all, Task.Delay(50));
        }

        ProtectionGroup[] done = await all.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{n} create-and-waits: threads before {before}, max while waiting {max}, {sw.Elapsed.TotalSeconds:F1} s");
        Assert.All(done, pg => Assert.False(string.IsNullOrEmpty(pg.Id)));
        Assert.Equal(n, done.Select(pg => pg.Id).Distinct().Count());
        // A thread per wait (the former LongRunning task) would add 300.
        Assert.True(max - before <= 64, $"threads grew from {before} to {max}");
    }
}
