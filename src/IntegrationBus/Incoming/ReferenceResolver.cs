
namespace IntegrationBus;

/// <summary>
/// Resolves translation records to the application's internal IDs: by GUID, else by code name and site (under the
/// parent, resolved first, when the record has one). The data handler supplies the look-ups; this class owns the order.
/// </summary>
public sealed class ReferenceResolver
{
    private readonly ObjectTypeRegistry _types;
    private readonly IInternalDataHandler _handler;

    /// <summary>Creates a resolver.</summary>
    /// <param name="types">The registered types.</param>
    /// <param name="handler">The data handler whose look-ups are used.</param>
    public ReferenceResolver(ObjectTypeRegistry types, IInternalDataHandler handler)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(handler);
        _types = types;
        _handler = handler;
    }

    /// <summary>Finds the internal ID of the object a translation record describes.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>The internal ID, or <see langword="null"/> when no object matches.</returns>
    /// <exception cref="ReferenceResolutionException">The record names an unknown type, or its parent cannot be resolved.</exception>
    public async Task<long?> ResolveAsync(TranslationRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_types.TryGet(record.ObjectType, out var type))
        {
            throw new ReferenceResolutionException($"A translation record names object type '{record.ObjectType}', which is not registered.");
        }

        if (record.Guid is { } guid
            && await _handler.FindObjectIdAsync(new ObjectLookup(type, Guid: guid), cancellationToken).ConfigureAwait(false) is { } byGuid)
        {
            return byGuid;
        }

        if (record.CodeName is null)
        {
            return null;
        }

        long? parentId = null;
        if (record.Parent is { } parent)
        {
            parentId = await ResolveAsync(parent, cancellationToken).ConfigureAwait(false)
                ?? throw new ReferenceResolutionException($"The parent of {Describe(record)} was not found: {Describe(parent)}.");
        }

        return await _handler.FindObjectIdAsync(new ObjectLookup(type, CodeName: record.CodeName, Site: record.Site, ParentId: parentId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds the internal ID of the object an incoming object stands for, by its own GUID or code name.</summary>
    /// <param name="obj">The incoming object.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>The internal ID, or <see langword="null"/> when the object does not exist yet.</returns>
    public Task<long?> FindExistingAsync(BusObject obj, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return FindExistingAsync(_handler, obj, parentId: null, cancellationToken);
    }

    /// <summary>Finds the internal ID of an object through a data handler's look-ups: by its GUID, else by its code name (and site), under <paramref name="parentId"/> for a child.</summary>
    /// <remarks>The look-up behind <see cref="FindExistingAsync(BusObject, CancellationToken)"/>, for data handlers that apply children themselves.</remarks>
    /// <param name="handler">The data handler whose look-ups are used.</param>
    /// <param name="obj">The object.</param>
    /// <param name="parentId">The parent's internal ID for a child, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>The internal ID, or <see langword="null"/> when the object does not exist yet.</returns>
    public static async Task<long?> FindExistingAsync(IInternalDataHandler handler, BusObject obj, long? parentId, CancellationToken cancellationToken)
    {
        var guid = obj.Type.IsPage ? obj.NodeGuid ?? obj.Guid : obj.Guid;
        if (guid is { } g && await handler.FindObjectIdAsync(new ObjectLookup(obj.Type, Guid: g), cancellationToken).ConfigureAwait(false) is { } byGuid)
        {
            return byGuid;
        }

        var codeName = obj.Type.IsPage ? obj.AliasPath : obj.CodeName;
        return codeName is null
            ? null
            : await handler.FindObjectIdAsync(new ObjectLookup(obj.Type, CodeName: codeName, Site: obj.Site, ParentId: parentId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rewrites every foreign key of a snapshot (children and bindings included) from its record to the internal ID.</summary>
    /// <param name="snapshot">The snapshot; changed in place.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    /// <returns>A task that completes when every key is rewritten.</returns>
    /// <exception cref="ReferenceResolutionException">A required key has no record or matches no object; the message names the field and the record.</exception>
    public async Task ResolveForeignKeysAsync(ObjectSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var obj = snapshot.Object;
        foreach (var key in obj.Type.ForeignKeys)
        {
            if (obj[key.Field] is not { } external)
            {
                continue;
            }

            long? id = null;
            if (snapshot.References.TryGetValue(key.Field, out var record))
            {
                id = await ResolveAsync(record, cancellationToken).ConfigureAwait(false);
            }

            if (id is null && key.IsRequired)
            {
                throw new ReferenceResolutionException(record is null
                    ? $"Required foreign key '{obj.TypeName}.{key.Field}' = {external} has no translation record; send the task as SimpleSnapshot or Snapshot."
                    : $"Required foreign key '{obj.TypeName}.{key.Field}' = {external} references {Describe(record)}, which does not exist in the application.");
            }

            // An optional reference that does not resolve is cleared: an external ID must never land in an internal key.
            obj[key.Field] = id;
        }

        foreach (var child in snapshot.Children.Concat(snapshot.Bindings))
        {
            await ResolveForeignKeysAsync(child, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(TranslationRecord record) =>
        $"{record.ObjectType} (GUID {record.Guid?.ToString() ?? "none"}, code name '{record.CodeName ?? "none"}', site '{record.Site ?? "global"}')";
}
