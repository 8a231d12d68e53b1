// WatchBench: N concurrent WaitForJobAsync (the client's job watcher) against sdrs-emulator's
// synthetic jobs, beside the blocking baseline (one LongRunning thread per wait in
// sdrs_job_wait, as the binding did before the watcher). Issue 18; figures in ../README.md.
//
//   SDRS_EMULATOR=build/bin/sdrs-emulator SDRS_LIBRARY_PATH=build/lib/libsdrs.so.1 \
//     dotnet run -c Release --project bindings/csharp/WatchBench -- \
//     [--jobs 10000] [--min-s 5] [--max-s 60] [--fail-every 10] [--mode all|watcher|blocking|starve-check]
//     [--max-polls-per-sec 10000] [--max-in-flight 8] [--blocking-threads N]
//
// How each figure is taken:
// - threads: the process's OS threads ("Threads:" of /proc/self/status), sampled every 100 ms
//   by a sampler thread of this program (counted in the figure, as is the event listener's).
// - thread-pool starvation: an in-process EventListener on the runtime's thread-pool events
//   (Microsoft-Windows-DotNETRuntime, keyword 0x10000) counts
//   ThreadPoolWorkerThreadAdjustmentAdjustment events whose Reason is 6 (Starvation: the pool
//   added a thread because queued work made no progress, what dotnet-counters and ASP.NET
//   report as starvation); the sampler also records the largest ThreadPool.ThreadCount and
//   ThreadPool.PendingWorkItemCount. `--mode starve-check` blocks pool threads on purpose to
//   show that the listener sees starvation when there is some.
// - completions: every wait's task is counted by a continuation; each must run exactly once,
//   SUCCESS for the jobs that succeed, SdrsJobFailedException (SDRS.1014) for every
//   --fail-every-th.
// - memory per pending wait: managed heap (GC.GetTotalMemory(true)) and VmRSS before the waits
//   start and once all are pending, divided by the waits.
// - lag: time from the job's end_time (the emulator's clock, same machine) to the task's
//   completion: the polling interval's share (default backoff: 1 s x1.5 up to 10 s, jitter 20 %).
// - polls and connections: the emulator's api_requests and connections counters.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Sdrs;

namespace WatchBench;

internal static class Program
{
    private const string ProjectId = "0123456789abcdef0123456789abcdef";

