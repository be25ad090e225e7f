namespace IntegrationBus;

/// <summary>The defaults of <see cref="BusSettings"/> that are not plain switches.</summary>
internal static class BusSettingsDefaults
{
    public static readonly TimeSpan HistoryRetention = TimeSpan.FromDays(7);
    public static readonly TimeSpan AttemptLogRetention = TimeSpan.FromDays(30);
    public static readonly TimeSpan AuditRetention = TimeSpan.FromDays(90);
}
