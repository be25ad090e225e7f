using IntegrationBus.Diagnostics;
using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IntegrationBus.Tests.Hosting;

/// <summary>An external writer on the application's store (<see cref="IntegrationBusOptions.ProducerOnly"/>).</summary>
public sealed class ProducerOnlyTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProducerOnly_QueuesIncomingTasksAndRunsNoQueue_AnApplicationNodeStartedLaterAppliesThemInOrder()
    {
        var producerData = new InMemoryDataHandler();
        await using var producer = await TestBus.StartAsync(
            [new CrmInboundConnector("crm")],
            b =>
            {
                b.Configure(o => o.ProducerOnly = true);
                b.Services.AddSingleton<IInternalDataHandler>(producerData);
            },
            start: false);
        var producerOnly = producer.Signals.NextAsync(EventIds.ProducerOnly, s => Equals(s.GetValueOrDefault("ConnectorCount"), 1));
        foreach (var hosted in producer.Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(Token);
        }

        await producerOnly;
        foreach (var email in new[] { "a@example.com", "b@example.com", "c@example.com" })
        {
            var result = await producer.Bus.ProcessExternalTaskAsync("crm", new CrmContact(Guid.NewGuid(), email, null), TaskType.CreateObject, DataType.Simple, "main", cancellationToken: Token);
            Assert.Equal(ExternalTaskStatus.Queued, result.Status);
        }

        // The loops started with the producer-only event: no runner among them, so nothing was applied.
        Assert.DoesNotContain(producer.Signals.Seen, e => e.EventId == EventIds.RunnerStarted);
        Assert.Empty(producerData.Applied);
        Assert.Equal(3, (await producer.ListAsync("crm", TaskDirection.Incoming)).Count);
        await producer.StopHostAsync();

        var data = new InMemoryDataHandler();
        await using var application = await TestBus.StartAsync([new CrmInboundConnector("crm")], b => b.Services.AddSingleton<IInternalDataHandler>(data), path: producer.Path);
        await data.WaitForAppliedAsync(3);

        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], data.Applied.Select(t => t.Object.GetString("Email")));
        Assert.Empty(await application.ListAsync("crm", TaskDirection.Incoming));
    }
}
