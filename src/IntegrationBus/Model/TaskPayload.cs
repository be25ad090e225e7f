using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationBus;

/// <summary>Writes and reads task payloads: versioned JSON (<c>"v": 1</c>), never a .NET type dump.</summary>
/// <remarks>
/// <code>
/// {"v":1,"dataType":"SimpleSnapshot","object":{"type":"polls.answer","fields":{...},
///  "refs":{"PollID":{"type":"polls.poll","id":5,"guid":"...","codeName":"...","site":"...","parent":{...}}},
///  "children":[...],"bindings":[...]}}
/// </code>
/// </remarks>
internal static class TaskPayload
{
    public const int Version = 1;

    // A buffer larger than this after a payload is dropped, so one huge snapshot does not stay allocated on its thread.
    private const int KeptBufferBytes = 64 * 1024;

    // Property names the writer would otherwise check for escaping and transcode on every payload.
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText DataTypeName = JsonEncodedText.Encode("dataType");
    private static readonly JsonEncodedText ObjectName = JsonEncodedText.Encode("object");
    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText FieldsName = JsonEncodedText.Encode("fields");
    private static readonly JsonEncodedText SimpleValue = JsonEncodedText.Encode(nameof(DataType.Simple));
    private static readonly JsonEncodedText SimpleSnapshotValue = JsonEncodedText.Encode(nameof(DataType.SimpleSnapshot));
    private static readonly JsonEncodedText SnapshotValue = JsonEncodedText.Encode(nameof(DataType.Snapshot));

    // The payload's shape is fixed by the code below, so the writer need not check it token by token.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    // A thread's buffer and writer, reused from payload to payload: a unit of work serializes one payload per task.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? _cached;

