namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// The body of <c>POST {prefix}/api/tasks/retry</c> and <c>/api/tasks/delete</c>: the task filter (the names and values
/// of the list's query parameters, as strings) and what to do.
/// </summary>
internal sealed record BulkTaskRequest
{
    public string? Connector { get; init; }

    public string? Direction { get; init; }

    public string? Status { get; init; }

    public string? ObjectType { get; init; }

    public string? TaskType { get; init; }

    public string? Text { get; init; }

    public string? CreatedFrom { get; init; }

    public string? CreatedBefore { get; init; }

    /// <summary>Gets a value indicating whether to only count what the action would touch.</summary>
    public bool DryRun { get; init; }

    /// <summary>Gets a value indicating whether a filter without any criterion (every task of every connector) is meant.</summary>
    public bool All { get; init; }

    public string? Get(string name) => name switch
    {
        "connector" => Connector,
        "direction" => Direction,
        "status" => Status,
        "objectType" => ObjectType,
        "taskType" => TaskType,
        "text" => Text,
        "createdFrom" => CreatedFrom,
        "createdBefore" => CreatedBefore,
        _ => null,
    };
}
