namespace Palisade.Node.Events;

/// <summary>The metric label of each <see cref="EventDropReason"/>.</summary>
public static class EventDropReasonNames
{
    public static string ToName(this EventDropReason reason) => reason switch
    {
        EventDropReason.QueueFull => "queue_full",
        EventDropReason.WriteFailed => "write_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
