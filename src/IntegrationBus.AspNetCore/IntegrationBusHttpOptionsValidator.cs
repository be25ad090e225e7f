using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore;

/// <summary>Validates <see cref="IntegrationBusHttpOptions"/> at start (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class IntegrationBusHttpOptionsValidator : IValidateOptions<IntegrationBusHttpOptions>
{
}
