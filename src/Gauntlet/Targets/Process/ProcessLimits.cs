namespace Gauntlet.Targets.Process;

/// <summary>How long a child may run and how much of its output is kept. Immutable, with named defaults.</summary>
public sealed record ProcessLimits
{
    /// <summary>Default <see cref="KillGrace"/>: 2 s between SIGTERM and SIGKILL.</summary>
    public static readonly TimeSpan DefaultKillGrace = TimeSpan.FromSeconds(2);

    /// <summary>Default <see cref="Linger"/>: 100 ms for what the child left behind to go away by itself.</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromMilliseconds(100);

    /// <summary>Default <see cref="HeadBytes"/> and <see cref="TailBytes"/>: 32 KiB each, per stream.</summary>
    public const int DefaultCaptureBytes = 32 * 1024;

    /// <summary>The child is stopped (SIGTERM, then SIGKILL after <see cref="KillGrace"/>) after this long. Null: no timeout of its own.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Time between SIGTERM and SIGKILL to the child's whole process group.</summary>
    public TimeSpan KillGrace { get; init; } = DefaultKillGrace;

    /// <summary>After the child exits, how long processes it left in its group or its open pipes may linger before they count as a leak and are killed.</summary>
    public TimeSpan Linger { get; init; } = DefaultLinger;

    /// <summary>Bytes kept from the start of each output stream.</summary>
    public int HeadBytes { get; init; } = DefaultCaptureBytes;

    /// <summary>Bytes kept from the end of each output stream.</summary>
    public int TailBytes { get; init; } = DefaultCaptureBytes;
}
