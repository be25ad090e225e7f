using System.Diagnostics;
using System.Net.Http.Json;
using IntegrationBus.Diagnostics;
using IntegrationBus.OpenTelemetry.Tests.Support;

namespace IntegrationBus.OpenTelemetry.Tests;

/// <summary>One trace from the HTTP request that changed an object to the connector's call, across retries and a restart.</summary>
public sealed class TracingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Outgoing_RequestThenRetryThenRestart_OneTraceFromRequestToConnector()
    {
        var path = TraceHost.NewPath();
        var exported = new List<Activity>();
        var spans = new SpanSignals();
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        try
        {
            var down = new ScriptedConnector("crm", _ => TaskResult.Error("CRM down"));
            await using (var host = await TraceHost.StartAsync(path, down, exported, spans))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/app/contacts/7");
                request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");
                (await host.Client.SendAsync(request, Token)).EnsureSuccessStatusCode();
                await spans.WaitAsync(s => s.TraceId == traceId && Equals(s.GetTagItem(BusTracing.Attempt), 2));
            }

            var up = new ScriptedConnector("crm", _ => TaskResult.Ok);
            await using (await TraceHost.StartAsync(path, up, exported, spans))
            {
                await spans.WaitAsync(s => s.TraceId == traceId && Equals(s.GetTagItem(BusTracing.Result), "Ok"));
            }

            var trace = Snapshot(exported).Where(s => s.TraceId == traceId).ToList();
            var server = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore");
            Assert.Equal(callerSpan, server.ParentSpanId);

            var create = Assert.Single(trace, s => s.Source.Name == IntegrationBusTelemetry.Name && s.Kind == ActivityKind.Producer);
            Assert.Equal("create crm/outgoing", create.DisplayName);
            Assert.Equal(server.SpanId, create.ParentSpanId);
            AssertTag(create, "messaging.system", "integrationbus");
            AssertTag(create, "messaging.operation.type", "create");
            AssertTag(create, "messaging.operation.name", "create");
            AssertTag(create, "messaging.destination.name", "crm/outgoing");
            var taskGuid = Assert.IsType<string>(create.GetTagItem("messaging.message.id"));

            var processes = trace.Where(s => s.Kind == ActivityKind.Consumer).OrderBy(s => (int)s.GetTagItem("integrationbus.task.attempt")!).ToList();
            Assert.True(processes.Count >= 3, $"Expected two failed attempts and a delivery, got {processes.Count} process spans.");
            Assert.All(processes, p =>
            {
                Assert.Equal("process crm/outgoing", p.DisplayName);
                Assert.Equal(create.SpanId, p.ParentSpanId);
                AssertTag(p, "messaging.system", "integrationbus");
                AssertTag(p, "messaging.operation.type", "process");
                AssertTag(p, "messaging.operation.name", "process");
                AssertTag(p, "messaging.destination.name", "crm/outgoing");
                AssertTag(p, "messaging.message.id", taskGuid);
            });
            Assert.Equal(Enumerable.Range(1, processes.Count), processes.Select(p => (int)p.GetTagItem("integrationbus.task.attempt")!));
            foreach (var failed in processes.SkipLast(1))
            {
                AssertTag(failed, "integrationbus.task.result", "Error");
                AssertTag(failed, "error.type", "Error");
                Assert.Equal(ActivityStatusCode.Error, failed.Status);
                Assert.Equal("CRM down", failed.StatusDescription);
            }

            var delivered = processes[^1];
            AssertTag(delivered, "integrationbus.task.result", "Ok");
            Assert.Null(delivered.GetTagItem("error.type"));
            Assert.Equal(ActivityStatusCode.Unset, delivered.Status);

            // The connector's own work (an HttpClient call, say) runs inside the process span's trace.
            Assert.All(down.Calls.Concat(up.Calls), call => Assert.Equal(traceId, call.TraceId));
        }
        finally
        {
            TraceHost.DeleteDatabase(path);
        }
    }

    [Fact]
    public async Task Incoming_TraceparentFromTheExternalSystem_ReachesTheDataHandlersSpan()
    {
        var path = TraceHost.NewPath();
        var exported = new List<Activity>();
        var spans = new SpanSignals();
        var handler = new TraceNotingDataHandler();
        var traceId = ActivityTraceId.CreateRandom();
        var senderSpan = ActivitySpanId.CreateRandom();
        try
        {
            await using (var host = await TraceHost.StartAsync(path, new ScriptedConnector("crm", _ => TaskResult.Ok), exported, spans, handler))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/integration/connectors/crm/incoming")
                {
                    Content = JsonContent.Create(new { taskType = "CreateObject", @object = new { id = 5, email = "ann@example.com" } }),
                };
                request.Headers.Add("X-Api-Key", TraceHost.ApiKey);
                request.Headers.Add("traceparent", $"00-{traceId}-{senderSpan}-01");
                (await host.Client.SendAsync(request, Token)).EnsureSuccessStatusCode();
                await spans.WaitAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Consumer);
            }

            var trace = Snapshot(exported).Where(s => s.TraceId == traceId).ToList();
            var server = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore");
            Assert.Equal(senderSpan, server.ParentSpanId);
            var create = Assert.Single(trace, s => s.Kind == ActivityKind.Producer);
            Assert.Equal("create crm/incoming", create.DisplayName);
            Assert.Equal(server.SpanId, create.ParentSpanId);
            var process = Assert.Single(trace, s => s.Kind == ActivityKind.Consumer);
            Assert.Equal("process crm/incoming", process.DisplayName);
            Assert.Equal(create.SpanId, process.ParentSpanId);
            AssertTag(process, "messaging.destination.name", "crm/incoming");
            AssertTag(process, "integrationbus.task.attempt", 1);
            AssertTag(process, "integrationbus.task.result", "Ok");
            Assert.Equal(traceId, Assert.Single(handler.Applied));
        }
        finally
        {
            TraceHost.DeleteDatabase(path);
        }
    }

    private static void AssertTag(Activity span, string name, object expected) => Assert.Equal(expected, span.GetTagItem(name));

    private static List<Activity> Snapshot(List<Activity> exported)
    {
        lock (exported)
        {
            return [.. exported];
        }
    }
}
