/*
 * rusage_exec: run one command and print what it cost.
 *
 *   rusage_exec STDOUT_FILE STDERR_FILE PROGRAM [ARG...]
 *
 * Forks, points the child's stdout and stderr at the two files (use /dev/null
 * to discard), execs PROGRAM with this process's environment, waits for it
 * with wait4(2) and prints one line on stdout:
 *
 *   wall_ns utime_us stime_us maxrss_kib exit_status
 *
 * wall_ns is CLOCK_MONOTONIC from just before fork() to just after wait4();
 * exit_status is the exit code, or 128+signal.
 *
 * Why a C helper and not Python's os.posix_spawn + os.wait4: Linux folds the
 * peak RSS of the memory map a process had *before* execve into its
 * ru_maxrss. posix_spawn (and subprocess) use vfork, so the child starts out
 * on the parent's memory map, and every child then reports at least the
 * Python interpreter's own peak (about 14 MiB here), which hides a 2-3 MiB
 * binary completely. This helper is a small static program, so what it adds
 * to a child's ru_maxrss is a few hundred KiB at most, the same for both
 * commands; bench/bench.py measures that floor (with /bin/true) and prints it.
 *
 * Built by bench/run.sh with `musl-gcc -static -O2` (or cc -static -O2).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int open_out(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        perror(path);
        _exit(126);
    }
    return fd;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s STDOUT_FILE STDERR_FILE PROGRAM [ARG...]\n", argv[0]);
        return 2;
    }
    long long start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        int out = open_out(argv[1]);
        int err = open_out(argv[2]);
        if (dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
        execvp(argv[3], argv + 3);
        perror(argv[3]);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 2;
    }
    long long wall = now_ns() - start;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("%lld %lld %lld %ld %d\n", wall,
           (long long)ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec,
           (long long)ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec,
           ru.ru_maxrss, code);
    return 0;
}
