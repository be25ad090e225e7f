namespace IntegrationBus.Processing;

/// <summary>An auto-reset wake-up signal that a runner awaits with a deadline.</summary>
internal sealed class AsyncSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set()
    {
        lock (_lock)
        {
            _source.TrySetResult();
        }
    }

    /// <summary>Waits until the signal is set or the delay passes; resets the signal. Returns whether it was set.</summary>
    public async Task<bool> WaitAsync(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Task signalled;
        lock (_lock)
        {
            signalled = _source.Task;
        }

        if (!signalled.IsCompleted && delay > TimeSpan.Zero)
        {
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timeout = Task.Delay(delay, timeProvider, delayCancellation.Token);
            var finished = await Task.WhenAny(signalled, timeout).ConfigureAwait(false);
            await delayCancellation.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (finished != signalled)
            {
                return false;
            }
        }

        lock (_lock)
        {
            if (!_source.Task.IsCompleted)
            {
                return false;
            }

            _source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }
}
