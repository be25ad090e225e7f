
namespace IntegrationBus.FaultTests.Worker;

/// <summary>The one object type of the drills: an item with an ID, a GUID and a name.</summary>
internal static class FaultItem
{
    public const string TypeName = "fault.item";

    public static readonly ObjectTypeInfo Type = new ObjectTypeBuilder(TypeName).Id("ItemID").Guid("ItemGuid").Fields("Name").Build();

    public static BusObject Create(long id)
    {
        var obj = new BusObject(Type)
        {
            ["ItemID"] = id,
            ["ItemGuid"] = Guid.NewGuid(),
            ["Name"] = $"item {id}",
        };
        return obj;
    }
}
