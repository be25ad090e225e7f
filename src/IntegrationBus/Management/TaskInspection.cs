using IntegrationBus.Storage;

namespace IntegrationBus.Management;

/// <summary>Everything about one task: the stored task with its payload and states, the object read back, and the attempt log.</summary>
public sealed record TaskInspection
{
    /// <summary>Gets the stored task, its payload and every connector's state for it.</summary>
    public required TaskDetail Detail { get; init; }

    /// <summary>Gets the attempt log, oldest first.</summary>
    public required IReadOnlyList<AttemptRecord> Attempts { get; init; }

    /// <summary>Gets the object (with translation records, children and bindings) read from the payload, or <see langword="null"/> when it cannot be read.</summary>
    public ObjectSnapshot? Snapshot { get; init; }

    /// <summary>Gets why the payload cannot be read into the registered types, or <see langword="null"/>.</summary>
    public string? PayloadError { get; init; }
}
