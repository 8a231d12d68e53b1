using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace Sdrs.Tests;

/// <summary>Every exported sdrs_ function has a LibraryImport declaration, and vice versa.</summary>
public partial class ParityTests
{
    private static HashSet<string> Declared() =>
        typeof(Native)
            .GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
            .Select(m => (Method: m, Attr: m.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(x => x.Attr is not null)
            .Select(x => x.Attr!.EntryPoint ?? x.Method.Name)
            .ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Exported()
    {
        string lib = Environment.GetEnvironmentVariable("SDRS_LIBRARY_PATH")
            ?? throw new InvalidOperationException("set SDRS_LIBRARY_PATH (run-tests.sh does)");
        var psi = new ProcessStartInfo("nm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-D", "--defined-only", lib })
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(30000), "nm did not finish");
        Assert.Equal(0, p.ExitCode);
        // Lines: "000000000001a2b0 T sdrs_pg_get" (maybe with @@SDRS_1 version suffix).
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 3 && (f[1] == "T" || f[1] == "W"))
            .Select(f => f[2].Split('@')[0])
            .Where(n => n.StartsWith("sdrs_", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string IncludeDir()
    {
        string? env = Environment.GetEnvironmentVariable("SDRS_INCLUDE_DIR");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        // Fall back to the repository the tests were built from.
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "include", "sdrs", "pg.h")))
            {
                return Path.Combine(d.FullName, "include");
            }
        }

        throw new InvalidOperationException("set SDRS_INCLUDE_DIR to the include/ directory of libsdrs");
    }

    [GeneratedRegex(@"SDRS_API\s[^;{}]*?\b(sdrs_\w+)\s*\(", RegexOptions.Singleline)]
    private static partial Regex ApiDecl();

    private static HashSet<string> FromHeaders()
    {
        string dir = Path.Combine(IncludeDir(), "sdrs");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(dir).Where(f => f.EndsWith(".h", StringComparison.Ordinal) || f.EndsWith(".h.in", StringComparison.Ordinal)))
        {
            foreach (Match m in ApiDecl().Matches(File.ReadAllText(file)))
            {
                names.Add(m.Groups[1].Value);
            }
        }

        return names;
    }

    [Fact]
    public void EveryExportedFunctionIsDeclared()
    {
        HashSet<string> exported = Exported();
        Assert.True(exported.Count > 100, $"only {exported.Count} sdrs_ symbols exported");
        string[] missing = exported.Except(Declared()).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "exported but not declared in Native: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryHeaderFunctionIsDeclared()
    {
        HashSet<string> inHeaders = FromHeaders();
        Assert.True(inHeaders.Count > 100, $"only {inHeaders.Count} functions parsed from the headers");
        string[] missing = inHeaders.Except(Declared()).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "in the headers but not declared in Native: " + string.Join(", ", missing));
    }

    /// <summary>
    /// C functions the idiomatic layer deliberately leaves out: a .NET CancellationToken drives
    /// a fresh sdrs_cancel per call, so the token is only ever triggered, never read or reset.
    /// </summary>
    private static readonly string[] NotWrapped = ["sdrs_cancel_is_triggered", "sdrs_cancel_reset"];

    /// <summary>The hand-written sources of the binding (Native.g.cs is generated: it declares, it does not wrap).</summary>
    private static string HandWrittenSources()
    {
        string dir = Path.Combine(IncludeDir(), "..", "bindings", "csharp", "Sdrs");
        string[] files = Directory.EnumerateFiles(dir, "*.cs")
            .Where(f => !f.EndsWith(".g.cs", StringComparison.Ordinal))
            .ToArray();
        Assert.True(files.Length > 3, $"only {files.Length} hand-written sources under {dir}");
        return string.Join("\n", files.Select(File.ReadAllText));
    }

    [GeneratedRegex(@"\b(sdrs_\w+)\(")]
    private static partial Regex Call();

    [Fact]
    public void EveryHeaderFunctionIsWrapped()
    {
        HashSet<string> called = Call().Matches(HandWrittenSources()).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        string[] missing = FromHeaders().Except(called).Except(NotWrapped).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, "no call in the hand-written C# sources (Native.g.cs does not count): " + string.Join(", ", missing));
        string[] staleExceptions = NotWrapped.Where(n => called.Contains(n) || !FromHeaders().Contains(n)).ToArray();
        Assert.True(staleExceptions.Length == 0, "NotWrapped lists wrapped or unknown functions: " + string.Join(", ", staleExceptions));
    }

    [Fact]
    public void EveryDeclarationExistsInTheLibrary()
    {
        string[] extra = Declared().Except(Exported()).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.True(extra.Length == 0, "declared in Native but not exported: " + string.Join(", ", extra));
    }
}
