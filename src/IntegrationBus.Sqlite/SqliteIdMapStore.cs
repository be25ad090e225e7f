using System.Text;
using System.Text.Json;
using IntegrationBus.Storage;
using Microsoft.Data.Sqlite;

namespace IntegrationBus.Sqlite;

/// <summary>The ID-map part of the <see cref="SqliteTaskStore"/>: the <c>integration_id_map</c> table.</summary>
/// <remarks>
/// GUIDs are stored as blobs like <c>integration_task.object_guid</c>, so <see cref="SqliteOutcomeWriter"/> copies them
/// from the task row; look-ups pass many keys as one JSON array (GUIDs as hex, turned back into blobs with
/// <c>unhex</c>), so a batch costs one prepared statement. Entries are written by the outcome writer, never purged.
/// </remarks>
internal sealed class SqliteIdMapStore(SqliteDatabase database) : IdMapStore
{
    private const string Columns = "m.id, c.name, m.object_type, m.object_guid, m.object_id, m.external_id, m.external_id_kind, m.created_at, m.updated_at";

    private const string FindByObjectsSql = $"""
        SELECT {Columns}
        FROM json_each(@keys) k
        JOIN integration_id_map m ON m.connector_id = @connector_id AND m.object_type = k.value ->> 0 AND m.object_guid = unhex(k.value ->> 1)
        JOIN integration_connector c ON c.id = m.connector_id;
        """;

    private const string FindByExternalIdsSql = $"""
        SELECT {Columns}
        FROM integration_id_map m
        JOIN integration_connector c ON c.id = m.connector_id
        WHERE m.connector_id = @connector_id AND m.object_type = @object_type AND m.external_id IN (SELECT value FROM json_each(@external_ids));
        """;

    private const string ListSql = $"""
        SELECT {Columns}
        FROM integration_id_map m
        JOIN integration_connector c ON c.id = m.connector_id
        WHERE m.connector_id = @connector_id AND m.id > @after
          AND (@object_type IS NULL OR m.object_type = @object_type)
          AND (@object_guid IS NULL OR m.object_guid = @object_guid)
          AND (@external_id IS NULL OR m.external_id = @external_id)
        ORDER BY m.id
        LIMIT CAST(@limit AS INTEGER);
        """;

    private const string SetSql = """
        DELETE FROM integration_id_map
        WHERE connector_id = @connector_id AND object_type = @object_type AND external_id = @external_id AND object_guid <> @object_guid;
        INSERT INTO integration_id_map (connector_id, object_type, object_guid, object_id, external_id, external_id_kind, created_at, updated_at)
        VALUES (@connector_id, @object_type, @object_guid, @object_id, @external_id, @external_id_kind, @created_at, @updated_at)
        ON CONFLICT (connector_id, object_type, object_guid) DO UPDATE SET
            object_id = COALESCE(excluded.object_id, integration_id_map.object_id), external_id = excluded.external_id,
            external_id_kind = excluded.external_id_kind, updated_at = excluded.updated_at;
        """;

    private const string DeleteSql = """
        DELETE FROM integration_id_map WHERE connector_id = @connector_id AND object_type = @object_type AND object_guid = @object_guid;
        """;

