namespace IntegrationBus.AspNetCore.Tests.Support;

/// <summary>A type-model rule for the tests: a contact's email must contain '@'.</summary>
public sealed class EmailRule : IIncomingObjectValidator
{
    public ObjectViolation? Validate(BusObject obj, TaskType taskType) =>
        obj.TypeName == "crm.contact" && obj["Email"] is string email && !email.Contains('@', StringComparison.Ordinal)
            ? new ObjectViolation(obj.TypeName, "Email", email, "must contain '@'")
            : null;
}
