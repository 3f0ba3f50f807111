using Palisade.Detection.Engine;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Corpus;

/// <summary>
/// Tallies the engine's verdicts over labelled requests: true-positive rate per attack category (by any
/// detector, and by the category's own detector), broken down by location kind and source; false-positive
/// rate on benign requests, per dataset and subcategory; and the ids of misses and false positives.
/// </summary>
public sealed class CorpusEvaluation
{
    private readonly SortedDictionary<string, CategoryTally> _attacks = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, CorpusTally> _benignByDataset = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, CorpusTally> _benignBySubcategory = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _falsePositivesByDetector = new(StringComparer.Ordinal);
    private readonly List<CorpusOutcome> _misses = [];
    private readonly List<CorpusOutcome> _falsePositives = [];

    public CorpusTally Benign { get; } = new();

    public IReadOnlyDictionary<string, CategoryTally> Attacks => _attacks;

    public IReadOnlyDictionary<string, CorpusTally> BenignByDataset => _benignByDataset;

    public IReadOnlyDictionary<string, CorpusTally> BenignBySubcategory => _benignBySubcategory;

    public IReadOnlyDictionary<string, int> FalsePositivesByDetector => _falsePositivesByDetector;

    public IReadOnlyList<CorpusOutcome> Misses => _misses;

    public IReadOnlyList<CorpusOutcome> FalsePositives => _falsePositives;

    /// <summary>Adds one record's result; <paramref name="dataset"/> names the file it came from.</summary>
    public void Add(string dataset, CorpusRecord record, InspectionResult result)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(result);
        var flagged = result.IsAttack;
        if (record.IsAttack)
        {
            if (!_attacks.TryGetValue(record.Category, out var tally))
            {
                _attacks[record.Category] = tally = new CategoryTally();
            }

            var own = AttackTypeNames.TryParse(record.Category, out var type)
                && result.Findings.Any(f => f.AttackType == type);
            tally.Add(record, flagged, own);
            if (!flagged)
            {
                _misses.Add(new CorpusOutcome(dataset, record, result));
            }

            return;
        }

        Benign.Add(flagged);
        Tally(_benignByDataset, dataset, flagged);
        Tally(_benignBySubcategory, record.Subcategory ?? "-", flagged);
        if (flagged)
        {
            _falsePositives.Add(new CorpusOutcome(dataset, record, result));
            foreach (var detector in result.Findings.Select(f => f.DetectorId).Distinct())
            {
                _falsePositivesByDetector[detector] = _falsePositivesByDetector.GetValueOrDefault(detector) + 1;
            }
        }
    }

    internal static void Tally(SortedDictionary<string, CorpusTally> tallies, string key, bool flagged)
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tallies[key] = tally = new CorpusTally();
        }

        tally.Add(flagged);
    }
}
