using System.Globalization;

namespace IntegrationBus;

/// <summary>One object (or page) of the application: its type and its field values.</summary>
/// <remarks>
/// Field values are JSON-compatible: <see langword="null"/>, <see cref="string"/>, <see cref="bool"/>, integers (kept as
/// <see cref="long"/>), <see cref="double"/>, <see cref="decimal"/>, <see cref="System.Guid"/>, <see cref="DateTime"/>,
/// <see cref="DateTimeOffset"/>, and lists of those. An instance is not thread-safe; the bus copies what it keeps.
/// </remarks>
public sealed class BusObject
{
    private readonly Dictionary<string, object?> _fields;

    /// <summary>Creates an empty object of a type.</summary>
    /// <param name="type">The object's type.</param>
    public BusObject(ObjectTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
        _fields = new Dictionary<string, object?>(type.Fields.Count, StringComparer.Ordinal);
    }

    private BusObject(ObjectTypeInfo type, Dictionary<string, object?> fields)
    {
        Type = type;
        _fields = fields;
    }

    /// <summary>Gets the object's type.</summary>
    public ObjectTypeInfo Type { get; }

    /// <summary>Gets the object's type name.</summary>
    public string TypeName => Type.Name;

    /// <summary>Gets the fields that have a value (possibly <see langword="null"/>).</summary>
    public IReadOnlyDictionary<string, object?> Fields => _fields;

    /// <summary>Gets the integer ID.</summary>
    /// <exception cref="IntegrationBusException">The ID field has no integer value.</exception>
    public long Id => GetInt64(Type.IdField)
        ?? throw new IntegrationBusException($"Object of type '{Type.Name}' has no value in its ID field '{Type.IdField}'.");

    /// <summary>Gets the GUID, or <see langword="null"/> when the type has no GUID field or it is empty.</summary>
    public Guid? Guid => Type.GuidField is null ? null : GetGuid(Type.GuidField);

    /// <summary>Gets the code name, or <see langword="null"/>.</summary>
    public string? CodeName => Type.CodeNameField is null ? null : GetString(Type.CodeNameField);

    /// <summary>Gets the display name, or <see langword="null"/>.</summary>
    public string? DisplayName => Type.DisplayNameField is null ? null : GetString(Type.DisplayNameField);

    /// <summary>Gets the site name, or <see langword="null"/> for a global object.</summary>
    public string? Site => Type.SiteField is null ? null : GetString(Type.SiteField);

    /// <summary>Gets the parent object's ID, or <see langword="null"/>.</summary>
    public long? ParentId => Type.ParentIdField is null ? null : GetInt64(Type.ParentIdField);

    /// <summary>Gets the page's node GUID, or <see langword="null"/> when this is not a page.</summary>
    public Guid? NodeGuid => Type.Page is { } page ? GetGuid(page.NodeGuidField) : null;

    /// <summary>Gets the page's alias path, or <see langword="null"/> when this is not a page.</summary>
    public string? AliasPath => Type.Page is { } page ? GetString(page.AliasPathField) : null;

    /// <summary>Gets the page's culture, or <see langword="null"/> when this is not a page.</summary>
    public string? Culture => Type.Page is { } page ? GetString(page.CultureField) : null;

    /// <summary>Gets or sets a field value.</summary>
    /// <param name="field">A field of the type.</param>
    /// <returns>The value, or <see langword="null"/> when it has none.</returns>
    /// <exception cref="ArgumentException">The type has no such field, or the value is not JSON-compatible.</exception>
    public object? this[string field]
    {
        get => _fields.TryGetValue(field, out var value) ? value : null;
        set
        {
            ArgumentNullException.ThrowIfNull(field);
            if (!Type.HasField(field))
            {
                throw new ArgumentException($"Object type '{Type.Name}' has no field '{field}'.", nameof(field));
            }

            _fields[field] = FieldValue.Normalize(value, Type.Name, field);
        }
    }

    /// <summary>Gets a field as a 64-bit integer.</summary>
    /// <param name="field">The field.</param>
    /// <returns>The value, or <see langword="null"/> when it is empty.</returns>
    /// <exception cref="FormatException">The value is not an integer.</exception>
    public long? GetInt64(string field) => this[field] switch
    {
        null => null,
        long l => l,
        double d when d == Math.Floor(d) => (long)d,
        decimal m when m == decimal.Truncate(m) => (long)m,
        string s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
        var other => throw new FormatException($"Field '{field}' of '{Type.Name}' holds {other.GetType().Name}, not an integer."),
    };

    /// <summary>Gets a field as a GUID.</summary>
    /// <param name="field">The field.</param>
    /// <returns>The value, or <see langword="null"/> when it is empty.</returns>
    /// <exception cref="FormatException">The value is not a GUID.</exception>
    public Guid? GetGuid(string field) => this[field] switch
    {
        null => null,
        System.Guid g => g,
        string s when s.Length == 0 => null,
        string s => System.Guid.Parse(s, CultureInfo.InvariantCulture),
        var other => throw new FormatException($"Field '{field}' of '{Type.Name}' holds {other.GetType().Name}, not a GUID."),
    };

    /// <summary>Gets a field as a string (other values are formatted invariantly).</summary>
    /// <param name="field">The field.</param>
    /// <returns>The value, or <see langword="null"/> when it is empty.</returns>
    public string? GetString(string field) => this[field] switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    /// <summary>Copies the object; the copy shares nothing mutable with this one.</summary>
    /// <returns>The copy.</returns>
    public BusObject Clone()
    {
        var fields = new Dictionary<string, object?>(_fields.Count, StringComparer.Ordinal);
        foreach (var (field, value) in _fields)
        {
            fields[field] = FieldValue.Copy(value);
        }

        return new(Type, fields);
    }

    /// <summary>Tells whether another object of the same type has the same value in every field.</summary>
    /// <param name="other">The other object.</param>
    /// <returns><see langword="true"/> when no field differs.</returns>
    public bool HasSameValues(BusObject other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(Type, other.Type) && !string.Equals(TypeName, other.TypeName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var field in Type.Fields)
        {
            if (!FieldValue.AreEqual(this[field], other[field]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{TypeName} #{GetString(Type.IdField) ?? "new"}");

    internal void SetNormalized(string field, object? value) => _fields[field] = value;
}
