using System;
using System.Collections.Generic;

namespace Sdrs;

/// <summary>What a <see cref="QuotaLimit"/> holds (enum sdrs_quota_kind).</summary>
public enum QuotaLimitKind
{
    /// <summary>The service sent no value.</summary>
    Absent = 0,
    /// <summary>A limit: <see cref="QuotaLimit.Value"/> holds it.</summary>
    Limited = 1,
    /// <summary>No limit (the service's -1).</summary>
    Unlimited = 2,
}

/// <summary>
/// A quota limit (quota, min or max of a <see cref="QuotaResource"/>). The service sends -1 for
/// "unlimited"; a <c>long?</c> could not tell that from an absent value and a raw number invites
/// comparing against -1, so the kind is explicit: <see cref="Value"/> is set only for
/// <see cref="QuotaLimitKind.Limited"/>, and <see cref="Allows"/> answers the question callers
/// ask ("is there room for n more?") for every kind.
/// </summary>
/// <param name="Kind">Absent, limited or unlimited.</param>
/// <param name="Value">The limit; null unless <paramref name="Kind"/> is <see cref="QuotaLimitKind.Limited"/>.</param>
public readonly record struct QuotaLimit(QuotaLimitKind Kind, long? Value)
{
    /// <summary>True for "no limit".</summary>
    public bool IsUnlimited => Kind == QuotaLimitKind.Unlimited;

    /// <summary>True when the service sent no value.</summary>
    public bool IsAbsent => Kind == QuotaLimitKind.Absent;

    /// <summary>
    /// Whether <paramref name="used"/> + <paramref name="more"/> stays within the limit: always for
    /// unlimited; for an absent limit an exception (nothing is known, so no answer is given).
    /// </summary>
    /// <param name="used">Resources in use.</param>
    /// <param name="more">Resources to add.</param>
    /// <exception cref="InvalidOperationException">The limit is absent.</exception>
    public bool Allows(long used, long more = 1) => Kind switch
    {
        QuotaLimitKind.Unlimited => true,
        QuotaLimitKind.Limited => used + more <= Value!.Value,
        _ => throw new InvalidOperationException("the service sent no quota limit"),
    };

    /// <summary>"unlimited", "absent" or the number.</summary>
    public override string ToString() => Kind switch
    {
        QuotaLimitKind.Unlimited => "unlimited",
        QuotaLimitKind.Limited => Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "absent",
    };

    /// <summary>Builds a limit from the kind sdrs_quota_limit/min/max returned and the value it stored.</summary>
    internal static QuotaLimit From(int kind, long value) => (QuotaLimitKind)kind switch
    {
        QuotaLimitKind.Limited => new QuotaLimit(QuotaLimitKind.Limited, value),
        QuotaLimitKind.Unlimited => new QuotaLimit(QuotaLimitKind.Unlimited, null),
        _ => new QuotaLimit(QuotaLimitKind.Absent, null),
    };
}

/// <summary>The quota of one resource type (spec part 2 section 8).</summary>
/// <param name="Type">"server_groups" (protection groups) or "replications" (replication pairs); others a newer service adds.</param>
/// <param name="Used">Resources in use, null when absent.</param>
/// <param name="Quota">The limit.</param>
/// <param name="Min">The lowest value the limit may be set to.</param>
/// <param name="Max">The highest value the limit may be set to.</param>
public sealed record QuotaResource(string Type, long? Used, QuotaLimit Quota, QuotaLimit Min, QuotaLimit Max);

/// <summary>The tenant's quotas (GET /sdrs/quotas), copied out of the native handle.</summary>
public sealed record Quotas
{
    /// <summary>Every entry, in the service's order.</summary>
    public IReadOnlyList<QuotaResource> Resources { get; init; } = [];

    /// <summary>The protection-group entry ("server_groups"), null when the service sent none.</summary>
    public QuotaResource? ServerGroups { get; init; }

    /// <summary>The replication-pair entry ("replications"), null when the service sent none.</summary>
    public QuotaResource? Replications { get; init; }

    /// <summary>The quota object as JSON text.</summary>
    public string? Json { get; init; }

    /// <summary>The entry of a type, null when there is none.</summary>
    /// <param name="type">The resource type.</param>
    public QuotaResource? Find(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (QuotaResource r in Resources)
        {
            if (r.Type == type)
            {
                return r;
            }
        }

        return null;
    }

    internal static Quotas Read(QuotaHandle h)
    {
        using var lease = new HandleLease(h);
        nint q = lease.Pointer;
        int n = checked((int)Native.sdrs_quota_size(q));
        var resources = new List<QuotaResource>(n);
        for (int i = 0; i < n; i++)
        {
            resources.Add(ReadAt(q, (nuint)i));
        }

        // The library's lookup decides which entry a type names, as C callers see it.
        QuotaResource? ByType(string type)
        {
            long index = Native.sdrs_quota_find(q, type);
            return index < 0 ? null : resources[checked((int)index)];
        }

        return new Quotas
        {
            Resources = resources,
            ServerGroups = ByType("server_groups"),
            Replications = ByType("replications"),
            Json = Native.Str(Native.sdrs_quota_json(q)),
        };
    }

    private static unsafe QuotaResource ReadAt(nint q, nuint i)
    {
        long quota = 0, min = 0, max = 0;
        int quotaKind = Native.sdrs_quota_limit(q, i, (nint)(&quota));
        int minKind = Native.sdrs_quota_min(q, i, (nint)(&min));
        int maxKind = Native.sdrs_quota_max(q, i, (nint)(&max));
        return new QuotaResource(
            Native.Str(Native.sdrs_quota_type(q, i)) ?? string.Empty,
            Conv.Count(Native.sdrs_quota_used(q, i)),
            QuotaLimit.From(quotaKind, quota),
            QuotaLimit.From(minKind, min),
            QuotaLimit.From(maxKind, max));
    }
}
