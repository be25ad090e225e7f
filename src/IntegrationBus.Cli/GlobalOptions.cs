using System.CommandLine;

namespace IntegrationBus.Cli;

/// <summary>The options every command takes: where to connect and how to answer.</summary>
internal sealed class GlobalOptions
{
    /// <summary>Gets the SQLite store file option.</summary>
    public Option<string?> Sqlite { get; } = new("--sqlite") { Description = "The application's SQLite store file (or set IBUS_SQLITE).", HelpName = "FILE", Recursive = true };

    /// <summary>Gets the PostgreSQL connection option.</summary>
    public Option<string?> Postgres { get; } = new("--postgres") { Description = "An Npgsql connection string to the application's database (or set IBUS_POSTGRES).", HelpName = "CONNECTION", Recursive = true };

    /// <summary>Gets the PostgreSQL schema option.</summary>
    public Option<string?> Schema { get; } = new("--schema") { Description = "The store's PostgreSQL schema, when not the default (or set IBUS_SCHEMA).", HelpName = "NAME", Recursive = true };

    /// <summary>Gets the management API option.</summary>
    public Option<string?> Url { get; } = new("--url") { Description = "A running application's management prefix, e.g. http://host:5000/integration/admin (or set IBUS_URL).", HelpName = "URL", Recursive = true };

    /// <summary>Gets the bearer token option.</summary>
    public Option<string?> Token { get; } = new("--token") { Description = "The bearer token for --url (or set IBUS_TOKEN).", HelpName = "TOKEN", Recursive = true };

    /// <summary>Gets the JSON output switch.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Write the answer as JSON (the management API's shapes) for scripts.", Recursive = true };

    /// <summary>Gets the verbose switch.</summary>
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Log to standard error and show stack traces of failures.", Recursive = true };

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(RootCommand root)
    {
        foreach (var option in new Option[] { Sqlite, Postgres, Schema, Url, Token, Json, Verbose })
        {
            root.Add(option);
        }
    }

    /// <summary>Reads the values given.</summary>
    public Values Read(ParseResult parse) => new(
        parse.GetValue(Sqlite), parse.GetValue(Postgres), parse.GetValue(Schema), parse.GetValue(Url), parse.GetValue(Token), parse.GetValue(Json), parse.GetValue(Verbose));

    /// <summary>The values of the global options.</summary>
    internal sealed record Values(string? Sqlite, string? Postgres, string? Schema, string? Url, string? Token, bool Json, bool Verbose);
}
