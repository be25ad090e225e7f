using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.PostgreSql.Tests.EntityFrameworkCore;

public sealed class PgUser
{
    public int PgUserId { get; set; }

    public Guid PgUserGuid { get; set; } = Guid.NewGuid();

    public string UserName { get; set; } = "";
}

/// <summary>An application context on Npgsql's EF Core provider.</summary>
public sealed class PgAppDb(DbContextOptions<PgAppDb> options) : DbContext(options)
{
    public DbSet<PgUser> Users => Set<PgUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<PgUser>().HasIndex(u => u.UserName).IsUnique();
}
