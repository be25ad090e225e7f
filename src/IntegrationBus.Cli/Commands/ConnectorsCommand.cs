using System.CommandLine;
using IntegrationBus.Cli.Output;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus connectors list|enable NAME|disable NAME</c>: the connectors the store knows and their switch.</summary>
internal static class ConnectorsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("connectors", "List connectors, or switch one on or off on every node.");
        var list = new Command("list", "List every connector the store knows, with its enabled switch and its circuit breaker.");
        runner.Handle(list, async (run, cancellationToken) =>
        {
            var connectors = await run.Client.GetConnectorsAsync(cancellationToken).ConfigureAwait(false);
            var breakers = (await run.Client.GetQueuesAsync(cancellationToken).ConfigureAwait(false))
                .Where(q => q.Direction == TaskDirection.Outgoing && q.CircuitBreaker is not null)
                .ToDictionary(q => q.Connector, q => q.CircuitBreaker, StringComparer.OrdinalIgnoreCase);
            if (run.Json)
            {
                run.WriteJson(connectors.Select(c => new { c.Name, c.DisplayName, c.Enabled, CircuitBreaker = breakers.GetValueOrDefault(c.Name) }));
                return ExitCodes.Done;
            }

            var table = new Table("NAME", "DISPLAY NAME", "ENABLED", "BREAKER");
            foreach (var connector in connectors)
            {
                table.Add(connector.Name, connector.DisplayName, Text.YesNo(connector.Enabled), Text.Breaker(breakers.GetValueOrDefault(connector.Name)));
            }

            table.Write(run.Console.Out);
            return ExitCodes.Done;
        });
        command.Add(list);
        command.Add(Switch(runner, enabled: true, "enable", "Enable a connector: its queues run again and it gets new tasks."));
        command.Add(Switch(runner, enabled: false, "disable", "Disable a connector (for example while its external system is down for maintenance): it gets no new tasks and its queues wait."));
        return command;
    }

    private static Command Switch(CommandRunner runner, bool enabled, string name, string description)
    {
        var connector = new Argument<string>("NAME") { Description = "The connector's code name." };
        var command = new Command(name, description);
        command.Add(connector);
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var value = run.Parse.GetRequiredValue(connector);
            await run.Client.SetConnectorEnabledAsync(value, enabled, cancellationToken).ConfigureAwait(false);
            var state = (await run.Client.GetConnectorsAsync(cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(c => string.Equals(c.Name, value, StringComparison.OrdinalIgnoreCase));
            if (run.Json)
            {
                run.WriteJson(state);
            }
            else
            {
                run.WriteLine(enabled
                    ? $"Connector {state?.Name ?? value} enabled: its queues run again."
                    : $"Connector {state?.Name ?? value} disabled: it gets no new tasks and its queues wait.");
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
