
namespace IntegrationBus.Tests;

/// <summary>A small, consistent set of object and page types shared by the unit tests.</summary>
internal static class TestModel
{
    public const string User = "cms.user";
    public const string Role = "cms.role";
    public const string Poll = "polls.poll";
    public const string Answer = "polls.answer";
    public const string PollRole = "polls.pollrole";
    public const string Contact = "crm.contact";
    public const string Product = "shop.product";
    public const string Article = "blog.article";

    public static ObjectTypeInfo UserType() =>
        new ObjectTypeBuilder(User).Id("UserID").Guid("UserGUID").CodeName("UserName").Build();

    public static ObjectTypeInfo RoleType() =>
        new ObjectTypeBuilder(Role).Id("RoleID").Guid("RoleGUID").CodeName("RoleName").Site("RoleSite").Build();

    public static ObjectTypeInfo PollType() =>
        new ObjectTypeBuilder(Poll)
            .Id("PollID").Guid("PollGUID").CodeName("PollCodeName").DisplayName("PollTitle").Site("PollSite")
            .ForeignKey("PollOwnerID", User, required: false)
            .ForeignKey("PollCreatedByID", User)
            .Binding(PollRole)
            .Fields("PollQuestion", "PollVotes", "PollScore", "PollOpen", "PollNote", "PollTags", "PollOpenFrom")
            .Build();

    public static ObjectTypeInfo AnswerType() =>
        new ObjectTypeBuilder(Answer)
            .Id("AnswerID").Guid("AnswerGUID").CodeName("AnswerCodeName")
            .Parent(Poll, "AnswerPollID")
            .ForeignKey("AnswerAuthorID", User)
            .Fields("AnswerText")
            .Build();

    public static ObjectTypeInfo PollRoleType() =>
        new ObjectTypeBuilder(PollRole)
            .Id("PollRoleID").Parent(Poll, "PollRolePollID").ForeignKey("PollRoleRoleID", Role)
            .Build();

    public static ObjectTypeInfo ContactType() =>
        new ObjectTypeBuilder(Contact)
            .Id("ContactID").Guid("ContactGUID").Site("ContactSite")
            .ForeignKey("ContactHomePageID", Product)
            .ForeignKey("ContactManagerID", User)
            .Fields("ContactEmail")
            .Build();

    public static ObjectTypeInfo ProductType() =>
        new ObjectTypeBuilder(Product).Id("DocumentID").Site("NodeSite").Fields("ProductName").AsPage(Product).Build();

    public static ObjectTypeInfo ArticleType() =>
        new ObjectTypeBuilder(Article)
            .Id("ArticleID").Site("ArticleSite")
            .AsPage("Blog.Article", p => p.NodeGuid("ArticleNode").AliasPath("ArticlePath").Culture("ArticleCulture"))
            .Build();

    public static ObjectTypeRegistry Registry() =>
        new([UserType(), RoleType(), PollType(), AnswerType(), PollRoleType(), ContactType(), ProductType(), ArticleType()]);

    public static BusObject NewObject(ObjectTypeRegistry registry, string type, params (string Field, object? Value)[] values)
    {
        var obj = new BusObject(registry.Get(type));
        foreach (var (field, value) in values)
        {
            obj[field] = value;
        }

        return obj;
    }
}
