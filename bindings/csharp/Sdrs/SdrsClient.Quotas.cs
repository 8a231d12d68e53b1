using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Tenant quotas (spec part 2 section 8).
public sealed partial class SdrsClient
{
    /// <summary>
    /// Reads the quotas of protection groups and replication pairs (GET /sdrs/quotas). The
    /// service's -1 arrives as <see cref="QuotaLimitKind.Unlimited"/>, never as a number.
    /// </summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<Quotas> GetQuotasAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_quota_get(out QuotaHandle quota, _handle, opts, out ErrorHandle err);
            using (quota)
            {
                Errors.Check(rc, err, cancellationToken);
                return Quotas.Read(quota);
            }
        }, cancellationToken);
}
