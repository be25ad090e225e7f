using System.IO.Compression;
using System.Xml.Linq;

namespace IntegrationBus.Packaging.Tests;

/// <summary>The <c>ibus</c> tool package: a .NET tool that installs from the feed and runs.</summary>
public sealed class ToolPackageTests(PackedFeed feed)
{
    /// <summary>The command the tool installs.</summary>
    public const string CommandName = "ibus";

    private const string Id = "IntegrationBus.Cli";

    [Fact]
    public void Tool_Package_IsADotnetToolCarryingItsDependenciesAndTheReadme()
    {
        Assert.Equal([Id], Repository.ToolPackageIds);
        var nuspec = feed.Nuspec(Id);
        var files = feed.Files(Id);

        Assert.Equal("DotnetTool", nuspec.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
        Assert.Contains($"tools/net10.0/any/{CommandName}.dll", files);
        Assert.Contains("tools/net10.0/any/IntegrationBus.dll", files);
        Assert.Contains("tools/net10.0/any/IntegrationBus.Sqlite.dll", files);
        Assert.Contains("tools/net10.0/any/IntegrationBus.PostgreSql.dll", files);
        using var package = ZipFile.OpenRead(feed.PackagePath(Id));
        using (var settings = package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open())
        {
            var command = XDocument.Load(settings).Descendants("Command").Single();
            Assert.Equal((CommandName, $"{CommandName}.dll"), (command.Attribute("Name")?.Value, command.Attribute("EntryPoint")?.Value));
        }

        using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "src", Id, "README.md")), readme.ReadToEnd());
    }

    [Fact]
    public async Task Tool_InstalledFromTheFeed_Runs()
    {
        var folder = Directory.CreateTempSubdirectory("ibus-tool-").FullName;
        try
        {
            // Only the packed feed: the tool package carries everything it needs.
            File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="integrationbus-packed" value="{feed.Folder}" />
                  </packageSources>
                </configuration>
                """);
            var tools = Path.Combine(folder, "tools");

            var install = await Repository.DotnetAsync(folder, TimeSpan.FromMinutes(2), "tool", "install", Id, "--version", feed.Version, "--tool-path", tools, "--configfile", Path.Combine(folder, "nuget.config"));
            Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install.Output}");
            var help = await Repository.RunAsync(Path.Combine(tools, CommandName), folder, TimeSpan.FromMinutes(1), "--help");

            Assert.True(help.ExitCode == 0, $"ibus --help exited with {help.ExitCode}:\n{help.Output}");
            Assert.Contains($"Usage:\n  {CommandName} [command] [options]", help.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
