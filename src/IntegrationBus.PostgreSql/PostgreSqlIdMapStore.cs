using IntegrationBus.Storage;
using Npgsql;
using NpgsqlTypes;

namespace IntegrationBus.PostgreSql;

/// <summary>The ID-map part of the <see cref="PostgreSqlTaskStore"/>: the <c>integration_id_map</c> table.</summary>
/// <remarks>Look-ups pass many keys as arrays (one round trip per batch); entries are written by <see cref="PostgreSqlOutcomeWriter"/>, never purged.</remarks>
internal sealed class PostgreSqlIdMapStore(PostgreSqlDatabase database) : IdMapStore
{
    private const string Columns = "m.id, c.name, m.object_type, m.object_guid, m.object_id, m.external_id, m.external_id_kind, m.created_at, m.updated_at";

    private const string FindByObjectsSql = $"""
        SELECT {Columns}
        FROM (SELECT DISTINCT * FROM unnest(@object_types, @object_guids) AS k(object_type, object_guid)) k
        JOIN ibus.integration_id_map m ON m.connector_id = @connector_id AND m.object_type = k.object_type AND m.object_guid = k.object_guid
        JOIN ibus.integration_connector c ON c.id = m.connector_id;
        """;

    private const string FindByExternalIdsSql = $"""
        SELECT {Columns}
        FROM ibus.integration_id_map m
        JOIN ibus.integration_connector c ON c.id = m.connector_id
        WHERE m.connector_id = @connector_id AND m.object_type = @object_type AND m.external_id = ANY(@external_ids);
        """;

    private const string ListSql = $"""
        SELECT {Columns}
        FROM ibus.integration_id_map m
        JOIN ibus.integration_connector c ON c.id = m.connector_id
        WHERE m.connector_id = @connector_id AND m.id > @after
          AND (@object_type::text IS NULL OR m.object_type = @object_type)
          AND (@object_guid::uuid IS NULL OR m.object_guid = @object_guid)
          AND (@external_id::text IS NULL OR m.external_id = @external_id)
        ORDER BY m.id
        LIMIT @limit;
        """;

    private const string SetSql = """
        DELETE FROM ibus.integration_id_map
        WHERE connector_id = @connector_id AND object_type = @object_type AND external_id = @external_id AND object_guid <> @object_guid;
        INSERT INTO ibus.integration_id_map AS m (connector_id, object_type, object_guid, object_id, external_id, external_id_kind, created_at, updated_at)
        VALUES (@connector_id, @object_type, @object_guid, @object_id, @external_id, @external_id_kind, @created_at, @updated_at)
        ON CONFLICT (connector_id, object_type, object_guid) DO UPDATE SET
            object_id = COALESCE(excluded.object_id, m.object_id), external_id = excluded.external_id,
            external_id_kind = excluded.external_id_kind, updated_at = excluded.updated_at;
        """;

    private const string DeleteSql = """
        DELETE FROM ibus.integration_id_map WHERE connector_id = @connector_id AND object_type = @object_type AND object_guid = @object_guid;
        """;

