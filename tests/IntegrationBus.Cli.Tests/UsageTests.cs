namespace IntegrationBus.Cli.Tests;

/// <summary>Exit code 2 and one line on standard error for a command line the tool cannot run as written.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new[] { "tasks", "list" }, "No connection: give --sqlite FILE, --postgres CONNECTION or --url URL")]
    [InlineData(new[] { "tasks", "list", "--sqlite", "a.db", "--url", "http://localhost:1/x" }, "Give exactly one of --sqlite, --postgres and --url.")]
    [InlineData(new[] { "tasks", "list", "--url", "ftp://host/x" }, "is not an http or https URL")]
    [InlineData(new[] { "tasks", "list", "--sqlite", "a.db", "--token", "t" }, "--token goes with --url only.")]
    [InlineData(new[] { "tasks", "list", "--sqlite", "a.db", "--direction", "Sideways" }, "'Sideways'")]
    [InlineData(new[] { "tasks", "list", "--sqlite", "a.db", "--limit", "0" }, "--limit must be between 1 and 1000.")]
    [InlineData(new[] { "tasks", "list", "--sqlite", "a.db", "--from", "yesterday" }, "'yesterday' is not a time for --from")]
    [InlineData(new[] { "tasks", "show", "abc", "--sqlite", "a.db" }, "'abc'")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    [InlineData(new string[0], "Required command was not provided.")]
    public async Task BadCommandLine_ExitsTwoWithTheReasonOnStandardError(string[] arguments, string message)
    {
        var result = await Ibus.RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.StartsWith("ibus: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadCursor_ExitsTwo()
    {
        await using var store = await SeededStore.CreateAsync();

        var result = await Ibus.RunAsync(store.Args("tasks", "list", "--after", "not-a-cursor"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a cursor this tool printed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingStoreFile_ExitsOneAndCreatesNothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibuscli-missing-{Guid.NewGuid():N}.db");

        var result = await Ibus.RunAsync(["status", "--sqlite", path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"ibus: No SQLite store at '{path}': give the file the application uses (the tool does not create one).", result.Error.TrimEnd());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task UnreachableApplication_ExitsOneWithoutAStackTrace()
    {
        var result = await Ibus.RunAsync(["queues", "--url", "http://127.0.0.1:1/integration/admin", "--token", "t"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("ibus: Cannot reach http://127.0.0.1:1/integration/admin/", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Help_ExitsZeroAndNamesTheCommands()
    {
        var result = await Ibus.RunOkAsync("--help");

        foreach (var command in new[] { "status", "queues", "tasks", "connectors", "settings", "purge", "audit", "idmap" })
        {
            Assert.Contains($"  {command} ", result.Output, StringComparison.Ordinal);
        }
    }
}
