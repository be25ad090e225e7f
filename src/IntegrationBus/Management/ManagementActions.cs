namespace IntegrationBus.Management;

/// <summary>The action names the audit log uses; fixed once published.</summary>
public static class ManagementActions
{
    /// <summary>A task retried.</summary>
    public const string RetryTask = "task.retry";

    /// <summary>A task deleted.</summary>
    public const string DeleteTask = "task.delete";

    /// <summary>Tasks retried by filter.</summary>
    public const string RetryTasks = "tasks.retry";

    /// <summary>Tasks deleted by filter.</summary>
    public const string DeleteTasks = "tasks.delete";

    /// <summary>A connector enabled.</summary>
    public const string EnableConnector = "connector.enable";

    /// <summary>A connector disabled.</summary>
    public const string DisableConnector = "connector.disable";

    /// <summary>Settings changed.</summary>
    public const string UpdateSettings = "settings.update";

    /// <summary>Retention applied on request.</summary>
    public const string Purge = "retention.purge";

    /// <summary>Processing requested.</summary>
    public const string RequestProcessing = "processing.request";

    /// <summary>An ID-map entry deleted.</summary>
    public const string DeleteIdMapEntry = "idmap.delete";

    /// <summary>A blocked key's head retried.</summary>
    public const string RetryBlockedKey = "key.retry";

    /// <summary>A blocked key's head skipped (its synchronization deleted).</summary>
    public const string SkipBlockedKey = "key.skip";

    /// <summary>A blocked key released (its head stays failed).</summary>
    public const string ReleaseBlockedKey = "key.release";
    /// <summary>A resync started.</summary>
    public const string StartResync = "resync.start";

    /// <summary>A resync cancelled.</summary>
    public const string CancelResync = "resync.cancel";
}
