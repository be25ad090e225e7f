using System.Globalization;
using Microsoft.Extensions.Options;

namespace IntegrationBus.Webhooks;

/// <summary>
/// Validates the webhook connectors of one configuration section at start: the data annotations, then what they cannot say
/// (an absolute http(s) URL, parseable secrets, filters that fit objects or pages). Every message names the connector and
/// its configuration key, so the fix is obvious.
/// </summary>
/// <param name="sectionPath">The configuration path of the section, for example <c>IntegrationBus:Webhooks</c>.</param>
/// <param name="names">The connectors this section defines; other names are not this validator's business.</param>
internal sealed class WebhookConnectorOptionsValidator(string sectionPath, IReadOnlySet<string> names) : IValidateOptions<WebhookConnectorOptions>
{
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        WebhookSignature.IdHeader, WebhookSignature.TimestampHeader, WebhookSignature.SignatureHeader, "Content-Type", "Content-Length", "Host", "Transfer-Encoding",
    };

    private readonly WebhookConnectorOptionsAnnotations _annotations = new();

    public ValidateOptionsResult Validate(string? name, WebhookConnectorOptions options)
    {
        if (name is null || !names.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var key = sectionPath + ":" + name;
        var failures = new List<string>();
        void Fail(string property, string message) => failures.Add($"Webhook connector '{name}' ({key}:{property}): {message}");

        var annotations = _annotations.Validate(name, options);
        foreach (var failure in annotations.Failures ?? [])
        {
            failures.Add($"Webhook connector '{name}' ({key}): {failure}");
        }

        if (name.Length > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            failures.Add($"Webhook connector '{name}' ({key}): the key is the connector's code name; use at most 100 letters, digits, '.', '_' or '-'.");
        }

        CheckUrl(options.Url, Fail);
        CheckSecrets(options.Secrets, Fail);
        foreach (var header in options.Headers.Keys.Where(ReservedHeaders.Contains))
        {
            Fail("Headers:" + header, $"the header '{header}' is set by the connector and cannot be configured.");
        }

        if (options.Subscriptions.Count == 0)
        {
            Fail("Subscriptions", "no subscription is configured, so the connector would receive nothing; add at least one (for example { \"ObjectType\": \"crm.contact\" }).");
        }

        for (var i = 0; i < options.Subscriptions.Count; i++)
        {
            var index = i;
            CheckSubscription(options.Subscriptions[i], (property, message) => Fail(string.Create(CultureInfo.InvariantCulture, $"Subscriptions:{index}:{property}"), message));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(Uri? url, Action<string, string> fail)
    {
        if (url is null)
        {
            fail("Url", "no URL is configured; set the absolute http or https address to POST to.");
        }
        else if (!url.IsAbsoluteUri)
        {
            fail("Url", $"'{url}' is not an absolute URL; write it as https://host/path.");
        }
        else if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            fail("Url", $"the scheme '{url.Scheme}' is not allowed; use https (or http).");
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            fail("Url", "the URL carries a user name or password; put credentials in Headers instead.");
        }
    }

    private static void CheckSecrets(IList<string> secrets, Action<string, string> fail)
    {
        if (secrets.Count == 0)
        {
            fail("Secrets", "no secret is configured; every delivery is signed. Add one made by WebhookSecret.Generate() (whsec_ followed by base64), and give the receiver the same.");
        }

        for (var i = 0; i < secrets.Count; i++)
        {
            try
            {
                WebhookSecret.Parse(secrets[i]);
            }
            catch (ArgumentException exception)
            {
                // The reason only: the secret itself is never part of a message.
                var reason = string.IsNullOrWhiteSpace(secrets[i]) ? "it is empty." : exception.Message.Split(" (Parameter", 2)[0];
                fail(string.Create(CultureInfo.InvariantCulture, $"Secrets:{i}"), $"the secret is not valid: {reason}");
            }
        }
    }

    private static void CheckSubscription(WebhookSubscriptionOptions subscription, Action<string, string> fail)
    {
        if (!Enum.IsDefined(subscription.DataType))
        {
            fail("DataType", $"'{subscription.DataType}' is not a data type; use Simple, SimpleSnapshot or Snapshot.");
        }

        var kind = subscription.Pages ? "a page" : "an object";
        if (subscription.Pages && (subscription.ObjectType is not null || subscription.CodeName is not null))
        {
            fail(subscription.ObjectType is not null ? "ObjectType" : "CodeName", "a page subscription (Pages: true) filters by ClassName, AliasPath and Culture, not by ObjectType or CodeName.");
        }
        else if (!subscription.Pages && (subscription.ClassName is not null || subscription.AliasPath is not null || subscription.Culture is not null))
        {
            var property = subscription.ClassName is not null ? "ClassName" : subscription.AliasPath is not null ? "AliasPath" : "Culture";
            fail(property, "ClassName, AliasPath and Culture filter pages; set \"Pages\": true on this subscription, or use ObjectType for objects.");
        }

        for (var i = 0; i < subscription.TaskTypes.Count; i++)
        {
            var taskType = subscription.TaskTypes[i];
            var fits = subscription.Pages ? taskType.IsPageOperation() : taskType.IsObjectOperation();
            if (!Enum.IsDefined(taskType) || (taskType != TaskType.All && !fits))
            {
                var allowed = string.Join(", ", Enum.GetValues<TaskType>().Where(t => subscription.Pages ? t.IsPageOperation() : t.IsObjectOperation()));
                fail(string.Create(CultureInfo.InvariantCulture, $"TaskTypes:{i}"), $"'{taskType}' is not {kind} operation; use one of {allowed} (or leave TaskTypes empty for all).");
            }
        }
    }
}
