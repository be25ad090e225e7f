using System.ComponentModel.DataAnnotations;

namespace IntegrationBus.Webhooks;

/// <summary>One subscription of a webhook connector, as configured: an <see cref="ObjectSubscription"/> or, with <see cref="Pages"/>, a <see cref="PageSubscription"/>.</summary>
/// <remarks>Filters left empty match anything; <c>%</c> matches any run of characters (DESIGN.md §2).</remarks>
public sealed class WebhookSubscriptionOptions
{
    /// <summary>Gets or sets a value indicating whether this subscription is to pages (class name, alias path, culture) rather than objects (object type, code name).</summary>
    /// <value><see langword="false"/>: objects.</value>
    public bool Pages { get; set; }

    /// <summary>Gets or sets the object type filter, for example <c>crm.contact</c> (objects only).</summary>
    /// <value><see langword="null"/>: any object type.</value>
    [MaxLength(200)]
    public string? ObjectType { get; set; }

    /// <summary>Gets or sets the code name filter (objects only).</summary>
    /// <value><see langword="null"/>: any.</value>
    [MaxLength(200)]
    public string? CodeName { get; set; }

    /// <summary>Gets or sets the page class name filter (pages only).</summary>
    /// <value><see langword="null"/>: any.</value>
    [MaxLength(200)]
    public string? ClassName { get; set; }

    /// <summary>Gets or sets the alias path filter, for example <c>/Products/%</c> (pages only).</summary>
    /// <value><see langword="null"/>: any.</value>
    [MaxLength(450)]
    public string? AliasPath { get; set; }

    /// <summary>Gets or sets the culture filter, for example <c>en-US</c> (pages only).</summary>
    /// <value><see langword="null"/>: any.</value>
    [MaxLength(50)]
    public string? Culture { get; set; }

    /// <summary>Gets or sets the site filter; <c>GLOBAL</c> matches only site-less objects.</summary>
    /// <value><see langword="null"/>: any site.</value>
    [MaxLength(200)]
    public string? Site { get; set; }

    /// <summary>Gets the operations sent, for example <c>CreateObject</c> and <c>UpdateObject</c>; object operations for objects, page operations for pages.</summary>
    /// <value>Empty: every operation (<see cref="TaskType.All"/>).</value>
    public IList<TaskType> TaskTypes { get; } = [];

    /// <summary>Gets or sets how much of the object each delivery carries: <see cref="IntegrationBus.DataType.Simple"/>, <see cref="IntegrationBus.DataType.SimpleSnapshot"/> or <see cref="IntegrationBus.DataType.Snapshot"/> (objects only; pages get at most SimpleSnapshot).</summary>
    /// <value><see cref="IntegrationBus.DataType.SimpleSnapshot"/>: the fields plus a translation record for every foreign key, so the receiver can map references.</value>
    public DataType DataType { get; set; } = WebhookDefaults.DataType;
}
