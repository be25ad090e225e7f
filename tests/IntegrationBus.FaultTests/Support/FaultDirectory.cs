namespace IntegrationBus.FaultTests.Support;

/// <summary>A fresh temp directory holding one drill's database and delivery logs.</summary>
public sealed class FaultDirectory : IDisposable
{
    public FaultDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ibus-fault-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Database => File("bus.db");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
