using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.Benchmarks;

/// <summary>The EF Core entity of the EF Core figure: the same fields as <see cref="BenchTypes.Item"/>.</summary>
public sealed class Item
{
    public long ItemId { get; set; }

    public Guid ItemGuid { get; set; }

    public string ItemName { get; set; } = "";

    public string ItemTitle { get; set; } = "";

    public string Email { get; set; } = "";

    public decimal Price { get; set; }
}

/// <summary>The application DbContext of the EF Core figure: one entity type.</summary>
public sealed class BenchDb(DbContextOptions<BenchDb> options) : DbContext(options)
{
    public DbSet<Item> Items => Set<Item>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Item>().HasKey(i => i.ItemId);
        modelBuilder.Entity<Item>().Property(i => i.Price).HasConversion<double>();
    }
}
