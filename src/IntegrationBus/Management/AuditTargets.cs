using System.Globalization;
using System.Text;
using IntegrationBus.Storage;

namespace IntegrationBus.Management;

/// <summary>How audit entries and management log events name what a bulk action touched.</summary>
internal static class AuditTargets
{
    /// <summary>Describes a task filter as <c>tasks connector=crm status=Failed …</c>, naming only what is set.</summary>
    /// <param name="filter">The filter.</param>
    /// <returns>The description.</returns>
    public static string Describe(TaskQuery filter)
    {
        var text = new StringBuilder("tasks");
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" {name}={value}");
            }
        }

        Add("connector", filter.Connector);
        Add("direction", filter.Direction);
        Add("status", filter.Status);
        Add("objectType", filter.ObjectType);
        Add("taskType", filter.TaskType);
        Add("text", filter.Text);
        Add("createdFrom", filter.CreatedFrom?.ToString("O", CultureInfo.InvariantCulture));
        Add("createdBefore", filter.CreatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
