namespace IntegrationBus.Demo.Crm;

/// <summary>One answer of a CRM poll.</summary>
public sealed record CrmPollAnswer(Guid Guid, string Text, int Position);
