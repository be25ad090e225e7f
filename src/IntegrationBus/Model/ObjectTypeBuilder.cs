namespace IntegrationBus;

/// <summary>Describes an object type or page type fluently; <see cref="Build"/> returns the <see cref="ObjectTypeInfo"/>.</summary>
/// <example>
/// <code>
/// var poll = new ObjectTypeBuilder("polls.poll")
///     .Id("PollID").Guid("PollGuid").CodeName("PollCodeName").Site("SiteName")
///     .ForeignKey("OwnerUserID", "cms.user", required: false)
///     .Fields("PollQuestion", "PollOpenFrom")
///     .Build();
/// </code>
/// </example>
public sealed class ObjectTypeBuilder
{
    private readonly List<string> _fields = [];

    /// <summary>Starts the description of a type.</summary>
    /// <param name="name">The type name, for example <c>polls.poll</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    public ObjectTypeBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Gets the type name.</summary>
    public string Name { get; }

    internal string? IdFieldName { get; private set; }

    internal string? GuidFieldName { get; private set; }

    internal string? CodeNameFieldName { get; private set; }

    internal string? DisplayNameFieldName { get; private set; }

    internal string? SiteFieldName { get; private set; }

    internal string? ParentTypeName { get; private set; }

    internal string? ParentIdFieldName { get; private set; }

    internal List<ForeignKeyInfo> ForeignKeyList { get; } = [];

    internal List<string> BindingList { get; } = [];

    internal List<string> FieldList => _fields;

    internal PageTypeInfo? PageInfo { get; private set; }

    /// <summary>Sets the field that holds the integer ID.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder Id(string field) => Set(field, f => IdFieldName = f);

    /// <summary>Sets the field that holds the GUID.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder Guid(string field) => Set(field, f => GuidFieldName = f);

    /// <summary>Sets the field that holds the code name.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder CodeName(string field) => Set(field, f => CodeNameFieldName = f);

    /// <summary>Sets the field that holds the display name.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder DisplayName(string field) => Set(field, f => DisplayNameFieldName = f);

    /// <summary>Sets the field that holds the site name; types without one are global.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder Site(string field) => Set(field, f => SiteFieldName = f);

    /// <summary>Makes this a child type of <paramref name="parentType"/>, linked by <paramref name="parentIdField"/>.</summary>
    /// <param name="parentType">The parent type name.</param>
    /// <param name="parentIdField">The field that holds the parent's ID.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder Parent(string parentType, string parentIdField)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parentType);
        ParentTypeName = parentType;
        return Set(parentIdField, f => ParentIdFieldName = f);
    }

    /// <summary>Declares a foreign key.</summary>
    /// <param name="field">The field that holds the referenced object's ID.</param>
    /// <param name="referencedType">The referenced type name.</param>
    /// <param name="required">Whether the key must be translated for a task to succeed.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder ForeignKey(string field, string referencedType, bool required = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(referencedType);
        return Set(field, f => ForeignKeyList.Add(new ForeignKeyInfo(f, referencedType, required)));
    }

    /// <summary>Declares a binding (M:N) type whose parent is this type; it is part of this type's Snapshot.</summary>
    /// <param name="bindingType">The binding type name.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder Binding(string bindingType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bindingType);
        BindingList.Add(bindingType);
        return this;
    }

    /// <summary>Declares ordinary fields.</summary>
    /// <param name="fields">The field names.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder Fields(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            AddField(field);
        }

        return this;
    }

    /// <summary>Makes this a page type (a content-tree item).</summary>
    /// <param name="className">The page class name that page subscriptions filter on.</param>
    /// <param name="configure">Sets the page fields; defaults are <c>NodeGUID</c>, <c>NodeAliasPath</c>, <c>DocumentCulture</c>.</param>
    /// <returns>This builder.</returns>
    public ObjectTypeBuilder AsPage(string className, Action<PageTypeBuilder>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        var page = new PageTypeBuilder(className);
        configure?.Invoke(page);
        PageInfo = page.Build();
        foreach (var field in page.DeclaredFields())
        {
            AddField(field);
        }

        return this;
    }

    /// <summary>Builds the immutable type metadata.</summary>
    /// <returns>The metadata.</returns>
    /// <exception cref="IntegrationBusException">No ID field was set.</exception>
    public ObjectTypeInfo Build() => new(this);

    private ObjectTypeBuilder Set(string field, Action<string> assign)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        assign(field);
        AddField(field);
        return this;
    }

    private void AddField(string field)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        if (!_fields.Contains(field, StringComparer.Ordinal))
        {
            _fields.Add(field);
        }
    }
}
