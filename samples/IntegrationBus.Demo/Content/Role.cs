namespace IntegrationBus.Demo.Content;

/// <summary>A role users belong to; polls can be restricted to roles (many-to-many).</summary>
public sealed class Role
{
    public int RoleId { get; set; }

    public Guid RoleGuid { get; set; }

    public string RoleName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public List<Poll> Polls { get; } = [];
}
