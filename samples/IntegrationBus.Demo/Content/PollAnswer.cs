namespace IntegrationBus.Demo.Content;

/// <summary>One answer of a poll.</summary>
public sealed class PollAnswer
{
    public int PollAnswerId { get; set; }

    public Guid PollAnswerGuid { get; set; }

    public int PollId { get; set; }

    public string Text { get; set; } = "";

    public int Position { get; set; }
}
