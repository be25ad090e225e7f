namespace IntegrationBus;

/// <summary>What one batch of a resync reads: objects of <see cref="Type"/> with an ID after <see cref="AfterId"/>, in ascending ID order.</summary>
/// <param name="Type">The object or page type.</param>
/// <param name="AfterId">The last ID done, or <see langword="null"/> to start from the lowest.</param>
/// <param name="Limit">The most objects to read.</param>
/// <param name="Since">Only objects last modified at or after this time, or <see langword="null"/> for all.</param>
public sealed record ResyncBatchRequest(ObjectTypeInfo Type, long? AfterId, int Limit, DateTimeOffset? Since);
