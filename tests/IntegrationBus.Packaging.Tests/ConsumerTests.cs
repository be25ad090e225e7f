namespace IntegrationBus.Packaging.Tests;

/// <summary>
/// A fresh application that references only the packed packages (no project references, none of this repository's
/// build files) builds and runs the README's first program: proof that the packages are complete.
/// </summary>
public sealed class ConsumerTests(PackedFeed feed)
{
    [Fact]
    public async Task FreshApplication_PackagesOnly_LogsAChangeSeesItDeliveredAndAppliesAnIncomingTask()
    {
        var app = Directory.CreateTempSubdirectory("ibus-consumer-").FullName;
        try
        {
            var hosting = Repository.Property("Directory.Packages.props", "MicrosoftExtensionsVersion");
            File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="IntegrationBus" Version="[{feed.Version}]" />
                    <PackageReference Include="IntegrationBus.Sqlite" Version="[{feed.Version}]" />
                    <PackageReference Include="Microsoft.Extensions.Hosting" Version="{hosting}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="integrationbus-packed" value="{feed.Folder}" />
                  </packageSources>
                </configuration>
                """);
            File.Copy(Path.Combine(Repository.Root, "samples", "IntegrationBus.QuickStart", "Program.cs"), Path.Combine(app, "Program.cs"));

            var build = await Repository.DotnetAsync(app, TimeSpan.FromMinutes(5), "build", "--disable-build-servers", "-c", "Release");
            Assert.True(build.ExitCode == 0, $"The consumer did not build:\n{build.Output}");
            var run = await Repository.DotnetAsync(app, TimeSpan.FromMinutes(2), Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll"));

            Assert.True(run.ExitCode == 0, $"The consumer exited with {run.ExitCode}:\n{run.Output}");
            Assert.Contains("outgoing: CreateObject ada@example.com delivered", run.Output, StringComparison.Ordinal);
            Assert.Contains("incoming: Queued", run.Output, StringComparison.Ordinal);
            Assert.Contains("incoming: CreateObject grace@example.com applied", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }
}
