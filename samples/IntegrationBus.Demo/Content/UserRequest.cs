namespace IntegrationBus.Demo.Content;

/// <summary>Creates or updates a user; <see cref="Role"/> is a role's code name or null.</summary>
public sealed record UserRequest(string UserName, string Email, string FullName, string? Role);
