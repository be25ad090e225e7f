using Microsoft.Extensions.Options;

namespace IntegrationBus.Sqlite;

/// <summary>Validates <see cref="SqliteTaskStoreOptions"/> from its DataAnnotations (source generated).</summary>
[OptionsValidator]
internal sealed partial class SqliteTaskStoreOptionsValidator : IValidateOptions<SqliteTaskStoreOptions>;
