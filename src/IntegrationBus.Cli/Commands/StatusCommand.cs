using System.CommandLine;
using IntegrationBus.Cli.Output;
using IntegrationBus.Management;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus status</c>: the bus settings, one line per queue and the totals.</summary>
internal static class StatusCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("status", "Show the bus settings, one line per queue and the totals.");
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var settings = await run.Client.GetSettingsAsync(cancellationToken).ConfigureAwait(false);
            var queues = await run.Client.GetQueuesAsync(cancellationToken).ConfigureAwait(false);
            var totals = new StatusTotals(queues.Sum(q => q.Pending), queues.Sum(q => q.Errors), queues.Sum(q => q.Skipped), queues.Sum(q => q.Failed), queues.Sum(q => q.Depth));
            if (run.Json)
            {
                run.WriteJson(new { settings, queues, totals });
                return ExitCodes.Done;
            }

            run.WriteLine($"Bus {(settings.Enabled ? "enabled" : "DISABLED")}; outgoing: log {Text.OnOff(settings.LogOutgoing)}, process {Text.OnOff(settings.ProcessOutgoing)}; incoming: log {Text.OnOff(settings.LogIncoming)}, process {Text.OnOff(settings.ProcessIncoming)}; history {Text.OnOff(settings.HistoryEnabled)}");
            run.WriteLine();
            var table = new Table("QUEUE", "ENABLED", "PENDING", "ERRORS", "SKIPPED", "FAILED", "DEPTH", "LAG", "LEASE", "BREAKER");
            foreach (var queue in queues)
            {
                table.Add(Name(queue), Text.YesNo(queue.Enabled), Text.Number(queue.Pending), Text.Number(queue.Errors), Text.Number(queue.Skipped), Text.Number(queue.Failed), Text.Number(queue.Depth), Text.Duration(queue.Lag), queue.LeaseOwner, Text.Breaker(queue.CircuitBreaker));
            }

            table.Add("TOTAL", string.Empty, Text.Number(totals.Pending), Text.Number(totals.Errors), Text.Number(totals.Skipped), Text.Number(totals.Failed), Text.Number(totals.Depth));
            table.Write(run.Console.Out);
            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>A queue as "connector outgoing".</summary>
    public static string Name(QueueOverview queue) => $"{queue.Connector} {queue.Direction.ToString().ToLowerInvariant()}";

    /// <summary>The sums over every queue.</summary>
    private sealed record StatusTotals(long Pending, long Errors, long Skipped, long Failed, long Depth);
}
