using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Sdrs.Tests;

/// <summary>An emulator of the watcher tests alone: they change its job durations and token lifetime.</summary>
public sealed class WatcherEmulatorFixture : Emulator
{
    public WatcherEmulatorFixture()
        : base(jobInitMs: 20, jobRunMs: 80)
    {
    }

    /// <summary>Durations of the jobs created from now on.</summary>
    public Task SetJobTimes(int initMs, int runMs) =>
        AdminAsync(HttpMethod.Post, "/_emulator/config", $"{{\"job_init_ms\":{initMs},\"job_run_ms\":{runMs}}}");

    public async Task<long> Stat(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(await AdminAsync(HttpMethod.Get, "/_emulator/stats"));
        return doc.RootElement.GetProperty(name).GetInt64();
    }

    /// <summary>Creates n group-create jobs, a few at a time (each create holds a pool thread).</summary>
    public static async Task<string[]> CreateJobs(SdrsClient client, int n, string prefix = "cs-watch-")
    {
        var ids = new List<string>(n);
        for (int i = 0; i < n; i += 8)
        {
            ids.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(8, n - i))
                .Select(_ => client.CreateProtectionGroupAsync(Request(UniqueName(prefix))))));
        }

        return [.. ids];
    }
}

/// <summary>Synchronous progress that records the thread of each report.</summary>
internal sealed class ThreadRecorder : IProgress<JobStatus>
{
    public ConcurrentQueue<(int Thread, JobState State)> Items { get; } = new();

    public void Report(JobStatus value) => Items.Enqueue((Environment.CurrentManagedThreadId, value.State));
}

