using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IntegrationBus;

/// <summary>Per-connector options, named after the connector's code name.</summary>
/// <remarks>
/// Set them with <c>AddConnector&lt;T&gt;(options =&gt; …)</c>, which applies to that connector only, or as named options
/// (<c>services.Configure&lt;ConnectorOptions&gt;("crm", …)</c>, binding from configuration included); the
/// <c>AddConnector</c> callback runs after the named options. Two instances of one connector class have their own options.
/// </remarks>
public sealed class ConnectorOptions
{
    /// <summary>Gets or sets how many failed attempts park a task as failed, so one poison task cannot block the queue forever.</summary>
    /// <value><see langword="null"/>: never park; tasks are retried until they succeed or an operator acts.</value>
    [Range(1, 1_000_000)]
    public int? MaxAttempts { get; set; }

    /// <summary>Gets or sets how long one connector call (or one incoming apply) may take before it is cancelled and counted as an Error.</summary>
    /// <remarks>
    /// The call's cancellation token is signalled when the time is up; a call that ignores its token is abandoned (the
    /// runner stops waiting for it, records the Error and stops the run, so order holds).
    /// </remarks>
    /// <value><see langword="null"/>: no limit.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan? TaskTimeout { get; set; }

    /// <summary>Gets or sets how the connector's outgoing queue keeps order.</summary>
    /// <remarks>
    /// <see cref="Ordering.PerObject"/> delivers tasks of different keys in parallel (up to
    /// <see cref="MaxDegreeOfParallelism"/>) and tasks of one key in logging order, one at a time; an Error holds back
    /// only its key, and a task parked as failed blocks its key until an operator retries, deletes or releases it. The
    /// key of a task is computed when the change is logged (<see cref="OrderingKey"/>), so tasks logged before a switch
    /// to per-object ordering fall back to the default key. The incoming queue always keeps connector ordering.
    /// </remarks>
    /// <value><see cref="Ordering.Connector"/>: one task at a time, first in, first out for the whole connector.</value>
    [EnumDataType(typeof(Ordering))]
    public Ordering Ordering { get; set; } = ConnectorDefaults.Ordering;

    /// <summary>Gets or sets how many outgoing tasks of different keys are delivered at once under <see cref="Ordering.PerObject"/>.</summary>
    /// <remarks>
    /// With a value above 1 the connector's <c>ProcessOutgoingAsync</c> is called concurrently (never twice at once
    /// for one key), so it must be thread-safe. Ignored under <see cref="Ordering.Connector"/>, which calls one task
    /// at a time, and for the incoming queue.
    /// </remarks>
    /// <value>8.</value>
    [Range(1, 256)]
    public int MaxDegreeOfParallelism { get; set; } = ConnectorDefaults.MaxDegreeOfParallelism;

    /// <summary>Gets or sets how many partitions the outgoing queue is split into under <see cref="Ordering.PerObject"/>, so that several nodes deliver it at once.</summary>
    /// <remarks>
    /// <para>
    /// Each partition is a queue of its own with its own lease, so the partitions spread across the nodes that share a
    /// PostgreSQL store (and move to the others when a node dies). A task's partition is a hash of its ordering key,
    /// computed by the database when the task is read, so every task of one key is in one partition and keeps its order.
    /// Each partition's runner delivers up to <see cref="MaxDegreeOfParallelism"/> keys at once: a node that holds
    /// several partitions may call the connector that many times over.
    /// </para>
    /// <para>
    /// Only with <see cref="Ordering.PerObject"/> (validated at start). A store that cannot split queues (the embedded
    /// SQLite store, one node) runs the queue whole and logs so once at start. Give every node the same value: while a
    /// node holds a partition lease under one count, nodes configured with another count wait, so changing it is safe
    /// during a rolling deployment but slows the queue until the old nodes are gone.
    /// </para>
    /// </remarks>
    /// <value>1: the queue is not split.</value>
    [Range(1, 256)]
    public int Partitions { get; set; } = ConnectorDefaults.Partitions;

    /// <summary>Gets or sets a custom ordering key for <see cref="Ordering.PerObject"/>, computed once per task when it is logged.</summary>
    /// <remarks>
    /// The function gets the task's object as the task carries it (for a Snapshot the root object; with SimpleSnapshot
    /// and Snapshot the translation records of its foreign keys, so a poll's answers can be keyed by the poll's GUID)
    /// and returns the key, or <see langword="null"/> for the default key. It runs inside the logging call, so it must
    /// be fast and must not throw. Not bindable from configuration.
    /// </remarks>
    /// <value>
    /// <see langword="null"/>: the object's GUID (a page's node GUID), or <c>"{objectType}:{objectId}"</c> for an object
    /// without a GUID.
    /// </value>
    public Func<ObjectSnapshot, string?>? OrderingKey { get; set; }

    /// <summary>Gets the circuit breaker of the connector's outgoing calls.</summary>
    /// <value>Off (<see cref="CircuitBreakerOptions.Enabled"/> is <see langword="false"/>); see <see cref="CircuitBreakerOptions"/> for the other defaults.</value>
    [ValidateObjectMembers]
    public CircuitBreakerOptions CircuitBreaker { get; } = new();
}
