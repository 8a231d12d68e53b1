using System;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>
/// Unknown outcomes: a create whose answer is lost says so (never retryable, with its send
/// time), and FindCreatedProtectionGroupAsync settles it without risking a duplicate.
/// </summary>
[Collection("emulator")]
public class ReconcileTests(EmulatorFixture emu)
{
    /// <summary>
    /// Makes the next create POST fail with <paramref name="kind"/> (close_after: the group is
    /// made; close_before: it is not) and checks the exception reports an unknown outcome.
    /// </summary>
    private async Task<SdrsTransportException> LostCreateAsync(SdrsClient client, CreateProtectionGroupRequest request, string kind)
    {
        await emu.AdminAsync(HttpMethod.Post, "/_emulator/faults", $"{{\"route\":\"POST /server-groups\",\"kind\":\"{kind}\",\"count\":1}}");
        try
        {
            DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);
            var ex = await Assert.ThrowsAsync<SdrsTransportException>(() => client.CreateProtectionGroupAsync(request));
            DateTimeOffset after = DateTimeOffset.UtcNow.AddSeconds(1);
            Assert.True(ex.OutcomeUnknown, kind);
            Assert.False(ex.Retryable, kind);
            Assert.Equal(1, ex.Attempts); // never sent again
            Assert.NotNull(ex.SentAt);
            Assert.InRange(ex.SentAt!.Value, before, after);
            Assert.Contains("may have", ex.Message);
            Assert.Contains("\"hits\":1", await emu.AdminAsync(HttpMethod.Get, "/_emulator/faults"));
            return ex;
        }
        finally
        {
            await emu.AdminAsync(HttpMethod.Delete, "/_emulator/faults");
        }
    }

    private static async Task<int> GroupsNamedAsync(SdrsClient client, string name)
    {
        ProtectionGroupPage page = await client.ListProtectionGroupsAsync(new ListOptions { Name = name });
        return page.Groups.Count(g => g.Name == name);
    }

    [Fact]
    public async Task LostCreateThatWasMadeIsFound()
    {
        using SdrsClient client = emu.NewClient();
        string name = Emulator.UniqueName("lost-made-");
        CreateProtectionGroupRequest request = Emulator.Request(name);
        SdrsTransportException lost = await LostCreateAsync(client, request, "close_after");
        DateTimeOffset since = lost.SentAt!.Value;

        ProtectionGroup pg = await client.FindCreatedProtectionGroupAsync(request, since);
        Assert.Equal(name, pg.Name);
        Assert.Equal(Emulator.DomainA, pg.DomainId);
        Assert.Equal(request.SourceVpcId, pg.SourceVpcId);
        Assert.Equal(1, await GroupsNamedAsync(client, name));

        // A group made long before `since` (beyond the clock-skew allowance) is not the lost one's.
        await Assert.ThrowsAsync<SdrsNotFoundException>(() => client.FindCreatedProtectionGroupAsync(request, since.AddHours(1)));
        // A request that differs in a field the group has does not match.
        await Assert.ThrowsAsync<SdrsNotFoundException>(() =>
            client.FindCreatedProtectionGroupAsync(request with { SourceVpcId = "b0000000-0000-4000-8000-00000000000b" }, since));
    }

    [Fact]
    public async Task LostCreateThatWasNotMadeIsNotFoundThenSafeToRepeat()
    {
        using SdrsClient client = emu.NewClient();
        string name = Emulator.UniqueName("lost-not-");
        CreateProtectionGroupRequest request = Emulator.Request(name);
        SdrsTransportException lost = await LostCreateAsync(client, request, "close_before");
        DateTimeOffset since = lost.SentAt!.Value;

        var none = await Assert.ThrowsAsync<SdrsNotFoundException>(() => client.FindCreatedProtectionGroupAsync(request, since));
        Assert.False(none.OutcomeUnknown);
        Assert.Null(none.SentAt);
        ProtectionGroup made = await client.CreateProtectionGroupAndWaitAsync(request, Emulator.FastWait);
        ProtectionGroup found = await client.FindCreatedProtectionGroupAsync(request, since);
        Assert.Equal(made.Id, found.Id);
        Assert.Equal(1, await GroupsNamedAsync(client, name));
    }

    [Fact]
    public async Task FindCreatedForARequestNeverSent()
    {
        using SdrsClient client = emu.NewClient();
        CreateProtectionGroupRequest request = Emulator.Request(Emulator.UniqueName("never-sent-"));
        var ex = await Assert.ThrowsAsync<SdrsNotFoundException>(() => client.FindCreatedProtectionGroupAsync(request, DateTimeOffset.UtcNow));
        Assert.False(ex.OutcomeUnknown);
        Assert.Null(ex.SentAt);
        // A time before 1970 is refused by libsdrs, naming the argument.
        var bad = await Assert.ThrowsAsync<SdrsValidationException>(() =>
            client.FindCreatedProtectionGroupAsync(request, DateTimeOffset.UnixEpoch.AddSeconds(-1)));
        Assert.Contains("since", bad.Message);
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.FindCreatedProtectionGroupAsync(null!, DateTimeOffset.UtcNow));
    }
}
