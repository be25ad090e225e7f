namespace IntegrationBus.Cli.Client;

/// <summary>One page of a connector's ID map, in the management API's shape.</summary>
/// <param name="Items">The entries, oldest first.</param>
/// <param name="Next">The value to pass as <c>--after</c> for the next page, or <see langword="null"/> on the last page.</param>
internal sealed record IdMapListPage(IReadOnlyList<IdMapRow> Items, string? Next);
