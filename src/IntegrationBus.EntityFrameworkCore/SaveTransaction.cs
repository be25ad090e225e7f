using System.Transactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// Where a save's tasks are written: in the context's current database transaction (the application's or the bus's
/// own), or, inside an ambient System.Transactions transaction (a <c>TransactionScope</c>), on the context's connection,
/// which the provider enlisted in it; the capture then ends when that transaction completes.
/// </summary>
internal static class SaveTransaction
{
    /// <summary>Prepares a save with bus changes inside an ambient transaction: refuses it when the store cannot write there, else ends the capture with the ambient transaction.</summary>
    /// <param name="context">The context.</param>
    /// <param name="state">The context's state, holding what this save captured.</param>
    /// <exception cref="IntegrationBusException">The bus's store cannot write tasks on an enlisted connection (SQLite); nothing was saved.</exception>
    public static void JoinAmbient(DbContext context, SaveState state)
    {
        var ambient = System.Transactions.Transaction.Current!;
        if (!state.Capture.SupportsEnlistedConnections)
        {
            state.ClearCaptured();
            throw new IntegrationBusException($"SaveChanges of {context.GetType().Name} runs inside an ambient System.Transactions transaction (a TransactionScope) and changes entities the integration bus logs, but the bus's store cannot write tasks in an ambient transaction (PostgreSQL can; SQLite cannot), so nothing was saved. Use context.Database.BeginTransaction() instead of the TransactionScope, or save these entities outside it.");
        }

        if (state.Rejoin(ambient))
        {
            // Another save of the context in the same transaction: it adds to the same capture.
            return;
        }

        if (TakesNoPartInAmbient(context))
        {
            // EF Core would save the entities statement by statement, outside the scope, and the tasks could not join them.
            state.ClearCaptured();
            throw new IntegrationBusException($"SaveChanges of {context.GetType().Name} runs inside an ambient System.Transactions transaction (a TransactionScope) and changes entities the integration bus logs, but its connection string says Enlist=false, so neither the entities nor their tasks would take part in it; nothing was saved. Remove Enlist=false, or use context.Database.BeginTransaction() instead of the TransactionScope.");
        }

        // The completion touches only this transaction's capture: the context may be saving in another by then.
        var capture = state.Join(ambient);
        ambient.TransactionCompleted += (_, e) =>
        {
            state.EndAmbient(ambient);
            if (e.Transaction?.TransactionInformation.Status == TransactionStatus.Committed)
            {
                capture.Committed();
            }
            else
            {
                capture.RolledBack();
            }
        };
    }

    /// <summary>Writes the captured tasks of a finished save synchronously; see <see cref="WriteAsync"/>.</summary>
    /// <param name="context">The context.</param>
    /// <param name="state">The context's state.</param>
    /// <param name="source">Reads referenced objects in the same transaction.</param>
    public static void Write(DbContext context, SaveState state, DbContextObjectDataSource source)
    {
        if (context.Database.CurrentTransaction is { } transaction)
        {
            state.Capture.Write(transaction.GetDbTransaction(), source);
            return;
        }

        var opened = NeedsOpening(context);
        if (opened)
        {
            context.Database.OpenConnection();
        }

        try
        {
            state.Capture.WriteEnlisted(context.Database.GetDbConnection(), source);
        }
        finally
        {
            if (opened)
            {
                context.Database.CloseConnection();
            }
        }
    }

    /// <summary>Writes the captured tasks of a finished save in its transaction, or on the connection enlisted in the ambient one.</summary>
    /// <param name="context">The context.</param>
    /// <param name="state">The context's state.</param>
    /// <param name="source">Reads referenced objects in the same transaction.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the tasks are written.</returns>
    public static async Task WriteAsync(DbContext context, SaveState state, DbContextObjectDataSource source, CancellationToken cancellationToken)
    {
        if (context.Database.CurrentTransaction is { } transaction)
        {
            await state.Capture.WriteAsync(transaction.GetDbTransaction(), source, cancellationToken).ConfigureAwait(false);
            return;
        }

        var opened = NeedsOpening(context);
        if (opened)
        {
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await state.Capture.WriteEnlistedAsync(context.Database.GetDbConnection(), source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (opened)
            {
                await context.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether the context's connection string turns enlisting off (<c>Enlist=false</c>, an ADO.NET keyword of Npgsql and SqlClient alike).</summary>
    private static bool TakesNoPartInAmbient(DbContext context)
    {
        var settings = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = context.Database.GetConnectionString() ?? string.Empty };
        return settings.TryGetValue("Enlist", out var enlist) && bool.TryParse(Convert.ToString(enlist, System.Globalization.CultureInfo.InvariantCulture), out var on) && !on;
    }

    /// <summary>Whether the context's connection must be opened (which enlists it in the ambient transaction) to write the tasks on it.</summary>
    private static bool NeedsOpening(DbContext context) => System.Transactions.Transaction.Current is null
        ? throw new IntegrationBusException("SaveChanges ran without a transaction, so the bus cannot write its tasks with the entities.")
        : context.Database.GetDbConnection().State != System.Data.ConnectionState.Open;
}
