namespace IntegrationBus.Demo.Search;

/// <summary>An indexed article.</summary>
public sealed record SearchDocument(Guid NodeGuid, string AliasPath, string Title, IReadOnlyList<string> Tags, IReadOnlyList<string> Categories, IReadOnlyList<string> Attachments, bool Published);
