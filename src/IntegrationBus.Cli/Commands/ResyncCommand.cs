using System.CommandLine;
using System.Globalization;
using IntegrationBus.Cli.Output;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus resync start CONNECTOR|list|show ID|cancel ID</c>: load existing objects into a connector, follow it, cancel it.</summary>
internal static class ResyncCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("resync", "Queue every existing matching object for a connector (an initial load), follow the job, cancel it.");
        command.Add(Start(runner));
        command.Add(List(runner));
        command.Add(Show(runner));
        command.Add(Cancel(runner));
        return command;
    }

    private static Command Start(CommandRunner runner)
    {
        var connector = new Argument<string>("CONNECTOR") { Description = "The connector's code name." };
        var types = new Option<string?>("--types") { Description = "Object types or page classes, a glob (% = any run); all when omitted.", HelpName = "GLOB" };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only objects modified since then (ISO 8601); their types need a last-modified property.", HelpName = "TIME" };
        var command = new Command("start", "Start a resync; the application's bus works on it in the background (use --url: it needs the application's data).") { connector, types, since };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var job = await run.Client.StartResyncAsync(run.Parse.GetRequiredValue(connector), run.Parse.GetValue(types), run.Parse.GetValue(since), cancellationToken).ConfigureAwait(false);
            Write(run, job);
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command List(CommandRunner runner)
    {
        var before = new Option<long?>("--before") { Description = "Only jobs with a smaller ID (the last of the previous page).", HelpName = "ID" };
        var limit = new Option<int>("--limit") { Description = $"Jobs to show, 1 to {IntegrationBusManagement.MaxPageSize}.", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "List resync jobs, newest first.") { before, limit };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var jobs = await run.Client.ListResyncsAsync(run.Parse.GetValue(before), run.Parse.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(jobs);
                return ExitCodes.Done;
            }

            var table = new Table("ID", "CONNECTOR", "TYPES", "STATE", "CURSOR", "QUEUED", "UPDATED");
            foreach (var job in jobs)
            {
                table.Add(Text.Number(job.Id), job.Connector, job.TypeFilter ?? "%", job.State.ToString(), Cursor(job), Text.Number(job.Queued), Text.Time(job.UpdatedAt));
            }

            table.Write(run.Console.Out);
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Show(CommandRunner runner)
    {
        var id = new Argument<long>("ID") { Description = "The job's ID." };
        var command = new Command("show", "Show one resync job: state, cursor, tasks queued so far, error.") { id };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var job = await run.Client.GetResyncAsync(run.Parse.GetValue(id), cancellationToken).ConfigureAwait(false)
                ?? throw new CliFailureException(string.Create(CultureInfo.InvariantCulture, $"There is no resync {run.Parse.GetValue(id)}."));
            Write(run, job);
            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Cancel(CommandRunner runner)
    {
        var id = new Argument<long>("ID") { Description = "The job's ID." };
        var command = new Command("cancel", "Cancel a running resync; the batches done so far stay queued.") { id };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var value = run.Parse.GetValue(id);
            if (!await run.Client.CancelResyncAsync(value, cancellationToken).ConfigureAwait(false))
            {
                throw new CliFailureException(string.Create(CultureInfo.InvariantCulture, $"Nothing cancelled: there is no running resync {value}."));
            }

            if (run.Json)
            {
                run.WriteJson(new { cancelled = value });
            }
            else
            {
                run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cancelled resync {value}."));
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static string Cursor(ResyncJob job) =>
        job.CursorType is null ? "-" : job.CursorType + (job.CursorId is { } last ? " after " + Text.Number(last) : string.Empty);

    private static void Write(Invocation run, ResyncJob job)
    {
        if (run.Json)
        {
            run.WriteJson(job);
            return;
        }

        run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resync {job.Id} of {job.Connector}: {job.State}, types {job.TypeFilter ?? "%"}{(job.Since is { } since ? " since " + Text.Time(since) : string.Empty)}"));
        run.WriteLine($"cursor: {Cursor(job)}; queued: {Text.Number(job.Queued)}; started by {job.StartedBy ?? "-"} at {Text.Time(job.CreatedAt)}");
        if (job.Error is { } error)
        {
            run.WriteLine($"error: {error}");
        }
    }
}
