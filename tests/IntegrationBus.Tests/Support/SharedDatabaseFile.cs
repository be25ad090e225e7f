using Microsoft.Data.Sqlite;

namespace IntegrationBus.Tests.Support;

/// <summary>
/// A temp database file that several buses of a test share (the nodes of one bus, or a host's): declared before them,
/// so it is deleted, with its WAL and shared memory, after they are all disposed. A bus that deleted a shared file
/// while another still ran left that one to create it again, and the file behind.
/// </summary>
internal sealed class SharedDatabaseFile : IDisposable
{
    /// <summary>Gets the file's path.</summary>
    public string Path { get; } = NewPath();

    /// <summary>A new path in the temp folder.</summary>
    /// <returns>The path; no file exists there yet.</returns>
    public static string NewPath() => System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ibus-test-{Guid.NewGuid():N}.db");

    /// <summary>Closes the pooled connections and deletes a database file with its WAL and shared memory.</summary>
    /// <param name="path">The file.</param>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Delete(Path);
}
