using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>
/// Inputs of the protected-instance and replication-pair calls that libsdrs rejects before
/// sending: each throws <see cref="SdrsValidationException"/> naming the wire field, and the
/// emulator's API request counter does not move.
/// </summary>
[Collection("emulator")]
public class DrValidationTests(EmulatorFixture emu)
{
    private const string GroupId = "c3f1d6a2-7b8e-4f09-9d2a-61e4b0c5a7f3";
    private const string Id = "b71e0c54-2d9a-4f3e-8c61-0e5a9d7f2b18";

    private static CreateProtectedInstanceRequest Instance() => new()
    {
        ServerGroupId = GroupId,
        ServerId = Id,
        Name = "erp-app-01",
    };

    private static CreateReplicationPairRequest Pair() => new()
    {
        ServerGroupId = GroupId,
        VolumeId = Id,
        Name = "shared-data",
    };

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
        Assert.Equal(0, ex.Attempts);
        Assert.Equal(before, await ApiRequests());
    }

    [Fact]
    public async Task ProtectedInstanceInputsAreCheckedBeforeSending()
    {
        using SdrsClient c = emu.NewClient();
        string tooLong = new('a', 65);
        await Rejected("name", () => c.CreateProtectedInstanceAsync(Instance() with { Name = tooLong }));
        await Rejected("name", () => c.CreateProtectedInstanceAndWaitAsync(Instance() with { Name = "bad name" }, Emulator.FastWait));
        await Rejected("description", () => c.CreateProtectedInstanceAsync(Instance() with { Description = "<b>" }));
        await Rejected("primary_ip_address", () => c.CreateProtectedInstanceAsync(Instance() with { PrimarySubnetId = Id, PrimaryIpAddress = "10.0.0.256" }));
        // An address without its subnet would be ignored by the service: refused instead.
        await Rejected("primary_ip_address", () => c.CreateProtectedInstanceAsync(Instance() with { PrimaryIpAddress = "10.0.0.5" }));
        await Rejected("server_group_id", () => c.CreateProtectedInstanceAsync(Instance() with { ServerGroupId = "" }));
        await Rejected("server_id", () => c.CreateProtectedInstanceAsync(Instance() with { ServerId = "" }));
        await Rejected("tags", () => c.CreateProtectedInstanceAsync(Instance() with
        {
            Tags = Enumerable.Range(0, 21).Select(i => new ResourceTag("k" + i, "v")).ToArray(),
        }));
        await Rejected("env", () => c.CreateProtectedInstanceAsync(Instance() with
        {
            Tags = [new ResourceTag("env", "prod"), new ResourceTag("env", "test")],
        }));
        await Rejected("key", () => c.CreateProtectedInstanceAsync(Instance() with { Tags = [new ResourceTag(new string('k', 128), "v")] }));

        // Ids in a path: one segment, never a literal route segment of the resource.
        await Rejected("protected_instance_id", () => c.GetProtectedInstanceAsync("a/b"));
        await Rejected("protected_instance_id", () => c.GetProtectedInstanceAsync("tags"));
        await Rejected("protected_instance_id", () => c.DeleteProtectedInstanceAsync("batch", deleteTargetServer: true));
        await Rejected("protected_instance_id", () => c.RenameProtectedInstanceAsync("resource_instances", "x"));
        await Rejected("name", () => c.RenameProtectedInstanceAsync(Id, tooLong));

        await Rejected("device", () => c.AttachReplicationPairAsync(Id, Id, "/dev/hda"));
        await Rejected("device", () => c.AttachReplicationPairAsync(Id, Id, "vdb"));
        await Rejected("replication_id", () => c.DetachReplicationPairAsync(Id, "../x"));
        await Rejected("ip_address", () => c.AddProtectedInstanceNicAsync(Id, new AddNicRequest { SubnetId = Id, IpAddress = "1.2.3" }));
        await Rejected("subnet_id", () => c.AddProtectedInstanceNicAsync(Id, new AddNicRequest { SubnetId = "" }));
        await Rejected("nic_id", () => c.DeleteProtectedInstanceNicAsync(Id, ""));
        await Rejected("flavorRef", () => c.ResizeProtectedInstanceAsync(Id, new ResizeProtectedInstanceRequest()));
        await Rejected("flavorRef", () => c.ResizeProtectedInstanceAsync(Id, new ResizeProtectedInstanceRequest { FlavorRef = "s3.large.2", DrFlavorRef = "s3.xlarge.2" }));

        await Rejected("limit", () => c.ListProtectedInstancesAsync(new ProtectedInstanceListOptions { Limit = 0 }));
        await Rejected("offset", () => c.ListProtectedInstancesAsync(new ProtectedInstanceListOptions { Offset = -1 }));
        await Rejected("server_group_ids", () => c.ListProtectedInstancesAsync(new ProtectedInstanceListOptions
        {
            ServerGroupIds = Enumerable.Range(0, 31).Select(i => $"g{i}").ToArray(),
        }));
        await Rejected("query_type", () => c.ListProtectedInstancesAsync(new ProtectedInstanceListOptions { QueryType = "everything" }));
        await Rejected("limit", async () =>
        {
            await foreach (ProtectedInstance _ in c.ListAllProtectedInstancesAsync(new ProtectedInstanceListOptions { Limit = 1001 }))
            {
            }
        });

        await Assert.ThrowsAsync<ArgumentNullException>(() => c.GetProtectedInstanceAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => c.AttachReplicationPairAsync(Id, Id, null!));
    }

    [Fact]
    public async Task ReplicationPairInputsAreCheckedBeforeSending()
    {
        using SdrsClient c = emu.NewClient();
        await Rejected("name", () => c.CreateReplicationPairAsync(Pair() with { Name = new string('a', 65) }));
        await Rejected("name", () => c.CreateReplicationPairAndWaitAsync(Pair() with { Name = "" }, Emulator.FastWait));
        await Rejected("description", () => c.CreateReplicationPairAsync(Pair() with { Description = "a>b" }));
        await Rejected("volume_id", () => c.CreateReplicationPairAsync(Pair() with { VolumeId = "" }));
        await Rejected("server_group_id", () => c.CreateReplicationPairAsync(Pair() with { ServerGroupId = "" }));

        await Rejected("replication_id", () => c.GetReplicationPairAsync("a/b"));
        await Rejected("replication_id", () => c.RenameReplicationPairAsync("..", "ok"));
        await Rejected("name", () => c.RenameReplicationPairAsync(Id, "no spaces"));
        await Rejected("replication_id", () => c.DeleteReplicationPairAsync("a?b", GroupId, deleteTargetVolume: true));
        await Rejected("new_size", () => c.ExpandReplicationPairAsync(Id, 0));
        await Rejected("new_size", () => c.ExpandReplicationPairAsync(Id, 32769));

        await Rejected("limit", () => c.ListReplicationPairsAsync(new ReplicationPairListOptions { Limit = 0 }));
        await Rejected("protected_instance_ids", () => c.ListReplicationPairsAsync(new ReplicationPairListOptions
        {
            InstanceIds = Enumerable.Range(0, 31).Select(i => $"i{i}").ToArray(),
        }));
        await Rejected("offset", async () =>
        {
            await foreach (ReplicationPair _ in c.ListAllReplicationPairsAsync(new ReplicationPairListOptions { Offset = -5 }))
            {
            }
        });

        await Assert.ThrowsAsync<ArgumentNullException>(() => c.ExpandReplicationPairAsync(null!, 10));
    }

    [Fact]
    public void StatusNamesComeFromTheLibrary()
    {
        Assert.Equal("nic-creating", ProtectedInstance.StatusName(ProtectedInstanceStatus.NicCreating));
        Assert.Equal("failed-over", ProtectedInstance.StatusName(ProtectedInstanceStatus.FailedOver));
        Assert.Equal("fault", ProtectedInstance.StatusName(ProtectedInstanceStatus.Fault));
        Assert.Equal("error-attaching", ReplicationPair.StatusName(ReplicationPairStatus.ErrorAttaching));
        Assert.Equal("invalid", ReplicationPair.StatusName(ReplicationPairStatus.Invalid));
        Assert.Equal("unknown", ReplicationPair.StatusName((ReplicationPairStatus)999));
        // Every enum member has the library's name (the C# enum and the C enum agree).
        Assert.All(Enum.GetValues<ProtectedInstanceStatus>().Where(s => s != ProtectedInstanceStatus.Unknown),
            s => Assert.NotEqual("unknown", ProtectedInstance.StatusName(s)));
        Assert.All(Enum.GetValues<ReplicationPairStatus>().Where(s => s != ReplicationPairStatus.Unknown),
            s => Assert.NotEqual("unknown", ReplicationPair.StatusName(s)));
        Assert.Equal("unknown", ProtectedInstance.StatusName((ProtectedInstanceStatus)(Enum.GetValues<ProtectedInstanceStatus>().Length)));
    }
}
