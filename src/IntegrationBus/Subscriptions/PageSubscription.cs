
namespace IntegrationBus;

/// <summary>A subscription to changes of pages.</summary>
/// <remarks>Pages have no Snapshot: <see cref="SubscriptionMode.AsyncSnapshot"/> delivers a SimpleSnapshot.</remarks>
public sealed class PageSubscription : Subscription
{
    private readonly GlobPattern? _className;
    private readonly GlobPattern? _aliasPath;
    private readonly GlobPattern? _culture;

    /// <summary>Creates a page subscription.</summary>
    /// <param name="mode">How matched changes are delivered.</param>
    /// <param name="taskType">The operation filter: <see cref="TaskType.All"/> or a page operation.</param>
    /// <param name="site">The site filter; <see langword="null"/> = any.</param>
    /// <param name="className">The page class name filter; <see langword="null"/> = any.</param>
    /// <param name="aliasPath">The alias path filter, for example <c>/Products/%</c>; <see langword="null"/> = any.</param>
    /// <param name="culture">The culture filter, for example <c>en-US</c>; <see langword="null"/> = any.</param>
    /// <exception cref="ArgumentException"><paramref name="taskType"/> is an object operation.</exception>
    public PageSubscription(
        SubscriptionMode mode,
        TaskType taskType = TaskType.All,
        string? site = null,
        string? className = null,
        string? aliasPath = null,
        string? culture = null)
        : base(mode, taskType, site)
    {
        if (taskType != TaskType.All && !taskType.IsPageOperation())
        {
            throw new ArgumentException($"Task type {taskType} is not a page operation; use an ObjectSubscription.", nameof(taskType));
        }

        ClassName = className;
        AliasPath = aliasPath;
        Culture = culture;
        _className = GlobPattern.Compile(className);
        _aliasPath = GlobPattern.Compile(aliasPath);
        _culture = GlobPattern.Compile(culture);
    }

    /// <summary>Gets the page class name filter.</summary>
    public string? ClassName { get; }

    /// <summary>Gets the alias path filter.</summary>
    public string? AliasPath { get; }

    /// <summary>Gets the culture filter.</summary>
    public string? Culture { get; }

    /// <summary>Gets the exact class name this subscription is limited to, or <see langword="null"/> when it has a wildcard.</summary>
    internal string? ExactClassName => _className is { IsWildcard: false } pattern ? pattern.Text : null;

    internal override bool Matches(BusObject change, TaskType taskType) =>
        change.Type.Page is { } page
        && MatchesCommon(change, taskType)
        && (_className is null || _className.IsMatch(page.ClassName))
        && (_aliasPath is null || _aliasPath.IsMatch(change.AliasPath))
        && (_culture is null || _culture.IsMatch(change.Culture));
}
