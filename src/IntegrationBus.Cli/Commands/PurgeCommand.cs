using System.CommandLine;
using System.Globalization;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus purge</c>: applies retention now (it also runs on the application's schedule).</summary>
internal static class PurgeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("purge", "Apply retention now: delete the attempt log, parked tasks, history and audit entries older than the retention settings keep.");
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var result = await run.Client.PurgeAsync(cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(result);
            }
            else
            {
                run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Purged {result.Total} rows: {result.Attempts} attempt-log entries, {result.FailedSynchronizations} parked tasks, {result.IdempotencyKeys} idempotency keys, {result.WebhookMessages} webhook message IDs, {result.History} history entries, {result.Audit} audit entries."));
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
