using System.CommandLine;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus tasks retry</c>: makes errored, skipped or failed tasks pending again (one by ID, or by filter).</summary>
internal static class TasksRetryCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner) => new TaskAction
    {
        Verb = "retry",
        Done = "retried",
        NothingDone = "does not exist, or none of its synchronizations is in error, skipped or failed",
        One = (client, id, connector, cancellationToken) => client.RetryTaskAsync(id, connector, cancellationToken),
        Many = (client, filter, cancellationToken) => client.RetryTasksAsync(filter, cancellationToken),
    }.Create(runner, "Retry a task by ID, or every task that matches a filter (counted first, then confirmed): errored, skipped and failed tasks become pending, due at once.");
}
