using System.Net;
using System.Security.Claims;
using IntegrationBus.AspNetCore;
using IntegrationBus.Management;
using IntegrationBus.Sqlite;
using IntegrationBus.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.Dashboard.Tests.Support;

/// <summary>
/// A real application on Kestrel (the browser needs a socket) on a free loopback port: a bus on a temp SQLite file with
/// three contact connectors (<c>crm</c>, <c>erp</c>, <c>search</c>) that the test can make fail, cookie authentication
/// with a test login (<c>/test-login/admin</c> operates, <c>/test-login/viewer</c> reads) and the management API with
/// the dashboard at <see cref="Prefix"/>.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public const string Prefix = "/integration/admin";
    public const string ReadPolicy = "bus-read";
    public const string OperatePolicy = "bus-operate";

    private readonly WebApplication _app;
    private readonly string _path;
    private long _nextId;

    private DashboardHost(WebApplication app, string path, SwitchConnector crm, SwitchConnector erp, SwitchConnector search)
    {
        _app = app;
        _path = path;
        Crm = crm;
        Erp = erp;
        Search = search;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Gets the server's address (http://127.0.0.1:port/).</summary>
    public Uri Address { get; }

    /// <summary>Gets the dashboard's address.</summary>
    public Uri Dashboard => new(Address, Prefix + "/");

    public SwitchConnector Crm { get; }

    public SwitchConnector Erp { get; }

    public SwitchConnector Search { get; }

    public IntegrationBusManagement Management => _app.Services.GetRequiredService<IntegrationBusManagement>();

    /// <summary>Gets the application's task store.</summary>
    public TaskStore Store => _app.Services.GetRequiredService<TaskStore>();

    public static async Task<DashboardHost> StartAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ibusdash-{Guid.NewGuid():N}.db");
        var crm = new SwitchConnector("crm", "CRM (contacts)");
        var erp = new SwitchConnector("erp", "ERP (customers)");
        var search = new SwitchConnector("search", "Search index");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddIntegrationBus(bus => bus
            .UseSqlite($"Data Source={path}")
            .AddObjectType(SwitchConnector.Contact)
            .AddConnector(crm)
            .AddConnector(erp)
            .AddConnector(search)
            .Configure(o =>
            {
                // An errored task waits for the operator: no retry of its own while a test runs.
                o.RetryDelay = TimeSpan.FromMinutes(10);
                o.MaxRetryDelay = TimeSpan.FromMinutes(10);
            }));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "ibusdash";
            // No login or access-denied pages here: answer 401 and 403 instead of redirecting.
            o.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy(ReadPolicy, p => p.RequireRole("admin", "viewer"));
            o.AddPolicy(OperatePolicy, p => p.RequireRole("admin"));
        });
        builder.Services.AddIntegrationBusManagementApi();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/test-login/{user}", async (string user, HttpContext context) =>
        {
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return Results.Redirect(Prefix + "/");
        });
        app.MapIntegrationBusManagement(Prefix, o =>
        {
            o.ReadPolicy = ReadPolicy;
            o.OperatePolicy = OperatePolicy;
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DashboardHost(app, path, crm, erp, search);
    }

    /// <summary>Logs one contact change for every connector (each gets a task).</summary>
    public async Task LogContactsAsync(int count, string prefix = "contact")
    {
        var bus = _app.Services.GetRequiredService<IntegrationBusService>();
        for (var i = 0; i < count; i++)
        {
            var id = Interlocked.Increment(ref _nextId);
            await bus.LogChangeAsync(SwitchConnector.NewContact(id, $"{prefix}{id}@example.com", $"{prefix} {id}"), TaskType.CreateObject, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Counts the tasks of one connector's outgoing queue.</summary>
    public Task<long> CountAsync(string connector, SynchronizationStatus? status = null) =>
        Management.CountTasksAsync(new TaskQuery { Connector = connector, Direction = TaskDirection.Outgoing, Status = status }, TestContext.Current.CancellationToken);

    /// <summary>Stores a connector's circuit breaker state, as the node running its queue would.</summary>
    public Task<bool> SetCircuitBreakerAsync(CircuitBreakerState state) =>
        _app.Services.GetRequiredService<TaskStore>().Configuration.SetCircuitBreakerAsync(state, TestContext.Current.CancellationToken);

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}
