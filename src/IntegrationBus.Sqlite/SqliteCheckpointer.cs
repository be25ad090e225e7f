using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Sqlite;

/// <summary>
/// Moves the WAL's pages into the database file in the background (a <c>PASSIVE</c> checkpoint on a connection of its
/// own), at most once per interval while the store's writer commits or an application's transaction appends tasks, so
/// that those commits do not do it (see <see cref="SqliteDatabase.AdoptCheckpoints"/>).
/// </summary>
/// <remarks>
/// <para>
/// SQLite's automatic checkpoint runs inside the commit that fills the WAL past its limit (1,000 pages): that commit
/// copies the pages and syncs the WAL and the database file (twice a few milliseconds on a disk) before its caller
/// hears back. With many small commits (single incoming calls, a drain acknowledging batch after batch) that was about a
/// third of their time on disk (single calls of figure 8: 21,000 tasks/s with it, 33,000–36,000 without). The store's
/// connections keep an automatic checkpoint only as a backstop (<see cref="BackstopPages"/>), for when this one cannot
/// keep up or has not started.
/// </para>
/// <para>
/// The loop starts on the first commit and waits on the store's <see cref="TimeProvider"/> between checkpoints. A
/// checkpoint that fails, for whatever reason (the file is locked in a way a passive checkpoint cannot wait out, its
/// connection does not open), is logged at Debug and tried again after the next commit on a new connection; the WAL
/// stays bounded by the backstop meanwhile.
/// </para>
/// </remarks>
internal sealed class SqliteCheckpointer(Func<CancellationToken, Task<SqliteConnection>> open, TimeProvider timeProvider, ILogger logger) : IAsyncDisposable, IDisposable
{
    /// <summary>The automatic checkpoint limit of the store's connections, in pages: 10,000 (about 40 MB with 4 KB pages).</summary>
    public const int BackstopPages = 10_000;

    /// <summary>The shortest time between two background checkpoints: 250 milliseconds.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private volatile Task? _loop;

    /// <summary>Raised after each background checkpoint with the WAL's size and the pages it moved; for tests.</summary>
    internal event Action<long, long>? Checkpointed;

    /// <summary>Tells the checkpointer that pages were written to the WAL (the store's writer committed, or an application's transaction appended tasks); cheap enough for every commit.</summary>
    public void Committed()
    {
        if (_loop is null)
        {
            lock (_gate)
            {
                if (_loop is null && !_stopping.IsCancellationRequested)
                {
                    _loop = Task.Run(() => RunAsync(_stopping.Token));
                }
            }
        }

        if (_committed.CurrentCount == 0)
        {
            try
            {
                _committed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit signalled at the same moment: one checkpoint covers both.
            }
        }
    }

    /// <summary>Stops the loop and waits for it (a checkpoint in progress finishes).</summary>
    /// <returns>A task that completes when the loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Stop() is { } loop)
        {
            await loop.ConfigureAwait(false);
        }
    }

    /// <summary>Stops the loop without waiting for it: it ends after the checkpoint in progress, if any, and closes its connection.</summary>
    public void Dispose() => Stop();

    /// <summary>Stops the loop (no loop starts after this) and returns it, if it ever started.</summary>
    private Task? Stop()
    {
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _stopping.Cancel();
            }

            return _loop;
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _committed.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    connection ??= await open(cancellationToken).ConfigureAwait(false);
                    Checkpoint(connection);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Whatever the failure (a locked file, a connection that would not open), the loop goes on: a loop
                    // that ended here would leave the WAL to the backstop for good, and DisposeAsync would throw it.
                    Log.CheckpointFailed(logger, exception);
                    await CloseAsync(connection).ConfigureAwait(false);
                    connection = null;
                }

                await Task.Delay(Interval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            await CloseAsync(connection).ConfigureAwait(false);
        }
    }

    private void Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = command.ExecuteReader();
        if (reader.Read() && Checkpointed is { } checkpointed)
        {
            checkpointed(reader.GetInt64(1), reader.GetInt64(2));
        }
    }

    private static ValueTask CloseAsync(SqliteConnection? connection) => connection?.DisposeAsync() ?? ValueTask.CompletedTask;
}
