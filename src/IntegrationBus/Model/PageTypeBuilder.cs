namespace IntegrationBus;

/// <summary>Sets which fields of a page type hold its content-tree data.</summary>
public sealed class PageTypeBuilder
{
    private readonly string _className;
    private string _nodeGuid = "NodeGUID";
    private string _aliasPath = "NodeAliasPath";
    private string _culture = "DocumentCulture";
    private string? _parentNode;
    private string? _tags;
    private string? _categories;
    private string? _attachments;

    internal PageTypeBuilder(string className) => _className = className;

    /// <summary>Sets the node GUID field.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public PageTypeBuilder NodeGuid(string field) => Assign(field, f => _nodeGuid = f);

    /// <summary>Sets the alias path field.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public PageTypeBuilder AliasPath(string field) => Assign(field, f => _aliasPath = f);

    /// <summary>Sets the culture field.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public PageTypeBuilder Culture(string field) => Assign(field, f => _culture = f);

    /// <summary>Sets the parent node ID field.</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public PageTypeBuilder ParentNode(string field) => Assign(field, f => _parentNode = f);

    /// <summary>Sets the tags field (a JSON array of tag names).</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public PageTypeBuilder Tags(string field) => Assign(field, f => _tags = f);

    /// <summary>Sets the categories field (a JSON array of category code names).</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public PageTypeBuilder Categories(string field) => Assign(field, f => _categories = f);

    /// <summary>Sets the attachments field (a JSON array of attachment descriptions).</summary>
    /// <param name="field">The field name.</param>
    /// <returns>This builder.</returns>
    public PageTypeBuilder Attachments(string field) => Assign(field, f => _attachments = f);

    internal PageTypeInfo Build() =>
        new(_className, _nodeGuid, _aliasPath, _culture, _parentNode, _tags, _categories, _attachments);

    internal IEnumerable<string> DeclaredFields()
    {
        yield return _nodeGuid;
        yield return _aliasPath;
        yield return _culture;
        foreach (var field in new[] { _parentNode, _tags, _categories, _attachments })
        {
            if (field is not null)
            {
                yield return field;
            }
        }
    }

    private PageTypeBuilder Assign(string field, Action<string> assign)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        assign(field);
        return this;
    }
}
