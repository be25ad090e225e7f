using System.Globalization;

namespace IntegrationBus.Processing;

/// <summary>
/// Calls a connector (or a data handler) for one task under the run's token and the connector's task timeout, and turns
/// what happens into a result: an exception keeps its type, message and stack trace for the attempt log.
/// </summary>
internal static class ConnectorCall
{
    /// <summary>Makes the call.</summary>
    /// <typeparam name="TState">What the call needs (passed through, so the call needs no closure).</typeparam>
    /// <param name="call">The call, given its state and the token it must honour.</param>
    /// <param name="state">The call's state.</param>
    /// <param name="callee">Who is called, for the error of a null result (<c>Connector 'crm'</c>).</param>
    /// <param name="timeout">The connector's task timeout, or <see langword="null"/>.</param>
    /// <param name="time">The clock the timeout runs on.</param>
    /// <param name="runToken">The run's token.</param>
    /// <remarks>
    /// A call that ignores its token is abandoned when the timeout passes or the run ends: the runner stops waiting
    /// for it. Cancellation of the run itself (the bus stops, the lease is lost) is rethrown, never a result.
    /// </remarks>
    public static async Task<CallOutcome> InvokeAsync<TState>(Func<TState, CancellationToken, Task<TaskResult>> call, TState state, string callee, TimeSpan? timeout, TimeProvider time, CancellationToken runToken)
    {
        if (timeout is not { } limit)
        {
            try
            {
                return Completed(await call(state, runToken).WaitAsync(runToken).ConfigureAwait(false), callee);
            }
            catch (OperationCanceledException) when (runToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                return Failed(exception);
            }
        }

        using var timeoutSource = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(runToken, timeoutSource.Token);
        try
        {
            return Completed(await call(state, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false), callee);
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException exception) when (timeoutSource.IsCancellationRequested)
        {
            return new CallOutcome(
                TaskResult.Error(string.Create(CultureInfo.InvariantCulture, $"The call did not finish within the task timeout of {limit} and was cancelled.")),
                exception);
        }
        catch (Exception exception)
        {
            return Failed(exception);
        }
    }

    // A callee that returns null (despite the non-nullable signature) gets an error, not a crash.
    private static CallOutcome Completed(TaskResult? result, string callee) =>
        new(result ?? TaskResult.Error($"{callee} returned no result."), null);

    private static CallOutcome Failed(Exception exception) =>
        new(TaskResult.Error(exception is IntegrationBusException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}"), exception);
}

/// <summary>What one call gave: the result (never null) and the exception behind an error, if any.</summary>
/// <param name="Result">The result; a null result from the callee is already an error.</param>
/// <param name="Exception">The exception the call threw, kept for the attempt log and the log event.</param>
internal readonly record struct CallOutcome(TaskResult Result, Exception? Exception);
