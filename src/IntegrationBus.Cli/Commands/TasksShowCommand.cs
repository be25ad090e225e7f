using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IntegrationBus.Cli.Client;
using IntegrationBus.Cli.Output;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus tasks show ID</c>: one task with every connector's state, the payload (pretty) and the attempt log.</summary>
internal static class TasksShowCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<long>("ID") { Description = "The task ID." };
        var command = new Command("show", "Show one task: what it is about, every connector's state for it, its payload and its attempt log.");
        command.Add(id);
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var taskId = run.Parse.GetValue(id);
            var task = await run.Client.GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false)
                ?? throw new CliFailureException(string.Create(CultureInfo.InvariantCulture, $"Task {taskId} does not exist (delivered to every connector, deleted, or never logged)."));
            if (run.Json)
            {
                run.WriteJson(task);
                return ExitCodes.Done;
            }

            Write(run, task);
            return ExitCodes.Done;
        });
        return command;
    }

    private static void Write(Invocation run, TaskView view)
    {
        var task = view.Detail.Task;
        run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Task {task.Id}: {task.TaskType} {task.ObjectType} ({task.Direction}, {task.DataType})"));
        var facts = new Table("FIELD", "VALUE");
        facts.Add("guid", task.Guid.ToString());
        facts.Add("created", Text.Time(task.CreatedAt));
        facts.Add("object id", task.ObjectId?.ToString(CultureInfo.InvariantCulture));
        facts.Add("object guid", task.ObjectGuid?.ToString());
        facts.Add("code name", task.ObjectCodeName);
        facts.Add("display name", task.ObjectDisplayName);
        facts.Add("site", task.Site);
        if (task.OriginConnector is not null)
        {
            facts.Add("origin", task.OriginConnector);
            facts.Add("policy", task.Policy.ToString());
        }

        facts.Add("traceparent", view.Detail.TraceParent);
        facts.Write(run.Console.Out);

        run.WriteLine();
        var states = new Table("CONNECTOR", "DIRECTION", "STATUS", "ATTEMPTS", "LAST RUN", "NEXT ATTEMPT", "LAST ERROR");
        foreach (var state in view.Detail.Synchronizations)
        {
            states.Add(state.Connector, state.Direction.ToString(), state.Status.ToString(), Text.Number(state.Attempts), Text.Time(state.LastRunAt), Text.Time(state.NextAttemptAt), Text.Cut(state.LastError, 80));
        }

        states.Write(run.Console.Out);

        run.WriteLine();
        run.WriteLine("Payload:");
        run.WriteLine(Pretty(view.Detail.Payload));
        if (view.PayloadError is not null)
        {
            run.WriteLine($"The application cannot read the payload: {view.PayloadError}");
        }

        run.WriteLine();
        if (view.Attempts.Count == 0)
        {
            run.WriteLine("Attempts: none");
            return;
        }

        run.WriteLine("Attempts (oldest first):");
        foreach (var attempt in view.Attempts)
        {
            run.WriteLine($"{Text.Time(attempt.AttemptedAt)}  {attempt.Connector} {attempt.Direction}  {attempt.Result}{(attempt.Message is null ? string.Empty : ": " + attempt.Message)}");
            if (attempt.Details is not null)
            {
                foreach (var line in attempt.Details.ReplaceLineEndings("\n").Split('\n'))
                {
                    run.WriteLine("    " + line);
                }
            }
        }
    }

    private static string Pretty(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return JsonSerializer.Serialize(document.RootElement, CliJson.Indented);
        }
        catch (JsonException)
        {
            return payload;
        }
    }
}
