namespace IntegrationBus.Demo.Content;

/// <summary>A content page (an article) in the tree, with tags, categories and attachments.</summary>
public sealed class Article
{
    public int ArticleId { get; set; }

    public Guid NodeGuid { get; set; }

    public string NodeAliasPath { get; set; } = "";

    public string DocumentCulture { get; set; } = "en-US";

    public string Title { get; set; } = "";

    public string Body { get; set; } = "";

    public int Version { get; set; }

    /// <summary>Comma-separated; the bus sees it as the page's tag list.</summary>
    public string TagList { get; set; } = "";

    /// <summary>Comma-separated; the bus sees it as the page's category list.</summary>
    public string CategoryList { get; set; } = "";

    /// <summary>Comma-separated file names; the bus sees it as the page's attachment list.</summary>
    public string AttachmentList { get; set; } = "";

    public static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
