using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>A SaveChanges without a transaction of the application's: run by the bus in a transaction of its own, in the context's execution strategy.</summary>
internal static class OwnTransactionSave
{
    /// <summary>
    /// Saves inside the context's execution strategy, in a transaction of the bus's own: the nested SaveChanges takes the
    /// explicit-transaction path (tasks written in the transaction, runners woken on commit). Each attempt starts from what
    /// the application queued, so a retried attempt writes its tasks once more and a failed one leaves none behind.
    /// </summary>
    public static int Run(DbContext context, SaveState state)
    {
        var pageOperations = state.PageOperations.ToList();
        int saved;
        try
        {
            saved = context.Database.CreateExecutionStrategy().Execute((context, state, pageOperations), static attempt =>
            {
                StartAttempt(attempt.state, attempt.pageOperations);
                using var transaction = attempt.context.Database.BeginTransaction();
                var count = attempt.context.SaveChanges(acceptAllChangesOnSuccess: false);
                transaction.Commit();
                return count;
            });
        }
        finally
        {
            state.CaptureAfterSave = false;
        }

        EndWithOuterSave(context, state);
        return saved;
    }

    /// <summary>The asynchronous <see cref="Run"/>.</summary>
    public static async Task<int> RunAsync(DbContext context, SaveState state, CancellationToken cancellationToken)
    {
        var pageOperations = state.PageOperations.ToList();
        int saved;
        try
        {
            saved = await context.Database.CreateExecutionStrategy().ExecuteAsync((context, state, pageOperations), static async (attempt, token) =>
            {
                StartAttempt(attempt.state, attempt.pageOperations);
                var transaction = await attempt.context.Database.BeginTransactionAsync(token).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var count = await attempt.context.SaveChangesAsync(acceptAllChangesOnSuccess: false, token).ConfigureAwait(false);
                    await transaction.CommitAsync(token).ConfigureAwait(false);
                    return count;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.CaptureAfterSave = false;
        }

        EndWithOuterSave(context, state);
        return saved;
    }

    /// <summary>
    /// The nested save leaves the entries as they were (a retried attempt must find them so); the suppressed SaveChanges
    /// then raises the context's <c>SavedChanges</c> event with the caller's <c>acceptAllChangesOnSuccess</c>, and the
    /// entries are accepted there if the caller asked for it. The event, not a value kept from the context's
    /// <c>SavingChanges</c> event, because a pooled context drops its event handlers when it goes back to the pool.
    /// </summary>
    /// <remarks>
    /// Until that event (or <c>SaveChangesFailed</c>) change detection is off: the suppressed SaveChanges would scan every
    /// entity again (about 4 % of a save of 1,000) to find what the nested save just wrote. If neither event comes (a later
    /// interceptor threw from its <c>SavingChanges</c>), the context's next SaveChanges restores it first.
    /// </remarks>
    private static void EndWithOuterSave(DbContext context, SaveState state)
    {
        var tracker = context.ChangeTracker;
        var detectionOff = new AutoDetectChangesOff(tracker);
        EventHandler<SavedChangesEventArgs>? saved = null;
        EventHandler<SaveChangesFailedEventArgs>? failed = null;
        void End()
        {
            context.SavedChanges -= saved;
            context.SaveChangesFailed -= failed;
            state.PendingEnd = null;
            detectionOff.Dispose();
        }

        saved = (_, e) =>
        {
            End();
            if (e.AcceptAllChangesOnSuccess)
            {
                tracker.AcceptAllChanges();
            }
        };
        failed = (_, _) => End();
        state.PendingEnd = End;
        context.SavedChanges += saved;
        context.SaveChangesFailed += failed;
    }

    /// <summary>Forgets the entries an earlier attempt captured and queues the application's page operations again.</summary>
    /// <remarks>
    /// Each attempt captures in its nested save, after EF Core detected the changes it is about to write. What an earlier
    /// attempt wrote is forgotten when this attempt begins its transaction (the interceptor's <c>TransactionStarted</c>).
    /// </remarks>
    private static void StartAttempt(SaveState state, List<(object Entity, TaskType Operation)> pageOperations)
    {
        state.ClearCaptured();
        state.PageOperations.AddRange(pageOperations);
        state.CaptureAfterSave = true;
    }
}
