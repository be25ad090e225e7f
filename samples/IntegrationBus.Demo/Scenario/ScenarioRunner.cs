using System.Diagnostics;
using System.Net.Http.Json;
using IntegrationBus.Demo.Content;
using IntegrationBus.Demo.Crm;
using IntegrationBus.Demo.Search;
using IntegrationBus.Management;

namespace IntegrationBus.Demo.Scenario;

/// <summary>
/// The scripted run: changes through the content API (real HTTP), a CRM outage with the queues shown, the CRM back,
/// contact edits pushed back by the CRM (incoming), every queue drained, then one summary line per connector.
/// </summary>
public sealed class ScenarioRunner(DemoLinks links, DeliveryLog deliveries, TimeSpan timeout) : IDisposable
{
    private readonly Dictionary<string, List<(string ObjectKey, long Sequence)>> _made = DemoConnectors.All.ToDictionary(c => c, _ => new List<(string, long)>());
    private readonly HttpClient _content = new() { BaseAddress = links.ContentUrl, Timeout = TimeSpan.FromSeconds(10) };
    private readonly HttpClient _crm = new() { BaseAddress = links.CrmUrl, Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _content.Dispose();
        _crm.Dispose();
    }

    public async Task<int> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(timeout);
        var ct = deadline.Token;
        try
        {
            Console.WriteLine("1. The CRM is up: users, polls and articles are created and changed through the content API.");
            var alice = await UserAsync(HttpMethod.Post, "users", new UserRequest("alice", "alice@example.com", "Alice Archer", "editors"), ct);
            var bob = await UserAsync(HttpMethod.Post, "users", new UserRequest("bob", "bob@example.com", "Bob Baker", "members"), ct);
            var carol = await UserAsync(HttpMethod.Post, "users", new UserRequest("carol", "carol@example.com", "Carol Cole", null), ct);
            var dave = await UserAsync(HttpMethod.Post, "users", new UserRequest("dave", "dave@example.com", "Dave Dunn", "editors"), ct);
            await UserAsync(HttpMethod.Put, $"users/{bob.Id}", new UserRequest("bob", "bob@example.org", "Bob Baker", "editors"), ct);
            var lunch = await PollAsync(HttpMethod.Post, "polls", new PollRequest("lunch", "Where do we eat?", ["Pizza", "Sushi", "Salad"], ["editors"]), ct);
            var survey = await PollAsync(HttpMethod.Post, "polls", new PollRequest("survey", "How is the site?", ["Good", "Bad"], ["members"]), ct);
            await PollAsync(HttpMethod.Put, $"polls/{lunch.Id}", new PollRequest("lunch", "Where do we eat on Friday?", ["Pizza", "Sushi"], ["editors", "members"]), ct);
            var news = await PageAsync(HttpMethod.Post, "pages", new PageRequest("/news/bus", "The bus is here", "…", ["bus", "news"], ["Announcements"], ["bus.pdf"]), ct);
            var howTo = await PageAsync(HttpMethod.Post, "pages", new PageRequest("/docs/how-to", "How to", "…", ["docs"], ["Guides"], []), ct);
            await PageAsync(HttpMethod.Post, $"pages/{news.Id}/publish", null, ct, publish: true);
            Console.WriteLine("   A burst: eight users created and changed twice each, in parallel requests.");
            await Parallel.ForEachAsync(Enumerable.Range(1, 8), ct, async (i, token) =>
            {
                var user = await UserAsync(HttpMethod.Post, "users", new UserRequest($"burst{i}", $"burst{i}@example.com", $"Burst {i}", i % 2 == 0 ? "editors" : null), token);
                await UserAsync(HttpMethod.Put, $"users/{user.Id}", new UserRequest($"burst{i}", $"burst{i}@example.org", $"Burst {i}", "members"), token);
                await UserAsync(HttpMethod.Put, $"users/{user.Id}", new UserRequest($"burst{i}", $"burst{i}@example.net", $"Burst {i}", null), token);
            });
            await WaitUntilDrainedAsync(ct);
            await PrintQueuesAsync("   queues", ct);

            Console.WriteLine("2. The CRM goes down (503): more changes are logged; deliveries fail and wait in order.");
            (await _crm.PostAsync(new Uri("admin/down", UriKind.Relative), null, ct)).EnsureSuccessStatusCode();
            await UserAsync(HttpMethod.Put, $"users/{alice.Id}", new UserRequest("alice", "alice@example.org", "Alice Archer", "members"), ct);
            await UserAsync(HttpMethod.Put, $"users/{alice.Id}", new UserRequest("alice", "alice@example.net", "Alice Archer-Smith", "members"), ct);
            var erin = await UserAsync(HttpMethod.Post, "users", new UserRequest("erin", "erin@example.com", "Erin East", "members"), ct);
            await UserAsync(HttpMethod.Delete, $"users/{carol.Id}", null, ct, delete: true);
            await PollAsync(HttpMethod.Put, $"polls/{survey.Id}", new PollRequest("survey", "How is the new site?", ["Good", "Fine", "Bad"], ["members", "editors"]), ct);
            await PollAsync(HttpMethod.Post, "polls", new PollRequest("vote", "Next feature?", ["Dashboard", "CLI"], []), ct);
            await PollAsync(HttpMethod.Delete, $"polls/{lunch.Id}", null, ct, delete: true);
            await PageAsync(HttpMethod.Put, $"pages/{howTo.Id}", new PageRequest("/docs/how-to", "How to use the bus", "…", ["docs", "bus"], ["Guides"], ["setup.png"]), ct);
            await PageAsync(HttpMethod.Post, $"pages/{howTo.Id}/publish", null, ct, publish: true);
            await PageAsync(HttpMethod.Delete, $"pages/{news.Id}", null, ct);
            await UserAsync(HttpMethod.Put, $"users/{erin.Id}", new UserRequest("erin", "erin@example.org", "Erin East", "editors"), ct);
            await WaitForFailuresAsync(ct);
            await PrintQueuesAsync("   queues while the CRM is down", ct);

            Console.WriteLine("3. The CRM is back: the retry timer delivers the waiting tasks, in order.");
            (await _crm.PostAsync(new Uri("admin/up", UriKind.Relative), null, ct)).EnsureSuccessStatusCode();
            await WaitUntilDrainedAsync(ct);
            await PrintQueuesAsync("   queues", ct);
            foreach (var document in (await _content.GetFromJsonAsync<List<SearchDocument>>(new Uri("api/search", UriKind.Relative), ct))!)
            {
                Console.WriteLine($"   search index: {document.AliasPath} '{document.Title}' tags [{string.Join(", ", document.Tags)}], categories [{string.Join(", ", document.Categories)}], attachments [{string.Join(", ", document.Attachments)}]{(document.Published ? ", published" : "")}");
            }

            Console.WriteLine("4. CRM users edit contacts: the CRM pushes them to /integration/connectors/crm/incoming (X-Api-Key).");
            await PushAsync(alice.Guid, "Alice A. Smith", ct);
            await PushAsync(dave.Guid, "David Dunn", ct);
            await PushAsync(alice.Guid, "Alice Smith", ct);
            await WaitUntilDrainedAsync(ct);
            var final = await _content.GetFromJsonAsync<User>(new Uri($"api/users/{alice.Id}", UriKind.Relative), ct);
            Console.WriteLine($"   alice in the content app: {final!.FullName}, role {final.RoleId} (from the CRM segment), CRM version {final.CrmVersion}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.WriteLine($"The scenario timed out after {timeout.TotalSeconds:0} s.");
            await PrintSummaryAsync(CancellationToken.None);
            return 2;
        }

        var clean = await PrintSummaryAsync(CancellationToken.None);
        Console.WriteLine($"Scenario finished in {clock.Elapsed.TotalSeconds:0.0} s.");
        return clean ? 0 : 1;
    }

