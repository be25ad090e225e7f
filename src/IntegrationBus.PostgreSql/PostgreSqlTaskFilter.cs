using System.Text;
using IntegrationBus.Storage;
using Npgsql;

namespace IntegrationBus.PostgreSql;

/// <summary>Turns a <see cref="TaskQuery"/> into a <c>WHERE</c> clause over <c>integration_synchronization s</c>, <c>integration_task t</c> and <c>integration_connector c</c>.</summary>
/// <remarks>
/// The text is built from constant fragments only; every value is a parameter. A connector filter becomes the
/// connector's ID, so a list reads the synchronization primary key <c>(connector_id, direction, task_id)</c> as a range
/// in task order; a status other than pending adds the redundant <c>s.status &lt;&gt; 0</c> that matches the partial index
/// of unfinished rows. Text search: a GUID matches the task's or the object's GUID; other text the start of the code or
/// display name, ignoring ASCII case (<c>ILIKE</c> under the <c>C</c> collation, with the wildcards escaped).
/// </remarks>
internal sealed class PostgreSqlTaskFilter
{
    private readonly StringBuilder _where = new();
    private readonly List<(string Name, object Value)> _parameters = [];

    private PostgreSqlTaskFilter(TaskQuery query, long? connectorId)
    {
        Query = query;
        ConnectorId = connectorId;
    }

    /// <summary>Gets the query.</summary>
    public TaskQuery Query { get; }

    /// <summary>Gets the connector's ID when the query names a connector.</summary>
    public long? ConnectorId { get; }

    /// <summary>Gets a value indicating whether a condition reads the task row (so counting must join it).</summary>
    public bool NeedsTask { get; private set; }

    /// <summary>Gets the conditions, each starting with <c> AND </c>.</summary>
    public string Where => _where.ToString();

    /// <summary>Gets the conditions plus one on the direction, for a list read one direction at a time.</summary>
    public string WhereOneDirection => Where + " AND s.direction = @one_direction";

    /// <summary>Builds the filter.</summary>
    /// <param name="database">The database.</param>
    /// <param name="connection">An open connection.</param>
    /// <param name="query">The query.</param>
    /// <param name="paged">Whether to add the keyset condition of <see cref="TaskQuery.After"/> (lists, bulk batches; not counts).</param>
    /// <param name="onlyUnfinished">Whether to match only rows that are not pending (what a retry can change).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The filter, or <see langword="null"/> when it matches nothing (an unknown connector).</returns>
    public static async Task<PostgreSqlTaskFilter?> CreateAsync(
        PostgreSqlDatabase database, NpgsqlConnection connection, TaskQuery query, bool paged, bool onlyUnfinished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (paged)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        }

        long? connectorId = null;
        if (query.Connector is not null)
        {
            connectorId = await PostgreSqlConnectors.FindAsync(database, connection, null, query.Connector, cancellationToken).ConfigureAwait(false);
            if (connectorId is null)
            {
                return null;
            }
        }

        var filter = new PostgreSqlTaskFilter(query, connectorId);
        filter.AddSynchronizationConditions(onlyUnfinished);
        filter.AddTaskConditions();
        if (paged)
        {
            filter.AddKeyset();
        }

        return filter;
    }

    /// <summary>Copies the parameters into a command.</summary>
    /// <param name="parameters">The command's parameters.</param>
    /// <param name="oneDirection">The direction for <see cref="WhereOneDirection"/>, or <see langword="null"/> for <see cref="Where"/>.</param>
    public void Bind(NpgsqlParameterCollection parameters, TaskDirection? oneDirection = null)
    {
        foreach (var (name, value) in _parameters)
        {
            parameters.AddWithValue(name, value);
        }

        if (oneDirection is { } direction)
        {
            parameters.AddWithValue("one_direction", (short)direction);
        }
    }

    /// <summary>Escapes the <c>LIKE</c> wildcards of a text and makes it a prefix pattern for <c>ESCAPE '\'</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The pattern.</returns>
    internal static string ToPrefixPattern(string text)
    {
        var pattern = new StringBuilder(text.Length + 1);
        foreach (var character in text)
        {
            if (character is '\\' or '%' or '_')
            {
                pattern.Append('\\');
            }

            pattern.Append(character);
        }

        return pattern.Append('%').ToString();
    }

    private void AddKeyset()
    {
        if (Query.After is { } after)
        {
            // The first terms are redundant but sargable: they turn the row-value test into an index range, on the task
            // side too (a merge join would otherwise read the task key from its start; see PostgreSqlQueueStore.FetchSql).
            NeedsTask = true;
            Add(" AND s.task_id >= @after_task_id AND t.id >= @after_task_id AND (s.task_id, " + PostgreSqlValues.ConnectorOrder + ", s.direction)"
                + " > (@after_task_id, lower(@after_connector) COLLATE \"C\", @after_direction)");
            _parameters.Add(("after_task_id", after.TaskId));
            _parameters.Add(("after_connector", after.Connector));
            _parameters.Add(("after_direction", (short)after.Direction));
        }
    }

    private void AddSynchronizationConditions(bool onlyUnfinished)
    {
        if (ConnectorId is { } connectorId)
        {
            Add(" AND s.connector_id = @connector_id");
            _parameters.Add(("connector_id", connectorId));
        }

        if (Query.Direction is { } direction)
        {
            Add(" AND s.direction = @direction");
            _parameters.Add(("direction", (short)direction));
        }

        if (onlyUnfinished || Query.Status is { } and not SynchronizationStatus.Pending)
        {
            Add(" AND s.status <> 0");
        }

        if (Query.Status is { } status)
        {
            Add(" AND s.status = @status");
            _parameters.Add(("status", (short)status));
        }
    }

    private void AddTaskConditions()
    {
        if (Query.ObjectType is not null)
        {
            AddTask(" AND t.object_type = @object_type", "object_type", Query.ObjectType);
        }

        if (Query.TaskType is { } taskType)
        {
            AddTask(" AND t.task_type = @task_type", "task_type", (short)taskType);
        }

        if (Query.CreatedFrom is { } from)
        {
            AddTask(" AND t.created_at >= @created_from", "created_from", PostgreSqlValues.ToDb(from));
        }

        if (Query.CreatedBefore is { } before)
        {
            AddTask(" AND t.created_at < @created_before", "created_before", PostgreSqlValues.ToDb(before));
        }

        if (string.IsNullOrEmpty(Query.Text))
        {
            return;
        }

        if (Guid.TryParse(Query.Text, out var guid))
        {
            AddTask(" AND (t.guid = @text_guid OR t.object_guid = @text_guid)", "text_guid", guid);
        }
        else
        {
            AddTask(" AND (t.object_code_name COLLATE \"C\" ILIKE @text_prefix ESCAPE '\\' OR t.object_display_name COLLATE \"C\" ILIKE @text_prefix ESCAPE '\\')",
                "text_prefix", ToPrefixPattern(Query.Text));
        }
    }

    private void AddTask(string condition, string name, object value)
    {
        Add(condition);
        _parameters.Add((name, value));
        NeedsTask = true;
    }

    private void Add(string condition) => _where.Append(condition);
}
