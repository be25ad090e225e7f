namespace IntegrationBus.Demo.Content;

/// <summary>A poll with its answers (children) and the roles it is meant for (optional bindings).</summary>
public sealed class Poll
{
    public int PollId { get; set; }

    public Guid PollGuid { get; set; }

    public string PollName { get; set; } = "";

    public string Question { get; set; } = "";

    public int Version { get; set; }

    public List<PollAnswer> Answers { get; } = [];

    public List<Role> Roles { get; } = [];
}
