namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>The RFC 7807 <c>type</c> URIs of the HTTP endpoints' errors, one per kind.</summary>
internal static class ProblemTypes
{
    private const string Base = "https://integrationbus.dev/problems/";

    public const string UnknownConnector = Base + "unknown-connector";
    public const string Unauthorized = Base + "unauthorized";
    public const string BodyTooLarge = Base + "body-too-large";
    public const string InvalidRequest = Base + "invalid-request";
    public const string IncompleteBody = Base + "incomplete-body";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string ConnectorDisabled = Base + "connector-disabled";
    public const string LoggingDisabled = Base + "logging-disabled";
    public const string ObjectRejected = Base + "object-rejected";
    public const string UnknownSite = Base + "unknown-site";
    public const string InvalidTask = Base + "invalid-task";
    public const string InvalidObject = Base + "invalid-object";
    public const string StoreUnavailable = Base + "store-unavailable";
    public const string InternalError = Base + "internal-error";
    public const string UnknownTask = Base + "unknown-task";
    public const string UnknownIdMapEntry = Base + "unknown-id-map-entry";
    public const string KeyNotBlocked = Base + "key-not-blocked";

    public const string UnknownResync = Base + "unknown-resync";
    public const string InvalidAntiforgeryToken = Base + "antiforgery";
    public const string Forbidden = Base + "forbidden";
    public const string WebhookReplayed = Base + "webhook-replayed";
}
