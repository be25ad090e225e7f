namespace IntegrationBus.Storage;

/// <summary>One state-changing operator action, as the audit log keeps it.</summary>
public sealed record AuditEntry
{
    /// <summary>Gets the entry's ID (0 before it is stored); newer entries have higher IDs.</summary>
    public long Id { get; init; }

    /// <summary>Gets when the action was taken.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets who took it (a user name, <c>cli</c>, <c>api</c>), or <see langword="null"/> when unknown.</summary>
    public string? Actor { get; init; }

    /// <summary>Gets what was done, for example <c>tasks.retry</c> or <c>connector.disable</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Gets what it was done to: a task, a connector, a filter or the settings, in words.</summary>
    public string? Target { get; init; }

    /// <summary>Gets how many tasks (synchronizations) the action touched.</summary>
    public long Count { get; init; }
}
