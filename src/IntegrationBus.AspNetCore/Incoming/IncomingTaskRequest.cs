using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationBus.AspNetCore.Incoming;

/// <summary>The JSON body of <c>POST {prefix}/connectors/{connector}/incoming</c>: one change from an external system.</summary>
/// <remarks>
/// Property names are matched case-insensitively, and so are enum values, which are strings (numbers are refused).
/// Unknown properties are ignored.
/// </remarks>
public sealed record IncomingTaskRequest
{
    /// <summary>Gets the operation, for example <c>CreateObject</c>; required (<c>All</c> is not allowed).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<TaskType>))]
    public required TaskType TaskType { get; init; }

    /// <summary>Gets how much the sender included.</summary>
    /// <value><see cref="DataType.Simple"/> when omitted.</value>
    [JsonConverter(typeof(JsonStringEnumConverter<DataType>))]
    public DataType DataType { get; init; } = DataType.Simple;

    /// <summary>Gets the site the object belongs to.</summary>
    /// <value><see langword="null"/> (a global object) when omitted.</value>
    public string? Site { get; init; }

    /// <summary>Gets what a failure of the task does.</summary>
    /// <value><see cref="IncomingPolicy.Default"/> when omitted.</value>
    [JsonConverter(typeof(JsonStringEnumConverter<IncomingPolicy>))]
    public IncomingPolicy Policy { get; init; } = IncomingPolicy.Default;

    /// <summary>Gets the external object as the connector understands it; required, a JSON object.</summary>
    /// <remarks>Handed to the connector's <c>PrepareInternalObjectAsync</c> as a <see cref="JsonElement"/>.</remarks>
    [JsonPropertyName("object")]
    public required JsonElement ExternalObject { get; init; }
}
