namespace IntegrationBus.Cli;

/// <summary>The command line asks for something the tool cannot do as written (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
