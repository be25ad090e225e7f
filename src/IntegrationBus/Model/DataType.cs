namespace IntegrationBus;

/// <summary>How much of an object a task carries. Values are stored in the database and never change.</summary>
public enum DataType
{
    /// <summary>The object's own fields.</summary>
    Simple = 1,

    /// <summary>The object's fields plus a translation record for every foreign key.</summary>
    SimpleSnapshot = 2,

    /// <summary>The object with its children and bindings, all with translation records; objects only.</summary>
    Snapshot = 3,
}
