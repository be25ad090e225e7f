
namespace IntegrationBus.FaultTests.Worker;

/// <summary>The one object type of the drills: an item with an ID, a GUID and a name.</summary>
internal static class FaultItem
{
    public const string TypeName = "fault.item";

    public static readonly ObjectTypeInfo Type = new ObjectTypeBuilder(TypeName).Id("ItemID").Guid("ItemGuid").Fields("Name").Build();

    public static BusObject Create(long id) => Create(id, Guid.NewGuid());

    /// <summary>An item with a given GUID (the per-object drill: items of one GUID share an ordering key).</summary>
    public static BusObject Create(long id, Guid guid)
    {
        var obj = new BusObject(Type)
        {
            ["ItemID"] = id,
            ["ItemGuid"] = guid,
            ["Name"] = $"item {id}",
        };
        return obj;
    }

    /// <summary>The GUID of key <paramref name="key"/> in the per-object drill (item <c>id</c> has key <c>id % keys</c>).</summary>
    public static Guid KeyGuid(long key) => new((int)key, 0, 0, new byte[8]);
}
