using System.Globalization;
using System.Text.Json;
using IntegrationBus.Storage;

namespace IntegrationBus;

/// <summary>One connector's view of the store's ID map, behind the default translation members of <see cref="Connector"/>.</summary>
/// <remarks>The store is resolved on first use, so that creating the connector registry does not create the store.</remarks>
internal sealed class ConnectorIdMap(Func<TaskStore> store, string connector, ObjectTypeRegistry types)
{
    /// <summary>Finds the external ID of the object a translation record describes (by its GUID).</summary>
    public async ValueTask<ExternalId?> FindExternalIdAsync(TranslationRecord reference, CancellationToken cancellationToken)
    {
        if (reference.Guid is not { } guid)
        {
            return null;
        }

        var found = await store().IdMap.FindByObjectsAsync(connector, [new IdMapKey(TypeName(reference.ObjectType), guid)], cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? (ExternalId?)found[0].ExternalId : null;
    }

    /// <summary>Describes the internal object an external foreign key holds the external ID of, from the map.</summary>
    public async ValueTask<TranslationRecord?> FindInternalAsync(ExternalReference reference, CancellationToken cancellationToken)
    {
        if (Text(reference.ExternalId) is not { Length: > 0 } text)
        {
            return null;
        }

        var type = reference.ReferencedType.Name;
        var found = await store().IdMap.FindByExternalIdsAsync(connector, type, [text], cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? new TranslationRecord(type, found[0].ObjectId ?? 0, found[0].ObjectGuid) : null;
    }

    /// <summary>The text an external ID is stored as (<see cref="ExternalId.ToString"/>), from whatever an incoming object holds.</summary>
    internal static string? Text(object? value) => value switch
    {
        null => null,
        ExternalId id => id.ToString(),
        string s => s,
        Guid g => g.ToString("D"),
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        JsonElement => null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private string TypeName(string name) => types.TryGet(name, out var type) ? type.Name : name;
}
