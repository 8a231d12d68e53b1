namespace Sdrs;

/// <summary>Facts about the loaded native library and its static strings.</summary>
public static class SdrsLibrary
{
    /// <summary>The ABI generation this binding is written for (SONAME libsdrs.so.1).</summary>
    public const int AbiVersion = 1;

    /// <summary>Smallest run-time version number (MAJOR*10000 + MINOR*100 + PATCH) this binding needs.</summary>
    public const int MinimumVersionNumber = 10000;

    /// <summary>Run-time product version string of libsdrs, e.g. "1.0.0".</summary>
    public static string Version => Native.Str(Native.sdrs_version()) ?? string.Empty;

    /// <summary>Run-time version number: MAJOR*10000 + MINOR*100 + PATCH.</summary>
    public static int VersionNumber => Native.sdrs_version_number();

    /// <summary>English description of any result code (unknown codes included).</summary>
    /// <param name="code">A result code.</param>
    public static string StrError(int code) => Native.Str(Native.sdrs_strerror(code)) ?? string.Empty;

    /// <summary>Symbolic name of a result code ("SDRS_ENOTFOUND"), "SDRS_UNKNOWN" for unknown codes.</summary>
    /// <param name="code">A result code.</param>
    public static string ErrorName(int code) => Native.Str(Native.sdrs_error_name(code)) ?? "SDRS_UNKNOWN";

    /// <summary>Throws when the loaded library is of another major version than this binding.</summary>
    internal static void CheckVersion()
    {
        int v = VersionNumber;
        if (v < MinimumVersionNumber || v / 10000 != MinimumVersionNumber / 10000)
        {
            throw new System.InvalidOperationException(
                $"libsdrs {Version} (version number {v}) is not compatible with this binding (needs {MinimumVersionNumber / 10000}.x >= {MinimumVersionNumber})");
        }
    }
}
