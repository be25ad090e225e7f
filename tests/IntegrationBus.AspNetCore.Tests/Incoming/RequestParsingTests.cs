using System.Net;
using System.Net.Sockets;
using System.Text;
using IntegrationBus.AspNetCore.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IntegrationBus.AspNetCore.Tests.Incoming;

/// <summary>Malformed envelopes: each gets its status and a problem body, and the queue stays as it was.</summary>
public sealed class RequestParsingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{ "taskType": "\ud800", "object": { "email": "a@example.com" } }""", "string at byte")]
    [InlineData("""{ "\udc00": 1, "taskType": "CreateObject", "object": { "email": "a@example.com" } }""", "property name at byte")]
    [InlineData("""{ "taskType": "CreateObject", "object": { "email": "a\ud800@example.com" } }""", "string at byte")]
    public async Task PostIncoming_EscapedLoneSurrogate_Returns400AndQueuesNothing(string body, string expected)
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", body), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 400, "invalid-request");
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.Contains("surrogate", detail, StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
        Assert.Empty(Connector(host).Received);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task PostIncoming_InvalidUtf8InAStringValue_Returns400AndNeverReachesTheConnector(byte[] bad)
    {
        await using var host = await HttpTestHost.StartAsync();
        var body = Bytes("""{ "taskType": "CreateObject", "object": { "email": "a""", bad, """@example.com" } }""");

        var response = await host.Client.SendAsync(Raw(body), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 400, "invalid-request");
        Assert.Contains("not valid UTF-8 (byte 53", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
        Assert.Empty(Connector(host).Received);
    }

    [Fact]
    public async Task PostIncoming_Utf8ByteOrderMark_IsIgnored()
    {
        await using var host = await HttpTestHost.StartAsync();
        var body = Bytes(Encoding.UTF8.GetString(Encoding.UTF8.Preamble), [], HttpTestHost.Body());

        var response = await host.Client.SendAsync(Raw(body), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await host.TasksAsync("crm"));
    }

    [Fact]
    public async Task PostIncoming_Utf16ByteOrderMark_Returns400SayingUtf8()
    {
        await using var host = await HttpTestHost.StartAsync();
        var body = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(HttpTestHost.Body())).ToArray();

        var response = await host.Client.SendAsync(Raw(body), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 400, "invalid-request");
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Theory]
    [InlineData("text/plain", "is not JSON")]
    [InlineData("application/x-www-form-urlencoded", "is not JSON")]
    [InlineData(null, "no Content-Type")]
    [InlineData("application/json; charset=utf-16", "charset 'utf-16'")]
    public async Task PostIncoming_NotJsonInUtf8_Returns415Problem(string? contentType, string expected)
    {
        await using var host = await HttpTestHost.StartAsync();
        var request = HttpTestHost.Incoming("crm", HttpTestHost.Body());
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(HttpTestHost.Body()));
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await host.Client.SendAsync(request, Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 415, "unsupported-media-type");
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_JsonSuffixMediaType_IsAccepted()
    {
        await using var host = await HttpTestHost.StartAsync();
        var request = HttpTestHost.Incoming("crm", HttpTestHost.Body());
        request.Content!.Headers.ContentType = new("application/vnd.crm+json") { CharSet = "utf-8" };

        var response = await host.Client.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await host.TasksAsync("crm"));
    }

    [Fact]
    public async Task PostIncoming_ClientSendsLessThanContentLengthAndCloses_LoggedAtDebugWithoutStackTrace()
    {
        using var logs = new FakeLoggerProvider();
        using var signals = new LogSignals();
        await using var host = await HttpTestHost.StartAsync(kestrel: true, logs: [logs, signals]);
        var aborted = signals.NextAsync(6009, _ => true);

        // Announces more than it sends and closes its side: Kestrel ends the request as aborted.
        using (var socket = await SendShortAsync(host))
        {
            socket.Shutdown(SocketShutdown.Send);
            Assert.Null((await aborted)["Exception"]);
        }

        AssertQuietLog(logs, 6009, LogLevel.Debug);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_ClientStallsBeforeContentLength_Returns408ProblemLoggedAsInformationWithoutStackTrace()
    {
        using var logs = new FakeLoggerProvider();
        using var signals = new LogSignals();
        await using var host = await HttpTestHost.StartAsync(kestrel: true, logs: [logs, signals]);
        var incomplete = signals.NextAsync(6008, _ => true);

        // Announces more than it sends and waits: Kestrel's minimum body data rate (1 s grace here) ends the read with 408.
        using var socket = await SendShortAsync(host);
        var state = await incomplete;
        var answer = await ReadToEndAsync(socket);

        Assert.Equal(408, state["StatusCode"]);
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("incomplete-body", answer, StringComparison.Ordinal);
        AssertQuietLog(logs, 6008, LogLevel.Information);
        Assert.Empty(await host.TasksAsync());
    }

    private static async Task<Socket> SendShortAsync(HttpTestHost host)
    {
        var body = Encoding.UTF8.GetBytes(HttpTestHost.Body());
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.Address!.Host, host.Address.Port, Token);
        var head = $"POST /integration/connectors/crm/incoming HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: {HttpTestHost.CrmKey}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length + 100}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head), Token);
        await socket.SendAsync(body, Token);
        return socket;
    }

    private static void AssertQuietLog(FakeLoggerProvider logs, int eventId, LogLevel level)
    {
        var records = logs.Collector.GetSnapshot();
        Assert.Contains(records, r => r.Id.Id == eventId && r.Level == level && r.Exception is null);
        Assert.DoesNotContain(records, r => r.Level >= LogLevel.Warning);
        Assert.DoesNotContain(records, r => r.Category?.StartsWith("IntegrationBus", StringComparison.Ordinal) == true && r.Exception is not null);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await socket.ReceiveAsync(buffer, Token)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && text.ToString().TrimEnd().EndsWith('}'))
            {
                break;
            }
        }

        return text.ToString();
    }

    [Fact]
    public async Task PostIncoming_ContentLengthLargerThanBodyOnTestServer_Returns400()
    {
        await using var host = await HttpTestHost.StartAsync();
        var request = HttpTestHost.Incoming("crm", HttpTestHost.Body());
        request.Content = new ShortContent(Encoding.UTF8.GetBytes(HttpTestHost.Body()), missing: 10);
        request.Content.Headers.ContentType = HttpTestHost.Json;

        var response = await host.Client.SendAsync(request, Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 400, "incomplete-body");
        Assert.Contains("Content-Length announced", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    private static TestConnector Connector(HttpTestHost host) => (TestConnector)host.Bus.Connectors.Single(c => c.Name == "crm");

    private static byte[] Bytes(string before, byte[] middle, string after = "") =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    private static HttpRequestMessage Raw(byte[] body)
    {
        var request = HttpTestHost.Incoming("crm", "{}");
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = HttpTestHost.Json;
        return request;
    }

    /// <summary>Content that announces more bytes than it sends.</summary>
    private sealed class ShortContent(byte[] bytes, int missing) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length + missing;
            return true;
        }
    }
}
