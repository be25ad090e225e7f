namespace IntegrationBus.Demo.Content;

/// <summary>A user of the content application; sent to the CRM as a contact.</summary>
public sealed class User
{
    public int UserId { get; set; }

    public Guid UserGuid { get; set; }

    public string UserName { get; set; } = "";

    public string Email { get; set; } = "";

    public string FullName { get; set; } = "";

    /// <summary>Optional role; the CRM knows it as a segment with its own ID.</summary>
    public int? RoleId { get; set; }

    public Role? Role { get; set; }

    /// <summary>Raised by every change made in the application: the per-object sequence the demo checks order with.</summary>
    public int Version { get; set; }

    /// <summary>Raised by every change the CRM pushes back.</summary>
    public int CrmVersion { get; set; }
}
