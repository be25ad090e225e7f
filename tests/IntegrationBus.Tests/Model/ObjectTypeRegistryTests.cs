
namespace IntegrationBus.Tests.Model;

public class ObjectTypeRegistryTests
{
    [Fact]
    public void Constructor_DuplicateTypeInOtherCase_ThrowsNamingType()
    {
        var first = new ObjectTypeBuilder("crm.contact").Id("ContactID").Build();
        var second = new ObjectTypeBuilder("CRM.Contact").Id("ContactID").Build();

        var exception = Assert.Throws<IntegrationBusException>(() => new ObjectTypeRegistry([first, second]));

        Assert.Contains("'CRM.Contact'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("registered twice", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicatePageClass_ThrowsNamingBothTypesAndClass()
    {
        var first = new ObjectTypeBuilder("shop.product").Id("DocumentID").AsPage("shop.item").Build();
        var second = new ObjectTypeBuilder("shop.offer").Id("DocumentID").AsPage("SHOP.ITEM").Build();

        var exception = Assert.Throws<IntegrationBusException>(() => new ObjectTypeRegistry([first, second]));

        Assert.Contains("'shop.offer'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'shop.product'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'SHOP.ITEM'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ForeignKeyToUnknownType_ThrowsNamingTypeFieldAndTarget()
    {
        var contact = new ObjectTypeBuilder("crm.contact").Id("ContactID").ForeignKey("ContactOwnerID", "cms.user").Build();

        var exception = Assert.Throws<IntegrationBusException>(() => new ObjectTypeRegistry([contact]));

        Assert.Contains("'crm.contact'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'ContactOwnerID'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'cms.user'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ChildOfUnknownParentType_ThrowsNamingTypeFieldAndParent()
    {
        var answer = new ObjectTypeBuilder("polls.answer").Id("AnswerID").Parent("polls.poll", "AnswerPollID").Build();

        var exception = Assert.Throws<IntegrationBusException>(() => new ObjectTypeRegistry([answer]));

        Assert.Contains("'polls.answer'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'AnswerPollID'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BindingTypeNotChildOfOwner_ThrowsNamingBindingAndOwner()
    {
        var role = new ObjectTypeBuilder("cms.role").Id("RoleID").Build();
        var poll = new ObjectTypeBuilder("polls.poll").Id("PollID").Binding("polls.pollrole").Build();
        var pollRole = new ObjectTypeBuilder("polls.pollrole").Id("PollRoleID").ForeignKey("RoleID", "cms.role").Build();

        var exception = Assert.Throws<IntegrationBusException>(() => new ObjectTypeRegistry([role, poll, pollRole]));

        Assert.Contains("'polls.pollrole'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Parent(", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BindingTypeWithoutForeignKey_ThrowsNamingBindingAndOwner()
    {
        var poll = new ObjectTypeBuilder("polls.poll").Id("PollID").Binding("polls.pollrole").Build();
        var pollRole = new ObjectTypeBuilder("polls.pollrole").Id("PollRoleID").Parent("polls.poll", "PollID").Build();

        var exception = Assert.Throws<IntegrationBusException>(() => new ObjectTypeRegistry([poll, pollRole]));

        Assert.Contains("'polls.pollrole'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("no foreign key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnregisteredBindingType_ThrowsNamingBindingAndOwner()
    {
        var poll = new ObjectTypeBuilder("polls.poll").Id("PollID").Binding("polls.pollrole").Build();

        var exception = Assert.Throws<IntegrationBusException>(() => new ObjectTypeRegistry([poll]));

        Assert.Contains("'polls.pollrole'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'polls.poll'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetChildTypes_OwnerWithChildAndBinding_ReturnsChildOnly()
    {
        var registry = TestModel.Registry();

        var children = registry.GetChildTypes(registry.Get(TestModel.Poll));

        Assert.Equal([TestModel.Answer], children.Select(t => t.Name));
    }

    [Fact]
    public void GetBindingTypes_OwnerWithBinding_ReturnsBinding()
    {
        var registry = TestModel.Registry();

        var bindings = registry.GetBindingTypes(registry.Get(TestModel.Poll));

        Assert.Equal([TestModel.PollRole], bindings.Select(t => t.Name));
    }

    [Fact]
    public void GetChildTypesAndGetBindingTypes_TypeWithNone_ReturnEmpty()
    {
        var registry = TestModel.Registry();
        var user = registry.Get(TestModel.User);

        Assert.Empty(registry.GetChildTypes(user));
        Assert.Empty(registry.GetBindingTypes(user));
    }

    [Fact]
    public void TryGetPageType_ClassNameInOtherCase_FindsPageType()
    {
        var registry = TestModel.Registry();

        Assert.True(registry.TryGetPageType("BLOG.ARTICLE", out var type));
        Assert.Equal(TestModel.Article, type.Name);
        Assert.False(registry.TryGetPageType(TestModel.Poll, out _));
    }

    [Fact]
    public void TryGet_NameInOtherCase_FindsType()
    {
        var registry = TestModel.Registry();

        Assert.True(registry.TryGet("POLLS.Poll", out var type));
        Assert.Equal(TestModel.Poll, type.Name);
        Assert.Same(type, registry.Get("polls.POLL"));
        Assert.False(registry.TryGet("polls.unknown", out _));
    }

    [Fact]
    public void Get_UnknownType_ThrowsNamingType()
    {
        var exception = Assert.Throws<IntegrationBusException>(() => TestModel.Registry().Get("polls.unknown"));

        Assert.Contains("'polls.unknown'", exception.Message, StringComparison.Ordinal);
    }
}
