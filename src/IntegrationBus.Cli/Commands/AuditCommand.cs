using System.CommandLine;
using System.Globalization;
using IntegrationBus.Cli.Output;
using IntegrationBus.Management;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus audit</c>: the audit log of operator actions, newest first.</summary>
internal static class AuditCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var limit = new Option<int>("--limit") { Description = $"Entries to show, 1 to {IntegrationBusManagement.MaxPageSize}.", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > IntegrationBusManagement.MaxPageSize)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--limit must be between 1 and {IntegrationBusManagement.MaxPageSize}."));
            }
        });
        var beforeId = new Option<long?>("--before-id") { Description = "Only entries older than this entry ID (the next page).", HelpName = "ID" };
        var command = new Command("audit", "Show the audit log of operator actions (who, when, what, how many tasks), newest first.");
        command.Add(limit);
        command.Add(beforeId);
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var entries = await run.Client.ListAuditAsync(run.Parse.GetValue(beforeId), run.Parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(entries);
                return ExitCodes.Done;
            }

            var table = new Table("ID", "AT", "ACTOR", "ACTION", "COUNT", "TARGET");
            foreach (var entry in entries)
            {
                table.Add(Text.Number(entry.Id), Text.Time(entry.At), entry.Actor, entry.Action, Text.Number(entry.Count), entry.Target);
            }

            table.Write(run.Console.Out);
            return ExitCodes.Done;
        });
        return command;
    }
}
