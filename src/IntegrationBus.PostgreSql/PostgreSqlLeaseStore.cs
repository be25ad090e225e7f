using IntegrationBus.Storage;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>The lease part of the <see cref="PostgreSqlTaskStore"/>: one row per queue (per partition of a split queue), judged by the database clock, fenced, spread fairly.</summary>
/// <remarks>
/// <para>
/// Expiry is judged by the database's clock (<see cref="UsesStoreClock"/>); the <c>now</c> callers pass is ignored. A
/// row is never deleted: a release sets <c>expires_at</c> to <c>-infinity</c> (owner and token kept), so the next grant
/// counts on from the last token and a stale token never comes back. Every grant adds one to the token. A queue's row is
/// created by the first attempt to take its lease, as a released lease with token 0.
/// </para>
/// <para>
/// Grants and renewals run in one round trip each, which PostgreSQL runs as one implicit transaction, under a
/// transaction-level advisory lock of the schema, so the fair share is judged on counts no other grant changes meanwhile
/// (see <see cref="PostgreSqlLeaseSql"/>); the lock is held only while the server executes the batch. They are a few a
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
        PostgreSqlValues.CheckPartition(request.Queue, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Owner, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // A new connector's row commits on its own: the grant's round trip below must not wait on anything else.
            var found = new List<KeyValuePair<string, long>>();
            var ids = await PostgreSqlConnectors.GetOrCreateAsync(database, connection, null, [request.Queue.Connector], found, async: true, cancellationToken).ConfigureAwait(false);
            database.CacheConnectorIds(found);
            var connectorId = ids[request.Queue.Connector];
            using var batch = LockedBatch(connection, connectorId, request.Queue, request.Owner, request.Duration);
            AddQueue(database.Add(batch, PostgreSqlLeaseSql.Acquire).Parameters, connectorId, request.Queue, request.Owner, request.Duration);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await AnswerAsync(reader, cancellationToken).ConfigureAwait(false)
                    ? new QueueLease
                    {
                        Queue = request.Queue,
                        Owner = request.Owner,
                        Token = reader.GetInt64(0),
                        AcquiredAt = PostgreSqlValues.ReadTime(reader, 1),
                        ExpiresAt = PostgreSqlValues.ReadTime(reader, 2),
                    }
                    : null;
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

            using var batch = LockedBatch(connection, connectorId, lease.Queue, lease.Owner, duration);
            var renew = database.Add(batch, PostgreSqlLeaseSql.Renew).Parameters;
            AddQueue(renew, connectorId, lease.Queue, lease.Owner, duration);
            renew.AddWithValue("token", lease.Token);
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await AnswerAsync(reader, cancellationToken).ConfigureAwait(false)
                    ? lease with
                    {
                        AcquiredAt = PostgreSqlValues.ReadTime(reader, 0),
                        ExpiresAt = PostgreSqlValues.ReadTime(reader, 1),
                        YieldRequested = reader.GetBoolean(2),
                    }
                    : null;
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

    /// <summary>Moves the reader to the row of the batch's last statement (the grant or renewal); the locking statements before it answer nothing.</summary>
    /// <returns>Whether the grant or renewal returned a row.</returns>
    private static async Task<bool> AnswerAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        do
        {
            if (reader.FieldCount > 0 && !PostgreSqlLeaseSql.LockColumns.Contains(reader.GetName(0)))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return false;
    }

    /// <summary>Adds the parameters that name a lease: its queue (connector, direction, partition), token and owner.</summary>
    /// <param name="parameters">The statement's parameters.</param>
    /// <param name="connectorId">The connector's ID.</param>
    /// <param name="lease">The lease.</param>
    internal static void AddKey(NpgsqlParameterCollection parameters, long connectorId, QueueLease lease)
    {
        parameters.AddWithValue("connector_id", connectorId);
        parameters.AddWithValue("direction", (short)lease.Queue.Direction);
        parameters.AddWithValue("partition", (short)lease.Queue.Partition);
        parameters.AddWithValue("token", lease.Token);
        parameters.AddWithValue("owner", lease.Owner);
    }

    private void AddQueue(NpgsqlParameterCollection parameters, long connectorId, QueueKey queue, string owner, TimeSpan duration)
    {
        parameters.AddWithValue("connector_id", connectorId);
        parameters.AddWithValue("direction", (short)queue.Direction);
        parameters.AddWithValue("partition", (short)queue.Partition);
        parameters.AddWithValue("partitions", (short)queue.Partitions);
        parameters.AddWithValue("owner", owner);
        parameters.AddWithValue("duration", duration);
        parameters.AddWithValue("window", duration);
        parameters.Add(new NpgsqlParameter("clock", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = database.FrozenClock is { } clock ? clock.UtcDateTime : DBNull.Value });
    }

    /// <summary>
    /// A batch that locks the queue's lease row, then takes the lease lock and records the owner as a candidate for the
    /// queue, before the grant or renewal. It runs without a transaction of the connection's: PostgreSQL runs the
    /// statements of one round trip as one implicit transaction that ends with it, so the lease lock, which every
    /// grant and renewal of every node waits for, is held only while the server executes the batch, never while a busy
    /// client reads an answer; and the row lock comes first, so waiting for a run that is recording under the lease
    /// (it locks the row while it writes) never happens while holding the lease lock.
    /// </summary>
    private NpgsqlBatch LockedBatch(NpgsqlConnection connection, long connectorId, QueueKey queue, string owner, TimeSpan duration)
    {
        var batch = database.Batch(connection, null);
        var row = database.Add(batch, PostgreSqlLeaseSql.EnsureRow).Parameters;
        row.AddWithValue("connector_id", connectorId);
        row.AddWithValue("direction", (short)queue.Direction);
        row.AddWithValue("partition", (short)queue.Partition);
        row.AddWithValue("partitions", (short)queue.Partitions);
        AddQueue(database.Add(batch, PostgreSqlLeaseSql.LockRow).Parameters, connectorId, queue, owner, duration);
        database.Add(batch, PostgreSqlLeaseSql.LockLeases).Parameters.AddWithValue("key", database.LeaseLockKey);
        AddQueue(database.Add(batch, PostgreSqlLeaseSql.TouchCandidate).Parameters, connectorId, queue, owner, duration);
        AddQueue(database.Add(batch, PostgreSqlLeaseSql.ForgetCandidates).Parameters, connectorId, queue, owner, duration);
        return batch;
    }
}
