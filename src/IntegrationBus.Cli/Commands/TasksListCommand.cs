using System.CommandLine;
using System.Globalization;
using IntegrationBus.Cli.Output;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus tasks list</c>: one page of tasks (a row per task and connector) that match a filter, and the next page's cursor.</summary>
internal static class TasksListCommand
{
    /// <summary>The page size unless <c>--limit</c> says otherwise (the management API's default).</summary>
    public const int DefaultLimit = 50;

    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var filter = new TaskFilterOptions();
        var limit = new Option<int>("--limit") { Description = $"Rows per page, 1 to {IntegrationBusManagement.MaxPageSize}.", DefaultValueFactory = _ => DefaultLimit };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > IntegrationBusManagement.MaxPageSize)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--limit must be between 1 and {IntegrationBusManagement.MaxPageSize}."));
            }
        });
        var after = new Option<string?>("--after") { Description = "The cursor printed as 'next' by the previous page.", HelpName = "CURSOR" };
        var command = new Command("list", "List tasks that match a filter, one page at a time (ordered by task ID, connector and direction).");
        filter.AddTo(command);
        command.Add(limit);
        command.Add(after);
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var page = await run.Client.ListTasksAsync(filter.Read(run.Parse), run.Parse.GetValue(after), run.Parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(page);
                return ExitCodes.Done;
            }

            var table = new Table("ID", "CONNECTOR", "DIRECTION", "STATUS", "TASK TYPE", "OBJECT TYPE", "OBJECT", "CREATED", "ATTEMPTS", "LAST ERROR");
            foreach (var row in page.Items)
            {
                table.Add(Text.Number(row.Task.Id), row.Synchronization.Connector, row.Synchronization.Direction.ToString(), row.Synchronization.Status.ToString(), row.Task.TaskType.ToString(), row.Task.ObjectType, Object(row.Task), Text.Time(row.Task.CreatedAt), Text.Number(row.Synchronization.Attempts), Text.Cut(row.Synchronization.LastError, 60));
            }

            if (table.Count == 0)
            {
                run.WriteLine("No tasks match.");
            }
            else
            {
                table.Write(run.Console.Out);
            }

            if (page.Next is { } next)
            {
                run.WriteLine();
                run.WriteLine($"next: {next}");
            }

            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>The object as a person names it: display name, else code name, else ID or GUID.</summary>
    public static string Object(IntegrationTaskInfo task) =>
        task.ObjectDisplayName ?? task.ObjectCodeName ?? task.ObjectId?.ToString(CultureInfo.InvariantCulture) ?? task.ObjectGuid?.ToString() ?? string.Empty;
}
