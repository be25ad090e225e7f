using System.Globalization;

namespace IntegrationBus;

/// <summary>An object's ID in an external system: an integer, a string or a GUID.</summary>
public readonly record struct ExternalId
{
    private ExternalId(object value) => Value = value;

    /// <summary>Gets the ID: a <see cref="long"/>, a <see cref="string"/> or a <see cref="System.Guid"/>.</summary>
    public object Value { get; }

    /// <summary>Gets the form of <see cref="Value"/>.</summary>
    public ExternalIdKind Kind => Value switch
    {
        long => ExternalIdKind.Int64,
        System.Guid => ExternalIdKind.Guid,
        _ => ExternalIdKind.String,
    };

    /// <summary>Creates an integer ID.</summary>
    /// <param name="id">The ID.</param>
    /// <returns>The external ID.</returns>
    public static ExternalId FromInt64(long id) => new(id);

    /// <summary>Creates a string ID.</summary>
    /// <param name="id">The ID.</param>
    /// <returns>The external ID.</returns>
    public static ExternalId FromString(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return new(id);
    }

    /// <summary>Creates a GUID ID.</summary>
    /// <param name="id">The ID.</param>
    /// <returns>The external ID.</returns>
    public static ExternalId FromGuid(Guid id) => new(id);

    /// <summary>Reads an ID back from its text (<see cref="ToString"/>) and its kind, as a store keeps it.</summary>
    /// <param name="kind">The form.</param>
    /// <param name="text">The text.</param>
    /// <returns>The external ID.</returns>
    /// <exception cref="FormatException">The text is not an integer or a GUID although <paramref name="kind"/> says so.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The kind is unknown.</exception>
    public static ExternalId Parse(ExternalIdKind kind, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return kind switch
        {
            ExternalIdKind.Int64 => FromInt64(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            ExternalIdKind.String => FromString(text),
            ExternalIdKind.Guid => FromGuid(System.Guid.Parse(text)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown external ID kind."),
        };
    }

    /// <summary>Converts an integer ID.</summary>
    /// <param name="id">The ID.</param>
    public static implicit operator ExternalId(long id) => FromInt64(id);

    /// <summary>Converts a string ID.</summary>
    /// <param name="id">The ID.</param>
    public static implicit operator ExternalId(string id) => FromString(id);

    /// <summary>Converts a GUID ID.</summary>
    /// <param name="id">The ID.</param>
    public static implicit operator ExternalId(Guid id) => FromGuid(id);

    /// <summary>Gets the ID as text: invariant digits for an integer, the string itself, or a GUID in the <c>D</c> format.</summary>
    /// <returns>The text; empty for the default value.</returns>
    public override string ToString() => Value switch
    {
        null => string.Empty,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? string.Empty,
    };
}
