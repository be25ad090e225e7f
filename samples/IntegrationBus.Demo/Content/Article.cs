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

    public List<Tag> Tags { get; } = [];

    public List<Category> Categories { get; } = [];

    public List<Attachment> Attachments { get; } = [];
}
