
namespace IntegrationBus.Tests.Support;

/// <summary>A small model: users, polls with answers and role bindings, contacts and article pages.</summary>
public static class SampleTypes
{
    public static readonly ObjectTypeInfo User = new ObjectTypeBuilder("cms.user")
        .Id("UserID").Guid("UserGuid").CodeName("UserName").Fields("Email").Build();

    public static readonly ObjectTypeInfo Role = new ObjectTypeBuilder("cms.role")
        .Id("RoleID").Guid("RoleGuid").CodeName("RoleName").Site("SiteName").Build();

    public static readonly ObjectTypeInfo Poll = new ObjectTypeBuilder("polls.poll")
        .Id("PollID").Guid("PollGuid").CodeName("PollCodeName").Site("SiteName")
        .ForeignKey("OwnerUserID", "cms.user", required: false)
        .Binding("polls.pollrole")
        .Fields("Question").Build();

    public static readonly ObjectTypeInfo Answer = new ObjectTypeBuilder("polls.answer")
        .Id("AnswerID").Guid("AnswerGuid").Parent("polls.poll", "PollID").Fields("Text").Build();

    public static readonly ObjectTypeInfo PollRole = new ObjectTypeBuilder("polls.pollrole")
        .Id("PollRoleID").Parent("polls.poll", "PollID").ForeignKey("RoleID", "cms.role").Build();

    public static readonly ObjectTypeInfo Contact = new ObjectTypeBuilder("crm.contact")
        .Id("ContactID").Guid("ContactGuid").Site("SiteName").ForeignKey("UserID", "cms.user", required: true).Fields("Email").Build();

    public static readonly ObjectTypeInfo Article = new ObjectTypeBuilder("content.article")
        .Id("DocumentID").AsPage("content.article", p => p.ParentNode("NodeParentID")).Site("SiteName").Fields("Title").Build();

    public static IReadOnlyList<ObjectTypeInfo> All { get; } = [User, Role, Poll, Answer, PollRole, Contact, Article];

    public static BusObject NewUser(long id, string name) => Create(User, ("UserID", id), ("UserGuid", Guid.NewGuid()), ("UserName", name), ("Email", name + "@example.com"));

    public static BusObject NewContact(long id, long userId, string? site = "main") =>
        Create(Contact, ("ContactID", id), ("ContactGuid", Guid.NewGuid()), ("SiteName", site), ("UserID", userId), ("Email", $"c{id}@example.com"));

    public static BusObject NewPoll(long id, long? ownerId = null) =>
        Create(Poll, ("PollID", id), ("PollGuid", Guid.NewGuid()), ("PollCodeName", $"poll{id}"), ("SiteName", "main"), ("OwnerUserID", ownerId), ("Question", $"Question {id}?"));

    public static BusObject Create(ObjectTypeInfo type, params (string Field, object? Value)[] values)
    {
        var obj = new BusObject(type);
        foreach (var (field, value) in values)
        {
            obj[field] = value;
        }

        return obj;
    }
}
