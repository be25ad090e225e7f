using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>
/// The JSON conventions of the management API: web defaults (camelCase), enums as strings (any case when read, no
/// numbers), <see cref="TimeSpan"/> as the "c" string, <see cref="DateTimeOffset"/> ISO 8601. Kept apart from the
/// application's own JSON options, which it may have set differently.
/// </summary>
internal static class ManagementJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
