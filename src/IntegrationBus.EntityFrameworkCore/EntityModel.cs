using Microsoft.EntityFrameworkCore.Metadata;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// The bus types derived from a DbContext's EF model and the application's configuration: object types from
/// entity types (keys, foreign keys, children), bindings from many-to-many join entities, page types.
/// A configuration that cannot be honoured fails with a message naming the entity and the property.
/// </summary>
internal sealed class EntityModel : IObjectTypeSource
{
    private readonly Lazy<Derived> _derived;

    public EntityModel(IReadOnlyList<EntityConfiguration> configurations, Func<IModel> model) =>
        _derived = new Lazy<Derived>(() => Derive(configurations, model()));

    public IEnumerable<ObjectTypeInfo> GetTypes() => _derived.Value.Mappings.Values.Select(m => m.Type).Concat(_derived.Value.BindingTypes);

    public EntityMapping? Find(IEntityType entityType) => _derived.Value.Mappings.GetValueOrDefault(entityType);

    public EntityMapping? Find(string typeName) => _derived.Value.ByName.GetValueOrDefault(typeName);

    public IReadOnlyList<BindingMapping> BindingsOfJoin(IEntityType joinEntityType) =>
        _derived.Value.Bindings.TryGetValue(joinEntityType, out var bindings) ? bindings : [];

    /// <summary>
    /// The owners whose computed fields read rows of <paramref name="entityType"/>: join rows of the owner's many-to-many
    /// navigations and dependents of its collection navigations, where the other side is no bus type of its own.
    /// </summary>
    public IReadOnlyList<(EntityMapping Owner, string OwnerKey)> ComputedOwnersOf(IEntityType entityType) =>
        _derived.Value.ComputedOwners.TryGetValue(entityType, out var owners) ? owners : [];

    public BindingMapping? FindBinding(string bindingTypeName) =>
        _derived.Value.Bindings.Values.SelectMany(b => b).FirstOrDefault(b => string.Equals(b.Join.Type.Name, bindingTypeName, StringComparison.OrdinalIgnoreCase));

