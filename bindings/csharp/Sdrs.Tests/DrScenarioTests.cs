using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>The emulator's ECS servers and EVS disks (its fixtures), read through its admin listings.</summary>
internal static class Fixtures
{
    internal sealed record Server(string Id, string Name, string VpcId, string AvailabilityZone, string? Role, string? InstanceId, string[] Devices);

    internal sealed record Volume(string Id, string Name, string? Role);

    internal static async Task<List<Server>> ServersAsync(Emulator emu)
    {
        using JsonDocument doc = JsonDocument.Parse(await emu.AdminAsync(HttpMethod.Get, "/_emulator/servers"));
        return doc.RootElement.GetProperty("servers").EnumerateArray().Select(s => new Server(
            s.GetProperty("id").GetString()!,
            s.GetProperty("name").GetString()!,
            s.GetProperty("vpc_id").GetString()!,
            s.GetProperty("availability_zone").GetString()!,
            Text(s, "role"),
            Text(s, "protected_instance_id"),
            s.GetProperty("volumes").EnumerateArray().Select(v => v.GetProperty("device").GetString()!).ToArray())).ToList();
    }

    internal static async Task<List<Volume>> VolumesAsync(Emulator emu)
    {
        using JsonDocument doc = JsonDocument.Parse(await emu.AdminAsync(HttpMethod.Get, "/_emulator/volumes"));
        return doc.RootElement.GetProperty("volumes").EnumerateArray()
            .Select(v => new Volume(v.GetProperty("id").GetString()!, v.GetProperty("name").GetString()!, Text(v, "role"))).ToList();
    }

    /// <summary>A production server of the default fixture set, by name.</summary>
    internal static async Task<Server> ServerAsync(Emulator emu, string name) =>
        Assert.Single(await ServersAsync(emu), s => s.Name == name && s.Role != "dr");

    /// <summary>An unattached production disk of the default fixture set, by name.</summary>
    internal static async Task<Volume> VolumeAsync(Emulator emu, string name) =>
        Assert.Single(await VolumesAsync(emu), v => v.Name == name && v.Role != "dr");

    /// <summary>A request for a group whose VPC and production AZ hold the fixture servers.</summary>
    internal static CreateProtectionGroupRequest GroupFor(Server server, string name) =>
        Emulator.Request(name) with { SourceVpcId = server.VpcId, SourceAvailabilityZone = server.AvailabilityZone };

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>
/// The disaster-recovery workflow of issue 15 through the public API only: domain, group, two
/// protected servers, a shared-disk pair attached to one of them, enable, failover, re-protect,
/// planned failover, disable, teardown. States and group counters are checked at every step.
/// </summary>
[Collection("emulator")]
public class DrScenarioTests(EmulatorFixture emu)
{
    private static readonly WaitOptions Wait = Emulator.FastWait;

    private static async Task<Job> Done(SdrsClient c, Task<string> jobId) => await c.WaitForJobAsync(await jobId, Wait);

