using System.Collections.Concurrent;
using System.Text;

namespace Palisade.Node.Policy;

/// <summary>
/// Adds exclusions to <c>palisade.yaml</c> as text, so the operator's comments, order and formatting (line
/// endings, byte order mark) stay as written: after the last item of a block <c>exclusions:</c> list, after the
/// last item of a flow one, in place of an empty one, or as a new section at the end of the document. The new text
/// is read back before anything is written: it must hold the old exclusions, then the new ones, and everything
/// else exactly as before. It is written to a uniquely named temporary file beside the file (same permissions,
/// flushed to disk) and renamed over it, so a reader never sees half a file; writes to one file from this process
/// take turns. A symbolic link is followed to the file it names, unless that file is a Kubernetes ConfigMap's
/// (read-only, replaced by the kubelet). Returns null when done, or why not.
/// </summary>
public static class PolicyFileWriter
{
    private static readonly ConcurrentDictionary<string, Lock> Locks = new(StringComparer.Ordinal);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    public static string? AppendExclusions(string file, IReadOnlyList<ProposedExclusion> exclusions)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(exclusions);
        var target = WritableTarget(file, out var reason);
        if (target is null)
        {
            return reason;
        }

        lock (Locks.GetOrAdd(target, static _ => new Lock()))
        {
            return Append(target, exclusions);
        }
    }

    /// <summary>The file's text with the exclusions added, or null with the reason.</summary>
    public static string? Insert(string text, IReadOnlyList<ProposedExclusion> exclusions, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(exclusions);
        var updated = PolicyTextEditor.Insert(text, exclusions, out reason);
        if (updated is not null && !PolicyTextEditor.Verify(text, updated, exclusions, out reason))
        {
            return null;
        }

        return updated;
    }

    private static string? Append(string file, IReadOnlyList<ProposedExclusion> exclusions)
    {
        byte[] original;
        string text;
        try
        {
            original = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read {file}: {e.Message}";
        }

        var bom = original.AsSpan().StartsWith(ByteOrderMark);
        try
        {
            text = StrictUtf8.GetString(original.AsSpan(bom ? ByteOrderMark.Length : 0));
        }
        catch (DecoderFallbackException)
        {
            return $"{file} is not UTF-8 text: add the proposal by hand";
        }

        var updated = Insert(text, exclusions, out var reason);
        if (updated is null)
        {
            return reason;
        }

        var temporary = Path.Combine(Path.GetDirectoryName(file) ?? ".", $".{Path.GetFileName(file)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(file));
                }

                if (bom)
                {
                    stream.Write(ByteOrderMark);
                }

                stream.Write(StrictUtf8.GetBytes(updated));
                stream.Flush(flushToDisk: true);
            }

            // Another writer (an editor, a deployment) may have changed the file meanwhile: its change wins.
            if (!File.ReadAllBytes(file).AsSpan().SequenceEqual(original))
            {
                TryDelete(temporary);
                return $"{file} changed while the exclusions were being added: try again";
            }

            File.Move(temporary, file, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return $"cannot write {file}: {e.Message}";
        }
    }

    /// <summary>
    /// The real path of the file to replace (symbolic links followed), or null with the reason: a ConfigMap's
    /// file (reached through a <c>..data</c>-style directory), a file without write permission, or none.
    /// </summary>
    private static string? WritableTarget(string file, out string? reason)
    {
        reason = null;
        var links = new List<string>();
        string real;
        try
        {
            real = RealPath(file, links);
        }
        catch (IOException e)
        {
            reason = $"cannot resolve {file}: {e.Message}";
            return null;
        }

        if (links.Append(real).Any(IsConfigMapPath))
        {
            reason = $"{file} is a Kubernetes ConfigMap file (a link into a ..data directory), read-only and replaced by the kubelet: change the ConfigMap to keep the exclusions";
            return null;
        }

        if (!File.Exists(real))
        {
            reason = $"cannot read {file}: it does not exist";
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(real) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0)
        {
            reason = $"{real} is read-only (no write permission)";
            return null;
        }

        return real;
    }

    // A ConfigMap volume holds its files in a timestamped directory (..2026_11_28_13_00_00.123) reached through the
    // ..data link; the names the pod sees are links into ..data.
    private static bool IsConfigMapPath(string path) =>
        path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part.Length > 2 && part.StartsWith("..", StringComparison.Ordinal));

    /// <summary>The path with every symbolic link in it resolved; <paramref name="links"/> gets each link's target as written.</summary>
    private static string RealPath(string file, List<string> links)
    {
        var full = Path.GetFullPath(file);
        var current = Path.GetPathRoot(full) ?? "/";
        var parts = new Queue<string>(full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (parts.TryDequeue(out var part))
        {
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is not { } target)
            {
                current = next;
                continue;
            }

            if (++hops > 40)
            {
                throw new IOException("too many levels of symbolic links");
            }

            links.Add(target);
            var resolved = Path.GetFullPath(target, current);
            var rest = parts.ToList();
            current = Path.GetPathRoot(resolved) ?? "/";
            parts = new Queue<string>(resolved[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
        }

        return current;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind under a name no one else uses.
        }
    }
}
