
namespace IntegrationBus.Benchmarks;

/// <summary>The simple object type the benchmarks log.</summary>
internal static class BenchTypes
{
    public const string ItemName = "bench.item";

    public static readonly ObjectTypeInfo Item = new ObjectTypeBuilder(ItemName)
        .Id("ItemID").Guid("ItemGuid").CodeName("ItemName").DisplayName("ItemTitle").Fields("Email", "Price").Build();

    public static BusObject NewItem(long id)
    {
        var obj = new BusObject(Item);
        obj["ItemID"] = id;
        obj["ItemGuid"] = Guid.NewGuid();
        obj["ItemName"] = "item" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        obj["ItemTitle"] = "Item number " + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        obj["Email"] = "item" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@example.com";
        obj["Price"] = 12.5m;
        return obj;
    }
}
