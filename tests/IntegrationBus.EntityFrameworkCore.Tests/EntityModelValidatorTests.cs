using System.Text.Json;
using IntegrationBus.EntityFrameworkCore.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore.Tests;

/// <summary>Incoming objects are checked against the EF model before they are queued; what could not be applied is refused.</summary>
public sealed class EntityModelValidatorTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Invalid => new()
    {
        { """{ "Name": "Ann", "CrmVersion": 2147483648 }""", "CrmVersion", "fits Int32 (-2147483648 to 2147483647)" },
        { """{ "Name": "Ann", "CrmVersion": "seven" }""", "CrmVersion", "whole number" },
        { """{ "Name": "Ann", "CrmVersion": 1.5 }""", "CrmVersion", "whole number" },
        { """{ "Name": "Ann", "CrmVersion": null }""", "CrmVersion", "required" },
        { """{ "Name": null }""", "Name", "required" },
        { """{ "CrmVersion": 1 }""", "Name", "required" },
        { """{ "Name": "Ann", "Email": "a-very-long-address@example.com" }""", "Email", "maximum length is 20" },
        { """{ "Name": "Ann", "Balance": "lots" }""", "Balance", "convert to Decimal" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task ProcessExternalTaskAsync_ObjectBreaksTheEfModel_RefusedNamingFieldValueAndRuleAndQueuesNothing(string json, string field, string rule)
    {
        await using var bus = await StartAsync();

        var result = await bus.Bus.ProcessExternalTaskAsync("crm", JsonDocument.Parse(json).RootElement.Clone(), TaskType.CreateObject, DataType.Simple, null, cancellationToken: Token);

        Assert.Equal(ExternalTaskStatus.InvalidObject, result.Status);
        var violation = Assert.IsType<ObjectViolation>(result.Violation);
        Assert.Equal(("crm.contact", field), (violation.ObjectType, violation.Field));
        Assert.Contains(rule, violation.Rule, StringComparison.Ordinal);
        Assert.Contains($"'crm.contact.{field}'", result.Message, StringComparison.Ordinal);
        Assert.Empty(await bus.QueueAsync("crm"));
    }

    [Fact]
    public async Task ProcessExternalTaskAsync_OutOfRangeInt_MessageNamesTheValue()
    {
        await using var bus = await StartAsync();

        var result = await bus.Bus.ProcessExternalTaskAsync("crm", Json("""{ "Name": "Ann", "CrmVersion": 2147483648 }"""), TaskType.UpdateObject, DataType.Simple, null, cancellationToken: Token);

        Assert.Equal(2147483648L, result.Violation?.Value);
        Assert.Contains("= 2147483648", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessExternalTaskAsync_UpdateWithoutRequiredField_IsQueuedAndApplied()
    {
        await using var bus = await StartAsync();
        var guid = Guid.NewGuid();
        await using (bus.Scope(out var db))
        {
            db.Contacts.Add(new Contact { ContactGuid = guid, Name = "Ann" });
            await db.SaveChangesAsync(Token);
        }

        var idle = bus.NextIncomingIdleAsync("crm");
        var result = await bus.Bus.ProcessExternalTaskAsync("crm", Json($$"""{ "ContactGuid": "{{guid}}", "CrmVersion": 2147483647, "Email": "ann@example.com" }"""), TaskType.UpdateObject, DataType.Simple, null, cancellationToken: Token);
        await idle;

        Assert.Equal(ExternalTaskStatus.Queued, result.Status);
        await using (bus.Scope(out var db))
        {
            var contact = await db.Contacts.SingleAsync(Token);
            Assert.Equal(("Ann", 2147483647, "ann@example.com"), (contact.Name, contact.CrmVersion, contact.Email));
        }
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static async Task<EfBus> StartAsync()
    {
        var crm = new CrmContacts();
        var bus = await EfBus.StartAsync([crm], ef => ef.Object<Contact>("crm.contact"));
        crm.Types = bus.Bus.Types;
        return bus;
    }

    /// <summary>Copies every JSON property to the field of the same name, as the external system sent it.</summary>
    private sealed class CrmContacts() : Connector("crm")
    {
        public ObjectTypeRegistry? Types { get; set; }

        protected override void Subscribe(SubscriptionBuilder subscriptions)
        {
        }

        protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
        {
            var contact = Types!.Create("crm.contact");
            foreach (var property in ((JsonElement)externalObject).EnumerateObject())
            {
                contact[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Number when property.Value.TryGetInt64(out var whole) => whole,
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.String => property.Value.GetString(),
                    _ => null,
                };
            }

            return ValueTask.FromResult(InternalObjectResult.Accept(contact));
        }

        protected override Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken) =>
            Task.FromResult(TaskResult.SkipNow("kept for inspection"));
    }
}
