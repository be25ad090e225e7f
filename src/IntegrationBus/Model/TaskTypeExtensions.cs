namespace IntegrationBus;

/// <summary>Classifies <see cref="TaskType"/> values.</summary>
public static class TaskTypeExtensions
{
    /// <summary>Tells whether the task type is a page operation.</summary>
    /// <param name="taskType">The task type.</param>
    /// <returns><see langword="true"/> for page operations.</returns>
    public static bool IsPageOperation(this TaskType taskType) => taskType >= TaskType.CreatePage;

    /// <summary>Tells whether the task type is an object operation.</summary>
    /// <param name="taskType">The task type.</param>
    /// <returns><see langword="true"/> for object operations.</returns>
    public static bool IsObjectOperation(this TaskType taskType) =>
        taskType is >= TaskType.CreateObject and <= TaskType.RemoveFromSite;

    /// <summary>Tells whether the task type is defined and is not <see cref="TaskType.All"/>.</summary>
    /// <param name="taskType">The task type.</param>
    /// <returns><see langword="true"/> when a task can carry it.</returns>
    public static bool IsConcrete(this TaskType taskType) => taskType != TaskType.All && Enum.IsDefined(taskType);
}
