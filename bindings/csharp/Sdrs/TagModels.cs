using System;
using System.Collections.Generic;
using System.Linq;

namespace Sdrs;

/// <summary>One tag key of the project with every value it has (GET /protected-instances/tags).</summary>
/// <param name="Key">The key.</param>
/// <param name="Values">Its values across all instances.</param>
public sealed record ProjectTag(string Key, IReadOnlyList<string> Values)
{
    /// <inheritdoc/>
    public bool Equals(ProjectTag? other) =>
        other is not null && Key == other.Key && Values.SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Key, Values.Count);
}

/// <summary>How a <see cref="TagCondition"/> matches (enum sdrs_tag_match: the four lists of the query).</summary>
public enum TagMatch
{
    /// <summary>"tags": the instance has every listed key, each with one of its listed values.</summary>
    All = 0,
    /// <summary>"tags_any": the instance has any listed key with one of its listed values.</summary>
    Any = 1,
    /// <summary>"not_tags": excluded when it would match as <see cref="All"/>.</summary>
    NotAll = 2,
    /// <summary>"not_tags_any": excluded when it has any listed key/value.</summary>
    NotAny = 3,
}

/// <summary>
/// One key of a tag query. No values means "the key with any value"; a value "*x" is a fuzzy
/// match on values containing x (a lone "*" is refused). At most 20 values, unique.
/// </summary>
/// <param name="Key">The tag key.</param>
/// <param name="Values">Accepted values; empty for any value.</param>
public sealed record TagCondition(string Key, IReadOnlyList<string> Values)
{
    /// <summary>The key with any value.</summary>
    /// <param name="key">The tag key.</param>
    public TagCondition(string key)
        : this(key, [])
    {
    }

    /// <inheritdoc/>
    public bool Equals(TagCondition? other) =>
        other is not null && Key == other.Key && Values.SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Key, Values.Count);
}

/// <summary>
/// A query of protected instances by tag (POST /protected-instances/resource_instances/action,
/// spec part 2 section 6.8): the four match lists, the name match and paging. Immutable; build it
/// with an initializer or the fluent <see cref="WithAll"/>/<see cref="WithAny"/>/<see cref="WithNotAll"/>/<see cref="WithNotAny"/>.
/// With no condition every instance matches. Every rule is checked by libsdrs before sending
/// (<see cref="SdrsValidationException"/> naming the field).
/// </summary>
public sealed record TagQuery
{
    /// <summary>"tags": every key must be present with one of its values.</summary>
    public IReadOnlyList<TagCondition> All { get; init; } = [];
    /// <summary>"tags_any": any key/value matches.</summary>
    public IReadOnlyList<TagCondition> Any { get; init; } = [];
    /// <summary>"not_tags": instances that match these as <see cref="All"/> are excluded.</summary>
    public IReadOnlyList<TagCondition> NotAll { get; init; } = [];
    /// <summary>"not_tags_any": instances with any of these key/values are excluded.</summary>
    public IReadOnlyList<TagCondition> NotAny { get; init; } = [];

    /// <summary>
    /// Case-insensitive substring match on the instance name (matches[{key: "resource_name"}]);
    /// "" matches the exact empty name; null: no name match. At most 255 characters.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Page size 1..1000 for the filter call (for iteration: the page size used). Not allowed with a count.</summary>
    public long? Limit { get; init; }

    /// <summary>Records to skip for the filter call (for iteration: the starting point). Not allowed with a count.</summary>
    public long? Offset { get; init; }

    /// <summary>A copy with one more "tags" key (all values given, none for any value).</summary>
    /// <param name="key">The tag key.</param>
    /// <param name="values">Accepted values.</param>
    public TagQuery WithAll(string key, params string[] values) => this with { All = [.. All, new TagCondition(key, values)] };

    /// <summary>A copy with one more "tags_any" key.</summary>
    /// <param name="key">The tag key.</param>
    /// <param name="values">Accepted values.</param>
    public TagQuery WithAny(string key, params string[] values) => this with { Any = [.. Any, new TagCondition(key, values)] };

    /// <summary>A copy with one more "not_tags" key.</summary>
    /// <param name="key">The tag key.</param>
    /// <param name="values">Excluded values.</param>
    public TagQuery WithNotAll(string key, params string[] values) => this with { NotAll = [.. NotAll, new TagCondition(key, values)] };

    /// <summary>A copy with one more "not_tags_any" key.</summary>
    /// <param name="key">The tag key.</param>
    /// <param name="values">Excluded values.</param>
    public TagQuery WithNotAny(string key, params string[] values) => this with { NotAny = [.. NotAny, new TagCondition(key, values)] };

    /// <summary>The conditions of every list with their match kind, in request order.</summary>
    internal IEnumerable<(TagMatch Match, TagCondition Condition)> Conditions() =>
        All.Select(c => (TagMatch.All, c))
            .Concat(Any.Select(c => (TagMatch.Any, c)))
            .Concat(NotAll.Select(c => (TagMatch.NotAll, c)))
            .Concat(NotAny.Select(c => (TagMatch.NotAny, c)));
}

/// <summary>One instance a tag query matched.</summary>
/// <param name="ResourceId">The protected instance id.</param>
/// <param name="ResourceName">Its name.</param>
/// <param name="Instance">The full instance (resource_detail), null when the service sent none.</param>
public sealed record TagQueryMatch(string? ResourceId, string? ResourceName, ProtectedInstance? Instance);

/// <summary>One page of a tag query.</summary>
/// <param name="Matches">The matches of this page.</param>
/// <param name="TotalCount">The service's total_count (all matches, not only this page), null when absent.</param>
/// <param name="Json">The result as JSON text.</param>
public sealed record TagQueryPage(IReadOnlyList<TagQueryMatch> Matches, long? TotalCount, string? Json);
