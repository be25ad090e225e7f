using System.CommandLine;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus tasks delete</c>: deletes tasks (one by ID, or by filter), so a queue they blocked goes on.</summary>
internal static class TasksDeleteCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner) => new TaskAction
    {
        Verb = "delete",
        Done = "deleted",
        NothingDone = "does not exist",
        One = (client, id, connector, cancellationToken) => client.DeleteTaskAsync(id, connector, cancellationToken),
        Many = (client, filter, cancellationToken) => client.DeleteTasksAsync(filter, cancellationToken),
    }.Create(runner, "Delete a task by ID, or every task that matches a filter (counted first, then confirmed); the tasks are not delivered.");
}
