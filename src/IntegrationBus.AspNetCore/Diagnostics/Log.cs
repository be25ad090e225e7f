using Microsoft.Extensions.Logging;

namespace IntegrationBus.AspNetCore.Diagnostics;

/// <summary>Log messages of the HTTP endpoints and the request unit of work.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = HttpEventIds.IncomingAccepted, EventName = "HttpIncomingAccepted", Level = LogLevel.Debug,
        Message = "HTTP incoming task {TaskId} for connector {ConnectorName}: {Status}")]
    public static partial void IncomingAccepted(ILogger logger, long taskId, string connectorName, string status);

    [LoggerMessage(EventId = HttpEventIds.Unauthorized, EventName = "HttpUnauthorized", Level = LogLevel.Warning,
        Message = "HTTP request for connector {ConnectorName} refused: {Reason}")]
    public static partial void Unauthorized(ILogger logger, string connectorName, string reason);

    [LoggerMessage(EventId = HttpEventIds.RequestRefused, EventName = "HttpRequestRefused", Level = LogLevel.Debug,
        Message = "HTTP request for connector {ConnectorName} refused with {StatusCode} {ProblemType}")]
    public static partial void RequestRefused(ILogger logger, string connectorName, int statusCode, string problemType);

    [LoggerMessage(EventId = HttpEventIds.StoreUnavailable, EventName = "HttpStoreUnavailable", Level = LogLevel.Warning,
        Message = "HTTP request for connector {ConnectorName} answered 503: the task store is busy or unavailable")]
    public static partial void StoreUnavailable(ILogger logger, string connectorName, Exception exception);

    [LoggerMessage(EventId = HttpEventIds.RequestFailed, EventName = "HttpRequestFailed", Level = LogLevel.Error,
        Message = "HTTP request for connector {ConnectorName} failed unexpectedly")]
    public static partial void RequestFailed(ILogger logger, string connectorName, Exception exception);

    [LoggerMessage(EventId = HttpEventIds.ProcessingRequested, EventName = "HttpProcessingRequested", Level = LogLevel.Debug,
        Message = "HTTP processing request for connector {ConnectorName}, direction {Direction} (empty: both)")]
    public static partial void ProcessingRequested(ILogger logger, string connectorName, TaskDirection? direction);

    [LoggerMessage(EventId = HttpEventIds.ScopeDiscarded, EventName = "HttpScopeDiscarded", Level = LogLevel.Warning,
        Message = "Request {RequestPath} failed; its {PendingCount} logged changes were discarded")]
    public static partial void ScopeDiscarded(ILogger logger, string requestPath, int pendingCount);

    [LoggerMessage(EventId = HttpEventIds.BodyIncomplete, EventName = "HttpBodyIncomplete", Level = LogLevel.Information,
        Message = "HTTP request for connector {ConnectorName} answered {StatusCode}: {Reason}")]
    public static partial void BodyIncomplete(ILogger logger, string connectorName, int statusCode, string reason);

    [LoggerMessage(EventId = HttpEventIds.ClientAborted, EventName = "HttpClientAborted", Level = LogLevel.Debug,
        Message = "HTTP request for connector {ConnectorName} ended: the client went away")]
    public static partial void ClientAborted(ILogger logger, string connectorName);

    [LoggerMessage(EventId = HttpEventIds.ManagementRequestFailed, EventName = "HttpManagementRequestFailed", Level = LogLevel.Error,
        Message = "Management request {Method} {RequestPath} failed unexpectedly")]
    public static partial void ManagementRequestFailed(ILogger logger, string method, string requestPath, Exception exception);

    [LoggerMessage(EventId = HttpEventIds.AntiforgeryRefused, EventName = "HttpAntiforgeryRefused", Level = LogLevel.Warning,
        Message = "Management request {Method} {RequestPath} by {Actor} refused: antiforgery token missing or invalid")]
    public static partial void AntiforgeryRefused(ILogger logger, string method, string requestPath, string actor);

    [LoggerMessage(EventId = HttpEventIds.ManagementStoreUnavailable, EventName = "HttpManagementStoreUnavailable", Level = LogLevel.Warning,
        Message = "Management request {Method} {RequestPath} answered 503: the task store is busy or unavailable")]
    public static partial void ManagementStoreUnavailable(ILogger logger, string method, string requestPath, Exception exception);

    [LoggerMessage(EventId = HttpEventIds.WebhookReplayRefused, EventName = "HttpWebhookReplayRefused", Level = LogLevel.Warning,
        Message = "HTTP webhook for connector {ConnectorName} refused with 409: {Reason}")]
    public static partial void WebhookReplayRefused(ILogger logger, string connectorName, string reason);
}
