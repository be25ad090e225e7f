
namespace IntegrationBus;

/// <summary>Collects a connector's subscriptions; helpers cover the common cases.</summary>
public sealed class SubscriptionBuilder
{
    private readonly List<Subscription> _subscriptions = [];

    /// <summary>Gets the subscriptions added so far.</summary>
    public IReadOnlyList<Subscription> Subscriptions => _subscriptions;

    /// <summary>Adds a subscription.</summary>
    /// <param name="subscription">The subscription.</param>
    /// <returns>This builder.</returns>
    public SubscriptionBuilder Add(Subscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        _subscriptions.Add(subscription);
        return this;
    }

    /// <summary>Subscribes to every object change.</summary>
    /// <param name="mode">How changes are delivered.</param>
    /// <param name="taskType">The operation filter.</param>
    /// <param name="site">The site filter.</param>
    /// <returns>This builder.</returns>
    public SubscriptionBuilder AllObjects(SubscriptionMode mode, TaskType taskType = TaskType.All, string? site = null) =>
        Add(new ObjectSubscription(mode, taskType, site));

    /// <summary>Subscribes to one object type, for all operations or the given ones.</summary>
    /// <param name="objectType">The object type name (may contain <c>%</c>).</param>
    /// <param name="mode">How changes are delivered.</param>
    /// <param name="taskTypes">The operations; none means all.</param>
    /// <returns>This builder.</returns>
    public SubscriptionBuilder Objects(string objectType, SubscriptionMode mode, params TaskType[] taskTypes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectType);
        ArgumentNullException.ThrowIfNull(taskTypes);
        if (taskTypes.Length == 0)
        {
            return Add(new ObjectSubscription(mode, TaskType.All, objectType: objectType));
        }

        foreach (var taskType in taskTypes)
        {
            Add(new ObjectSubscription(mode, taskType, objectType: objectType));
        }

        return this;
    }

    /// <summary>Subscribes to every page change.</summary>
    /// <param name="mode">How changes are delivered.</param>
    /// <param name="taskType">The operation filter.</param>
    /// <param name="site">The site filter.</param>
    /// <returns>This builder.</returns>
    public SubscriptionBuilder AllPages(SubscriptionMode mode, TaskType taskType = TaskType.All, string? site = null) =>
        Add(new PageSubscription(mode, taskType, site));

    /// <summary>Subscribes to pages of the given classes.</summary>
    /// <param name="mode">How changes are delivered.</param>
    /// <param name="classNames">The page class names (each may contain <c>%</c>).</param>
    /// <returns>This builder.</returns>
    public SubscriptionBuilder PagesOfClasses(SubscriptionMode mode, params string[] classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        foreach (var className in classNames)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(className, nameof(classNames));
            Add(new PageSubscription(mode, className: className));
        }

        return this;
    }

    /// <summary>Subscribes to a page and every page below it in the content tree.</summary>
    /// <param name="aliasPath">The alias path of the section, for example <c>/Products</c>.</param>
    /// <param name="mode">How changes are delivered.</param>
    /// <returns>This builder.</returns>
    public SubscriptionBuilder PagesUnder(string aliasPath, SubscriptionMode mode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(aliasPath);
        var path = aliasPath.TrimEnd('/');
        if (path.Length > 0)
        {
            Add(new PageSubscription(mode, aliasPath: path));
        }

        return Add(new PageSubscription(mode, aliasPath: path + "/%"));
    }

    /// <summary>Subscribes to pages in one culture.</summary>
    /// <param name="culture">The culture code, for example <c>en-US</c>.</param>
    /// <param name="mode">How changes are delivered.</param>
    /// <returns>This builder.</returns>
    public SubscriptionBuilder PagesInCulture(string culture, SubscriptionMode mode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(culture);
        return Add(new PageSubscription(mode, culture: culture));
    }
}
