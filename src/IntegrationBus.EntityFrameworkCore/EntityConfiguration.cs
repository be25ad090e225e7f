namespace IntegrationBus.EntityFrameworkCore;

/// <summary>What the application said about one entity type; resolved against the EF model at start.</summary>
internal sealed class EntityConfiguration(Type clrType, string typeName)
{
    public Type ClrType { get; } = clrType;

    public string TypeName { get; } = typeName;

    public string? Id { get; set; }

    public string? Guid { get; set; }

    public string? CodeName { get; set; }

    public string? DisplayName { get; set; }

    public string? Site { get; set; }

    public string? PageClassName { get; set; }

    /// <summary>The last-modified property a resync with "since" filters by.</summary>
    public string? LastModified { get; set; }

    public string? NodeGuid { get; set; }

    public string? AliasPath { get; set; }

    public string? Culture { get; set; }

    public string? ParentNode { get; set; }

    public List<Type> Children { get; } = [];

    public HashSet<string> Ignored { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields computed from the entity (tags, categories, attachments), by field name.</summary>
    public Dictionary<string, Func<object, object?>> Computed { get; } = new(StringComparer.Ordinal);

    /// <summary>The page role of each computed field: Tags, Categories or Attachments.</summary>
    public Dictionary<string, string> PageLists { get; } = new(StringComparer.Ordinal);
}
