using System;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// How every call runs: on the thread pool, call options and cancel tokens bound to
// the CancellationToken, and the lease that keeps the native client alive while a call is in flight.
public sealed partial class SdrsClient
{
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Runs a short blocking call on the thread pool with call options bound to the token.</summary>
    private Task<T> Run<T>(Func<CallOptsHandle, T> body, CancellationToken token)
    {
        if (token.IsCancellationRequested)
        {
            ThrowIfDisposed();
            return Task.FromCanceled<T>(token);
        }

        ClientLease lease = Acquire();
        Task<T> task = Task.Factory.StartNew(
            () =>
            {
                if (!token.CanBeCanceled)
                {
                    return body(_sharedCallOpts);
                }

                using CancelHandle cancel = NewCancel();
                using CallOptsHandle opts = NewCallOpts(cancel, _callTimeoutMs);
                using (Register(cancel, token))
                {
                    return body(opts);
                }
            },
            token,
            TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);
        return ReleaseWhenDone(task, lease);
    }

    /// <summary>
    /// References the native client (and the shared call options) from the moment a call is
    /// started, so a Dispose() racing a queued call neither fails it nor frees the client under it.
    /// Throws ObjectDisposedException after Dispose().
    /// </summary>
    private ClientLease Acquire()
    {
        ThrowIfDisposed();
        var lease = new ClientLease(_handle, _sharedCallOpts);
        try
        {
            _handle.DangerousAddRef(ref lease.ClientAdded);
            _sharedCallOpts.DangerousAddRef(ref lease.OptsAdded);
            return lease;
        }
        catch
        {
            lease.Release();
            throw;
        }
    }

    private static async Task<T> ReleaseWhenDone<T>(Task<T> task, ClientLease lease)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            lease.Release();
        }
    }

    private sealed class ClientLease(ClientHandle client, CallOptsHandle opts)
    {
        internal bool ClientAdded;
        internal bool OptsAdded;

        internal void Release()
        {
            if (OptsAdded)
            {
                OptsAdded = false;
                opts.DangerousRelease();
            }

            if (ClientAdded)
            {
                ClientAdded = false;
                client.DangerousRelease();
            }
        }
    }

    private static CancellationTokenRegistration Register(CancelHandle cancel, CancellationToken token) =>
        // Disposing the registration waits for a running callback, so the trigger never races the free.
        token.UnsafeRegister(static s => Native.sdrs_cancel_trigger((CancelHandle)s!), cancel);

    private static CancelHandle NewCancel()
    {
        int rc = Native.sdrs_cancel_new(out CancelHandle cancel, out ErrorHandle err);
        Errors.Check(rc, err);
        return cancel;
    }

    /// <summary>Call options with a timeout (0: none) and a cancel token (null: none).</summary>
    private static CallOptsHandle NewCallOpts(CancelHandle? cancel, long timeoutMs)
    {
        int rc = Native.sdrs_call_opts_new(out CallOptsHandle opts, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            if (timeoutMs > 0)
            {
                Errors.Check(Native.sdrs_call_opts_set_timeout_ms(opts, timeoutMs, out err), err);
            }

            if (cancel is not null)
            {
                Errors.Check(Native.sdrs_call_opts_set_cancel(opts, cancel, out err), err);
            }

            return opts;
        }
        catch
        {
            opts.Dispose();
            throw;
        }
    }

    private static long Milliseconds(TimeSpan t, string name)
    {
        if (t < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, t, "must not be negative");
        }

        // Round up so a tiny positive span never becomes 0 ("no deadline").
        return (long)Math.Ceiling(t.TotalMilliseconds);
    }
}
