
namespace IntegrationBus.Tests.Model;

public sealed class TaskPayloadShapeTests
{
    private static readonly ObjectTypeRegistry Types = new(Support.SampleTypes.All);

    [Theory]
    [InlineData("""{"v":1,"object":{"type":"crm.contact","fields":{},"refs":{"UserID":{"type":"cms.user","id":"abc"}}}}""", "integer \"id\"")]
    [InlineData("""{"v":1,"object":{"type":"crm.contact","fields":{},"refs":{"UserID":{"type":"cms.user","id":1,"codeName":5}}}}""", "\"codeName\" is not a string")]
    [InlineData("""{"v":1,"object":{"type":"crm.contact","fields":{},"refs":{"UserID":{"type":"cms.user","id":1,"guid":"nope"}}}}""", "\"guid\" is not a GUID")]
    [InlineData("""{"v":1,"object":{"type":"polls.poll","fields":{},"children":[5]}}""", "version-1 shape")]
    [InlineData("""{"v":1,"object":{"type":"polls.poll","fields":{},"children":[{"type":7}]}}""", "no \"type\"")]
    public void Deserialize_ValueOfTheWrongKind_ThrowsTaskPayloadExceptionSayingWhat(string payload, string expected)
    {
        var exception = Assert.Throws<TaskPayloadException>(() => TaskPayload.Deserialize(payload, Types));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }
}
