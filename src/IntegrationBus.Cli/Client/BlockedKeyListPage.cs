using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>One page of a connector's blocked keys, in the management API's shape.</summary>
/// <param name="Items">The blocked keys, by key (ordinal) then direction.</param>
/// <param name="Next">The value to pass as <c>--after</c> for the next page, or <see langword="null"/> on the last page.</param>
/// <param name="NextDirection">The value to pass as <c>--after-direction</c> for the next page, or <see langword="null"/> on the last page.</param>
internal sealed record BlockedKeyListPage(IReadOnlyList<BlockedKeyRow> Items, string? Next, TaskDirection? NextDirection);
