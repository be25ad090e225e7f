namespace IntegrationBus.Demo.Crm;

/// <summary>A contact as the CRM's API takes it: the content app's user, with the CRM's own segment ID.</summary>
public sealed record CrmContact(string Email, string FullName, long? SegmentId, int Version);
