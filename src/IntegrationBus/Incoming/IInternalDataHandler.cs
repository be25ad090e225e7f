
namespace IntegrationBus;

/// <summary>Applies incoming tasks to the application's data; the application (or the EF Core package) implements it.</summary>
/// <remarks>
/// The bus resolves every translation record to an internal ID with <see cref="ReferenceResolver"/>, which calls
/// <see cref="FindObjectIdAsync"/>, before it calls <see cref="ApplyAsync"/>. Changes the handler makes while applying
/// log no outgoing tasks unless the sending connector opts in (<see cref="Connector.RelayIncomingChanges"/>).
/// </remarks>
public interface IInternalDataHandler
{
    /// <summary>Finds an object's internal ID.</summary>
    /// <param name="lookup">The type and the GUID, or the code name with its site and parent.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The internal ID, or <see langword="null"/> when no object matches.</returns>
    Task<long?> FindObjectIdAsync(ObjectLookup lookup, CancellationToken cancellationToken);

    /// <summary>Applies one incoming task: create, update or delete an object or a page, add it to or remove it from a site, publish, archive or move a page.</summary>
    /// <param name="task">The task, its foreign keys already rewritten to internal IDs.</param>
    /// <param name="cancellationToken">Signalled when the bus stops.</param>
    /// <returns>The result; failures are handled by the task's <see cref="IncomingPolicy"/>.</returns>
    Task<TaskResult> ApplyAsync(IncomingTask task, CancellationToken cancellationToken);
}
