namespace IntegrationBus;

/// <summary>The metadata of one object type (or page type): its fields and how they identify and reference objects.</summary>
/// <remarks>
/// Build it with <see cref="ObjectTypeBuilder"/> and register it on the bus; the registry checks that every
/// reference between types is consistent before the bus starts.
/// </remarks>
public sealed class ObjectTypeInfo
{
    private readonly HashSet<string> _fieldSet;

    internal ObjectTypeInfo(ObjectTypeBuilder builder)
    {
        Name = builder.Name;
        IdField = builder.IdFieldName ?? throw new IntegrationBusException(
            $"Object type '{builder.Name}' has no ID field. Call Id(\"...\") on its builder.");
        GuidField = builder.GuidFieldName;
        CodeNameField = builder.CodeNameFieldName;
        DisplayNameField = builder.DisplayNameFieldName;
        SiteField = builder.SiteFieldName;
        ParentType = builder.ParentTypeName;
        ParentIdField = builder.ParentIdFieldName;
        ForeignKeys = [.. builder.ForeignKeyList];
        Bindings = [.. builder.BindingList];
        Page = builder.PageInfo;
        Fields = [.. builder.FieldList];
        _fieldSet = new HashSet<string>(Fields, StringComparer.Ordinal);
        Utf8Fields = [.. Fields.Select(System.Text.Encoding.UTF8.GetBytes)];
    }

    /// <summary>Gets the type name, for example <c>polls.poll</c>.</summary>
    public string Name { get; }

    /// <summary>Gets every field of the type, identity fields included.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>Gets the field that holds the integer ID.</summary>
    public string IdField { get; }

    /// <summary>Gets the field that holds the GUID, or <see langword="null"/> when the type has none.</summary>
    public string? GuidField { get; }

    /// <summary>Gets the field that holds the code name, or <see langword="null"/> when the type has none.</summary>
    public string? CodeNameField { get; }

    /// <summary>Gets the field that holds the display name, or <see langword="null"/> when the type has none.</summary>
    public string? DisplayNameField { get; }

    /// <summary>Gets the field that holds the site name, or <see langword="null"/> for global (site-less) types.</summary>
    public string? SiteField { get; }

    /// <summary>Gets the parent object type of a child type (a poll answer's poll), or <see langword="null"/>.</summary>
    public string? ParentType { get; }

    /// <summary>Gets the field that holds the parent object's ID, or <see langword="null"/>.</summary>
    public string? ParentIdField { get; }

    /// <summary>Gets the foreign keys of the type.</summary>
    public IReadOnlyList<ForeignKeyInfo> ForeignKeys { get; }

    /// <summary>Gets the names of the binding (M:N) types whose parent is this type.</summary>
    public IReadOnlyList<string> Bindings { get; }

    /// <summary>Gets the page metadata, or <see langword="null"/> when this is not a page type.</summary>
    public PageTypeInfo? Page { get; }

    /// <summary>Gets a value indicating whether this is a page type.</summary>
    public bool IsPage => Page is not null;

    /// <summary>Gets a value indicating whether the type has the given field.</summary>
    /// <param name="field">The field name (case-sensitive).</param>
    /// <returns><see langword="true"/> when the type declares the field.</returns>
    public bool HasField(string field) => _fieldSet.Contains(field);

    /// <summary>Gets the field names encoded as UTF-8, in the order of <see cref="Fields"/> (the payload reader matches names without allocating).</summary>
    internal byte[][] Utf8Fields { get; }

    /// <summary>Gets the foreign key declared on a field, or <see langword="null"/>.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>The foreign key, or <see langword="null"/> when the field is not a foreign key.</returns>
    public ForeignKeyInfo? FindForeignKey(string field)
    {
        foreach (var key in ForeignKeys)
        {
            if (string.Equals(key.Field, field, StringComparison.Ordinal))
            {
                return key;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
