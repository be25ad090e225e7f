namespace IntegrationBus.Processing;

/// <summary>Exponential back-off with jitter: the first delay doubles per attempt up to a maximum, less up to 20 %.</summary>
internal sealed class RetryBackoff(TimeSpan firstDelay, TimeSpan maxDelay, Func<double> nextRandom)
{
    private const double JitterFraction = 0.2;

    public TimeSpan GetDelay(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 40);
        var delayTicks = Math.Min(maxDelay.Ticks, firstDelay.Ticks * Math.Pow(2, exponent));
        var jitter = 1 - (JitterFraction * nextRandom());
        return TimeSpan.FromTicks(Math.Max(1, (long)(delayTicks * jitter)));
    }
}
