namespace IntegrationBus.AspNetCore.Management;

/// <summary>Marks the endpoints of the management API (so their 401 and 403 answers get problem bodies).</summary>
internal sealed class ManagementEndpointMetadata
{
    public static ManagementEndpointMetadata Instance { get; } = new();
}
