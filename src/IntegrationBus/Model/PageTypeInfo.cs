namespace IntegrationBus;

/// <summary>The content-tree part of a page type: which fields hold the node data.</summary>
/// <remarks>Build it with <see cref="ObjectTypeBuilder.AsPage"/>.</remarks>
public sealed class PageTypeInfo
{
    internal PageTypeInfo(
        string className,
        string nodeGuidField,
        string aliasPathField,
        string cultureField,
        string? parentNodeField,
        string? tagsField,
        string? categoriesField,
        string? attachmentsField)
    {
        ClassName = className;
        NodeGuidField = nodeGuidField;
        AliasPathField = aliasPathField;
        CultureField = cultureField;
        ParentNodeField = parentNodeField;
        TagsField = tagsField;
        CategoriesField = categoriesField;
        AttachmentsField = attachmentsField;
    }

    /// <summary>Gets the page class name that page subscriptions filter on (for example <c>shop.product</c>).</summary>
    public string ClassName { get; }

    /// <summary>Gets the field that holds the node GUID, shared by every culture version of the page.</summary>
    public string NodeGuidField { get; }

    /// <summary>Gets the field that holds the alias path (for example <c>/Products/Phones</c>).</summary>
    public string AliasPathField { get; }

    /// <summary>Gets the field that holds the culture code (for example <c>en-US</c>).</summary>
    public string CultureField { get; }

    /// <summary>Gets the field that holds the parent node's ID, or <see langword="null"/> when pages have no parent field.</summary>
    public string? ParentNodeField { get; }

    /// <summary>Gets the field that holds the page's tags (a JSON array), or <see langword="null"/>.</summary>
    public string? TagsField { get; }

    /// <summary>Gets the field that holds the page's categories (a JSON array), or <see langword="null"/>.</summary>
    public string? CategoriesField { get; }

    /// <summary>Gets the field that holds the page's attachments (a JSON array), or <see langword="null"/>.</summary>
    public string? AttachmentsField { get; }
}