    private async Task<ChangeResponse> UserAsync(HttpMethod method, string path, UserRequest? request, CancellationToken ct, bool delete = false)
    {
        var change = await SendAsync(method, path, request, ct);
        var sequence = delete ? Delivery.Deleted : Delivery.SequenceOf(change.Version);
        Made(DemoConnectors.CrmUsers, change.Guid, sequence);
        Made(DemoConnectors.Audit, change.Guid, sequence);
        return change;
    }

    private async Task<ChangeResponse> PollAsync(HttpMethod method, string path, PollRequest? request, CancellationToken ct, bool delete = false)
    {
        var change = await SendAsync(method, path, request, ct);
        var sequence = delete ? Delivery.Deleted : Delivery.SequenceOf(change.Version);
        Made(DemoConnectors.CrmPolls, change.Guid, sequence);
        Made(DemoConnectors.Audit, change.Guid, sequence);
        return change;
    }

    private async Task<ChangeResponse> PageAsync(HttpMethod method, string path, PageRequest? request, CancellationToken ct, bool publish = false)
    {
        var change = await SendAsync(method, path, request, ct);
        Made(DemoConnectors.Search, change.Guid, method == HttpMethod.Delete ? Delivery.Deleted : Delivery.SequenceOf(change.Version, publish));
        return change;
    }

