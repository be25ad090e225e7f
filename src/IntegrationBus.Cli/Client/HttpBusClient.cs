using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationBus.Cli.Output;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Client;

/// <summary>The bus through a running application's management HTTP API (<c>{prefix}/api/...</c>), with a bearer token.</summary>
internal sealed class HttpBusClient : IBusClient
{
    private readonly HttpClient _http;

    /// <summary>Creates the client for the management prefix, for example <c>http://host:5000/integration/admin</c>.</summary>
    public HttpBusClient(Uri prefix, string? token, HttpMessageHandler? handler = null)
    {
        var root = prefix.AbsoluteUri.EndsWith('/') ? prefix : new Uri(prefix.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = root;
        _http.Timeout = TimeSpan.FromSeconds(100);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public async Task<IReadOnlyList<QueueOverview>> GetQueuesAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<QueueOverview>>(HttpMethod.Get, "api/queues", null, cancellationToken).ConfigureAwait(false);

    public async Task<TaskListPage> ListTasksAsync(TaskQuery filter, string? after, int limit, CancellationToken cancellationToken)
    {
        var query = Query(filter);
        Add(query, "after", after);
        Add(query, "limit", limit.ToString(CultureInfo.InvariantCulture));
        var page = await SendAsync<TaskListPage>(HttpMethod.Get, "api/tasks" + Text(query), null, cancellationToken).ConfigureAwait(false);
        return page with { Items = page.Items ?? [] };
    }

    public async Task<long> CountTasksAsync(TaskQuery filter, CancellationToken cancellationToken) =>
        (await SendAsync<CountAnswer>(HttpMethod.Get, "api/tasks/count" + Text(Query(filter)), null, cancellationToken).ConfigureAwait(false)).Count;

    public async Task<TaskView?> GetTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<TaskView>(HttpMethod.Get, Invariant($"api/tasks/{taskId}"), null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpAnswerException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<int> RetryTaskAsync(long taskId, string? connector, CancellationToken cancellationToken) =>
        OneAsync(HttpMethod.Post, Invariant($"api/tasks/{taskId}/retry"), connector, cancellationToken);

    public Task<int> DeleteTaskAsync(long taskId, string? connector, CancellationToken cancellationToken) =>
        OneAsync(HttpMethod.Delete, Invariant($"api/tasks/{taskId}"), connector, cancellationToken);

    public Task<BulkActionResult> RetryTasksAsync(TaskQuery filter, CancellationToken cancellationToken) => BulkAsync("api/tasks/retry", filter, cancellationToken);

    public Task<BulkActionResult> DeleteTasksAsync(TaskQuery filter, CancellationToken cancellationToken) => BulkAsync("api/tasks/delete", filter, cancellationToken);

    public async Task<IReadOnlyList<ConnectorState>> GetConnectorsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<ConnectorState>>(HttpMethod.Get, "api/connectors", null, cancellationToken).ConfigureAwait(false);

    public async Task SetConnectorEnabledAsync(string connector, bool enabled, CancellationToken cancellationToken)
    {
        var path = $"api/connectors/{Uri.EscapeDataString(connector)}/{(enabled ? "enable" : "disable")}";
        try
        {
            await SendAsync<JsonElement?>(HttpMethod.Post, path, null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpAnswerException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            throw new CliFailureException($"No connector is named '{connector}' in this store.", exception);
        }
    }

    public Task<BusSettings> GetSettingsAsync(CancellationToken cancellationToken) =>
        SendAsync<BusSettings>(HttpMethod.Get, "api/settings", null, cancellationToken);

    public Task<BusSettings> UpdateSettingsAsync(BusSettings settings, CancellationToken cancellationToken) =>
        SendAsync<BusSettings>(HttpMethod.Put, "api/settings", settings, cancellationToken);

    public Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken) =>
        SendAsync<PurgeResult>(HttpMethod.Post, "api/retention/purge", null, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(long? beforeId, int limit, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>();
        Add(query, "beforeId", beforeId?.ToString(CultureInfo.InvariantCulture));
        Add(query, "limit", limit.ToString(CultureInfo.InvariantCulture));
        return await SendAsync<List<AuditEntry>>(HttpMethod.Get, "api/audit" + Text(query), null, cancellationToken).ConfigureAwait(false);
    }

    public Task<IdMapListPage> ListIdMapAsync(IdMapQuery query, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        Add(parameters, "objectType", query.ObjectType);
        Add(parameters, "guid", query.ObjectGuid?.ToString("D"));
        Add(parameters, "externalId", query.ExternalId);
        Add(parameters, "after", query.After?.ToString(CultureInfo.InvariantCulture));
        Add(parameters, "limit", query.Limit.ToString(CultureInfo.InvariantCulture));
        return SendAsync<IdMapListPage>(HttpMethod.Get, $"api/connectors/{Uri.EscapeDataString(query.Connector)}/id-map" + Text(parameters), null, cancellationToken);
    }

    public async Task<bool> DeleteIdMapEntryAsync(string connector, string objectType, Guid objectGuid, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync<JsonElement?>(
                HttpMethod.Delete, $"api/connectors/{Uri.EscapeDataString(connector)}/id-map/{Uri.EscapeDataString(objectType)}/{objectGuid:D}", null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpAnswerException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task<BlockedKeyListPage> ListBlockedKeysAsync(BlockedKeyQuery query, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        Add(parameters, "direction", query.Direction?.ToString());
        Add(parameters, "after", query.After);
        Add(parameters, "afterDirection", query.After is null ? null : query.AfterDirection.ToString());
        Add(parameters, "limit", query.Limit.ToString(CultureInfo.InvariantCulture));
        return SendAsync<BlockedKeyListPage>(HttpMethod.Get, $"api/connectors/{Uri.EscapeDataString(query.Connector)}/blocked-keys" + Text(parameters), null, cancellationToken);
    }

    public Task<BlockedKeyRow> ActOnBlockedKeyAsync(string connector, string key, TaskDirection direction, string action, CancellationToken cancellationToken) =>
        SendAsync<BlockedKeyRow>(HttpMethod.Post, $"api/connectors/{Uri.EscapeDataString(connector)}/blocked-keys/{action}", new BlockedKeyRequest(key, direction), cancellationToken);
    public Task<ResyncJob> StartResyncAsync(string connector, string? typeFilter, DateTimeOffset? since, CancellationToken cancellationToken) =>
        SendAsync<ResyncJob>(HttpMethod.Post, "api/resyncs", new { connector, typeFilter, since }, cancellationToken);

    public async Task<IReadOnlyList<ResyncJob>> ListResyncsAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>();
        Add(query, "before", before?.ToString(CultureInfo.InvariantCulture));
        Add(query, "limit", limit.ToString(CultureInfo.InvariantCulture));
        return await SendAsync<List<ResyncJob>>(HttpMethod.Get, "api/resyncs" + Text(query), null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ResyncJob?> GetResyncAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<ResyncJob>(HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"api/resyncs/{id}"), null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpAnswerException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> CancelResyncAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync<JsonElement?>(HttpMethod.Post, string.Create(CultureInfo.InvariantCulture, $"api/resyncs/{id}/cancel"), null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpAnswerException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static List<KeyValuePair<string, string>> Query(TaskQuery filter)
    {
        var query = new List<KeyValuePair<string, string>>();
        Add(query, "connector", filter.Connector);
        Add(query, "direction", filter.Direction?.ToString());
        Add(query, "status", filter.Status?.ToString());
        Add(query, "objectType", filter.ObjectType);
        Add(query, "taskType", filter.TaskType?.ToString());
        Add(query, "text", filter.Text);
        Add(query, "createdFrom", filter.CreatedFrom?.ToString("O", CultureInfo.InvariantCulture));
        Add(query, "createdBefore", filter.CreatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        return query;
    }

    private static void Add(List<KeyValuePair<string, string>> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(new(name, value));
        }
    }

    private static string Text(List<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in query)
        {
            text.Append(text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    private async Task<int> OneAsync(HttpMethod method, string path, string? connector, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>();
        Add(query, "connector", connector);
        try
        {
            return (int)(await SendAsync<CountAnswer>(method, path + Text(query), null, cancellationToken).ConfigureAwait(false)).Count;
        }
        catch (HttpAnswerException exception) when (exception.Status == HttpStatusCode.NotFound)
        {
            return 0;
        }
    }

    private async Task<BulkActionResult> BulkAsync(string path, TaskQuery filter, CancellationToken cancellationToken)
    {
        var body = new BulkRequest
        {
            Connector = filter.Connector,
            Direction = filter.Direction,
            Status = filter.Status,
            ObjectType = filter.ObjectType,
            TaskType = filter.TaskType,
            Text = filter.Text,
            CreatedFrom = filter.CreatedFrom,
            CreatedBefore = filter.CreatedBefore,
            DryRun = false,
            All = true,
        };
        var answer = await SendAsync<BulkAnswer>(HttpMethod.Post, path, body, cancellationToken).ConfigureAwait(false);
        return new BulkActionResult { Count = answer.Count, Batches = answer.Batches ?? 0 };
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: CliJson.Options);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new CliFailureException($"Cannot reach {_http.BaseAddress}: {exception.Message}", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailureException($"{_http.BaseAddress} did not answer within {_http.Timeout.TotalSeconds:0} seconds.", exception);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await HttpAnswerException.ReadAsync(method, path, response, cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
            {
                return default!;
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(CliJson.Options, cancellationToken).ConfigureAwait(false)
                    ?? throw new CliFailureException($"{method} {path} answered with no content.");
            }
            catch (JsonException exception)
            {
                throw new CliFailureException($"{method} {path} answered with JSON the tool cannot read: {exception.Message}", exception);
            }
        }
    }

    private sealed record CountAnswer(long Count);

    private sealed record BlockedKeyRequest(string Key, TaskDirection Direction);

    private sealed record BulkAnswer(long Count, int? Batches, bool DryRun);

    private sealed record BulkRequest
    {
        public string? Connector { get; init; }

        public TaskDirection? Direction { get; init; }

        public SynchronizationStatus? Status { get; init; }

        public string? ObjectType { get; init; }

        public TaskType? TaskType { get; init; }

        public string? Text { get; init; }

        public DateTimeOffset? CreatedFrom { get; init; }

        public DateTimeOffset? CreatedBefore { get; init; }

        public bool DryRun { get; init; }

        public bool All { get; init; }
    }
}
