namespace IntegrationBus;

/// <summary>How a connector's outgoing queue keeps order (DESIGN.md §4).</summary>
public enum Ordering
{
    /// <summary>
    /// First in, first out for the whole connector (Kentico's rule, the default): one task at a time, and an Error stops
    /// every later task of the connector until it succeeds.
    /// </summary>
    Connector = 0,

    /// <summary>
    /// First in, first out per key (by default the object's GUID; for a Snapshot its root object's): tasks of one key are
    /// delivered in logging order and never at once, tasks of different keys in parallel, and a failure holds back only
    /// its own key.
    /// </summary>
    PerObject = 1,
}
