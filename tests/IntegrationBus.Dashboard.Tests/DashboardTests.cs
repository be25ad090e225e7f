using System.Reflection;
using System.Text.Json;
using IntegrationBus.Dashboard.Tests.Support;
using IntegrationBus.Storage;
using IntegrationBus.TestKit;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationBus.Dashboard.Tests;

/// <summary>
/// The dashboard in headless Chromium against a real application on Kestrel: what an operator sees and does, what a
/// read-only user cannot do, and the phone layout. Every check is an assertion on the page (auto-waiting), never a sleep.
/// </summary>
public sealed class DashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>Set to 1 to write the README's screenshot (docs/images/dashboard.png) from the overview test.</summary>
    public const string UpdateScreenshotsVariable = "INTEGRATIONBUS_UPDATE_SCREENSHOTS";

    private DashboardHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        SetDefaultExpectTimeout(30_000);   // generous: CI runs every test project at once on two cores
        _host = await DashboardHost.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FailingConnector_OperatorOpensTheTaskAndRetries_QueueDrainsAndOverviewUpdates()
    {
        var page = await browser.LoginAsync(_host, "admin");
        _host.Crm.Failing = true;
        await _host.LogContactsAsync(3);

        // The overview shows the error (the first task failed; the run stopped, keeping the order) without a reload.
        var crm = Queue(page, "crm", "Outgoing");
        await Expect(crm.Locator("td.errors")).ToHaveTextAsync("1");
        await Expect(crm.Locator("td.depth")).ToHaveTextAsync("3");
        await Expect(Queue(page, "erp", "Outgoing").Locator("td.depth")).ToHaveTextAsync("0");

        // The error count links to the task list filtered to the errors; the task shows the exception in its attempt log.
        await crm.Locator("td.errors a").ClickAsync();
        await Expect(page.Locator("table.tasks tbody tr")).ToHaveCountAsync(1);
        await page.Locator("table.tasks tbody tr a").First.ClickAsync();
        var attempt = page.Locator("#attempts .attempt");
        await Expect(attempt).ToHaveCountAsync(1);
        await Expect(attempt).ToContainTextAsync("crm is down for maintenance");
        var details = attempt.Locator("details");
        await Expect(details.Locator("pre")).Not.ToBeVisibleAsync();   // the stack trace is folded
        await details.Locator("summary").ClickAsync();
        await Expect(details.Locator("pre")).ToBeVisibleAsync();
        await Expect(details.Locator("pre")).ToContainTextAsync("System.InvalidOperationException");
        await Expect(details.Locator("pre")).ToContainTextAsync("SwitchConnector.ProcessOutgoingAsync");
        await Expect(page.Locator("#payload")).ToContainTextAsync("\"Email\": \"contact1@example.com\"");   // pretty-printed

        // The CRM is back: Retry runs the task now, the queue drains and the overview follows.
        _host.Crm.Failing = false;
        await page.Locator("tr[data-connector='crm'] button[data-action='retry']").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("will run again now");
        await page.Locator(".nav a[data-view='overview']").ClickAsync();
        await Expect(crm.Locator("td.depth")).ToHaveTextAsync("0");
        await Expect(crm.Locator("td.errors")).ToHaveTextAsync("0");
        Assert.Equal(0, await _host.CountAsync("crm"));

        // The retry is in the audit log, with who did it.
        await page.Locator(".nav a[data-view='audit']").ClickAsync();
        await Expect(page.Locator("table.audit tbody tr").First).ToContainTextAsync("admin");
    }

    [Fact]
    public async Task BulkDelete_ByFilter_ConfirmationStatesTheDryRunCountAndOnlyMatchingTasksGo()
    {
        _host.Crm.Failing = true;
        _host.Erp.Failing = true;
        await _host.LogContactsAsync(7);
        var page = await browser.LoginAsync(_host, "admin");
        await Expect(Queue(page, "crm", "Outgoing").Locator("td.errors")).ToHaveTextAsync("1");
        await Expect(Queue(page, "erp", "Outgoing").Locator("td.depth")).ToHaveTextAsync("7");

        // The filter form: connector crm, any status.
        await page.Locator(".nav a[data-view='tasks']").ClickAsync();
        await page.Locator("#filters input[name='connector']").FillAsync("crm");
        await page.Locator("#filters button[type='submit']").ClickAsync();
        await Expect(page.Locator("table.tasks tbody tr")).ToHaveCountAsync(7);

        await page.Locator("button[data-action='bulk-delete']").ClickAsync();
        var dialog = page.Locator("dialog#confirm");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Delete 7 tasks matching connector = crm?");
        await dialog.Locator("#confirm-ok").ClickAsync();

        await Expect(page.Locator("#notice")).ToContainTextAsync("Deleted 7 tasks.");
        await Expect(page.Locator("#no-tasks")).ToBeVisibleAsync();
        Assert.Equal(0, await _host.CountAsync("crm"));
        Assert.Equal(7, await _host.CountAsync("erp"));
    }

    [Fact]
    public async Task BulkRetry_Cancelled_ChangesNothing()
    {
        _host.Erp.Failing = true;
        await _host.LogContactsAsync(2);
        var page = await browser.LoginAsync(_host, "admin");
        await page.GotoAsync(_host.Dashboard + "#/tasks?connector=erp&status=Error");
        await Expect(page.Locator("table.tasks tbody tr")).ToHaveCountAsync(1);

        await page.Locator("button[data-action='bulk-retry']").ClickAsync();
        await Expect(page.Locator("dialog#confirm")).ToContainTextAsync("Retry 1 task matching connector = erp, status = Error?");
        await page.Locator("#confirm-cancel").ClickAsync();
        await Expect(page.Locator("dialog#confirm")).Not.ToBeVisibleAsync();
        Assert.Equal(1, await _host.CountAsync("erp", SynchronizationStatus.Error));
    }

    [Fact]
    public async Task TaskList_MoreThanOnePage_NextAndFirstFollowTheCursor()
    {
        _host.Erp.Failing = true;
        await _host.LogContactsAsync(60);
        var page = await browser.LoginAsync(_host, "admin");
        await page.GotoAsync(_host.Dashboard + "#/tasks?connector=erp");
        var rows = page.Locator("table.tasks tbody tr");
        await Expect(rows).ToHaveCountAsync(50);                                 // one page, never more
        var first = await rows.First.GetAttributeAsync("data-task");

        await page.Locator("#next-page").ClickAsync();
        await Expect(rows).ToHaveCountAsync(10);
        await Expect(page.Locator("#next-page")).ToBeDisabledAsync();
        Assert.NotEqual(first, await rows.First.GetAttributeAsync("data-task"));

        await page.GetByText("First page").ClickAsync();
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First).ToHaveAttributeAsync("data-task", first!);
    }

    [Fact]
    public async Task ReadOnlyUser_SeesNoActionButtons_AndForgedPostsAreRefused()
    {
        _host.Crm.Failing = true;
        await _host.LogContactsAsync(1);
        var page = await browser.LoginAsync(_host, "viewer");
        await Expect(page.Locator("#who")).ToHaveTextAsync("viewer · read-only");
        await Expect(Queue(page, "crm", "Outgoing").Locator("td.errors")).ToHaveTextAsync("1");
        await Expect(page.Locator("button.op")).ToHaveCountAsync(0);

        await page.GotoAsync(_host.Dashboard + "#/tasks?connector=crm");
        await Expect(page.Locator("table.tasks tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#bulk")).ToHaveCountAsync(0);
        await page.Locator("table.tasks tbody tr a").First.ClickAsync();
        await Expect(page.Locator("#attempts .attempt")).ToHaveCountAsync(1);
        await Expect(page.Locator("button.op")).ToHaveCountAsync(0);

        await page.Locator(".nav a[data-view='settings']").ClickAsync();
        await Expect(page.Locator("#settings input[name='enabled']")).ToBeDisabledAsync();
        await Expect(page.Locator("button.op")).ToHaveCountAsync(0);

        // Forged requests from the page itself, with its cookies: the viewer is refused even with a valid token…
        var taskId = (await _host.Management.ListTasksAsync(new TaskQuery { Connector = "crm", Limit = 1 }, TestContext.Current.CancellationToken)).Items[0].Task.Id;
        Assert.Equal(403, await PostFromPageAsync(page, $"tasks/{taskId}/retry", withToken: true));

        // …and an operator's cookies without the antiforgery token (or with a wrong one) change nothing either.
        var admin = await browser.LoginAsync(_host, "admin");
        await Expect(admin.Locator("#who")).ToHaveTextAsync("admin · operator");
        Assert.Equal(400, await PostFromPageAsync(admin, $"tasks/{taskId}/retry", withToken: false));
        Assert.Equal(400, await PostFromPageAsync(admin, $"tasks/{taskId}/retry", withToken: false, header: "forged-token"));
        Assert.Equal(400, await PostFromPageAsync(admin, "connectors/crm/disable", withToken: false));
        Assert.Equal(1, await _host.CountAsync("crm", SynchronizationStatus.Error));
        Assert.True((await _host.Management.GetConnectorsAsync(TestContext.Current.CancellationToken)).Single(c => c.Name == "crm").Enabled);
        Assert.Empty(await _host.Management.ListAuditAsync(new AuditQuery { Limit = 10 }, TestContext.Current.CancellationToken));

        // The same call with the page's token goes through: the refusals above were the token's doing.
        Assert.Equal(200, await PostFromPageAsync(admin, $"tasks/{taskId}/retry", withToken: true));
    }

    [Fact]
    public async Task Settings_OperatorSavesAndPurges_StoredAndAudited()
    {
        var page = await browser.LoginAsync(_host, "admin");
        await page.Locator(".nav a[data-view='settings']").ClickAsync();
        var history = page.Locator("#settings input[name='historyEnabled']");
        await Expect(history).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#settings input[name='historyRetention']")).ToHaveValueAsync("7.00:00:00");

        await history.CheckAsync();
        await page.Locator("#settings input[name='auditRetention']").FillAsync("30.00:00:00");
        await page.Locator("button[data-action='save-settings']").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Settings saved.");
        await Expect(page.Locator("#settings input[name='historyEnabled']")).ToBeCheckedAsync();   // read back from the store
        var stored = await _host.Management.GetSettingsAsync(TestContext.Current.CancellationToken);
        Assert.True(stored.HistoryEnabled);
        Assert.Equal(TimeSpan.FromDays(30), stored.AuditRetention);
        Assert.Equal(TimeSpan.FromDays(7), stored.HistoryRetention);

        await page.Locator("button[data-action='purge']").ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Purged:");

        await page.Locator(".nav a[data-view='audit']").ClickAsync();
        await Expect(page.Locator("table.audit tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("table.audit tbody tr").Nth(1)).ToContainTextAsync("admin");
    }

    [Fact]
    public async Task Overview_PhoneWidth_FitsTheScreenWithoutHorizontalScrolling()
    {
        _host.Crm.Failing = true;
        await _host.LogContactsAsync(2);
        var page = await browser.LoginAsync(_host, "admin", width: 390, height: 844);
        await Expect(Queue(page, "crm", "Outgoing").Locator("td.errors")).ToHaveTextAsync("1");

        var widths = await page.EvaluateAsync<JsonElement>("() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })");
        Assert.True(widths.GetProperty("scroll").GetInt32() <= widths.GetProperty("client").GetInt32(), $"The page scrolls sideways: {widths}");
        foreach (var locator in new[] { page.Locator("#queues tbody tr").First, page.Locator("#rate-chart svg"), page.Locator("header.top") })
        {
            var box = await locator.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390.5, $"{locator} spans {box.X}..{box.X + box.Width} on a 390 px screen.");
        }

        // The rows are stacked cards: each cell carries its label, and the header row is hidden.
        await Expect(page.Locator("#queues thead")).Not.ToBeVisibleAsync();
        var label = await Queue(page, "crm", "Outgoing").Locator("td.errors").EvaluateAsync<string>("td => getComputedStyle(td, '::before').content");
        Assert.Equal("\"Errors\"", label);
    }

    [Fact]
    public async Task Overview_SeveralConnectors_ShowsEveryQueueAndTheLiveRate()
    {
        _host.Crm.Failing = true;
        _host.Search.Delay = TimeSpan.FromMilliseconds(40);
        var page = await browser.LoginAsync(_host, "admin", width: 1280, height: 760);
        await Expect(page.Locator("#queues tbody tr")).ToHaveCountAsync(6);     // three connectors × two directions
        await page.Locator("tr[data-queue='erp/Outgoing'] button[data-action='disable']").ClickAsync();
        await Expect(Queue(page, "erp", "Outgoing").Locator(".pill")).ToHaveTextAsync("disabled");

        await _host.LogContactsAsync(300);
        await Expect(Queue(page, "crm", "Outgoing").Locator("td.errors")).ToHaveTextAsync("1");
        await Expect(Queue(page, "crm", "Outgoing").Locator("td.depth")).ToHaveTextAsync("300");
        await Expect(Queue(page, "erp", "Outgoing").Locator("td.depth")).ToHaveTextAsync("0");   // disabled: no new tasks

        // The search queue drains at about 25 tasks/s: the chart draws it from the depth between polls, without a reload.
        await Expect(page.Locator("#rate-chart polyline")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rate-now")).Not.ToHaveAttributeAsync("data-peak", "0.0");   // the highest rate on the chart
        await Expect(Queue(page, "search", "Outgoing").Locator("td.depth")).ToHaveTextAsync("0", new() { Timeout = 60_000 });
        await Expect(page.Locator("#totals")).ToContainTextAsync("300 tasks waiting, 1 in error");

        if (Environment.GetEnvironmentVariable(UpdateScreenshotsVariable) == "1")
        {
            var root = typeof(DashboardTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(root, "docs", "images", "dashboard.png") });
        }
    }

    [Fact]
    public async Task Overview_CircuitBreakerOpen_BadgeOnTheOutgoingQueueUntilItCloses()
    {
        var page = await browser.LoginAsync(_host, "admin");
        var now = TimeProvider.System.GetUtcNow();
        var open = new CircuitBreakerState { Connector = "crm", Status = CircuitBreakerStatus.Open, ChangedAt = now, OpenedAt = now, OpenUntil = now.AddMinutes(5), Reason = "crm is down" };
        Assert.True(await _host.SetCircuitBreakerAsync(open));

        var badge = Queue(page, "crm", "Outgoing").Locator(".pill.breaker");
        await Expect(badge).ToHaveTextAsync("breaker open");
        await Expect(badge).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^Circuit breaker open until .+: crm is down$"));
        await Expect(Queue(page, "crm", "Incoming").Locator(".pill.breaker")).ToHaveCountAsync(0);

        await _host.SetCircuitBreakerAsync(open with { Status = CircuitBreakerStatus.Closed, OpenUntil = null });
        await Expect(badge).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task BlockedKeys_OperatorReleasesSkipsAndRetriesHeads_KeysLeaveTheListAudited()
    {
        // "legacy" is a connector another application registered in the same store: no runner here holds its queue.
        var ct = TestContext.Current.CancellationToken;
        var ids = await KeyedTasks.AppendParkedAsync(_host.Store, DateTimeOffset.UnixEpoch, "legacy", ["contact/1", "contact/2", "contact 3"], "CRM refused the contact", ct);
        await KeyedTasks.AppendAsync(_host.Store, "legacy", ["contact/1", "contact/1"], ct);
        var page = await browser.LoginAsync(_host, "admin");

        // The queue's Keys link opens the connector's blocked keys: the head, its error and how many tasks wait behind it.
        await Queue(page, "legacy", "Outgoing").Locator("a[data-action='keys']").ClickAsync();
        var rows = page.Locator("table.blocked-keys tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        var first = page.Locator("tr[data-key='contact/1']");
        await Expect(first.Locator("td.waiting")).ToHaveTextAsync("2");
        await Expect(first).ToContainTextAsync("CRM refused the contact");
        await Expect(first.Locator("a")).ToHaveTextAsync(ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture));

        await first.Locator("button[data-action='release']").ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Key contact/1 released");
        await Expect(rows).ToHaveCountAsync(2);

        await page.Locator("tr[data-key='contact/2'] button[data-action='skip']").ClickAsync();
        await Expect(page.Locator("#confirm-text")).ToContainTextAsync($"Skip task {ids[1]}");
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);

        await page.Locator("tr[data-key='contact 3'] button[data-action='retry']").ClickAsync();
        await Expect(page.Locator("#no-keys")).ToBeVisibleAsync();
        var audit = await _host.Management.ListAuditAsync(new AuditQuery { Limit = 10 }, ct);
        Assert.Equal([("key.retry", "admin"), ("key.skip", "admin"), ("key.release", "admin")], audit.Select(a => (a.Action, a.Actor)));

        // A read-only user sees the blocked keys but no action button.
        await KeyedTasks.AppendParkedAsync(_host.Store, DateTimeOffset.UnixEpoch, "legacy", ["contact/4"], "refused", ct);
        var viewer = await browser.LoginAsync(_host, "viewer");
        await viewer.GotoAsync(_host.Dashboard + "#/keys/legacy");
        await Expect(viewer.Locator("table.blocked-keys tbody tr")).ToHaveCountAsync(1);
        await Expect(viewer.Locator("button.op")).ToHaveCountAsync(0);
    }

    private static ILocator Queue(IPage page, string connector, string direction) => page.Locator($"#queues tr[data-queue='{connector}/{direction}']");

    /// <summary>POSTs from inside the page (same origin, the page's cookies), with the page's antiforgery token, none, or a forged one.</summary>
    private static Task<int> PostFromPageAsync(IPage page, string path, bool withToken, string? header = null) =>
        page.EvaluateAsync<int>(
            """
            async ([path, withToken, forged]) => {
              const me = await (await fetch('api/me')).json();
              const headers = {};
              if (withToken) headers[me.antiforgeryHeader] = me.antiforgeryToken;
              else if (forged) headers[me.antiforgeryHeader] = forged;
              const response = await fetch('api/' + path, { method: 'POST', headers });
              return response.status;
            }
            """,
            new object?[] { path, withToken, header });
}
