using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace IntegrationBus.Tests.Support;

/// <summary>What the receiver got: the webhook headers, the body, and whether each of its secrets verified it.</summary>
public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string? ContentType, string? ApiKey, string Body, IReadOnlyList<bool> Verified);

/// <summary>A webhook receiver on real Kestrel (127.0.0.1, port 0) that verifies every delivery with the StandardWebhooks package.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string[] _secrets;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly List<(int Count, TaskCompletionSource Source)> _waiters = [];
    private readonly Lock _lock = new();

    private WebhookReceiver(WebApplication app, string[] secrets)
    {
        _app = app;
        _secrets = secrets;
    }

    /// <summary>Gets or sets how to answer the request with the given number (1 for the first); 200 with no body by default.</summary>
    public Func<HttpContext, int, Task> Respond { get; set; } = (_, _) => Task.CompletedTask;

    /// <summary>Gets the receiver's base address, <c>http://127.0.0.1:port</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the deliveries in the order they arrived.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(params string[] secrets)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secrets);
        app.Run(receiver.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        receiver.BaseAddress = new Uri(app.Urls.Single());
        return receiver;
    }

    /// <summary>Completes when at least <paramref name="count"/> deliveries have arrived.</summary>
    public Task WaitForAsync(int count)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_received.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, source));
        }

        return source.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers;
        var verified = _secrets.Select(secret => Verifies(secret, body, headers)).ToList();
        int number;
        lock (_lock)
        {
            _received.Enqueue(new ReceivedWebhook(
                context.Request.Path, headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], headers.ContentType, headers["X-Api-Key"], body, verified));
            number = _received.Count;
            foreach (var waiter in _waiters.Where(w => w.Count <= number).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Source.TrySetResult();
            }
        }

        await Respond(context, number);
    }

    // StandardWebhooks 1.1.2 checks only the first of several signatures in one header (its loop ends before the last one),
    // so each signature is given to it on its own: the secret verifies when the package accepts one of them.
    private static bool Verifies(string secret, string body, IHeaderDictionary headers) =>
        headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature =>
        {
            try
            {
                new StandardWebhook(secret).Verify(body, new HeaderDictionary
                {
                    ["webhook-id"] = headers["webhook-id"],
                    ["webhook-timestamp"] = headers["webhook-timestamp"],
                    ["webhook-signature"] = signature,
                });
                return true;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return false;
            }
        });
}
