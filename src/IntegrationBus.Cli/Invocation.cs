using System.CommandLine;
using System.Text.Json;
using IntegrationBus.Cli.Client;
using IntegrationBus.Cli.Output;

namespace IntegrationBus.Cli;

/// <summary>One run of a command: what was parsed, the connected client and where to write.</summary>
/// <param name="Parse">The parsed command line.</param>
/// <param name="Client">The bus.</param>
/// <param name="Console">The console.</param>
/// <param name="Json">Whether to answer in JSON.</param>
internal sealed record Invocation(ParseResult Parse, IBusClient Client, CliConsole Console, bool Json)
{
    /// <summary>Writes a value as indented JSON to standard output.</summary>
    public void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, CliJson.Indented));

    /// <summary>Writes a line to standard output.</summary>
    public void WriteLine(string line = "") => Console.Out.WriteLine(line);

    /// <summary>Writes an error line to standard error.</summary>
    public void Error(string message) => Console.Error.WriteLine($"ibus: {message}");
}
