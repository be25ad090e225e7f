namespace IntegrationBus.AspNetCore.Management;

/// <summary>The body of <c>POST {prefix}/api/connectors/{name}/blocked-keys/{retry|skip|release}</c>: which key (any characters), in which direction.</summary>
internal sealed record BlockedKeyActionRequest
{
    /// <summary>Gets the ordering key.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the direction's name (Outgoing, the default, or Incoming; any case).</summary>
    public string? Direction { get; init; }
}
