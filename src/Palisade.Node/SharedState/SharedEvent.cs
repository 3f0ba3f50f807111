namespace Palisade.Node.SharedState;

/// <summary>An attack event read from the shared stream: its stream id, the replica that wrote it and its JSON (UTF-8).</summary>
public sealed record SharedEvent(string Id, string Origin, ReadOnlyMemory<byte> Json);