/// <summary>WaitForJobAsync through the job watcher (sdrs_watcher), and the public JobWatcher.</summary>
public class WatcherTests(WatcherEmulatorFixture emu, ITestOutputHelper output) : IClassFixture<WatcherEmulatorFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static WaitOptions Fast => new()
    {
        InitialInterval = TimeSpan.FromMilliseconds(20),
        MaxInterval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task SuccessThroughTheClientAndThroughAWatcher()
    {
        await emu.SetJobTimes(20, 200);
        using SdrsClient client = emu.NewClient();
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 2);
        var progress = new Recorder<JobStatus>();
        Job viaClient = await client.WaitForJobAsync(jobs[0], Fast, progress).WaitAsync(Bound);
        Assert.Equal(JobState.Success, viaClient.Status);
        Assert.Equal(jobs[0], viaClient.Id);
        Assert.False(string.IsNullOrEmpty(viaClient.ServerGroupId));
        Assert.NotEmpty(progress.Items);
        Assert.Equal(JobState.Success, progress.Items.Last().State);

        using var watcher = new JobWatcher(client, new JobWatcherOptions { MaxPollsPerSecond = 50, MaxInFlight = 2 });
        Assert.Equal(JobWatcherDispatch.Thread, watcher.DispatchMode);
        Job viaWatcher = await watcher.WaitForJobAsync(jobs[1], Fast).WaitAsync(Bound);
        Assert.Equal(JobState.Success, viaWatcher.Status);
        Assert.Equal(jobs[1], viaWatcher.Id);
        Assert.Equal(1, watcher.AddedCount);
        Assert.Equal(1, watcher.CompletedCount);
        Assert.Equal(0, watcher.Pending);

        // The blocking form (sdrs_job_wait) gives the same job.
        Job blocking = await Task.Run(() => client.WaitForJob(jobs[1], Fast));
        Assert.Equal(viaWatcher.Id, blocking.Id);
        Assert.Equal(JobState.Success, blocking.Status);
    }

    [Fact]
    public async Task FailCarriesTheJobsErrorCode()
    {
        await emu.SetJobTimes(20, 80);
        using SdrsClient client = emu.NewClient();
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/fail-next-jobs", "{\"count\":2,\"error_code\":\"SDRS.1030\",\"fail_reason\":\"watcher test failure\"}");
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 2);
        using var watcher = new JobWatcher(client);
        foreach (Func<Task<Job>> wait in new Func<Task<Job>>[] { () => client.WaitForJobAsync(jobs[0], Fast), () => watcher.WaitForJobAsync(jobs[1], Fast) })
        {
            var ex = await Assert.ThrowsAsync<SdrsJobFailedException>(() => wait().WaitAsync(Bound));
            Assert.Equal(SdrsErrorCode.JobFailed, ex.Code);
            Assert.Equal("SDRS.1030", ex.ApiCode);
            Assert.Equal("watcher test failure", ex.FailReason);
            Assert.NotNull(ex.Job);
            Assert.Equal(JobState.Fail, ex.Job!.Status);
            Assert.Equal("SDRS.1030", ex.Job.ErrorCode);
            Assert.Contains(ex.JobId, jobs);
        }
    }

    [Fact]
    public async Task DeadlineIsTimeoutException()
    {
        await emu.SetJobTimes(60000, 60000);
        using SdrsClient client = emu.NewClient();
        string jobId = (await WatcherEmulatorFixture.CreateJobs(client, 1))[0];
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<SdrsTimeoutException>(() =>
            client.WaitForJobAsync(jobId, new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMilliseconds(400) }).WaitAsync(Bound));
        Assert.Equal(SdrsErrorCode.Timeout, ex.Code);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CancellationTokenEndsOnlyItsWait()
    {
        await emu.SetJobTimes(1500, 500);
        using SdrsClient client = emu.NewClient();
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 6);
        using var watcher = new JobWatcher(client);
        using var cts = new CancellationTokenSource();
        var slow = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(100), MaxInterval = TimeSpan.FromMilliseconds(200) };
        // One canceled wait through the client and one through the watcher; the others go on.
        Task<Job> canceledClientWait = client.WaitForJobAsync(jobs[0], slow, null, cts.Token);
        Task<Job> canceledWatcherWait = watcher.WaitForJobAsync(jobs[1], slow, null, cts.Token);
        Task<Job>[] others = [.. jobs.Skip(2).Select((id, i) => i % 2 == 0 ? client.WaitForJobAsync(id, slow) : watcher.WaitForJobAsync(id, slow))];
        await Task.Delay(300);
        Assert.False(canceledClientWait.IsCompleted);
        Assert.False(canceledWatcherWait.IsCompleted);

        var sw = Stopwatch.StartNew();
        cts.Cancel();
        foreach (Task<Job> t in new[] { canceledClientWait, canceledWatcherWait })
        {
            var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(cts.Token, ex.CancellationToken);
            Assert.True(t.IsCanceled);
        }

        output.WriteLine($"cancel -> both completed: {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(500), $"cancel took {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.All(others, t => Assert.False(t.IsCompleted));
        Job[] done = await Task.WhenAll(others).WaitAsync(Bound);
        Assert.All(done, j => Assert.Equal(JobState.Success, j.Status));

        // A token canceled before the call: a canceled task, nothing added.
        long added = watcher.AddedCount;
        Task<Job> pre = watcher.WaitForJobAsync(jobs[2], slow, null, cts.Token);
        Assert.True(pre.IsCanceled);
        Assert.Equal(added, watcher.AddedCount);
    }

    [Fact]
    public async Task DisposeWithWaitsPendingCompletesEachExactlyOnce()
    {
        await emu.SetJobTimes(60000, 60000);
        using SdrsClient client = emu.NewClient();
        const int n = 20;
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, n);
        var watcher = new JobWatcher(client);
        int continuations = 0;
        var progress = new Recorder<JobStatus>();
        Task<Job>[] waits = [.. jobs.Select(id => watcher.WaitForJobAsync(id, new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50), MaxInterval = TimeSpan.FromMilliseconds(100) }, progress))];
        Task[] counted = [.. waits.Select(w => w.ContinueWith(_ => Interlocked.Increment(ref continuations), TaskScheduler.Default))];
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (progress.Items.Select(s => s.JobId).Distinct().Count() < n && !giveUp.IsCancellationRequested)
        {
            await Task.Delay(20);
        }

        Assert.Equal(n, watcher.Pending);
        Assert.All(waits, w => Assert.False(w.IsCompleted));

        var sw = Stopwatch.StartNew();
        watcher.Dispose();
        watcher.Dispose();
        await Task.WhenAll(counted).WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"dispose -> {n} waits ended: {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.All(waits, w => Assert.True(w.IsCanceled));
        Assert.Equal(n, watcher.AddedCount);
        Assert.Equal(n, watcher.CompletedCount);
        await Task.Delay(200);
        Assert.Equal(n, Volatile.Read(ref continuations));
        Assert.Equal(n, watcher.CompletedCount);
        Assert.Throws<ObjectDisposedException>(() => { _ = watcher.WaitForJobAsync(jobs[0]); });
        Assert.Throws<ObjectDisposedException>(() => watcher.Pending);
    }

    [Fact]
    public async Task ShutdownEndsPendingWaitsAndRefusesNewOnes()
    {
        await emu.SetJobTimes(60000, 60000);
        using SdrsClient client = emu.NewClient();
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 3);
        using var watcher = new JobWatcher(client);
        Task<Job>[] waits = [.. jobs.Select(id => watcher.WaitForJobAsync(id, Fast))];
        await Task.Delay(200);
        watcher.Shutdown();
        // DISPATCH_THREAD: every callback has run when shutdown returns.
        Assert.Equal(3, watcher.CompletedCount);
        Assert.Equal(0, watcher.Pending);
        foreach (Task<Job> w in waits)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => w.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Task<Job> after = watcher.WaitForJobAsync(jobs[0], Fast);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => after.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(after.IsCanceled);
        Assert.Equal(3, watcher.AddedCount);
        watcher.Shutdown();
    }

    [Fact]
    public async Task DisposingAWatcherFromItsOwnCallback()
    {
        await emu.SetJobTimes(60000, 60000);
        var lines = new ConcurrentQueue<string>();
        var client = new SdrsClient(emu.Options() with { Log = (_, m) => lines.Enqueue(m), LogLevel = SdrsLogLevel.Debug });
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 2);
        var watcher = new JobWatcher(client);
        // The watcher now holds the last reference on the client (and its log sink).
        client.Dispose();
        int reports = 0;
        bool? clientClosedInCallback = null;
        var disposer = new ActionProgress(_ =>
        {
            if (Interlocked.Increment(ref reports) == 1)
            {
                watcher.Dispose(); // on the watcher's own thread: the free runs after this callback
                // The native watcher still runs (and may log through the client's sink), so the
                // client's handle must not be released yet.
                clientClosedInCallback = client.Handle.IsClosed;
            }
        });
        Task<Job> first = watcher.WaitForJobAsync(jobs[0], Fast, disposer);
        Task<Job> second = watcher.WaitForJobAsync(jobs[1], Fast);
        foreach (Task<Job> t in new[] { first, second })
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(2, watcher.CompletedCount);
        Assert.Equal(1, Volatile.Read(ref reports));
        Assert.False(clientClosedInCallback);
        Assert.True(client.Handle.IsClosed || await WaitUntil(() => client.Handle.IsClosed), "the client handle was not released after the watcher");
    }

    private static async Task<bool> WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        return condition();
    }

    [Fact]
    public async Task ContinuationsAndProgressHandlersStartMoreWaits()
    {
        await emu.SetJobTimes(20, 150);
        using SdrsClient client = emu.NewClient();
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 6);

        // A chain: each wait's continuation starts the next one.
        var order = new ConcurrentQueue<string>();
        Task<Job> chain = client.WaitForJobAsync(jobs[0], Fast);
        for (int i = 1; i < 4; i++)
        {
            string next = jobs[i];
            chain = chain.ContinueWith(t =>
            {
                order.Enqueue(t.Result.Id!);
                return client.WaitForJobAsync(next, Fast);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        }

        Job last = await chain.WaitAsync(Bound);
        Assert.Equal(jobs[3], last.Id);
        Assert.Equal(jobs[..3], order.ToArray());

        // A synchronous progress handler adds a wait from inside the watcher's callback.
        Task<Job>? inner = null;
        var adder = new ActionProgress(_ => inner ??= client.WaitForJobAsync(jobs[5], Fast));
        Job outer = await client.WaitForJobAsync(jobs[4], Fast, adder).WaitAsync(Bound);
        Assert.Equal(JobState.Success, outer.Status);
        Assert.NotNull(inner);
        Assert.Equal(jobs[5], (await inner!.WaitAsync(Bound)).Id);
    }

    [Fact]
    public async Task TokenExpiryAndRevocationDuringALongWatch()
    {
        await emu.SetJobTimes(1500, 1500);
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/config", "{\"token_lifetime_ms\":1000}");
        try
        {
            var options = new SdrsClientOptions
            {
                AllowHttp = true,
                AuthUrl = emu.Endpoint,
                Username = "alice",
                Password = "alice-Pa55word-x",
                UserDomainName = "emulator-domain",
                ProjectName = "eu-de_emulator",
                TokenRefreshMargin = TimeSpan.Zero,
            };
            using var client = new SdrsClient(options);
            string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 2);
            long tokensBefore = await emu.Stat("iam_token_requests");
            var poll = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(100), MaxInterval = TimeSpan.FromMilliseconds(200) };
            Task<Job> wait = client.WaitForJobAsync(jobs[0], poll);
            // Midway the service forgets every token too: one 401, a fresh token, one retry.
            await Task.Delay(1200);
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/revoke-tokens", "{}");
            Task<Job> second = client.WaitForJobAsync(jobs[1], poll);
            Job[] done = await Task.WhenAll(wait, second).WaitAsync(Bound);
            Assert.All(done, j => Assert.Equal(JobState.Success, j.Status));
            long refreshed = await emu.Stat("iam_token_requests") - tokensBefore;
            output.WriteLine($"IAM token requests during the watch: {refreshed}");
            // Tokens live 1 s and the jobs 3 s: at least two new tokens (expiry, revocation).
            Assert.True(refreshed >= 2, $"{refreshed} IAM token requests");
        }
        finally
        {
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/config", "{\"token_lifetime_ms\":86400000}");
        }
    }

    [Fact]
    public async Task TransientFaultsWhilePollingAreRetried()
    {
        await emu.SetJobTimes(20, 400);
        using SdrsClient client = emu.NewClient();
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 2);
        try
        {
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/faults", "{\"kind\":\"status\",\"status\":503,\"route\":\"GET /jobs/*\",\"after\":1,\"count\":3}");
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/faults", "{\"kind\":\"status\",\"status\":429,\"retry_after\":\"0\",\"route\":\"GET /jobs/*\",\"count\":2}");
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/faults", "{\"kind\":\"status\",\"status\":500,\"code\":\"SDRS.0013\",\"route\":\"GET /jobs/*\",\"count\":2}");
            Job[] done = await Task.WhenAll(jobs.Select(id => client.WaitForJobAsync(id, Fast))).WaitAsync(Bound);
            Assert.All(done, j => Assert.Equal(JobState.Success, j.Status));

            using JsonDocument faults = JsonDocument.Parse(await emu.AdminAsync(HttpMethod.Get, "/_emulator/faults"));
            int[] hits = [.. faults.RootElement.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("hits").GetInt32())];
            Assert.Equal([3, 2, 2], hits);
        }
        finally
        {
            await emu.AdminAsync(HttpMethod.Delete, "/_emulator/faults");
        }
    }

    [Fact]
    public async Task ManualDispatchRunsCallbacksOnTheDispatchingThread()
    {
        await emu.SetJobTimes(20, 80);
        using SdrsClient client = emu.NewClient();
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, 3);

        using (var threaded = new JobWatcher(client))
        {
            Assert.Throws<SdrsValidationException>(() => threaded.Fd);
            Assert.Throws<SdrsValidationException>(() => threaded.Dispatch());
        }

        using var watcher = new JobWatcher(client, new JobWatcherOptions { Dispatch = JobWatcherDispatch.Manual });
        Assert.Equal(JobWatcherDispatch.Manual, watcher.DispatchMode);
        int fd = watcher.Fd;
        Assert.True(fd >= 0);
        var progress = new ThreadRecorder();
        Task<Job>[] waits = [.. jobs.Select(id => watcher.WaitForJobAsync(id, Fast, progress))];

        // The jobs end within ~100 ms; nothing completes until this thread dispatches.
        await Task.Delay(1000);
        Assert.All(waits, w => Assert.False(w.IsCompleted));
        Assert.True(Readable(fd, 0), "the fd is not readable with completions queued");

        int dispatchThread = -1;
        int ran = await Task.Factory.StartNew(() =>
        {
            // One thread runs the loop: poll the fd, dispatch.
            dispatchThread = Environment.CurrentManagedThreadId;
            int total = 0;
            var sw = Stopwatch.StartNew();
            while (waits.Any(w => !w.IsCompleted) && sw.Elapsed < Bound)
            {
                if (Readable(fd, 100))
                {
                    total += watcher.Dispatch();
                }
            }

            return total;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Job[] done = await Task.WhenAll(waits).WaitAsync(Bound);
        Assert.All(done, j => Assert.Equal(JobState.Success, j.Status));
        Assert.True(ran >= 3, $"{ran} callbacks dispatched");
        Assert.NotEmpty(progress.Items);
        Assert.All(progress.Items, p => Assert.Equal(dispatchThread, p.Thread));
        Assert.False(Readable(fd, 0), "the fd stays readable with nothing queued");
        Assert.Equal(3, watcher.CompletedCount);

        // Dispose with a wait pending: its completion runs on the disposing thread.
        await emu.SetJobTimes(60000, 60000);
        string slow = (await WatcherEmulatorFixture.CreateJobs(client, 1))[0];
        Task<Job> pending = watcher.WaitForJobAsync(slow, Fast);
        watcher.Dispose();
        // sdrs_watcher_free ran the queued completion before returning (the task itself
        // completes just after, its continuations being asynchronous).
        Assert.Equal(4, watcher.CompletedCount);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void OptionsAreValidated()
    {
        using SdrsClient client = emu.NewClient();
        var polls = Assert.Throws<SdrsValidationException>(() => new JobWatcher(client, new JobWatcherOptions { MaxPollsPerSecond = 0 }));
        Assert.Contains("polls", polls.Message);
        var inFlight = Assert.Throws<SdrsValidationException>(() => new JobWatcher(client, new JobWatcherOptions { MaxInFlight = 257 }));
        Assert.Contains("flight", inFlight.Message);
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(emu.Options() with { JobWatcherOptions = new JobWatcherOptions { MaxInFlight = 0 } }));
        Assert.Throws<ArgumentException>(() => new SdrsClient(emu.Options() with { JobWatcherOptions = new JobWatcherOptions { Dispatch = JobWatcherDispatch.Manual } }));
        Assert.Throws<SdrsValidationException>(() => new JobWatcher(client, new JobWatcherOptions { Dispatch = (JobWatcherDispatch)7 }));
        Assert.Throws<ArgumentNullException>(() => new JobWatcher(null!));
        client.Dispose();
        Assert.Throws<ObjectDisposedException>(() => new JobWatcher(client));
    }

    [Fact]
    public async Task AWatcherOutlivesItsClient()
    {
        await emu.SetJobTimes(20, 300);
        var lines = new ConcurrentQueue<string>();
        var client = new SdrsClient(emu.Options() with { Log = (_, m) => lines.Enqueue(m), LogLevel = SdrsLogLevel.Debug });
        string jobId = (await WatcherEmulatorFixture.CreateJobs(client, 1))[0];
        using var watcher = new JobWatcher(client);
        client.Dispose();
        // The native client (and its log sink) stays alive for the watcher's polls.
        Job job = await watcher.WaitForJobAsync(jobId, Fast).WaitAsync(Bound);
        Assert.Equal(JobState.Success, job.Status);
        Assert.Contains(lines, l => l.Contains(jobId));
    }

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern unsafe int Poll(PollFd* fds, nuint count, int timeoutMs);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    private static unsafe bool Readable(int fd, int timeoutMs)
    {
        const short pollIn = 1;
        var p = new PollFd { Fd = fd, Events = pollIn };
        int rc = Poll(&p, 1, timeoutMs);
        Assert.True(rc >= 0, $"poll failed: errno {Marshal.GetLastPInvokeError()}");
        return rc == 1 && (p.Revents & pollIn) != 0;
    }

    private sealed class ActionProgress(Action<JobStatus> action) : IProgress<JobStatus>
    {
        public void Report(JobStatus value) => action(value);
    }
}

