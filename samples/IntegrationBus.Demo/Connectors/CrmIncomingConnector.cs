using System.Text.Json;

namespace IntegrationBus.Demo.Connectors;

/// <summary>
/// CRM contacts → users, incoming over the HTTP service (<c>POST /integration/connectors/crm/incoming</c>, X-Api-Key).
/// The contact's CRM segment ID is turned into a translation record for the role, which the EF Core data handler
/// resolves to the internal role ID.
/// </summary>
public sealed class CrmIncomingConnector(CrmClient crm, ObjectTypeRegistry types) : Connector(DemoConnectors.CrmIncoming)
{
    public override string DisplayName => "CRM contacts (to users)";

    protected override void Subscribe(SubscriptionBuilder subscriptions)
    {
        // Incoming only: no outgoing subscriptions.
    }

    protected override ValueTask<InternalObjectResult> PrepareInternalObjectAsync(object externalObject, TaskType taskType, DataType dataType, CancellationToken cancellationToken)
    {
        if (externalObject is not JsonElement { ValueKind: JsonValueKind.Object } contact
            || !contact.TryGetProperty("guid", out var guid) || !guid.TryGetGuid(out var userGuid))
        {
            return ValueTask.FromResult(InternalObjectResult.Reject("A contact needs a 'guid' (the user's GUID)."));
        }

        var user = types.Create("demo.user");
        user["UserGuid"] = userGuid;
        Copy(contact, "email", user, "Email");
        Copy(contact, "fullName", user, "FullName");
        if (contact.TryGetProperty("crmVersion", out var version) && version.TryGetInt64(out var crmVersion))
        {
            user["CrmVersion"] = crmVersion;
        }

        if (contact.TryGetProperty("segmentId", out var segment))
        {
            user["RoleId"] = segment.ValueKind == JsonValueKind.Number ? segment.GetInt64() : null;   // an external ID until translated
        }

        return ValueTask.FromResult(InternalObjectResult.Accept(user));
    }

    protected override async ValueTask<TranslationRecord?> GetInternalObjectParamsAsync(ExternalReference reference, CancellationToken cancellationToken) =>
        reference.ReferencedType.Name == "demo.role" && await crm.FindSegmentCodeAsync(Convert.ToInt64(reference.ExternalId, System.Globalization.CultureInfo.InvariantCulture), cancellationToken) is { } code
            ? new TranslationRecord("demo.role", 0, CodeName: code)
            : null;

    private static void Copy(JsonElement from, string property, BusObject to, string field)
    {
        if (from.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String)
        {
            to[field] = value.GetString();
        }
    }
}
