
namespace IntegrationBus.Storage;

/// <summary>One entry of a task's attempt log.</summary>
public sealed record AttemptRecord
{
    /// <summary>Gets the task.</summary>
    public required long TaskId { get; init; }

    /// <summary>Gets the connector that made the attempt.</summary>
    public required string Connector { get; init; }

    /// <summary>Gets the direction.</summary>
    public required TaskDirection Direction { get; init; }

    /// <summary>Gets when the attempt ran.</summary>
    public required DateTimeOffset AttemptedAt { get; init; }

    /// <summary>Gets the result.</summary>
    public required TaskResultKind Result { get; init; }

    /// <summary>Gets the error message.</summary>
    public string? Message { get; init; }

    /// <summary>Gets the error's details (an exception's type, message and stack trace).</summary>
    public string? Details { get; init; }
}
