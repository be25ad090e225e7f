namespace IntegrationBus;

/// <summary>The defaults of <see cref="CircuitBreakerOptions"/>.</summary>
internal static class CircuitBreakerDefaults
{
    public const bool Enabled = false;
    public const double FailureRatio = 0.5;
    public const int MinimumThroughput = 5;
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);
}
