using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Sdrs.Tests;

/// <summary>The README's example program runs end to end against the emulator.</summary>
[Collection("emulator")]
public class QuickstartTests(EmulatorFixture emu)
{
    [Fact]
    public async Task QuickstartProgramRuns()
    {
        var output = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await global::Program.RunAsync(emu.Options(), TextWriter.Synchronized(output), cts.Token);
        string text = output.ToString();
        Assert.Contains("created quickstart-", text);
        Assert.Contains("renamed to quickstart-", text);
        Assert.Contains("cannot enable yet: SDRS.1002", text);
        Assert.Contains("deleted ", text);
    }

    [Fact]
    public void ReadmeShowsTheQuickstartVerbatim()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "examples", "Quickstart", "Program.cs")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        string program = File.ReadAllText(Path.Combine(dir!.FullName, "examples", "Quickstart", "Program.cs")).ReplaceLineEndings("\n");
        string readme = File.ReadAllText(Path.Combine(dir.FullName, "README.md")).ReplaceLineEndings("\n");
        Assert.Contains("```csharp\n" + program + "```", readme);
    }
}
