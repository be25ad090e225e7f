using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>Selects the PostgreSQL task store, for several nodes sharing one set of queues.</summary>
public static class PostgreSqlIntegrationBusBuilderExtensions
{
    /// <summary>Stores the queues in a PostgreSQL database (the schema is created or upgraded at start).</summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="connectionString">An Npgsql connection string, for example <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <param name="configure">Changes further store options.</param>
    /// <returns>The builder.</returns>
    public static IntegrationBusBuilder UsePostgreSql(this IntegrationBusBuilder builder, string connectionString, Action<PostgreSqlTaskStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        AddOptions(builder, options =>
        {
            options.ConnectionString = connectionString;
            configure?.Invoke(options);
        });
        builder.Services.TryAddSingleton(sp => new PostgreSqlTaskStore(
            sp.GetRequiredService<IOptions<PostgreSqlTaskStoreOptions>>(), sp.GetRequiredService<ILogger<PostgreSqlTaskStore>>()));
        return builder.UseStore(sp => sp.GetRequiredService<PostgreSqlTaskStore>());
    }

    /// <summary>Stores the queues in the database of an <see cref="NpgsqlDataSource"/> the application owns (and disposes).</summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="dataSource">The data source, for example the one the application's EF Core context uses.</param>
    /// <param name="configure">Changes further store options (their connection string is ignored).</param>
    /// <returns>The builder.</returns>
    public static IntegrationBusBuilder UsePostgreSql(this IntegrationBusBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlTaskStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        AddOptions(builder, options => configure?.Invoke(options));
        builder.Services.TryAddSingleton(sp => new PostgreSqlTaskStore(
            dataSource, sp.GetRequiredService<IOptions<PostgreSqlTaskStoreOptions>>(), sp.GetRequiredService<ILogger<PostgreSqlTaskStore>>()));
        return builder.UseStore(sp => sp.GetRequiredService<PostgreSqlTaskStore>());
    }

    private static void AddOptions(IntegrationBusBuilder builder, Action<PostgreSqlTaskStoreOptions> configure)
    {
        builder.Services.AddOptions<PostgreSqlTaskStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlTaskStoreOptions>, PostgreSqlTaskStoreOptionsValidator>());
    }
}
