namespace Palisade.Node.Admin;

/// <summary>One finding as stored, with its point split for the explain view.</summary>
internal sealed record StoredFinding(string Type, string Point, string Location, IReadOnlyList<string> Decoders, string Detector, string Reason, string Evidence, int Score);
