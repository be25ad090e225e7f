using Microsoft.EntityFrameworkCore;

namespace IntegrationBus.EntityFrameworkCore.Tests.Support;

public sealed class User
{
    public int UserId { get; set; }

    public Guid UserGuid { get; set; } = Guid.NewGuid();

    public string UserName { get; set; } = "";

    public string? Email { get; set; }
}

public sealed class Role
{
    public int RoleId { get; set; }

    public Guid RoleGuid { get; set; } = Guid.NewGuid();

    public string RoleName { get; set; } = "";

    public List<Poll> Polls { get; set; } = [];
}

public sealed class Poll
{
    public int PollId { get; set; }

    public Guid PollGuid { get; set; } = Guid.NewGuid();

    public string PollCodeName { get; set; } = "";

    public string? SiteName { get; set; }

    public string Question { get; set; } = "";

    public int? OwnerUserId { get; set; }

    public User? Owner { get; set; }

    public List<PollAnswer> Answers { get; set; } = [];

    public List<Role> Roles { get; set; } = [];
}

public sealed class PollAnswer
{
    public int PollAnswerId { get; set; }

    public Guid PollAnswerGuid { get; set; } = Guid.NewGuid();

    public int PollId { get; set; }

    public string Text { get; set; } = "";
}

public sealed class Article
{
    public int ArticleId { get; set; }

    public Guid NodeGuid { get; set; } = Guid.NewGuid();

    public string NodeAliasPath { get; set; } = "";

    public string DocumentCulture { get; set; } = "en-US";

    public string? SiteName { get; set; } = "main";

    public string Title { get; set; } = "";

    public List<Tag> Tags { get; set; } = [];
}

public sealed class Tag
{
    public int TagId { get; set; }

    public string Name { get; set; } = "";
}

/// <summary>A contact with the constraints incoming validation checks: an int, a required string and a maximum length.</summary>
public sealed class Contact
{
    public int ContactId { get; set; }

    public Guid ContactGuid { get; set; } = Guid.NewGuid();

    public string Name { get; set; } = null!;

    [System.ComponentModel.DataAnnotations.MaxLength(20)]
    public string? Email { get; set; }

    public int CrmVersion { get; set; }

    public decimal? Balance { get; set; }
}

/// <summary>A product with a last-modified time and a site, for resyncs with "since" and site filters.</summary>
public sealed class Product
{
    public int ProductId { get; set; }

    public Guid ProductGuid { get; set; } = Guid.NewGuid();

    public string Name { get; set; } = "";

    public string? SiteName { get; set; }

    public DateTime UpdatedAt { get; set; }
}

public sealed class AppDb(DbContextOptions<AppDb> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Role> Roles => Set<Role>();

    public DbSet<Poll> Polls => Set<Poll>();

    public DbSet<PollAnswer> Answers => Set<PollAnswer>();

    public DbSet<Article> Articles => Set<Article>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>().HasIndex(u => u.UserName).IsUnique();
        modelBuilder.Entity<Poll>().HasMany(p => p.Answers).WithOne().HasForeignKey(a => a.PollId);
        modelBuilder.Entity<Poll>().HasMany(p => p.Roles).WithMany(r => r.Polls);
        modelBuilder.Entity<Article>().HasMany(a => a.Tags).WithMany();
        modelBuilder.Entity<Contact>().HasIndex(c => c.ContactGuid).IsUnique();
        modelBuilder.Entity<Contact>().HasIndex(c => c.Email).IsUnique();
    }
}
