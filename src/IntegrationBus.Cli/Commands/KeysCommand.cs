using System.CommandLine;
using System.Globalization;
using IntegrationBus.Cli.Output;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus keys list CONNECTOR|retry|skip|release CONNECTOR KEY</c>: a connector's blocked keys under per-object ordering.</summary>
internal static class KeysCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("keys", "List a connector's blocked keys (per-object ordering: a parked task holds its key's later tasks), or retry, skip or release a key's head.");
        command.Add(List(runner));
        command.Add(Action(runner, "retry", "Retry a blocked key's head: it becomes pending again and runs first in its key.", "Retried"));
        command.Add(Action(runner, "skip", "Skip a blocked key's head: delete its task for the connector, so the key's later tasks go on.", "Skipped"));
        command.Add(Action(runner, "release", "Release a blocked key: its head stays failed (listed, retryable), but the key's later tasks no longer wait.", "Released"));
        return command;
    }

    private static Command List(CommandRunner runner)
    {
        var connector = new Argument<string>("CONNECTOR") { Description = "The connector's code name." };
        var direction = new Option<TaskDirection?>("--direction") { Description = "Only this direction: Outgoing or Incoming." };
        var after = new Option<string?>("--after") { Description = "Only keys after this one (the 'next' of the previous page).", HelpName = "KEY" };
        var afterDirection = new Option<TaskDirection?>("--after-direction") { Description = "The direction of --after (the 'next' of the previous page names it)." };
        var limit = new Option<int>("--limit") { Description = $"Keys to show, 1 to {IntegrationBusManagement.MaxPageSize}.", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > IntegrationBusManagement.MaxPageSize)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--limit must be between 1 and {IntegrationBusManagement.MaxPageSize}."));
            }
        });
        var command = new Command("list", "List a connector's blocked keys with their head task, its error and how many tasks wait behind it.") { connector, direction, after, afterDirection, limit };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var query = new BlockedKeyQuery
            {
                Connector = run.Parse.GetRequiredValue(connector),
                Direction = run.Parse.GetValue(direction),
                After = run.Parse.GetValue(after),
                AfterDirection = run.Parse.GetValue(afterDirection) ?? TaskDirection.Incoming,
                Limit = run.Parse.GetValue(limit),
            };
            var page = await run.Client.ListBlockedKeysAsync(query, cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(page);
                return ExitCodes.Done;
            }

            var table = new Table("KEY", "DIRECTION", "HEAD TASK", "OPERATION", "OBJECT", "ATTEMPTS", "LAST RUN", "WAITING", "ERROR");
            foreach (var key in page.Items)
            {
                table.Add(
                    key.Key, key.Direction.ToString(), Text.Number(key.TaskId), key.TaskType.ToString(), $"{key.ObjectType} {key.ObjectDisplayName ?? key.ObjectGuid?.ToString("D")}",
                    Text.Number(key.Attempts), Text.Time(key.LastRunAt), Text.Number(key.Waiting), Text.Cut(key.LastError, 60));
            }

            table.Write(run.Console.Out);
            if (page.Next is { } next)
            {
                run.WriteLine($"next: --after \"{next}\" --after-direction {page.NextDirection}");
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Action(CommandRunner runner, string name, string description, string done)
    {
        var connector = new Argument<string>("CONNECTOR") { Description = "The connector's code name." };
        var key = new Argument<string>("KEY") { Description = "The blocked key, exactly as 'ibus keys list' shows it." };
        var direction = new Option<TaskDirection>("--direction") { Description = "The direction of the blocked queue: Outgoing (the default) or Incoming.", DefaultValueFactory = _ => TaskDirection.Outgoing };
        var command = new Command(name, description) { connector, key, direction };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var (connectorName, keyText) = (run.Parse.GetRequiredValue(connector), run.Parse.GetRequiredValue(key));
            var head = await run.Client.ActOnBlockedKeyAsync(connectorName, keyText, run.Parse.GetValue(direction), name, cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(head);
            }
            else
            {
                run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{done} task {head.TaskId} ({head.TaskType} {head.ObjectType}), the head of key '{head.Key}' of {head.Connector} ({head.Direction}); {head.Waiting} tasks waited behind it."));
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
