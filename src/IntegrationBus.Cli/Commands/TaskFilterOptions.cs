using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Commands;

/// <summary>The task filter as options, shared by <c>tasks list</c>, <c>tasks retry</c> and <c>tasks delete</c>.</summary>
internal sealed class TaskFilterOptions
{
    /// <summary>Gets the connector option.</summary>
    public Option<string?> Connector { get; } = new("--connector") { Description = "Only this connector.", HelpName = "NAME" };

    /// <summary>Gets the direction option.</summary>
    public Option<TaskDirection?> Direction { get; } = new("--direction") { Description = "Only this direction: Outgoing or Incoming." };

    /// <summary>Gets the status option.</summary>
    public Option<SynchronizationStatus?> Status { get; } = new("--status") { Description = "Only this status: Pending, Error, Skipped or Failed." };

    /// <summary>Gets the object type option.</summary>
    public Option<string?> ObjectType { get; } = new("--object-type") { Description = "Only this object (or page) type.", HelpName = "TYPE" };

    /// <summary>Gets the task type option.</summary>
    public Option<TaskType?> TaskType { get; } = new("--task-type") { Description = "Only this operation, e.g. CreateObject, UpdateObject, DeleteObject." };

    /// <summary>Gets the text option.</summary>
    public Option<string?> Text { get; } = new("--text") { Description = "A task or object GUID, or the start of the object's code name or display name.", HelpName = "TEXT" };

    /// <summary>Gets the earliest logging time option.</summary>
    public Option<DateTimeOffset?> From { get; } = new("--from") { Description = "Logged at or after this time (ISO 8601, e.g. 2026-03-01T08:00:00Z).", HelpName = "TIME", CustomParser = ParseTime };

    /// <summary>Gets the latest logging time option.</summary>
    public Option<DateTimeOffset?> Before { get; } = new("--before") { Description = "Logged before this time (ISO 8601).", HelpName = "TIME", CustomParser = ParseTime };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Connector, Direction, Status, ObjectType, TaskType, Text, From, Before })
        {
            command.Add(option);
        }
    }

    /// <summary>Reads the filter given.</summary>
    public TaskQuery Read(ParseResult parse) => new()
    {
        Connector = parse.GetValue(Connector),
        Direction = parse.GetValue(Direction),
        Status = parse.GetValue(Status),
        ObjectType = parse.GetValue(ObjectType),
        TaskType = parse.GetValue(TaskType),
        Text = parse.GetValue(Text),
        CreatedFrom = parse.GetValue(From),
        CreatedBefore = parse.GetValue(Before),
    };

    /// <summary>Tells whether a filter has any criterion at all.</summary>
    public static bool HasCriterion(TaskQuery filter) =>
        filter.Connector is not null || filter.Direction is not null || filter.Status is not null || filter.ObjectType is not null
        || filter.TaskType is not null || filter.Text is not null || filter.CreatedFrom is not null || filter.CreatedBefore is not null;

    /// <summary>Describes a filter in the words of its options.</summary>
    public static string Describe(TaskQuery filter)
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"--{name} {value}"));
            }
        }

        Add("connector", filter.Connector);
        Add("direction", filter.Direction);
        Add("status", filter.Status);
        Add("object-type", filter.ObjectType);
        Add("task-type", filter.TaskType);
        Add("text", filter.Text);
        Add("from", filter.CreatedFrom?.ToString("O", CultureInfo.InvariantCulture));
        Add("before", filter.CreatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "every task" : string.Join(' ', parts);
    }

    private static DateTimeOffset? ParseTime(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        result.AddError($"'{text}' is not a time for {(result.Parent as OptionResult)?.Option.Name}: use ISO 8601, e.g. 2026-03-01T08:00:00Z.");
        return null;
    }
}