    public static string Serialize(ObjectSnapshot snapshot, DataType dataType)
    {
        // Taken off the thread while in use, so a payload written from inside another (no such path today) gets its own.
        var (buffer, writer) = _cached ?? (new ArrayBufferWriter<byte>(512), new Utf8JsonWriter(Stream.Null, WriterOptions));
        _cached = null;
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, snapshot, dataType);
        writer.Flush();
        var payload = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity <= KeptBufferBytes)
        {
            writer.Reset(Stream.Null);
            _cached = (buffer, writer);
        }

        return payload;
    }

    /// <summary>Writes a payload as one JSON value into a larger document (the webhook envelope's <c>payload</c>).</summary>
    /// <param name="writer">The writer, positioned where a value goes.</param>
    /// <param name="snapshot">The object.</param>
    /// <param name="dataType">The data type.</param>
    public static void Write(Utf8JsonWriter writer, ObjectSnapshot snapshot, DataType dataType)
    {
        writer.WriteStartObject();
        writer.WriteNumber(VersionName, Version);
        switch (dataType)
        {
            case DataType.Simple: writer.WriteString(DataTypeName, SimpleValue); break;
            case DataType.SimpleSnapshot: writer.WriteString(DataTypeName, SimpleSnapshotValue); break;
            case DataType.Snapshot: writer.WriteString(DataTypeName, SnapshotValue); break;
            default: writer.WriteString(DataTypeName, dataType.ToString()); break;
        }

        writer.WritePropertyName(ObjectName);
        WriteSnapshot(writer, snapshot);
        writer.WriteEndObject();
    }

    /// <summary>Reads a payload back into objects of the registered types.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="registry">The registered types.</param>
    /// <param name="ignoredFields">
    /// Receives the type and field name of each field the registered type no longer declares (a column dropped by a
    /// deploy); such a field is left out. Without it, an unknown field is a <see cref="TaskPayloadException"/>.
    /// </param>
    /// <returns>The snapshot.</returns>
    public static ObjectSnapshot Deserialize(string payload, ObjectTypeRegistry registry, ICollection<(string Type, string Field)>? ignoredFields = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (TaskPayloadReader.TryRead(payload, registry, ignoredFields) is { } fast)
        {
            return fast;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException exception)
        {
            throw new TaskPayloadException($"The task payload is not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("v", out var version)
                || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var versionNumber)
                || versionNumber != Version)
            {
                throw new TaskPayloadException($"The task payload has no supported version: expected \"v\": {Version}.");
            }

            if (!root.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
            {
                throw new TaskPayloadException("The task payload has no \"object\".");
            }

            try
            {
                return ReadSnapshot(obj, registry, ignoredFields);
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException)
            {
                // A JSON value of the wrong kind somewhere in the tree (an object where an array belongs, say).
                throw new TaskPayloadException($"The task payload does not have the version-1 shape: {exception.Message}", exception);
            }
        }
    }

    private static void WriteSnapshot(Utf8JsonWriter writer, ObjectSnapshot snapshot)
    {
        writer.WriteStartObject();
        writer.WriteString(TypeName, snapshot.Object.TypeName);
        writer.WritePropertyName(FieldsName);
        writer.WriteStartObject();
        foreach (var (field, value) in snapshot.Object.Fields)
        {
            writer.WritePropertyName(field);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
        if (snapshot.References.Count > 0)
        {
            writer.WritePropertyName("refs");
            writer.WriteStartObject();
            foreach (var (field, record) in snapshot.References)
            {
                writer.WritePropertyName(field);
                WriteRecord(writer, record);
            }

            writer.WriteEndObject();
        }

        WriteList(writer, "children", snapshot.Children);
        WriteList(writer, "bindings", snapshot.Bindings);
        writer.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<ObjectSnapshot> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            WriteSnapshot(writer, item);
        }

        writer.WriteEndArray();
    }

    private static void WriteRecord(Utf8JsonWriter writer, TranslationRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("type", record.ObjectType);
        writer.WriteNumber("id", record.Id);
        if (record.Guid is { } guid)
        {
            writer.WriteString("guid", guid);
        }

        if (record.CodeName is not null)
        {
            writer.WriteString("codeName", record.CodeName);
        }

        if (record.Site is not null)
        {
            writer.WriteString("site", record.Site);
        }

        if (record.Parent is not null)
        {
            writer.WritePropertyName("parent");
            WriteRecord(writer, record.Parent);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case Guid g: writer.WriteStringValue(g); break;
            case DateTime dt: writer.WriteStringValue(dt); break;
            case DateTimeOffset dto: writer.WriteStringValue(dto); break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static ObjectSnapshot ReadSnapshot(JsonElement element, ObjectTypeRegistry registry, ICollection<(string Type, string Field)>? unknownField)
    {
        var typeName = element.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
            ? typeElement.GetString()!
            : throw new TaskPayloadException("A task payload object has no \"type\".");
        if (!registry.TryGet(typeName, out var type))
        {
            throw new TaskPayloadException($"The task payload names object type '{typeName}', which is not registered.");
        }

        var obj = new BusObject(type);
        if (element.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                if (!type.HasField(field.Name))
                {
                    if (unknownField is not null)
                    {
                        unknownField.Add((typeName, field.Name));
                        continue;
                    }

                    throw new TaskPayloadException($"The task payload has field '{field.Name}', which object type '{typeName}' does not declare.");
                }

                obj.SetNormalized(field.Name, ReadValue(field.Value, typeName, field.Name));
            }
        }

        Dictionary<string, TranslationRecord>? references = null;
        if (element.TryGetProperty("refs", out var refs) && refs.ValueKind == JsonValueKind.Object)
        {
            references = new Dictionary<string, TranslationRecord>(StringComparer.Ordinal);
            foreach (var reference in refs.EnumerateObject())
            {
                references[reference.Name] = ReadRecord(reference.Value);
            }
        }

        return new ObjectSnapshot(obj, references, ReadList(element, "children", registry, unknownField), ReadList(element, "bindings", registry, unknownField));
    }

    private static List<ObjectSnapshot>? ReadList(JsonElement element, string name, ObjectTypeRegistry registry, ICollection<(string Type, string Field)>? unknownField)
    {
        if (!element.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var items = new List<ObjectSnapshot>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            items.Add(ReadSnapshot(item, registry, unknownField));
        }

        return items;
    }

    private static TranslationRecord ReadRecord(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt64(out var idValue))
        {
            throw new TaskPayloadException("A translation record in the task payload has no string \"type\" or integer \"id\".");
        }

        return new TranslationRecord(
            type.GetString()!,
            idValue,
            element.TryGetProperty("guid", out var guid) && guid.ValueKind != JsonValueKind.Null ? ReadGuid(guid) : null,
            element.TryGetProperty("codeName", out var codeName) ? ReadString(codeName, "codeName") : null,
            element.TryGetProperty("site", out var site) ? ReadString(site, "site") : null,
            element.TryGetProperty("parent", out var parent) ? ReadRecord(parent) : null);
    }

    private static Guid ReadGuid(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.TryGetGuid(out var guid)
            ? guid
            : throw new TaskPayloadException($"A translation record's \"guid\" is not a GUID: {value.GetRawText()}.");

    private static string? ReadString(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new TaskPayloadException($"A translation record's \"{name}\" is not a string: {value.GetRawText()}."),
    };

    private static object? ReadValue(JsonElement value, string typeName, string field) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.TryGetInt64(out var l) => l,
        JsonValueKind.Number when value.TryGetDecimal(out var m) => m,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Select(item => ReadValue(item, typeName, field)).ToArray(),
        _ => throw new TaskPayloadException(
            $"Field '{field}' of object type '{typeName}' in the task payload holds a JSON {value.ValueKind}, which is not a field value."),
    };
}
