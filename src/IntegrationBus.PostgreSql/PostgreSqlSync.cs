using System.Diagnostics;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>
/// Helpers for the code paths that run both asynchronously and synchronously (the append that EF Core's synchronous
/// <c>SaveChanges</c> needs): each I/O call is made with the synchronous ADO.NET method when <c>async</c> is false, so the
/// returned <see cref="ValueTask"/> is already complete and <see cref="RunSynchronously{T}"/> never blocks a thread.
/// </summary>
internal static class PostgreSqlSync
{
    /// <summary>Gets the result of a path that ran with <c>async: false</c>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task of the synchronous path, complete by construction.</param>
    /// <returns>The result.</returns>
    /// <exception cref="InvalidOperationException">The path did not complete synchronously (a bug: an asynchronous call in a synchronous path).</exception>
    public static T RunSynchronously<T>(ValueTask<T> task)
    {
        Debug.Assert(task.IsCompleted, "A synchronous path made an asynchronous call.");
        if (!task.IsCompleted)
        {
            throw new InvalidOperationException("A synchronous store path made an asynchronous call.");
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Disposes a reader with the call that matches the path.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="async">Whether the path is asynchronous.</param>
    /// <returns>A task that completes when disposed.</returns>
    public static async ValueTask DisposeAsync(NpgsqlDataReader reader, bool async)
    {
        if (async)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            reader.Dispose();
        }
    }
}
