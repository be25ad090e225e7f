using System.Net;
using System.Text.Json;

namespace IntegrationBus.Cli.Client;

/// <summary>The management API answered with an error (an RFC 7807 problem, when it could).</summary>
internal sealed class HttpAnswerException(HttpStatusCode status, string message) : Exception(message)
{
    /// <summary>Gets the HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>Reads the problem from an answer.</summary>
    public static async Task<HttpAnswerException> ReadAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? title = null;
        string? detail = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (text.Length > 0)
            {
                using var problem = JsonDocument.Parse(text);
                if (problem.RootElement.ValueKind == JsonValueKind.Object)
                {
                    title = problem.RootElement.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    detail = problem.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the status says enough.
        }

        var status = (int)response.StatusCode;
        var reason = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "the token was refused (pass a valid one with --token or IBUS_TOKEN)",
            HttpStatusCode.Forbidden => "the token may not do this (an operate permission is needed to change anything)",
            _ => detail ?? title ?? response.ReasonPhrase ?? "error",
        };
        return new HttpAnswerException(response.StatusCode, $"{method} {path} answered {status}: {reason}");
    }
}
