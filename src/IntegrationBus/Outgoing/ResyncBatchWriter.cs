using System.Data.Common;

namespace IntegrationBus;

/// <summary>Builds the tasks of a resync batch for its connector and records them with the job's cursor.</summary>
/// <param name="objects">The objects read, in ascending ID order; empty when the type has no more.</param>
/// <param name="transaction">The source's open transaction on the bus's database (written inside it), or <see langword="null"/> when the objects live elsewhere.</param>
/// <param name="dataSource">Reads referenced objects, children and bindings for SimpleSnapshot and Snapshot tasks (inside the same transaction), or <see langword="null"/> for the bus's default.</param>
/// <param name="cancellationToken">Cancels the call.</param>
/// <returns><see langword="true"/> when recorded (commit); <see langword="false"/> when the job stopped and nothing was written (roll back).</returns>
public delegate Task<bool> ResyncBatchWriter(IReadOnlyList<BusObject> objects, DbTransaction? transaction, IObjectDataSource? dataSource, CancellationToken cancellationToken);
