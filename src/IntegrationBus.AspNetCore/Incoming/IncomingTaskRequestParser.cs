using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>Reads an <see cref="IncomingTaskRequest"/> from a raw body, with messages that name the bad value and the fix.</summary>
/// <remarks>
/// The body must be UTF-8 text (checked byte by byte: System.Text.Json does not check the bytes inside strings) whose
/// strings and property names are Unicode (an escaped lone surrogate such as <c>\ud800</c> is refused). A leading UTF-8
/// byte order mark is ignored (RFC 8259 §8.1 allows a parser to).
/// </remarks>
internal static class IncomingTaskRequestParser
{
    private const int MaxDepth = 64;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static IncomingTaskRequest? Parse(ReadOnlyMemory<byte> body, out string? error)
    {
        error = null;
        if (body.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
        }

        if (CheckText(body.Span) is { } textError)
        {
            error = textError;
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            error = Malformed(exception);
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"The body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; send one JSON object with taskType and object.";
                return null;
            }

            JsonElement? taskType = null, dataType = null, site = null, policy = null, obj = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name.ToLowerInvariant())
                {
                    case "tasktype": taskType = property.Value; break;
                    case "datatype": dataType = property.Value; break;
                    case "site": site = property.Value; break;
                    case "policy": policy = property.Value; break;
                    case "object": obj = property.Value; break;
                    default: break;
                }
            }

            if (taskType is null || taskType.Value.ValueKind == JsonValueKind.Null)
            {
                error = $"The body has no 'taskType'; use one of {Names<TaskType>(exceptAll: true)}.";
                return null;
            }

            if (obj is null || obj.Value.ValueKind != JsonValueKind.Object)
            {
                error = obj is null || obj.Value.ValueKind == JsonValueKind.Null
                    ? "The body has no 'object'; put the external object in it as a JSON object."
                    : $"'object' is a JSON {obj.Value.ValueKind.ToString().ToLowerInvariant()}; it must be a JSON object.";
                return null;
            }

            if (site is { ValueKind: not JsonValueKind.Null } && (site.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(site.Value.GetString())))
            {
                error = $"'site' is {site.Value.GetRawText()}; send a site name as a non-empty string, or omit it for a global object.";
                return null;
            }

            if (!TryEnum("taskType", taskType.Value, exceptAll: true, out TaskType parsedTaskType, ref error)
                | !TryEnum("dataType", dataType, exceptAll: false, out DataType parsedDataType, ref error, DataType.Simple)
                | !TryEnum("policy", policy, exceptAll: false, out IncomingPolicy parsedPolicy, ref error, IncomingPolicy.Default))
            {
                return null;
            }

            return new IncomingTaskRequest
            {
                TaskType = parsedTaskType,
                DataType = parsedDataType,
                Site = site is { ValueKind: JsonValueKind.String } ? site.Value.GetString() : null,
                Policy = parsedPolicy,
                ExternalObject = obj.Value.Clone(),
            };
        }
    }

    /// <summary>Checks that the body is UTF-8 and that every string and property name unescapes to Unicode text.</summary>
    /// <returns>The error, or <see langword="null"/> when the text is sound (or not JSON at all, which the parse reports).</returns>
    private static string? CheckText(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
        {
            var offset = 0;
            while (Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) == OperationStatus.Done)
            {
                offset += consumed;
            }

            return string.Create(CultureInfo.InvariantCulture, $"The body is not valid UTF-8 (byte {offset} is 0x{body[offset]:X2}, which cannot start or continue a character there); send the JSON encoded as UTF-8.");
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && reader.ValueIsEscaped)
                {
                    try
                    {
                        _ = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        var what = reader.TokenType == JsonTokenType.PropertyName ? "property name" : "string";
                        return string.Create(CultureInfo.InvariantCulture,
                            $"The {what} at byte {reader.TokenStartIndex} escapes an unpaired UTF-16 surrogate (such as \\ud800), which is no Unicode character; escape a character as a surrogate pair or send it as UTF-8.");
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: the parse that follows reports it.
        }

        return null;
    }

    private static string Malformed(JsonException exception) =>
        $"The body is not valid JSON ({exception.Message}); send one JSON object with taskType and object.";

    private static bool TryEnum<T>(string name, JsonElement? element, bool exceptAll, out T value, ref string? error, T fallback = default)
        where T : struct, Enum
    {
        value = fallback;
        if (element is null || element.Value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var text = element.Value.ValueKind == JsonValueKind.String ? element.Value.GetString() : null;
        var match = text is null ? null : Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (match is null || (exceptAll && match == nameof(TaskType.All)))
        {
            error ??= $"'{name}' is {element.Value.GetRawText()}, which is not a known {name}; use one of {Names<T>(exceptAll)} (a string, any case).";
            return false;
        }

        value = Enum.Parse<T>(match);
        return true;
    }

    private static string Names<T>(bool exceptAll)
        where T : struct, Enum =>
        string.Join(", ", Enum.GetNames<T>().Where(n => !exceptAll || n != nameof(TaskType.All)));
}
