namespace IntegrationBus.AspNetCore.Management;

/// <summary>The body of <c>POST …/api/resyncs</c>: which connector, which types, since when.</summary>
/// <param name="Connector">The connector.</param>
/// <param name="TypeFilter">Object type names or page class names (a glob, % = any run), or null for every type.</param>
/// <param name="Since">Only objects modified since then, or null for all.</param>
internal sealed record ResyncRequest(string? Connector, string? TypeFilter, DateTimeOffset? Since);
