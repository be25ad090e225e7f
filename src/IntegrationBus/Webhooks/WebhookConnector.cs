using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IntegrationBus.Management;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Webhooks;

/// <summary>A connector made from configuration: POSTs every task as signed JSON (Standard Webhooks) to one URL.</summary>
/// <remarks>
/// 2xx is OK. 410 Gone disables the connector on every node (audited, logged) and fails the task, which waits for an operator
/// to enable the connector again. 408, 429 and 5xx fail the task with the answer's <c>Retry-After</c> as the next attempt
/// (at most <see cref="WebhookDefaults.MaxRetryAfter"/>); other answers, redirects included (never followed), fail it with
/// the runner's back-off. Every failure keeps the status and the first bytes of the answer in the attempt log.
/// </remarks>
internal sealed class WebhookConnector : Connector
{
    private const string Actor = "webhook";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly WebhookConnectorOptions _options;
    private readonly WebhookSecret[] _secrets;
    private readonly Uri _url;
    private readonly string _shownUrl;
    private readonly IHttpClientFactory _clients;
    private readonly Func<IntegrationBusManagement> _management;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WebhookConnector(string name, WebhookConnectorOptions options, IHttpClientFactory clients, Func<IntegrationBusManagement> management, TimeProvider time, ILogger<WebhookConnector> logger)
        : base(name)
    {
        _options = options;
        _secrets = [.. options.Secrets.Select(WebhookSecret.Parse)];
        _url = options.Url!;

        // The query may carry a credential: messages and logs show the address without it.
        _shownUrl = _url.GetLeftPart(UriPartial.Path);
        _clients = clients;
        _management = management;
        _time = time;
        _logger = logger;
    }

    public override string DisplayName => string.IsNullOrWhiteSpace(_options.DisplayName) ? Name : _options.DisplayName;

    public static string ClientName(string connectorName) => "IntegrationBus.Webhooks." + connectorName;

    protected override void Subscribe(SubscriptionBuilder subscriptions)
    {
        foreach (var configured in _options.Subscriptions)
        {
            var mode = configured.DataType switch
            {
                DataType.Simple => SubscriptionMode.AsyncSimple,
                DataType.Snapshot => SubscriptionMode.AsyncSnapshot,
                _ => SubscriptionMode.AsyncSimpleSnapshot,
            };
            TaskType[] taskTypes = configured.TaskTypes.Count == 0 ? [TaskType.All] : configured.TaskTypes.Distinct().ToArray();
            foreach (var taskType in taskTypes)
            {
                subscriptions.Add(configured.Pages
                    ? new PageSubscription(mode, taskType, Filter(configured.Site), Filter(configured.ClassName), Filter(configured.AliasPath), Filter(configured.Culture))
                    : new ObjectSubscription(mode, taskType, Filter(configured.Site), Filter(configured.ObjectType), Filter(configured.CodeName)));
            }
        }
    }

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        var body = WebhookEnvelope.Write(task);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        foreach (var (header, value) in _options.Headers)
        {
            // A content header (Content-Language, say) is refused on the request and belongs on the content.
            if (!request.Headers.TryAddWithoutValidation(header, value))
            {
                request.Content.Headers.TryAddWithoutValidation(header, value);
            }
        }

        // webhook-id is the task GUID, the same on every retry, so a receiver can drop repeats.
        var messageId = task.Guid.ToString();
        var sentAt = _time.GetUtcNow();
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, messageId);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, WebhookSignature.FormatTimestamp(sentAt));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_secrets, messageId, sentAt, body));

        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = _time.GetTimestamp();
        try
        {
            var client = _clients.CreateClient(ClientName(Name));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var elapsed = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
            {
                Log.WebhookDelivered(_logger, Name, task.Id, _shownUrl, (int)response.StatusCode, elapsed);
                return TaskResult.Ok;
            }

            Log.WebhookRefused(_logger, Name, task.Id, _shownUrl, (int)response.StatusCode, elapsed);
            return await RefusedAsync(response, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return TaskResult.Error(string.Create(CultureInfo.InvariantCulture, $"The webhook {_shownUrl} did not answer within the timeout of {_options.Timeout}."));
        }
        catch (HttpRequestException exception) when (FindRefusal(exception) is { } refusal)
        {
            Log.WebhookAddressRefused(_logger, Name, task.Id, refusal.Message);
            return TaskResult.Error(refusal.Message);
        }
        catch (HttpRequestException exception)
        {
            return TaskResult.Error($"The webhook request to {_shownUrl} failed: {exception.Message}");
        }
    }

    private static string? Filter(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static WebhookAddressRefusedException? FindRefusal(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is WebhookAddressRefusedException refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    private async Task<TaskResult> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var answer = await ReadStartAsync(response, cancellationToken).ConfigureAwait(false);
        var message = string.Create(CultureInfo.InvariantCulture, $"The webhook {_shownUrl} answered HTTP {status} {response.ReasonPhrase}");
        message += answer.Length == 0 ? "." : $": {answer}";
        if (status is >= 300 and < 400)
        {
            return TaskResult.Error($"{message} Redirects are not followed (Location: {response.Headers.Location?.ToString() ?? "none"}); configure the final URL.");
        }

        if (response.StatusCode == HttpStatusCode.Gone)
        {
            var reason = $"the webhook {_shownUrl} answered 410 Gone, so the receiver no longer wants deliveries; enable the connector again once it does.";
            Log.WebhookGone(_logger, Name, reason);
            await _management().SetConnectorEnabledAsync(Name, false, Actor, reason, cancellationToken).ConfigureAwait(false);
            return TaskResult.Error($"{message} The connector is disabled; enable it again once the receiver wants deliveries.");
        }

        return status is 408 or 429 or >= 500
            ? TaskResult.Error(message, RetryAfter(response))
            : TaskResult.Error(message);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? (TimeSpan?)(date - _time.GetUtcNow()) : null);
        return delay is { } value ? TimeSpan.FromTicks(Math.Clamp(value.Ticks, 0, WebhookDefaults.MaxRetryAfter.Ticks)) : null;
    }

    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[WebhookDefaults.ResponseBodyBytes];
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var text = Encoding.UTF8.GetString(buffer, 0, length);
            return string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)).Trim();
        }
    }
}
