using System.Globalization;
using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>Validates the rules of <see cref="ConnectorOptions"/> that span several properties (the annotations are <see cref="ConnectorOptionsValidator"/>'s).</summary>
internal sealed class ConnectorOptionsRulesValidator : IValidateOptions<ConnectorOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Partitions > 1 && options.Ordering != Ordering.PerObject)
        {
            return ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture,
                $"Connector '{name}': Partitions is {options.Partitions}, which needs Ordering = PerObject (under connector ordering the queue is one sequence and cannot be split); set Ordering to PerObject or Partitions to 1."));
        }

        return ValidateOptionsResult.Success;
    }
}
