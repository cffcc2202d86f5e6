/* A clean stop on SIGINT and SIGTERM: the handler only raises a flag; the
 * runners check it between ticks, stop, and leave no file that looks
 * complete (the manifest says "finished": false). */
#ifndef PS_INTERRUPT_H
#define PS_INTERRUPT_H

/* Installs the handlers (the CLI does; a library user may not want to). */
void ps_interrupt_install(void);
/* The signal that asked for a stop, or 0. */
int ps_interrupt_requested(void);

#endif
