namespace IntegrationBus;

/// <summary>The operation a task carries. Values are stored in the database and never change.</summary>
public enum TaskType
{
    /// <summary>Every operation; valid in subscriptions only.</summary>
    All = 0,

    /// <summary>An object was created.</summary>
    CreateObject = 1,

    /// <summary>An object was updated.</summary>
    UpdateObject = 2,

    /// <summary>An object was deleted.</summary>
    DeleteObject = 3,

    /// <summary>An object was added to a site.</summary>
    AddToSite = 4,

    /// <summary>An object was removed from a site.</summary>
    RemoveFromSite = 5,

    /// <summary>A page was created.</summary>
    CreatePage = 10,

    /// <summary>A page was updated.</summary>
    UpdatePage = 11,

    /// <summary>One culture version of a page was deleted.</summary>
    DeletePage = 12,

    /// <summary>Every culture version of a page was deleted.</summary>
    DeleteAllCultures = 13,

    /// <summary>A page was published.</summary>
    PublishPage = 14,

    /// <summary>A page was archived.</summary>
    ArchivePage = 15,

    /// <summary>A page was moved in the content tree.</summary>
    MovePage = 16,
}
