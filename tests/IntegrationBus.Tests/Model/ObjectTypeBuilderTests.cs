
namespace IntegrationBus.Tests.Model;

public class ObjectTypeBuilderTests
{
    [Fact]
    public void Build_NoIdField_ThrowsNamingType()
    {
        var builder = new ObjectTypeBuilder("crm.contact").Guid("ContactGUID");

        var exception = Assert.Throws<IntegrationBusException>(builder.Build);

        Assert.Contains("'crm.contact'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("ID field", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_IdentityAndDeclaredFields_ListsEachFieldOnce()
    {
        var type = new ObjectTypeBuilder("polls.poll")
            .Id("PollID").Guid("PollGUID").ForeignKey("PollOwnerID", "cms.user", required: false)
            .Fields("PollQuestion", "PollID")
            .Build();

        Assert.Equal(["PollID", "PollGUID", "PollOwnerID", "PollQuestion"], type.Fields);
        Assert.Equal(new ForeignKeyInfo("PollOwnerID", "cms.user", false), type.FindForeignKey("PollOwnerID"));
        Assert.Null(type.FindForeignKey("PollQuestion"));
    }

    [Fact]
    public void AsPage_DefaultFields_DeclaresNodeFields()
    {
        var type = new ObjectTypeBuilder("shop.product").Id("DocumentID").AsPage("shop.product").Build();

        Assert.True(type.IsPage);
        Assert.True(type.HasField("NodeGUID"));
        Assert.True(type.HasField("NodeAliasPath"));
        Assert.True(type.HasField("DocumentCulture"));
    }
}
