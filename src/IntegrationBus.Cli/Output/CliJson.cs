using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationBus.Cli.Output;

/// <summary>The JSON the tool reads and writes: the management API's (web defaults, camelCase, enums as strings).</summary>
internal static class CliJson
{
    /// <summary>Gets the options for reading answers and writing request bodies.</summary>
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>Gets the options for <c>--json</c> output.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
