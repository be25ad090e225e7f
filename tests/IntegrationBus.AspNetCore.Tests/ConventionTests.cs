using System.Reflection;

namespace IntegrationBus.AspNetCore.Tests;

public sealed class ConventionTests
{
    [Fact]
    public void HttpEventIds_AreUniqueAndInTheHttpRange()
    {
        var ids = typeof(IntegrationBusHttpOptions).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("EventIds", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.NonPublic))
            .Where(f => f.IsLiteral && f.FieldType == typeof(int))
            .Select(f => (int)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 6000, 6999));
    }
}
