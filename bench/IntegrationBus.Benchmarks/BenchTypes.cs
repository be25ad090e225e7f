
namespace IntegrationBus.Benchmarks;

/// <summary>The simple object type the benchmarks log.</summary>
internal static class BenchTypes
{
    public const string ItemName = "bench.item";

    public static readonly ObjectTypeInfo Item = new ObjectTypeBuilder(ItemName)
        .Id("ItemID").Guid("ItemGuid").CodeName("ItemName").DisplayName("ItemTitle").Fields("Email", "Price").Build();

    public static BusObject NewItem(long id) => NewItem(id, Guid.NewGuid());

    /// <summary>An item with a given GUID: changes of one GUID share an ordering key (figure 14).</summary>
    public static BusObject NewItem(long id, Guid guid)
    {
        var obj = new BusObject(Item);
        obj["ItemID"] = id;
        obj["ItemGuid"] = guid;
        obj["ItemName"] = "item" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        obj["ItemTitle"] = "Item number " + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        obj["Email"] = "item" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@example.com";
        obj["Price"] = 12.5m;
        return obj;
    }
}
