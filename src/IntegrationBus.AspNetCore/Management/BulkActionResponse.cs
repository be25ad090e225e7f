using System.Text.Json.Serialization;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>The answer to a bulk retry or delete: what a dry run counted, or what was done in how many batches.</summary>
/// <param name="Count">The matching tasks (dry run) or the synchronizations changed.</param>
/// <param name="Batches">The store transactions the action took; absent on a dry run.</param>
/// <param name="DryRun">Whether this was a dry run.</param>
internal sealed record BulkActionResponse(
    long Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Batches,
    bool DryRun);
