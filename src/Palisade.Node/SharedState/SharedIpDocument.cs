namespace Palisade.Node.SharedState;

/// <summary>
/// An IP list entry as JSON: the value of its field in the <c>{prefix}ip</c> hash, and with <see cref="Op"/> and
/// <see cref="Sender"/> set, a message on <c>{prefix}ip:changes</c> (<c>set</c> or <c>del</c>).
/// </summary>
internal sealed class SharedIpDocument
{
    public string? Op { get; set; }

    public string List { get; set; } = string.Empty;

    public string Cidr { get; set; } = string.Empty;

    public string? Reason { get; set; }

    /// <summary>Unix time in milliseconds, or null for an entry kept until removed.</summary>
    public long? Expires { get; set; }

    public string AddedBy { get; set; } = string.Empty;

    /// <summary>The publishing channel instance, so that it can ignore its own messages.</summary>
    public string? Sender { get; set; }
}
