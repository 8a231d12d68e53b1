using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>
/// The library resolver, checked in child processes (a process loads libsdrs once): the test
/// assembly's entry point is the quickstart program, run with different library setups.
/// </summary>
[Collection("emulator")]
public sealed class ResolverTests(EmulatorFixture emu) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sdrs-cs-resolver-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RealLibrary =>
        Environment.GetEnvironmentVariable("SDRS_LIBRARY_PATH") ?? throw new InvalidOperationException("set SDRS_LIBRARY_PATH");

    private string LinkAs(string name)
    {
        string sub = Path.Combine(_dir, Path.GetRandomFileName());
        Directory.CreateDirectory(sub);
        File.CreateSymbolicLink(Path.Combine(sub, name), Path.GetFullPath(RealLibrary));
        return sub;
    }

    private async Task<(int Code, string Out, string Err)> RunQuickstart(string? libraryPath, string ldLibraryPath, string token)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var psi = new ProcessStartInfo(dotnet)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(typeof(ResolverTests).Assembly.Location);
        psi.Environment.Remove("SDRS_LIBRARY_PATH");
        if (libraryPath is not null)
        {
            psi.Environment["SDRS_LIBRARY_PATH"] = libraryPath;
        }

        psi.Environment["LD_LIBRARY_PATH"] = ldLibraryPath;
        psi.Environment["SDRS_ENDPOINT"] = emu.Endpoint;
        psi.Environment["SDRS_ALLOW_HTTP"] = "1";
        psi.Environment["SDRS_PROJECT_ID"] = Emulator.ProjectId;
        psi.Environment["SDRS_TOKEN"] = token;

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the quickstart child process did not finish within 60 s");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task FindsTheSonameAndRunsTheQuickstart()
    {
        (int code, string output, string err) = await RunQuickstart(null, LinkAs("libsdrs.so.1"), Emulator.Token);
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        Assert.StartsWith("libsdrs ", output);
        Assert.Contains("deleted ", output);
    }

    [Fact]
    public async Task FindsTheDevelopmentName()
    {
        (int code, string output, string err) = await RunQuickstart(null, LinkAs("libsdrs.so"), "not-the-token");
        // Loaded, then the bad token fails the first call: exit 1 with the mapped error.
        Assert.True(code == 1, $"exit {code}\n{output}\n{err}");
        Assert.StartsWith("libsdrs ", output);
        Assert.Contains("Auth (HTTP 401", err);
    }

    [Fact]
    public async Task EnvironmentOverrideIsUsedExclusively()
    {
        string missing = Path.Combine(_dir, "nowhere", "libsdrs.so.1");
        (int code, string output, string err) = await RunQuickstart(missing, LinkAs("libsdrs.so.1"), Emulator.Token);
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("libsdrs ", output);
        Assert.Contains("DllNotFoundException", err);
        Assert.Contains("SDRS_LIBRARY_PATH=" + missing, err);
    }

    [Fact]
    public async Task NotFoundNamesTheOverrideAndTheNamesTried()
    {
        string empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        (int code, string output, string err) = await RunQuickstart(null, empty, Emulator.Token);
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("libsdrs ", output);
        Assert.Contains("DllNotFoundException", err);
        Assert.Contains("SDRS_LIBRARY_PATH", err);
        Assert.Contains("tried libsdrs.so.1, libsdrs.so", err);
        Assert.Contains(empty, err);
    }
}
