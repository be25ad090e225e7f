
namespace IntegrationBus;

/// <summary>A subscription to changes of (non-page) objects.</summary>
public sealed class ObjectSubscription : Subscription
{
    private readonly GlobPattern? _objectType;
    private readonly GlobPattern? _codeName;

    /// <summary>Creates an object subscription.</summary>
    /// <param name="mode">How matched changes are delivered.</param>
    /// <param name="taskType">The operation filter: <see cref="TaskType.All"/> or an object operation.</param>
    /// <param name="site">The site filter; <see langword="null"/> = any, <c>GLOBAL</c> = site-less objects only.</param>
    /// <param name="objectType">The object type filter; <see langword="null"/> = any.</param>
    /// <param name="codeName">The code name filter; <see langword="null"/> = any.</param>
    /// <exception cref="ArgumentException"><paramref name="taskType"/> is a page operation.</exception>
    public ObjectSubscription(
        SubscriptionMode mode,
        TaskType taskType = TaskType.All,
        string? site = null,
        string? objectType = null,
        string? codeName = null)
        : base(mode, taskType, site)
    {
        if (taskType != TaskType.All && !taskType.IsObjectOperation())
        {
            throw new ArgumentException($"Task type {taskType} is not an object operation; use a PageSubscription.", nameof(taskType));
        }

        ObjectType = objectType;
        CodeName = codeName;
        _objectType = GlobPattern.Compile(objectType);
        _codeName = GlobPattern.Compile(codeName);
    }

    /// <summary>Gets the object type filter.</summary>
    public string? ObjectType { get; }

    /// <summary>Gets the code name filter.</summary>
    public string? CodeName { get; }

    /// <summary>Gets the exact object type this subscription is limited to, or <see langword="null"/> when it has a wildcard.</summary>
    internal string? ExactObjectType => _objectType is { IsWildcard: false } pattern ? pattern.Text : null;

    internal override bool Matches(BusObject change, TaskType taskType) =>
        !change.Type.IsPage
        && MatchesCommon(change, taskType)
        && (_objectType is null || _objectType.IsMatch(change.TypeName))
        && (_codeName is null || _codeName.IsMatch(change.CodeName));
}
