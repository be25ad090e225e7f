using System.Text.RegularExpressions;

namespace IntegrationBus.Packaging.Tests;

/// <summary>The README's code compiles as written: it is quoted from samples that build in CI.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void Readme_FirstProgram_IsTheQuickStartSampleAsWritten()
    {
        var sample = File.ReadAllText(Path.Combine(Repository.Root, "samples", "IntegrationBus.QuickStart", "Program.cs")).ReplaceLineEndings("\n");
        var quoted = QuickStartRegion().Match(sample);
        Assert.True(quoted.Success, "The sample lost its // <quickstart> region.");
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");

        Assert.Contains($"```csharp\n{quoted.Groups["code"].Value}```", readme, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("src/IntegrationBus/README.md")]
    [InlineData("src/IntegrationBus.Sqlite/README.md")]
    [InlineData("src/IntegrationBus.PostgreSql/README.md")]
    [InlineData("src/IntegrationBus.EntityFrameworkCore/README.md")]
    [InlineData("src/IntegrationBus.AspNetCore/README.md")]
    public void Readme_SnippetThatRegistersTheBus_ShowsItsUsings(string path)
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, path)).ReplaceLineEndings("\n");
        var registering = CSharpBlock().Matches(readme).Select(m => m.Groups["code"].Value).Where(code => code.Contains("AddIntegrationBus(", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(registering);
        Assert.All(registering, code => Assert.Contains("using IntegrationBus;", code, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"// <quickstart>\n(?<code>.*?)// </quickstart>", RegexOptions.Singleline)]
    private static partial Regex QuickStartRegion();

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
