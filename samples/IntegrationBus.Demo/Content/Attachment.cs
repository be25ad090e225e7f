namespace IntegrationBus.Demo.Content;

/// <summary>A file attached to an article.</summary>
public sealed class Attachment
{
    public int AttachmentId { get; set; }

    public int ArticleId { get; set; }

    public string FileName { get; set; } = "";
}
