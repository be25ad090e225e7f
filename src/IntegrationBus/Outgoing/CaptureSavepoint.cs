namespace IntegrationBus;

/// <summary>
/// A mark in a <see cref="ChangeCapture"/>, taken when the data layer's transaction creates a savepoint
/// (<see cref="ChangeCapture.CreateSavepoint"/>) and passed back after a rollback to it
/// (<see cref="ChangeCapture.RolledBackToSavepoint"/>). The default value marks the start of the transaction.
/// </summary>
public readonly record struct CaptureSavepoint
{
    internal CaptureSavepoint(int synchronousCalls) => SynchronousCalls = synchronousCalls;

    /// <summary>Gets how many synchronous calls the capture held at the mark.</summary>
    internal int SynchronousCalls { get; }
}
