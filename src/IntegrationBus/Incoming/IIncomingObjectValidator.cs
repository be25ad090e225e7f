namespace IntegrationBus;

/// <summary>
/// Checks an incoming object against the application's type model before its task is queued, so that a change the
/// data handler could not apply is refused at the door instead of failing (and, under the Default policy, blocking
/// the connector's incoming queue) later.
/// </summary>
/// <remarks>
/// The bus calls every registered validator (<see cref="IntegrationBusBuilder.AddIncomingObjectValidator"/>) for the
/// object of each incoming change and for the children and bindings of a Snapshot, after the connector converted it and
/// before foreign keys are translated: foreign-key fields still hold the external system's IDs then, so a validator
/// leaves them alone. The EF Core package registers one that checks the EF model. Called concurrently: keep it stateless.
/// </remarks>
public interface IIncomingObjectValidator
{
    /// <summary>Checks one object.</summary>
    /// <param name="obj">The object the connector made of the external object.</param>
    /// <param name="taskType">The operation the change asks for (a create needs every required field).</param>
    /// <returns>The first rule the object breaks, or <see langword="null"/> when it can be applied.</returns>
    ObjectViolation? Validate(BusObject obj, TaskType taskType);
}
