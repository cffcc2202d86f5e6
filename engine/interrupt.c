#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t S_signal = 0;

static void S_handler(int sig) { S_signal = sig; }

void ps_interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = S_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int ps_interrupt_requested(void) { return (int)S_signal; }