    /// <inheritdoc/>
    protected override Task<IReadOnlyList<IdMapEntry>> FindByObjectsCoreAsync(string connector, IReadOnlyList<IdMapKey> keys, CancellationToken cancellationToken)
    {
        return keys.Count == 0
            ? Task.FromResult<IReadOnlyList<IdMapEntry>>([])
            : ReadAsync(connector, FindByObjectsSql, p =>
            {
                p.Add(new NpgsqlParameter<string[]>("object_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. keys.Select(k => k.ObjectType)] });
                p.Add(new NpgsqlParameter<Guid[]>("object_guids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = [.. keys.Select(k => k.ObjectGuid)] });
            }, cancellationToken);
    }

    /// <inheritdoc/>
    protected override Task<IReadOnlyList<IdMapEntry>> FindByExternalIdsCoreAsync(string connector, string objectType, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        return externalIds.Count == 0
            ? Task.FromResult<IReadOnlyList<IdMapEntry>>([])
            : ReadAsync(connector, FindByExternalIdsSql, p =>
            {
                p.AddWithValue("object_type", objectType);
                p.Add(new NpgsqlParameter<string[]>("external_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. externalIds.Distinct()] });
            }, cancellationToken);
    }

    /// <inheritdoc/>
    protected override Task<IReadOnlyList<IdMapEntry>> ListCoreAsync(IdMapQuery query, CancellationToken cancellationToken)
    {
        return ReadAsync(query.Connector, ListSql, p =>
        {
            p.AddWithValue("after", query.After ?? 0);
            p.Add(new NpgsqlParameter("object_type", NpgsqlDbType.Text) { Value = PostgreSqlValues.ToDb(query.ObjectType) });
            p.Add(new NpgsqlParameter("object_guid", NpgsqlDbType.Uuid) { Value = PostgreSqlValues.ToDb(query.ObjectGuid) });
            p.Add(new NpgsqlParameter("external_id", NpgsqlDbType.Text) { Value = PostgreSqlValues.ToDb(query.ExternalId) });
            p.AddWithValue("limit", query.Limit);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    protected override async Task SetCoreAsync(IdMapEntry entry, CancellationToken cancellationToken)
    {
        var text = entry.ExternalId.ToString();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var found = new List<KeyValuePair<string, long>>();
                var ids = await PostgreSqlConnectors.GetOrCreateAsync(database, connection, transaction, [entry.Connector], found, true, cancellationToken).ConfigureAwait(false);
                using var command = database.Command(connection, transaction, SetSql);
                command.Parameters.AddWithValue("connector_id", ids[entry.Connector]);
                command.Parameters.AddWithValue("object_type", entry.ObjectType);
                command.Parameters.AddWithValue("object_guid", entry.ObjectGuid);
                command.Parameters.Add(new NpgsqlParameter("object_id", NpgsqlDbType.Bigint) { Value = PostgreSqlValues.ToDb(entry.ObjectId) });
                command.Parameters.AddWithValue("external_id", text);
                command.Parameters.AddWithValue("external_id_kind", (short)entry.ExternalId.Kind);
                command.Parameters.AddWithValue("created_at", PostgreSqlValues.ToDb(entry.CreatedAt));
                command.Parameters.AddWithValue("updated_at", PostgreSqlValues.ToDb(entry.UpdatedAt));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                database.CacheConnectorIds(found);
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task<bool> DeleteCoreAsync(string connector, IdMapKey key, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await PostgreSqlConnectors.FindAsync(database, connection, null, connector, cancellationToken).ConfigureAwait(false) is not { } connectorId)
            {
                return false;
            }

            using var command = database.Command(connection, null, DeleteSql);
            command.Parameters.AddWithValue("connector_id", connectorId);
            command.Parameters.AddWithValue("object_type", key.ObjectType);
            command.Parameters.AddWithValue("object_guid", key.ObjectGuid);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }
    }

    private async Task<IReadOnlyList<IdMapEntry>> ReadAsync(string connector, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await PostgreSqlConnectors.FindAsync(database, connection, null, connector, cancellationToken).ConfigureAwait(false) is not { } connectorId)
            {
                return [];
            }

            using var command = database.Command(connection, null, sql);
            command.Parameters.AddWithValue("connector_id", connectorId);
            parameters(command.Parameters);
            var entries = new List<IdMapEntry>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new IdMapEntry
                    {
                        Id = reader.GetInt64(0),
                        Connector = reader.GetString(1),
                        ObjectType = reader.GetString(2),
                        ObjectGuid = reader.GetGuid(3),
                        ObjectId = reader.IsDBNull(4) ? null : reader.GetInt64(4),
                        ExternalId = ExternalId.Parse((ExternalIdKind)reader.GetInt16(6), reader.GetString(5)),
                        CreatedAt = PostgreSqlValues.ReadTime(reader, 7),
                        UpdatedAt = PostgreSqlValues.ReadTime(reader, 8),
                    });
                }
            }

            return entries;
        }
    }
}
