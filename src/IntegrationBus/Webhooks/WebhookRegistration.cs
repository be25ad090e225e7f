using IntegrationBus.Management;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Webhooks;

/// <summary>Registers one webhook connector per entry of a configuration section (composition code).</summary>
internal static class WebhookRegistration
{
    public static void Add(IServiceCollection services, IConfiguration section)
    {
        var path = section is IConfigurationSection { Path: var sectionPath } ? sectionPath : "(root)";
        var entries = section.GetChildren().ToList();
        var names = entries.Select(e => e.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        services.AddSingleton<IValidateOptions<WebhookConnectorOptions>>(new WebhookConnectorOptionsValidator(path, names));
        foreach (var entry in entries)
        {
            var name = entry.Key;
            services.AddOptions<WebhookConnectorOptions>(name).Configure(options => BindWebhook(entry, name, options)).ValidateOnStart();

            // The same entry holds the usual connector options (MaxAttempts, TaskTimeout); other keys are ignored there.
            services.Configure<ConnectorOptions>(name, options => Bind(entry, name, options));
            services.AddHttpClient(WebhookConnector.ClientName(name))
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(sp => WebhookNetwork.CreateHandler(Options(sp, name).AllowPrivateNetwork));
            services.AddSingleton(new ConnectorRegistration(
                sp => new WebhookConnector(
                    name,
                    Options(sp, name),
                    sp.GetRequiredService<IHttpClientFactory>(),
                    sp.GetRequiredService<IntegrationBusManagement>, // at first use: the management service needs the registry this connector is part of
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<WebhookConnector>>()),
                null));
        }
    }

    private static WebhookConnectorOptions Options(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<WebhookConnectorOptions>>().Get(name);

    private static void BindWebhook(IConfigurationSection entry, string name, WebhookConnectorOptions options)
    {
        // The binder drops a list item it cannot convert without a word: a misspelt task type would leave the list empty,
        // which means every operation. Check them first, naming the key.
        var failures = new List<string>();
        foreach (var taskType in entry.GetSection(nameof(WebhookConnectorOptions.Subscriptions)).GetChildren().SelectMany(s => s.GetSection(nameof(WebhookSubscriptionOptions.TaskTypes)).GetChildren()))
        {
            if (!Enum.GetNames<TaskType>().Contains(taskType.Value?.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"Webhook connector '{name}' ({taskType.Path}): '{taskType.Value}' is not a task type; use one of {string.Join(", ", Enum.GetNames<TaskType>())}.");
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(WebhookConnectorOptions), failures);
        }

        Bind(entry, name, options);

        // The same for a subscription with a bad value: the binder drops the whole item. Bound one by one, it reports it.
        options.Subscriptions.Clear();
        foreach (var configured in entry.GetSection(nameof(WebhookConnectorOptions.Subscriptions)).GetChildren())
        {
            var subscription = new WebhookSubscriptionOptions();
            Bind(configured, name, subscription);
            options.Subscriptions.Add(subscription);
        }
    }

    private static void Bind<TOptions>(IConfigurationSection entry, string name, TOptions options)
    {
        try
        {
            entry.Bind(options);
        }
        catch (InvalidOperationException exception)
        {
            // A value of the wrong kind (an unknown data type, a bad duration): the binder's message names the key.
            var reason = exception.InnerException is { } inner ? $"{exception.Message} {inner.Message}" : exception.Message;
            throw new OptionsValidationException(name, typeof(TOptions), [$"Webhook connector '{name}' ({entry.Path}): {reason}"]);
        }
    }
}
