namespace GhidraInsight.Analysis.Findings;

/// <summary>The APIs reported as findings, by exact undecorated name.</summary>
internal static class RiskyApiCatalog
{
    private static readonly RiskyApi UnboundedCopy = new("buffer_overflow", "high", "CWE-120",
        "Copies without a bound: use strlcpy/strncpy_s/snprintf with the destination size.");
    private static readonly RiskyApi Gets = new("buffer_overflow", "critical", "CWE-242",
        "gets cannot be used safely: use fgets with the buffer size.");
    private static readonly RiskyApi Format = new("buffer_overflow", "high", "CWE-120",
        "Writes without a bound: use snprintf/vsnprintf with the destination size.");
    private static readonly RiskyApi Scanf = new("buffer_overflow", "medium", "CWE-120",
        "%s and %[ conversions without a width overflow: give every conversion a field width, or read with fgets.");
    private static readonly RiskyApi Shell = new("command_injection", "high", "CWE-78",
        "Runs a command through the shell: use execve/posix_spawn with an argument vector, never user input in a command line.");
    private static readonly RiskyApi Exec = new("command_execution", "medium", "CWE-78",
        "Starts another program: make sure the path is absolute and arguments are not attacker-controlled.");
    private static readonly RiskyApi TempName = new("insecure_temp_file", "medium", "CWE-377",
        "Predictable temporary names race with attackers: use mkstemp/tmpfile.");
    private static readonly RiskyApi WinCommand = new("command_execution", "high", "CWE-78",
        "Starts a program from a command line: use CreateProcess with a quoted absolute path and no untrusted input.");
    private static readonly RiskyApi Download = new("download_execute", "high", "CWE-494",
        "Downloads a file: verify its integrity (signature or hash) before using it.");
    private static readonly RiskyApi Injection = new("process_injection", "high", "CWE-94",
        "Writes into or starts threads in another process — typical of code injection; justify or remove.");
    private static readonly RiskyApi AntiDebug = new("anti_debugging", "low", "CWE-693",
        "Detects debuggers — common in malware and packers; document why it is needed.");

    private static readonly Dictionary<string, RiskyApi> Entries = new(StringComparer.Ordinal)
    {
        ["gets"] = Gets,
        ["_getws"] = Gets,
        ["strcpy"] = UnboundedCopy,
        ["strcat"] = UnboundedCopy,
        ["wcscpy"] = UnboundedCopy,
        ["wcscat"] = UnboundedCopy,
        ["lstrcpy"] = UnboundedCopy,
        ["lstrcat"] = UnboundedCopy,
        ["StrCpy"] = UnboundedCopy,
        ["StrCat"] = UnboundedCopy,
        ["stpcpy"] = UnboundedCopy,
        ["sprintf"] = Format,
        ["vsprintf"] = Format,
        ["swprintf"] = Format,
        ["wsprintf"] = Format,
        ["wvsprintf"] = Format,
        ["scanf"] = Scanf,
        ["fscanf"] = Scanf,
        ["sscanf"] = Scanf,
        ["vscanf"] = Scanf,
        ["vfscanf"] = Scanf,
        ["vsscanf"] = Scanf,
        ["wscanf"] = Scanf,
        ["swscanf"] = Scanf,
        ["system"] = Shell,
        ["popen"] = Shell,
        ["_popen"] = Shell,
        ["_wsystem"] = Shell,
        ["execl"] = Exec,
        ["execlp"] = Exec,
        ["execle"] = Exec,
        ["execv"] = Exec,
        ["execvp"] = Exec,
        ["execvpe"] = Exec,
        ["execve"] = Exec,
        ["fexecve"] = Exec,
        ["mktemp"] = TempName,
        ["tmpnam"] = TempName,
        ["tempnam"] = TempName,
        ["WinExec"] = WinCommand,
        ["CreateProcess"] = WinCommand,
        ["CreateProcessAsUser"] = WinCommand,
        ["CreateProcessWithLogon"] = WinCommand,
        ["CreateProcessWithToken"] = WinCommand,
        ["ShellExecute"] = WinCommand,
        ["ShellExecuteEx"] = WinCommand,
        ["URLDownloadToFile"] = Download,
        ["URLDownloadToCacheFile"] = Download,
        ["WriteProcessMemory"] = Injection,
        ["CreateRemoteThread"] = Injection,
        ["CreateRemoteThreadEx"] = Injection,
        ["IsDebuggerPresent"] = AntiDebug,
        ["CheckRemoteDebuggerPresent"] = AntiDebug,
        ["ptrace"] = AntiDebug,
    };

    /// <summary>The catalog entry for an undecorated name, if it is listed.</summary>
    public static RiskyApi? Find(string undecoratedName) => Entries.GetValueOrDefault(undecoratedName);
}
