using System.Numerics;
using Palisade.Detection.Detectors;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Engine;

/// <summary>
/// The engine's detectors, with what it knows of each before calling it: the characters a value it can flag holds,
/// the sources it judges, whether it reads well-formed header values. Built once per engine; a value asks
/// <see cref="Candidates"/> which detectors to call and calls only those, by a delegate bound to each detector.
/// </summary>
internal sealed class DetectorSet
{
    private readonly Detect[] _detect;

    // The detectors that name required characters: the ASCII characters below 64 and from 64 to 127 of the set, and
    // the detector's bit. Whether characters beyond ASCII count is kept apart, for all of them.
    private readonly Required[] _required;
    private readonly ulong _nonAsciiTriggered;

    // By ValueSource: bit i set when detector i does not judge values from that source.
    private readonly ulong[] _sourceSkips;

    public DetectorSet(IDetector[] detectors)
    {
        if (detectors.Length > 64)
        {
            throw new ArgumentException("At most 64 detectors are supported.", nameof(detectors));
        }

        Detectors = detectors;
        _detect = new Detect[detectors.Length];
        var required = new List<Required>();
        _sourceSkips = new ulong[Enum.GetValues<ValueSource>().Length];
        for (var i = 0; i < detectors.Length; i++)
        {
            var detector = detectors[i];
            var bit = 1UL << i;

            // Bound once: calling the delegate is one indirect call, where an interface call site shared by every
            // detector goes through a dispatch cache.
            _detect[i] = detector.TryDetect;
            if (detector.RequiredCharacters is { } characters)
            {
                var mask = CharacterMask.Of(characters);
                required.Add(new Required(mask.Low, mask.High, bit));
                _nonAsciiTriggered |= mask.NonAscii ? bit : 0;
            }
            else
            {
                MatchesAnyValue |= bit;
            }
            if (!detector.JudgesWellFormedHeaders)
            {
                WellFormedSkips |= bit;
            }

            foreach (var source in Enum.GetValues<ValueSource>())
            {
                if (!detector.Judges(source))
                {
                    _sourceSkips[(int)source] |= bit;
                }
            }
        }

        All = detectors.Length == 64 ? ulong.MaxValue : (1UL << detectors.Length) - 1;
        _required = [.. required];
    }

    private readonly record struct Required(ulong Low, ulong High, ulong Bit);

    private delegate bool Detect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match);

    public IDetector[] Detectors { get; }

    /// <summary>A bit per detector.</summary>
    public ulong All { get; }

    /// <summary>Bit i set: detector i does not judge well-formed header values.</summary>
    public ulong WellFormedSkips { get; }

    /// <summary>Bit i set: detector i may match any value (it names no required characters).</summary>
    public ulong MatchesAnyValue { get; }

    /// <summary>The detectors that judge values from <paramref name="source"/>, whatever their characters.</summary>
    public ulong Judging(ValueSource source) => All & ~_sourceSkips[(int)source];

    /// <summary>The detectors worth calling on a value from <paramref name="source"/> with these characters.</summary>
    public ulong Candidates(in CharacterMask present, ValueSource source)
    {
        var candidates = MatchesAnyValue | (present.NonAscii ? _nonAsciiTriggered : 0);
        var (low, high) = (present.Low, present.High);
        foreach (ref readonly var required in _required.AsSpan())
        {
            candidates |= ((required.Low & low) | (required.High & high)) != 0 ? required.Bit : 0;
        }

        return candidates & ~_sourceSkips[(int)source];
    }

    /// <summary>Calls detector <paramref name="index"/>.</summary>
    public bool TryDetect(int index, ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match) =>
        _detect[index](value, origin, out match);

    /// <summary>The index of the lowest detector in <paramref name="set"/>, and the set without it.</summary>
    public static int TakeLowest(ref ulong set)
    {
        var index = BitOperations.TrailingZeroCount(set);
        set &= set - 1;
        return index;
    }
}
