namespace Palisade.Detection.Corpus;

/// <summary>A count of items and of how many were flagged.</summary>
public sealed class CorpusTally
{
    public int Total { get; private set; }

    public int Flagged { get; private set; }

    public double Rate => Total == 0 ? 0 : (double)Flagged / Total;

    public void Add(bool flagged)
    {
        Total++;
        if (flagged)
        {
            Flagged++;
        }
    }
}
