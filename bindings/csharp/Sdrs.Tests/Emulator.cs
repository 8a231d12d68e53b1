using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>
/// One sdrs-emulator process on 127.0.0.1 with a free port (env SDRS_EMULATOR), stopped with
/// SIGTERM on Dispose.
/// </summary>
public class Emulator : IDisposable
{
    public const string ProjectId = "0123456789abcdef0123456789abcdef";
    public const string Token = "emulator-token";
    public const string DomainA = "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly HttpClient _admin;

    public Emulator(int jobInitMs, int jobRunMs)
    {
        string path = Environment.GetEnvironmentVariable("SDRS_EMULATOR")
            ?? throw new InvalidOperationException("set SDRS_EMULATOR to the sdrs-emulator binary (run-tests.sh does)");
        var psi = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[] { "--port", "0", "--job-init-ms", jobInitMs.ToString(), "--job-run-ms", jobRunMs.ToString(), "--quiet",
            "--user", "alice:alice-Pa55word-x:emulator-domain", "--aksk", "OTCEXAMPLEAK00000001:OtcExampleSecretKey0000000000000000000001" })
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + path);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        _process.BeginErrorReadLine();

        try
        {
            Port = ReadPort(_process);
        }
        catch
        {
            Stop();
            throw;
        }

        _admin = new HttpClient { BaseAddress = new Uri(Endpoint), Timeout = TimeSpan.FromSeconds(10) };
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public SdrsClientOptions Options(string token = Token) => new()
    {
        Endpoint = Endpoint,
        ProjectId = ProjectId,
        Token = token,
        AllowHttp = true,
        CallTimeout = TimeSpan.FromSeconds(30),
    };

    public SdrsClient NewClient() => new(Options());

    public static WaitOptions FastWait => new()
    {
        InitialInterval = TimeSpan.FromMilliseconds(20),
        MaxInterval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static CreateProtectionGroupRequest Request(string name) => new()
    {
        Name = name,
        SourceAvailabilityZone = "eu-de-01",
        TargetAvailabilityZone = "eu-de-02",
        DomainId = DomainA,
        SourceVpcId = "3e9d1b52-6a1f-4c47-8b0f-2d5c7e9a1b30",
        Description = "created by Sdrs.Tests",
    };

    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    public async Task<string> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        using var req = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            req.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage resp = await _admin.SendAsync(req);
        string body = await resp.Content.ReadAsStringAsync();
        Assert.True(resp.IsSuccessStatusCode, $"{method} {path}: {(int)resp.StatusCode} {body}");
        return body;
    }

    public void Dispose()
    {
        _admin?.Dispose();
        Stop();
        GC.SuppressFinalize(this);
    }

    private void Stop()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, 15); // SIGTERM: the emulator shuts down cleanly
        if (!_process.WaitForExit(5000))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private int ReadPort(Process p)
    {
        const string prefix = "listening on 127.0.0.1:";
        Task<string?> line = p.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(20)))
        {
            throw new TimeoutException("sdrs-emulator did not report its port within 20 s: " + string.Join("\n", _stderr));
        }

        string? text = line.Result;
        if (text is null || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"unexpected emulator output '{text}': " + string.Join("\n", _stderr));
        }

        return int.Parse(text.AsSpan(prefix.Length));
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}

/// <summary>The shared emulator with the fast job timings of the issue.</summary>
public sealed class EmulatorFixture : Emulator
{
    public EmulatorFixture()
        : base(jobInitMs: 20, jobRunMs: 80)
    {
    }
}

/// <summary>A dedicated emulator whose jobs take a minute, for cancel and timeout tests.</summary>
public sealed class SlowEmulatorFixture : Emulator
{
    public SlowEmulatorFixture()
        : base(jobInitMs: 60000, jobRunMs: 60000)
    {
    }
}

[CollectionDefinition("emulator")]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
}