    private async Task PushAsync(Guid contact, string fullName, CancellationToken ct)
    {
        using var response = await _crm.PostAsJsonAsync(new Uri($"admin/contacts/{contact}/push", UriKind.Relative), new CrmEdit(fullName), ct);
        response.EnsureSuccessStatusCode();
        var push = await response.Content.ReadFromJsonAsync<PushResult>(ct);
        Console.WriteLine($"   CRM pushed contact {contact:N} (CRM version {push!.CrmVersion}): the bus answered {push.Status}");
        if (push.Status is not (202 or 200))
        {
            throw new InvalidOperationException($"The content app refused the pushed contact: {push.Body}");
        }

        Made(DemoConnectors.CrmIncoming, contact, push.CrmVersion);
    }

    private async Task<ChangeResponse> SendAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri("api/" + path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) };
        using var response = await _content.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ChangeResponse>(ct))!;
    }

    private void Made(string connector, Guid guid, long sequence)
    {
        lock (_made)
        {
            _made[connector].Add((guid.ToString("N"), sequence));
        }
    }

    private async Task<IReadOnlyList<QueueOverview>> QueuesAsync(CancellationToken ct) =>
        (await _content.GetFromJsonAsync<List<QueueOverview>>(new Uri("api/queues", UriKind.Relative), ct))!;

    private async Task PrintQueuesAsync(string title, CancellationToken ct)
    {
        var queues = await QueuesAsync(ct);
        var lines = queues.Where(q => q.Pending + q.Errors + q.Skipped + q.Failed > 0)
            .Select(q => $"{q.Connector}/{q.Direction}: pending {q.Pending}, errors {q.Errors}, failed {q.Failed}")
            .ToList();
        Console.WriteLine($"{title}: {(lines.Count == 0 ? "all empty" : string.Join("; ", lines))}");
    }

    private async Task WaitForFailuresAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var queues = await QueuesAsync(ct);
            if (queues.Any(q => q.Connector == DemoConnectors.CrmUsers && q.Errors > 0) && queues.Any(q => q.Connector == DemoConnectors.CrmPolls && q.Errors > 0))
            {
                return;
            }
        }
    }

    private async Task WaitUntilDrainedAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var queues = await QueuesAsync(ct);
            if (queues.All(q => q.Pending + q.Errors + q.Skipped + q.Failed == 0) && (await SummarizeAsync(ct)).All(s => s.Lost == 0))
            {
                return;
            }
        }
    }

    private async Task<List<ConnectorSummary>> SummarizeAsync(CancellationToken ct)
    {
        var summaries = new List<ConnectorSummary>();
        foreach (var connector in DemoConnectors.All)
        {
            var received = connector is DemoConnectors.CrmUsers or DemoConnectors.CrmPolls
                ? (await _crm.GetFromJsonAsync<List<Delivery>>(new Uri($"admin/deliveries/{connector}", UriKind.Relative), ct))!
                : deliveries.Get(connector);
            summaries.Add(ConnectorSummary.Compute(connector, _made[connector], received));
        }

        return summaries;
    }

    private async Task<bool> PrintSummaryAsync(CancellationToken ct)
    {
        var summaries = await SummarizeAsync(ct);
        summaries.ForEach(Console.WriteLine);
        return summaries.All(s => s.IsClean) && summaries.Single(s => s.Connector == DemoConnectors.CrmIncoming).Delivered >= 1;
    }

    private sealed record PushResult(int CrmVersion, int Status, string Body);
}
