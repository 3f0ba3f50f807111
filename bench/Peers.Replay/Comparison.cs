using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Peers.Replay;

/// <summary>
/// Joins the replays of one or more ModSecurity runs (status per request, rule ids from the audit log) with
/// <c>palisade eval --json</c> over the same files and renders the side-by-side markdown table: TPR per attack
/// category, FPR per benign file, and the balanced score ((TPR + TNR) / 2) of each.
/// </summary>
public sealed class Comparison
{
    /// <summary>CRS's protocol policy rule "Request content type is not allowed by policy".</summary>
    public const string ContentTypePolicyRule = "920420";

    private readonly List<Column> _columns = [];
    private readonly SortedSet<string> _categories = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _benignFiles = new(StringComparer.Ordinal);

    /// <summary>Adds a ModSecurity run: the replay's TSV and the audit log of the same run.</summary>
    public void AddReplay(string name, IEnumerable<string> statusRows, Dictionary<int, HashSet<string>> ruleIds)
    {
        ArgumentNullException.ThrowIfNull(statusRows);
        ArgumentNullException.ThrowIfNull(ruleIds);
        var column = new Column(name);
        foreach (var row in statusRows)
        {
            var cells = row.Split('\t');
            if (cells.Length < 6 || !int.TryParse(cells[0], CultureInfo.InvariantCulture, out var sequence) ||
                !int.TryParse(cells[5], CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }

            var ids = ruleIds.GetValueOrDefault(sequence);
            var flagged = status == 403 || (status is >= 400 and < 500 and not 404 && ids is { Count: > 0 });
            var policyOnly = flagged && ids is not null && IsContentTypePolicyOnly(ids);
            if (status is not (>= 200 and < 300) && !flagged)
            {
                column.Unanswered++;
            }

            var isAttack = cells[3] == "attack";
            var key = isAttack ? cells[4] : cells[2];
            (isAttack ? _categories : _benignFiles).Add(key);
            column.Add(isAttack, key, flagged, policyOnly);
        }

        _columns.Add(column);
    }

    /// <summary>Adds Palisade's numbers from <c>palisade eval --json</c>.</summary>
    public void AddPalisadeEval(string name, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var column = new Column(name);
        foreach (var category in doc.RootElement.GetProperty("attacks").EnumerateObject())
        {
            _categories.Add(category.Name);
            column.Set(true, category.Name, category.Value.GetProperty("total").GetInt32(), category.Value.GetProperty("flagged").GetInt32());
        }

        foreach (var file in doc.RootElement.GetProperty("benign").GetProperty("by_dataset").EnumerateObject())
        {
            _benignFiles.Add(file.Name);
            column.Set(false, file.Name, file.Value.GetProperty("total").GetInt32(), file.Value.GetProperty("flagged").GetInt32());
        }

        _columns.Add(column);
    }

    /// <summary>The markdown table.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("| | requests |");
        foreach (var column in _columns)
        {
            text.Append(' ').Append(column.Name).Append(" |");
        }

        text.Append("\n|---|---:|");
        foreach (var _ in _columns)
        {
            text.Append("---:|");
        }

        text.Append('\n');
        foreach (var category in _categories)
        {
            Line(text, $"attack `{category}` (TPR)", c => c.Get(true, category), false);
        }

        Line(text, "**all attacks (TPR)**", c => c.Sum(true), false);
        foreach (var file in _benignFiles)
        {
            Line(text, $"benign `{file}` (FPR)", c => c.Get(false, file), false);
        }

        Line(text, "**all benign (FPR)**", c => c.Sum(false), false);
        Line(text, $"all benign, blocks by {ContentTypePolicyRule} alone not counted (FPR)", c => c.Sum(false), true);
        BalancedLine(text, "**balanced score (TPR + TNR) / 2**", false);
        BalancedLine(text, $"balanced score, blocks by {ContentTypePolicyRule} alone not counted", true);
        text.Append("| requests without an answer or with another error status | |");
        foreach (var column in _columns)
        {
            text.Append(' ').Append(column.IsReplay ? column.Unanswered.ToString(CultureInfo.InvariantCulture) : "-").Append(" |");
        }

        text.Append('\n');
        return text.ToString();
    }

