namespace IntegrationBus.Demo.Crm;

/// <summary>A poll as the CRM's API takes it, answers included, restricted to CRM segments.</summary>
public sealed record CrmPoll(string Name, string Question, int Version, IReadOnlyList<CrmPollAnswer> Answers, IReadOnlyList<long> SegmentIds);
