using Microsoft.Extensions.Options;

namespace IntegrationBus.Webhooks;

/// <summary>Checks the data annotations of <see cref="WebhookConnectorOptions"/> and its subscriptions (generated).</summary>
[OptionsValidator]
internal sealed partial class WebhookConnectorOptionsAnnotations : IValidateOptions<WebhookConnectorOptions>
{
}
