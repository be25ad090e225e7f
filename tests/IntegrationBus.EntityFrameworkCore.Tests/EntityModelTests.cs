using IntegrationBus.EntityFrameworkCore.Tests.Support;
using IntegrationBus.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationBus.EntityFrameworkCore.Tests;

public sealed class EntityModelTests
{
    private static ObjectTypeRegistry Registry(Action<BusEntitiesBuilder> entities)
    {
        var services = new ServiceCollection();
        services.AddIntegrationBus(bus => bus.UseSqlite("Data Source=unused-model.db").AddEntityFrameworkCore<AppDb>(entities));
        services.AddDbContext<AppDb>((sp, o) => o.UseSqlite("Data Source=unused-model.db").UseIntegrationBus(sp));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<ObjectTypeRegistry>();
    }

    [Fact]
    public void Derive_DefaultModel_KeysGuidsCodeNamesForeignKeysChildrenAndBindings()
    {
        var types = Registry(EfBus.DefaultEntities);

        var user = types.Get("cms.user");
        Assert.Equal(("UserId", "UserGuid", "UserName"), (user.IdField, user.GuidField, user.CodeNameField));
        var poll = types.Get("polls.poll");
        Assert.Equal("PollCodeName", poll.CodeNameField);
        Assert.Equal("SiteName", poll.SiteField);
        Assert.Equal(new ForeignKeyInfo("OwnerUserId", "cms.user", IsRequired: false), Assert.Single(poll.ForeignKeys));
        var answer = types.Get("polls.answer");
        Assert.Equal(("polls.poll", "PollId"), (answer.ParentType, answer.ParentIdField));
        Assert.Empty(answer.ForeignKeys);
        Assert.Equal(["polls.answer"], types.GetChildTypes(poll).Select(t => t.Name));
        var binding = Assert.Single(types.GetBindingTypes(poll));
        Assert.Equal(new ForeignKeyInfo("RolesRoleId", "cms.role", IsRequired: true), Assert.Single(binding.ForeignKeys));
        var article = types.Get("content.article");
        Assert.Equal(("NodeGuid", "NodeAliasPath", "DocumentCulture", "Tags"), (article.Page!.NodeGuidField, article.Page.AliasPathField, article.Page.CultureField, article.Page.TagsField));
        Assert.True(types.TryGetPageType("content.article", out _));
    }

    [Fact]
    public void Derive_PagePropertyMissing_FailsNamingEntityAndProperty()
    {
        var exception = Assert.Throws<IntegrationBusException>(() => Registry(ef => ef.Page<User>("cms.userpage", "cms.userpage")));
        Assert.Contains("'User'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("node GUID", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_ExplicitPropertyThatDoesNotExist_FailsNamingIt()
    {
        var exception = Assert.Throws<IntegrationBusException>(() => Registry(ef => ef.Object<User>("cms.user", u => u.CodeName(x => x.Email)).Object<Role>("cms.role", r => r.Ignore(x => x.RoleName).CodeName(x => x.RoleName))));
        Assert.Contains("'Role'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'RoleName'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_ChildNotConfigured_FailsNamingBoth()
    {
        var exception = Assert.Throws<IntegrationBusException>(() => Registry(ef => ef.Object<Poll>("polls.poll", p => p.Children<PollAnswer>())));
        Assert.Contains("'Poll'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'PollAnswer'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_ChildWithoutForeignKeyToParent_Fails()
    {
        var exception = Assert.Throws<IntegrationBusException>(() => Registry(ef => ef.Object<User>("cms.user", u => u.Children<Role>()).Object<Role>("cms.role")));
        Assert.Contains("'Role'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("foreign key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_PageMemberOnObject_FailsNamingEntity()
    {
        var exception = Assert.Throws<IntegrationBusException>(() => new BusEntitiesBuilder().Object<Article>("content.article", a => a.AliasPath(x => x.NodeAliasPath)));
        Assert.Contains("'Article'", exception.Message, StringComparison.Ordinal);
    }
}
