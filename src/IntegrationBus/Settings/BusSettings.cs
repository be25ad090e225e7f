namespace IntegrationBus.Settings;

/// <summary>The run-time switches of the bus, stored in the database and changeable while it runs.</summary>
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
    /// <summary>Gets the settings of a new installation: everything on.</summary>
    public static BusSettings Default { get; } = new();

    internal const string EnabledKey = "bus.enabled";
    internal const string LogOutgoingKey = "outgoing.log";
    internal const string ProcessOutgoingKey = "outgoing.process";
    internal const string LogIncomingKey = "incoming.log";
    internal const string ProcessIncomingKey = "incoming.process";

    /// <summary>Gets a value indicating whether outgoing changes are logged now.</summary>
    public bool ShouldLogOutgoing => Enabled && LogOutgoing;

    /// <summary>Gets a value indicating whether outgoing queues are processed now.</summary>
    public bool ShouldProcessOutgoing => Enabled && ProcessOutgoing;

    internal static BusSettings FromStore(IReadOnlyDictionary<string, string> values) => new(
        Read(values, EnabledKey),
        Read(values, LogOutgoingKey),
        Read(values, ProcessOutgoingKey),
        Read(values, LogIncomingKey),
        Read(values, ProcessIncomingKey));

    internal IEnumerable<KeyValuePair<string, string>> ToStore()
    {
        yield return new(EnabledKey, Write(Enabled));
        yield return new(LogOutgoingKey, Write(LogOutgoing));
        yield return new(ProcessOutgoingKey, Write(ProcessOutgoing));
        yield return new(LogIncomingKey, Write(LogIncoming));
        yield return new(ProcessIncomingKey, Write(ProcessIncoming));
    }

    private static bool Read(IReadOnlyDictionary<string, string> values, string key) =>
        !values.TryGetValue(key, out var value) || !bool.TryParse(value, out var flag) || flag;

    private static string Write(bool value) => value ? "true" : "false";
}
