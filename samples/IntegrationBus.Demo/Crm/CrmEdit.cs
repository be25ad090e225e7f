namespace IntegrationBus.Demo.Crm;

/// <summary>An edit made by a CRM user to a contact.</summary>
public sealed record CrmEdit(string FullName);
