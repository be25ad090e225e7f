namespace IntegrationBus.Demo;

/// <summary>The connector names of the demo.</summary>
public static class DemoConnectors
{
    public const string CrmUsers = "crm-users";
    public const string CrmPolls = "crm-polls";
    public const string Search = "search";
    public const string CrmIncoming = "crm";
    public const string Audit = "audit";

    public static readonly string[] All = [CrmUsers, CrmPolls, Search, CrmIncoming, Audit];
}
