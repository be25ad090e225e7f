using System.Net;
using System.Text.Json;
using IntegrationBus.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.AspNetCore.Tests.Incoming;

public sealed class IncomingEndpointTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostIncoming_ValidRequest_Returns202AndQueuesTaskWithDefaults()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body()), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var body = await HttpTestHost.JsonAsync(response);
        Assert.Equal("Queued", body.GetProperty("status").GetString());
        var tasks = await host.TasksAsync("crm");
        var task = Assert.Single(tasks);
        Assert.Equal(body.GetProperty("taskId").GetInt64(), task.TaskId);
        Assert.Equal(body.GetProperty("taskGuid").GetGuid(), task.Guid);
        Assert.Equal(TaskType.CreateObject, task.TaskType);
        Assert.Equal(DataType.Simple, task.DataType);
    }

    [Fact]
    public async Task PostIncoming_EnumsInAnyCase_AreAcceptedAndObjectReachesConnectorAsJson()
    {
        await using var host = await HttpTestHost.StartAsync();
        var body = """{ "TASKTYPE": "updateobject", "dataType": "simplesnapshot", "policy": "skiponerror", "site": "main", "object": { "email": "x@example.com" } }""";

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", body), Token);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var task = Assert.Single(await host.TasksAsync("crm"));
        Assert.Equal(TaskType.UpdateObject, task.TaskType);
        Assert.Equal(DataType.SimpleSnapshot, task.DataType);
        var connector = (TestConnector)host.Bus.Connectors.Single(c => c.Name == "crm");
        Assert.Equal("x@example.com", Assert.Single(connector.Received).GetProperty("email").GetString());
    }

    [Fact]
    public async Task PostIncoming_RepeatedIdempotencyKey_Returns200WithFirstTaskAndQueuesNothingNew()
    {
        await using var host = await HttpTestHost.StartAsync();

        var first = HttpTestHost.Incoming("crm", HttpTestHost.Body());
        first.Headers.Add("Idempotency-Key", "order-17");
        var firstResponse = await host.Client.SendAsync(first, Token);
        var second = HttpTestHost.Incoming("crm", HttpTestHost.Body(email: "changed@example.com"));
        second.Headers.Add("Idempotency-Key", "order-17");
        var secondResponse = await host.Client.SendAsync(second, Token);

        Assert.Equal(HttpStatusCode.Accepted, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
        var a = await HttpTestHost.JsonAsync(firstResponse);
        var b = await HttpTestHost.JsonAsync(secondResponse);
        Assert.Equal(a.GetProperty("taskId").GetInt64(), b.GetProperty("taskId").GetInt64());
        Assert.Equal(a.GetProperty("taskGuid").GetGuid(), b.GetProperty("taskGuid").GetGuid());
        Assert.Equal("Repeated", b.GetProperty("status").GetString());
        Assert.Single(await host.TasksAsync("crm"));
    }

    [Fact]
    public async Task PostIncoming_IdempotencyKeyTooLong_Returns400()
    {
        await using var host = await HttpTestHost.StartAsync();
        var request = HttpTestHost.Incoming("crm", HttpTestHost.Body());
        request.Headers.Add("Idempotency-Key", new string('k', 201));

        var response = await host.Client.SendAsync(request, Token);

        await HttpTestHost.AssertProblemAsync(response, 400, "invalid-request");
        Assert.Empty(await host.TasksAsync());
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "JSON array")]
    [InlineData("""{ "object": { "email": "a@example.com" } }""", "no 'taskType'")]
    [InlineData("""{ "taskType": "Explode", "object": {} }""", "'taskType' is \"Explode\"")]
    [InlineData("""{ "taskType": 1, "object": {} }""", "'taskType' is 1")]
    [InlineData("""{ "taskType": "All", "object": {} }""", "'taskType' is \"All\"")]
    [InlineData("""{ "taskType": "CreateObject", "dataType": "Everything", "object": {} }""", "'dataType' is \"Everything\"")]
    [InlineData("""{ "taskType": "CreateObject", "policy": "Ignore", "object": {} }""", "'policy' is \"Ignore\"")]
    [InlineData("""{ "taskType": "CreateObject" }""", "no 'object'")]
    [InlineData("""{ "taskType": "CreateObject", "object": null }""", "no 'object'")]
    [InlineData("""{ "taskType": "CreateObject", "object": "text" }""", "JSON string")]
    [InlineData("""{ "taskType": "CreateObject", "site": "", "object": {} }""", "'site'")]
    public async Task PostIncoming_InvalidBody_Returns400NamingTheProblemAndQueuesNothing(string body, string expected)
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", body), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 400, "invalid-request");
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_UnknownConnector_Returns404()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("nope", HttpTestHost.Body()), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 404, "unknown-connector");
        Assert.Contains("'nope'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_ConnectorDisabled_Returns409()
    {
        await using var host = await HttpTestHost.StartAsync();
        await host.Services.GetRequiredService<IntegrationBus.Management.IntegrationBusManagement>().SetConnectorEnabledAsync("crm", false, cancellationToken: Token);

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body()), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 409, "connector-disabled");
        Assert.Contains("disabled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_IncomingLoggingOff_Returns409()
    {
        await using var host = await HttpTestHost.StartAsync();
        await host.Services.GetRequiredService<IntegrationBus.Management.IntegrationBusManagement>().UpdateSettingsAsync(new BusSettings(LogIncoming: false), cancellationToken: Token);

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body()), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 409, "logging-disabled");
        Assert.Contains("switched off", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_ConnectorRejectsObject_Returns422WithReason()
    {
        await using var host = await HttpTestHost.StartAsync();
        var body = """{ "taskType": "CreateObject", "object": { "reject": "E-mail is missing." } }""";

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", body), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 422, "object-rejected");
        Assert.Equal("E-mail is missing.", problem.GetProperty("detail").GetString());
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_ConnectorThrowsWhileConverting_Returns422WithoutTheExceptionText()
    {
        await using var host = await HttpTestHost.StartAsync();
        var body = """{ "taskType": "CreateObject", "object": { "throw": "secret connection string Password=hunter2" } }""";

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", body), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 422, "object-rejected");
        Assert.DoesNotContain("hunter2", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("failed to convert", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task ProcessExternalTaskAsync_ConnectorThrowsWhileConverting_ResultCarriesTheException()
    {
        await using var host = await HttpTestHost.StartAsync();
        using var document = JsonDocument.Parse("""{ "throw": "bad input" }""");

        var result = await host.Bus.ProcessExternalTaskAsync("crm", document.RootElement.Clone(), TaskType.CreateObject, DataType.Simple, null, cancellationToken: Token);

        Assert.Equal(ExternalTaskStatus.Rejected, result.Status);
        Assert.Equal("bad input", Assert.IsType<InvalidOperationException>(result.Exception).Message);
        Assert.DoesNotContain("bad input", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostIncoming_ObjectBreaksTheTypeModel_Returns422NamingFieldValueAndRuleAndQueuesNothing()
    {
        await using var host = await HttpTestHost.StartAsync(busBuilder: b => b.AddIncomingObjectValidator<EmailRule>());

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body(email: "nobody")), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 422, "invalid-object");
        Assert.Equal("Field 'crm.contact.Email' = \"nobody\" is not valid: it must contain '@'.", problem.GetProperty("detail").GetString());
        Assert.Equal(("crm.contact", "Email", "nobody", "must contain '@'"), (
            problem.GetProperty("objectType").GetString(), problem.GetProperty("field").GetString(),
            problem.GetProperty("value").GetString(), problem.GetProperty("rule").GetString()));
        Assert.Empty(await host.TasksAsync());
        Assert.Equal(HttpStatusCode.Accepted, (await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body()), Token)).StatusCode);
    }

    [Fact]
    public async Task PostIncoming_UnknownSite_Returns422()
    {
        await using var host = await HttpTestHost.StartAsync(bus: o => o.Sites.Add("main"));

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body(extra: """, "site": "elsewhere" """)), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 422, "unknown-site");
        Assert.Contains("'elsewhere'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task PostIncoming_PageTaskTypeForObject_Returns422()
    {
        await using var host = await HttpTestHost.StartAsync();

        var response = await host.Client.SendAsync(HttpTestHost.Incoming("crm", HttpTestHost.Body(taskType: "CreatePage")), Token);

        var problem = await HttpTestHost.AssertProblemAsync(response, 422, "invalid-task");
        Assert.Contains("CreatePage", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.TasksAsync());
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheEndpoints()
    {
        await using var host = await HttpTestHost.StartAsync();

        var text = await host.Client.GetStringAsync("/openapi/v1.json", Token);

        using var document = JsonDocument.Parse(text);
        var paths = document.RootElement.GetProperty("paths");
        var incoming = paths.GetProperty("/integration/connectors/{connector}/incoming").GetProperty("post");
        Assert.Equal("IntegrationBusPostIncomingTask", incoming.GetProperty("operationId").GetString());
        Assert.True(incoming.GetProperty("responses").TryGetProperty("202", out _));
        Assert.True(incoming.GetProperty("responses").TryGetProperty("413", out _));
        Assert.True(paths.TryGetProperty("/integration/connectors/{connector}/process", out _));
        Assert.Contains("IncomingTaskRequest", text, StringComparison.Ordinal);
    }
}
