using System.Net.Http.Json;
using IntegrationBus.Demo.Crm;

namespace IntegrationBus.Demo.Connectors;

/// <summary>The CRM's HTTP API as the connectors use it. Every write carries the bus task's GUID as its Idempotency-Key.</summary>
public sealed class CrmClient(HttpClient http)
{
    public async Task<long> EnsureSegmentAsync(string code, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsync(new Uri($"segments/{Uri.EscapeDataString(code)}", UriKind.Relative), null, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<SegmentResponse>(cancellationToken);
        return body!.Id;
    }

    public async Task<string?> FindSegmentCodeAsync(long id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"segments/{id}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SegmentResponse>(cancellationToken))!.Code;
    }

    public Task<bool> PutContactAsync(Guid contact, CrmContact body, Guid idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"contacts/{contact}", JsonContent.Create(body), idempotencyKey, cancellationToken);

    public Task<bool> DeleteContactAsync(Guid contact, Guid idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"contacts/{contact}", null, idempotencyKey, cancellationToken);

    public Task<bool> PutPollAsync(Guid poll, CrmPoll body, Guid idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"polls/{poll}", JsonContent.Create(body), idempotencyKey, cancellationToken);

    public Task<bool> DeletePollAsync(Guid poll, Guid idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"polls/{poll}", null, idempotencyKey, cancellationToken);

    private async Task<bool> SendAsync(HttpMethod method, string path, HttpContent? content, Guid idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("Idempotency-Key", idempotencyKey.ToString("N"));
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? true
            : response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
                ? false
                : throw new HttpRequestException($"The CRM answered {(int)response.StatusCode} to {method} {path}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    private sealed record SegmentResponse(long Id, string? Code);
}
