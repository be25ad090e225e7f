using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>One task with its payload, states and attempt log, in the management API's shape.</summary>
/// <remarks>
/// Over the store directly the tool does not know the application's object types, so it leaves <see cref="Snapshot"/>
/// and <see cref="PayloadError"/> empty and shows the payload as stored; over HTTP they are the application's.
/// </remarks>
internal sealed record TaskView
{
    /// <summary>Gets the stored task, its payload and every connector's state for it.</summary>
    public required TaskDetail Detail { get; init; }

    /// <summary>Gets the attempt log, oldest first.</summary>
    public required IReadOnlyList<AttemptRecord> Attempts { get; init; }

    /// <summary>Gets the object read from the payload by the application, when it could.</summary>
    public JsonElement? Snapshot { get; init; }

    /// <summary>Gets why the application could not read the payload, or <see langword="null"/>.</summary>
    public string? PayloadError { get; init; }
}
