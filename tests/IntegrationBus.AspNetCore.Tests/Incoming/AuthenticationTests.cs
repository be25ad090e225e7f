using System.Net;
using IntegrationBus.AspNetCore.Tests.Support;
using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore.Tests.Incoming;

public sealed class AuthenticationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key-0123456789")]
    [InlineData("crm-key-0123456789x")]
    [InlineData("signed-key-0123456789")]
    public async Task PostIncoming_MissingOrWrongApiKey_Returns401AndQueuesNothing(string? apiKey)
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body(), apiKey), Token);

        await HttpTestHost.AssertProblemAsync(response, 401, "unauthorized");
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_ConnectorWithoutCredentials_Returns401UnlessAnonymousAllowed()
    {
        await using (var host = await HttpTestHost.StartAsync())
        {
            var response = await host.Client.SendAsync(HttpTestHost.Incoming("open", HttpTestHost.Body(), apiKey: null), Token);

            var problem = await HttpTestHost.AssertProblemAsync(response, 401, "unauthorized");
            Assert.Contains("AllowAnonymous", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("'open'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Empty(await host.TasksAsync());
        }

        await using (var host = await HttpTestHost.StartAsync(o => o.AllowAnonymous = true))
        {
            var open = await host.Client.SendAsync(HttpTestHost.Incoming("open", HttpTestHost.Body(), apiKey: null), Token);
            var crm = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body(), apiKey: null), Token);

            Assert.Equal(HttpStatusCode.Accepted, open.StatusCode);
            await HttpTestHost.AssertProblemAsync(crm, 401, "unauthorized");
            Assert.Single(await host.TasksAsync());
        }
    }

    [Fact]
    public async Task PostIncoming_ValidSignature_Returns202()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(host.Signed(HttpTestHost.Body()), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await host.TasksAsync("signed"));
    }

    [Fact]
    public async Task PostIncoming_ReplayedSignature_Returns401AndQueuesOnlyTheFirst()
    {
        await using var host = await HttpTestHost.StartAsync();
        var body = HttpTestHost.Body();

        var first = await host.Client.SendAsync(host.Signed(body), Token);
        host.Time.Advance(TimeSpan.FromSeconds(30));
        var replay = await host.Client.SendAsync(host.Signed(body, timestamp: host.Time.GetUtcNow().AddSeconds(-30).ToUnixTimeSeconds()), Token);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var problem = await HttpTestHost.AssertProblemAsync(replay, 401, "unauthorized");
        Assert.Contains("already used", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(await host.TasksAsync("signed"));
    }

    [Fact]
    public async Task PostIncoming_AlteredBodyWithOldSignature_Returns401()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(host.Signed(HttpTestHost.Body(email: "mallory@example.com"), signedBody: HttpTestHost.Body()), Token);

        await HttpTestHost.AssertProblemAsync(response, 401, "unauthorized");
        Assert.Empty(await host.TasksAsync());
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task PostIncoming_TimestampOutsideTolerance_Returns401(int offsetSeconds)
    {
        await using var host = await HttpTestHost.StartAsync();
        var stale = host.Time.GetUtcNow().AddSeconds(offsetSeconds).ToUnixTimeSeconds();

        var response = await host.Client.SendAsync(host.Signed(HttpTestHost.Body(), timestamp: stale), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 401, "unauthorized");
        Assert.Contains(stale.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_SignedConnectorWithoutSignatureOrWithMalformedOne_Returns401()
    {
        await using var host = await HttpTestHost.StartAsync();
        var unsigned = HttpTestHost.Incoming("signed", HttpTestHost.Body(), HttpTestHost.SignedKey);
        var malformed = host.Signed(HttpTestHost.Body());
        malformed.Headers.Remove("X-IntegrationBus-Signature");
        malformed.Headers.Add("X-IntegrationBus-Signature", "sha256=zz");
        var noKey = host.Signed(HttpTestHost.Body());
        noKey.Headers.Remove("X-Api-Key");

        await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(unsigned, Token), 401, "unauthorized");
        await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(malformed, Token), 401, "unauthorized");
        await HttpTestHost.AssertProblemAsync(await host.Client.SendAsync(noKey, Token), 401, "unauthorized");
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task Start_ShortSecretOrKey_FailsNamingTheOptionWithoutTheSecret()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => HttpTestHost.StartAsync(o =>
        {
            o.Connectors["crm"].HmacSecret = "short-secret";
            o.Connectors["crm"].ApiKeys.Add("abc");
            o.MaxBodySize = 10;
        }));

        Assert.Contains("Connectors['crm'].HmacSecret is 12 characters long", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Connectors['crm'].ApiKeys[1] is 3 characters long", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBodySize", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", exception.Message, StringComparison.Ordinal);
    }
}
