namespace IntegrationBus.Storage;

/// <summary>What <see cref="QueueStore.AppendWebhookAsync"/> did with a Standard Webhooks message.</summary>
public enum WebhookAppendStatus
{
    /// <summary>The message ID was new: the task was appended and the ID recorded with it.</summary>
    Appended = 0,

    /// <summary>The same message (ID, connector and body) was already received: nothing appended; the first task is returned.</summary>
    Repeated = 1,

    /// <summary>The message ID was already received by another connector: nothing appended (a replay across connectors).</summary>
    OtherConnector = 2,

    /// <summary>The message ID was already received with another body: nothing appended.</summary>
    OtherBody = 3,
}
