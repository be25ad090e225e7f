namespace IntegrationBus.PostgreSql;

/// <summary>The statements of the <see cref="PostgreSqlLeaseStore"/>: grants and renewals by the database clock, with the fair share.</summary>
/// <remarks>
/// <para>
/// Time is <c>COALESCE(@clock, now())</c> (<c>@clock</c> is null outside tests): the transaction's start on the database clock,
/// shared by every node. It is never later than the moment the statement runs, so a holder's expiry is never earlier
/// than it counts, and a lease is never taken before it truly expired.
/// </para>
/// <para>
/// The fair share: live owners are those that asked for any lease (acquire or renew) within the lease duration
/// (<c>integration_lease_candidate</c>); the share is <c>ceil((live leases of other queues + 1) / live owners)</c>.
/// A grant is refused when the owner already keeps its share while another live owner that asked for this queue holds
/// less; a renewal in that position is granted with <c>yield_requested</c> set (sticky until the lease is released or
/// granted again), and leases being yielded no longer count as kept, so an owner above its share gives up just enough.
/// Candidates are per queue, so a node that does not run a queue's connector never causes that queue to be refused; a
/// release that was not asked for (a stopping node) withdraws the owner's candidacy for that queue.
/// </para>
/// <para>
/// Partitions: every statement names one partition (<c>partition_no</c>, 0 for a queue that is not split); a partition
/// counts as a queue of its own for the share, so a split queue's partitions spread across the nodes. A grant is also
/// refused while any live lease of the same queue was granted for another partition count (<c>partition_count</c>):
/// nodes configured with different counts would put one key in two partitions, and so could run it twice at once.
/// </para>
/// </remarks>
internal static class PostgreSqlLeaseSql
{
    /// <summary>The names of the columns the locking statements answer with, which are not the grant's or renewal's answer.</summary>
    public static readonly HashSet<string> LockColumns = new(StringComparer.Ordinal) { "lease_row_locked", "lease_lock_taken" };

    /// <summary>
    /// Makes sure the queue has a lease row to lock, as a released lease with token 0 (the first grant gets token 1):
    /// without it, two first grants could each wait for what the other holds, one for the row and one for the lease lock.
    /// </summary>
    public const string EnsureRow = """
        INSERT INTO ibus.integration_lease (connector_id, direction, partition_no, partition_count, owner, expires_at, token, acquired_at, yield_requested)
        VALUES (@connector_id, @direction, @partition, @partitions, '', '-infinity', 0, '-infinity', false)
        ON CONFLICT (connector_id, direction, partition_no) DO NOTHING;
        """;

    /// <summary>Locks the queue's lease row until the batch ends, before the lease lock is taken.</summary>
    public const string LockRow = """
        SELECT true AS lease_row_locked FROM ibus.integration_lease
        WHERE connector_id = @connector_id AND direction = @direction AND partition_no = @partition
        FOR UPDATE;
        """;

    /// <summary>Takes the schema's lease lock until the batch ends: grants and renewals are judged one at a time.</summary>
    public const string LockLeases = "SELECT true AS lease_lock_taken FROM pg_advisory_xact_lock(@key);";

    /// <summary>Records that an owner asks for a queue.</summary>
    public const string TouchCandidate = """
        INSERT INTO ibus.integration_lease_candidate AS k (connector_id, direction, partition_no, owner, last_seen)
        VALUES (@connector_id, @direction, @partition, @owner, COALESCE(@clock, now()))
        ON CONFLICT (connector_id, direction, partition_no, owner) DO UPDATE SET last_seen = excluded.last_seen;
        """;

    /// <summary>Forgets the owners that stopped asking for a queue (an hour after their last request).</summary>
    public const string ForgetCandidates = """
        DELETE FROM ibus.integration_lease_candidate
        WHERE connector_id = @connector_id AND direction = @direction AND partition_no = @partition
          AND last_seen < COALESCE(@clock, now()) - @window - interval '1 hour';
        """;

