using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>The answer of <c>GET {prefix}/api/tasks/{id}</c>: <see cref="TaskInspection"/> with the object as plain JSON.</summary>
/// <param name="Detail">The stored task, its payload (the stored JSON text) and every connector's state.</param>
/// <param name="Attempts">The attempt log, oldest first.</param>
/// <param name="Snapshot">The object read from the payload, or <see langword="null"/> when it cannot be read.</param>
/// <param name="PayloadError">Why the payload cannot be read, or <see langword="null"/>.</param>
internal sealed record TaskInspectionResponse(TaskDetail Detail, IReadOnlyList<AttemptRecord> Attempts, SnapshotView? Snapshot, string? PayloadError)
{
    public static TaskInspectionResponse From(TaskInspection inspection) =>
        new(inspection.Detail, inspection.Attempts, inspection.Snapshot is { } snapshot ? SnapshotView.From(snapshot) : null, inspection.PayloadError);
}
