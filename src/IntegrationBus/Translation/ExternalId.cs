using System.Globalization;

namespace IntegrationBus;

/// <summary>An object's ID in an external system: an integer, a string or a GUID.</summary>
public readonly record struct ExternalId
{
    private ExternalId(object value) => Value = value;

    /// <summary>Gets the ID: a <see cref="long"/>, a <see cref="string"/> or a <see cref="System.Guid"/>.</summary>
    public object Value { get; }

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

    /// <summary>Converts an integer ID.</summary>
    /// <param name="id">The ID.</param>
    public static implicit operator ExternalId(long id) => FromInt64(id);

    /// <summary>Converts a string ID.</summary>
    /// <param name="id">The ID.</param>
    public static implicit operator ExternalId(string id) => FromString(id);

    /// <summary>Converts a GUID ID.</summary>
    /// <param name="id">The ID.</param>
    public static implicit operator ExternalId(Guid id) => FromGuid(id);

    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        null => string.Empty,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? string.Empty,
    };
}
