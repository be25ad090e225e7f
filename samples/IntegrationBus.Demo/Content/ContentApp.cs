using IntegrationBus.AspNetCore;
using IntegrationBus.Demo.Connectors;
using IntegrationBus.Demo.Operate;
using IntegrationBus.Demo.Scenario;
using IntegrationBus.Demo.Search;
using IntegrationBus.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.Demo.Content;

/// <summary>The content application: EF Core on SQLite (or PostgreSQL), the bus in the same database, the content API and the bus's HTTP endpoints.</summary>
public static class ContentApp
{
    public static async Task<WebApplication> StartAsync(string[] args, string dataDirectory, DemoDatabase database, DemoLinks links, DeliveryLog deliveries, DemoAccess access)
    {
        await database.EnsureCreatedAsync(deliveries, CancellationToken.None);

        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("IntegrationBus.Processing", LogLevel.Error);   // retries are shown as queue counts instead
        AddServices(builder.Services, dataDirectory, database, links, deliveries);
        builder.AddDemoTelemetry();
        builder.Services.AddIntegrationBusHttp(http =>
        {
            http.Connectors[DemoConnectors.CrmIncoming] = new IntegrationBusHttpCredentials();
            http.Connectors[DemoConnectors.CrmIncoming].ApiKeys.Add(DemoLinks.ApiKey);
        });

        builder.Services.AddDemoLogin(access);
        builder.Services.AddIntegrationBusManagementApi();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseIntegrationBusScope();
        app.MapIntegrationBus("/integration");
        app.MapDemoLogin();
        app.MapIntegrationBusManagement(DemoAccess.DashboardPath, o =>
        {
            o.ReadPolicy = DemoAccess.ReadPolicy;         // admin or viewer: the dashboard and every GET
            o.OperatePolicy = DemoAccess.OperatePolicy;   // admin (cookie or the printed bearer token): every change
        });
        app.MapContentApi();
        app.MapDemoHealth();
        await app.StartAsync();
        links.ContentUrl = new Uri(app.Urls.First());
        return app;
    }

    /// <summary>
    /// The application's services without the web part: the DbContext with the bus's interceptor, the bus with its
    /// entities and connectors. The external writer (<see cref="Writer.ExternalWriter"/>) registers the same, producer-only.
    /// </summary>
    public static void AddServices(IServiceCollection services, string dataDirectory, DemoDatabase database, DemoLinks links, DeliveryLog deliveries, bool producerOnly = false)
    {
        services.AddSingleton(links);
        services.AddSingleton(deliveries);
        services.AddSingleton<SearchIndex>();
        services.AddSingleton(new AuditLogFile(Path.Combine(dataDirectory, "audit.log")));
        services.AddHttpClient<CrmClient>(http =>
        {
            http.BaseAddress = links.CrmUrl;
            http.Timeout = TimeSpan.FromSeconds(5);
        });
        services.AddDbContext<AppDb>((provider, options) => database.UseForContent(options).UseIntegrationBus(provider));
        services.AddIntegrationBus(bus => database.UseForBus(bus)
            .AddEntityFrameworkCore<AppDb>(entities => entities
                .Object<Role>("demo.role", role => role.CodeName(r => r.RoleName))
                .Object<User>("demo.user", user => user.CodeName(u => u.UserName).DisplayName(u => u.FullName))
                .Object<Poll>("demo.poll", poll => poll.CodeName(p => p.PollName).Children<PollAnswer>())
                .Object<PollAnswer>("demo.pollanswer")
                .Page<Article>("demo.article", "Demo.Article", page => page
                    .Tags(a => a.Tags.Select(t => t.Name))                   // computed from loaded navigations
                    .Categories(a => a.Categories.Select(c => c.Name))
                    .Attachments(a => a.Attachments.Select(f => f.FileName))))
            .AddConnector<CrmUsersConnector>(c => c.MaxAttempts = 1000)
            .AddConnector<CrmPollsConnector>()
            .AddConnector<SearchConnector>()
            .AddConnector<CrmIncomingConnector>()
            .AddConnector<AuditConnector>()
            .Configure(options =>
            {
                options.ProducerOnly = producerOnly;
                options.RetryDelay = TimeSpan.FromMilliseconds(200);
                options.MaxRetryDelay = TimeSpan.FromSeconds(2);
                options.SweepInterval = TimeSpan.FromSeconds(1);
            }));
    }
}
