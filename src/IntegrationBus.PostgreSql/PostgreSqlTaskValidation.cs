using IntegrationBus.Storage;

namespace IntegrationBus.PostgreSql;

/// <summary>Checks tasks before anything is written, so an invalid batch writes nothing.</summary>
internal static class PostgreSqlTaskValidation
{
    /// <summary>Checks every task of a batch.</summary>
    /// <param name="tasks">The tasks.</param>
    /// <exception cref="ArgumentException">A task is invalid; the message names it.</exception>
    public static void Validate(IReadOnlyList<NewIntegrationTask> tasks)
    {
        foreach (var task in tasks)
        {
            Validate(task);
        }
    }

    /// <summary>Checks one task: what every store checks (<see cref="NewIntegrationTask.Validate"/>), and what PostgreSQL text cannot hold.</summary>
    /// <param name="task">The task.</param>
    /// <exception cref="ArgumentException">The task is invalid; the message names it.</exception>
    public static void Validate(NewIntegrationTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.Validate();
        if (task.Payload.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Task {task.Guid} for object type '{task.ObjectType}' has a NUL character in its payload, which PostgreSQL text cannot hold; escape it in the JSON (\\u0000).", nameof(task));
        }
    }
}
