using System.Linq.Expressions;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// Overrides what the bus derives from the EF model for one entity type. Without overrides the ID is the single
/// integer primary key, the GUID a Guid property named <c>{Entity}Guid</c> or <c>Guid</c>, the code name
/// <c>{Entity}CodeName</c> or <c>CodeName</c>, the site <c>SiteName</c> or <c>Site</c>; foreign keys come from the model.
/// </summary>
/// <typeparam name="TEntity">The entity type.</typeparam>
public sealed class BusEntityBuilder<TEntity>
    where TEntity : class
{
    internal BusEntityBuilder(EntityConfiguration configuration) => Configuration = configuration;

    internal EntityConfiguration Configuration { get; }

    /// <summary>Sets the ID property.</summary>
    /// <param name="property">The property, for example <c>e =&gt; e.PollId</c>.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Id(Expression<Func<TEntity, object?>> property) => Set(property, name => Configuration.Id = name);

    /// <summary>Sets the GUID property.</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Guid(Expression<Func<TEntity, object?>> property) => Set(property, name => Configuration.Guid = name);

    /// <summary>Sets the code name property.</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> CodeName(Expression<Func<TEntity, object?>> property) => Set(property, name => Configuration.CodeName = name);

    /// <summary>Sets the display name property.</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> DisplayName(Expression<Func<TEntity, object?>> property) => Set(property, name => Configuration.DisplayName = name);

    /// <summary>Sets the site name property.</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Site(Expression<Func<TEntity, object?>> property) => Set(property, name => Configuration.Site = name);

    /// <summary>Sets the property that holds when a row was last modified, so a resync with <c>since</c> can select the rows changed since then.</summary>
    /// <remarks>A <see cref="DateTime"/> (taken as UTC) or <see cref="DateTimeOffset"/> property, nullable or not; the application keeps it current. A row whose value is null is left out of such a resync.</remarks>
    /// <param name="property">The property, for example <c>e =&gt; e.UpdatedAt</c>.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> LastModified(Expression<Func<TEntity, object?>> property) => Set(property, name => Configuration.LastModified = name);

    /// <summary>Leaves a property out of the object's fields.</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Ignore(Expression<Func<TEntity, object?>> property) => Set(property, name => Configuration.Ignored.Add(name));

    /// <summary>Makes <typeparamref name="TChild"/> a child type (part of this type's Snapshot); its foreign key to this entity links them.</summary>
    /// <typeparam name="TChild">The child entity type, which must be configured too.</typeparam>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Children<TChild>()
        where TChild : class
    {
        Configuration.Children.Add(typeof(TChild));
        return this;
    }

    /// <summary>Sets the page's node GUID property (pages only).</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> NodeGuid(Expression<Func<TEntity, object?>> property) => SetPage(property, name => Configuration.NodeGuid = name);

    /// <summary>Sets the page's alias path property (pages only).</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> AliasPath(Expression<Func<TEntity, object?>> property) => SetPage(property, name => Configuration.AliasPath = name);

    /// <summary>Sets the page's culture property (pages only).</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Culture(Expression<Func<TEntity, object?>> property) => SetPage(property, name => Configuration.Culture = name);

    /// <summary>Sets the page's parent node ID property (pages only).</summary>
    /// <param name="property">The property.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> ParentNode(Expression<Func<TEntity, object?>> property) => SetPage(property, name => Configuration.ParentNode = name);

    /// <summary>Carries the page's tags as a field (pages only).</summary>
    /// <param name="tags">Reads the tag names, for example <c>p =&gt; p.Tags.Select(t =&gt; t.Name)</c>.</param>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Tags(Func<TEntity, object?> tags, string field = "Tags") => Computed("Tags", tags, field);

    /// <summary>Carries the page's categories as a field (pages only).</summary>
    /// <param name="categories">Reads the category code names.</param>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Categories(Func<TEntity, object?> categories, string field = "Categories") => Computed("Categories", categories, field);

    /// <summary>Carries the page's attachments as a field (pages only).</summary>
    /// <param name="attachments">Reads the attachment descriptions (for example file names).</param>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public BusEntityBuilder<TEntity> Attachments(Func<TEntity, object?> attachments, string field = "Attachments") => Computed("Attachments", attachments, field);

    private BusEntityBuilder<TEntity> Computed(string role, Func<TEntity, object?> read, string field)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        RequirePage(field);
        Configuration.Computed[field] = entity => read((TEntity)entity);
        Configuration.PageLists[field] = role;
        return this;
    }

    private BusEntityBuilder<TEntity> SetPage(Expression<Func<TEntity, object?>> property, Action<string> assign)
    {
        RequirePage(MemberName(property));
        return Set(property, assign);
    }

    private void RequirePage(string member)
    {
        if (Configuration.PageClassName is null)
        {
            throw new IntegrationBusException(
                $"Entity '{typeof(TEntity).Name}' is configured as an object, so page property '{member}' cannot be set. Configure it with Page<{typeof(TEntity).Name}>(...).");
        }
    }

    private BusEntityBuilder<TEntity> Set(Expression<Func<TEntity, object?>> property, Action<string> assign)
    {
        assign(MemberName(property));
        return this;
    }

    private static string MemberName(Expression<Func<TEntity, object?>> property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : property.Body;
        return body is MemberExpression { Expression: ParameterExpression } member
            ? member.Member.Name
            : throw new ArgumentException($"'{property}' must name a property of {typeof(TEntity).Name}, like e => e.Name.", nameof(property));
    }
}
