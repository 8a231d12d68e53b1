using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

[Collection("emulator")]
public class AuthTests(EmulatorFixture emu)
{
    private const string Password = "alice-Pa55word-x";

    private SdrsClientOptions PasswordOptions(string password) => new()
    {
        AllowHttp = true,
        AuthUrl = emu.Endpoint,
        Username = "alice",
        Password = password,
        UserDomainName = "emulator-domain",
        ProjectName = "eu-de_emulator",
        TokenRefreshMargin = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task PasswordAuthenticationGetsTokenAndProject()
    {
        var lines = new ConcurrentQueue<string>();
        using (var client = new SdrsClient(PasswordOptions(Password) with { Log = (_, m) => lines.Enqueue(m), LogLevel = SdrsLogLevel.Debug }))
        {
            DomainList domains = await client.ListDomainsAsync();
            Assert.NotEmpty(domains.Domains);
            string token = await client.GetTokenAsync();
            Assert.StartsWith("MIIemu", token);
            Assert.Equal(Emulator.ProjectId, await client.GetProjectIdAsync());
            Assert.Contains(lines, l => l.Contains("/v3/auth/tokens"));
            Assert.DoesNotContain(lines, l => l.Contains(token) || l.Contains(Password));
        }

        using var bad = new SdrsClient(PasswordOptions("wrong"));
        await Assert.ThrowsAsync<SdrsAuthException>(() => bad.ListDomainsAsync());
    }

    [Fact]
    public async Task AccessKeySigning()
    {
        var options = new SdrsClientOptions
        {
            AllowHttp = true,
            Endpoint = emu.Endpoint,
            ProjectId = Emulator.ProjectId,
            AccessKey = "OTCEXAMPLEAK00000001",
            SecretKey = "OtcExampleSecretKey0000000000000000000001",
        };
        using (var client = new SdrsClient(options))
        {
            await client.ListDomainsAsync();
            await Assert.ThrowsAsync<SdrsValidationException>(() => client.GetTokenAsync());
        }

        using var wrong = new SdrsClient(options with { SecretKey = "OtcExampleSecretKey0000000000000000000002" });
        await Assert.ThrowsAsync<SdrsAuthException>(() => wrong.ListDomainsAsync());
        Assert.Throws<SdrsValidationException>(() => new SdrsClient(options with { Region = "EU DE" }));
    }

    [Fact]
    public async Task CloudsYamlAndEnvironment()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sdrs-cs-auth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "clouds.yaml");
            File.WriteAllText(path, "clouds:\n  emu:\n    auth:\n      auth_url: " + emu.Endpoint +
                "\n      username: alice\n      password: " + Password +
                "\n      user_domain_name: emulator-domain\n      user_domain_id: d-emulator-domain\n      project_name: eu-de_emulator\n");
            using (var client = new SdrsClient(new SdrsClientOptions
            {
                AllowHttp = true,
                LoadEnvironment = true,
                LoadCloudsYaml = true,
                CloudsYamlPath = path,
                Cloud = "emu",
            }))
            {
                await client.ListDomainsAsync();
            }

            Assert.Throws<SdrsValidationException>(() => new SdrsClient(new SdrsClientOptions { LoadCloudsYaml = true, CloudsYamlPath = path, Cloud = "nope" }));
            Assert.Throws<SdrsValidationException>(() => new SdrsClient(new SdrsClientOptions { UserId = "u-alice", UserDomainId = "d-x", TokenRefreshMargin = TimeSpan.FromSeconds(-1) }));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
