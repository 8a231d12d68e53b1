using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>An emulator of its own, so the quota counts and the task center see only this class's resources.</summary>
public sealed class DedicatedEmulatorFixture : Emulator
{
    public DedicatedEmulatorFixture()
        : base(jobInitMs: 20, jobRunMs: 80)
    {
    }
}

/// <summary>
/// The scenario of issue 16 through the public API only: protect two servers -> tag them ->
/// query by tag (filter and count, every match kind) -> drill (inspect its servers, rename,
/// delete) -> make one job fail -> list it in the task center -> delete it there -> quotas
/// show the counts moving.
/// </summary>
public class DrillTagScenarioTests(DedicatedEmulatorFixture emu) : IClassFixture<DedicatedEmulatorFixture>
{
    private const string DrillVpc = "c0000000-0000-4000-8000-00000000000c";

    // A key the path must percent-encode: space, '#', '?', '%', '&', '+' and non-ASCII.
    private const string OddKey = "team ops#1?50%&a+b é";

    private static readonly WaitOptions Wait = Emulator.FastWait;

    private static async Task<Job> Done(SdrsClient c, Task<string> jobId) => await c.WaitForJobAsync(await jobId, Wait);

    private static string[] Ids(IEnumerable<string?> ids) => ids.Select(i => i!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task TagQueryDrillTaskCenterAndQuotas()
    {
        using SdrsClient c = emu.NewClient();

        // Quotas before anything exists: the emulator's defaults are limits, max is unlimited.
        Quotas q0 = await c.GetQuotasAsync();
        QuotaResource groups0 = q0.ServerGroups!;
        QuotaResource pairs0 = q0.Replications!;
        Assert.Equal(("server_groups", 0L), (groups0.Type, groups0.Used!.Value));
        Assert.Equal(("replications", 0L), (pairs0.Type, pairs0.Used!.Value));
        Assert.Equal(new QuotaLimit(QuotaLimitKind.Limited, 100000), groups0.Quota);
        Assert.Equal(new QuotaLimit(QuotaLimitKind.Limited, 0), groups0.Min);
        Assert.True(groups0.Max.IsUnlimited);
        Assert.Null(groups0.Max.Value);
        Assert.Equal("unlimited", groups0.Max.ToString());
        Assert.Same(groups0, q0.Find("server_groups"));
        Assert.Null(q0.Find("volumes"));
        Assert.Contains("server_groups", q0.Json);

        // Protect two servers.
        Fixtures.Server app1 = await Fixtures.ServerAsync(emu, "app-1");
        Fixtures.Server app2 = await Fixtures.ServerAsync(emu, "app-2");
        ProtectionGroup group = await c.CreateProtectionGroupAndWaitAsync(Fixtures.GroupFor(app1, Emulator.UniqueName("cs-drill-")), Wait);
        string groupId = group.Id!;
        ProtectedInstance pi1 = await c.CreateProtectedInstanceAndWaitAsync(new CreateProtectedInstanceRequest { ServerGroupId = groupId, ServerId = app1.Id, Name = "app-1-dr" }, Wait);
        ProtectedInstance pi2 = await c.CreateProtectedInstanceAndWaitAsync(new CreateProtectedInstanceRequest { ServerGroupId = groupId, ServerId = app2.Id, Name = "app-2-dr" }, Wait);
        int autoPairs = app1.Devices.Length + app2.Devices.Length;
        Quotas q1 = await c.GetQuotasAsync();
        Assert.Equal(1, q1.ServerGroups!.Used);
        Assert.Equal(autoPairs, q1.Replications!.Used);

        // ---- Tags: add one, batch add, list, project tags, delete one (odd key), batch delete.
        await c.AddTagAsync(pi1.Id!, "app", "erp");
        await c.AddTagAsync(pi1.Id!, "env", "test");
        await c.AddTagsAsync(pi1.Id!, [new ResourceTag("env", "prod"), new ResourceTag("tier", "web"), new ResourceTag(OddKey, "x y")]);
        await c.AddTagsAsync(pi2.Id!, [new ResourceTag("app", "erp"), new ResourceTag("env", "test"), new ResourceTag("tier", "db")]);
        IReadOnlyList<ResourceTag> tags1 = await c.ListTagsAsync(pi1.Id!);
        Assert.Equal(
            new[] { new ResourceTag("app", "erp"), new ResourceTag("env", "prod"), new ResourceTag(OddKey, "x y"), new ResourceTag("tier", "web") },
            tags1.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal(tags1.OrderBy(t => t.Key, StringComparer.Ordinal), (await c.GetProtectedInstanceAsync(pi1.Id!)).Tags.OrderBy(t => t.Key, StringComparer.Ordinal));

        IReadOnlyList<ProjectTag> project = await c.ListProjectTagsAsync();
        Assert.Equal(new[] { "app", "env", OddKey, "tier" }, project.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["erp"], Assert.Single(project, p => p.Key == "app").Values);
        Assert.Equal(["prod", "test"], Assert.Single(project, p => p.Key == "env").Values.Order(StringComparer.Ordinal));
        Assert.Equal(["db", "web"], Assert.Single(project, p => p.Key == "tier").Values.Order(StringComparer.Ordinal));

        await c.DeleteTagAsync(pi1.Id!, OddKey);
        Assert.DoesNotContain(await c.ListTagsAsync(pi1.Id!), t => t.Key == OddKey);
        var gone = await Assert.ThrowsAsync<SdrsNotFoundException>(() => c.DeleteTagAsync(pi1.Id!, OddKey));
        Assert.Equal(404, gone.HttpStatus);
        Assert.Equal("SDRS.2206", gone.ApiCode);

        // Batch delete: a null value removes the key whatever its value; a wrong value removes nothing.
        await c.DeleteTagsAsync(pi1.Id!, [new ResourceTag("tier", null), new ResourceTag("env", "wrong"), new ResourceTag("absent", null)]);
        Assert.Equal([new ResourceTag("app", "erp"), new ResourceTag("env", "prod")], (await c.ListTagsAsync(pi1.Id!)).OrderBy(t => t.Key, StringComparer.Ordinal));

        // ---- Query by tag: filter and count for every match kind.
        async Task Expect(TagQuery query, params string[] expected)
        {
            TagQueryPage page = await c.FilterProtectedInstancesByTagAsync(query);
            Assert.Equal(Ids(expected), Ids(page.Matches.Select(m => m.ResourceId)));
            Assert.Equal(expected.Length, page.TotalCount);
            Assert.Equal(expected.Length, await c.CountProtectedInstancesByTagAsync(query));
        }

        await Expect(new TagQuery().WithAll("app", "erp"), pi1.Id!, pi2.Id!);
        await Expect(new TagQuery().WithAll("app", "erp").WithAll("env", "prod"), pi1.Id!);
        await Expect(new TagQuery().WithAll("tier"), pi2.Id!); // any value
        await Expect(new TagQuery().WithAll("env", "*ro"), pi1.Id!); // fuzzy: contains "ro"
        await Expect(new TagQuery().WithAny("env", "prod").WithAny("tier", "db"), pi1.Id!, pi2.Id!);
        await Expect(new TagQuery().WithAny("env", "nothing"));
        await Expect(new TagQuery().WithNotAll("env", "test"), pi1.Id!);
        await Expect(new TagQuery().WithAll("app", "erp").WithNotAny("tier"), pi1.Id!);
        await Expect(new TagQuery { Name = "APP-2" }, pi2.Id!); // case-insensitive substring
        await Expect(new TagQuery { All = [new TagCondition("env", ["prod", "test"])], NotAny = [new TagCondition("env", ["test"])] }, pi1.Id!);

        TagQueryPage first = await c.FilterProtectedInstancesByTagAsync(new TagQuery { Limit = 1 }.WithAll("app", "erp"));
        TagQueryMatch only = Assert.Single(first.Matches);
        Assert.Equal(2, first.TotalCount);
        Assert.NotNull(only.Instance);
        Assert.Equal((only.ResourceId, only.ResourceName), (only.Instance!.Id, only.Instance.Name));
        Assert.Contains(new ResourceTag("app", "erp"), only.Instance.Tags);
        TagQueryPage second = await c.FilterProtectedInstancesByTagAsync(new TagQuery { Limit = 1, Offset = 1 }.WithAll("app", "erp"));
        Assert.NotEqual(only.ResourceId, Assert.Single(second.Matches).ResourceId);
        var all = new List<string>();
        await foreach (ProtectedInstance pi in c.ListAllProtectedInstancesByTagAsync(new TagQuery { Limit = 1 }.WithAll("app", "erp")))
        {
            all.Add(pi.Id!);
        }

        Assert.Equal(Ids([pi1.Id, pi2.Id]), Ids(all));

        // ---- DR drill: create and wait, inspect the drill servers, list, rename, delete.
        Drill drill = await c.CreateDrillAndWaitAsync(new CreateDrillRequest { ServerGroupId = groupId, Name = "rehearsal-1", DrillVpcId = DrillVpc }, Wait);
        Assert.Equal(DrillStatus.Available, drill.Status);
        Assert.Equal("available", drill.StatusText);
        Assert.Equal("available", Drill.StatusName(drill.Status));
        Assert.Equal((groupId, DrillVpc, "rehearsal-1"), (drill.ServerGroupId, drill.DrillVpcId, drill.Name));
        Assert.NotNull(drill.CreatedAt);
        Assert.Equal(Ids([pi1.Id, pi2.Id]), Ids(drill.Servers.Select(s => s.ProtectedInstanceId)));
        List<Fixtures.Server> servers = await Fixtures.ServersAsync(emu);
        foreach (DrillServer ds in drill.Servers)
        {
            Fixtures.Server s = Assert.Single(servers, s => s.Id == ds.ServerId);
            Assert.Equal("drill", s.Role);
            Assert.Equal(DrillVpc, s.VpcId);
            Assert.NotEqual(pi1.TargetServerId, s.Id);
            Assert.NotEqual(pi2.TargetServerId, s.Id);
        }

        Assert.Equal(1, (await c.GetProtectionGroupAsync(groupId)).DisasterRecoveryDrillNum);
        Drill got = await c.GetDrillAsync(drill.Id!);
        Assert.Equal((drill.Id, drill.Json), (got.Id, got.Json));
        Assert.Equal(drill.Servers, got.Servers);
        DrillPage drills = await c.ListDrillsAsync(new DrillListOptions { ServerGroupId = groupId });
        Assert.Equal(1, drills.Count);
        Assert.Equal(drill.Id, Assert.Single(drills.Drills).Id);
        Assert.Empty((await c.ListDrillsAsync(new DrillListOptions { Name = "no-such-drill" })).Drills);
        var listed = new List<string>();
        await foreach (Drill d in c.ListAllDrillsAsync(new DrillListOptions { Status = "available", Limit = 1 }))
        {
            listed.Add(d.Id!);
        }

        Assert.Equal([drill.Id!], listed);
        Drill renamed = await c.RenameDrillAsync(drill.Id!, "rehearsal-renamed");
        Assert.Equal("rehearsal-renamed", renamed.Name);
        Assert.Equal("rehearsal-renamed", (await c.GetDrillAsync(drill.Id!)).Name);

        Job deleted = await Done(c, c.DeleteDrillAsync(drill.Id!));
        Assert.Equal(JobState.Success, deleted.Status);
        var noDrill = await Assert.ThrowsAnyAsync<SdrsException>(() => c.GetDrillAsync(drill.Id!));
        Assert.Equal("SDRS.1902", noDrill.ApiCode);
        servers = await Fixtures.ServersAsync(emu);
        Assert.DoesNotContain(servers, s => drill.Servers.Any(d => d.ServerId == s.Id));
        Assert.Equal(0, (await c.GetProtectionGroupAsync(groupId)).DisasterRecoveryDrillNum);

        // ---- One failed job -> the task center (inside the group) -> delete it there.
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/fail-next-jobs", """{"count": 1, "job_type": "createDisasterRecoveryDrill"}""");
        var failed = await Assert.ThrowsAsync<SdrsJobFailedException>(() =>
            c.CreateDrillAndWaitAsync(new CreateDrillRequest { ServerGroupId = groupId, Name = "rehearsal-fails" }, Wait));
        string failedJobId = failed.JobId!;
        Assert.False(string.IsNullOrEmpty(failedJobId));
        Assert.Empty((await c.ListFailedTasksAsync()).Tasks); // group-level scope: none
        FailedTaskPage inGroup = await c.ListFailedTasksAsync(new FailedTaskListOptions { ServerGroupId = groupId });
        Assert.Equal(1, inGroup.Count);
        FailedTask task = Assert.Single(inGroup.Tasks);
        Assert.Equal(failedJobId, task.JobId);
        Assert.Equal("createDisasterRecoveryDrill", task.JobType);
        Assert.Equal("FAIL", task.JobStatus);
        Assert.Equal("disaster_recovery_drills", task.ResourceType);
        Assert.Equal("rehearsal-fails", task.ResourceName);
        Assert.Equal("createFail", task.FailureStatus);
        Assert.Equal("SDRS.1922", task.ErrorCode);
        Assert.False(string.IsNullOrEmpty(task.FailReason));
        Assert.NotNull(task.BeginTime);
        Assert.Contains(failedJobId, task.Json);
        var filtered = new List<FailedTask>();
        await foreach (FailedTask t in c.ListAllFailedTasksAsync(new FailedTaskListOptions { ServerGroupId = groupId, FailureStatus = "createFail", ResourceType = "disaster_recovery_drills", ResourceName = "fails", Limit = 1 }))
        {
            filtered.Add(t);
        }

        Assert.Equal([task], filtered);
        Assert.Empty((await c.ListFailedTasksAsync(new FailedTaskListOptions { ServerGroupId = groupId, FailureStatus = "deleteFail" })).Tasks);
        await c.DeleteFailedTaskAsync(failedJobId);
        Assert.Empty((await c.ListFailedTasksAsync(new FailedTaskListOptions { ServerGroupId = groupId })).Tasks);

        // The failed drill (status error) can be deleted; a second failure is removed with its group's batch.
        Drill errored = Assert.Single((await c.ListDrillsAsync(new DrillListOptions { ServerGroupId = groupId })).Drills);
        Assert.Equal(DrillStatus.Error, errored.Status);
        await Done(c, c.DeleteDrillAsync(errored.Id!));
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/fail-next-jobs", """{"count": 1, "job_type": "createDisasterRecoveryDrill"}""");
        await Assert.ThrowsAsync<SdrsJobFailedException>(() => c.CreateDrillAndWaitAsync(new CreateDrillRequest { ServerGroupId = groupId, Name = "rehearsal-fails-2" }, Wait));
        Assert.Single((await c.ListFailedTasksAsync(new FailedTaskListOptions { ServerGroupId = groupId })).Tasks);
        await c.DeleteGroupFailedTasksAsync(groupId);
        Assert.Empty((await c.ListFailedTasksAsync(new FailedTaskListOptions { ServerGroupId = groupId })).Tasks);
        await Done(c, c.DeleteDrillAsync(Assert.Single((await c.ListDrillsAsync(new DrillListOptions { ServerGroupId = groupId })).Drills).Id!));

        // ---- Teardown: the quota counts move back down.
        await Done(c, c.DeleteProtectedInstanceAsync(pi1.Id!, deleteTargetServer: true));
        await Done(c, c.DeleteProtectedInstanceAsync(pi2.Id!, deleteTargetServer: true));
        Quotas q2 = await c.GetQuotasAsync();
        Assert.Equal(1, q2.ServerGroups!.Used);
        Assert.Equal(0, q2.Replications!.Used);
        await Done(c, c.DeleteProtectionGroupAsync(groupId));
        Assert.Equal(0, (await c.GetQuotasAsync()).ServerGroups!.Used);

        // A group-level failure (a failed group create) is listed without a group and removed by the group-level batch.
        await Assert.ThrowsAsync<SdrsJobFailedException>(() => c.CreateProtectionGroupAndWaitAsync(Fixtures.GroupFor(app1, Emulator.UniqueName("fail-cs-")), Wait));
        FailedTask groupLevel = Assert.Single((await c.ListFailedTasksAsync()).Tasks);
        Assert.Equal(("server_groups", "createFail"), (groupLevel.ResourceType, groupLevel.FailureStatus));
        await c.DeleteGroupLevelFailedTasksAsync();
        Assert.Empty((await c.ListFailedTasksAsync()).Tasks);
    }

    [Fact]
    public async Task QuotaLimitsAreUnlimitedOrANumberNeverMinusOne()
    {
        using SdrsClient c = emu.NewClient();
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/config", """{"quota_server_groups": -1, "quota_replications": 7}""");
        try
        {
            Quotas q = await c.GetQuotasAsync();
            QuotaLimit groups = q.ServerGroups!.Quota;
            QuotaLimit pairs = q.Replications!.Quota;
            Assert.Equal(QuotaLimitKind.Unlimited, groups.Kind);
            Assert.Null(groups.Value);
            Assert.True(groups.Allows(long.MaxValue - 1));
            Assert.Equal(new QuotaLimit(QuotaLimitKind.Limited, 7), pairs);
            Assert.False(pairs.IsUnlimited);
            Assert.True(pairs.Allows(5, 2));
            Assert.False(pairs.Allows(5, 3));
            Assert.Equal("7", pairs.ToString());
        }
        finally
        {
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/config", """{"quota_server_groups": 100000, "quota_replications": 100000}""");
        }
    }

    [Fact]
    public async Task DrillAndQuotaPreconditionsGiveTheServiceCodes()
    {
        using SdrsClient c = emu.NewClient();
        Fixtures.Server app3 = await Fixtures.ServerAsync(emu, "app-3");
        ProtectionGroup group = await c.CreateProtectionGroupAndWaitAsync(Fixtures.GroupFor(app3, Emulator.UniqueName("cs-pre-")), Wait);
        CreateDrillRequest request = new() { ServerGroupId = group.Id!, Name = "pre-1", DrillVpcId = DrillVpc };

        async Task Refused(string apiCode, CreateDrillRequest r)
        {
            var ex = await Assert.ThrowsAnyAsync<SdrsException>(() => c.CreateDrillAsync(r));
            Assert.Equal((400, apiCode), (ex.HttpStatus, ex.ApiCode));
        }

        await Refused("SDRS.1907", request with { DrillVpcId = group.SourceVpcId });          // the group's own VPC
        await Refused("SDRS.1928", request with { DrillVpcId = "d0000000-0000-4000-8000-00000000000d" }); // unknown VPC
        await Refused("SDRS.1908", request with { DrillVpcId = "e0000000-0000-4000-8000-00000000000e" }); // no subnet
        await Refused("SDRS.1909", request with { DrillVpcId = "f0000000-0000-4000-8000-00000000000f" }); // other CIDR
        await Refused("SDRS.1013", request with { ServerGroupId = "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3" });
        Drill drill = await c.CreateDrillAndWaitAsync(request, Wait);
        await Refused("SDRS.1921", request with { Name = "pre-2" });                            // one drill per VPC
        var blocked = await Assert.ThrowsAnyAsync<SdrsException>(() => c.DeleteProtectionGroupAsync(group.Id!));
        Assert.Equal("SDRS.1003", blocked.ApiCode);                                              // a drill blocks the group delete
        await Done(c, c.DeleteDrillAsync(drill.Id!));

        // Quota exceeded: the group limit set to what is used refuses the next group.
        long used = (await c.GetQuotasAsync()).ServerGroups!.Used!.Value;
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/config", $$"""{"quota_server_groups": {{used}}}""");
        try
        {
            Quotas q = await c.GetQuotasAsync();
            Assert.False(q.ServerGroups!.Quota.Allows(q.ServerGroups.Used!.Value));
            var quota = await Assert.ThrowsAsync<SdrsQuotaException>(() => c.CreateProtectionGroupAsync(Fixtures.GroupFor(app3, Emulator.UniqueName("cs-over-"))));
            Assert.Equal("SDRS.0305", quota.ApiCode);
        }
        finally
        {
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/config", """{"quota_server_groups": 100000}""");
        }

        await Done(c, c.DeleteProtectionGroupAsync(group.Id!));
    }
}
