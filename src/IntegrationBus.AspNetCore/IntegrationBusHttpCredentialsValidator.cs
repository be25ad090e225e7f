using IntegrationBus.Webhooks;
using Microsoft.Extensions.Options;

namespace IntegrationBus.AspNetCore;

/// <summary>Validates the per-connector credentials of <see cref="IntegrationBusHttpOptions"/>; messages never contain a secret.</summary>
internal sealed class IntegrationBusHttpCredentialsValidator : IValidateOptions<IntegrationBusHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, IntegrationBusHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (connector, credentials) in options.Connectors)
        {
            var prefix = $"IntegrationBusHttpOptions.Connectors['{connector}']";
            if (credentials is null)
            {
                failures.Add($"{prefix} is null; remove the entry or give it ApiKeys, an HmacSecret or WebhookSecrets.");
                continue;
            }

            for (var i = 0; i < credentials.ApiKeys.Count; i++)
            {
                var length = credentials.ApiKeys[i]?.Trim().Length ?? 0;
                if (length < IntegrationBusHttpDefaults.MinimumApiKeyLength)
                {
                    failures.Add($"{prefix}.ApiKeys[{i}] is {length} characters long; use at least {IntegrationBusHttpDefaults.MinimumApiKeyLength} non-blank characters (a random key of 32 or more is recommended).");
                }
            }

            if (credentials.HmacSecret is { } secret && secret.Length < IntegrationBusHttpDefaults.MinimumHmacSecretLength)
            {
                failures.Add($"{prefix}.HmacSecret is {secret.Length} characters long; use at least {IntegrationBusHttpDefaults.MinimumHmacSecretLength} random characters, or remove it.");
            }

            for (var i = 0; i < credentials.WebhookSecrets.Count; i++)
            {
                if (!WebhookSecret.TryParse(credentials.WebhookSecrets[i], out _))
                {
                    failures.Add($"{prefix}.WebhookSecrets[{i}] is not a Standard Webhooks secret; write 'whsec_' followed by the base64 of {WebhookSecret.MinimumKeyLength} to 64 random bytes (WebhookSecret.Generate() makes one).");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
