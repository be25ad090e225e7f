using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Sqlite;

/// <summary>Selects the embedded SQLite task store.</summary>
public static class SqliteIntegrationBusBuilderExtensions
{
    /// <summary>Stores the queues in a SQLite database file (created at start, WAL mode).</summary>
    /// <param name="builder">The bus builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, for example <c>Data Source=bus.db</c>.</param>
    /// <param name="configure">Changes further store options.</param>
    /// <returns>The builder.</returns>
    public static IntegrationBusBuilder UseSqlite(this IntegrationBusBuilder builder, string connectionString, Action<SqliteTaskStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.AddOptions<SqliteTaskStoreOptions>()
            .Configure(options =>
            {
                options.ConnectionString = connectionString;
                configure?.Invoke(options);
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteTaskStoreOptions>, SqliteTaskStoreOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<SqliteTaskStore>();
        return builder.UseStore(sp => sp.GetRequiredService<SqliteTaskStore>());
    }
}