    /// <summary>The counts the fair share is judged by, as CTEs; the queue itself is left out of the holdings.</summary>
    private const string ShareCtes = """
        WITH clock AS (SELECT COALESCE(@clock, now()) AS now),
        live AS (
            SELECT DISTINCT k.owner FROM ibus.integration_lease_candidate k, clock WHERE k.last_seen > clock.now - @window),
        held AS (
            SELECT l.owner, count(*) FILTER (WHERE NOT l.yield_requested) AS keeping, count(*) AS holding
            FROM ibus.integration_lease l, clock
            WHERE l.expires_at > clock.now AND NOT (l.connector_id = @connector_id AND l.direction = @direction AND l.partition_no = @partition)
            GROUP BY l.owner),
        share AS (
            SELECT ceil(((SELECT COALESCE(sum(holding), 0) FROM held) + 1)::numeric / GREATEST((SELECT count(*) FROM live), 1)) AS share),
        over_share AS (
            SELECT 1 AS over FROM share
            WHERE COALESCE((SELECT keeping FROM held WHERE held.owner = @owner), 0) >= share.share
              AND EXISTS (
                SELECT 1 FROM ibus.integration_lease_candidate k, clock
                WHERE k.connector_id = @connector_id AND k.direction = @direction AND k.partition_no = @partition
                  AND k.owner <> @owner AND k.last_seen > clock.now - @window
                  AND COALESCE((SELECT holding FROM held WHERE held.owner = k.owner), 0) < share.share))
        """;

    /// <summary>Grants the lease when it is free, expired or the owner's own, and the owner is not over its share.</summary>
    /// <remarks><c>acquired_at</c> is kept for a same-owner grant of a live lease, as in the SQLite store.</remarks>
    public const string Acquire = ShareCtes + """

        INSERT INTO ibus.integration_lease AS l (connector_id, direction, partition_no, partition_count, owner, expires_at, token, acquired_at, yield_requested)
        SELECT @connector_id, @direction, @partition, @partitions, @owner, clock.now + @duration, 1, clock.now, false
        FROM clock
        WHERE NOT EXISTS (SELECT 1 FROM over_share)
          AND NOT EXISTS (
            SELECT 1 FROM ibus.integration_lease o
            WHERE o.connector_id = @connector_id AND o.direction = @direction AND o.partition_count <> @partitions AND o.expires_at > clock.now)
        ON CONFLICT (connector_id, direction, partition_no) DO UPDATE SET
            acquired_at = CASE WHEN l.owner = excluded.owner AND l.expires_at > excluded.acquired_at THEN l.acquired_at ELSE excluded.acquired_at END,
            owner = excluded.owner,
            expires_at = excluded.expires_at,
            token = l.token + 1,
            partition_count = excluded.partition_count,
            yield_requested = false
        WHERE l.owner = excluded.owner OR l.expires_at <= excluded.acquired_at
        RETURNING l.token, l.acquired_at, l.expires_at;
        """;

    /// <summary>Extends a lease whose token and owner are current (not released); asks it back when the owner is over its share.</summary>
    public const string Renew = ShareCtes + """

        UPDATE ibus.integration_lease AS l
        SET expires_at = clock.now + @duration,
            yield_requested = l.yield_requested OR EXISTS (SELECT 1 FROM over_share)
        FROM clock
        WHERE l.connector_id = @connector_id AND l.direction = @direction AND l.partition_no = @partition AND l.token = @token AND l.owner = @owner
          AND l.expires_at <> '-infinity'
        RETURNING l.acquired_at, l.expires_at, l.yield_requested;
        """;

    /// <summary>
    /// Releases a lease whose token and owner are current (the row and its token stay, the expiry goes to the past). A
    /// release that was not asked for (the node stops) also withdraws the owner's claim on the queue, so the node that
    /// takes it next (a restarted node has a new ID) is not held to a share with one that left; a lease given up because
    /// the store asked for it keeps the claim, so the node still counts for that queue and the share stays balanced.
    /// </summary>
    public const string Release = """
        WITH asked AS (
            SELECT yield_requested FROM ibus.integration_lease
            WHERE connector_id = @connector_id AND direction = @direction AND partition_no = @partition AND token = @token AND owner = @owner),
        released AS (
            UPDATE ibus.integration_lease SET expires_at = '-infinity', yield_requested = false
            WHERE connector_id = @connector_id AND direction = @direction AND partition_no = @partition AND token = @token AND owner = @owner)
        DELETE FROM ibus.integration_lease_candidate
        WHERE connector_id = @connector_id AND direction = @direction AND partition_no = @partition AND owner = @owner
          AND NOT COALESCE((SELECT yield_requested FROM asked), false);
        """;

    /// <summary>Checks that a lease is current and locks its row until the transaction ends, so nobody takes it meanwhile.</summary>
    public const string CheckAndLock = """
        SELECT 1 FROM ibus.integration_lease
        WHERE connector_id = @connector_id AND direction = @direction AND partition_no = @partition AND token = @token AND owner = @owner
        FOR SHARE;
        """;
}
