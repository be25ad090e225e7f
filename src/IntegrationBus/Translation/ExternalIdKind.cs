namespace IntegrationBus;

/// <summary>Which of its three forms an <see cref="ExternalId"/> has; stored with the ID so that it reads back in the same form.</summary>
public enum ExternalIdKind
{
    /// <summary>An integer (<see cref="long"/>).</summary>
    Int64 = 0,

    /// <summary>A string.</summary>
    String = 1,

    /// <summary>A GUID.</summary>
    Guid = 2,
}
