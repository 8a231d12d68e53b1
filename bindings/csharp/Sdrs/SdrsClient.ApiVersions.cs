using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// API version discovery (GET / and GET /{version}).
public sealed partial class SdrsClient
{
    /// <summary>Lists every API version the endpoint serves (GET /).</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<IReadOnlyList<ApiVersion>> ListApiVersionsAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<ApiVersion>>(opts =>
        {
            int rc = Native.sdrs_apiversion_list_get(out ApiVersionListHandle list, _handle, opts, out ErrorHandle err);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                return Conv.Objects(lease.Pointer, Native.sdrs_apiversion_list_size(lease.Pointer), static (l, i) => Native.sdrs_apiversion_list_at(l, i), ApiVersion.Read);
            }
        }, cancellationToken);

    /// <summary>Reads one API version (GET /{versionId}).</summary>
    /// <param name="versionId">E.g. "v1".</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<ApiVersion> GetApiVersionAsync(string versionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(versionId);
        return Run(opts =>
        {
            int rc = Native.sdrs_apiversion_get(out ApiVersionHandle version, _handle, versionId, opts, out ErrorHandle err);
            using (version)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(version);
                return ApiVersion.Read(lease.Pointer);
            }
        }, cancellationToken);
    }
}
