using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>The queries of a resync batch: the next page of rows by ID, and the provider's lock that keeps live writers out until the batch commits.</summary>
internal static class ResyncQueries
{
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Whether the rows must be locked after reading their IDs (PostgreSQL: <c>FOR SHARE</c>) and read again.</summary>
    public static bool LocksRows(DbContext context) => context.Database.ProviderName == NpgsqlProvider;

    /// <summary>On SQLite, takes the database's write lock now (a no-op write), so no live change commits until the batch does.</summary>
    public static async Task TakeWriteLockAsync(DbContext context, EntityMapping mapping, CancellationToken cancellationToken)
    {
        if (context.Database.ProviderName != SqliteProvider)
        {
            return;
        }

        var (table, id) = Names(context, mapping);
        // The identifiers come from the EF model, delimited by the provider; there is no value in the text.
        var sql = string.Concat("UPDATE ", table, " SET ", id, " = ", id, " WHERE 0");
        await context.Database.ExecuteSqlRawAsync(sql, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>On PostgreSQL, locks the rows <c>FOR SHARE</c>: waits for live writers of them to commit and keeps new ones out until the batch commits.</summary>
    public static async Task LockRowsAsync(DbContext context, EntityMapping mapping, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var (table, id) = Names(context, mapping);
        // The identifiers come from the EF model, delimited by the provider; the IDs are a parameter.
        var sql = string.Concat("SELECT 1 FROM ", table, " WHERE ", id, " = ANY({0}) FOR SHARE");
        await context.Database.ExecuteSqlRawAsync(sql, [ids.ToArray()], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the next rows after <paramref name="after"/> in ascending ID order, untracked.</summary>
    public static Task<List<object>> PageAsync(DbContext context, EntityMapping mapping, long? after, int limit, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var entityType = mapping.EntityType;
        var idProperty = mapping.IdProperty;
        var parameter = Expression.Parameter(entityType.ClrType, "e");
        var id = Property(parameter, idProperty.Name, idProperty.ClrType);
        Expression body = Expression.Constant(true);
        if (after is { } last)
        {
            body = Expression.GreaterThan(id, Parameter(ClrValue.Convert(last, idProperty.ClrType, mapping.Name, idProperty.Name), idProperty.ClrType));
        }

        if (since is { } from)
        {
            body = Expression.AndAlso(body, Modified(mapping, parameter, from));
        }

        IQueryable query = EntityQueries.Set(context, entityType);
        query = Call(nameof(Queryable.Where), query, Expression.Lambda(body, parameter), entityType.ClrType);
        query = Call(nameof(Queryable.OrderBy), query, Expression.Lambda(id, parameter), entityType.ClrType, idProperty.ClrType);
        query = query.Provider.CreateQuery(Expression.Call(typeof(Queryable), nameof(Queryable.Take), [entityType.ClrType], query.Expression, Expression.Constant(limit)));
        return EntityQueries.ToListAsync(query, entityType.ClrType, cancellationToken);
    }

    private static BinaryExpression Modified(EntityMapping mapping, ParameterExpression parameter, DateTimeOffset since)
    {
        var property = mapping.EntityType.FindProperty(mapping.LastModified!)
            ?? throw new IntegrationBusException($"Entity '{mapping.Name}' declares LastModified '{mapping.LastModified}', which is not a mapped property; name a DateTime or DateTimeOffset property of the entity.");
        var type = property.ClrType;
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        var value = plain == typeof(DateTimeOffset) ? (object)since
            : plain == typeof(DateTime) ? (object)since.UtcDateTime
            : throw new IntegrationBusException($"LastModified '{property.Name}' of entity '{mapping.Name}' is a {type.Name}; a resync with 'since' needs a DateTime or DateTimeOffset property.");
        var column = Property(parameter, property.Name, type);
        return Expression.GreaterThanOrEqual(column, Expression.Convert(Parameter(value, plain), type));
    }

    private static (string Table, string Id) Names(DbContext context, EntityMapping mapping)
    {
        var entityType = mapping.EntityType;
        var tableName = entityType.GetTableName()
            ?? throw new IntegrationBusException($"Entity '{mapping.Name}' is not mapped to a table, so a resync cannot lock its rows.");
        var schema = entityType.GetSchema();
        var helper = context.GetService<ISqlGenerationHelper>();
        var column = mapping.IdProperty.GetColumnName(StoreObjectIdentifier.Table(tableName, schema))!;
        return (helper.DelimitIdentifier(tableName, schema), helper.DelimitIdentifier(column));
    }

    private static IQueryable Call(string method, IQueryable source, LambdaExpression lambda, params Type[] types) =>
        source.Provider.CreateQuery(Expression.Call(typeof(Queryable), method, types, source.Expression, Expression.Quote(lambda)));

    private static MemberExpression Parameter(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(box), nameof(StrongBox<object>.Value));
    }

    private static MethodCallExpression Property(ParameterExpression parameter, string property, Type type) =>
        Expression.Call(typeof(EF), nameof(EF.Property), [type], parameter, Expression.Constant(property));
}
