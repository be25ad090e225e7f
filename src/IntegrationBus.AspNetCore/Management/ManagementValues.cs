using System.Globalization;
using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// Reads the values of a request (query parameters or the properties of a bulk body) and remembers the first bad one,
/// so the answer is a 400 problem that names the parameter and the value.
/// </summary>
/// <param name="get">Reads a value by name; <see langword="null"/> or empty when absent.</param>
/// <param name="kind">What the values are called in messages, for example "query parameter".</param>
internal sealed class ManagementValues(Func<string, string?> get, string kind)
{
    public const int DefaultLimit = 50;

    /// <summary>Gets the first problem found, or <see langword="null"/>.</summary>
    public string? Error { get; private set; }

    public static ManagementValues FromQuery(Microsoft.AspNetCore.Http.IQueryCollection query) =>
        new(name => query.TryGetValue(name, out var value) ? value.ToString() : null, "query parameter");

    public string? Text(string name) => get(name) is { Length: > 0 } value ? value : null;

    public TEnum? Enum<TEnum>(string name)
        where TEnum : struct, Enum
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        var match = System.Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Fail(name, text, $"use one of {string.Join(", ", System.Enum.GetNames<TEnum>())}, or omit it for any");
            return null;
        }

        return System.Enum.Parse<TEnum>(match);
    }

    public DateTimeOffset? Date(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            Fail(name, text, "use an ISO 8601 date and time such as 2026-03-01T12:00:00Z (URL-encode a '+' offset as %2B)");
            return null;
        }

        return value;
    }

    public long? Long(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            Fail(name, text, "use a positive whole number");
            return null;
        }

        return value;
    }

    public Guid? Guid(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (!System.Guid.TryParse(text, out var value))
        {
            Fail(name, text, "use a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301");
            return null;
        }

        return value;
    }

    public int Limit(string name = "limit")
    {
        if (Text(name) is not { } text)
        {
            return DefaultLimit;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < 1 or > IntegrationBus.Management.IntegrationBusManagement.MaxPageSize)
        {
            Fail(name, text, string.Create(CultureInfo.InvariantCulture, $"use a number from 1 to {IntegrationBus.Management.IntegrationBusManagement.MaxPageSize} (default {DefaultLimit})"));
            return DefaultLimit;
        }

        return value;
    }

    public TaskPosition? Cursor(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (!TaskPosition.TryParseCursor(text, out var position))
        {
            Fail(name, text, "pass the 'next' value of the previous page unchanged");
            return null;
        }

        return position;
    }

    /// <summary>Reads the task filter: connector, direction, status, objectType, taskType, text, createdFrom, createdBefore.</summary>
    public TaskQuery Filter() => new()
    {
        Connector = Text("connector"),
        Direction = Enum<TaskDirection>("direction"),
        Status = Enum<SynchronizationStatus>("status"),
        ObjectType = Text("objectType"),
        TaskType = Enum<TaskType>("taskType"),
        Text = Text("text"),
        CreatedFrom = Date("createdFrom"),
        CreatedBefore = Date("createdBefore"),
    };

    private void Fail(string name, string value, string advice) =>
        Error ??= $"The {kind} '{name}' has the value '{value}', which is not valid: {advice}.";
}
