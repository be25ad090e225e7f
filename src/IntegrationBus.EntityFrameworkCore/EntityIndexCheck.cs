using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>
/// At start, warns once per property when a property the EF Core data handler looks incoming objects up by (GUID or
/// node GUID, code name or alias path) leads no index or key: every incoming task would scan the table.
/// </summary>
internal sealed partial class EntityIndexCheck(EntityModel model, ILogger<EntityIndexCheck> logger) : IHostedService
{
    /// <summary>Event ID of the warning (4xxx: incoming).</summary>
    public const int LookupWithoutIndexEventId = 4101;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (entity, property) in Unindexed(model))
        {
            LookupWithoutIndex(logger, entity, property);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The (entity, property) pairs the handler looks up by that lead no index or key.</summary>
    internal static IEnumerable<(string Entity, string Property)> Unindexed(EntityModel model)
    {
        foreach (var type in model.GetTypes())
        {
            if (model.Find(type.Name) is not { } mapping || !ReferenceEquals(mapping.Type, type))
            {
                continue;
            }

            foreach (var field in new[] { type.Page?.NodeGuidField ?? type.GuidField, type.Page?.AliasPathField ?? type.CodeNameField }.Distinct())
            {
                if (field is not null && mapping.EntityType.FindProperty(field) is { } property && !Leads(mapping.EntityType, property))
                {
                    yield return (mapping.Name, field);
                }
            }
        }
    }

    private static bool Leads(IEntityType entityType, IProperty property) =>
        entityType.GetIndexes().Any(i => i.Properties[0] == property) || entityType.GetKeys().Any(k => k.Properties[0] == property);

    [LoggerMessage(EventId = LookupWithoutIndexEventId, EventName = "IncomingLookupWithoutIndex", Level = LogLevel.Warning,
        Message = "Entity '{Entity}' has no index on '{Property}', which the EF Core data handler looks incoming objects up by; every look-up scans the table. Add modelBuilder.Entity<{Entity}>().HasIndex(e => e.{Property}) (unique where it is)")]
    private static partial void LookupWithoutIndex(ILogger logger, string entity, string property);
}
