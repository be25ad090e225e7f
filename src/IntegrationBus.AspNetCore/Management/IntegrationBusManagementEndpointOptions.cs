namespace IntegrationBus.AspNetCore;

/// <summary>Who may use the management API that <see cref="IntegrationBusManagementEndpointRouteBuilderExtensions.MapIntegrationBusManagement"/> maps.</summary>
/// <remarks>
/// Secure by default: both <see cref="ReadPolicy"/> and <see cref="OperatePolicy"/> must be set unless
/// <see cref="AllowAnonymous"/> is <see langword="true"/>. Read endpoints require the read policy; state-changing
/// endpoints require the read policy <em>and</em> the operate policy (an operator can always see what they change).
/// Both may name the same policy.
/// </remarks>
public sealed class IntegrationBusManagementEndpointOptions
{
    /// <summary>The request header that carries the antiforgery token on state-changing requests without an <c>Authorization</c> header.</summary>
    public const string AntiforgeryHeaderName = "X-IntegrationBus-Antiforgery";

    /// <summary>Gets or sets the authorization policy a caller needs to see queues, tasks, connectors, settings, the audit log and the history.</summary>
    /// <value><see langword="null"/>: must be set unless <see cref="AllowAnonymous"/> is <see langword="true"/>.</value>
    public string? ReadPolicy { get; set; }

    /// <summary>
    /// Gets or sets the authorization policy a caller needs (on top of <see cref="ReadPolicy"/>) to change anything: retry,
    /// delete, enable or disable connectors, update settings, request processing, purge.
    /// </summary>
    /// <value><see langword="null"/>: must be set unless <see cref="AllowAnonymous"/> is <see langword="true"/>.</value>
    public string? OperatePolicy { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a policy left <see langword="null"/> means "anyone". Only this explicit
    /// opt-in makes endpoints reachable without authorization; a policy that is set still applies.
    /// </summary>
    /// <remarks>State-changing requests without an <c>Authorization</c> header still need the antiforgery token.</remarks>
    /// <value><see langword="false"/>.</value>
    public bool AllowAnonymous { get; set; }
}