    private static async Task<int> Main(string[] args)
    {
        var s = Settings.Parse(args);
        using var listener = new ThreadPoolListener();
        if (s.Mode == "starve-check")
        {
            return StarveCheck(listener);
        }

        using var emulator = EmulatorProcess.Start(s.EmulatorThreads);
        var results = new List<Result>();
        if (s.Mode is "all" or "watcher")
        {
            results.Add(await RunWatcher(s, emulator, listener));
        }

        if (s.Mode is "all" or "blocking")
        {
            results.Add(await RunBlocking(s, emulator, listener));
        }

        Console.WriteLine();
        Console.WriteLine($"{s.Jobs} jobs of {s.MinS}-{s.MaxS} s, every {s.FailEvery}th FAIL, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine("| mode | waits | completed once | SUCCESS / FAIL / other | wall s | process threads (before -> max) | pool threads max | pool queue max | starvation events | managed B / wait | RSS B / wait | lag p50 / p99 s | polls | connections |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (Result r in results)
        {
            Console.WriteLine(r.Row());
        }

        return results.All(r => r.AllOnce) ? 0 : 1;
    }

    private static SdrsClient NewClient(Settings s, EmulatorProcess emu) => new(new SdrsClientOptions
    {
        Endpoint = emu.Endpoint,
        ProjectId = ProjectId,
        Token = "emulator-token",
        AllowHttp = true,
        JobWatcherOptions = new JobWatcherOptions { MaxPollsPerSecond = s.MaxPollsPerSecond, MaxInFlight = s.MaxInFlight },
    });

    private static async Task<Result> RunWatcher(Settings s, EmulatorProcess emu, ThreadPoolListener listener)
    {
        string[] ids = await emu.Seed(s);
        using SdrsClient client = NewClient(s, emu);
        var r = new Result("WaitForJobAsync (watcher)", ids.Length);
        return await Measure(r, s, emu, listener, "watcher", "waits", () =>
        {
            var tasks = new Task[ids.Length];
            for (int i = 0; i < ids.Length; i++)
            {
                int index = i;
                tasks[i] = client.WaitForJobAsync(ids[i]).ContinueWith(t => r.Record(index, t), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return tasks;
        });
    }

    private static async Task<Result> RunBlocking(Settings s, EmulatorProcess emu, ThreadPoolListener listener)
    {
        string[] ids = await emu.Seed(s);
        int want = s.BlockingThreads > 0 ? Math.Min(s.BlockingThreads, ids.Length) : ids.Length;
        using SdrsClient client = NewClient(s, emu);
        var r = new Result("blocking (LongRunning thread per wait, sdrs_job_wait)", want);
        return await Measure(r, s, emu, listener, "blocking", "threads", () =>
        {
            var tasks = new List<Task>(want);
            for (int i = 0; i < want; i++)
            {
                int index = i;
                try
                {
                    // What WaitForJobAsync did before the watcher: a dedicated thread blocked in the wait.
                    tasks.Add(Task.Factory.StartNew(() => client.WaitForJob(ids[index]), CancellationToken.None,
                            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default)
                        .ContinueWith(t => r.Record(index, t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
                }
                catch (OutOfMemoryException e)
                {
                    r.Note = $"thread {i + 1} could not start ({e.Message}); waiting with {i}";
                    r.Waits = i;
                    break;
                }
            }

            return [.. tasks];
        });
    }

    /// <summary>
    /// One mode's figures around <paramref name="startWaits"/> (which starts r.Waits waits and
    /// returns their tasks): threads, managed heap and RSS per wait, the time to start them, the
    /// wall time until all ended, pool starvation, and the emulator's counters.
    /// </summary>
    private static async Task<Result> Measure(Result r, Settings s, EmulatorProcess emu, ThreadPoolListener listener,
        string mode, string started, Func<Task[]> startWaits)
    {
        using var sampler = new Sampler();
        r.ThreadsBefore = Sampler.OsThreads();
        long heap0 = GC.GetTotalMemory(true);
        long rss0 = Sampler.RssBytes();
        int starvation0 = listener.Starvation;
        var sw = Stopwatch.StartNew();

        Task[] tasks = startWaits();

        r.AddSeconds = sw.Elapsed.TotalSeconds;
        r.ManagedPerWait = (GC.GetTotalMemory(true) - heap0) / Math.Max(1, r.Waits);
        r.RssPerWait = (Sampler.RssBytes() - rss0) / Math.Max(1, r.Waits);
        Console.WriteLine($"{mode}: {r.Waits} {started} started in {r.AddSeconds:F2} s, {Sampler.OsThreads()} threads");
        await WaitAll(tasks, s, mode);
        r.WallSeconds = sw.Elapsed.TotalSeconds;
        await Task.Delay(500); // a late duplicate completion would show up here
        r.Finish(sampler, listener.Starvation - starvation0, await emu.Stats());
        return r;
    }

    private static async Task WaitAll(Task[] tasks, Settings s, string mode)
    {
        Task all = Task.WhenAll(tasks);
        var deadline = TimeSpan.FromSeconds(s.MaxS + 180);
        var sw = Stopwatch.StartNew();
        while (!all.IsCompleted && sw.Elapsed < deadline)
        {
            await Task.WhenAny(all, Task.Delay(10000));
            Console.WriteLine($"{mode}: {tasks.Count(t => t.IsCompleted)}/{tasks.Length} done at {sw.Elapsed.TotalSeconds:F0} s, {Sampler.OsThreads()} threads");
        }
    }

    /// <summary>Blocks pool threads on purpose: the listener must report starvation.</summary>
    private static int StarveCheck(ThreadPoolListener listener)
    {
        int blockers = Environment.ProcessorCount * 4;
        Task[] tasks = [.. Enumerable.Range(0, blockers).Select(_ => Task.Run(() => Thread.Sleep(4000)))];
        Task.WaitAll(tasks);
        Thread.Sleep(500);
        Console.WriteLine($"starve-check: {blockers} pool work items blocked 4 s each: {listener.Starvation} starvation events, {listener.Adjustments} adjustments in all");
        return listener.Starvation > 0 ? 0 : 1;
    }
}

internal sealed record Settings
{
    public int Jobs { get; init; } = 10000;
    public int MinS { get; init; } = 5;
    public int MaxS { get; init; } = 60;
    public int FailEvery { get; init; } = 10;
    public string Mode { get; init; } = "all";
    public int MaxPollsPerSecond { get; init; } = 10000;
    public int MaxInFlight { get; init; } = 8;
    public int BlockingThreads { get; init; } = -1;
    public int EmulatorThreads { get; init; } = 20000;

    public static Settings Parse(string[] args)
    {
        var s = new Settings();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{args[i]}: missing value");
            }

            string v = args[i + 1];
            int N() => int.Parse(v, CultureInfo.InvariantCulture);
            s = args[i] switch
            {
                "--jobs" => s with { Jobs = N() },
                "--min-s" => s with { MinS = N() },
                "--max-s" => s with { MaxS = N() },
                "--fail-every" => s with { FailEvery = N() },
                "--mode" => s with { Mode = v },
                "--max-polls-per-sec" => s with { MaxPollsPerSecond = N() },
                "--max-in-flight" => s with { MaxInFlight = N() },
                "--blocking-threads" => s with { BlockingThreads = N() },
                "--emulator-threads" => s with { EmulatorThreads = N() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (s.Mode is not ("all" or "watcher" or "blocking" or "starve-check"))
        {
            throw new ArgumentException($"--mode {s.Mode}: all, watcher, blocking or starve-check");
        }

        return s;
    }
}

/// <summary>One mode's figures.</summary>
internal sealed class Result(string name, int waits)
{
    private readonly int[] _completions = new int[waits];
    private readonly double[] _lagSeconds = new double[waits];
    private int _success;
    private int _failed;
    private int _other;
    private string? _firstOther;

    public string Name { get; } = name;
    public int Waits { get; set; } = waits;
    public int ThreadsBefore { get; set; }
    public double AddSeconds { get; set; }
    public double WallSeconds { get; set; }
    public long ManagedPerWait { get; set; }
    public long RssPerWait { get; set; }
    public string? Note { get; set; }
    public bool AllOnce { get; private set; }
    private int _maxThreads, _maxPool, _maxQueue, _starvation;
    private long _polls, _connections;

    public void Record(int index, Task t)
    {
        Interlocked.Increment(ref _completions[index]);
        Job? job = null;
        if (t.IsCompletedSuccessfully)
        {
            job = t is Task<Job> tj ? tj.Result : null;
            Interlocked.Increment(ref _success);
        }
        else if (t.Exception?.InnerException is SdrsJobFailedException { ApiCode: "SDRS.1014" } failed)
        {
            job = failed.Job;
            Interlocked.Increment(ref _failed);
        }
        else
        {
            Interlocked.Increment(ref _other);
            Interlocked.CompareExchange(ref _firstOther, t.Exception?.InnerException?.Message ?? "canceled", null);
        }

        if (job?.EndTime is { } end)
        {
            _lagSeconds[index] = (DateTimeOffset.UtcNow - end).TotalSeconds;
        }
    }

    public void Finish(Sampler sampler, int starvation, (long Polls, long Connections) stats)
    {
        (_maxThreads, _maxPool, _maxQueue) = sampler.Stop();
        _starvation = starvation;
        (_polls, _connections) = stats;
        AllOnce = _completions.Take(Waits).All(c => c == 1) && _other == 0;
        int[] counts = [.. _completions.Take(Waits)];
        Console.WriteLine($"{Name}: waits={Waits} completed_once={counts.Count(c => c == 1)} never={counts.Count(c => c == 0)} twice_or_more={counts.Count(c => c > 1)} " +
            $"success={_success} failed={_failed} other={_other}{(_firstOther is null ? "" : $" (first: {_firstOther})")} wall_s={WallSeconds:F1} " +
            $"threads_before={ThreadsBefore} threads_max={_maxThreads} pool_threads_max={_maxPool} pool_queue_max={_maxQueue} starvation_events={_starvation} " +
            $"managed_bytes_per_wait={ManagedPerWait} rss_bytes_per_wait={RssPerWait} polls={_polls} connections={_connections}{(Note is null ? "" : " note=" + Note)}");
    }

    public string Row()
    {
        double[] lags = [.. _lagSeconds.Take(Waits).Where(l => l != 0).Order()];
        string P(double q) => lags.Length == 0 ? "-" : lags[Math.Min(lags.Length - 1, (int)(q * lags.Length))].ToString("F1", CultureInfo.InvariantCulture);
        int once = _completions.Take(Waits).Count(c => c == 1);
        return $"| {Name} | {Waits} | {once} | {_success} / {_failed} / {_other} | {WallSeconds:F1} | {ThreadsBefore} -> {_maxThreads} | {_maxPool} | {_maxQueue} | {_starvation} | {ManagedPerWait} | {RssPerWait} | {P(0.5)} / {P(0.99)} | {_polls} | {_connections} |"
            + (Note is null ? "" : $" {Note}");
    }
}

/// <summary>Samples threads and the pool every 100 ms on a thread of its own.</summary>
internal sealed class Sampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private int _maxThreads, _maxPool, _maxQueue;

    public Sampler()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "sampler" };
        _thread.Start();
    }

    public static int OsThreads() => (int)StatusField("Threads:");

    public static long RssBytes() => StatusField("VmRSS:") * 1024;

    private static long StatusField(string name)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(name.Length).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no {name} in /proc/self/status");
    }

    private void Run()
    {
        while (!_stop)
        {
            _maxThreads = Math.Max(_maxThreads, OsThreads());
            _maxPool = Math.Max(_maxPool, ThreadPool.ThreadCount);
            _maxQueue = (int)Math.Max(_maxQueue, ThreadPool.PendingWorkItemCount);
            Thread.Sleep(100);
        }
    }

    public (int Threads, int Pool, int Queue) Stop()
    {
        _stop = true;
        _thread.Join();
        return (_maxThreads, _maxPool, _maxQueue);
    }

    public void Dispose()
    {
        _stop = true;
    }
}

/// <summary>Counts the runtime's thread-pool adjustments, starvation ones apart.</summary>
internal sealed class ThreadPoolListener : EventListener
{
    private int _starvation;
    private int _adjustments;

    public int Starvation => Volatile.Read(ref _starvation);

    public int Adjustments => Volatile.Read(ref _adjustments);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x10000); // ThreadingKeyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "ThreadPoolWorkerThreadAdjustmentAdjustment" || e.PayloadNames is null || e.Payload is null)
        {
            return;
        }

        Interlocked.Increment(ref _adjustments);
        int i = e.PayloadNames.IndexOf("Reason");
        if (i >= 0 && Convert.ToUInt32(e.Payload[i], CultureInfo.InvariantCulture) == 6)
        {
            Interlocked.Increment(ref _starvation);
        }
    }
}

/// <summary>sdrs-emulator on a free port (SDRS_EMULATOR), stopped on Dispose.</summary>
internal sealed class EmulatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _admin;

