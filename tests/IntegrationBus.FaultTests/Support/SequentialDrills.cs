namespace IntegrationBus.FaultTests.Support;

/// <summary>The drills start several processes each: the classes of this collection run one at a time, the SQLite and PostgreSQL drills alike.</summary>
[CollectionDefinition(Name)]
public sealed class SequentialDrills
{
    public const string Name = "Drills";
}
