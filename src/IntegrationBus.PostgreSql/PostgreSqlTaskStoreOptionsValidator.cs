using Microsoft.Extensions.Options;

namespace IntegrationBus.PostgreSql;

/// <summary>Validates <see cref="PostgreSqlTaskStoreOptions"/> from its DataAnnotations (source generated).</summary>
[OptionsValidator]
internal sealed partial class PostgreSqlTaskStoreOptionsValidator : IValidateOptions<PostgreSqlTaskStoreOptions>;
