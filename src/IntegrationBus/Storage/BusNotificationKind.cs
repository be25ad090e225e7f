namespace IntegrationBus.Storage;

/// <summary>What a <see cref="BusNotification"/> says.</summary>
public enum BusNotificationKind
{
    /// <summary>Tasks were appended or made due (a retry): the queue's runner should look now.</summary>
    QueueChanged = 0,

    /// <summary>The stored settings changed: reload them.</summary>
    SettingsChanged = 1,

    /// <summary>A connector was enabled or disabled: reload the connectors.</summary>
    ConnectorsChanged = 2,

    /// <summary>A resync job was started: a node that works on resyncs should look for it now rather than at its next sweep.</summary>
    ResyncRequested = 3,
}
