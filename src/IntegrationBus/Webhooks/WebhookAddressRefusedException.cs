namespace IntegrationBus.Webhooks;

/// <summary>A webhook's host resolved to an address the connector refuses (see <see cref="WebhookAddressPolicy"/>), or to none.</summary>
internal sealed class WebhookAddressRefusedException : IntegrationBusException
{
    public WebhookAddressRefusedException()
    {
    }

    public WebhookAddressRefusedException(string message)
        : base(message)
    {
    }

    public WebhookAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
