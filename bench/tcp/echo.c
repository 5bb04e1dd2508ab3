/* A tiny epoll echo server in C: a peer for the TCP benchmark that is not Gauntlet's and not one process per
 * connection (socat forks one per client). Single-threaded, level-triggered, edge cases kept simple: whatever a
 * client sends is written back; a client that does not drain its replies only slows itself.
 * Build: cc -O2 -o /tmp/gauntlet-echo bench/tcp/echo.c    Run: /tmp/gauntlet-echo 7002 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int port = argc > 1 ? atoi(argv[1]) : 7002;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 8192) < 0) { perror("listen"); return 1; }
    int epoll = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = listener };
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    printf("listening on 127.0.0.1:%d\n", port);
    fflush(stdout);
    struct epoll_event events[256];
    char buffer[16384];
    for (;;) {
        int n = epoll_wait(epoll, events, 256, -1);
        if (n < 0 && errno == EINTR) continue;
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event e = { .events = EPOLLIN, .data.fd = client };
                    epoll_ctl(epoll, EPOLL_CTL_ADD, client, &e);
                }
                continue;
            }
            ssize_t got = read(fd, buffer, sizeof buffer);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN) continue;
                close(fd);
                continue;
            }
            for (ssize_t sent = 0; sent < got;) {
                ssize_t w = write(fd, buffer + sent, got - sent);
                if (w < 0) { if (errno == EAGAIN) continue; close(fd); break; }
                sent += w;
            }
        }
    }
}
