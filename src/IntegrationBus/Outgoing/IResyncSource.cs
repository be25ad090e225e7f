namespace IntegrationBus;

/// <summary>Pages the application's existing objects of one type by ID, for a resync (initial load) of a connector.</summary>
/// <remarks>
/// <para>
/// The bus calls <see cref="ReadBatchAsync"/> once per batch with the last ID done; the source reads the next objects in
/// ascending ID order and hands them to the writer, which builds the connector's tasks and records them with the job's
/// cursor. When the objects live in the bus's database, the source reads them and calls the writer inside one transaction
/// on that database, passing it, and commits after the writer returns <see langword="true"/>; it must read so that no
/// change of those rows can commit between its read and its commit (on SQLite: a transaction that holds the write lock
/// from its start, <c>BEGIN IMMEDIATE</c>; on PostgreSQL: the rows locked <c>FOR SHARE</c>). Then a live change of an
/// object is queued either before the resync copy (and the copy carries it) or after it, never overtaken by an older copy.
/// </para>
/// <para>
/// When the objects live elsewhere, the source passes no transaction and the bus records the batch in a transaction of
/// the store's own. Then a change committed before the batch's read is carried by the resync copy, and a change whose
/// task is appended after the batch's tasks comes after them; but a change that commits after the read and appends its
/// task before the batch does is overtaken by the older copy until the object's next change. Read and append as close
/// together as possible, or keep the data in the bus's database.
/// </para>
/// <para>
/// The EF Core package implements it through the application's <c>DbContext</c> (<c>AddEntityFrameworkCore</c>).
/// </para>
/// </remarks>
public interface IResyncSource
{
    /// <summary>Gets whether the source can read objects of a type; the other types are left out of a resync.</summary>
    /// <param name="type">The object or page type.</param>
    /// <returns><see langword="true"/> when <see cref="ReadBatchAsync"/> can read it.</returns>
    bool CanRead(ObjectTypeInfo type);

    /// <summary>Gets whether the source knows when objects of a type were last modified (needed by a resync with <c>since</c>).</summary>
    /// <param name="type">The object or page type.</param>
    /// <returns><see langword="true"/> when <see cref="ResyncBatchRequest.Since"/> can be applied to the type.</returns>
    bool CanFilterByModification(ObjectTypeInfo type);

    /// <summary>Reads the next batch of objects and hands it to <paramref name="write"/>, once, inside one transaction where it has one.</summary>
    /// <param name="request">The type, the last ID done, the batch size and the modification time filter.</param>
    /// <param name="write">Builds and records the batch's tasks; returns <see langword="false"/> when the job stopped (cancelled, or taken by another node), in which case the source rolls back.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when the batch is committed or rolled back.</returns>
    Task ReadBatchAsync(ResyncBatchRequest request, ResyncBatchWriter write, CancellationToken cancellationToken);
}
