namespace IntegrationBus;

/// <summary>What a connector says about a task it processed.</summary>
public sealed class TaskResult
{
    private TaskResult(TaskResultKind kind, string? message)
    {
        Kind = kind;
        Message = message;
    }

    /// <summary>Gets the result that removes the task from the connector's queue.</summary>
    public static TaskResult Ok { get; } = new(TaskResultKind.Ok, null);

    /// <summary>Gets the kind of result.</summary>
    public TaskResultKind Kind { get; }

    /// <summary>Gets the message (the reason for an error or a skip).</summary>
    public string? Message { get; }

    /// <summary>Fails the task: the error is recorded, a retry is scheduled and the run stops so that order holds.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The result.</returns>
    public static TaskResult Error(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(TaskResultKind.Error, message);
    }

    /// <summary>Fails the task but goes on with the next one; the task is retried in the next run.</summary>
    /// <param name="message">What went wrong.</param>
    /// <returns>The result.</returns>
    public static TaskResult ErrorAndSkip(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(TaskResultKind.ErrorAndSkip, message);
    }

    /// <summary>Leaves the task for the next run without recording anything, and goes on.</summary>
    /// <param name="message">Why, for the log; optional.</param>
    /// <returns>The result.</returns>
    public static TaskResult SkipNow(string? message = null) => new(TaskResultKind.SkipNow, message);

    /// <inheritdoc />
    public override string ToString() => Message is null ? Kind.ToString() : $"{Kind}: {Message}";
}
