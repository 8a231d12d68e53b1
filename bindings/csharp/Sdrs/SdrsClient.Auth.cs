using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// The client's IAM token and project id.
public sealed partial class SdrsClient
{
    /// <summary>A valid IAM token of the client (password authentication: cached or refreshed). A secret: do not log it.</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsValidationException">The client signs with an access key and has no token (SDRS_EINVAL).</exception>
    public Task<string> GetTokenAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_client_token(out nint token, _handle, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return Native.TakeString(token) ?? string.Empty;
        }, cancellationToken);

    /// <summary>The project id in use: configured, or learned from the IAM token's scope.</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<string> GetProjectIdAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_client_project_id(out nint pid, _handle, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return Native.TakeString(pid) ?? string.Empty;
        }, cancellationToken);
}
