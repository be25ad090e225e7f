using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;

namespace IntegrationBus.Packaging.Tests;

/// <summary>What a user sees of each package on a feed: its metadata, README, documentation and symbols.</summary>
public sealed class PackageMetadataTests(PackedFeed feed)
{
    /// <summary>The SourceLink custom debug information of a portable PDB.</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> PackageIds => [.. Repository.PackageIds];

    public static TheoryData<string> LibraryPackageIds => [.. Repository.LibraryPackageIds];

    [Fact]
    public void Pack_EveryPackage_NoWarningAndOnePackageWithSymbolsEach()
    {
        Assert.DoesNotContain("warning", feed.PackOutput, StringComparison.OrdinalIgnoreCase);
        var packed = Directory.GetFiles(feed.Folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        var expected = Repository.PackageIds.SelectMany(id => new[] { $"{id}.{feed.Version}.nupkg", $"{id}.{feed.Version}.snupkg" }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, packed);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Nuspec_Package_CarriesVersionDescriptionTagsLicenseUrlsAndReadme(string id)
    {
        var metadata = Metadata(feed.Nuspec(id));

        Assert.Equal(id, metadata("id"));
        Assert.Equal(feed.Version, metadata("version"));
        Assert.StartsWith("0.", metadata("version"), StringComparison.Ordinal);
        Assert.Contains('-', metadata("version"));                                       // a pre-release until 1.0
        Assert.True(metadata("description").Length >= 40, $"{id}: the description is too short to tell what the package is: '{metadata("description")}'");
        Assert.Contains("integration", metadata("tags").Split(' '));
        Assert.Equal("MIT", metadata("license"));
        Assert.StartsWith("https://", metadata("projectUrl"), StringComparison.Ordinal);
        Assert.Equal("README.md", metadata("readme"));

        var repository = feed.Nuspec(id).Descendants().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.StartsWith(metadata("projectUrl"), repository.Attribute("url")?.Value, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
    }

    [Theory]
    [MemberData(nameof(LibraryPackageIds))]
    public void Contents_Package_HasAssemblyXmlDocsAndTheProjectReadme(string id)
    {
        var files = feed.Files(id);

        Assert.Contains($"lib/net10.0/{id}.dll", files);
        Assert.Contains($"lib/net10.0/{id}.xml", files);
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "src", id, "README.md")), readme.ReadToEnd());
    }

    [Theory]
    [MemberData(nameof(LibraryPackageIds))]
    public void Dependencies_OnOtherPackagesOfTheRepository_UseTheSameVersion(string id)
    {
        var dependencies = feed.Nuspec(id).Descendants().Where(e => e.Name.LocalName == "dependency").ToList();

        var own = dependencies.Where(d => Repository.PackageIds.Contains(d.Attribute("id")!.Value)).ToList();
        Assert.All(own, d => Assert.Equal(feed.Version, d.Attribute("version")!.Value));
        if (id != "IntegrationBus")
        {
            Assert.Contains(own, d => d.Attribute("id")!.Value == "IntegrationBus");
        }
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void SymbolPackage_Pdb_MapsSourcesToTheRepositoryThroughSourceLink(string id)
    {
        using var symbols = ZipFile.OpenRead(feed.SymbolPackagePath(id));
        using var pdb = new MemoryStream();
        var pdbPath = Repository.ToolPackageIds.Contains(id) ? $"tools/net10.0/any/{ToolPackageTests.CommandName}.pdb" : $"lib/net10.0/{id}.pdb";
        using (var entry = symbols.GetEntry(pdbPath)!.Open())
        {
            entry.CopyTo(pdb);
        }

        pdb.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        var sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(information => reader.GetGuid(information.Kind) == SourceLinkKind)
            .Select(information => Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value)))
            .SingleOrDefault();

        Assert.NotNull(sourceLink);
        Assert.Contains("https://raw.githubusercontent.com/", sourceLink, StringComparison.Ordinal);
    }

    private static Func<string, string> Metadata(XElement nuspec)
    {
        var metadata = nuspec.Elements().Single(e => e.Name.LocalName == "metadata");
        return name => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
    }
}
