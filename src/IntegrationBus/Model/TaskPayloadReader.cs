using System.Buffers;
using System.Text;
using System.Text.Json;

namespace IntegrationBus;

/// <summary>
/// The fast path of <see cref="TaskPayload.Deserialize"/>: one forward pass of a <see cref="Utf8JsonReader"/> over a
/// well-formed version-1 payload, field names matched against the type's UTF-8 names without allocating.
/// </summary>
/// <remarks>
/// Anything it does not expect (a wrong kind of value, an unknown type or field, <c>fields</c> before <c>type</c>,
/// invalid JSON) makes it give up and return <see langword="null"/>; the caller then reads the payload the thorough way,
/// which gives the precise error or handles the unusual shape. So both paths always agree.
/// </remarks>
internal static class TaskPayloadReader
{
    private static readonly byte[] Version = "v"u8.ToArray();
    private static readonly byte[] ObjectName = "object"u8.ToArray();
    private static readonly byte[] TypeName = "type"u8.ToArray();
    private static readonly byte[] FieldsName = "fields"u8.ToArray();
    private static readonly byte[] RefsName = "refs"u8.ToArray();
    private static readonly byte[] ChildrenName = "children"u8.ToArray();
    private static readonly byte[] BindingsName = "bindings"u8.ToArray();
    private static readonly byte[] IdName = "id"u8.ToArray();
    private static readonly byte[] GuidName = "guid"u8.ToArray();
    private static readonly byte[] CodeNameName = "codeName"u8.ToArray();
    private static readonly byte[] SiteName = "site"u8.ToArray();
    private static readonly byte[] ParentName = "parent"u8.ToArray();

    public static ObjectSnapshot? TryRead(string payload, ObjectTypeRegistry registry, ICollection<(string Type, string Field)>? ignoredFields)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(payload, buffer);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
            var ignored = ignoredFields is null ? null : new List<(string, string)>();
            var snapshot = TryReadRoot(ref reader, registry, ignored);
            if (snapshot is not null && ignored is not null)
            {
                foreach (var entry in ignored)
                {
                    ignoredFields!.Add(entry);
                }
            }

            return snapshot;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            // Not the shape this path reads: the thorough path decides (and says what is wrong).
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ObjectSnapshot? TryReadRoot(ref Utf8JsonReader reader, ObjectTypeRegistry registry, List<(string, string)>? ignored)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var versioned = false;
        ObjectSnapshot? snapshot = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(Version))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version) || version != TaskPayload.Version)
                {
                    return null;
                }

                versioned = true;
            }
            else if (reader.ValueTextEquals(ObjectName))
            {
                reader.Read();
                snapshot = TryReadSnapshot(ref reader, registry, ignored);
                if (snapshot is null)
                {
                    return null;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return versioned && reader.TokenType == JsonTokenType.EndObject && !reader.Read() ? snapshot : null;
    }

    private static ObjectSnapshot? TryReadSnapshot(ref Utf8JsonReader reader, ObjectTypeRegistry registry, List<(string, string)>? ignored)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        BusObject? obj = null;
        Dictionary<string, TranslationRecord>? references = null;
        List<ObjectSnapshot>? children = null;
        List<ObjectSnapshot>? bindings = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(TypeName))
            {
                reader.Read();
                if (obj is not null || reader.TokenType != JsonTokenType.String || !registry.TryGet(reader.GetString()!, out var type))
                {
                    return null;
                }

                obj = new BusObject(type);
            }
            else if (reader.ValueTextEquals(FieldsName))
            {
                reader.Read();
                if (obj is null || !TryReadFields(ref reader, obj, ignored))
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals(RefsName))
            {
                reader.Read();
                if ((references = TryReadReferences(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals(ChildrenName) || reader.ValueTextEquals(BindingsName))
            {
                var isChildren = reader.ValueTextEquals(ChildrenName);
                reader.Read();
                if (TryReadList(ref reader, registry, ignored) is not { } list)
                {
                    return null;
                }

                if (isChildren)
                {
                    children = list;
                }
                else
                {
                    bindings = list;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return obj is null ? null : new ObjectSnapshot(obj, references, children, bindings);
    }

    private static bool TryReadFields(ref Utf8JsonReader reader, BusObject obj, List<(string, string)>? ignored)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var type = obj.Type;
        var names = type.Utf8Fields;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var index = -1;
            for (var i = 0; i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                {
                    index = i;
                    break;
                }
            }

            if (index < 0)
            {
                if (ignored is null)
                {
                    return false;
                }

                ignored.Add((type.Name, reader.GetString()!));
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (!TryReadValue(ref reader, out var value))
            {
                return false;
            }

            obj.SetNormalized(type.Fields[index], value);
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, out object? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                value = null;
                return true;
            case JsonTokenType.String:
                value = reader.GetString();
                return true;
            case JsonTokenType.True:
                value = true;
                return true;
            case JsonTokenType.False:
                value = false;
                return true;
            case JsonTokenType.Number:
                value = reader.TryGetInt64(out var l) ? l : reader.TryGetDecimal(out var m) ? m : reader.GetDouble();
                return true;
            case JsonTokenType.StartArray:
                var items = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryReadValue(ref reader, out var item))
                    {
                        value = null;
                        return false;
                    }

                    items.Add(item);
                }

                value = items.ToArray();
                return true;
            default:
                value = null;
                return false;
        }
    }

    private static Dictionary<string, TranslationRecord>? TryReadReferences(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var references = new Dictionary<string, TranslationRecord>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.GetString()!;
            reader.Read();
            if (TryReadRecord(ref reader) is not { } record)
            {
                return null;
            }

            references[field] = record;
        }

        return references;
    }

    private static TranslationRecord? TryReadRecord(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? type = null;
        long? id = null;
        Guid? guid = null;
        string? codeName = null;
        string? site = null;
        TranslationRecord? parent = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(TypeName))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }

                type = reader.GetString();
            }
            else if (reader.ValueTextEquals(IdName))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
                {
                    return null;
                }

                id = value;
            }
            else if (reader.ValueTextEquals(GuidName))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    guid = null;
                }
                else if (reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var value))
                {
                    guid = value;
                }
                else
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals(CodeNameName) || reader.ValueTextEquals(SiteName))
            {
                var isCodeName = reader.ValueTextEquals(CodeNameName);
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return null;
                }

                var text = reader.GetString();
                if (isCodeName)
                {
                    codeName = text;
                }
                else
                {
                    site = text;
                }
            }
            else if (reader.ValueTextEquals(ParentName))
            {
                reader.Read();
                if ((parent = TryReadRecord(ref reader)) is null)
                {
                    return null;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return type is null || id is not { } recordId ? null : new TranslationRecord(type, recordId, guid, codeName, site, parent);
    }

    private static List<ObjectSnapshot>? TryReadList(ref Utf8JsonReader reader, ObjectTypeRegistry registry, List<(string, string)>? ignored)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var items = new List<ObjectSnapshot>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (TryReadSnapshot(ref reader, registry, ignored) is not { } item)
            {
                return null;
            }

            items.Add(item);
        }

        return items;
    }
}
