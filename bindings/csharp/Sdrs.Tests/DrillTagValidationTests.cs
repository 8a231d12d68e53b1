using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>
/// Inputs of the drill, tag, tag-query and task-center calls that libsdrs rejects before sending:
/// each throws <see cref="SdrsValidationException"/> naming the wire field, and the emulator's
/// API request counter does not move.
/// </summary>
[Collection("emulator")]
public class DrillTagValidationTests(EmulatorFixture emu)
{
    private const string GroupId = "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3";
    private const string Id = "b71e0c54-2d9a-4f3e-8c61-0e5a9d7f2b18";

    private static CreateDrillRequest Drill() => new() { ServerGroupId = GroupId, Name = "rehearsal-1" };

    private async Task<long> ApiRequests()
    {
        using JsonDocument stats = JsonDocument.Parse(await emu.AdminAsync(HttpMethod.Get, "/_emulator/stats"));
        return stats.RootElement.GetProperty("api_requests").GetInt64();
    }

    /// <summary>Runs the call, expects a validation error naming the field, and no API request.</summary>
    private async Task Rejected(string field, Func<Task> call)
    {
        long before = await ApiRequests();
        var ex = await Assert.ThrowsAsync<SdrsValidationException>(call);
        Assert.Equal(SdrsErrorCode.Validation, ex.Code);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, ex.HttpStatus);
        Assert.Equal(before, await ApiRequests());
    }

    private static async Task Drain<T>(System.Collections.Generic.IAsyncEnumerable<T> items)
    {
        await foreach (T _ in items)
        {
        }
    }

    [Fact]
    public async Task DrillInputsAreCheckedBeforeSending()
    {
        using SdrsClient c = emu.NewClient();
        await Rejected("name", () => c.CreateDrillAsync(Drill() with { Name = "bad name" }));
        await Rejected("name", () => c.CreateDrillAsync(Drill() with { Name = new string('a', 65) }));
        await Rejected("name", () => c.CreateDrillAndWaitAsync(Drill() with { Name = "" }, Emulator.FastWait));
        await Rejected("server_group_id", () => c.CreateDrillAsync(Drill() with { ServerGroupId = "" }));
        await Rejected("drill_vpc_id", () => c.CreateDrillAsync(Drill() with { DrillVpcId = "" }));
        await Rejected("disaster_recovery_drill_id", () => c.GetDrillAsync("a/b"));
        await Rejected("disaster_recovery_drill_id", () => c.DeleteDrillAsync(""));
        await Rejected("name", () => c.RenameDrillAsync(Id, "bad name"));
        await Rejected("limit", () => c.ListDrillsAsync(new DrillListOptions { Limit = 0 }));
        await Rejected("offset", () => c.ListDrillsAsync(new DrillListOptions { Offset = -1 }));
        await Rejected("limit", () => Drain(c.ListAllDrillsAsync(new DrillListOptions { Limit = 1001 })));
    }

    [Fact]
    public async Task TagInputsAreCheckedBeforeSending()
    {
        using SdrsClient c = emu.NewClient();
        await Rejected("key", () => c.AddTagAsync(Id, "", "v"));
        await Rejected("key", () => c.AddTagAsync(Id, new string('k', 128), "v"));
        await Rejected("value", () => c.AddTagAsync(Id, "k", new string('v', 256)));
        await Rejected("value", () => c.AddTagAsync(Id, "k", "line\nbreak"));
        await Rejected("key", () => c.DeleteTagAsync(Id, ""));
        await Rejected("protected_instance_id", () => c.ListTagsAsync("a/b"));
        await Rejected("protected_instance_id", () => c.AddTagAsync("tags", "k", "v"));
        await Rejected("tags", () => c.AddTagsAsync(Id, []));
        await Rejected("tags", () => c.DeleteTagsAsync(Id, []));
        await Rejected("tags", () => c.AddTagsAsync(Id, Enumerable.Range(0, 21).Select(i => new ResourceTag("k" + i, "v"))));
        await Rejected("env", () => c.AddTagsAsync(Id, [new ResourceTag("env", "a"), new ResourceTag("env", "b")]));
        await Rejected("value", () => c.AddTagsAsync(Id, [new ResourceTag("env", null)]));
    }

    [Fact]
    public async Task TagQueryInputsAreCheckedBeforeSending()
    {
        using SdrsClient c = emu.NewClient();
        var query = new TagQuery().WithAll("app", "erp");
        await Rejected("limit", () => c.FilterProtectedInstancesByTagAsync(query with { Limit = 0 }));
        await Rejected("limit", () => c.FilterProtectedInstancesByTagAsync(query with { Limit = 1001 }));
        await Rejected("offset", () => c.FilterProtectedInstancesByTagAsync(query with { Offset = -1 }));
        // The service forbids limit and offset with action "count".
        await Rejected("limit", () => c.CountProtectedInstancesByTagAsync(query with { Limit = 10 }));
        await Rejected("offset", () => c.CountProtectedInstancesByTagAsync(query with { Offset = 1 }));
        await Rejected("key", () => c.CountProtectedInstancesByTagAsync(new TagQuery().WithAny("")));
        await Rejected("*", () => c.CountProtectedInstancesByTagAsync(new TagQuery().WithNotAll("app", "*")));
        await Rejected("tags_any", () => c.CountProtectedInstancesByTagAsync(new TagQuery
        {
            Any = Enumerable.Range(0, 21).Select(i => new TagCondition("k" + i)).ToArray(),
        }));
        await Rejected("erp", () => c.CountProtectedInstancesByTagAsync(new TagQuery().WithAll("app", "erp", "erp")));
        await Rejected("matches[].value", () => c.FilterProtectedInstancesByTagAsync(new TagQuery { Name = new string('n', 256) }));
        await Rejected("limit", () => Drain(c.ListAllProtectedInstancesByTagAsync(query with { Limit = 0 })));
    }

    [Fact]
    public async Task TaskCenterInputsAreCheckedBeforeSending()
    {
        using SdrsClient c = emu.NewClient();
        // "batch" would reach the delete-all endpoint.
        await Rejected("failure_job_id", () => c.DeleteFailedTaskAsync("batch"));
        await Rejected("failure_job_id", () => c.DeleteFailedTaskAsync("a/b"));
        await Rejected("server_group_id", () => c.DeleteGroupFailedTasksAsync(""));
        await Rejected("failure_status", () => c.ListFailedTasksAsync(new FailedTaskListOptions { FailureStatus = "brokenFail" }));
        await Rejected("resource_type", () => c.ListFailedTasksAsync(new FailedTaskListOptions { ResourceType = "volumes" }));
        await Rejected("limit", () => c.ListFailedTasksAsync(new FailedTaskListOptions { Limit = 0 }));
        await Rejected("offset", () => Drain(c.ListAllFailedTasksAsync(new FailedTaskListOptions { Offset = -1 })));
    }

    [Fact]
    public void AnAbsentQuotaLimitGivesNoAnswer()
    {
        var absent = new QuotaLimit(QuotaLimitKind.Absent, null);
        Assert.True(absent.IsAbsent);
        Assert.Equal("absent", absent.ToString());
        Assert.Throws<InvalidOperationException>(() => absent.Allows(0));
        Assert.True(new QuotaLimit(QuotaLimitKind.Unlimited, null).Allows(long.MaxValue - 1));
    }
}
