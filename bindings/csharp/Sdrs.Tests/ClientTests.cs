using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>Records every report synchronously (Progress&lt;T&gt; would post to the pool).</summary>
internal sealed class Recorder<T> : IProgress<T>
{
    public ConcurrentQueue<T> Items { get; } = new();

    public void Report(T value) => Items.Enqueue(value);
}

[Collection("emulator")]
public class ClientTests(EmulatorFixture emu)
{
    [Fact]
    public async Task DomainsAndApiVersions()
    {
        using SdrsClient client = emu.NewClient();
        DomainList domains = await client.ListDomainsAsync();
        Assert.Equal(2, domains.Domains.Count);
        Domain a = Assert.Single(domains.Domains, d => d.Id == Emulator.DomainA);
        Assert.Equal("dr-domain-a", a.Name);
        Assert.False(a.SoldOut);
        Assert.Equal("eu-de-01", a.LocalAvailabilityZone);
        Assert.Equal("eu-de-02", a.RemoteAvailabilityZone);
        Assert.Contains(Emulator.DomainA, a.Json);
        Assert.Contains("dr-domain-b", domains.Json);
        Assert.True(Assert.Single(domains.Domains, d => d.Name == "dr-domain-b").SoldOut);

        IReadOnlyList<ApiVersion> versions = await client.ListApiVersionsAsync();
        ApiVersion v1 = Assert.Single(versions, v => v.Id == "v1");
        Assert.False(string.IsNullOrEmpty(v1.Status));
        ApiVersion got = await client.GetApiVersionAsync("v1");
        Assert.Equal("v1", got.Id);
        Assert.Equal(v1.Status, got.Status);
        Assert.NotNull(got.Json);
    }

    [Fact]
    public async Task CreateWaitGetWithProgress()
    {
        using SdrsClient client = emu.NewClient();
        string name = Emulator.UniqueName("cs-create-");
        string jobId = await client.CreateProtectionGroupAsync(Emulator.Request(name));
        Assert.Matches("^[0-9a-f]{32}$", jobId);

        var progress = new Recorder<JobStatus>();
        Job job = await client.WaitForJobAsync(jobId, Emulator.FastWait, progress);
        Assert.Equal(JobState.Success, job.Status);
        Assert.Equal("SUCCESS", job.StatusText);
        Assert.Equal(jobId, job.Id);
        Assert.NotNull(job.Type);
        Assert.NotNull(job.BeginTime);
        Assert.NotNull(job.Json);
        Assert.NotEmpty(progress.Items);
        Assert.All(progress.Items, s => Assert.Equal(jobId, s.JobId));
        Assert.Equal(JobState.Success, progress.Items.Last().State);

        string? groupId = job.ServerGroupId;
        Assert.False(string.IsNullOrEmpty(groupId));
        ProtectionGroup pg = await client.GetProtectionGroupAsync(groupId!);
        Assert.Equal(name, pg.Name);
        Assert.Equal(ProtectionGroupStatus.Available, pg.Status);
        Assert.Equal("available", pg.StatusText);
        Assert.Equal("eu-de-01", pg.SourceAvailabilityZone);
        Assert.Equal("eu-de-02", pg.TargetAvailabilityZone);
        Assert.Equal(Emulator.DomainA, pg.DomainId);
        Assert.Equal("dr-domain-a", pg.DomainName);
        Assert.Equal("created by Sdrs.Tests", pg.Description);
        Assert.Equal("source", pg.PriorityStation);
        Assert.NotNull(pg.CreatedAt);
        Assert.NotNull(pg.CreatedAtText);
        Assert.NotNull(pg.UpdatedAt);
        Assert.Equal(0, pg.ReplicationNum);
        Assert.Contains(groupId!, pg.Json);

        // One poll of the finished job gives the same picture.
        Job polled = await client.GetJobAsync(jobId);
        Assert.Equal(JobState.Success, polled.Status);
        Assert.Equal(groupId, polled.Entities["server_group_id"]);
    }

