// A libsdrs user's program: create a protection group through ISdrsClient, list it and its
// protected instances, delete it (waiting through a JobWatcher). Prints which libsdrs file the process loaded.
//   SDRS_ENDPOINT=http://127.0.0.1:PORT SDRS_PROJECT_ID=... SDRS_TOKEN=... SDRS_ALLOW_HTTP=1 dotnet run
using Sdrs;

var options = new SdrsClientOptions
{
    Endpoint = Environment.GetEnvironmentVariable("SDRS_ENDPOINT"),
    ProjectId = Environment.GetEnvironmentVariable("SDRS_PROJECT_ID"),
    Token = Environment.GetEnvironmentVariable("SDRS_TOKEN"),
    AllowHttp = Environment.GetEnvironmentVariable("SDRS_ALLOW_HTTP") == "1",
    CallTimeout = TimeSpan.FromSeconds(30),
};
var wait = new WaitOptions { InitialInterval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(60) };

using var sdrsClient = new SdrsClient(options);
ISdrsClient client = sdrsClient;
Console.WriteLine($"libsdrs {SdrsLibrary.Version} loaded from {LoadedFrom("libsdrs.so")}");

DomainList domains = await client.ListDomainsAsync();
Domain domain = domains.Domains.First(d => d.SoldOut != true);
ProtectionGroup group = await client.CreateProtectionGroupAndWaitAsync(new CreateProtectionGroupRequest
{
    Name = "consumer-" + Guid.NewGuid().ToString("N")[..8],
    SourceAvailabilityZone = domain.LocalAvailabilityZone!,
    TargetAvailabilityZone = domain.RemoteAvailabilityZone!,
    DomainId = domain.Id!,
    SourceVpcId = "3e9d1b52-6a1f-4c47-8b0f-2d5c7e9a1b30",
}, wait);
Console.WriteLine($"created group {group.Name} ({group.Status})");

ProtectedInstancePage instances = await client.ListProtectedInstancesAsync(new ProtectedInstanceListOptions { ServerGroupId = group.Id });
Console.WriteLine($"protected instances in it: {instances.Instances.Count}");

// A job watcher of the application's own (the package's public JobWatcher): the delete's wait
// holds no thread, and the watcher's rate limits apply to its polls.
using (var watcher = new JobWatcher(sdrsClient, new JobWatcherOptions { MaxPollsPerSecond = 20, MaxInFlight = 2 }))
{
    Job deleted = await watcher.WaitForJobAsync(await client.DeleteProtectionGroupAsync(group.Id!), wait);
    Console.WriteLine($"deleted group {group.Name} (job {deleted.Status}, {watcher.Pending} waits pending)");
}
return 0;

// The path of the first mapped file whose name starts with the given prefix (Linux).
static string LoadedFrom(string prefix) =>
    File.ReadLines("/proc/self/maps")
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(f => f.Length >= 6 && Path.GetFileName(f[5]).StartsWith(prefix, StringComparison.Ordinal))
        .Select(f => f[5])
        .FirstOrDefault() ?? "(not mapped)";
