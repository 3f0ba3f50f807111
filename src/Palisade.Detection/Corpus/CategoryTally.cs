namespace Palisade.Detection.Corpus;

/// <summary>One attack category's counts: overall, by its own detector, by location kind, by source.</summary>
public sealed class CategoryTally
{
    private readonly SortedDictionary<string, CorpusTally> _byLocation = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, CorpusTally> _bySource = new(StringComparer.Ordinal);

    /// <summary>Flagged by any detector.</summary>
    public CorpusTally Any { get; } = new();

    /// <summary>Flagged by the detector of the category itself (sqli by sqli).</summary>
    public CorpusTally Own { get; } = new();

    public IReadOnlyDictionary<string, CorpusTally> ByLocation => _byLocation;

    public IReadOnlyDictionary<string, CorpusTally> BySource => _bySource;

    internal void Add(CorpusRecord record, bool flagged, bool own)
    {
        Any.Add(flagged);
        Own.Add(own);
        CorpusEvaluation.Tally(_byLocation, record.LocationKind, flagged);
        CorpusEvaluation.Tally(_bySource, record.Source ?? "-", flagged);
    }
}
