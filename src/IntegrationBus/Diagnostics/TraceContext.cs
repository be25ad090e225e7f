namespace IntegrationBus.Diagnostics;

/// <summary>A W3C trace context to store with a task: the <c>traceparent</c> and <c>tracestate</c> of the span that logged it.</summary>
/// <param name="Parent">The <c>traceparent</c>, or <see langword="null"/> when the change was logged outside any trace.</param>
/// <param name="State">The <c>tracestate</c>, or <see langword="null"/>.</param>
internal readonly record struct TraceContext(string? Parent, string? State);