    [Fact]
    public async Task CreateAndWaitReturnsTheGroup()
    {
        using SdrsClient client = emu.NewClient();
        string name = Emulator.UniqueName("cs-caw-");
        ProtectionGroup pg = await client.CreateProtectionGroupAndWaitAsync(Emulator.Request(name), Emulator.FastWait);
        Assert.Equal(name, pg.Name);
        Assert.Equal(ProtectionGroupStatus.Available, pg.Status);
        Assert.False(string.IsNullOrEmpty(pg.Id));
    }

    [Fact]
    public async Task HundredParallelTasksShareOneClient()
    {
        using SdrsClient client = emu.NewClient();
        using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        string prefix = Emulator.UniqueName("cs-par-") + "-";
        Task<Job>[] tasks = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            string jobId = await client.CreateProtectionGroupAsync(Emulator.Request(prefix + i), overall.Token);
            return await client.WaitForJobAsync(jobId, Emulator.FastWait, null, overall.Token);
        })).ToArray();
        Job[] jobs = await Task.WhenAll(tasks);
        Assert.All(jobs, j => Assert.Equal(JobState.Success, j.Status));
        Assert.Equal(100, jobs.Select(j => j.ServerGroupId).Distinct().Count());

        int seen = 0;
        await foreach (ProtectionGroup pg in client.ListAllProtectionGroupsAsync(new ListOptions { Name = prefix, Limit = 30 }, overall.Token))
        {
            Assert.StartsWith(prefix, pg.Name);
            seen++;
        }

        Assert.Equal(100, seen);
    }

    [Fact]
    public async Task PagingAndIteration()
    {
        using SdrsClient client = emu.NewClient();
        string prefix = Emulator.UniqueName("cs-seed") + "-";
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/seed-groups", $"{{\"count\": 23, \"name_prefix\": \"{prefix}\", \"status\": \"available\"}}");

        ProtectionGroupPage page = await client.ListProtectionGroupsAsync(new ListOptions { Name = prefix, Limit = 5, Offset = 20 });
        Assert.Equal(3, page.Groups.Count);
        Assert.Equal(23, page.Count);

        var names = new List<string>();
        await foreach (ProtectionGroup pg in client.ListAllProtectionGroupsAsync(new ListOptions { Name = prefix, Limit = 5 }))
        {
            names.Add(pg.Name!);
        }

        Assert.Equal(23, names.Count);
        Assert.Equal(23, names.Distinct().Count());
        Assert.All(names, n => Assert.StartsWith(prefix, n));

        // Starting point and filters are honoured by the iterator too.
        int rest = 0;
        await foreach (ProtectionGroup pg in client.ListAllProtectionGroupsAsync(new ListOptions { Name = prefix, Limit = 4, Offset = 18, Status = "available" }))
        {
            rest++;
        }

        Assert.Equal(5, rest);

        int none = 0;
        await foreach (ProtectionGroup pg in client.ListAllProtectionGroupsAsync(new ListOptions { Name = prefix, Status = "protected" }))
        {
            none++;
        }

        Assert.Equal(0, none);
    }

    [Fact]
    public async Task IterationHonoursCancellation()
    {
        using SdrsClient client = emu.NewClient();
        string prefix = Emulator.UniqueName("cs-itc") + "-";
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/seed-groups", $"{{\"count\": 6, \"name_prefix\": \"{prefix}\"}}");
        using var cts = new CancellationTokenSource();
        int n = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ProtectionGroup pg in client.ListAllProtectionGroupsAsync(new ListOptions { Name = prefix, Limit = 2 }, cts.Token))
            {
                if (++n == 3)
                {
                    cts.Cancel();
                }
            }
        });
        Assert.Equal(3, n);
    }

    [Fact]
    public async Task EndToEndLifecycle()
    {
        using SdrsClient client = emu.NewClient();
        string name = Emulator.UniqueName("cs-life-");
        Fixtures.Volume disk = await Fixtures.VolumeAsync(emu, "data-1");
        Fixtures.Server anyServer = await Fixtures.ServerAsync(emu, "app-1");
        ProtectionGroup pg = await client.CreateProtectionGroupAndWaitAsync(Fixtures.GroupFor(anyServer, name), Emulator.FastWait);
        string id = pg.Id!;

        // Enabling needs a replication pair: one for an unattached disk.
        ReplicationPair pair = await client.CreateReplicationPairAndWaitAsync(
            new CreateReplicationPairRequest { ServerGroupId = id, VolumeId = disk.Id, Name = "lifecycle-pair" }, Emulator.FastWait);
        Assert.Equal(1, (await client.GetProtectionGroupAsync(id)).ReplicationNum);

        // A state error: disable is only valid on a protected group.
        var conflict = await Assert.ThrowsAsync<SdrsConflictException>(() => client.DisableProtectionAsync(id));
        Assert.InRange(conflict.HttpStatus, 400, 499);
        Assert.NotNull(conflict.ApiCode);

        Job job = await client.WaitForJobAsync(await client.EnableProtectionAsync(id), Emulator.FastWait);
        Assert.Equal(id, job.ServerGroupId);
        pg = await client.GetProtectionGroupAsync(id);
        Assert.Equal(ProtectionGroupStatus.Protected, pg.Status);

        await client.WaitForJobAsync(await client.PlannedFailoverAsync(id, "target"), Emulator.FastWait);
        pg = await client.GetProtectionGroupAsync(id);
        Assert.Equal(ProtectionGroupStatus.Protected, pg.Status);
        Assert.Equal("target", pg.PriorityStation);

        await client.WaitForJobAsync(await client.PlannedFailoverAsync(id, "source"), Emulator.FastWait);
        Assert.Equal("source", (await client.GetProtectionGroupAsync(id)).PriorityStation);

        await client.WaitForJobAsync(await client.FailoverAsync(id), Emulator.FastWait);
        Assert.Equal(ProtectionGroupStatus.FailedOver, (await client.GetProtectionGroupAsync(id)).Status);

        // Re-enable after the failover.
        await client.WaitForJobAsync(await client.EnableProtectionAsync(id), Emulator.FastWait);
        Assert.Equal(ProtectionGroupStatus.Protected, (await client.GetProtectionGroupAsync(id)).Status);

        await client.WaitForJobAsync(await client.DisableProtectionAsync(id), Emulator.FastWait);
        Assert.Equal(ProtectionGroupStatus.Available, (await client.GetProtectionGroupAsync(id)).Status);

        string newName = name + "-renamed";
        ProtectionGroup renamed = await client.RenameProtectionGroupAsync(id, newName);
        Assert.Equal(newName, renamed.Name);
        Assert.Equal(newName, (await client.GetProtectionGroupAsync(id)).Name);

        // Delete needs an empty group.
        await Assert.ThrowsAsync<SdrsConflictException>(() => client.DeleteProtectionGroupAsync(id));
        await client.WaitForJobAsync(await client.DeleteReplicationPairAsync(pair.Id!, id), Emulator.FastWait);
        Assert.Equal(0, (await client.GetProtectionGroupAsync(id)).ReplicationNum);
        await client.WaitForJobAsync(await client.DeleteProtectionGroupAsync(id), Emulator.FastWait);
        await Assert.ThrowsAsync<SdrsNotFoundException>(() => client.GetProtectionGroupAsync(id));
    }

    [Fact]
    public async Task CallsStartedBeforeDisposeComplete()
    {
        var client = emu.NewClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Half with a cancelable token (own call options), half with the shared ones.
        Task<DomainList>[] calls = Enumerable.Range(0, 20)
            .Select(i => client.ListDomainsAsync(i % 2 == 0 ? cts.Token : CancellationToken.None))
            .ToArray();
        client.Dispose();
        DomainList[] results = await Task.WhenAll(calls);
        Assert.All(results, r => Assert.Equal(2, r.Domains.Count));
        Assert.Throws<ObjectDisposedException>(() => { _ = client.ListDomainsAsync(); });
    }

    [Fact]
    public async Task DisposeDuringIterationStopsItSafely()
    {
        string prefix = Emulator.UniqueName("cs-itd") + "-";
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/seed-groups", $"{{\"count\": 5, \"name_prefix\": \"{prefix}\"}}");
        var client = emu.NewClient();
        int n = 0;
        await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (ProtectionGroup pg in client.ListAllProtectionGroupsAsync(new ListOptions { Name = prefix, Limit = 2 }))
            {
                n++;
                client.Dispose();
            }
        });
        Assert.Equal(1, n);
    }

    [Fact]
    public async Task NotFoundCarriesHttpDetail()
    {
        using SdrsClient client = emu.NewClient();
        var ex = await Assert.ThrowsAsync<SdrsNotFoundException>(() => client.GetProtectionGroupAsync("11111111-2222-3333-4444-555555555555"));
        Assert.Equal(SdrsErrorCode.NotFound, ex.Code);
        // The service documents "group not found" as HTTP 400 with SDRS.1013 (spec section 9).
        Assert.Equal(400, ex.HttpStatus);
        Assert.Equal("SDRS.1013", ex.ApiCode);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.NotNull(ex.ResponseBody);
        Assert.False(ex.Retryable);
        Assert.True(ex.Attempts >= 1);

        // An unknown job: HTTP 404 with SDRS.0408 (an internal-class code); the 404 wins.
        var job = await Assert.ThrowsAsync<SdrsNotFoundException>(() => client.GetJobAsync("0123456789abcdef0123456789abcdef"));
        Assert.Equal(404, job.HttpStatus);
        Assert.Equal("SDRS.0408", job.ApiCode);
        Assert.False(job.Retryable);
    }

    [Fact]
    public async Task ValidationErrorsNameTheFieldAndSendNothing()
    {
        using SdrsClient client = emu.NewClient();
        var tooLong = await Assert.ThrowsAsync<SdrsValidationException>(() => client.CreateProtectionGroupAsync(Emulator.Request(new string('a', 65))));
        Assert.Contains("name", tooLong.Message);
        Assert.Equal(SdrsErrorCode.Validation, tooLong.Code);
        Assert.Equal(0, tooLong.Attempts);

        var sameAz = await Assert.ThrowsAsync<SdrsValidationException>(() =>
            client.CreateProtectionGroupAsync(Emulator.Request("ok-name") with { TargetAvailabilityZone = "eu-de-01" }));
        Assert.Equal(0, sameAz.HttpStatus);

        var badDesc = await Assert.ThrowsAsync<SdrsValidationException>(() =>
            client.CreateProtectionGroupAsync(Emulator.Request("ok-name") with { Description = "<b>" }));
        Assert.Contains("description", badDesc.Message);

        var badJob = await Assert.ThrowsAsync<SdrsValidationException>(() => client.WaitForJobAsync("../x"));
        Assert.Contains("job_id", badJob.Message);
        await Assert.ThrowsAsync<SdrsValidationException>(() => client.GetJobAsync("a/b"));
        await Assert.ThrowsAsync<SdrsValidationException>(() => client.ListProtectionGroupsAsync(new ListOptions { Limit = 0 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.GetProtectionGroupAsync(null!));
    }

    [Fact]
    public async Task WrongTokenIsAuthException()
    {
        using var client = new SdrsClient(emu.Options(token: "not-the-token"));
        var ex = await Assert.ThrowsAsync<SdrsAuthException>(() => client.ListDomainsAsync());
        Assert.Equal(401, ex.HttpStatus);
        Assert.Equal(SdrsErrorCode.Auth, ex.Code);
        Assert.DoesNotContain("not-the-token", ex.ToString());
    }

    [Fact]
    public async Task FailedJobIsJobFailedException()
    {
        using SdrsClient client = emu.NewClient();
        string jobId = await client.CreateProtectionGroupAsync(Emulator.Request(Emulator.UniqueName("fail-")));
        var ex = await Assert.ThrowsAsync<SdrsJobFailedException>(() => client.WaitForJobAsync(jobId, Emulator.FastWait));
        Assert.Equal(SdrsErrorCode.JobFailed, ex.Code);
        Assert.Equal(jobId, ex.JobId);
        Assert.Equal("SDRS.1014", ex.ApiCode);
        Assert.False(string.IsNullOrEmpty(ex.FailReason));
        Assert.NotNull(ex.Job);
        Assert.Equal(JobState.Fail, ex.Job!.Status);
        Assert.Equal("SDRS.1014", ex.Job.ErrorCode);

        // create-and-wait reports the same failure.
        var ex2 = await Assert.ThrowsAsync<SdrsJobFailedException>(() =>
            client.CreateProtectionGroupAndWaitAsync(Emulator.Request(Emulator.UniqueName("fail-")), Emulator.FastWait));
        Assert.False(string.IsNullOrEmpty(ex2.JobId));
    }

    [Fact]
    public async Task ThrowingProgressHandlerEndsTheWaitWithItsException()
    {
        using SdrsClient client = emu.NewClient();
        string jobId = await client.CreateProtectionGroupAsync(Emulator.Request(Emulator.UniqueName("cs-prog-")));
        var progress = new ThrowingProgress();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.WaitForJobAsync(jobId, Emulator.FastWait, progress));
        Assert.Equal("from the progress handler", ex.Message);
    }

    [Fact]
    public void ExternalCancelTokenWithoutCanceledTokenIsOperationCanceled()
    {
        using SdrsClient client = emu.NewClient();
        Assert.Equal(0, Native.sdrs_cancel_new(out CancelHandle cancel, out ErrorHandle err));
        err.Dispose();
        Assert.Equal(0, Native.sdrs_call_opts_new(out CallOptsHandle opts, out err));
        err.Dispose();
        using (cancel)
        using (opts)
        {
            Assert.Equal(0, Native.sdrs_call_opts_set_cancel(opts, cancel, out err));
            err.Dispose();
            Native.sdrs_cancel_trigger(cancel);
            int rc = Native.sdrs_domain_list_get(out DomainListHandle list, client.Handle, opts, out err);
            list.Dispose();
            Assert.Equal((int)SdrsErrorCode.Canceled, rc);
            Exception ex = Errors.Create(rc, err, CancellationToken.None);
            Assert.IsType<OperationCanceledException>(ex);

            // After a reset the same token lets calls through again.
            Native.sdrs_cancel_reset(cancel);
            rc = Native.sdrs_domain_list_get(out list, client.Handle, opts, out err);
            using (list)
            {
                Errors.Check(rc, err);
                Assert.Equal(2, (int)Native.sdrs_domain_list_size(list.Raw));
            }
        }
    }

    [Fact]
    public async Task LogSinkReceivesLinesWithoutSecrets()
    {
        var lines = new ConcurrentQueue<(SdrsLogLevel Level, string Line)>();
        using (var client = new SdrsClient(emu.Options() with { Log = (l, m) => lines.Enqueue((l, m)), LogLevel = SdrsLogLevel.Debug }))
        {
            await client.ListDomainsAsync();
        }

        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.DoesNotContain(Emulator.Token, l.Line));
        Assert.Contains(lines, l => l.Line.Contains("active-domains"));
    }

    private sealed class ThrowingProgress : IProgress<JobStatus>
    {
        public void Report(JobStatus value) => throw new InvalidOperationException("from the progress handler");
    }
}
