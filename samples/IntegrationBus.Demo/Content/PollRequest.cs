namespace IntegrationBus.Demo.Content;

/// <summary>Creates or updates a poll with its answers and the roles (code names) it is meant for.</summary>
public sealed record PollRequest(string PollName, string Question, IReadOnlyList<string> Answers, IReadOnlyList<string> Roles);
