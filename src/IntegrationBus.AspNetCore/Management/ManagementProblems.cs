using IntegrationBus.AspNetCore.Incoming;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IntegrationBus.AspNetCore.Management;

/// <summary>The RFC 7807 answers of the management API (the problem types are shared with the incoming endpoints).</summary>
internal static class ManagementProblems
{
    public static ProblemHttpResult BadRequest(string detail, string title = "Invalid request") =>
        Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, title, detail);

    public static ProblemHttpResult UnknownTask(string detail) =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.UnknownTask, "Unknown task", detail);

    public static ProblemHttpResult UnknownConnector(string name) =>
        Problem(StatusCodes.Status404NotFound, ProblemTypes.UnknownConnector, "Unknown connector", $"No connector is named '{name}'.");

    public static ProblemHttpResult Antiforgery() =>
        Problem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidAntiforgeryToken, "antiforgery token missing or invalid",
            $"A state-changing request without an Authorization header needs the antiforgery token of GET api/me in the {IntegrationBusManagementEndpointOptions.AntiforgeryHeaderName} header (and its cookie).");

    public static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);
}
