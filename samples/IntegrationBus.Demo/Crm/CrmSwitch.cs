namespace IntegrationBus.Demo.Crm;

/// <summary>Whether the CRM answers: when down, every data request gets 503.</summary>
public sealed class CrmSwitch
{
    private volatile bool _down;

    public bool IsDown
    {
        get => _down;
        set => _down = value;
    }
}
