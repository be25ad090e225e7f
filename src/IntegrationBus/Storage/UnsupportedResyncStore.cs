namespace IntegrationBus.Storage;

/// <summary>The resync part of a store that has none: every member throws <see cref="NotSupportedException"/>.</summary>
internal sealed class UnsupportedResyncStore : ResyncStore
{
    public static readonly UnsupportedResyncStore Instance = new();
}
