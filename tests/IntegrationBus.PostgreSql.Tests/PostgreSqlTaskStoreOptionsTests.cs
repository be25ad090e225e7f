using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IntegrationBus.PostgreSql.Tests;

/// <summary>Validation and defaults of <see cref="PostgreSqlTaskStoreOptions"/> (no server needed).</summary>
public sealed class PostgreSqlTaskStoreOptionsTests
{
    [Fact]
    public void Constructor_MissingConnectionString_ThrowsNamingTheOption()
    {
        var error = Assert.Throws<OptionsValidationException>(
            () => new PostgreSqlTaskStore(Options.Create(new PostgreSqlTaskStoreOptions()), NullLogger<PostgreSqlTaskStore>.Instance));

        Assert.Contains(nameof(PostgreSqlTaskStoreOptions.ConnectionString), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad-Schema")]
    [InlineData("1abc")]
    [InlineData("x\"; DROP TABLE y; --")]
    public void Constructor_SchemaNotAnIdentifier_ThrowsNamingTheOptionAndValue(string schema)
    {
        var options = new PostgreSqlTaskStoreOptions { ConnectionString = "Host=localhost", Schema = schema };

        var error = Assert.Throws<OptionsValidationException>(() => new PostgreSqlTaskStore(Options.Create(options), NullLogger<PostgreSqlTaskStore>.Instance));

        Assert.Contains(nameof(PostgreSqlTaskStoreOptions.Schema), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void Constructor_CommandTimeoutOutOfRange_ThrowsNamingTheOptionAndRange(int seconds)
    {
        var options = new PostgreSqlTaskStoreOptions { ConnectionString = "Host=localhost", CommandTimeout = TimeSpan.FromSeconds(seconds) };

        var error = Assert.Throws<OptionsValidationException>(() => new PostgreSqlTaskStore(Options.Create(options), NullLogger<PostgreSqlTaskStore>.Instance));

        Assert.Contains(nameof(PostgreSqlTaskStoreOptions.CommandTimeout), error.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:01", error.Message, StringComparison.Ordinal);
        Assert.Contains("01:00:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreDocumented()
    {
        var options = new PostgreSqlTaskStoreOptions();

        Assert.Equal(("integration_bus", TimeSpan.FromSeconds(30), (string?)null, TimeSpan.FromSeconds(30)),
            (options.Schema, options.CommandTimeout, options.NotificationChannel, options.ListenKeepAlive));
    }
}
