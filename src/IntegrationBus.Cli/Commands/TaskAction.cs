using System.CommandLine;
using System.Globalization;
using IntegrationBus.Cli.Client;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Commands;

/// <summary>
/// What <c>tasks retry</c> and <c>tasks delete</c> share: one task by ID, or every task that matches a filter after a
/// count and a confirmation (asked on standard input unless <c>--yes</c>).
/// </summary>
internal sealed class TaskAction
{
    private readonly TaskFilterOptions _filter = new();
    private readonly Argument<long?> _id = new("ID") { Description = "The task; without it, the filter options choose the tasks.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do it without asking for confirmation (for scripts)." };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Only count the tasks the filter matches." };
    private readonly Option<bool> _all = new("--all") { Description = "Allow a filter without any criterion: every task of every connector." };

    /// <summary>Gets the verb in the present tense ("retry").</summary>
    public required string Verb { get; init; }

    /// <summary>Gets the verb in the past tense ("retried").</summary>
    public required string Done { get; init; }

    /// <summary>Gets the action on one task.</summary>
    public required Func<IBusClient, long, string?, CancellationToken, Task<int>> One { get; init; }

    /// <summary>Gets the action by filter.</summary>
    public required Func<IBusClient, TaskQuery, CancellationToken, Task<BulkActionResult>> Many { get; init; }

    /// <summary>Gets why acting on one task may find nothing to do.</summary>
    public required string NothingDone { get; init; }

    /// <summary>Creates the command.</summary>
    public Command Create(CommandRunner runner, string description)
    {
        var command = new Command(Verb, description);
        command.Add(_id);
        _filter.AddTo(command);
        command.Add(_yes);
        command.Add(_dryRun);
        command.Add(_all);
        runner.Handle(command, (run, cancellationToken) => run.Parse.GetValue(_id) is { } id ? OneAsync(run, id, cancellationToken) : ManyAsync(run, cancellationToken));
        return command;
    }

    private async Task<int> OneAsync(Invocation run, long id, CancellationToken cancellationToken)
    {
        var filter = _filter.Read(run.Parse);
        if (TaskFilterOptions.HasCriterion(filter with { Connector = null }) || run.Parse.GetValue(_dryRun) || run.Parse.GetValue(_all))
        {
            throw new UsageException($"tasks {Verb} ID takes only --connector; the other filter options, --dry-run and --all go without an ID.");
        }

        var count = await One(run.Client, id, filter.Connector, cancellationToken).ConfigureAwait(false);
        var target = string.Create(CultureInfo.InvariantCulture, $"task {id}{(filter.Connector is null ? string.Empty : $" for {filter.Connector}")}");
        if (count == 0)
        {
            throw new CliFailureException($"Nothing {Done}: {target} {NothingDone}.");
        }

        if (run.Json)
        {
            run.WriteJson(new { count });
        }
        else
        {
            run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Capital(Done)} {target}: {count} synchronization{(count == 1 ? string.Empty : "s")}."));
        }

        return ExitCodes.Done;
    }

    private async Task<int> ManyAsync(Invocation run, CancellationToken cancellationToken)
    {
        var filter = _filter.Read(run.Parse);
        if (!TaskFilterOptions.HasCriterion(filter) && !run.Parse.GetValue(_all))
        {
            throw new UsageException($"tasks {Verb} needs an ID or a filter (e.g. --connector crm --status Error); --all acts on every task of every connector.");
        }

        var described = TaskFilterOptions.Describe(filter);
        var count = await run.Client.CountTasksAsync(filter, cancellationToken).ConfigureAwait(false);
        if (run.Parse.GetValue(_dryRun) || count == 0)
        {
            if (run.Json)
            {
                run.WriteJson(count == 0 && !run.Parse.GetValue(_dryRun) ? new { count, batches = 0, dryRun = false } : (object)new { count, dryRun = true });
            }
            else
            {
                run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Tasks(count)} match {described}{(count == 0 ? $": nothing to {Verb}" : $" (dry run: nothing {Done})")}."));
            }

            return ExitCodes.Done;
        }

        if (!run.Parse.GetValue(_yes))
        {
            await run.Console.Error.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{Capital(Verb)} {Tasks(count)} matching {described}? [y/N] ")).ConfigureAwait(false);
            await run.Console.Error.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = await run.Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (answer is null)
            {
                run.Console.Error.WriteLine();
                throw new CliFailureException($"No answer on standard input: nothing {Done}. Pass --yes to {Verb} without asking.");
            }

            if (answer.Trim().ToUpperInvariant() is not ("Y" or "YES"))
            {
                throw new CliFailureException($"Cancelled: nothing {Done}.");
            }
        }

        var result = await Many(run.Client, filter, cancellationToken).ConfigureAwait(false);
        if (run.Json)
        {
            run.WriteJson(new { count = result.Count, batches = result.Batches, dryRun = false });
        }
        else
        {
            run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Capital(Done)} {Tasks(result.Count)} matching {described} in {result.Batches} batch{(result.Batches == 1 ? string.Empty : "es")}."));
        }

        return ExitCodes.Done;
    }

    private static string Tasks(long count) => string.Create(CultureInfo.InvariantCulture, $"{count} task{(count == 1 ? string.Empty : "s")}");

    private static string Capital(string word) => string.Concat(word[..1].ToUpperInvariant(), word.AsSpan(1));
}
