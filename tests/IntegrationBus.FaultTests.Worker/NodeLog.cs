using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace IntegrationBus.FaultTests.Worker;

/// <summary>
/// A node's record of its connector calls, one line per call, each written with one <c>write</c> call: a SIGKILL never
/// leaves half a line, and a finished write survives the kill (no fsync: the drills kill processes, not machines).
/// Lines: <c>&lt;node&gt; out &lt;connector&gt; &lt;objectId&gt; &lt;start&gt; &lt;end&gt;</c> and
/// <c>&lt;node&gt; in &lt;sequence&gt; &lt;start&gt; &lt;end&gt;</c>, where start and end are <see cref="Stopwatch"/>
/// timestamps taken around the call. They read the system's monotonic clock, so the test compares them across
/// processes: two calls of one queue on different nodes must never overlap.
/// </summary>
internal sealed class NodeLog : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _lock = new();

    public NodeLog(string path, string node)
    {
        Node = node;
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    public string Node { get; }

    public void Outgoing(string connector, long objectId, long start, long end) =>
        Write(string.Create(CultureInfo.InvariantCulture, $"{Node} out {connector} {objectId} {start} {end}\n"));

    public void Incoming(long sequence, long start, long end) =>
        Write(string.Create(CultureInfo.InvariantCulture, $"{Node} in {sequence} {start} {end}\n"));

    public void Dispose() => _file.Dispose();

    private void Write(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_lock)
        {
            _file.Write(bytes);
        }
    }
}
