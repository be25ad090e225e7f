using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>Validates <see cref="ConnectorOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ConnectorOptionsValidator : IValidateOptions<ConnectorOptions>
{
}
