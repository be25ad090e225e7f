using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The lease part of the <see cref="SqliteTaskStore"/>: one row per queue, fenced by a token that only grows.</summary>
/// <remarks>
/// <para>
/// Time is the <c>now</c> the caller passes (an embedded database has no clock shared by nodes; every process on the
/// file runs on the same machine). A row is never deleted: a release marks it free (<c>expires_at = 0</c>, owner and
/// token kept), so the next grant still counts on from the last token and a stale owner's token can never come back.
/// </para>
/// <para>
/// <c>acquired_at</c> is when the current owner's unbroken hold began: a grant to a new owner, or to the same owner
/// after its lease expired or was released, sets it to <c>now</c>; a same-owner grant of a live lease and a renewal keep it.
/// </para>
/// </remarks>
internal sealed class SqliteLeaseStore(SqliteDatabase database) : LeaseStore
{
    /// <summary>The value of <c>expires_at</c> that marks a released lease.</summary>
    internal const long Released = 0;

    private const string AcquireSql = """
        INSERT INTO integration_lease (connector_id, direction, owner, expires_at, token, acquired_at)
        VALUES (@connector_id, @direction, @owner, @expires_at, 1, @now)
        ON CONFLICT (connector_id, direction) DO UPDATE SET
            acquired_at = CASE WHEN integration_lease.owner = excluded.owner AND integration_lease.expires_at > @now
                THEN integration_lease.acquired_at ELSE excluded.acquired_at END,
            owner = excluded.owner,
            expires_at = excluded.expires_at,
            token = integration_lease.token + 1
        WHERE integration_lease.owner = excluded.owner OR integration_lease.expires_at <= @now
        RETURNING token, acquired_at;
        """;

    private const string RenewSql = """
        UPDATE integration_lease SET expires_at = @expires_at
        WHERE connector_id = @connector_id AND direction = @direction AND token = @token AND owner = @owner AND expires_at <> 0
        RETURNING acquired_at;
        """;

    private const string ReleaseSql = """
        UPDATE integration_lease SET expires_at = 0
        WHERE connector_id = @connector_id AND direction = @direction AND token = @token AND owner = @owner;
        """;

    /// <inheritdoc/>
    /// <remarks>Creates the connector (enabled) when the store does not know it yet.</remarks>
    public override async Task<QueueLease?> TryAcquireAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Queue.Connector, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Owner, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        var expiresAt = request.Now + request.Duration;
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var connectorId = database.GetOrCreateConnectorId(scope.Connection, scope.Transaction, request.Queue.Connector, true, scope.CreatedConnectors);
            using var command = scope.CreateCommand(AcquireSql);
            command.Parameters.AddWithValue("@connector_id", connectorId);
            command.Parameters.AddWithValue("@direction", (int)request.Queue.Direction);
            command.Parameters.AddWithValue("@owner", request.Owner);
            command.Parameters.AddWithValue("@expires_at", SqliteValues.ToUnixMs(expiresAt));
            command.Parameters.AddWithValue("@now", SqliteValues.ToUnixMs(request.Now));
            QueueLease? lease = null;
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    lease = new QueueLease
                    {
                        Queue = request.Queue,
                        Owner = request.Owner,
                        Token = reader.GetInt64(0),
                        AcquiredAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(SqliteValues.ToUnixMs(expiresAt)),
                    };
                }
            }

            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return lease;
        }
    }

    /// <inheritdoc/>
    /// <remarks>A released lease is given up for good: renewing it returns <see langword="null"/> even when nobody took the queue since.</remarks>
    public override async Task<QueueLease?> RenewAsync(QueueLease lease, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var expiresAt = SqliteValues.ToUnixMs(now + duration);
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            if (database.FindConnectorId(scope.Connection, scope.Transaction, lease.Queue.Connector, true) is not { } connectorId)
            {
                return null;
            }

            using var command = scope.CreateCommand(RenewSql);
            AddKey(command, connectorId, lease);
            command.Parameters.AddWithValue("@expires_at", expiresAt);
            var acquiredAt = command.ExecuteScalar();
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return acquiredAt is long acquired
                ? lease with { AcquiredAt = DateTimeOffset.FromUnixTimeMilliseconds(acquired), ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(expiresAt) }
                : null;
        }
    }

    /// <inheritdoc/>
    public override async Task ReleaseAsync(QueueLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            if (database.FindConnectorId(scope.Connection, scope.Transaction, lease.Queue.Connector, true) is not { } connectorId)
            {
                return;
            }

            using var command = scope.CreateCommand(ReleaseSql);
            AddKey(command, connectorId, lease);
            command.ExecuteNonQuery();
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a lease is still the queue's current one: checked inside the write transaction that records under it.</summary>
    /// <param name="scope">The write transaction.</param>
    /// <param name="connectorId">The connector's ID.</param>
    /// <param name="lease">The lease.</param>
    /// <returns><see langword="true"/> when the queue's token and owner are still the lease's.</returns>
    internal static bool IsCurrent(SqliteWriteScope scope, long connectorId, QueueLease lease)
    {
        var command = scope.Prepared(
            "SELECT 1 FROM integration_lease WHERE connector_id = @connector_id AND direction = @direction AND token = @token AND owner = @owner;",
            ("@connector_id", SqliteType.Integer), ("@direction", SqliteType.Integer), ("@token", SqliteType.Integer), ("@owner", SqliteType.Text));
        var parameters = command.Parameters;
        parameters[0].Value = connectorId;
        parameters[1].Value = (int)lease.Queue.Direction;
        parameters[2].Value = lease.Token;
        parameters[3].Value = lease.Owner;
        return command.ExecuteScalar() is not null;
    }

    private static void AddKey(SqliteCommand command, long connectorId, QueueLease lease)
    {
        command.Parameters.AddWithValue("@connector_id", connectorId);
        command.Parameters.AddWithValue("@direction", (int)lease.Queue.Direction);
        command.Parameters.AddWithValue("@token", lease.Token);
        command.Parameters.AddWithValue("@owner", lease.Owner);
    }
}
