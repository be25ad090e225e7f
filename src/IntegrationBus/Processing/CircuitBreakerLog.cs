using IntegrationBus.Diagnostics;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Processing;

/// <summary>Log messages of the circuit breakers.</summary>
internal static partial class CircuitBreakerLog
{
    [LoggerMessage(EventIds.CircuitBreakerOpened, LogLevel.Warning,
        "Circuit breaker of {ConnectorName} opened: {Reason}; the outgoing queue pauses until {OpenUntil}, then one task probes")]
    public static partial void Opened(ILogger logger, string connectorName, string? reason, DateTimeOffset openUntil);

    [LoggerMessage(EventIds.CircuitBreakerHalfOpened, LogLevel.Information, "Circuit breaker of {ConnectorName} is half-open: one task probes")]
    public static partial void HalfOpened(ILogger logger, string connectorName);

    [LoggerMessage(EventIds.CircuitBreakerClosed, LogLevel.Information, "Circuit breaker of {ConnectorName} closed: calls go through again")]
    public static partial void Closed(ILogger logger, string connectorName);

    [LoggerMessage(EventIds.CircuitBreakerAdopted, LogLevel.Information,
        "Circuit breaker of {ConnectorName} is stored as {Status} (opened at {OpenedAt} by another node or run); the outgoing queue pauses until {OpenUntil}, then one task probes")]
    public static partial void Adopted(ILogger logger, string connectorName, CircuitBreakerStatus status, DateTimeOffset? openedAt, DateTimeOffset openUntil);

    [LoggerMessage(EventIds.CircuitBreakerPaused, LogLevel.Debug, "{ConnectorName} (outgoing) pauses: its circuit breaker is open until {OpenUntil}")]
    public static partial void Paused(ILogger logger, string connectorName, DateTimeOffset openUntil);

    [LoggerMessage(EventIds.CircuitBreakerStateNotStored, LogLevel.Warning,
        "The state {Status} of the circuit breaker of {ConnectorName} could not be stored; other nodes do not see it until a later change is stored")]
    public static partial void StateNotStored(ILogger logger, string connectorName, CircuitBreakerStatus status, Exception exception);

    [LoggerMessage(EventIds.CircuitBreakerStateNotRead, LogLevel.Warning,
        "The stored state of the circuit breaker of {ConnectorName} could not be read; this node goes by its own breaker")]
    public static partial void StateNotRead(ILogger logger, string connectorName, Exception exception);
}
