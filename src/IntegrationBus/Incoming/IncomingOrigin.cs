
namespace IntegrationBus;

/// <summary>Which connector's incoming task the current async flow is applying (loop prevention, DESIGN.md §5).</summary>
internal sealed class IncomingOrigin
{
    private readonly AsyncLocal<ConnectorRuntime?> _current = new();

    /// <summary>Gets the connector whose incoming task is being applied in the current async flow, or <see langword="null"/>.</summary>
    public ConnectorRuntime? Current => _current.Value;

    /// <summary>Marks the current async flow as applying an incoming task from a connector until disposed.</summary>
    public Scope Enter(ConnectorRuntime origin)
    {
        var previous = _current.Value;
        _current.Value = origin;
        return new Scope(this, previous);
    }

    /// <summary>Restores the previous origin when disposed.</summary>
    internal readonly struct Scope(IncomingOrigin owner, ConnectorRuntime? previous) : IDisposable
    {
        public void Dispose() => owner._current.Value = previous;
    }
}
