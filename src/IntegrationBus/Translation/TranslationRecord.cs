namespace IntegrationBus;

/// <summary>
/// What the other side needs to find an object that a foreign key points to: its type, ID, GUID, code name,
/// site and parent. For a page, <see cref="Guid"/> is the node GUID and <see cref="CodeName"/> the alias path.
/// </summary>
/// <param name="ObjectType">The referenced object's type name.</param>
/// <param name="Id">The referenced object's ID in the system that wrote the record.</param>
/// <param name="Guid">The referenced object's GUID, when it has one.</param>
/// <param name="CodeName">The referenced object's code name, when it has one.</param>
/// <param name="Site">The referenced object's site, or <see langword="null"/> when it is global.</param>
/// <param name="Parent">The referenced object's parent, for child objects whose code name is unique only under it.</param>
public sealed record TranslationRecord(
    string ObjectType,
    long Id,
    Guid? Guid = null,
    string? CodeName = null,
    string? Site = null,
    TranslationRecord? Parent = null);
