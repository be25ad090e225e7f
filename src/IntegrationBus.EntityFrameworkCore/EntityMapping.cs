using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>How one entity type maps to one bus object type: which properties are fields and how to copy values both ways.</summary>
internal sealed class EntityMapping(IEntityType entityType, ObjectTypeInfo type, IReadOnlyList<IProperty> properties, IReadOnlyDictionary<string, Func<object, object?>> computed)
{
    public IEntityType EntityType { get; } = entityType;

    public ObjectTypeInfo Type { get; } = type;

    public IReadOnlyList<IProperty> Properties { get; } = properties;

    // Looked up for every task and value of a batch: found once (DisplayName formats the CLR type's name on every call).
    private readonly Dictionary<string, IProperty> _byName = properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
    private string? _name;

    public IProperty IdProperty => _byName[Type.IdField];

    /// <summary>The property that holds when a row was last modified (a resync with "since" filters by it), or <see langword="null"/>.</summary>
    public string? LastModified { get; init; }

    /// <summary>Whether some fields are computed from navigations (a page's tags, categories, attachments).</summary>
    public bool HasComputedFields => computed.Count > 0;

    public string Name => _name ??= EntityType.DisplayName();

    /// <summary>The mapped property of a field.</summary>
    /// <param name="field">The field (the property's name).</param>
    /// <returns>The property.</returns>
    /// <exception cref="KeyNotFoundException">The field is not mapped.</exception>
    public IProperty Property(string field) => _byName[field];

    public BusObject FromEntry(EntityEntry entry, bool original = false)
    {
        var obj = new BusObject(Type);
        // One PropertyValues for the entry: EF Core builds a new one on every CurrentValues / OriginalValues access.
        var values = original ? entry.OriginalValues : entry.CurrentValues;
        foreach (var property in Properties)
        {
            obj[property.Name] = values[property];
        }

        foreach (var (field, read) in computed)
        {
            obj[field] = read(entry.Entity);
        }

        return obj;
    }

    /// <summary>Reads an entity that is not tracked (no shadow properties then).</summary>
    public BusObject FromEntity(object entity)
    {
        var obj = new BusObject(Type);
        foreach (var property in Properties)
        {
            if (!property.IsShadowProperty())
            {
                obj[property.Name] = property.GetGetter().GetClrValueUsingContainingEntity(entity);
            }
        }

        foreach (var (field, read) in computed)
        {
            obj[field] = read(entity);
        }

        return obj;
    }

    /// <summary>Copies an incoming object's fields onto a tracked entity (never the ID, never computed fields).</summary>
    public void ApplyTo(EntityEntry entry, BusObject obj)
    {
        foreach (var property in Properties)
        {
            if (property.Name == Type.IdField || !obj.Fields.ContainsKey(property.Name) || property.ValueGenerated != ValueGenerated.Never && property.IsPrimaryKey())
            {
                continue;
            }

            entry.Property(property).CurrentValue = ClrValue.Convert(obj[property.Name], property.ClrType, Name, property.Name);
        }
    }
}
