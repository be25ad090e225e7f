namespace IntegrationBus;

/// <summary>The validated set of object and page types the bus knows.</summary>
/// <remarks>Immutable once built; safe to use from any thread.</remarks>
public sealed class ObjectTypeRegistry
{
    private static readonly IReadOnlyList<ObjectTypeInfo> None = [];
    private readonly Dictionary<string, ObjectTypeInfo> _types;
    private readonly Dictionary<string, ObjectTypeInfo> _pagesByClass;
    private readonly Dictionary<string, IReadOnlyList<ObjectTypeInfo>> _children;
    private readonly Dictionary<string, IReadOnlyList<ObjectTypeInfo>> _bindings;

    /// <summary>Validates the types and builds the registry.</summary>
    /// <param name="types">Every object and page type.</param>
    /// <exception cref="IntegrationBusException">
    /// A registration is inconsistent: a duplicate type or page class, a foreign key to an unknown type, a child
    /// type whose parent type or parent field is missing, or a binding that is not a child of its owner. The
    /// message names the type and the field.
    /// </exception>
    public ObjectTypeRegistry(IEnumerable<ObjectTypeInfo> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _types = new Dictionary<string, ObjectTypeInfo>(StringComparer.OrdinalIgnoreCase);
        _pagesByClass = new Dictionary<string, ObjectTypeInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in types)
        {
            if (!_types.TryAdd(type.Name, type))
            {
                throw new IntegrationBusException($"Object type '{type.Name}' is registered twice. Register each type once.");
            }

            if (type.Page is { } page && !_pagesByClass.TryAdd(page.ClassName, type))
            {
                throw new IntegrationBusException(
                    $"Page type '{type.Name}' uses page class '{page.ClassName}', which page type '{_pagesByClass[page.ClassName].Name}' already uses.");
            }
        }

        foreach (var type in _types.Values)
        {
            Validate(type);
        }

