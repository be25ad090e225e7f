using System.Collections.Concurrent;

namespace IntegrationBus.Demo;

/// <summary>The external "CRM" of the demo: it can be taken down and brought back, and it records what it received.</summary>
public sealed class FakeCrm
{
    private readonly ConcurrentQueue<long> _received = new();

    public bool IsUp { get; set; } = true;

    public IReadOnlyCollection<long> Received => _received;

    public Task<bool> UpsertContactAsync(long userId, string email, Guid idempotencyKey, CancellationToken cancellationToken)
    {
        if (!IsUp)
        {
            return Task.FromResult(false);
        }

        _received.Enqueue(userId);
        Console.WriteLine($"  CRM  <- user {userId} ({email}), key {idempotencyKey:N}");
        return Task.FromResult(true);
    }
}
