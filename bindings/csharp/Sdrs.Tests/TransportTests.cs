using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>Transport settings reach the library; retries, budgets and proxies work.</summary>
[Collection("emulator")]
public class TransportTests(EmulatorFixture emu)
{
    private static int ClosedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public void SettingsAreValidated()
    {
        (string Field, SdrsClientOptions Options)[] bad =
        [
            ("max_attempts", emu.Options() with { MaxAttempts = 0 }),
            ("http_version", emu.Options() with { HttpVersion = (SdrsHttpVersion)9 }),
            ("low_speed_seconds", emu.Options() with { LowSpeedTime = TimeSpan.Zero }),
            ("ca_dir", emu.Options() with { CaDir = "/nonexistent-dir" }),
            ("key_file", emu.Options() with { ClientCertFile = "/etc/hostname" }),
            ("proxy_url", emu.Options() with { Proxy = "ftp://proxy" }),
        ];
        foreach (var (field, options) in bad)
        {
            var ex = Assert.Throws<SdrsValidationException>(() => new SdrsClient(options));
            Assert.Contains(field, ex.Message);
        }
    }

    [Fact]
    public async Task RetriesWithinTheBudget()
    {
        using var client = new SdrsClient(emu.Options() with
        {
            MaxAttempts = 3,
            HttpVersion = SdrsHttpVersion.Http11,
            LowSpeedBytesPerSecond = 1,
            LowSpeedTime = TimeSpan.FromSeconds(10),
            CaDir = "/tmp",
            NoProxy = "127.0.0.1",
        });
        try
        {
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/faults", "{\"path\":\"/v1\",\"kind\":\"status\",\"status\":503,\"count\":2}");
            Assert.Equal(2, (await client.ListDomainsAsync()).Domains.Count);
            await emu.AdminAsync(HttpMethod.Post, "/_emulator/faults", "{\"path\":\"/v1\",\"kind\":\"status\",\"status\":503,\"count\":-1}");
            var ex = await Assert.ThrowsAsync<SdrsServerException>(() => client.ListDomainsAsync());
            Assert.Equal(3, ex.Attempts);
        }
        finally
        {
            await emu.AdminAsync(HttpMethod.Delete, "/_emulator/faults");
        }
    }

    [Fact]
    public async Task ProxyIsUsedOrBypassed()
    {
        string proxy = $"http://127.0.0.1:{ClosedPort()}";
        using (var viaProxy = new SdrsClient(emu.Options() with { Proxy = proxy, NoProxy = "", MaxAttempts = 1 }))
        {
            await Assert.ThrowsAsync<SdrsTransportException>(() => viaProxy.ListDomainsAsync());
        }

        using var direct = new SdrsClient(emu.Options() with { Proxy = "" });
        Assert.Equal(2, (await direct.ListDomainsAsync()).Domains.Count);
    }
}
