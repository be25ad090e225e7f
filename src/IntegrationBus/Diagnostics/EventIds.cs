namespace IntegrationBus.Diagnostics;

/// <summary>
/// Every logging event ID of the core, by area: 1xxx hosting and configuration, 2xxx outgoing logging,
/// 3xxx processing, 4xxx incoming, 5xxx storage. Operator actions are hosting events (1009). IDs and names are fixed once published.
/// </summary>
internal static class EventIds
{
    public const int BusStarted = 1001;
    public const int SettingsChanged = 1002;
    public const int ConnectorEnabledChanged = 1003;
    public const int SettingsRefreshFailed = 1004;
    public const int RetentionApplied = 1005;
    public const int RetentionFailed = 1006;
    public const int NotificationListenFailed = 1007;
    public const int NotificationPublishFailed = 1008;
    public const int ManagementAction = 1009;
    public const int SynchronousCallsUnfinished = 1010;
    public const int SynchronousCallsWaiting = 1011;
    public const int QueueFiguresRefreshed = 1012;
    public const int QueueFiguresFailed = 1013;
    public const int ProducerOnly = 1014;
    public const int PartitionsIgnored = 1015;

    public const int SynchronousProcessingFailed = 2001;
    public const int TasksLogged = 2002;
    public const int UnchangedUpdateIgnored = 2003;
    public const int ReferenceNotFound = 2004;
    public const int SynchronousCallsDiscarded = 2005;

    public const int OperatorRetried = 3013;
    public const int OperatorDeleted = 3014;

    public const int IncomingQueued = 4001;
    public const int IncomingRefused = 4002;
    public const int IncomingFailedWaiting = 4003;
    public const int IncomingFailedSkipped = 4004;
    public const int IncomingFailedDeleted = 4005;
    public const int IncomingApplied = 4006;
    public const int IncomingConversionFailed = 4007;
    public const int IncomingBatchFailed = 4008;

    public const int RunnerStarted = 3001;
    public const int LeaseTaken = 3002;
    public const int LeaseHeldElsewhere = 3003;
    public const int TaskProcessed = 3004;
    public const int TaskFailed = 3005;
    public const int TaskFailedAndSkipped = 3006;
    public const int TaskParked = 3007;
    public const int RunnerIterationFailed = 3008;
    public const int RunnerStopped = 3009;
    public const int TaskPayloadUnreadable = 3010;
    public const int TaskSkipped = 3011;
    public const int RunWaitingForRetry = 3012;
    public const int RunnerWaiting = 3015;
    public const int LeaseLost = 3016;
    public const int ResultsRefused = 3017;
    public const int PayloadFieldIgnored = 3018;
    public const int LeaseRenewed = 3019;
    public const int LeaseYielded = 3020;
    public const int LeaseReleaseFailed = 3021;

    // 3130–3149: the circuit breaker per connector.
    public const int CircuitBreakerOpened = 3130;
    public const int CircuitBreakerHalfOpened = 3131;
    public const int CircuitBreakerClosed = 3132;
    public const int CircuitBreakerAdopted = 3133;
    public const int CircuitBreakerPaused = 3134;

    // 5210–5219: the stored state of the circuit breakers.
    public const int CircuitBreakerStateNotStored = 5210;
    public const int CircuitBreakerStateNotRead = 5211;
    public const int WebhookDelivered = 3100;
    public const int WebhookRefused = 3101;
    public const int WebhookGone = 3102;
    public const int WebhookAddressRefused = 3103;
    // ID map (issue 12): 3120-3129.
    public const int IdMapEntryDeleted = 3120;
    public const int ExternalIdNotMapped = 3121;
    // Ordering per key (issue 13): 3150-3169.
    public const int OrderingKeyFailed = 3150;
    public const int KeyHeld = 3151;

    // Blocked keys of per-object ordering (issue 13): 5230-5239.
    public const int BlockedKeyAction = 5230;
    // Resync (issue 12): 3140-3149 the worker, 5240-5249 management.
    public const int ResyncClaimed = 3140;
    public const int ResyncBatchQueued = 3141;
    public const int ResyncCompleted = 3142;
    public const int ResyncStopped = 3143;
    public const int ResyncFailed = 3144;
    public const int ResyncIterationFailed = 3145;
    // Review mends (session after issues 12 and 13): 3170-3179.
    public const int ResyncRequestedByNode = 3170;
    public const int ResyncStarted = 5240;
    public const int ResyncCancelled = 5241;
}
