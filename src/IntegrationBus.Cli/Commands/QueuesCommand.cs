using System.CommandLine;
using IntegrationBus.Cli.Output;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus queues</c>: every queue with its counts, lag and lease.</summary>
internal static class QueuesCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("queues", "List every queue (connector and direction) with its counts, oldest task, lag and lease holder.");
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var queues = await run.Client.GetQueuesAsync(cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(queues);
                return ExitCodes.Done;
            }

            var table = new Table("CONNECTOR", "DIRECTION", "NAME", "ENABLED", "PENDING", "ERRORS", "SKIPPED", "FAILED", "DEPTH", "OLDEST", "LAG", "LEASE OWNER", "LEASE EXPIRES", "BREAKER");
            foreach (var q in queues)
            {
                table.Add(q.Connector, q.Direction.ToString(), q.DisplayName, Text.YesNo(q.Enabled), Text.Number(q.Pending), Text.Number(q.Errors), Text.Number(q.Skipped), Text.Number(q.Failed), Text.Number(q.Depth), Text.Time(q.OldestCreatedAt), Text.Duration(q.Lag), q.LeaseOwner, Text.Time(q.LeaseExpiresAt), Text.Breaker(q.CircuitBreaker));
            }

            table.Write(run.Console.Out);
            return ExitCodes.Done;
        });
        return command;
    }
}