[CollectionDefinition("watcher-threads", DisableParallelization = true)]
public sealed class WatcherThreadsCollection
{
}

/// <summary>1,000 concurrent waits hold no thread each (alone: other tests' threads would blur the count).</summary>
[Collection("watcher-threads")]
public class WatcherThreadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AThousandWaitsKeepTheProcessThreadsLow()
    {
        using var emu = new WatcherEmulatorFixture();
        await emu.SetJobTimes(1500, 1500);
        using var client = new SdrsClient(emu.Options() with { JobWatcherOptions = new JobWatcherOptions { MaxPollsPerSecond = 2000, MaxInFlight = 16 } });
        const int n = 1000;
        string[] jobs = await WatcherEmulatorFixture.CreateJobs(client, n, "cs-thr-");
        int before;
        using (Process self = Process.GetCurrentProcess())
        {
            before = self.Threads.Count;
        }

        var wait = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(500), MaxInterval = TimeSpan.FromSeconds(1) };
        Task<Job>[] waits = [.. jobs.Select(id => client.WaitForJobAsync(id, wait))];
        Task<Job[]> all = Task.WhenAll(waits);
        int max = before;
        var sw = Stopwatch.StartNew();
        while (!all.IsCompleted && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            using (Process self = Process.GetCurrentProcess())
            {
                max = Math.Max(max, self.Threads.Count);
            }

            await Task.WhenAny(all, Task.Delay(50));
        }

        Job[] done = await all.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{n} waits: threads before {before}, max while waiting {max}, {sw.Elapsed.TotalSeconds:F1} s");
        Assert.All(done, j => Assert.Equal(JobState.Success, j.Status));
        // A thread per wait would add 1,000; the watcher adds one, the pool a few for continuations.
        Assert.True(max - before <= 64, $"threads grew from {before} to {max}");
    }
}