    /// <inheritdoc/>
    protected override async Task<IReadOnlyList<IdMapEntry>> FindByObjectsCoreAsync(string connector, IReadOnlyList<IdMapKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var json = new StringBuilder("[");
        foreach (var key in keys.Distinct())
        {
            json.Append(json.Length == 1 ? "[" : ",[").Append(JsonSerializer.Serialize(key.ObjectType)).Append(",\"").Append(Convert.ToHexString(key.ObjectGuid.ToByteArray())).Append("\"]");
        }

        return await ReadAsync(connector, FindByObjectsSql, [("@keys", SqliteType.Text)], [json.Append(']').ToString()], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task<IReadOnlyList<IdMapEntry>> FindByExternalIdsCoreAsync(string connector, string objectType, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        if (externalIds.Count == 0)
        {
            return [];
        }

        return await ReadAsync(
            connector, FindByExternalIdsSql, [("@object_type", SqliteType.Text), ("@external_ids", SqliteType.Text)],
            [objectType, JsonSerializer.Serialize(externalIds.Distinct())], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task<IReadOnlyList<IdMapEntry>> ListCoreAsync(IdMapQuery query, CancellationToken cancellationToken)
    {
        return await ReadAsync(
            query.Connector, ListSql,
            [("@after", SqliteType.Integer), ("@object_type", SqliteType.Text), ("@object_guid", SqliteType.Blob), ("@external_id", SqliteType.Text), ("@limit", SqliteType.Integer)],
            [query.After ?? 0, SqliteValues.ToDb(query.ObjectType), SqliteValues.ToBlob(query.ObjectGuid), SqliteValues.ToDb(query.ExternalId), query.Limit], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task SetCoreAsync(IdMapEntry entry, CancellationToken cancellationToken)
    {
        var text = entry.ExternalId.ToString();
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            var connectorId = database.GetOrCreateConnectorId(scope.Connection, scope.Transaction, entry.Connector, true, scope.CreatedConnectors);
            using var command = scope.CreateCommand(SetSql);
            command.Parameters.AddWithValue("@connector_id", connectorId);
            command.Parameters.AddWithValue("@object_type", entry.ObjectType);
            command.Parameters.Add("@object_guid", SqliteType.Blob).Value = entry.ObjectGuid.ToByteArray();
            command.Parameters.AddWithValue("@object_id", SqliteValues.ToDb(entry.ObjectId));
            command.Parameters.AddWithValue("@external_id", text);
            command.Parameters.AddWithValue("@external_id_kind", (int)entry.ExternalId.Kind);
            command.Parameters.AddWithValue("@created_at", SqliteValues.ToUnixMs(entry.CreatedAt));
            command.Parameters.AddWithValue("@updated_at", SqliteValues.ToUnixMs(entry.UpdatedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override async Task<bool> DeleteCoreAsync(string connector, IdMapKey key, CancellationToken cancellationToken)
    {
        var scope = await database.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        await using (scope.ConfigureAwait(false))
        {
            if (database.FindConnectorId(scope.Connection, scope.Transaction, connector, true) is not { } connectorId)
            {
                return false;
            }

            using var command = scope.CreateCommand(DeleteSql);
            command.Parameters.AddWithValue("@connector_id", connectorId);
            command.Parameters.AddWithValue("@object_type", key.ObjectType);
            command.Parameters.Add("@object_guid", SqliteType.Blob).Value = key.ObjectGuid.ToByteArray();
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await scope.CommitAsync(cancellationToken).ConfigureAwait(false);
            return deleted > 0;
        }
    }

    /// <summary>Runs a prepared read on a reader session; the connector's ID is the first parameter.</summary>
    private async Task<IReadOnlyList<IdMapEntry>> ReadAsync(
        string connector, string sql, (string Name, SqliteType Type)[] parameters, object[] values, CancellationToken cancellationToken)
    {
        var session = await database.RentReaderAsync(cancellationToken).ConfigureAwait(false);
        var broken = true;
        try
        {
            if (database.FindConnectorId(session.Connection, null, connector, true) is not { } connectorId)
            {
                broken = false;
                return [];
            }

            var command = session.Prepared(sql, null, [("@connector_id", SqliteType.Integer), .. parameters]);
            command.Parameters[0].Value = connectorId;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i + 1].Value = values[i];
            }

            var entries = new List<IdMapEntry>();
            cancellationToken.ThrowIfCancellationRequested();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    entries.Add(new IdMapEntry
                    {
                        Id = reader.GetInt64(0),
                        Connector = reader.GetString(1),
                        ObjectType = reader.GetString(2),
                        ObjectGuid = new Guid((byte[])reader.GetValue(3)),
                        ObjectId = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                        ExternalId = ExternalId.Parse((ExternalIdKind)reader.GetInt32(6), reader.GetString(5)),
                        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
                    });
                }
            }

            broken = false;
            return entries;
        }
        finally
        {
            database.ReturnReader(session, broken);
        }
    }
}
