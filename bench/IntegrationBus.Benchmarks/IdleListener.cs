using Microsoft.Extensions.Logging;

namespace IntegrationBus.Benchmarks;

/// <summary>Hears the runners' idle event (its own logging category), to stop the clock when a runner has drained its queue.</summary>
internal sealed class IdleListener : ILoggerProvider
{
    /// <summary>The category of the runner-idle event (RunnerContext.IdleCategory in the core).</summary>
    public const string Category = "IntegrationBus.Processing.QueueRunner.Idle";

    public Action<string, TaskDirection>? OnIdle { get; set; }

    public ILogger CreateLogger(string categoryName) => new Listener(this);

    public void Dispose()
    {
    }

    private sealed class Listener(IdleListener owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "ConnectorName").Value is string connector
                && values.FirstOrDefault(v => v.Key == "Direction").Value is TaskDirection direction)
            {
                owner.OnIdle?.Invoke(connector, direction);
            }
        }
    }
}
