using IntegrationBus.Storage;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>The lease part of the <see cref="PostgreSqlTaskStore"/>: one row per queue, judged by the database clock, fenced, spread fairly.</summary>
/// <remarks>
/// <para>
/// Expiry is judged by the database's clock (<see cref="UsesStoreClock"/>); the <c>now</c> callers pass is ignored. A
/// row is never deleted: a release sets <c>expires_at</c> to <c>-infinity</c> (owner and token kept), so the next grant
/// counts on from the last token and a stale token never comes back. Every grant adds one to the token.
/// </para>
/// <para>
/// Grants and renewals run in one transaction each, under a transaction-level advisory lock of the schema, so the fair
/// share is judged on counts no other grant changes meanwhile (see <see cref="PostgreSqlLeaseSql"/>). They are a few a
/// minute per queue and node. Owners are node IDs (the bus passes its node ID), so the share counts nodes.
/// </para>
/// </remarks>
internal sealed class PostgreSqlLeaseStore(PostgreSqlDatabase database) : LeaseStore
{
    /// <inheritdoc/>
    /// <value><see langword="true"/>: the database's <c>now()</c> decides.</value>
    public override bool UsesStoreClock => true;

    /// <inheritdoc/>
    /// <remarks>Creates the connector (enabled) when the store does not know it yet. Refused also when the owner already keeps its fair share while another node that asks for the queue holds less.</remarks>
    public override async Task<QueueLease?> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Queue.Connector, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Owner, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var found = new List<KeyValuePair<string, long>>();
                var ids = await PostgreSqlConnectors.GetOrCreateAsync(database, connection, transaction, [request.Queue.Connector], found, async: true, cancellationToken).ConfigureAwait(false);
                var connectorId = ids[request.Queue.Connector];
                using var batch = LockedBatch(connection, transaction, connectorId, request.Queue, request.Owner, request.Duration);
                var grant = database.Add(batch, PostgreSqlLeaseSql.Acquire).Parameters;
                AddQueue(grant, connectorId, request.Queue, request.Owner, request.Duration);
                QueueLease? lease = null;
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (await NextRowAsync(reader, cancellationToken).ConfigureAwait(false))
                    {
                        lease = new QueueLease
                        {
                            Queue = request.Queue,
                            Owner = request.Owner,
                            Token = reader.GetInt64(0),
                            AcquiredAt = PostgreSqlValues.ReadTime(reader, 1),
                            ExpiresAt = PostgreSqlValues.ReadTime(reader, 2),
                        };
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                database.CacheConnectorIds(found);
                return lease;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A released lease is given up for good: renewing it returns <see langword="null"/> even when nobody took the queue
    /// since. The renewed lease has <see cref="QueueLease.YieldRequested"/> set when its owner keeps more than its fair
    /// share while another node that asks for the queue holds less.
    /// </remarks>
    public override async Task<QueueLease?> RenewAsync(QueueLease lease, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await PostgreSqlConnectors.FindAsync(database, connection, null, lease.Queue.Connector, cancellationToken).ConfigureAwait(false) is not { } connectorId)
            {
                return null;
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                using var batch = LockedBatch(connection, transaction, connectorId, lease.Queue, lease.Owner, duration);
                var renew = database.Add(batch, PostgreSqlLeaseSql.Renew).Parameters;
                AddQueue(renew, connectorId, lease.Queue, lease.Owner, duration);
                renew.AddWithValue("token", lease.Token);
                QueueLease? renewed = null;
                var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (await NextRowAsync(reader, cancellationToken).ConfigureAwait(false))
                    {
                        renewed = lease with
                        {
                            AcquiredAt = PostgreSqlValues.ReadTime(reader, 0),
                            ExpiresAt = PostgreSqlValues.ReadTime(reader, 1),
                            YieldRequested = reader.GetBoolean(2),
                        };
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return renewed;
            }
        }
    }

    /// <inheritdoc/>
    public override async Task ReleaseAsync(QueueLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await PostgreSqlConnectors.FindAsync(database, connection, null, lease.Queue.Connector, cancellationToken).ConfigureAwait(false) is not { } connectorId)
            {
                return;
            }

            using var command = database.Command(connection, null, PostgreSqlLeaseSql.Release);
            AddKey(command.Parameters, connectorId, lease);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a lease is still the queue's current one, locking its row (<c>FOR SHARE</c>) until the transaction ends.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The write transaction that records under the lease.</param>
    /// <param name="connectorId">The connector's ID.</param>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the queue's token and owner are still the lease's.</returns>
    internal static async Task<bool> IsCurrentAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, long connectorId, QueueLease lease, CancellationToken cancellationToken)
    {
        using var command = database.Command(connection, transaction, PostgreSqlLeaseSql.CheckAndLock);
        AddKey(command.Parameters, connectorId, lease);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task<bool> NextRowAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        // The batch's earlier statements return no rows (the lock returns one void row); the last one's row is the answer.
        var found = false;
        do
        {
            if (reader.FieldCount > 0 && reader.GetName(0) != "pg_advisory_xact_lock")
            {
                found = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        while (!found && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return found;
    }

    private static void AddKey(NpgsqlParameterCollection parameters, long connectorId, QueueLease lease)
    {
        parameters.AddWithValue("connector_id", connectorId);
        parameters.AddWithValue("direction", (short)lease.Queue.Direction);
        parameters.AddWithValue("token", lease.Token);
        parameters.AddWithValue("owner", lease.Owner);
    }

    private void AddQueue(NpgsqlParameterCollection parameters, long connectorId, QueueKey queue, string owner, TimeSpan duration)
    {
        parameters.AddWithValue("connector_id", connectorId);
        parameters.AddWithValue("direction", (short)queue.Direction);
        parameters.AddWithValue("owner", owner);
        parameters.AddWithValue("duration", duration);
        parameters.AddWithValue("window", duration);
        parameters.Add(new NpgsqlParameter("clock", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = database.FrozenClock is { } clock ? clock.UtcDateTime : DBNull.Value });
    }

    /// <summary>A batch that takes the lease lock and records the owner as a candidate for the queue, before the grant or renewal.</summary>
    private NpgsqlBatch LockedBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, long connectorId, QueueKey queue, string owner, TimeSpan duration)
    {
        var batch = database.Batch(connection, transaction);
        database.Add(batch, "SELECT pg_advisory_xact_lock(@key);").Parameters.AddWithValue("key", database.LeaseLockKey);
        AddQueue(database.Add(batch, PostgreSqlLeaseSql.TouchCandidate).Parameters, connectorId, queue, owner, duration);
        AddQueue(database.Add(batch, PostgreSqlLeaseSql.ForgetCandidates).Parameters, connectorId, queue, owner, duration);
        return batch;
    }
}
