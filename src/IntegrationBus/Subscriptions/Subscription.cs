
namespace IntegrationBus;

/// <summary>Which changes a connector wants and how it receives them.</summary>
/// <remarks>
/// Filters that are <see langword="null"/> or empty match anything; <c>%</c> matches any run of characters. The site
/// filter <see cref="GlobalSite"/> matches only site-less (global) objects.
/// </remarks>
public abstract class Subscription
{
    /// <summary>The site filter that matches only global (site-less) objects.</summary>
    public const string GlobalSite = "GLOBAL";

    private readonly GlobPattern? _site;

    private protected Subscription(SubscriptionMode mode, TaskType taskType, string? site)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown subscription mode.");
        }

        Mode = mode;
        TaskType = taskType;
        Site = site;
        _site = string.Equals(site, GlobalSite, StringComparison.OrdinalIgnoreCase) ? null : GlobPattern.Compile(site);
    }

    /// <summary>Gets how matched changes are delivered.</summary>
    public SubscriptionMode Mode { get; }

    /// <summary>Gets the operation filter; <see cref="TaskType.All"/> matches every operation.</summary>
    public TaskType TaskType { get; }

    /// <summary>Gets the site filter.</summary>
    public string? Site { get; }

    internal bool MatchesCommon(BusObject change, TaskType taskType)
    {
        if (TaskType != TaskType.All && TaskType != taskType)
        {
            return false;
        }

        if (string.Equals(Site, GlobalSite, StringComparison.OrdinalIgnoreCase))
        {
            return change.Site is null;
        }

        return _site is null || (change.Site is not null && _site.IsMatch(change.Site));
    }

    internal abstract bool Matches(BusObject change, TaskType taskType);
}
