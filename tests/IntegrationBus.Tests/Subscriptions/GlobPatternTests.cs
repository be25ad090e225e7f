
namespace IntegrationBus.Tests.Subscriptions;

public class GlobPatternTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Compile_NullOrEmpty_ReturnsNullForAny(string? pattern) => Assert.Null(GlobPattern.Compile(pattern));

    [Theory]
    [InlineData("crm.contact", "crm.contact")]
    [InlineData("crm.contact", "CRM.Contact")]
    [InlineData("%", "")]
    [InlineData("%", "anything at all")]
    [InlineData("crm.%", "crm.contact")]
    [InlineData("crm.%", "crm.")]
    [InlineData("%.contact", "crm.contact")]
    [InlineData("%con%", "crm.contact")]
    [InlineData("c%t", "crm.contact")]
    [InlineData("c%%t", "ct")]
    [InlineData("a%b%c", "abc")]
    [InlineData("a%b%c", "a-b-b-c")]
    [InlineData("/Products/%", "/PRODUCTS/Phones/X")]
    [InlineData("a.b", "A.B")]
    [InlineData("a_b", "a_b")]
    [InlineData("a*b", "a*b")]
    [InlineData("a?b", "a?b")]
    [InlineData("[ab]", "[ab]")]
    [InlineData("^a$", "^a$")]
    public void IsMatch_MatchingValue_ReturnsTrue(string pattern, string value) =>
        Assert.True(GlobPattern.Compile(pattern)!.IsMatch(value));

    [Theory]
    [InlineData("crm.contact", "crm.contacts")]
    [InlineData("crm.contact", "xcrm.contact")]
    [InlineData("crm.%", "crm")]
    [InlineData("crm.%", "cms.user")]
    [InlineData("%.contact", "crm.contacts")]
    [InlineData("a%a", "a")]
    [InlineData("a%b%c", "acb")]
    [InlineData("ab%ba", "aba")]
    [InlineData("a.b", "axb")]
    [InlineData("a_b", "axb")]
    [InlineData("a*b", "axxb")]
    [InlineData("a*b", "ab")]
    [InlineData("a?b", "axb")]
    [InlineData("[ab]", "a")]
    [InlineData("a+", "aa")]
    public void IsMatch_OtherValue_ReturnsFalse(string pattern, string value) =>
        Assert.False(GlobPattern.Compile(pattern)!.IsMatch(value));

    [Fact]
    public void IsMatch_NullValue_MatchesOnlyWhatMatchesEmpty()
    {
        Assert.True(GlobPattern.Compile("%")!.IsMatch(null));
        Assert.False(GlobPattern.Compile("a%")!.IsMatch(null));
    }

    [Theory]
    [InlineData("crm.contact", false)]
    [InlineData("crm.%", true)]
    public void IsWildcard_Pattern_TellsWhetherItHasPercent(string pattern, bool expected) =>
        Assert.Equal(expected, GlobPattern.Compile(pattern)!.IsWildcard);
}
