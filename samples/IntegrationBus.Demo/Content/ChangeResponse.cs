namespace IntegrationBus.Demo.Content;

/// <summary>What a change endpoint answers: the object's ID, GUID and version after the change.</summary>
public sealed record ChangeResponse(int Id, Guid Guid, int Version);
