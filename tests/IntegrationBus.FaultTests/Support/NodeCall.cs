using System.Diagnostics;
using System.Globalization;

namespace IntegrationBus.FaultTests.Support;

/// <summary>One connector call a node recorded: outgoing (<see cref="Connector"/> and object ID) or incoming (<c>in</c> and the sequence number), with <see cref="Stopwatch"/> timestamps around it.</summary>
public sealed record NodeCall(string Node, string Connector, long Id, long Start, long End)
{
    /// <summary>The connector name of incoming calls.</summary>
    public const string Incoming = "in";

    /// <summary>Reads the node logs (lines <c>&lt;node&gt; out &lt;connector&gt; &lt;id&gt; &lt;start&gt; &lt;end&gt;</c> or <c>&lt;node&gt; in &lt;sequence&gt; &lt;start&gt; &lt;end&gt;</c>).</summary>
    public static List<NodeCall> Read(params string[] paths) =>
        [.. paths.SelectMany(DeliveryLog.ReadLines).Select(Parse)];

    /// <summary>Polls the node logs until the condition holds; bounded by <see cref="WorkerProcess.Timeout"/>.</summary>
    public static Task<List<NodeCall>> WaitUntilAsync(Func<List<NodeCall>, bool> condition, string what, params string[] paths) =>
        DrillDatabase.WaitUntilAsync(() => Task.FromResult(Read(paths)), condition, what);

    /// <summary>Pairs of calls of one queue on different nodes that overlapped in time (empty when the lease held).</summary>
    public static List<(NodeCall First, NodeCall Second)> Overlaps(IEnumerable<NodeCall> calls)
    {
        var overlaps = new List<(NodeCall, NodeCall)>();
        foreach (var queue in calls.GroupBy(c => c.Connector))
        {
            // Sorted by start; each node's own calls never overlap, so a node's last call ends latest.
            var last = new Dictionary<string, NodeCall>();
            foreach (var call in queue.OrderBy(c => c.Start))
            {
                overlaps.AddRange(last.Values.Where(other => other.Node != call.Node && other.End > call.Start).Select(other => (other, call)));
                last[call.Node] = call;
            }
        }

        return overlaps;
    }

    /// <summary>Seconds from a <see cref="Stopwatch"/> timestamp to this call's start.</summary>
    public double SecondsAfter(long timestamp) => (Start - timestamp) / (double)Stopwatch.Frequency;

    private static NodeCall Parse(string line)
    {
        var parts = line.Split(' ');
        return parts[1] == "out"
            ? new NodeCall(parts[0], parts[2], long.Parse(parts[3], CultureInfo.InvariantCulture), long.Parse(parts[4], CultureInfo.InvariantCulture), long.Parse(parts[5], CultureInfo.InvariantCulture))
            : new NodeCall(parts[0], Incoming, long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture), long.Parse(parts[4], CultureInfo.InvariantCulture));
    }
}
