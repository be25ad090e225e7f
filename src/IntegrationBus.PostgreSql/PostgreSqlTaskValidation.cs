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

    /// <summary>Checks one task.</summary>
    /// <param name="task">The task.</param>
    /// <exception cref="ArgumentException">The task is invalid; the message names it.</exception>
    public static void Validate(NewIntegrationTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(task.ObjectType);
        ArgumentNullException.ThrowIfNull(task.Payload);
        ArgumentNullException.ThrowIfNull(task.Connectors);
        if (!Enum.IsDefined(task.Direction) || !Enum.IsDefined(task.TaskType) || !Enum.IsDefined(task.DataType) || !Enum.IsDefined(task.Policy))
        {
            throw new ArgumentException(
                $"Task {task.Guid} for object type '{task.ObjectType}' has an undefined direction ({(int)task.Direction}), task type ({(int)task.TaskType}), data type ({(int)task.DataType}) or policy ({(int)task.Policy}); use the enums' named values.",
                nameof(task));
        }

        if (task.Connectors.Count == 0)
        {
            throw new ArgumentException($"Task {task.Guid} for object type '{task.ObjectType}' has no connector; every task needs at least one.", nameof(task));
        }

        if (task.Payload.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Task {task.Guid} for object type '{task.ObjectType}' has a NUL character in its payload, which PostgreSQL text cannot hold; escape it in the JSON (\\u0000).", nameof(task));
        }

        for (var i = 0; i < task.Connectors.Count; i++)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(task.Connectors[i]);
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(task.Connectors[i], task.Connectors[j], StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"Task {task.Guid} lists connector '{task.Connectors[i]}' twice; list each connector once.", nameof(task));
                }
            }
        }
    }
}
