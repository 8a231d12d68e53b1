using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// The paged listings (sdrs_*_list_get) and the async enumeration over a native page iterator
// (sdrs_*_iter), shared by groups, protected instances, replication pairs, drills, failed tasks
// and tag queries.
public sealed partial class SdrsClient
{
    /// <summary>
    /// Reads one page: builds the list options with <paramref name="buildOpts"/>, sends the request
    /// with <paramref name="get"/> (an sdrs_*_list_get call, returning its code, list and error) and
    /// copies the page out of the borrowed list with <paramref name="read"/>.
    /// </summary>
    private Task<TPage> ListPage<TOpts, TList, TPage>(Func<TOpts> buildOpts, Func<ClientHandle, TOpts, CallOptsHandle, (int Rc, TList List, ErrorHandle Err)> get, Func<nint, TPage> read, CancellationToken cancellationToken)
        where TOpts : SdrsHandle
        where TList : SdrsHandle =>
        Run(opts =>
        {
            using TOpts lopts = buildOpts();
            (int rc, TList list, ErrorHandle err) = get(_handle, lopts, opts);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                return read(lease.Pointer);
            }
        }, cancellationToken);

    /// <summary>The signature of every sdrs_*_iter_next: a borrowed item or 0 at the end.</summary>
    private delegate int IterNext<in TIter>(out nint item, TIter iter, CallOptsHandle opts, out ErrorHandle err);

    /// <summary>
    /// Opens a native iterator (<paramref name="open"/> sends nothing) and yields every item,
    /// copied with <paramref name="read"/> before the next call invalidates the borrowed one.
    /// </summary>
    private async IAsyncEnumerable<T> Enumerate<TIter, T>(Func<TIter> open, IterNext<TIter> next, Func<nint, T> read, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TIter : SdrsHandle
        where T : class
    {
        // The native iterator uses the client: keep it referenced until the iterator is freed.
        ClientLease clientLease = Acquire();
        try
        {
            using TIter iter = open();
            while (true)
            {
                T? item = await Run(opts =>
                {
                    using var lease = new HandleLease(iter);
                    int rc = next(out nint p, iter, opts, out ErrorHandle err);
                    Errors.Check(rc, err, cancellationToken);
                    return p == 0 ? null : read(p);
                }, cancellationToken).ConfigureAwait(false);
                if (item is null)
                {
                    yield break;
                }

                yield return item;
            }
        }
        finally
        {
            clientLease.Release();
        }
    }
}
