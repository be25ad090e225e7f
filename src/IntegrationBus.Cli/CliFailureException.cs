namespace IntegrationBus.Cli;

/// <summary>The command was understood but could not be done: a missing task, an unknown connector, a refusal (exit code 1).</summary>
internal sealed class CliFailureException(string message, Exception? innerException = null) : Exception(message, innerException);
