using System.CommandLine;
using System.Data.Common;
using System.Net.Sockets;
using IntegrationBus.Cli.Client;

namespace IntegrationBus.Cli;

/// <summary>Runs one command: connects, calls the command, and turns every failure into one line on standard error and an exit code.</summary>
internal sealed class CommandRunner(GlobalOptions options, CliConsole console, Func<string, string?> environment)
{
    /// <summary>Gets the console.</summary>
    public CliConsole Console => console;

    /// <summary>Gets the global options.</summary>
    public GlobalOptions Options => options;

    /// <summary>Sets a command's action: connect, run the body, report.</summary>
    public void Handle(Command command, Func<Invocation, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, body, cancellationToken));

    /// <summary>Writes an error line.</summary>
    public void Fail(string message) => console.Error.WriteLine($"ibus: {message}");

    private async Task<int> RunAsync(ParseResult parse, Func<Invocation, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var values = options.Read(parse);
        try
        {
            var connection = BusConnection.Resolve(values, environment);
            var client = connection.Open(values.Verbose);
            await using (client.ConfigureAwait(false))
            {
                return await body(new Invocation(parse, client, console, values.Json), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (UsageException exception)
        {
            Fail(exception.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Fail("cancelled.");
            return ExitCodes.Failed;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Fail(Describe(exception));
            if (values.Verbose)
            {
                console.Error.WriteLine(exception.ToString());
            }

            return exception is HttpAnswerException { Status: System.Net.HttpStatusCode.BadRequest } ? ExitCodes.Usage : ExitCodes.Failed;
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        CliFailureException or HttpAnswerException => exception.Message,
        DbException or SocketException => $"The store is unreachable or refused the command: {OneLine(exception.Message)}",
        _ when exception.InnerException is DbException inner => $"The store is unreachable or refused the command: {OneLine(inner.Message)}",
        _ => $"{OneLine(exception.Message)} ({exception.GetType().Name}; --verbose shows details)",
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
