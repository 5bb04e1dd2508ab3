namespace Gauntlet.Native;

/// <summary>Names of Linux signal and error numbers, as <c>kill -l</c> and <c>errno.h</c> spell them.</summary>
internal static class SignalNames
{
    private static readonly string[] Signals =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    private const int RealTimeMin = 34;

    /// <summary><c>SIGSEGV</c> for 11; <c>SIGRTMIN+2</c> for 36; <c>SIG99</c> for what Linux does not define.</summary>
    public static string Of(int signal) =>
        signal > 0 && signal < Signals.Length ? Signals[signal]
        : signal >= RealTimeMin && signal <= 64 ? (signal == RealTimeMin ? "SIGRTMIN" : $"SIGRTMIN+{signal - RealTimeMin}")
        : $"SIG{signal}";

    private static readonly Dictionary<int, string> Errors = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [7] = "E2BIG", [8] = "ENOEXEC",
        [9] = "EBADF", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [20] = "ENOTDIR",
        [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [26] = "ETXTBSY", [36] = "ENAMETOOLONG",
        [38] = "ENOSYS", [40] = "ELOOP",
    };

    /// <summary><c>ENOENT</c> for 2; <c>errno 99</c> for numbers without a name here.</summary>
    public static string OfErrno(int errno) => Errors.TryGetValue(errno, out var name) ? name : $"errno {errno}";
}
