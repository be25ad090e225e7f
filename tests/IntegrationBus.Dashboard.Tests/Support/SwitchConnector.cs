namespace IntegrationBus.Dashboard.Tests.Support;

/// <summary>An outgoing connector for contacts that fails (throws) while <see cref="Failing"/> is set and delivers otherwise.</summary>
public sealed class SwitchConnector(string name, string displayName) : Connector(name)
{
    public const string ContactType = "crm.contact";

    public static readonly ObjectTypeInfo Contact = new ObjectTypeBuilder(ContactType)
        .Id("ContactID").Guid("ContactGuid").CodeName("Email").Fields("Email", "FullName").Build();

    private volatile bool _failing;
    private long _delayTicks;

    /// <summary>Gets or sets how long each delivery takes (zero by default), so that a queue drains visibly.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public override string DisplayName => displayName;

    /// <summary>Gets or sets whether the external system is "down": every call throws.</summary>
    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public static BusObject NewContact(long id, string email, string fullName)
    {
        var contact = new BusObject(Contact);
        contact["ContactID"] = id;
        contact["ContactGuid"] = Guid.NewGuid();
        contact["Email"] = email;
        contact["FullName"] = fullName;
        return contact;
    }

    protected override void Subscribe(SubscriptionBuilder subscriptions) => subscriptions.Objects(ContactType, SubscriptionMode.AsyncSimple);

    protected override async Task<TaskResult> ProcessOutgoingAsync(OutgoingTask task, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new InvalidOperationException($"{Name} is down for maintenance (HTTP 503 from the test double).");
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return TaskResult.Ok;
    }
}
