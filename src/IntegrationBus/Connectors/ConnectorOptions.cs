using System.ComponentModel.DataAnnotations;

namespace IntegrationBus.Connectors;

/// <summary>Per-connector options, named after the connector's type (see <c>AddConnector&lt;T&gt;</c>).</summary>
public sealed class ConnectorOptions
{
    /// <summary>Gets or sets how many failed attempts park a task as failed, so one poison task cannot block the queue forever.</summary>
    /// <value><see langword="null"/>: never park; tasks are retried until they succeed or an operator acts.</value>
    [Range(1, 1_000_000)]
    public int? MaxAttempts { get; set; }
}
