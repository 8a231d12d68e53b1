using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Sdrs;

/// <summary>
/// Raw declarations of every exported function of libsdrs (include/sdrs/*.h): the library
/// resolver and string helpers here, the LibraryImport entries in Native.g.cs (written by
/// scripts/gen-bindings from the headers; never edit it by hand).
/// Borrowed pointers (getters' strings, list items, sub-jobs) are declared as <see cref="nint"/>
/// because the generated UTF-8 marshaller would free a returned string. Free functions take
/// <see cref="nint"/> as they are only called from <see cref="SdrsHandle.ReleaseHandle"/>.
/// </summary>
internal static unsafe partial class Native
{
    internal const string Lib = "sdrs";

    static Native()
    {
        // A static constructor (not a module initializer: CA2255) runs before the first call.
        NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
    }

    /// <summary>Makes sure the resolver is registered (forces the static constructor).</summary>
    internal static void EnsureLoaded()
    {
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Lib)
        {
            return 0;
        }

        string? overridePath = Environment.GetEnvironmentVariable(LibraryPathVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            // An explicit path must work or fail loudly, never silently fall back.
            try
            {
                return NativeLibrary.Load(overridePath);
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(
                    $"libsdrs: cannot load {LibraryPathVariable}={overridePath} (nothing else is tried while it is set): {e.Message}", e);
            }
        }

        string[] candidates = OperatingSystem.IsWindows()
            ? ["sdrs.dll", "libsdrs.dll"]
            : OperatingSystem.IsMacOS()
                ? ["libsdrs.1.dylib", "libsdrs.dylib"]
                : ["libsdrs.so.1", "libsdrs.so"];
        foreach (string name in candidates)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out nint handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(NotFoundMessage(candidates, assembly));
    }

    /// <summary>The environment variable that names the native library's full path.</summary>
    internal const string LibraryPathVariable = "SDRS_LIBRARY_PATH";

    /// <summary>What a user needs when the library is not found: what was tried, where, and the override.</summary>
    internal static string NotFoundMessage(string[] candidates, Assembly assembly)
    {
        string appDir = AppContext.BaseDirectory;
        string rid = RuntimeInformation.RuntimeIdentifier;
        string? ldPath = Environment.GetEnvironmentVariable(OperatingSystem.IsMacOS() ? "DYLD_LIBRARY_PATH" : "LD_LIBRARY_PATH");
        string probing = AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? string.Empty;
        return $"libsdrs: cannot load the native library; tried {string.Join(", ", candidates)} "
            + $"for {assembly.GetName().Name} ({rid}) in the application's native asset directories [{probing}], "
            + $"the application directory {appDir}, LD_LIBRARY_PATH/DYLD_LIBRARY_PATH [{ldPath}] and the system's library path. "
            + $"Reference the package that carries runtimes/<rid>/native/{candidates[0]}, install libsdrs, "
            + $"or set {LibraryPathVariable} to the library's full path.";
    }

    /// <summary>Copies a borrowed NUL-terminated UTF-8 string; null for a NULL pointer.</summary>
    internal static string? Str(nint p) => p == 0 ? null : Marshal.PtrToStringUTF8(p);

    /// <summary>Copies and frees a string the library handed over through an out-parameter.</summary>
    internal static string? TakeString(nint p)
    {
        if (p == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(p);
        }
        finally
        {
            sdrs_string_free(p);
        }
    }
}
