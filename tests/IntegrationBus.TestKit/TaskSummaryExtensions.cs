using IntegrationBus.Storage;

namespace IntegrationBus.TestKit;

/// <summary>Flat views of a task row (task × connector) for short assertions.</summary>
public static class TaskSummaryExtensions
{
    extension(TaskSummary summary)
    {
        /// <summary>Gets the task ID.</summary>
        public long TaskId => summary.Task.Id;

        /// <summary>Gets the task GUID.</summary>
        public Guid Guid => summary.Task.Guid;

        /// <summary>Gets the connector.</summary>
        public string Connector => summary.Synchronization.Connector;

        /// <summary>Gets the direction.</summary>
        public TaskDirection Direction => summary.Synchronization.Direction;

        /// <summary>Gets the operation.</summary>
        public TaskType TaskType => summary.Task.TaskType;

        /// <summary>Gets the data type.</summary>
        public DataType DataType => summary.Task.DataType;

        /// <summary>Gets the object type.</summary>
        public string ObjectType => summary.Task.ObjectType;

        /// <summary>Gets the object ID.</summary>
        public long? ObjectId => summary.Task.ObjectId;

        /// <summary>Gets the site.</summary>
        public string? Site => summary.Task.Site;

        /// <summary>Gets when the change was logged.</summary>
        public DateTimeOffset CreatedAt => summary.Task.CreatedAt;

        /// <summary>Gets the connector's status for the task.</summary>
        public SynchronizationStatus Status => summary.Synchronization.Status;

        /// <summary>Gets the failed attempts.</summary>
        public int Attempts => summary.Synchronization.Attempts;

        /// <summary>Gets the last error.</summary>
        public string? LastError => summary.Synchronization.LastError;

        /// <summary>Gets when the task may be retried.</summary>
        public DateTimeOffset? NextAttemptAt => summary.Synchronization.NextAttemptAt;
    }
}
