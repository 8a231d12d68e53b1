using System;

namespace Sdrs;

/// <summary>Configuration of an <see cref="SdrsClient"/> (maps onto sdrs_config).</summary>
public sealed record SdrsClientOptions
{
    /// <summary>Service endpoint: "https://host[:port][/base-path]"; null: the IAM token's catalog or the region.</summary>
    public string? Endpoint { get; init; }

    /// <summary>IAM project id used in every /v1/{project_id}/ path; null: learned from the IAM token (ProjectName).</summary>
    public string? ProjectId { get; init; }

    /// <summary>IAM token sent as X-Auth-Token. Never logged. One of Token, Password or AccessKey/SecretKey.</summary>
    public string? Token { get; init; }

    /// <summary>IAM endpoint for password authentication, e.g. https://iam.eu-de.otc.t-systems.com/v3.</summary>
    public string? AuthUrl { get; init; }

    /// <summary>IAM user name (with UserDomainName or UserDomainId).</summary>
    public string? Username { get; init; }

    /// <summary>IAM user id.</summary>
    public string? UserId { get; init; }

    /// <summary>IAM password. Never logged.</summary>
    public string? Password { get; init; }

    /// <summary>The user's domain (account) by name.</summary>
    public string? UserDomainName { get; init; }

    /// <summary>The user's domain (account) by id.</summary>
    public string? UserDomainId { get; init; }

    /// <summary>Project scope by name when the project id is not known.</summary>
    public string? ProjectName { get; init; }

    /// <summary>Region (e.g. "eu-de"): derives the endpoints that are not set.</summary>
    public string? Region { get; init; }

    /// <summary>Access key for AK/SK request signing (with <see cref="SecretKey"/>).</summary>
    public string? AccessKey { get; init; }

    /// <summary>Secret key for AK/SK request signing. Never logged.</summary>
    public string? SecretKey { get; init; }

    /// <summary>Security token of temporary AK/SK credentials. Never logged.</summary>
    public string? SecurityToken { get; init; }

    /// <summary>How long before expiry an IAM token is replaced (library default 5 min).</summary>
    public TimeSpan? TokenRefreshMargin { get; init; }

    /// <summary>Read the OS_* environment variables (weaker than these options).</summary>
    public bool LoadEnvironment { get; init; }

    /// <summary>Read clouds.yaml (weakest source): <see cref="CloudsYamlPath"/> or the standard search path.</summary>
    public bool LoadCloudsYaml { get; init; }

    /// <summary>Path of clouds.yaml; null searches the standard places.</summary>
    public string? CloudsYamlPath { get; init; }

    /// <summary>Cloud to read from clouds.yaml; null means $OS_CLOUD or the only one.</summary>
    public string? Cloud { get; init; }

    /// <summary>Allow plain http:// endpoints and IAM URLs (local emulator only).</summary>
    public bool AllowHttp { get; init; }

    /// <summary>Connect timeout (library default 10 s).</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Total timeout of one HTTP exchange (library default 60 s).</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>
    /// Rate limits of the client's own <see cref="JobWatcher"/>, which polls every
    /// <see cref="SdrsClient.WaitForJobAsync"/> (default 100 polls/s, 8 requests in flight);
    /// null for the defaults. Its <see cref="JobWatcherOptions.Dispatch"/> must stay
    /// <see cref="JobWatcherDispatch.Thread"/>.
    /// </summary>
    public JobWatcherOptions? JobWatcherOptions { get; init; }

    /// <summary>Deadline of each whole call (retries included) other than job waits; null for none.</summary>
    public TimeSpan? CallTimeout { get; init; }

    /// <summary>PEM file with the CA certificates that verify the server; null for the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Directory of CA certificates in OpenSSL's hashed format, in addition to <see cref="CaFile"/>.</summary>
    public string? CaDir { get; init; }

    /// <summary>Client certificate (PEM file) for mutual TLS; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertFile { get; init; }

    /// <summary>Private key (PEM file) of <see cref="ClientCertFile"/>.</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Password of an encrypted <see cref="ClientKeyFile"/>. Never logged.</summary>
    public string? ClientKeyPassword { get; init; }

    /// <summary>
    /// DANGEROUS: turns off the server certificate and host name checks. For throw-away test
    /// setups only; the client logs a warning at creation and on every request.
    /// </summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Proxy URL; null: the environment (HTTPS_PROXY, ... read once when the client is made); "": no proxy at all.</summary>
    public string? Proxy { get; init; }

    /// <summary>Comma-separated hosts reached without the proxy; null: the environment (NO_PROXY).</summary>
    public string? NoProxy { get; init; }

    /// <summary>Low-speed abort threshold in bytes/s (library default 1; 0 disables the abort).</summary>
    public long? LowSpeedBytesPerSecond { get; init; }

    /// <summary>How long an exchange may stay below the low-speed threshold (library default 30 s).</summary>
    public TimeSpan? LowSpeedTime { get; init; }

    /// <summary>Attempts per call, retries included (1..10, library default 4).</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>HTTP version preference (library default <see cref="SdrsHttpVersion.Auto"/>).</summary>
    public SdrsHttpVersion? HttpVersion { get; init; }

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

/// <summary>HTTP version preference (sdrs_http_version).</summary>
public enum SdrsHttpVersion
{
    /// <summary>HTTP/2 when the server offers it over TLS, else HTTP/1.1.</summary>
    Auto = 0,

    /// <summary>HTTP/1.1 only.</summary>
    Http11 = 1,

    /// <summary>Prefer HTTP/2, falling back to HTTP/1.1.</summary>
    Http2 = 2,
}
