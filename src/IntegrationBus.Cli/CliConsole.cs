namespace IntegrationBus.Cli;

/// <summary>Where the tool writes its answer (standard output), its errors and prompts (standard error), and reads answers.</summary>
/// <param name="Out">Standard output: the answer only.</param>
/// <param name="Error">Standard error: errors, prompts and logs.</param>
/// <param name="In">Standard input: the answer to a confirmation.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In);
