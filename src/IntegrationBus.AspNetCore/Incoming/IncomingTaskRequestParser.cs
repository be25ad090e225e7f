using System.Text.Json;

namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>Reads an <see cref="IncomingTaskRequest"/> from a raw body, with messages that name the bad value and the fix.</summary>
internal static class IncomingTaskRequestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static IncomingTaskRequest? Parse(ReadOnlyMemory<byte> body, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            error = $"The body is not valid JSON ({exception.Message}); send one JSON object with taskType and object.";
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
