namespace Palisade.Detection.Engine;

/// <summary>Budgets that bound the work one request can cause. Immutable.</summary>
public sealed record InspectionOptions
{
    public static InspectionOptions Default { get; } = new();

    /// <summary>How many values (points) one request may produce before the walk stops.</summary>
    public int MaxPoints { get; init; } = 10_000;

    /// <summary>How many decoders may be stacked on one value (<c>query.q|base64|json.a|percent</c> is three).</summary>
    public int MaxDecodeDepth { get; init; } = 8;

    /// <summary>Nesting limit for JSON documents.</summary>
    public int MaxJsonDepth { get; init; } = 512;

    /// <summary>Total characters all decoders may produce, as a multiple of the request's size.</summary>
    public int MaxDecodedRatio { get; init; } = 4;

    /// <summary>Decoded characters every request may produce whatever its size (small requests decode too).</summary>
    public int MinDecodedBudget { get; init; } = 64 * 1024;

    /// <summary>The most bytes undoing a body's <c>Content-Encoding</c> may produce.</summary>
    public long MaxDecompressedBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>The most decoded bytes per encoded byte of a body's <c>Content-Encoding</c> (bombs are thousands to one).</summary>
    public int MaxDecompressionRatio { get; init; } = 100;

    /// <summary>Wall-clock budget for one request's inspection; zero (the default) means none: time depends on load, not on the request.</summary>
    public TimeSpan MaxInspectionTime { get; init; } = TimeSpan.Zero;

    /// <summary>What happens when a budget runs out.</summary>
    public OverlimitPolicy OverlimitPolicy { get; init; } = OverlimitPolicy.Block;
}
