using IntegrationBus.Connectors;

namespace IntegrationBus.Storage;

/// <summary>One entry of a task's attempt log.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Connector">The connector that made the attempt.</param>
/// <param name="AttemptedAt">When.</param>
/// <param name="Result">The result.</param>
/// <param name="Message">The error message.</param>
public sealed record AttemptRecord(long TaskId, string Connector, DateTimeOffset AttemptedAt, TaskResultKind Result, string? Message);
