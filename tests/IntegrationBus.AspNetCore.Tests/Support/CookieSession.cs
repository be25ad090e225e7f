using System.Text.Json;

namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>A browser-like caller: authenticated by cookie, holding the antiforgery token and cookie that <c>api/me</c> handed out.</summary>
public sealed class CookieSession(ManagementTestHost host, string user, string cookies, JsonElement me)
{
    public string User => user;

    public JsonElement Me => me;

    public string Token => me.GetProperty("antiforgeryToken").GetString()!;

    /// <summary>Sends a request with the session's cookies and, when given, an antiforgery token in the header <c>api/me</c> named.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = ManagementTestHost.Request(method, path, body);
        request.Headers.Add("Cookie", cookies);
        if (token is not null)
        {
            request.Headers.Add(me.GetProperty("antiforgeryHeader").GetString()!, token);
        }

        return host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