        _children = _types.Values
            .Where(t => t.ParentType is not null)
            .GroupBy(t => t.ParentType!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<ObjectTypeInfo>)[.. g.Where(c => !IsBindingOf(c, _types[g.Key]))],
                StringComparer.OrdinalIgnoreCase);
        _bindings = _types.Values.ToDictionary(
            t => t.Name,
            t => (IReadOnlyList<ObjectTypeInfo>)[.. t.Bindings.Select(b => _types[b])],
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets every registered type.</summary>
    public IEnumerable<ObjectTypeInfo> Types => _types.Values;

    /// <summary>Gets how many types are registered.</summary>
    public int Count => _types.Count;

    /// <summary>Gets a type by name.</summary>
    /// <param name="name">The type name (case-insensitive).</param>
    /// <returns>The type.</returns>
    /// <exception cref="IntegrationBusException">No type has that name.</exception>
    public ObjectTypeInfo this[string name] => Get(name);

    /// <summary>Tells whether a type is registered.</summary>
    /// <param name="name">The type name (case-insensitive).</param>
    /// <returns><see langword="true"/> when the type is registered.</returns>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _types.ContainsKey(name);
    }

    /// <summary>Creates an empty object of a registered type, to fill with field values.</summary>
    /// <remarks>
    /// How a connector builds the internal object in <c>PrepareInternalObjectAsync</c>: take the registry by constructor
    /// injection (it is a singleton in the service provider) and call <c>types.Create("crm.contact")</c>.
    /// </remarks>
    /// <param name="typeName">The type name (case-insensitive).</param>
    /// <returns>The object.</returns>
    /// <exception cref="IntegrationBusException">No type has that name.</exception>
    public BusObject Create(string typeName) => new(Get(typeName));

    /// <summary>Creates an object of a registered type with field values.</summary>
    /// <param name="typeName">The type name (case-insensitive).</param>
    /// <param name="fields">The field values.</param>
    /// <returns>The object.</returns>
    /// <exception cref="IntegrationBusException">No type has that name.</exception>
    /// <exception cref="ArgumentException">The type has no such field, or a value is not JSON-compatible.</exception>
    public BusObject Create(string typeName, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var obj = Create(typeName);
        foreach (var (field, value) in fields)
        {
            obj[field] = value;
        }

        return obj;
    }

    /// <summary>Gets a type by name.</summary>
    /// <param name="name">The type name (case-insensitive).</param>
    /// <returns>The type.</returns>
    /// <exception cref="IntegrationBusException">No type has that name.</exception>
    public ObjectTypeInfo Get(string name) =>
        TryGet(name, out var type)
            ? type
            : throw new IntegrationBusException($"Object type '{name}' is not registered. Register it with AddObjectType or AddPageType.");

    /// <summary>Looks a type up by name.</summary>
    /// <param name="name">The type name (case-insensitive).</param>
    /// <param name="type">The type, when found.</param>
    /// <returns><see langword="true"/> when the type is registered.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ObjectTypeInfo? type)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _types.TryGetValue(name, out type);
    }

    /// <summary>Looks a page type up by its page class name.</summary>
    /// <param name="className">The page class name (case-insensitive).</param>
    /// <param name="type">The page type, when found.</param>
    /// <returns><see langword="true"/> when a page type has that class name.</returns>
    public bool TryGetPageType(string className, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ObjectTypeInfo? type)
    {
        ArgumentNullException.ThrowIfNull(className);
        return _pagesByClass.TryGetValue(className, out type);
    }

    /// <summary>Gets the child types of a type (binding types excluded).</summary>
    /// <param name="type">The parent type.</param>
    /// <returns>The child types; empty when there are none.</returns>
    public IReadOnlyList<ObjectTypeInfo> GetChildTypes(ObjectTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _children.TryGetValue(type.Name, out var children) ? children : None;
    }

    /// <summary>Gets the binding types of a type.</summary>
    /// <param name="type">The owner type.</param>
    /// <returns>The binding types; empty when there are none.</returns>
    public IReadOnlyList<ObjectTypeInfo> GetBindingTypes(ObjectTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _bindings.TryGetValue(type.Name, out var bindings) ? bindings : None;
    }

    private static bool IsBindingOf(ObjectTypeInfo candidate, ObjectTypeInfo owner) =>
        owner.Bindings.Contains(candidate.Name, StringComparer.OrdinalIgnoreCase);

    private void Validate(ObjectTypeInfo type)
    {
        foreach (var key in type.ForeignKeys)
        {
            if (!_types.ContainsKey(key.ReferencedType))
            {
                throw new IntegrationBusException(
                    $"Object type '{type.Name}' declares foreign key field '{key.Field}' to type '{key.ReferencedType}', which is not registered. Register '{key.ReferencedType}' or remove the key.");
            }
        }

        if (type.ParentType is not null)
        {
            if (!_types.ContainsKey(type.ParentType))
            {
                throw new IntegrationBusException(
                    $"Object type '{type.Name}' declares parent type '{type.ParentType}' through field '{type.ParentIdField}', but '{type.ParentType}' is not registered.");
            }

            if (type.ParentIdField is null || !type.HasField(type.ParentIdField))
            {
                throw new IntegrationBusException(
                    $"Object type '{type.Name}' is a child of '{type.ParentType}' but its parent ID field '{type.ParentIdField}' is missing. Call Parent(type, field) with a field of '{type.Name}'.");
            }
        }

        foreach (var binding in type.Bindings)
        {
            if (!_types.TryGetValue(binding, out var bindingType))
            {
                throw new IntegrationBusException(
                    $"Object type '{type.Name}' declares binding type '{binding}', which is not registered.");
            }

            if (!string.Equals(bindingType.ParentType, type.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new IntegrationBusException(
                    $"Binding type '{binding}' of '{type.Name}' must be a child of '{type.Name}' (call Parent(\"{type.Name}\", field) on it); its parent is '{bindingType.ParentType ?? "none"}'.");
            }

            if (bindingType.ForeignKeys.Count == 0)
            {
                throw new IntegrationBusException(
                    $"Binding type '{binding}' of '{type.Name}' has no foreign key to the bound type. Declare it with ForeignKey(field, type).");
            }
        }
    }
}
