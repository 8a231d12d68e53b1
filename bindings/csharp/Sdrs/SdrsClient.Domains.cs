using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Active-active domains (spec 3).
public sealed partial class SdrsClient
{
    /// <summary>Lists the active-active domains of the project (spec 3).</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<DomainList> ListDomainsAsync(CancellationToken cancellationToken = default) =>
        Run(opts =>
        {
            int rc = Native.sdrs_domain_list_get(out DomainListHandle list, _handle, opts, out ErrorHandle err);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                List<Domain> domains = Conv.Objects(lease.Pointer, Native.sdrs_domain_list_size(lease.Pointer), static (l, i) => Native.sdrs_domain_list_at(l, i), Domain.Read);
                return new DomainList(domains, Native.Str(Native.sdrs_domain_list_json(lease.Pointer)));
            }
        }, cancellationToken);
}
