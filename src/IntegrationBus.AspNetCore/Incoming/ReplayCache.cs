namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>The signatures seen within the tolerance window, so a replayed request is refused. In memory, per node.</summary>
/// <remarks>
/// Entries expire when their timestamp leaves the tolerance window, after which the timestamp check refuses the
/// request anyway. Several nodes behind a load balancer do not share this cache; an idempotency key makes repeats
/// harmless across nodes.
/// </remarks>
internal sealed class ReplayCache(TimeProvider timeProvider)
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private DateTimeOffset _nextPrune;

    /// <summary>Remembers a signature until <paramref name="expiresAt"/>.</summary>
    /// <returns><see langword="false"/> when it was already seen and has not expired (a replay).</returns>
    public bool TryRemember(string key, DateTimeOffset expiresAt)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (now >= _nextPrune)
            {
                foreach (var expired in _seen.Where(e => e.Value <= now).Select(e => e.Key).ToList())
                {
                    _seen.Remove(expired);
                }

                _nextPrune = now + PruneInterval;
            }

            if (_seen.TryGetValue(key, out var until) && until > now)
            {
                return false;
            }

            _seen[key] = expiresAt;
            return true;
        }
    }

    /// <summary>Forgets a signature, so a request that changed nothing (answered 503) may be sent again unchanged.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _seen.Remove(key);
        }
    }
}