    private EmulatorProcess(Process process, int port)
    {
        _process = process;
        Endpoint = $"http://127.0.0.1:{port}";
        _admin = new HttpClient { BaseAddress = new Uri(Endpoint), Timeout = TimeSpan.FromSeconds(120) };
    }

    public string Endpoint { get; }

    public static EmulatorProcess Start(int threads)
    {
        string path = Environment.GetEnvironmentVariable("SDRS_EMULATOR")
            ?? throw new InvalidOperationException("set SDRS_EMULATOR to the sdrs-emulator binary");
        var psi = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string a in new[] { "--port", "0", "--quiet", "--threads", threads.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        Process p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + path);
        string line = p.StandardOutput.ReadLine() ?? throw new InvalidOperationException("sdrs-emulator printed nothing");
        const string prefix = "listening on 127.0.0.1:";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            p.Kill();
            throw new InvalidOperationException("unexpected emulator output: " + line);
        }

        return new EmulatorProcess(p, int.Parse(line.AsSpan(prefix.Length), CultureInfo.InvariantCulture));
    }

    private async Task<JsonDocument> Admin(HttpMethod method, string path, string? body = null)
    {
        using var req = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            req.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage resp = await _admin.SendAsync(req);
        string text = await resp.Content.ReadAsStringAsync();
        if (!resp.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)resp.StatusCode} {text}");
        }

        return JsonDocument.Parse(text);
    }

    /// <summary>Resets the counters and seeds the jobs (they start running now).</summary>
    public async Task<string[]> Seed(Settings s)
    {
        (await Admin(HttpMethod.Post, "/_emulator/reset", "{}")).Dispose();
        string body = $"{{\"count\":{s.Jobs},\"init_ms\":0,\"run_ms_min\":{s.MinS * 1000},\"run_ms_max\":{s.MaxS * 1000},\"fail_every\":{s.FailEvery}}}";
        using JsonDocument doc = await Admin(HttpMethod.Post, "/_emulator/seed-jobs", body);
        return [.. doc.RootElement.GetProperty("job_ids").EnumerateArray().Select(e => e.GetString()!)];
    }

    public async Task<(long Polls, long Connections)> Stats()
    {
        using JsonDocument doc = await Admin(HttpMethod.Get, "/_emulator/stats");
        return (doc.RootElement.GetProperty("api_requests").GetInt64(), doc.RootElement.GetProperty("connections").GetInt64());
    }

    public void Dispose()
    {
        _admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
