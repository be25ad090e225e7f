using System.CommandLine;
using System.Globalization;
using IntegrationBus.Cli.Output;
using IntegrationBus.Management;
using IntegrationBus.Storage;

namespace IntegrationBus.Cli.Commands;

/// <summary><c>ibus idmap list CONNECTOR|delete CONNECTOR TYPE GUID</c>: a connector's ID map (internal object ↔ external ID).</summary>
internal static class IdMapCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("idmap", "List a connector's ID map (which external ID each internal object has), or delete one entry.");
        command.Add(List(runner));
        command.Add(Delete(runner));
        return command;
    }

    private static Command List(CommandRunner runner)
    {
        var connector = new Argument<string>("CONNECTOR") { Description = "The connector's code name." };
        var type = new Option<string?>("--type") { Description = "Only entries of this object type.", HelpName = "TYPE" };
        var guid = new Option<Guid?>("--guid") { Description = "Only the entry of the object with this GUID.", HelpName = "GUID" };
        var externalId = new Option<string?>("--external-id") { Description = "Only the entry with this external ID (exact text).", HelpName = "ID" };
        var after = new Option<long?>("--after") { Description = "Only entries after this entry ID (the 'next' of the previous page).", HelpName = "ID" };
        var limit = new Option<int>("--limit") { Description = $"Entries to show, 1 to {IntegrationBusManagement.MaxPageSize}.", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > IntegrationBusManagement.MaxPageSize)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--limit must be between 1 and {IntegrationBusManagement.MaxPageSize}."));
            }
        });
        var command = new Command("list", "List a connector's ID-map entries, oldest first.") { connector, type, guid, externalId, after, limit };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var query = new IdMapQuery
            {
                Connector = run.Parse.GetRequiredValue(connector),
                ObjectType = run.Parse.GetValue(type),
                ObjectGuid = run.Parse.GetValue(guid),
                ExternalId = run.Parse.GetValue(externalId),
                After = run.Parse.GetValue(after),
                Limit = run.Parse.GetValue(limit),
            };
            var page = await run.Client.ListIdMapAsync(query, cancellationToken).ConfigureAwait(false);
            if (run.Json)
            {
                run.WriteJson(page);
                return ExitCodes.Done;
            }

            var table = new Table("ID", "TYPE", "GUID", "OBJECT ID", "EXTERNAL ID", "KIND", "UPDATED");
            foreach (var entry in page.Items)
            {
                table.Add(Text.Number(entry.Id), entry.ObjectType, entry.ObjectGuid.ToString("D"), entry.ObjectId is { } id ? Text.Number(id) : "-", entry.ExternalId, entry.ExternalIdKind.ToString(), Text.Time(entry.UpdatedAt));
            }

            table.Write(run.Console.Out);
            if (page.Next is { } next)
            {
                run.WriteLine($"next: {next}");
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static Command Delete(CommandRunner runner)
    {
        var connector = new Argument<string>("CONNECTOR") { Description = "The connector's code name." };
        var type = new Argument<string>("TYPE") { Description = "The object type." };
        var guid = new Argument<Guid>("GUID") { Description = "The object's GUID." };
        var command = new Command("delete", "Delete a connector's ID-map entry of one object: its next task carries no external ID.") { connector, type, guid };
        runner.Handle(command, async (run, cancellationToken) =>
        {
            var (name, objectType, objectGuid) = (run.Parse.GetRequiredValue(connector), run.Parse.GetRequiredValue(type), run.Parse.GetValue(guid));
            if (!await run.Client.DeleteIdMapEntryAsync(name, objectType, objectGuid, cancellationToken).ConfigureAwait(false))
            {
                throw new CliFailureException($"Nothing deleted: connector '{name}' has no ID-map entry for {objectType} {objectGuid:D}.");
            }

            if (run.Json)
            {
                run.WriteJson(new { deleted = 1 });
            }
            else
            {
                run.WriteLine($"Deleted the ID-map entry of {objectType} {objectGuid:D} for {name}.");
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