    private static bool IsContentTypePolicyOnly(HashSet<string> ids)
    {
        var only = false;
        foreach (var id in ids)
        {
            // 949/959/980: CRS's anomaly score evaluation and reporting rules; 90x: its set-up rules.
            if (id.StartsWith("949", StringComparison.Ordinal) || id.StartsWith("959", StringComparison.Ordinal) ||
                id.StartsWith("98", StringComparison.Ordinal) || id.StartsWith("90", StringComparison.Ordinal))
            {
                continue;
            }

            if (id != ContentTypePolicyRule)
            {
                return false;
            }

            only = true;
        }

        return only;
    }

    private void Line(StringBuilder text, string label, Func<Column, Tally> pick, bool withoutPolicy)
    {
        text.Append("| ").Append(label).Append(" | ");
        var total = _columns.Count > 0 ? pick(_columns[0]).Total : 0;
        text.Append(total.ToString(CultureInfo.InvariantCulture)).Append(" |");
        foreach (var column in _columns)
        {
            var tally = pick(column);
            var flagged = withoutPolicy ? tally.Flagged - tally.PolicyOnly : tally.Flagged;
            text.Append(' ').Append(Percent(flagged, tally.Total));
            if (!column.IsReplay || !withoutPolicy)
            {
                text.Append(" (").Append(flagged.ToString(CultureInfo.InvariantCulture)).Append(')');
            }
            else
            {
                text.Append(" (").Append(flagged.ToString(CultureInfo.InvariantCulture)).Append(", ")
                    .Append(tally.PolicyOnly.ToString(CultureInfo.InvariantCulture)).Append(" left out)");
            }

            text.Append(" |");
        }

        text.Append('\n');
    }

    private void BalancedLine(StringBuilder text, string label, bool withoutPolicy)
    {
        text.Append("| ").Append(label).Append(" | |");
        foreach (var column in _columns)
        {
            var attacks = column.Sum(true);
            var benign = column.Sum(false);
            var fp = withoutPolicy ? benign.Flagged - benign.PolicyOnly : benign.Flagged;
            var tpr = attacks.Total == 0 ? 0 : (double)attacks.Flagged / attacks.Total;
            var tnr = benign.Total == 0 ? 0 : 1 - ((double)fp / benign.Total);
            text.Append(' ').Append(((tpr + tnr) / 2 * 100).ToString("0.00", CultureInfo.InvariantCulture)).Append(" |");
        }

        text.Append('\n');
    }

    private static string Percent(int part, int total) =>
        total == 0 ? "-" : (100.0 * part / total).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Requests, flagged ones, and flagged ones whose only detection was the content-type policy.</summary>
    private sealed class Tally
    {
        public int Total { get; set; }

        public int Flagged { get; set; }

        public int PolicyOnly { get; set; }
    }

    /// <summary>The numbers of one WAF (one column of the table).</summary>
    private sealed class Column(string name)
    {
        private readonly Dictionary<string, Tally> _attacks = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Tally> _benign = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public bool IsReplay { get; private set; }

        public int Unanswered { get; set; }

        public void Add(bool isAttack, string key, bool flagged, bool policyOnly)
        {
            IsReplay = true;
            var tally = Get(isAttack, key);
            tally.Total++;
            tally.Flagged += flagged ? 1 : 0;
            tally.PolicyOnly += policyOnly ? 1 : 0;
        }

        public void Set(bool isAttack, string key, int total, int flagged)
        {
            var tally = Get(isAttack, key);
            tally.Total = total;
            tally.Flagged = flagged;
        }

        public Tally Get(bool isAttack, string key)
        {
            var map = isAttack ? _attacks : _benign;
            if (!map.TryGetValue(key, out var tally))
            {
                map[key] = tally = new Tally();
            }

            return tally;
        }

        public Tally Sum(bool isAttack)
        {
            var sum = new Tally();
            foreach (var tally in (isAttack ? _attacks : _benign).Values)
            {
                sum.Total += tally.Total;
                sum.Flagged += tally.Flagged;
                sum.PolicyOnly += tally.PolicyOnly;
            }

            return sum;
        }
    }
}
