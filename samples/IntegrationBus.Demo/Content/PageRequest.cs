namespace IntegrationBus.Demo.Content;

/// <summary>Creates or updates an article page.</summary>
public sealed record PageRequest(string AliasPath, string Title, string Body, IReadOnlyList<string> Tags, IReadOnlyList<string> Categories, IReadOnlyList<string> Attachments);
