using System;

namespace Sdrs;

/// <summary>Configuration of an <see cref="SdrsClient"/> (maps onto sdrs_config).</summary>
public sealed record SdrsClientOptions
{
    /// <summary>Service endpoint: "https://host[:port][/base-path]".</summary>
    public required string Endpoint { get; init; }

    /// <summary>IAM project id used in every /v1/{project_id}/ path.</summary>
    public required string ProjectId { get; init; }

    /// <summary>IAM token sent as X-Auth-Token. Never logged.</summary>
    public required string Token { get; init; }

    /// <summary>Allow a plain http:// endpoint (local emulator only).</summary>
    public bool AllowHttp { get; init; }

    /// <summary>Connect timeout (library default 10 s).</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Total timeout of one HTTP exchange (library default 60 s).</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>Deadline of each whole call (retries included) other than job waits; null for none.</summary>
    public TimeSpan? CallTimeout { get; init; }

    /// <summary>PEM file with the CA certificates that verify the server; null for the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Text appended to the User-Agent.</summary>
    public string? UserAgentSuffix { get; init; }

    /// <summary>Largest response body accepted, in bytes (library default 8 MiB).</summary>
    public long? MaxResponseBytes { get; init; }

    /// <summary>
    /// Receives the library's log lines (secrets masked). Called on the thread running the call;
    /// exceptions it throws are swallowed.
    /// </summary>
    public Action<SdrsLogLevel, string>? Log { get; init; }

    /// <summary>Most verbose level passed to <see cref="Log"/>.</summary>
    public SdrsLogLevel LogLevel { get; init; } = SdrsLogLevel.Info;
}
