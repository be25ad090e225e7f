using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>Validates <see cref="IntegrationBusOptions"/> at start (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class IntegrationBusOptionsValidator : IValidateOptions<IntegrationBusOptions>
{
}
