using System.CommandLine;
using IntegrationBus.Cli.Commands;

namespace IntegrationBus.Cli;

/// <summary>The <c>ibus</c> command tree and its entry point.</summary>
internal static class IbusApp
{
    /// <summary>Parses the arguments and runs the command; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, Func<string, string?> environment)
    {
        var options = new GlobalOptions();
        var runner = new CommandRunner(options, console, environment);
        var root = Create(runner);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                runner.Fail(error.Message.ReplaceLineEndings(" "));
            }

            console.Error.WriteLine("Run 'ibus --help' (or 'ibus COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }

    /// <summary>Builds the command tree.</summary>
    public static RootCommand Create(CommandRunner runner)
    {
        var root = new RootCommand("ibus: operate an IntegrationBus (queues, tasks, connectors, settings, retention) over its store or a running application's management API.");
        runner.Options.AddTo(root);
        root.Add(StatusCommand.Create(runner));
        root.Add(QueuesCommand.Create(runner));
        var tasks = new Command("tasks", "List, show, retry and delete tasks.");
        tasks.Add(TasksListCommand.Create(runner));
        tasks.Add(TasksShowCommand.Create(runner));
        tasks.Add(TasksRetryCommand.Create(runner));
        tasks.Add(TasksDeleteCommand.Create(runner));
        root.Add(tasks);
        root.Add(ConnectorsCommand.Create(runner));
        root.Add(SettingsCommand.Create(runner));
        root.Add(PurgeCommand.Create(runner));
        root.Add(AuditCommand.Create(runner));
        root.Add(IdMapCommand.Create(runner));
        root.Add(KeysCommand.Create(runner));
        root.Add(ResyncCommand.Create(runner));
        return root;
    }
}
