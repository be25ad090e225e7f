namespace IntegrationBus.AspNetCore.Diagnostics;

/// <summary>Event IDs of the HTTP endpoints (6xxx: HTTP and dashboard). Published IDs and names never change.</summary>
internal static class HttpEventIds
{
    /// <summary>An incoming task was accepted over HTTP.</summary>
    public const int IncomingAccepted = 6001;

    /// <summary>A request was refused for its credentials.</summary>
    public const int Unauthorized = 6002;

    /// <summary>A request was refused because of its content or the bus's state.</summary>
    public const int RequestRefused = 6003;

    /// <summary>The task store was busy or unavailable; the request was answered with 503.</summary>
    public const int StoreUnavailable = 6004;

    /// <summary>A request failed unexpectedly; answered with 500.</summary>
    public const int RequestFailed = 6005;

    /// <summary>Processing was requested over HTTP.</summary>
    public const int ProcessingRequested = 6006;

    /// <summary>A request's unit of work was discarded because the request failed.</summary>
    public const int ScopeDiscarded = 6007;

    /// <summary>A request body ended early or arrived too slowly; answered with 400 or 408.</summary>
    public const int BodyIncomplete = 6008;

    /// <summary>The client went away before its request was answered.</summary>
    public const int ClientAborted = 6009;

    /// <summary>A management API request failed unexpectedly; answered with 500.</summary>
    public const int ManagementRequestFailed = 6010;

    /// <summary>A state-changing management request was refused for a missing or invalid antiforgery token.</summary>
    public const int AntiforgeryRefused = 6011;

    /// <summary>The task store was busy or unavailable for a management request; answered with 503.</summary>
    public const int ManagementStoreUnavailable = 6012;

    /// <summary>A Standard Webhooks message ID already received by another connector or with another body was refused.</summary>
    public const int WebhookReplayRefused = 6100;
}