    [Fact]
    public async Task ProtectServersFailOverAndTearDown()
    {
        using SdrsClient c = emu.NewClient();

        // Domain -> group in the fixture servers' VPC and production AZ.
        Domain domain = Assert.Single((await c.ListDomainsAsync()).Domains, d => d.Id == Emulator.DomainA);
        Fixtures.Server app1 = await Fixtures.ServerAsync(emu, "app-1");
        Fixtures.Server app2 = await Fixtures.ServerAsync(emu, "app-2");
        Fixtures.Volume shared = await Fixtures.VolumeAsync(emu, "shared-1");
        Assert.Equal(domain.LocalAvailabilityZone, app1.AvailabilityZone);
        ProtectionGroup group = await c.CreateProtectionGroupAndWaitAsync(Fixtures.GroupFor(app1, Emulator.UniqueName("cs-dr-")), Wait);
        string groupId = group.Id!;
        Assert.Equal(ProtectionGroupStatus.Available, group.Status);
        await AssertCounters(c, groupId, instances: 0, pairs: 0);

        // Protect two servers: each brings its DR server and one attached pair per disk.
        ProtectedInstance pi1 = await c.CreateProtectedInstanceAndWaitAsync(new CreateProtectedInstanceRequest
        {
            ServerGroupId = groupId,
            ServerId = app1.Id,
            Name = "app-1-dr",
            Description = "first",
            Tags = [new ResourceTag("env", "prod"), new ResourceTag("tier", "")],
        }, Wait);
        ProtectedInstance pi2 = await c.CreateProtectedInstanceAndWaitAsync(new CreateProtectedInstanceRequest
        {
            ServerGroupId = groupId,
            ServerId = app2.Id,
            Name = "app-2-dr",
            FlavorRef = "s3.xlarge.2",
        }, Wait);
        foreach ((ProtectedInstance pi, Fixtures.Server server) in new[] { (pi1, app1), (pi2, app2) })
        {
            Assert.Equal(ProtectedInstanceStatus.Available, pi.Status);
            Assert.Equal("available", pi.StatusText);
            Assert.Equal(groupId, pi.ServerGroupId);
            Assert.Equal(server.Id, pi.SourceServerId);
            Assert.False(string.IsNullOrEmpty(pi.TargetServerId));
            Assert.NotEqual(server.Id, pi.TargetServerId);
            Assert.Equal("source", pi.PriorityStation);
            Assert.NotNull(pi.CreatedAt);
            Assert.NotNull(pi.UpdatedAt);
            Assert.Equal(server.Devices.Order(StringComparer.Ordinal), pi.Attachments.Select(a => a.Device!).Order(StringComparer.Ordinal));
            Assert.All(pi.Attachments, a => Assert.False(string.IsNullOrEmpty(a.ReplicationId)));
            Assert.False(pi.IsFrozen);
            Assert.Contains(pi.Id!, pi.Json);
        }

        Assert.Equal("first", pi1.Description);
        Assert.Equal([new ResourceTag("env", "prod"), new ResourceTag("tier", "")], pi1.Tags);
        Assert.Null(pi2.Description);
        Assert.Empty(pi2.Tags);
        ProtectedInstance got = await c.GetProtectedInstanceAsync(pi1.Id!);
        Assert.Equal((pi1.Id, pi1.Name, pi1.Json), (got.Id, got.Name, got.Json));
        Assert.Equal(pi1.Tags, got.Tags);
        Assert.Equal(pi1.Attachments, got.Attachments);
        int autoPairs = app1.Devices.Length + app2.Devices.Length;
        await AssertCounters(c, groupId, instances: 2, pairs: autoPairs);
        List<Fixtures.Server> servers = await Fixtures.ServersAsync(emu);
        Fixtures.Server dr1 = Assert.Single(servers, s => s.Id == pi1.TargetServerId);
        Assert.Equal("dr", dr1.Role);
        Assert.Equal(pi1.Id, dr1.InstanceId);

        // Listing: one page by group, every instance through pages of one, pairs by instance.
        ProtectedInstancePage page = await c.ListProtectedInstancesAsync(new ProtectedInstanceListOptions { ServerGroupId = groupId });
        Assert.Equal(2, page.Count);
        Assert.Equal(new[] { pi1.Id!, pi2.Id! }.Order(StringComparer.Ordinal), page.Instances.Select(i => i.Id!).Order(StringComparer.Ordinal));
        var all = new List<string>();
        await foreach (ProtectedInstance pi in c.ListAllProtectedInstancesAsync(new ProtectedInstanceListOptions { ServerGroupIds = [groupId], Limit = 1 }))
        {
            all.Add(pi.Id!);
        }

        Assert.Equal(new[] { pi1.Id!, pi2.Id! }.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        ReplicationPairPage ofPi1 = await c.ListReplicationPairsAsync(new ReplicationPairListOptions { InstanceId = pi1.Id });
        Assert.Equal(pi1.Attachments.Select(a => a.ReplicationId).Order(StringComparer.Ordinal), ofPi1.Pairs.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.All(ofPi1.Pairs, p => Assert.Equal(pi1.Id, Assert.Single(p.Attachments).ProtectedInstanceId));
        ReplicationPair systemPair = Assert.Single(ofPi1.Pairs, p => p.RecordMetadata.Bootable == true);
        Assert.Equal("/dev/vda", Assert.Single(systemPair.Attachments).Device);
        Assert.Equal(false, systemPair.RecordMetadata.Multiattach);

        // A pair for the shared disk, attached to the first instance.
        ReplicationPair pair = await c.CreateReplicationPairAndWaitAsync(new CreateReplicationPairRequest
        {
            ServerGroupId = groupId,
            VolumeId = shared.Id,
            Name = "shared-1-pair",
            Description = "cluster disk",
        }, Wait);
        Assert.Equal(ReplicationPairStatus.Available, pair.Status);
        Assert.Equal(groupId, pair.ServerGroupId);
        Assert.Equal("cluster disk", pair.Description);
        Assert.Empty(pair.Attachments);
        Assert.Equal(shared.Id, pair.ProductionVolumeId);
        Assert.False(string.IsNullOrEmpty(pair.DrVolumeId));
        Assert.NotEqual(shared.Id, pair.DrVolumeId);
        Assert.Equal([pair.ProductionVolumeId!, pair.DrVolumeId!], pair.VolumeIds);
        Assert.Equal($"{pair.ProductionVolumeId},{pair.DrVolumeId}", pair.VolumeIdsText);
        Assert.Equal(new ReplicationPairRecordMetadata(100, "SSD", true, false), pair.RecordMetadata);
        Assert.Equal("hypermetro", pair.ReplicationModel);
        Assert.Equal("inactive", pair.ReplicationStatus);
        Assert.Equal("0", pair.FaultLevel);
        Assert.Null(pair.FailureDetail);
        Assert.NotNull(pair.CreatedAt);
        await AssertCounters(c, groupId, instances: 2, pairs: autoPairs + 1);

        string device = "/dev/vd" + (char)('a' + app1.Devices.Length);
        Job attach = await Done(c, c.AttachReplicationPairAsync(pi1.Id!, pair.Id!, device));
        Assert.Equal(pair.Id, attach.Entities["replication_pair_id"]);
        Assert.Equal(new ReplicationPairAttachment(pi1.Id, device), Assert.Single((await c.GetReplicationPairAsync(pair.Id!)).Attachments));
        Assert.Contains(new ProtectedInstanceAttachment(pair.Id, device), (await c.GetProtectedInstanceAsync(pi1.Id!)).Attachments);

        // Enable: the group, its instances and pairs become protected and replicate.
        await Done(c, c.EnableProtectionAsync(groupId));
        await AssertStates(c, groupId, [pi1.Id!, pi2.Id!], pair.Id!, ProtectionGroupStatus.Protected, ProtectedInstanceStatus.Protected, ReplicationPairStatus.Protected, "source");
        Assert.Equal("active", (await c.GetReplicationPairAsync(pair.Id!)).ReplicationStatus);
        Assert.Equal(100, (await c.GetProtectedInstanceAsync(pi1.Id!)).Progress);

        // Failover: the DR site becomes production.
        await Done(c, c.FailoverAsync(groupId));
        await AssertStates(c, groupId, [pi1.Id!, pi2.Id!], pair.Id!, ProtectionGroupStatus.FailedOver, ProtectedInstanceStatus.FailedOver, ReplicationPairStatus.FailedOver, "target");
        Assert.Equal("active-stopped", (await c.GetReplicationPairAsync(pair.Id!)).ReplicationStatus);

        // Re-protect (enable after the failover), then a planned failover back to the source site.
        await Done(c, c.EnableProtectionAsync(groupId));
        await AssertStates(c, groupId, [pi1.Id!, pi2.Id!], pair.Id!, ProtectionGroupStatus.Protected, ProtectedInstanceStatus.Protected, ReplicationPairStatus.Protected, "target");
        await Done(c, c.PlannedFailoverAsync(groupId, "source"));
        await AssertStates(c, groupId, [pi1.Id!, pi2.Id!], pair.Id!, ProtectionGroupStatus.Protected, ProtectedInstanceStatus.Protected, ReplicationPairStatus.Protected, "source");

        await Done(c, c.DisableProtectionAsync(groupId));
        await AssertStates(c, groupId, [pi1.Id!, pi2.Id!], pair.Id!, ProtectionGroupStatus.Available, ProtectedInstanceStatus.Available, ReplicationPairStatus.Available, "source");

        // Teardown. The shared pair is detached first: whether deleting an instance detaches the
        // pairs attached to it later is not documented (spec part 2 section 2), so this order
        // works whichever the service does.
        await Done(c, c.DetachReplicationPairAsync(pi1.Id!, pair.Id!));
        Assert.Empty((await c.GetReplicationPairAsync(pair.Id!)).Attachments);
        Assert.DoesNotContain(pair.Id, (await c.GetProtectedInstanceAsync(pi1.Id!)).Attachments.Select(a => a.ReplicationId));

        foreach (ProtectedInstance pi in new[] { pi1, pi2 })
        {
            await Done(c, c.DeleteProtectedInstanceAsync(pi.Id!, deleteTargetServer: true));
            var gone = await Assert.ThrowsAsync<SdrsNotFoundException>(() => c.GetProtectedInstanceAsync(pi.Id!));
            Assert.Equal("SDRS.1320", gone.ApiCode);
        }

        servers = await Fixtures.ServersAsync(emu);
        Assert.DoesNotContain(servers, s => s.Id == pi1.TargetServerId || s.Id == pi2.TargetServerId);
        Assert.Contains(servers, s => s.Id == app1.Id && s.InstanceId is null);
        // The pairs the instances brought went with them; the shared one remains.
        await AssertCounters(c, groupId, instances: 0, pairs: 1);
        Assert.Equal(pair.Id, Assert.Single((await c.ListReplicationPairsAsync(new ReplicationPairListOptions { ServerGroupId = groupId })).Pairs).Id);

        await Done(c, c.DeleteReplicationPairAsync(pair.Id!, groupId, deleteTargetVolume: true));
        var pairGone = await Assert.ThrowsAsync<SdrsNotFoundException>(() => c.GetReplicationPairAsync(pair.Id!));
        Assert.Equal("SDRS.1608", pairGone.ApiCode);
        Assert.DoesNotContain(await Fixtures.VolumesAsync(emu), v => v.Id == pair.DrVolumeId);
        await AssertCounters(c, groupId, instances: 0, pairs: 0);

        await Done(c, c.DeleteProtectionGroupAsync(groupId));
        await Assert.ThrowsAsync<SdrsNotFoundException>(() => c.GetProtectionGroupAsync(groupId));
    }

    [Fact]
    public async Task RenameExpandNicsAndResize()
    {
        using SdrsClient c = emu.NewClient();
        Fixtures.Server server = await Fixtures.ServerAsync(emu, "stopped-1");
        Fixtures.Volume disk = await Fixtures.VolumeAsync(emu, "data-2");
        string groupId = (await c.CreateProtectionGroupAndWaitAsync(Fixtures.GroupFor(server, Emulator.UniqueName("cs-ops-")), Wait)).Id!;
        ProtectedInstance pi = await c.CreateProtectedInstanceAndWaitAsync(new CreateProtectedInstanceRequest
        {
            ServerGroupId = groupId,
            ServerId = server.Id,
            Name = "stopped-1-dr",
        }, Wait);
        ReplicationPair pair = await c.CreateReplicationPairAndWaitAsync(new CreateReplicationPairRequest
        {
            ServerGroupId = groupId,
            VolumeId = disk.Id,
            Name = "data-2-pair",
        }, Wait);

        ProtectedInstance renamed = await c.RenameProtectedInstanceAsync(pi.Id!, "stopped-1-renamed");
        Assert.Equal("stopped-1-renamed", renamed.Name);
        Assert.NotNull(renamed.UpdatedAt);
        Assert.Equal("data-2-renamed", (await c.RenameReplicationPairAsync(pair.Id!, "data-2-renamed")).Name);

        long size = pair.RecordMetadata.VolumeSizeGb!.Value;
        await Done(c, c.ExpandReplicationPairAsync(pair.Id!, size + 10));
        Assert.Equal(size + 10, (await c.GetReplicationPairAsync(pair.Id!)).RecordMetadata.VolumeSizeGb);

        // A NIC on the DR server: its id is the job entity nic_id.
        Job added = await Done(c, c.AddProtectedInstanceNicAsync(pi.Id!, new AddNicRequest
        {
            SubnetId = "5b000000-0000-4000-8000-000000000001",
            IpAddress = "192.168.0.20",
            SecurityGroupIds = ["6a000000-0000-4000-8000-000000000001"],
        }));
        string nicId = added.Entities["nic_id"];
        Assert.False(string.IsNullOrEmpty(nicId));
        await Done(c, c.DeleteProtectedInstanceNicAsync(pi.Id!, nicId));
        Assert.Equal(ProtectedInstanceStatus.Available, (await c.GetProtectedInstanceAsync(pi.Id!)).Status);

        // Both servers are stopped (the production one by the fixture, the DR one always).
        await Done(c, c.ResizeProtectedInstanceAsync(pi.Id!, new ResizeProtectedInstanceRequest { DrFlavorRef = "s3.xlarge.2" }));
        Assert.Equal(ProtectedInstanceStatus.Available, (await c.GetProtectedInstanceAsync(pi.Id!)).Status);

        await Done(c, c.DeleteReplicationPairAsync(pair.Id!));
        await Done(c, c.DeleteProtectedInstanceAsync(pi.Id!, deleteTargetServer: true, deleteTargetEip: true));
        await Done(c, c.DeleteProtectionGroupAsync(groupId));
    }

    [Fact]
    public async Task NotFoundAndConflictCarryTheSdrsCode()
    {
        using SdrsClient c = emu.NewClient();
        const string unknown = "11111111-2222-3333-4444-555555555555";
        var noInstance = await Assert.ThrowsAsync<SdrsNotFoundException>(() => c.GetProtectedInstanceAsync(unknown));
        Assert.Equal(("SDRS.1320", 400), (noInstance.ApiCode, noInstance.HttpStatus));
        var noPair = await Assert.ThrowsAsync<SdrsNotFoundException>(() => c.ExpandReplicationPairAsync(unknown, 10));
        Assert.Equal(("SDRS.1608", 400), (noPair.ApiCode, noPair.HttpStatus));

        Fixtures.Server server = await Fixtures.ServerAsync(emu, "app-3");
        Fixtures.Volume disk = await Fixtures.VolumeAsync(emu, "shared-2");
        string groupId = (await c.CreateProtectionGroupAndWaitAsync(Fixtures.GroupFor(server, Emulator.UniqueName("cs-conflict-")), Wait)).Id!;
        var noGroup = await Assert.ThrowsAsync<SdrsNotFoundException>(() => c.CreateProtectedInstanceAsync(new CreateProtectedInstanceRequest
        {
            ServerGroupId = unknown,
            ServerId = server.Id,
            Name = "x",
        }));
        Assert.Equal("SDRS.1013", noGroup.ApiCode);

        var request = new CreateProtectedInstanceRequest { ServerGroupId = groupId, ServerId = server.Id, Name = "app-3-dr" };
        ProtectedInstance pi = await c.CreateProtectedInstanceAndWaitAsync(request, Wait);
        var again = await Assert.ThrowsAsync<SdrsConflictException>(() => c.CreateProtectedInstanceAsync(request with { Name = "app-3-again" }));
        Assert.Equal(("SDRS.1305", 400), (again.ApiCode, again.HttpStatus));

        ReplicationPair pair = await c.CreateReplicationPairAndWaitAsync(new CreateReplicationPairRequest { ServerGroupId = groupId, VolumeId = disk.Id, Name = "shared-2-pair" }, Wait);
        await Done(c, c.AttachReplicationPairAsync(pi.Id!, pair.Id!, "/dev/vdc"));
        var attached = await Assert.ThrowsAsync<SdrsConflictException>(() => c.DeleteReplicationPairAsync(pair.Id!));
        Assert.Equal("SDRS.1605", attached.ApiCode);
        var twice = await Assert.ThrowsAsync<SdrsConflictException>(() => c.AttachReplicationPairAsync(pi.Id!, pair.Id!, "/dev/vdd"));
        Assert.Equal("SDRS.1605", twice.ApiCode);
        var paired = await Assert.ThrowsAsync<SdrsConflictException>(() => c.CreateReplicationPairAsync(new CreateReplicationPairRequest { ServerGroupId = groupId, VolumeId = disk.Id, Name = "again" }));
        Assert.Equal("SDRS.1811", paired.ApiCode);

        await Done(c, c.DetachReplicationPairAsync(pi.Id!, pair.Id!));
        await Done(c, c.DeleteReplicationPairAsync(pair.Id!, groupId));
        await Done(c, c.DeleteProtectedInstanceAsync(pi.Id!, deleteTargetServer: true));
        await Done(c, c.DeleteProtectionGroupAsync(groupId));
    }

    private static async Task AssertCounters(SdrsClient c, string groupId, long instances, long pairs)
    {
        ProtectionGroup g = await c.GetProtectionGroupAsync(groupId);
        Assert.Equal((instances, pairs), (g.ProtectedInstanceNum, g.ReplicationNum));
    }

    private static async Task AssertStates(SdrsClient c, string groupId, string[] instanceIds, string pairId,
        ProtectionGroupStatus group, ProtectedInstanceStatus instance, ReplicationPairStatus pair, string station)
    {
        ProtectionGroup g = await c.GetProtectionGroupAsync(groupId);
        Assert.Equal((group, station), (g.Status, g.PriorityStation));
        foreach (string id in instanceIds)
        {
            ProtectedInstance pi = await c.GetProtectedInstanceAsync(id);
            Assert.Equal((instance, station), (pi.Status, pi.PriorityStation));
        }

        // Every pair of the group, the ones the instances brought and the shared one.
        ReplicationPairPage pairs = await c.ListReplicationPairsAsync(new ReplicationPairListOptions { ServerGroupId = groupId });
        Assert.Contains(pairs.Pairs, p => p.Id == pairId);
        Assert.All(pairs.Pairs, p => Assert.Equal((pair, station), (p.Status, p.PriorityStation)));
    }
}
