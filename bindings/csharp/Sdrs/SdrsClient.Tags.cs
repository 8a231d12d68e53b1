using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sdrs;

// Tags on protected instances and the query of instances by tag (spec part 2 section 6). The
// library enforces the most tolerant documented limits (tag.h): at most 20 tags per batch, key
// 1..127 and value 0..255 characters, no control characters, keys unique per request.
public sealed partial class SdrsClient
{
    /// <summary>Adds one tag to an instance, or sets the value of an existing key (spec part 2 section 6.2, synchronous).</summary>
    /// <param name="instanceId">The protected instance id.</param>
    /// <param name="key">1..127 characters.</param>
    /// <param name="value">0..255 characters.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task AddTagAsync(string instanceId, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return Run(opts =>
        {
            int rc = Native.sdrs_tag_add(_handle, instanceId, key, value, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes one tag by key (spec part 2 section 6.5). The key is percent-encoded in the path, so
    /// any key the rules allow works.
    /// </summary>
    /// <param name="instanceId">The protected instance id.</param>
    /// <param name="key">The tag key.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsNotFoundException">The instance has no such key (HTTP 404, SDRS.2206).</exception>
    public Task DeleteTagAsync(string instanceId, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(key);
        return Run(opts =>
        {
            int rc = Native.sdrs_tag_delete(_handle, instanceId, key, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>Adds tags in one request (spec part 2 section 6.3, action "create"); existing keys get the new values.</summary>
    /// <param name="instanceId">The protected instance id.</param>
    /// <param name="tags">1..20 tags with unique keys; every value must be non-null.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task AddTagsAsync(string instanceId, IEnumerable<ResourceTag> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(tags);
        return Run(opts =>
        {
            using TagSetHandle set = BuildTagSet(tags);
            int rc = Native.sdrs_tag_batch_add(_handle, instanceId, set, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes tags in one request (spec part 2 section 6.4, action "delete"). A tag with a null
    /// value removes the key whatever its value; with a value, only when key and value match. Tags
    /// the instance does not have are ignored by the service.
    /// </summary>
    /// <param name="instanceId">The protected instance id.</param>
    /// <param name="tags">1..20 tags with unique keys.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task DeleteTagsAsync(string instanceId, IEnumerable<ResourceTag> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(tags);
        return Run(opts =>
        {
            using TagSetHandle set = BuildTagSet(tags);
            int rc = Native.sdrs_tag_batch_delete(_handle, instanceId, set, opts, out ErrorHandle err);
            Errors.Check(rc, err, cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>The tags of one instance (spec part 2 section 6.6), in the service's order.</summary>
    /// <param name="instanceId">The protected instance id.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<IReadOnlyList<ResourceTag>> ListTagsAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return Run<IReadOnlyList<ResourceTag>>(opts =>
        {
            int rc = Native.sdrs_tag_list_get(out TagListHandle list, _handle, instanceId, opts, out ErrorHandle err);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                return Conv.Items(lease.Pointer, Native.sdrs_tag_list_size(lease.Pointer), static (o, i) =>
                    Native.Str(Native.sdrs_tag_list_key(o, i)) is { } key ? new ResourceTag(key, Native.Str(Native.sdrs_tag_list_value(o, i))) : null);
            }
        }, cancellationToken);
    }

    /// <summary>Every tag key used in the project with all its values (spec part 2 section 6.7).</summary>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<IReadOnlyList<ProjectTag>> ListProjectTagsAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<ProjectTag>>(opts =>
        {
            int rc = Native.sdrs_tag_project_list_get(out TagProjectListHandle list, _handle, opts, out ErrorHandle err);
            using (list)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(list);
                nint p = lease.Pointer;
                int n = checked((int)Native.sdrs_tag_project_list_size(p));
                var keys = new List<ProjectTag>(n);
                for (int i = 0; i < n; i++)
                {
                    string? key = Native.Str(Native.sdrs_tag_project_list_key(p, (nuint)i));
                    if (key is null)
                    {
                        continue;
                    }

                    int m = checked((int)Native.sdrs_tag_project_list_value_count(p, (nuint)i));
                    var values = new List<string>(m);
                    for (int j = 0; j < m; j++)
                    {
                        string? value = Native.Str(Native.sdrs_tag_project_list_value(p, (nuint)i, (nuint)j));
                        if (value is not null)
                        {
                            values.Add(value);
                        }
                    }

                    keys.Add(new ProjectTag(key, values));
                }

                return keys;
            }
        }, cancellationToken);

    /// <summary>
    /// One page of the protected instances a tag query matches (spec part 2 section 6.8, action
    /// "filter"; limit and offset from the query).
    /// </summary>
    /// <param name="query">The conditions and paging.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    /// <exception cref="SdrsValidationException">A condition breaks a rule (nothing was sent; the message names the field).</exception>
    public Task<TagQueryPage> FilterProtectedInstancesByTagAsync(TagQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Run(opts =>
        {
            using TagQueryHandle q = BuildTagQuery(query);
            int rc = Native.sdrs_tag_query_filter(out TagQueryResultHandle result, _handle, q, opts, out ErrorHandle err);
            using (result)
            {
                Errors.Check(rc, err, cancellationToken);
                using var lease = new HandleLease(result);
                nint p = lease.Pointer;
                int n = checked((int)Native.sdrs_tag_query_result_size(p));
                var matches = new List<TagQueryMatch>(n);
                for (int i = 0; i < n; i++)
                {
                    nint pi = Native.sdrs_tag_query_result_instance(p, (nuint)i);
                    matches.Add(new TagQueryMatch(
                        Native.Str(Native.sdrs_tag_query_result_resource_id(p, (nuint)i)),
                        Native.Str(Native.sdrs_tag_query_result_resource_name(p, (nuint)i)),
                        pi == 0 ? null : ProtectedInstance.Read(pi)));
                }

                return new TagQueryPage(matches, Conv.Count(Native.sdrs_tag_query_result_total_count(p)), Native.Str(Native.sdrs_tag_query_result_json(p)));
            }
        }, cancellationToken);
    }

    /// <summary>
    /// The number of protected instances a tag query matches (spec part 2 section 6.8, action
    /// "count"). The service forbids limit and offset here: a query with either is refused before sending.
    /// </summary>
    /// <param name="query">The conditions, without <see cref="TagQuery.Limit"/> and <see cref="TagQuery.Offset"/>.</param>
    /// <param name="cancellationToken">Aborts the call.</param>
    public Task<long> CountProtectedInstancesByTagAsync(TagQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Run(opts =>
        {
            using TagQueryHandle q = BuildTagQuery(query);
            long count = 0;
            int rc;
            unsafe
            {
                rc = Native.sdrs_tag_query_count((nint)(&count), _handle, q, opts, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
            }

            return count;
        }, cancellationToken);
    }

    /// <summary>
    /// Enumerates every protected instance a tag query matches, fetching pages as it goes (page
    /// size from <see cref="TagQuery.Limit"/>, default 1000, start at <see cref="TagQuery.Offset"/>).
    /// </summary>
    /// <param name="query">The conditions and paging.</param>
    /// <param name="cancellationToken">Aborts the enumeration.</param>
    public IAsyncEnumerable<ProtectedInstance> ListAllProtectedInstancesByTagAsync(TagQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Enumerate<TagQueryIterHandle, ProtectedInstance>(
            () =>
            {
                // The iterator copies the query and sends nothing yet.
                using TagQueryHandle q = BuildTagQuery(query);
                int rc = Native.sdrs_tag_query_iter_new(out TagQueryIterHandle iter, _handle, q, out ErrorHandle err);
                Errors.Check(rc, err, cancellationToken);
                return iter;
            },
            (out nint item, TagQueryIterHandle iter, CallOptsHandle opts, out ErrorHandle err) => Native.sdrs_tag_query_iter_next(out item, iter, opts, out err),
            ProtectedInstance.Read,
            cancellationToken);
    }

    private static TagSetHandle BuildTagSet(IEnumerable<ResourceTag> tags)
    {
        int rc = Native.sdrs_tag_set_new(out TagSetHandle set, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            foreach (ResourceTag tag in tags)
            {
                ArgumentNullException.ThrowIfNull(tag, nameof(tags));
                Errors.Check(Native.sdrs_tag_set_add(set, tag.Key, tag.Value, out err), err);
            }

            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    private static TagQueryHandle BuildTagQuery(TagQuery query)
    {
        int rc = Native.sdrs_tag_query_new(out TagQueryHandle q, out ErrorHandle err);
        Errors.Check(rc, err);
        try
        {
            foreach ((TagMatch match, TagCondition condition) in query.Conditions())
            {
                ArgumentNullException.ThrowIfNull(condition, nameof(query));
                if (condition.Values is null || condition.Values.Count == 0)
                {
                    // NULL value: the key with an empty values list, i.e. any value.
                    Errors.Check(Native.sdrs_tag_query_add(q, (int)match, condition.Key, null, out err), err);
                    continue;
                }

                foreach (string value in condition.Values)
                {
                    ArgumentNullException.ThrowIfNull(value, nameof(condition.Values));
                    // Adding the same key again in the same list adds a value to it.
                    Errors.Check(Native.sdrs_tag_query_add(q, (int)match, condition.Key, value, out err), err);
                }
            }

            Errors.Check(Native.sdrs_tag_query_set_name(q, query.Name, out err), err);
            if (query.Limit is { } limit)
            {
                Errors.Check(Native.sdrs_tag_query_set_limit(q, limit, out err), err);
            }

            if (query.Offset is { } offset)
            {
                Errors.Check(Native.sdrs_tag_query_set_offset(q, offset, out err), err);
            }

            return q;
        }
        catch
        {
            q.Dispose();
            throw;
        }
    }
}
