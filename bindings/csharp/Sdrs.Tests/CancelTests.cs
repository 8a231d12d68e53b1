using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Sdrs.Tests;

/// <summary>Cancellation, deadlines and disposal during a wait, on an emulator whose jobs take minutes.</summary>
public class CancelTests(SlowEmulatorFixture emu, ITestOutputHelper output) : IClassFixture<SlowEmulatorFixture>
{
    // The bound; the machine is a loaded 2-core box, but the native cancel wakes the
    // wait at once, so this is still met with a wide margin.
    private static readonly TimeSpan CancelBound = TimeSpan.FromMilliseconds(200);

    private async Task<string> StartLongJob(SdrsClient client) =>
        await client.CreateProtectionGroupAsync(Emulator.Request(Emulator.UniqueName("cs-slow-")));

    [Fact]
    public async Task CancelDuringSleepEndsWaitWithin200ms()
    {
        using SdrsClient client = emu.NewClient();
        string jobId = await StartLongJob(client);
        var progress = new Recorder<JobStatus>();
        using var cts = new CancellationTokenSource();
        // A long poll interval: the cancel arrives while the waiter sleeps between polls.
        Task<Job> wait = client.WaitForJobAsync(jobId, new WaitOptions { InitialInterval = TimeSpan.FromSeconds(5), MaxInterval = TimeSpan.FromSeconds(5) }, progress, cts.Token);

        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (progress.Items.IsEmpty && !giveUp.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        Assert.False(progress.Items.IsEmpty, "the wait never read the job");
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);

        var sw = Stopwatch.StartNew();
        cts.Cancel();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        sw.Stop();
        output.WriteLine($"cancel -> completion: {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.True(wait.IsCanceled);
        Assert.True(sw.Elapsed < CancelBound, $"cancel took {sw.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task CancelDuringFastPollingEndsWaitWithin200ms()
    {
        using SdrsClient client = emu.NewClient();
        string jobId = await StartLongJob(client);
        using var cts = new CancellationTokenSource();
        Task<Job> wait = client.WaitForJobAsync(jobId, new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(10), MaxInterval = TimeSpan.FromMilliseconds(10), JitterPercent = 0 }, null, cts.Token);
        await Task.Delay(300);
        Assert.False(wait.IsCompleted);

        var sw = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        sw.Stop();
        output.WriteLine($"cancel -> completion: {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.True(sw.Elapsed < CancelBound, $"cancel took {sw.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task ManyConcurrentWaitsCancelIndependently()
    {
        using SdrsClient client = emu.NewClient();
        const int n = 20;
        string[] jobIds = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => StartLongJob(client)));
        CancellationTokenSource[] sources = jobIds.Select(_ => new CancellationTokenSource()).ToArray();
        try
        {
            var wait = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50), MaxInterval = TimeSpan.FromMilliseconds(200) };
            Task<Job>[] waits = jobIds.Select((id, i) => client.WaitForJobAsync(id, wait, null, sources[i].Token)).ToArray();
            await Task.Delay(300);

            // Cancel the even ones only; the odd ones must keep waiting.
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i += 2)
            {
                sources[i].Cancel();
            }

            for (int i = 0; i < n; i += 2)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waits[i].WaitAsync(TimeSpan.FromSeconds(10)));
            }

            sw.Stop();
            output.WriteLine($"{n / 2} cancels -> all completed: {sw.Elapsed.TotalMilliseconds:F1} ms");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2), $"cancels took {sw.Elapsed.TotalMilliseconds:F1} ms");
            await Task.Delay(200);
            for (int i = 1; i < n; i += 2)
            {
                Assert.False(waits[i].IsCompleted, $"wait {i} ended without being canceled");
            }

            for (int i = 1; i < n; i += 2)
            {
                sources[i].Cancel();
            }

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(waits).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.All(waits, w => Assert.True(w.IsCanceled));
        }
        finally
        {
            foreach (CancellationTokenSource cts in sources)
            {
                cts.Dispose();
            }
        }
    }

    [Fact]
    public async Task CancelCreateAndWait()
    {
        using SdrsClient client = emu.NewClient();
        using var cts = new CancellationTokenSource();
        Task<ProtectionGroup> t = client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("cs-slowcaw-")), new WaitOptions { InitialInterval = TimeSpan.FromSeconds(2) }, cts.Token);
        await Task.Delay(300);
        Assert.False(t.IsCompleted);
        var sw = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(sw.Elapsed < CancelBound, $"cancel took {sw.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task WaitDeadlineIsTimeoutException()
    {
        using SdrsClient client = emu.NewClient();
        string jobId = await StartLongJob(client);
        var sw = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<SdrsTimeoutException>(() =>
            client.WaitForJobAsync(jobId, new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMilliseconds(400) }).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(SdrsErrorCode.Timeout, ex.Code);
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DisposingTheClientDuringAWaitIsSafe()
    {
        var client = emu.NewClient();
        string jobId = await StartLongJob(client);
        using var cts = new CancellationTokenSource();
        Task<Job> wait = client.WaitForJobAsync(jobId, new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50) }, null, cts.Token);
        await Task.Delay(200);
        // The wait holds a reference on the native client, which is freed when the wait returns.
        client.Dispose();
        client.Dispose();
        Assert.False(wait.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(client.Handle.IsClosed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetJobAsync(jobId));
    }

    [Fact]
    public async Task PollingAnUnfinishedJob()
    {
        using SdrsClient client = emu.NewClient();
        string jobId = await StartLongJob(client);
        Job job = await client.GetJobAsync(jobId);
        Assert.Equal(JobState.Init, job.Status);
        Assert.False(job.IsFinished);
        Assert.Null(job.EndTime);
    }
}
