using System.Buffers;

namespace Palisade.Node.Events;

/// <summary>Something the node records in its event log, written as one JSON line.</summary>
public interface INodeEvent
{
    void WriteJsonLine(IBufferWriter<byte> output);
}
