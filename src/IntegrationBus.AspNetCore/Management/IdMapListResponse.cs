namespace IntegrationBus.AspNetCore.Management;

/// <summary>One page of <c>GET {prefix}/api/connectors/{name}/id-map</c>.</summary>
/// <param name="Items">The entries, in ascending ID order.</param>
/// <param name="Next">The value to pass as <c>after</c> for the next page, or <see langword="null"/> on the last page.</param>
internal sealed record IdMapListResponse(IReadOnlyList<IdMapEntryView> Items, string? Next);
