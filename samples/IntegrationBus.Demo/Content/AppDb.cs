using IntegrationBus.Demo.Scenario;
using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.Demo.Content;

/// <summary>The content application's data. The bus's own tables live in the same SQLite file.</summary>
public sealed class AppDb : DbContext
{
    private readonly List<Delivery> _incoming = [];

    public AppDb(DbContextOptions<AppDb> options, DeliveryLog deliveries)
        : base(options)
    {
        // Changes the CRM pushed back raise CrmVersion: record them when they are saved, for the scenario's summary.
        SavingChanges += (_, _) => _incoming.AddRange(ChangeTracker.Entries<User>()
            .Where(e => e.State == EntityState.Modified && e.Property(u => u.CrmVersion).IsModified)
            .Select(e => new Delivery($"{e.Entity.UserGuid:N}:{e.Entity.CrmVersion}", e.Entity.UserGuid.ToString("N"), e.Entity.CrmVersion)));
        SavedChanges += (_, _) =>
        {
            _incoming.ForEach(d => deliveries.Record(DemoConnectors.CrmIncoming, d));
            _incoming.Clear();
        };
        SaveChangesFailed += (_, _) => _incoming.Clear();
    }

    public DbSet<Role> Roles => Set<Role>();

    public DbSet<User> Users => Set<User>();

    public DbSet<Poll> Polls => Set<Poll>();

    public DbSet<PollAnswer> PollAnswers => Set<PollAnswer>();

    public DbSet<Article> Articles => Set<Article>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<Category> Categories => Set<Category>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Role>().HasIndex(r => r.RoleName).IsUnique();
        modelBuilder.Entity<Role>().HasData(
            new Role { RoleId = 1, RoleGuid = new Guid("6f1a7c2e-0d3b-4f59-9a51-0c1f5d2b7a01"), RoleName = "editors", DisplayName = "Editors" },
            new Role { RoleId = 2, RoleGuid = new Guid("6f1a7c2e-0d3b-4f59-9a51-0c1f5d2b7a02"), RoleName = "members", DisplayName = "Members" });
        // The EF Core data handler looks incoming objects up by GUID and code name (alias path for pages): index them all
        // (the bus warns at start about any it would have to scan for).
        modelBuilder.Entity<Role>().HasIndex(r => r.RoleGuid).IsUnique();
        modelBuilder.Entity<User>().HasIndex(u => u.UserGuid).IsUnique();
        modelBuilder.Entity<User>().HasIndex(u => u.UserName);
        modelBuilder.Entity<Poll>().HasIndex(p => p.PollGuid).IsUnique();
        modelBuilder.Entity<Poll>().HasIndex(p => p.PollName);
        modelBuilder.Entity<PollAnswer>().HasIndex(a => a.PollAnswerGuid).IsUnique();
        modelBuilder.Entity<Article>().HasIndex(a => a.NodeAliasPath);
        modelBuilder.Entity<User>().HasOne(u => u.Role).WithMany().HasForeignKey(u => u.RoleId).OnDelete(DeleteBehavior.SetNull);
        modelBuilder.Entity<Poll>().HasMany(p => p.Answers).WithOne().HasForeignKey(a => a.PollId).OnDelete(DeleteBehavior.Cascade);
        modelBuilder.Entity<Poll>().HasMany(p => p.Roles).WithMany(r => r.Polls);
        modelBuilder.Entity<Article>().HasIndex(a => a.NodeGuid).IsUnique();
        modelBuilder.Entity<Article>().HasMany(a => a.Tags).WithMany();
        modelBuilder.Entity<Article>().HasMany(a => a.Categories).WithMany();
        modelBuilder.Entity<Article>().HasMany(a => a.Attachments).WithOne().HasForeignKey(a => a.ArticleId).OnDelete(DeleteBehavior.Cascade);
        modelBuilder.Entity<Tag>().HasIndex(t => t.Name).IsUnique();
        modelBuilder.Entity<Category>().HasIndex(c => c.Name).IsUnique();
    }
}
