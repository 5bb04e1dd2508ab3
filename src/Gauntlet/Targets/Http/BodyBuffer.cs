namespace Gauntlet.Targets.Http;

/// <summary>
/// A growable byte buffer kept by a worker across its operations: a response body for checks, a rendered request.
/// Allocated at first use: a worker's fresh memory costs page faults when a run starts, and most workers need only
/// some of their buffers.
/// </summary>
internal sealed class BodyBuffer(long limit)
{
    private byte[] _bytes = [];

    private const int InitialSize = 4096;

    public int Length { get; private set; }

    /// <summary>True when more than the limit arrived; only the first bytes were kept.</summary>
    public bool Truncated { get; private set; }

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _bytes.AsMemory(0, Length);

    public void Clear()
    {
        Length = 0;
        Truncated = false;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        if (Length + (long)data.Length > limit)
        {
            Truncated = true;
            data = data[..(int)Math.Max(0, limit - Length)];
        }
        Span<byte> target = Reserve(data.Length);
        data.CopyTo(target);
        Length += data.Length;
    }

    /// <summary>Room for <paramref name="count"/> more bytes after <see cref="Length"/>; call <see cref="Advance"/> after writing.</summary>
    public Span<byte> Reserve(int count)
    {
        if (Length + count > _bytes.Length)
        {
            var size = Math.Max(_bytes.Length, InitialSize);
            while (size < Length + count) size = size > int.MaxValue / 2 ? int.MaxValue : size * 2;
            Array.Resize(ref _bytes, size);
        }
        return _bytes.AsSpan(Length, count);
    }

    public void Advance(int count) => Length += count;
}
