using IntegrationBus.AspNetCore;
using IntegrationBus.Demo.Connectors;
using IntegrationBus.Demo.Scenario;
using IntegrationBus.Demo.Search;
using IntegrationBus.EntityFrameworkCore;
using IntegrationBus.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.Demo.Content;

/// <summary>The content application: EF Core on SQLite, the bus in the same file, the content API and the bus's HTTP endpoints.</summary>
public static class ContentApp
{
    public static async Task<WebApplication> StartAsync(string[] args, string dataDirectory, DemoLinks links, DeliveryLog deliveries)
    {
        var connectionString = $"Data Source={Path.Combine(dataDirectory, "content.db")}";

        // The application's schema first: EnsureCreated does nothing once the bus has created its tables in the file.
        await using (var schema = new AppDb(new DbContextOptionsBuilder<AppDb>().UseSqlite(connectionString).Options, deliveries))
        {
            await schema.Database.EnsureCreatedAsync();
        }

        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("IntegrationBus.Processing", LogLevel.Error);   // retries are shown as queue counts instead
        builder.Services.AddSingleton(links);
        builder.Services.AddSingleton(deliveries);
        builder.Services.AddSingleton<SearchIndex>();
        builder.Services.AddSingleton(new AuditLogFile(Path.Combine(dataDirectory, "audit.log")));
        builder.Services.AddHttpClient<CrmClient>(http =>
        {
            http.BaseAddress = links.CrmUrl;
            http.Timeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddDbContext<AppDb>((services, options) => options.UseSqlite(connectionString).UseIntegrationBus(services));
        builder.Services.AddIntegrationBus(bus => bus
            .UseSqlite(connectionString)
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
                options.RetryDelay = TimeSpan.FromMilliseconds(200);
                options.MaxRetryDelay = TimeSpan.FromSeconds(2);
                options.SweepInterval = TimeSpan.FromSeconds(1);
            }));
        builder.AddDemoTelemetry();
        builder.Services.AddIntegrationBusHttp(http =>
        {
            http.Connectors[DemoConnectors.CrmIncoming] = new IntegrationBusHttpCredentials();
            http.Connectors[DemoConnectors.CrmIncoming].ApiKeys.Add(DemoLinks.ApiKey);
        });

        var app = builder.Build();
        app.UseIntegrationBusScope();
        app.MapIntegrationBus("/integration");
        app.MapContentApi();
        app.MapDemoHealth();
        await app.StartAsync();
        links.ContentUrl = new Uri(app.Urls.First());
        return app;
    }
}
