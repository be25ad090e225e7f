using System.Globalization;

namespace IntegrationBus;

/// <summary>The run-time switches of the bus, stored in the database and changeable while it runs (on every node).</summary>
/// <param name="Enabled">Whether the bus logs and processes anything at all.</param>
/// <param name="LogOutgoing">Whether application changes are matched and logged (sync connectors included).</param>
/// <param name="ProcessOutgoing">Whether outgoing queues are processed.</param>
/// <param name="LogIncoming">Whether changes from external systems are accepted.</param>
/// <param name="ProcessIncoming">Whether incoming queues are processed.</param>
public sealed record BusSettings(
    bool Enabled = true,
    bool LogOutgoing = true,
    bool ProcessOutgoing = true,
    bool LogIncoming = true,
    bool ProcessIncoming = true)
{
    internal const string EnabledKey = "bus.enabled";
    internal const string LogOutgoingKey = "outgoing.log";
    internal const string ProcessOutgoingKey = "outgoing.process";
    internal const string LogIncomingKey = "incoming.log";
    internal const string ProcessIncomingKey = "incoming.process";
    internal const string HistoryEnabledKey = "history.enabled";
    internal const string HistoryRetentionKey = "retention.history";
    internal const string AttemptRetentionKey = "retention.attempts";
    internal const string FailedRetentionKey = "retention.failed";
    internal const string AuditRetentionKey = "retention.audit";
    private const string Off = "off";

    /// <summary>Gets the settings of a new installation: everything on, the history off, the default retention.</summary>
    public static BusSettings Default { get; } = new();

    /// <summary>Gets a value indicating whether outgoing changes are logged now.</summary>
    public bool ShouldLogOutgoing => Enabled && LogOutgoing;

    /// <summary>Gets a value indicating whether outgoing queues are processed now.</summary>
    public bool ShouldProcessOutgoing => Enabled && ProcessOutgoing;

    /// <summary>Gets a value indicating whether delivered tasks are kept in the history (what was sent, and when).</summary>
    /// <value><see langword="false"/>.</value>
    public bool HistoryEnabled { get; init; }

    /// <summary>Gets how long history entries are kept.</summary>
    /// <value>7 days.</value>
    public TimeSpan? HistoryRetention { get; init; } = BusSettingsDefaults.HistoryRetention;

    /// <summary>Gets how long attempt-log entries are kept (a synchronization keeps its last error regardless).</summary>
    /// <value>30 days.</value>
    public TimeSpan? AttemptLogRetention { get; init; } = BusSettingsDefaults.AttemptLogRetention;

    /// <summary>Gets how long tasks parked as failed are kept after their last attempt; <see langword="null"/> keeps them until an operator acts.</summary>
    /// <value><see langword="null"/>: parked tasks are never deleted by retention.</value>
    public TimeSpan? FailedTaskRetention { get; init; }

    /// <summary>Gets how long audit entries are kept.</summary>
    /// <value>90 days.</value>
    public TimeSpan? AuditRetention { get; init; } = BusSettingsDefaults.AuditRetention;

    internal static BusSettings FromStore(IReadOnlyDictionary<string, string> values) => new(
        ReadFlag(values, EnabledKey, true),
        ReadFlag(values, LogOutgoingKey, true),
        ReadFlag(values, ProcessOutgoingKey, true),
        ReadFlag(values, LogIncomingKey, true),
        ReadFlag(values, ProcessIncomingKey, true))
    {
        HistoryEnabled = ReadFlag(values, HistoryEnabledKey, false),
        HistoryRetention = ReadSpan(values, HistoryRetentionKey, BusSettingsDefaults.HistoryRetention),
        AttemptLogRetention = ReadSpan(values, AttemptRetentionKey, BusSettingsDefaults.AttemptLogRetention),
        FailedTaskRetention = ReadSpan(values, FailedRetentionKey, null),
        AuditRetention = ReadSpan(values, AuditRetentionKey, BusSettingsDefaults.AuditRetention),
    };

    internal Dictionary<string, string> ToStore() => new(StringComparer.Ordinal)
    {
        [EnabledKey] = Write(Enabled),
        [LogOutgoingKey] = Write(LogOutgoing),
        [ProcessOutgoingKey] = Write(ProcessOutgoing),
        [LogIncomingKey] = Write(LogIncoming),
        [ProcessIncomingKey] = Write(ProcessIncoming),
        [HistoryEnabledKey] = Write(HistoryEnabled),
        [HistoryRetentionKey] = Write(HistoryRetention),
        [AttemptRetentionKey] = Write(AttemptLogRetention),
        [FailedRetentionKey] = Write(FailedTaskRetention),
        [AuditRetentionKey] = Write(AuditRetention),
    };

    /// <summary>Checks the retention periods.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A retention period is zero or negative.</exception>
    internal void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(HistoryRetention), HistoryRetention), (nameof(AttemptLogRetention), AttemptLogRetention), (nameof(FailedTaskRetention), FailedTaskRetention), (nameof(AuditRetention), AuditRetention) })
        {
            if (value is { } span && span <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, span, $"BusSettings.{name} must be positive (or null to keep everything); it was {span}.");
            }
        }
    }

    private static bool ReadFlag(IReadOnlyDictionary<string, string> values, string key, bool fallback) =>
        values.TryGetValue(key, out var value) && bool.TryParse(value, out var flag) ? flag : fallback;

    private static TimeSpan? ReadSpan(IReadOnlyDictionary<string, string> values, string key, TimeSpan? fallback)
    {
        if (!values.TryGetValue(key, out var value))
        {
            return fallback;
        }

        return string.Equals(value, Off, StringComparison.OrdinalIgnoreCase) ? null
            : TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span
            : fallback;
    }

    private static string Write(bool value) => value ? "true" : "false";

    private static string Write(TimeSpan? value) => value is { } span ? span.ToString("c", CultureInfo.InvariantCulture) : Off;
}
