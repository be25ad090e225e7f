using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IntegrationBus.EntityFrameworkCore;

/// <summary>Untracked queries over entity types known only at run time: "where property in (values)", "where property = value".</summary>
internal static class EntityQueries
{
    private static readonly MethodInfo SetMethod = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;
    private static readonly MethodInfo SharedSetMethod = typeof(DbContext).GetMethod(nameof(DbContext.Set), [typeof(string)])!;
    private static readonly MethodInfo ToListAsyncMethod = typeof(EntityQueries).GetMethod(nameof(ToListAsyncCore), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo NoTrackingMethod = typeof(EntityFrameworkQueryableExtensions).GetMethod(nameof(EntityFrameworkQueryableExtensions.AsNoTracking))!;
    private static readonly ConcurrentDictionary<Type, Func<IQueryable, CancellationToken, Task<List<object>>>> AsyncLists = new();

    public static List<object> WhereIn(DbContext context, IEntityType entityType, string property, IEnumerable<long> values)
    {
        var results = new List<object>();
        foreach (var entity in (IEnumerable)Build(context, entityType, property, values.Select(v => (object?)v)))
        {
            results.Add(entity);
        }

        return results;
    }

    public static Task<List<object>> WhereInAsync(DbContext context, IEntityType entityType, string property, IEnumerable<long> values, CancellationToken cancellationToken) =>
        ToListAsync(Build(context, entityType, property, values.Select(v => (object?)v)), entityType.ClrType, cancellationToken);

    /// <summary>"Where property in (values)" with values of any supported type; tracked when <paramref name="tracking"/>.</summary>
    public static Task<List<object>> WhereInAsync(DbContext context, IEntityType entityType, string property, IEnumerable<object?> values, bool tracking, CancellationToken cancellationToken) =>
        ToListAsync(Build(context, entityType, property, values, tracking), entityType.ClrType, cancellationToken);

    public static Task<List<object>> WhereEqualAsync(DbContext context, IEntityType entityType, IReadOnlyList<(string Property, object? Value)> conditions, CancellationToken cancellationToken)
    {
        var set = Set(context, entityType);
        var parameter = Expression.Parameter(entityType.ClrType, "e");
        Expression? body = null;
        foreach (var (property, value) in conditions)
        {
            var type = entityType.FindProperty(property)!.ClrType;
            var equal = Expression.Equal(Property(parameter, property, type), Parameter(value, type));
            body = body is null ? equal : Expression.AndAlso(body, equal);
        }

        return ToListAsync(Where(set, parameter, body ?? Expression.Constant(true)), entityType.ClrType, cancellationToken);
    }

    /// <summary>
    /// The rows whose <paramref name="property"/> is one of <paramref name="values"/>, projected to
    /// <paramref name="columns"/> (one <see cref="object"/> array a row, untracked): a look-up reads only what it compares.
    /// </summary>
    public static Task<List<object?[]>> SelectWhereInAsync(DbContext context, IEntityType entityType, string property, IEnumerable<object?> values, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var (parameter, contains) = Contains(entityType, property, values);
        var filtered = Where(Set(context, entityType), parameter, contains);
        var row = Expression.Parameter(entityType.ClrType, "r");
        var projection = Expression.NewArrayInit(
            typeof(object),
            columns.Select(c => Expression.Convert(Property(row, c, entityType.FindProperty(c)!.ClrType), typeof(object))));
        var query = filtered.Provider.CreateQuery<object?[]>(Expression.Call(
            typeof(Queryable), nameof(Queryable.Select), [entityType.ClrType, typeof(object?[])], filtered.Expression, Expression.Quote(Expression.Lambda(projection, row))));
        return query.ToListAsync(cancellationToken);
    }

    private static IQueryable Build(DbContext context, IEntityType entityType, string property, IEnumerable<object?> values, bool tracking = false)
    {
        var (parameter, contains) = Contains(entityType, property, values);
        return Where(Set(context, entityType, tracking), parameter, contains);
    }

    /// <summary>"<c>EF.Parameter(values).Contains(e.property)</c>": the values go as one collection parameter.</summary>
    /// <remarks>
    /// EF Core 10 sends a list as one parameter per value by default, so each list length is a new SQL text, run through
    /// the parameter-based SQL processing again (measured on figure 11: about a tenth of the apply's time in
    /// <c>RelationalCommandCache</c> and the nullability processor). One collection parameter (<c>json_each</c> on
    /// SQLite, <c>= ANY</c> on PostgreSQL) keeps one SQL text a query shape.
    /// </remarks>
    private static (ParameterExpression Parameter, Expression Contains) Contains(IEntityType entityType, string property, IEnumerable<object?> values)
    {
        var type = entityType.FindProperty(property)!.ClrType;
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type))!;
        var entityName = entityType.DisplayName();
        foreach (var value in values)
        {
            list.Add(ClrValue.Convert(value, type, entityName, property));
        }

        var parameter = Expression.Parameter(entityType.ClrType, "e");
        var collection = Expression.Call(typeof(EF), nameof(EF.Parameter), [list.GetType()], Parameter(list, list.GetType()));
        return (parameter, Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [type], collection, Property(parameter, property, type)));
    }

    internal static IQueryable Set(DbContext context, IEntityType entityType, bool tracking = false)
    {
        var query = entityType.HasSharedClrType
            ? (IQueryable)SharedSetMethod.MakeGenericMethod(entityType.ClrType).Invoke(context, [entityType.Name])!
            : (IQueryable)SetMethod.MakeGenericMethod(entityType.ClrType).Invoke(context, null)!;
        return tracking ? query : (IQueryable)NoTrackingMethod.MakeGenericMethod(entityType.ClrType).Invoke(null, [query])!;
    }

    /// <summary>A value as EF Core sees a captured variable: a query parameter, so the compiled query is cached and reused.</summary>
    /// <remarks>
    /// A value in an <see cref="Expression.Constant(object?)"/> becomes part of the query's cache key, so every batch's
    /// ID list compiled a new query (measured: 38 % of the EF Core apply's time in query compilation). A field of a
    /// constant box is what the C# compiler makes of a closure, and EF Core turns it into a parameter.
    /// </remarks>
    private static MemberExpression Parameter(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(StrongBox<>).MakeGenericType(type), value)!;
        return Expression.Field(Expression.Constant(box), nameof(StrongBox<object>.Value));
    }

    private static MethodCallExpression Property(ParameterExpression parameter, string property, Type type) =>
        Expression.Call(typeof(EF), nameof(EF.Property), [type], parameter, Expression.Constant(property));

    private static IQueryable Where(IQueryable source, ParameterExpression parameter, Expression body) =>
        source.Provider.CreateQuery(Expression.Call(
            typeof(Queryable), nameof(Queryable.Where), [source.ElementType], source.Expression, Expression.Quote(Expression.Lambda(body, parameter))));

    internal static Task<List<object>> ToListAsync(IQueryable query, Type type, CancellationToken cancellationToken) =>
        AsyncLists.GetOrAdd(type, t => ToListAsyncMethod.MakeGenericMethod(t).CreateDelegate<Func<IQueryable, CancellationToken, Task<List<object>>>>())(query, cancellationToken);

    private static async Task<List<object>> ToListAsyncCore<T>(IQueryable query, CancellationToken cancellationToken)
    {
        var items = await ((IQueryable<T>)query).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. items.Cast<object>()];
    }
}
