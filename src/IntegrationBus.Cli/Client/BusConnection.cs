using IntegrationBus.PostgreSql;
using IntegrationBus.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace IntegrationBus.Cli.Client;

/// <summary>Where the tool connects: exactly one of a SQLite file, a PostgreSQL database or a management API URL.</summary>
internal sealed record BusConnection
{
    /// <summary>The variable that names a SQLite store file.</summary>
    public const string SqliteVariable = "IBUS_SQLITE";

    /// <summary>The variable that holds a PostgreSQL connection string.</summary>
    public const string PostgresVariable = "IBUS_POSTGRES";

    /// <summary>The variable that holds the PostgreSQL schema.</summary>
    public const string SchemaVariable = "IBUS_SCHEMA";

    /// <summary>The variable that holds the management API URL.</summary>
    public const string UrlVariable = "IBUS_URL";

    /// <summary>The variable that holds the management API bearer token.</summary>
    public const string TokenVariable = "IBUS_TOKEN";

    private BusConnection()
    {
    }

    /// <summary>Gets the SQLite store file.</summary>
    public string? SqliteFile { get; private init; }

    /// <summary>Gets the PostgreSQL connection string.</summary>
    public string? PostgresConnection { get; private init; }

    /// <summary>Gets the PostgreSQL schema, or <see langword="null"/> for the store's default.</summary>
    public string? Schema { get; private init; }

    /// <summary>Gets the management API prefix.</summary>
    public Uri? Url { get; private init; }

    /// <summary>Gets the bearer token.</summary>
    public string? Token { get; private init; }

    /// <summary>Picks the connection from the options, or else from the environment variables.</summary>
    /// <exception cref="UsageException">None, or more than one, is given; or a value is malformed.</exception>
    public static BusConnection Resolve(GlobalOptions.Values values, Func<string, string?> environment)
    {
        var fromOptions = Count(values.Sqlite, values.Postgres, values.Url);
        if (fromOptions > 1)
        {
            throw new UsageException("Give exactly one of --sqlite, --postgres and --url.");
        }

        var sqlite = values.Sqlite;
        var postgres = values.Postgres;
        var url = values.Url;
        if (fromOptions == 0)
        {
            sqlite = environment(SqliteVariable);
            postgres = environment(PostgresVariable);
            url = environment(UrlVariable);
            var fromEnvironment = Count(sqlite, postgres, url);
            if (fromEnvironment == 0)
            {
                throw new UsageException($"No connection: give --sqlite FILE, --postgres CONNECTION or --url URL (or set {SqliteVariable}, {PostgresVariable} or {UrlVariable}).");
            }

            if (fromEnvironment > 1)
            {
                throw new UsageException($"Set only one of {SqliteVariable}, {PostgresVariable} and {UrlVariable} (or give a connection option, which wins).");
            }
        }

        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new UsageException($"--url: '{url}' is not an http or https URL (for example http://localhost:5000/integration/admin).");
            }

            return new BusConnection { Url = uri, Token = values.Token ?? environment(TokenVariable) };
        }

        if (values.Token is not null)
        {
            throw new UsageException("--token goes with --url only.");
        }

        var schema = values.Schema ?? environment(SchemaVariable);
        if (sqlite is not null)
        {
            if (values.Schema is not null)
            {
                throw new UsageException("--schema goes with --postgres only.");
            }

            return new BusConnection { SqliteFile = sqlite };
        }

        return new BusConnection { PostgresConnection = postgres, Schema = string.IsNullOrWhiteSpace(schema) ? null : schema };
    }

    /// <summary>Opens the client for this connection.</summary>
    /// <exception cref="CliFailureException">The SQLite file does not exist.</exception>
    public IBusClient Open(bool verbose)
    {
        if (Url is not null)
        {
            return new HttpBusClient(Url, Token);
        }

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            // Only --verbose logs, and then to standard error: standard output carries the answer (and --json).
            logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.None);
            if (verbose)
            {
                logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });
        services.AddIntegrationBus(bus =>
        {
            // No connectors and no runner: the queues of the applications on this store show through the store.
            bus.Configure(options => options.ProducerOnly = true);
            if (SqliteFile is not null)
            {
                var path = Path.GetFullPath(SqliteFile);
                if (!File.Exists(path))
                {
                    throw new CliFailureException($"No SQLite store at '{path}': give the file the application uses (the tool does not create one).");
                }

                bus.UseSqlite(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite }.ToString());
            }
            else
            {
                bus.UsePostgreSql(PostgresConnection!, options =>
                {
                    if (Schema is not null)
                    {
                        options.Schema = Schema;
                    }
                });
            }
        });
        return new ManagementBusClient(services.BuildServiceProvider(), Actor());
    }

    private static string Actor()
    {
        var user = Environment.UserName;
        return string.IsNullOrEmpty(user) ? "ibus" : $"ibus:{user}";
    }

    private static int Count(params string?[] values) => values.Count(v => !string.IsNullOrEmpty(v));
}
