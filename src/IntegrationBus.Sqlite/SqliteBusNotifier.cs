using IntegrationBus.Storage;

namespace IntegrationBus.Sqlite;

/// <summary>The notifier of the <see cref="SqliteTaskStore"/>: a small table that every process on the file polls.</summary>
/// <remarks>
/// <para>
/// <see cref="PublishAsync"/> inserts a row and deletes rows older than <see cref="KeepFor"/>, in one write transaction.
/// <see cref="ListenAsync"/> starts after the newest row that exists when it starts and reads newer rows every
/// <see cref="SqliteTaskStoreOptions.NotificationPollInterval"/>, waiting on the store's <see cref="TimeProvider"/>.
/// </para>
/// <para>
/// Sequence numbers come from <c>AUTOINCREMENT</c> inside write transactions, and SQLite runs one writer at a time, so
/// rows commit in sequence order and a listener that reads past a number never misses an older row committed later.
/// </para>
/// </remarks>
internal sealed class SqliteBusNotifier(SqliteDatabase database, TimeProvider timeProvider, TimeSpan pollInterval) : BusNotifier
{
    /// <summary>How long a notification stays in the table: far longer than any listener waits between polls.</summary>
    internal static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    private const string PublishSql = """
        INSERT INTO integration_notification (kind, connector, direction, sender, created_at) VALUES (@kind, @connector, @direction, @sender, @now);
        DELETE FROM integration_notification WHERE created_at < @expired;
        """;

    private const string ReadSql = """
        SELECT seq, kind, connector, direction, sender FROM integration_notification WHERE seq > @after ORDER BY seq LIMIT 1000;
        """;

    /// <inheritdoc/>
    public override async Task PublishAsync(BusNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var now = timeProvider.GetUtcNow();
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            using var command = scope.CreateCommand(PublishSql);
            command.Parameters.AddWithValue("@kind", (int)notification.Kind);
            command.Parameters.AddWithValue("@connector", SqliteValues.ToDb(notification.Connector));
            command.Parameters.AddWithValue("@direction", notification.Direction is { } direction ? (int)direction : DBNull.Value);
            command.Parameters.AddWithValue("@sender", SqliteValues.ToDb(notification.Sender));
            command.Parameters.AddWithValue("@now", SqliteValues.ToUnixMs(now));
            command.Parameters.AddWithValue("@expired", SqliteValues.ToUnixMs(now - KeepFor));
            command.ExecuteNonQuery();
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task ListenAsync(Func<BusNotification, CancellationToken, ValueTask> onNotification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onNotification);
        try
        {
            var after = await ReadNewestAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(pollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
                foreach (var (sequence, notification) in await ReadAsync(after, cancellationToken).ConfigureAwait(false))
                {
                    await onNotification(notification, cancellationToken).ConfigureAwait(false);
                    after = sequence;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Listening stops when the caller cancels; that is not a failure.
        }
    }

    private async Task<long> ReadNewestAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM integration_notification;";
            return (long)command.ExecuteScalar()!;
        }
    }

    private async Task<List<(long Sequence, BusNotification Notification)>> ReadAsync(long after, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = ReadSql;
            command.Parameters.AddWithValue("@after", after);
            var notifications = new List<(long, BusNotification)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                notifications.Add((reader.GetInt64(0), new BusNotification
                {
                    Kind = (BusNotificationKind)reader.GetInt32(1),
                    Connector = SqliteValues.ReadString(reader, 2),
                    Direction = reader.IsDBNull(3) ? null : (TaskDirection)reader.GetInt32(3),
                    Sender = SqliteValues.ReadString(reader, 4),
                }));
            }

            return notifications;
        }
    }
}
