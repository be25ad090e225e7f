using System.Globalization;

namespace IntegrationBus.FaultTests.Support;

/// <summary>One delivery recorded by a worker: the node that delivered it and the object ID.</summary>
public sealed record Delivery(string Node, long ObjectId);

/// <summary>Reads the delivery log a worker appends to (lines <c>&lt;node&gt; &lt;id&gt;</c> or <c>OVERLAP &lt;node&gt;</c>).</summary>
public static class DeliveryLog
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public static IReadOnlyList<string> ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // A line is complete once its newline is written; a trailing fragment is still being written.
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    public static IReadOnlyList<Delivery> Read(string path) =>
        [.. ReadLines(path).Where(l => !l.StartsWith("OVERLAP", StringComparison.Ordinal)).Select(Parse)];

    /// <summary>Polls the external process's file until the condition holds; bounded by <see cref="WorkerProcess.Timeout"/>.</summary>
    public static async Task<IReadOnlyList<Delivery>> WaitUntilAsync(Func<IReadOnlyList<Delivery>, bool> condition, params string[] paths)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(WorkerProcess.Timeout);
        while (true)
        {
            var deliveries = paths.SelectMany(Read).ToList();
            if (condition(deliveries))
            {
                return deliveries;
            }

            try
            {
                await Task.Delay(PollInterval, timeout.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The delivery log did not reach the expected state within {WorkerProcess.Timeout}; it has {deliveries.Count} deliveries.");
            }
        }
    }

    private static Delivery Parse(string line)
    {
        var parts = line.Split(' ');
        return new Delivery(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
