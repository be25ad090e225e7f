using IntegrationBus.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.Tests.Outgoing;

public sealed class SnapshotBuilderTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LogChangeAsync_SimpleSnapshot_CarriesTranslationRecordForEveryForeignKey()
    {
        var crm = new RecordingConnector("crm", s => s.Objects("crm.contact", SubscriptionMode.AsyncSimpleSnapshot));
        var data = new InMemoryDataSource();
        var user = SampleTypes.NewUser(42, "ann");
        data.Add(user);
        await using var bus = await TestBus.StartAsync([crm], b => b.Services.AddSingleton<IObjectDataSource>(data));

        await using (var scope = bus.Bus.BeginScope())
        {
            await scope.LogChangeAsync(SampleTypes.NewContact(1, userId: 42), TaskType.CreateObject, Token);
            await scope.LogChangeAsync(SampleTypes.NewContact(2, userId: 42), TaskType.CreateObject, Token);
            await scope.CompleteAsync(Token);
        }

        await crm.WaitForCallsAsync(2);
        var record = crm.Calls[0].Snapshot.References["UserID"];
        Assert.Equal(new TranslationRecord("cms.user", 42, user.Guid, "ann"), record);
        Assert.Equal(DataType.SimpleSnapshot, crm.Calls[0].DataType);
        Assert.Equal(1, data.Calls);
    }

    [Fact]
    public async Task LogChangeAsync_Snapshot_CarriesChildrenAndBindingsWithTheirRecords()
    {
        var crm = new RecordingConnector("crm", s => s.Objects("polls.poll", SubscriptionMode.AsyncSnapshot));
        var data = new InMemoryDataSource();
        var owner = SampleTypes.NewUser(7, "owner");
        var role = SampleTypes.Create(SampleTypes.Role, ("RoleID", 3), ("RoleGuid", Guid.NewGuid()), ("RoleName", "editors"), ("SiteName", "main"));
        data.Add(
            owner,
            role,
            SampleTypes.Create(SampleTypes.Answer, ("AnswerID", 1), ("AnswerGuid", Guid.NewGuid()), ("PollID", 5), ("Text", "Yes")),
            SampleTypes.Create(SampleTypes.Answer, ("AnswerID", 2), ("AnswerGuid", Guid.NewGuid()), ("PollID", 5), ("Text", "No")),
            SampleTypes.Create(SampleTypes.Answer, ("AnswerID", 3), ("AnswerGuid", Guid.NewGuid()), ("PollID", 6), ("Text", "Other poll")),
            SampleTypes.Create(SampleTypes.PollRole, ("PollRoleID", 9), ("PollID", 5), ("RoleID", 3)));
        await using var bus = await TestBus.StartAsync([crm], b => b.Services.AddSingleton<IObjectDataSource>(data));

        await bus.Bus.LogChangeAsync(SampleTypes.NewPoll(5, ownerId: 7), TaskType.UpdateObject, Token);

        await crm.WaitForCallsAsync(1);
        var snapshot = crm.Calls[0].Snapshot;
        Assert.Equal(DataType.Snapshot, crm.Calls[0].DataType);
        Assert.Equal(["Yes", "No"], snapshot.Children.Select(c => c.Object.GetString("Text")));
        var binding = Assert.Single(snapshot.Bindings);
        Assert.Equal(new TranslationRecord("cms.role", 3, role.Guid, "editors", "main"), binding.References["RoleID"]);
        Assert.Equal("owner", snapshot.References["OwnerUserID"].CodeName);
    }

    [Fact]
    public async Task ProcessOutgoing_RequiredKeyNotTranslatable_FailsTaskNamingTypeFieldAndValue()
    {
        var crm = new RecordingConnector("crm", s => s.Objects("crm.contact", SubscriptionMode.AsyncSimpleSnapshot)) { Translate = true };
        var data = new InMemoryDataSource();
        data.Add(SampleTypes.NewUser(42, "ann"));
        await using var bus = await TestBus.StartAsync([crm], b => b.Services.AddSingleton<IObjectDataSource>(data));

        var waiting = bus.NextRunnerWaitAsync("crm");
        await bus.Bus.LogChangeAsync(SampleTypes.NewContact(1, userId: 42), TaskType.CreateObject, Token);
        await waiting;

        var failed = Assert.Single(await bus.ListAsync("crm"));
        Assert.Contains("'crm.contact.UserID' = 42", failed.LastError, StringComparison.Ordinal);
        Assert.Contains("cms.user", failed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessOutgoing_RequiredKeyTranslated_ConnectorSeesExternalId()
    {
        var crm = new RecordingConnector("crm", s => s.Objects("crm.contact", SubscriptionMode.AsyncSimpleSnapshot))
        {
            Translate = true,
            ExternalIds = record => record.CodeName == "ann" ? ExternalId.FromString("CRM-ANN") : (ExternalId?)null,
        };
        var data = new InMemoryDataSource();
        data.Add(SampleTypes.NewUser(42, "ann"));
        await using var bus = await TestBus.StartAsync([crm], b => b.Services.AddSingleton<IObjectDataSource>(data));

        await bus.Bus.LogChangeAsync(SampleTypes.NewContact(1, userId: 42), TaskType.CreateObject, Token);

        await crm.WaitForCallsAsync(1);
        Assert.Equal("CRM-ANN", crm.Calls[0].Object["UserID"]);
    }
}