    private static Derived Derive(IReadOnlyList<EntityConfiguration> configurations, IModel model)
    {
        var entityTypes = new Dictionary<EntityConfiguration, IEntityType>();
        foreach (var configuration in configurations)
        {
            entityTypes[configuration] = model.FindEntityType(configuration.ClrType)
                ?? throw new IntegrationBusException($"Entity '{configuration.ClrType.Name}' is configured for the bus but is not part of the DbContext's model.");
        }

        var typeNames = entityTypes.ToDictionary(p => p.Value, p => p.Key.TypeName);
        var parents = new Dictionary<IEntityType, (string ParentType, string Field)>();
        foreach (var (configuration, entityType) in entityTypes)
        {
            foreach (var childClr in configuration.Children)
            {
                var child = entityTypes.FirstOrDefault(p => p.Key.ClrType == childClr).Value
                    ?? throw new IntegrationBusException($"Entity '{configuration.ClrType.Name}' declares child '{childClr.Name}', which is not configured for the bus. Configure it with Object<{childClr.Name}>(...).");
                var key = child.GetForeignKeys().FirstOrDefault(k => k.PrincipalEntityType == entityType && k.Properties.Count == 1)
                    ?? throw new IntegrationBusException($"Entity '{childClr.Name}' is declared a child of '{configuration.ClrType.Name}' but has no single-property foreign key to it.");
                parents[child] = (configuration.TypeName, key.Properties[0].Name);
            }
        }

        var builders = new Dictionary<IEntityType, (ObjectTypeBuilder Builder, List<IProperty> Properties, EntityConfiguration Configuration)>();
        var bindingTypes = new List<(ObjectTypeInfo Type, IEntityType Join, IEntityType Owner, string OwnerKey, List<IProperty> Properties)>();
        foreach (var (configuration, entityType) in entityTypes)
        {
            var builder = new ObjectTypeBuilder(configuration.TypeName);
            var properties = Describe(builder, configuration, entityType);
            foreach (var key in entityType.GetForeignKeys().Where(k => k.Properties.Count == 1 && typeNames.ContainsKey(k.PrincipalEntityType)))
            {
                if (!(parents.TryGetValue(entityType, out var parent) && parent.Field == key.Properties[0].Name))
                {
                    builder.ForeignKey(key.Properties[0].Name, typeNames[key.PrincipalEntityType], key.IsRequired);
                }
            }

            if (parents.TryGetValue(entityType, out var parentLink))
            {
                builder.Parent(parentLink.ParentType, parentLink.Field);
            }

            foreach (var skip in entityType.GetSkipNavigations().Where(s => typeNames.ContainsKey(s.TargetEntityType)))
            {
                var binding = DescribeBinding(configuration.TypeName, skip, typeNames[skip.TargetEntityType]);
                builder.Binding(binding.Type.Name);
                bindingTypes.Add((binding.Type, skip.JoinEntityType, entityType, binding.OwnerKey, binding.Properties));
            }

            builders[entityType] = (builder, properties, configuration);
        }

        var mappings = builders.ToDictionary(
            p => p.Key,
            p => new EntityMapping(p.Key, p.Value.Builder.Build(), p.Value.Properties, p.Value.Configuration.Computed) { LastModified = p.Value.Configuration.LastModified });
        var bindings = bindingTypes
            .GroupBy(b => b.Join)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<BindingMapping>)[.. g.Select(b => new BindingMapping(new EntityMapping(b.Join, b.Type, b.Properties, new Dictionary<string, Func<object, object?>>()), mappings[b.Owner], b.OwnerKey))]);
        return new Derived(mappings, bindings, [.. bindingTypes.Select(b => b.Type)], ComputedOwners(mappings));
    }

    private static Dictionary<IEntityType, List<(EntityMapping Owner, string OwnerKey)>> ComputedOwners(Dictionary<IEntityType, EntityMapping> mappings)
    {
        var owners = new Dictionary<IEntityType, List<(EntityMapping Owner, string OwnerKey)>>();
        void Add(IEntityType rows, EntityMapping owner, IForeignKey key)
        {
            if (!mappings.ContainsKey(rows) && key.Properties.Count == 1)
            {
                (owners.TryGetValue(rows, out var list) ? list : owners[rows] = []).Add((owner, key.Properties[0].Name));
            }
        }

        foreach (var (entityType, mapping) in mappings.Where(m => m.Value.HasComputedFields))
        {
            foreach (var skip in entityType.GetSkipNavigations().Where(s => !mappings.ContainsKey(s.TargetEntityType)))
            {
                Add(skip.JoinEntityType, mapping, skip.ForeignKey);
            }

            foreach (var navigation in entityType.GetNavigations().Where(n => n.IsCollection && n.IsOnDependent is false))
            {
                Add(navigation.TargetEntityType, mapping, navigation.ForeignKey);
            }
        }

        return owners;
    }

    private static List<IProperty> Describe(ObjectTypeBuilder builder, EntityConfiguration configuration, IEntityType entityType)
    {
        var name = configuration.ClrType.Name;
        var properties = new List<IProperty>();
        foreach (var property in entityType.GetProperties().Where(p => !configuration.Ignored.Contains(p.Name)))
        {
            if (!ClrValue.IsSupported(property.ClrType))
            {
                throw new IntegrationBusException(
                    $"Entity '{name}' property '{property.Name}' has type {property.ClrType.Name}, which a task payload cannot carry. Ignore it with Ignore(e => e.{property.Name}).");
            }

            properties.Add(property);
        }

        var id = configuration.Id ?? PrimaryKey(entityType, name);
        builder.Id(Require(properties, name, id, "ID"));
        Optional(properties, name, configuration.Guid, [$"{name}Guid", "Guid"], typeof(Guid), builder.Guid);
        Optional(properties, name, configuration.CodeName, [$"{name}CodeName", "CodeName"], typeof(string), builder.CodeName);
        Optional(properties, name, configuration.DisplayName, [$"{name}DisplayName", "DisplayName"], typeof(string), builder.DisplayName);
        Optional(properties, name, configuration.Site, ["SiteName", "Site"], typeof(string), builder.Site);
        builder.Fields([.. properties.Select(p => p.Name)]);
        if (configuration.PageClassName is { } className)
        {
            var nodeGuid = Find(properties, configuration.NodeGuid, ["NodeGuid", "NodeGUID"], typeof(Guid), name, "node GUID");
            var aliasPath = Find(properties, configuration.AliasPath, ["NodeAliasPath", "AliasPath"], typeof(string), name, "alias path");
            var culture = Find(properties, configuration.Culture, ["DocumentCulture", "Culture"], typeof(string), name, "culture");
            var parentNode = configuration.ParentNode is null ? null : Require(properties, name, configuration.ParentNode, "parent node");
            builder.AsPage(className, page =>
            {
                page.NodeGuid(nodeGuid).AliasPath(aliasPath).Culture(culture);
                if (parentNode is not null)
                {
                    page.ParentNode(parentNode);
                }

                foreach (var (field, role) in configuration.PageLists)
                {
                    _ = role switch
                    {
                        "Tags" => page.Tags(field),
                        "Categories" => page.Categories(field),
                        _ => page.Attachments(field),
                    };
                }
            });
        }

        return properties;
    }

    private static (ObjectTypeInfo Type, string OwnerKey, List<IProperty> Properties) DescribeBinding(string ownerType, ISkipNavigation skip, string targetType)
    {
        var join = skip.JoinEntityType;
        var ownerKey = skip.ForeignKey.Properties.Single().Name;
        var targetKey = skip.Inverse.ForeignKey.Properties.Single().Name;
        var properties = join.GetProperties().Where(p => ClrValue.IsSupported(p.ClrType)).ToList();
        var builder = new ObjectTypeBuilder($"{ownerType}.{skip.Name.ToLowerInvariant()}")
            .Id(ownerKey)
            .Parent(ownerType, ownerKey)
            .ForeignKey(targetKey, targetType)
            .Fields([.. properties.Select(p => p.Name)]);
        return (builder.Build(), ownerKey, properties);
    }

    private static string PrimaryKey(IEntityType entityType, string name)
    {
        var key = entityType.FindPrimaryKey();
        if (key is not { Properties.Count: 1 } || !IsInteger(key.Properties[0].ClrType))
        {
            throw new IntegrationBusException(
                $"Entity '{name}' cannot be a bus object: its primary key ({string.Join(", ", key?.Properties.Select(p => p.Name) ?? [])}) is not one integer property. Configure Id(e => e.SomeIntegerId).");
        }

        return key.Properties[0].Name;
    }

    private static bool IsInteger(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is var t && (t == typeof(int) || t == typeof(long) || t == typeof(short));

    private static string Require(List<IProperty> properties, string entity, string property, string role) =>
        properties.Any(p => p.Name == property)
            ? property
            : throw new IntegrationBusException($"Entity '{entity}' has no property '{property}' to use as its {role}.");

    private static void Optional(List<IProperty> properties, string entity, string? explicitName, string[] conventions, Type type, Func<string, ObjectTypeBuilder> set)
    {
        if (explicitName is not null)
        {
            set(Require(properties, entity, explicitName, type.Name));
            return;
        }

        var match = properties.FirstOrDefault(p => conventions.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType) == type);
        if (match is not null)
        {
            set(match.Name);
        }
    }

    private static string Find(List<IProperty> properties, string? explicitName, string[] conventions, Type type, string entity, string role)
    {
        if (explicitName is not null)
        {
            return Require(properties, entity, explicitName, role);
        }

        return properties.FirstOrDefault(p => conventions.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType) == type)?.Name
            ?? throw new IntegrationBusException(
                $"Page entity '{entity}' has no {role} property: name one {string.Join(" or ", conventions)} or configure it explicitly.");
    }

    private sealed record Derived(
        Dictionary<IEntityType, EntityMapping> Mappings,
        Dictionary<IEntityType, IReadOnlyList<BindingMapping>> Bindings,
        List<ObjectTypeInfo> BindingTypes,
        Dictionary<IEntityType, List<(EntityMapping Owner, string OwnerKey)>> ComputedOwners)
    {
        public Dictionary<string, EntityMapping> ByName { get; } = Mappings.Values.ToDictionary(m => m.Type.Name, StringComparer.OrdinalIgnoreCase);
    }
}
