using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>One page of <c>GET {prefix}/api/connectors/{name}/blocked-keys</c>.</summary>
/// <param name="Items">The blocked keys, by key (ordinal) then direction.</param>
/// <param name="Next">The value to pass as <c>after</c> for the next page, or <see langword="null"/> on the last page.</param>
/// <param name="NextDirection">The value to pass as <c>afterDirection</c> for the next page, or <see langword="null"/> on the last page.</param>
internal sealed record BlockedKeyListResponse(IReadOnlyList<BlockedKeyView> Items, string? Next, TaskDirection? NextDirection);
