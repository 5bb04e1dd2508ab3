/*
 * The machine's floor for spawn-and-capture, for bench/results/process.md: THREADS threads each run their share of
 * OPERATIONS spawns of COMMAND the way Gauntlet's ChildProcess does (posix_spawn into a new session, all signals to
 * default, empty mask; stdout and stderr to pipes read to end of file; wait4 with rusage), with nothing else around
 * it: no runtime, no bookkeeping. Prints one line: "<operations> <seconds>". Built by the benchmark with cc -O2.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static const char *command;
static int share;
static volatile int failed;

static void *spawner(void *unused)
{
    (void)unused;
    for (int i = 0; i < share && !failed; i++) {
        int out[2], err[2];
        if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) { failed = 1; break; }
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        sigset_t all, none;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_adddup2(&actions, err[1], 2);
        posix_spawnattr_init(&attributes);
        sigfillset(&all);
        sigemptyset(&none);
        posix_spawnattr_setsigdefault(&attributes, &all);
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
        char *argv[] = { (char *)command, NULL };
        pid_t pid;
        int error = posix_spawn(&pid, command, &actions, &attributes, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        close(out[1]);
        close(err[1]);
        if (error) { failed = 1; close(out[0]); close(err[0]); break; }
        char buffer[4096];
        while (read(out[0], buffer, sizeof buffer) > 0) { }
        while (read(err[0], buffer, sizeof buffer) > 0) { }
        close(out[0]);
        close(err[0]);
        int status;
        struct rusage usage;
        if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = 1;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: spawn-floor COMMAND OPERATIONS THREADS\n"); return 2; }
    command = argv[1];
    int operations = atoi(argv[2]), threads = atoi(argv[3]);
    if (operations < 1 || threads < 1 || threads > 256) { fprintf(stderr, "spawn-floor: bad counts\n"); return 2; }
    share = operations / threads;
    pthread_t ids[256];
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, spawner, NULL);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (failed) { fprintf(stderr, "spawn-floor: a spawn or a child failed\n"); return 1; }
    printf("%d %.6f\n", share * threads, (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
