namespace IntegrationBus.AspNetCore.Management;

/// <summary>The answer of <c>GET {prefix}/api/me</c>: who the caller is, whether they may change anything, and a fresh antiforgery token.</summary>
/// <param name="Name">The caller's name (the audit actor), or <see langword="null"/> when anonymous.</param>
/// <param name="CanOperate">Whether the caller passes the operate policy.</param>
/// <param name="AntiforgeryToken">The request token to send on state-changing requests (its cookie half is set with this answer).</param>
/// <param name="AntiforgeryHeader">The header to send it in.</param>
internal sealed record MeResponse(string? Name, bool CanOperate, string AntiforgeryToken, string AntiforgeryHeader);
