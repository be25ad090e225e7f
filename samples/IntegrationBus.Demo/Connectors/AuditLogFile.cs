namespace IntegrationBus.Demo.Connectors;

/// <summary>The audit log file (and console echo).</summary>
public sealed class AuditLogFile(string path) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    public async Task WriteAsync(string line, CancellationToken cancellationToken)
    {
        Console.WriteLine($"  {line}");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await File.AppendAllTextAsync(path, line + Environment.NewLine, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
