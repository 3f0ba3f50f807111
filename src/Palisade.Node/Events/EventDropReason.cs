namespace Palisade.Node.Events;

/// <summary>Why a sink never wrote an event: the <c>reason</c> label of <c>palisade_events_dropped_total</c>.</summary>
public enum EventDropReason
{
    /// <summary>The sink's queue was full when the event was published.</summary>
    QueueFull,

    /// <summary>The sink failed to write the batch the event was in.</summary>
    WriteFailed,
}
