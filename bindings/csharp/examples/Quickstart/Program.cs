// Quickstart: create a protection group, wait for it, rename it, list, delete.
//   SDRS_ENDPOINT=https://sdrs.eu-de.otc.t-systems.com SDRS_PROJECT_ID=... SDRS_TOKEN=... dotnet run
// Against the local emulator add SDRS_ALLOW_HTTP=1 and use http://127.0.0.1:PORT.
using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sdrs;

public static class Program
{
    public static async Task<int> Main()
    {
        var options = new SdrsClientOptions
        {
            Endpoint = Environment.GetEnvironmentVariable("SDRS_ENDPOINT") ?? "https://sdrs.eu-de.otc.t-systems.com",
            ProjectId = Environment.GetEnvironmentVariable("SDRS_PROJECT_ID") ?? "",
            Token = Environment.GetEnvironmentVariable("SDRS_TOKEN") ?? "",
            AllowHttp = Environment.GetEnvironmentVariable("SDRS_ALLOW_HTTP") == "1",
            CallTimeout = TimeSpan.FromSeconds(30),
        };

        // Ctrl+C cancels whatever call is running, including a job wait.
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            await RunAsync(options, Console.Out, cts.Token);
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("canceled");
            return 130;
        }
        catch (SdrsJobFailedException e)
        {
            Console.Error.WriteLine($"job {e.JobId} failed: {e.ApiCode} {e.FailReason}");
            return 1;
        }
        catch (SdrsException e)
        {
            Console.Error.WriteLine($"{e.Code} (HTTP {e.HttpStatus}, {e.ApiCode}, request {e.RequestId}): {e.Message}");
            return 1;
        }
    }

    public static async Task RunAsync(SdrsClientOptions options, TextWriter output, CancellationToken ct)
    {
        output.WriteLine($"libsdrs {SdrsLibrary.Version}");
        using var client = new SdrsClient(options); // thread-safe: share one per process

        // A protection group lives in an active-active domain with capacity left.
        DomainList domains = await client.ListDomainsAsync(ct);
        Domain domain = domains.Domains.First(d => d.SoldOut != true);

        var request = new CreateProtectionGroupRequest
        {
            Name = "quickstart-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss"),
            Description = "created by the Sdrs quickstart",
            SourceAvailabilityZone = domain.LocalAvailabilityZone!,
            TargetAvailabilityZone = domain.RemoteAvailabilityZone!,
            DomainId = domain.Id!,
            SourceVpcId = Environment.GetEnvironmentVariable("SDRS_VPC_ID") ?? "3e9d1b52-6a1f-4c47-8b0f-2d5c7e9a1b30",
        };
        string jobId = await client.CreateProtectionGroupAsync(request, ct);

        // Poll the job with backoff; every status read is reported.
        var progress = new Progress<JobStatus>(s => output.WriteLine($"  job {s.JobId}: {s.State}"));
        var wait = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMinutes(10) };
        Job job = await client.WaitForJobAsync(jobId, wait, progress, ct);
        string groupId = job.ServerGroupId!;

        ProtectionGroup group = await client.GetProtectionGroupAsync(groupId, ct);
        output.WriteLine($"created {group.Name} ({group.Id}): {group.Status}, {group.SourceAvailabilityZone} -> {group.TargetAvailabilityZone}");

        group = await client.RenameProtectionGroupAsync(groupId, group.Name + "-renamed", ct);
        output.WriteLine($"renamed to {group.Name}");

        // Pages are fetched as the enumeration proceeds.
        await foreach (ProtectionGroup g in client.ListAllProtectionGroupsAsync(new ListOptions { Name = "quickstart-", Limit = 100 }, ct))
        {
            output.WriteLine($"  {g.Id} {g.Name} {g.StatusText} created {g.CreatedAt:u}");
        }

        try
        {
            await client.EnableProtectionAsync(groupId, ct); // needs replication pairs
        }
        catch (SdrsConflictException e)
        {
            output.WriteLine($"cannot enable yet: {e.ApiCode}");
        }

        await client.WaitForJobAsync(await client.DeleteProtectionGroupAsync(groupId, ct), wait, null, ct);
        output.WriteLine($"deleted {groupId}");
    }
}
