using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using HdrHistogram;

namespace Gauntlet.Metrics;

/// <summary>
/// Adds encoded histograms (<see cref="Histograms.Encode"/>) into one, reading each encoding's counts straight into a
/// running total. HdrHistogram.NET's own decoder builds a histogram per encoding (a 190 KB counts array, a payload
/// buffer of the same size, a constructor found by reflection): merging 64 segments of a 60 s run decoded 3,900 of them,
/// three quarters of a gigabyte allocated to read 8 MB (bench/results/merge.md). Here an encoding of the standard shape
/// costs its inflate and one pass over its few hundred bytes; any other shape goes through the library's decoder.
/// </summary>
internal sealed class HistogramSum
{
    /// <summary>The compressed V2 encoding's cookie, less its word-size bits; and the uncompressed V2 one inside it.</summary>
    private const int CompressedCookieV2 = 0x1c849304, CookieV2 = 0x1c849303;

    /// <summary>Bytes of the V2 header: cookie, payload length, normalizing offset, digits, lowest, highest, ratio.</summary>
    private const int HeaderBytes = 40;

    /// <summary>
    /// Sub-buckets per half bucket of the standard shape, as a power of two: 3 significant digits need 2,048 sub-buckets
    /// (2^11), half of them 2^10. With a lowest value of 1 the unit magnitude is 0.
    /// </summary>
    private const int SubBucketHalfCountMagnitude = 10;

    private long[] _counts = new long[4096];
    private int _length;
    private HistogramBase? _other;

    /// <summary>Histograms added so far.</summary>
    public int Added { get; private set; }

    /// <summary>Adds the histogram encoded in <paramref name="base64"/>.</summary>
    public void Add(string base64)
    {
        Added++;
        var bytes = Convert.FromBase64String(base64);
        if (!TryAddStandard(bytes)) (_other ??= Histograms.Create()).Add(Histograms.Decode(base64));
    }

    /// <summary>The sum as a histogram of the standard shape.</summary>
    public HistogramBase ToHistogram()
    {
        var histogram = Histograms.Create();
        for (var index = 0; index < _length; index++)
            if (_counts[index] > 0) histogram.RecordValueWithCount(ValueAt(index), _counts[index]);
        if (_other is not null) histogram.Add(_other);
        return histogram;
    }

    /// <summary>The lowest value counted at <paramref name="index"/> of the standard shape's counts.</summary>
    internal static long ValueAt(int index)
    {
        var bucket = (index >> SubBucketHalfCountMagnitude) - 1;
        var subBucket = (index & ((1 << SubBucketHalfCountMagnitude) - 1)) + (1 << SubBucketHalfCountMagnitude);
        if (bucket < 0)
        {
            subBucket -= 1 << SubBucketHalfCountMagnitude;
            bucket = 0;
        }
        return (long)subBucket << bucket;
    }

    /// <summary>Adds a compressed V2 encoding of the standard shape; false (nothing added) for anything else.</summary>
    private bool TryAddStandard(byte[] bytes)
    {
        if (bytes.Length < 8 || (BinaryPrimitives.ReadInt32BigEndian(bytes) & ~0xf0) != CompressedCookieV2) return false;
        var compressed = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (compressed <= 0 || compressed > bytes.Length - 8) return false;
        var plain = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = Inflate(bytes, compressed, ref plain);
            return length >= HeaderBytes && IsStandardHeader(plain.AsSpan(0, HeaderBytes), length, out var payload)
                && AddCounts(plain.AsSpan(HeaderBytes, payload));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private static int Inflate(byte[] bytes, int compressed, ref byte[] plain)
    {
        using var input = new MemoryStream(bytes, 8, compressed, writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        var length = 0;
        while (true)
        {
            if (length == plain.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(plain.Length * 2);
                plain.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(plain);
                plain = bigger;
            }
            var read = zlib.Read(plain, length, plain.Length - length);
            if (read == 0) return length;
            length += read;
        }
    }

    /// <summary>True for a V2 header of the standard shape (1 us .. 1 h, 3 digits, not shifted) whose payload is all there.</summary>
    private static bool IsStandardHeader(ReadOnlySpan<byte> header, int length, out int payload)
    {
        payload = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        return (BinaryPrimitives.ReadInt32BigEndian(header) & ~0xf0) == CookieV2
            && payload >= 0 && payload <= length - HeaderBytes
            && BinaryPrimitives.ReadInt32BigEndian(header[8..]) == 0
            && BinaryPrimitives.ReadInt32BigEndian(header[12..]) == Histograms.SignificantDigits
            && BinaryPrimitives.ReadInt64BigEndian(header[16..]) == Histograms.LowestMicros
            && BinaryPrimitives.ReadInt64BigEndian(header[24..]) == Histograms.HighestMicros;
    }

    /// <summary>More indexes than the standard shape has (23,552): an encoding that reaches past it is not one of ours.</summary>
    private const int MaxIndex = 1 << 16;

    /// <summary>
    /// Adds the payload's counts: ZigZag LEB128 words (up to 9 bytes), a positive one a count at the next index, a
    /// negative one that many empty indexes. The payload is read through once to check it before anything is added, so
    /// a malformed one adds nothing (false) and goes to the library's decoder instead.
    /// </summary>
    private bool AddCounts(ReadOnlySpan<byte> payload) => ReadCounts(payload, add: false) && ReadCounts(payload, add: true);

    private bool ReadCounts(ReadOnlySpan<byte> payload, bool add)
    {
        var (index, at) = (0L, 0);
        while (at < payload.Length)
        {
            if (!TryReadWord(payload, ref at, out var word)) return false;
            if (word < 0)
            {
                if (word < -MaxIndex) return false;
                index -= word;
            }
            else
            {
                if (index >= MaxIndex) return false;
                if (add && word > 0) CountAt((int)index, word);
                index++;
            }
        }
        return true;
    }

    private void CountAt(int index, long count)
    {
        if (index >= _counts.Length) Array.Resize(ref _counts, Math.Max(index + 1, _counts.Length * 2));
        _counts[index] += count;
        if (index >= _length) _length = index + 1;
    }

    /// <summary>One ZigZag LEB128-64b9B word: seven bits a byte for eight bytes, all eight bits of a ninth.</summary>
    private static bool TryReadWord(ReadOnlySpan<byte> payload, ref int at, out long word)
    {
        ulong raw = 0;
        word = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= payload.Length) return false;
            var b = payload[at++];
            if (shift == 56)
            {
                raw |= (ulong)b << 56;
                break;
            }
            raw |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) break;
        }
        word = (long)(raw >> 1) ^ -(long)(raw & 1);
        return true;
    }
}
