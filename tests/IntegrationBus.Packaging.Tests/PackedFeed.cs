using System.IO.Compression;
using System.Xml.Linq;

[assembly: AssemblyFixture(typeof(IntegrationBus.Packaging.Tests.PackedFeed))]

namespace IntegrationBus.Packaging.Tests;

/// <summary>
/// Every package of the repository packed once into a temporary folder (from the build the test run made), under a
/// version of its own so that no package cache can serve an older copy. Removed, with that version's cache entries,
/// when the tests end.
/// </summary>
public sealed class PackedFeed : IAsyncLifetime
{
    /// <summary>Gets the folder holding the .nupkg and .snupkg files.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("ibus-feed-").FullName;

    /// <summary>Gets the version every package was packed with: the repository's own, with a unique last label.</summary>
    public string Version { get; } =
        $"{Repository.Property("Directory.Build.props", "VersionPrefix")}-{Repository.Property("Directory.Build.props", "VersionSuffix")}.t{DateTime.UtcNow:yyyyMMddHHmmssfff}";

    /// <summary>Gets everything <c>dotnet pack</c> printed.</summary>
    public string PackOutput { get; private set; } = "";

    /// <summary>Reads a package's .nuspec.</summary>
    public XElement Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(PackagePath(id));
        var entry = package.Entries.Single(e => e.FullName == $"{id}.nuspec");
        using var stream = entry.Open();
        return XDocument.Load(stream).Root!;
    }

    /// <summary>Gets the paths of the files inside a package.</summary>
    public IReadOnlyList<string> Files(string id)
    {
        using var package = ZipFile.OpenRead(PackagePath(id));
        return [.. package.Entries.Select(e => e.FullName)];
    }

    public string PackagePath(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    public string SymbolPackagePath(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");

    public async ValueTask InitializeAsync()
    {
        var (exitCode, output) = await Repository.DotnetAsync(
            Repository.Root,
            TimeSpan.FromMinutes(5),
            "pack", "IntegrationBus.slnx", "--no-build", "--disable-build-servers", "-c", Repository.Configuration, "-o", Folder, $"-p:PackageVersion={Version}");
        PackOutput = output;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed with exit code {exitCode}:\n{output}");
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in Repository.PackageIds)
        {
            var restored = Path.Combine(cache, id.ToLowerInvariant(), Version.ToLowerInvariant());
            if (Directory.Exists(restored))
            {
                Directory.Delete(restored, recursive: true);
            }

            var versions = Path.GetDirectoryName(restored)!;
            if (Directory.Exists(versions) && !Directory.EnumerateFileSystemEntries(versions).Any())
            {
                Directory.Delete(versions);
            }
        }

        return ValueTask.CompletedTask;
    }
}
