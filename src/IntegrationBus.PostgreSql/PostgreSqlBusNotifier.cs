using System.Text.Json;
using IntegrationBus.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>The notifier of the <see cref="PostgreSqlTaskStore"/>: <c>LISTEN/NOTIFY</c> on one channel.</summary>
/// <remarks>
/// <para>
/// <see cref="PublishAsync"/> sends <c>pg_notify</c> on its own (auto-committed) statement, so it is delivered at once.
/// Appends send theirs inside the appending transaction instead (see <see cref="PostgreSqlTaskAppender"/>).
/// </para>
/// <para>
/// <see cref="ListenAsync"/> keeps one connection of the pool for as long as it listens, and hears what is sent after its
/// <c>LISTEN</c>. When the connection fails (the server restarted, the backend was terminated) it throws, and the bus
/// listens again after a delay on a new connection; what was sent in between is caught by the nodes' sweep. A connection
/// that goes silent for <see cref="PostgreSqlTaskStoreOptions.ListenKeepAlive"/> is probed with a query, so a silently
/// dropped one fails too.
/// </para>
/// </remarks>
internal sealed class PostgreSqlBusNotifier(PostgreSqlDatabase database, TimeSpan keepAlive, ILogger logger) : BusNotifier
{
    private const string NotifySql = "SELECT pg_notify(@channel, @payload);";

    /// <inheritdoc/>
    public override async Task PublishAsync(BusNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = database.Command(connection, null, NotifySql);
            command.Parameters.AddWithValue("channel", database.Channel);
            command.Parameters.AddWithValue("payload", PostgreSqlNotification.Format(notification));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override async Task ListenAsync(Func<BusNotification, CancellationToken, ValueTask> onNotification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onNotification);
        var received = new Queue<string>();
        try
        {
            var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                connection.Notification += (_, e) =>
                {
                    if (string.Equals(e.Channel, database.Channel, StringComparison.Ordinal))
                    {
                        received.Enqueue(e.Payload);
                    }
                };

                // The channel is a validated identifier (PostgreSqlTaskStoreOptions.NotificationChannel), quoted.
                using (var listen = database.Command(connection, null, $"LISTEN \"{database.Channel}\";"))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                Log.Listening(logger, database.Channel);
                while (true)
                {
                    if (!await connection.WaitAsync(keepAlive, cancellationToken).ConfigureAwait(false))
                    {
                        // Silent for a while: a query fails if the connection is gone, and delivers what is pending.
                        using var probe = database.Command(connection, null, "SELECT 1;");
                        await probe.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    while (received.TryDequeue(out var payload))
                    {
                        if (Read(payload) is { } notification)
                        {
                            await onNotification(notification, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Listening stops when the caller cancels; that is not a failure.
        }
        catch (NpgsqlException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelling a wait can break the connection; stopping is still not a failure.
        }
    }

    private BusNotification? Read(string payload)
    {
        try
        {
            return PostgreSqlNotification.Parse(payload);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            Log.NotificationUnreadable(logger, database.Channel, exception);
            return null;
        }
    }
}
