namespace IntegrationBus.AspNetCore.Management;

/// <summary>A count: tasks matching a filter, or synchronizations changed by an action on one task.</summary>
/// <param name="Count">The count.</param>
internal sealed record CountResponse(long Count);
