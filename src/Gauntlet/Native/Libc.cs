using System.Runtime.InteropServices;

namespace Gauntlet.Native;

/// <summary>
/// The libc calls a child process needs, as glibc on Linux (x86-64 and arm64) lays them out. .NET's <c>Process</c>
/// cannot start a child in its own session, folds a death by signal into an exit code and reaps children behind
/// our back, so the process target talks to libc directly.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ECHILD = 10;
    public const int ESRCH = 3;

    public const int WNOHANG = 1;
    public const int RUSAGE_SELF = 0;
    public const int O_RDONLY = 0;

    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;
    public const uint EPOLLOUT = 0x4;
    public const uint EPOLLERR = 0x8;
    public const uint EPOLLHUP = 0x10;

    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    // glibc's posix_spawn flags.
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    /// <summary>Bytes reserved for glibc's opaque spawn structures (336 and 80 bytes on x86-64), with room to spare.</summary>
    public const int OpaqueSize = 1024;

    /// <summary>Bytes of a <c>sigset_t</c> on Linux.</summary>
    public const int SigSetSize = 128;

    private const long SYS_pidfd_open = 434;
    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary><c>struct rusage</c>: two timevals, then fourteen longs (ru_maxrss first, in KiB).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RUsage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public long MaxRssKiB;
        public fixed long Rest[13];
    }

    /// <summary>
    /// Bytes of one <c>struct epoll_event</c>: packed (12) on x86-64, naturally aligned (16) elsewhere; the 64-bit
    /// data field follows the 32-bit event mask at <see cref="EpollDataOffset"/>.
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of the data field in one <c>struct epoll_event</c>.</summary>
    public static readonly int EpollDataOffset = EpollEventSize == 12 ? 4 : 8;

    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epoll, int operation, int fd, byte* @event);

    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epoll, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "getrusage", SetLastError = true)]
    public static partial int GetRUsage(int who, RUsage* usage);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "wait4", SetLastError = true)]
    public static partial int Wait4(int pid, int* status, int options, RUsage* usage);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a, long b);

    /// <summary>A descriptor that polls readable when <paramref name="pid"/> exits (Linux 5.3+); -1 with errno otherwise.</summary>
    public static int PidFdOpen(int pid) => (int)Syscall(SYS_pidfd_open, pid, 0);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* actions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* actions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int FileActionsAddChdir(void* actions, byte* path);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_init")]
    public static partial int AttrInit(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttrDestroy(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttrSetFlags(void* attributes, short flags);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttrSetSigMask(void* attributes, void* signals);

    [LibraryImport(Library, EntryPoint = "sigemptyset")]
    public static partial int SigEmptySet(void* set);

    [LibraryImport(Library, EntryPoint = "sigfillset")]
    public static partial int SigFillSet(void* set);

    /// <summary>Returns 0 or an error number (not errno): exec failures (ENOENT, EACCES) come back here with glibc 2.24+.</summary>
    [LibraryImport(Library, EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(int* pid, byte* path, void* actions, void* attributes, byte** argv, byte** envp);

    /// <summary>As <see cref="PosixSpawn"/>, searching PATH when the program has no slash.</summary>
    [LibraryImport(Library, EntryPoint = "posix_spawnp")]
    public static partial int PosixSpawnP(int* pid, byte* file, void* actions, void* attributes, byte** argv, byte** envp);
}
